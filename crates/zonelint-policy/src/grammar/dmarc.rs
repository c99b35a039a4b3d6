//! DMARC policy records (RFC 7489 §6.3–§6.4; RFC 9989, numbered as
//! draft-ietf-dmarc-dmarcbis-41, §4.7–§4.8).
//!
//! `v=DMARC1` must come first and is case-sensitive; the rest is a tag-list (RFC 6376
//! §3.2 syntax, `*WSP ";" *WSP` separators). Every known tag's value is checked; unknown
//! tags are kept (receivers ignore them) and reported with the nearest known tag as a
//! suggestion. RFC 9989 removed `pct`, `rf` and `ri`; they are still read, since RFC 7489
//! receivers honour them.

use std::fmt;

use zonelint_zone::Span;

use super::tag_list::{self, NameSyntax, Tag, TagListProblemKind};
use super::uri::{self, Uri, UriError, UriRules};
use super::{nearest, Located, Problem, RecordText};

/// A requested policy (`none`, `quarantine`, `reject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Policy {
    /// Monitor only.
    None,
    /// Treat failing mail as suspicious.
    Quarantine,
    /// Refuse failing mail.
    Reject,
}

impl Policy {
    /// The policy one level weaker, as `t=y` applies it (RFC 9989 §4.7, App. A.6).
    #[must_use]
    pub fn weaker(self) -> Policy {
        match self {
            Policy::Reject => Policy::Quarantine,
            Policy::Quarantine | Policy::None => Policy::None,
        }
    }

    /// The keyword.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    fn parse(value: &[u8]) -> Option<Self> {
        match super::lowered(value, &mut [0; super::SHORT_WORD]) {
            b"none" => Some(Policy::None),
            b"quarantine" => Some(Policy::Quarantine),
            b"reject" => Some(Policy::Reject),
            _ => None,
        }
    }
}

/// Identifier alignment mode (`adkim`, `aspf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alignment {
    /// `r`: organizational domains must match.
    Relaxed,
    /// `s`: exact match.
    Strict,
}

/// The `psd` tag (RFC 9989 §4.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicSuffixDomain {
    /// `y`: this is a public suffix domain.
    Yes,
    /// `n`: this is an organizational domain.
    No,
    /// `u`: unknown (the default).
    Unknown,
}

/// One failure-reporting option of `fo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureOption {
    /// `0`: report when all mechanisms fail.
    AllFail,
    /// `1`: report when any mechanism fails.
    AnyFail,
    /// `d`: report DKIM failures.
    Dkim,
    /// `s`: report SPF failures.
    Spf,
}

/// The known DMARC tags.
pub const KNOWN_TAGS: [&str; 14] = [
    "v", "p", "sp", "np", "psd", "t", "pct", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri",
];

/// What is wrong in a DMARC record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DmarcProblemKind {
    /// DMARC003: the record does not start with `v=DMARC1` (missing, not first, other
    /// case, leading whitespace): receivers ignore the whole record.
    Version(VersionError),
    /// DMARC004: a tag-list error.
    TagList(TagListProblemKind),
    /// DMARC004: tags separated by commas or spaces instead of `;`
    /// (`v=DMARC1, p=reject`, `v=DMARC1 p=reject`).
    BadSeparator,
    /// DMARC004 (DMARC006 for `p`, `sp`, `np`): a value outside the tag's grammar.
    InvalidValue {
        /// The tag (lower case).
        tag: &'static str,
    },
    /// DMARC004: `fo` with both `0` and `1` (exclusive under RFC 9989).
    ExclusiveFailureOptions,
    /// DMARC005: an unknown tag, ignored by receivers.
    UnknownTag {
        /// The nearest known tag, if plausibly a typo.
        suggestion: Option<&'static str>,
    },
    /// DMARC006: no `p` tag (treated as `p=none` under RFC 9989).
    PolicyMissing,
    /// DMARC015: a `rua`/`ruf` URI that is not usable.
    Uri(UriError),
    /// DMARC016: the obsolete `!size` suffix.
    SizeSuffix,
}

/// How the version tag is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionError {
    /// No `v` tag at all.
    Missing,
    /// `v` is present but not the first tag.
    NotFirst,
    /// `v` is first but its value is not exactly `DMARC1` (`dmarc1`, `DMARC2`).
    WrongValue,
    /// Whitespace before `v=`.
    LeadingWhitespace,
}

