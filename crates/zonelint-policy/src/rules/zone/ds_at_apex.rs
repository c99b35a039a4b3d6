//! ZONE020 `zone-ds-at-apex`.

use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::{Code, RType};

/// A DS record at the zone apex.
pub struct DsAtApex;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE020", slug: "zone-ds-at-apex" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "DS record at the zone apex (it belongs in the parent)",
    doc: RuleDoc {
        what: "Reports a DS record owned by the zone's own apex.",
        why: "A DS record lives on the parent's side of a delegation and is served by the parent (RFC 4035 §2.4: a DS RRset must not appear at a zone's apex). One at the apex is never used for validation: the chain of trust into this zone works only if the parent publishes the DS.",
        example: "@ DS 12345 13 2 ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB\n",
        use_instead: "sub NS ns1.example.com.\nsub DS 12345 13 2 ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB\n",
        fix_safety: "No fix: the DS has to be published at the parent (usually through the registrar), which this file cannot do.",
        references: &["RFC 4035 §2.4", "RFC 4034 §5"],
    },
};

impl Rule for DsAtApex {
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
        if record.rtype() != RType::DS
            || !record
                .owner()
                .as_wire()
                .eq_ignore_ascii_case(cx.zone.origin.as_wire())
        {
            return;
        }
        sink.report(
            record.type_span(),
            format!("DS record at the apex {}; a zone's DS is published by its parent", cx.zone.origin),
        )
        .help("Give the DS to the parent zone (usually through the registrar) and delete it here; in this zone it is never used")
        .owner(cx.zone.origin.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, ds, head};

    #[test]
    fn a_ds_at_the_apex_fires() {
        let zone = format!("{}@ {}\n", head(), ds());
        insta::assert_snapshot!(check("ZONE020", &zone), @r"
        7:3 ZONE020 DS record at the apex example.com.; a zone's DS is published by its parent
          help: Give the DS to the parent zone (usually through the registrar) and delete it here; in this zone it is never used
        ");
    }

    #[test]
    fn a_ds_at_a_delegation_does_not_fire() {
        let zone = format!("{}sub NS ns1\nsub {}\n", head(), ds());
        assert_eq!(check("ZONE020", &zone), "");
    }
}
