//! Reading files: the top-level zone file, and the files its `$INCLUDE`s name.
//!
//! **Relative include paths resolve against the top-level zone file's directory**, also in
//! nested includes. BIND resolves them against `named`'s working directory (`options {
//! directory … }`), and dnspython against the process's; zones are kept and checked with
//! that directory being the zone's own, so this is the reading that agrees with both (the
//! differential test checks it with a nested include), and it works from any working
//! directory.
//!
//! **Includes stay inside the top-level file's directory tree.** A zone file is data, and
//! data must not make the linter read `/etc/shadow` or `../../secrets` and quote it in a
//! diagnostic. Every path is canonicalised (symbolic links resolved) and refused, unread,
//! if it lands outside the tree of the directory that holds the top-level file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::path::{Component, Path, PathBuf};
use zonelint_zone::{LoadError, Loaded, Loader, SharedBytes};

/// The largest file read, top-level or included: the parser's own limit (its offsets are
/// 32-bit), checked before reading so an oversized file is never loaded into memory.
pub const MAX_FILE_SIZE: u64 = u32::MAX as u64;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The system refused (not found, permission, a directory, …).
    Io(io::Error),
    /// The file is larger than the limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// Reads a regular file of at most `limit` bytes.
///
/// The size is checked before reading and the read is capped, so a file that grows while
/// it is read (or a device that never ends) cannot exhaust memory.
pub fn read_file(path: &Path, limit: u64) -> Result<SharedBytes, ReadError> {
    let (file, metadata) = open_regular(path, limit)?;
    let too_large = |size| ReadError::TooLarge { size, limit };
    // Read straight into a buffer made at the size the file had, shared as it is: no
    // copy into a second allocation. Its pages are untouched until the read fills them,
    // on every core for a large file (the kernel's page faults were most of the read's
    // time, on one core, before the parse could start).
    let size = usize::try_from(metadata.len()).unwrap_or(0);
    let mut buffer = vec![0; size];
    let filled = read_whole(&file, &mut buffer).map_err(ReadError::Io)?;
    if filled < size {
        // The file shrank since its size was read.
        buffer.truncate(filled);
        return Ok(buffer.into());
    }
    if read_into(&file, size as u64, &mut [0]).map_err(ReadError::Io)? == 0 {
        return Ok(buffer.into());
    }
    // The file grew since its size was read: read it again, capped.
    drop(buffer);
    let file = File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(size);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes.into())
}

