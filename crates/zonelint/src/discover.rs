//! Which files to lint, and the origin each one starts with.

use crate::error::RunError;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;
use zonelint_zone::scan::{Scanner, Token};
use zonelint_zone::ttl::parse_ttl;
use zonelint_zone::{Class, Name, RType};

/// Decides whether a file is linted: `(path, explicit)` where `explicit` says the user
/// named the file itself rather than a directory holding it.
pub type Accept<'a> = dyn FnMut(&Path, bool) -> Result<bool, RunError> + 'a;

/// The files named by `paths` that `accept` takes, sorted and without duplicates.
///
/// A directory is walked recursively, every file in it offered to `accept`; hidden
/// directories (`.git` among them) are skipped. [`default_accept`] takes any file the user
/// named and, in a walk, the files whose names mark them as zone files.
pub fn collect_files(paths: &[PathBuf], accept: &mut Accept<'_>) -> Result<Vec<PathBuf>, RunError> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| RunError::io(path, &source))?;
        if !metadata.is_dir() {
            if accept(path, true)? {
                files.push(path.clone());
            }
            continue;
        }
        // The starting directory is never filtered, even when it is `.` or hidden itself:
        // the user named it.
        let walker = WalkDir::new(path)
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden_directory(entry));
        for entry in walker {
            let entry = entry.map_err(|error| walk_error(path, error))?;
            // A link to a file is linted like the file (`db.example -> db.example.v2`);
            // links to directories are not followed, so a walk cannot loop or leave the tree.
            let is_file =
                entry.file_type().is_file() || (entry.path_is_symlink() && entry.path().is_file());
            if is_file && accept(entry.path(), false)? {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Without a config: every file the user named, and zone files by name in a walk.
pub fn default_accept(path: &Path, explicit: bool) -> bool {
    explicit || has_zone_file_name(path)
}

/// Whether the file name marks `path` as a zone file ([`is_zone_file_name`]).
pub fn has_zone_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(is_zone_file_name)
}

fn is_hidden_directory(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir() && entry.file_name().as_encoded_bytes().starts_with(b".")
}

fn walk_error(root: &Path, error: walkdir::Error) -> RunError {
    let path = error.path().unwrap_or(root).to_path_buf();
    match error.into_io_error() {
        Some(source) => RunError::io(&path, &source),
        // The only non-I/O walk error is a symbolic link loop, and links are not followed.
        None => RunError::Io {
            path,
            message: "the directory walk found a symbolic link loop".to_owned(),
        },
    }
}

/// Whether a file name marks a zone file: `*.zone`, `*.db`, `db.*` or `*.zone.signed`.
#[must_use]
pub fn is_zone_file_name(name: &str) -> bool {
    let stem_nonempty = |suffix: &str| name.len() > suffix.len() && name.ends_with(suffix);
    stem_nonempty(".zone")
        || stem_nonempty(".db")
        || stem_nonempty(".zone.signed")
        || (name.len() > 3 && name.starts_with("db."))
}

/// Where a file's starting origin came from, in the order they are tried (docs/cli.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginSource {
    /// `--origin`.
    Given,
    /// A `$ORIGIN` with an absolute name before the first record with a relative owner.
    Directive,
    /// The file name (`db.example.com`, `example.com.zone`, …).
    FileName,
    /// The owner of the first SOA record, written absolute.
    SoaOwner,
    /// Nothing: relative names are PARSE010 errors.
    Unknown,
}

/// A file's starting origin and where it came from.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The origin, if one was found.
    pub name: Option<Name>,
    /// How it was found.
    pub source: OriginSource,
}

/// Infers the origin of the file `path` whose contents are `text`.
///
/// The order is docs/cli.md's: `given` (from `--origin`); an absolute `$ORIGIN` before the
/// first relative owner; the file name, if it looks like a domain name; the owner of the
/// first SOA record, if written absolute. The config's `[[zone]]` entries and
/// `--named-conf` arrive as `given` too (the caller picks the first that has one).
#[must_use]
pub fn infer_origin(given: Option<&Name>, path: &Path, text: &[u8]) -> Origin {
    let unknown = Origin {
        name: None,
        source: OriginSource::Unknown,
    };
    infer(given, path, text, true).unwrap_or(unknown)
}