impl DmarcProblemKind {
    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            DmarcProblemKind::Version(_) => "DMARC003",
            DmarcProblemKind::TagList(_)
            | DmarcProblemKind::BadSeparator
            | DmarcProblemKind::ExclusiveFailureOptions => "DMARC004",
            DmarcProblemKind::InvalidValue { tag } => {
                if matches!(*tag, "p" | "sp" | "np") {
                    "DMARC006"
                } else {
                    "DMARC004"
                }
            }
            DmarcProblemKind::UnknownTag { .. } => "DMARC005",
            DmarcProblemKind::PolicyMissing => "DMARC006",
            DmarcProblemKind::Uri(_) => "DMARC015",
            DmarcProblemKind::SizeSuffix => "DMARC016",
        }
    }
}

/// A problem in a DMARC record.
pub type DmarcProblem = Problem<DmarcProblemKind>;

/// A parsed DMARC record. Absent or invalid tags are `None`; the raw tags stay available.
///
/// The values of the common tags (`p`, `sp`, `np`, `psd`, `t`, `pct`, `adkim`, `aspf`)
/// are read with their spans through methods ([`DmarcRecord::policy`], …): each is kept
/// as the value and its tag's position in [`DmarcRecord::tags`] (4 to 6 bytes), the span
/// read from the tag when asked. Records are kept for a whole lint (66k in the 1M-record
/// bench zone), and eight values with spans of their own (16 bytes each) were 128 of each
/// record's 216 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DmarcRecord<'a> {
    /// Whether the record starts with exactly `v=DMARC1` (otherwise receivers ignore it).
    pub valid_version: bool,
    /// Every tag, in order, unknown and duplicate ones included.
    pub tags: Vec<Tag<'a>>,
    policy: Option<InTag<Policy>>,
    subdomain_policy: Option<InTag<Policy>>,
    nonexistent_policy: Option<InTag<Policy>>,
    psd: Option<InTag<PublicSuffixDomain>>,
    testing: Option<InTag<bool>>,
    percent: Option<InTag<u8>>,
    /// `rua` URIs that could be read.
    pub rua: Vec<Uri<'a>>,
    /// `ruf` URIs that could be read.
    pub ruf: Vec<Uri<'a>>,
    /// Whether `rua` was present (even with no usable URI).
    pub has_rua: bool,
    dkim_alignment: Option<InTag<Alignment>>,
    spf_alignment: Option<InTag<Alignment>>,
    /// `fo`, `rf` and `ri`, which most records leave out: held apart, so that a record
    /// without them (tens of thousands are kept for a whole lint in a large zone) does
    /// not hold their room, a third of the record's.
    reporting: Option<Box<FailureReporting>>,
    /// Whether `p`, `sp` or `np` was present with an invalid value.
    pub invalid_policy: bool,
}

/// A value read from the tag at position `tag` in [`DmarcRecord::tags`], whose value
/// span is where it is written. A record's text holds at most 65,535 octets
/// ([`MAX_TEXT_OCTETS`](super::text::MAX_TEXT_OCTETS)) and a tag takes at least two
/// (`x=`), so the position fits 16 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InTag<T> {
    value: T,
    tag: u16,
}

/// The values of a DMARC record's common tags, without where they are written
/// ([`DmarcRecord::values`]): for readers of the values alone, which need no span worked
/// out from the tags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DmarcValues {
    /// `p`.
    pub policy: Option<Policy>,
    /// `sp`.
    pub subdomain_policy: Option<Policy>,
    /// `np`.
    pub nonexistent_policy: Option<Policy>,
    /// `psd`.
    pub psd: Option<PublicSuffixDomain>,
    /// `t`: testing mode.
    pub testing: Option<bool>,
    /// `pct` (removed in RFC 9989).
    pub percent: Option<u8>,
    /// `adkim`.
    pub dkim_alignment: Option<Alignment>,
    /// `aspf`.
    pub spf_alignment: Option<Alignment>,
}

