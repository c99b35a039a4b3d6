//! The `full` format: every diagnostic with its source snippet, rendered by miette.
//!
//! Our [`Diagnostic`] is the model; miette only draws it. [`Report`] adapts one diagnostic
//! (and the source text it points into) to `miette::Diagnostic` at the last moment. The
//! common report (plain ASCII, spans on lines of their own, no colour) is written
//! directly, byte for byte as miette would ([`Drawer::draw_plain`], [`plain_snippet`]).

use super::{count, plain_snippet, rule_url, wrap, Appearance, Summary, RULE_URL_BASE};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io;
use zonelint_zone::{Diagnostic, Severity, Source, SourceId, SourceMap, Span};

/// Renders the diagnostics of one zone, each followed by a blank line.
#[must_use]
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], appearance: Appearance) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let drawer = Drawer::new(sources, diagnostics, appearance);
    super::render_in_chunks(diagnostics, |chunk| drawer.draw(chunk))
}

/// Writes what [`render`] returns, a batch at a time (a large zone's report is never
/// held whole in memory).
pub fn write(
    out: &mut dyn io::Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    appearance: Appearance,
) -> io::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let drawer = Drawer::new(sources, diagnostics, appearance);
    super::write_in_batches(out, diagnostics, |chunk| drawer.draw(chunk))
}

/// What drawing needs, prepared once per zone: the theme and the text of every source
/// the diagnostics point into.
struct Drawer<'s> {
    sources: &'s SourceMap,
    theme: GraphicalTheme,
    appearance: Appearance,
    snippets: HashMap<SourceId, Snippet<'s>>,
    indents: Indents,
    /// The theme's characters as [`plain_snippet`] draws them.
    characters: plain_snippet::Characters,
    /// Whether reports miette would draw the same way are drawn here
    /// ([`Drawer::draw_plain`]): only without colour; the tests turn it off to compare
    /// with miette's own.
    plain: bool,
}

/// Where miette's wrapping breaks a report's lines (its `render_causes` and
/// `render_footer`): the width, and each indent and its width, worked out once.
struct Indents {
    /// The terminal width less the two columns miette keeps.
    width: usize,
    /// A message's first line, after `  × ` (the severity's icon): error, warning, info.
    message_first: [(String, usize); 3],
    /// A message's other lines, after `  │ `.
    message_rest: (String, usize),
}

/// A help line's first line is after `  help: `, the others after as many spaces.
const HELP_FIRST: &str = "  help: ";
const HELP_REST: &str = "        ";
const HELP_INDENT: usize = HELP_FIRST.len();

impl Indents {
    fn new(theme: &GraphicalTheme, width: usize) -> Self {
        let characters = &theme.characters;
        let indent = |mark: &dyn fmt::Display| {
            let indent = format!("  {mark} ");
            let width = textwrap::core::display_width(&indent);
            (indent, width)
        };
        Self {
            width: width.saturating_sub(2),
            message_first: [
                indent(&characters.error),
                indent(&characters.warning),
                indent(&characters.advice),
            ],
            message_rest: indent(&characters.vbar),
        }
    }

    fn message_first(&self, severity: Severity) -> &(String, usize) {
        let [error, warning, info] = &self.message_first;
        match severity {
            Severity::Error => error,
            Severity::Warning => warning,
            Severity::Info => info,
        }
    }
}

