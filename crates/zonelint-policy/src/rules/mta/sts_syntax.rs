//! MTA001 `mta-sts-syntax`.

use super::{describe_tag_list, transport_places, Transport};
use crate::grammar::mta_sts::{self, MtaStsProblemKind};
use crate::rules::dkim::written;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix, Span};

/// `_mta-sts` that does not hold exactly one valid `v=STSv1; id=…` record.
pub struct StsSyntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MTA001", slug: "mta-sts-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Sometimes,
    first_release: false,
    summary: "`_mta-sts` not exactly one `v=STSv1; id=<1–32 alnum>`",
    doc: RuleDoc {
        what: "Reports the TXT records at `_mta-sts.<domain>` unless exactly one of them is a valid MTA-STS record: `v=STSv1` first (case-sensitive), an `id` of 1 to 32 letters or digits, fields as `name=value` separated by `;`. Also reports records that were meant as MTA-STS (`v=stsv1`) but are discarded, and a name whose TXT records include none that starts with `v=STSv1`.",
        why: "Senders discard records that do not begin with `v=STSv1;`; if the number left is not exactly one, or that one is invalid, they assume the domain has no MTA-STS policy (RFC 8461 §3.1), so mail to it silently goes without the enforced TLS the operator meant to require. The `id` tells senders when to fetch the policy again; `-`, `:` and `.` are not allowed in it.",
        example: "_mta-sts TXT \"v=STSv1; id=2024-01-01\"\nmta-sts A 192.0.2.80\nmta-sts TXT \"v=spf1 -all\"\nmta-sts MX 0 .\n",
        use_instead: "_mta-sts TXT \"v=STSv1; id=20240101\"\nmta-sts A 192.0.2.80\nmta-sts TXT \"v=spf1 -all\"\nmta-sts MX 0 .\n",
        fix_safety: "For an invalid `id`, a safe fix keeps its letters and digits (the first 32): senders only compare ids, and a changed id at most makes them fetch the policy once more. Other problems have no fix.",
        references: &["RFC 8461 §3.1"],
    },
};

impl Rule for StsSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for place in transport_places(cx, Transport::MtaSts) {
            let owner = place.facts.name;
            let attempts: Vec<_> = place
                .texts
                .iter()
                .filter(|t| Transport::MtaSts.is_attempt(t.text.as_bytes()))
                .collect();
            if attempts.is_empty() {
                if let Some(first) = place.texts.first() {
                    sink.report(first.span(), format!("no TXT record at {owner} starts with `v=STSv1`, so senders find no MTA-STS policy for {}", place.domain))
                        .help("Publish `v=STSv1; id=<1–32 letters or digits>`, or remove the name if the domain has no MTA-STS policy")
                        .owner(owner);
                }
                continue;
            }
            for txt in &attempts {
                let (_, problems) = mta_sts::parse(&txt.text);
                for problem in &problems {
                    let text = written(zone, problem.span);
                    let (message, help, related) = describe(&problem.kind, &text, owner);
                    let mut report = sink
                        .report(
                            problem.span,
                            format!(
                                "{message}; senders then assume {} has no MTA-STS policy",
                                place.domain
                            ),
                        )
                        .help(help)
                        .owner(owner);
                    if let Some(span) = related {
                        report = report.related(span, "first written here");
                    }
                    if let MtaStsProblemKind::IdInvalid = problem.kind {
                        if let Some(fix) = id_fix(&text, problem.span) {
                            report = report.fix(fix);
                        }
                    }
                    drop(report);
                }
            }
            let exact: Vec<_> = attempts
                .iter()
                .filter(|t| mta_sts::looks_like_mta_sts(t.text.as_bytes()))
                .collect();
            if let Some((first, rest)) = exact.split_first() {
                let count = exact.len();
                for extra in rest {
                    sink.report(extra.span(), format!("{count} MTA-STS records at {owner}; with more than one, senders assume {} has no MTA-STS policy", place.domain))
                        .help("Keep exactly one `v=STSv1` record")
                        .related(first.span(), "the first MTA-STS record")
                        .owner(owner);
                }
            }
        }
    }
}

