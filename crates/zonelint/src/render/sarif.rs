//! The `sarif` format: SARIF 2.1.0 (OASIS), one run. `tool.driver.rules` lists every rule
//! that fired, with its documentation from the rule's metadata; each result points at the
//! file with a region (lines, columns and bytes) and carries its fix as artifact changes.
//!
//! The document is written as the files come, like the `json` one: the rules that fired
//! are known before the first result is written (every file is linted before any is
//! reported), so each result is drawn with its `ruleIndex` at once, on every core, and
//! never held (the whole document as `serde_json` values took 5.6 GB and 18 s for the
//! 574k findings of the 1M-record bench zone). Each result is a typed value, its fields
//! in the document's order, serialised alone and moved right to its depth in the
//! document. The head (the tool and its rules) is small and built from `serde_json`
//! values.

use super::{locate, rule_url};
use serde::Serialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use zonelint_policy::rules::registry;
use zonelint_policy::Level;
use zonelint_zone::{Code, Diagnostic, Severity, SourceMap, Span};

/// The schema the document declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Each code that fired, in code order, with its position in `tool.driver.rules`.
#[derive(Debug, Default)]
pub struct RuleIndexes {
    codes: BTreeMap<&'static str, (usize, Code)>,
}

impl RuleIndexes {
    /// The rules of `codes` (any order, repeats allowed), numbered in code order.
    pub fn of(codes: impl IntoIterator<Item = Code>) -> Self {
        let mut indexed = BTreeMap::new();
        for code in codes {
            indexed.entry(code.code).or_insert((0, code));
        }
        for (position, (index, _)) in indexed.values_mut().enumerate() {
            *index = position;
        }
        Self { codes: indexed }
    }

    /// The position of `code` among the rules; 0 for a code not among them (never: the
    /// indexes are made from every diagnostic of the run).
    fn index(&self, code: Code) -> usize {
        self.codes.get(code.code).map_or(0, |(index, _)| *index)
    }
}

/// One result, in the order its fields are written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    level: &'static str,
    message: Text<'a>,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    rule_index: usize,
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn borrowed(text: &'a str) -> Self {
        Self {
            text: Cow::Borrowed(text),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    message: Text<'a>,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    byte_offset: u32,
    byte_length: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: ByteRegion,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: u32,
    byte_length: u32,
}

/// The result of `diagnostic`.
fn result<'a>(
    sources: &SourceMap,
    indexes: &RuleIndexes,
    diagnostic: &'a Diagnostic,
) -> SarifResult<'a> {
    SarifResult {
        rule_id: diagnostic.code.code,
        level: level(diagnostic.severity),
        message: Text {
            text: message(diagnostic),
        },
        locations: [Location {
            physical_location: physical_location(sources, diagnostic.primary),
        }],
        related_locations: diagnostic
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| RelatedLocation {
                id,
                message: Text::borrowed(&related.message),
                physical_location: physical_location(sources, related.span),
            })
            .collect(),
        fixes: diagnostic.fix.as_ref().map(|fix| [fix_value(sources, fix)]),
        rule_index: indexes.index(*diagnostic.code),
    }
}

/// The results of `diagnostics` as elements of the document's `results` array, separated
/// by `,` and a newline: each pretty-printed and moved right by four indents (a result
/// sits four levels deep).
pub fn render_results(
    sources: &SourceMap,
    indexes: &RuleIndexes,
    diagnostics: &[Diagnostic],
) -> io::Result<Vec<u8>> {
    let mut text = Vec::with_capacity(diagnostics.len() * 1536);
    let mut element = Vec::with_capacity(4096);
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            text.extend_from_slice(b",\n");
        }
        element.clear();
        serde_json::to_writer_pretty(&mut element, &result(sources, indexes, diagnostic))
            .map_err(io::Error::from)?;
        super::push_indented(&mut text, &element, b"        ");
    }
    Ok(text)
}

/// The result's message: the finding's, and its help on a line of its own.
fn message(diagnostic: &Diagnostic) -> Cow<'_, str> {
    match &diagnostic.help {
        Some(help) => Cow::Owned(format!("{}\n{help}", diagnostic.message)),
        None => Cow::Borrowed(&diagnostic.message),
    }
}

fn fix_value<'a>(sources: &SourceMap, fix: &'a zonelint_zone::Fix) -> SarifFix<'a> {
    // One artifact change per file the edits touch, in the order they first appear.
    let mut changes: Vec<ArtifactChange<'a>> = Vec::new();
    for edit in &fix.edits {
        let uri = sources
            .get(edit.span.source)
            .map(|source| uri(source.name()))
            .unwrap_or_default();
        let replacement = Replacement {
            deleted_region: ByteRegion {
                byte_offset: edit.span.start,
                byte_length: edit.span.len(),
            },
            inserted_content: Text::borrowed(&edit.content),
        };
        match changes
            .iter_mut()
            .find(|change| change.artifact_location.uri == uri)
        {
            Some(change) => change.replacements.push(replacement),
            None => changes.push(ArtifactChange {
                artifact_location: ArtifactLocation { uri },
                replacements: vec![replacement],
            }),
        }
    }
    SarifFix {
        description: Text {
            text: Cow::Owned(format!("{} ({})", fix.message, fix.applicability.as_str())),
        },
        artifact_changes: changes,
    }
}

fn physical_location(sources: &SourceMap, span: Span) -> PhysicalLocation {
    let location = locate(sources, span);
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&location.file),
        },
        region: Region {
            start_line: location.line.max(1),
            start_column: location.column.max(1),
            end_line: location.end_line.max(1),
            end_column: location.end_column.max(1),
            byte_offset: span.start,
            byte_length: span.len(),
        },
    }
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

/// The document, written as the files come: [`Self::add_rendered`] each file's results
/// (from [`render_results`], numbered by the same `indexes`), then [`Self::finish`].
pub struct DocumentWriter<'i> {
    indexes: &'i RuleIndexes,
    results: super::ArrayWriter,
}

impl<'i> DocumentWriter<'i> {
    /// A document whose rules are those of `indexes`: every code the run reports.
    #[must_use]
    pub fn new(indexes: &'i RuleIndexes) -> Self {
        Self {
            indexes,
            results: super::ArrayWriter::default(),
        }
    }

    /// The numbering of the rules, for [`render_results`].
    #[must_use]
    pub fn indexes(&self) -> &'i RuleIndexes {
        self.indexes
    }

    /// The document with no result, cut where the results go: the text up to the
    /// `results` array's `[` and the text after its `]`.
    fn around_rules(indexes: &RuleIndexes) -> io::Result<(String, String)> {
        let rules: Vec<Value> = indexes
            .codes
            .values()
            .map(|(_, code)| rule_descriptor(*code))
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
                "results": [],
            }],
        });
        super::around_array(&document, "results")
    }

    /// Writes `count` results rendered by [`render_results`] (the head of the document
    /// before the first).
    pub fn add_rendered(
        &mut self,
        out: &mut dyn Write,
        text: &[u8],
        count: usize,
    ) -> io::Result<()> {
        let indexes = self.indexes;
        self.results.add(out, text, count, || {
            Self::around_rules(indexes).map(|(head, _)| head)
        })
    }

    /// Writes the end of the document (the whole of it when no result was written).
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let around = Self::around_rules(self.indexes)?;
        self.results.finish(out, around, "      ")
    }
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
