//! COV009 `cov-parent-policy-unknown`.

use crate::discovery::Lookup;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A zone below its organizational domain, with no DMARC of its own and the parent's
/// policy unknown.
pub struct ParentPolicyUnknown;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV009", slug: "cov-parent-policy-unknown" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "the zone's DMARC coverage depends on a parent zone that is not linted",
    doc: RuleDoc {
        what: "Reports a zone whose apex is not an organizational domain (it lies below one, by the public-suffix list or `org-domains`), has no `_dmarc` record of its own, and whose organizational domain is neither linted alongside it nor described by `parent-dmarc`.",
        why: "Its names inherit the organizational domain's `sp`/`np` (RFC 9989 §4.10.1), which zonelint cannot see offline: their DMARC coverage is unknown, not absent.",
        example: "$ORIGIN dept.example.ac.uk.\n$TTL 3600\n@ SOA ns1.example.ac.uk. hostmaster.example.ac.uk. 1 7200 3600 1209600 3600\n@ NS ns1.example.ac.uk.\n@ NS ns2.example.ac.uk.\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN dept.example.ac.uk.\n$TTL 3600\n@ SOA ns1.example.ac.uk. hostmaster.example.ac.uk. 1 7200 3600 1209600 3600\n@ NS ns1.example.ac.uk.\n@ NS ns2.example.ac.uk.\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.ac.uk\"\n",
        fix_safety: "No fix: pass `--parent-dmarc` (or `parent-dmarc` in zonelint.toml), lint the parent zone alongside, or publish `_dmarc` in this zone.",
        references: &["RFC 9989 §4.10, §4.10.1", "RFC 7489 §3.2, §6.6.3"],
    },
};

impl Rule for ParentPolicyUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let apex = &zone.origin;
        let discovery = cx.discovery;
        let Some(org) = discovery.organizational_domain(apex) else {
            return;
        };
        if org == apex || !apex.is_at_or_below(org) {
            return;
        }
        if !matches!(discovery.lookup(apex), Lookup::Nothing | Lookup::Several(_)) {
            return;
        }
        if !matches!(discovery.lookup(org), Lookup::Unknown) {
            return;
        }
        let span = zone
            .apex()
            .and_then(|a| {
                zone.records_of(a, RType::SOA)
                    .next()
                    .or_else(|| zone.records(a).next())
            })
            .map_or(
                zone.apex().map(|a| zone.first_span(a)).unwrap_or_default(),
                |r| r.owner_span().cover(r.type_span()),
            );
        sink.report(span, format!("{apex} lies below the organizational domain {org}, which is not linted: the DMARC policy of its names is {org}'s `sp`/`np`, unknown here"))
            .help(format!("Pass `--parent-dmarc \"<{org}'s record>\"` (or `parent-dmarc` in zonelint.toml), lint {org} alongside, or publish `_dmarc` in this zone"))
            .owner(apex.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_zones;

    const CHILD: &str = "$TTL 3600\n@ SOA ns1.example.ac.uk. hm.example.ac.uk. 1 7200 3600 1209600 3600\n@ NS ns1.example.ac.uk.\nwww A 192.0.2.1\n";

    #[test]
    fn a_zone_below_an_unlinted_org_domain() {
        insta::assert_snapshot!(check_zones("COV009", &[("dept.example.ac.uk.", CHILD)]));
    }

    #[test]
    fn quiet_for_org_domains_own_records_and_loaded_parents() {
        assert_eq!(check_zones("COV009", &[("example.ac.uk.", CHILD)]), "");
        let with_own = format!("{CHILD}_dmarc TXT \"v=DMARC1; p=reject\"\n");
        assert_eq!(
            check_zones("COV009", &[("dept.example.ac.uk.", &with_own)]),
            ""
        );
        let parent = "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc TXT \"v=DMARC1; p=reject\"\ndept NS ns1.dept\nns1.dept A 192.0.2.54\n";
        assert_eq!(
            check_zones(
                "COV009",
                &[("example.ac.uk.", parent), ("dept.example.ac.uk.", CHILD)]
            ),
            ""
        );
    }
}
