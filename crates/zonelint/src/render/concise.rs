//! The `concise` format: `FILE:LINE:COL: SEVERITY CODE [slug] message`, one line each, the
//! shape vim's `:make`, emacs' compile-mode and most problem matchers read.

use super::locate;
use std::fmt::Write as _;
use zonelint_zone::{Diagnostic, SourceMap};

/// Renders the diagnostics of one zone, one line each.
#[must_use]
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    super::render_in_chunks(diagnostics, |diagnostics| {
        let mut out = String::new();
        for diagnostic in diagnostics {
            let location = locate(sources, diagnostic.primary);
            // A message is one line; a stray newline would split the record for every reader.
            let message = diagnostic.message.replace(['\n', '\r'], " ");
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {} [{}] {message}",
                location.file,
                location.line,
                location.column,
                diagnostic.severity.as_str(),
                diagnostic.code.code,
                diagnostic.code.slug,
            );
        }
        out
    })
}
