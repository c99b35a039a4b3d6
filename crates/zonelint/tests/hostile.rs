//! The real binary on hostile input: every file of `testdata/hostile/` and the large ones
//! generated below (written to a temporary directory, never committed), each run under an
//! address-space limit and a wall-clock bound.
//!
//! For every run: the process exits 0 or 1 (never a signal, never 101 from a panic, never
//! 2 from a worker that panicked), stdout and stderr are UTF-8, nothing of a file outside
//! the zone's directory tree appears anywhere in the output, and every JSON span lies
//! within the file it names.
//!
//! The time bound only detects hangs: it is generous (a debug build on a loaded machine)
//! and nothing asserts how fast a run is.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: a run that cannot be set up or checked must fail the test loudly"
)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Address space a run may map: far more than any of these inputs needs, far less than a
/// runaway allocation would take.
const ADDRESS_SPACE_KIB: u64 = 2 * 1024 * 1024;

/// A run that takes longer than this is taken to hang and killed.
const HANG_BOUND: Duration = Duration::from_secs(20);

/// Written into the file outside the zone's tree that hostile includes try to read.
const SECRET: &str = "HOSTILE-SECRET-do-not-print-3b1f";

/// The origin the hostile files and generators use.
const HEAD: &str = "$ORIGIN hostile.test.\n$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n";

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/hostile")
}

/// What one run printed.
struct Run {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the binary in `dir` with `args`, under the address-space limit (`ulimit -v` in a
/// shell that then `exec`s the binary: the workspace forbids the `unsafe` a `pre_exec`
/// `setrlimit` needs) and the hang bound. Output goes to files, so a large report cannot
/// fill a pipe and stall the run.
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_zonelint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "zonelint {} in {} did not finish within {HANG_BOUND:?}",
                args.join(" "),
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        status,
        stdout: fs::read(&stdout_path).unwrap(),
        stderr: fs::read(&stderr_path).unwrap(),
    }
}

/// The invariants of every run; returns stdout as text.
fn check_run(what: &str, run: &Run, forbidden: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&run.stderr);
    let head: String = stderr.chars().take(2000).collect();
    match run.status.code() {
        Some(0 | 1) => {}
        Some(code) => panic!("{what}: exit code {code}; stderr:\n{head}"),
        None => panic!(
            "{what}: killed by a signal ({:?}); stderr:\n{head}",
            run.status
        ),
    }
    assert!(!stderr.contains("panicked"), "{what}: a panic:\n{head}");
    let stdout = String::from_utf8(run.stdout.clone())
        .unwrap_or_else(|e| panic!("{what}: stdout is not UTF-8: {e}"));
    let stderr = String::from_utf8(run.stderr.clone())
        .unwrap_or_else(|e| panic!("{what}: stderr is not UTF-8: {e}"));
    for secret in forbidden {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{what}: the output shows `{secret}`, the content of a file outside the zone's tree"
        );
    }
    stdout
}

/// Every JSON diagnostic's `offset`/`length` lies within the file it names (read relative
/// to `dir`, where the run was).
fn check_json_spans(what: &str, dir: &Path, stdout: &str) -> serde_json::Value {
    let document: serde_json::Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("{what}: not one JSON document: {e}"));
    let mut lengths: HashMap<String, u64> = HashMap::new();
    let diagnostics = document
        .get("diagnostics")
        .and_then(serde_json::Value::as_array)
        .unwrap_or_else(|| panic!("{what}: no diagnostics array"));
    for diagnostic in diagnostics {
        let file = diagnostic.get("file").and_then(serde_json::Value::as_str);
        let offset = diagnostic.get("offset").and_then(serde_json::Value::as_u64);
        let length = diagnostic.get("length").and_then(serde_json::Value::as_u64);
        let (Some(file), Some(offset), Some(length)) = (file, offset, length) else {
            panic!("{what}: a diagnostic without file, offset or length: {diagnostic}");
        };
        let size = *lengths
            .entry(file.to_owned())
            .or_insert_with(|| fs::metadata(dir.join(file)).map_or(0, |m| m.len()));
        assert!(
            offset + length <= size,
            "{what}: span {offset}+{length} past the end of {file} ({size} bytes): {diagnostic}"
        );
    }
    document
}

/// A hostile case: a zone file (path relative to `dir`) and what must not be printed.
struct Case<'a> {
    dir: &'a Path,
    file: &'a str,
    forbidden: &'a [&'a str],
}