/// The methods that read a common tag's value with where it is written
/// ([`DmarcRecord::policy`], …), each from the field of the same name.
macro_rules! located_tags {
    ($($(#[$doc:meta])* $name:ident: $type:ty;)+) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(&self) -> Option<Located<$type>> {
                self.located(self.$name)
            }
        )+
    };
}

/// The failure-reporting tags of a DMARC record that most records leave out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FailureReporting {
    failure_options: Option<Located<Vec<FailureOption>>>,
    report_formats: Option<Located<Vec<String>>>,
    report_interval: Option<Located<u32>>,
}

impl DmarcRecord<'_> {
    /// `value`, read from the tag at `index`, if `index` is a tag's position.
    fn in_tag<T>(&self, value: T, index: usize) -> Option<InTag<T>> {
        debug_assert!(index < self.tags.len(), "a value read from no tag");
        let tag = u16::try_from(index).ok()?;
        Some(InTag { value, tag })
    }

    /// `read` with where it is written: its tag's value.
    fn located<T: Copy>(&self, read: Option<InTag<T>>) -> Option<Located<T>> {
        let read = read?;
        let tag = self.tags.get(usize::from(read.tag))?;
        Some(Located::new(read.value, tag.value_span()))
    }

    /// The common tags' values, without their spans.
    #[must_use]
    pub fn values(&self) -> DmarcValues {
        DmarcValues {
            policy: self.policy.map(|read| read.value),
            subdomain_policy: self.subdomain_policy.map(|read| read.value),
            nonexistent_policy: self.nonexistent_policy.map(|read| read.value),
            psd: self.psd.map(|read| read.value),
            testing: self.testing.map(|read| read.value),
            percent: self.percent.map(|read| read.value),
            dkim_alignment: self.dkim_alignment.map(|read| read.value),
            spf_alignment: self.spf_alignment.map(|read| read.value),
        }
    }

    located_tags! {
        /// `p`.
        policy: Policy;
        /// `sp`.
        subdomain_policy: Policy;
        /// `np`.
        nonexistent_policy: Policy;
        /// `psd`.
        psd: PublicSuffixDomain;
        /// `t`: testing mode.
        testing: bool;
        /// `pct` (removed in RFC 9989).
        percent: u8;
        /// `adkim`.
        dkim_alignment: Alignment;
        /// `aspf`.
        spf_alignment: Alignment;
    }

    /// `fo`.
    #[must_use]
    pub fn failure_options(&self) -> Option<&Located<Vec<FailureOption>>> {
        self.reporting.as_ref()?.failure_options.as_ref()
    }

    /// `rf` formats (removed in RFC 9989).
    #[must_use]
    pub fn report_formats(&self) -> Option<&Located<Vec<String>>> {
        self.reporting.as_ref()?.report_formats.as_ref()
    }

    /// `ri` seconds (removed in RFC 9989).
    #[must_use]
    pub fn report_interval(&self) -> Option<&Located<u32>> {
        self.reporting.as_ref()?.report_interval.as_ref()
    }

    /// The failure-reporting tags, made when the first is read.
    fn reporting_mut(&mut self) -> &mut FailureReporting {
        self.reporting.get_or_insert_with(Box::default)
    }

    /// Gives back the room its lists grew into while it was parsed ([`parse`] returns
    /// records made to size: the lint keeps tens of thousands for its whole run).
    fn shrink_to_fit(&mut self) {
        self.tags.shrink_to_fit();
        self.rua.shrink_to_fit();
        self.ruf.shrink_to_fit();
    }

    /// The requested policy for the domain itself, before `t`: `p`, or `none` when `p` is
    /// absent, or when it is invalid and a `rua` URI is valid; `None` when an invalid
    /// policy and no valid `rua` mean DMARC is not applied (RFC 9989 §4.7, §4.10.1).
    #[must_use]
    pub fn requested_policy(&self) -> Option<Policy> {
        if self.invalid_policy && self.rua.is_empty() {
            return None;
        }
        Some(self.policy.as_ref().map_or(Policy::None, |p| p.value))
    }

    /// The policy receivers apply to the domain after `t=y` (one level weaker).
    #[must_use]
    pub fn effective_policy(&self) -> Option<Policy> {
        self.requested_policy().map(|p| self.apply_testing(p))
    }

    /// The policy for existing subdomains after `t=y`: `sp`, else `p`.
    #[must_use]
    pub fn effective_subdomain_policy(&self) -> Option<Policy> {
        let requested = self.requested_policy()?;
        let policy = self
            .subdomain_policy
            .as_ref()
            .map_or(requested, |p| p.value);
        Some(self.apply_testing(policy))
    }

    /// The policy for non-existent subdomains after `t=y`: `np`, else `sp`, else `p`.
    #[must_use]
    pub fn effective_nonexistent_policy(&self) -> Option<Policy> {
        let requested = self.requested_policy()?;
        let policy = self
            .nonexistent_policy
            .as_ref()
            .or(self.subdomain_policy.as_ref())
            .map_or(requested, |p| p.value);
        Some(self.apply_testing(policy))
    }

    fn apply_testing(&self, policy: Policy) -> Policy {
        if self.testing.as_ref().is_some_and(|t| t.value) {
            policy.weaker()
        } else {
            policy
        }
    }
}