/// [`infer_origin`] of a file from `start`, its first bytes only: `None` when they do not
/// tell (the origin may depend on what comes after them).
#[must_use]
pub fn infer_origin_from_start(given: Option<&Name>, path: &Path, start: &[u8]) -> Option<Origin> {
    infer(given, path, start, false)
}

/// [`infer_origin`] of `text`, the whole file (`whole`) or its start. `None`: the start
/// does not tell.
fn infer(given: Option<&Name>, path: &Path, text: &[u8], whole: bool) -> Option<Origin> {
    if let Some(name) = given {
        return Some(Origin {
            name: Some(name.clone()),
            source: OriginSource::Given,
        });
    }
    let from_file_name = || {
        path.file_name()
            .and_then(|name| name.to_str())
            .and_then(origin_from_file_name)
    };
    // Each step runs only if the ones before it found nothing, and only if the text
    // read so far told the one before.
    let (directive, told) = origin_directive(text);
    if !told && !whole {
        return None;
    }
    let (name, source) = if let Some(name) = directive {
        (Some(name), OriginSource::Directive)
    } else if let Some(name) = from_file_name() {
        (Some(name), OriginSource::FileName)
    } else {
        let (soa, told) = soa_owner(text);
        if !told && !whole {
            return None;
        }
        match soa {
            Some(name) => (Some(name), OriginSource::SoaOwner),
            None => (None, OriginSource::Unknown),
        }
    };
    Some(Origin { name, source })
}

/// The origin a zone file's name implies: `db.example.com`, `example.com.zone`,
/// `example.com.db`, `example.com.zone.signed`, or the bare `example.com`.
///
/// The rest must look like a host name (RFC 952/1123 letters, digits and hyphens, plus
/// `_`), and its last label must not be all digits: no top-level domain is, and it keeps
/// the common `db.192.168.1` for the reverse zone `1.168.192.in-addr.arpa.` from being
/// read as the origin `192.168.1.`. A bare name needs at least two labels, so that a file
/// called `zonefile` is not taken for a top-level domain.
#[must_use]
pub fn origin_from_file_name(file_name: &str) -> Option<Name> {
    let marked = file_name
        .strip_prefix("db.")
        .or_else(|| file_name.strip_suffix(".zone.signed"))
        .or_else(|| file_name.strip_suffix(".zone"))
        .or_else(|| file_name.strip_suffix(".db"));
    let (candidate, min_labels) = match marked {
        Some(rest) => (rest, 1),
        None => (file_name, 2),
    };
    let labels: Vec<&str> = candidate.split('.').collect();
    let looks_like_host_name = labels.len() >= min_labels
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && labels
            .last()
            .is_some_and(|last| !last.bytes().all(|b| b.is_ascii_digit()));
    if !looks_like_host_name {
        return None;
    }
    Name::parse(candidate.as_bytes(), Some(&Name::root())).ok()
}

/// An entry as the cheap pre-scan sees it (scanned, not parsed).
enum Entry<'t> {
    /// `$NAME argument…`.
    Directive {
        name: &'t [u8],
        argument: Option<&'t [u8]>,
    },
    /// A record: its owner as written (`None` when blank) and its type, if recognisable.
    Record {
        owner: Option<&'t [u8]>,
        rtype: Option<RType>,
    },
}

