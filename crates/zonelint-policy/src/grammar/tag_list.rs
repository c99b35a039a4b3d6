//! Tag-lists (RFC 6376 §3.2): the `name=value; name=value` syntax shared by DKIM key
//! records, DMARC, MTA-STS, TLS-RPT and BIMI.
//!
//! ```text
//! tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  = ALPHA *ALNUMPUNC          ; ALNUMPUNC = ALPHA / DIGIT / "_"
//! tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
//! tval      = 1*VALCHAR                 ; %x21-3A / %x3C-7E
//! ```
//!
//! The reader is lenient where receivers are: it splits at every `;`, keeps reading
//! after a bad tag-spec, and reports each problem at its bytes. The record grammars then
//! check names, values and order.

use std::ops::Range;

use zonelint_zone::Span;

use super::{Problem, RecordText, TextRange};

/// One `name=value` tag-spec.
///
/// A tag keeps its ranges in the record's joined text and reads its name, value and
/// spans from the text when asked: tags are kept for a whole lint (hundreds of thousands
/// of them in a large zone), and the slices and spans beside the ranges more than
/// doubled each one.
#[derive(Clone, Copy)]
pub struct Tag<'a> {
    /// The record text the ranges are in.
    text: &'a RecordText,
    /// The name's range in the joined text.
    pub name_range: TextRange,
    /// The value's range in the joined text, surrounding whitespace excluded (inner
    /// whitespace kept).
    pub value_range: TextRange,
    /// The whole tag-spec's range in the joined text, surrounding whitespace excluded.
    pub range: TextRange,
    /// Where the `=` is in the joined text (an empty value's span is just after it).
    equals: u16,
    /// Whether whitespace surrounds the `=` (allowed by RFC 6376, not by RFC 8460/8461).
    pub spaced_equals: bool,
}

impl<'a> Tag<'a> {
    /// The name as written.
    #[must_use]
    pub fn name(&self) -> &'a [u8] {
        self.text.bytes_of(self.name_range)
    }

    /// The value, surrounding whitespace excluded (inner whitespace kept).
    #[must_use]
    pub fn value(&self) -> &'a [u8] {
        self.text.bytes_of(self.value_range)
    }

    /// Where the name is written.
    #[must_use]
    pub fn name_span(&self) -> Span {
        self.text.span_of(self.name_range)
    }

    /// Where the value is written (an empty span just after `=` when the value is empty).
    #[must_use]
    pub fn value_span(&self) -> Span {
        if self.value_range.range().is_empty() {
            let after = self.equals as usize + 1;
            self.text.span(after..after)
        } else {
            self.text.span_of(self.value_range)
        }
    }

    /// The whole tag-spec, surrounding whitespace excluded.
    #[must_use]
    pub fn span(&self) -> Span {
        self.text.span_of(self.range)
    }

    /// Whether the name equals `name`, ignoring ASCII case.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name.as_bytes())
    }

    /// The name as text (lossy for invalid octets).
    #[must_use]
    pub fn name_text(&self) -> String {
        String::from_utf8_lossy(self.name()).into_owned()
    }

    /// The value as text (lossy for invalid octets).
    #[must_use]
    pub fn value_text(&self) -> String {
        String::from_utf8_lossy(self.value()).into_owned()
    }
}

read_as!(Tag {
    name: [name()],
    name_range: [name_range],
    name_span: [name_span()],
    value: [value()],
    value_range: [value_range],
    value_span: [value_span()],
    spaced_equals: [spaced_equals],
    range: [range],
    span: [span()],
});

/// What is wrong with a tag-list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagListProblemKind {
    /// An empty tag-spec: `;;`, or a `;` at the start.
    EmptyTag,
    /// A tag-spec with no `=`.
    MissingEquals,
    /// A tag name with characters outside its grammar, or empty (`=x`).
    InvalidName,
    /// A control or non-ASCII octet in a value.
    InvalidValueChar,
    /// A tag that appeared before: RFC 6376 §3.2 makes the whole list invalid. Not
    /// reported for [`NameSyntax::Extension`] lists, whose fields may repeat.
    Duplicate {
        /// Where the first one is written.
        first: Span,
    },
}

/// A problem in a tag-list.
pub type TagListProblem = Problem<TagListProblemKind>;

