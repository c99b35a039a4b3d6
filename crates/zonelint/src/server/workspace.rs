//! The other zone files of the workspace folders: linted together with each open
//! document, so that cross-zone rules (an SPF `include:` of a sibling zone, a delegation
//! and its child) see them, as `zonelint check` of the whole folder would.

use crate::configfile::Configs;
use crate::discover::{collect_files, default_accept, has_zone_file_name};
use crate::zonefile::{parse_file, ParseSettings, ParsedFile};
use std::path::{Path, PathBuf};

/// Past this many zone files the workspace is not read: every change of a document lints
/// them all again, and a tree that large belongs to `zonelint check`.
pub const MAX_WORKSPACE_ZONES: usize = 500;

/// The zone files of the workspace folders, parsed from disk.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Each zone file's canonical path and parsed zone.
    pub zones: Vec<(PathBuf, ParsedFile)>,
}

impl Workspace {
    /// The zone files below `roots`, chosen as `zonelint check ROOT…` would choose them
    /// (file names, each config's `include` and `exclude`); none when there are more than
    /// [`MAX_WORKSPACE_ZONES`] or the folders cannot be walked.
    #[must_use]
    pub fn load(roots: Vec<PathBuf>) -> Self {
        let mut workspace = Self::default();
        let roots: Vec<PathBuf> = roots.into_iter().filter(|root| root.is_dir()).collect();
        if !roots.is_empty() {
            workspace.read(&roots);
        }
        workspace
    }

    fn read(&mut self, roots: &[PathBuf]) {
        let Ok(mut configs) = Configs::new(None, false) else {
            return;
        };
        let files = collect_files(roots, &mut |path, explicit| {
            let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
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
            let absolute = path.canonicalize().unwrap_or_else(|_| path.clone());
            let origin = configs
                .for_file(&absolute)
                .ok()
                .flatten()
                .and_then(|index| configs.get(index))
                .and_then(|config| config.origin_for(&absolute).cloned());
            let settings = ParseSettings {
                origin,
                ..ParseSettings::default()
            };
            // Index 0 is the open document's: its source ids start at 0, these after it.
            if let Ok(parsed) = parse_file(path, index + 1, &settings) {
                self.zones.push((absolute, parsed));
            }
        }
    }

    /// The zones other than the file at `path` (the open document, linted from its text).
    pub fn others<'a>(&'a self, path: Option<&'a Path>) -> impl Iterator<Item = &'a ParsedFile> {
        let canonical = path.map(|path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf()));
        self.zones
            .iter()
            .filter(move |(zone_path, _)| Some(zone_path) != canonical.as_ref())
            .map(|(_, parsed)| parsed)
    }
}