/// Calls `visit` for every directive and record of `text` until it breaks. Whether it
/// broke at an entry that ended before the text did (more text after it would not have
/// changed it).
fn scan_entries<'t>(text: &'t [u8], mut visit: impl FnMut(Entry<'t>) -> ControlFlow<()>) -> bool {
    let mut scanner = Scanner::new(text);
    let (mut tokens, mut comments, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(entry) = scanner.next_entry(&mut tokens, &mut comments, &mut errors) {
        let Some(first) = tokens.first() else {
            continue;
        };
        let first_bytes = first.bytes(text);
        let seen = if entry.blank_owner {
            Entry::Record {
                owner: None,
                rtype: record_type(text, &tokens),
            }
        } else if !first.quoted && first_bytes.first() == Some(&b'$') {
            Entry::Directive {
                name: first_bytes,
                argument: tokens.get(1).map(|token| token.bytes(text)),
            }
        } else {
            Entry::Record {
                owner: Some(first_bytes),
                rtype: record_type(text, tokens.get(1..).unwrap_or_default()),
            }
        };
        if visit(seen).is_break() {
            // An entry ended by its line end is whole, even at the text's end.
            return !scanner.reached_end();
        }
    }
    false
}

/// The `$ORIGIN` in force at the first record with a relative (or blank) owner, if any
/// `$ORIGIN` comes before it. Stops at that record, so it reads little of most files.
/// Also whether `text` held that record (if it is the start of a file, what follows
/// cannot change the answer).
///
/// Only owners count as "relative names" here: a relative name inside RDATA before the
/// first `$ORIGIN` is rare, and finding it would mean parsing every type's RDATA.
fn origin_directive(text: &[u8]) -> (Option<Name>, bool) {
    let mut origin: Option<Name> = None;
    let told = scan_entries(text, |entry| match entry {
        Entry::Directive { name, argument } if name.eq_ignore_ascii_case(b"$ORIGIN") => {
            // A relative `$ORIGIN` extends the one in force, as the parser does.
            origin = argument.and_then(|argument| Name::parse(argument, origin.as_ref()).ok());
            ControlFlow::Continue(())
        }
        Entry::Record { owner, .. } if !owner.is_some_and(is_absolute) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    });
    (origin, told)
}

/// The owner of the first SOA record, if it is written absolute. Stops at that record.
/// Also whether `text` held that record.
fn soa_owner(text: &[u8]) -> (Option<Name>, bool) {
    let mut found = None;
    let told = scan_entries(text, |entry| match entry {
        Entry::Record {
            owner,
            rtype: Some(RType::SOA),
        } => {
            found = owner
                .filter(|owner| is_absolute(owner))
                .and_then(|owner| Name::parse(owner, None).ok());
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    });
    (found, told)
}

/// The type of a record whose tokens after the owner are `rest`: the first token that is
/// neither a TTL nor a class.
fn record_type(text: &[u8], rest: &[Token]) -> Option<RType> {
    rest.iter()
        .map(|token| token.bytes(text))
        .find(|bytes| parse_ttl(bytes).is_err() && Class::from_text(bytes).is_none())
        .and_then(RType::from_text)
}

/// Whether a presentation name ends with an unescaped dot (`a\.` ends with an escaped one).
fn is_absolute(name: &[u8]) -> bool {
    if name == b"." {
        return true;
    }
    let Some(body) = name.strip_suffix(b".") else {
        return false;
    };
    let backslashes = body.iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin_from_start(file: &str, start: &str) -> Option<(Option<String>, OriginSource)> {
        let origin = infer_origin_from_start(None, Path::new(file), start.as_bytes())?;
        Some((origin.name.map(|n| n.to_string()), origin.source))
    }

    #[test]
    fn the_start_of_a_file_tells_its_origin_only_when_what_follows_cannot_change_it() {
        let told = |name: &str, source| Some((Some(name.to_owned()), source));
        // The first relative owner ends the search for an `$ORIGIN`.
        let start = "$ORIGIN a.test.\nwww A 192.0.2.1\n";
        assert_eq!(
            origin_from_start("zonefile", start),
            told("a.test.", OriginSource::Directive)
        );
        // No relative owner yet: another `$ORIGIN` may come; an owner cut by the end of the
        // start may be longer.
        assert_eq!(origin_from_start("zonefile", "$ORIGIN a.test.\n"), None);
        assert_eq!(origin_from_start("zonefile", "$ORIGIN a.test.\nww"), None);
        assert_eq!(
            origin_from_start("zonefile", "$ORIGIN a.test.\nwww A 192.0.2.1"),
            None
        );
        // Then the file's name; then the first SOA's owner, once it is read.
        assert_eq!(
            origin_from_start("example.org.zone", "@ SOA ns h 1 2 3 4 5\n"),
            told("example.org.", OriginSource::FileName)
        );
        let soa = "$TTL 1h\nexample.net. SOA ns. h. 1 2 3 4 5\nwww A 192.0.2.1\n";
        assert_eq!(
            origin_from_start("zonefile", soa),
            told("example.net.", OriginSource::SoaOwner)
        );
        let no_soa_yet = "$TTL 1h\nwww A 192.0.2.1\n";
        assert_eq!(origin_from_start("zonefile", no_soa_yet), None);
        assert_eq!(
            origin_from_start("zonefile", "example.net. A 192.0.2.1\n"),
            None,
            "only absolute owners so far"
        );
        // Given, it needs no text; the whole text always tells (here: nothing).
        let given = Name::from_ascii("given.test.").unwrap();
        let origin = infer_origin_from_start(Some(&given), Path::new("zonefile"), b"");
        assert_eq!(origin.map(|o| o.source), Some(OriginSource::Given));
        assert_eq!(
            origin_of("zonefile", no_soa_yet),
            (None, OriginSource::Unknown)
        );
    }

    fn origin_of(file: &str, text: &str) -> (Option<String>, OriginSource) {
        let origin = infer_origin(None, Path::new(file), text.as_bytes());
        (origin.name.map(|n| n.to_string()), origin.source)
    }

    #[test]
    fn zone_file_names() {
        for name in ["a.zone", "example.com.db", "db.example", "x.zone.signed"] {
            assert!(is_zone_file_name(name), "{name}");
        }
        for name in [".zone", "db.", "zone", "a.zonex", "named.conf", "dbx.com"] {
            assert!(!is_zone_file_name(name), "{name}");
        }
    }

    #[test]
    fn origins_from_file_names() {
        let cases = [
            ("db.example.com", Some("example.com.")),
            ("example.com.zone", Some("example.com.")),
            ("example.com.db", Some("example.com.")),
            ("example.com.zone.signed", Some("example.com.")),
            ("example.com", Some("example.com.")),
            ("db.internal", Some("internal.")),
            ("_tcp.example.zone", Some("_tcp.example.")),
            // Reverse-zone files are named after the network, not the origin.
            ("db.192.168.1", None),
            ("zonefile", None),
            ("my zone.zone", None),
            ("a..b.zone", None),
        ];
        for (file, expected) in cases {
            let got = origin_from_file_name(file).map(|n| n.to_string());
            assert_eq!(got.as_deref(), expected, "{file}");
        }
    }

    #[test]
    fn given_origin_wins() {
        let given = Name::from_ascii("given.test.").unwrap();
        let origin = infer_origin(Some(&given), Path::new("db.other.test"), b"$ORIGIN x.\n");
        assert_eq!(origin.source, OriginSource::Given);
        assert_eq!(origin.name.unwrap().to_string(), "given.test.");
    }

    #[test]
    fn origin_directive_before_relative_owners_beats_the_file_name() {
        let text = "$TTL 1h\nabs.test. A 192.0.2.1\n$ORIGIN example.net.\n@ SOA a b 1 2 3 4 5\n";
        assert_eq!(
            origin_of("db.example.com", text),
            (Some("example.net.".into()), OriginSource::Directive)
        );
    }

    #[test]
    fn a_relative_origin_directive_extends_the_one_before() {
        let text = "$ORIGIN example.net.\n$ORIGIN sub\nwww A 192.0.2.1\n";
        assert_eq!(
            origin_of("zonefile", text),
            (Some("sub.example.net.".into()), OriginSource::Directive)
        );
        // Alone, a relative `$ORIGIN` gives nothing (the parser reports it).
        assert_eq!(
            origin_of("zonefile", "$ORIGIN sub\nwww A 192.0.2.1\n"),
            (None, OriginSource::Unknown)
        );
    }

    #[test]
    fn origin_directive_after_a_relative_owner_does_not_count() {
        let text = "www A 192.0.2.1\n$ORIGIN example.net.\n";
        assert_eq!(
            origin_of("db.example.com", text),
            (Some("example.com.".into()), OriginSource::FileName)
        );
    }

    #[test]
    fn soa_owner_is_the_last_resort() {
        let text = "; zone\n$TTL 1h\nexample.org. 3600 IN SOA ns hostmaster ( 1 2 3 4 5 )\n";
        assert_eq!(
            origin_of("zonefile", text),
            (Some("example.org.".into()), OriginSource::SoaOwner)
        );
        assert_eq!(
            origin_of("zonefile", "@ IN SOA ns hostmaster 1 2 3 4 5\n"),
            (None, OriginSource::Unknown)
        );
        // `\.` is an escaped dot: the owner is relative.
        assert_eq!(
            origin_of("zonefile", "a\\. SOA ns hostmaster 1 2 3 4 5\n"),
            (None, OriginSource::Unknown)
        );
    }
}
