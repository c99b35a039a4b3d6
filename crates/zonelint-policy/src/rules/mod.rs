//! The rule framework: metadata, the [`Rule`] trait, and the [`Sink`] rules report into.
//!
//! A rule is a unit struct in a file of its own (`rules/<family>/<slug>.rs`) holding its
//! metadata, its documentation and its tests. Rules look at one record at a time
//! ([`Rule::check_record`], called during the single pass over a zone) or at the whole
//! index afterwards ([`Rule::check_zone`]). Both only *report*; severities come from the
//! settings, never from the rule.

pub mod bimi;
pub mod cov;
pub(crate) mod delegation;
pub mod dkim;
pub mod dmarc;
pub mod mta;
pub mod mx;
pub mod parse;
pub mod registry;
pub mod spf;
pub(crate) mod targets;
#[cfg(test)]
pub(crate) mod test_support;
pub(crate) mod text;
pub mod zone;

use crate::discovery::Discovery;
use crate::index::{NameFacts, ZoneIndex, ZoneSet};
use crate::mail::{MailSet, SpfEntry, ZoneMail, NO_ENTRY};
use crate::settings::Settings;
use zonelint_zone::{Code, Diagnostic, NameRef, RType, RecordRef, Severity, Span};

/// A configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as info.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error (fails the run).
    Error,
}

impl Level {
    /// The severity, or `None` when off.
    #[must_use]
    pub const fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    /// Parses `error`, `warning`, `info` or `off`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    /// `error`, `warning`, `info` or `off`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Which fixes a rule can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// None.
    None,
    /// Safe fixes only.
    Safe,
    /// Unsafe fixes only.
    Unsafe,
    /// Safe or unsafe, depending on the case.
    Sometimes,
}

/// A rule's documentation, in the sections every rule page has.
#[derive(Debug)]
pub struct RuleDoc {
    /// What it does: one or two sentences.
    pub what: &'static str,
    /// Why it matters: what a receiver or resolver will do.
    pub why: &'static str,
    /// A zone-file fragment (origin `example.com.`) that fires exactly this rule, on top of
    /// the clean base zone the doc tests provide.
    pub example: &'static str,
    /// The same fragment, corrected: fires nothing.
    pub use_instead: &'static str,
    /// What the fix does and whether it is safe.
    pub fix_safety: &'static str,
    /// RFC sections (and other sources) the rule rests on.
    pub references: &'static [&'static str],
}

/// A rule's identity, levels and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Code and slug.
    pub code: Code,
    /// Level in the default profile.
    pub default: Level,
    /// Level in the strict profile.
    pub strict: Level,
    /// Which fixes it offers.
    pub fix: FixAvailability,
    /// Whether it is in the first release (P1 in rules.md).
    pub first_release: bool,
    /// One line: what it detects.
    pub summary: &'static str,
    /// The long documentation.
    pub doc: RuleDoc,
}

impl RuleMeta {
    /// The family: the code without its digits (`SPF` for `SPF001`).
    #[must_use]
    pub fn family(&self) -> &'static str {
        self.code
            .code
            .trim_end_matches(|c: char| c.is_ascii_digit())
    }
}

/// A rule.
pub trait Rule: Sync {
    /// Its metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// Whether the rule implements [`Rule::check_record`]. The lint calls `check_record`
    /// only for rules that say so: most rules look at whole zones, and a call per record
    /// per rule that does nothing costs a million calls per rule on a large zone.
    fn checks_records(&self) -> bool {
        false
    }

    /// Looks at one record, during the pass that builds the index. Only called when
    /// [`Rule::checks_records`] returns true.
    fn check_record(&self, _cx: &RecordContext<'_>, _sink: &mut Sink<'_>) {}

    /// Looks at a whole zone, after every zone of the set is indexed.
    fn check_zone(&self, _cx: &ZoneContext<'_>, _sink: &mut Sink<'_>) {}

    /// Whether [`Rule::check_zone`] can run on consecutive chunks of the zone's names
    /// instead of all of them at once: it reports only at the names of
    /// [`ZoneContext::names`], walking them in order, and what it reports at one depends
    /// on no other name it walks (it may look any name up). The lint then runs all such
    /// rules chunk by chunk, one after the other on the same few thousand names, which
    /// are still in the cache for the next rule (each rule walking the whole zone alone
    /// reads it from memory every time); the findings come out as from one walk.
    fn walks_names_in_chunks(&self) -> bool {
        false
    }

    /// Whether the rule reads the email records: [`ZoneContext::mail`] and what is
    /// made from them (the DMARC discovery, the SPF analysis, the DKIM selectors, the
    /// SPF targets). A lint whose active rules all say no neither reads nor parses a
    /// TXT record (on a large zone, a third of what the lint holds and of its work
    /// before the rules). Say no only for a rule that reads none of them: a test runs
    /// each such rule with and without the email records on every rule's example and
    /// corrected form and on the structure fixture.
    fn reads_email_records(&self) -> bool {
        true
    }

