//! Linting the open documents as `check` would lint their files: the config found from
//! each document's path, the origin inferred the same way, `$INCLUDE`s read from disk next
//! to it, and every text taken from the editor rather than from disk where the editor has
//! it (the documents themselves, and any open file they include).
//!
//! The documents are linted together with each other and with the workspace's other zone
//! files, so that an edit of one zone shows at once in the findings of every zone that
//! depends on it (its parent's DMARC, an SPF `include:` of one of its names, an
//! `$INCLUDE` of it).

use crate::check::{parse_diagnostic_selected, rule_settings};
use crate::cli::RuleArgs;
use crate::configfile::Configs;
use crate::discover::{infer_origin, OriginSource};
use crate::loader::FileLoader;
use crate::render::sort_diagnostics;
use crate::zonefile::ParsedFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zonelint_policy::{LintInput, Settings};
use zonelint_zone::diagnostic::codes;
use zonelint_zone::{
    Diagnostic, LoadError, Loaded, Loader, Name, NoIncludes, ParseOptions, SharedBytes, Zone,
};

/// The texts of the open documents, by canonical path: what an `$INCLUDE` of one of
/// them reads instead of the file on disk.
pub type Buffers = HashMap<PathBuf, Arc<[u8]>>;

/// A document's parsed zone and every diagnostic it gets.
#[derive(Debug)]
pub struct Analysis {
    /// The records and sources (the document itself is the first source).
    pub zone: Zone,
    /// Its apex, as the lint saw it (`None` when none could be inferred).
    pub origin: Option<Name>,
    /// Parse and lint diagnostics, sorted; empty when the config excludes the file.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the config could not be used (the document was linted with the defaults).
    pub config_problem: Option<String>,
}

/// A document parsed from the editor's text, with the settings its config gives, ready
/// to be linted with the others.
#[derive(Debug)]
pub struct ParsedDocument {
    analysis: Analysis,
    settings: Settings,
    excluded: bool,
}

impl ParsedDocument {
    /// The parsed zone.
    #[must_use]
    pub fn zone(&self) -> &Zone {
        &self.analysis.zone
    }

    /// The zone as one input of a lint.
    fn input(&self) -> LintInput<'_> {
        LintInput {
            zone: &self.analysis.zone,
            origin: self.analysis.origin.as_ref(),
        }
    }
}

/// Parses `text`, the editor's content of the document at `path` (`None` for a document
/// that is not a file), shown as `display`, its sources numbered from `first_source_id`
/// (distinct for every zone linted together), reading an `$INCLUDE`d file from `buffers`
/// when the editor has it open.
#[must_use]
pub fn parse_document(
    path: Option<&Path>,
    display: &str,
    text: &str,
    first_source_id: u32,
    buffers: &Buffers,
) -> ParsedDocument {
    let mut config_problem = None;
    let mut given_origin: Option<Name> = None;
    let mut settings = Settings::default();
    let mut excluded = false;
    if let Some(path) = path {
        let absolute = absolute(path);
        // Configs are read afresh for every lint: an edited zonelint.toml takes effect
        // without restarting the server, and reading one small file costs little.
        let found = Configs::new(None, false).and_then(|mut configs| {
            let index = configs.for_file(&absolute)?;
            Ok(index.and_then(|index| configs.get(index).cloned()))
        });
        match found {
            Ok(Some(config)) => {
                excluded = config.excludes(&absolute);
                given_origin = config.origin_for(&absolute).cloned();
                settings = config.settings(&config.overrides_for(&absolute));
            }
            Ok(None) => {}
            Err(error) => config_problem = Some(error.to_string()),
        }
    }
    let settings = rule_settings(&RuleArgs::default(), settings).unwrap_or_default();
    let origin = infer_origin(
        given_origin.as_ref(),
        path.unwrap_or(Path::new(display)),
        text.as_bytes(),
    );
    let options = ParseOptions {
        origin: origin.name.clone(),
        first_source_id,
        ..ParseOptions::default()
    };
    let file_loader = path.and_then(|path| FileLoader::new(path, display).ok());
    let (zone, mut diagnostics) = match file_loader {
        Some(mut files) => {
            let mut loader = BufferLoader {
                inner: &mut files,
                buffers,
            };
            zonelint_zone::parse(display, Arc::from(text.as_bytes()), &options, &mut loader)
        }
        None => zonelint_zone::parse(
            display,
            Arc::from(text.as_bytes()),
            &options,
            &mut NoIncludes,
        ),
    };
    if origin.source == OriginSource::Unknown {
        explain_missing_origin(&mut diagnostics);
    }
    if excluded {
        diagnostics.clear();
    }
    diagnostics.retain(|diagnostic| parse_diagnostic_selected(&settings, diagnostic));
    ParsedDocument {
        analysis: Analysis {
            zone,
            origin: origin.name,
            diagnostics,
            config_problem,
        },
        settings,
        excluded,
    }
}

