//! The `json` format, schema version 1 (docs/cli.md). A public contract: fields are only
//! ever added. These types exist for serialisation alone; the model does not derive
//! `Serialize`.

use super::{locate, RuleUrl, Summary};
use serde::{Serialize, Serializer};
use std::fmt::Display;
use std::io::{self, Write};
use zonelint_zone::{Diagnostic, Name, SourceMap};

/// The schema version this module writes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    diagnostics: &'a [JsonDiagnostic<'a>],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One diagnostic with its positions resolved. Its texts are the diagnostic's, borrowed,
/// and its names and URL are written as they are serialised: a large zone's half a
/// million diagnostics were five copies or formatted strings each.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    offset: u32,
    length: u32,
    zone: Option<Shown<&'a Name>>,
    owner: Option<Shown<&'a Name>>,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
    url: Shown<RuleUrl>,
}

#[derive(Debug, Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonEdit<'a> {
    offset: u32,
    length: u32,
    content: &'a str,
}

/// A value serialised as the string its `Display` writes, straight into the output.
#[derive(Debug)]
struct Shown<T>(T);

impl<T: Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    zones: usize,
    records: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixable: usize,
}

/// Converts the diagnostics of one zone (whose starting origin is `zone`).
#[must_use]
pub fn convert<'a>(
    sources: &SourceMap,
    zone: Option<&'a Name>,
    diagnostics: &'a [Diagnostic],
) -> Vec<JsonDiagnostic<'a>> {
    use rayon::prelude::*;
    diagnostics
        .par_iter()
        .map(|diagnostic| one(sources, zone, diagnostic))
        .collect()
}

/// [`convert`] on the calling thread (for a caller that is already one task of many).
#[must_use]
pub fn convert_serial<'a>(
    sources: &SourceMap,
    zone: Option<&'a Name>,
    diagnostics: &'a [Diagnostic],
) -> Vec<JsonDiagnostic<'a>> {
    diagnostics
        .iter()
        .map(|diagnostic| one(sources, zone, diagnostic))
        .collect()
}

/// One diagnostic with its positions resolved.
fn one<'a>(
    sources: &SourceMap,
    zone: Option<&'a Name>,
    diagnostic: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let location = locate(sources, diagnostic.primary);
    JsonDiagnostic {
        code: diagnostic.code.code,
        rule: diagnostic.code.slug,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        file: location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        offset: diagnostic.primary.start,
        length: diagnostic.primary.len(),
        zone: zone.map(Shown),
        owner: diagnostic.owner.as_ref().map(Shown),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let location = locate(sources, related.span);
                JsonRelated {
                    file: location.file,
                    line: location.line,
                    column: location.column,
                    message: &related.message,
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability.as_str(),
            message: &fix.message,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    offset: edit.span.start,
                    length: edit.span.len(),
                    content: &edit.content,
                })
                .collect(),
        }),
        url: Shown(RuleUrl(diagnostic.code.slug)),
    }
}

/// The `json` document, pretty-printed with a final newline, written as the diagnostics come (a file at a time, a batch
/// at a time) instead of held whole: the same bytes as serde writes for the whole document. The `diagnostics` array is the only
/// part that grows; the summary, known last, comes after it.
#[derive(Default)]
pub struct DocumentWriter {
    diagnostics: super::ArrayWriter,
}

impl DocumentWriter {
    /// The document as serde writes it with no diagnostics, split around its empty array:
    /// what comes up to `[` and what comes after `]`.
    fn around(summary: &Summary) -> io::Result<(String, String)> {
        let document = Document {
            version: VERSION,
            tool: Tool {
                name: "zonelint",
                version: env!("CARGO_PKG_VERSION"),
            },
            diagnostics: &[],
            summary: JsonSummary {
                files: summary.files,
                zones: summary.zones,
                records: summary.records,
                errors: summary.errors,
                warnings: summary.warnings,
                infos: summary.infos,
                fixable: summary.fixable,
            },
        };
        super::around_array(&document, "diagnostics")
    }

    /// Writes `diagnostics` as the next elements of the array (the document's start
    /// first, before the first one).
    pub fn add(
        &mut self,
        out: &mut dyn Write,
        diagnostics: &[JsonDiagnostic<'_>],
    ) -> io::Result<()> {
        let mut text = Vec::new();
        elements(diagnostics, &mut text)?;
        self.add_rendered(out, &text, diagnostics.len())
    }

    /// Writes `count` elements already rendered by [`elements`] as the next elements of
    /// the array (the document's start first, before the first one).
    pub fn add_rendered(
        &mut self,
        out: &mut dyn Write,
        text: &[u8],
        count: usize,
    ) -> io::Result<()> {
        self.diagnostics.add(out, text, count, || {
            Self::around(&Summary::default()).map(|(head, _)| head)
        })
    }

    /// Closes the array and writes the summary and a final newline.
    pub fn finish(self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.diagnostics.finish(out, Self::around(summary)?, "  ")
    }
}

/// Appends `diagnostics` to `text` as elements of the document's `diagnostics` array,
/// separated by `,` and a newline: each pretty-printed and moved right by two indents
/// (an element sits two levels deep).
pub fn elements(diagnostics: &[JsonDiagnostic<'_>], text: &mut Vec<u8>) -> io::Result<()> {
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            text.extend_from_slice(b",\n");
        }
        let element = serde_json::to_vec_pretty(diagnostic).map_err(io::Error::from)?;
        super::push_indented(text, &element, b"    ");
    }
    Ok(())
}

/// Appends `diagnostics` to `text` in the `json-lines` form (see [`write_lines`]).
pub fn lines(diagnostics: &[JsonDiagnostic<'_>], text: &mut Vec<u8>) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *text, diagnostic).map_err(io::Error::from)?;
        text.push(b'\n');
    }
    Ok(())
}

/// Writes one diagnostic per line (`json-lines`): the objects of the `json` format's
/// `diagnostics` array, without the document around them.
pub fn write_lines(out: &mut dyn Write, diagnostics: &[JsonDiagnostic<'_>]) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *out, diagnostic).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
