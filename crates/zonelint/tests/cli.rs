//! The binary as users and scripts see it: stdout, stderr and exit codes of real runs on
//! the fixture zones in `testdata/cli/`, snapshotted with insta.
// clippy's `allow-unwrap-in-tests` covers `#[test]` functions, not the helpers they share.
#![expect(
    clippy::unwrap_used,
    reason = "a test helper that cannot set up its run must fail the test"
)]
#![expect(
    clippy::indexing_slicing,
    reason = "helpers index JSON documents; a missing field must fail the test"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cli")
}

/// A `zonelint` command run from `dir`, with an environment that cannot change the output.
fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zonelint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS");
    command
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(&fixtures(), args)
}

/// Exit code, stdout and stderr in one text, for a snapshot.
fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        output
            .status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

#[test]
fn dump_prints_every_record_with_absolute_owners() {
    let output = run(&["dump", "example.com.zone"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn dump_generic_prints_rfc3597_rdata() {
    let output = run(&["dump", "--generic", "example.com.zone"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn dump_prints_what_parsed_and_reports_the_rest_on_stderr() {
    let output = run(&["dump", "--color", "always", "db.broken.test"]);
    assert_eq!(code(&output), 1);
    // `--color always` colours the diagnostics on stderr, never the records on stdout.
    assert!(!output.stdout.contains(&0x1b));
    assert!(output.stderr.contains(&0x1b));
    let output = run(&["dump", "db.broken.test"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn dump_origin_option_sets_the_origin() {
    let output = run(&["dump", "--origin", "example.org", "zonefile"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn check_full_renders_snippets_help_and_summary() {
    let output = run(&["check", "--color", "never", "db.broken.test"]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn check_is_the_default_command_and_quiet_drops_the_summary() {
    let with_check = run(&["check", "db.broken.test"]);
    let without = run(&["db.broken.test"]);
    assert_eq!(with_check.stdout, without.stdout);
    let quiet = run(&["-q", "db.broken.test"]);
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(!text.contains("Found "), "{text}");
    assert_eq!(code(&quiet), 1);
}

#[test]
fn check_auto_colour_is_off_in_a_pipe_and_always_is_on() {
    let auto = run(&["db.broken.test"]);
    assert!(!auto.stdout.contains(&0x1b));
    let always = command_in(&fixtures(), &["--color", "always", "db.broken.test"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(always.stdout.contains(&0x1b));
}

#[test]
fn check_json_follows_schema_version_1() {
    let output = run(&[
        "check",
        "--format",
        "json",
        "db.broken.test",
        "example.com.zone",
    ]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!(transcript(&output));

    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["version"], 1);
    assert_eq!(document["tool"]["name"], "zonelint");
    let keys = |value: &serde_json::Value| {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(
        keys(diagnostic),
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "file",
            "fix",
            "help",
            "length",
            "line",
            "message",
            "offset",
            "owner",
            "related",
            "rule",
            "severity",
            "url",
            "zone"
        ]
    );
    assert_eq!(
        keys(&document["summary"]),
        ["errors", "files", "fixable", "infos", "records", "warnings", "zones"]
    );
    // Sorted by file, then offset.
    let positions: Vec<(String, u64)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["offset"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
}

#[test]
fn json_positions_count_characters_and_point_past_the_end() {
    let output = run(&["check", "--format", "json", "db.broken.test"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = std::fs::read(fixtures().join("db.broken.test")).unwrap();
    for diagnostic in document["diagnostics"].as_array().unwrap() {
        let offset = diagnostic["offset"].as_u64().unwrap() as usize;
        let length = diagnostic["length"].as_u64().unwrap() as usize;
        let covered = String::from_utf8_lossy(&text[offset..offset + length]).into_owned();
        let line_text = String::from_utf8_lossy(&text)
            .lines()
            .nth(diagnostic["line"].as_u64().unwrap() as usize - 1)
            .unwrap()
            .to_owned();
        if diagnostic["line"] == diagnostic["end_line"] {
            let start = diagnostic["column"].as_u64().unwrap() as usize - 1;
            let end = diagnostic["end_column"].as_u64().unwrap() as usize - 1;
            let by_columns: String = line_text.chars().skip(start).take(end - start).collect();
            assert_eq!(by_columns, covered, "{diagnostic}");
        }
    }
}

#[test]
fn check_walks_directories_in_sorted_order_skipping_hidden_ones() {
    let output = run(&["check", "--format", "json", "--select", "PARSE", "walk"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut files: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        [
            "walk/a.zone",
            "walk/db.b.test",
            "walk/sub/c.db",
            "walk/sub/d.zone.signed"
        ]
    );
    assert_eq!(document["summary"]["zones"], 4);
    // Each zone's origin: `$ORIGIN`, the file name `db.b.test`, `$ORIGIN`, `$ORIGIN`.
    let mut zones: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["zone"].as_str().unwrap())
        .collect();
    zones.dedup();
    assert_eq!(zones, ["a.test.", "b.test.", "c.test.", "d.test."]);

    let output = run(&["check", "walk"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn no_path_means_the_current_directory() {
    let from_inside = run_in(&fixtures().join("walk"), &["--format", "json"]);
    let document: serde_json::Value = serde_json::from_slice(&from_inside.stdout).unwrap();
    assert_eq!(document["summary"]["zones"], 4);
    let first = document["diagnostics"][0]["file"].as_str().unwrap();
    // Walking `.` shows `a.zone`, not `./a.zone`.
    assert_eq!(first, "a.zone");
}

#[test]
#[cfg(unix)] // symbolic links and FIFOs
fn git_and_hidden_directories_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    for sub in [".git", ".cache", "zones"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("x.zone"), "www A 192.0.2.999\n").unwrap();
    }
    // A link to a zone file is linted; a link to a directory is not followed.
    std::os::unix::fs::symlink("x.zone", dir.path().join("zones/db.link.test")).unwrap();
    std::os::unix::fs::symlink("zones", dir.path().join("linked-dir")).unwrap();
    // Only the parser's findings (`--select PARSE` runs no rule): the walk is under test.
    let output = run_in(dir.path(), &["--format", "json", "--select", "PARSE", "."]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["summary"]["zones"], 2, "{document}");
    assert_eq!(document["diagnostics"][0]["file"], "zones/db.link.test");
    assert_eq!(document["diagnostics"][1]["file"], "zones/x.zone");
}

#[test]
fn exit_code_0_without_errors() {
    let output = run(&["check", "clean.example.zone"]);
    insta::assert_snapshot!(transcript(&output));
    assert_eq!(code(&output), 0);
}

#[test]
fn exit_code_1_with_errors() {
    assert_eq!(code(&run(&["check", "db.broken.test"])), 1);
    assert_eq!(
        code(&run(&["check", "--format", "json", "db.broken.test"])),
        1
    );
}

#[test]
fn exit_code_2_when_the_run_fails() {
    let missing = run(&["check", "no-such.zone"]);
    assert_eq!(code(&missing), 2);
    let bad_format = run(&["check", "--format", "xml", "db.broken.test"]);
    assert_eq!(code(&bad_format), 2);
    let origin_for_many = run(&["check", "--origin", "example.com", "walk"]);
    assert_eq!(code(&origin_for_many), 2);
    let bad_origin = run(&["check", "--origin", "a..b", "zonefile"]);
    assert_eq!(code(&bad_origin), 2);
    let dump_directory = run(&["dump", "walk"]);
    assert_eq!(code(&dump_directory), 2);
    insta::assert_snapshot!([
        missing,
        bad_format,
        origin_for_many,
        bad_origin,
        dump_directory
    ]
    .iter()
    .map(transcript)
    .collect::<Vec<_>>()
    .join("\n"));
}

#[test]
fn a_missing_path_fails_the_run_before_any_work() {
    let output = run(&["--format", "json", "db.broken.test", "no-such.zone"]);
    // The missing path is named before any work is done.
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("`no-such.zone`"));
}

#[test]
#[cfg(unix)] // symbolic links and FIFOs
fn a_file_that_cannot_be_read_is_named_after_the_others_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("db.broken.test"),
        dir.path().join("db.broken.test"),
    )
    .unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("fifo.zone"))
        .status()
        .unwrap();
    assert!(made.success());
    let output = run_in(dir.path(), &["-q", "db.broken.test", "fifo.zone"]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stdout).contains("192.0.2.300"));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "zonelint: error: `fifo.zone`: is not a regular file\n"
    );
}

#[test]
fn help_and_version_exit_0() {
    let help = run(&["--help"]);
    assert_eq!(code(&help), 0);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: zonelint"));
    let version = run(&["--version"]);
    assert_eq!(code(&version), 0);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("zonelint {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn origin_that_cannot_be_inferred_names_the_settings() {
    let output = run(&["check", "zonefile"]);
    insta::assert_snapshot!(transcript(&output));
    let given = run(&["check", "--origin", "example.org.", "zonefile"]);
    assert!(!String::from_utf8_lossy(&given.stdout).contains("PARSE010"));
}

#[test]
fn include_outside_the_zone_directory_is_refused() {
    let output = run(&["check", "--select", "PARSE", "escape/top.zone"]);
    assert_eq!(code(&output), 1);
    let all = format!("{output:?}");
    assert!(!all.contains("must never be read"), "{all}");
    assert!(!all.contains("root:"), "{all}");
    insta::assert_snapshot!(transcript(&output));
}

#[test]
#[cfg(unix)] // symbolic links and FIFOs
fn include_through_a_symbolic_link_out_of_the_tree_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zones = dir.path().join("zones");
    std::fs::create_dir(&zones).unwrap();
    std::fs::write(dir.path().join("outside.inc"), "leak TXT \"secret\"\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.inc"), zones.join("inside.inc")).unwrap();
    std::fs::write(
        zones.join("example.test.zone"),
        "$TTL 1h\n$INCLUDE inside.inc\nwww A 192.0.2.1\n",
    )
    .unwrap();
    let output = run_in(dir.path(), &["--format", "json", "zones/example.test.zone"]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["diagnostics"][0]["code"], "PARSE007", "{document}");
    assert!(!format!("{output:?}").contains("secret\\\""));
    let dump = run_in(
        dir.path(),
        &["dump", "--generic", "zones/example.test.zone"],
    );
    assert_eq!(
        String::from_utf8_lossy(&dump.stdout),
        "www.example.test. 3600 IN A \\# 4 C0000201\n"
    );
}

#[test]
fn includes_are_read_relative_to_the_including_file_and_no_include_refuses_them() {
    let followed = run(&["dump", "example.com.zone"]);
    assert!(String::from_utf8_lossy(&followed.stdout).contains("_dmarc.example.com."));
    let refused = run(&["--format", "json", "--no-include", "example.com.zone"]);
    let document: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    let codes: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"PARSE007"), "{codes:?}");
}

/// A zone large enough that its dump overflows any pipe buffer.
fn big_zone(dir: &Path, bad: bool) -> PathBuf {
    let path = dir.join("big.example.zone");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "$TTL 1h").unwrap();
    for i in 0..40_000u32 {
        let octet = if bad { 300 } else { i % 250 };
        writeln!(file, "host{i} A 192.0.{}.{octet}", i / 250 % 250).unwrap();
    }
    file.flush().unwrap();
    path
}

/// Reads one line of stdout, closes the pipe, and returns how the process ended.
fn read_one_line_then_close(mut command: Command) -> (String, Output) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    (first, output)
}

#[test]
fn dump_into_a_closed_pipe_exits_0_quietly() {
    let dir = tempfile::tempdir().unwrap();
    big_zone(dir.path(), false);
    let (first, output) = read_one_line_then_close(command_in(
        dir.path(),
        &["dump", "--generic", "big.example.zone"],
    ));
    assert_eq!(first, "host0.big.example. 3600 IN A \\# 4 C0000000\n");
    assert_eq!(code(&output), 0, "{}", transcript(&output));
    assert!(output.stderr.is_empty(), "{}", transcript(&output));
}

#[test]
fn dump_of_a_large_file_shows_the_snippets_of_errors_past_its_first_megabyte() {
    let dir = tempfile::tempdir().unwrap();
    // Its origin told at the top: read as a stream, then again for the snippet.
    let mut streamed = String::from("$ORIGIN big.example.\n$TTL 1h\n");
    for i in 0..60_000 {
        streamed.push_str(&format!("host{i} A 192.0.2.1\n"));
    }
    streamed.push_str("bad A 192.0.2.300\n");
    // Its origin told only past the first megabyte: read whole.
    let mut whole = String::new();
    for i in 0..60_000 {
        whole.push_str(&format!("host{i}.big.example. 3600 A 192.0.2.1\n"));
    }
    whole.push_str("$ORIGIN big.example.\n$TTL 1h\nbad A 192.0.2.300\n");
    for (file, text) in [("streamed.zone", &streamed), ("whole.zone", &whole)] {
        assert!(text.len() > 1 << 20);
        std::fs::write(dir.path().join(file), text).unwrap();
        let output = run_in(dir.path(), &["dump", "--color", "never", file]);
        assert_eq!(code(&output), 1, "{file}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(stdout.lines().count(), 60_000, "{file}");
        assert!(stdout.ends_with("host59999.big.example. 3600 IN A 192.0.2.1\n"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("╭─[{file}:60003:7]")),
            "{file}: {stderr}"
        );
        assert!(
            stderr.contains("60003 │ bad A 192.0.2.300"),
            "{file}: {stderr}"
        );
    }
}

#[test]
fn check_into_a_closed_pipe_exits_0_quietly() {
    let dir = tempfile::tempdir().unwrap();
    big_zone(dir.path(), true);
    let (first, output) = read_one_line_then_close(command_in(
        dir.path(),
        &["--format", "json", "big.example.zone"],
    ));
    assert_eq!(first, "{\n");
    assert_eq!(code(&output), 0, "{}", transcript(&output));
    assert!(output.stderr.is_empty(), "{}", transcript(&output));
}

#[test]
fn non_ascii_invalid_utf8_and_crlf_keep_columns_and_underlines_exact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bytes.example.zone"),
        b"$TTL 1h\r\nwww A 192.0.2.1\r\nbad\xff A 1.2.3\r\nna\xc3\xafve A 192.0.2.999\r\n",
    )
    .unwrap();
    let full = run_in(dir.path(), &["--select", "PARSE", "bytes.example.zone"]);
    // Invalid bytes show as one `?` each; the headers give the same columns as the JSON.
    insta::assert_snapshot!(transcript(&full));
    let json = run_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "PARSE",
            "bytes.example.zone",
        ],
    );
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let full = String::from_utf8_lossy(&full.stdout);
    for diagnostic in document["diagnostics"].as_array().unwrap() {
        let header = format!(
            "[bytes.example.zone:{}:{}]",
            diagnostic["line"], diagnostic["column"]
        );
        assert!(full.contains(&header), "{header} not in\n{full}");
    }
    assert_eq!(document["diagnostics"][1]["column"], 9);
}

#[test]
fn problems_in_an_included_file_point_into_that_file() {
    let output = run(&["check", "--select", "PARSE", "include-errors.example.zone"]);
    insta::assert_snapshot!(transcript(&output));
    let json = run(&[
        "--format",
        "json",
        "--select",
        "PARSE",
        "include-errors.example.zone",
    ]);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["file"], "inc/bad.inc");
    assert_eq!(diagnostic["line"], 3);
    assert_eq!(diagnostic["zone"], "include-errors.example.");
    assert_eq!(document["summary"]["files"], 2);
    // The records around the include, and the included one that parsed.
    let dump = run(&["dump", "--generic", "include-errors.example.zone"]);
    let owners: Vec<String> = String::from_utf8_lossy(&dump.stdout)
        .lines()
        .map(|line| line.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        owners,
        [
            "www.include-errors.example.",
            "good.include-errors.example.",
            "after.include-errors.example."
        ]
    );
}

#[test]
fn an_absolute_soa_owner_is_the_last_origin_tried() {
    let output = run(&["dump", "--generic", "soa-named"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("www.soa.example. 3600 IN A"), "{stdout}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("PARSE010"));
}

#[test]
fn include_cycles_are_caught_at_the_first_repeat_even_of_the_top_level_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("self.example.zone"),
        "$TTL 1h\nwww A 192.0.2.1\n$INCLUDE self.example.zone\n$INCLUDE b.inc\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.inc"),
        "b A 192.0.2.2\n$INCLUDE ./b.inc\n",
    )
    .unwrap();
    let output = run_in(
        dir.path(),
        &["--format", "json", "--select", "PARSE", "self.example.zone"],
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let cycles: Vec<(&str, u64)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(cycles, [("b.inc", 2), ("self.example.zone", 3)]);
    // Each record once: the top-level file was not read a second time.
    assert_eq!(document["summary"]["records"], 2);
}

/// A directory holding `files` (path → text).
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const BROKEN: &str =
    "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1\nns1 A 192.0.2.300\n";

fn concise(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--format", "concise"];
    all.extend_from_slice(args);
    transcript(&run_in(dir, &all))
}

/// The report reads suppression comments after the lint (the records are gone by then):
/// a covered finding is left out, a suppression that covers none is reported.
#[test]
fn suppression_comments_hide_their_findings_and_unused_ones_are_reported() {
    let dir = tree(&[(
        "t.zone",
        "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1\n\
         ns1 A 192.0.2.1\nwww A 192.0.2.2 ; zonelint: ignore[COV001] the CDN sends for it\n\
         old A 192.0.2.3 ; zonelint: ignore[SPF001] nothing to hide\n",
    )]);
    let report = concise(dir.path(), &["t.zone"]);
    assert!(
        !report.contains("COV001 [cov-spf-missing] www."),
        "{report}"
    );
    assert!(report.contains("COV001 [cov-spf-missing] old."), "{report}");
    assert!(
        report.contains("t.zone:7:36: warning LINT001 [lint-unused-suppression] this suppression of SPF001 suppresses nothing"),
        "{report}"
    );
    assert_eq!(report.matches("LINT001").count(), 1, "{report}");
}

#[test]
fn config_selects_ignores_overrides_excludes_and_gives_origins() {
    let dir = tree(&[
        (
            "zonelint.toml",
            "ignore = [\"ZONE\"]\nexclude = [\"archive/**\"]\n\
             [[overrides]]\nfiles = [\"legacy/*.zone\"]\nignore = [\"COV001\"]\n\
             [[zone]]\nfile = \"internal\"\norigin = \"internal.example.\"\n",
        ),
        ("db.broken.test", BROKEN),
        ("legacy/old.zone", BROKEN),
        ("archive/x.zone", BROKEN),
        ("internal", BROKEN),
    ]);
    // `archive/x.zone` is excluded even when named on the command line.
    insta::assert_snapshot!(concise(dir.path(), &[".", "internal", "archive/x.zone"]));
    // --isolated: no config, so every rule and no origin for `internal`.
    let isolated = run_in(
        dir.path(),
        &["--format", "json", "--isolated", "db.broken.test"],
    );
    let document: serde_json::Value = serde_json::from_slice(&isolated.stdout).unwrap();
    assert!(document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "ZONE013"));
}

#[test]
fn nearest_config_wins_and_extend_inherits() {
    let dir = tree(&[
        (
            "zonelint.toml",
            "ignore = [\"COV\"]\n[severity]\nZONE013 = \"error\"\n",
        ),
        // The nearer file replaces `ignore` and keeps the inherited `[severity]`.
        (
            "sub/.zonelint.toml",
            "extend = \"../zonelint.toml\"\nignore = []\n",
        ),
        ("db.a.test", BROKEN),
        ("sub/db.b.test", BROKEN),
    ]);
    insta::assert_snapshot!(concise(dir.path(), &["."]));
}

#[test]
fn invalid_config_is_exit_2_with_the_span_of_each_problem() {
    let dir = tree(&[
        (
            "zonelint.toml",
            "strikt = true\nselect = [\"SPF\", \"NOPE9\"]\nmax-ttl = \"forever\"\n\
             include = [\"a[\"]\n[severity]\nZONE013 = \"loud\"\n",
        ),
        ("db.a.test", BROKEN),
    ]);
    let output = run_in(dir.path(), &["."]);
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn the_spf_snapshot_is_followed_for_names_outside_the_zones() {
    // `testdata/cli/spf-snapshot/`: the config names `spf-snapshot.txt`, `dig` output for
    // the providers the zone includes; their lookups are counted exactly.
    let output = run(&["check", "--format", "concise", "spf-snapshot"]);
    insta::assert_snapshot!(transcript(&output));
    // Without it (--isolated: no config), the same includes are lower bounds.
    let isolated = run(&[
        "check",
        "--format",
        "concise",
        "--isolated",
        "--origin",
        "example.com.",
        "spf-snapshot/example.com.zone",
    ]);
    insta::assert_snapshot!(transcript(&isolated));
}

#[test]
fn an_spf_snapshot_that_does_not_parse_or_is_missing_is_exit_2() {
    let dir = tree(&[
        ("zonelint.toml", "spf-snapshot = \"snapshot.txt\"\n"),
        (
            "snapshot.txt",
            "_spf.example.net. 300 IN TXT \"v=spf1 -all\"\nrelative 300 TXT \"x\"\nbad.example.net. 300 IN A 192.0.2.300\n",
        ),
        ("db.a.test", BROKEN),
        ("missing/zonelint.toml", "spf-snapshot = \"nothing.txt\"\n"),
        ("missing/db.b.test", BROKEN),
    ]);
    let invalid = run_in(dir.path(), &["db.a.test"]);
    assert_eq!(code(&invalid), 2);
    let missing = run_in(dir.path(), &["missing/db.b.test"]);
    assert_eq!(code(&missing), 2);
    insta::assert_snapshot!([invalid, missing]
        .iter()
        .map(transcript)
        .collect::<Vec<_>>()
        .join("\n"));
}

#[test]
fn extend_cycles_and_unknown_selectors_are_exit_2() {
    let dir = tree(&[
        ("zonelint.toml", "extend = \"sub/zonelint.toml\"\n"),
        ("sub/zonelint.toml", "extend = \"../zonelint.toml\"\n"),
        ("db.a.test", BROKEN),
    ]);
    let cycle = run_in(dir.path(), &["db.a.test"]);
    assert_eq!(code(&cycle), 2);
    let unknown = run_in(
        dir.path(),
        &["--isolated", "--ignore", "SPF999", "db.a.test"],
    );
    assert_eq!(code(&unknown), 2);
    let explicit = run_in(dir.path(), &["--config", "missing.toml", "db.a.test"]);
    assert_eq!(code(&explicit), 2);
    insta::assert_snapshot!([cycle, unknown, explicit]
        .iter()
        .map(transcript)
        .collect::<Vec<_>>()
        .join("\n"));
}

/// A copy of fixture zones in a fresh directory, for runs that write.
fn fixture_copy(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixtures().join(name), to).unwrap();
    }
    dir
}

fn codes_and_messages(dir: &Path, file: &str) -> Vec<(String, String)> {
    let output = run_in(dir, &["--format", "json", "--isolated", file]);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].to_string(), d["message"].to_string()))
        .collect()
}

