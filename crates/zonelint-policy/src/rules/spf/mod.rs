//! SPF: the Sender Policy Framework records of every name (RFC 7208).
//!
//! Every rule here reads the records `mail.rs` parsed once per lint; the rules that need
//! the include/redirect tree (lookup and void limits, loops, missing and permissive
//! targets) share one [`SpfAnalysis`] computed once per lint (`spf_eval.rs`).

pub mod a_mx_implicit_void;
pub mod all_repeated;
pub mod domain_spec_invalid;
pub mod duplicate_modifier;
pub mod exists_constant;
pub mod exp_target;
pub mod external_target;
pub mod include_loop;
pub mod include_permissive;
pub mod include_semantics;
pub mod include_target_no_spf;
pub mod lookup_headroom;
pub mod lookup_limit;
pub mod macro_syntax;
pub mod multiple_records;
pub mod mx_too_many_hosts;
pub mod neutral_all;
pub mod no_terminal;
pub mod non_ascii;
pub mod nonpublic_address;
pub mod on_underscore_name;
pub mod overbroad_network;
pub mod p_macro;
pub mod plus_all;
pub mod ptr;
pub mod redirect_with_all;
pub mod redundant_term;
pub mod rrset_size;
pub mod senderid;
pub mod softfail_all;
pub mod string_join;
pub mod syntax;
mod term_edit;
pub mod terms_after_all;
pub mod type99;
pub mod unknown_modifier;
pub mod version_malformed;
pub mod void_limit;

use crate::grammar::spf::{Directive, JoinPlacement, Mechanism, Qualifier, SpfProblem, Term};
use crate::grammar::RecordText;
use crate::mail::SpfEntry;
use crate::rules::cov::has_underscore_label;
use crate::rules::text::text;
use crate::rules::ZoneContext;
use crate::spf_eval::{EvaluatedTerm, RecordId, SpfAnalysis};
use std::ops::Range;
use std::sync::Arc;
use zonelint_zone::{Applicability, Edit, Fix};

/// The SPF records receivers select in the zone being checked (TXT, `v=spf1`), with
/// their ids in the analysis.
pub(crate) fn selected<'a>(
    cx: &ZoneContext<'a>,
) -> impl Iterator<Item = (RecordId, &'a SpfEntry<'a>)> + 'a {
    let zone = cx.position;
    cx.zone_mail()
        .into_iter()
        .flat_map(|mail| mail.spf.iter().enumerate())
        .filter(|(_, e)| e.is_selected())
        .map(move |(entry, e)| (RecordId::new(zone, entry), e))
}

/// The shared evaluation of every SPF record of the set: made by the first rule that
/// asks (the others wait for it), kept while rules that read it run (see
/// [`crate::rules::Rule::reads_spf_analysis`]).
pub(crate) fn analysis(cx: &ZoneContext<'_>) -> Arc<SpfAnalysis> {
    let Ok(mut slot) = cx.views.spf_analysis.lock() else {
        // Only a rule that panicked while making it leaves the lock poisoned; the lint
        // fails with that panic, and this one is made for the asker alone.
        return Arc::new(SpfAnalysis::build(cx.set, cx.mail));
    };
    if let Some(analysis) = &slot.analysis {
        return Arc::clone(analysis);
    }
    // Asked for once freed: a rule reads it without saying so (a test runs them all).
    debug_assert!(
        slot.runs_left != Some(0),
        "the SPF analysis is asked for after it was freed"
    );
    let analysis = Arc::new(SpfAnalysis::build(cx.set, cx.mail));
    slot.made += 1;
    slot.analysis = Some(Arc::clone(&analysis));
    analysis
}

/// Whether a range of the joined text has a join strictly inside it (its span then
/// covers the quotes between strings, so it cannot be replaced as one piece).
pub(crate) fn crosses_join(text: &RecordText, range: &Range<usize>) -> bool {
    text.joins()
        .iter()
        .any(|j| range.start < j.offset && j.offset < range.end)
}

/// The first `all` of a record that is evaluated, with its term, if its qualifier is
/// `qualifier` (the written one, or `+` when none is written).
pub(crate) fn first_all<'e, 't>(
    entry: &'e SpfEntry<'t>,
    qualifier: Qualifier,
) -> Option<(&'e Term<'t>, &'e Directive<'t>)> {
    entry.record.all().filter(|(_, d)| {
        d.effective_qualifier() == qualifier && matches!(d.mechanism, Mechanism::All)
    })
}

/// The fix that turns an `all` term into `-all` (unsafe: mail that passes or is neutral
/// today will fail), when the term does not cross a string join.
pub(crate) fn to_fail_all(entry: &SpfEntry<'_>, term: &Term<'_>) -> Option<Fix> {
    if crosses_join(&entry.txt.text, &term.range.range()) {
        return None;
    }
    let written = String::from_utf8_lossy(term.text());
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: text!["Replace `", written, "` with `-all`"],
        edits: vec![Edit {
            span: term.span(),
            content: "-all".to_owned(),
        }],
    })
}

