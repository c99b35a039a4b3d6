//! Bytes → entries of tokens, with spans.
//!
//! An *entry* is one logical line of a master file: a directive or a record, possibly
//! spread over several physical lines by parentheses (RFC 1035 §5.1). The scanner knows
//! quoting, comments, escapes and parentheses, and nothing about DNS. It writes tokens
//! into caller-owned buffers, so scanning allocates nothing per token or per entry.

/// One token: a run of non-blank bytes, or the inside of a quoted string.
///
/// Offsets index the scanned buffer. For a quoted token they cover the text *between*
/// the quotes; escapes are still in place (they are decoded by whoever reads the field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Offset of the first content byte.
    pub start: u32,
    /// Offset just past the last content byte.
    pub end: u32,
    /// Whether the token was written in double quotes.
    pub quoted: bool,
}

impl Token {
    /// The token's content bytes in `text` (the buffer it was scanned from).
    #[must_use]
    pub fn bytes<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The offsets of the whole token as written, quotes included.
    #[must_use]
    pub fn outer(&self) -> (u32, u32) {
        if self.quoted {
            (self.start.saturating_sub(1), self.end.saturating_add(1))
        } else {
            (self.start, self.end)
        }
    }
}

/// A problem the scanner found. Offsets index the scanned buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// A `(` inside parentheses (BIND rejects nesting).
    NestedParenthesis {
        /// Offset of the inner `(`.
        at: u32,
    },
    /// A `)` with no open parenthesis.
    UnbalancedClose {
        /// Offset of the `)`.
        at: u32,
    },
    /// A `(` that the end of the input closed.
    UnclosedParenthesis {
        /// Offset of the `(`.
        at: u32,
    },
    /// A quoted string that reaches the end of the line or input.
    UnterminatedQuote {
        /// Offset of the opening quote.
        at: u32,
        /// Where the string was cut off.
        end: u32,
    },
}

/// What the scanner found about one entry, besides its tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Offset of the first byte of the entry's first line.
    pub start: u32,
    /// Offset just past the entry's last byte (its final newline excluded).
    pub end: u32,
    /// The first line starts with a space or tab: the owner is the previous one.
    pub blank_owner: bool,
}

/// Byte classes for the scanner's hot loop.
const PLAIN: u8 = 0;
const BLANK: u8 = 1;
const NEWLINE: u8 = 2;
const SPECIAL: u8 = 3; // ( ) ; "
const ESCAPE: u8 = 4;
// A carriage return: blank before a line feed (CRLF), a line end of its own otherwise, as
// BIND and dnspython read a bare CR.
const CR: u8 = 5;

#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: an index out of range fails the build, never a run"
)]
const CLASSES: [u8; 256] = {
    let mut table = [PLAIN; 256];
    table[b' ' as usize] = BLANK;
    table[b'\t' as usize] = BLANK;
    table[b'\r' as usize] = CR;
    table[b'\n' as usize] = NEWLINE;
    table[b'(' as usize] = SPECIAL;
    table[b')' as usize] = SPECIAL;
    table[b';' as usize] = SPECIAL;
    table[b'"' as usize] = SPECIAL;
    table[b'\\' as usize] = ESCAPE;
    table
};

#[inline]
fn class(b: u8) -> u8 {
    // The table has 256 entries, so every byte indexes it.
    CLASSES.get(usize::from(b)).copied().unwrap_or(PLAIN)
}

/// Splits a buffer into entries.
#[derive(Debug)]
pub struct Scanner<'t> {
    text: &'t [u8],
    pos: usize,
    /// The last entry scanned ran into the end of the text.
    reached_end: bool,
}

impl<'t> Scanner<'t> {
    /// A scanner at the start of `text`, skipping a UTF-8 byte-order mark.
    #[must_use]
    pub fn new(text: &'t [u8]) -> Self {
        let pos = if text.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Self {
            text,
            pos,
            reached_end: false,
        }
    }

    /// A scanner that resumes at `position` (a value [`Scanner::position`] returned).
    #[must_use]
    pub fn resume(text: &'t [u8], position: usize) -> Self {
        if position == 0 {
            Self::new(text)
        } else {
            Self::within(text, position)
        }
    }