/// Whether `before`'s lines all appear in `after`, in order: the fixes only inserted.
fn only_inserted(before: &str, after: &str) -> bool {
    // Lines end at LF, CRLF, or a bare CR (as zone files may, and BIND reads them).
    let lines = |text: &str| -> Vec<String> {
        text.replace("\r\n", "\n")
            .split(['\n', '\r'])
            .map(str::to_owned)
            .collect()
    };
    let after = lines(after);
    let mut after_lines = after.iter();
    lines(before)
        .iter()
        .all(|line| after_lines.by_ref().any(|candidate| candidate == line))
}

#[test]
fn fix_writes_safe_fixes_idempotently_into_the_file_that_holds_the_name() {
    let files = ["example.com.zone", "inc/mail.inc", "db.broken.test"];
    let dir = fixture_copy(&files);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let before: Vec<String> = files.iter().map(|name| read(name)).collect();
    let diagnostics_before = codes_and_messages(dir.path(), "example.com.zone");

    let diff = run_in(
        dir.path(),
        &["--diff", "--unsafe-fixes", "example.com.zone"],
    );
    assert_eq!(
        code(&diff),
        1,
        "--diff exits 1 when there is something to fix"
    );
    assert_eq!(read("example.com.zone"), before[0], "--diff writes nothing");

    let fixed = run_in(
        dir.path(),
        &[
            "--fix",
            "--unsafe-fixes",
            "--format",
            "concise",
            "example.com.zone",
        ],
    );
    insta::assert_snapshot!(format!("{}\n{}", transcript(&diff), transcript(&fixed)));
    assert_eq!(code(&fixed), 0);
    // The unsafe fix of the MX host went into the included file that holds it.
    assert!(read("inc/mail.inc").contains("TXT \"v=spf1 a -all\""));
    for (name, old) in files.iter().zip(&before) {
        assert!(
            only_inserted(old, &read(name)),
            "{name} lost bytes:\n{}",
            read(name)
        );
    }
    // No new diagnostic: what remains was there before, except that the unsafe fix
    // letting the MX host send (`v=spf1 a -all`) makes it a sender under `p=reject`, for
    // which DMARC025 asks for DKIM.
    for diagnostic in codes_and_messages(dir.path(), "example.com.zone") {
        assert!(
            diagnostics_before.contains(&diagnostic) || diagnostic.0.contains("DMARC025"),
            "{diagnostic:?}"
        );
    }
    // A second run changes nothing.
    let after: Vec<String> = files.iter().map(|name| read(name)).collect();
    let again = run_in(dir.path(), &["--fix", "--unsafe-fixes", "example.com.zone"]);
    assert_eq!(code(&again), 0);
    assert_eq!(
        files.iter().map(|name| read(name)).collect::<Vec<_>>(),
        after
    );
    // BIND loads the result, where BIND is installed (include paths resolve against its
    // working directory, the zone's own here).
    let checked = Command::new("named-checkzone")
        .args(["-i", "none", "example.com", "example.com.zone"])
        .current_dir(dir.path())
        .output();
    if let Ok(checked) = checked {
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stdout)
        );
    }
}

