//! The library's front door: zones and settings in, diagnostics out.

use crate::discovery::Discovery;
use crate::index::{ZoneIndex, ZoneSet};
use crate::mail::{MailSet, MailTexts};
use crate::rules::{registry, RecordContext, Rule, Sink, ZoneContext};
use crate::settings::{Resolved, Settings};
use crate::suppress;
use rayon::prelude::*;
use zonelint_zone::{Diagnostic, Name, RType, Zone};

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
    let apexes: Vec<(&Zone, Name)> = inputs
        .iter()
        .filter_map(|input| input.apex().map(|apex| (input.zone, apex)))
        .collect();
    let snapshot = settings.spf_snapshot.as_ref().map(|s| &s.zone);
    let (zones, texts) = rayon::join(
        || {
            apexes
                .par_iter()
                .map(|(zone, apex)| ZoneIndex::build(zone, apex.clone()))
                .collect::<Vec<ZoneIndex<'_>>>()
        },
        || MailTexts::read_zones(apexes.iter().map(|(zone, _)| *zone), snapshot),
    );
    let set = ZoneSet::new(zones).with_snapshot(snapshot);
    let mail = MailSet::parse(&texts);
    run_rules(&set, &mail, settings)
}

/// The rules over zones already indexed, with their email records parsed: the second half
/// of [`lint`] (the benchmarks time the halves apart). Same result as [`lint`].
#[must_use]
pub fn run_rules(set: &ZoneSet<'_>, mail: &MailSet<'_>, settings: &Settings) -> Vec<Diagnostic> {
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
    let mut all = Vec::new();
    for (position, zone) in set.zones.iter().enumerate() {
        let mut found = record_pass(zone, &record_rules, settings);
        let cx = ZoneContext {
            set,
            zone,
            settings,
            mail,
            position,
            discovery: &discovery,
        };
        let per_rule: Vec<Vec<Diagnostic>> = active
            .par_iter()
            .map(|&(rule, resolved)| {
                let mut rule_found = Vec::new();
                let mut sink = Sink::new(
                    rule.meta(),
                    resolved.severity,
                    resolved.overridden,
                    settings.strict,
                    &mut rule_found,
                );
                rule.check_zone(&cx, &mut sink);
                rule_found
            })
            .collect();
        found.reserve(per_rule.iter().map(Vec::len).sum());
        for mut rule_found in per_rule {
            found.append(&mut rule_found);
        }
        let unused = settings.resolve(&suppress::UNUSED_META);
        suppress::apply(zone.zone, &mut found, unused);
        all.append(&mut found);
    }
    all.par_sort_by(|a, b| {
        (
            a.primary.source,
            a.primary.start,
            a.primary.end,
            a.code.code,
        )
            .cmp(&(
                b.primary.source,
                b.primary.start,
                b.primary.end,
                b.code.code,
            ))
    });
    all
}

/// The record rules over every record of `zone`, in chunks on every core; the findings
/// in file order, each record's in rule order.
fn record_pass(
    zone: &ZoneIndex<'_>,
    record_rules: &[(&dyn Rule, Resolved)],
    settings: &Settings,
) -> Vec<Diagnostic> {
    if record_rules.is_empty() {
        return Vec::new();
    }
    let records = zone.zone.len();
    let chunks: Vec<Vec<Diagnostic>> = (0..records.div_ceil(RECORDS_PER_TASK))
        .into_par_iter()
        .map(|chunk| {
            let start = chunk * RECORDS_PER_TASK;
            let end = (start + RECORDS_PER_TASK).min(records);
            let mut found = Vec::new();
            for record in (start..end).filter_map(|i| zone.zone.record(i)) {
                let cx = RecordContext {
                    zone,
                    record,
                    settings,
                };
                for &(rule, resolved) in record_rules {
                    let mut sink = Sink::new(
                        rule.meta(),
                        resolved.severity,
                        resolved.overridden,
                        settings.strict,
                        &mut found,
                    );
                    rule.check_record(&cx, &mut sink);
                }
            }
            found
        })
        .collect();
    let mut all = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for mut chunk in chunks {
        all.append(&mut chunk);
    }
    all
}