impl<'s> Drawer<'s> {
    fn new(sources: &'s SourceMap, diagnostics: &[Diagnostic], appearance: Appearance) -> Self {
        let theme = if appearance.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Only the files the diagnostics point into (looked up by id, not by iterating the
        // map, whose ids start at the zone's base).
        let mut snippets: HashMap<SourceId, Snippet<'_>> = HashMap::new();
        for id in referenced_sources(diagnostics) {
            if let (Some(source), false) = (sources.get(id), snippets.contains_key(&id)) {
                snippets.insert(id, Snippet::new(source));
            }
        }
        Self {
            sources,
            indents: Indents::new(&theme, appearance.width),
            characters: plain_snippet::Characters::new(theme.characters.clone()),
            theme,
            appearance,
            snippets,
            plain: !appearance.color,
        }
    }

    /// Draws consecutive diagnostics (each task of a parallel render has its own handler).
    fn draw(&self, diagnostics: &[Diagnostic]) -> String {
        // Lines break at spaces only: names, `tag=value` pairs and record text stay whole
        // (a name split at its hyphen cannot be copied back), and finding a space is far
        // cheaper than Unicode line breaking. A word longer than the line still breaks.
        let handler = GraphicalReportHandler::new_themed(self.theme.clone())
            .with_width(self.appearance.width)
            .with_links(self.appearance.hyperlinks)
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
        // The same, for reports whose message and help are broken into lines already
        // (`wrap::wrap_ascii`, the same lines): it only indents them.
        let prewrapped = handler.clone().with_wrap_lines(false);
        // About 1 KB a finding (1,030 bytes on the 1M-record bench zone), with room to
        // spare: grown, the text was copied once more. One buffer for miette's drawing and
        // one for a fix's line, reused.
        let mut out = String::with_capacity(diagnostics.len() * 1280);
        let mut one = String::with_capacity(2048);
        let mut fix_line = String::with_capacity(256);
        let mut last = LastSnippet::default();
        for diagnostic in diagnostics {
            let mark = out.len();
            if !self.draw_plain(&mut out, diagnostic, &mut fix_line, &mut last) {
                let mut report = Report::new(&self.snippets, diagnostic);
                let handler = if report.prewrap(&self.indents) {
                    &prewrapped
                } else {
                    &handler
                };
                one.clear();
                if handler.render_report(&mut one, &report).is_err() {
                    // miette failed to draw the snippet (it cannot, for a span it cannot
                    // read): the finding must still be shown.
                    one = plain(self.sources, diagnostic);
                }
                out.push_str(&one);
            }
            let drawn = out.get(mark..).map_or(0, |drawn| drawn.trim_end().len());
            out.truncate(mark + drawn);
            out.push_str("\n\n");
        }
        out
    }

    /// Draws `diagnostic` whole, as miette would without colour and with its rule's URL
    /// as text, where its message and help are plain ASCII ([`wrap::wrap_ascii_into`])
    /// and its snippet is [`plain_snippet`]'s to draw: nearly every finding. False, with
    /// nothing appended, otherwise.
    ///
    /// miette's parts, in its order: the header (`render_header`), the message behind
    /// the severity's mark (`render_causes`), the snippet (`render_snippets`), the help
    /// and the fix (`render_footer`); such a report has no cause chain and no nested
    /// report, and its labels are those [`Report::new`] makes.
    fn draw_plain(
        &self,
        out: &mut String,
        diagnostic: &Diagnostic,
        fix_line: &mut String,
        last: &mut LastSnippet,
    ) -> bool {
        let primary = diagnostic.primary;
        let Some(snippet) = self.snippets.get(&primary.source) else {
            return false;
        };
        let count = 1 + diagnostic.related.len();
        if !self.plain
            || self.appearance.hyperlinks
            || count > plain_snippet::MOST_LABELS
            || diagnostic
                .related
                .iter()
                .any(|related| related.span.source != primary.source)
        {
            return false;
        }
        let mark = out.len();
        let code = diagnostic.code;
        for piece in [
            code.code,
            "[",
            code.slug,
            "] (",
            RULE_URL_BASE,
            code.slug,
            ")\n\n",
        ] {
            out.push_str(piece);
        }
        let indents = &self.indents;
        let (first, first_width) = indents.message_first(diagnostic.severity);
        let (rest, rest_width) = &indents.message_rest;
        let message = [diagnostic.message.as_str()];
        let mut drawn = wrap::wrap_ascii_into(
            out,
            &message,
            indents.width,
            (first, *first_width),
            (rest, *rest_width),
        );
        if drawn {
            out.push('\n');
            // The primary span is labelled with the message when another shares it.
            let labelled = count > 1;
            let label = |span, text, primary| plain_label(snippet, span, text, primary);
            let mut labels = [label(primary, None, true); plain_snippet::MOST_LABELS];
            let all = std::iter::once(label(
                primary,
                labelled.then_some(diagnostic.message.as_str()),
                true,
            ))
            .chain(
                diagnostic
                    .related
                    .iter()
                    .map(|related| label(related.span, Some(&related.message), false)),
            );
            for (slot, label) in labels.iter_mut().zip(all) {
                *slot = label;
            }
            let labels = labels.get_mut(..count).unwrap_or_default();
            let characters = &self.characters;
            // A lone label has no text: its snippet is its line's but for the header's
            // column and the underline, and the one before it (findings sorted by
            // place) is often on the same line.
            drawn = match labels {
                [only] => {
                    if last.source != Some(primary.source) {
                        last.kept.forget();
                        last.source = Some(primary.source);
                    }
                    plain_snippet::draw_one(out, characters, snippet, *only, &mut last.kept)
                }
                _ => plain_snippet::draw(out, characters, snippet, labels),
            };
        }
        if drawn {
            // The help, then the fix, as `help_text` joins them.
            fix_line.clear();
            if let Some(fix) = &diagnostic.fix {
                fix_line.push_str(fix.applicability.as_str());
                fix_line.push_str(" fix available: ");
                fix_line.push_str(&fix.message);
            }
            let fix = diagnostic.fix.as_ref().map(|_| fix_line.as_str());
            let (texts, lines) = match (diagnostic.help.as_deref(), fix) {
                (Some(help), Some(fix)) => ([help, fix], 2),
                (Some(one), None) | (None, Some(one)) => ([one, ""], 1),
                (None, None) => (["", ""], 0),
            };
            let help = texts.get(..lines).unwrap_or_default();
            if !help.is_empty() {
                let indent = (HELP_FIRST, HELP_INDENT);
                let rest = (HELP_REST, HELP_INDENT);
                drawn = wrap::wrap_ascii_into(out, help, indents.width, indent, rest);
                if drawn {
                    out.push('\n');
                }
            }
        }
        if !drawn {
            out.truncate(mark);
        }
        drawn
    }
}

/// The snippet [`Drawer::draw_plain`] drew last for a report of one label, and the
/// source it is in: the next report on its line is drawn from it (of the bench zone's
/// findings, a fifth share their span with the one before and a third their line).
#[derive(Default)]
struct LastSnippet {
    kept: plain_snippet::Kept,
    source: Option<SourceId>,
}

/// The last line of a `full` report.
#[must_use]
pub fn summary_line(summary: &Summary) -> String {
    format!(
        "Found {}, {} ({} fixable with --fix).\n",
        count(summary.errors, "error"),
        count(summary.warnings, "warning"),
        summary.fixable
    )
}

/// A one-line fallback: `FILE:LINE:COL: SEVERITY CODE message`.
fn plain(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let (file, line, column) = sources.get(diagnostic.primary.source).map_or_else(
        || (String::from("<unknown>"), 0, 0),
        |source| {
            let (line, column) = source.line_column(diagnostic.primary.start);
            (source.name().to_owned(), line, column)
        },
    );
    format!(
        "{file}:{line}:{column}: {} {} {}\n",
        diagnostic.severity.as_str(),
        diagnostic.code.code,
        diagnostic.message
    )
}

/// One file's text as miette reads it.
///
/// miette's own `SourceCode` for bytes counts columns in bytes and decodes invalid UTF-8
/// to three-byte replacement characters, so its `file:line:column` header would disagree
/// with the JSON columns (characters) and its underlines would drift on any line holding
/// a non-ASCII byte. Here lines and columns come from [`Source::line_column`], as in every
/// other format, and each byte of an invalid sequence is shown as one `?`, which keeps
/// every byte offset exact.
struct Snippet<'s> {
    source: &'s Source,
    text: Cow<'s, [u8]>,
}