#[test]
fn fix_without_unsafe_fixes_leaves_unsafe_ones_and_reports_them() {
    let dir = fixture_copy(&["db.broken.test"]);
    let output = run_in(
        dir.path(),
        &["--fix", "--format", "concise", "db.broken.test"],
    );
    insta::assert_snapshot!(transcript(&output));
    assert_eq!(code(&output), 1, "errors remain");
    let text = std::fs::read_to_string(dir.path().join("db.broken.test")).unwrap();
    // The MX host's fix is unsafe: not applied.
    assert!(!text.contains("v=spf1 a -all"));
}

#[test]
#[cfg(unix)]
fn fix_of_a_read_only_file_is_exit_2_and_writes_nothing() {
    let dir = fixture_copy(&["db.broken.test"]);
    let path = dir.path().join("db.broken.test");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let before = std::fs::read(&path).unwrap();
    let output = run_in(
        dir.path(),
        &["--fix", "-q", "--format", "concise", "db.broken.test"],
    );
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("read-only"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn every_format_renders_the_same_findings() {
    for format in ["concise", "json-lines", "github", "sarif", "junit"] {
        let output = run(&["--format", format, "db.broken.test", "example.com.zone"]);
        assert_eq!(code(&output), 1, "{format}");
        insta::assert_snapshot!(format!("format_{format}"), transcript(&output));
    }
}

#[test]
fn json_lines_is_one_json_object_per_diagnostic() {
    let lines = run(&["--format", "json-lines", "db.broken.test"]);
    let document = run(&["--format", "json", "db.broken.test"]);
    assert_json_lines_match_the_document(&lines, &document);
}

/// The `json-lines` output's objects are the `json` document's diagnostics, in order;
/// returns the document.
fn assert_json_lines_match_the_document(lines: &Output, document: &Output) -> serde_json::Value {
    let document: serde_json::Value = serde_json::from_slice(&document.stdout).unwrap();
    let objects: Vec<serde_json::Value> = String::from_utf8(lines.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(&serde_json::Value::Array(objects), &document["diagnostics"]);
    document
}

#[test]
fn a_file_with_more_findings_than_one_batch_writes_the_same_document() {
    // 9,000 names without SPF: more findings than one rendering batch (8,192), so the
    // report is serialised a task's share at a time on every core and written in order.
    let mut zone = String::from(
        "$ORIGIN big.test.\n@ SOA ns hm 1 2 3 4 5\n@ NS ns.example.\n@ TXT \"v=spf1 -all\"\n",
    );
    for i in 0..9000 {
        zone.push_str(&format!("h{i} A 192.0.2.1\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.test.zone"), &zone).unwrap();
    let args = ["--isolated", "--select", "COV001", "big.test.zone"];
    let document = run_in(dir.path(), &[&["--format", "json"][..], &args].concat());
    let lines = run_in(
        dir.path(),
        &[&["--format", "json-lines"][..], &args].concat(),
    );
    let document = assert_json_lines_match_the_document(&lines, &document);
    assert_eq!(document["summary"]["errors"], 9000);
    // In file order: h0, h1, ... h8999.
    let owners: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["owner"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..9000).map(|i| format!("h{i}.big.test.")).collect();
    assert_eq!(owners, expected);
}

/// A zone of `hosts` names without SPF, each a COV001 finding among others.
fn zone_of_hosts(origin: &str, hosts: usize) -> String {
    let mut zone = format!(
        "$ORIGIN {origin}\n@ SOA ns hm 1 2 3 4 5\n@ NS ns.example.\n@ TXT \"v=spf1 -all\"\n"
    );
    for i in 0..hosts {
        zone.push_str(&format!("h{i} A 192.0.2.1\n"));
    }
    zone
}

#[test]
fn sarif_and_junit_are_written_as_the_files_come() {
    // A file with more findings than one rendering batch (drawn a batch at a time while
    // it is written), then a small one whose rules differ (its results number their
    // rules among the whole run's), then one without findings.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.test.zone"),
        zone_of_hosts("big.test.", 9000),
    )
    .unwrap();
    let small = "$ORIGIN small.test.\n@ SOA ns hm 1 2 3 4 5\n@ NS ns.example.\n\
                 @ TXT \"v=spf1 +all\"\n_dmarc TXT \"v=DMARC1; p=none\"\n";
    std::fs::write(dir.path().join("small.test.zone"), small).unwrap();
    let files = ["big.test.zone", "small.test.zone"];
    let args = |format: &'static str| [&["--isolated", "--format", format][..], &files].concat();
    let json = run_in(dir.path(), &args("json"));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() > 9000);

    let sarif = run_in(dir.path(), &args("sarif"));
    assert_eq!(code(&sarif), 1);
    let text = String::from_utf8(sarif.stdout).unwrap();
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Written piece by piece, it is the document serde_json prints whole.
    assert_eq!(serde_json::to_string_pretty(&log).unwrap() + "\n", text);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let results = log["runs"][0]["results"].as_array().unwrap();
    // One result per diagnostic of the run, in the same order, each naming its rule by
    // its place among every rule the run reports.
    assert_eq!(results.len(), diagnostics.len());
    for (result, diagnostic) in results.iter().zip(diagnostics) {
        assert_eq!(result["ruleId"], diagnostic["code"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], ids[index]);
    }
    let small_only: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["file"] == "small.test.zone")
        .map(|d| d["code"].as_str().unwrap())
        .filter(|code| {
            !diagnostics
                .iter()
                .any(|d| d["file"] == "big.test.zone" && d["code"] == *code)
        })
        .collect();
    assert!(
        !small_only.is_empty(),
        "the small file reports a rule of its own"
    );

    // No finding: the document with an empty list of results.
    std::fs::write(dir.path().join("clean.test.zone"), "").unwrap();
    let clean = run_in(
        dir.path(),
        &[
            "--isolated",
            "--format",
            "sarif",
            "--select",
            "SPF001",
            "clean.test.zone",
        ],
    );
    let text = String::from_utf8(clean.stdout).unwrap();
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string_pretty(&log).unwrap() + "\n", text);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));

    // JUnit: the run's counts first, then each file's testsuite as it is alone.
    let junit = String::from_utf8(run_in(dir.path(), &args("junit")).stdout).unwrap();
    let findings = diagnostics.len();
    let head = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zonelint\" \
         tests=\"{findings}\" failures=\"{findings}\" errors=\"0\">\n"
    );
    let suite = |file: &str| {
        let alone = run_in(dir.path(), &["--isolated", "--format", "junit", file]);
        let alone = String::from_utf8(alone.stdout).unwrap();
        let start = alone.find("  <testsuite ").unwrap();
        let end = alone.rfind("</testsuites>").unwrap();
        alone[start..end].to_owned()
    };
    let expected = head + &suite("big.test.zone") + &suite("small.test.zone") + "</testsuites>\n";
    assert_eq!(junit, expected);
    assert_eq!(junit.matches("<testcase ").count(), findings);
}

