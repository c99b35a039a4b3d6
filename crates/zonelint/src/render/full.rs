//! The `full` format: every diagnostic with its source snippet, rendered by miette.
//!
//! Our [`Diagnostic`] is the model; miette only draws it. [`Report`] adapts one diagnostic
//! (and the source text it points into) to `miette::Diagnostic` at the last moment.

use super::{count, rule_url, Appearance, Summary};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;
use zonelint_zone::{Diagnostic, Severity, SourceMap, Span};

/// Renders the diagnostics of one zone, each followed by a blank line.
#[must_use]
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], appearance: Appearance) -> String {
    let theme = if appearance.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(appearance.width)
        .with_links(appearance.hyperlinks);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = Report::new(sources, diagnostic);
        let mut one = String::new();
        if handler.render_report(&mut one, &report).is_err() {
            // miette failed to draw the snippet (it cannot, for a span it cannot read):
            // the finding must still be shown.
            one = plain(sources, diagnostic);
        }
        out.push_str(one.trim_end());
        out.push_str("\n\n");
    }
    out
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

/// One diagnostic as miette sees it.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedSource<Arc<[u8]>>>,
    labels: Vec<LabeledSpan>,
    /// Related spans in other files (an `$INCLUDE`d one) cannot be labels of this
    /// snippet; each becomes a nested report with its own.
    elsewhere: Vec<RelatedReport>,
    help: Option<String>,
    code: String,
    url: String,
}

impl<'a> Report<'a> {
    fn new(sources: &SourceMap, diagnostic: &'a Diagnostic) -> Self {
        let primary = diagnostic.primary;
        // The header already states the message; the primary underline repeats it only
        // when other labels share the snippet and it must be told apart from them.
        let labelled = diagnostic
            .related
            .iter()
            .any(|related| related.span.source == primary.source);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            labelled.then(|| diagnostic.message.clone()),
            source_span(sources, primary),
        )];
        let mut elsewhere = Vec::new();
        for related in &diagnostic.related {
            if related.span.source == primary.source {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
                    source_span(sources, related.span),
                ));
            } else {
                elsewhere.push(RelatedReport {
                    message: related.message.clone(),
                    source: named_source(sources, related.span),
                    label: LabeledSpan::new_primary_with_span(
                        None,
                        source_span(sources, related.span),
                    ),
                });
            }
        }
        Self {
            diagnostic,
            source: named_source(sources, primary),
            labels,
            elsewhere,
            help: help_text(diagnostic),
            code: format!("{}[{}]", diagnostic.code.code, diagnostic.code.slug),
            url: rule_url(diagnostic.code),
        }
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

fn named_source(sources: &SourceMap, span: Span) -> Option<NamedSource<Arc<[u8]>>> {
    sources
        .get(span.source)
        .map(|source| NamedSource::new(source.name(), source.text_arc()))
}

/// The span clamped to its source, so miette can always read what it points at.
fn source_span(sources: &SourceMap, span: Span) -> SourceSpan {
    let len = sources
        .get(span.source)
        .map_or(0, |source| source.text().len());
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
        f.write_str(&self.diagnostic.message)
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

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
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
struct RelatedReport {
    message: String,
    source: Option<NamedSource<Arc<[u8]>>>,
    label: LabeledSpan,
}

impl fmt::Debug for RelatedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelatedReport")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for RelatedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedReport {}

impl miette::Diagnostic for RelatedReport {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::diagnostic::codes;
    use zonelint_zone::{SourceId, SourceMap};

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
            codes::PARSE_RDATA,
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
            codes::PARSE_SYNTAX,
            Severity::Warning,
            Span::new(SourceId(0), 30, 9_999),
            "span past the end",
        );
        let out = render(&sources, &[diagnostic], Appearance::plain());
        assert!(out.contains("span past the end"), "{out}");
        let missing = Diagnostic::new(
            codes::PARSE_SYNTAX,
            Severity::Error,
            Span::new(SourceId(7), 0, 1),
            "unknown source",
        );
        let out = render(&sources, &[missing], Appearance::plain());
        assert!(out.contains("unknown source"), "{out}");
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
