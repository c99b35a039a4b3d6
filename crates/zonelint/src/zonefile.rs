//! One zone file from path to parsed zone: read, infer the origin, parse (with includes).

use crate::cli::ParseArgs;
use crate::discover::{infer_origin, infer_origin_from_start, Origin, OriginSource};
use crate::error::RunError;
use crate::loader::{open_regular, read_file, FileLoader, ReadError, MAX_FILE_SIZE};
use std::collections::HashMap;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zonelint_zone::diagnostic::codes;
use zonelint_zone::{Diagnostic, Loader, Name, NoIncludes, ParseOptions, SharedBytes, Zone};

/// How to read and parse files; the same for every file of a run.
#[derive(Clone, Debug, Default)]
pub struct ParseSettings {
    /// The origin from `--origin` (valid for one file only; the caller checks).
    pub origin: Option<Name>,
    /// Whether `$INCLUDE` is refused (`--no-include`).
    pub includes: Includes,
    /// The file's text when it does not come from its path: standard input, read once
    /// (the path is then only the `--stdin-filename` it is known by).
    pub text: Option<Arc<[u8]>>,
}

impl ParseSettings {
    /// The settings the command line asks for.
    #[must_use]
    pub fn from_args(args: &ParseArgs) -> Self {
        Self {
            origin: args.origin.clone(),
            includes: if args.no_include {
                Includes::Refuse
            } else {
                Includes::Follow
            },
            text: None,
        }
    }
}

/// Whether `$INCLUDE` reads files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Includes {
    /// Read them, confined to the top-level file's directory tree.
    #[default]
    Follow,
    /// Refuse them all.
    Refuse,
}

/// A parsed zone file with its diagnostics.
#[derive(Debug)]
pub struct ParsedFile {
    /// The origin it started with, and how that was found.
    pub origin: Origin,
    /// The records and every source read.
    pub zone: Zone,
    /// The parser's findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// A zone file read and ready to parse: its text, origin, parse options and loader.
pub struct OpenedFile {
    /// How the file is shown (the path as given, without a leading `./`); also the key the
    /// parser detects `$INCLUDE` cycles with.
    pub display: String,
    /// The file's bytes.
    pub text: SharedBytes,
    /// The origin it starts with, and how that was found.
    pub origin: Origin,
    /// The parse options (origin and source ids filled in).
    pub options: ParseOptions,
    loader: IncludeLoader,
}

/// The loader a file's `$INCLUDE`s go through.
enum IncludeLoader {
    Files(FileLoader),
    Refused(NoIncludes),
}

impl OpenedFile {
    /// The loader to hand to the parser.
    pub fn loader(&mut self) -> &mut dyn Loader {
        match &mut self.loader {
            IncludeLoader::Files(loader) => loader,
            IncludeLoader::Refused(loader) => loader,
        }
    }