/// Runs every command on one file: `check` in JSON (spans checked), the human formats,
/// `--diff`, and `dump --generic`. Returns the JSON document.
fn exercise(case: &Case<'_>) -> serde_json::Value {
    let file = case.file;
    let json_run = run_bounded(case.dir, &["check", "--isolated", "--format", "json", file]);
    let stdout = check_run(&format!("{file} (json)"), &json_run, case.forbidden);
    let document = check_json_spans(file, case.dir, &stdout);
    for args in [
        &[
            "check",
            "--isolated",
            "--format",
            "full",
            "--color",
            "always",
            file,
        ][..],
        &["check", "--isolated", "--format", "sarif", file][..],
        &["check", "--isolated", "--diff", "--unsafe-fixes", file][..],
        &[
            "check",
            "--isolated",
            "--no-include",
            "--format",
            "concise",
            file,
        ][..],
        &["dump", "--generic", file][..],
    ] {
        let run = run_bounded(case.dir, args);
        check_run(
            &format!("{file} ({})", args.join(" ")),
            &run,
            case.forbidden,
        );
    }
    document
}

/// The `PARSE…` codes a run reported.
fn codes(document: &serde_json::Value) -> Vec<String> {
    document["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect()
}

/// Copies `testdata/hostile/` into a fresh temporary directory, below a parent that holds
/// the secret file, and adds a symbolic link out of the tree. Returns (parent, copy).
fn hostile_tree() -> (tempfile::TempDir, PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    fs::write(parent.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
    let copy = parent.path().join("hostile");
    copy_dir(&hostile_dir(), &copy);
    std::os::unix::fs::symlink("../secret.txt", copy.join("link-to-secret.inc")).unwrap();
    (parent, copy)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The first line of `/etc/passwd`, if there is one: it must never be printed.
fn passwd_line() -> Option<String> {
    let text = fs::read_to_string("/etc/passwd").ok()?;
    text.lines()
        .next()
        .filter(|line| line.len() > 8)
        .map(str::to_owned)
}

#[test]
fn every_committed_hostile_file_is_survived() {
    let (_parent, tree) = hostile_tree();
    let passwd = passwd_line();
    let mut forbidden = vec![SECRET];
    forbidden.extend(passwd.as_deref());
    let mut files: Vec<String> = Vec::new();
    for entry in fs::read_dir(&tree).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "zone") {
            files.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    files.push("include-cycle/cycle.zone".to_owned());
    files.push("include-depth/depth.zone".to_owned());
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    for file in &files {
        exercise(&Case {
            dir: &tree,
            file,
            forbidden: &forbidden,
        });
    }
}

#[test]
fn includes_outside_the_tree_are_refused_and_never_quoted() {
    let (_parent, tree) = hostile_tree();
    let passwd = passwd_line();
    let mut forbidden = vec![SECRET];
    forbidden.extend(passwd.as_deref());
    let document = exercise(&Case {
        dir: &tree,
        file: "include-escape.zone",
        forbidden: &forbidden,
    });
    let refused = codes(&document)
        .iter()
        .filter(|code| *code == "PARSE007")
        .count();
    // Every one of the twelve `$INCLUDE`s is refused, the symbolic link out included.
    assert_eq!(refused, 12, "{document:#}");
    // The same from another working directory, with the zone named by an absolute path.
    let absolute = tree.join("include-escape.zone");
    let run = run_bounded(
        Path::new("/"),
        &[
            "check",
            "--isolated",
            "--format",
            "json",
            absolute.to_str().unwrap(),
        ],
    );
    check_run("include-escape.zone from /", &run, &forbidden);
}

#[test]
fn include_cycles_and_chains_deeper_than_ten_stop() {
    let (_parent, tree) = hostile_tree();
    let cycle = exercise(&Case {
        dir: &tree,
        file: "include-cycle/cycle.zone",
        forbidden: &[SECRET],
    });
    let messages = cycle["diagnostics"].to_string();
    assert!(codes(&cycle).contains(&"PARSE007".to_owned()), "{cycle:#}");
    assert!(messages.contains("cycle"), "{messages}");
    let depth = exercise(&Case {
        dir: &tree,
        file: "include-depth/depth.zone",
        forbidden: &[SECRET],
    });
    let messages = depth["diagnostics"].to_string();
    assert!(messages.contains("more than 10 deep"), "{messages}");
    // Levels 1 to 10 were read, the eleventh was not.
    let records = depth["summary"]["records"].as_u64().unwrap();
    assert_eq!(records, 3 + 10, "{depth:#}");
}

/// Writes the generated hostile zones into `dir`; returns their names.
fn generate_large_files(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    // One line of a megabyte: half a million character-strings of one record.
    let mut line = format!("{HEAD}big TXT");
    while line.len() < 1 << 20 {
        line.push_str(" \"x\"");
    }
    line.push('\n');
    files.push(("one-megabyte-line.zone", line.into_bytes()));
    // Tokens of 70 KB: an owner, an unquoted and a quoted TXT string, a comment.
    let long = "a".repeat(70 * 1024);
    files.push((
        "seventy-kilobyte-token.zone",
        format!("{HEAD}{long} A 192.0.2.1\nt TXT {long}\nq TXT \"{long}\"\nc A 192.0.2.1 ;{long}\nafter A 192.0.2.2\n")
            .into_bytes(),
    ));
    // Ten thousand nested parentheses, then ten thousand closing ones.
    let open = "(".repeat(10_000);
    let close = ")".repeat(10_000);
    files.push((
        "nested-parentheses.zone",
        format!("{HEAD}www A {open} 192.0.2.1 {close}\nafter A 192.0.2.2\n{open}\n").into_bytes(),
    ));
    // A hundred thousand errors: more than the diagnostics cap of one file.
    let mut errors = String::from(HEAD);
    for i in 0..100_000 {
        writeln!(errors, "e{i} A 192.0.2.300").unwrap();
    }
    files.push(("hundred-thousand-errors.zone", errors.into_bytes()));
    // RDATA of 65,536 octets (one too many) and of 65,535 (the most there may be).
    let mut generic = String::from(HEAD);
    for len in [65_536_usize, 65_535] {
        write!(generic, "g{len} TYPE65280 \\# {len} ").unwrap();
        generic.push_str(&"ab".repeat(len));
        generic.push('\n');
    }
    files.push(("rdata-65536-octets.zone", generic.into_bytes()));
    // Many `$GENERATE` directives (each small: the per-file total of a million records is
    // checked by the parser's unit tests with a small limit; a debug build takes minutes to
    // lint that many), then one over the step limit.
    let mut generate = String::from(HEAD);
    for i in 0..3_000 {
        writeln!(generate, "$GENERATE 1-2 g{i}-$ A 192.0.2.$").unwrap();
    }
    generate.push_str("$GENERATE 0-4294967295 h$ A 192.0.2.1\n");
    files.push(("many-generate.zone", generate.into_bytes()));
    for (name, text) in &files {
        fs::write(dir.join(name), text).unwrap();
    }
    files
}

#[test]
fn generated_large_inputs_are_survived_and_limits_reported() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate_large_files(dir.path());
    for (name, _) in &files {
        let document = exercise(&Case {
            dir: dir.path(),
            file: name,
            forbidden: &[],
        });
        let messages = document["diagnostics"].to_string();
        match *name {
            "hundred-thousand-errors.zone" => {
                // The cap keeps 10,000 and counts the rest.
                assert!(
                    messages.contains("90000 more problems were found and not shown"),
                    "{}",
                    messages.chars().take(500).collect::<String>()
                );
            }
            "seventy-kilobyte-token.zone" | "rdata-65536-octets.zone" => {
                assert!(codes(&document).contains(&"PARSE012".to_owned()), "{name}");
            }
            "many-generate.zone" => {
                assert_eq!(document["summary"]["records"].as_u64(), Some(3 + 6_000));
                assert!(messages.contains("4294967296 steps"), "{messages}");
            }
            _ => {}
        }
    }
}

#[test]
fn isolated_reads_no_configuration_from_the_zone_tree() {
    // A zone tree can ship a `zonelint.toml` whose `extend` names a file outside it; the
    // TOML error would quote that file. Configuration is trusted input (docs/security.md):
    // `--isolated` is how an untrusted tree is linted without reading it.
    let (parent, tree) = hostile_tree();
    let secret = parent.path().join("secret.txt");
    fs::write(
        tree.join("zonelint.toml"),
        format!("extend = \"{}\"\n", secret.display()),
    )
    .unwrap();
    let run = run_bounded(
        &tree,
        &[
            "check",
            "--isolated",
            "--no-include",
            "--format",
            "json",
            "crlf.zone",
        ],
    );
    let stdout = check_run("crlf.zone with a hostile zonelint.toml", &run, &[SECRET]);
    check_json_spans("crlf.zone", &tree, &stdout);
}

#[test]
fn fixes_on_hostile_files_settle_and_leave_no_temporary_files() {
    let (_parent, tree) = hostile_tree();
    let mut files: Vec<PathBuf> = fs::read_dir(&tree)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "zone"))
        .collect();
    files.sort();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let args = [
            "check",
            "--isolated",
            "--unsafe-fixes",
            "--format",
            "json",
            name,
        ];
        let first = run_bounded(&tree, &args);
        check_run(&format!("{name} (--unsafe-fixes)"), &first, &[SECRET]);
        let fixed = fs::read(path).unwrap();
        let second = run_bounded(&tree, &args);
        check_run(
            &format!("{name} (--unsafe-fixes again)"),
            &second,
            &[SECRET],
        );
        assert_eq!(
            fs::read(path).unwrap(),
            fixed,
            "{name}: a second --unsafe-fixes run changed the file again"
        );
    }
    let leftovers: Vec<String> = fs::read_dir(&tree)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".zonelint-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
