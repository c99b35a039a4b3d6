//! The library's front door: zones and settings in, diagnostics out.

use crate::discovery::Discovery;
use crate::index::{ZoneIndex, ZoneSet};
use crate::mail::{MailSet, MailTexts};
use crate::packed::{Details, Packed};
use crate::rules::{
    registry, LintViews, NameChunk, RecordContext, Rule, SharedView, Sink, ZoneContext,
};
use crate::settings::{Resolved, Settings};
use crate::suppress::{self, Suppressions};
use rayon::prelude::*;
use zonelint_zone::{Diagnostic, Name, RType, SourceId, Zone};

/// One zone to lint.
#[derive(Clone, Copy)]
pub struct LintInput<'z> {
    /// The parsed zone.
    pub zone: &'z Zone,
    /// Its apex, if known better than the parse knew it; otherwise the parse's origin,
    /// then the owner of the first SOA record.
    pub origin: Option<&'z Name>,
}

impl<'z> LintInput<'z> {
    /// A zone whose origin the parse knows.
    #[must_use]
    pub fn new(zone: &'z Zone) -> Self {
        Self { zone, origin: None }
    }

    /// The apex the lint uses: [`origin`](Self::origin), else the parse's origin, else
    /// the owner of the first SOA record; `None` leaves the zone out of the lint.
    #[must_use]
    pub fn apex(&self) -> Option<Name> {
        self.origin
            .cloned()
            .or_else(|| self.zone.origin.clone())
            .or_else(|| {
                self.zone
                    .records()
                    .find(|r| r.rtype() == RType::SOA)
                    .map(|r| r.owner().to_name())
            })
    }
}

/// Records per parallel task of the record-rule pass.
const RECORDS_PER_TASK: usize = 1 << 14;

