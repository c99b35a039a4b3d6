//! The parser against the fixture zones in `testdata/`.
//!
//! - Every `testdata/valid/**/*.zone` parses with no error diagnostic, and its records, in
//!   RFC 3597 generic form, are exactly those of `testdata/expected/**/*.generic`: BIND's
//!   reading of the same file, written by `scripts/differential.py --write-expected` (which
//!   also checks, in CI, that dnspython reads the file the same way and that the expected
//!   files are not stale).
//! - Every `testdata/invalid/parseNNN-*.zone` yields its `PARSENNN` diagnostic, and the good
//!   records around the bad construct survive: as many as its `; records: N` header says.
//!
//! `$INCLUDE` paths are resolved against the top-level file's directory, as BIND does when
//! run from that directory (`named-compilezone` resolves them against its working directory).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: a missing or unreadable fixture must stop the test loudly"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zonelint_zone::{parse, Diagnostic, LoadError, Loaded, Loader, Name, ParseOptions, Severity};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Every `*.zone` file below `dir`, sorted.
fn zone_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "zone") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The origin of a fixture, by the convention of `testdata/README.md`: a first-line
/// `; origin: NAME` comment (`; origin: none` for none at all), else a `FILE.origin`
/// sidecar, else the file name.
fn origin_of(path: &Path, text: &[u8]) -> Option<Name> {
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    let from_comment = first_line
        .trim()
        .strip_prefix(';')
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix("origin:"))
        .map(|name| name.trim().to_owned());
    let sidecar = path.with_file_name(format!(
        "{}.origin",
        path.file_name().unwrap().to_string_lossy()
    ));
    let origin = from_comment
        .or_else(|| {
            fs::read_to_string(&sidecar)
                .ok()
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| {
            let stem = path.file_name().unwrap().to_string_lossy();
            let stem = stem.strip_suffix(".zone").unwrap_or(&stem).to_owned();
            if stem == "root" || stem.starts_with("root-") {
                ".".to_owned()
            } else {
                stem
            }
        });
    if origin == "none" {
        return None;
    }
    let origin = if origin.ends_with('.') {
        origin
    } else {
        format!("{origin}.")
    };
    let name = Name::from_ascii(&origin)
        .unwrap_or_else(|e| panic!("{}: origin {origin}: {e:?}", path.display()));
    Some(name)
}

/// Reads `$INCLUDE`d files relative to one base directory, as BIND does.
struct DirectoryLoader {
    base: PathBuf,
}

impl Loader for DirectoryLoader {
    fn load(&mut self, path: &str, _from_key: &str) -> Result<Loaded, LoadError> {
        let full = self.base.join(path);
        let text = fs::read(&full).map_err(|_| LoadError::NotFound(path.to_owned()))?;
        Ok(Loaded {
            display_name: path.to_owned(),
            key: full.to_string_lossy().into_owned(),
            text: text.into(),
        })
    }
}

/// Parses a fixture file with its origin and a loader for its directory.
fn parse_fixture(path: &Path) -> (zonelint_zone::Zone, Vec<Diagnostic>) {
    let text = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = ParseOptions {
        origin: origin_of(path, &text),
        ..ParseOptions::default()
    };
    let mut loader = DirectoryLoader {
        base: path.parent().unwrap().to_path_buf(),
    };
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    parse(&name, Arc::from(text), &options, &mut loader)
}

/// The records of a zone in the form the differential harness writes: owner lowercased,
/// `OWNER TTL CLASS TYPE \# LEN HEX`, sorted.
fn generic_lines(zone: &zonelint_zone::Zone) -> Vec<String> {
    let mut lines: Vec<String> = zone
        .records()
        .map(|record| {
            let owner = Name::from_wire(record.owner().as_wire())
                .unwrap()
                .to_lowercase();
            let rdata = record.rdata();
            let mut line = format!(
                "{owner} {} {} {} \\# {}",
                record.ttl().seconds(),
                record.class(),
                record.rtype(),
                rdata.len()
            );
            if !rdata.is_empty() {
                line.push(' ');
                for byte in rdata.iter() {
                    write!(line, "{byte:02X}").unwrap();
                }
            }
            line
        })
        .collect();
    lines.sort();
    lines
}

