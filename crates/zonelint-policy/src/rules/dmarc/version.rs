//! DMARC003 `dmarc-version`.

use super::{near_misses, policy_records, written};
use crate::grammar::dmarc::{DmarcProblemKind, VersionError};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef, Span};

/// A DMARC record whose version tag is missing, not first, or not exactly `v=DMARC1`.
pub struct Version;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC003", slug: "dmarc-version" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`v` not first, not exactly `DMARC1`, or preceded by whitespace",
    doc: RuleDoc {
        what: "Reports a record at a `_dmarc` name that is meant as DMARC but does not start with exactly `v=DMARC1`: the version tag is missing, not the first tag, in another case (`v=dmarc1`), another version, or preceded by whitespace.",
        why: "Receivers discard records that do not begin with the version tag, whose value is case-sensitive (RFC 9989 §4.7 and the `%s\"DMARC1\"` of §4.8; RFC 7489 §6.3, §6.4): the domain then has no policy at all, whatever the rest says.",
        example: example_zone!("_dmarc TXT \"v=dmarc1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.8", "RFC 7489 §6.3", "RFC 7489 §6.4"],
    },
};

impl Rule for Version {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let entries = policy_records(cx).map(|e| (e.txt.owner, &*e.problems));
        let misses = near_misses(cx);
        let near = misses.iter().map(|m| (m.txt.owner, m.problems.as_slice()));
        let mut found: Vec<(&NameRef, Span, VersionError)> = entries
            .chain(near)
            .flat_map(|(owner, problems)| {
                problems.iter().filter_map(move |p| match p.kind {
                    DmarcProblemKind::Version(error) => Some((owner, p.span, error)),
                    _ => None,
                })
            })
            .collect();
        found.sort_by_key(|(_, span, _)| (span.source, span.start));
        for (owner, span, error) in found {
            let text = written(cx.zone, span);
            let message = match error {
                VersionError::Missing => format!("the DMARC record at {owner} has no `v=DMARC1` tag, so receivers discard it"),
                VersionError::NotFirst => format!("`{text}` is not the first tag of the record at {owner}, so receivers discard the record"),
                VersionError::WrongValue => format!("`{text}` at {owner} is not exactly `v=DMARC1` (the version is case-sensitive), so receivers discard the record"),
                VersionError::LeadingWhitespace => format!("the DMARC record at {owner} starts with whitespace, so receivers looking for `v=DMARC1` at its start discard it"),
            };
            sink.report(span, message)
                .help("Start the record with exactly `v=DMARC1;`")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn version_mistakes_are_reported_where_they_are() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc.a TXT \"v=dmarc1; p=reject\"\n_dmarc.b TXT \"p=reject; v=DMARC1\"\n_dmarc.c TXT \" v=DMARC1; p=reject\"\n_dmarc.d TXT \"p=reject; sp=reject\"\n_dmarc.e TXT \"v=DMARC2; p=reject\"\n",
            &["DMARC003"],
            false,
        ));
    }

    #[test]
    fn unrelated_txt_and_report_authorizations_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc.a TXT \"v=spf1 -all\"\n_dmarc.b TXT \"some-verification=abc\"\nexample.net._report._dmarc TXT \"v=DMARC1\"\n* TXT \"p=reject\"\n",
            &["DMARC003"],
            false,
        );
        assert_eq!(found, "");
    }
}
