//! The `json` format, schema version 1 (docs/cli.md). A public contract: fields are only
//! ever added. These types exist for serialisation alone; the model does not derive
//! `Serialize`.

use super::{locate, rule_url, Summary};
use serde::Serialize;
use std::io::{self, Write};
use zonelint_zone::{Diagnostic, Name, SourceMap};

/// The schema version this module writes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    diagnostics: &'a [JsonDiagnostic],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One diagnostic with its positions resolved.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: String,
    help: Option<String>,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    offset: u32,
    length: u32,
    zone: Option<String>,
    owner: Option<String>,
    related: Vec<JsonRelated>,
    fix: Option<JsonFix>,
    url: String,
}

#[derive(Debug, Serialize)]
struct JsonRelated {
    file: String,
    line: u32,
    column: u32,
    message: String,
}

#[derive(Debug, Serialize)]
struct JsonFix {
    applicability: &'static str,
    message: String,
    edits: Vec<JsonEdit>,
}

#[derive(Debug, Serialize)]
struct JsonEdit {
    offset: u32,
    length: u32,
    content: String,
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
pub fn convert(
    sources: &SourceMap,
    zone: Option<&Name>,
    diagnostics: &[Diagnostic],
) -> Vec<JsonDiagnostic> {
    use rayon::prelude::*;
    diagnostics
        .par_iter()
        .map(|diagnostic| one(sources, zone, diagnostic))
        .collect()
}

/// [`convert`] on the calling thread (for a caller that is already one task of many).
#[must_use]
pub fn convert_serial(
    sources: &SourceMap,
    zone: Option<&Name>,
    diagnostics: &[Diagnostic],
) -> Vec<JsonDiagnostic> {
    diagnostics
        .iter()
        .map(|diagnostic| one(sources, zone, diagnostic))
        .collect()
}

/// One diagnostic with its positions resolved.
fn one(sources: &SourceMap, zone: Option<&Name>, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let location = locate(sources, diagnostic.primary);
    JsonDiagnostic {
        code: diagnostic.code.code,
        rule: diagnostic.code.slug,
        severity: diagnostic.severity.as_str(),
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        file: location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        offset: diagnostic.primary.start,
        length: diagnostic.primary.len(),
        zone: zone.map(ToString::to_string),
        owner: diagnostic.owner.as_ref().map(ToString::to_string),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let location = locate(sources, related.span);
                JsonRelated {
                    file: location.file,
                    line: location.line,
                    column: location.column,
                    message: related.message.clone(),
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability.as_str(),
            message: fix.message.clone(),
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    offset: edit.span.start,
                    length: edit.span.len(),
                    content: edit.content.clone(),
                })
                .collect(),
        }),
        url: rule_url(diagnostic.code),
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
    pub fn add(&mut self, out: &mut dyn Write, diagnostics: &[JsonDiagnostic]) -> io::Result<()> {
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
pub fn elements(diagnostics: &[JsonDiagnostic], text: &mut Vec<u8>) -> io::Result<()> {
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
pub fn lines(diagnostics: &[JsonDiagnostic], text: &mut Vec<u8>) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *text, diagnostic).map_err(io::Error::from)?;
        text.push(b'\n');
    }
    Ok(())
}

/// Writes one diagnostic per line (`json-lines`): the objects of the `json` format's
/// `diagnostics` array, without the document around them.
pub fn write_lines(out: &mut dyn Write, diagnostics: &[JsonDiagnostic]) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *out, diagnostic).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
