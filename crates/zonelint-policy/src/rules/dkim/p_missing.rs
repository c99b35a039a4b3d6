//! DKIM002 `dkim-p-missing`.

use super::report_problems;
use crate::grammar::dkim::DkimProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DKIM key record without a `p=` tag.
pub struct PMissing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM002", slug: "dkim-p-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "no `p=` tag in a key record",
    doc: RuleDoc {
        what: "Reports a TXT record at `<selector>._domainkey` with no `p=` tag. An empty `p=` (a revoked key) is not missing: that is DKIM003.",
        why: "`p=` is the only required tag of a key record (RFC 6376 §3.6.1): without it there is no key, and every signature made with the selector fails (`permerror`).",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: only the key's owner has the key.",
        references: &["RFC 6376 §3.6.1"],
    },
};

impl Rule for PMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DKIM002", |key, kind, _| {
            if !matches!(kind, DkimProblemKind::PublicKeyMissing) {
                return None;
            }
            // Tag names are case-sensitive (RFC 6376 §3.2): `P=` is an unknown tag.
            let help = if key.record().tags.iter().any(|t| t.name() == b"P") {
                "Write the tag as `p=`: tag names are case-sensitive, and `P=` is an unknown tag"
            } else {
                "Add `p=` with the base64 public key, or an empty `p=` to revoke the selector"
            };
            Some((
                format!("the key record at {} has no `p=` tag, so verifiers fail every signature made with this selector", key.txt.owner),
                help.to_owned(),
                None,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn records_without_a_key() {
        insta::assert_snapshot!(lint_snippet(
            "s1._domainkey TXT \"v=DKIM1; k=rsa\"\ns2.mail._domainkey TXT \"v=DKIM1; P=MIGf\"\n",
            &["DKIM002"],
        ));
    }

    #[test]
    fn revoked_keys_and_other_text_are_not_missing_keys() {
        let found = lint_snippet(
            "s1._domainkey TXT \"v=DKIM1; p=\"\n*._domainkey TXT \"v=DKIM1; p=\"\n* TXT \"v=spf1 -all\"\ns2._domainkey TXT \"v=spf1 -all\"\n_domainkey TXT \"o=~\"\n",
            &["DKIM002"],
        );
        assert_eq!(found, "");
    }
}
