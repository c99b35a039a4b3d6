//! The library's front door: zones and settings in, diagnostics out.

use crate::index::{ZoneIndex, ZoneSet};
use crate::mail::{MailSet, MailTexts};
use crate::rules::{registry, RecordContext, Rule, Sink, ZoneContext};
use crate::settings::{Resolved, Settings};
use crate::suppress;
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

/// Lints zones together (cross-zone rules see all of them) and returns every finding,
/// suppressions applied, sorted by source and offset. Parse diagnostics are not included:
/// the caller has them from the parse.
#[must_use]
pub fn lint(inputs: &[LintInput<'_>], settings: &Settings) -> Vec<Diagnostic> {
    let zones: Vec<ZoneIndex<'_>> = inputs
        .iter()
        .filter_map(|input| input.apex().map(|apex| ZoneIndex::build(input.zone, apex)))
        .collect();
    let snapshot = settings.spf_snapshot.as_ref().map(|s| &s.zone);
    let set = ZoneSet::new(zones).with_snapshot(snapshot);
    let texts = MailTexts::read(&set);
    let mail = MailSet::parse(&texts);
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
    let mut all = Vec::new();
    for (position, zone) in set.zones.iter().enumerate() {
        let mut found = Vec::new();
        for record in zone.zone.records().filter(|_| !record_rules.is_empty()) {
            let cx = RecordContext {
                zone,
                record,
                settings,
            };
            for &(rule, resolved) in &record_rules {
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
        let cx = ZoneContext {
            set: &set,
            zone,
            settings,
            mail: &mail,
            position,
        };
        for &(rule, resolved) in &active {
            let mut sink = Sink::new(
                rule.meta(),
                resolved.severity,
                resolved.overridden,
                settings.strict,
                &mut found,
            );
            rule.check_zone(&cx, &mut sink);
        }
        let unused = settings.resolve(&suppress::UNUSED_META);
        suppress::apply(zone.zone, &mut found, unused);
        all.append(&mut found);
    }
    all.sort_by(|a, b| {
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
