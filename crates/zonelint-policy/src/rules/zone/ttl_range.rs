//! ZONE019 `zone-ttl-range`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix, RType, TtlSource};

/// TTLs above the configured maximum, and zero TTLs on SOA and NS.
pub struct TtlRange;

/// The maximum the strict profile applies when `max-ttl` is not configured: one week.
pub const STRICT_MAX_TTL: u32 = 604_800;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE019", slug: "zone-ttl-range" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "TTL above the configured maximum, or 0 on SOA/NS",
    doc: RuleDoc {
        what: "Reports a TTL above the maximum configured with `max-ttl` (in the strict profile one week, 604800 seconds, when not configured; no maximum otherwise), and a TTL of 0 on an SOA or NS record. Records that inherit an over-long TTL from `$TTL` or an earlier record are reported once, at the first of them.",
        why: "A TTL is how long resolvers may keep a record (RFC 2181 §8); an over-long one makes any change, such as a new MX or a tightened SPF, take that long to reach everyone, and resolvers cap it anyway (BIND's `max-cache-ttl` defaults to one week). A zero TTL on NS means the delegation is never cached, so every lookup goes back to the parent; on the SOA it turns off negative caching, since a negative answer is cached for the lower of the SOA's TTL and its minimum field (RFC 2308 §5).",
        example: "sub 0 NS ns1.example.com.\nsub 0 NS ns2.example.com.\n",
        use_instead: "sub NS ns1.example.com.\nsub NS ns2.example.com.\n",
        fix_safety: "An unsafe fix lowers an explicit TTL over the maximum to the maximum; how long records should be cached is the operator's call. No fix for a zero TTL or an inherited one.",
        references: &["RFC 2181 §8", "RFC 2308 §5", "RFC 1035 §3.2.1"],
    },
};

impl Rule for TtlRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let maximum = cx
            .settings
            .max_ttl
            .or(cx.settings.strict.then_some(STRICT_MAX_TTL));
        let mut inherited_reported = false;
        for record in zone.zone.records() {
            let ttl = record.ttl().seconds();
            let rtype = record.rtype();
            let span = record.ttl_span().unwrap_or_else(|| record.type_span());
            if ttl == 0 && matches!(rtype, RType::SOA | RType::NS) {
                let owner = record.owner().to_name();
                let why = if rtype == RType::SOA {
                    "negative answers from this zone are then never cached"
                } else {
                    "resolvers then never cache it and ask again for every lookup"
                };
                sink.report(span, format!("{rtype} record at {owner} has TTL 0: {why}"))
                    .help(format!("Give the {rtype} record the TTL of the zone's other records (`$TTL`), e.g. 3600"))
                    .owner(owner);
                continue;
            }
            let Some(maximum) = maximum.filter(|&m| ttl > m) else {
                continue;
            };
            let explicit = record.ttl_source() == TtlSource::Explicit;
            if !explicit {
                if inherited_reported {
                    continue;
                }
                inherited_reported = true;
            }
            let owner = record.owner().to_name();
            let from = match record.ttl_source() {
                TtlSource::Explicit => "",
                TtlSource::Directive => " (from `$TTL`)",
                TtlSource::Previous => " (from the record before it)",
                TtlSource::SoaMinimum => " (from the SOA minimum)",
            };
            let mut report = sink
                .report(
                    span,
                    format!("{rtype} record at {owner} has TTL {ttl}{from}, above the maximum of {maximum} seconds: a change to it takes that long to reach every resolver"),
                )
                .owner(owner);
            if explicit {
                report = report
                    .help(format!("Lower the TTL to {maximum} seconds or less"))
                    .fix(Fix {
                        applicability: Applicability::Unsafe,
                        message: format!("Lower the TTL to {maximum}"),
                        edits: vec![Edit {
                            span,
                            content: maximum.to_string(),
                        }],
                    });
            } else {
                report = report.help(format!(
                    "Lower the `$TTL` (or the TTL this record inherits) to {maximum} seconds or less; every record that inherits it is concerned"
                ));
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, lint_with, soa};
    use crate::Settings;

    #[test]
    fn zero_ttls_on_soa_and_ns_fire() {
        let zone = format!(
            "$TTL 3600\n@ 0 {}\n@ 0 NS ns1\n@ NS ns2\nwww 0 A 192.0.2.1\n",
            soa(1)
        );
        insta::assert_snapshot!(check("ZONE019", &zone), @r"
        2:3 ZONE019 SOA record at example.com. has TTL 0: negative answers from this zone are then never cached
          help: Give the SOA record the TTL of the zone's other records (`$TTL`), e.g. 3600
        3:3 ZONE019 NS record at example.com. has TTL 0: resolvers then never cache it and ask again for every lookup
          help: Give the NS record the TTL of the zone's other records (`$TTL`), e.g. 3600
        ");
    }

    #[test]
    fn no_maximum_in_the_default_profile() {
        let zone = format!("{}www 2147483647 A 192.0.2.1\n", head());
        assert_eq!(check("ZONE019", &zone), "");
    }

    #[test]
    fn the_strict_profile_caps_at_one_week_and_reports_an_inherited_ttl_once() {
        let zone = format!(
            "$TTL 1209600\n@ {}\n@ NS ns1\n@ NS ns2\nns1 604800 A 192.0.2.53\nns2 604801 A 198.51.100.53\n",
            soa(1)
        );
        let settings = Settings {
            select: vec![crate::Selector("ZONE019".to_owned())],
            ..Settings::strict()
        };
        insta::assert_snapshot!(lint_with(&zone, &settings), @r"
        2:3 ZONE019 error `SOA` SOA record at example.com. has TTL 1209600 (from `$TTL`), above the maximum of 604800 seconds: a change to it takes that long to reach every resolver
            help: Lower the `$TTL` (or the TTL this record inherits) to 604800 seconds or less; every record that inherits it is concerned
        6:5 ZONE019 error `604801` A record at ns2.example.com. has TTL 604801, above the maximum of 604800 seconds: a change to it takes that long to reach every resolver
            help: Lower the TTL to 604800 seconds or less
            fix (unsafe): Lower the TTL to 604800
              + ns2 604800 A 198.51.100.53
        ");
    }

    #[test]
    fn a_configured_maximum_applies_in_the_default_profile() {
        let zone = format!("{}www 86401 A 192.0.2.1\nftp 86400 A 192.0.2.2\n", head());
        let settings = Settings {
            select: vec![crate::Selector("ZONE019".to_owned())],
            max_ttl: Some(86_400),
            ..Settings::default()
        };
        insta::assert_snapshot!(lint_with(&zone, &settings), @r"
        7:5 ZONE019 warning `86401` A record at www.example.com. has TTL 86401, above the maximum of 86400 seconds: a change to it takes that long to reach every resolver
            help: Lower the TTL to 86400 seconds or less
            fix (unsafe): Lower the TTL to 86400
              + www 86400 A 192.0.2.1
        ");
    }
}