    /// A scanner at `position`, a line start in `text`, which is a part of a file (no
    /// byte-order mark is looked for).
    #[must_use]
    pub(crate) fn within(text: &'t [u8], position: usize) -> Self {
        Self {
            text,
            pos: position,
            reached_end: false,
        }
    }

    /// Whether the last entry scanned ran into the end of the text (an entry that does
    /// not end with a newline, or a `(` never closed): more text after it would have
    /// made it another entry.
    #[must_use]
    pub fn reached_end(&self) -> bool {
        self.reached_end
    }

    /// The buffer being scanned.
    #[must_use]
    pub fn text(&self) -> &'t [u8] {
        self.text
    }

    /// The offset the next entry starts at.
    #[must_use]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Scans the next entry, replacing the contents of `tokens` and `comments` (each
    /// comment as the offsets of its `;` and its end). Returns `None` at the end of input.
    /// Entries without tokens (blank and comment-only lines) are returned too.
    pub fn next_entry(
        &mut self,
        tokens: &mut Vec<Token>,
        comments: &mut Vec<(u32, u32)>,
        errors: &mut Vec<ScanError>,
    ) -> Option<Entry> {
        tokens.clear();
        comments.clear();
        let text = self.text;
        let len = text.len();
        self.reached_end = self.pos >= len;
        if self.reached_end {
            return None;
        }
        let start = self.pos;
        let blank_owner = matches!(text.get(start), Some(b' ' | b'\t'));
        let mut depth = 0u32;
        let mut open_at = 0u32;
        // Only the first nested `(` and the first stray `)` of an entry are reported: a
        // line of ten thousand would otherwise make ten thousand diagnostics that each
        // show the whole line, output quadratic in the input.
        let mut nested_reported = false;
        let mut unbalanced_reported = false;
        // Inside parentheses, the first line that starts in column one: where the next
        // record probably begins if the parenthesis is never closed.
        let mut recovery: Option<(usize, usize)> = None;
        let mut i = start;
        loop {
            let Some(&b) = text.get(i) else {
                self.reached_end = true;
                if depth > 0 {
                    errors.push(ScanError::UnclosedParenthesis { at: open_at });
                    if let Some((at, token_count)) = recovery {
                        // Resume at that line instead of swallowing the rest of the file.
                        tokens.truncate(token_count);
                        comments.retain(|&(c, _)| (c as usize) < at);
                        self.pos = at;
                        let end = at.saturating_sub(1).max(start);
                        return Some(Entry {
                            start: start as u32,
                            end: end as u32,
                            blank_owner,
                        });
                    }
                }
                self.pos = len;
                return Some(Entry {
                    start: start as u32,
                    end: len as u32,
                    blank_owner,
                });
            };
            match class(b) {
                BLANK => i += 1,
                CR if text.get(i + 1) == Some(&b'\n') => i += 1,
                NEWLINE | CR => {
                    if depth == 0 {
                        self.pos = i + 1;
                        let end = if i > start && text.get(i - 1) == Some(&b'\r') {
                            i - 1
                        } else {
                            i
                        };
                        return Some(Entry {
                            start: start as u32,
                            end: end as u32,
                            blank_owner,
                        });
                    }
                    i += 1;
                    if recovery.is_none()
                        && text.get(i).is_some_and(|&c| class(c) == PLAIN || c == b'$')
                    {
                        recovery = Some((i, tokens.len()));
                    }
                }
                SPECIAL => match b {
                    b'(' => {
                        if depth > 0 {
                            if !nested_reported {
                                nested_reported = true;
                                errors.push(ScanError::NestedParenthesis { at: i as u32 });
                            }
                        } else {
                            open_at = i as u32;
                        }
                        depth += 1;
                        i += 1;
                    }
                    b')' => {
                        if depth == 0 {
                            if !unbalanced_reported {
                                unbalanced_reported = true;
                                errors.push(ScanError::UnbalancedClose { at: i as u32 });
                            }
                        } else {
                            depth -= 1;
                        }
                        i += 1;
                    }
                    b';' => {
                        let end = memchr::memchr(b'\n', text.get(i..).unwrap_or_default())
                            .map_or(len, |n| i + n);
                        let end_trimmed = if end > i && text.get(end - 1) == Some(&b'\r') {
                            end - 1
                        } else {
                            end
                        };
                        comments.push((i as u32, end_trimmed as u32));
                        i = end;
                    }
                    _ => {
                        // A quoted string: up to the next unescaped quote, never across a newline.
                        let content_start = i + 1;
                        let mut j = content_start;
                        let closed = loop {
                            let rest = text.get(j..).unwrap_or_default();
                            match memchr::memchr3(b'"', b'\\', b'\n', rest) {
                                None => {
                                    j = len;
                                    break false;
                                }
                                Some(n) => {
                                    j += n;
                                    match text.get(j) {
                                        Some(b'"') => break true,
                                        Some(b'\\') => j = (j + 2).min(len),
                                        _ => break false,
                                    }
                                    if j >= len || text.get(j - 1) == Some(&b'\n') {
                                        // An escaped newline ends the line all the same.
                                        j = j.min(len);
                                        if text.get(j.saturating_sub(1)) == Some(&b'\n') {
                                            j -= 1;
                                        }
                                        break false;
                                    }
                                }
                            }
                        };
                        tokens.push(Token {
                            start: content_start as u32,
                            end: j as u32,
                            quoted: true,
                        });
                        if closed {
                            i = j + 1;
                        } else {
                            errors.push(ScanError::UnterminatedQuote {
                                at: i as u32,
                                end: j as u32,
                            });
                            i = j;
                        }
                    }
                },
                _ => {
                    // A plain token: up to a blank, newline or special byte; `\` escapes one byte.
                    let token_start = i;
                    while let Some(&c) = text.get(i) {
                        match class(c) {
                            PLAIN => i += 1,
                            ESCAPE => {
                                if matches!(text.get(i + 1), Some(b'\n') | None) {
                                    i += 1;
                                } else {
                                    i += 2;
                                }
                            }
                            _ => break,
                        }
                    }
                    let end = i.min(len);
                    tokens.push(Token {
                        start: token_start as u32,
                        end: end as u32,
                        quoted: false,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &[u8]) -> Vec<(Vec<String>, bool, Vec<ScanError>)> {
        let mut scanner = Scanner::new(text);
        let (mut tokens, mut comments, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        let mut out = Vec::new();
        while let Some(entry) = scanner.next_entry(&mut tokens, &mut comments, &mut errors) {
            let words = tokens
                .iter()
                .map(|t| {
                    let s = String::from_utf8_lossy(t.bytes(text)).into_owned();
                    if t.quoted {
                        format!("\"{s}\"")
                    } else {
                        s
                    }
                })
                .collect();
            out.push((words, entry.blank_owner, std::mem::take(&mut errors)));
        }
        out
    }

    /// Whether each entry of `text` ran into its end, and where the scanner stood after.
    fn reached_ends(text: &[u8]) -> Vec<(bool, usize)> {
        let mut scanner = Scanner::new(text);
        let (mut tokens, mut comments, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        let mut out = Vec::new();
        while scanner
            .next_entry(&mut tokens, &mut comments, &mut errors)
            .is_some()
        {
            out.push((scanner.reached_end(), scanner.position()));
        }
        assert!(
            scanner.reached_end(),
            "the scan past the last entry reaches the end"
        );
        out
    }

    #[test]
    fn entries_that_run_into_the_end_of_the_text_say_so() {
        // Ended by their line ends, even the last: no.
        assert_eq!(reached_ends(b"a A 1\nb A 2\n"), [(false, 6), (false, 12)]);
        assert_eq!(reached_ends(b"a A 1\r"), [(false, 6)]);
        // No line end, a comment or quote cut off, a `(` never closed: yes.
        assert_eq!(reached_ends(b"a A 1\nb A 2"), [(false, 6), (true, 11)]);
        assert_eq!(reached_ends(b"a A 1 ; note"), [(true, 12)]);
        assert_eq!(reached_ends(b"a TXT \"x"), [(true, 8)]);
        assert_eq!(reached_ends(b"a TXT ( x\n y"), [(true, 12)]);
        // A `(` never closed whose scan resumes at the next line in column one: the entry
        // ran into the end, though the scanner stands before it.
        assert_eq!(
            reached_ends(b"a TXT ( x\nb A 1\n"),
            [(true, 10), (false, 16)]
        );
    }

    #[test]
    fn plain_lines_and_blank_owner() {
        let entries = scan(b"www 300 IN A 192.0.2.1\n\tAAAA ::1\n");
        assert_eq!(entries[0].0, ["www", "300", "IN", "A", "192.0.2.1"]);
        assert!(!entries[0].1);
        assert_eq!(entries[1].0, ["AAAA", "::1"]);
        assert!(entries[1].1);
    }

    #[test]
    fn parentheses_join_lines_and_comments_are_skipped() {
        let entries = scan(b"@ SOA ns host ( 1 ; serial\n 2 3 ; x\n 4 5 )\nnext A 1.2.3.4");
        assert_eq!(
            entries[0].0,
            ["@", "SOA", "ns", "host", "1", "2", "3", "4", "5"]
        );
        assert_eq!(entries[1].0, ["next", "A", "1.2.3.4"]);
    }

    #[test]
    fn quotes_escapes_and_specials() {
        let entries = scan(b"t TXT \"a;b (c)\" x\\;y \"q\\\"r\"\n");
        assert_eq!(
            entries[0].0,
            ["t", "TXT", "\"a;b (c)\"", "x\\;y", "\"q\\\"r\""]
        );
    }

    #[test]
    fn crlf_bom_and_no_final_newline() {
        let entries = scan(b"\xEF\xBB\xBFa A 1.2.3.4\r\nb A 1.2.3.5");
        assert_eq!(entries[0].0, ["a", "A", "1.2.3.4"]);
        assert_eq!(entries[1].0, ["b", "A", "1.2.3.5"]);
    }

    #[test]
    fn a_bare_carriage_return_ends_the_line_as_in_bind() {
        let entries = scan(b"a A 192.0.2.1\rb A 192.0.2.2 ; c\rstill comment\nc A 192.0.2.3\r\n");
        assert_eq!(entries[0].0, ["a", "A", "192.0.2.1"]);
        assert_eq!(entries[1].0, ["b", "A", "192.0.2.2"]);
        assert_eq!(entries[2].0, ["c", "A", "192.0.2.3"]);
    }

    #[test]
    fn errors_are_reported_and_scanning_goes_on() {
        let entries = scan(b"a TXT \"open\nb A 1.2.3.4 )\nc ( ( x )\n)\nd (\n");
        assert!(matches!(
            entries[0].2[..],
            [ScanError::UnterminatedQuote { at: 6, end: 11 }]
        ));
        assert_eq!(entries[1].0, ["b", "A", "1.2.3.4"]);
        assert!(matches!(
            entries[1].2[..],
            [ScanError::UnbalancedClose { .. }]
        ));
        assert!(matches!(
            entries[2].2[..],
            [ScanError::NestedParenthesis { .. }]
        ));
        assert_eq!(entries[2].0, ["c", "x"]);
        assert!(matches!(
            entries[3].2[..],
            [ScanError::UnclosedParenthesis { .. }]
        ));
    }

    #[test]
    fn ten_thousand_nested_or_stray_parentheses_are_one_error_each() {
        // Found by the hostile-input test: one error per `(` made `check --format full`
        // print the 20 KB line ten thousand times (minutes, hundreds of megabytes).
        let text = format!(
            "a A {} 192.0.2.1 {}\n{}\n",
            "(".repeat(10_000),
            ")".repeat(10_000),
            ")".repeat(10_000)
        );
        let entries = scan(text.as_bytes());
        assert_eq!(entries[0].0, ["a", "A", "192.0.2.1"]);
        assert!(matches!(
            entries[0].2[..],
            [ScanError::NestedParenthesis { at: 5 }]
        ));
        assert!(matches!(
            entries[1].2[..],
            [ScanError::UnbalancedClose { .. }]
        ));
    }

    #[test]
    fn an_unclosed_parenthesis_does_not_swallow_the_next_records() {
        let entries = scan(b"@ SOA ns host ( 1\n  2 3 4 5\nwww A 192.0.2.1\nmail A 192.0.2.2\n");
        assert_eq!(
            entries[0].0,
            ["@", "SOA", "ns", "host", "1", "2", "3", "4", "5"]
        );
        assert!(matches!(
            entries[0].2[..],
            [ScanError::UnclosedParenthesis { at: 14 }]
        ));
        assert_eq!(entries[1].0, ["www", "A", "192.0.2.1"]);
        assert_eq!(entries[2].0, ["mail", "A", "192.0.2.2"]);
    }
}