/// The sources `diagnostics` point into (their primary and related spans), each once,
/// in the order first met. Gathered on every core: each diagnostic is read from
/// memory, half a million of them on a large zone (50 ms on one core).
fn referenced_sources(diagnostics: &[Diagnostic]) -> Vec<SourceId> {
    use rayon::prelude::*;
    // Sorted diagnostics come in runs of one file: the last one is checked first.
    let add = |mut ids: Vec<SourceId>, id: SourceId| {
        if ids.last() != Some(&id) && !ids.contains(&id) {
            ids.push(id);
        }
        ids
    };
    diagnostics
        .par_iter()
        .fold(Vec::new, |ids, diagnostic| {
            let ids = add(ids, diagnostic.primary.source);
            diagnostic
                .related
                .iter()
                .fold(ids, |ids, related| add(ids, related.span.source))
        })
        .reduce(Vec::new, |first, second| {
            second.into_iter().fold(first, add)
        })
}

/// Whether `bytes` are UTF-8: ASCII (nearly every zone file) checked on every core, a
/// megabyte a task (an 87 MB file took 30 ms on one), anything else by the standard
/// library.
fn valid_utf8(bytes: &[u8]) -> bool {
    use rayon::prelude::*;
    bytes.par_chunks(1 << 20).all(<[u8]>::is_ascii) || std::str::from_utf8(bytes).is_ok()
}

