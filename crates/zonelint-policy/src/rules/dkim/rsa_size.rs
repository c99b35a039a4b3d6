//! DKIM005 `dkim-rsa-size`.

use super::key_records;
use crate::grammar::dkim::{KeyType, PublicKey};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// An RSA key shorter than 2048 bits.
pub struct RsaSize;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM005", slug: "dkim-rsa-size" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "RSA key under 1024 bits (error) or under 2048 bits",
    doc: RuleDoc {
        what: "Reports an RSA key whose modulus is shorter than 2048 bits: an error below 1024 bits in every profile, a warning from 1024 to 2047 bits (an error in the strict profile).",
        why: "Verifiers MUST NOT accept RSA keys shorter than 1024 bits, so every signature made with such a key fails; signers MUST use at least 1024 bits and SHOULD use at least 2048 (RFC 8301 §3.2).",
        example: "s1._domainkey TXT \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQD//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////wIDAQAB\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////\" \"/////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////wIDAQAB\"\n",
        fix_safety: "No fix: a new key pair must be generated and the signer reconfigured.",
        references: &["RFC 8301 §3.2", "RFC 6376 §3.3.3"],
    },
};

impl Rule for RsaSize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for key in key_records(cx) {
            if key.record().effective_key_type() != KeyType::Rsa {
                continue;
            }
            let Some(public_key) = &key.record().public_key else {
                continue;
            };
            let PublicKey::Rsa { modulus_bits, .. } = public_key.value else {
                continue;
            };
            let owner = key.txt.owner;
            let (default, strict, message) = if modulus_bits < 1024 {
                (Level::Error, Level::Error, text![modulus_bits, "-bit RSA key at ", owner, ": RFC 8301 forbids verifiers to accept keys under 1024 bits, so every signature made with it fails"])
            } else if modulus_bits < 2048 {
                (
                    Level::Warning,
                    Level::Error,
                    text![
                        modulus_bits,
                        "-bit RSA key at ",
                        owner,
                        "; RFC 8301 requires 1024 bits and recommends 2048"
                    ],
                )
            } else {
                continue;
            };
            if let Some(report) = sink.report_graded(default, strict, public_key.span, message) {
                report
                    .help("Rotate to a 2048-bit RSA key (or publish an Ed25519 key beside an RSA one)")
                    .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::{RSA_1024, RSA_2048_SPLIT, RSA_512};
    use crate::rules::test_support::lint_snippet;
    use crate::rules::test_support::lint_with;
    use crate::{Selector, Settings};

    #[test]
    fn short_rsa_keys() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; p={RSA_512}\"\ns2._domainkey TXT \"v=DKIM1; k=rsa; p={RSA_1024}\"\ns3._domainkey TXT \"v=DKIM1; p={RSA_2048_SPLIT}\"\n"),
            &["DKIM005"],
        ));
    }

    #[test]
    fn a_1024_bit_key_is_an_error_when_strict() {
        let text = format!(
            "{}s2._domainkey TXT \"v=DKIM1; p={RSA_1024}\"\n",
            crate::rules::test_support::APEX
        );
        let settings = Settings {
            strict: true,
            select: vec![Selector("DKIM005".to_owned())],
            ..Settings::default()
        };
        insta::assert_snapshot!(lint_with(&text, &settings));
    }
}
