//! BIMI assertion records (draft-brand-indicators-for-message-identification):
//! `default._bimi.<domain>` TXT `v=BIMI1; l=<https …svg>; a=<https …pem>`.
//!
//! An empty `l=` (with no `a=`) declines to publish an indicator. `avp=` (avatar
//! preference, `brand` or `personal`) is known; other tags are reported.

use std::fmt;

use super::tag_list::{self, NameSyntax, Tag, TagListProblemKind};
use super::uri::{self, Uri, UriError, UriRules};
use super::{nearest, Problem, RecordText};

/// What is wrong in a BIMI record (all map to BIMI002).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BimiProblemKind {
    /// A tag-list error.
    TagList(TagListProblemKind),
    /// Not starting with exactly `v=BIMI1`.
    Version,
    /// No `l=` tag.
    LocationMissing,
    /// An `l=` or `a=` URI that is not a usable `https:` URI.
    Uri(UriError),
    /// `l=` does not point at an `.svg` file.
    NotSvg,
    /// `a=` does not point at a `.pem` file.
    NotPem,
    /// `avp=` other than `brand` or `personal`.
    InvalidAvatarPreference,
    /// An unknown tag.
    UnknownTag {
        /// The nearest known tag, if plausibly a typo.
        suggestion: Option<&'static str>,
    },
}

impl BimiProblemKind {
    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        "BIMI002"
    }
}

/// A problem in a BIMI record.
pub type BimiProblem = Problem<BimiProblemKind>;

/// A parsed BIMI record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BimiRecord<'a> {
    /// Whether it starts with exactly `v=BIMI1`.
    pub valid_version: bool,
    /// Every tag, in order.
    pub tags: Vec<Tag<'a>>,
    /// The `l=` indicator location, if usable.
    pub location: Option<Uri<'a>>,
    /// The `a=` evidence (VMC) location, if usable.
    pub authority: Option<Uri<'a>>,
    /// Whether `l=` is present and empty: the domain declines BIMI.
    pub declined: bool,
}

const KNOWN_TAGS: [&str; 4] = ["v", "l", "a", "avp"];

/// Whether a TXT record is a BIMI candidate (starts with `v=BIMI1`).
#[must_use]
pub fn looks_like_bimi(text: &[u8]) -> bool {
    text.starts_with(b"v=BIMI1")
}

/// Parses one BIMI record.
#[must_use]
pub fn parse(text: &RecordText) -> (BimiRecord<'_>, Vec<BimiProblem>) {
    let (list, tag_problems) = tag_list::parse(text, 0..text.len(), NameSyntax::Dmarc);
    let mut problems: Vec<BimiProblem> = tag_problems
        .into_iter()
        .map(|p| Problem::new(BimiProblemKind::TagList(p.kind), p.span))
        .collect();
    let mut record = BimiRecord {
        tags: list.tags,
        ..BimiRecord::default()
    };
    record.valid_version = record
        .tags
        .first()
        .is_some_and(|t| t.name() == b"v" && t.value() == b"BIMI1");
    if !record.valid_version {
        let span = record
            .tags
            .first()
            .map_or_else(|| text.span(0..text.len()), |t| t.span());
        problems.push(Problem::new(BimiProblemKind::Version, span));
    }
    let rules = UriRules {
        mailto: false,
        https: true,
        other: false,
        size_suffix: false,
    };
    let mut has_location = false;
    for (index, tag) in record.tags.clone().iter().enumerate().skip(1) {
        if record
            .tags
            .iter()
            .take(index)
            .any(|t| t.is(&tag.name_text()))
        {
            continue;
        }
        let lower = tag.name().to_ascii_lowercase();
        match lower.as_slice() {
            b"l" | b"a" => {
                let is_location = lower == b"l";
                has_location |= is_location;
                if tag.value().is_empty() {
                    record.declined |= is_location;
                    continue;
                }
                let (uris, uri_problems) = uri::parse_list(text, tag.value_range.range(), rules);
                problems.extend(
                    uri_problems
                        .into_iter()
                        .map(|(e, s)| Problem::new(BimiProblemKind::Uri(e), s)),
                );
                let Some(first) = uris.into_iter().next() else {
                    continue;
                };
                let (suffix, kind) = if is_location {
                    (&b".svg"[..], BimiProblemKind::NotSvg)
                } else {
                    (&b".pem"[..], BimiProblemKind::NotPem)
                };
                let path = first
                    .text
                    .split(|&b| b == b'?' || b == b'#')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if !path.ends_with(suffix) {
                    problems.push(Problem::new(kind, first.span));
                }
                if is_location {
                    record.location = Some(first);
                } else {
                    record.authority = Some(first);
                }
            }
            b"avp" => {
                let value = tag.value().to_ascii_lowercase();
                if value != b"brand" && value != b"personal" {
                    problems.push(Problem::new(
                        BimiProblemKind::InvalidAvatarPreference,
                        tag.value_span(),
                    ));
                }
            }
            _ => {
                let suggestion = nearest(&tag.name_text(), &KNOWN_TAGS);
                problems.push(Problem::new(
                    BimiProblemKind::UnknownTag { suggestion },
                    tag.name_span(),
                ));
            }
        }
    }
    if record.valid_version && !has_location {
        let span = text.span(text.len()..text.len());
        problems.push(Problem::new(BimiProblemKind::LocationMissing, span));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    (record, problems)
}

/// Renders the record canonically.
impl fmt::Display for BimiRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_tags(f, &self.tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BimiProblemKind as K;

    fn check(record: &str, expected: &[(BimiProblemKind, &str)]) {
        crate::grammar::check_problems(record, |t| parse(t).1, expected);
    }

    #[test]
    fn records() {
        check(
            "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
            &[],
        );
        check("v=BIMI1; l=; a=;", &[]);
        check(
            "v=BIMI1; l=http://example.com/logo.svg",
            &[(K::Uri(UriError::SchemeNotAllowed), "http:")],
        );
        check(
            "v=BIMI1; l=https://example.com/logo.png",
            &[(K::NotSvg, "https://example.com/logo.png")],
        );
        check(
            "v=BIMI1; l=https://example.com/l.svg; a=https://example.com/vmc.crt",
            &[(K::NotPem, "https://example.com/vmc.crt")],
        );
        check(
            "v=BIMI1; a=https://example.com/vmc.pem",
            &[(K::LocationMissing, "")],
        );
        check("v=bimi1; l=", &[(K::Version, "v=bimi1")]);
        check(
            "v=BIMI1; l=; avp=brand; lx=1",
            &[(
                K::UnknownTag {
                    suggestion: Some("l"),
                },
                "lx",
            )],
        );
        check("v=BIMI1; l=; avp=x", &[(K::InvalidAvatarPreference, "x")]);
    }
}
