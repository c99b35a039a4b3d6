//! `--named-conf FILE`: the primary zones of a BIND configuration, with their files and
//! origins.
//!
//! A small hand-written reader, not a BIND configuration parser: it knows the statement
//! shape (`keyword args… [{ statements… }] ;`), strings, the three comment styles (`//`,
//! `#`, `/* */`) and the few statements that say where zones are: `options { directory
//! "…"; }`, `zone "NAME" [CLASS] { type …; file "…"; };`, `view "NAME" { zone …; };` and
//! `include "FILE";`. Everything else is skipped whole, braces balanced, so a statement it
//! does not know (`acl`, `key`, `logging`) never confuses it.
//!
//! Only `type primary` (or the older `master`) zones are taken: a secondary's file is a
//! copy of someone else's zone, and forward, hint, stub and mirror zones have none to lint.
//! Relative `file` paths resolve against `options { directory }` like BIND's, and a
//! relative `directory` against the directory of the configuration file (BIND takes it
//! from the server's working directory, which is rarely the linter's). `include` paths
//! resolve against the directory of the top-level configuration file, for the same reason.

use crate::error::RunError;
use crate::loader::{read_file, ReadError};
use std::path::{Path, PathBuf};
use zonelint_zone::Name;

/// A configuration file is small; anything larger is not one.
const MAX_CONF_SIZE: u64 = 16 << 20;

/// How deep `include` may nest.
const MAX_INCLUDE_DEPTH: usize = 16;

/// How many files one configuration may read in all, so that a file included many times
/// over (each including the next several times) cannot make the run read forever.
const MAX_FILES_READ: usize = 1000;

/// A primary zone of the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfZone {
    /// The zone's name, the origin of its file.
    pub origin: Name,
    /// The zone file, resolved against `options { directory }`.
    pub file: PathBuf,
}

/// What the configuration says: its primary zones, and what was skipped or odd in it.
#[derive(Debug, Default)]
pub struct NamedConf {
    /// The primary zones, in the order they are written.
    pub zones: Vec<ConfZone>,
    /// Problems that do not stop the run (a primary zone without `file`), one line each.
    pub warnings: Vec<String>,
}

/// Reads the configuration at `path` and the files it includes. An unreadable file or a
/// syntax error (an unterminated string, comment or block) is an error, with the file and
/// line it is at.
pub fn read(path: &Path) -> Result<NamedConf, String> {
    let mut reader = Reader {
        conf: NamedConf::default(),
        directory: None,
        base: path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        pending: Vec::new(),
        including: Vec::new(),
        files_read: 0,
    };
    reader.read_file(path, 0)?;
    // `file` paths resolve against `directory` wherever `options` is written.
    let directory = reader
        .directory
        .clone()
        .unwrap_or_else(|| reader.base.clone());
    for (origin, file) in std::mem::take(&mut reader.pending) {
        let file = PathBuf::from(file);
        let file = if file.is_absolute() {
            file
        } else {
            directory.join(file)
        };
        reader.conf.zones.push(ConfZone { origin, file });
    }
    Ok(reader.conf)
}

struct Reader {
    conf: NamedConf,
    /// `options { directory }`, made absolute against `base`.
    directory: Option<PathBuf>,
    /// The directory of the top-level configuration file.
    base: PathBuf,
    /// Primary zones found: origin and `file` as written.
    pending: Vec<(Name, String)>,
    /// The canonical paths of the files being read, outermost first: an `include` of one
    /// of them is a cycle.
    including: Vec<PathBuf>,
    /// How many files were read so far.
    files_read: usize,
}

