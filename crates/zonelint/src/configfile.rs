//! Finding and loading `zonelint.toml`: the I/O around `zonelint_policy::config`.
//!
//! The config of a file is the nearest `zonelint.toml` (or `.zonelint.toml`) walking up
//! from the file's directory, unless `--config FILE` names one for every file or
//! `--isolated` asks for none. `extend = "…"` inherits from another file, relative to the
//! one that says it; a cycle is an error. Paths and globs in a config are relative to the
//! directory of the file that wrote them, so they are made absolute as each file is read,
//! before `extend` merges them.

use crate::cli::ColorChoice;
use crate::error::RunError;
use crate::loader::{read_file, ReadError, MAX_FILE_SIZE};
use crate::render::{full, Appearance, Stream};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zonelint_policy::config::{Config, Spanned, CONFIG_INVALID};
use zonelint_policy::{Settings, Snapshot};
use zonelint_zone::{Diagnostic, Name, Severity, SourceId, SourceMap};

/// The names a config file may have, nearest first.
pub const CONFIG_NAMES: [&str; 2] = ["zonelint.toml", ".zonelint.toml"];

/// A config file is small; anything larger is not one.
const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// A config file read, with `extend` followed and its globs compiled.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The merged config.
    pub config: Config,
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
    overrides: Vec<Vec<Pattern>>,
    /// `[[zone]]` entries: absolute file path → origin.
    zones: Vec<(PathBuf, Name)>,
    /// The `spf-snapshot` file, read and parsed once.
    snapshot: Option<Arc<Snapshot>>,
}

/// A glob from a config: one without `/` matches a file name anywhere below the config's
/// directory; one with `/` matches the path relative to that directory.
#[derive(Debug)]
struct Pattern {
    directory: PathBuf,
    matcher: GlobMatcher,
    anchored: bool,
}

impl Pattern {
    fn matches(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.directory) else {
            return false;
        };
        if self.anchored {
            self.matcher.is_match(relative)
        } else {
            relative
                .file_name()
                .is_some_and(|name| self.matcher.is_match(name))
        }
    }
}

impl LoadedConfig {
    /// Whether `path` (absolute) is excluded.
    #[must_use]
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude.iter().any(|p| p.matches(path))
    }

    /// Whether `path` (absolute) is one of the `include` globs; `None` when the config
    /// has no `include`.
    #[must_use]
    pub fn includes(&self, path: &Path) -> Option<bool> {
        self.config
            .include
            .as_ref()
            .map(|_| self.include.iter().any(|p| p.matches(path)))
    }

    /// The `[[overrides]]` whose globs match `path` (absolute), in order.
    #[must_use]
    pub fn overrides_for(&self, path: &Path) -> Vec<usize> {
        self.overrides
            .iter()
            .enumerate()
            .filter(|(_, patterns)| patterns.iter().any(|p| p.matches(path)))
            .map(|(index, _)| index)
            .collect()
    }

    /// The origin a `[[zone]]` entry gives `path` (absolute).
    #[must_use]
    pub fn origin_for(&self, path: &Path) -> Option<&Name> {
        self.zones
            .iter()
            .find(|(file, _)| file == path)
            .map(|(_, origin)| origin)
    }

    /// The settings for a file with these overrides applied.
    #[must_use]
    pub fn settings(&self, overrides: &[usize]) -> Settings {
        let mut settings = self.config.settings(overrides);
        settings.spf_snapshot.clone_from(&self.snapshot);
        settings
    }
}

/// Which config files apply: found per file, one for all, or none.
pub struct Configs {
    mode: Mode,
    /// Each directory looked at: the index of its config in `loaded`, if any.
    by_directory: HashMap<PathBuf, Option<usize>>,
    /// Every config loaded, by canonical path.
    by_path: HashMap<PathBuf, usize>,
    loaded: Vec<Arc<LoadedConfig>>,
}

enum Mode {
    Discover,
    Explicit(usize),
    Isolated,
}