    /// Whether the rule reads the SPF analysis (`rules::spf::analysis`). The lint frees
    /// the analysis once every rule that says so is done, while the others still run (on
    /// a large zone it is tens of megabytes, held to the end of the rules otherwise);
    /// a rule that reads it after that has it made again. A test runs every rule that
    /// says no after the analysis is freed, on every rule's example and corrected form,
    /// and fails if one asks for it.
    fn reads_spf_analysis(&self) -> bool {
        false
    }

    /// The set-wide views the rule asks for ([`SharedView`]). The lint builds each view
    /// the active rules name before they run, the views side by side; left to the
    /// first rule that asks, a view was built on one core while the rules on the other
    /// waited for it (150 ms on the 1M-record bench zone).
    fn shared_views(&self) -> &'static [SharedView] {
        &[]
    }
}

/// A view of the zone set that several rules derive alike, kept in [`LintViews`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharedView {
    /// The mail exchangers of the set.
    Exchanges,
    /// The names SPF `include`s and `redirect`s of the set name.
    SpfTargets,
    /// The names NS records of the set name as name servers.
    NameServers,
    /// The DKIM selectors of the set, by domain.
    DkimSelectors,
}

impl SharedView {
    /// Builds the view for `cx`'s lint, unless it is built already.
    pub(crate) fn build(self, cx: &ZoneContext<'_>) {
        match self {
            SharedView::Exchanges => {
                mx::exchanges(cx);
            }
            SharedView::SpfTargets => {
                cov::spf_missing::spf_targets(cx);
            }
            SharedView::NameServers => {
                mx::implicit::name_servers(cx);
            }
            SharedView::DkimSelectors => {
                dmarc::DkimSelectors::of_set(cx);
            }
        }
    }
}

/// What a zone-level rule can see.
#[derive(Clone, Copy)]
pub struct ZoneContext<'a> {
    /// Every zone linted together (cross-zone lookups).
    pub set: &'a ZoneSet<'a>,
    /// The zone being checked.
    pub zone: &'a ZoneIndex<'a>,
    /// The resolved settings.
    pub settings: &'a Settings,
    /// The parsed email records of every zone of the set.
    pub mail: &'a MailSet<'a>,
    /// Where `zone` is in the set (and its mail in `mail`).
    pub position: usize,
    /// DMARC discovery over the set, shared by every rule of the lint (its cache of
    /// `_dmarc` lookups with them).
    pub discovery: &'a Discovery<'a>,
    /// What several rules derive from the zones alike, derived once per lint.
    pub views: &'a LintViews<'a>,
    /// The positions of the names of `zone` this run of the rule looks at
    /// ([`ZoneContext::names`]): all of them, or a chunk for a rule that walks the names
    /// in chunks ([`Rule::walks_names_in_chunks`]).
    pub names: NameChunk,
}

impl<'a> ZoneContext<'a> {
    /// The names of the zone this run of the rule looks at, in canonical order: all of
    /// them, or the chunk it runs on.
    pub fn names(&self) -> std::slice::Iter<'a, NameFacts<'a>> {
        self.zone.names_in(self.names.start..self.names.end)
    }
}

/// Consecutive names of a zone, by position in its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameChunk {
    /// The first name's position.
    pub start: usize,
    /// The position after the last name.
    pub end: usize,
}

impl NameChunk {
    /// Every name of `zone`.
    #[must_use]
    pub fn all(zone: &ZoneIndex<'_>) -> Self {
        Self {
            start: 0,
            end: zone.name_count(),
        }
    }