/// The lines only one side has (as multisets), at most `limit` per side.
fn multiset_difference(left: &[String], right: &[String], limit: usize) -> String {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for line in left {
        *counts.entry(line).or_default() += 1;
    }
    for line in right {
        *counts.entry(line).or_default() -= 1;
    }
    let mut report = String::new();
    for (label, sign) in [("only in zonelint", 1), ("only in expected (BIND)", -1)] {
        let lines: Vec<&str> = counts
            .iter()
            .filter(|(_, &n)| n * sign > 0)
            .map(|(line, _)| *line)
            .collect();
        writeln!(report, "  {label}: {} line(s)", lines.len()).unwrap();
        for line in lines.iter().take(limit) {
            writeln!(report, "    {line}").unwrap();
        }
    }
    report
}

fn describe(zone: &zonelint_zone::Zone, diagnostic: &Diagnostic) -> String {
    let (file, line, column) = zone
        .sources
        .get(diagnostic.primary.source)
        .map(|s| {
            let (line, column) = s.line_column(diagnostic.primary.start);
            (s.name().to_owned(), line, column)
        })
        .unwrap_or_default();
    format!(
        "{file}:{line}:{column}: {} {} {}",
        diagnostic.severity.as_str(),
        diagnostic.code.code,
        diagnostic.message
    )
}

#[test]
fn valid_fixtures_parse_like_bind() {
    let valid = testdata().join("valid");
    let files = zone_files(&valid);
    assert!(
        files.len() >= 10,
        "expected the valid fixtures in {}",
        valid.display()
    );
    let mut failures = String::new();
    for path in &files {
        let relative = path.strip_prefix(&valid).unwrap();
        let expected_path = testdata()
            .join("expected")
            .join(relative)
            .with_extension("generic");
        let expected: Vec<String> = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()))
            .lines()
            .map(str::to_owned)
            .collect();
        let (zone, diagnostics) = parse_fixture(path);
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| describe(&zone, d))
            .collect();
        let actual = generic_lines(&zone);
        if errors.is_empty() && actual == expected {
            continue;
        }
        writeln!(failures, "{}:", relative.display()).unwrap();
        for error in &errors {
            writeln!(failures, "  error diagnostic: {error}").unwrap();
        }
        if actual != expected {
            writeln!(
                failures,
                "  {} records from zonelint, {} expected",
                actual.len(),
                expected.len()
            )
            .unwrap();
            failures.push_str(&multiset_difference(&actual, &expected, 8));
        }
    }
    assert!(
        failures.is_empty(),
        "valid fixtures that zonelint reads differently from BIND:\n{failures}"
    );
}

/// The `; records: N` header of an invalid fixture.
fn expected_record_count(path: &Path, text: &str) -> usize {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix(';'))
        .find_map(|comment| comment.trim().strip_prefix("records:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{}: no `; records: N` header", path.display()))
}

#[test]
fn invalid_fixtures_report_their_code_and_keep_the_good_records() {
    let invalid = testdata().join("invalid");
    let files = zone_files(&invalid);
    let mut codes_seen = Vec::new();
    let mut failures = String::new();
    for path in &files {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        // parse005-name.zone → PARSE005
        let code = file_name.split('-').next().unwrap().to_ascii_uppercase();
        let text = fs::read_to_string(path).unwrap();
        let expected_records = expected_record_count(path, &text);
        let (zone, diagnostics) = parse_fixture(path);
        codes_seen.push(code.clone());
        let all: Vec<String> = diagnostics.iter().map(|d| describe(&zone, d)).collect();
        if !diagnostics.iter().any(|d| d.code.code == code) {
            writeln!(failures, "{file_name}: no {code} diagnostic; got {all:#?}").unwrap();
        }
        if zone.len() != expected_record_count(path, &text) {
            writeln!(
                failures,
                "{file_name}: {} records parsed, {expected_records} expected (the good records \
                 around the bad construct); diagnostics: {all:#?}\n  records: {:#?}",
                zone.len(),
                generic_lines(&zone)
            )
            .unwrap();
        }
    }
    let missing: Vec<String> = (1..=12)
        .map(|n| format!("PARSE{n:03}"))
        .filter(|code| !codes_seen.contains(code))
        .collect();
    assert!(missing.is_empty(), "no invalid fixture for {missing:?}");
    assert!(failures.is_empty(), "{failures}");
}
