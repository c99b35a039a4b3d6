//! ZONE026 `zone-class-mismatch`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Class, Code};

/// Records of more than one class in one zone.
pub struct ClassMismatch;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE026", slug: "zone-class-mismatch" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "records of more than one class in one zone",
    doc: RuleDoc {
        what: "Reports every record whose class differs from the zone's: the class of its apex SOA (RFC 1035 §5.2), else of the first SOA in the file, else of its first record. Fixes that insert records write this class too.",
        why: "A master file describes one zone of one class (RFC 1035 §5.2: all RRs in the file should have the same class). BIND refuses to load a zone with records of another class; a record typed `CH` by mistake is never served as `IN` data.",
        example: "www CH TXT \"v=spf1 -all\"\n",
        use_instead: "www IN TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the class may be a typo for `IN`, or the record may belong to another zone.",
        references: &["RFC 1035 §5.2", "RFC 1035 §3.2.4"],
    },
};

fn class_name(class: Class) -> String {
    match class {
        Class::IN => "IN".to_owned(),
        Class::CH => "CH".to_owned(),
        Class::HS => "HS".to_owned(),
        Class(other) => format!("CLASS{other}"),
    }
}

impl Rule for ClassMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let records = cx.zone.zone;
        let Some((reference, what)) = cx.zone.class_reference() else {
            return;
        };
        let class = reference.class();
        for record in records.records().filter(|r| r.class() != class) {
            let owner = record.owner().to_name();
            sink.report(
                record.class_span().unwrap_or_else(|| record.type_span()),
                format!(
                    "{} record at {owner} is class {}, but the zone is class {} ({what}); a zone holds one class",
                    record.rtype(),
                    class_name(record.class()),
                    class_name(class)
                ),
            )
            .help(format!(
                "Write `{}` here; a record written without a class takes the last class written, so check the lines after it too",
                class_name(class)
            ))
            .related(reference.class_span().unwrap_or_else(|| reference.type_span()), format!("{what} is class {}", class_name(class)))
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn a_record_of_another_class_fires() {
        let zone = format!(
            "{}www CH TXT \"v=spf1 -all\"\nwww A 192.0.2.1\nmail IN A 192.0.2.2\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE026", &zone), @r"
        7:5 ZONE026 TXT record at www.example.com. is class CH, but the zone is class IN (the zone's SOA); a zone holds one class
          help: Write `IN` here; a record written without a class takes the last class written, so check the lines after it too
          related 2:3: the zone's SOA is class IN
        8:5 ZONE026 A record at www.example.com. is class CH, but the zone is class IN (the zone's SOA); a zone holds one class
          help: Write `IN` here; a record written without a class takes the last class written, so check the lines after it too
          related 2:3: the zone's SOA is class IN
        ");
    }

    #[test]
    fn explicit_in_everywhere_does_not_fire() {
        let zone = format!(
            "{}www IN TXT \"v=spf1 -all\"\nmail in A 192.0.2.1\n",
            head()
        );
        assert_eq!(check("ZONE026", &zone), "");
    }
}
