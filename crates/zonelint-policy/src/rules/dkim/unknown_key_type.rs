//! DKIM008 `dkim-unknown-key-type`.

use super::report_problems;
use crate::grammar::dkim::DkimProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A key record whose `k=` is neither `rsa` nor `ed25519`.
pub struct UnknownKeyType;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM008", slug: "dkim-unknown-key-type" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`k=` other than `rsa` or `ed25519` (e.g. experimental `mldsa44`)",
    doc: RuleDoc {
        what: "Reports a key record at `<selector>._domainkey` whose `k=` key type is neither `rsa` (RFC 6376) nor `ed25519` (RFC 8463): `dsa`, a misspelling such as `k=rsa2048`, or an experimental type such as `mldsa44`. The key itself is not read, since its format is unknown.",
        why: "Verifiers support `rsa` (RFC 6376 §3.6.1) and, increasingly, `ed25519` (RFC 8463 §4.2). A verifier that does not know the key type cannot use the key: every signature made with the selector fails to verify there (RFC 6376 §6.1.2: an inappropriate key algorithm is a PERMFAIL). A new algorithm's key is best published under a selector of its own, beside an `rsa` or `ed25519` key that every verifier can use.",
        example: "s1._domainkey TXT \"v=DKIM1; k=dsa; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: the key must match the private key the signer holds.",
        references: &["RFC 6376 §3.6.1 (k=), §6.1.2", "RFC 8463 §4.2"],
    },
};

impl Rule for UnknownKeyType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DKIM008", |key, kind, text| {
            if *kind != DkimProblemKind::UnknownKeyType {
                return None;
            }
            let owner = key.txt.owner;
            Some((
                format!("`k={text}` at {owner} is not a key type verifiers know (`rsa`, `ed25519`): most cannot use this key, and signatures made with it fail there"),
                "Publish an `rsa` (2048 bits) or `ed25519` key at this selector; put a key of a new type under a selector of its own, beside one every verifier can use".to_owned(),
                None,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::{ED25519, RSA_2048_SPLIT};
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn unknown_key_types() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=dsa; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=mldsa44; p=\"\ns3._domainkey TXT \"v=DKIM1; k=\" \"rsa2048; p={ED25519}\"\n"),
            &["DKIM008", "DKIM001", "DKIM004"],
        ));
    }

    #[test]
    fn known_key_types_in_any_case_are_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ED25519; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=rsa; p={RSA_2048_SPLIT}\"\ns3._domainkey TXT \"v=DKIM1; p={RSA_2048_SPLIT}\"\n"),
            &["DKIM008"],
        );
        assert_eq!(found, "");
    }
}
