//! DKIM011 `dkim-misplaced`.

use super::{answered, is_adsp_name, is_selector_name};
use crate::rules::zone::doubled_origin::{doubled_at, spellings};
use crate::rules::{
    written_owner_span, FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext,
};
use zonelint_zone::name::write_label;
use zonelint_zone::{Code, NameRef};

/// A DKIM key record at a name verifiers never query for keys.
pub struct Misplaced;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM011", slug: "dkim-misplaced" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a DKIM key record not at `<selector>._domainkey.<domain>`",
    doc: RuleDoc {
        what: "Reports a TXT record that looks like a DKIM key (`v=DKIM1`, or `k=` and `p=` tags) at a name that is not `<selector>._domainkey.<domain>`: `s1.domainkey` (no underscore), `_domainkey` itself (no selector), the apex or a host name, or a wildcard such as `*` (meant as `*._domainkey`); and a key at a selector name that ends in the origin twice (`s1._domainkey.example.com` written without its trailing dot).",
        why: "Verifiers fetch the key for a signature with selector `s` and domain `d` from `s._domainkey.d` only (RFC 6376 §3.6.2.1). A key anywhere else is never read, so every signature made with the selector fails (`no key`). The doubled origin is invisible to live checkers: they only see the selector missing.",
        example: "@ TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: moving a record changes what is published, and the selector is the signer's to name.",
        references: &["RFC 6376 §3.6.2.1", "RFC 1035 §5.1"],
    },
};

impl Rule for Misplaced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        let zone = cx.zone;
        for entry in mail.dkim.iter().filter(|e| answered(zone, e.txt)) {
            let owner = entry.txt.owner;
            if is_adsp_name(owner) {
                continue; // DKIM012 reports whatever is at ADSP's name.
            }
            let at = written_owner_span(cx, entry.txt);
            if is_selector_name(owner) {
                let wire = owner.as_wire();
                let Some(doubled) = doubled_at(wire, &zone.origin) else {
                    continue;
                };
                let meant = spellings(wire, doubled, &zone.origin);
                sink.report(at, format!("this DKIM key is at {owner}: its owner was written without a trailing dot, so the origin was appended, and verifiers find no key at {}", meant.absolute))
                    .help(format!("Write the owner as `{}` (relative) or `{}`", meant.relative, meant.absolute))
                    .owner(owner);
                continue;
            }
            let (why, help) = intended(owner);
            sink.report(at, format!("DKIM key record at {owner}, {why}: verifiers look for keys only at `<selector>._domainkey.<domain>`, so they never read this one"))
                .help(help)
                .owner(owner);
        }
    }
}

/// What is wrong with the name, and the help: where the key was evidently meant to be.
fn intended(owner: &NameRef) -> (String, String) {
    let labels: Vec<&[u8]> = owner.labels().collect();
    let first = labels.first().copied().unwrap_or_default();
    let text = |labels: &[&[u8]]| -> String {
        let mut out = String::new();
        for label in labels {
            let _ = write_label(label, &mut out);
            out.push('.');
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    };
    if first.eq_ignore_ascii_case(b"_domainkey") {
        let domain = text(labels.get(1..).unwrap_or_default());
        return (
            "which has no selector label".to_owned(),
            format!("Move it to `<selector>._domainkey.{domain}`, with the selector the signer writes in `s=`"),
        );
    }
    // `s1.domainkey`, `s1._domainkeys`: a misspelt `_domainkey` label below the selector.
    let misspelt = labels.iter().skip(1).position(|label| {
        let trimmed: Vec<u8> = label
            .iter()
            .copied()
            .skip_while(|&b| b == b'_')
            .map(|b| b.to_ascii_lowercase())
            .collect();
        trimmed == b"domainkey" || trimmed == b"domainkeys"
    });
    if let Some(index) = misspelt {
        let index = index + 1;
        let mut fixed = labels.clone();
        if let Some(label) = fixed.get_mut(index) {
            *label = b"_domainkey";
        }
        let shown =
            String::from_utf8_lossy(labels.get(index).copied().unwrap_or_default()).into_owned();
        return (
            format!("where `{shown}` is not `_domainkey`"),
            format!("Move it to {}", text(&fixed)),
        );
    }
    if owner.is_wildcard() {
        let domain = text(labels.get(1..).unwrap_or_default());
        return (
            "a wildcard that answers for host names, not selectors".to_owned(),
            format!("To revoke every selector a domain does not publish, put the record at *._domainkey.{domain}"),
        );
    }
    (
        "which is not a selector name".to_owned(),
        format!(
            "Move it to `<selector>._domainkey.{}`, with the selector the signer writes in `s=`",
            text(&labels)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn keys_where_verifiers_never_look() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1.domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\ns2._domainkeys.news TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n_domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n@ TXT \"k=ed25519; p={ED25519}\"\n* TXT \"v=DKIM1; p=\"\ns3._domainkey.example.com TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n"),
            &["DKIM011"],
        ));
    }

    #[test]
    fn keys_at_selectors_and_other_text_are_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n*._domainkey TXT \"v=DKIM1; p=\"\ns1.s2._domainkey.news TXT \"v=DKIM1; p=\"\n_adsp._domainkey TXT \"v=DKIM1; p=\"\nwww TXT \"p=not-a-key\"\nsub NS ns1.sub\nns1.sub A 192.0.2.9\ns1.domainkey.sub TXT \"v=DKIM1; p=\"\n"),
            &["DKIM011"],
        );
        assert_eq!(found, "");
    }
}
