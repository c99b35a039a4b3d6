//! ZONE015 `zone-duplicate-record`.

use crate::rules::targets::canonical_cmp;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::borrow::Cow;
use std::cmp::Ordering;
use zonelint_zone::{Class, Code, RType, RecordRef};

/// The same record twice.
pub struct DuplicateRecord;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE015", slug: "zone-duplicate-record" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "the same record twice (after canonicalisation)",
    doc: RuleDoc {
        what: "Reports a record with the same owner, class, type and RDATA as an earlier one. Domain names inside the RDATA of the RFC 4034 §6.2 types (NS, CNAME, SOA, MX, SRV, PTR, DNAME, RRSIG and others) are compared without regard to case, as servers compare them.",
        why: "An RRset is a set: the same RR twice is one RR (RFC 2181 §5). Servers silently keep one copy, so the second line does nothing. It is usually a copy-paste left-over, or an edit that was meant to change the record and was made to a copy instead.",
        example: "mail A 192.0.2.25\n",
        use_instead: "mail A 192.0.2.26\n",
        fix_safety: "No fix: deleting the line is safe for what is served, but the duplicate may be an edit that went to the wrong line.",
        references: &["RFC 2181 §5", "RFC 4034 §6.2", "RFC 6840 §5.1"],
    },
};

/// A record with the sort key that brings possible copies together: type, class and
/// RDATA length. Canonical form only lowercases names, so copies have the same length, and
/// a record whose key is its own has no copy: its RDATA is never built.
type Keyed<'z> = ((RType, Class, usize), u32, RecordRef<'z>);

/// A record and its RDATA's wire form, made once (a TXT record's is made from the text,
/// and a sort compares each record several times).
type WithRdata<'z> = (u32, RecordRef<'z>, Cow<'z, [u8]>);

fn compare((_, a, a_rdata): &WithRdata<'_>, (_, _, b_rdata): &WithRdata<'_>) -> Ordering {
    canonical_cmp(a.rtype(), a_rdata, b_rdata)
}

impl Rule for DuplicateRecord {
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
        let mut keyed: Vec<Keyed<'_>> = Vec::new();
        let mut buffer: Vec<WithRdata<'_>> = Vec::new();
        for facts in cx.names() {
            // Records of one RRset share a type.
            if facts.record_count() < 2 || facts.types_are_distinct() {
                continue;
            }
            keyed.clear();
            keyed.extend(zone.record_positions(facts).iter().filter_map(|&i| {
                let record = zone.zone.record(i as usize)?;
                Some((
                    (record.rtype(), record.class(), record.rdata_len()),
                    i,
                    record,
                ))
            }));
            keyed.sort_unstable_by_key(|&(key, i, _)| (key, i));
            for group in keyed
                .chunk_by(|a, b| a.0 == b.0)
                .filter(|group| group.len() > 1)
            {
                buffer.clear();
                buffer.extend(
                    group
                        .iter()
                        .map(|&(_, i, record)| (i, record, record.rdata())),
                );
                // Equal records end up adjacent, in file order; each is a copy of its run's
                // first.
                buffer.sort_unstable_by(|a, b| compare(a, b).then(a.0.cmp(&b.0)));
                let mut run_start: Option<&WithRdata<'_>> = None;
                for with_rdata in &buffer {
                    let record = &with_rdata.1;
                    let first = match run_start {
                        Some(first) if compare(first, with_rdata) == Ordering::Equal => &first.1,
                        _ => {
                            run_start = Some(with_rdata);
                            continue;
                        }
                    };
                    sink.report(
                        record.rdata_span(),
                        format!(
                            "duplicate {} record at {}: the same RDATA as an earlier record; an RRset holds each record once",
                            record.rtype(),
                            facts.name
                        ),
                    )
                    .help("Delete this line, or change it if it was meant to differ")
                    .related(first.rdata_span(), "first copy here")
                    .owner(facts.name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, srv};

    #[test]
    fn exact_and_case_different_copies_fire() {
        let zone = format!(
            "{}www A 192.0.2.1\nwww 300 A 192.0.2.1\n@ MX 10 Mail.Example.COM.\n@ MX 10 mail.example.com.\n_s._tcp {}\n_s._tcp {}\n",
            head(),
            srv("Host.example.com."),
            srv("host.example.com.")
        );
        insta::assert_snapshot!(check("ZONE015", &zone), @r"
        8:11 ZONE015 duplicate A record at www.example.com.: the same RDATA as an earlier record; an RRset holds each record once
          help: Delete this line, or change it if it was meant to differ
          related 7:7: first copy here
        10:6 ZONE015 duplicate MX record at example.com.: the same RDATA as an earlier record; an RRset holds each record once
          help: Delete this line, or change it if it was meant to differ
          related 9:6: first copy here
        12:13 ZONE015 duplicate SRV record at _s._tcp.example.com.: the same RDATA as an earlier record; an RRset holds each record once
          help: Delete this line, or change it if it was meant to differ
          related 11:13: first copy here
        ");
    }

    #[test]
    fn different_rdata_or_text_case_does_not_fire() {
        let zone = format!(
            "{}www A 192.0.2.1\nwww A 192.0.2.2\nwww TXT \"v=spf1 -all\"\nwww TXT \"V=SPF1 -ALL\"\nwww CH TXT \"v=spf1 -all\"\n",
            head()
        );
        assert_eq!(check("ZONE015", &zone), "");
    }
}
