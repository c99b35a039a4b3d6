//! MTA-STS policy-discovery records (RFC 8461 §3.1): `_mta-sts.<domain>` TXT
//! `v=STSv1; id=<1–32 letters or digits>;`, with optional extension fields.
//!
//! ```text
//! sts-text-record = sts-version 1*(sts-sep sts-field) [sts-sep]
//! sts-field       = sts-id / sts-extension
//! sts-version     = %s"v=STSv1"
//! sts-sep         = *WSP %x3B *WSP
//! sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
//! sts-extension   = sts-ext-name "=" sts-ext-value
//! ```

use std::fmt;

use super::tag_list::{self, NameSyntax, Tag, TagListProblemKind};
use super::{Located, Problem, RecordText};

/// What is wrong in an MTA-STS record (all map to MTA001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MtaStsProblemKind {
    /// A tag-list error.
    TagList(TagListProblemKind),
    /// The record does not start with exactly `v=STSv1` (case-sensitive).
    Version,
    /// No `id=`.
    IdMissing,
    /// `id` is not 1–32 letters or digits.
    IdInvalid,
    /// A second `id` field: the grammar allows it (`1*(sts-sep sts-field)`), but which id
    /// a sender caches the policy under is not defined.
    DuplicateId {
        /// Where the first `id` field is written.
        first: zonelint_zone::Span,
    },
    /// Whitespace around `=`, which the ABNF does not allow.
    SpacedEquals,
    /// An extension value with characters the ABNF excludes (`=`), or empty.
    ExtensionValue,
}

impl MtaStsProblemKind {
    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        "MTA001"
    }
}

/// A problem in an MTA-STS record.
pub type MtaStsProblem = Problem<MtaStsProblemKind>;

/// A parsed MTA-STS record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MtaStsRecord<'a> {
    /// Whether it starts with exactly `v=STSv1` (otherwise senders discard it).
    pub valid_version: bool,
    /// Every field, in order.
    pub tags: Vec<Tag<'a>>,
    /// `id=`, if present and valid.
    pub id: Option<Located<String>>,
}

/// Whether a TXT record is an MTA-STS candidate (starts with `v=STSv1`).
#[must_use]
pub fn looks_like_mta_sts(text: &[u8]) -> bool {
    text.starts_with(b"v=STSv1")
}

/// Parses one MTA-STS record.
#[must_use]
pub fn parse(text: &RecordText) -> (MtaStsRecord<'_>, Vec<MtaStsProblem>) {
    let (list, tag_problems) = tag_list::parse(text, 0..text.len(), NameSyntax::Extension);
    let mut problems: Vec<MtaStsProblem> = tag_problems
        .into_iter()
        .map(|p| Problem::new(MtaStsProblemKind::TagList(p.kind), p.span))
        .collect();
    let mut record = MtaStsRecord {
        tags: list.tags,
        ..MtaStsRecord::default()
    };
    record.valid_version = text.as_bytes().starts_with(b"v=STSv1")
        && record
            .tags
            .first()
            .is_some_and(|t| t.name() == b"v" && t.value() == b"STSv1");
    if !record.valid_version {
        let span = record
            .tags
            .first()
            .map_or_else(|| text.span(0..text.len()), |t| t.span());
        problems.push(Problem::new(MtaStsProblemKind::Version, span));
    }
    let mut first_id: Option<zonelint_zone::Span> = None;
    for tag in record.tags.iter().skip(1) {
        if tag.spaced_equals {
            problems.push(Problem::new(MtaStsProblemKind::SpacedEquals, tag.span()));
        }
        if tag.name() == b"id" {
            if let Some(first) = first_id {
                problems.push(Problem::new(
                    MtaStsProblemKind::DuplicateId { first },
                    tag.span(),
                ));
                continue;
            }
            first_id = Some(tag.span());
            let valid = (1..=32).contains(&tag.value().len())
                && tag.value().iter().all(u8::is_ascii_alphanumeric);
            if valid {
                record.id = Some(Located::new(tag.value_text(), tag.value_span()));
            } else {
                problems.push(Problem::new(MtaStsProblemKind::IdInvalid, tag.value_span()));
            }
        } else if tag.value().is_empty() || tag.value().contains(&b'=') {
            problems.push(Problem::new(
                MtaStsProblemKind::ExtensionValue,
                tag.value_span(),
            ));
        }
    }
    let has_id = record.tags.iter().any(|t| t.name() == b"id");
    if record.valid_version && !has_id {
        let span = text.span(text.len()..text.len());
        problems.push(Problem::new(MtaStsProblemKind::IdMissing, span));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    (record, problems)
}

/// Renders the record canonically: `v=STSv1; id=…` and the other fields.
impl fmt::Display for MtaStsRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_tags(f, &self.tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MtaStsProblemKind as K;

    fn check(record: &str, expected: &[(MtaStsProblemKind, &str)]) {
        crate::grammar::check_problems(record, |t| parse(t).1, expected);
    }

    #[test]
    fn records() {
        check("v=STSv1; id=20240101T000000;", &[]);
        check("v=STSv1;id=abc; ext-1.x=value", &[]);
        check("v=STSv1; id=2024-01-01", &[(K::IdInvalid, "2024-01-01")]);
        check("v=STSv1; id=", &[(K::IdInvalid, "")]);
        check(
            &format!("v=STSv1; id={}", "a".repeat(33)),
            &[(K::IdInvalid, "a".repeat(33).as_str())],
        );
        check("v=STSv1;", &[(K::IdMissing, "")]);
        check("v=stsv1; id=1", &[(K::Version, "v=stsv1")]);
        check("id=1; v=STSv1", &[(K::Version, "id=1")]);
        check("v=STSv1; id = 1", &[(K::SpacedEquals, "id = 1")]);
        let first = zonelint_zone::Span::new(zonelint_zone::SourceId(0), 10, 14);
        check("v=STSv1; id=1; id=2", &[(K::DuplicateId { first }, "id=2")]);
    }
}
