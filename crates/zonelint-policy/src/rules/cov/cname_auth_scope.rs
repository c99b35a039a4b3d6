//! COV010 `cov-cname-auth-scope`.

use super::exempt_from_coverage;
use super::spf_missing::{cname_target, first_span, relative_form};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef};

/// A name aliased out of the loaded zones: its SPF is the target's, its DMARC and DKIM
/// are not.
pub struct CnameAuthScope;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV010", slug: "cov-cname-auth-scope" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: false,
    summary: "CNAME'd name: SPF follows the target, DMARC and DKIM do not",
    doc: RuleDoc {
        what: "Notes every name of the zone that is an alias (CNAME), directly or through aliases in the loaded zones, of a name outside the loaded zones: its SPF record is whatever that target publishes, which the linter cannot see. (When the target is loaded, COV001 checks its SPF.) The note also says that DMARC and DKIM do not follow the alias.",
        why: "A TXT query at an alias follows the CNAME, so the name's SPF is the target's (RFC 1034 §3.6.2), and a provider changing its record changes who may send as the name. `_dmarc.<name>` and `<selector>._domainkey.<name>` are other owner names that the CNAME does not redirect: DMARC for the name is its own `_dmarc` record or the organizational domain's `sp` (RFC 9989 §4.10), never the target's.",
        example: "www CNAME shop.saas.example.\n",
        use_instead: "www CNAME web\nweb A 192.0.2.80\nweb MX 0 .\nweb TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the note explains, nothing is wrong.",
        references: &["RFC 1034 §3.6.2", "RFC 2181 §10.1", "RFC 9989 §4.10"],
    },
};

impl Rule for CnameAuthScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for facts in cx.names() {
            if exempt_from_coverage(zone, facts) {
                continue;
            }
            let Some(first_target) = cname_target(zone, facts) else {
                continue;
            };
            let Some(external) = external_end(cx, first_target) else {
                continue;
            };
            let name = facts.name;
            let relative = relative_form(name, &zone.origin);
            let through = if external == first_target {
                String::new()
            } else {
                text![" (through ", first_target, ")"]
            };
            sink.report(first_span(zone, facts), text![name, " is an alias of ", external, through, ", outside the loaded zones: its SPF record is whatever ", external, " publishes, but DMARC and DKIM for ", name, " do not follow the alias"])
                .help(text!["SPF for ", relative, " is whatever ", external, " publishes; DMARC for ", relative, " is `_dmarc.", relative, "` or the organizational domain's `sp`, and DKIM keys are looked up at `<selector>._domainkey.", relative, "`"])
                .owner(name);
        }
    }
}

/// Follows aliases from `target` through the loaded zones (at most 8) and returns the
/// first name outside them; `None` when the chain ends inside (COV001 checks it there) or
/// dangles (ZONE013).
fn external_end<'a>(cx: &ZoneContext<'a>, target: &'a NameRef) -> Option<&'a NameRef> {
    let mut current = target;
    for _ in 0..8 {
        let Some(found) = cx.set.lookup(current) else {
            // Outside the loaded zones, unless below a delegation of one of them (the
            // child's data, which no loaded zone answers for either).
            return Some(current);
        };
        let facts = found.facts?;
        current = cname_target(found.zone, facts)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_snippet};

    #[test]
    fn aliases_out_of_the_loaded_zones_are_noted() {
        insta::assert_snapshot!(lint_snippet(
            "www CNAME shop.saas.example.\nold CNAME alias\nalias CNAME legacy.saas.example.\n",
            &["COV010"],
        ));
    }

    #[test]
    fn aliases_inside_the_loaded_zones_are_not_noted() {
        assert_eq!(
            lint_snippet(
                "www CNAME web\nweb A 192.0.2.80\nweb TXT \"v=spf1 -all\"\n_dmarc.shop CNAME _dmarc.saas.example.\ns1._domainkey CNAME s1.dkim.saas.example.\nchild NS ns1.example.net.\nx.child CNAME out.example.net.\n",
                &["COV010"],
            ),
            ""
        );
        let other = "@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\nshop A 192.0.2.7\n";
        assert_eq!(
            check_zones(
                "COV010",
                &[
                    ("example.com.", "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\nwww CNAME shop.example.org.\n"),
                    ("example.org.", other),
                ]
            ),
            ""
        );
    }
}
