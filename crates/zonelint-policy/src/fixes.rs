//! Building fixes: byte edits that keep every other byte of the file as it was.

use crate::index::{NameFacts, ZoneIndex};
use crate::rules::text::text;
use std::fmt::Write as _;
use zonelint_zone::{Class, Edit, Name, RType, RecordRef, Span};

/// An edit that inserts a new record for `facts`'s name right after its last record (in
/// the file that holds it), as a blank-owner continuation line indented like that
/// record's line, so the new record lands beside the name's others and reads like them.
/// `rtype` and `rdata` are written as given (`"TXT"`, `"\"v=spf1 -all\""`).
///
/// `None` when no safe place exists: the last record comes from `$GENERATE`, or its line
/// cannot be found.
#[must_use]
pub fn insert_beside(
    zone: &ZoneIndex<'_>,
    facts: &NameFacts<'_>,
    rtype: &str,
    rdata: &str,
) -> Option<Edit> {
    let last = zone.records(facts).last()?;
    insert_after_record(zone, &last, rtype, rdata)
}

/// Where a new line goes after a record, in the file that holds it.
struct Placement<'t> {
    text: &'t [u8],
    source: zonelint_zone::SourceId,
    /// Where the record's (first) line starts.
    line_start: usize,
    /// Where the new line is inserted: after the line end that follows the record's entry.
    insert_at: usize,
    /// The line end the file uses there (LF, CRLF or a bare CR).
    line_break: &'static str,
    /// The record's entry ends the file with no line end after it.
    at_end_of_file: bool,
}

impl Placement<'_> {
    /// The edit that inserts `body` as a line of its own at this place.
    fn new_line(&self, body: &str) -> Edit {
        let mut content = String::with_capacity(body.len() + self.line_break.len());
        if self.at_end_of_file {
            content.push_str(self.line_break);
        }
        content.push_str(body);
        if !self.at_end_of_file {
            content.push_str(self.line_break);
        }
        let at = self.insert_at as u32;
        Edit {
            span: Span::new(self.source, at, at),
            content,
        }
    }
}

/// Where a line after `record` goes. `None` for a `$GENERATE`d record (a line after the
/// directive would not belong to the generated owner) or when its source is missing.
fn placement<'t>(zone: &'t ZoneIndex<'_>, record: &RecordRef<'_>) -> Option<Placement<'t>> {
    let span = record.span();
    let text = zone.zone.sources.get(span.source)?.text();
    let start = span.start as usize;
    if text.get(start) == Some(&b'$') {
        return None;
    }
    let line_start = memchr::memrchr2(b'\n', b'\r', text.get(..start)?).map_or(0, |i| i + 1);
    // After the record's whole entry: a `(` still open at its last token closes later,
    // possibly after comments and line breaks.
    let newline = memchr_newline(text, entry_end(text, start, span.end as usize));
    let (insert_at, line_break) = match newline {
        Some(at) if text.get(at) == Some(&b'\r') => (at + 1, "\r"),
        Some(at) => {
            let crlf = at > 0 && text.get(at - 1) == Some(&b'\r');
            (at + 1, if crlf { "\r\n" } else { "\n" })
        }
        None => (text.len(), "\n"),
    };
    Some(Placement {
        text,
        source: span.source,
        line_start,
        insert_at,
        line_break,
        at_end_of_file: newline.is_none(),
    })
}

/// As [`insert_beside`], after one given record.
#[must_use]
pub fn insert_after_record(
    zone: &ZoneIndex<'_>,
    record: &RecordRef<'_>,
    rtype: &str,
    rdata: &str,
) -> Option<Edit> {
    let place = placement(zone, record)?;
    let (text, line_start) = (place.text, place.line_start);
    // Indent like the record's line: its leading text up to the type, blanked out (a
    // tab kept, any other byte a space), or a tab when the type starts the line.
    let type_start = record.type_span().start as usize;
    let lead = text.get(line_start..type_start.max(line_start))?;
    // Keep the column alignment after the type, as in the record's line.
    let type_end = record.type_span().end as usize;
    let after_type = text.get(type_end..).unwrap_or_default();
    let gap_len = after_type
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(after_type.len());
    let gap = after_type.get(..gap_len).unwrap_or_default();
    let class = class_prefix(zone, record, rtype);
    // The line is built in one string: a large zone makes about 200k of these fixes.
    let mut line = String::with_capacity(
        lead.len().max(1) + class.map_or(0, |_| 8) + rtype.len() + gap.len().max(1) + rdata.len(),
    );
    if lead.is_empty() {
        line.push('\t');
    }
    line.extend(lead.iter().map(|&b| if b == b'\t' { '\t' } else { ' ' }));
    if let Some(class) = class {
        // Writing to a `String` cannot fail.
        let _ = write!(line, "{class} ");
    }
    line.push_str(rtype);
    push_gap(&mut line, record.rtype(), rtype, gap);
    line.push_str(rdata);
    Some(place.new_line(&line))
}