/// Lints zones together (cross-zone rules see all of them) and returns every finding,
/// suppressions applied, sorted by source and offset. Parse diagnostics are not included:
/// the caller has them from the parse.
///
/// The work runs on every core (rayon): the index is built while the TXT records are
/// read, the email records are parsed on every core, the record rules run over chunks of
/// records, and the zone rules run side by side. Each task's findings are kept apart and joined in the order of the
/// sequential run (records in file order, each with the rules in registry order; then
/// the zone rules in registry order), so the result does not depend on the scheduling.
#[must_use]
pub fn lint(inputs: &[LintInput<'_>], settings: &Settings) -> Vec<Diagnostic> {
    lint_packed(inputs, settings).unpack()
}

/// [`lint`], its findings left packed, with what decoding them needs from the zones (their
/// suppression comments, and whether their files are UTF-8 where a fix writes U+FFFD):
/// [`PackedFindings::unpack`] needs the zones no more, so a caller done with their
/// records may free them first (a large zone's records are a fifth of what the lint
/// holds at its height, and its decoded findings are as large as what the rules held).
#[must_use]
pub fn lint_packed(inputs: &[LintInput<'_>], settings: &Settings) -> PackedFindings {
    lint_in_chunks(inputs, settings, NAMES_PER_CHUNK)
}

/// [`lint`], the rules that walk names in chunks running on chunks of `names_per_chunk`
/// names (the tests compare the findings of chunks of one name with those of one chunk).
pub(crate) fn lint_in_chunks(
    inputs: &[LintInput<'_>],
    settings: &Settings,
    names_per_chunk: usize,
) -> PackedFindings {
    let reads_email = registry::rules()
        .iter()
        .any(|rule| rule.reads_email_records() && settings.resolve(rule.meta()).is_some());
    lint_reading(inputs, settings, names_per_chunk, reads_email)
}

/// [`lint_in_chunks`], the zones' email records read and parsed only if `reads_email`
/// (else none: right when no active rule reads them, see
/// [`Rule::reads_email_records`]; the tests compare the two).
pub(crate) fn lint_reading(
    inputs: &[LintInput<'_>],
    settings: &Settings,
    names_per_chunk: usize,
    reads_email: bool,
) -> PackedFindings {
    let apexes: Vec<(&Zone, Name)> = inputs
        .iter()
        .filter_map(|input| input.apex().map(|apex| (input.zone, apex)))
        .collect();
    let snapshot = settings.spf_snapshot.as_ref().map(|s| &s.zone);
    // The email records need only the texts, not the index: they are parsed on the
    // cores the index build (one task per zone) leaves free.
    let texts = if reads_email {
        MailTexts::read_zones(apexes.iter().map(|(zone, _)| *zone), snapshot)
    } else {
        MailTexts::none(apexes.len())
    };
    let (zones, mail) = rayon::join(
        || {
            apexes
                .par_iter()
                .map(|(zone, apex)| ZoneIndex::build(zone, apex.clone()))
                .collect::<Vec<ZoneIndex<'_>>>()
        },
        || MailSet::parse(&texts),
    );
    let set = ZoneSet::new(zones).with_snapshot(snapshot);
    let found = pack_rules(&set, &mail, settings, names_per_chunk);
    // Hundreds of megabytes in millions of small allocations on a large zone: freed on
    // both cores, not on one, and before the findings are unpacked beside what is left.
    rayon::join(|| mail.drop_in_parallel(), || set.drop_in_parallel());
    texts.drop_in_parallel();
    PackedFindings::of(found)
}

/// The rules over zones already indexed, with their email records parsed: the second half
/// of [`lint`] (the benchmarks time the halves apart). Same result as [`lint`].
#[must_use]
pub fn run_rules(set: &ZoneSet<'_>, mail: &MailSet<'_>, settings: &Settings) -> Vec<Diagnostic> {
    PackedFindings::of(pack_rules(set, mail, settings, NAMES_PER_CHUNK)).unpack()
}

/// A lint's findings, packed as the rules reported them, with what decoding them needs
/// from each zone; see [`lint_packed`].
pub struct PackedFindings {
    zones: Vec<PackedZone>,
}

/// One zone's part of [`PackedFindings`].
struct PackedZone {
    packs: Vec<Packed>,
    suppressions: Option<Suppressions>,
    /// LINT001's resolution, if it runs.
    unused: Option<Resolved>,
    /// Each source's text is valid UTF-8, when a fix writes U+FFFD (else empty).
    valid_utf8: Vec<(SourceId, bool)>,
}

impl PackedFindings {
    /// Reads from each zone what decoding its findings needs.
    fn of(zones: Vec<ZoneFindings<'_>>) -> Self {
        let zones = zones
            .into_par_iter()
            .map(|found| {
                let valid_utf8 = if found.packs.iter().any(Packed::replacement_in_fix) {
                    found
                        .zone
                        .sources
                        .iter()
                        .map(|(id, source)| (id, source.is_utf8()))
                        .collect()
                } else {
                    Vec::new()
                };
                PackedZone {
                    suppressions: Suppressions::read(found.zone),
                    packs: found.packs,
                    unused: found.unused,
                    valid_utf8,
                }
            })
            .collect();
        Self { zones }
    }

    /// How many findings, before suppression comments take theirs out.
    #[must_use]
    pub fn len(&self) -> usize {
        self.zones
            .iter()
            .flat_map(|zone| &zone.packs)
            .map(Packed::len)
            .sum()
    }

    /// Whether there are none, before suppression comments take theirs out.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decodes the findings (each zone's packs on every core, joined in their order),
    /// applies each zone's suppressions and sorts them all by place: what [`lint`]
    /// returns.
    #[must_use]
    pub fn unpack(self) -> Vec<Diagnostic> {
        unpack(self.zones, Details::ALL)
    }

    /// [`Self::unpack`], each finding with only the `details` asked for: for a caller
    /// that reads no owner or no fix's edits, such as a report drawn for people.
    #[must_use]
    pub fn unpack_with(self, details: Details) -> Vec<Diagnostic> {
        unpack(self.zones, details)
    }
}

/// One zone's findings, packed, before suppressions: the record pass's chunks, then
/// the zone rules in registry order.
struct ZoneFindings<'z> {
    zone: &'z Zone,
    packs: Vec<Packed>,
    unused: Option<Resolved>,
}

/// The rules over every zone of `set`, each rule's findings packed as it reports them
/// (see [`crate::packed`]): they are made while the index and the email records are
/// alive, and take a fraction of their size until [`unpack`] decodes them.
fn pack_rules<'z>(
    set: &ZoneSet<'z>,
    mail: &MailSet<'_>,
    settings: &Settings,
    names_per_chunk: usize,
) -> Vec<ZoneFindings<'z>> {
    let active: Vec<(&dyn Rule, Resolved)> = registry::rules()
        .iter()
        .filter_map(|&rule| {
            settings
                .resolve(rule.meta())
                .map(|resolved| (rule, resolved))
        })
        .collect();
    let record_rules: Vec<(&dyn Rule, Resolved)> = active
        .iter()
        .copied()
        .filter(|(rule, _)| rule.checks_records())
        .collect();
    let discovery = Discovery::new(set, mail, settings);
    let views = LintViews::new(set.zones().len());
    let cx_of = |position: usize, zone| ZoneContext {
        set,
        zone,
        settings,
        mail,
        position,
        discovery: &discovery,
        views: &views,
        names: NameChunk::all(zone),
    };
    // The set-wide views the active rules ask for, each built once on its own task before
    // any zone's rules run (rather than by the first rule to ask, while the others wait
    // for it).
    let mut shared: Vec<SharedView> = Vec::new();
    for view in active.iter().flat_map(|(rule, _)| rule.shared_views()) {
        if !shared.contains(view) {
            shared.push(*view);
        }
    }
    if let Some(first) = set.zones().first() {
        let cx = cx_of(0, first);
        shared.par_iter().for_each(|view| view.build(&cx));
    }
    // The SPF analysis goes when the last run of a rule that reads it ends.
    let readers: Vec<&dyn Rule> = active
        .iter()
        .map(|&(rule, _)| rule)
        .filter(|rule| rule.reads_spf_analysis())
        .collect();
    views.expect_spf_analysis_runs(
        set.zones()
            .iter()
            .map(|zone| runs_on_zone(&readers, NameChunk::all(zone).len(), names_per_chunk))
            .sum(),
    );
    // The zones side by side, each zone's rules side by side within it: a directory of
    // thousands of small zones, linted one zone after another, kept the cores waking
    // and sleeping between zones of a few dozen records more than working.
    let found = set
        .zones()
        .par_iter()
        .enumerate()
        .map(|(position, zone)| {
            let mut packs = record_pass(zone, &record_rules, settings);
            let per_rule =
                run_zone_rules(&cx_of(position, zone), &active, settings, names_per_chunk);
            packs.extend(per_rule);
            ZoneFindings {
                zone: zone.zone,
                packs,
                unused: settings.resolve(&suppress::UNUSED_META),
            }
        })
        .collect();
    // Every run counted ended (else the analysis was kept to the end).
    debug_assert_eq!(views.spf_analysis_runs_left(), Some(0));
    found
}

/// The sink of `rule`'s findings into `packed`, at its resolved severity.
fn sink_for<'p>(
    rule: &dyn Rule,
    resolved: Resolved,
    settings: &Settings,
    packed: &'p mut Packed,
) -> Sink<'p> {
    Sink::new(
        rule.meta(),
        resolved.severity,
        resolved.overridden,
        settings.strict,
        packed,
    )
}