    /// Adds what the binary knows to the parser's diagnostics (which settings would
    /// provide a missing origin).
    pub fn amend(&self, diagnostics: &mut [Diagnostic]) {
        if self.origin.source == OriginSource::Unknown {
            explain_missing_origin(&self.display, diagnostics);
        }
    }
}

/// Reads the zone file at `path`, the `index`th file of the run, and infers its origin.
/// Failing to read the file is the only error; what is wrong inside it is for the parser.
pub fn open_file(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
) -> Result<OpenedFile, RunError> {
    let text = match &settings.text {
        Some(text) => SharedBytes::from(Arc::clone(text)),
        None => read_file(path, MAX_FILE_SIZE).map_err(|error| read_failed(path, error))?,
    };
    let origin = infer_origin(settings.origin.as_ref(), path, &text);
    opened(path, index, settings, text, origin)
}

/// The error of a file that could not be read.
fn read_failed(path: &Path, error: ReadError) -> RunError {
    match error {
        ReadError::Io(source) => RunError::io(path, &source),
        ReadError::TooLarge { size, limit } => RunError::Io {
            path: path.to_path_buf(),
            message: format!("the file is {size} bytes; the limit is {limit}"),
        },
    }
}

/// How much of a file read as a stream is read first, to tell its origin.
const START: u64 = 1 << 20;

/// A zone file opened to be read as a stream: its first bytes read (enough to tell its
/// origin), the rest still in the file.
pub struct StreamedFile {
    /// The file as [`open_file`] gives it, but that its text is only its first bytes.
    pub opened: OpenedFile,
    /// The file, where its first bytes end.
    pub rest: File,
    /// The file's metadata when it was opened: a second read (for the snippets of a
    /// report) must find the same size and time of change.
    pub metadata: std::fs::Metadata,
}

/// Opens the zone file at `path`, the `index`th file of the run, to be read as a stream,
/// if it can be: a file on disk (not standard input) whose origin is given or told by its
/// first megabyte. `None`: read it whole ([`open_file`]).
pub fn open_streamed(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
) -> Result<Option<StreamedFile>, RunError> {
    if settings.text.is_some() {
        return Ok(None);
    }
    let (file, metadata) =
        open_regular(path, MAX_FILE_SIZE).map_err(|error| read_failed(path, error))?;
    let mut start = Vec::new();
    (&file)
        .take(START)
        .read_to_end(&mut start)
        .map_err(|error| RunError::io(path, &error))?;
    let given = settings.origin.as_ref();
    let origin = if (start.len() as u64) < START {
        // The whole file.
        Some(infer_origin(given, path, &start))
    } else {
        infer_origin_from_start(given, path, &start)
    };
    let Some(origin) = origin else {
        return Ok(None);
    };
    let opened = opened(path, index, settings, start.into(), origin)?;
    Ok(Some(StreamedFile {
        opened,
        rest: file,
        metadata,
    }))
}

/// Reads the file of a [`StreamedFile`] again, whole: an error if it is not as it was
/// when it was opened (its size or time of change differ).
pub fn read_again(path: &Path, metadata: &std::fs::Metadata) -> Result<SharedBytes, RunError> {
    let text = read_file(path, MAX_FILE_SIZE).map_err(|error| read_failed(path, error))?;
    let now = std::fs::metadata(path).map_err(|error| RunError::io(path, &error))?;
    let same = |m: &std::fs::Metadata| (m.len(), m.modified().ok());
    if same(&now) != same(metadata) || text.len() as u64 != metadata.len() {
        return Err(RunError::Io {
            path: path.to_path_buf(),
            message: "the file changed while it was read".to_owned(),
        });
    }
    Ok(text)
}

/// The [`OpenedFile`] of `path` whose text (or start) is `text` and origin `origin`.
fn opened(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
    text: SharedBytes,
    origin: Origin,
) -> Result<OpenedFile, RunError> {
    let display = display_name(path);
    let options = ParseOptions {
        origin: origin.name.clone(),
        first_source_id: first_source_id(index),
        ..ParseOptions::default()
    };
    let loader = match settings.includes {
        Includes::Refuse => IncludeLoader::Refused(NoIncludes),
        Includes::Follow => match FileLoader::new(path, &display) {
            Ok(loader) => IncludeLoader::Files(loader),
            // Standard input named after a file in a directory that does not exist: there
            // is no tree its includes could come from.
            Err(_) if settings.text.is_some() => IncludeLoader::Refused(NoIncludes),
            Err(error) => return Err(RunError::io(path, &error)),
        },
    };
    Ok(OpenedFile {
        display,
        text,
        origin,
        options,
        loader,
    })
}

/// Reads and parses the zone file at `path`, the `index`th file of the run. Only failing to
/// read the file itself is an error; everything wrong inside it (includes too) is a
/// diagnostic.
pub fn parse_file(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
) -> Result<ParsedFile, RunError> {
    let mut opened = open_file(path, index, settings)?;
    let text = opened.text.clone();
    let options = opened.options.clone();
    let display = opened.display.clone();
    let (zone, mut diagnostics) = zonelint_zone::parse(&display, text, &options, opened.loader());
    opened.amend(&mut diagnostics);
    Ok(ParsedFile {
        origin: opened.origin,
        zone,
        diagnostics,
    })
}

/// File texts that replace what is on disk, by source name: the files fixed so far,
/// before they are written (or, with `--diff`, instead of writing them).
pub type Overlay = HashMap<String, SharedBytes>;

/// As [`parse_file`], reading the top-level file and its includes from `overlay` where it
/// holds them (fixes applied in memory), from disk otherwise.
pub fn reparse_file(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
    overlay: &Overlay,
) -> Result<ParsedFile, RunError> {
    let mut opened = open_file(path, index, settings)?;
    let text = overlay
        .get(&opened.display)
        .map_or_else(|| opened.text.clone(), SharedBytes::clone);
    let options = opened.options.clone();
    let display = opened.display.clone();
    let mut loader = OverlayLoader {
        inner: opened.loader(),
        overlay,
    };
    let (zone, mut diagnostics) = zonelint_zone::parse(&display, text, &options, &mut loader);
    opened.amend(&mut diagnostics);
    Ok(ParsedFile {
        origin: opened.origin,
        zone,
        diagnostics,
    })
}

/// A loader that serves the overlay's text for a file it holds (the same checks as the
/// disk loader still apply, since that one is asked first).
struct OverlayLoader<'a> {
    inner: &'a mut dyn Loader,
    overlay: &'a Overlay,
}

impl Loader for OverlayLoader<'_> {
    fn load(
        &mut self,
        path: &str,
        from_key: &str,
    ) -> Result<zonelint_zone::Loaded, zonelint_zone::LoadError> {
        let mut loaded = self.inner.load(path, from_key)?;
        if let Some(text) = self.overlay.get(&loaded.display_name) {
            loaded.text = text.clone();
        }
        Ok(loaded)
    }
}

