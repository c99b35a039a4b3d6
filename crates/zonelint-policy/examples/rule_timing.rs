//! Times each phase of a lint and each rule separately (development aid for the
//! performance work; `cargo bench` is the measurement of record).
//!
//! `cargo run --release -p zonelint-policy --example rule_timing -- FILE ORIGIN`
//!
//! `SHARED=1`: the rules share one DMARC discovery and one set of derived views, as in
//! the lint, so each rule's line is what it adds to the rules before it. `ONLY=CODE`:
//! one rule alone, for a profile of it.
//!
//! A rule that walks the names in chunks ([`Rule::walks_names_in_chunks`]) is timed here
//! over the whole zone alone, so it pays for every record and name it brings into the
//! cache. In the lint the rules of a chunk share those reads: MX003, MX004 and MX005
//! take 60-90 ms each here on the 1M-record bench zone, most of it reading the MX
//! records, and at most about 17 ms each in a `perf` profile of `zonelint check`.
//! Profile the binary for their share.
//!
//! [`Rule::walks_names_in_chunks`]: zonelint_policy::rules::Rule::walks_names_in_chunks

use std::time::Instant;
use zonelint_policy::discovery::Discovery;
use zonelint_policy::index::{ZoneIndex, ZoneSet};
use zonelint_policy::mail::{MailSet, MailTexts};
use zonelint_policy::rules::{
    registry, LintViews, NameChunk, RecordContext, Rule, Sink, ZoneContext,
};
use zonelint_policy::Settings;
use zonelint_zone::{parse, Name, NoIncludes, ParseOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(origin)) = (args.next(), args.next()) else {
        eprintln!("usage: rule_timing FILE ORIGIN");
        std::process::exit(2);
    };
    let Ok(origin) = Name::from_ascii(&origin) else {
        std::process::exit(2);
    };
    // Shared as read, as the binary does: no copy of the file in the figures.
    let text = std::fs::read(&path).unwrap_or_default();
    let started = Instant::now();
    let options = ParseOptions {
        origin: Some(origin.clone()),
        ..ParseOptions::default()
    };
    let (zone, _) = parse(&path, text, &options, &mut NoIncludes);
    println!(
        "{:>8.3} s  parse ({} records)",
        started.elapsed().as_secs_f64(),
        zone.len()
    );
    rss("after parse");
    let started = Instant::now();
    let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin)]);
    println!(
        "{:>8.3} s  index ({} names)",
        started.elapsed().as_secs_f64(),
        set.zones().first().map_or(0, |z| z.names().count())
    );
    rss("after index");
    let started = Instant::now();
    let texts = MailTexts::read(&set);
    println!("{:>8.3} s  mail texts", started.elapsed().as_secs_f64());
    rss("after mail texts");
    let started = Instant::now();
    let mail = MailSet::parse(&texts);
    println!("{:>8.3} s  mail parse", started.elapsed().as_secs_f64());
    rss("after mail");
    // Timed alone and dropped: the rules make their own, in the first rule that reads
    // it (with SHARED, that rule's line holds it), as a lint does.
    let started = Instant::now();
    drop(zonelint_policy::spf_eval::SpfAnalysis::build(&set, &mail));
    println!("{:>8.3} s  SPF analysis", started.elapsed().as_secs_f64());
    let settings = Settings::default();
    let started = Instant::now();
    // ONLY=CODE: that rule alone (for a profile of it), without the run of all rules.
    let only = std::env::var("ONLY").ok();
    let all = if only.is_some() {
        Vec::new()
    } else {
        zonelint_policy::lint::run_rules(&set, &mail, &settings)
    };
    println!(
        "{:>8.3} s  all rules on the rayon pool: {} findings",
        started.elapsed().as_secs_f64(),
        all.len()
    );
    rss("with the findings");
    drop(all);
    let Some(index) = set.zones().first() else {
        return;
    };
    // SHARED=1: one discovery and one set of views for all the rules, as in the lint, so
    // that each line is what the rule adds to the rules before it.
    let shared = std::env::var_os("SHARED").map(|_| {
        (
            Discovery::new(&set, &mail, &settings),
            LintViews::new(set.zones().len()),
        )
    });
    for rule in registry::rules() {
        let meta = rule.meta();
        if only.as_ref().is_some_and(|only| only != meta.code.code) {
            continue;
        }
        let Some(resolved) = settings.resolve(meta) else {
            continue;
        };
        let mut found = Vec::new();
        let started = Instant::now();
        for record in index.zone.records().filter(|_| rule.checks_records()) {
            let cx = RecordContext {
                zone: index,
                record,
                settings: &settings,
            };
            let mut sink = Sink::new(
                meta,
                resolved.severity,
                resolved.overridden,
                false,
                &mut found,
            );
            rule.check_record(&cx, &mut sink);
        }
        let per_record = started.elapsed();
        let started = Instant::now();
        // Unless SHARED is set, a discovery and views of its own per rule, so each rule's
        // line counts its own DMARC lookups and derived views (the lint shares them, so
        // the rules after the first find them made).
        let mut sink = Sink::new(
            meta,
            resolved.severity,
            resolved.overridden,
            false,
            &mut found,
        );
        match &shared {
            Some((discovery, views)) => {
                check_zone(
                    *rule, &set, index, &settings, &mail, discovery, views, &mut sink,
                );
            }
            None => {
                let discovery = Discovery::new(&set, &mail, &settings);
                let views = LintViews::new(set.zones().len());
                check_zone(
                    *rule, &set, index, &settings, &mail, &discovery, &views, &mut sink,
                );
            }
        }
        let per_zone = started.elapsed();
        println!(
            "{:>8.3} s  {} ({:.3} s per record, {:.3} s per zone): {} findings",
            (per_record + per_zone).as_secs_f64(),
            meta.code.code,
            per_record.as_secs_f64(),
            per_zone.as_secs_f64(),
            found.len()
        );
    }
}

/// Runs one zone rule over `index` with the given discovery and views.
#[expect(
    clippy::too_many_arguments,
    reason = "a zone context's parts, of two lifetimes the caller cannot unify"
)]
fn check_zone<'a>(
    rule: &dyn Rule,
    set: &'a ZoneSet<'a>,
    index: &'a ZoneIndex<'a>,
    settings: &'a Settings,
    mail: &'a MailSet<'a>,
    discovery: &'a Discovery<'a>,
    views: &'a LintViews<'a>,
    sink: &mut Sink<'_>,
) {
    let cx = ZoneContext {
        set,
        zone: index,
        settings,
        mail,
        position: 0,
        discovery,
        views,
        names: NameChunk::all(index),
    };
    rule.check_zone(&cx, sink);
}

/// Prints the resident set size now and at its peak (Linux; nothing elsewhere).
fn rss(when: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    println!(
        "          {when}: RSS {} MiB, peak {} MiB",
        field("VmRSS:"),
        field("VmHWM:")
    );
}
