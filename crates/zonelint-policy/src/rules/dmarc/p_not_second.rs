//! DMARC013 `dmarc-p-not-second`.

use super::{policy_records, remove_tag, tag_named, written};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix};

/// A `p` tag that does not directly follow `v=DMARC1`.
pub struct PNotSecond;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC013", slug: "dmarc-p-not-second" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "`p` is not the second tag (RFC 7489's grammar requires it; RFC 9989's does not)",
    doc: RuleDoc {
        what: "Reports a `p` tag that is not the tag right after `v=DMARC1` in a DMARC record that receivers use.",
        why: "RFC 7489's grammar puts `p` directly after `v` (§6.4: `dmarc-record = dmarc-version dmarc-sep [dmarc-request] …`), and parsers written to it may discard a record that has another order, leaving the domain without DMARC for them. RFC 9989 allows any order after `v` (§4.8), so this is only a compatibility note.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; rua=mailto:dmarc@example.com; p=reject; sp=reject; np=reject\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix moves `p` right after `v=DMARC1`; it is safe: receivers that read the record today read the same policy, and parsers that discarded it start applying what was published. No fix when a moved piece would cross a string join.",
        references: &["RFC 7489 §6.4", "RFC 9989 §4.8"],
    },
};

impl Rule for PNotSecond {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let tags = &entry.record.tags;
            let Some(p) = tag_named(entry, "p") else {
                continue;
            };
            let Some(second) = tags.get(1) else { continue };
            if second.range == p.range {
                continue;
            }
            let owner = entry.txt.owner;
            let text = written(cx.zone, p.span());
            let after = written(cx.zone, second.name_span());
            let mut report = sink
                .report(p.span(), format!("`{text}` at {owner} comes after `{after}`: parsers that follow RFC 7489's grammar expect `p` right after `v=DMARC1` and may discard the record"))
                .help(format!("Put `{text}` right after `v=DMARC1;`"))
                .owner(owner);
            if let Some(fix) = move_to_second(entry, p, &text) {
                report = report.fix(fix);
            }
            drop(report);
        }
    }
}

/// Deletes `p` with its separator and inserts it after `v=DMARC1`.
fn move_to_second(
    entry: &crate::mail::DmarcEntry<'_>,
    p: &crate::grammar::tag_list::Tag<'_>,
    text: &str,
) -> Option<Fix> {
    let version = entry.record.tags.first()?;
    let removal = remove_tag(entry, p)?;
    let joined = &entry.txt.text;
    // The written form of `p` is copied as is, so it must lie within one string (bytes
    // that are not UTF-8 make no fix: `lint::drop_lossy_fixes`).
    let p_range = p.range.range();
    if super::super::spf::crosses_join(joined, &p_range) {
        return None;
    }
    let content = format!("; {text}");
    // Moved into another string, `p` makes that one longer; it must still load (RFC 1035
    // §3.3, found by the `fix` fuzz target: a 56-octet `p` moved into a full string).
    let at = version.range.range().end;
    // In decoded octets: `; ` and `p` as it decodes; in its own string the removal of
    // `p` and its separator takes back all but the two octets of `; `.
    let grows = if joined.same_string(at, p_range.start) {
        2
    } else {
        2 + p_range.len()
    };
    if !joined.has_room_at(at, grows) {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("Move `{text}` right after `v=DMARC1`"),
        edits: vec![
            Edit {
                span: joined.span(at..at),
                content,
            },
            removal,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn p_after_other_tags_is_moved() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; rua=mailto:d@example.com; P=reject; sp=reject\""),
            "_dmarc.news TXT \"v=DMARC1;adkim=s;p=reject;\"\n",
            &["DMARC013"],
            false,
        ));
    }

    #[test]
    fn no_move_into_a_full_string_nor_of_bytes_that_are_not_text() {
        // `p` in the second string, the first already 250 octets: moved there, the first
        // would hold 262 and not load (found by the `fix` fuzz target).
        let padding = "x".repeat(250 - "v=DMARC1; rua=mailto:@example.com".len());
        let full = format!("\"v=DMARC1; rua=mailto:{padding}@example.com\" \"; p=reject\"");
        assert_eq!(full.find("\" \"").map(|end| end - 1), Some(250));
        let found = lint_policy(Some(&full), "", &["DMARC013"], false);
        assert!(
            found.contains("DMARC013") && !found.contains("fix"),
            "{found}"
        );
        // The same move within one string has room: it is offered.
        let one = "\"v=DMARC1; rua=mailto:d@example.com; p=reject\"";
        assert!(lint_policy(Some(one), "", &["DMARC013"], false).contains("fix (safe)"));
        // Written as escapes, `p` is text, and the escapes are copied as they are.
        let zone = "_dmarc.news TXT \"v=DMARC1; adkim=s; p=\\255\\254\"\n";
        let found = lint_policy(None, zone, &["DMARC013"], false);
        assert!(
            found.contains("+ _dmarc.news TXT \"v=DMARC1; p=\\255\\254; adkim=s\""),
            "{found}"
        );
    }

    #[test]
    fn no_move_of_bytes_that_are_not_text() {
        // Raw bytes that are not UTF-8 cannot be copied by a fix, which writes text: they
        // would come out as replacement characters (found by the `fix` fuzz target).
        let text: &[u8] =
            b"@ SOA ns hm 1 2 3 4 5\n@ NS ns\n_dmarc TXT \"v=DMARC1; adkim=s; p=\xff\xfe\"\n";
        let options = zonelint_zone::ParseOptions {
            origin: zonelint_zone::Name::from_ascii("example.com.").ok(),
            ..zonelint_zone::ParseOptions::default()
        };
        let (zone, _) = zonelint_zone::parse(
            "t.zone",
            std::sync::Arc::from(text),
            &options,
            &mut zonelint_zone::NoIncludes,
        );
        let found = crate::lint(
            &[crate::LintInput::new(&zone)],
            &crate::rules::test_support::only("DMARC013"),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found.iter().all(|d| d.fix.is_none()), "{found:?}");
    }

    #[test]
    fn p_second_absent_or_in_a_discarded_record() {
        for record in [
            "\"v=DMARC1; p=reject; rua=mailto:d@example.com\"",
            "\"v=DMARC1 ; p = reject\"",
            "\"v=DMARC1; rua=mailto:d@example.com\"",
            "\"rua=mailto:d@example.com; v=DMARC1; p=reject\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC013"], false),
                "",
                "{record}"
            );
        }
    }
}
