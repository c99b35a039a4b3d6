//! The other zone files of the workspace folders: linted together with the open
//! documents, so that cross-zone rules (an SPF `include:` of a sibling zone, a delegation
//! and its child) see them, as `zonelint check` of the whole folder would.

use super::analysis::{absolute, BufferLoader, Buffers};
use crate::configfile::Configs;
use crate::discover::{collect_files, default_accept, has_zone_file_name};
use crate::zonefile::{open_file, parse_file, ParseSettings, ParsedFile};
use std::path::{Path, PathBuf};

/// Past this many zone files the workspace is not read: every change of a document lints
/// them all again, and a tree that large belongs to `zonelint check`.
pub const MAX_WORKSPACE_ZONES: usize = 500;

/// One zone file of the workspace.
#[derive(Debug)]
pub struct WorkspaceZone {
    /// Its canonical path.
    pub path: PathBuf,
    /// Its place among the zones linted together: its sources are numbered from
    /// `slot << 16`. Slot 0 is never used; the open documents come after the workspace's.
    pub slot: usize,
    /// The settings it was parsed with (its `[[zone]]` origin).
    settings: ParseSettings,
    /// The zone as read from disk.
    pub parsed: ParsedFile,
    /// The canonical paths of the files it `$INCLUDE`s.
    pub included: Vec<PathBuf>,
}

impl WorkspaceZone {
    fn read(path: &Path, slot: usize, settings: ParseSettings) -> Option<Self> {
        let parsed = parse_file(path, slot, &settings).ok()?;
        let included = parsed
            .zone
            .sources
            .iter()
            .skip(1)
            .map(|(_, source)| absolute(Path::new(source.name())))
            .collect();
        Some(Self {
            path: absolute(path),
            slot,
            settings,
            parsed,
            included,
        })
    }

    /// Whether it includes one of the open documents (it must then be parsed again with
    /// the editor's text of that file).
    #[must_use]
    pub fn includes_any(&self, buffers: &Buffers) -> bool {
        self.included.iter().any(|path| buffers.contains_key(path))
    }

    /// The zone parsed again, with the editor's text of every open file it includes.
    #[must_use]
    pub fn reparse(&self, buffers: &Buffers) -> Option<ParsedFile> {
        let mut opened = open_file(&self.path, self.slot, &self.settings).ok()?;
        let text = opened.text.clone();
        let options = opened.options.clone();
        let display = opened.display.clone();
        let mut loader = BufferLoader {
            inner: opened.loader(),
            buffers,
        };
        let (zone, mut diagnostics) = zonelint_zone::parse(&display, text, &options, &mut loader);
        opened.amend(&mut diagnostics);
        Some(ParsedFile {
            origin: opened.origin,
            zone,
            diagnostics,
        })
    }
}

/// The zone files of the workspace folders, parsed from disk.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The folders.
    pub roots: Vec<PathBuf>,
    /// Each zone file, in the order found.
    pub zones: Vec<WorkspaceZone>,
}

/// What reading changed files again did.
#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// The changed files were read again, in place.
    Done,
    /// A file is new, gone or a config: the workspace must be read again as a whole.
    Reload,
}

impl Workspace {
    /// The zone files below `roots`, chosen as `zonelint check ROOT…` would choose them
    /// (file names, each config's `include` and `exclude`); none when there are more than
    /// [`MAX_WORKSPACE_ZONES`] or the folders cannot be walked.
    #[must_use]
    pub fn load(roots: Vec<PathBuf>) -> Self {
        let mut workspace = Self {
            roots: roots.into_iter().filter(|root| root.is_dir()).collect(),
            zones: Vec::new(),
        };
        if !workspace.roots.is_empty() {
            workspace.read();
        }
        workspace
    }

    fn read(&mut self) {
        let Ok(mut configs) = Configs::new(None, false) else {
            return;
        };
        let files = collect_files(&self.roots, &mut |path, explicit| {
            let absolute = absolute(path);
            let Some(config) = configs
                .for_file(&absolute)?
                .and_then(|index| configs.get(index))
            else {
                return Ok(default_accept(path, explicit));
            };
            if config.excludes(&absolute) {
                return Ok(false);
            }
            Ok(match config.includes(&absolute) {
                None => default_accept(path, explicit),
                Some(included) => included || has_zone_file_name(path),
            })
        });
        let Ok(files) = files else {
            return;
        };
        if files.len() > MAX_WORKSPACE_ZONES {
            return;
        }
        for (index, path) in files.iter().enumerate() {
            let origin = configs
                .for_file(&absolute(path))
                .ok()
                .flatten()
                .and_then(|index| configs.get(index))
                .and_then(|config| config.origin_for(&absolute(path)).cloned());
            let settings = ParseSettings {
                origin,
                ..ParseSettings::default()
            };
            if let Some(zone) = WorkspaceZone::read(path, index + 1, settings) {
                self.zones.push(zone);
            }
        }
    }

    /// The first slot free for the open documents.
    #[must_use]
    pub fn next_slot(&self) -> usize {
        self.zones.iter().map(|zone| zone.slot).max().unwrap_or(0) + 1
    }

    /// Reads the files at `paths` (canonical) again after the client said they changed on
    /// disk: a zone file of the workspace, or a file one of them includes, is read again in
    /// place; anything else (a new or deleted file, a config) asks for a whole reload.
    pub fn refresh(&mut self, paths: &[PathBuf]) -> Refresh {
        for path in paths {
            let affected: Vec<usize> = self
                .zones
                .iter()
                .enumerate()
                .filter(|(_, zone)| &zone.path == path || zone.included.contains(path))
                .map(|(index, _)| index)
                .collect();
            if affected.is_empty() || !path.is_file() {
                return Refresh::Reload;
            }
            for index in affected {
                let Some(zone) = self.zones.get_mut(index) else {
                    continue;
                };
                match WorkspaceZone::read(&zone.path, zone.slot, zone.settings.clone()) {
                    Some(read) => *zone = read,
                    None => return Refresh::Reload,
                }
            }
        }
        Refresh::Done
    }
}