impl<'s> Snippet<'s> {
    fn new(source: &'s Source) -> Self {
        source.index_lines();
        let bytes = source.text();
        let text = if valid_utf8(bytes) {
            Cow::Borrowed(bytes)
        } else {
            let mut shown = Vec::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                shown.extend_from_slice(chunk.valid().as_bytes());
                shown.extend(std::iter::repeat_n(b'?', chunk.invalid().len()));
            }
            Cow::Owned(shown)
        };
        Self { source, text }
    }

    /// 1-based line and column of a byte offset.
    fn line_column(&self, offset: usize) -> Result<(usize, usize), MietteError> {
        let offset = u32::try_from(offset).map_err(|_| MietteError::OutOfBounds)?;
        let (line, column) = self.source.line_column(offset);
        Ok((line as usize, column as usize))
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> Result<usize, MietteError> {
        let offset = u32::try_from(offset).map_err(|_| MietteError::OutOfBounds)?;
        Ok(self.source.line(offset) as usize)
    }

    /// Where 1-based `line` starts, or the end of the text past the last line.
    fn line_start(&self, line: usize) -> usize {
        u32::try_from(line)
            .ok()
            .and_then(|line| self.source.line_start(line))
            .map_or(self.text.len(), |start| start as usize)
    }
}

impl Snippet<'_> {
    /// What `read_span` gives miette for `span`, as offsets: where the contents start and
    /// end, the 0-based line and column of their start, and the lines before their end.
    fn contents(
        &self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<plain_snippet::Contents, MietteError> {
        let start = span.offset();
        let end = start
            .checked_add(span.len())
            .filter(|&end| end <= self.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        // As miette's own sources do: without context before, the contents start at the
        // span itself (that is how its header finds the line and column); with context,
        // at the start of the first context line. Elsewhere lines alone are looked up: a
        // column is counted character by character from the start of its line.
        let (data_start, line, column) = if context_lines_before == 0 {
            let (start_line, start_column) = self.line_column(start)?;
            (start, start_line - 1, start_column - 1)
        } else {
            let start_line = self.line(start)?;
            let first = start_line.saturating_sub(context_lines_before).max(1);
            (self.line_start(first), first - 1, 0)
        };
        let data_end = if context_lines_after == 0 {
            end
        } else {
            let end_line = self.line(end.saturating_sub(1).max(start))?;
            self.line_start(end_line + context_lines_after + 1)
        };
        // miette merges snippets by comparing `line + line_count` with the next one's line;
        // its own sources count every line break from the start of the file.
        let lines_before_end = self.line(data_end)?;
        Ok(plain_snippet::Contents {
            start: data_start,
            end: data_end,
            line,
            column,
            line_count: lines_before_end - 1,
        })
    }
}

impl SourceCode for Snippet<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.contents(span, context_lines_before, context_lines_after)?;
        let data = self
            .text
            .get(contents.start..contents.end)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name().to_owned(),
            data,
            SourceSpan::new(contents.start.into(), contents.end - contents.start),
            contents.line,
            contents.column,
            contents.line_count,
        )))
    }
}

impl plain_snippet::Text for Snippet<'_> {
    fn bytes(&self) -> &[u8] {
        &self.text
    }

    fn name(&self) -> &str {
        self.source.name()
    }

    fn contents(&self, start: usize, len: usize) -> Option<plain_snippet::Contents> {
        let context = plain_snippet::CONTEXT_LINES;
        self.contents(&SourceSpan::new(start.into(), len), context, context)
            .ok()
    }

    fn line_column(&self, offset: usize) -> Option<(usize, usize)> {
        Snippet::line_column(self, offset).ok()
    }
}

/// One diagnostic as miette sees it.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<&'a Snippet<'a>>,
    labels: Vec<LabeledSpan>,
    /// Related spans in other files (an `$INCLUDE`d one) cannot be labels of this
    /// snippet; each becomes a nested report with its own.
    elsewhere: Vec<RelatedReport<'a>>,
    /// The message as drawn: the diagnostic's, or its lines from [`Report::prewrap`].
    message: Cow<'a, str>,
    help: Option<String>,
    code: String,
    url: String,
}