/// Names per chunk for the rules that walk the names in chunks: a chunk's names, their
/// records and their email entries (a few hundred kilobytes) stay in the cache while
/// every such rule looks at them.
const NAMES_PER_CHUNK: usize = 4096;

/// How many chunks of `names_per_chunk` names the rules that walk names in chunks run on,
/// for a zone of `names` names: one at least, so that each rule runs once on a zone
/// without names too.
fn chunk_count(names: usize, names_per_chunk: usize) -> usize {
    names.div_ceil(names_per_chunk.max(1)).max(1)
}

/// How many runs [`run_zone_rules`] makes of `rules` on a zone of `names` names: one of
/// a rule on the whole zone, one per chunk of a rule that walks names in chunks.
fn runs_on_zone(rules: &[&dyn Rule], names: usize, names_per_chunk: usize) -> usize {
    rules
        .iter()
        .map(|rule| {
            if rule.walks_names_in_chunks() {
                chunk_count(names, names_per_chunk)
            } else {
                1
            }
        })
        .sum()
}

/// What one parallel task of [`run_zone_rules`] does.
#[derive(Clone, Copy)]
enum Task {
    /// Every rule that walks names in chunks, on this chunk.
    Chunk(usize),
    /// This rule (by its position among the active ones), on the whole zone.
    Whole(usize),
}