impl Reader {
    fn read_file(&mut self, path: &Path, depth: usize) -> Result<(), String> {
        let shown = path.display();
        if depth > MAX_INCLUDE_DEPTH {
            return Err(format!(
                "`{shown}`: `include` nests more than {MAX_INCLUDE_DEPTH} deep"
            ));
        }
        self.files_read += 1;
        if self.files_read > MAX_FILES_READ {
            return Err(format!(
                "`{shown}`: the configuration includes more than {MAX_FILES_READ} files"
            ));
        }
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.including.contains(&canonical) {
            return Err(format!("`{shown}`: `include` makes a cycle"));
        }
        let text = read_file(path, MAX_CONF_SIZE).map_err(|error| match error {
            ReadError::Io(error) => RunError::io(path, &error).to_string(),
            ReadError::TooLarge { size, limit } => {
                format!("`{shown}`: {size} bytes is not a named.conf (the limit is {limit})")
            }
        })?;
        let tokens =
            tokenize(&text).map_err(|(line, message)| format!("{shown}:{line}: {message}"))?;
        let statements =
            statements(&tokens).map_err(|(line, message)| format!("{shown}:{line}: {message}"))?;
        self.including.push(canonical);
        let visited = self.visit(&statements, path, depth);
        self.including.pop();
        visited
    }

    fn visit(&mut self, statements: &[Statement], path: &Path, depth: usize) -> Result<(), String> {
        for statement in statements {
            let Some(keyword) = statement.words.first() else {
                continue;
            };
            match keyword.to_ascii_lowercase().as_str() {
                "options" => {
                    if let Some(directory) = statement.setting("directory") {
                        self.directory = Some(self.base.join(directory));
                    }
                }
                "view" => self.visit(&statement.block, path, depth)?,
                "include" => {
                    if let Some(file) = statement.words.get(1) {
                        let file = self.base.join(file);
                        self.read_file(&file, depth + 1)?;
                    }
                }
                "zone" => self.zone(statement, path),
                _ => {}
            }
        }
        Ok(())
    }

    fn zone(&mut self, statement: &Statement, path: &Path) {
        let Some(name) = statement.words.get(1) else {
            return;
        };
        let kind = statement.setting("type").map(str::to_ascii_lowercase);
        if !matches!(kind.as_deref(), Some("primary" | "master")) {
            return;
        }
        let line = statement.line;
        let shown = path.display();
        let Ok(origin) = Name::parse(name.as_bytes(), Some(&Name::root())) else {
            self.conf.warnings.push(format!(
                "{shown}:{line}: zone \"{name}\" is not a valid domain name; skipped"
            ));
            return;
        };
        match statement.setting("file") {
            Some(file) => self.pending.push((origin, file.to_owned())),
            None => self.conf.warnings.push(format!(
                "{shown}:{line}: primary zone \"{name}\" has no `file`; skipped"
            )),
        }
    }
}

/// A token: a word or string (its text, quotes removed) or a punctuation mark.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
    End,
}

/// The tokens of `text`, each with its line. Errors carry the line they start at.
fn tokenize(text: &[u8]) -> Result<Vec<(usize, Token)>, (usize, &'static str)> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut bytes = text.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match byte {
            b'\n' => line += 1,
            b'{' => tokens.push((line, Token::Open)),
            b'}' => tokens.push((line, Token::Close)),
            b';' => tokens.push((line, Token::End)),
            b'#' => skip_line(&mut bytes, &mut line),
            b'/' if bytes.peek() == Some(&b'/') => skip_line(&mut bytes, &mut line),
            b'/' if bytes.peek() == Some(&b'*') => {
                let start = line;
                bytes.next();
                let mut star = false;
                loop {
                    match bytes.next() {
                        None => return Err((start, "a `/*` comment is not closed")),
                        Some(b'/') if star => break,
                        Some(next) => {
                            line += usize::from(next == b'\n');
                            star = next == b'*';
                        }
                    }
                }
            }
            b'"' => {
                let start = line;
                let mut word = Vec::new();
                loop {
                    match bytes.next() {
                        None => return Err((start, "a string is not closed")),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            if let Some(escaped) = bytes.next() {
                                line += usize::from(escaped == b'\n');
                                word.push(escaped);
                            }
                        }
                        Some(next) => {
                            line += usize::from(next == b'\n');
                            word.push(next);
                        }
                    }
                }
                tokens.push((
                    line,
                    Token::Word(String::from_utf8_lossy(&word).into_owned()),
                ));
            }
            _ if byte.is_ascii_whitespace() => {}
            _ => {
                let mut word = vec![byte];
                while let Some(&next) = bytes.peek() {
                    if next.is_ascii_whitespace() || matches!(next, b'{' | b'}' | b';' | b'"') {
                        break;
                    }
                    word.push(next);
                    bytes.next();
                }
                tokens.push((
                    line,
                    Token::Word(String::from_utf8_lossy(&word).into_owned()),
                ));
            }
        }
    }
    Ok(tokens)
}

