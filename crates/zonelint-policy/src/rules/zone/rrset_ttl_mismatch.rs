//! ZONE014 `zone-rrset-ttl-mismatch`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::rdata::view;
use zonelint_zone::{Class, Code, RType, RecordRef};

/// Records of one RRset with different TTLs.
pub struct RrsetTtlMismatch;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE014", slug: "zone-rrset-ttl-mismatch" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "records of one RRset with different TTLs",
    doc: RuleDoc {
        what: "Reports a record whose TTL differs from that of the first record of its RRset (same owner, class and type; for RRSIG, same type covered).",
        why: "All records of an RRset have one TTL (RFC 2181 §5.2); a server must not send an RRset with differing TTLs, and a client that gets one treats the whole set as having the lowest. BIND loads such a zone with a warning and one TTL for the set, so the TTL written here is not the one served. RRSIGs are grouped by the type they cover, since each carries the TTL of its RRset (RFC 4034 §3).",
        example: "mail 300 A 192.0.2.26\n",
        use_instead: "mail A 192.0.2.26\n",
        fix_safety: "No fix: which TTL the RRset should have is the operator's call.",
        references: &["RFC 2181 §5.2", "RFC 4034 §3"],
    },
};

/// The RRset a record belongs to: type, class, and for RRSIG the type covered.
fn rrset_key(record: &RecordRef<'_>) -> (RType, Class, u16) {
    let covered = if record.rtype() == RType::RRSIG {
        view::rrsig(&record.rdata()).map_or(0, |sig| sig.type_covered.0)
    } else {
        0
    };
    (record.rtype(), record.class(), covered)
}

impl Rule for RrsetTtlMismatch {
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
        // One buffer for every name: (RRset, file position, record), sorted per name.
        let mut buffer: Vec<((RType, Class, u16), u32, RecordRef<'_>)> = Vec::new();
        for facts in cx.names() {
            // Records of one RRset share a type.
            if facts.record_count() < 2 || facts.types_are_distinct() {
                continue;
            }
            buffer.clear();
            buffer.extend(
                zone.record_positions(facts)
                    .iter()
                    .filter_map(|&i| zone.zone.record(i as usize).map(|r| (rrset_key(&r), i, r))),
            );
            buffer.sort_unstable_by_key(|(key, position, _)| (*key, *position));
            let mut first: Option<&((RType, Class, u16), u32, RecordRef<'_>)> = None;
            for entry in &buffer {
                let head = match first {
                    Some(head) if head.0 == entry.0 => head,
                    _ => {
                        first = Some(entry);
                        continue;
                    }
                };
                let (record, reference) = (&entry.2, &head.2);
                if record.ttl() == reference.ttl() {
                    continue;
                }
                let rtype = record.rtype();
                let what = if rtype == RType::RRSIG {
                    format!("RRSIG ({} covered)", RType(entry.0 .2))
                } else {
                    rtype.to_string()
                };
                let (ttl, expected) = (record.ttl().seconds(), reference.ttl().seconds());
                sink.report(
                    record.ttl_span().unwrap_or_else(|| record.type_span()),
                    format!(
                        "TTL {ttl} differs from TTL {expected} of the first {what} record at {}; an RRset has one TTL",
                        facts.name
                    ),
                )
                .help(format!(
                    "Give every {what} record at {} the same TTL; resolvers treat the set as having the lowest",
                    facts.name
                ))
                .related(
                    reference.ttl_span().unwrap_or_else(|| reference.type_span()),
                    format!("first {what} record here (TTL {expected})"),
                )
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, rrsig};
    use zonelint_zone::RType;

    #[test]
    fn a_differing_ttl_fires_at_the_differing_record() {
        let zone = format!(
            "{}www A 192.0.2.1\nwww 300 A 192.0.2.2\nwww TXT \"v=spf1 -all\"\nwww 3600 A 192.0.2.3\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE014", &zone), @r"
        8:5 ZONE014 TTL 300 differs from TTL 3600 of the first A record at www.example.com.; an RRset has one TTL
          help: Give every A record at www.example.com. the same TTL; resolvers treat the set as having the lowest
          related 7:5: first A record here (TTL 3600)
        ");
    }

    #[test]
    fn different_types_and_rrsigs_of_different_rrsets_do_not_fire() {
        let zone = format!(
            "{}www 300 A 192.0.2.1\nwww TXT \"v=spf1 -all\"\nwww 300 {}\nwww {}\nwww 300 A 192.0.2.2\n",
            head(),
            rrsig(RType::A, 300),
            rrsig(RType::TXT, 3600)
        );
        assert_eq!(check("ZONE014", &zone), "");
    }

    #[test]
    fn rrsigs_covering_one_rrset_with_different_ttls_fire() {
        let zone = format!(
            "{}www 300 {}\nwww 600 {}\n",
            head(),
            rrsig(RType::A, 300),
            rrsig(RType::A, 300)
        );
        insta::assert_snapshot!(check("ZONE014", &zone), @r"
        8:5 ZONE014 TTL 600 differs from TTL 300 of the first RRSIG (A covered) record at www.example.com.; an RRset has one TTL
          help: Give every RRSIG (A covered) record at www.example.com. the same TTL; resolvers treat the set as having the lowest
          related 7:5: first RRSIG (A covered) record here (TTL 300)
        ");
    }
}
