//! DMARC026 `dmarc-foreign-txt`.

use super::{answered, is_dmarc_name, is_near_miss};
use crate::grammar::{dmarc, spf};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A TXT record at a `_dmarc` name that is not a DMARC record.
pub struct ForeignTxt;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC026", slug: "dmarc-foreign-txt" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "non-DMARC TXT (an SPF record, a verification token) at a `_dmarc` name",
    doc: RuleDoc {
        what: "Reports a TXT record at a `_dmarc` name the zone serves that is not a DMARC record: an SPF record, a site-verification token, any other text. Records meant as DMARC that do not start with `v=DMARC1` are DMARC003's.",
        why: "Receivers discard every TXT record at `_dmarc.<domain>` that does not start with `v=DMARC1` (RFC 9989 §4.10 step 2; RFC 7489 §6.6.3), so the record does nothing there. An SPF record at `_dmarc` is usually a copy-paste into the wrong name, and some receivers and checkers treat unrelated TXT beside the policy as an error (checkdmarc raises `SPFRecordFoundWhereDMARCRecordShouldBe`).",
        example: "_dmarc TXT \"v=spf1 -all\"\n",
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: the record may belong somewhere else (an SPF record at the domain itself, a token at its own name).",
        references: &["RFC 9989 §4.10", "RFC 7489 §6.6.3", "RFC 8552"],
    },
};

impl Rule for ForeignTxt {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for txt in mail
            .texts
            .iter()
            .filter(|t| is_dmarc_name(t.owner) && answered(cx.zone, t))
        {
            let bytes = txt.text.as_bytes();
            if dmarc::looks_like_dmarc(bytes) || is_near_miss(txt).is_some() {
                continue;
            }
            let owner = txt.owner;
            let span = txt.text.whole_span();
            let (what, help) = if spf::classify_version(bytes) == spf::SpfVersion::NotSpf {
                (
                    "a TXT record that is not DMARC",
                    "Move it to the name it belongs to; `_dmarc` should hold only the DMARC record"
                        .to_owned(),
                )
            } else {
                let domain = owner.parent().map_or_else(String::new, |d| d.to_string());
                (
                    "an SPF record",
                    format!("Remove it; SPF for {domain} belongs at {domain} itself"),
                )
            };
            sink.report(span, format!("{what} at {owner}: receivers discard it, and some checkers report unrelated TXT beside the DMARC policy as an error"))
                .help(help)
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn spf_and_other_text_at_dmarc_names() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc TXT \"v=spf1 -all\"\n_dmarc.news TXT \"google-site-verification=abc\"\n",
            &["DMARC026"],
            false,
        ));
    }

    #[test]
    fn dmarc_near_misses_other_names_and_occluded_data_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc TXT \"p=reject; v=DMARC1\"\n_dmarc.a TXT \"V=dmarc1; p=none\"\nx TXT \"hello\"\nchild NS ns1.example.net.\n_dmarc.child TXT \"v=spf1 -all\"\n_dmarc.b SPF \"v=spf1 -all\"\nexample.com._report._dmarc TXT \"hello\"\n",
            &["DMARC026"],
            false,
        );
        assert_eq!(found, "");
    }
}
