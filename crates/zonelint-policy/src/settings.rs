//! Resolved settings: the profile, rule selection, severity overrides and the facts the
//! rules need that a zone file cannot tell (senders, org domains, the parent's DMARC).
//!
//! This is plain data. Reading `zonelint.toml` and merging it with the command line
//! happens in [`crate::config`] (text in, settings and spanned errors out).

use crate::rules::{Level, RuleMeta};
use crate::snapshot::Snapshot;
use std::sync::Arc;
use zonelint_zone::{Name, NameRef, Severity};

/// Which DMARC policy discovery receivers are assumed to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DmarcDiscovery {
    /// RFC 7489: the organizational domain from the public-suffix list (or config).
    Rfc7489,
    /// RFC 9989: the DNS tree walk.
    Rfc9989,
    /// Both, reporting where they disagree (the default).
    #[default]
    Both,
}

/// One `select`/`ignore` entry: `ALL`, a family or code prefix, a code, or a slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector(pub String);

impl Selector {
    /// How specifically this selector names `meta`: `None` if it does not match it; else
    /// 0 for `ALL`, the prefix length for a prefix, and `usize::MAX` for an exact code or slug.
    #[must_use]
    pub fn specificity(&self, meta: &RuleMeta) -> Option<usize> {
        let text = self.0.as_str();
        if text.eq_ignore_ascii_case("ALL") {
            return Some(0);
        }
        if text.eq_ignore_ascii_case(meta.code.code) || text.eq_ignore_ascii_case(meta.code.slug) {
            return Some(usize::MAX);
        }
        let code = meta.code.code;
        (code.len() > text.len()
            && code
                .get(..text.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(text)))
        .then_some(text.len())
    }

    /// Whether the selector can name any rule of `rules` (for reporting typos).
    #[must_use]
    pub fn matches_any(&self, rules: &[&RuleMeta]) -> bool {
        rules.iter().any(|meta| self.specificity(meta).is_some())
    }
}

/// Everything the rules are run with.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The strict profile (rules.md): the incident's policy.
    pub strict: bool,
    /// Rules to run (default `ALL`).
    pub select: Vec<Selector>,
    /// More rules to run, on top of `select`.
    pub extend_select: Vec<Selector>,
    /// Rules not to run.
    pub ignore: Vec<Selector>,
    /// Per-rule levels that override the profile (code or slug → level).
    pub severity: Vec<(Selector, Level)>,
    /// Names allowed to authorize senders; `None` when not configured (COV004 is then silent).
    pub senders: Option<Vec<Name>>,
    /// Organizational domains, instead of the public-suffix list.
    pub org_domains: Vec<Name>,
    /// The parent zone's DMARC record, for zones whose parent is not linted.
    pub parent_dmarc: Option<String>,
    /// Which discovery receivers are assumed to use.
    pub dmarc_discovery: DmarcDiscovery,
    /// Largest acceptable TTL in seconds (ZONE019); `None` for the default.
    pub max_ttl: Option<u32>,
    /// "Now" for signature expiry checks, in seconds since the epoch.
    pub now: Option<i64>,
    /// Zones declared to be public-suffix operators (DMARC023).
    pub public_suffix_operator: bool,
    /// Known records of names outside the linted zones (`spf-snapshot`), read by the
    /// caller; SPF evaluation follows them instead of counting "≥1".
    pub spf_snapshot: Option<Arc<Snapshot>>,
    /// From how many DNS lookups an SPF tree is reported as near the limit of 10
    /// (SPF018). Not a config key (cli.md names none); default
    /// [`DEFAULT_LOOKUP_HEADROOM`].
    pub spf_lookup_headroom: u32,
}

/// The default of [`Settings::spf_lookup_headroom`]: 8 of the 10 lookups.
pub const DEFAULT_LOOKUP_HEADROOM: u32 = 8;

impl Default for Settings {
    fn default() -> Self {
        Self {
            strict: false,
            select: vec![Selector("ALL".to_owned())],
            extend_select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            senders: None,
            org_domains: Vec::new(),
            parent_dmarc: None,
            dmarc_discovery: DmarcDiscovery::default(),
            max_ttl: None,
            now: None,
            public_suffix_operator: false,
            spf_snapshot: None,
            spf_lookup_headroom: DEFAULT_LOOKUP_HEADROOM,
        }
    }
}

/// How a rule runs under some settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The severity it reports at.
    pub severity: Severity,
    /// Whether the user set that severity explicitly.
    pub overridden: bool,
}

impl Settings {
    /// The strict profile with everything else default.
    #[must_use]
    pub fn strict() -> Self {
        Self {
            strict: true,
            ..Self::default()
        }
    }

    /// Whether `meta` runs, and at what severity. Selection follows specificity: the
    /// most specific matching selector wins, and `ignore` wins ties.
    #[must_use]
    pub fn resolve(&self, meta: &RuleMeta) -> Option<Resolved> {
        let best =
            |selectors: &[Selector]| selectors.iter().filter_map(|s| s.specificity(meta)).max();
        let selected = best(&self.select).max(best(&self.extend_select));
        let ignored = best(&self.ignore);
        match (selected, ignored) {
            (None, _) => return None,
            (Some(s), Some(i)) if i >= s => return None,
            _ => {}
        }
        let overridden = self
            .severity
            .iter()
            .filter_map(|(selector, level)| selector.specificity(meta).map(|s| (s, *level)))
            .max_by_key(|(s, _)| *s)
            .map(|(_, level)| level);
        match overridden {
            Some(level) => level.severity().map(|severity| Resolved {
                severity,
                overridden: true,
            }),
            None => {
                let level = if self.strict {
                    meta.strict
                } else {
                    meta.default
                };
                level.severity().map(|severity| Resolved {
                    severity,
                    overridden: false,
                })
            }
        }
    }

    /// Whether `name` is a declared sender (only meaningful when senders are configured).
    #[must_use]
    pub fn is_sender(&self, name: &NameRef) -> bool {
        self.senders
            .as_ref()
            .is_some_and(|senders| senders.iter().any(|s| s == name))
    }
}