/// Lints each of `documents` together with all of them and with `others` (the
/// workspace's zone files that are not open), keeping each document's own findings.
/// `interrupted` is asked before each document; once it says yes, the rest are not
/// linted and `None` is returned.
pub fn lint_documents(
    documents: Vec<ParsedDocument>,
    others: &[&ParsedFile],
    interrupted: &mut dyn FnMut() -> bool,
) -> Option<Vec<Analysis>> {
    let inputs: Vec<LintInput<'_>> = documents
        .iter()
        .map(ParsedDocument::input)
        .chain(others.iter().map(|other| LintInput {
            zone: &other.zone,
            origin: other.origin.name.as_ref(),
        }))
        .collect();
    let mut found = Vec::with_capacity(documents.len());
    for document in &documents {
        if interrupted() {
            return None;
        }
        if document.excluded {
            found.push(Vec::new());
            continue;
        }
        let zone = document.zone();
        found.push(
            zonelint_policy::lint(&inputs, &document.settings)
                .into_iter()
                .filter(|diagnostic| zone.sources.contains(diagnostic.primary.source))
                .collect(),
        );
    }
    drop(inputs);
    Some(
        documents
            .into_iter()
            .zip(found)
            .map(|(document, found)| {
                let mut analysis = document.analysis;
                analysis.diagnostics.extend(found);
                sort_diagnostics(&analysis.zone, &mut analysis.diagnostics);
                analysis
            })
            .collect(),
    )
}

/// A loader (the disk's) that serves the editor's text for a file open in it.
pub struct BufferLoader<'a> {
    /// The loader asked first.
    pub inner: &'a mut dyn Loader,
    /// The open documents' texts.
    pub buffers: &'a Buffers,
}

impl Loader for BufferLoader<'_> {
    fn load(&mut self, path: &str, from_key: &str) -> Result<Loaded, LoadError> {
        // The disk loader is asked first: it confines includes to the zone's tree and
        // detects cycles, and its key is the file's canonical path.
        let mut loaded = self.inner.load(path, from_key)?;
        if let Some(text) = self.buffers.get(Path::new(&loaded.key)) {
            loaded.text = SharedBytes::from(Arc::clone(text));
        }
        Ok(loaded)
    }
}

/// When no origin could be inferred, a relative name is not a typo but a missing
/// setting: say which settings provide one (`--origin` is not one, in an editor).
fn explain_missing_origin(diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics
        .iter_mut()
        .filter(|d| d.code == codes::PARSE_ORIGIN)
    {
        diagnostic.help = Some(
            "No origin could be inferred (no `$ORIGIN`, no domain name in the file name, no \
             absolute SOA owner): add `$ORIGIN example.com.` at the top, or a `[[zone]]` \
             entry with this file and `origin = \"example.com.\"` to zonelint.toml"
                .to_owned(),
        );
    }
}

/// `path` made canonical to match a config's globs (it is absolute already, from a URI),
/// as it is when that fails (an unsaved file in a new directory).
pub fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
