//! ZONE022 `zone-default-ttl`.

use crate::rules::targets::owner_span;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix, RType, RecordRef, Span, TtlSource};

/// Records with no TTL while no `$TTL` is in force.
pub struct DefaultTtl;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE022", slug: "zone-default-ttl" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "record with no TTL and no `$TTL` in force",
    doc: RuleDoc {
        what: "Reports the first record of a zone that has no TTL of its own while no `$TTL` directive is in force (once per zone: the others are in the same situation). Such a record takes the TTL of the record before it (RFC 1035 §5.1) or, for the first one, the SOA minimum (BIND's fallback, with a warning).",
        why: "Since RFC 2308 §4 the SOA minimum field is the negative-caching TTL, not a default TTL, and zone files are expected to start with `$TTL`. Without it a record's TTL depends on whichever record happens to come before it, so moving a line changes how long resolvers cache it, and servers disagree: BIND warns and uses the SOA minimum, other servers refuse the record.",
        example: "$ORIGIN example.com.\n@ 3600 SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "Safe when every record concerned is in one file and gets the same TTL: the fix puts `$TTL <that TTL>` at the top of that file, which keeps every TTL as it is. Otherwise no fix.",
        references: &["RFC 2308 §4", "RFC 1035 §5.1"],
    },
};

fn is_defaulted(record: &RecordRef<'_>) -> bool {
    matches!(
        record.ttl_source(),
        TtlSource::Previous | TtlSource::SoaMinimum
    )
}

impl Rule for DefaultTtl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        // A record before any SOA that takes "the SOA minimum" had no TTL to take at all:
        // the parser reports that (PARSE006).
        let mut seen_soa = false;
        let mut defaulted = zone.zone.records().filter(|record| {
            seen_soa |= record.rtype() == RType::SOA;
            is_defaulted(record) && (seen_soa || record.ttl_source() != TtlSource::SoaMinimum)
        });
        let Some(first) = defaulted.next() else {
            return;
        };
        let ttl = first.ttl().seconds();
        let source = first.span().source;
        let (mut others, mut one_value, mut one_file) = (false, true, true);
        for record in defaulted {
            others = true;
            one_value &= record.ttl().seconds() == ttl;
            one_file &= record.span().source == source;
        }
        let from = match first.ttl_source() {
            TtlSource::SoaMinimum => "the SOA minimum",
            _ => "the record before it",
        };
        // No count: fixes of other rules may add records, and the message should not change.
        let more = if others {
            "; the other records with no TTL before any `$TTL` are in the same case"
        } else {
            ""
        };
        let owner = first.owner().to_name();
        let report = sink
            .report(
                owner_span(&first),
                format!("{} record at {owner} has no TTL and no `$TTL` is in force: it gets TTL {ttl} from {from}{more}", first.rtype()),
            )
            .help(format!("Put `$TTL {ttl}` (or the TTL you want) at the top of the file; the SOA minimum is the negative-caching TTL, not a default"))
            .owner(owner);
        if one_value && one_file {
            // After a byte-order mark, which must stay first.
            let bom = zone.zone.sources.slice(Span::new(source, 0, 3)) == b"\xEF\xBB\xBF";
            let at = if bom { 3 } else { 0 };
            report.fix(Fix {
                applicability: Applicability::Safe,
                message: format!("Insert `$TTL {ttl}` at the top of the file"),
                edits: vec![Edit {
                    span: Span::new(source, at, at),
                    content: format!("$TTL {ttl}\n"),
                }],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn records_without_ttl_or_directive_fire_once_with_a_fix() {
        let zone =
            "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";
        insta::assert_snapshot!(check("ZONE022", zone), @r"
        2:1 ZONE022 NS record at example.com. has no TTL and no `$TTL` is in force: it gets TTL 3600 from the record before it; the other records with no TTL before any `$TTL` are in the same case
          help: Put `$TTL 3600` (or the TTL you want) at the top of the file; the SOA minimum is the negative-caching TTL, not a default
          fix (safe): Insert `$TTL 3600` at the top of the file
            1:1 `$TTL 3600
        `
        ");
    }

    #[test]
    fn the_soa_minimum_fallback_fires_without_a_fix_when_ttls_differ() {
        let zone = "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 60 NS ns1\nns1 A 192.0.2.53\n";
        insta::assert_snapshot!(check("ZONE022", zone), @r"
        1:1 ZONE022 SOA record at example.com. has no TTL and no `$TTL` is in force: it gets TTL 300 from the SOA minimum; the other records with no TTL before any `$TTL` are in the same case
          help: Put `$TTL 300` (or the TTL you want) at the top of the file; the SOA minimum is the negative-caching TTL, not a default
        ");
    }

    #[test]
    fn the_fix_goes_after_a_byte_order_mark() {
        let zone = "\u{feff}@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n";
        let settings = crate::Settings {
            select: vec![crate::Selector("ZONE022".to_owned())],
            ..crate::Settings::default()
        };
        let found = crate::rules::test_support::lint_with(zone, &settings);
        assert!(found.contains("+ \u{feff}$TTL 3600"), "{found}");
    }

    #[test]
    fn a_ttl_directive_or_explicit_ttls_do_not_fire() {
        assert_eq!(check("ZONE022", &head()), "");
        let explicit =
            "@ 60 SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 60 NS ns1\nns1 60 A 192.0.2.53\n";
        assert_eq!(check("ZONE022", explicit), "");
        let later = "$TTL 60\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n$TTL 300\nns1 A 192.0.2.53\n";
        assert_eq!(check("ZONE022", later), "");
    }
}