/// Which names a tag-list accepts, and whether their case matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSyntax {
    /// RFC 6376: `ALPHA *(ALPHA / DIGIT / "_")`, case-sensitive (§3.2: "Tags MUST be
    /// interpreted in a case-sensitive manner"), so `p` and `P` are different tags.
    Dkim,
    /// The same characters, case-insensitive as ABNF literals are (RFC 7489 §6.4; BIMI).
    Dmarc,
    /// RFC 8460/8461 extension names: `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`,
    /// case-sensitive; fields may repeat.
    Extension,
}

/// A parsed tag-list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagList<'a> {
    /// The tags, in order (duplicates included).
    pub tags: Vec<Tag<'a>>,
    /// Whether the list ends with a `;`.
    pub trailing_separator: bool,
}

impl<'a> TagList<'a> {
    /// The first tag named `name` (ASCII case ignored; check [`Tag::name`] where case
    /// matters).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Tag<'a>> {
        self.tags.iter().find(|t| t.is(name))
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether a tag value may hold `byte`: visible ASCII or whitespace.
fn valid_value_byte(byte: u8) -> bool {
    is_space(byte) || (0x21..=0x7e).contains(&byte)
}

/// Reads the tag-list in `range` of the record text.
#[must_use]
pub fn parse(
    text: &RecordText,
    range: Range<usize>,
    names: NameSyntax,
) -> (TagList<'_>, Vec<TagListProblem>) {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut list = TagList::default();
    let mut problems = Vec::new();
    let mut at = range.start.min(end);
    let mut segments = Vec::new();
    loop {
        let stop = bytes
            .get(at..end)
            .and_then(|rest| memchr::memchr(b';', rest))
            .map_or(end, |p| p + at);
        // Each segment trimmed of its spaces (an empty one ends where it ended).
        segments.push((trim(bytes, at..stop), stop < end));
        if stop >= end {
            break;
        }
        at = stop + 1;
    }
    // Room for a tag per non-empty segment, made once: the list is kept for the whole
    // lint, and grown by doubling and shrunk to fit it was copied twice, into fresh
    // memory (21 MiB of page faults for the 1M-record bench zone's DMARC records).
    list.tags.reserve_exact(
        segments
            .iter()
            .filter(|(trimmed, _)| !trimmed.is_empty())
            .count(),
    );
    let last_index = segments.len().saturating_sub(1);
    for (index, (trimmed, has_separator)) in segments.into_iter().enumerate() {
        if trimmed.is_empty() {
            if index == last_index && index > 0 {
                list.trailing_separator = true;
            } else if has_separator || index > 0 {
                // `;;` or a leading `;`: point at the separator that ends the empty spec.
                let at = trimmed.end;
                problems.push(Problem::new(
                    TagListProblemKind::EmptyTag,
                    text.span(at..(at + 1).min(end)),
                ));
            }
            continue;
        }
        if let Some(tag) = tag_spec(text, trimmed, names, &mut problems) {
            list.tags.push(tag);
        }
    }
    // Duplicates (RFC 6376 §3.2, adopted by DMARC): reported at the later one. The
    // RFC 8460/8461 grammars allow a field to repeat (`1*(field-delim field)`), so
    // their records decide for themselves what a repeat means.
    let check_duplicates = names != NameSyntax::Extension;
    for (index, tag) in list.tags.iter().enumerate().filter(|_| check_duplicates) {
        if let Some(first) = list
            .tags
            .iter()
            .take(index)
            .find(|earlier| same_name(earlier.name(), tag.name(), names))
        {
            problems.push(Problem::new(
                TagListProblemKind::Duplicate {
                    first: first.span(),
                },
                tag.span(),
            ));
        }
    }
    (list, problems)
}

/// Where a join between character-strings falls in a tag-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagJoinPlacement {
    /// Between tags, or in whitespace around a name or value: harmless.
    AtSeparator,
    /// Inside a tag name (`"v=DMARC1; r" "ua=…"`): legal once joined, but fragile.
    InsideName {
        /// The index of the tag in [`TagList::tags`].
        tag: usize,
    },
    /// Inside a value, such as a DKIM key split in its base64: harmless.
    InsideValue {
        /// The index of the tag.
        tag: usize,
    },
}

