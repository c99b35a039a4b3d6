//! MX002 `mx-null-nonzero-pref`.

use crate::rules::targets::field_span;
use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::rdata::view;
use zonelint_zone::{Code, RType};

/// A null MX whose preference is not 0.
pub struct NullNonzeroPref;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX002", slug: "mx-null-nonzero-pref" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "null MX with a preference other than 0",
    doc: RuleDoc {
        what: "Reports an MX record whose exchange is the root (`.`) and whose preference is not 0.",
        why: "RFC 7505 §3 defines the null MX as a single MX with preference 0 and exchange `.`. `MX 10 .` is not a null MX by that definition: a sender may treat it as an exchange it cannot reach and queue the mail for days instead of failing it at once.",
        example: "shop A 192.0.2.80\nshop MX 10 .\nshop TXT \"v=spf1 -all\"\n",
        use_instead: "shop A 192.0.2.80\nshop MX 0 .\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix offered: a preference other than 0 may mean a real exchange was meant and its name was lost.",
        references: &["RFC 7505 §3"],
    },
};

impl Rule for NullNonzeroPref {
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
        if record.rtype() != RType::MX {
            return;
        }
        let Some(mx) = record.rdata_borrowed().and_then(view::mx) else {
            return;
        };
        let preference = mx.preference;
        if preference == 0 || mx.exchange.as_wire() != [0] {
            return;
        }
        let owner = record.owner().to_name();
        sink.report(
            field_span(&record, 0),
            format!(
                "null MX at {owner} has preference {preference}; a null MX must have preference 0"
            ),
        )
        .help("Write `MX 0 .`, the only form RFC 7505 defines")
        .owner(owner);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn a_null_mx_with_a_nonzero_preference_fires_at_the_preference() {
        let zone = format!("{}@ MX 10 .\n", head());
        insta::assert_snapshot!(check("MX002", &zone), @r"
        7:6 MX002 null MX at example.com. has preference 10; a null MX must have preference 0
          help: Write `MX 0 .`, the only form RFC 7505 defines
        ");
    }

    #[test]
    fn a_proper_null_mx_and_real_mx_do_not_fire() {
        let zone = format!("{}@ MX 0 .\nwww MX 10 mail.example.net.\n", head());
        assert_eq!(check("MX002", &zone), "");
    }
}