fn skip_line(bytes: &mut impl Iterator<Item = u8>, line: &mut usize) {
    if bytes.any(|byte| byte == b'\n') {
        *line += 1;
    }
}

/// `words… [{ block }] ;`
#[derive(Debug, Default)]
struct Statement {
    line: usize,
    words: Vec<String>,
    block: Vec<Statement>,
}

impl Statement {
    /// The first argument of the statement `key` in this statement's block
    /// (`file "db.example"` → `db.example`).
    fn setting(&self, key: &str) -> Option<&str> {
        self.block
            .iter()
            .find(|s| s.words.first().is_some_and(|w| w.eq_ignore_ascii_case(key)))
            .and_then(|s| s.words.get(1))
            .map(String::as_str)
    }
}

/// The statements of a whole file.
fn statements(tokens: &[(usize, Token)]) -> Result<Vec<Statement>, (usize, &'static str)> {
    let mut position = 0;
    let list = block(tokens, &mut position, 0)?;
    match tokens.get(position) {
        Some((line, _)) => Err((*line, "a `}` closes no block")),
        None => Ok(list),
    }
}

/// Blocks nest at most this deep; BIND's grammar needs four or five.
const MAX_NESTING: usize = 64;

/// Statements up to the `}` that ends the block (or the end of the tokens), which is not
/// consumed.
fn block(
    tokens: &[(usize, Token)],
    position: &mut usize,
    depth: usize,
) -> Result<Vec<Statement>, (usize, &'static str)> {
    let mut list = Vec::new();
    let mut current: Option<Statement> = None;
    while let Some((line, token)) = tokens.get(*position) {
        match token {
            Token::Close => break,
            Token::End => {
                *position += 1;
                list.extend(current.take());
            }
            Token::Word(word) => {
                *position += 1;
                current
                    .get_or_insert_with(|| Statement {
                        line: *line,
                        ..Statement::default()
                    })
                    .words
                    .push(word.clone());
            }
            Token::Open => {
                if depth >= MAX_NESTING {
                    return Err((*line, "blocks nest too deep"));
                }
                *position += 1;
                let inner = block(tokens, position, depth + 1)?;
                if !matches!(tokens.get(*position), Some((_, Token::Close))) {
                    return Err((*line, "a `{` is not closed"));
                }
                *position += 1;
                let statement = current.get_or_insert_with(|| Statement {
                    line: *line,
                    ..Statement::default()
                });
                statement.block.extend(inner);
            }
        }
    }
    // A last statement without `;` still counts (BIND would refuse it; the zones in it
    // are more use than a complaint).
    list.extend(current);
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Origin and file (relative to the configuration's directory) of each zone.
    type Zones = Vec<(String, String)>;

    fn zones(text: &str) -> Result<(Zones, Vec<String>), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("named.conf");
        std::fs::write(&path, text).unwrap();
        let conf = read(&path)?;
        let zones = conf
            .zones
            .iter()
            .map(|zone| {
                let file = zone.file.strip_prefix(dir.path()).unwrap_or(&zone.file);
                (zone.origin.to_string(), file.display().to_string())
            })
            .collect();
        let warnings = conf
            .warnings
            .iter()
            .map(|w| w.rsplit_once(": ").map_or(w.clone(), |(_, m)| m.to_owned()))
            .collect();
        Ok((zones, warnings))
    }

    #[test]
    fn primary_zones_with_files_resolved_against_the_directory() {
        let text = r#"
            // a comment
            # another
            /* and a
               block { comment */
            acl trusted { 192.0.2.0/24; };
            options {
                directory "zones";
                allow-query { any; };
            };
            zone "example.com" IN { type primary; file "db.example.com"; };
            zone "example.net." { type master; file "/abs/example.net.zone"; };
            zone "secondary.test" { type secondary; file "copy.db"; primaries { 192.0.2.1; }; };
            zone "slave.test" { type slave; file "slave.db"; };
            zone "fwd.test" { type forward; forwarders { 192.0.2.53; }; };
            zone "." { type hint; file "root.hints"; };
            view "inside" {
                zone "internal.test" { type primary; file "db.internal"; };
            };
            zone "nofile.test" { type primary; };
        "#;
        let (zones, warnings) = zones(text).unwrap();
        assert_eq!(
            zones,
            [
                ("example.com.".into(), "zones/db.example.com".into()),
                ("example.net.".into(), "/abs/example.net.zone".into()),
                ("internal.test.".into(), "zones/db.internal".into()),
            ]
        );
        assert_eq!(
            warnings,
            ["primary zone \"nofile.test\" has no `file`; skipped"]
        );
    }

    #[test]
    fn without_a_directory_files_are_relative_to_the_configuration() {
        let (zones, _) = zones("zone \"a.test\" { type primary; file \"a.zone\"; };").unwrap();
        assert_eq!(zones, [("a.test.".to_owned(), "a.zone".to_owned())]);
    }

    #[test]
    fn include_is_followed_and_cycles_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("named.conf"),
            "include \"named.conf.local\";\noptions { directory \"/var/named\"; };\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("named.conf.local"),
            "zone \"b.test\" { type primary; file \"b.zone\"; };\n",
        )
        .unwrap();
        let conf = read(&dir.path().join("named.conf")).unwrap();
        assert_eq!(conf.zones.len(), 1);
        assert_eq!(conf.zones[0].file, Path::new("/var/named/b.zone"));

        std::fs::write(dir.path().join("loop.conf"), "include \"loop.conf\";\n").unwrap();
        let error = read(&dir.path().join("loop.conf")).unwrap_err();
        assert!(error.ends_with("`include` makes a cycle"), "{error}");

        // Each file includes the next ten times: 10^16 reads unless the total is capped.
        for level in 0..16 {
            let next = format!("include \"f{}.conf\";\n", level + 1).repeat(10);
            std::fs::write(dir.path().join(format!("f{level}.conf")), next).unwrap();
        }
        std::fs::write(dir.path().join("f16.conf"), "").unwrap();
        let error = read(&dir.path().join("f0.conf")).unwrap_err();
        assert!(error.contains("more than 1000 files"), "{error}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        for (text, expected) in [
            ("zone \"a\" {\n type primary;\n", ":1: a `{` is not closed"),
            ("\n\nzone \"a", ":3: a string is not closed"),
            ("/* open\n", ":1: a `/*` comment is not closed"),
            ("};", ":1: a `}` closes no block"),
        ] {
            let error = zones(text).unwrap_err();
            assert!(error.ends_with(expected), "{text:?}: {error}");
        }
        let deep = "a {".repeat(100);
        assert!(zones(&deep).unwrap_err().ends_with("blocks nest too deep"));
        // Odd but harmless input reads as nothing.
        for text in [
            "",
            ";;;",
            "zone;",
            "zone \"x\" { type; file; };",
            "\u{0}\u{ff}",
        ] {
            assert_eq!(
                zones(text).unwrap().0,
                Vec::<(String, String)>::new(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_invalid_zone_name_is_a_warning() {
        let (zones, warnings) = zones("zone \"a..b\" { type primary; file \"x\"; };").unwrap();
        assert!(zones.is_empty());
        assert_eq!(
            warnings,
            ["zone \"a..b\" is not a valid domain name; skipped"]
        );
    }
}