#[test]
fn github_is_the_default_under_github_actions_only_without_format() {
    let mut command = command_in(&fixtures(), &["db.broken.test"]);
    let output = command.env("GITHUB_ACTIONS", "true").output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("::error file=db.broken.test,"));
    let mut command = command_in(&fixtures(), &["--format", "concise", "db.broken.test"]);
    let output = command.env("GITHUB_ACTIONS", "true").output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("db.broken.test:"));
}

#[test]
fn statistics_count_each_rule() {
    let output = run(&["--statistics", "db.broken.test", "example.com.zone"]);
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn exit_zero_quiet_and_output_file() {
    assert_eq!(code(&run(&["--exit-zero", "db.broken.test"])), 0);
    // Still 2 when the run itself fails.
    assert_eq!(code(&run(&["--exit-zero", "no-such.zone"])), 2);
    let quiet = run(&["--format", "concise", "-q", "db.broken.test"]);
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("Found"));
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let to_file = run(&[
        "--format",
        "concise",
        "--output-file",
        report.to_str().unwrap(),
        "db.broken.test",
    ]);
    assert_eq!(code(&to_file), 1);
    assert!(to_file.stdout.is_empty());
    let stdout = run(&["--format", "concise", "db.broken.test"]).stdout;
    assert_eq!(std::fs::read(&report).unwrap(), stdout);
    let unwritable = run(&["--output-file", "/nonexistent-dir/r.txt", "db.broken.test"]);
    assert_eq!(code(&unwritable), 2);
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("/nonexistent-dir/r.txt"));
}

