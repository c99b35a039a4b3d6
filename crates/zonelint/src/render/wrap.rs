//! Line breaking of the `full` format's messages and help lines, fast for plain ASCII.
//!
//! miette wraps each message and help line with `textwrap::fill` (first fit, words at
//! spaces, long words broken, no hyphenation: the options `full` gives it). On a large
//! zone that is a third of the report's time: every word of every line has its display
//! width measured character by character, with Unicode tables and a look-out for escape
//! sequences, in several allocations. For printable ASCII text every character is one
//! column wide, and [`wrap_ascii`] breaks the lines where `textwrap::fill` does with a
//! single scan (the tests check it against textwrap itself); the report is then drawn by
//! a handler that does not wrap again. Anything else (other characters, a line that
//! would come out blank, whose indent miette trims only when it does not wrap) is left
//! to textwrap, as before.

/// The lines `textwrap::fill` makes of `text` (without their indents), with the options
/// `full` uses: `width` columns, the first line after an indent `first_indent` columns
/// wide and the others after one `rest_indent` wide. `None` when `text` is not printable
/// ASCII (and line feeds) or a line would come out empty.
pub(crate) fn wrap_ascii(
    text: &str,
    width: usize,
    first_indent: usize,
    rest_indent: usize,
) -> Option<Vec<&str>> {
    if !text
        .bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    let first_width = width.saturating_sub(first_indent);
    let rest_width = width.saturating_sub(rest_indent);
    let mut lines = Vec::new();
    // textwrap wraps each line of the text apart; within one, its first wrapped line gets
    // the first indent's width (the indent itself is the first only for the text's first
    // line: textwrap's own quirk, kept).
    for line in text.split('\n') {
        wrap_line(line, first_width, rest_width, &mut lines);
    }
    if lines.iter().any(|line| line.is_empty()) {
        return None;
    }
    Some(lines)
}

/// One word as textwrap splits a line at spaces: the word, then the spaces after it.
#[derive(Clone, Copy)]
struct Word {
    /// Where the word starts in the line.
    start: usize,
    /// Its width (ASCII: its length).
    width: usize,
    /// How many spaces follow it.
    spaces: usize,
}

/// `textwrap::wrap_single_line` for one line of printable ASCII.
fn wrap_line<'t>(line: &'t str, first_width: usize, rest_width: usize, lines: &mut Vec<&'t str>) {
    // The words, each with the spaces after it (a line's leading spaces are a word of
    // width 0), long words broken to the width of the lines after the first, and an
    // empty word in front (textwrap adds it under a first indent, so that the first
    // word can move to the second line).
    let mut words = vec![Word {
        start: 0,
        width: 0,
        spaces: 0,
    }];
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes.get(at) != Some(&b' ') {
            at += 1;
        }
        let end = at;
        while at < bytes.len() && bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        let (width, spaces) = (end - start, at - end);
        if width > rest_width {
            // `Word::break_apart`: pieces as wide as fit (one character at least), the
            // spaces going with the last.
            let piece = rest_width.max(1);
            let mut from = start;
            while end - from > piece {
                words.push(Word {
                    start: from,
                    width: piece,
                    spaces: 0,
                });
                from += piece;
            }
            words.push(Word {
                start: from,
                width: end - from,
                spaces,
            });
        } else {
            words.push(Word {
                start,
                width,
                spaces,
            });
        }
    }
    // First fit: a word goes to a new line when it does not fit on the current one,
    // unless it is the line's first.
    let mut first = 0;
    let mut used = 0;
    let mut wrapped = 0;
    for index in 0..words.len() {
        let Some(word) = words.get(index) else { break };
        let room = if wrapped == 0 {
            first_width
        } else {
            rest_width
        };
        if used + word.width > room && index > first {
            push_line(line, words.get(first..index), lines);
            wrapped += 1;
            first = index;
            used = 0;
        }
        used += word.width + word.spaces;
    }
    push_line(line, words.get(first..), lines);
}

