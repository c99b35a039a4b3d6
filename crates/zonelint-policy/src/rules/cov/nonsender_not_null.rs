//! COV004 `cov-nonsender-not-null`.

use super::{authorizing_term, exempt_from_coverage};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix};

/// A name not declared as a sender whose SPF authorizes senders.
pub struct NonsenderNotNull;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV004", slug: "cov-nonsender-not-null" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "a name that is not a declared sender authorizes senders in its SPF",
    doc: RuleDoc {
        what: "Only when `senders` is configured: reports SPF records at names not listed as senders that authorize anything (a mechanism that passes, or a `redirect=`). Without `senders` the rule is silent: a zone file cannot tell who sends mail.",
        why: "Every authorization is a way to send as the name. Names that send nothing should say exactly that, `v=spf1 -all`, so that nothing can pass SPF as them (RFC 7208 §10.1.2; M3AAWG and internet.nl give the same advice for non-sending names).",
        example: "old A 192.0.2.5\nold TXT \"v=spf1 a -all\"\n",
        use_instead: "old A 192.0.2.5\nold TXT \"v=spf1 -all\"\n",
        fix_safety: "Replaces the record's text with `\"v=spf1 -all\"`: unsafe, since mail the record authorizes today would fail.",
        references: &["RFC 7208 §10.1.2", "M3AAWG Protecting Parked Domains BCP (2015)"],
    },
};

impl Rule for NonsenderNotNull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        if cx.settings.senders.is_none() {
            return;
        }
        let zone = cx.zone;
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for entry in mail.spf.iter().filter(|e| e.is_selected()) {
            let name = entry.txt.owner;
            if cx.settings.is_sender(name) {
                continue;
            }
            let Some((_, facts)) = zone.owner_of(entry.txt.record) else {
                continue;
            };
            if exempt_from_coverage(zone, facts) {
                continue;
            }
            let Some(span) = authorizing_term(&entry.record) else {
                continue;
            };
            let shown = String::from_utf8_lossy(zone.zone.sources.slice(span)).into_owned();
            let mut report = sink
                .report(span, format!("{name} is not a declared sender, but its SPF record authorizes senders with `{shown}`"))
                .help("Publish exactly `v=spf1 -all` for names that send no mail, or add the name to `senders`")
                .owner(name);
            let record = zone.zone.record(entry.txt.record as usize);
            if let Some(record) = record {
                report = report.fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: "Replace the record with `\"v=spf1 -all\"`".to_owned(),
                    edits: vec![Edit {
                        span: record.rdata_span(),
                        content: "\"v=spf1 -all\"".to_owned(),
                    }],
                });
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_with, APEX};
    use crate::{Selector, Settings};
    use zonelint_zone::Name;

    fn settings(senders: Option<&[&str]>) -> Settings {
        Settings {
            select: vec![Selector("COV004".to_owned())],
            senders: senders.map(|s| s.iter().map(|n| Name::from_ascii(n).unwrap()).collect()),
            ..Settings::default()
        }
    }

    const ZONE: &str = "mail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\nold A 192.0.2.5\nold TXT \"v=spf1 ip4:192.0.2.5 include:_spf.example.net ~all\"\nweb A 192.0.2.6\nweb TXT \"v=spf1 -all\"\nlegacy TXT \"v=spf1 redirect=_spf.example.net\"\n";

    #[test]
    fn silent_without_senders() {
        assert_eq!(lint_with(&format!("{APEX}{ZONE}"), &settings(None)), "");
    }

    #[test]
    fn non_senders_that_authorize_are_reported() {
        insta::assert_snapshot!(lint_with(
            &format!("{APEX}{ZONE}"),
            &settings(Some(&["mail.example.com."]))
        ));
    }
}