/// Runs the `active` rules on the zone of `cx`, in parallel: each rule that walks the
/// names in chunks runs on each chunk, all of them one after the other on the same
/// chunk; every other rule on the whole zone. Returns the findings of each rule in the
/// order of `active`, a rule's chunks in order (so as from one walk of the whole zone).
fn run_zone_rules(
    cx: &ZoneContext<'_>,
    active: &[(&dyn Rule, Resolved)],
    settings: &Settings,
    names_per_chunk: usize,
) -> Vec<Packed> {
    let names_per_chunk = names_per_chunk.max(1);
    let run = |(rule, resolved): (&dyn Rule, Resolved), cx: &ZoneContext<'_>| {
        let mut packed = Packed::new();
        rule.check_zone(cx, &mut sink_for(rule, resolved, settings, &mut packed));
        if rule.reads_spf_analysis() {
            cx.views.end_spf_analysis_run();
        }
        packed.seal();
        packed
    };
    // Asked once per rule: the tasks and the joining below must agree on it.
    let in_chunks: Vec<bool> = active
        .iter()
        .map(|(rule, _)| rule.walks_names_in_chunks())
        .collect();
    let chunked: Vec<(&dyn Rule, Resolved)> = active
        .iter()
        .zip(&in_chunks)
        .filter(|(_, &in_chunks)| in_chunks)
        .map(|(&rule, _)| rule)
        .collect();
    let chunks = if chunked.is_empty() {
        0
    } else {
        chunk_count(cx.names.len(), names_per_chunk)
    };
    // The rules on the whole zone first, the chunks after: the tasks run in about this
    // order, and the small chunks then fill the end of the pass on every core, where a
    // rule on the whole zone left last ran alone (DKIM-for-senders, 50 ms on the
    // 1M-record bench zone).
    let whole_tasks = in_chunks.iter().filter(|&&in_chunks| !in_chunks).count();
    let tasks: Vec<Task> = in_chunks
        .iter()
        .enumerate()
        .filter(|(_, &in_chunks)| !in_chunks)
        .map(|(at, _)| Task::Whole(at))
        .chain((0..chunks).map(Task::Chunk))
        .collect();
    let run_task = |task: Task| -> Vec<Packed> {
        match task {
            Task::Chunk(chunk) => {
                let start = cx.names.start + chunk * names_per_chunk;
                let names = NameChunk {
                    start,
                    end: (start + names_per_chunk).min(cx.names.end),
                };
                let cx = ZoneContext { names, ..*cx };
                chunked.iter().map(|&rule| run(rule, &cx)).collect()
            }
            Task::Whole(at) => active
                .get(at)
                .map(|&rule| run(rule, cx))
                .into_iter()
                .collect(),
        }
    };
    // Two passes: the rules that read the SPF analysis and then the other rules on the
    // whole zone, and after them the chunks. The analysis (20 MB on the 1M-record bench
    // zone) is freed when the last rule that reads it ends; among the chunks, whose
    // rules find the most, it was held to near the end, beside nearly all the findings:
    // the lint's peak. The other whole-zone rules come with it so that a core is not
    // left waiting while the first of its readers makes it.
    //
    // Each task's rank in that order, asked once: the analysis's readers and the other
    // whole-zone rules (the first pass), then the chunks (the second).
    let reads_analysis = |at: usize| {
        active
            .get(at)
            .is_some_and(|(rule, _)| rule.reads_spf_analysis())
    };
    let chunks_read_analysis = chunked.iter().any(|(rule, _)| rule.reads_spf_analysis());
    let rank = |task: Task| match task {
        Task::Whole(at) if reads_analysis(at) => 0,
        Task::Chunk(_) if chunks_read_analysis => 0,
        Task::Whole(_) => 1,
        Task::Chunk(_) => 2,
    };
    let mut first: Vec<(u8, usize, Task)> = tasks
        .iter()
        .enumerate()
        .map(|(at, &task)| (rank(task), at, task))
        .collect();
    first.sort_by_key(|&(rank, ..)| rank);
    let after = first.split_off(first.partition_point(|&(rank, ..)| rank < 2));
    let mut done: Vec<Vec<Packed>> = std::iter::repeat_with(Vec::new).take(tasks.len()).collect();
    let mut run_pass = |in_pass: Vec<(u8, usize, Task)>| {
        let results: Vec<(usize, Vec<Packed>)> = in_pass
            .into_par_iter()
            .map(|(_, at, task)| (at, run_task(task)))
            .collect();
        for (at, packs) in results {
            if let Some(slot) = done.get_mut(at) {
                *slot = packs;
            }
        }
    };
    run_pass(first);
    // A lint of one zone has ended every run that reads the analysis (of several, the
    // other zones' runs may be to come: the analysis is the set's).
    debug_assert!(
        cx.set.zones().len() != 1
            || cx
                .views
                .spf_analysis_runs_left()
                .is_none_or(|left| left == 0)
    );
    run_pass(after);
    // The whole-zone rules' results, then the chunks'.
    let mut chunk_results: Vec<std::vec::IntoIter<Packed>> = done
        .split_off(whole_tasks.min(done.len()))
        .into_iter()
        .map(Vec::into_iter)
        .collect();
    let mut whole = done.into_iter().flatten();
    let mut packs = Vec::with_capacity(active.len() + chunked.len() * chunks);
    for in_chunks in in_chunks {
        if in_chunks {
            packs.extend(chunk_results.iter_mut().filter_map(Iterator::next));
        } else {
            packs.extend(whole.next());
        }
    }
    packs
}