impl Configs {
    /// From `--config` and `--isolated`.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> Result<Self, RunError> {
        let mut configs = Self {
            mode: if isolated {
                Mode::Isolated
            } else {
                Mode::Discover
            },
            by_directory: HashMap::new(),
            by_path: HashMap::new(),
            loaded: Vec::new(),
        };
        if let Some(path) = explicit {
            let index = configs.load(path)?;
            configs.mode = Mode::Explicit(index);
        }
        Ok(configs)
    }

    /// A loaded config by index.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&Arc<LoadedConfig>> {
        self.loaded.get(index)
    }

    /// The canonical path of the config at `index` (one of [`Configs::get`]'s).
    #[must_use]
    pub fn path_of(&self, index: usize) -> Option<&Path> {
        self.by_path
            .iter()
            .find(|(_, &loaded)| loaded == index)
            .map(|(path, _)| path.as_path())
    }

    /// The index of the config for the file at `path` (absolute), if one applies.
    pub fn for_file(&mut self, path: &Path) -> Result<Option<usize>, RunError> {
        match self.mode {
            Mode::Isolated => Ok(None),
            Mode::Explicit(index) => Ok(Some(index)),
            Mode::Discover => match path.parent() {
                Some(directory) => self.for_directory(directory),
                None => Ok(None),
            },
        }
    }

    fn for_directory(&mut self, directory: &Path) -> Result<Option<usize>, RunError> {
        if let Some(found) = self.by_directory.get(directory) {
            return Ok(*found);
        }
        let mut found = None;
        for name in CONFIG_NAMES {
            let candidate = directory.join(name);
            if candidate.is_file() {
                found = Some(self.load(&candidate)?);
                break;
            }
        }
        if found.is_none() {
            if let Some(parent) = directory.parent() {
                found = self.for_directory(parent)?;
            }
        }
        self.by_directory.insert(directory.to_path_buf(), found);
        Ok(found)
    }

    /// Loads the config at `path` (once per canonical path).
    fn load(&mut self, path: &Path) -> Result<usize, RunError> {
        let canonical = path
            .canonicalize()
            .map_err(|error| RunError::io(path, &error))?;
        if let Some(&index) = self.by_path.get(&canonical) {
            return Ok(index);
        }
        let config = load_chain(path, &mut Vec::new())?;
        let loaded = compile(path, config)?;
        let index = self.loaded.len();
        self.loaded.push(Arc::new(loaded));
        self.by_path.insert(canonical, index);
        Ok(index)
    }
}

