//! SPF003 `spf-softfail-all`.

use super::report_weak_all;
use crate::grammar::spf::Qualifier;
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// `~all`: unlisted hosts soft-fail instead of failing.
pub struct SoftfailAll;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF003", slug: "spf-softfail-all" },
    default: Level::Info,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "`~all`: unlisted hosts soft-fail instead of failing",
    doc: RuleDoc {
        what: "Reports an SPF record whose evaluated `all` is `~all`.",
        why: "`softfail` is a weak statement (RFC 7208 §8.5): receivers accept the mail and at most mark it, so abuse and mistakes end up silently in spam folders instead of being refused at SMTP. With `-all` (and DMARC `p=reject`) they surface as rejections, the lesson of the incident behind zonelint. Records published only to be included (underscore names that loaded records include) are exempt: their `all` decides no one's result (§5.2).",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 ~all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "Replaces `~all` with `-all`. Unsafe: mail from unlisted hosts will be rejected instead of marked.",
        references: &["RFC 7208 §2.1", "RFC 7208 §8.5"],
    },
};

impl Rule for SoftfailAll {
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
            Qualifier::SoftFail,
            |owner| text!["`~all` only soft-fails mail from unlisted hosts sending as ", owner, ": receivers accept it and may file it as spam"],
            "Prefer `-all` so that unauthorized mail fails visibly (and, with DMARC p=reject, is refused at SMTP)",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn softfail_all_fires_with_a_fix() {
        insta::assert_snapshot!(lint_snippet("shop TXT \"v=spf1 mx ~all\"\n", &["SPF003"]));
    }

    #[test]
    fn fail_all_does_not_fire() {
        assert_eq!(
            lint_snippet("shop TXT \"v=spf1 mx -all ~all\"\n", &["SPF003"]),
            ""
        );
    }
}
