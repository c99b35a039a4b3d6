//! The snippet of the common report, drawn directly rather than by miette.
//!
//! Nearly every finding points at spans on single lines of plain ASCII, and is drawn
//! without colour when the report goes to a file or a pipe. For those, miette's generic
//! drawing (each context line decoded into an owned string, every character's Unicode
//! width looked up, every piece styled and formatted) was three quarters of the `full`
//! report's cost: about 1.9 s of CPU for the 574k findings of the 1M-record zone.
//! [`draw`] writes the same bytes as miette's `render_snippets` for such spans, and for
//! one span over several lines (a record in parentheses; miette drew them at about 120k
//! instructions each), and declines anything else (two spans on one line, two spans
//! over lines beside each other or a span on a line one crosses, a label of several
//! lines, any byte of a context line that is not printable ASCII), which miette then
//! draws itself. The tests hold every output of [`draw`] to miette's own.

use super::wrap::printable_ascii;
use miette::ThemeCharacters;

/// The theme's characters, with the runs of them a snippet draws made once: pushed a
/// character at a time, an underline of 20 took 20 pushes of a 3-octet character.
pub(super) struct Characters {
    theme: ThemeCharacters,
    /// [`RUN`] underline characters.
    underlines: String,
    /// A snippet's last line after its indent: the bottom corner, four bars, a line feed.
    footer: String,
}

/// The longest underline [`Characters`] holds made (longer ones are pushed a character
/// at a time): a host name, a record's data, most lines.
const RUN: usize = 128;

impl Characters {
    pub(super) fn new(theme: ThemeCharacters) -> Self {
        let underlines = std::iter::repeat_n(theme.underline, RUN).collect();
        let mut footer = String::new();
        footer.push(theme.lbot);
        repeat(&mut footer, theme.hbar, 4);
        footer.push('\n');
        Self {
            theme,
            underlines,
            footer,
        }
    }

    /// Appends `count` underline characters.
    fn underline(&self, out: &mut String, count: usize) {
        let run = count
            .checked_mul(self.theme.underline.len_utf8())
            .and_then(|octets| self.underlines.get(..octets));
        match run {
            Some(run) => out.push_str(run),
            None => repeat(out, self.theme.underline, count),
        }
    }
}

impl std::ops::Deref for Characters {
    type Target = ThemeCharacters;

    fn deref(&self) -> &ThemeCharacters {
        &self.theme
    }
}

/// The lines of context miette draws before and after a span (its default).
pub(super) const CONTEXT_LINES: usize = 1;

/// The columns of a tab stop (miette's default `tab_width`).
const TAB_WIDTH: usize = 4;

/// The text the spans point into, and where its lines are.
pub(super) trait Text {
    /// The text as miette reads it.
    fn bytes(&self) -> &[u8];
    /// Its name, for a snippet's header.
    fn name(&self) -> &str;
    /// The contents miette reads for the span at `start`, `len` bytes long, with
    /// [`CONTEXT_LINES`] around it: `None` where it cannot read them.
    fn contents(&self, start: usize, len: usize) -> Option<Contents>;
    /// The 1-based line and column of a byte offset.
    fn line_column(&self, offset: usize) -> Option<(usize, usize)>;
}

/// What miette's `read_span` gives for a span, as offsets (`full`'s `read_span` builds
/// miette's contents from this too).
pub(super) struct Contents {
    /// Where the contents start and end in the text: whole lines with context.
    pub start: usize,
    pub end: usize,
    /// The 0-based line and column of `start` (the column is 0 with context).
    pub line: usize,
    pub column: usize,
    /// The lines before `end` (miette's `line_count`, which its merging of snippets
    /// reads).
    pub line_count: usize,
}

/// One label of a report: a span, its text if it has one, and whether it is the primary.
#[derive(Clone, Copy)]
pub(super) struct Label<'a> {
    pub start: usize,
    pub len: usize,
    pub text: Option<&'a str>,
    pub primary: bool,
}

impl Label<'_> {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

/// The labels of one report drawn here, at most (more go to miette).
pub(super) const MOST_LABELS: usize = 8;

