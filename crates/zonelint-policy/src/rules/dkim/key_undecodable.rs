//! DKIM004 `dkim-key-undecodable`.

use super::{report_problems, KeyRecord};
use crate::grammar::base64::{self, Base64Error};
use crate::grammar::dkim::{DkimProblemKind, KeyError};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DKIM `p=` value that does not decode to a key of its type.
pub struct KeyUndecodable;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM004", slug: "dkim-key-undecodable" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "bad base64; RSA not SPKI/RSAPublicKey; Ed25519 not 32 bytes",
    doc: RuleDoc {
        what: "Reports a `p=` value that is not base64, an RSA key (`k=rsa`, the default) that is neither a SubjectPublicKeyInfo nor an RSAPublicKey (typically a key truncated when it was pasted), and an Ed25519 key that is not the raw 32-octet key.",
        why: "`p=` is the base64 public key (RFC 6376 §3.6.1); an Ed25519 key is the raw 32-octet key, not SPKI (RFC 8463 §4.2). A key that does not decode makes every signature made with the selector fail.",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaa\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: only the key's owner has the key.",
        references: &["RFC 6376 §3.6.1", "RFC 8463 §4.2", "RFC 8017 §A.1.1", "RFC 5280 §4.1.2.7"],
    },
};

impl Rule for KeyUndecodable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DKIM004", |key, kind, text| {
            let DkimProblemKind::Key(error) = kind else {
                return None;
            };
            let owner = key.txt.owner;
            let (what, help) = match error {
                KeyError::Base64(Base64Error::BadCharacter { .. }) => (format!("`{text}` is not a base64 character"), "Copy the key again: base64 uses A–Z, a–z, 0–9, `+` and `/`"),
                KeyError::Base64(Base64Error::BadPadding { .. }) => ("`=` padding before the end of the key".to_owned(), "Copy the key again: `=` may only end it"),
                KeyError::Base64(Base64Error::BadLength) => ("the base64 key has a length no encoding produces (a character is missing or extra)".to_owned(), "Copy the key again; it was probably cut"),
                KeyError::NotRsa(_) if raw_ed25519(key) => ("the key is not an RSA key but looks like a raw Ed25519 key (32 octets), and the record's key type is `rsa` (the default)".to_owned(), "Add `k=ed25519`"),
                KeyError::NotRsa(_) => ("the key is not an RSA public key (SubjectPublicKeyInfo or RSAPublicKey); it is probably truncated".to_owned(), "Copy the whole key again; split it across several quoted strings if it is long"),
                KeyError::Ed25519InRsa => ("the key is an Ed25519 key but the record's key type is `rsa` (the default)".to_owned(), "Add `k=ed25519` and publish the raw 32-octet key (RFC 8463 §4.2)"),
                KeyError::Ed25519Length { octets } => (format!("the Ed25519 key decodes to {octets} octets, not 32"), "Copy the key again: an Ed25519 key is 44 base64 characters"),
                KeyError::Ed25519Wrapped => ("the Ed25519 key is wrapped in a SubjectPublicKeyInfo, not the raw 32-octet key".to_owned(), "Publish only the last 32 octets (RFC 8463 §4.2)"),
            };
            Some((
                format!(
                    "in the key record at {owner}, {what}: verifiers fail every signature made with this selector"
                ),
                help.to_owned(),
                None,
            ))
        });
    }
}

/// Whether `p=` decodes to 32 octets: a raw Ed25519 key (RFC 8463 §4.2) published without
/// `k=ed25519`.
fn raw_ed25519(key: &KeyRecord<'_>) -> bool {
    key.record()
        .tags
        .iter()
        .find(|t| t.name() == b"p")
        .and_then(|t| base64::decode(t.value()).ok())
        .is_some_and(|data| data.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::{ED25519, RSA_1024};
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn keys_that_do_not_decode() {
        let truncated = RSA_1024.get(..100).unwrap_or_default();
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; p={truncated}\"\ns2._domainkey TXT \"v=DKIM1; p=MIGf*MA0G\"\ns3._domainkey TXT \"v=DKIM1; k=ed25519; p=AAAA\"\ns4._domainkey TXT \"v=DKIM1; p={ED25519}\"\n"),
            &["DKIM004"],
        ));
    }

    #[test]
    fn good_and_revoked_keys_decode() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; p={RSA_1024}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\ns3._domainkey TXT \"v=DKIM1; p=\"\ns4._domainkey TXT \"v=DKIM1; k=mldsa44; p=AAAA\"\n"),
            &["DKIM004"],
        );
        assert_eq!(found, "");
    }
}