/// The text of consecutive words, without the spaces after the last.
fn push_line<'t>(line: &'t str, words: Option<&[Word]>, lines: &mut Vec<&'t str>) {
    let (Some(first), Some(last)) = (
        words.and_then(<[Word]>::first),
        words.and_then(<[Word]>::last),
    ) else {
        lines.push("");
        return;
    };
    lines.push(
        line.get(first.start..last.start + last.width)
            .unwrap_or_default(),
    );
}

#[cfg(test)]
mod tests {
    use super::wrap_ascii;

    /// What textwrap (through miette's options) makes of `text`, indents included.
    fn textwrap_fill(text: &str, width: usize, first: &str, rest: &str) -> String {
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        textwrap::fill(text, options)
    }

    /// What `full` makes of `text` on the fast path: the lines, indented as miette does
    /// when it does not wrap.
    fn fast_fill(text: &str, width: usize, first: &str, rest: &str) -> Option<String> {
        let lines = wrap_ascii(
            text,
            width,
            textwrap::core::display_width(first),
            textwrap::core::display_width(rest),
        )?;
        let mut out = String::new();
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.push_str(if index == 0 { first } else { rest });
            out.push_str(line);
        }
        Some(out)
    }

    fn check(text: &str, width: usize, first: &str, rest: &str) -> bool {
        match fast_fill(text, width, first, rest) {
            Some(fast) => {
                assert_eq!(
                    fast,
                    textwrap_fill(text, width, first, rest),
                    "{text:?} at width {width}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn breaks_lines_where_textwrap_does() {
        let message = "mx1.example.net. exists but publishes no SPF record, so receivers cannot tell that mail from it is forged";
        let help = "Add `ns1 IN TXT \"v=spf1 -all\"` if it sends no mail, or declare it in `senders` and publish what it authorizes\nsafe fix available: Add `ns1 TXT \"v=spf1 -all\"` (sends no mail)";
        for width in [20, 40, 78, 98, 100, 200] {
            assert!(check(message, width, "  × ", "  │ "));
            assert!(check(help, width, "  help: ", "        "));
        }
        // A word longer than a line is broken at the line's width.
        let long = "v=DKIM1;p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA457wpf7BKrbv4GNLelNndKRE37MjtW5SXjUaf6sOSXk and more";
        for width in [10, 30, 60] {
            assert!(check(long, width, "  × ", "  │ "));
        }
    }

    #[test]
    fn agrees_with_textwrap_on_generated_text() {
        // Words of 0 to 14 characters, separated by 1 to 3 spaces, sometimes led or
        // followed by spaces, with line feeds; every width from 1 to 60; the two indent
        // shapes `full` uses. A small deterministic generator (no dependency).
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let mut compared = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(12) {
                match next(20) {
                    0 => text.push('\n'),
                    1 => text.push_str("  "),
                    _ => {}
                }
                for _ in 0..next(15) {
                    text.push(char::from(b'a' + next(26) as u8));
                }
                for _ in 0..=next(3) {
                    text.push(' ');
                }
            }
            let width = next(60) as usize + 1;
            for (first, rest) in [("  × ", "  │ "), ("  help: ", "        ")] {
                compared += usize::from(check(&text, width, first, rest));
            }
        }
        // Most texts take the fast path; the rest (an empty line) are textwrap's.
        assert!(compared > 3000, "only {compared} compared");
    }

    #[test]
    fn leaves_other_text_to_textwrap() {
        assert!(wrap_ascii("caf\u{e9} ouvert", 80, 4, 4).is_none());
        assert!(wrap_ascii("a\tb", 80, 4, 4).is_none());
        assert!(wrap_ascii("\u{1b}[1mbold\u{1b}[0m", 80, 4, 4).is_none());
        // A blank line: textwrap keeps its indent whole, miette's unwrapped text trims it.
        assert!(wrap_ascii("first\n\nthird", 80, 4, 4).is_none());
        assert!(wrap_ascii("", 80, 4, 4).is_none());
    }
}