/// The first [`SourceId`](zonelint_zone::SourceId) of the `index`th zone: each zone gets a
/// range of 65,536 ids, so that the spans of zones linted together never collide (past
/// 65,535 files they may, which only matters to rules that look across zones).
pub fn first_source_id(index: usize) -> u32 {
    u32::try_from(index)
        .ok()
        .and_then(|index| index.checked_mul(1 << 16))
        .unwrap_or(0)
}

/// The path as the user gave it, without the `./` a walk of `.` adds.
fn display_name(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    let shown = if shown.as_os_str().is_empty() {
        path
    } else {
        shown
    };
    shown.to_string_lossy().into_owned()
}

/// When no origin could be inferred, a relative name is not a typo but a missing
/// setting: say which settings provide one.
fn explain_missing_origin(display: &str, diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics
        .iter_mut()
        .filter(|d| d.code == &codes::PARSE_ORIGIN)
    {
        if display == "-" {
            // Standard input has no name to take an origin or a `[[zone]]` entry from.
            diagnostic.help = Some(
                "No origin could be inferred for standard input (no `$ORIGIN`, no absolute \
                 SOA owner): pass `--stdin-filename db.example.com` (the file's name), or \
                 `--origin example.com.`"
                    .to_owned(),
            );
            continue;
        }
        diagnostic.help = Some(format!(
            "No origin could be inferred for `{display}` (no `$ORIGIN`, no domain name in the \
             file name, no absolute SOA owner): pass `--origin example.com.`, or add a \
             `[[zone]]` entry with `file = \"{display}\"` and `origin = \"example.com.\"` to \
             zonelint.toml"
        ));
    }
}

/// The paths of the files, for messages that list them.
#[must_use]
pub fn describe(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| format!("`{}`", display_name(p)))
        .collect();
    let more = paths.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`open_streamed`] made of `text` written to `file`: the origin, the start's
    /// length and the start and rest read back; `None` if the file is to be read whole.
    fn streamed(dir: &Path, file: &str, text: &[u8]) -> Option<(Option<String>, usize, Vec<u8>)> {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        let streamed = open_streamed(&path, 0, &ParseSettings::default()).unwrap()?;
        let start = streamed.opened.text.to_vec();
        let mut all = start.clone();
        let mut rest = streamed.rest;
        rest.read_to_end(&mut all).unwrap();
        let origin = streamed.opened.origin.name.map(|n| n.to_string());
        Some((origin, start.len(), all))
    }

    #[test]
    fn a_file_whose_start_tells_its_origin_is_opened_as_a_stream() {
        let dir = tempfile::tempdir().unwrap();
        // A small file is its own start.
        let small = b"$ORIGIN a.test.\nwww A 192.0.2.1\n";
        let (origin, start, all) = streamed(dir.path(), "small", small).unwrap();
        assert_eq!(
            (origin.as_deref(), start, all.as_slice()),
            (Some("a.test."), small.len(), &small[..])
        );
        // A large one: its first megabyte, then the rest from the file.
        let mut large = b"$ORIGIN a.test.\n".to_vec();
        for i in 0..60_000 {
            large.extend_from_slice(format!("h{i} A 192.0.2.1\n").as_bytes());
        }
        assert!(large.len() as u64 > START);
        let (origin, start, all) = streamed(dir.path(), "large", &large).unwrap();
        assert_eq!((origin.as_deref(), start as u64), (Some("a.test."), START));
        assert!(all == large);
        // A large file of absolute owners whose `$ORIGIN` comes after its first megabyte
        // is read whole: its start cannot tell.
        let mut late = Vec::new();
        for i in 0..60_000 {
            late.extend_from_slice(format!("h{i}.b.test. 60 A 192.0.2.1\n").as_bytes());
        }
        late.extend_from_slice(b"$ORIGIN late.test.\nwww A 192.0.2.1\n");
        assert!(streamed(dir.path(), "late", &late).is_none());
        let path = dir.path().join("late");
        let opened = open_file(&path, 0, &ParseSettings::default()).unwrap();
        assert_eq!(
            opened.origin.name.map(|n| n.to_string()).as_deref(),
            Some("late.test.")
        );
        // Standard input is never streamed.
        let stdin = ParseSettings {
            text: Some(Arc::from(&small[..])),
            ..ParseSettings::default()
        };
        assert!(open_streamed(&dir.path().join("small"), 0, &stdin)
            .unwrap()
            .is_none());
        // A file not there is the same error either way.
        let missing = dir.path().join("missing");
        let streamed_error = open_streamed(&missing, 0, &ParseSettings::default()).err();
        let whole_error = open_file(&missing, 0, &ParseSettings::default()).err();
        assert_eq!(format!("{streamed_error:?}"), format!("{whole_error:?}"));
    }

    #[test]
    fn display_names_drop_the_current_directory() {
        assert_eq!(display_name(Path::new("./a/b.zone")), "a/b.zone");
        assert_eq!(display_name(Path::new("a/b.zone")), "a/b.zone");
        assert_eq!(display_name(Path::new(".")), ".");
    }
}
