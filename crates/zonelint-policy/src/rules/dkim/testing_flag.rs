//! DKIM007 `dkim-testing-flag`.

use super::key_records;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A key published in testing mode (`t=y`).
pub struct TestingFlag;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM007", slug: "dkim-testing-flag" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a DKIM key in testing mode (`t=y`)",
    doc: RuleDoc {
        what: "Reports a DKIM key record whose `t=` flags include `y`: the domain is testing DKIM.",
        why: "Verifiers MUST NOT treat messages from a domain in testing mode differently from unsigned mail (RFC 6376 §3.6.1): the signatures protect nothing, and under DMARC `p=reject` the mail is judged on SPF alone.",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519; t=y; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: leaving testing mode is a decision to take once signing has been seen to work (removing `y` from `t=` is the change).",
        references: &["RFC 6376 §3.6.1 (t=)"],
    },
};

impl Rule for TestingFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for key in key_records(cx) {
            if !key.record().has_flag("y") {
                continue;
            }
            let Some(flags) = key.record().flags() else {
                continue;
            };
            let owner = key.txt.owner;
            sink.report(flags.span, format!("the key at {owner} is in testing mode (`t=y`): verifiers must treat its signatures like no signature"))
                .help("Remove `y` from `t=` once signatures verify (check the DMARC aggregate reports)")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn keys_in_testing_mode() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; t=y; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; t=s:y; p={ED25519}\"\ns3._domainkey TXT \"v=DKIM1; k=ed25519; t=s; p={ED25519}\"\n"),
            &["DKIM007"],
        ));
    }
}