#[test]
fn sarif_has_the_required_structure_of_sarif_2_1_0() {
    let output = run(&["--format", "sarif", "db.broken.test", "example.com.zone"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "zonelint");
    let rules = driver["rules"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for rule in rules {
        for key in ["id", "name", "helpUri"] {
            assert!(rule[key].is_string(), "{rule}");
        }
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["none", "note", "warning", "error"].contains(&level));
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for result in results {
        // ruleIndex points at the rule whose id is ruleId.
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], ids[index]);
        assert!(result["message"]["text"].is_string());
        assert!(["none", "note", "warning", "error"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string());
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{region}");
        }
        for fix in result["fixes"].as_array().into_iter().flatten() {
            assert!(fix["description"]["text"].is_string());
            for change in fix["artifactChanges"].as_array().unwrap() {
                assert!(change["artifactLocation"]["uri"].is_string());
                for replacement in change["replacements"].as_array().unwrap() {
                    assert!(replacement["deletedRegion"]["byteOffset"].is_u64());
                    assert!(replacement["insertedContent"]["text"].is_string());
                }
            }
        }
    }
    // Every rule that fired is described once, and no other.
    let mut fired: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    fired.sort_unstable();
    fired.dedup();
    assert_eq!(fired, ids);
}

#[test]
fn rule_prints_the_documentation_of_one_rule() {
    let text = run(&["rule", "zone-soa-missing"]);
    assert_eq!(code(&text), 0);
    insta::assert_snapshot!(transcript(&text));
    let json = run(&["rule", "ZONE001", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["slug"], "zone-soa-missing");
    for key in ["what", "why", "example", "use_instead", "fix_safety", "url"] {
        assert!(doc[key].is_string(), "{key}");
    }
}

#[test]
fn rule_all_lists_every_rule_once_and_unknown_rules_are_exit_2() {
    let json = run(&["rule", "--all", "--format", "json"]);
    assert_eq!(code(&json), 0);
    let docs: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut codes: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| doc["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"COV001"));
    let count = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), count);
    let text = run(&["rule", "--all"]);
    assert_eq!(
        String::from_utf8_lossy(&text.stdout)
            .matches("## What it does")
            .count(),
        count
    );
    let unknown = run(&["rule", "SPF999"]);
    assert_eq!(code(&unknown), 2);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`SPF999` is not a rule"));
}