/// Opens a regular file of at most `limit` bytes, with its metadata as it was opened.
pub fn open_regular(path: &Path, limit: u64) -> Result<(File, std::fs::Metadata), ReadError> {
    // Checked before opening: opening a FIFO blocks until something writes to it.
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if metadata.is_dir() {
        return Err(ReadError::Io(io::Error::other("is a directory")));
    }
    if !metadata.is_file() {
        return Err(ReadError::Io(io::Error::other("is not a regular file")));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    Ok((file, metadata))
}

/// Files at least this large are read in parts side by side (on Unix).
#[cfg_attr(not(unix), allow(dead_code))]
const PARALLEL_READ_MIN: usize = 8 << 20;

/// The size of each part of a parallel read.
#[cfg_attr(not(unix), allow(dead_code))]
const READ_PART: usize = 4 << 20;

/// Fills `buffer` from the start of `file`; how many bytes were read before the file
/// ended (less than the buffer's length only if the file shrank).
fn read_whole(file: &File, buffer: &mut [u8]) -> io::Result<usize> {
    #[cfg(unix)]
    if buffer.len() >= PARALLEL_READ_MIN {
        return read_in_parts(file, buffer);
    }
    read_into(file, 0, buffer)
}

/// [`read_whole`] in parts of [`READ_PART`] bytes on every core, with positioned reads.
#[cfg(unix)]
fn read_in_parts(file: &File, buffer: &mut [u8]) -> io::Result<usize> {
    use rayon::prelude::*;
    let filled: Vec<io::Result<usize>> = buffer
        .par_chunks_mut(READ_PART)
        .enumerate()
        .map(|(index, part)| read_part(file, (index * READ_PART) as u64, part))
        .collect();
    // Up to the first part the file did not fill.
    let mut total = 0;
    for (part, filled) in buffer.chunks(READ_PART).zip(filled) {
        let filled = filled?;
        total += filled;
        if filled < part.len() {
            break;
        }
    }
    Ok(total)
}

/// Fills `buffer` from `offset` in `file`, from any thread; how many bytes were read.
#[cfg(unix)]
fn read_part(file: &File, offset: u64, buffer: &mut [u8]) -> io::Result<usize> {
    use std::os::unix::fs::FileExt as _;
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read_at(rest, offset + filled as u64) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// Reads from `file` at `offset` until `buffer` is full or the file ends; how many bytes
/// it read.
fn read_into(mut file: &File, offset: u64, buffer: &mut [u8]) -> io::Result<usize> {
    file.seek(SeekFrom::Start(offset))?;
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// Loads `$INCLUDE`d files from disk, confined to the top-level file's directory tree.
#[derive(Debug)]
pub struct FileLoader {
    /// The canonical directory every include must stay within.
    root: PathBuf,
    /// That directory as the user named it, for messages: a canonical path would be
    /// machine-specific, and needlessly show where the files live.
    root_display: String,
    /// The key the parser uses for the top-level file (its display name).
    top_key: String,
    /// The top-level file's canonical path: including it again is a cycle, and must carry
    /// the top-level key for the parser to see it at once.
    top_canonical: Option<PathBuf>,
    /// How each file loaded so far is shown, by key, so that an include's display name
    /// continues its includer's (`zones/inc/mail.inc`, not a canonical `/home/…` path).
    display_names: HashMap<String, PathBuf>,
    /// The largest file read.
    max_file_size: u64,
}

impl FileLoader {
    /// A loader for includes of the top-level file at `path`, shown and keyed as `key`.
    pub fn new(path: &Path, key: &str) -> io::Result<Self> {
        // The directory as the user sees it (a symbolic link to the file itself does not
        // move the tree its includes may come from).
        let directory = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = directory.canonicalize()?;
        let root_display = format!("{}/", directory.display());
        let mut display_names = HashMap::new();
        display_names.insert(key.to_owned(), path.to_path_buf());
        Ok(Self {
            root,
            root_display,
            top_key: key.to_owned(),
            top_canonical: path.canonicalize().ok(),
            display_names,
            max_file_size: MAX_FILE_SIZE,
        })
    }

    /// Sets the largest file an include may be.
    #[cfg(test)]
    #[must_use]
    pub fn with_max_file_size(mut self, limit: u64) -> Self {
        self.max_file_size = limit;
        self
    }

    /// The directory relative include paths resolve against: the top-level file's, for
    /// every include (BIND's working-directory reading; see the module documentation).
    fn base_directory(&self) -> PathBuf {
        self.root.clone()
    }

    fn outside_root(&self, path: &str) -> LoadError {
        LoadError::OutsideRoot {
            path: path.to_owned(),
            root: self.root_display.clone(),
        }
    }
}

impl Loader for FileLoader {
    fn load(&mut self, path: &str, _from_key: &str) -> Result<Loaded, LoadError> {
        let candidate = self.base_directory().join(path);
        let canonical = match candidate.canonicalize() {
            Ok(canonical) => canonical,
            Err(error) => {
                // A missing file outside the tree is refused as outside, so that what
                // exists outside the tree cannot be probed through the messages.
                return Err(if normalize(&candidate).starts_with(&self.root) {
                    load_error(path, &error)
                } else {
                    self.outside_root(path)
                });
            }
        };
        if !canonical.starts_with(&self.root) {
            return Err(self.outside_root(path));
        }
        let text = read_file(&canonical, self.max_file_size).map_err(|error| match error {
            ReadError::Io(error) => load_error(path, &error),
            ReadError::TooLarge { size, limit } => LoadError::TooLarge {
                path: path.to_owned(),
                size,
                limit,
            },
        })?;
        let display = self
            .display_names
            .get(&self.top_key)
            .and_then(|top| top.parent())
            .map_or_else(|| PathBuf::from(path), |dir| normalize(&dir.join(path)));
        let key = if self.top_canonical.as_ref() == Some(&canonical) {
            self.top_key.clone()
        } else {
            canonical.to_string_lossy().into_owned()
        };
        self.display_names
            .entry(key.clone())
            .or_insert_with(|| display.clone());
        Ok(Loaded {
            display_name: display.to_string_lossy().into_owned(),
            key,
            text,
        })
    }
}

fn load_error(path: &str, error: &io::Error) -> LoadError {
    match error.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound(path.to_owned()),
        io::ErrorKind::PermissionDenied => LoadError::Unreadable {
            path: path.to_owned(),
            reason: "permission denied".to_owned(),
        },
        _ => LoadError::Unreadable {
            path: path.to_owned(),
            reason: error.to_string(),
        },
    }
}

/// Removes `.` and resolves `..` lexically (without the file system), for paths that do not
/// exist and for display names.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped =
                    matches!(out.components().next_back(), Some(Component::Normal(_))) && out.pop();
                if !popped && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cli")
    }

    fn loader_for(file: &str) -> FileLoader {
        let path = fixtures().join(file);
        FileLoader::new(&path, file).unwrap()
    }

    #[test]
    fn includes_resolve_against_the_top_level_file_directory() {
        let mut loader = loader_for("example.com.zone");
        let loaded = loader.load("inc/mail.inc", "example.com.zone").unwrap();
        assert!(loaded.display_name.ends_with("testdata/cli/inc/mail.inc"));
        assert!(Path::new(&loaded.key).is_absolute());
        assert!(std::str::from_utf8(&loaded.text)
            .unwrap()
            .contains("_dmarc"));
        // Nested includes resolve against the top-level file's directory too (as BIND and
        // dnspython do when run from the zone's directory), not the includer's.
        let again = loader.load("inc/mail.inc", &loaded.key).unwrap();
        assert_eq!(again.key, loaded.key);
        assert!(loader.load("mail.inc", &loaded.key).is_err());
    }

    #[test]
    fn paths_outside_the_tree_are_refused_unread() {
        let mut loader = loader_for("escape/top.zone");
        for path in [
            "../secret.inc",
            "/etc/passwd",
            "../does-not-exist.inc",
            "sub/../../x",
        ] {
            let error = loader.load(path, "escape/top.zone").unwrap_err();
            assert!(
                matches!(&error, LoadError::OutsideRoot { path: p, .. } if p == path),
                "{path}: {error:?}"
            );
        }
        assert_eq!(
            loader.load("missing.inc", "escape/top.zone").unwrap_err(),
            LoadError::NotFound("missing.inc".to_owned())
        );
    }

    #[test]
    fn directories_and_oversized_files_are_refused() {
        let mut loader = loader_for("example.com.zone").with_max_file_size(10);
        assert!(matches!(
            loader.load("inc/mail.inc", "example.com.zone"),
            Err(LoadError::TooLarge { limit: 10, .. })
        ));
        assert!(matches!(
            loader.load("inc", "example.com.zone"),
            Err(LoadError::Unreadable { .. })
        ));
    }

    #[test]
    fn files_are_read_whole_and_exact() {
        let dir = std::env::temp_dir().join(format!("zonelint-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // The large ones are read in parts side by side: each part must land at its
        // place (the bytes repeat every 251, which no part's size is a multiple of).
        let large = [PARALLEL_READ_MIN, PARALLEL_READ_MIN + READ_PART + 3];
        for size in [0usize, 1, 4_095, 65_537].into_iter().chain(large) {
            let path = dir.join(format!("{size}.zone"));
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(
                &*read_file(&path, 1 << 26).unwrap(),
                bytes.as_slice(),
                "{size}"
            );
            // At the limit it is read; past it, refused.
            assert!(read_file(&path, size as u64).is_ok());
            if size > 0 {
                assert!(matches!(
                    read_file(&path, size as u64 - 1),
                    Err(ReadError::TooLarge { .. })
                ));
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lexical_normalisation() {
        assert_eq!(normalize(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(normalize(Path::new("../a/..")), Path::new(".."));
        assert_eq!(normalize(Path::new("/a/../../b")), Path::new("/b"));
        assert_eq!(normalize(Path::new("./x")), Path::new("x"));
    }
}