impl<'a> Report<'a> {
    fn new(snippets: &'a HashMap<SourceId, Snippet<'a>>, diagnostic: &'a Diagnostic) -> Self {
        let primary = diagnostic.primary;
        // The header already states the message; the primary underline repeats it only
        // when other labels share the snippet and it must be told apart from them.
        let labelled = diagnostic
            .related
            .iter()
            .any(|related| related.span.source == primary.source);
        let source_span = |span: Span| source_span(snippets.get(&span.source), span);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            labelled.then(|| diagnostic.message.clone()),
            source_span(primary),
        )];
        let mut elsewhere = Vec::new();
        for related in &diagnostic.related {
            if related.span.source == primary.source {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
                    source_span(related.span),
                ));
            } else {
                elsewhere.push(RelatedReport {
                    message: related.message.clone(),
                    source: snippets.get(&related.span.source),
                    label: LabeledSpan::new_primary_with_span(None, source_span(related.span)),
                });
            }
        }
        Self {
            diagnostic,
            message: Cow::Borrowed(&diagnostic.message),
            source: snippets.get(&primary.source),
            labels,
            elsewhere,
            help: help_text(diagnostic),
            code: format!("{}[{}]", diagnostic.code.code, diagnostic.code.slug),
            url: rule_url(*diagnostic.code),
        }
    }
}

impl Report<'_> {
    /// Breaks the message and the help into the lines miette's wrapping would make, where
    /// [`wrap::wrap_ascii`] can (plain ASCII, no nested report): true when it did, and
    /// the report is to be drawn by a handler that does not wrap.
    fn prewrap(&mut self, indents: &Indents) -> bool {
        if !self.elsewhere.is_empty() {
            return false;
        }
        let (_, first) = indents.message_first(self.diagnostic.severity);
        let message = wrap::wrap_ascii(
            &self.diagnostic.message,
            indents.width,
            *first,
            indents.message_rest.1,
        );
        let Some(message) = message else {
            return false;
        };
        let help = match &self.help {
            Some(help) => {
                let Some(lines) = wrap::wrap_ascii(help, indents.width, HELP_INDENT, HELP_INDENT)
                else {
                    return false;
                };
                Some(lines)
            }
            None => None,
        };
        self.message = Cow::Owned(message);
        self.help = help;
        true
    }
}

/// A span of a report as [`plain_snippet`] takes it, clamped as miette's is.
fn plain_label<'t>(
    snippet: &Snippet<'_>,
    span: Span,
    text: Option<&'t str>,
    primary: bool,
) -> plain_snippet::Label<'t> {
    let span = source_span(Some(snippet), span);
    plain_snippet::Label {
        start: span.offset(),
        len: span.len(),
        text,
        primary,
    }
}

/// The help line, and the fix where there is one.
fn help_text(diagnostic: &Diagnostic) -> Option<String> {
    let fix = diagnostic.fix.as_ref().map(|fix| {
        format!(
            "{} fix available: {}",
            fix.applicability.as_str(),
            fix.message
        )
    });
    match (&diagnostic.help, fix) {
        (Some(help), Some(fix)) => Some(format!("{help}\n{fix}")),
        (Some(help), None) => Some(help.clone()),
        (None, fix) => fix,
    }
}

/// The span clamped to its source, so miette can always read what it points at.
fn source_span(snippet: Option<&Snippet<'_>>, span: Span) -> SourceSpan {
    let len = snippet.map_or(0, |snippet| snippet.text.len());
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    SourceSpan::new(start.into(), end - start)
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.diagnostic.severity))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.url))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere
                .iter()
                .map(|related| related as &dyn miette::Diagnostic),
        ))
    }
}

/// A related span in another file, drawn as a nested note with its own snippet.
struct RelatedReport<'a> {
    message: String,
    source: Option<&'a Snippet<'a>>,
    label: LabeledSpan,
}

impl fmt::Debug for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelatedReport")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for RelatedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedReport<'_> {}