/// The class to write before the type of a line inserted after `record`: none when
/// `record` has the zone's class, and the zone's class (as ZONE026 reads it, else IN)
/// otherwise,
/// since a line without a class takes the class of the entry before it (RFC 1035 §5.1),
/// and a record inserted after a `CH` one would silently be `CH` too. Also none when
/// `rtype` already starts with a class.
fn class_prefix(zone: &ZoneIndex<'_>, record: &RecordRef<'_>, rtype: &str) -> Option<Class> {
    // The fix fuzz target found the two disagreeing: with an SOA below the apex first in
    // the file, ZONE026 took that one's class and the fixes the apex SOA's.
    let zone_class = zone.class();
    let written = rtype.split_ascii_whitespace().next().is_some_and(|first| {
        ["IN", "CH", "HS", "CS", "NONE", "ANY"]
            .iter()
            .any(|c| c.eq_ignore_ascii_case(first))
            || first
                .get(..5)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("CLASS"))
    });
    (record.class() != zone_class && !written).then_some(zone_class)
}

/// Writes the gap after a new line's type (`gap` is the one after `original`'s type on
/// the record's line): the same when it holds a tab; else spaces padded or trimmed so
/// that the data starts in the same column (the record's line taken to have one space
/// when it has none).
fn push_gap(line: &mut String, original: RType, new: &str, gap: &[u8]) {
    if gap.contains(&b'\t') {
        line.extend(gap.iter().map(|&b| char::from(b)));
        return;
    }
    let original_len = original
        .mnemonic()
        .map_or_else(|| original.to_string().len(), str::len);
    let gap_len = gap.len().max(1);
    let padding = (original_len + gap_len).saturating_sub(new.len()).max(1);
    line.extend(std::iter::repeat_n(' ', padding));
}

/// Where the entry holding the record `start..end` ends: `end`, or just past the `)` that
/// closes a parenthesis still open at `end` (quotes, escapes and comments skipped).
fn entry_end(text: &[u8], start: usize, end: usize) -> usize {
    // Without a `(`, a backslash or a `;` in the record (most records), the walk would
    // end at `end`: a search for the three spares it.
    if text
        .get(start..end)
        .is_some_and(|record| memchr::memchr3(b'(', b'\\', b';', record).is_none())
    {
        return end;
    }
    entry_end_walk(text, start, end)
}

