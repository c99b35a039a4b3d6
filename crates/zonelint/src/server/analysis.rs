//! Linting one open document as `check` would lint the file: the config found from the
//! document's path, the origin inferred the same way, `$INCLUDE`s read from disk next to
//! it, and the text taken from the editor rather than from disk.

use crate::check::{parse_diagnostic_selected, rule_settings};
use crate::cli::RuleArgs;
use crate::configfile::Configs;
use crate::discover::{infer_origin, OriginSource};
use crate::loader::FileLoader;
use crate::render::sort_diagnostics;
use crate::zonefile::ParsedFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zonelint_policy::{LintInput, Settings};
use zonelint_zone::diagnostic::codes;
use zonelint_zone::{Diagnostic, Loader, Name, NoIncludes, ParseOptions, Zone};

/// A document's parsed zone and every diagnostic it gets.
#[derive(Debug)]
pub struct Analysis {
    /// The records and sources (the document itself is the first source).
    pub zone: Zone,
    /// Parse and lint diagnostics, sorted; empty when the config excludes the file.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the config could not be used (the document was linted with the defaults).
    pub config_problem: Option<String>,
}

/// Lints `text`, the editor's content of the document at `path` (`None` for a document
/// that is not a file), shown as `display`, together with the `others` zones of the
/// workspace (cross-zone rules see them; only the document's findings are kept).
#[must_use]
pub fn analyse<'a>(
    path: Option<&Path>,
    display: &str,
    text: &str,
    others: impl Iterator<Item = &'a ParsedFile>,
) -> Analysis {
    let mut config_problem = None;
    let mut given_origin: Option<Name> = None;
    let mut settings = Settings::default();
    let mut excluded = false;
    if let Some(path) = path {
        let absolute = absolute(path);
        // Configs are read afresh for every change: an edited zonelint.toml takes effect
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
        first_source_id: 0,
        ..ParseOptions::default()
    };
    let mut file_loader = path.and_then(|path| FileLoader::new(path, display).ok());
    let mut refuse = NoIncludes;
    let loader: &mut dyn Loader = match &mut file_loader {
        Some(loader) => loader,
        None => &mut refuse,
    };
    let (zone, mut diagnostics) =
        zonelint_zone::parse(display, Arc::from(text.as_bytes()), &options, loader);
    if origin.source == OriginSource::Unknown {
        explain_missing_origin(&mut diagnostics);
    }
    if excluded {
        return Analysis {
            zone,
            diagnostics: Vec::new(),
            config_problem,
        };
    }
    diagnostics.retain(|diagnostic| parse_diagnostic_selected(&settings, diagnostic));
    let mut inputs = vec![LintInput {
        zone: &zone,
        origin: origin.name.as_ref(),
    }];
    inputs.extend(others.map(|other| LintInput {
        zone: &other.zone,
        origin: other.origin.name.as_ref(),
    }));
    diagnostics.extend(
        zonelint_policy::lint(&inputs, &settings)
            .into_iter()
            .filter(|diagnostic| zone.sources.contains(diagnostic.primary.source)),
    );
    sort_diagnostics(&zone, &mut diagnostics);
    Analysis {
        zone,
        diagnostics,
        config_problem,
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
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