    /// How many names.
    #[must_use]
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What several rules derive alike from the zones of a lint (each zone's DKIM key
/// records, the set's mail exchangers and DKIM selector domains), derived on first use
/// and shared by every rule and every zone of the lint, as [`Discovery`] and the SPF
/// analysis are: a dozen rules walking every text of a large zone to find the same key
/// records cost a dozen walks, and a set-wide view made once per zone costs one per zone.
pub struct LintViews<'a> {
    /// Per zone of the set, by position.
    pub(crate) key_records: Vec<std::sync::OnceLock<Vec<dkim::KeyRecord<'a>>>>,
    pub(crate) exchanges: std::sync::OnceLock<foldhash::HashSet<&'a NameRef>>,
    pub(crate) selector_domains: std::sync::OnceLock<foldhash::HashSet<&'a NameRef>>,
    pub(crate) dkim_selectors: std::sync::OnceLock<dmarc::DkimSelectors<'a>>,
    /// Per zone of the set, by position: for each name of the index, where its first
    /// SPF-looking record is in the zone's [`ZoneMail::spf`] ([`NO_ENTRY`] for none).
    pub(crate) spf_by_name: Vec<std::sync::OnceLock<Vec<u32>>>,
    /// Per zone of the set, by position: where the policy records the zone serves are in
    /// its [`ZoneMail::dmarc`] (see [`dmarc::policy_records`]).
    pub(crate) policy_records: Vec<std::sync::OnceLock<Vec<u32>>>,
    /// Every name an NS record of the set names as a name server.
    pub(crate) name_servers: std::sync::OnceLock<foldhash::HashSet<&'a NameRef>>,
    /// Every name an SPF `include` or `redirect` of a zone of the set names.
    pub(crate) spf_targets: std::sync::OnceLock<foldhash::HashSet<zonelint_zone::Name>>,
    /// Per zone of the set, by position: whether it is parked ([`cov::parked`]).
    pub(crate) parked: Vec<std::sync::OnceLock<bool>>,
    /// Every name a CNAME of the set points at ([`zone::cname_loop`]).
    pub(crate) cname_targets: std::sync::OnceLock<foldhash::HashSet<&'a NameRef>>,
    /// The SPF analysis of the set, made on first use and freed once its readers are done.
    pub(crate) spf_analysis: std::sync::Mutex<AnalysisSlot>,
    /// Per zone of the set, by position: the places of MTA-STS and of TLS-RPT records
    /// ([`mta::transport_places`], by [`mta::Transport`]).
    pub(crate) transport_places: Vec<[std::sync::OnceLock<Vec<mta::Place<'a>>>; 2]>,
}

/// The SPF analysis of a lint: made by the first rule that asks, freed when the last of
/// the runs of the rules that read it ends (see [`Rule::reads_spf_analysis`]).
#[derive(Default)]
pub(crate) struct AnalysisSlot {
    pub(crate) analysis: Option<std::sync::Arc<crate::spf_eval::SpfAnalysis>>,
    /// How many runs of rules that read it are still to end (a rule on each chunk of
    /// names is a run per chunk); `None`: unknown, so kept to the end of the lint.
    pub(crate) runs_left: Option<usize>,
    /// How many times it was made.
    pub(crate) made: usize,
}

impl LintViews<'_> {
    /// Says how many runs of the rules that read the SPF analysis the lint will make:
    /// the analysis is freed when that many have ended ([`Self::end_spf_analysis_run`]).
    pub(crate) fn expect_spf_analysis_runs(&self, runs: usize) {
        if let Ok(mut slot) = self.spf_analysis.lock() {
            slot.runs_left = Some(runs);
        }
    }

    /// One run of a rule that reads the SPF analysis has ended: the last frees it.
    pub(crate) fn end_spf_analysis_run(&self) {
        let released = self.spf_analysis.lock().ok().and_then(|mut slot| {
            debug_assert!(
                slot.runs_left != Some(0),
                "more runs of rules that read the SPF analysis ended than the lint counted"
            );
            let left = slot.runs_left?.checked_sub(1)?;
            slot.runs_left = Some(left);
            if left == 0 {
                slot.analysis.take()
            } else {
                None
            }
        });
        // Freed here, outside the lock, on every core (millions of small allocations).
        if let Some(analysis) = released.and_then(std::sync::Arc::into_inner) {
            analysis.drop_in_parallel();
        }
    }

    /// How many runs of rules that read the SPF analysis are still to end, if the lint
    /// said how many there would be.
    pub(crate) fn spf_analysis_runs_left(&self) -> Option<usize> {
        self.spf_analysis
            .lock()
            .ok()
            .and_then(|slot| slot.runs_left)
    }

    /// How many times the lint made the SPF analysis (once, unless a rule that reads it
    /// does not say so).
    #[cfg(test)]
    pub(crate) fn spf_analyses_made(&self) -> usize {
        self.spf_analysis.lock().map_or(0, |slot| slot.made)
    }

    /// Nothing derived yet, for a set of `zones` zones.
    #[must_use]
    pub fn new(zones: usize) -> Self {
        Self {
            key_records: (0..zones).map(|_| std::sync::OnceLock::new()).collect(),
            exchanges: std::sync::OnceLock::new(),
            selector_domains: std::sync::OnceLock::new(),
            dkim_selectors: std::sync::OnceLock::new(),
            spf_by_name: (0..zones).map(|_| std::sync::OnceLock::new()).collect(),
            policy_records: (0..zones).map(|_| std::sync::OnceLock::new()).collect(),
            name_servers: std::sync::OnceLock::new(),
            spf_targets: std::sync::OnceLock::new(),
            parked: (0..zones).map(|_| std::sync::OnceLock::new()).collect(),
            cname_targets: std::sync::OnceLock::new(),
            spf_analysis: std::sync::Mutex::default(),
            transport_places: (0..zones).map(|_| Default::default()).collect(),
        }
    }
}

impl<'a> ZoneContext<'a> {
    /// The parsed email records of the zone being checked.
    #[must_use]
    pub fn zone_mail(&self) -> Option<&'a ZoneMail<'a>> {
        self.mail.zone(self.position)
    }

