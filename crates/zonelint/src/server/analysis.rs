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
    /// Where its settings come from: the config file and its `[[overrides]]` that apply
    /// (`None`: the defaults). Documents alike here are linted with one lint.
    settings_from: Option<(Option<PathBuf>, Vec<usize>)>,
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
    let mut settings_from = None;
    if let Some(path) = path {
        let absolute = absolute(path);
        // Configs are read afresh for every lint: an edited zonelint.toml takes effect
        // without restarting the server, and reading one small file costs little.
        let found = Configs::new(None, false).and_then(|mut configs| {
            let index = configs.for_file(&absolute)?;
            Ok(index.and_then(|index| {
                let path = configs.path_of(index).map(Path::to_path_buf);
                configs.get(index).cloned().map(|config| (config, path))
            }))
        });
        match found {
            Ok(Some((config, config_path))) => {
                excluded = config.excludes(&absolute);
                given_origin = config.origin_for(&absolute).cloned();
                let overrides = config.overrides_for(&absolute);
                settings = config.settings(&overrides);
                settings_from = Some((config_path, overrides));
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
        settings_from,
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
    // Documents whose settings come from the same config and overrides (the defaults,
    // most often) have the same settings but for the clock's reading: one lint of the
    // set serves them all, where a lint per document linted the workspace once for each.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (at, document) in documents.iter().enumerate() {
        if document.excluded {
            continue;
        }
        let alike = groups.iter_mut().find(|members| {
            members
                .first()
                .and_then(|&first| documents.get(first))
                .is_some_and(|first| first.settings_from == document.settings_from)
        });
        match alike {
            Some(members) => members.push(at),
            None => groups.push(vec![at]),
        }
    }
    let mut found: Vec<Vec<Diagnostic>> = documents.iter().map(|_| Vec::new()).collect();
    for members in groups {
        if interrupted() {
            return None;
        }
        let Some(first) = members.first().and_then(|&first| documents.get(first)) else {
            continue;
        };
        for diagnostic in zonelint_policy::lint(&inputs, &first.settings) {
            // Each document keeps the findings in its own sources, in the lint's order.
            let owner = members.iter().copied().find(|&member| {
                documents
                    .get(member)
                    .is_some_and(|d| d.zone().sources.contains(diagnostic.primary.source))
            });
            if let Some(list) = owner.and_then(|owner| found.get_mut(owner)) {
                list.push(diagnostic);
            }
        }
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
        .filter(|d| d.code == &codes::PARSE_ORIGIN)
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

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = "$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n\
        @ NS ns1\nns1 A 192.0.2.1\n_dmarc TXT \"v=DMARC1; p=reject; sp=none\"\n\
        child NS ns1.child\nns1.child A 192.0.2.2\n";
    const CHILD: &str = "$ORIGIN child.example.\n$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n\
        @ NS ns1\nns1 A 192.0.2.2\n@ MX 10 mail.other.example.\n\
        @ TXT \"v=spf1 include:_spf.other.example. +all\"\nwww A 192.0.2.3\n";
    const OTHER: &str = "$ORIGIN other.example.\n$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n\
        @ NS ns1\nns1 A 192.0.2.4\nmail A 192.0.2.5\n_spf TXT \"v=spf1 ip4:192.0.2.5 -all\"\n";

    fn documents() -> Vec<ParsedDocument> {
        [PARENT, CHILD, OTHER]
            .iter()
            .enumerate()
            .map(|(at, text)| {
                let first_source_id = u32::try_from(at + 1).unwrap() << 16;
                parse_document(
                    None,
                    &format!("{at}.zone"),
                    text,
                    first_source_id,
                    &Buffers::new(),
                )
            })
            .collect()
    }

    #[test]
    fn documents_alike_share_one_lint_and_keep_their_own_findings() {
        // A lint per document, each keeping the findings in its own sources: what the
        // shared lint must give.
        let reference = documents();
        let inputs: Vec<LintInput<'_>> = reference.iter().map(ParsedDocument::input).collect();
        let expected: Vec<Vec<Diagnostic>> = reference
            .iter()
            .map(|document| {
                let mut found: Vec<Diagnostic> = document.analysis.diagnostics.clone();
                found.extend(
                    zonelint_policy::lint(&inputs, &document.settings)
                        .into_iter()
                        .filter(|d| document.zone().sources.contains(d.primary.source)),
                );
                sort_diagnostics(document.zone(), &mut found);
                found
            })
            .collect();
        // Findings of the child's run at the parent's DMARC record, and in every document.
        assert!(
            expected.iter().all(|found| !found.is_empty()),
            "{expected:#?}"
        );
        let mut lints = 0;
        let analyses = lint_documents(documents(), &[], &mut || {
            lints += 1;
            false
        })
        .unwrap();
        assert_eq!(lints, 1, "one lint for the three documents");
        let got: Vec<Vec<Diagnostic>> = analyses.into_iter().map(|a| a.diagnostics).collect();
        assert_eq!(got, expected);
    }
}