/// Where each join between the record's character-strings falls in `list`.
#[must_use]
pub fn classify_joins(
    text: &RecordText,
    list: &TagList<'_>,
) -> Vec<(super::JoinPoint, TagJoinPlacement)> {
    text.joins()
        .into_iter()
        .map(|join| {
            let at = join.offset;
            let placement = list
                .tags
                .iter()
                .enumerate()
                .find_map(|(index, tag)| {
                    if tag.name_range.strictly_contains(at) {
                        Some(TagJoinPlacement::InsideName { tag: index })
                    } else if tag.value_range.strictly_contains(at) {
                        Some(TagJoinPlacement::InsideValue { tag: index })
                    } else {
                        None
                    }
                })
                .unwrap_or(TagJoinPlacement::AtSeparator);
            (join, placement)
        })
        .collect()
}

fn same_name(a: &[u8], b: &[u8], syntax: NameSyntax) -> bool {
    match syntax {
        NameSyntax::Dmarc => a.eq_ignore_ascii_case(b),
        NameSyntax::Dkim | NameSyntax::Extension => a == b,
    }
}

fn trim(bytes: &[u8], range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    let mut end = range.end;
    while start < end && bytes.get(start).copied().is_some_and(is_space) {
        start += 1;
    }
    while end > start && bytes.get(end - 1).copied().is_some_and(is_space) {
        end -= 1;
    }
    start..end
}

fn tag_spec<'a>(
    text: &'a RecordText,
    range: Range<usize>,
    names: NameSyntax,
    problems: &mut Vec<TagListProblem>,
) -> Option<Tag<'a>> {
    let bytes = text.as_bytes();
    let Some(equals) = bytes
        .get(range.clone())
        .and_then(|spec| memchr::memchr(b'=', spec))
        .map(|p| p + range.start)
    else {
        problems.push(Problem::new(
            TagListProblemKind::MissingEquals,
            text.span(range),
        ));
        return None;
    };
    let name_range = trim(bytes, range.start..equals);
    let value_range = trim(bytes, equals + 1..range.end);
    let name = bytes.get(name_range.clone()).unwrap_or_default();
    let value = bytes.get(value_range.clone()).unwrap_or_default();
    if !valid_name(name, names) {
        let span = if name.is_empty() {
            text.span(equals..equals + 1)
        } else {
            text.span(name_range.clone())
        };
        problems.push(Problem::new(TagListProblemKind::InvalidName, span));
    }
    // Nearly every value is all valid: that is checked over every byte at once (a fold
    // the compiler turns into vector code; a DKIM key is hundreds of bytes), and only a
    // value that fails is walked to find its bad runs.
    let mut at = if value.iter().fold(true, |all, &b| all & valid_value_byte(b)) {
        value_range.end
    } else {
        value_range.start
    };
    while at < value_range.end {
        let byte = bytes.get(at).copied().unwrap_or(b' ');
        if !valid_value_byte(byte) {
            let run = bytes
                .get(at..value_range.end)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| !valid_value_byte(b))
                .count();
            problems.push(Problem::new(
                TagListProblemKind::InvalidValueChar,
                text.span(at..at + run),
            ));
            at += run;
        } else {
            at += 1;
        }
    }
    let spaced_equals =
        name_range.end != equals || (value_range.start != equals + 1 && !value.is_empty());
    Some(Tag {
        text,
        name_range: name_range.into(),
        value_range: value_range.into(),
        range: range.into(),
        equals: u16::try_from(equals).unwrap_or(u16::MAX),
        spaced_equals,
    })
}