fn describe(
    kind: &MtaStsProblemKind,
    text: &str,
    owner: &zonelint_zone::NameRef,
) -> (String, String, Option<Span>) {
    match kind {
        MtaStsProblemKind::TagList(problem) => describe_tag_list(problem, text, "MTA-STS", owner),
        MtaStsProblemKind::Version => (
            format!("the MTA-STS record at {owner} starts with `{text}`, not exactly `v=STSv1` (case-sensitive)"),
            "Start the record with `v=STSv1;`".to_owned(),
            None,
        ),
        MtaStsProblemKind::IdMissing => (
            format!("the MTA-STS record at {owner} has no `id` field"),
            "Add `id=` with 1–32 letters or digits, changed whenever the policy changes (e.g. `id=20260101T000000`)".to_owned(),
            None,
        ),
        MtaStsProblemKind::IdInvalid => (
            format!("`id={text}` in the MTA-STS record at {owner} is not 1–32 letters or digits"),
            "id must be 1–32 letters or digits (no `-`, `:` or `.`)".to_owned(),
            None,
        ),
        MtaStsProblemKind::DuplicateId { first } => (
            format!("`{text}` is a second `id` field in the MTA-STS record at {owner}"),
            "Keep one `id`".to_owned(),
            Some(*first),
        ),
        MtaStsProblemKind::SpacedEquals => (
            format!("whitespace around `=` in `{text}` in the MTA-STS record at {owner}"),
            "Write `name=value` with no spaces around `=`".to_owned(),
            None,
        ),
        MtaStsProblemKind::ExtensionValue => (
            format!("extension field value `{text}` in the MTA-STS record at {owner} is empty or holds `=`"),
            "Extension values are printable ASCII except `=` and `;`".to_owned(),
            None,
        ),
    }
}

/// The id's letters and digits (the first 32), when that leaves any and the id is
/// written in one piece (no escapes or string joins inside it).
fn id_fix(written: &str, span: Span) -> Option<Fix> {
    if written.contains(['\\', '"']) {
        return None;
    }
    let id: String = written
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    if id.is_empty() {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("Use `id={id}`"),
        edits: vec![Edit { span, content: id }],
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    const HOST: &str = "mta-sts A 192.0.2.80\nmta-sts TXT \"v=spf1 -all\"\nmta-sts MX 0 .\n";

    #[test]
    fn invalid_records_are_reported_at_the_field() {
        insta::assert_snapshot!(lint_snippet(
            &format!("{HOST}_mta-sts TXT \"v=STSv1; id=2024-01-01\"\n_mta-sts.shop TXT \"v=STSv1;\"\n_mta-sts.old TXT \"v=stsv1; id=1\"\n_mta-sts.x TXT \"v=STSv1; id=1; id=2\"\n"),
            &["MTA001"],
        ));
    }

    #[test]
    fn several_records_or_none_are_reported() {
        insta::assert_snapshot!(lint_snippet(
            &format!("{HOST}_mta-sts TXT \"v=STSv1; id=1\"\n_mta-sts TXT \"v=STSv1; \" \"id=2\"\n_mta-sts.shop TXT \"hello\"\n"),
            &["MTA001"],
        ));
    }

    #[test]
    fn valid_records_do_not_fire() {
        assert_eq!(
            lint_snippet(
                &format!("{HOST}_mta-sts TXT \"v=STSv1; id=20240101T000000;\"\n_mta-sts TXT \"site-verification=abc\"\n_mta-sts.shop TXT \"v=STSv1; \" \"id=abc; ext-1.x=value\"\nchild NS ns1.example.net.\n_mta-sts.child TXT \"v=STSv1; id=a-b\"\n"),
                &["MTA001"],
            ),
            ""
        );
    }
}