/// Decodes the findings of [`pack_rules`] (each zone's packs on every core, joined in
/// their order), applies each zone's suppressions and sorts them all by place.
fn unpack(zones: Vec<PackedZone>, details: Details) -> Vec<Diagnostic> {
    // The zones side by side (thousands of small ones each asked the pool for its few
    // findings from this thread, waking it and waiting for it every time).
    let per_zone: Vec<Vec<Diagnostic>> = zones
        .into_par_iter()
        .map(|zone| {
            let mut found = Packed::unpack_all(&zone.packs, details);
            drop(zone.packs);
            drop_lossy_fixes(&zone.valid_utf8, &mut found);
            if let Some(suppressions) = zone.suppressions {
                suppressions.apply(&mut found, zone.unused);
            }
            found
        })
        .collect();
    // One zone's list (the usual case) is moved, not copied: a large zone's findings are
    // a hundred megabytes before their text. Several are moved into a list made at
    // their total size, each freed once it is moved (grown as they came, the list was
    // copied at each doubling, beside the lists still to come).
    let mut all = if per_zone.len() == 1 {
        per_zone.into_iter().next().unwrap_or_default()
    } else {
        let mut all = Vec::with_capacity(per_zone.iter().map(Vec::len).sum());
        for found in per_zone {
            all.extend(found);
        }
        all
    };
    sort_by_position(&mut all);
    all
}