    /// The SPF-looking records (TXT and type 99) of the name of `facts`, a name of the
    /// zone being checked, in file order: [`ZoneMail::spf_at`] without a search when the
    /// name owns no TXT or SPF record, as most names of a zone do not (the rules that
    /// walk every name ask it of each), and without one for the others either: each
    /// name's first record is listed by the name's position once per lint.
    pub fn spf_of<'s>(
        &'s self,
        facts: &'s NameFacts<'_>,
    ) -> impl Iterator<Item = &'a SpfEntry<'a>> + 's {
        self.zone_mail()
            .filter(|_| self.zone.holds_any(facts, &[RType::TXT, RType::SPF]))
            .into_iter()
            .flat_map(|mail| mail.spf_from(self.first_spf(mail, facts)))
    }

    /// Where the first SPF-looking record of the name of `facts` is in `mail` (the
    /// zone's): from the list by name position (made on first use from the records'
    /// owners, hashing no name), or by name for facts of another index.
    fn first_spf(&self, mail: &ZoneMail<'_>, facts: &NameFacts<'_>) -> u32 {
        let zone = self.zone;
        let by_name = self.views.spf_by_name.get(self.position).map(|cell| {
            cell.get_or_init(|| {
                let mut first = vec![NO_ENTRY; zone.name_count()];
                for (entry, spf) in mail.spf.iter().enumerate() {
                    let slot = zone
                        .owner_of(spf.txt.record)
                        .and_then(|(owner, _)| first.get_mut(owner));
                    if let Some(slot) = slot.filter(|slot| **slot == NO_ENTRY) {
                        *slot = entry as u32;
                    }
                }
                first
            })
        });
        match (by_name, zone.position_of(facts)) {
            (Some(by_name), Some(at)) => by_name.get(at).copied().unwrap_or(NO_ENTRY),
            _ => mail.first_spf_at(facts.name),
        }
    }

    /// The SPF records receivers select at the name of `facts` (see
    /// [`ZoneMail::selected_spf_at`]), as [`Self::spf_of`] finds them.
    pub fn selected_spf_of<'s>(
        &'s self,
        facts: &'s NameFacts<'_>,
    ) -> impl Iterator<Item = &'a SpfEntry<'a>> + 's {
        self.spf_of(facts).filter(|e| e.is_selected())
    }

    /// The parsed email records of another zone of the set.
    #[must_use]
    pub fn mail_of(&self, zone: &ZoneIndex<'_>) -> Option<&'a ZoneMail<'a>> {
        self.mail.zone(self.set.position_of(zone)?)
    }
}

/// What a record-level rule can see.
#[derive(Clone, Copy)]
pub struct RecordContext<'a> {
    /// The zone the record belongs to.
    pub zone: &'a ZoneIndex<'a>,
    /// The record.
    pub record: RecordRef<'a>,
    /// The resolved settings.
    pub settings: &'a Settings,
}

/// Where a [`Sink`] puts the findings it is given: a list, or the lint's
/// [`Packed`](crate::packed::Packed) store.
pub trait Collector {
    /// Keeps one finding.
    fn add(&mut self, diagnostic: Diagnostic);
}

impl Collector for Vec<Diagnostic> {
    fn add(&mut self, diagnostic: Diagnostic) {
        self.push(diagnostic);
    }
}

/// Collects one rule's findings with the severity the settings give it.
pub struct Sink<'s> {
    meta: &'static RuleMeta,
    severity: Severity,
    overridden: bool,
    strict: bool,
    out: &'s mut dyn Collector,
}

impl<'s> Sink<'s> {
    /// A sink for `meta` at `severity`. `overridden` means the user fixed the severity, so
    /// graded reports use it as is.
    pub fn new(
        meta: &'static RuleMeta,
        severity: Severity,
        overridden: bool,
        strict: bool,
        out: &'s mut dyn Collector,
    ) -> Self {
        Self {
            meta,
            severity,
            overridden,
            strict,
            out,
        }
    }

    /// Reports a finding at the rule's configured severity; decorate the returned
    /// [`Report`] with a help line, related spans or a fix.
    pub fn report(&mut self, primary: Span, message: impl Into<String>) -> Report<'_> {
        let diagnostic = Diagnostic::new(&self.meta.code, self.severity, primary, message);
        Report {
            diagnostic: Some(diagnostic),
            out: self.out,
        }
    }

    /// Reports a finding whose severity depends on the case (rules.md gives several, e.g.
    /// "E if /0, W otherwise"): `default` and `strict` for this case. A severity the user
    /// configured for the rule wins. `None` when the case is off in this profile.
    pub fn report_graded(
        &mut self,
        default: Level,
        strict: Level,
        primary: Span,
        message: impl Into<String>,
    ) -> Option<Report<'_>> {
        let severity = if self.overridden {
            self.severity
        } else {
            (if self.strict { strict } else { default }).severity()?
        };
        let diagnostic = Diagnostic::new(&self.meta.code, severity, primary, message);
        Some(Report {
            diagnostic: Some(diagnostic),
            out: self.out,
        })
    }

    /// Whether the strict profile is in force.
    #[must_use]
    pub fn strict(&self) -> bool {
        self.strict
    }
}

/// A finding being built; it is recorded when dropped.
pub struct Report<'s> {
    diagnostic: Option<Diagnostic>,
    out: &'s mut dyn Collector,
}

