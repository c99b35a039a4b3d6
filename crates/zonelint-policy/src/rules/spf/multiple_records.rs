//! SPF007 `spf-multiple-records`.

use super::selected;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use foldhash::{HashMap, HashMapExt};
use zonelint_zone::{Code, NameRef, Span};

/// More than one SPF record at a name.
pub struct MultipleRecords;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF007", slug: "spf-multiple-records" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "more than one `v=spf1` TXT record at a name",
    doc: RuleDoc {
        what: "Reports every TXT record starting `v=spf1` at a name that already has one, pointing back at the first.",
        why: "A name MUST NOT publish more than one SPF record (RFC 7208 §3.2), and receivers that find two return permerror for every message (§4.5): the name's SPF stops working altogether. Tools that add a record instead of editing the existing one cause this (Stalwart#942).",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\nshop TXT \"v=spf1 ip4:198.51.100.25 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 ip4:198.51.100.25 -all\"\n",
        fix_safety: "No fix: merging two policies needs a decision about their terms and endings.",
        references: &["RFC 7208 §3.2", "RFC 7208 §4.5"],
    },
};

impl Rule for MultipleRecords {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        // Room for every SPF-looking record's owner, made once (grown as it filled, the
        // map was rehashed a dozen times on a large zone, each time into fresh memory).
        let mut first: HashMap<&NameRef, (Span, usize)> =
            HashMap::with_capacity(cx.zone_mail().map_or(0, |mail| mail.spf.len()));
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let span = entry.txt.text.whole_span();
            let (first_span, count) = first.entry(owner).or_insert((span, 0));
            *count += 1;
            if *count == 1 {
                continue;
            }
            let first_span = *first_span;
            sink.report(
                span,
                format!("{owner} publishes more than one SPF record: receivers return permerror for every message"),
            )
            .help("Merge the records into a single one")
            .related(first_span, "the first SPF record at this name")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_second_record_fires_pointing_at_the_first() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 mx -all\"\nshop TXT \"v=spf1 include:x.example.net -all\"\nshop TXT \"V=SPF1 -all\"\n",
            &["SPF007"],
        ));
    }

    #[test]
    fn other_txt_near_misses_and_type99_do_not_count() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 -all\"\nshop TXT \"google-site-verification=abc\"\nshop TXT \" v=spf1 mx -all\"\nshop SPF \"v=spf1 -all\"\nshop TXT \"v=spf10 -all\"\n",
            &["SPF007"],
        );
        assert_eq!(found, "");
    }
}