impl miette::Diagnostic for RelatedReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use zonelint_zone::diagnostic::codes;
    use zonelint_zone::{Applicability, Fix};

    #[test]
    fn every_referenced_source_is_found_once() {
        use zonelint_zone::{Related, SourceId};
        let at = |source: u32| Span::new(SourceId(source), 0, 1);
        let mut diagnostics: Vec<Diagnostic> = (0..5000u32)
            .map(|i| {
                Diagnostic::new(
                    &codes::PARSE_SYNTAX,
                    Severity::Error,
                    at(i / 2000),
                    String::new(),
                )
            })
            .collect();
        if let Some(last) = diagnostics.last_mut() {
            last.related.push(Related {
                span: at(7),
                message: String::new(),
            });
        }
        let mut found = referenced_sources(&diagnostics);
        found.sort_unstable();
        assert_eq!(found, [SourceId(0), SourceId(1), SourceId(2), SourceId(7)]);
        assert!(referenced_sources(&[]).is_empty());
    }

    fn sources() -> SourceMap {
        let mut sources = SourceMap::new();
        sources.add(
            "t.zone",
            Arc::from(&b"$ORIGIN example.com.\nwww A 192.0.2.300\n"[..]),
        );
        sources.add("inc/mail.inc", Arc::from(&b"mail A 192.0.2.1\n"[..]));
        sources
    }

    #[test]
    fn snippet_label_help_and_related_in_another_file() {
        let sources = sources();
        let diagnostic = Diagnostic::new(
            &codes::PARSE_RDATA,
            Severity::Error,
            Span::new(SourceId(0), 27, 38),
            "`192.0.2.300` is not an IPv4 address",
        )
        .with_help("Write four decimal octets, each 0–255")
        .with_related(Span::new(SourceId(0), 21, 24), "owner")
        .with_related(Span::new(SourceId(1), 0, 4), "also here");
        let out = render(&sources, &[diagnostic], Appearance::plain());
        insta::assert_snapshot!(out);
    }

    #[test]
    fn spans_past_the_end_are_clamped_not_fatal() {
        let sources = sources();
        let diagnostic = Diagnostic::new(
            &codes::PARSE_SYNTAX,
            Severity::Warning,
            Span::new(SourceId(0), 30, 9_999),
            "span past the end",
        );
        let out = render(&sources, &[diagnostic], Appearance::plain());
        assert!(out.contains("span past the end"), "{out}");
        let missing = Diagnostic::new(
            &codes::PARSE_SYNTAX,
            Severity::Error,
            Span::new(SourceId(7), 0, 1),
            "unknown source",
        );
        let out = render(&sources, &[missing], Appearance::plain());
        assert!(out.contains("unknown source"), "{out}");
    }

    #[test]
    fn any_span_renders_without_panicking() {
        // Multi-byte characters, an invalid byte, CRLF, a lone CR, a tab, no final newline.
        let text = b"caf\xc3\xa9 A 1\r\n\xff\xc3\xa9\tTXT x\rq\n\n( a\n b )";
        let mut sources = SourceMap::new();
        sources.add("u.zone", Arc::from(&text[..]));
        let len = text.len() as u32;
        for start in 0..=len {
            for end in start..=len + 1 {
                let diagnostic = Diagnostic::new(
                    &codes::PARSE_SYNTAX,
                    Severity::Error,
                    Span::new(SourceId(0), start, end),
                    "the finding",
                )
                .with_related(Span::new(SourceId(0), end / 2, end), "related");
                let out = render(&sources, &[diagnostic], Appearance::plain());
                assert!(out.contains("the finding"), "{start}..{end}: {out}");
                assert!(
                    out.contains("╭─[u.zone:"),
                    "no snippet for {start}..{end}: {out}"
                );
            }
        }
    }

    #[test]
    fn findings_at_one_place_draw_in_a_list_as_each_alone() {
        // Two at the same offsets in two files, two at one span, one at that span with
        // a related span (two labels), the span again, one with the same start and a
        // longer span, one further on that line; then one on the first line of the
        // other file, and one on the first line of the first file, at offsets that are
        // on the other's first line too.
        let sources = sources();
        let at = |source, start, end, message: &str| {
            Diagnostic::new(
                &codes::PARSE_RDATA,
                Severity::Error,
                Span::new(SourceId(source), start, end),
                message,
            )
        };
        let diagnostics = [
            at(0, 0, 7, "the directive"),
            at(1, 0, 7, "same offsets, other file"),
            at(0, 21, 24, "first"),
            at(0, 21, 24, "second, same span"),
            at(0, 21, 24, "same span, with a related span")
                .with_related(Span::new(SourceId(0), 27, 38), "related"),
            at(0, 21, 24, "the first span again"),
            at(0, 21, 26, "same start, longer"),
            at(0, 27, 38, "same line, further on"),
            at(1, 0, 4, "other file, first line"),
            at(0, 8, 12, "first file, first line"),
        ];
        let drawer = Drawer::new(&sources, &diagnostics, Appearance::plain());
        let alone: String = diagnostics
            .iter()
            .map(|diagnostic| drawer.draw(std::slice::from_ref(diagnostic)))
            .collect();
        assert_eq!(drawer.draw(&diagnostics), alone);
    }

    /// Every report drawn with `plain_snippet` next to miette's drawing of it.
    fn compare_with_miette(sources: &SourceMap, diagnostics: &[Diagnostic]) -> usize {
        let fast = Drawer::new(sources, diagnostics, Appearance::plain());
        let mut miette = Drawer::new(sources, diagnostics, Appearance::plain());
        miette.plain = false;
        let mut plain = 0;
        for diagnostic in diagnostics {
            let one = std::slice::from_ref(diagnostic);
            assert_eq!(fast.draw(one), miette.draw(one), "{:?}", diagnostic.primary);
            let mut last = LastSnippet::default();
            if fast.draw_plain(
                &mut String::new(),
                diagnostic,
                &mut String::new(),
                &mut last,
            ) {
                plain += 1;
            }
        }
        plain
    }

    #[test]
    fn plain_snippets_are_miettes() {
        // Tabs at every column of a tab stop, an empty line, a blank last line, the line
        // numbers' width growing from one digit to two, and a text with no final newline.
        let mut text = String::from("a\tb\tcd\tefg\thijk\tx\n\t\tboth\n\n  \t \n");
        for line in 5..=11 {
            text.push_str(&format!("line{line} IN TXT \"x\"\n"));
        }
        text.push_str("\tend");
        let mut sources = SourceMap::new();
        sources.add("p.zone", Arc::from(text.as_bytes()));
        let len = text.len() as u32;
        let long = "a message long enough to be broken over two lines, at the spaces \
                    between its words, never inside one: mail.example.com. twice mail.example.com.";
        let mut diagnostics = Vec::new();
        for start in 0..=len {
            for end in start..=len + 1 {
                // Spans past the end are clamped to it, as `source_span` does.
                let span = Span::new(SourceId(0), start, end);
                let short = Diagnostic::new(&codes::PARSE_SYNTAX, Severity::Warning, span, "m");
                diagnostics.push(short.with_help("h\nmore"));
                // Every severity's mark, and a message and help broken over lines.
                let severity = [Severity::Error, Severity::Warning, Severity::Info]
                    [(start + end) as usize % 3];
                diagnostics.push(Diagnostic::new(&codes::PARSE_RDATA, severity, span, long));
                diagnostics.push(
                    Diagnostic::new(&codes::PARSE_RDATA, severity, span, "x")
                        .with_help(long)
                        .with_fix(Fix {
                            applicability: Applicability::Safe,
                            message: String::from("the fix"),
                            edits: Vec::new(),
                        }),
                );
            }
        }
        // Every span is drawn apart, in each of the three reports: those over several
        // lines with miette's arrows in a gutter.
        assert_eq!(
            compare_with_miette(&sources, &diagnostics),
            diagnostics.len()
        );
    }

    #[test]
    fn labelled_snippets_are_miettes() {
        // Sixteen lines (so that some contexts merge by miette's reckoning and some do
        // not), tabs, an empty line; spans at the start, inside and at the end of lines,
        // empty ones; a related span before, after and on the primary's line, one or two.
        let mut text = String::new();
        for line in 1..=16 {
            match line {
                7 => text.push('\n'),
                9 => text.push_str("\tmx\tIN\tMX 10 mail\n"),
                _ => text.push_str(&format!("name{line} IN A 192.0.2.{line}\n")),
            }
        }
        let mut sources = SourceMap::new();
        sources.add("l.zone", Arc::from(text.as_bytes()));
        let mut spans = Vec::new();
        let mut starts = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let end = start + line.len() as u32;
            spans.push((start, (start + 4).min(end - 1)));
            spans.push((start + 2, start + 2));
            spans.push((end - 1, end));
            starts.push(start);
            start = end;
        }
        // Spans over several lines: from inside one to inside the next, from a line feed
        // to past the next one, over the empty line and the line of tabs, whole lines.
        let lines = starts.len();
        for at in [0, 4, 5, 8, 13] {
            let line = |at: usize| starts[at.min(lines - 1)];
            spans.push((line(at) + 3, line(at + 1) + 5));
            spans.push((line(at + 1) - 1, line(at + 3)));
            spans.push((line(at), line(at + 2)));
            spans.push((line(at) + 1, line(at + 4) - 2));
        }
        let span = |(start, end): (u32, u32)| Span::new(SourceId(0), start, end);
        let mut diagnostics = Vec::new();
        for (index, &primary) in spans.iter().enumerate() {
            for &related in &spans {
                let diagnostic =
                    Diagnostic::new(&codes::PARSE_SYNTAX, Severity::Error, span(primary), "m")
                        .with_related(span(related), "the other");
                diagnostics.push(diagnostic.clone().with_help("h"));
                let third = spans[(index * 7) % spans.len()];
                diagnostics.push(diagnostic.with_related(span(third), "a third"));
            }
        }
        let plain = compare_with_miette(&sources, &diagnostics);
        assert!(
            plain > diagnostics.len() / 2,
            "{plain} of {}",
            diagnostics.len()
        );
        // A label over several lines labelled beside another, with its text below where
        // it ends, is drawn here too (not only left to miette).
        let across = (starts[2] + 1, starts[4] + 3);
        let diagnostic = Diagnostic::new(&codes::PARSE_SYNTAX, Severity::Error, span(across), "m")
            .with_related(span(spans[30]), "the other");
        assert_eq!(compare_with_miette(&sources, &[diagnostic]), 1);
    }

    #[test]
    fn snippets_plain_cannot_draw_are_left_to_miette() {
        // Multi-byte characters, an invalid byte, CRLF, a lone CR, a control character,
        // an escape; a label's text; a related span in another file.
        let text = b"caf\xc3\xa9 A 1\r\n\xff\xc3\xa9\tTXT x\rq\n\x0b\x1b[1m\n( a\n b )\nok\n";
        let mut sources = sources();
        sources.add("u.zone", Arc::from(&text[..]));
        let len = text.len() as u32;
        let mut diagnostics = Vec::new();
        for start in 0..=len {
            for end in start..=len {
                let span = Span::new(SourceId(2), start, end);
                let diagnostic = Diagnostic::new(&codes::PARSE_SYNTAX, Severity::Error, span, "m")
                    .with_help("h");
                diagnostics.push(
                    diagnostic
                        .clone()
                        .with_related(Span::new(SourceId(2), end / 2, end), "label"),
                );
                diagnostics.push(
                    diagnostic
                        .clone()
                        .with_related(Span::new(SourceId(1), 0, 4), "elsewhere"),
                );
                diagnostics.push(diagnostic);
            }
        }
        let plain = compare_with_miette(&sources, &diagnostics);
        assert!(plain > 0, "the last line is plain ASCII");
    }

    #[test]
    fn lines_break_at_spaces_never_inside_a_name() {
        // Unicode line breaking would split this name after `systems-` at the edge of the
        // 100-column line, and the name could not be copied back from the report.
        let sources = sources();
        let name = "baeckerei-systems-7.example.net._report._dmarc.inbound.dmarcdigests.com.";
        let diagnostic = Diagnostic::new(
            &codes::PARSE_SYNTAX,
            Severity::Warning,
            Span::new(SourceId(0), 0, 1),
            format!("the destination is outside the organization of baeckerei-systems-7.example.net. and {name}"),
        )
        .with_help(format!("Ask the report receiver to publish `{name} TXT \"v=DMARC1\"`"));
        let out = render(&sources, &[diagnostic], Appearance::plain());
        assert!(out.contains(name), "{out}");
        assert!(out.contains(" baeckerei-systems-7.example.net. "), "{out}");
        assert!(out.lines().all(|line| line.chars().count() <= 100), "{out}");
    }

    #[test]
    fn summary_counts_are_pluralised() {
        let summary = Summary {
            errors: 1,
            warnings: 2,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "Found 1 error, 2 warnings (0 fixable with --fix).\n"
        );
    }
}