/// Sorts findings by where they point (source, start, end), then by code; equal ones
/// keep their order. Small keys are sorted, with each finding's position as the last
/// key, and the findings are then moved into that order in place: a merge sort of the
/// findings themselves (about 200 bytes each) took a buffer as large as all of them, the
/// lint's peak on a large zone.
fn sort_by_position(found: &mut [Diagnostic]) {
    let mut keys: Vec<(zonelint_zone::SourceId, u32, u32, &'static str, u32)> = found
        .par_iter()
        .enumerate()
        .map(|(position, d)| {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            let span = d.primary;
            (span.source, span.start, span.end, d.code.code, position)
        })
        .collect();
    keys.par_sort_unstable();
    let order: Vec<usize> = keys.par_iter().map(|key| key.4 as usize).collect();
    drop(keys);
    permute(found, &order);
}

/// Puts the element at `order[i]` at `i`, for every `i` (`order` is a permutation of the
/// positions), by following its cycles: no element is copied.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        // The element first at `start` moves along the cycle; every other lands at once.
        let mut at = start;
        loop {
            if let Some(done) = placed.get_mut(at) {
                *done = true;
            }
            let from = order.get(at).copied().unwrap_or(start);
            // Back at the start: the cycle is done. (An element already placed would mean
            // `order` is no permutation; stop rather than go round for ever.)
            if from == start || placed.get(from).copied().unwrap_or(true) {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Takes away the fixes that would write a replacement character (U+FFFD) into a file
/// that is not valid UTF-8. Fixes write text; a rule that copies written bytes into a
/// fix reads them as UTF-8, so bytes that are not come out as U+FFFD and the fix would
/// change data it only meant to move (found by the `fix` fuzz target, in DMARC013's and
/// SPF010's moves). In a valid UTF-8 file a U+FFFD in a fix is one that was written
/// there, and is copied faithfully. The finding stays; only its fix goes.
/// `valid_utf8` says, for each source, whether its text is valid UTF-8 (read by
/// [`PackedFindings::of`] when a fix writes U+FFFD; empty when none does).
fn drop_lossy_fixes(valid_utf8: &[(SourceId, bool)], found: &mut [Diagnostic]) {
    // Looked for on every core first: nearly always there is none (each finding is read
    // from memory, half a million of them on a large zone).
    let lossy_text = |finding: &Diagnostic| {
        finding.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|edit| edit.content.contains('\u{fffd}'))
        })
    };
    if valid_utf8.is_empty() || !found.par_iter().any(lossy_text) {
        return;
    }
    for finding in found.iter_mut() {
        let Some(fix) = &finding.fix else { continue };
        let lossy = fix.edits.iter().any(|edit| {
            edit.content.contains('\u{fffd}') && {
                let source = edit.span.source;
                // A source not listed is not the zone's: its text was not read.
                !valid_utf8
                    .iter()
                    .any(|&(id, is_valid)| id == source && is_valid)
            }
        });
        if lossy {
            finding.fix = None;
        }
    }
}