/// Whether the record text starts like a DMARC record (`v=DMARC1`, any case, leading
/// whitespace allowed): what a rule uses to pick DMARC candidates at a name.
#[must_use]
pub fn looks_like_dmarc(text: &[u8]) -> bool {
    text.iter()
        .filter(|b| !b.is_ascii_whitespace())
        .take(8)
        .map(u8::to_ascii_uppercase)
        .eq(b"V=DMARC1".iter().copied())
}

/// Parses one DMARC record.
#[must_use]
pub fn parse(text: &RecordText) -> (DmarcRecord<'_>, Vec<DmarcProblem>) {
    let (list, tag_problems) = tag_list::parse(text, 0..text.len(), NameSyntax::Dmarc);
    let mut problems: Vec<DmarcProblem> = tag_problems
        .into_iter()
        .map(|p| Problem::new(DmarcProblemKind::TagList(p.kind), p.span))
        .collect();
    let mut record = DmarcRecord {
        tags: list.tags,
        ..DmarcRecord::default()
    };
    record.valid_version = check_version(text, &record.tags, &mut problems);
    // Each tag is read into the record it belongs to: copied out one at a time (its
    // text is the record text's, not the list's), the names lower-cased on the stack.
    for index in 0..record.tags.len() {
        let Some(tag) = record.tags.get(index).copied() else {
            break;
        };
        // A duplicate is reported by the tag-list; the first occurrence wins.
        let earlier = record.tags.get(..index).unwrap_or_default();
        if earlier
            .iter()
            .any(|t| t.name().eq_ignore_ascii_case(tag.name()))
        {
            continue;
        }
        let mut buffer = [0; super::SHORT_WORD];
        let name = super::lowered(tag.name(), &mut buffer);
        read_tag(text, &mut record, index, &tag, name, &mut problems);
    }
    if record.valid_version && record.policy.is_none() && !record.invalid_policy {
        let span = record
            .tags
            .first()
            .map_or_else(|| text.span(0..0), |t| t.span());
        problems.push(Problem::new(DmarcProblemKind::PolicyMissing, span));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    record.shrink_to_fit();
    (record, problems)
}

fn check_version(text: &RecordText, tags: &[Tag<'_>], problems: &mut Vec<DmarcProblem>) -> bool {
    let bytes = text.as_bytes();
    let Some(first) = tags.first() else {
        problems.push(Problem::new(
            DmarcProblemKind::Version(VersionError::Missing),
            text.span(0..text.len()),
        ));
        return false;
    };
    // `"v" *WSP "=" *WSP %s"DMARC1"`: the tag name is case-insensitive like every ABNF
    // literal, the value is not (RFC 7489 §6.4, RFC 9989 §4.8).
    if !first.is("v") {
        let (kind, span) = match tags.iter().find(|t| t.is("v")) {
            Some(v) => (VersionError::NotFirst, v.span()),
            None => (VersionError::Missing, first.span()),
        };
        problems.push(Problem::new(DmarcProblemKind::Version(kind), span));
        return false;
    }
    let mut valid = true;
    if bytes.first().is_some_and(u8::is_ascii_whitespace) {
        problems.push(Problem::new(
            DmarcProblemKind::Version(VersionError::LeadingWhitespace),
            text.span(0..1),
        ));
        valid = false;
    }
    let after_version = first
        .value()
        .strip_prefix(b"DMARC1")
        .and_then(|rest| rest.iter().find(|b| !matches!(b, b' ' | b'\t')).copied());
    if matches!(after_version, Some(b',' | b'a'..=b'z' | b'A'..=b'Z')) {
        problems.push(Problem::new(
            DmarcProblemKind::BadSeparator,
            first.value_span(),
        ));
        return false;
    }
    if first.value() != b"DMARC1" {
        problems.push(Problem::new(
            DmarcProblemKind::Version(VersionError::WrongValue),
            first.span(),
        ));
        return false;
    }
    valid
}

fn invalid(problems: &mut Vec<DmarcProblem>, tag: &'static str, span: Span) {
    problems.push(Problem::new(DmarcProblemKind::InvalidValue { tag }, span));
}

fn read_tag<'a>(
    text: &'a RecordText,
    record: &mut DmarcRecord<'a>,
    index: usize,
    tag: &Tag<'a>,
    name: &[u8],
    problems: &mut Vec<DmarcProblem>,
) {
    let value = tag.value();
    let span = tag.value_span();
    match name {
        b"v" => {}
        b"p" | b"sp" | b"np" => {
            let tag_name = match name {
                b"p" => "p",
                b"sp" => "sp",
                _ => "np",
            };
            match Policy::parse(value) {
                Some(policy) => {
                    let read = record.in_tag(policy, index);
                    let slot = match name {
                        b"p" => &mut record.policy,
                        b"sp" => &mut record.subdomain_policy,
                        _ => &mut record.nonexistent_policy,
                    };
                    *slot = read;
                }
                None => {
                    record.invalid_policy = true;
                    invalid(problems, tag_name, span);
                }
            }
        }
        b"psd" => match super::lowered(value, &mut [0; super::SHORT_WORD]) {
            b"y" => record.psd = record.in_tag(PublicSuffixDomain::Yes, index),
            b"n" => record.psd = record.in_tag(PublicSuffixDomain::No, index),
            b"u" => record.psd = record.in_tag(PublicSuffixDomain::Unknown, index),
            _ => invalid(problems, "psd", span),
        },
        b"t" => match super::lowered(value, &mut [0; super::SHORT_WORD]) {
            b"y" => record.testing = record.in_tag(true, index),
            b"n" => record.testing = record.in_tag(false, index),
            _ => invalid(problems, "t", span),
        },
        b"adkim" | b"aspf" => {
            let alignment = match super::lowered(value, &mut [0; super::SHORT_WORD]) {
                b"r" => Some(Alignment::Relaxed),
                b"s" => Some(Alignment::Strict),
                _ => None,
            };
            let tag_name = if name == b"adkim" { "adkim" } else { "aspf" };
            match alignment {
                Some(a) if name == b"adkim" => record.dkim_alignment = record.in_tag(a, index),
                Some(a) => record.spf_alignment = record.in_tag(a, index),
                None => invalid(problems, tag_name, span),
            }
        }
        b"pct" => match small_number(value).filter(|&n| n <= 100) {
            Some(n) => record.percent = record.in_tag(u8::try_from(n).unwrap_or(100), index),
            None => invalid(problems, "pct", span),
        },
        b"ri" => match small_number(value).and_then(|n| u32::try_from(n).ok()) {
            Some(n) => record.reporting_mut().report_interval = Some(Located::new(n, span)),
            None => invalid(problems, "ri", span),
        },
        b"rf" => {
            let formats: Vec<String> = value
                .split(|&b| b == b':')
                .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
                .collect();
            if formats.iter().all(|f| f == "afrf" || f == "iodef") {
                record.reporting_mut().report_formats = Some(Located::new(formats, span));
            } else {
                invalid(problems, "rf", span);
            }
        }
        b"fo" => {
            let mut options = Vec::new();
            let mut ok = !value.is_empty();
            for part in value.split(|&b| b == b':') {
                let part: Vec<u8> = part
                    .iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                match part.to_ascii_lowercase().as_slice() {
                    b"0" => options.push(FailureOption::AllFail),
                    b"1" => options.push(FailureOption::AnyFail),
                    b"d" => options.push(FailureOption::Dkim),
                    b"s" => options.push(FailureOption::Spf),
                    _ => ok = false,
                }
            }
            if !ok {
                invalid(problems, "fo", span);
            } else {
                if options.contains(&FailureOption::AllFail)
                    && options.contains(&FailureOption::AnyFail)
                {
                    problems.push(Problem::new(
                        DmarcProblemKind::ExclusiveFailureOptions,
                        span,
                    ));
                }
                record.reporting_mut().failure_options = Some(Located::new(options, span));
            }
        }
        b"rua" | b"ruf" => {
            let rules = UriRules {
                mailto: true,
                https: true,
                other: true,
                size_suffix: true,
            };
            let (uris, uri_problems) = uri::parse_list(text, tag.value_range.range(), rules);
            for uri in &uris {
                if let Some(size) = uri.size {
                    problems.push(Problem::new(DmarcProblemKind::SizeSuffix, size.span));
                }
            }
            for (error, span) in uri_problems {
                problems.push(Problem::new(DmarcProblemKind::Uri(error), span));
            }
            if name == b"rua" {
                record.has_rua = true;
                record.rua = uris;
            } else {
                record.ruf = uris;
            }
        }
        _ => {
            let word = String::from_utf8_lossy(tag.name());
            let suggestion = nearest(&word, &KNOWN_TAGS);
            problems.push(Problem::new(
                DmarcProblemKind::UnknownTag { suggestion },
                tag.name_span(),
            ));
        }
    }
}

/// A decimal number of at most 10 digits.
fn small_number(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 10 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// Renders the record canonically: `v=DMARC1`, then each tag as `name=value` after `; `.
impl fmt::Display for DmarcRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=DMARC1")?;
        for tag in self.tags.iter().skip(1) {
            write!(
                f,
                "; {}={}",
                String::from_utf8_lossy(tag.name()),
                String::from_utf8_lossy(tag.value())
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DmarcProblemKind as K;

    #[test]
    fn dmarc_candidates_are_told_by_their_start() {
        for text in ["v=DMARC1; p=none", "V=dmarc1", " v = DMARC1;", "v=DMARC1"] {
            assert!(looks_like_dmarc(text.as_bytes()), "{text:?}");
        }
        for text in [
            "",
            "v=DMARC",
            "v=DMARC2; p=none",
            "p=none; v=DMARC1",
            "v=spf1 -all",
        ] {
            assert!(!looks_like_dmarc(text.as_bytes()), "{text:?}");
        }
    }

    fn check(record: &str, expected: &[(DmarcProblemKind, &str)]) {
        crate::grammar::check_problems(record, |t| parse(t).1, expected);
    }

    fn with<T>(record: &str, f: impl FnOnce(&DmarcRecord<'_>) -> T) -> T {
        let quoted = format!("\"{record}\"");
        let (text, _) = RecordText::from_pieces(&[&quoted]);
        let (parsed, _) = parse(&text);
        f(&parsed)
    }

    #[test]
    fn failure_reporting_tags_are_read_when_written_and_absent_otherwise() {
        with("v=DMARC1; p=none; fo=0:d; rf=afrf; ri=3600", |record| {
            let options = record.failure_options().map(|fo| fo.value.clone());
            assert_eq!(
                options,
                Some(vec![FailureOption::AllFail, FailureOption::Dkim])
            );
            let formats = record.report_formats().map(|rf| rf.value.clone());
            assert_eq!(formats, Some(vec!["afrf".to_owned()]));
            assert_eq!(record.report_interval().map(|ri| ri.value), Some(3600));
        });
        with("v=DMARC1; p=none; ri=60", |record| {
            assert_eq!(record.report_interval().map(|ri| ri.value), Some(60));
            assert!(record.failure_options().is_none() && record.report_formats().is_none());
        });
        with("v=DMARC1; p=none", |record| {
            assert!(record.failure_options().is_none());
            assert!(record.report_formats().is_none());
            assert!(record.report_interval().is_none());
            assert!(record.reporting.is_none());
        });
    }

    /// The common tags' values are kept with their tag's position, and read back with
    /// where each value is written: the first of a duplicate, and across a join.
    #[test]
    fn common_tags_are_read_with_where_their_values_are_written() {
        let (text, layout) = RecordText::from_pieces(&[
            "\"v=DMARC1; p = quarantine ; sp=reject; np=none; psd=n; t=y\"",
            "\"; pct=50; adkim=s; aspf=r; p=reject\"",
        ]);
        let (record, _) = parse(&text);
        let at = |span: Span| String::from_utf8_lossy(&layout[span.range()]).into_owned();
        let read = |located: Option<Located<Policy>>| located.map(|l| (l.value, at(l.span)));
        assert_eq!(
            read(record.policy()),
            Some((Policy::Quarantine, "quarantine".to_owned()))
        );
        assert_eq!(
            read(record.subdomain_policy()),
            Some((Policy::Reject, "reject".to_owned()))
        );
        assert_eq!(
            read(record.nonexistent_policy()),
            Some((Policy::None, "none".to_owned()))
        );
        let psd = record.psd().map(|l| (l.value, at(l.span)));
        assert_eq!(psd, Some((PublicSuffixDomain::No, "n".to_owned())));
        let testing = record.testing().map(|l| (l.value, at(l.span)));
        assert_eq!(testing, Some((true, "y".to_owned())));
        let percent = record.percent().map(|l| (l.value, at(l.span)));
        assert_eq!(percent, Some((50, "50".to_owned())));
        let dkim = record.dkim_alignment().map(|l| (l.value, at(l.span)));
        assert_eq!(dkim, Some((Alignment::Strict, "s".to_owned())));
        let spf = record.spf_alignment().map(|l| (l.value, at(l.span)));
        assert_eq!(spf, Some((Alignment::Relaxed, "r".to_owned())));
        let values = DmarcValues {
            policy: Some(Policy::Quarantine),
            subdomain_policy: Some(Policy::Reject),
            nonexistent_policy: Some(Policy::None),
            psd: Some(PublicSuffixDomain::No),
            testing: Some(true),
            percent: Some(50),
            dkim_alignment: Some(Alignment::Strict),
            spf_alignment: Some(Alignment::Relaxed),
        };
        assert_eq!(record.values(), values);
        with("v=DMARC1", |record| {
            assert!(record.policy().is_none() && record.testing().is_none());
            assert_eq!(record.values(), DmarcValues::default());
        });
    }

    #[test]
    fn valid_records() {
        for record in [
            "v=DMARC1; p=reject",
            "v=DMARC1;p=none;",
            "v=DMARC1 ; p = quarantine ; sp=reject; np=reject; psd=n; t=n",
            "v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:e@example.net; ruf=mailto:f@example.com",
            "v=DMARC1; p=reject; adkim=s; aspf=r; fo=1:d:s; rf=afrf; ri=86400; pct=100",
            "v=DMARC1; p=Reject",
        ] {
            check(record, &[]);
        }
    }

    #[test]
    fn version() {
        check(
            "v=dmarc1; p=reject",
            &[(K::Version(VersionError::WrongValue), "v=dmarc1")],
        );
        check(
            "v=DMARC2; p=reject",
            &[(K::Version(VersionError::WrongValue), "v=DMARC2")],
        );
        check(
            "p=reject; v=DMARC1",
            &[(K::Version(VersionError::NotFirst), "v=DMARC1")],
        );
        check(
            "p=reject",
            &[(K::Version(VersionError::Missing), "p=reject")],
        );
        check(
            " v=DMARC1; p=reject",
            &[(K::Version(VersionError::LeadingWhitespace), " ")],
        );
        check(
            "v=DMARC1, p=reject, adkim=relaxed",
            &[(K::BadSeparator, "DMARC1, p=reject, adkim=relaxed")],
        );
        check("", &[(K::Version(VersionError::Missing), "")]);
        check("v=DMARC1 p=reject", &[(K::BadSeparator, "DMARC1 p=reject")]);
    }

    #[test]
    fn values() {
        check(
            "v=DMARC1; p=rejct",
            &[(K::InvalidValue { tag: "p" }, "rejct")],
        );
        check(
            "v=DMARC1; p=reject; sp=no",
            &[(K::InvalidValue { tag: "sp" }, "no")],
        );
        check(
            "v=DMARC1; p=reject; adkim=relaxed",
            &[(K::InvalidValue { tag: "adkim" }, "relaxed")],
        );
        check(
            "v=DMARC1; p=reject; pct=101",
            &[(K::InvalidValue { tag: "pct" }, "101")],
        );
        check(
            "v=DMARC1; p=reject; psd=x",
            &[(K::InvalidValue { tag: "psd" }, "x")],
        );
        check(
            "v=DMARC1; p=reject; t=yes",
            &[(K::InvalidValue { tag: "t" }, "yes")],
        );
        check(
            "v=DMARC1; p=reject; fo=2",
            &[(K::InvalidValue { tag: "fo" }, "2")],
        );
        check(
            "v=DMARC1; p=reject; fo=0:1",
            &[(K::ExclusiveFailureOptions, "0:1")],
        );
        check(
            "v=DMARC1; p=reject; ri=x",
            &[(K::InvalidValue { tag: "ri" }, "x")],
        );
        check(
            "v=DMARC1; p=reject; rf=xml",
            &[(K::InvalidValue { tag: "rf" }, "xml")],
        );
        check(
            "v=DMARC1; rua=mailto:d@example.com",
            &[(K::PolicyMissing, "v=DMARC1")],
        );
    }

    #[test]
    fn tags() {
        check(
            "v=DMARC1; p=reject; rue=mailto:d@example.com",
            &[(
                K::UnknownTag {
                    suggestion: Some("rua"),
                },
                "rue",
            )],
        );
        let first = Span::new(zonelint_zone::SourceId(0), 11, 19);
        check(
            "v=DMARC1; p=reject; p=none",
            &[(
                K::TagList(TagListProblemKind::Duplicate { first }),
                "p=none",
            )],
        );
        check(
            "v=DMARC1;; p=reject",
            &[(K::TagList(TagListProblemKind::EmptyTag), ";")],
        );
    }

    #[test]
    fn report_uris() {
        check(
            "v=DMARC1; p=reject; rua=dmarc@example.com",
            &[(K::Uri(UriError::NoScheme), "dmarc@example.com")],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:d@example.com!10m",
            &[(K::SizeSuffix, "!10m")],
        );
        assert_eq!(
            with(
                "v=DMARC1; p=reject; rua=mailto:a@x.example, mailto:b@y.example",
                |r| r.rua.len()
            ),
            2
        );
    }

    #[test]
    fn effective_policies() {
        let policies = |record: &str| {
            with(record, |r| {
                (
                    r.effective_policy(),
                    r.effective_subdomain_policy(),
                    r.effective_nonexistent_policy(),
                )
            })
        };
        use Policy::*;
        assert_eq!(
            policies("v=DMARC1; p=reject"),
            (Some(Reject), Some(Reject), Some(Reject))
        );
        assert_eq!(
            policies("v=DMARC1; p=reject; t=y"),
            (Some(Quarantine), Some(Quarantine), Some(Quarantine))
        );
        assert_eq!(
            policies("v=DMARC1; p=quarantine; t=y; sp=reject"),
            (Some(None), Some(Quarantine), Some(Quarantine))
        );
        assert_eq!(
            policies("v=DMARC1; p=reject; sp=none; np=quarantine"),
            (Some(Reject), Some(None), Some(Quarantine))
        );
        assert_eq!(
            policies("v=DMARC1; rua=mailto:a@x.example"),
            (Some(None), Some(None), Some(None))
        );
        assert_eq!(
            policies("v=DMARC1; p=bogus; rua=mailto:a@x.example"),
            (Some(None), Some(None), Some(None))
        );
        assert_eq!(
            policies("v=DMARC1; p=bogus"),
            (Option::None, Option::None, Option::None)
        );
    }

    #[test]
    fn spans_across_strings_and_escapes() {
        let (text, layout) = RecordText::from_pieces(&["\"v=DMARC1\\059 p=rej\"", "\"ct\""]);
        let (_, problems) = parse(&text);
        assert_eq!(problems.len(), 1);
        assert_eq!(&layout[problems[0].span.range()], b"rej\" \"ct");
    }

    #[test]
    fn renders() {
        assert_eq!(
            with("v=DMARC1 ;p = reject;rua=mailto:a@x.example", |r| r
                .to_string()),
            "v=DMARC1; p=reject; rua=mailto:a@x.example"
        );
    }
}
