//! DMARC028 `dmarc-wildcard`.

use super::{answered, is_dmarc_name, is_report_authorization};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A wildcard TXT record holding a DMARC record.
pub struct Wildcard;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC028", slug: "dmarc-wildcard" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "a wildcard TXT contains `v=DMARC1`",
    doc: RuleDoc {
        what: "Reports a DMARC record at a wildcard name (`*`, `*.sub`). The report-authorization wildcard `*._report._dmarc.<host>` is meant that way and not reported; `*._dmarc` is DMARC020's.",
        why: "A wildcard answers for every name below its parent that does not exist (RFC 4592 §3.3.1), `_dmarc.<name>` included: receivers then find this record as the own policy of every non-existent subdomain (RFC 9989 §4.10), overriding the organizational domain's `np` and `sp` for exactly the names spammers make up.",
        example: "* TXT \"v=DMARC1; p=none\"\n",
        use_instead: "* TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix yet.",
        references: &["RFC 4592 §3.3.1", "RFC 9989 §4.10", "RFC 9989 §4.7"],
    },
};

impl Rule for Wildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for entry in mail.dmarc.iter().filter(|e| answered(cx.zone, e.txt)) {
            let owner = entry.txt.owner;
            let Some(parent) = owner.parent() else {
                continue;
            };
            if !owner.is_wildcard() || is_dmarc_name(parent) || is_report_authorization(owner) {
                continue;
            }
            let span = cx
                .zone
                .zone
                .record(entry.txt.record as usize)
                .map(|r| r.owner_span())
                .filter(|s| !s.is_empty())
                .unwrap_or(entry.txt.span());
            sink.report(span, format!("the wildcard {owner} holds a DMARC record, which receivers find at `_dmarc.<name>` for every non-existent name under {parent}: it overrides the organizational policy there"))
                .help("Remove it; publish DMARC only at `_dmarc` names (`np` covers non-existent names)")
                .related(entry.txt.text.whole_span(), format!("the answer to `_dmarc.<anything>.{parent}` when `<anything>` does not exist"))
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn wildcard_dmarc_records() {
        insta::assert_snapshot!(lint_snippet(
            "* TXT \"v=DMARC1; p=none\"\n*.shop TXT \"v=DMARC1; p=reject\"\n",
            &["DMARC028"],
        ));
    }

    #[test]
    fn wildcard_spf_and_report_authorizations_are_not_reported() {
        let found = lint_snippet(
            "* TXT \"v=spf1 -all\"\n*._report._dmarc TXT \"v=DMARC1\"\n*._dmarc TXT \"v=DMARC1; p=reject\"\n",
            &["DMARC028"],
        );
        assert_eq!(found, "");
    }
}
