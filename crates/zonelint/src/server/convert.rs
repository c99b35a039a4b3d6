//! Our diagnostics as LSP diagnostics: spans to UTF-16 ranges, severities, rule codes
//! with their documentation links, related spans as related information.

use super::position::LineIndex;
use super::uri;
use crate::render::rule_url;
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Uri,
};
use std::path::Path;
use std::str::FromStr as _;
use zonelint_zone::{Diagnostic, Severity, Span, Zone};

/// What `source` says in every diagnostic: which tool found it.
pub const SOURCE: &str = "zonelint";

/// An open document's text and line index: where its spans are mapped to positions.
pub struct DocumentText<'a> {
    /// The document's URI.
    pub uri: &'a Uri,
    /// Its text, as the editor sent it.
    pub text: &'a str,
    /// The line index of `text`.
    pub lines: &'a LineIndex,
}

impl DocumentText<'_> {
    /// The range of a span in the document (the zone's first source).
    #[must_use]
    pub fn range(&self, span: Span) -> Range {
        Range::new(
            self.lines.position(self.text, span.start as usize),
            self.lines.position(self.text, span.end as usize),
        )
    }

    /// Where a span is: in the document, or in a file it includes (whose source name is
    /// its path, since the document's is). `None` for a source that is neither.
    #[must_use]
    pub fn location(&self, zone: &Zone, span: Span) -> Option<Location> {
        if is_document(zone, span) {
            return Some(Location::new(self.uri.clone(), self.range(span)));
        }
        let source = zone.sources.get(span.source)?;
        let uri = uri::from_path(Path::new(source.name()))?;
        let position = |offset: u32| {
            let (line, character) = source.line_utf16(offset);
            Position::new(line.saturating_sub(1), character)
        };
        Some(Location::new(
            uri,
            Range::new(position(span.start), position(span.end)),
        ))
    }

    /// The range of the `$INCLUDE` line of the document that names the file `name` (by
    /// its file name: the directive may name it relative to the document); the start of
    /// the document when none does (a file included by an included file).
    #[must_use]
    pub fn include_range(&self, name: &str) -> Range {
        let wanted = Path::new(name).file_name();
        let mut start = 0;
        for line in self.text.split_inclusive(['\n', '\r']) {
            let mut words = line.split_whitespace();
            let directive = words.next().unwrap_or_default();
            let named = words.next().unwrap_or_default().trim_matches('"');
            if directive.eq_ignore_ascii_case("$INCLUDE")
                && wanted.is_some()
                && Path::new(named).file_name() == wanted
            {
                let content = line.trim_end_matches(['\n', '\r']);
                let leading = content.len() - content.trim_start().len();
                return Range::new(
                    self.lines.position(self.text, start + leading),
                    self.lines.position(self.text, start + content.len()),
                );
            }
            start += line.len();
        }
        Range::default()
    }

    /// The LSP form of `diagnostic`. One whose primary span is in an included file is
    /// shown on the `$INCLUDE` line, naming the file, with its place as related
    /// information (so it is not lost, and opens with one click).
    #[must_use]
    pub fn diagnostic(&self, zone: &Zone, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
        let mut message = diagnostic.message.clone();
        let mut related: Vec<DiagnosticRelatedInformation> = Vec::new();
        let range = if is_document(zone, diagnostic.primary) {
            self.range(diagnostic.primary)
        } else {
            if let Some(location) = self.location(zone, diagnostic.primary) {
                related.push(DiagnosticRelatedInformation {
                    location,
                    message: diagnostic.message.clone(),
                });
            }
            match zone.sources.get(diagnostic.primary.source) {
                Some(source) => {
                    message = format!("in `{}`: {message}", source.name());
                    self.include_range(source.name())
                }
                None => Range::default(),
            }
        };
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        related.extend(diagnostic.related.iter().filter_map(|item| {
            Some(DiagnosticRelatedInformation {
                location: self.location(zone, item.span)?,
                message: item.message.clone(),
            })
        }));
        lsp_types::Diagnostic {
            range,
            severity: Some(severity(diagnostic.severity)),
            code: Some(NumberOrString::String(diagnostic.code.code.to_owned())),
            code_description: Uri::from_str(&rule_url(*diagnostic.code))
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }
}

/// Whether `span` is in the document itself rather than in a file it includes.
#[must_use]
pub fn is_document(zone: &Zone, span: Span) -> bool {
    zone.sources
        .iter()
        .next()
        .is_some_and(|(first, _)| first == span.source)
}

/// Our severities in the protocol's terms.
#[must_use]
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
