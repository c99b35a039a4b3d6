//! DKIM003 `dkim-revoked`.

use super::key_records;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A named selector whose key is revoked (`p=` empty).
pub struct Revoked;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM003", slug: "dkim-revoked" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: false,
    summary: "empty `p=` (revoked) at a named selector",
    doc: RuleDoc {
        what: "Reports a key record with an empty `p=` at a named selector. The wildcard `*._domainkey \"v=DKIM1; p=\"`, which revokes every selector a domain does not publish (the parked-domain pattern), is not reported.",
        why: "An empty `p=` means the key has been revoked (RFC 6376 §3.6.1): every signature made with the selector fails. That is right after a key rotation, and a mistake when the selector still signs mail.",
        example: "s1._domainkey TXT \"v=DKIM1; p=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: only the owner knows whether the selector is retired.",
        references: &["RFC 6376 §3.6.1", "M3AAWG Protecting Parked Domains BCP (2015)"],
    },
};

impl Rule for Revoked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for key in key_records(cx) {
            if key.txt.owner.is_wildcard() || !key.record().is_revoked() {
                continue;
            }
            let Some(tag) = key.record().tags.iter().find(|t| t.name() == b"p") else {
                continue;
            };
            let owner = key.txt.owner;
            sink.report(tag.span(), format!("the selector {owner} is revoked (`p=` is empty): verifiers fail every signature made with it"))
                .help("Intended after a key rotation; remove the record once no mail signed with it is in transit")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn revoked_named_selectors() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; p=\"\n*._domainkey TXT \"v=DKIM1; p=\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n"),
            &["DKIM003"],
        ));
    }
}
