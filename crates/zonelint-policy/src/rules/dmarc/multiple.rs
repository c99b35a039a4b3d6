//! DMARC002 `dmarc-multiple`.

use super::policy_records;
use crate::mail::DmarcEntry;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// More than one DMARC record at one `_dmarc` name.
pub struct Multiple;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC002", slug: "dmarc-multiple" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "more than one `v=DMARC1` record at one `_dmarc` name",
    doc: RuleDoc {
        what: "Reports every DMARC record after the first at a `_dmarc` name, counting the records receivers select: those that start with `v=DMARC1`.",
        why: "A receiver that finds more than one DMARC record at a name discards all of them (RFC 9989 §4.10 steps 2 and 6; RFC 7489 §6.6.3): the domain then has no policy of its own, and names below an organizational domain fall back to its `sp`, or to nothing.",
        example: "_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:reports@example.com\"\n",
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: which record to keep is the owner's decision.",
        references: &["RFC 9989 §4.10", "RFC 7489 §6.6.3"],
    },
};

/// Whether receivers select the record: it starts with `v=DMARC1` (RFC 7489 §6.6.3:
/// records that do not start with the version tag are discarded).
fn selected(entry: &DmarcEntry<'_>) -> bool {
    entry.record.valid_version || entry.txt.text.as_bytes().starts_with(b"v=DMARC1")
}

impl Rule for Multiple {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        // Grouped by owner in file order; a map keeps this linear in the number of records.
        let mut groups: Vec<Vec<&DmarcEntry<'_>>> = Vec::new();
        // Room for every policy record's owner, made once.
        let mut by_owner: foldhash::HashMap<&zonelint_zone::NameRef, usize> =
            foldhash::HashMap::with_capacity_and_hasher(
                cx.zone_mail().map_or(0, |mail| mail.dmarc.len()),
                Default::default(),
            );
        for entry in policy_records(cx).filter(|e| selected(e)) {
            match by_owner.get(entry.txt.owner) {
                Some(&at) => {
                    if let Some(group) = groups.get_mut(at) {
                        group.push(entry);
                    }
                }
                None => {
                    by_owner.insert(entry.txt.owner, groups.len());
                    groups.push(vec![entry]);
                }
            }
        }
        for group in groups.iter().filter(|g| g.len() > 1) {
            let Some((first, rest)) = group.split_first() else {
                continue;
            };
            let owner = first.txt.owner;
            let count = group.len();
            for entry in rest {
                sink.report(entry.txt.span(), format!("{owner} has {count} DMARC records: receivers discard all of them, so it has no DMARC policy"))
                    .help("Keep one record: merge what each one says into it")
                    .related(first.txt.span(), "first DMARC record here")
                    .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn every_record_after_the_first_is_reported() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc TXT \"v=DMARC1; p=none\"\n_dmarc.shop TXT \"v=DMARC1; p=reject\"\n_dmarc TXT \"v=DMARC1; p=quarantine\"\n",
            &["DMARC002"],
            false,
        ));
    }

    #[test]
    fn records_receivers_do_not_select_are_not_counted() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc TXT \"v=spf1 -all\"\n_dmarc TXT \" v=DMARC1; p=none\"\n_dmarc TXT \"p=none; v=DMARC1\"\n",
            &["DMARC002"],
            false,
        );
        assert_eq!(found, "");
    }
}
