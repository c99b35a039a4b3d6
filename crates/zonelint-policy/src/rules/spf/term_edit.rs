//! Edits of single SPF terms for fixes: the term as written, its removal, its move, and
//! renaming a part of it. Every edit stays inside one character-string (a range that
//! crosses a string join covers the quotes between the strings, so it cannot be replaced
//! as one piece), and text is inserted only into quoted strings, where a space stays
//! inside the string instead of splitting it in two.

use super::crosses_join;
use crate::grammar::spf::Term;
use crate::mail::SpfEntry;
use crate::rules::ZoneContext;
use std::ops::Range;
use zonelint_zone::{Edit, Span};

/// The text of the file `span` is in (empty when the source is unknown).
pub(crate) fn source_text<'a>(cx: &ZoneContext<'a>, span: Span) -> &'a [u8] {
    cx.zone
        .zone
        .sources
        .get(span.source)
        .map(zonelint_zone::Source::text)
        .unwrap_or_default()
}

/// Whether the file `span` is in is valid UTF-8 (false when the source is unknown).
pub(crate) fn source_is_utf8(cx: &ZoneContext<'_>, span: Span) -> bool {
    cx.zone
        .zone
        .sources
        .get(span.source)
        .is_some_and(zonelint_zone::Source::is_utf8)
}

/// The bytes `span` covers, as written in the file (escapes kept), lossily as text.
pub(crate) fn written(cx: &ZoneContext<'_>, span: Span) -> String {
    String::from_utf8_lossy(source_text(cx, span).get(span.range()).unwrap_or_default())
        .into_owned()
}

/// The term as written in the file, when it lies inside one character-string and is
/// text (a fix writes text: bytes that are not UTF-8 cannot be copied by one).
pub(crate) fn term_as_written(
    cx: &ZoneContext<'_>,
    entry: &SpfEntry<'_>,
    term: &Term<'_>,
) -> Option<String> {
    if crosses_join(&entry.txt.text, &term.range.range()) {
        return None;
    }
    let bytes = source_text(cx, term.span()).get(term.span().range())?;
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// The edit that deletes `term` with the spaces before it (so no double space is left);
/// only the term when those spaces are in an earlier string. `None` when the term itself
/// crosses a string join.
pub(crate) fn removal(entry: &SpfEntry<'_>, term: &Term<'_>) -> Option<Edit> {
    let text = &entry.txt.text;
    let term_range = term.range.range();
    if crosses_join(text, &term_range) {
        return None;
    }
    let bytes = text.as_bytes();
    let spaces = bytes
        .get(..term_range.start)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|&&b| b == b' ')
        .count();
    let with_spaces: Range<usize> = term_range.start - spaces..term_range.end;
    let range = if crosses_join(text, &with_spaces) || starts_a_string(entry, term_range.start) {
        term_range
    } else {
        with_spaces
    };
    Some(Edit {
        span: text.span(range),
        content: String::new(),
    })
}

/// Whether the joined offset is the first octet of a character-string (a join there is
/// not strictly inside a range that ends at it, but the spaces before it are in the
/// previous string).
fn starts_a_string(entry: &SpfEntry<'_>, offset: usize) -> bool {
    entry.txt.text.joins().iter().any(|j| j.offset == offset)
}

/// The edit that inserts `content` just before the joined offset `at`, when that offset
/// is inside (or at the start of) a quoted character-string.
pub(crate) fn insertion_before(
    cx: &ZoneContext<'_>,
    entry: &SpfEntry<'_>,
    at: usize,
    content: String,
) -> Option<Edit> {
    let text = &entry.txt.text;
    let piece = text
        .pieces()
        .iter()
        .find(|p| p.decoded_start() <= at && at < p.decoded_end())?;
    let quote_at = usize::try_from(piece.content_start).ok()?.checked_sub(1)?;
    if source_text(cx, piece.content_span()).get(quote_at) != Some(&b'"') {
        return None;
    }
    // A character-string holds at most 255 octets (RFC 1035 §3.3): a longer one would not
    // load (found by the `fix` fuzz target, moving terms into a full string).
    if !text.has_room_at(at, content.len()) {
        return None;
    }
    let span = text.span(at..at);
    Some(Edit { span, content })
}

/// The edit that replaces the joined `range` with `content`, when the range lies inside
/// one character-string.
pub(crate) fn replacement(
    entry: &SpfEntry<'_>,
    range: &Range<usize>,
    content: impl Into<String>,
) -> Option<Edit> {
    let text = &entry.txt.text;
    let content = content.into();
    let grows = content.len().saturating_sub(range.len());
    let fits = text.has_room_at(range.start, grows);
    (fits && !crosses_join(text, range)).then(|| Edit {
        span: text.span(range.clone()),
        content,
    })
}

/// The joined range of a span that lies inside `term` (a name or value span the grammar
/// gave), found by its offset from the term's start.
pub(crate) fn range_in_term(term: &Term<'_>, span: Span) -> Option<Range<usize>> {
    let term_span = term.span();
    if span.source != term_span.source || span.start < term_span.start {
        return None;
    }
    // Only exact for terms without escapes and without a join, which is what the fixes
    // require anyway: then source and joined offsets move in step.
    let term_range = term.range.range();
    let start = term_range.start + (span.start - term_span.start) as usize;
    let end = start + (span.end - span.start) as usize;
    (end <= term_range.end && term_span.len() == term_range.len() as u32).then_some(start..end)
}
