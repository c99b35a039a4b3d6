//! `zonelint.toml`: text in, a [`Config`] (and from it [`Settings`]) out, or errors with
//! the exact span of the key or value that is wrong.
//!
//! This module does no I/O: the binary finds the files (walking up from each linted file),
//! follows `extend` and renders the errors. A config file is one more source of
//! diagnostics, so its errors are [`Diagnostic`]s of their own code, [`CONFIG_INVALID`].

use crate::rules::registry;
use crate::settings::Selector;
use zonelint_zone::diagnostic::codes;

/// Whether `selector` names at least one rule or parser code: `ALL`, a code, a slug or a
/// prefix of a code (`SPF`, `DMARC0`). Anything else is a typo, reported rather than
/// silently selecting nothing.
#[must_use]
pub fn is_known_selector(selector: &Selector) -> bool {
    let text = selector.0.as_str();
    if text.eq_ignore_ascii_case("ALL") {
        return true;
    }
    let metas: Vec<_> = registry::rules().iter().map(|rule| rule.meta()).collect();
    selector.matches_any(&metas)
        || codes::ALL.iter().any(|code| {
            code.slug.eq_ignore_ascii_case(text)
                || code
                    .code
                    .get(..text.len())
                    .is_some_and(|prefix| !text.is_empty() && prefix.eq_ignore_ascii_case(text))
        })
}