impl Report<'_> {
    fn edit(mut self, change: impl FnOnce(&mut Diagnostic)) -> Self {
        if let Some(diagnostic) = self.diagnostic.as_mut() {
            change(diagnostic);
        }
        self
    }

    /// Adds the help line.
    pub fn help(self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.edit(|d| d.help = Some(help))
    }

    /// Adds a related span.
    pub fn related(self, span: Span, message: impl Into<String>) -> Self {
        let message = message.into();
        self.edit(|d| d.related.push(zonelint_zone::Related { span, message }))
    }

    /// Adds a fix.
    pub fn fix(self, fix: zonelint_zone::Fix) -> Self {
        self.edit(|d| d.fix = Some(Box::new(fix)))
    }

    /// Names the owner the finding is about.
    pub fn owner(self, owner: impl Into<zonelint_zone::Name>) -> Self {
        let owner = owner.into();
        self.edit(|d| d.owner = Some(owner))
    }
}

impl Drop for Report<'_> {
    fn drop(&mut self) {
        if let Some(diagnostic) = self.diagnostic.take() {
            self.out.add(diagnostic);
        }
    }
}

/// The name below the first proper ancestor of `name` whose leftmost label is `label`
/// (ASCII case ignored); `None` when there is none. Names are copied only when found:
/// every name of a zone is asked.
pub(crate) fn below_label<'n>(name: &'n NameRef, label: &[u8]) -> Option<&'n NameRef> {
    let found = name.ancestors().find(|ancestor| {
        ancestor
            .first_label()
            .is_some_and(|first| first.eq_ignore_ascii_case(label))
    })?;
    found.parent()
}

/// Where the owner of a TXT record was written, or the whole record when its owner was
/// left blank (the span email-record rules put a misplaced record's finding on).
pub(crate) fn written_owner_span(cx: &ZoneContext<'_>, txt: &crate::mail::TxtText<'_>) -> Span {
    written_part(cx, txt, |r| r.owner_span())
}

