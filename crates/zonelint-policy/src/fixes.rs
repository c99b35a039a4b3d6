//! Building fixes: byte edits that keep every other byte of the file as it was.

use crate::index::{NameFacts, ZoneIndex};
use zonelint_zone::{Edit, RType, RecordRef, Span};

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
    facts: &NameFacts,
    rtype: &str,
    rdata: &str,
) -> Option<Edit> {
    let last = zone.records(facts).last()?;
    insert_after_record(zone, &last, rtype, rdata)
}

/// As [`insert_beside`], after one given record.
#[must_use]
pub fn insert_after_record(
    zone: &ZoneIndex<'_>,
    record: &RecordRef<'_>,
    rtype: &str,
    rdata: &str,
) -> Option<Edit> {
    let span = record.span();
    let text = zone.zone.sources.get(span.source)?.text();
    let start = span.start as usize;
    if text.get(start) == Some(&b'$') {
        // A `$GENERATE`d record: a continuation line after the directive would not
        // belong to the generated owner.
        return None;
    }
    let line_start = text
        .get(..start)?
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let after = span.end as usize;
    let newline = memchr_newline(text, after);
    let (insert_at, line_break) = match newline {
        Some(at) => {
            let crlf = at > 0 && text.get(at - 1) == Some(&b'\r');
            (at + 1, if crlf { "\r\n" } else { "\n" })
        }
        None => (text.len(), "\n"),
    };
    // Indent like the record's line: its leading text up to the type, blanked out.
    let type_start = record.type_span().start as usize;
    let lead = text.get(line_start..type_start.max(line_start))?;
    let mut indent: String = lead
        .iter()
        .map(|&b| if b == b'\t' { '\t' } else { ' ' })
        .collect();
    if indent.is_empty() || !indent.starts_with([' ', '\t']) {
        indent.insert(0, '\t');
    }
    // Keep the column alignment after the type, as in the record's line.
    let type_end = record.type_span().end as usize;
    let gap: String = text
        .get(type_end..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .map(|&b| char::from(b))
        .collect();
    let gap = if gap.is_empty() { " ".to_owned() } else { gap };
    let gap = align_after(record.rtype(), rtype, &gap);
    let mut content = String::new();
    if newline.is_none() {
        content.push_str(line_break);
    }
    content.push_str(&indent);
    content.push_str(rtype);
    content.push_str(&gap);
    content.push_str(rdata);
    if newline.is_some() {
        content.push_str(line_break);
    }
    let at = insert_at as u32;
    Some(Edit {
        span: Span::new(span.source, at, at),
        content,
    })
}

/// Pads or trims the gap after a type so that the data starts in the same column when
/// spaces are used; tabs are kept as they are.
fn align_after(original: RType, new: &str, gap: &str) -> String {
    if gap.contains('\t') {
        return gap.to_owned();
    }
    let original_len = original.to_string().len();
    let width = original_len + gap.len();
    let padding = width.saturating_sub(new.len()).max(1);
    " ".repeat(padding)
}

fn memchr_newline(text: &[u8], from: usize) -> Option<usize> {
    text.get(from..)?
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| i + from)
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
    let span = record.span();
    let text = zone.zone.sources.get(span.source)?.text();
    let start = span.start as usize;
    if text.get(start) == Some(&b'$') {
        return None;
    }
    let line_start = text
        .get(..start)?
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let newline = memchr_newline(text, span.end as usize);
    let (insert_at, line_break) = match newline {
        Some(at) => {
            let crlf = at > 0 && text.get(at - 1) == Some(&b'\r');
            (at + 1, if crlf { "\r\n" } else { "\n" })
        }
        None => (text.len(), "\n"),
    };
    // Pad the owner to the record line's type column when that line aligns with spaces;
    // a tab-separated line gets a tab, anything else one space.
    let type_start = record.type_span().start as usize;
    let lead = text.get(line_start..type_start.max(line_start))?;
    let separator = if lead.contains(&b'\t') {
        "\t".to_owned()
    } else {
        " ".repeat(lead.len().saturating_sub(owner.len()).max(1))
    };
    let mut content = String::new();
    if newline.is_none() {
        content.push_str(line_break);
    }
    content.push_str(owner);
    content.push_str(&separator);
    content.push_str(rtype);
    content.push(' ');
    content.push_str(rdata);
    if newline.is_some() {
        content.push_str(line_break);
    }
    let at = insert_at as u32;
    Some(Edit {
        span: Span::new(span.source, at, at),
        content,
    })
}