#[test]
fn fix_keeps_crlf_line_endings_and_every_other_byte() {
    let original = "$TTL 1h\r\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\r\n  NS ns1\r\n\
                    _dmarc TXT \"v=DMARC1; p=reject\"\r\n\
                    ns1 A 192.0.2.1 ; the server\r\n";
    let dir = tree(&[("db.crlf.test", original)]);
    let output = run_in(
        dir.path(),
        &["--fix", "--format", "concise", "db.crlf.test"],
    );
    let fixed = std::fs::read_to_string(dir.path().join("db.crlf.test")).unwrap();
    assert_ne!(fixed, original, "{}", transcript(&output));
    assert!(only_inserted(original, &fixed));
    // Every line still ends in CRLF, the inserted ones too.
    assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
    let again = run_in(dir.path(), &["--fix", "db.crlf.test"]);
    assert_eq!(code(&again), 0, "{}", transcript(&again));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("db.crlf.test")).unwrap(),
        fixed
    );
}

#[test]
fn parse_warnings_follow_the_selection_and_parse_errors_always_show() {
    // The MX keeps the zone from being a parked one that lacks the profile (COV007).
    let zone = "$TTL 1h\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1\n  NS ns.example.net.\n  MX 10 mx.example.net.\n\
                ns1 A 192.0.2.1\nns1 TXT \"v=spf1 -all\"\n@ TXT \"v=spf1 -all\"\n\
                _dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@ns1.w.test\"\n\
                www 2147483648 TXT \"v=spf1 -all\"\nbad A 192.0.2.256\nbad TXT \"v=spf1 -all\"\n";
    let dir = tree(&[("db.w.test", zone)]);
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "json", "--isolated"];
        all.extend_from_slice(args);
        all.push("db.w.test");
        let output = run_in(dir.path(), &all);
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        document["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&[]), ["PARSE006", "PARSE002"]);
    assert_eq!(codes(&["--ignore", "PARSE006"]), ["PARSE002"]);
    assert_eq!(codes(&["--ignore", "PARSE"]), ["PARSE002"]);
    assert_eq!(codes(&["--select", "ZONE"]), ["PARSE002"]);
}

