//! SPF028 `spf-type99`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An SPF record published as RR type 99.
pub struct Type99;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF028", slug: "spf-type99" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an SPF record of RR type 99, which receivers never query",
    doc: RuleDoc {
        what: "Reports every record of RR type 99 (SPF). It is an error when no TXT record at the name has the same text, since the name's effective SPF is then different from (or absent beside) what the type-99 record says.",
        why: "SPF is published as TXT only (RFC 7208 §3.1); type 99 is obsolete (§14.1) and receivers never look at it. A type-99 record that differs from the TXT one misleads whoever reads the zone, and one without a TXT twin means the name has no SPF at all.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\nshop SPF \"v=spf1 ip4:192.0.2.25 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "No fix yet (deleting the record is safe only when a TXT twin exists).",
        references: &["RFC 7208 §3.1", "RFC 7208 §14.1"],
    },
};

impl Rule for Type99 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for txt in mail.texts.iter().filter(|t| t.rtype == RType::SPF) {
            let owner = txt.owner;
            let twins: Vec<_> = mail.selected_spf_at(owner).map(|e| e.txt).collect();
            let same = twins
                .iter()
                .any(|t| t.text.as_bytes() == txt.text.as_bytes());
            let (default, strict, message) = if same {
                (
                    Level::Warning,
                    Level::Error,
                    format!("{owner} publishes its SPF record also as RR type 99, which receivers never query"),
                )
            } else if twins.is_empty() {
                (
                    Level::Error,
                    Level::Error,
                    format!("{owner} publishes SPF only as RR type 99, which receivers never query: the name has no SPF record"),
                )
            } else {
                (
                    Level::Error,
                    Level::Error,
                    format!("the type-99 SPF record of {owner} differs from its TXT record; receivers use only the TXT one"),
                )
            };
            let help = if twins.is_empty() {
                "Publish the record as TXT and delete the type-99 record"
            } else {
                "Delete the type-99 record; only TXT is used"
            };
            if let Some(mut report) = sink.report_graded(default, strict, txt.span(), message) {
                report = report.help(help).owner(owner);
                if !same {
                    if let Some(twin) = twins.first() {
                        report = report.related(twin.span(), "the TXT record receivers use");
                    }
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn type99_warns_when_equal_and_errs_otherwise() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 -all\"\na SPF \"v=spf1 -all\"\nb TXT \"v=spf1 -all\"\nb SPF \"v=spf1 mx -all\"\nc SPF \"v=spf1 -all\"\n",
            &["SPF028"],
        ));
    }

    #[test]
    fn txt_alone_does_not_fire() {
        assert_eq!(lint_snippet("a TXT \"v=spf1 -all\"\n", &["SPF028"]), "");
    }
}