/// The record rules over every record of `zone`, in chunks on every core; each chunk's
/// findings packed, in file order, each record's in rule order.
fn record_pass(
    zone: &ZoneIndex<'_>,
    record_rules: &[(&dyn Rule, Resolved)],
    settings: &Settings,
) -> Vec<Packed> {
    if record_rules.is_empty() {
        return Vec::new();
    }
    let records = zone.zone.len();
    (0..records.div_ceil(RECORDS_PER_TASK))
        .into_par_iter()
        .map(|chunk| {
            let start = chunk * RECORDS_PER_TASK;
            let end = (start + RECORDS_PER_TASK).min(records);
            let mut packed = Packed::new();
            for record in (start..end).filter_map(|i| zone.zone.record(i)) {
                let cx = RecordContext {
                    zone,
                    record,
                    settings,
                };
                for &(rule, resolved) in record_rules {
                    rule.check_record(&cx, &mut sink_for(rule, resolved, settings, &mut packed));
                }
            }
            packed.seal();
            packed
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::only;
    use std::sync::Arc;
    use zonelint_zone::{parse, NoIncludes, ParseOptions};

    /// A set of more zones than are searched one by one for a name's zone, pointing into
    /// each other (MX hosts and SPF includes in the next zone, a parent with a DMARC
    /// policy and a delegation to one of them), linted with every default rule.
    fn linked_zones() -> Vec<Zone> {
        let count = 14;
        let mut texts: Vec<String> = (1..count)
            .map(|i| {
                let next = i % (count - 1) + 1;
                format!(
                    "$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n@ NS ns1.z{next}.example.\n\
                     @ MX 10 mail.z{next}.example.\n\
                     @ TXT \"v=spf1 include:_spf.z{next}.example. +all\"\n\
                     _spf TXT \"v=spf1 ip4:192.0.2.{i}/32 -all\"\n\
                     mail A 192.0.2.{i}\nwww CNAME www.z{next}.example.\n\
                     shop A 192.0.2.{i}\n_dmarc.shop TXT \"v=DMARC1; p=none\"\n"
                )
            })
            .collect();
        texts.push(
            "$TTL 300\n@ SOA ns1 host 1 3600 600 86400 300\n@ NS ns1\nns1 A 192.0.2.99\n\
             _dmarc TXT \"v=DMARC1; p=reject; sp=none\"\nz3 NS ns1.z4.example.\n"
                .to_owned(),
        );
        texts
            .iter()
            .enumerate()
            .map(|(at, text)| {
                let origin = if at + 1 == count {
                    "example.".to_owned()
                } else {
                    format!("z{}.example.", at + 1)
                };
                let options = ParseOptions {
                    origin: Name::from_ascii(&origin).ok(),
                    first_source_id: u32::try_from(at).unwrap() << 16,
                    ..ParseOptions::default()
                };
                let (zone, diagnostics) = parse(
                    &origin,
                    Arc::from(text.as_bytes()),
                    &options,
                    &mut NoIncludes,
                );
                assert!(diagnostics.is_empty(), "{diagnostics:?}");
                zone
            })
            .collect()
    }

    #[test]
    fn a_set_of_zones_lints_alike_on_one_thread_and_on_many() {
        let zones = linked_zones();
        let inputs: Vec<LintInput<'_>> = zones.iter().map(LintInput::new).collect();
        assert!(inputs.len() > 8);
        let settings = Settings::default();
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| lint(&inputs, &settings))
        };
        let one = on(1);
        // Findings in several zones, some from rules that look across the set.
        let zones_with_findings: std::collections::HashSet<u32> =
            one.iter().map(|d| d.primary.source.0 >> 16).collect();
        assert!(zones_with_findings.len() > 8, "{zones_with_findings:?}");
        assert!(one.iter().any(|d| d.code.code == "SPF001"), "{one:#?}");
        for _ in 0..3 {
            assert_eq!(on(4), one);
        }
    }

    fn lint_bytes(text: &[u8], code: &str) -> Vec<Diagnostic> {
        let options = ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        };
        let (zone, _) = parse("t.zone", Arc::from(text), &options, &mut NoIncludes);
        lint(&[LintInput::new(&zone)], &only(code))
    }

    #[test]
    fn permuting_puts_each_element_where_the_order_says() {
        let orders: [&[usize]; 5] = [&[], &[0], &[2, 0, 1], &[1, 0, 3, 2], &[4, 3, 0, 1, 2]];
        for order in orders {
            let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            permute(&mut items, order);
            let expected: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            assert_eq!(items, expected, "{order:?}");
        }
        // Not a permutation: it stops rather than going round for ever.
        let mut items = vec![0, 1, 2];
        permute(&mut items, &[1, 2, 1]);
    }

    #[test]
    fn findings_sort_by_position_then_code_and_equal_ones_keep_their_order() {
        static A001: zonelint_zone::Code = zonelint_zone::Code {
            code: "A001",
            slug: "s",
        };
        static B001: zonelint_zone::Code = zonelint_zone::Code {
            code: "B001",
            slug: "s",
        };
        let code = |code: &'static str| if code == "A001" { &A001 } else { &B001 };
        let at =
            |start: u32, end: u32| zonelint_zone::Span::new(zonelint_zone::SourceId(0), start, end);
        let finding = |c: &'static str, start: u32, end: u32, message: &str| {
            Diagnostic::new(
                code(c),
                zonelint_zone::Severity::Warning,
                at(start, end),
                message,
            )
        };
        let mut found = vec![
            finding("B001", 5, 9, "first at 5"),
            finding("A001", 5, 9, "code A at 5"),
            finding("B001", 1, 2, "at 1"),
            finding("B001", 5, 9, "second at 5"),
            finding("B001", 5, 7, "shorter at 5"),
            finding("B001", 5, 9, "third at 5"),
        ];
        sort_by_position(&mut found);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "at 1",
                "shorter at 5",
                "code A at 5",
                "first at 5",
                "second at 5",
                "third at 5"
            ]
        );
    }

    #[test]
    fn a_written_replacement_character_moves_with_the_other_terms_in_a_utf8_file_only() {
        // Found by the `fix` fuzz target: in a file that is not UTF-8 (the 0xFF of the
        // last record), SPF010's fix moving every term after `-all` at once also moved a
        // term holding a written U+FFFD, and was taken away for it; the terms then moved
        // one per round and a dozen did not converge in ten. That term now stays there.
        let raw = b"@ SOA ns hm 1 2 3 4 5\n@ NS ns\n\
                    old TXT \"v=spf1 a -all a mx include:\xef\xbf\xbdx.example.net ip4:192.0.2.1\"\n\
                    bin TXT \"\xff\"\n";
        let found = lint_bytes(raw, "SPF010");
        assert_eq!(found.len(), 4, "{found:?}");
        let fixes: Vec<&str> = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .map(|fix| fix.message.as_str())
            .collect();
        assert_eq!(
            fixes,
            [
                "Move the 3 terms after `-all` before it",
                "Move `mx` before `-all`",
                "Move `ip4:192.0.2.1` before `-all`"
            ],
            "{found:?}"
        );
        let all_at_once = found.first().and_then(|d| d.fix.as_ref());
        assert!(
            all_at_once.is_some_and(|fix| fix
                .edits
                .iter()
                .any(|edit| edit.content == "a mx ip4:192.0.2.1 ")),
            "{found:?}"
        );
        // In a UTF-8 file the written U+FFFD is text like any other and moves with the
        // rest (left out there too, a dozen such terms moved one per round).
        let text = "@ SOA ns hm 1 2 3 4 5\n@ NS ns\n\
                    old TXT \"v=spf1 a -all a mx include:\u{fffd}x.example.net ip4:192.0.2.1\"\n";
        let found = lint_bytes(text.as_bytes(), "SPF010");
        let all_at_once = found.first().and_then(|d| d.fix.as_ref());
        assert!(
            all_at_once.is_some_and(
                |fix| fix.message == "Move the 4 terms after `-all` before it"
                    && fix
                        .edits
                        .iter()
                        .any(|edit| edit.content
                            == "a mx include:\u{fffd}x.example.net ip4:192.0.2.1 ")
            ),
            "{found:?}"
        );
    }

    #[test]
    fn a_fix_that_would_copy_bytes_that_are_not_utf8_is_dropped_and_the_finding_kept() {
        // Found by the `fix` fuzz target: SPF010 moved a term holding a raw 0xFF byte in
        // front of `-all`, and the byte came out as U+FFFD.
        let raw = b"@ SOA ns hm 1 2 3 4 5\n@ NS ns\nold TXT \"v=spf1 a -all include:\xffx.example.net\"\n";
        let found = lint_bytes(raw, "SPF010");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found.iter().all(|d| d.fix.is_none()), "{found:?}");
        // The same record as valid UTF-8 (a written U+FFFD is copied faithfully) keeps it.
        let text = "@ SOA ns hm 1 2 3 4 5\n@ NS ns\nold TXT \"v=spf1 a -all include:\u{fffd}x.example.net\"\n";
        let found = lint_bytes(text.as_bytes(), "SPF010");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found.iter().all(|d| d
                .fix
                .as_ref()
                .is_some_and(|f| f.edits.iter().any(|e| e.content.contains('\u{fffd}')))),
            "{found:?}"
        );
    }
}
