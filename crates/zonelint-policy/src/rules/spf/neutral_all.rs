//! SPF002 `spf-neutral-all`.

use super::report_weak_all;
use crate::grammar::spf::Qualifier;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// `?all`: the record ends neutral, as if it said nothing.
pub struct NeutralAll;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF002", slug: "spf-neutral-all" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "`?all`: unlisted hosts get `neutral`, which is no policy",
    doc: RuleDoc {
        what: "Reports an SPF record whose evaluated `all` is `?all`.",
        why: "`neutral` means the domain makes no assertion about the client (RFC 7208 §8.2): receivers must treat it exactly like `none`, so forged mail from any host that is not listed is judged as if the name had no SPF record. Records published only to be included (underscore names that loaded records include) are exempt: their `all` decides no one's result (§5.2).",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 ?all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "Replaces `?all` with `-all`. Unsafe: mail from unlisted hosts will fail instead of being neutral.",
        references: &["RFC 7208 §2.1", "RFC 7208 §8.2"],
    },
};

impl Rule for NeutralAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_weak_all(
            cx,
            sink,
            Qualifier::Neutral,
            |owner| {
                format!("`?all` makes every unlisted host `neutral` for {owner}, which receivers treat like no SPF record")
            },
            "End the record with `-all`",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn neutral_all_fires_with_a_fix() {
        insta::assert_snapshot!(lint_snippet("shop TXT \"v=spf1 mx ?all\"\n", &["SPF002"]));
    }

    #[test]
    fn an_included_underscore_record_is_exempt() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 ?all\"\nx TXT \"v=spf1 -all ?all\"\n",
            &["SPF002"],
        );
        assert_eq!(found, "");
    }
}
