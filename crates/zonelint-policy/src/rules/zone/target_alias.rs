//! ZONE011 `zone-target-alias`.

use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::{target, Resolution};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An NS or SRV target that is a CNAME.
pub struct TargetAlias;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE011", slug: "zone-target-alias" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "NS or SRV target that is a CNAME",
    doc: RuleDoc {
        what: "Reports an NS or SRV record whose target is a CNAME (or is answered by a wildcard CNAME) in any zone linted together. MX exchanges are MX003's.",
        why: "NS targets must not be aliases (RFC 2181 §10.3), and an SRV target must be a name with address records, never an alias (RFC 2782, \"Target\"). Resolvers and clients that honour this ignore the record; glue and additional-section processing do not follow CNAMEs.",
        example: "sub NS dns.example.com.\ndns CNAME ns1.example.com.\n",
        use_instead: "sub NS ns1.example.com.\n",
        fix_safety: "No fix: pointing at the CNAME's target instead is usually right, but the alias may exist so the target can move.",
        references: &["RFC 2181 §10.3", "RFC 2782"],
    },
};

impl Rule for TargetAlias {
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
            for record in zone.records_of_any(facts, &[RType::NS, RType::SRV]) {
                let rtype = record.rtype();
                if !is_served(place, rtype) {
                    continue;
                }
                let Some(target) = target(&record) else {
                    continue;
                };
                if target.is_root() {
                    continue;
                }
                let name = target.name;
                let resolution = Resolution::of(cx.set, name);
                let Some((answering_zone, answering)) = resolution.answering() else {
                    continue;
                };
                let Some(cname) = answering_zone.records_of(answering, RType::CNAME).next() else {
                    continue;
                };
                let alias_target = crate::rules::targets::target(&cname)
                    .map(|t| t.name)
                    .map_or_else(|| "its target".to_owned(), |n| n.to_string());
                sink.report(
                    target.span(),
                    format!("{rtype} target {name} is a CNAME (to {alias_target}); an {rtype} target must be a host name with addresses"),
                )
                .help(format!("Point the {rtype} at {alias_target} (the canonical name) instead of the alias"))
                .related(cname.type_span(), format!("{} CNAME here", answering.name))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_zones, head, srv};

    #[test]
    fn ns_and_srv_targets_that_are_aliases_fire() {
        let zone = format!(
            "{}sub NS dns\ndns CNAME ns1\n_sip._tcp {}\nsip CNAME host.example.net.\n*.wild CNAME ns1\n_x._tcp {}\n",
            head(),
            srv("sip.example.com."),
            srv("a.wild.example.com.")
        );
        insta::assert_snapshot!(check("ZONE011", &zone), @r"
        7:8 ZONE011 NS target dns.example.com. is a CNAME (to ns1.example.com.); an NS target must be a host name with addresses
          help: Point the NS at ns1.example.com. (the canonical name) instead of the alias
          related 8:5: dns.example.com. CNAME here
        9:23 ZONE011 SRV target sip.example.com. is a CNAME (to host.example.net.); an SRV target must be a host name with addresses
          help: Point the SRV at host.example.net. (the canonical name) instead of the alias
          related 10:5: sip.example.com. CNAME here
        12:21 ZONE011 SRV target a.wild.example.com. is a CNAME (to ns1.example.com.); an SRV target must be a host name with addresses
          help: Point the SRV at ns1.example.com. (the canonical name) instead of the alias
          related 11:8: *.wild.example.com. CNAME here
        ");
    }

    #[test]
    fn an_alias_in_another_loaded_zone_fires() {
        let zones = [
            ("example.com.", "$TTL 60\n@ NS ns.example.org.\n"),
            (
                "example.org.",
                "$TTL 60\n@ NS ns1.example.net.\nns CNAME host.example.net.\n",
            ),
        ];
        insta::assert_snapshot!(check_zones("ZONE011", &zones), @r"
        example.com.zone:2:6 ZONE011 NS target ns.example.org. is a CNAME (to host.example.net.); an NS target must be a host name with addresses
          help: Point the NS at host.example.net. (the canonical name) instead of the alias
          related example.org.zone:3:4: ns.example.org. CNAME here
        ");
    }

    #[test]
    fn host_targets_and_no_service_do_not_fire() {
        let zone = format!(
            "{}sub NS ns1\n_sip._tcp {}\n_none._tcp {}\nwww CNAME ns1\n",
            head(),
            srv("ns1.example.com."),
            srv(".")
        );
        assert_eq!(check("ZONE011", &zone), "");
    }
}
