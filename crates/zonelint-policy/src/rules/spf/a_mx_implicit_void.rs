//! SPF034 `spf-a-mx-implicit-void`.

use super::{analysis, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{TargetKind, TermRole};
use zonelint_zone::Code;

/// A bare `a` or `mx` at a name without the records it looks up.
pub struct AMxImplicitVoid;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF034", slug: "spf-a-mx-implicit-void" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "a bare `a` or `mx` at a name with no address or no MX record",
    doc: RuleDoc {
        what: "Reports an evaluated `a` or `mx` without a domain (it looks up the record's own name) when that name, CNAMEs and wildcards followed, has no A and no AAAA record (`a`) or no MX record (`mx`). Named targets (`a:host`) are SPF019's.",
        why: "A bare `a` or `mx` means the current domain (RFC 7208 §5.3, §5.4): copied from the apex to a name without addresses or MX, or served to many names through a CNAME, it matches nothing and is a void lookup that counts against the 10 lookups and the 2 void lookups of §4.6.4.",
        example: "www TXT \"v=spf1 a mx -all\"\nwww A 192.0.2.80\n",
        use_instead: "www TXT \"v=spf1 a -all\"\nwww A 192.0.2.80\n",
        fix_safety: "No fix: whether the term or the missing records are the mistake is the owner's choice.",
        references: &["RFC 7208 §5.3", "RFC 7208 §5.4", "RFC 7208 §4.6.4"],
    },
};

impl Rule for AMxImplicitVoid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let analysis = analysis(cx);
        let analysis = &*analysis;
        for (id, entry) in selected(cx) {
            let Some(evaluation) = analysis.evaluation(id) else {
                continue;
            };
            let owner = entry.txt.owner;
            for term in evaluation.terms.iter().filter(|t| t.implicit) {
                let TargetKind::InZone(_) = term.target else {
                    continue;
                };
                let missing = match term.role {
                    TermRole::A if term.void_ip4 && term.void_ip6 => "no A or AAAA record",
                    TermRole::Mx if term.void_ip4 => "no MX record",
                    _ => continue,
                };
                sink.report(
                    term.span,
                    format!("bare `{}` in the SPF record of {owner} looks up {owner} itself, which has {missing}: it matches nothing and is a void lookup", term.text),
                )
                .help("Remove terms that resolve to nothing, or name the host that sends (`a:host`, `mx:domain`)")
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn bare_terms_at_names_without_the_records_fire() {
        insta::assert_snapshot!(lint_snippet(
            "www TXT \"v=spf1 a mx -all\"\nwww A 192.0.2.80\nnothing TXT \"v=spf1 a mx -all\"\n",
            &["SPF034"],
        ));
    }

    #[test]
    fn answering_names_named_targets_and_wildcards_do_not_fire() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 a mx -all\"\nshop AAAA 2001:db8::1\nshop MX 10 shop\nv6 TXT \"v=spf1 a -all\"\nv6 AAAA 2001:db8::2\nnamed TXT \"v=spf1 a:gone.example.com -all\"\n*.w TXT \"v=spf1 a -all\"\n*.w A 192.0.2.9\n",
            &["SPF034"],
        );
        assert_eq!(found, "");
    }
}
