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
        .map(|diagnostic| {
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
        })
        .collect()
}

/// Writes the whole document, pretty-printed, with a final newline.
pub fn write(
    out: &mut dyn Write,
    diagnostics: &[JsonDiagnostic],
    summary: &Summary,
) -> io::Result<()> {
    let document = Document {
        version: VERSION,
        tool: Tool {
            name: "zonelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics,
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
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    out.write_all(b"\n")
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
