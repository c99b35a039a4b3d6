//! SPF014 `spf-ptr`.

use super::selected;
use crate::grammar::spf::Mechanism;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// The `ptr` mechanism, which SHOULD NOT be published.
pub struct Ptr;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF014", slug: "spf-ptr" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "the `ptr` mechanism",
    doc: RuleDoc {
        what: "Reports every `ptr` mechanism in an SPF record.",
        why: "RFC 7208 §5.5: \"This mechanism SHOULD NOT be published.\" It is slow, unreliable (it depends on reverse DNS the sender may not control, and on DNS errors), and puts a heavy load on the .arpa name servers; some large receivers skip it, so the hosts it was meant to authorize fail.",
        example: "shop TXT \"v=spf1 ptr -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "No fix: the addresses the `ptr` stood for are not in the zone file.",
        references: &["RFC 7208 §5.5", "RFC 7208 §4.6.4"],
    },
};

impl Rule for Ptr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            for (term, directive) in entry.record.directives() {
                if !matches!(directive.mechanism, Mechanism::Ptr(_)) {
                    continue;
                }
                let owner = entry.txt.owner;
                sink.report(
                    term.span(),
                    format!("`{}` in the SPF record of {owner} relies on reverse DNS: slow, unreliable and discouraged", String::from_utf8_lossy(term.text())),
                )
                .help("`ptr` SHOULD NOT be published (RFC 7208 §5.5); list the senders with `ip4:`/`ip6:` or `a`")
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn every_ptr_fires() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 a mx ptr ptr:example.net -all\"\n",
            &["SPF014"],
        ));
    }

    #[test]
    fn names_containing_ptr_do_not_fire() {
        assert_eq!(
            lint_snippet("shop TXT \"v=spf1 a:ptr.example.net -all\"\n", &["SPF014"]),
            ""
        );
    }
}
