//! ZONE025 `zone-type-obsolete`.

use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::rdata::view;
use zonelint_zone::{Code, RType, RecordRef};

/// Records of obsolete types.
pub struct TypeObsolete;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE025", slug: "zone-type-obsolete" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "obsolete record type (A6, MD, MF, WKS, NULL, NXT, SIG, DNSSEC KEY)",
    doc: RuleDoc {
        what: "Reports records of obsolete types: A6, MD, MF, WKS, NULL, NXT and SIG, and KEY records with the zone-key flag (old DNSSEC zone keys). KEY without that flag, used for SIG(0) and TKEY, is not reported. MAILA and MAILB are query types, which the parser already refuses in a zone file.",
        why: "A6 was moved to Historic in favour of AAAA (RFC 6563); MD and MF were replaced by MX (RFC 973, RFC 1035 §3.3.4, §3.3.5); WKS is not used by applications (RFC 1123 §6.1.3.6; use SRV); NULL is experimental and not allowed in master files (RFC 1035 §3.3.10); NXT, SIG and zone KEYs were DNSSEC's first version, replaced by NSEC, RRSIG and DNSKEY (RFC 3755 §3), and SIG and KEY kept only for SIG(0) and TKEY, which never put a SIG in a zone. Resolvers and clients ignore these records, so whatever they were meant to publish is not published.",
        example: "host A6 \\# 17 00 20010db8000000000000000000000001\nhost TXT \"v=spf1 -all\"\n",
        use_instead: "host AAAA 2001:db8::1\nhost TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the replacement record (AAAA, MX, SRV, DNSKEY) needs data the obsolete record does not carry in the same form.",
        references: &["RFC 6563", "RFC 6895 §3.1", "RFC 1035 §3.3.4", "RFC 1035 §3.3.10", "RFC 1123 §6.1.3.6", "RFC 3755 §3"],
    },
};

/// The DNSKEY flag that marks a zone key (RFC 4034 §2.1.1; the same bit in KEY).
const ZONE_KEY_FLAG: u16 = 0x0100;

/// Why `record`'s type is obsolete and what replaces it (its RDATA is read only for a
/// KEY record's).
fn replacement(record: &RecordRef<'_>) -> Option<&'static str> {
    Some(match record.rtype() {
        RType::A6 => "A6 is historic (RFC 6563); publish the address as AAAA",
        RType::MD | RType::MF => "MD and MF were replaced by MX (RFC 973); publish an MX record",
        RType::WKS => "WKS is not used by clients (RFC 1123 §6.1.3.6); publish SRV records for services",
        RType::NULL => "NULL is experimental and not allowed in master files (RFC 1035 §3.3.10); remove it",
        RType::NXT => "NXT was replaced by NSEC (RFC 3755); re-sign the zone with a current signer",
        RType::SIG => "SIG was replaced by RRSIG for zone data (RFC 3755); re-sign the zone with a current signer",
        RType::KEY if view::dnskey(&record.rdata()).is_some_and(|key| key.flags & ZONE_KEY_FLAG != 0) => {
            "A KEY with the zone-key flag was replaced by DNSKEY (RFC 3755); publish the key as DNSKEY"
        }
        _ => return None,
    })
}

impl Rule for TypeObsolete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn checks_records(&self) -> bool {
        true
    }

    fn check_record(&self, cx: &RecordContext<'_>, sink: &mut Sink<'_>) {
        let record = cx.record;
        let rtype = record.rtype();
        let Some(why) = replacement(&record) else {
            return;
        };
        let owner = record.owner().to_name();
        sink.report(
            record.type_span(),
            format!(
                "{rtype} record at {owner} is an obsolete type that resolvers and clients ignore"
            ),
        )
        .help(why)
        .owner(owner);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn obsolete_types_fire() {
        let zone = format!(
            "{}h A6 \\# 17 00 20010db8000000000000000000000001\n@ MD mail\n@ MF mail\nh WKS 192.0.2.1 6 25\nh NULL \\# 1 00\nh KEY 256 3 13 {}\n",
            head(),
            "AAAA".repeat(16)
        );
        insta::assert_snapshot!(check("ZONE025", &zone), @r"
        7:3 ZONE025 A6 record at h.example.com. is an obsolete type that resolvers and clients ignore
          help: A6 is historic (RFC 6563); publish the address as AAAA
        8:3 ZONE025 MD record at example.com. is an obsolete type that resolvers and clients ignore
          help: MD and MF were replaced by MX (RFC 973); publish an MX record
        9:3 ZONE025 MF record at example.com. is an obsolete type that resolvers and clients ignore
          help: MD and MF were replaced by MX (RFC 973); publish an MX record
        10:3 ZONE025 WKS record at h.example.com. is an obsolete type that resolvers and clients ignore
          help: WKS is not used by clients (RFC 1123 §6.1.3.6); publish SRV records for services
        11:3 ZONE025 NULL record at h.example.com. is an obsolete type that resolvers and clients ignore
          help: NULL is experimental and not allowed in master files (RFC 1035 §3.3.10); remove it
        12:3 ZONE025 KEY record at h.example.com. is an obsolete type that resolvers and clients ignore
          help: A KEY with the zone-key flag was replaced by DNSKEY (RFC 3755); publish the key as DNSKEY
        ");
    }

    #[test]
    fn current_types_and_sig0_keys_do_not_fire() {
        let zone = format!(
            "{}h AAAA 2001:db8::1\nh KEY 512 3 13 {}\n",
            head(),
            "AAAA".repeat(16)
        );
        assert_eq!(check("ZONE025", &zone), "");
    }
}
