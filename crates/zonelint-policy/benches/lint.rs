//! Lint throughput, phase by phase, on the benchmark zones of `shared/bench/genzone.py`
//! (generated once under the workspace's `target/bench-data/`, as `zonelint-zone`'s
//! `parse` bench does), and the editor's re-lint latency:
//!
//! - `index/large`: `ZoneIndex::build` of the 1,000,000-record zone (87 MB);
//! - `mail/large`: every TXT record read (`MailTexts`) and the email ones parsed
//!   (`MailSet`);
//! - `rules/large`: every default rule over the indexed zone (`lint::run_rules`);
//! - `lint/large`: the three together (`zonelint_policy::lint`);
//! - `editor/10k`: what `zonelint server` does after each keystroke on a 10,000-record
//!   zone: parse the edited text and lint it (the target is < 50 ms);
//! - `many/2000x60`: a hosting provider's directory, 2000 zones of 60 records linted as
//!   one set (written by `scripts/many-zones.py` into `target/bench-data/many-2000-60/`,
//!   the zones `scripts/bench-peers.sh many` times).
//!
//! The work runs on the rayon pool; `RAYON_NUM_THREADS=1` gives the one-core figures.
//! `ZONELINT_BENCH_RECORDS=N` scales the large zone down, for a quick look.
//!
//! ```text
//! cargo bench -p zonelint-policy --bench lint
//! cargo bench -p zonelint-policy --bench lint -- editor
//! ```

use criterion::{criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};
use std::sync::Arc;
use std::time::Duration;
use zonelint_policy::index::{ZoneIndex, ZoneSet};
use zonelint_policy::mail::{MailSet, MailTexts};
use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::{parse, Name, NoIncludes, ParseOptions, Zone};

/// Stops the benchmark with a message: a missing generator or an unreadable file is a setup
/// problem to fix, not something to measure around.
fn fail(message: &str) -> ! {
    eprintln!("benches/lint.rs: {message}");
    exit(2)
}

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    fs::canonicalize(&root).unwrap_or(root)
}

/// Where the benchmark zones are generated: `target/bench-data/` (under
/// `CARGO_TARGET_DIR` when it is set).
fn bench_data() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), PathBuf::from)
        .join("bench-data")
}

/// The text `genzone.py ARGS` writes, generated into `target/bench-data/NAME` unless it is
/// already there with the same arguments (recorded beside it in `NAME.args`).
fn generated_zone(name: &str, args: &[String]) -> Vec<u8> {
    let dir = bench_data();
    let path = dir.join(name);
    let args_path = dir.join(format!("{name}.args"));
    let wanted = args.join(" ");
    if !(path.is_file() && fs::read_to_string(&args_path).ok().as_deref() == Some(&wanted)) {
        let shared = std::env::var_os("ZONELINT_SHARED")
            .map_or_else(|| workspace_root().join("../shared"), PathBuf::from);
        let partial = dir.join(format!("{name}.partial"));
        eprintln!("generating {} (genzone.py {wanted}) ...", path.display());
        let generated = fs::create_dir_all(&dir).is_ok()
            && Command::new("python3")
                .arg(shared.join("bench/genzone.py"))
                .args(args)
                .arg("-o")
                .arg(&partial)
                .status()
                .is_ok_and(|status| status.success())
            && fs::rename(&partial, &path).is_ok()
            && fs::write(&args_path, &wanted).is_ok();
        if !generated {
            fail(&format!(
                "cannot generate {} (set ZONELINT_SHARED to the shared folder)",
                path.display()
            ));
        }
    }
    fs::read(&path)
        .unwrap_or_else(|error| fail(&format!("cannot read {}: {error}", path.display())))
}

fn origin() -> Name {
    Name::from_ascii("example.net.").unwrap_or_else(|error| fail(&format!("{error:?}")))
}

fn parse_zone(text: &[u8]) -> Zone {
    let options = ParseOptions {
        origin: Some(origin()),
        ..ParseOptions::default()
    };
    parse("bench.zone", Arc::from(text), &options, &mut NoIncludes).0
}

fn large() -> (String, Vec<u8>) {
    let records: u64 = std::env::var("ZONELINT_BENCH_RECORDS")
        .ok()
        .map_or(1_000_000, |n| {
            n.parse()
                .unwrap_or_else(|_| fail("ZONELINT_BENCH_RECORDS must be a number"))
        });
    let name = if records == 1_000_000 {
        "large.zone".to_owned()
    } else {
        format!("large-{records}.zone")
    };
    let text = generated_zone(&name, &["--records".to_owned(), records.to_string()]);
    ("large".to_owned(), text)
}

