//! MX007 `mx-null-but-sends`.

use super::null_mx;
use crate::rules::cov::{authorizing_term, exempt_from_coverage};
use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A null MX at a name whose SPF record authorizes senders, or that is a declared sender.
pub struct NullButSends;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX007", slug: "mx-null-but-sends" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "null MX at a name whose SPF authorizes senders",
    doc: RuleDoc {
        what: "Reports a null MX (`MX 0 .`) at a name whose SPF record authorizes senders (any pass mechanism other than `all`, or `redirect=`), or that is declared in `senders`.",
        why: "A null MX says the domain takes no mail, so bounces and replies to it cannot be delivered. RFC 7505 §4.2 says domains used in the SMTP MAIL FROM or the From header SHOULD NOT publish a null MX, and §4.1 lets receivers reject such mail with `550 5.7.27`.",
        example: "news A 192.0.2.10\nnews MX 0 .\nnews TXT \"v=spf1 include:_spf.mailer.example.net -all\"\n",
        use_instead: "news A 192.0.2.10\nnews MX 10 mail.example.com.\nnews TXT \"v=spf1 include:_spf.mailer.example.net -all\"\n",
        fix_safety: "No fix: either the name sends (then it needs a real MX) or it does not (then its SPF should be `v=spf1 -all`); only the operator knows which.",
        references: &["RFC 7505 §4.1", "RFC 7505 §4.2"],
    },
};

impl Rule for NullButSends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        if cx.zone_mail().is_none() {
            return;
        }
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::MX) || exempt_from_coverage(zone, facts) {
                continue;
            }
            let Some(null) = null_mx(zone, facts) else {
                continue;
            };
            let null_span = target(&null).map_or(null.span(), |t| t.span());
            let name = facts.name;
            let authorizing = cx
                .selected_spf_of(facts)
                .find_map(|e| authorizing_term(&e.record));
            if let Some(span) = authorizing {
                let term = String::from_utf8_lossy(zone.zone.sources.slice(span)).into_owned();
                sink.report(span, format!("{name} publishes a null MX (it takes no mail), but its SPF record authorizes senders with `{term}`; receivers may reject mail from a domain that cannot receive replies"))
                    .help("A null-MX domain should not send: make its SPF `v=spf1 -all`, or replace `MX 0 .` with a real MX so bounces can come back")
                    .related(null_span, "the null MX")
                    .owner(name);
            } else if cx.settings.is_sender(name) {
                sink.report(null_span, format!("{name} is a declared sender but publishes a null MX, so receivers may reject its mail and bounces cannot come back"))
                    .help("Replace `MX 0 .` with a real MX, or remove the name from `senders`")
                    .owner(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with, APEX};
    use crate::{Selector, Settings};
    use zonelint_zone::Name;

    #[test]
    fn a_null_mx_beside_an_authorizing_spf_fires() {
        insta::assert_snapshot!(lint_snippet(
            "news MX 0 .\nnews TXT \"v=spf1 \" \"ip4:192.0.2.0/24 -all\"\nold MX 0 .\nold TXT \"v=spf1 redirect=_spf.example.com\"\n",
            &["MX007"],
        ));
    }

    #[test]
    fn a_declared_sender_with_a_null_mx_fires() {
        let settings = Settings {
            select: vec![Selector("MX007".to_owned())],
            senders: Some(vec![Name::from_ascii("example.com.").unwrap()]),
            ..Settings::default()
        };
        insta::assert_snapshot!(lint_with(&format!("{APEX}@ MX 0 .\n"), &settings));
    }

    #[test]
    fn null_mx_with_a_null_spf_does_not_fire() {
        assert_eq!(
            lint_snippet(
                "parked MX 0 .\nparked TXT \"v=spf1 -all\"\nsoft MX 0 .\nsoft TXT \"v=spf1 ~all\"\nreal MX 10 mail.example.net.\nreal TXT \"v=spf1 a -all\"\nchild NS ns1.example.net.\nchild MX 0 .\nchild TXT \"v=spf1 a -all\"\n",
                &["MX007"],
            ),
            ""
        );
    }
}