/// The origin a fixture declares in its first line (`; origin: NAME`), else its name.
fn fixture_origin(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .next()
        .and_then(|line| line.strip_prefix("; origin: "))
        .map_or_else(
            || {
                let name = path.file_name().unwrap().to_string_lossy();
                name.trim_end_matches(".zone").to_owned()
            },
            |origin| origin.trim().to_owned(),
        )
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn bind_accepts(dir: &Path, origin: &str, file: &str) -> Option<bool> {
    Command::new("named-checkzone")
        .args(["-i", "none", origin, file])
        .current_dir(dir)
        .output()
        .ok()
        .map(|output| output.status.success())
}

/// Every fixture zone, fixed with every fix: no new diagnostic, nothing left to do for a
/// second run, the original lines all kept, and BIND still loads what it loaded before.
#[test]
fn fixing_the_fixture_zones_is_idempotent_and_bind_still_loads_them() {
    let testdata = fixtures().join("..");
    let mut changed = 0;
    for set in ["valid", "policy"] {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&testdata.join(set), dir.path());
        let mut zones: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "zone"))
            .collect();
        zones.sort();
        for zone in zones {
            let file = zone.file_name().unwrap().to_str().unwrap().to_owned();
            let origin = fixture_origin(&zone);
            let args = ["--isolated", "--origin", &origin, "--unsafe-fixes"];
            let json_of = |dir: &Path| {
                let mut all = vec!["--format", "json"];
                all.extend_from_slice(&args[..3]);
                all.push(&file);
                let output = run_in(dir, &all);
                let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                document["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| (d["code"].to_string(), d["message"].to_string()))
                    .collect::<Vec<_>>()
            };
            let before_text = std::fs::read_to_string(&zone).unwrap();
            let before = json_of(dir.path());
            let bind_before = bind_accepts(dir.path(), &origin, &file);
            let mut fix = args.to_vec();
            fix.extend(["--fix", "-q", &file]);
            let first = run_in(dir.path(), &fix);
            assert_ne!(code(&first), 2, "{file}: {}", transcript(&first));
            let after_text = std::fs::read_to_string(&zone).unwrap();
            changed += usize::from(after_text != before_text);
            assert!(
                only_inserted(&before_text, &after_text),
                "{file}:\n{after_text}"
            );
            // The record DMARC001's (unsafe) fix adds brings the obligations of a policy:
            // it has no `rua`, since the report address is the owner's to choose
            // (DMARC014), and its `p=reject` needs DKIM for the names that send (DMARC025).
            let obligations = ["\"DMARC014\"", "\"DMARC025\""];
            for diagnostic in json_of(dir.path()) {
                assert!(
                    before.contains(&diagnostic) || obligations.contains(&diagnostic.0.as_str()),
                    "{file}: new {diagnostic:?}"
                );
            }
            let second = run_in(dir.path(), &fix);
            assert_ne!(code(&second), 2, "{file}");
            assert_eq!(
                std::fs::read_to_string(&zone).unwrap(),
                after_text,
                "{file}"
            );
            if bind_before == Some(true) {
                assert_eq!(
                    bind_accepts(dir.path(), &origin, &file),
                    Some(true),
                    "{file}: BIND loaded it before the fixes, not after:\n{after_text}"
                );
            }
        }
    }
    // The fixtures have fixable findings; a run that fixes none tests nothing.
    assert!(changed >= 5, "only {changed} fixture files were changed");
}

/// Regression: a fix inserted after the first line of a record split by parentheses lands
/// inside the parentheses, where it becomes more TXT strings and leaves the finding in
/// place; applied every round, it multiplied. Such a fix is undone and refused.
#[test]
fn a_fix_that_leaves_its_finding_in_place_is_undone_and_not_applied() {
    let original = "$TTL 1h\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1\n\
                    @ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject\"\n\
                    ns1 A 192.0.2.1\nns1 TXT \"v=spf1 -all\"\n\
                    www IN TXT ( ; a comment\n    \"x\" ; and ) in a comment\n    )\n";
    let dir = tree(&[("db.paren.test", original)]);
    let read = || std::fs::read_to_string(dir.path().join("db.paren.test")).unwrap();
    let output = run_in(
        dir.path(),
        &["--fix", "--format", "concise", "db.paren.test"],
    );
    let after = read();
    // Either the fix landed after the closing parenthesis (and worked), or it was refused;
    // never a TXT record inside the parentheses.
    assert!(!after.contains("comment\n    TXT"), "{after}");
    let fixed_after_parenthesis = after
        .split_once("    )\n")
        .is_some_and(|(_, rest)| rest.trim_start().starts_with("TXT \"v=spf1 -all\""));
    assert!(
        after.ends_with("    )\n") || fixed_after_parenthesis,
        "{after}"
    );
    if after == original {
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("left it in place"),
            "{}",
            transcript(&output)
        );
    }
    run_in(dir.path(), &["--fix", "db.paren.test"]);
    assert_eq!(read(), after, "a second run changes nothing");
}

/// The two views of a split-horizon zone (same origin, same record) give one finding the
/// same key in two files; a fix round takes both fixes and judges them together. Both
/// work, so both stay and are counted.
#[test]
fn the_same_finding_in_two_views_is_fixed_in_both() {
    let view = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n\
                @ NS ns1\nns1 A 192.0.2.1\n@ TXT \"v=spf1 mx +all\"\n";
    let dir = tree(&[("internal.zone", view), ("external.zone", view)]);
    let args = ["--select", "SPF001", "--format", "concise"];
    let files = ["internal.zone", "external.zone"];
    let before = run_in(dir.path(), &[&args[..], &files[..]].concat());
    assert_eq!(
        String::from_utf8_lossy(&before.stdout)
            .matches("SPF001")
            .count(),
        2,
        "{}",
        transcript(&before)
    );
    let output = run_in(
        dir.path(),
        &[&args[..], &["--fix", "--unsafe-fixes"], &files[..]].concat(),
    );
    assert_eq!(code(&output), 0, "{}", transcript(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Fixed 2 problems in 2 files"), "{said}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("left it in place"));
    for file in files {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert_eq!(text, view.replace("+all", "-all"), "{file}");
    }
}

/// A run from `dir` with `input` on standard input.
fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = command_in(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that refuses before reading may close its end first: that is not a failure.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn stdin_with_a_file_name_lints_like_the_file_with_its_config_and_origin() {
    let dir = tree(&[
        ("sub/zonelint.toml", "ignore = [\"COV\"]\n"),
        ("sub/db.broken.test", BROKEN),
    ]);
    let from_disk = concise(dir.path(), &["sub/db.broken.test"]);
    let args = [
        "--format",
        "concise",
        "--stdin-filename",
        "sub/db.broken.test",
        "-",
    ];
    let from_stdin = transcript(&run_with_stdin(dir.path(), &args, BROKEN));
    assert_eq!(from_stdin, from_disk);
    // Without `-`, `--stdin-filename` alone reads standard input too.
    let implied = run_with_stdin(dir.path(), &args[..4], BROKEN);
    assert_eq!(transcript(&implied), from_disk);
    // The name need not exist; its directory still selects the config.
    let unsaved = run_with_stdin(
        dir.path(),
        &[
            "--format",
            "concise",
            "--stdin-filename",
            "sub/new/db.x.test",
            "-",
        ],
        BROKEN,
    );
    insta::assert_snapshot!(format!("{from_stdin}\n{}", transcript(&unsaved)));
}

#[test]
fn fixes_are_refused_for_stdin_and_diff_shows_them() {
    let input = std::fs::read_to_string(fixtures().join("example.com.zone")).unwrap();
    let dir = tree(&[]);
    for fix in ["--fix", "--unsafe-fixes"] {
        let refused = run_with_stdin(dir.path(), &[fix, "-"], &input);
        assert_eq!(code(&refused), 2);
        insta::assert_snapshot!("fix_refused_for_stdin", transcript(&refused));
    }
    let diff = run_with_stdin(
        dir.path(),
        &["--diff", "--stdin-filename", "example.com.zone", "-"],
        &input,
    );
    assert_eq!(code(&diff), 1, "{}", transcript(&diff));
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.starts_with("--- a/example.com.zone"), "{text}");
    // Nothing was written.
    assert!(!dir.path().join("example.com.zone").exists());
}

#[test]
fn stdin_without_a_name_or_origin_says_how_to_give_one() {
    let output = run_with_stdin(&fixtures(), &["--format", "json", "-"], BROKEN);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "PARSE010");
    assert_eq!(first["file"], "-");
    assert!(first["help"]
        .as_str()
        .unwrap()
        .contains("--stdin-filename db.example.com"));
}