fn phases(c: &mut Criterion) {
    let (label, text) = large();
    let zone = parse_zone(&text);
    let settings = Settings::default();
    let mut group = c.benchmark_group("lint");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(BenchmarkId::new("index", &label), |b| {
        b.iter(|| ZoneIndex::build(&zone, origin()).names().count());
    });
    let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin())]);
    group.bench_function(BenchmarkId::new("mail", &label), |b| {
        b.iter(|| {
            let texts = MailTexts::read(&set);
            let mail = MailSet::parse(&texts);
            mail.zones.iter().map(|z| z.spf.len()).sum::<usize>()
        });
    });
    let texts = MailTexts::read(&set);
    let mail = MailSet::parse(&texts);
    group.bench_function(BenchmarkId::new("rules", &label), |b| {
        b.iter(|| zonelint_policy::lint::run_rules(&set, &mail, &settings).len());
    });
    group.bench_function(BenchmarkId::new("lint", &label), |b| {
        b.iter(|| lint(&[LintInput::new(&zone)], &settings).len());
    });
    group.finish();
}

/// One keystroke in an editor: the text changes in one record and the whole document is
/// parsed and linted again (`zonelint server` keeps no state between edits).
fn editor(c: &mut Criterion) {
    let text = generated_zone(
        "large-10000.zone",
        &["--records".to_owned(), "10000".to_owned()],
    );
    // Two versions of the document, one TTL apart in the middle of the file, linted in turn.
    let middle = text.len() / 2;
    let line = middle
        + text
            .get(middle..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .unwrap_or(0)
        + 1;
    let mut edited = text.clone();
    edited.splice(line..line, b"edited 300 IN A 192.0.2.1\n".iter().copied());
    let versions = [text, edited];
    let settings = Settings::default();
    let mut group = c.benchmark_group("editor");
    group.sample_size(50);
    let mut turn = 0_usize;
    group.bench_function("10k", |b| {
        b.iter(|| {
            turn += 1;
            let text = versions.get(turn % 2).map_or(&[][..], Vec::as_slice);
            let zone = parse_zone(text);
            lint(&[LintInput::new(&zone)], &settings).len()
        });
    });
    group.finish();
}

/// The zones of `scripts/many-zones.py DIR ZONES RECORDS`, generated into
/// `target/bench-data/many-ZONES-RECORDS/` unless they are there, each parsed with its
/// origin and its own sources (as `zonelint check DIR` parses them).
fn generated_zones(zones: usize, records: usize) -> Vec<Zone> {
    let dir = bench_data().join(format!("many-{zones}-{records}"));
    let file = |i: usize| dir.join(format!("z{i}.example.zone"));
    if !file(zones).is_file() {
        let partial = dir.with_extension("partial");
        eprintln!("generating {} ...", dir.display());
        let generated = Command::new("python3")
            .arg(workspace_root().join("scripts/many-zones.py"))
            .arg(&partial)
            .arg(zones.to_string())
            .arg(records.to_string())
            .status()
            .is_ok_and(|status| status.success())
            && fs::rename(&partial, &dir).is_ok();
        if !generated {
            fail(&format!("cannot generate {}", dir.display()));
        }
    }
    (1..=zones)
        .map(|i| {
            let path = file(i);
            let text = fs::read(&path)
                .unwrap_or_else(|error| fail(&format!("cannot read {}: {error}", path.display())));
            let origin = format!("z{i}.example.");
            let options = ParseOptions {
                origin: Some(
                    Name::from_ascii(&origin).unwrap_or_else(|error| fail(&format!("{error:?}"))),
                ),
                first_source_id: u32::try_from(i).unwrap_or(u32::MAX) << 16,
                ..ParseOptions::default()
            };
            parse(&origin, Arc::from(text), &options, &mut NoIncludes).0
        })
        .collect()
}

/// Many small zones linted together: the cost of a zone beside its records.
fn many(c: &mut Criterion) {
    let (zones, records) = (2000, 60);
    let parsed = generated_zones(zones, records);
    let inputs: Vec<LintInput<'_>> = parsed.iter().map(LintInput::new).collect();
    let settings = Settings::default();
    let mut group = c.benchmark_group("many");
    group.sample_size(10);
    group.throughput(Throughput::Elements((zones * records) as u64));
    group.bench_function(format!("{zones}x{records}"), |b| {
        b.iter(|| lint(&inputs, &settings).len());
    });
    group.finish();
}

/// Holds the `pub fn` that `criterion_group!` defines, out of the crate's public surface.
mod group {
    criterion::criterion_group!(benches, super::editor, super::many, super::phases);
}
criterion_main!(group::benches);
