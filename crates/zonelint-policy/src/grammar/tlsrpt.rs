//! TLS-RPT records (RFC 8460 §3): `_smtp._tls.<domain>` TXT
//! `v=TLSRPTv1; rua=<mailto: or https: URI>[,…]`, with optional extension fields.
//!
//! ```text
//! tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
//! tlsrpt-field  = tlsrpt-rua / tlsrpt-extension
//! ```
//!
//! A field may repeat, so several `rua` fields are conformant; their URIs are collected.

use std::fmt;

use super::tag_list::{self, NameSyntax, Tag, TagListProblemKind};
use super::uri::{self, Uri, UriError, UriRules};
use super::{Problem, RecordText};

/// What is wrong in a TLS-RPT record (all map to MTA004).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsRptProblemKind {
    /// A tag-list error.
    TagList(TagListProblemKind),
    /// The record does not start with exactly `v=TLSRPTv1`.
    Version,
    /// No `rua=`.
    RuaMissing,
    /// A `rua` URI that is not a usable `mailto:` or `https:` URI.
    Uri(UriError),
    /// Whitespace around `=`, which the ABNF does not allow.
    SpacedEquals,
}

impl TlsRptProblemKind {
    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        "MTA004"
    }
}

/// A problem in a TLS-RPT record.
pub type TlsRptProblem = Problem<TlsRptProblemKind>;

/// A parsed TLS-RPT record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsRptRecord<'a> {
    /// Whether it starts with exactly `v=TLSRPTv1`.
    pub valid_version: bool,
    /// Every field, in order.
    pub tags: Vec<Tag<'a>>,
    /// The `rua` URIs that could be read.
    pub rua: Vec<Uri<'a>>,
}

/// Whether a TXT record is a TLS-RPT candidate (starts with `v=TLSRPTv1`).
#[must_use]
pub fn looks_like_tlsrpt(text: &[u8]) -> bool {
    text.starts_with(b"v=TLSRPTv1")
}

/// Parses one TLS-RPT record.
#[must_use]
pub fn parse(text: &RecordText) -> (TlsRptRecord<'_>, Vec<TlsRptProblem>) {
    let (list, tag_problems) = tag_list::parse(text, 0..text.len(), NameSyntax::Extension);
    let mut problems: Vec<TlsRptProblem> = tag_problems
        .into_iter()
        .map(|p| Problem::new(TlsRptProblemKind::TagList(p.kind), p.span))
        .collect();
    let mut record = TlsRptRecord {
        tags: list.tags,
        ..TlsRptRecord::default()
    };
    record.valid_version = text.as_bytes().starts_with(b"v=TLSRPTv1")
        && record
            .tags
            .first()
            .is_some_and(|t| t.name() == b"v" && t.value() == b"TLSRPTv1");
    if !record.valid_version {
        let span = record
            .tags
            .first()
            .map_or_else(|| text.span(0..text.len()), |t| t.span());
        problems.push(Problem::new(TlsRptProblemKind::Version, span));
    }
    let mut seen_rua = false;
    let mut rua = Vec::new();
    for tag in record.tags.clone().iter().skip(1) {
        if tag.spaced_equals {
            problems.push(Problem::new(TlsRptProblemKind::SpacedEquals, tag.span()));
        }
        if tag.name() == b"rua" {
            seen_rua = true;
            let rules = UriRules {
                mailto: true,
                https: true,
                other: false,
                size_suffix: false,
            };
            let (uris, uri_problems) = uri::parse_list(text, tag.value_range.range(), rules);
            rua.extend(uris);
            problems.extend(
                uri_problems
                    .into_iter()
                    .map(|(e, s)| Problem::new(TlsRptProblemKind::Uri(e), s)),
            );
        }
    }
    record.rua = rua;
    if record.valid_version && !seen_rua {
        let span = text.span(text.len()..text.len());
        problems.push(Problem::new(TlsRptProblemKind::RuaMissing, span));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    (record, problems)
}

/// Renders the record canonically.
impl fmt::Display for TlsRptRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_tags(f, &self.tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TlsRptProblemKind as K;

    fn check(record: &str, expected: &[(TlsRptProblemKind, &str)]) {
        crate::grammar::check_problems(record, |t| parse(t).1, expected);
    }

    #[test]
    fn records() {
        check("v=TLSRPTv1; rua=mailto:tls@example.com", &[]);
        check(
            "v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.net/v1",
            &[],
        );
        check("v=TLSRPTv1;", &[(K::RuaMissing, "")]);
        check(
            "v=TLSRPTv1; rua=tls@example.com",
            &[(K::Uri(UriError::NoScheme), "tls@example.com")],
        );
        check(
            "v=TLSRPTv1; rua=http://r.example",
            &[(K::Uri(UriError::SchemeNotAllowed), "http:")],
        );
        check(
            "v=tlsrptv1; rua=mailto:a@b.example",
            &[(K::Version, "v=tlsrptv1")],
        );
    }
}