/// Appends the snippets miette would draw for `labels` (which it sorts) over `text` with
/// `characters` and no colour, and returns true; or returns false, appending nothing, where it cannot
/// promise miette's bytes.
pub(super) fn draw(
    out: &mut String,
    characters: &Characters,
    text: &dyn Text,
    labels: &mut [Label<'_>],
) -> bool {
    draw_marked(out, characters, text, labels, None)
}

/// A snippet of one label without text, drawn last and kept: the next one on its line
/// is drawn from it ([`draw_one`]).
#[derive(Clone, Default)]
pub(super) struct Kept {
    /// The snippet as drawn.
    drawn: String,
    /// Whether a snippet is kept.
    held: bool,
    /// Its label's span: a label at the same is drawn as a copy.
    start: usize,
    len: usize,
    /// Where in `drawn` its parts that depend on the label's place on the line are.
    marks: Marks,
}

impl Kept {
    /// Keeps nothing (the next snippet is in another text).
    pub(super) fn forget(&mut self) {
        self.held = false;
    }
}

/// Where [`draw_context`] wrote the parts of a one-label snippet that differ between
/// labels on the same line: the header's column and the underline. The rest (the
/// header's name and line, the context lines, the gutter) is the line's alone.
#[derive(Clone, Copy, Default)]
struct Marks {
    /// Where the header's column starts, and where it ends (its `]`).
    column: (usize, usize),
    /// Where the underline starts and ends.
    underline: (usize, usize),
    /// The gutter's width.
    width: usize,
    /// The label's line in the text, without its line feed.
    line: (usize, usize),
}

impl Marks {
    /// The marks moved `by` bytes to the left; none where a part was not drawn (a
    /// label past the last line has no underline).
    fn less(self, by: usize) -> Option<Self> {
        let less = |(start, end): (usize, usize)| {
            Some((start.checked_sub(by)?, end.checked_sub(by)?)).filter(|(start, end)| start < end)
        };
        Some(Self {
            column: less(self.column)?,
            underline: less(self.underline)?,
            ..self
        })
    }
}

/// [`draw`] for the one label of a report; with no text, drawn from the [`Kept`]
/// snippet where that was on the label's line, and kept for the next. Findings come
/// sorted by place, and a third of the bench zone's are on the line of the one before:
/// their context, the costliest part of a snippet, is copied rather than drawn again.
pub(super) fn draw_one(
    out: &mut String,
    characters: &Characters,
    text: &dyn Text,
    label: Label<'_>,
    kept: &mut Kept,
) -> bool {
    if label.text.is_some() {
        return draw(out, characters, text, &mut [label]);
    }
    if kept.held {
        if (label.start, label.len) == (kept.start, kept.len) {
            out.push_str(&kept.drawn);
            return true;
        }
        if redraw(out, characters, text, label, kept) {
            return true;
        }
    }
    let at = out.len();
    let mut marks = Marks::default();
    let drawn = draw_marked(out, characters, text, &mut [label], Some(&mut marks));
    match marks.less(at) {
        Some(marks) if drawn => {
            kept.drawn.clear();
            kept.drawn.push_str(out.get(at..).unwrap_or_default());
            kept.held = true;
            kept.start = label.start;
            kept.len = label.len;
            kept.marks = marks;
        }
        _ => kept.forget(),
    }
    drawn
}

/// Draws the snippet of `label` from the kept one, where the label is on its line
/// (and on that line alone): false, appending nothing, where it is not.
fn redraw(
    out: &mut String,
    characters: &Characters,
    text: &dyn Text,
    label: Label<'_>,
    kept: &Kept,
) -> bool {
    let marks = &kept.marks;
    let drawn = &kept.drawn;
    let Some(shown) = text.bytes().get(marks.line.0..marks.line.1) else {
        return false;
    };
    let (Some(head), Some(middle), Some(tail)) = (
        drawn.get(..marks.column.0),
        drawn.get(marks.column.1..marks.underline.0),
        drawn.get(marks.underline.1..),
    ) else {
        return false;
    };
    // The label is on the line as `draw_context` sees it: it starts before the line's
    // end, its line feed and all (an empty label at the end of a last line without one
    // is on no line), and ends by it.
    let feed = text.bytes().get(marks.line.1) == Some(&b'\n');
    let line_end = marks.line.1 + usize::from(feed);
    let on_line = marks.line.0 <= label.start && label.start < line_end && label.end() <= line_end;
    if !on_line {
        return false;
    }
    // Its column, counted from the kept line's start: `draw_context` keeps only lines of
    // printable ASCII ended by a line feed, where a character is an octet and the line
    // starts where the text's own line index has it (`Text::line_column` would search
    // for the line again).
    out.push_str(head);
    number(out, label.start - marks.line.0 + 1, 0);
    out.push_str(middle);
    underline(
        out,
        characters,
        (marks.width, 0),
        shown,
        marks.line.0,
        &label,
    );
    out.push_str(tail);
    true
}

/// [`draw`], noting in `marks` where the parts of a one-label snippet are.
fn draw_marked(
    out: &mut String,
    characters: &Characters,
    text: &dyn Text,
    labels: &mut [Label<'_>],
    mut marks: Option<&mut Marks>,
) -> bool {
    if labels.is_empty() {
        return false;
    }
    // miette sorts the labels by offset (unstably: two at one offset are declined).
    labels.sort_by_key(|label| label.start);
    let sorted = &*labels;
    if sorted
        .iter()
        .zip(sorted.iter().skip(1))
        .any(|(left, right)| left.start == right.start)
    {
        return false;
    }
    // A label's text of one line each. (Spans over several lines are drawn where miette
    // needs a gutter of one column for them: [`draw_context`] declines the rest. A bare
    // carriage return, which ends a line too, is declined with the context it is in.)
    if sorted
        .iter()
        .any(|label| label.text.is_some_and(|text| text.contains('\n')))
    {
        return false;
    }
    let mark = out.len();
    // miette's `render_snippets`: each label's context, merged with the one before when
    // they overlap by its reckoning, and each merged context drawn with every label.
    let mut context: Option<(usize, usize, Contents)> = None;
    for label in sorted {
        let Some(right) = text.contents(label.start, label.len) else {
            out.truncate(mark);
            return false;
        };
        context = match context {
            None => Some((label.start, label.end(), right)),
            Some((start, end, left)) if left.line + left.line_count >= right.line => {
                let end = end.max(label.end());
                match text.contents(start, end - start) {
                    Some(merged) => Some((start, end, merged)),
                    None => {
                        out.truncate(mark);
                        return false;
                    }
                }
            }
            Some((start, end, left)) => {
                let marks = marks.as_deref_mut();
                if !draw_context(out, characters, text, (start, end), &left, sorted, marks) {
                    out.truncate(mark);
                    return false;
                }
                Some((label.start, label.end(), right))
            }
        };
    }
    if let Some((start, end, contents)) = context {
        if !draw_context(
            out,
            characters,
            text,
            (start, end),
            &contents,
            sorted,
            marks,
        ) {
            out.truncate(mark);
            return false;
        }
    }
    true
}

/// miette's `render_context` for the context of the span `start..end`, noting in `marks`
/// where its parts are.
fn draw_context(
    out: &mut String,
    characters: &Characters,
    text: &dyn Text,
    (start, end): (usize, usize),
    contents: &Contents,
    labels: &[Label<'_>],
    marks: Option<&mut Marks>,
) -> bool {
    let Some(data) = text.bytes().get(contents.start..contents.end) else {
        return false;
    };
    if data.is_empty() || !printable_ascii(data, true) {
        return false;
    }
    // Printable ASCII is UTF-8.
    let Ok(data) = std::str::from_utf8(data) else {
        return false;
    };
    let feeds = memchr::memchr_iter(b'\n', data.as_bytes()).count();
    // The header names the primary label among those within the span, or the first.
    let within = labels
        .iter()
        .filter(|label| start <= label.start && label.end() <= end);
    let Some(header) = within
        .clone()
        .find(|label| label.primary)
        .or_else(|| within.clone().next())
    else {
        return false;
    };
    let Some((header_line, header_column)) = text.line_column(header.start) else {
        return false;
    };
    // miette's lines: each up to and with its line feed; the last may have none.
    let count = feeds + usize::from(!data.ends_with('\n'));
    let width = digits(contents.line + count);
    let lines = || {
        let mut offset = contents.start;
        lines_with_feeds(data).map(move |line| {
            let at = offset;
            offset += line.len();
            (at, line)
        })
    };
    // miette's `max_gutter`: the most labels over several lines that one line is part of.
    // One is drawn here (its arrows in a gutter of one column), with no other label on
    // its lines; more go to miette. (Counted only where a label has a line feed before
    // its last octet: nearly every snippet has none, and the lines were found twice.)
    let crosses = |label: &Label<'_>| {
        let before_last = text.bytes().get(label.start..label.end().saturating_sub(1));
        before_last.is_some_and(|octets| memchr::memchr(b'\n', octets).is_some())
    };
    let mut gutter = 0;
    let lines_crossed = labels.iter().any(crosses).then(lines);
    for (offset, line) in lines_crossed.into_iter().flatten() {
        let on = Line {
            start: offset,
            end: offset + line.len(),
        };
        let across = labels
            .iter()
            .filter(|label| on.applies(label) && !on.only(label))
            .count();
        gutter = gutter.max(across);
    }
    if gutter > 1 {
        return false;
    }
    // What miette's `render_highlight_gutter` writes on a line that no label crosses.
    let indent = if gutter == 0 { 0 } else { gutter + 3 };

    spaces(out, width + 2);
    out.push(characters.ltop);
    out.push(characters.hbar);
    out.push('[');
    out.push_str(text.name());
    out.push(':');
    number(out, header_line, 0);
    out.push(':');
    let column_start = out.len();
    number(out, header_column, 0);
    let column = (column_start, out.len());
    out.push_str("]\n");
    let mut underlined = (0, 0);
    let mut line_of_label = (0, 0);
    for (index, (offset, line)) in lines().enumerate() {
        let on = Line {
            start: offset,
            end: offset + line.len(),
        };
        let shown = line.strip_suffix('\n').unwrap_or(line);
        let mut on_line = None;
        let mut across = None;
        for label in labels.iter().filter(|label| on.applies(label)) {
            if !on.only(label) {
                across = Some(label);
            } else if on_line.replace(label).is_some() {
                // Two on one line.
                return false;
            }
        }
        if on_line.is_some() && across.is_some() {
            // A label on a line another crosses: miette draws the gutter beside its
            // underline too.
            return false;
        }
        out.push(' ');
        number(out, contents.line + index + 1, width);
        out.push(' ');
        out.push(characters.vbar);
        out.push(' ');
        if gutter > 0 {
            // miette's `render_line_gutter`: an arrow to where the label starts or
            // ends, a bar where it passes.
            match across {
                Some(label) if label.start >= on.start || on.ends(label) => {
                    out.push(if label.start >= on.start {
                        characters.ltop
                    } else if label.text.is_some() {
                        characters.lcross
                    } else {
                        characters.lbot
                    });
                    out.push(characters.hbar);
                    out.push(characters.rarrow);
                    out.push(' ');
                }
                Some(label) if label.start < on.start && label.end() > on.end => {
                    out.push(characters.vbar);
                    spaces(out, 3);
                }
                _ => spaces(out, indent),
            }
        }
        expand_tabs(out, shown);
        out.push('\n');
        if let Some(label) = on_line {
            let at = out.len();
            let place = (width, indent);
            underline(out, characters, place, shown.as_bytes(), offset, label);
            underlined = (at, out.len());
            line_of_label = (offset, offset + shown.len());
        }
        // miette's `render_multi_line_end`: a label crossing lines has its text below
        // the line it ends on.
        if let Some(label) = across.filter(|label| label.start < on.start && on.ends(label)) {
            if let Some(text) = label.text {
                no_line_number(out, characters, width);
                out.push(characters.lbot);
                repeat(out, characters.hbar, 4);
                out.push(' ');
                out.push_str(text);
                out.push('\n');
            }
        }
    }
    spaces(out, width + 2);
    out.push_str(&characters.footer);
    // A snippet with a gutter is not kept: the next is drawn whole.
    if let Some(marks) = marks.filter(|_| gutter == 0) {
        *marks = Marks {
            column,
            underline: underlined,
            width,
            line: line_of_label,
        };
    }
    true
}

/// A line of the context as miette's `Line` sees it: from its start to past its line
/// feed (the last may have none).
struct Line {
    start: usize,
    end: usize,
}

impl Line {
    /// miette's `span_applies`: whether the label starts, passes or ends on the line,
    /// an empty one counted as one byte long.
    fn applies(&self, label: &Label<'_>) -> bool {
        let reach = label.start + label.len.max(1);
        (label.start >= self.start && label.start < self.end)
            || (label.start < self.start && reach > self.end)
            || (reach > self.start && reach <= self.end)
    }

    /// miette's `span_line_only`: whether the label is on this line alone.
    fn only(&self, label: &Label<'_>) -> bool {
        label.start >= self.start && label.end() <= self.end
    }

    /// miette's `span_ends`: whether the label ends on the line.
    fn ends(&self, label: &Label<'_>) -> bool {
        label.end() >= self.start && label.end() <= self.end
    }
}

/// miette's `render_single_line_highlights` for one label on a line: the underline,
/// marked in its middle where the label has text, and the text below the mark. `place`
/// is the line numbers' width and the gutter's indent.
fn underline(
    out: &mut String,
    characters: &Characters,
    (width, indent): (usize, usize),
    line: &[u8],
    offset: usize,
    label: &Label<'_>,
) {
    no_line_number(out, characters, width);
    spaces(out, indent);
    let from = visual_column(line, label.start - offset);
    let to = if label.len == 0 {
        from + 1
    } else {
        visual_column(line, label.end() - offset).max(from + 1)
    };
    let middle = (from + to) / 2;
    spaces(out, from);
    characters.underline(out, middle - from);
    out.push(if label.len == 0 {
        characters.uarrow
    } else if label.text.is_some() {
        characters.underbar
    } else {
        characters.underline
    });
    characters.underline(out, to - middle - 1);
    out.push('\n');
    if let Some(text) = label.text {
        no_line_number(out, characters, width);
        spaces(out, indent + middle);
        out.push(characters.lbot);
        out.push(characters.hbar);
        out.push(characters.hbar);
        out.push(' ');
        out.push_str(text);
        out.push('\n');
    }
}

/// miette's `write_no_linum`: the start of a line under a context line, where the line
/// numbers (`width` columns) are.
fn no_line_number(out: &mut String, characters: &Characters, width: usize) {
    spaces(out, width + 2);
    out.push(characters.vbar_break);
    out.push(' ');
}

/// The decimal digits of `number`.
fn digits(number: usize) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// `value` in decimal, right-aligned in `width` columns.
fn number(out: &mut String, value: usize, width: usize) {
    let mut buffer = itoa::Buffer::new();
    let written = buffer.format(value);
    spaces(out, width.saturating_sub(written.len()));
    out.push_str(written);
}

/// Spaces to copy from: a snippet's indents and gaps are a few dozen wide at most.
const SPACES: &str = "                                                                ";

fn spaces(out: &mut String, count: usize) {
    let mut left = count;
    while left > 0 {
        let run = left.min(SPACES.len());
        out.push_str(SPACES.get(..run).unwrap_or_default());
        left -= run;
    }
}

fn repeat(out: &mut String, character: char, count: usize) {
    // Pushed as characters: as a `&str` each, an underline was a call to `memcpy` a
    // character.
    out.extend(std::iter::repeat_n(character, count));
}

/// The line with each tab widened to the next tab stop (the text is ASCII).
fn expand_tabs(out: &mut String, text: &str) {
    let mut column = 0;
    let mut from = 0;
    for tab in memchr::memchr_iter(b'\t', text.as_bytes()) {
        let run = text.get(from..tab).unwrap_or_default();
        out.push_str(run);
        column += run.len();
        let stop = TAB_WIDTH - column % TAB_WIDTH;
        spaces(out, stop);
        column += stop;
        from = tab + 1;
    }
    out.push_str(text.get(from..).unwrap_or_default());
}

/// `text.split_inclusive('\n')` with the crate's SIMD search for the line feeds: each
/// line with its line feed, the last one without when it has none; no empty last line.
fn lines_with_feeds(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain(std::iter::once(None))
        .filter_map(move |feed| {
            let end = feed.map_or(text.len(), |at| at + 1);
            let line = text.get(from..end)?;
            from = end;
            (!line.is_empty()).then_some(line)
        })
}

/// The column at which byte `index` of the line is drawn; one past the line's end for
/// an index past its text (a span reaching into the line feed).
fn visual_column(text: &[u8], index: usize) -> usize {
    let shown = text.get(..index).unwrap_or(text);
    // Each byte but a tab takes one column: the runs between tabs are counted whole,
    // and each tab goes to the next stop.
    let mut column = 0;
    let mut from = 0;
    for tab in memchr::memchr_iter(b'\t', shown) {
        column += tab - from;
        column += TAB_WIDTH - column % TAB_WIDTH;
        from = tab + 1;
    }
    column += shown.len() - from;
    if index > text.len() {
        column + 1
    } else {
        column
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_spaces_and_runs_are_written_as_format_writes_them() {
        for value in [0, 7, 9, 10, 99, 100, 12_345, 1_000_000, usize::MAX] {
            for width in [0, 1, 3, 8, 25] {
                let mut out = String::from("|");
                number(&mut out, value, width);
                assert_eq!(out, format!("|{value:>width$}"), "{value} in {width}");
            }
        }
        for count in [0, 1, 63, 64, 65, 200] {
            let mut out = String::new();
            spaces(&mut out, count);
            assert_eq!(out, " ".repeat(count));
            out.clear();
            repeat(&mut out, '─', count);
            assert_eq!(out, "─".repeat(count));
        }
        // Underlines from the run made once, and longer ones than it, in either theme.
        for theme in [ThemeCharacters::unicode(), ThemeCharacters::ascii()] {
            let mark = theme.underline;
            let characters = Characters::new(theme);
            for count in [0, 1, 2, 63, RUN - 1, RUN, RUN + 1, 3 * RUN] {
                let mut out = String::from(">");
                characters.underline(&mut out, count);
                assert_eq!(out, format!(">{}", mark.to_string().repeat(count)));
            }
        }
    }

    #[test]
    fn lines_and_tabs_split_as_the_standard_library_splits_them() {
        for text in ["", "a", "a\n", "a\nb", "\n\n", "a\n\nb\n", "\tx\ty\t"] {
            let ours: Vec<&str> = lines_with_feeds(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
        let mut out = String::new();
        expand_tabs(&mut out, "a\tbc\t\td\t");
        // Tab stops every four columns.
        assert_eq!(out, "a   bc      d   ");
        out.clear();
        expand_tabs(&mut out, "no tab");
        assert_eq!(out, "no tab");
        // A byte's column is the width of the line before it as drawn, tabs widened;
        // one past the end for an index past the line.
        for line in ["", "abc", "\t", "a\tbc\t\td\t", "\t\tx", "abcd\tefgh\t"] {
            for index in 0..=line.len() {
                let mut before = String::new();
                expand_tabs(&mut before, line.get(..index).unwrap_or_default());
                assert_eq!(
                    visual_column(line.as_bytes(), index),
                    before.len(),
                    "{line:?} at {index}"
                );
            }
            assert_eq!(visual_column(line.as_bytes(), line.len() + 3), {
                let mut all = String::new();
                expand_tabs(&mut all, line);
                all.len() + 1
            });
        }
    }

    /// A text whose lines end at line feeds only.
    struct Plain(&'static [u8]);

    impl Plain {
        fn starts(&self) -> Vec<usize> {
            let feeds = self.0.iter().enumerate().filter(|(_, &b)| b == b'\n');
            std::iter::once(0)
                .chain(feeds.map(|(at, _)| at + 1))
                .collect()
        }

        fn line_start(&self, line: usize) -> usize {
            self.starts().get(line - 1).copied().unwrap_or(self.0.len())
        }
    }

    impl Text for Plain {
        fn bytes(&self) -> &[u8] {
            self.0
        }

        fn name(&self) -> &str {
            "t.zone"
        }

        fn contents(&self, start: usize, len: usize) -> Option<Contents> {
            let (line, _) = self.line_column(start)?;
            let (end_line, _) = self.line_column((start + len).saturating_sub(1).max(start))?;
            let first = line.saturating_sub(CONTEXT_LINES).max(1);
            let end = self.line_start(end_line + CONTEXT_LINES + 1);
            Some(Contents {
                start: self.line_start(first),
                end,
                line: first - 1,
                column: 0,
                line_count: self.line_column(end)?.0 - 1,
            })
        }

        fn line_column(&self, offset: usize) -> Option<(usize, usize)> {
            let starts = self.starts();
            let line = starts.partition_point(|&start| start <= offset);
            Some((line, offset - starts.get(line - 1)? + 1))
        }
    }

    fn label(start: usize, len: usize, text: Option<&str>) -> Label<'_> {
        Label {
            start,
            len,
            text,
            primary: text.is_none(),
        }
    }

    #[test]
    fn labels_drawn_from_a_kept_snippet_are_drawn_as_alone() {
        // Tabs before and between spans, empty lines, a control character (in the
        // context of lines 3 to 5, which are declined and not kept), and a last line
        // without a line feed; every span of the text, on one line or not, empty or not.
        let text = Plain(b"a\tbc d\te\n\n\tx  yz\nw\x01v\nq\n\nlast\tl");
        let characters = Characters::new(ThemeCharacters::unicode());
        let len = text.0.len();
        let mut labels = Vec::new();
        for start in 0..=len {
            for end in start..=len {
                labels.push(label(start, end - start, None));
            }
        }
        labels.push(label(2, 2, Some("with text")));
        let alone: Vec<(bool, String)> = labels
            .iter()
            .map(|&one| {
                let mut out = String::from(">");
                (draw(&mut out, &characters, &text, &mut [one]), out)
            })
            .collect();
        let mut kept_from = 0;
        let mut redrawn = 0;
        for &first in &labels {
            let mut kept = Kept::default();
            let mut out = String::from(">");
            let drawn = draw_one(&mut out, &characters, &text, first, &mut kept);
            if !kept.held {
                continue;
            }
            assert!(drawn);
            kept_from += 1;
            for (&second, (drawn, expected)) in labels.iter().zip(&alone) {
                let mut from_kept = kept.clone();
                let mut out = String::from(">");
                let from = draw_one(&mut out, &characters, &text, second, &mut from_kept);
                assert_eq!(
                    (from, &out),
                    (*drawn, expected),
                    "{}..{} after {}..{}",
                    second.start,
                    second.end(),
                    first.start,
                    first.end()
                );
                // Drawn from the kept snippet, which stays; drawn anew, it is replaced.
                redrawn += usize::from(
                    from_kept.held && (from_kept.start, from_kept.len) == (first.start, first.len),
                );
            }
        }
        // Every span on one line (its line feed at most) with a context of printable
        // ASCII is kept: on the 9 bytes of line 1, 9 · 10 / 2 + 9 (those ending after
        // the line feed); 2 on each empty line; on the 6 of the last, 7 · 8 / 2 but the
        // empty one at the end of the text, which is underlined on no line.
        assert_eq!(kept_from, 54 + 2 + 2 + 27, "of {}", labels.len());
        // Each is drawn from any other kept on its line, and the label with text (on
        // line 1, drawn by `draw`) leaves each kept snippet as it is.
        assert_eq!(redrawn, 54 * 54 + 2 * 2 + 2 * 2 + 27 * 27 + kept_from);
    }

    #[test]
    fn declines_what_it_cannot_draw_and_writes_nothing() {
        let characters = Characters::new(ThemeCharacters::unicode());
        let mut out = String::from("kept");
        let text = Plain(b"ab\ncd\n\x01\n");
        // Two spans over lines beside each other; a span on a line another crosses; two
        // spans on one line; a control character.
        let mut crossing = [label(1, 3, None), label(2, 2, None)];
        assert!(!draw(&mut out, &characters, &text, &mut crossing));
        let mut beside = [label(1, 3, None), label(4, 1, Some("on it"))];
        assert!(!draw(&mut out, &characters, &text, &mut beside));
        let mut two = [label(0, 1, None), label(1, 1, Some("also"))];
        assert!(!draw(&mut out, &characters, &text, &mut two));
        assert!(!draw(
            &mut out,
            &characters,
            &text,
            &mut [label(6, 1, None)]
        ));
        assert_eq!(out, "kept");
        assert!(draw(&mut out, &characters, &text, &mut [label(1, 1, None)]));
        assert_eq!(
            out,
            "kept   ╭─[t.zone:1:2]\n 1 │ ab\n   ·  ─\n 2 │ cd\n   ╰────\n"
        );
        // One span over two lines, with its text below where it ends.
        out.clear();
        let text = Plain(b"ab\ncd\nef\n");
        assert!(draw(
            &mut out,
            &characters,
            &text,
            &mut [label(1, 3, Some("x"))]
        ));
        assert_eq!(
            out,
            "   ╭─[t.zone:1:2]\n 1 │ ╭─▶ ab\n 2 │ ├─▶ cd\n   · ╰──── x\n 3 │     ef\n   ╰────\n"
        );
    }
}
