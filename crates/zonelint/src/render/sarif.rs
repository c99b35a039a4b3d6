//! The `sarif` format: SARIF 2.1.0 (OASIS), one run. `tool.driver.rules` lists every rule
//! that fired, with its documentation from the rule's metadata; each result points at the
//! file with a region (lines, columns and bytes) and carries its fix as artifact changes.
//!
//! Built from `serde_json` values: the format is large and we write a small part of it, so
//! a typed model would mostly be empty optional fields.

use super::{locate, rule_url};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};
use zonelint_policy::rules::registry;
use zonelint_policy::Level;
use zonelint_zone::{Code, Diagnostic, Severity, SourceMap, Span};

/// The schema the document declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One result, and the rule it belongs to (its index is known only once every file is in).
#[derive(Debug)]
pub struct SarifResult {
    code: Code,
    value: Value,
}

/// Converts the diagnostics of one zone to results.
#[must_use]
pub fn convert(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Vec<SarifResult> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let mut value = json!({
                "ruleId": diagnostic.code.code,
                "level": level(diagnostic.severity),
                "message": {"text": message(diagnostic)},
                "locations": [{"physicalLocation": physical_location(sources, diagnostic.primary)}],
            });
            if let Value::Object(object) = &mut value {
                if !diagnostic.related.is_empty() {
                    let related: Vec<Value> = diagnostic
                        .related
                        .iter()
                        .enumerate()
                        .map(|(id, related)| {
                            json!({
                                "id": id,
                                "message": {"text": related.message},
                                "physicalLocation": physical_location(sources, related.span),
                            })
                        })
                        .collect();
                    object.insert("relatedLocations".to_owned(), Value::Array(related));
                }
                if let Some(fix) = &diagnostic.fix {
                    object.insert("fixes".to_owned(), json!([fix_value(sources, fix)]));
                }
            }
            SarifResult {
                code: diagnostic.code,
                value,
            }
        })
        .collect()
}

fn message(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\n{help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

fn fix_value(sources: &SourceMap, fix: &zonelint_zone::Fix) -> Value {
    // One artifact change per file the edits touch, in the order they first appear.
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let uri = sources
            .get(edit.span.source)
            .map(|source| uri(source.name()))
            .unwrap_or_default();
        let replacement = json!({
            "deletedRegion": {"byteOffset": edit.span.start, "byteLength": edit.span.len()},
            "insertedContent": {"text": edit.content},
        });
        match changes.iter_mut().find(|(known, _)| *known == uri) {
            Some((_, replacements)) => replacements.push(replacement),
            None => changes.push((uri, vec![replacement])),
        }
    }
    json!({
        "description": {"text": format!("{} ({})", fix.message, fix.applicability.as_str())},
        "artifactChanges": changes
            .into_iter()
            .map(|(uri, replacements)| json!({
                "artifactLocation": {"uri": uri},
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
    })
}

fn physical_location(sources: &SourceMap, span: Span) -> Value {
    let location = locate(sources, span);
    json!({
        "artifactLocation": {"uri": uri(&location.file)},
        "region": {
            "startLine": location.line.max(1),
            "startColumn": location.column.max(1),
            "endLine": location.end_line.max(1),
            "endColumn": location.end_column.max(1),
            "byteOffset": span.start,
            "byteLength": span.len(),
        },
    })
}

/// A relative URI reference for a path: `/` separators, everything but RFC 3986's
/// unreserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else if byte == b'\\' && cfg!(windows) {
            out.push('/');
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn level_name(level: Level) -> &'static str {
    match level.severity() {
        Some(severity) => self::level(severity),
        None => "none",
    }
}

/// The `reportingDescriptor` of a rule or parse code, from its page; a code without one
/// (none today) is described by its slug alone.
fn rule_descriptor(code: Code) -> Value {
    let (short, full, default) = match registry::find_page(code.code) {
        Some(meta) => (
            meta.summary.to_owned(),
            format!("{} {}", meta.doc.what, meta.doc.why),
            level_name(meta.default),
        ),
        None => (
            code.slug.to_owned(),
            format!("{} ({}).", code.code, code.slug),
            "error",
        ),
    };
    json!({
        "id": code.code,
        "name": code.slug,
        "helpUri": rule_url(code),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": default},
    })
}

/// Writes the document: the rules that fired (in code order) and every result.
pub fn write(out: &mut dyn Write, results: Vec<SarifResult>) -> io::Result<()> {
    let mut indexes: BTreeMap<&'static str, (usize, Code)> = BTreeMap::new();
    for result in &results {
        indexes.entry(result.code.code).or_insert((0, result.code));
    }
    for (position, (index, _)) in indexes.values_mut().enumerate() {
        *index = position;
    }
    let rules: Vec<Value> = indexes
        .values()
        .map(|(_, code)| rule_descriptor(*code))
        .collect();
    let results: Vec<Value> = results
        .into_iter()
        .map(|mut result| {
            if let (Value::Object(object), Some((index, _))) =
                (&mut result.value, indexes.get(result.code.code))
            {
                object.insert("ruleIndex".to_owned(), json!(index));
            }
            result.value
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "zonelint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": super::RULE_URL_BASE.trim_end_matches("rules/"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("zones/db.example"), "zones/db.example");
        assert_eq!(uri("my zones/ü.zone"), "my%20zones/%C3%BC.zone");
    }
}
