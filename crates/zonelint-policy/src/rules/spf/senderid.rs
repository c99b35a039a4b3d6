//! SPF029 `spf-senderid`.

use crate::grammar::spf::SpfVersion;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A Sender ID record (`spf2.0/…`): an obsolete experiment.
pub struct SenderId;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF029", slug: "spf-senderid" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a Sender ID record (`spf2.0/pra`, `spf2.0/mfrom`): obsolete",
    doc: RuleDoc {
        what: "Reports a TXT (or type-99) record that starts with `spf2.0/`, the Sender ID version with its scopes (`spf2.0/pra`, `spf2.0/mfrom`, `spf2.0/mfrom,pra`).",
        why: "Sender ID (RFC 4406, with the PRA of RFC 4407) was an experiment; RFC 6686 concluded it and found almost no receivers using it, and the records are not SPF: RFC 7208 receivers select only `v=spf1` records (§4.5). A Sender ID record only adds to the TXT answer at the name and can be mistaken for the name's SPF policy; where it stands alone, the name has no SPF record at all.",
        example: "shop TXT \"spf2.0/pra mx -all\"\nshop TXT \"v=spf1 mx -all\"\nshop MX 10 mail.example.com.\n",
        use_instead: "shop TXT \"v=spf1 mx -all\"\nshop MX 10 mail.example.com.\n",
        fix_safety: "No fix: deleting the record is the owner's edit (keep or add a `v=spf1` record at the name).",
        references: &["RFC 6686", "RFC 4406", "RFC 7208 §4.5"],
    },
};

impl Rule for SenderId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for entry in mail
            .spf
            .iter()
            .filter(|e| e.version == SpfVersion::SenderId)
        {
            let owner = entry.txt.owner;
            let version = String::from_utf8_lossy(
                entry
                    .txt
                    .text
                    .as_bytes()
                    .split(|&b| b == b' ')
                    .next()
                    .unwrap_or_default(),
            )
            .into_owned();
            let has_spf = mail.selected_spf_at(owner).next().is_some();
            let help = if has_spf {
                "Delete the Sender ID record; the name's `v=spf1` record is what receivers use"
            } else {
                "Delete the Sender ID record and publish a `v=spf1` record at the name"
            };
            sink.report(
                entry.record.version_span,
                format!("`{version}` at {owner} is a Sender ID record (RFC 4406): obsolete, and not read by SPF receivers"),
            )
            .help(help)
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn sender_id_records_fire() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"spf2.0/pra mx -all\"\na TXT \"v=spf1 mx -all\"\nb TXT \"spf2.0/mfrom,pra ip4:192.0.2.25 -all\"\nc TXT \"SPF2.0/mfrom\" \" -all\"\n",
            &["SPF029"],
        ));
    }

    #[test]
    fn spf_records_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 mx -all\"\nb TXT \"spf2.0 is not a version\"\n",
            &["SPF029"],
        );
        assert_eq!(found, "");
    }
}