/// [`entry_end`], octet by octet.
fn entry_end_walk(text: &[u8], start: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    let mut in_quote = false;
    while let Some(&b) = text.get(i) {
        if i >= end && depth == 0 {
            return i.max(end);
        }
        match b {
            b'\\' => i += 1,
            b'"' => in_quote = !in_quote,
            b';' if !in_quote => {
                // A comment runs to the LF, past a bare CR, as in BIND and the scanner.
                i = text
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                    .map_or(text.len(), |n| i + n);
                continue;
            }
            b'(' if !in_quote => depth += 1,
            b')' if !in_quote => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i >= end {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    end.max(start)
}

/// The next line end at or after `from`: an LF, or a bare CR (one not followed by an LF),
/// which BIND and dnspython also take as a line end.
fn memchr_newline(text: &[u8], from: usize) -> Option<usize> {
    // A bare CR ends a line, except inside a comment, which runs to the LF (as the scanner
    // and BIND read it): a record inserted after a comment's bare CR would be commented
    // out (found by the `fix` fuzz target, as a fix that never took effect).
    // The three octets that matter are found with `memchr3` (a large zone's fixes look for
    // 200k line ends).
    let rest = text.get(from..)?;
    let mut at = 0;
    loop {
        at += memchr::memchr3(b'\n', b'\r', b';', rest.get(at..)?)?;
        match rest.get(at) {
            Some(b'\r') if rest.get(at + 1) == Some(&b'\n') => at += 1,
            Some(b'\n' | b'\r') => return Some(from + at),
            // A comment: only an LF ends it.
            _ => return memchr::memchr(b'\n', rest.get(at..)?).map(|n| from + at + n),
        }
    }
}

/// An edit that inserts a new record with its own owner (`_dmarc`, written as given) on a
/// new line right after `record`, in the file that holds it. Unlike
/// [`insert_after_record`], whose continuation line belongs to the record's owner, this
/// line names its owner, so it can add a record at another name (a `_dmarc` record after
/// the apex's records). The owner is padded to the column where `record`'s line has its
/// type, when spaces align that line; `class`, `rtype` and `rdata` follow as given.
///
/// The caller chooses an owner that means the intended name where the line lands (an
/// absolute name always does). `None` when the record comes from `$GENERATE` or its line
/// cannot be found.
#[must_use]
pub fn insert_owned_after_record(
    zone: &ZoneIndex<'_>,
    record: &RecordRef<'_>,
    owner: &str,
    rtype: &str,
    rdata: &str,
) -> Option<Edit> {
    // A name that holds a CNAME holds nothing else (RFC 1034 §3.6.2, ZONE006): no record
    // is added there (found by the `fix` fuzz target: COV007 adding `_dmarc` TXT beside
    // a `_dmarc` CNAME).
    let holds_cname = Name::parse(owner.as_bytes(), Some(&zone.origin))
        .ok()
        .and_then(|name| zone.get(&name))
        .is_some_and(|facts| zone.has_type(facts, RType::CNAME));
    if holds_cname
        && !rtype
            .split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case("CNAME"))
    {
        return None;
    }
    let place = placement(zone, record)?;
    let (text, line_start) = (place.text, place.line_start);
    // Pad the owner to the record line's type column when that line aligns with spaces;
    // a tab-separated line gets a tab, anything else one space.
    let type_start = record.type_span().start as usize;
    let lead = text.get(line_start..type_start.max(line_start))?;
    let separator = if lead.contains(&b'\t') {
        "\t".to_owned()
    } else {
        " ".repeat(lead.len().saturating_sub(owner.len()).max(1))
    };
    let class = class_prefix(zone, record, rtype).map_or_else(String::new, |c| format!("{c} "));
    Some(place.new_line(&text![owner, separator, class, rtype, " ", rdata]))
}

#[cfg(test)]
mod tests {
    use super::{entry_end, entry_end_walk, memchr_newline};
    use crate::rules::test_support::APEX;
    use crate::{lint, LintInput, Selector, Settings};
    use zonelint_zone::{parse_str, Name, ParseOptions};

    /// Applies the COV001 fix to `snippet` (on the test apex) and returns the fixed text.
    fn fixed(snippet: &str) -> String {
        let text = format!("{APEX}{snippet}");
        let options = ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        };
        let (zone, _) = parse_str("t.zone", &text, &options);
        let settings = Settings {
            select: vec![Selector("COV001".to_owned())],
            ..Settings::default()
        };
        let found = lint(&[LintInput::new(&zone)], &settings);
        let mut bytes = text.into_bytes();
        let edit = found
            .first()
            .and_then(|d| d.fix.as_ref())
            .and_then(|f| f.edits.first())
            .expect("a fix");
        bytes.splice(edit.span.range(), edit.content.bytes());
        String::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn a_record_closed_by_a_parenthesis_after_a_comment_gets_its_new_record_after_the_parenthesis()
    {
        let out = fixed(
            "t TXT ( \"hello\" ; a comment\n  \"world\"\n  ) ; after\nnext TXT \"v=spf1 -all\"\n",
        );
        assert!(out.ends_with("t TXT ( \"hello\" ; a comment\n  \"world\"\n  ) ; after\n  TXT \"v=spf1 -all\"\nnext TXT \"v=spf1 -all\"\n"), "{out}");
        let (_, diagnostics) = parse_str(
            "t.zone",
            &out,
            &ParseOptions {
                origin: Name::from_ascii("example.com.").ok(),
                ..ParseOptions::default()
            },
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_record_inserted_after_one_of_another_class_names_the_zones_class() {
        // Found by the `fix` fuzz target: a line without a class takes the class of the
        // entry before it, so the new SPF record after a CH record was CH too (ZONE026).
        let out = fixed("events CH TXT \"hello\"\nshop A 192.0.2.7\n");
        assert!(out.contains("events CH TXT \"hello\"\n"), "{out}");
        assert!(
            out.contains("\tIN TXT \"v=spf1 -all\"\n") || out.contains(" IN TXT \"v=spf1 -all\"\n"),
            "{out}"
        );
        let (_, diagnostics) = parse_str(
            "t.zone",
            &out,
            &ParseOptions {
                origin: Name::from_ascii("example.com.").ok(),
                ..ParseOptions::default()
            },
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_bare_cr_inside_a_trailing_comment_does_not_end_the_line() {
        let out = fixed("shop A 192.0.2.7 ; note\rstill the comment\nwww A 192.0.2.8\nwww TXT \"v=spf1 -all\"\n");
        assert!(
            out.contains("; note\rstill the comment\n     TXT \"v=spf1 -all\"\n"),
            "{out:?}"
        );
    }

    #[test]
    fn the_new_line_is_indented_and_aligned_like_the_records_line() {
        // Tabs are kept where the record's line has them.
        assert!(fixed("www\tA\t192.0.2.1\n")
            .ends_with("www\tA\t192.0.2.1\n   \tTXT\t\"v=spf1 -all\"\n"));
        // Spaces are padded so that the data starts in the record's column...
        assert!(fixed("www  A       192.0.2.1\n")
            .ends_with("www  A       192.0.2.1\n     TXT     \"v=spf1 -all\"\n"));
        // ...and the type's name counts as the type reads, not as it is written.
        assert!(fixed("www TYPE1 \\# 4 c0000201\n")
            .ends_with("www TYPE1 \\# 4 c0000201\n    TXT \"v=spf1 -all\"\n"));
        // After a record of the zone's class, the new line names no class (after one of
        // another class it names the zone's, as a test above shows).
        assert!(fixed("www IN A 192.0.2.1\n")
            .ends_with("www IN A 192.0.2.1\n       TXT \"v=spf1 -all\"\n"));
    }

    #[test]
    fn the_new_record_keeps_crlf_and_a_missing_final_newline() {
        assert!(fixed("www A 192.0.2.1\r\n")
            .ends_with("www A 192.0.2.1\r\n    TXT \"v=spf1 -all\"\r\n"));
        assert!(fixed("www A 192.0.2.1").ends_with("www A 192.0.2.1\n    TXT \"v=spf1 -all\""));
    }

    /// The shortcut of `entry_end` ends every record where the walk does: texts made of
    /// the octets that matter (parentheses, quotes, escapes, comments, line ends) and
    /// letters, every start and end in them.
    #[test]
    fn the_entry_end_shortcut_agrees_with_the_walk() {
        let alphabet = b"a (\")\\;\n\r";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut checked = 0;
        for length in 0..12 {
            for _ in 0..300 {
                let text: Vec<u8> = (0..length)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                for start in 0..=length {
                    for end in start..=length + 1 {
                        assert_eq!(
                            entry_end(&text, start, end),
                            entry_end_walk(&text, start, end),
                            "{:?} {start}..{end}",
                            String::from_utf8_lossy(&text)
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// The line end is the one an octet-by-octet walk finds: an LF, a bare CR, a CR LF's
    /// LF, and past a `;` only an LF, from every starting place of texts mixing them.
    #[test]
    fn line_ends_are_found_as_an_octet_walk_finds_them() {
        let walk = |text: &[u8], from: usize| {
            let rest = text.get(from..)?;
            let mut in_comment = false;
            rest.iter()
                .enumerate()
                .position(|(i, &b)| {
                    in_comment |= b == b';';
                    b == b'\n' || (b == b'\r' && !in_comment && rest.get(i + 1) != Some(&b'\n'))
                })
                .map(|i| i + from)
        };
        let texts: [&[u8]; 8] = [
            b"a A 1\nb A 2\n",
            b"a A 1\r\nb A 2\r\n",
            b"a A 1\rb A 2",
            b"a A 1 ; note\rstill\nb",
            b"a A 1 ; note\r\nb ; x",
            b";\r\r\n\r;\n\r",
            b"no end at all",
            b"",
        ];
        for text in texts {
            for from in 0..=text.len() + 1 {
                assert_eq!(
                    memchr_newline(text, from),
                    walk(text, from),
                    "{text:?} from {from}"
                );
            }
        }
    }
}
