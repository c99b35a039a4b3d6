//! `$INCLUDE` goes through a [`Loader`]: the core never touches the file system itself.

use crate::source::SharedBytes;

/// A file a loader read for an `$INCLUDE`.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// How to show the file to the user (a path relative to the working directory).
    pub display_name: String,
    /// A key that identifies the file uniquely (a canonical path), used to detect cycles.
    pub key: String,
    /// Its bytes.
    pub text: SharedBytes,
}

/// Why an `$INCLUDE` was not read. The message never quotes the file's content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Includes are turned off (`--no-include`, or a loader that allows none).
    #[error("includes are disabled")]
    Disabled,
    /// The path resolves outside the directory tree the loader is confined to.
    #[error("`{path}` is outside the zone's directory tree {root}; it was not read")]
    OutsideRoot {
        /// The path as written.
        path: String,
        /// The root it must stay within.
        root: String,
    },
    /// The file does not exist.
    #[error("`{0}` does not exist")]
    NotFound(String),
    /// The file exists but could not be read.
    #[error("`{path}` cannot be read: {reason}")]
    Unreadable {
        /// The path as written.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// The file is larger than the configured cap.
    #[error("`{path}` is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// The path as written.
        path: String,
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
}

/// Reads the files that `$INCLUDE` names.
pub trait Loader {
    /// Loads `path` (as written in the directive, escapes decoded) included from the file
    /// whose key is `from_key`.
    fn load(&mut self, path: &str, from_key: &str) -> Result<Loaded, LoadError>;
}

/// A loader that refuses every include: for text with no file behind it, and for
/// untrusted zones.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoIncludes;

impl Loader for NoIncludes {
    fn load(&mut self, _path: &str, _from_key: &str) -> Result<Loaded, LoadError> {
        Err(LoadError::Disabled)
    }
}

/// A loader over an in-memory map of file names to contents, for tests and embedding.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: Vec<(String, SharedBytes)>,
}

impl MemoryLoader {
    /// An empty loader.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file.
    #[must_use]
    pub fn with(mut self, name: &str, text: &[u8]) -> Self {
        self.files.push((name.to_owned(), SharedBytes::from(text)));
        self
    }
}

impl Loader for MemoryLoader {
    fn load(&mut self, path: &str, _from_key: &str) -> Result<Loaded, LoadError> {
        self.files
            .iter()
            .find(|(name, _)| name == path)
            .map(|(name, text)| Loaded {
                display_name: name.clone(),
                key: name.clone(),
                text: text.clone(),
            })
            .ok_or_else(|| LoadError::NotFound(path.to_owned()))
    }
}
