//! DKIM010 `dkim-multiple-records`.

use super::at_selector;
use crate::mail::TxtText;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef, Span};

/// More than one TXT record at one selector name.
pub struct MultipleRecords;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM010", slug: "dkim-multiple-records" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "more than one TXT record at a selector",
    doc: RuleDoc {
        what: "Reports every TXT record at a `<selector>._domainkey` name after the first, whatever the records hold (two keys, a key and an SPF record, a key split into two records instead of two strings of one record). Records whose joined text is the same give verifiers the same key and are not reported (exact duplicates are one record in DNS, and ZONE015's finding).",
        why: "A query for the selector returns every TXT record at the name, and RFC 6376 §3.6.2.2 leaves the result undefined when there are several: verifiers may take either, or fail the signature. Keys are rotated by publishing the new key under a new selector, not beside the old one.",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\ns1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVT/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: only the owner knows which key the signer uses.",
        references: &["RFC 6376 §3.6.2.2"],
    },
};

impl Rule for MultipleRecords {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        // Selector name → its distinct records, in file order.
        let mut selectors: Vec<(&NameRef, Vec<&TxtText<'_>>)> = Vec::new();
        // Where each selector is in `selectors`: a linear search made this rule quadratic
        // (6.5 s on a zone of 1M records).
        // (Room for about one selector per parsed key record, made once.)
        let mut positions: foldhash::HashMap<&NameRef, usize> =
            foldhash::HashMap::with_capacity_and_hasher(mail.dkim.len(), Default::default());
        for txt in mail.texts.iter().filter(|t| at_selector(cx.zone, t)) {
            let position = *positions.entry(txt.owner).or_insert_with(|| {
                selectors.push((txt.owner, Vec::new()));
                selectors.len() - 1
            });
            let Some((_, records)) = selectors.get_mut(position) else {
                continue;
            };
            if !records
                .iter()
                .any(|r| r.text.as_bytes() == txt.text.as_bytes())
            {
                records.push(txt);
            }
        }
        for (owner, records) in selectors {
            let Some((first, rest)) = records.split_first() else {
                continue;
            };
            let count = records.len();
            for txt in rest {
                sink.report(rdata_span(cx, txt), format!("{owner} has {count} TXT records: verifiers get all of them, and RFC 6376 leaves the key they use undefined"))
                    .help("Keep one key record per selector; publish a new key under a new selector")
                    .related(rdata_span(cx, first), "the first TXT record at this selector")
                    .owner(owner);
            }
        }
    }
}

/// The record's RDATA as written (the whole record if that is unknown).
fn rdata_span(cx: &ZoneContext<'_>, txt: &TxtText<'_>) -> Span {
    crate::rules::written_part(cx, txt, |r| r.rdata_span())
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn several_records_at_one_selector() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\ns1._domainkey TXT \"v=DKIM1; k=ed25519; p=\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n  TXT \"v=spf1 -all\"\n*._domainkey TXT \"v=DKIM1; p=\"\n*._domainkey TXT \"v=DKIM1; p=\" \"\"\n"),
            &["DKIM010"],
        ));
    }

    #[test]
    fn one_record_per_selector_is_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; \" \"p={ED25519}\"\n_adsp._domainkey TXT \"dkim=all\"\n_domainkey TXT \"o=~\"\n"),
            &["DKIM010"],
        );
        assert_eq!(found, "");
    }
}