/// Reads `path` and whatever it `extend`s, innermost first. `chain` holds the canonical
/// paths being read, to catch a cycle.
fn load_chain(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Config, RunError> {
    let canonical = path
        .canonicalize()
        .map_err(|error| RunError::io(path, &error))?;
    let text = read_file(path, MAX_CONFIG_SIZE).map_err(|error| match error {
        ReadError::Io(source) => RunError::io(path, &source),
        ReadError::TooLarge { size, limit } => RunError::Io {
            path: path.to_path_buf(),
            message: format!("a config file of {size} bytes? The limit is {limit}"),
        },
    })?;
    let display = shown(path);
    let Ok(text_str) = std::str::from_utf8(&text) else {
        return Err(RunError::Io {
            path: path.to_path_buf(),
            message: "the config file is not UTF-8 (TOML is)".to_owned(),
        });
    };
    let (mut config, problems) = Config::parse(text_str, SourceId(0));
    let fail = |problems: Vec<Diagnostic>| {
        let mut sources = SourceMap::new();
        sources.add(display.clone(), text.clone());
        let appearance = Appearance::detect(ColorChoice::Auto, Stream::Stderr);
        RunError::Config(full::render(&sources, &problems, appearance))
    };
    let globs = config
        .include
        .iter()
        .chain(config.exclude.iter())
        .flatten()
        .chain(config.overrides.iter().flat_map(|entry| entry.files.iter()));
    let bad_globs: Vec<Diagnostic> = globs
        .filter_map(|spanned| {
            GlobBuilder::new(spanned.value.trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .err()
                .map(|error| config_problem(spanned, format!("not a valid glob: {}", error.kind())))
        })
        .collect();
    let mut problems = problems;
    problems.extend(bad_globs);
    if !problems.is_empty() {
        problems.sort_by_key(|problem| problem.primary.start);
        return Err(fail(problems));
    }
    let directory = absolute_directory(path)?;
    absolutize(&mut config, &directory);
    chain.push(canonical);
    if let Some(extend) = config.extend.clone() {
        let parent_path = directory.join(&extend.value);
        let parent_canonical = parent_path.canonicalize().ok();
        if parent_canonical
            .as_ref()
            .is_some_and(|parent| chain.contains(parent))
        {
            let cycle: Vec<String> = chain
                .iter()
                .map(|p| shown(p))
                .chain(std::iter::once(shown(&parent_path)))
                .collect();
            return Err(fail(vec![config_problem(
                &extend,
                format!("`extend` makes a cycle: {}", cycle.join(" → ")),
            )]));
        }
        if !parent_path.is_file() {
            return Err(fail(vec![config_problem(
                &extend,
                format!(
                    "`extend` names `{}`, which is not a file",
                    parent_path.display()
                ),
            )]));
        }
        // A config in a zone tree is data too: it must not make zonelint read and quote an
        // arbitrary file (`extend = "/etc/passwd"` would show its first line in the error).
        // Only TOML files are followed.
        if parent_path.extension().is_none_or(|e| e != "toml") {
            return Err(fail(vec![config_problem(
                &extend,
                format!(
                    "`extend` names `{}`, which is not a `.toml` file; it was not read",
                    parent_path.display()
                ),
            )]));
        }
        let parent = load_chain(&parent_path, chain)?;
        config = config.inherit(parent);
    }
    chain.pop();
    Ok(config)
}

/// How a config path is shown: relative to the working directory when it is below it
/// (discovered configs are found from canonical paths), as it is otherwise.
fn shown(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| canonical.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative.unwrap_or(canonical).display().to_string()
}

fn config_problem(at: &Spanned<String>, message: String) -> Diagnostic {
    Diagnostic::new(&CONFIG_INVALID, Severity::Error, at.span, message)
}

/// The directory of `path`, absolute and canonical (so that paths of linted files, made
/// canonical too, can be compared with it).
fn absolute_directory(path: &Path) -> Result<PathBuf, RunError> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    directory
        .canonicalize()
        .map_err(|error| RunError::io(directory, &error))
}

/// Marks every relative path and glob of `config` with the directory it is relative to, by
/// prefixing it: a glob with `/` becomes anchored at `directory`; one without stays a
/// file-name glob but remembers the directory too (see [`Pattern`]).
fn absolutize(config: &mut Config, directory: &Path) {
    let prefix = |spanned: &mut Spanned<String>| {
        spanned.value = format!("{}\u{0}{}", directory.display(), spanned.value);
    };
    for list in [&mut config.include, &mut config.exclude]
        .into_iter()
        .flatten()
    {
        list.iter_mut().for_each(prefix);
    }
    for entry in &mut config.overrides {
        entry.files.iter_mut().for_each(prefix);
    }
    for zone in &mut config.zones {
        prefix(&mut zone.file);
    }
    if let Some(snapshot) = &mut config.spf_snapshot {
        prefix(snapshot);
    }
}

/// Splits a value made by [`absolutize`] back into its directory and text.
fn split(value: &str) -> (PathBuf, &str) {
    match value.split_once('\u{0}') {
        Some((directory, text)) => (PathBuf::from(directory), text),
        None => (PathBuf::from("."), value),
    }
}

/// Compiles the globs of the merged config; a bad glob is reported at its span.
fn compile(path: &Path, config: Config) -> Result<LoadedConfig, RunError> {
    let compile_list = |list: &[Spanned<String>]| -> Result<Vec<Pattern>, RunError> {
        list.iter()
            .map(|spanned| {
                let (directory, text) = split(&spanned.value);
                let text = text.trim_start_matches("./");
                let glob = GlobBuilder::new(text)
                    .literal_separator(true)
                    .build()
                    .map_err(|error| {
                        RunError::Usage(format!(
                            "`{}`: the glob `{text}` is not valid: {}",
                            path.display(),
                            error.kind()
                        ))
                    })?;
                Ok(Pattern {
                    directory,
                    matcher: glob.compile_matcher(),
                    anchored: text.contains('/'),
                })
            })
            .collect()
    };
    let include = compile_list(config.include.as_deref().unwrap_or_default())?;
    let exclude = compile_list(config.exclude.as_deref().unwrap_or_default())?;
    let overrides = config
        .overrides
        .iter()
        .map(|entry| compile_list(&entry.files))
        .collect::<Result<Vec<_>, _>>()?;
    let zones = config
        .zones
        .iter()
        .map(|zone| {
            let (directory, file) = split(&zone.file.value);
            let joined = directory.join(file);
            (joined.canonicalize().unwrap_or(joined), zone.origin.clone())
        })
        .collect();
    let snapshot = match &config.spf_snapshot {
        Some(spanned) => {
            let (directory, file) = split(&spanned.value);
            Some(Arc::new(load_snapshot(&directory.join(file))?))
        }
        None => None,
    };
    Ok(LoadedConfig {
        config,
        include,
        exclude,
        overrides,
        zones,
        snapshot,
    })
}

/// Reads and parses the `spf-snapshot` file at `path`: master-file text with absolute
/// names, as `dig +noall +answer` prints it (docs/configuration.md). Parse errors are
/// reported with their snippets, as a zone's would be, and stop the run: counting with a
/// snapshot that lost records would be wrong without saying so.
fn load_snapshot(path: &Path) -> Result<Snapshot, RunError> {
    let display = shown(path);
    let text = read_file(path, MAX_FILE_SIZE).map_err(|error| {
        let message = match error {
            ReadError::Io(source) => match RunError::io(path, &source) {
                RunError::Io { message, .. } => message,
                other => other.to_string(),
            },
            ReadError::TooLarge { size, limit } => {
                format!("the file is {size} bytes; the limit is {limit}")
            }
        };
        RunError::Io {
            path: PathBuf::from(&display),
            message: format!("{message} (the `spf-snapshot` of the configuration)"),
        }
    })?;
    let (snapshot, diagnostics) = Snapshot::parse(&display, text);
    let errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return Ok(snapshot);
    }
    let appearance = Appearance::detect(ColorChoice::Auto, Stream::Stderr);
    Err(RunError::Snapshot(full::render(
        &snapshot.zone.sources,
        &errors,
        appearance,
    )))
}
