//! ZONE013 `zone-target-dangling`.

use crate::rules::delegation::{is_served, places_of};
use crate::rules::mx::target_suspicious::is_ip_literal;
use crate::rules::targets::{target, Resolution};
use crate::rules::zone::doubled_origin::doubled_at;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An in-zone NS, SRV, CNAME or DNAME target with no data.
pub struct TargetDangling;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE013", slug: "zone-target-dangling" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "in-zone NS, SRV, CNAME or DNAME target with no data at all",
    doc: RuleDoc {
        what: "Reports an NS, SRV, CNAME or DNAME target inside a zone linted together that does not exist there and that no wildcard answers for; for NS, SRV and CNAME also a target that exists only as an empty non-terminal. Targets below a delegation belong to the child and are not checked; a target that ends in the origin twice is ZONE016's, and an NS or SRV target that is an IP address ZONE012's.",
        why: "A CNAME to a name that does not exist answers NXDOMAIN (RFC 1034 §3.6.2); an NS or SRV target without data gives resolvers and clients no address to use. The name is usually misspelt, or its records were removed and the pointer was forgotten: a dangling CNAME is also how subdomains get taken over.",
        example: "www CNAME nothere.example.com.\n",
        use_instead: "www CNAME mail.example.com.\n",
        fix_safety: "No fix: the right target, or whether the pointer should go, is the operator's call.",
        references: &["RFC 1034 §3.6.2", "RFC 2181 §10.3", "RFC 2782", "RFC 6672 §2.4"],
    },
};

impl Rule for TargetDangling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for (facts, place) in places_of(zone, cx.names()) {
            let kinds = &[RType::NS, RType::SRV, RType::CNAME, RType::DNAME];
            for record in zone.records_of_any(facts, kinds) {
                let rtype = record.rtype();
                if !is_served(place, rtype) {
                    continue;
                }
                let Some(target) = target(&record) else {
                    continue;
                };
                // A doubled origin is ZONE016's, an address written as a name ZONE012's.
                if target.is_root()
                    || doubled_at(target.name.as_wire(), &zone.origin).is_some()
                    || (rtype != RType::CNAME
                        && rtype != RType::DNAME
                        && is_ip_literal(target.name.as_wire(), &zone.origin))
                {
                    continue;
                }
                let name = target.name;
                let (why, authority) = match Resolution::of(cx.set, name) {
                    Resolution::External | Resolution::Wildcard(..) => continue,
                    // A DNAME redirects a subtree: an empty non-terminal target has one.
                    Resolution::Exists(_, found)
                        if !found.is_empty_non_terminal() || rtype == RType::DNAME =>
                    {
                        continue
                    }
                    Resolution::Exists(zone, _) => {
                        ("exists only as an empty non-terminal (no records)", zone)
                    }
                    Resolution::Missing(zone) => ("does not exist", zone),
                };
                sink.report(
                    target.span(),
                    format!("{rtype} target {name} {why} in zone {}", authority.origin),
                )
                .help(format!(
                    "Fix the spelling of the target, add records at {name}, or remove this {rtype}"
                ))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_zones, head, lint_text, srv};

    #[test]
    fn targets_that_do_not_exist_fire() {
        let zone = format!(
            "{}www CNAME nothere\nsub NS ns9\nold DNAME gone\n_sip._tcp {}\nftp CNAME a.b\nx.a.b A 192.0.2.1\n",
            head(),
            srv("sip.example.com.")
        );
        insta::assert_snapshot!(check("ZONE013", &zone), @r"
        7:11 ZONE013 CNAME target nothere.example.com. does not exist in zone example.com.
          help: Fix the spelling of the target, add records at nothere.example.com., or remove this CNAME
        8:8 ZONE013 NS target ns9.example.com. does not exist in zone example.com.
          help: Fix the spelling of the target, add records at ns9.example.com., or remove this NS
        9:11 ZONE013 DNAME target gone.example.com. does not exist in zone example.com.
          help: Fix the spelling of the target, add records at gone.example.com., or remove this DNAME
        10:23 ZONE013 SRV target sip.example.com. does not exist in zone example.com.
          help: Fix the spelling of the target, add records at sip.example.com., or remove this SRV
        11:11 ZONE013 CNAME target a.b.example.com. exists only as an empty non-terminal (no records) in zone example.com.
          help: Fix the spelling of the target, add records at a.b.example.com., or remove this CNAME
        ");
    }

    #[test]
    fn a_missing_target_in_another_loaded_zone_fires() {
        let zones = [
            (
                "example.com.",
                "$TTL 60\n@ NS ns1.example.org.\nwww CNAME web.example.org.\n",
            ),
            ("example.org.", "$TTL 60\n@ NS ns1\nns1 A 192.0.2.1\n"),
        ];
        insta::assert_snapshot!(check_zones("ZONE013", &zones), @r"
        example.com.zone:3:11 ZONE013 CNAME target web.example.org. does not exist in zone example.org.
          help: Fix the spelling of the target, add records at web.example.org., or remove this CNAME
        ");
    }

    #[test]
    fn existing_wildcard_external_and_delegated_targets_do_not_fire() {
        let zone = format!(
            "{}www CNAME ns1\n*.w A 192.0.2.1\nv CNAME anything.w\next CNAME host.example.net.\nsub NS ns.elsewhere.example.net.\nc CNAME deep.sub\nold DNAME tree\nleaf.tree A 192.0.2.2\n_none._tcp {}\nself CNAME @\n",
            head(),
            srv(".")
        );
        assert_eq!(check("ZONE013", &zone), "");
    }

    #[test]
    fn a_doubled_origin_target_is_reported_once_by_zone016() {
        let zone = format!("{}www CNAME host.example.com\n", head());
        let all = lint_text(&zone);
        assert!(all.contains("ZONE016"), "{all}");
        assert!(!all.contains("ZONE013"), "{all}");
    }

    #[test]
    fn records_below_a_cut_are_not_checked() {
        let zone = format!("{}sub NS ns1\nx.sub CNAME nothere\n", head());
        assert_eq!(check("ZONE013", &zone), "");
    }
}