/// Where one part of a TXT record (`part` of its [`RecordRef`]) was written, or the whole
/// record when that part is empty or unknown.
pub(crate) fn written_part(
    cx: &ZoneContext<'_>,
    txt: &crate::mail::TxtText<'_>,
    part: impl Fn(&RecordRef<'_>) -> Span,
) -> Span {
    cx.zone
        .zone
        .record(txt.record as usize)
        .map(|r| part(&r))
        .filter(|s| !s.is_empty())
        .unwrap_or(txt.span())
}

/// Whether receivers get `txt` from its zone: a TXT record (type 99 is never queried,
/// RFC 7208 §3.1; DMARC, DKIM and BIMI use TXT only) whose owner is at or below the apex
/// and not below a delegation (data there is occluded and never answered).
pub(crate) fn answered(zone: &ZoneIndex<'_>, txt: &crate::mail::TxtText<'_>) -> bool {
    txt.rtype == zonelint_zone::RType::TXT && zone.serves_record(txt.record)
}

#[cfg(test)]
mod doc_tests {
    //! Every rule's documented example fires exactly that rule, and its corrected form
    //! fires nothing new (the same check biome runs on its rule docs).

    use super::registry;
    use crate::{lint, LintInput, Settings};
    use std::collections::BTreeSet;
    use zonelint_zone::{parse_str, Name, ParseOptions};

    /// A zone that the examples are added to (unless an example is a whole zone, which
    /// starts with `$ORIGIN`).
    const BASE: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n";

    fn codes(text: &str, settings: &Settings) -> (BTreeSet<&'static str>, usize) {
        // A whole-zone example names its origin in its first line.
        let origin = text
            .strip_prefix("$ORIGIN ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("example.com.");
        let options = ParseOptions {
            origin: Name::from_ascii(origin).ok(),
            ..ParseOptions::default()
        };
        let (zone, parse_diagnostics) = parse_str("example.zone", text, &options);
        assert!(
            parse_diagnostics.is_empty(),
            "example does not parse: {parse_diagnostics:?}\n{text}"
        );
        let found = lint(&[LintInput::new(&zone)], settings);
        (found.iter().map(|d| d.code.code).collect(), found.len())
    }

    /// How many times `code` fires on `text`.
    fn count(text: &str, settings: &Settings, code: &str) -> usize {
        let origin = text
            .strip_prefix("$ORIGIN ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("example.com.");
        let options = ParseOptions {
            origin: Name::from_ascii(origin).ok(),
            ..ParseOptions::default()
        };
        let (zone, _) = parse_str("example.zone", text, &options);
        lint(&[LintInput::new(&zone)], settings)
            .iter()
            .filter(|d| d.code.code == code)
            .count()
    }

    fn compose(example: &str) -> String {
        if example.starts_with("$ORIGIN") {
            example.to_owned()
        } else {
            format!("{BASE}{example}")
        }
    }

    /// The zones the tests of what rules say of themselves run on: the base zone, the
    /// structure fixture, and every rule's example and corrected form (the example of
    /// the rule at position `p` of the registry is text `2 + 2p`), which hold every kind
    /// of email record.
    fn rule_fixtures() -> Vec<String> {
        let structure = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/policy/structure.zone"
        ))
        .unwrap();
        let mut texts = vec![BASE.to_owned(), structure];
        for rule in registry::rules() {
            texts.push(compose(rule.meta().doc.example));
            texts.push(compose(rule.meta().doc.use_instead));
        }
        texts
    }

    /// A fixture of [`rule_fixtures`] parsed, at its `$ORIGIN` (`example.com.` if none).
    fn parse_fixture(text: &str) -> (zonelint_zone::Zone, Name) {
        let origin = text
            .lines()
            .find_map(|line| line.strip_prefix("$ORIGIN "))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("example.com.");
        let origin = Name::from_ascii(origin).unwrap();
        let options = ParseOptions {
            origin: Some(origin.clone()),
            ..ParseOptions::default()
        };
        (parse_str("example.zone", text, &options).0, origin)
    }

    /// Each rule that says it reads no email record ([`super::Rule::reads_email_records`])
    /// finds the same alone with the zone's email records as without them (what a lint
    /// of only such rules does), on every rule's example and corrected form (which hold
    /// every kind of email record) and on the structure fixture, plain and strict.
    #[test]
    fn rules_that_read_no_email_records_find_the_same_without_them() {
        let texts = rule_fixtures();
        let zones: Vec<_> = texts.iter().map(|text| parse_fixture(text).0).collect();
        let free: Vec<_> = registry::rules()
            .iter()
            .filter(|rule| !rule.reads_email_records())
            .collect();
        assert!(free.len() > 30, "{} rules", free.len());
        let now = Some(1_767_225_600);
        for rule in free {
            let code = rule.meta().code.code;
            for base in [Settings::default(), Settings::strict()] {
                let settings = Settings {
                    now,
                    select: vec![crate::Selector(code.to_owned())],
                    ..base
                };
                for (zone, text) in zones.iter().zip(&texts) {
                    let inputs = [LintInput::new(zone)];
                    let with = crate::lint::lint_reading(&inputs, &settings, 4096, true).unpack();
                    let without =
                        crate::lint::lint_reading(&inputs, &settings, 4096, false).unpack();
                    assert_eq!(with, without, "{code} reads the email records of\n{text}");
                }
            }
        }
    }

    /// Every rule that says it does not read the SPF analysis
    /// ([`super::Rule::reads_spf_analysis`]) runs, alone, after the lint freed it, on
    /// every rule's example and corrected form and on the structure fixture, plain and
    /// strict, without asking for it again; and the rules that say they read it do ask
    /// for it on the examples of their own (so the test sees a rule that reads it).
    #[test]
    fn rules_that_read_no_spf_analysis_do_not_ask_for_it() {
        use super::{LintViews, NameChunk, Rule, Sink, ZoneContext};
        use crate::discovery::Discovery;
        use crate::index::{ZoneIndex, ZoneSet};
        use crate::mail::MailSet;
        use zonelint_zone::Severity;
        let texts = rule_fixtures();
        // Each text parsed, indexed and its email records read once, for every rule.
        let zones: Vec<_> = texts.iter().map(|text| parse_fixture(text)).collect();
        let sets: Vec<ZoneSet<'_>> = zones
            .iter()
            .map(|(zone, origin)| ZoneSet::new(vec![ZoneIndex::build(zone, origin.clone())]))
            .collect();
        let mail_texts: Vec<_> = sets.iter().map(crate::mail::MailTexts::read).collect();
        let mails: Vec<MailSet<'_>> = mail_texts.iter().map(MailSet::parse).collect();
        let now = Some(1_767_225_600);
        // How many times `rule` made the SPF analysis on the text at `at`, with it freed
        // before the rule ran or not.
        let made = |rule: &dyn Rule, at: usize, base: Settings, freed: bool| {
            let (set, mail) = (&sets[at], &mails[at]);
            let settings = Settings { now, ..base };
            let discovery = Discovery::new(set, mail, &settings);
            let views = LintViews::new(1);
            if freed {
                views.expect_spf_analysis_runs(0);
            }
            let cx = ZoneContext {
                set,
                zone: &set.zones()[0],
                settings: &settings,
                mail,
                position: 0,
                discovery: &discovery,
                views: &views,
                names: NameChunk::all(&set.zones()[0]),
            };
            let mut found: Vec<zonelint_zone::Diagnostic> = Vec::new();
            let mut sink = Sink::new(
                rule.meta(),
                Severity::Warning,
                false,
                settings.strict,
                &mut found,
            );
            rule.check_zone(&cx, &mut sink);
            views.spf_analyses_made()
        };
        let mut readers = 0;
        for (position, rule) in registry::rules().iter().enumerate() {
            let code = rule.meta().code.code;
            if rule.reads_spf_analysis() {
                readers += 1;
                // The rule's own example (see `rule_fixtures`).
                let own = 2 + 2 * position;
                assert_eq!(made(*rule, own, Settings::default(), false), 1, "{code}");
                continue;
            }
            for base in [Settings::default(), Settings::strict()] {
                for (at, text) in texts.iter().enumerate() {
                    assert_eq!(
                        made(*rule, at, base.clone(), true),
                        0,
                        "{code} reads the SPF analysis (on\n{text})"
                    );
                }
            }
        }
        assert!(readers > 10, "{readers} rules read the SPF analysis");
    }

    #[test]
    fn examples_fire_exactly_their_rule() {
        let mut failures = Vec::new();
        // Rules that only run when `senders` is configured are documented with the base
        // zone's senders declared; all others with no `senders`, as most users run.
        const NEEDS_SENDERS: &[&str] = &["COV004"];
        // Examples that cannot avoid another rule: within one zone, an inherited `none`
        // that no record shows by itself only arises from `t=y` on `p=quarantine`, which
        // DMARC008 (and, in strict, DMARC010) report on the record. COV005's own ground is
        // a parent zone or the configured parent policy, which one example zone cannot show.
        // DMARC011 reports that same `t=y` on the record.
        // DMARC005's example is the typo `rue=` for `rua=`, which leaves the record without
        // `rua` (DMARC014): the consequence the typo has.
        // DMARC022's weaker subdomain policy is `none` or `quarantine`, which DMARC007 or
        // DMARC008 report on the tag by themselves; DMARC022 adds what it overrides.
        // SPF035 notes why an include does not end a record, which is SPF004's finding.
        // BIMI001 needs a policy that does not enforce, which is always a DMARC finding
        // of its own (`p=none`: DMARC007, and DMARC010 in strict for the `np` it implies).
        // COV006's case is a wildcard under a record with `np` stronger than `sp`; with `p`
        // at least as strong as `sp` (else DMARC009), `p=quarantine` (DMARC008) is the
        // only shape, and the wildcard SPF record draws COV011.
        // COV008 leaves names under `p=reject` to DMARC025, so its example needs a weaker
        // policy, which DMARC008 (and DMARC010 in strict) report by themselves.
        const ALSO_FIRES: &[(&str, &[&str])] = &[
            ("COV005", &["DMARC008", "DMARC010", "DMARC011"]),
            ("DMARC005", &["DMARC014"]),
            ("DMARC022", &["DMARC008"]),
            ("SPF035", &["SPF004"]),
            ("BIMI001", &["DMARC007", "DMARC010"]),
            ("COV008", &["DMARC008", "DMARC010"]),
            ("COV006", &["DMARC008", "COV011"]),
        ];
        // Notes any example may cause: SPF037 notes every SPF target outside the example
        // zone, and examples name such targets (`.example`, `example.net`) freely, as users
        // without an `spf-snapshot` see it on their own records.
        const AMBIENT: &[&str] = &["SPF037"];
        // Notes that examples and their corrections may both draw: MX006 (info) notes every
        // host with an address and no MX, and these rules' examples are such hosts (`shop A
        // …`); adding `MX 0 .` to each would obscure what they show.
        const NOTED_ALSO: &[(&str, &[&str])] = &[
            ("ZONE004", &["MX006"]),
            ("DMARC020", &["MX006"]),
            ("COV001", &["MX006"]),
            ("COV002", &["MX006"]),
            ("COV004", &["MX006"]),
            ("LINT001", &["MX006"]),
            ("SPF034", &["MX006"]),
            ("DMARC022", &["MX006"]),
            ("DMARC024", &["MX006"]),
            ("ZONE008", &["MX006"]),
            ("ZONE017", &["MX006"]),
            ("ZONE018", &["MX006"]),
            ("ZONE021", &["MX006"]),
            ("ZONE024", &["MX006"]),
            ("ZONE025", &["MX006"]),
            // A parked zone takes no mail, so a `rua` mailbox in it bounces (DMARC019); the
            // example keeps the usual record to show only what COV007 adds.
            ("COV007", &["DMARC019"]),
            // COV011 (info) notes a wildcard SPF record on its own outside a parked zone,
            // and these corrections add `* TXT "v=spf1 -all"`.
            ("DMARC028", &["COV011"]),
            ("COV006", &["COV011"]),
        ];
        let noted_also = |code: &str| -> &[&str] {
            NOTED_ALSO
                .iter()
                .find(|(c, _)| *c == code)
                .map_or(&[], |(_, also)| also)
        };
        let senders = Some(vec![
            Name::from_ascii("example.com.").unwrap(),
            Name::from_ascii("mail.example.com.").unwrap(),
        ]);
        // A fixed "now" (2026-01-01), as `--now` gives one, for the signature rules.
        let now = Some(1_767_225_600);
        for plain in [
            Settings {
                now,
                ..Settings::default()
            },
            Settings {
                now,
                ..Settings::strict()
            },
        ] {
            let with_senders = Settings {
                senders: senders.clone(),
                ..plain.clone()
            };
            for rule in registry::rules() {
                let meta = rule.meta();
                let settings = if NEEDS_SENDERS.contains(&meta.code.code) {
                    &with_senders
                } else {
                    &plain
                };
                let (base, _) = codes(BASE, settings);
                if settings.resolve(meta).is_none() {
                    continue;
                }
                // A rule that already fires on the base zone (COV008: the base's senders
                // publish no DKIM) must fire more often on its example, and not more often
                // on the corrected one.
                let own = |text: &str| count(text, settings, meta.code.code);
                let base_own = own(BASE);
                let (bad, _) = codes(&compose(meta.doc.example), settings);
                let mut new: BTreeSet<_> = bad.difference(&base).copied().collect();
                new.retain(|c| *c == meta.code.code || !AMBIENT.contains(c));
                if base.contains(meta.code.code) && own(&compose(meta.doc.example)) > base_own {
                    new.insert(meta.code.code);
                }
                for (code, also) in ALSO_FIRES {
                    if *code == meta.code.code {
                        new.retain(|c| !also.contains(c));
                    }
                }
                new.retain(|c| !noted_also(meta.code.code).contains(c));
                if new != BTreeSet::from([meta.code.code]) {
                    failures.push(format!(
                        "{} (strict: {}): the example fires {new:?}",
                        meta.code.code, settings.strict
                    ));
                }
                let (good, _) = codes(&compose(meta.doc.use_instead), settings);
                let mut new: BTreeSet<_> = good.difference(&base).copied().collect();
                new.retain(|c| !AMBIENT.contains(c));
                if own(&compose(meta.doc.use_instead)) > base_own {
                    new.insert(meta.code.code);
                }
                new.retain(|c| !noted_also(meta.code.code).contains(c));
                if !new.is_empty() {
                    failures.push(format!(
                        "{} (strict: {}): the corrected example fires {new:?}",
                        meta.code.code, settings.strict
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "documented examples that do not fire exactly their rule:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in registry::rules() {
            let meta = rule.meta();
            let doc = &meta.doc;
            for (section, text) in [
                ("what", doc.what),
                ("why", doc.why),
                ("example", doc.example),
                ("use instead", doc.use_instead),
                ("fix safety", doc.fix_safety),
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "{} has no `{section}` section",
                    meta.code.code
                );
            }
            assert!(
                !doc.references.is_empty(),
                "{} cites no reference",
                meta.code.code
            );
        }
    }
}

#[cfg(test)]
mod context_tests {
    use super::test_support::parse;
    use super::*;
    use zonelint_zone::Name;

    /// The domain of a selector or BIMI name is found below the first proper ancestor
    /// with the label, whatever its case; the name's own first label does not count.
    #[test]
    fn domains_below_a_label() {
        let below = |name: &str, label: &[u8]| {
            below_label(&Name::from_ascii(name).unwrap(), label).map(|n| n.to_string())
        };
        let domainkey = b"_domainkey".as_slice();
        assert_eq!(
            below("s1._domainkey.example.com.", domainkey).as_deref(),
            Some("example.com.")
        );
        assert_eq!(
            below("a.b._DomainKey.mail.example.", domainkey).as_deref(),
            Some("mail.example.")
        );
        assert_eq!(
            below("x._domainkey._domainkey.example.", domainkey).as_deref(),
            Some("_domainkey.example.")
        );
        assert_eq!(below("_domainkey.example.com.", domainkey), None);
        assert_eq!(below("www.example.com.", domainkey), None);
        assert_eq!(
            below("default._bimi.example.", b"_bimi").as_deref(),
            Some("example.")
        );
    }

    /// `spf_of` (by name position, from a list made once) finds the records `spf_at`
    /// (by name) finds, for every name of the zone; `position_of` knows the zone's facts
    /// and no other index's.
    #[test]
    fn spf_of_finds_what_spf_at_finds() {
        let zone = parse(
            "t.zone",
            "example.com.",
            "@ SOA ns hm 1 2 3 4 5\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.1\nmail TXT \"v=spf1 a -all\"\nMAIL TXT \"v=spf1 mx -all\"\nother TXT \"hello\"\nwww TXT \"v=spf1 ip4:192.0.2.1 -all\"\nmail SPF \"v=spf1 a -all\"\nsub.mail TXT \"spf2.0/pra -all\"\nout.example.org. TXT \"v=spf1 -all\"\n",
            0,
        );
        let other = parse(
            "u.zone",
            "example.com.",
            "@ SOA ns hm 1 2 3 4 5\nmail A 192.0.2.1\n",
            1,
        );
        let origin = zonelint_zone::Name::from_ascii("example.com.").unwrap();
        let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin.clone())]);
        let elsewhere = ZoneIndex::build(&other, origin);
        let texts = crate::mail::MailTexts::read(&set);
        let mail = MailSet::parse(&texts);
        let settings = Settings::default();
        let discovery = Discovery::new(&set, &mail, &settings);
        let views = LintViews::new(1);
        let cx = ZoneContext {
            set: &set,
            zone: &set.zones()[0],
            settings: &settings,
            mail: &mail,
            position: 0,
            discovery: &discovery,
            views: &views,
            names: NameChunk::all(&set.zones()[0]),
        };
        let spans =
            |entries: Vec<&SpfEntry<'_>>| entries.iter().map(|e| e.txt.span()).collect::<Vec<_>>();
        let mut found = 0;
        for (at, facts) in cx.zone.names().enumerate() {
            assert_eq!(cx.zone.position_of(facts), Some(at));
            let by_name = spans(mail.zones[0].spf_at(facts.name).collect());
            assert_eq!(spans(cx.spf_of(facts).collect()), by_name, "{}", facts.name);
            found += by_name.len();
        }
        // mail (three, one of type 99), www, the apex, sub.mail (Sender ID).
        assert_eq!(found, 6);
        assert!(elsewhere
            .names()
            .all(|facts| cx.zone.position_of(facts).is_none()));
    }
}