/// The grammar's problems of `entry` that map to `code`.
pub(crate) fn problems_of<'e>(
    entry: &'e SpfEntry<'_>,
    code: &'static str,
) -> impl Iterator<Item = &'e SpfProblem> + 'e {
    entry.problems.iter().filter(move |p| p.kind.code() == code)
}

/// Whether the record is published only to be included: its owner is an underscore name
/// (no mail domain, RFC 8552) and loaded records reach it by `include:`, never by
/// `redirect=`. Its `all` decides no one's result (RFC 7208 §5.2), so advice about how it
/// ends is noise.
pub(crate) fn include_target_only(
    analysis: &SpfAnalysis,
    id: RecordId,
    entry: &SpfEntry<'_>,
) -> bool {
    let reached = analysis.reached(id);
    reached.by_include && !reached.by_redirect && has_underscore_label(entry.txt.owner)
}

/// Whether the record is published only as a target: an underscore name that loaded
/// records include or redirect to. A record there that passes everyone is reported once,
/// at the include (SPF005), where the damage is.
pub(crate) fn target_only(analysis: &SpfAnalysis, id: RecordId, entry: &SpfEntry<'_>) -> bool {
    let reached = analysis.reached(id);
    (reached.by_include || reached.by_redirect) && has_underscore_label(entry.txt.owner)
}

/// Whether a problem lies in a term that a string join glued or broke: SPF027 reports
/// the cause there, so the grammar rules do not report the symptom again.
pub(crate) fn caused_by_join(entry: &SpfEntry<'_>, problem: &SpfProblem) -> bool {
    entry.record.joins.iter().any(|join| {
        let (JoinPlacement::MergedTerms { term } | JoinPlacement::InvalidToken { term }) =
            join.placement
        else {
            return false;
        };
        entry
            .record
            .terms
            .get(term)
            .is_some_and(|t| t.span().contains(problem.span))
    })
}

/// Reports every selected record whose evaluated `all` has `qualifier`, with the unsafe
/// fix to `-all`; records published only to be included are exempt (their `all` decides
/// no one's result, RFC 7208 §5.2). The shared body of SPF002 (`?all`) and SPF003 (`~all`).
pub(crate) fn report_weak_all(
    cx: &crate::rules::ZoneContext<'_>,
    sink: &mut crate::rules::Sink<'_>,
    qualifier: Qualifier,
    message: impl Fn(&zonelint_zone::NameRef) -> String,
    help: &str,
) {
    let analysis = analysis(cx);
    let analysis = &*analysis;
    for (id, entry) in selected(cx) {
        let Some((term, _)) = first_all(entry, qualifier) else {
            continue;
        };
        if include_target_only(analysis, id, entry) {
            continue;
        }
        let owner = entry.txt.owner;
        let mut report = sink
            .report(term.span(), message(owner))
            .help(help)
            .owner(owner);
        if let Some(fix) = to_fail_all(entry, term) {
            report = report.fix(fix);
        }
        drop(report);
    }
}

/// The owner of the SPF record `id`, as messages name it (empty for an id that names
/// none: never, for ids the analysis gave).
pub(crate) fn owner_text(cx: &crate::rules::ZoneContext<'_>, id: RecordId) -> String {
    cx.mail
        .spf_owner(id)
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The terms of a path [`SpfAnalysis::crossing`] found, with the record each is in.
pub(crate) fn path_steps<'a>(
    analysis: &'a SpfAnalysis,
    path: &[(RecordId, usize)],
) -> Vec<(RecordId, &'a EvaluatedTerm)> {
    path.iter()
        .filter_map(|&(record, index)| {
            Some((record, analysis.evaluation(record)?.terms.get(index)?))
        })
        .collect()
}

/// Adds, as related spans, the path through the include tree to the term that crosses a
/// limit: "included from here" for each include on the way, and `crossing` (e.g.
/// "lookup 11") for the term itself. `steps` starts at the reported record's own term.
pub(crate) fn with_path_to<'s>(
    cx: &crate::rules::ZoneContext<'_>,
    mut report: crate::rules::Report<'s>,
    steps: &[(RecordId, &EvaluatedTerm)],
    crossing: &str,
) -> crate::rules::Report<'s> {
    let deepest = steps.len().saturating_sub(1);
    for (position, &(record, term)) in steps.iter().enumerate().skip(1) {
        // Records from the snapshot file have no place in the zone files to show; the
        // message names where the crossing is.
        if record.in_snapshot() {
            continue;
        }
        let message = if position == deepest {
            format!(
                "{crossing}: `{}` in the SPF record of {}",
                term.text,
                owner_text(cx, record)
            )
        } else {
            format!(
                "included from here: `{}` in the SPF record of {}",
                term.text,
                owner_text(cx, record)
            )
        };
        report = report.related(term.span, message);
    }
    report
}
