//! The snippet of the common report, drawn directly rather than by miette.
//!
//! Nearly every finding points at one span, unlabelled, on one line of plain ASCII, and
//! is drawn without colour when the report goes to a file or a pipe. For those, miette's
//! generic drawing (each context line decoded into an owned string, every character's
//! Unicode width looked up, every piece styled and formatted) was three quarters of the
//! `full` report's cost: about 3.3 s of CPU for the 574k findings of the 1M-record zone.
//! [`draw`] writes the same bytes as miette's `render_context` for such a snippet, and
//! declines anything else (colour, a label's text, a span over several lines, a tab
//! stop miette would count differently, any byte that is not printable ASCII), which
//! miette then draws itself. The tests hold every output of [`draw`] to miette's own.

use miette::ThemeCharacters;

/// The lines of context miette draws before and after a span (its default).
pub(super) const CONTEXT_LINES: usize = 1;

/// The columns of a tab stop (miette's default `tab_width`).
const TAB_WIDTH: usize = 4;

/// One span and the lines around it, as `Snippet::read_span` gives them to miette.
pub(super) struct Shown<'a> {
    /// The source's name, for the snippet's header.
    pub name: &'a str,
    /// The context: whole lines, from the line before the span's to the line after.
    pub data: &'a [u8],
    /// Where `data` starts in the source.
    pub data_start: usize,
    /// The 0-based number of `data`'s first line.
    pub first_line: usize,
    /// The span: its start in the source and its length.
    pub start: usize,
    pub len: usize,
    /// The span's 1-based line and column, for the header.
    pub line: usize,
    pub column: usize,
}

/// Appends the snippet miette would draw for `shown` with `characters` and no colour,
/// and returns true; or returns false, appending nothing, where it cannot promise
/// miette's bytes.
pub(super) fn draw(out: &mut String, characters: &ThemeCharacters, shown: &Shown<'_>) -> bool {
    // One pass over the context (a sum, which the compiler vectorises): the bytes that
    // are not printable ASCII, and the line feeds.
    let (unprintable, feeds) = shown
        .data
        .iter()
        .fold((0usize, 0usize), |(bad, feeds), &byte| {
            let printable = byte == b'\t' || byte == b'\n' || (b' '..=b'~').contains(&byte);
            (
                bad + usize::from(!printable),
                feeds + usize::from(byte == b'\n'),
            )
        });
    let Ok(data) = std::str::from_utf8(shown.data) else {
        return false;
    };
    if data.is_empty() || unprintable > 0 {
        return false;
    }
    // miette's lines: each up to and with its line feed; the last may have none.
    let count = feeds + usize::from(!data.ends_with('\n'));
    let width = digits(shown.first_line + count);
    let mark = out.len();

    spaces(out, width + 2);
    out.push(characters.ltop);
    out.push(characters.hbar);
    out.push('[');
    out.push_str(shown.name);
    out.push(':');
    number(out, shown.line, 0);
    out.push(':');
    number(out, shown.column, 0);
    out.push_str("]\n");
    let (start, len) = (shown.start, shown.len);
    // miette counts an empty span as one byte long when it asks which lines it touches.
    let reach = start + len.max(1);
    let mut offset = shown.data_start;
    for (index, line) in data.split_inclusive('\n').enumerate() {
        let end = offset + line.len();
        let text = line.strip_suffix('\n').unwrap_or(line);
        let applies = (start >= offset && start < end)
            || (start < offset && reach > end)
            || (reach > offset && reach <= end);
        let within = start >= offset && start + len <= end;
        if applies && !within {
            // A span over several lines: miette draws it in the gutter.
            out.truncate(mark);
            return false;
        }
        out.push(' ');
        number(out, shown.first_line + index + 1, width);
        out.push(' ');
        out.push(characters.vbar);
        out.push(' ');
        expand_tabs(out, text);
        out.push('\n');
        if applies {
            spaces(out, width + 2);
            out.push(characters.vbar_break);
            out.push(' ');
            let from = visual_column(text, start - offset);
            let to = if len == 0 {
                from + 1
            } else {
                visual_column(text, start + len - offset).max(from + 1)
            };
            let middle = (from + to) / 2;
            spaces(out, from);
            repeat(out, characters.underline, middle - from);
            out.push(if len == 0 {
                characters.uarrow
            } else {
                characters.underline
            });
            repeat(out, characters.underline, to - middle - 1);
            out.push('\n');
        }
        offset = end;
    }
    spaces(out, width + 2);
    out.push(characters.lbot);
    repeat(out, characters.hbar, 4);
    out.push('\n');
    true
}

/// The decimal digits of `number`.
fn digits(number: usize) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// `value` in decimal, right-aligned in `width` columns.
fn number(out: &mut String, value: usize, width: usize) {
    let count = digits(value);
    spaces(out, width.saturating_sub(count));
    for place in (0..count).rev() {
        let digit = value / 10usize.pow(place as u32) % 10;
        if let Some(digit) = u32::try_from(digit)
            .ok()
            .and_then(|digit| char::from_digit(digit, 10))
        {
            out.push(digit);
        }
    }
}

fn spaces(out: &mut String, count: usize) {
    out.extend(std::iter::repeat_n(' ', count));
}

fn repeat(out: &mut String, character: char, count: usize) {
    out.extend(std::iter::repeat_n(character, count));
}

/// The line with each tab widened to the next tab stop (the text is ASCII).
fn expand_tabs(out: &mut String, text: &str) {
    let mut column = 0;
    for piece in text.split_inclusive('\t') {
        let (run, tab) = match piece.strip_suffix('\t') {
            Some(run) => (run, true),
            None => (piece, false),
        };
        out.push_str(run);
        column += run.len();
        if tab {
            let stop = TAB_WIDTH - column % TAB_WIDTH;
            spaces(out, stop);
            column += stop;
        }
    }
}

/// The column at which byte `index` of the line is drawn; one past the line's end for
/// an index past its text (a span reaching into the line feed).
fn visual_column(text: &str, index: usize) -> usize {
    let shown = text.as_bytes().get(..index).unwrap_or(text.as_bytes());
    let mut column = 0;
    for &byte in shown {
        column += if byte == b'\t' {
            TAB_WIDTH - column % TAB_WIDTH
        } else {
            1
        };
    }
    if index > text.len() {
        column + 1
    } else {
        column
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(data: &[u8], start: usize, len: usize) -> Shown<'_> {
        Shown {
            name: "t.zone",
            data,
            data_start: 0,
            first_line: 0,
            start,
            len,
            line: 1,
            column: start + 1,
        }
    }

    #[test]
    fn declines_a_span_over_two_lines_and_writes_nothing() {
        let characters = ThemeCharacters::unicode();
        let mut out = String::from("kept");
        assert!(!draw(&mut out, &characters, &shown(b"ab\ncd\n", 1, 3)));
        assert!(!draw(&mut out, &characters, &shown(b"a\x01\n", 0, 1)));
        assert_eq!(out, "kept");
        assert!(draw(&mut out, &characters, &shown(b"ab\ncd\n", 1, 1)));
        assert_eq!(
            out,
            "kept   ╭─[t.zone:1:2]\n 1 │ ab\n   ·  ─\n 2 │ cd\n   ╰────\n"
        );
    }
}
