//! DKIM009 `dkim-service-type`.

use super::{key_records, written};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A key whose `s=` service types exclude email.
pub struct ServiceType;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM009", slug: "dkim-service-type" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`s=` without `*` or `email`: the key is not for email",
    doc: RuleDoc {
        what: "Reports a key record whose `s=` service-type list holds neither `*` (all services) nor `email`.",
        why: "`s=` names the services the key may be used for, and verifiers of a service MUST ignore a key record that does not list it (RFC 6376 §3.6.1). `email` and `*` are the only service types defined, so a key with `s=tlsrpt` or a misspelt `s=mail` cannot verify any email signature.",
        example: "s1._domainkey TXT \"v=DKIM1; k=ed25519; s=mail; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; s=email; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: whether the key is meant for email is the owner's to say (`s=email`, or no `s=` at all).",
        references: &["RFC 6376 §3.6.1 (s=)"],
    },
};

impl Rule for ServiceType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for key in key_records(cx) {
            let Some(services) = key.record().services() else {
                continue;
            };
            if services.value.iter().any(|s| s == "*" || s == "email") {
                continue;
            }
            let owner = key.txt.owner;
            let shown = written(cx.zone, services.span);
            sink.report(services.span, format!("the key at {owner} is limited to `s={shown}`, which excludes email: verifiers ignore it for mail signatures"))
                .help("Write `s=email`, or drop `s=` (the default `*` covers email)")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn keys_not_for_email() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; s=tlsrpt; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; s=mail:web; p={ED25519}\"\n"),
            &["DKIM009"],
        ));
    }

    #[test]
    fn email_and_all_services_are_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; s=email; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM1; k=ed25519; s=*; p={ED25519}\"\ns3._domainkey TXT \"v=DKIM1; k=ed25519; s=tlsrpt:EMAIL; p={ED25519}\"\ns4._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n"),
            &["DKIM009"],
        );
        assert_eq!(found, "");
    }
}