#[test]
fn stdin_filename_without_stdin_is_exit_2() {
    let output = run(&["--stdin-filename", "x.zone", "example.com.zone"]);
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn named_conf_gives_the_primary_zones_and_their_origins() {
    let dir = tree(&[
        (
            "etc/named.conf",
            "options {\n  directory \"../var/named\"; // relative to this file\n};\n\
             /* the zones */\n\
             zone \"broken.test\" IN { type primary; file \"primary/broken\"; };\n\
             zone \"old.test\" { type master; file \"primary/old\"; };\n\
             # a copy of someone else's zone: not linted, and absent here\n\
             zone \"copy.test\" { type secondary; file \"secondary/copy\"; };\n\
             zone \"nofile.test\" { type primary; };\n",
        ),
        ("var/named/primary/broken", BROKEN),
        ("var/named/primary/old", BROKEN),
        ("var/named/ignored.zone", BROKEN),
    ]);
    let output = concise(
        dir.path(),
        &["--select", "PARSE,ZONE", "--named-conf", "etc/named.conf"],
    );
    insta::assert_snapshot!(output);
    // A zone reached both through the configuration and a walk is linted once.
    let both = concise(
        dir.path(),
        &[
            "--select",
            "PARSE",
            "--named-conf",
            "etc/named.conf",
            "var/named/primary/broken",
            "var/named/primary/old",
        ],
    );
    assert_eq!(both.matches("PARSE002").count(), 2, "{both}");
    let broken = run_in(dir.path(), &["--named-conf", "etc/missing.conf"]);
    assert_eq!(code(&broken), 2);
    std::fs::write(
        dir.path().join("bad.conf"),
        "zone \"a\" {\n type primary;\n",
    )
    .unwrap();
    let bad = run_in(dir.path(), &["--named-conf", "bad.conf"]);
    assert_eq!(code(&bad), 2);
    insta::assert_snapshot!(format!("{}\n{}", transcript(&broken), transcript(&bad)));
}

#[test]
fn check_help_lists_every_option() {
    let output = run(&["check", "--help"]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn generate_writes_man_pages_and_completions_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man1");
    let output = run(&["generate", "man", "--output", man.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", transcript(&output));
    let mut pages: Vec<String> = std::fs::read_dir(&man)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    // The hidden `generate` has no page.
    assert_eq!(
        pages,
        [
            "zonelint-check.1",
            "zonelint-dump.1",
            "zonelint-rule.1",
            "zonelint-server.1",
            "zonelint.1"
        ]
    );
    let check = std::fs::read_to_string(man.join("zonelint-check.1")).unwrap();
    for option in [
        "stdin\\-filename",
        "named\\-conf",
        "unsafe\\-fixes",
        "exit\\-zero",
    ] {
        assert!(check.contains(option), "{option} missing from the man page");
    }
    let to_stdout = run(&["generate", "man"]);
    assert!(String::from_utf8_lossy(&to_stdout.stdout).starts_with(".ie"));

    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = run(&["generate", "completions", shell]);
        assert_eq!(code(&output), 0, "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains("named-conf"), "{shell}: {script}");
    }
    let completions = dir.path().join("completions");
    let output = run(&[
        "generate",
        "completions",
        "bash",
        "--output",
        completions.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0);
    assert!(completions.join("zonelint.bash").is_file());
    // Hidden from the help of users who lint.
    let help = run(&["--help"]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("generate"));
}

#[test]
fn rule_output_writes_a_page_per_rule_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_in(dir.path(), &["rule", "--all", "--output", "docs/rules"]);
    assert_eq!(code(&output), 0, "{}", transcript(&output));
    let pages = std::fs::read_dir(dir.path().join("docs/rules"))
        .unwrap()
        .count();
    let table = std::fs::read_to_string(dir.path().join("docs/rules.md")).unwrap();
    assert_eq!(table.matches("\n| [").count(), pages);
    // A page is what `zonelint rule` prints.
    let page = std::fs::read(dir.path().join("docs/rules/spf-plus-all.md")).unwrap();
    assert_eq!(run(&["rule", "spf-plus-all"]).stdout, page);
}

/// The fenced blocks of `language` in a Markdown file of docs/.
fn doc_blocks(file: &str, language: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("../../docs").join(file)).unwrap();
    let fence = format!("```{language}\n");
    text.split(fence.as_str())
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .collect()
}

#[test]
fn every_configuration_example_in_the_docs_is_valid() {
    let blocks = doc_blocks("configuration.md", "toml");
    assert!(blocks.len() > 5);
    for block in blocks {
        // `extend` needs the file it names: give every example a parent.
        let dir = tree(&[
            ("zonelint.toml", ""),
            ("sub/zonelint.toml", &block),
            ("sub/clean.example.zone", "$TTL 1h\n@ SOA ns1 h 1 2 3 4 5\n"),
            // The file `spf-snapshot = "spf-snapshot.txt"` names.
            ("sub/spf-snapshot.txt", ""),
        ]);
        let output = run_in(&dir.path().join("sub"), &["-q", "--format", "concise", "."]);
        assert_ne!(code(&output), 2, "{block}\n{}", transcript(&output));
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // Enough files that a terminal would show the bar.
    let files: Vec<(String, &str)> = (0..60).map(|n| (format!("db.z{n}.test"), BROKEN)).collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = tree(&borrowed);
    for format in ["full", "concise"] {
        let output = run_in(dir.path(), &["--format", format, "."]);
        assert_eq!(code(&output), 1);
        assert!(
            output.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_config_cannot_make_zonelint_read_and_quote_a_file_that_is_not_toml() {
    // `extend = "/etc/passwd"` once put the file's first line into the config error.
    let dir = tree(&[
        ("zonelint.toml", "extend = \"/etc/passwd\"\n"),
        (
            "db.example.test",
            "$TTL 1h\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n",
        ),
    ]);
    let output = run_in(dir.path(), &["db.example.test"]);
    assert_eq!(code(&output), 2, "{}", transcript(&output));
    let everything = transcript(&output);
    assert!(everything.contains("not a `.toml` file"), "{everything}");
    if let Some(first) = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|t| t.lines().next().map(str::to_owned))
    {
        assert!(!everything.contains(&first), "{everything}");
    }
}
