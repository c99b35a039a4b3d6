//! COV008 `cov-dkim-for-senders`.

use super::exempt_from_coverage;
use crate::grammar::dmarc::Policy;
use crate::grammar::spf::{Mechanism, Qualifier};
use crate::index::NameSet;
use crate::rules::dkim::domains_with_selectors;
use crate::rules::dmarc::{discovery_modes, organizational_domain};
use crate::rules::mx::{authorizes_only_itself, exchanges};
use crate::rules::{
    FixAvailability, Level, Rule, RuleDoc, RuleMeta, SharedView, Sink, ZoneContext,
};
use zonelint_zone::Code;

/// A name whose SPF authorizes senders, with no DKIM selector in sight.
pub struct DkimForSenders;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV008", slug: "cov-dkim-for-senders" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a name whose SPF authorizes senders has no visible DKIM selector",
    doc: RuleDoc {
        what: "Reports a name whose own SPF record authorizes senders (a mechanism that passes, or a `redirect=`; anything but `v=spf1 -all` and the like) when the loaded zones publish no DKIM selector for it or for its organizational domain (whose signatures align in relaxed mode): no `<selector>._domainkey` TXT key that is not revoked, and no CNAME there. Names under an effective `p=reject` are DMARC025's, which reports the same gap as a warning. When `senders` is configured, only declared senders are checked (COV004 reports the others). A mail exchanger whose SPF authorizes only itself (`v=spf1 a -all`, the record for its HELO name and bounces) is not reported. A `_domainkey.<name>` delegated to a zone that is not loaded is not reported, since its selectors cannot be seen.",
        why: "A domain owner MUST send mail that passes both aligned SPF and aligned DKIM (RFC 9989 §8); SPF alone breaks when mail is forwarded, so under an enforcing DMARC policy forwarded mail that carries no aligned DKIM signature fails. A zone file shows every selector, so a sending name without one is either unsigned or signed with keys published somewhere else.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=quarantine; sp=quarantine; np=quarantine; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nshop A 192.0.2.7\nshop MX 10 mx.example.net.\nshop TXT \"v=spf1 a -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nshop A 192.0.2.7\nshop MX 10 mx.example.net.\nshop TXT \"v=spf1 a -all\"\ns1._domainkey.shop TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: the key comes from the signer.",
        references: &["RFC 9989 §5.1.2, §8", "RFC 6376 §3.6.2.1"],
    },
};

