//! DKIM006 `dkim-sha1-only`.

use super::{key_records, written};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix};

/// A key whose `h=` allows SHA-1 and not SHA-256.
pub struct Sha1Only;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM006", slug: "dkim-sha1-only" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "`h=sha1` only: the key accepts no hash verifiers may use",
    doc: RuleDoc {
        what: "Reports a key record whose `h=` list of acceptable hash algorithms names `sha1` but not `sha256`.",
        why: "`h=` restricts the hash algorithms a signature made with the key may use, and a verifier MUST ignore the key for a signature whose algorithm is not listed (RFC 6376 §3.6.1, §6.1.2). RFC 8301 §3.1 forbids `rsa-sha1` for signing and verifying, and `ed25519` signatures use SHA-256 only (RFC 8463 §3): a key limited to SHA-1 verifies nothing at a verifier that follows RFC 8301.",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519; h=sha1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; h=sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "Unsafe: replaces the `h=` value with `sha256`. Signatures still made with `rsa-sha1` then fail at the old verifiers that accepted them, so make sure the signer uses SHA-256 first.",
        references: &["RFC 8301 §3.1", "RFC 6376 §3.6.1 (h=), §6.1.2", "RFC 8463 §3"],
    },
};

impl Rule for Sha1Only {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for key in key_records(cx) {
            let Some(hashes) = key.record().hashes() else {
                continue;
            };
            if !hashes.value.iter().any(|h| h == "sha1")
                || hashes.value.iter().any(|h| h == "sha256")
            {
                continue;
            }
            let owner = key.txt.owner;
            let shown = written(cx.zone, hashes.span);
            let report = sink
                .report(hashes.span, format!("the key at {owner} accepts only `h={shown}`: RFC 8301 forbids SHA-1 in DKIM, so verifiers fail every signature made with this selector"))
                .help("Sign with `rsa-sha256` or `ed25519-sha256` and write `h=sha256`, or drop `h=` (every algorithm allowed)")
                .owner(owner);
            // Only a value written in one piece (not split across TXT strings) is rewritten.
            let tag = key.record().tags.iter().find(|t| t.name() == b"h");
            if let Some(tag) = tag.filter(|t| shown.as_bytes() == t.value()) {
                report.fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: format!("Replace `h={shown}` with `h=sha256`"),
                    edits: vec![Edit {
                        span: tag.value_span(),
                        content: "sha256".to_owned(),
                    }],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::{ED25519, RSA_2048_SPLIT};
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn keys_limited_to_sha1() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; h=sha1; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; h=SHA1:md5; p={RSA_2048_SPLIT}\"\ns3._domainkey TXT \"v=DKIM1; k=ed25519; h=sh\" \"a1; p={ED25519}\"\n"),
            &["DKIM006"],
        ));
    }

    #[test]
    fn keys_that_accept_sha256_are_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; h=sha1:sha256; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; h=sha256; p={ED25519}\"\ns3._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n"),
            &["DKIM006"],
        );
        assert_eq!(found, "");
    }
}