fn valid_name(name: &[u8], syntax: NameSyntax) -> bool {
    let Some((&first, rest)) = name.split_first() else {
        return false;
    };
    match syntax {
        NameSyntax::Dkim | NameSyntax::Dmarc => {
            first.is_ascii_alphabetic()
                && rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
        }
        NameSyntax::Extension => {
            first.is_ascii_alphanumeric()
                && rest.len() <= 31
                && rest
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        record: &str,
        expected_tags: &[(&str, &str)],
        expected_problems: &[(TagListProblemKind, &str)],
    ) {
        let quoted = format!("\"{record}\"");
        let (text, layout) = RecordText::from_pieces(&[&quoted]);
        let (list, problems) = parse(&text, 0..text.len(), NameSyntax::Dkim);
        let tags: Vec<(String, String)> = list
            .tags
            .iter()
            .map(|t| (t.name_text(), t.value_text()))
            .collect();
        let expected: Vec<(String, String)> = expected_tags
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(tags, expected, "{record}");
        let got: Vec<(TagListProblemKind, String)> = problems
            .into_iter()
            .map(|p| {
                (
                    p.kind,
                    String::from_utf8_lossy(&layout[p.span.range()]).into_owned(),
                )
            })
            .collect();
        let expected: Vec<(TagListProblemKind, String)> = expected_problems
            .iter()
            .map(|(k, s)| (k.clone(), (*s).to_owned()))
            .collect();
        assert_eq!(got, expected, "{record}");
    }

    #[test]
    fn tags_and_whitespace() {
        check(
            "v=DKIM1; k=rsa; p=AB CD",
            &[("v", "DKIM1"), ("k", "rsa"), ("p", "AB CD")],
            &[],
        );
        check(" v = DKIM1 ;\tp= ;", &[("v", "DKIM1"), ("p", "")], &[]);
        check("a=1;", &[("a", "1")], &[]);
    }

    #[test]
    fn problems_point_at_their_bytes() {
        check(
            "a=1;;b=2",
            &[("a", "1"), ("b", "2")],
            &[(TagListProblemKind::EmptyTag, ";")],
        );
        check(
            ";a=1",
            &[("a", "1")],
            &[(TagListProblemKind::EmptyTag, ";")],
        );
        check(
            "a=1; junk",
            &[("a", "1")],
            &[(TagListProblemKind::MissingEquals, "junk")],
        );
        check(
            "1a=1",
            &[("1a", "1")],
            &[(TagListProblemKind::InvalidName, "1a")],
        );
        check(
            "=1",
            &[("", "1")],
            &[(TagListProblemKind::InvalidName, "=")],
        );
        check(
            "a=x\u{7f}y",
            &[("a", "x\u{7f}y")],
            &[(TagListProblemKind::InvalidValueChar, "\u{7f}")],
        );
        // Each run of bad bytes once, in a long value (checked at once when all is well).
        let key = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".repeat(8);
        check(&format!("p={key}"), &[("p", key.as_str())], &[]);
        let bad = format!("{key}\u{7f}\u{7f}{key}\u{1}{key}");
        check(
            &format!("p={bad}; t=y"),
            &[("p", bad.as_str()), ("t", "y")],
            &[
                (TagListProblemKind::InvalidValueChar, "\u{7f}\u{7f}"),
                (TagListProblemKind::InvalidValueChar, "\u{1}"),
            ],
        );
        let first = Span::new(zonelint_zone::SourceId(0), 1, 4);
        check(
            "a=1; a=2",
            &[("a", "1"), ("a", "2")],
            &[(TagListProblemKind::Duplicate { first }, "a=2")],
        );
        // DKIM names are case-sensitive; DMARC names are not.
        check("a=1; A=2", &[("a", "1"), ("A", "2")], &[]);
        let (text, _) = RecordText::from_pieces(&["\"a=1; A=2\""]);
        let (_, problems) = parse(&text, 0..text.len(), NameSyntax::Dmarc);
        assert_eq!(problems[0].kind, TagListProblemKind::Duplicate { first });
    }

    #[test]
    fn joins_are_placed() {
        let (text, _) =
            RecordText::from_pieces(&["\"v=DKIM1; p=AB\"", "\"CD; n=x\"", "\"; r\"", "\"x=1\""]);
        let (list, _) = parse(&text, 0..text.len(), NameSyntax::Dkim);
        let placements: Vec<TagJoinPlacement> = classify_joins(&text, &list)
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(
            placements,
            vec![
                TagJoinPlacement::InsideValue { tag: 1 },
                TagJoinPlacement::AtSeparator,
                TagJoinPlacement::InsideName { tag: 3 },
            ]
        );
    }

    #[test]
    fn spaced_equals_is_noted() {
        let (text, _) = RecordText::from_pieces(&["\"a = 1; b=2\""]);
        let (list, _) = parse(&text, 0..text.len(), NameSyntax::Extension);
        assert!(list.tags[0].spaced_equals);
        assert!(!list.tags[1].spaced_equals);
    }
}