impl Rule for DkimForSenders {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn shared_views(&self) -> &'static [SharedView] {
        &[SharedView::Exchanges]
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        // The names judged already, by position (a name may own several SPF records).
        let mut seen = NameSet::new(zone);
        for entry in mail.spf.iter().filter(|e| e.is_selected()) {
            let name = entry.txt.owner;
            if cx.settings.senders.is_some() && !cx.settings.is_sender(name) {
                continue;
            }
            let Some((position, facts)) = zone.owner_of(entry.txt.record) else {
                continue;
            };
            if name.is_wildcard() || exempt_from_coverage(zone, facts) {
                continue;
            }
            if !seen.insert(position) {
                continue;
            }
            let authorizing = entry
                .record
                .directives()
                .find(|(_, d)| {
                    d.effective_qualifier() == Qualifier::Pass
                        && !matches!(d.mechanism, Mechanism::All)
                })
                .map(|(term, _)| term.span())
                .or_else(|| {
                    entry
                        .record
                        .redirect()
                        .map(|m| m.name_span().cover(m.value.span()))
                });
            let Some(span) = authorizing else { continue };
            // A mail exchanger's own HELO record (`v=spf1 a -all`) is no sending domain.
            if authorizes_only_itself(&entry.record) && exchanges(cx).contains(name) {
                continue;
            }
            // A signature with the organizational domain's `d=` aligns in relaxed mode
            // (RFC 9989 §4.4.1), so selectors there count as well.
            let signed = domains_with_selectors(cx);
            let org = organizational_domain(cx.settings, name);
            if signed.contains(name) || org.is_some_and(|org| signed.contains(org)) {
                continue;
            }
            // Under an effective `p=reject`, DMARC025 reports the same gap as a warning.
            let discovery = cx.discovery;
            if discovery_modes(cx.settings).iter().any(|&mode| {
                discovery.effective_at(zone, facts, true, mode).policy == Some(Policy::Reject)
            }) {
                continue;
            }
            // Selectors delegated to a zone that is not loaded cannot be seen.
            let Ok(domainkey) = name.prepend(b"_domainkey") else {
                continue;
            };
            match cx.set.lookup(&domainkey) {
                Some(found) if found.zone.cut_at_or_above(&domainkey).is_none() => {}
                _ => continue,
            }
            let shown = String::from_utf8_lossy(zone.zone.sources.slice(span)).into_owned();
            sink.report(span, format!("{name} authorizes senders with `{shown}`, but the loaded zones publish no DKIM selector for it (`<selector>._domainkey.{name}`): its mail can pass DMARC through SPF only, which forwarding breaks"))
                .help(format!("Sign the mail of {name} with DKIM and publish the key at `<selector>._domainkey.{name}` (a CNAME to the provider's key counts); if the keys are in another zone, lint it too"))
                .owner(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dkim::test_keys::ED25519;
    use crate::rules::test_support::{check_zones, lint_snippet, lint_with};
    use crate::{Selector, Settings};
    use zonelint_zone::Name;

    /// The test APEX with a policy that does not reject, so that COV008 (not DMARC025)
    /// reports a missing selector.
    fn quarantined(snippet: &str) -> String {
        let apex = crate::rules::test_support::APEX.replace(
            "p=reject; sp=reject; np=reject",
            "p=quarantine; sp=quarantine; np=quarantine",
        );
        lint_with(
            &format!("{apex}{snippet}"),
            &Settings {
                select: vec![Selector("COV008".to_owned())],
                ..Settings::default()
            },
        )
    }

    #[test]
    fn under_reject_or_with_org_domain_selectors_it_is_left_alone() {
        // p=reject: DMARC025's warning. An org-domain key: aligned in relaxed mode.
        assert_eq!(
            lint_snippet(
                "mail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n",
                &["COV008"]
            ),
            ""
        );
        assert_eq!(
            quarantined(&format!("mail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\ns1._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n")),
            ""
        );
    }

    #[test]
    fn senders_without_selectors() {
        insta::assert_snapshot!(quarantined(
            "@ MX 10 mx1\nmx1 A 192.0.2.26\nmx1 TXT \"v=spf1 a -all\"\nmx2 A 192.0.2.27\nmx2 TXT \"v=spf1 a include:_spf.example.net -all\"\n@ MX 20 mx2\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\nnews TXT \"v=spf1 include:_spf.example.net ~all\"\nlegacy TXT \"v=spf1 redirect=_spf.example.net\"\nrevoked TXT \"v=spf1 ip4:192.0.2.9 -all\"\ns1._domainkey.revoked TXT \"v=DKIM1; p=\"\n*._domainkey.revoked TXT \"v=DKIM1; p=\"\n",
        ));
    }

    #[test]
    fn names_with_selectors_or_no_senders_are_not_reported() {
        let found = lint_snippet(
            &format!("mail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\ns1._domainkey.mail TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\nshop TXT \"v=spf1 include:_spf.example.net -all\"\nsel1._domainkey.shop CNAME sel1.dkim.example.net.\nweb A 192.0.2.6\nweb TXT \"v=spf1 -all\"\nold TXT \"v=spf1 ~all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\nsub NS ns1.sub\nns1.sub A 192.0.2.9\nns1.sub TXT \"v=spf1 a -all\"\nlist TXT \"v=spf1 mx -all\"\n_domainkey.list NS ns1.provider.example.\n"),
            &["COV008"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn only_declared_senders_when_senders_are_configured() {
        let settings = Settings {
            select: vec![Selector("COV008".to_owned())],
            senders: Some(vec![Name::from_ascii("mail.example.com.").unwrap()]),
            ..Settings::default()
        };
        let apex = crate::rules::test_support::APEX.replace(
            "p=reject; sp=reject; np=reject",
            "p=quarantine; sp=quarantine; np=quarantine",
        );
        insta::assert_snapshot!(lint_with(
            &format!("{apex}mail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\nold A 192.0.2.5\nold TXT \"v=spf1 a -all\"\n"),
            &settings
        ));
    }

    #[test]
    fn a_selector_in_a_loaded_child_zone_counts() {
        let found = check_zones(
            "COV008",
            &[
                ("example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n@ TXT \"v=spf1 mx -all\"\n_domainkey NS ns1\n"),
                ("_domainkey.example.com.", &format!("$TTL 3600\n@ SOA ns1.example.com. hm 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\ns1 TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\n")),
            ],
        );
        assert_eq!(found, "");
    }
}
