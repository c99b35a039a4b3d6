//! BIMI001 `bimi-prereq`.

use super::assertion_records;
use crate::discovery::{Mode, Published, Source};
use crate::grammar::dmarc::Policy;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::settings::DmarcDiscovery;
use zonelint_zone::{Code, Span};

/// A BIMI record for a domain whose DMARC policy does not enforce.
pub struct Prereq;

static META: RuleMeta = RuleMeta {
    code: Code { code: "BIMI001", slug: "bimi-prereq" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a BIMI record, but the effective DMARC policy does not enforce",
    doc: RuleDoc {
        what: "Reports a BIMI assertion record (`<selector>._bimi.<domain>` with `v=BIMI1` and a logo) when the DMARC policy in force for the domain (its own `_dmarc` record, or the organizational domain's `sp`, by the configured discovery) is not enforcing: `p` (or the inherited `sp`) is `none` or DMARC does not apply, the organizational domain's own record has `sp=none`, or the record has `t=y` or `pct` below 100. A record that declines BIMI (`l=` empty) is not reported.",
        why: "Receivers show a BIMI logo only for mail that passes DMARC under an enforcing policy: `p=quarantine` or `p=reject` applied to all mail, with the subdomain policy not `none` (draft-brand-indicators-for-message-identification; checkdmarc checks the same). Under a policy that does not enforce, the published logo is never shown.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"\ndefault._bimi TXT \"v=BIMI1; l=https://example.com/logo.svg\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\ndefault._bimi TXT \"v=BIMI1; l=https://example.com/logo.svg\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: raising the DMARC policy changes what receivers do with the domain's failing mail.",
        references: &["draft-brand-indicators-for-message-identification", "RFC 9989 §4.7 (p, sp, t)", "RFC 7489 §6.3 (pct)"],
    },
};

impl Rule for Prereq {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let records = assertion_records(cx);
        if records.is_empty() {
            return;
        }
        let discovery = cx.discovery;
        let modes: &[Mode] = match cx.settings.dmarc_discovery {
            DmarcDiscovery::Rfc7489 => &[Mode::Rfc7489],
            DmarcDiscovery::Rfc9989 => &[Mode::Rfc9989],
            DmarcDiscovery::Both => &[Mode::Rfc9989, Mode::Rfc7489],
        };
        for assertion in records
            .iter()
            .filter(|a| a.record.valid_version && !a.record.declined)
        {
            let domain = assertion.domain;
            let is_org = discovery
                .organizational_domain(domain)
                .is_some_and(|org| org == domain);
            let mut weaknesses: Vec<(String, Option<Span>)> = Vec::new();
            let mut seen: Vec<Span> = Vec::new();
            for &mode in modes {
                let effective = discovery.effective(domain, true, mode);
                let (published, own) = match effective.source {
                    Source::Own(published) => (published, true),
                    Source::Organizational(published) => (published, false),
                    Source::Nothing => {
                        push(&mut weaknesses, "no DMARC record applies".to_owned(), None);
                        continue;
                    }
                    Source::Unknown => continue,
                };
                if seen.contains(&published.span) {
                    continue;
                }
                seen.push(published.span);
                for (what, span) in weak(cx, &published, own, own && is_org) {
                    push(&mut weaknesses, what, span);
                }
            }
            if weaknesses.is_empty() {
                continue;
            }
            let owner = assertion.txt.owner;
            let at = assertion
                .record
                .tags
                .iter()
                .find(|t| t.is("l"))
                .map_or(assertion.txt.span(), |t| t.span());
            let listed: Vec<&str> = weaknesses.iter().map(|(w, _)| w.as_str()).collect();
            let mut report = sink
                .report(at, format!("the BIMI record at {owner} asks for a logo on {domain}'s mail, but the DMARC policy in force does not enforce ({}): receivers will not show the logo", listed.join(", ")))
                .help("BIMI needs `p=quarantine` or `p=reject` for the domain, `sp` not `none`, no `t=y` and no `pct` below 100")
                .owner(owner);
            for (_, span) in &weaknesses {
                if let Some(span) = span {
                    report = report.related(*span, "not enforcing");
                }
            }
            drop(report);
        }
    }
}

fn push(weaknesses: &mut Vec<(String, Option<Span>)>, what: String, span: Option<Span>) {
    if !weaknesses.iter().any(|(w, _)| *w == what) {
        weaknesses.push((what, span));
    }
}

/// What keeps `published` from enforcing, as it applies to the BIMI domain: its own record
/// (`own`, then `p`; `org_itself` adds the organizational domain's `sp`) or the
/// organizational domain's (`sp`, else `p`); each with the span to point at.
fn weak(
    cx: &ZoneContext<'_>,
    published: &Published,
    own: bool,
    org_itself: bool,
) -> Vec<(String, Option<Span>)> {
    let entry = cx
        .mail
        .zones
        .iter()
        .flat_map(|z| z.dmarc.iter())
        .find(|e| !published.configured && e.txt.span() == published.span);
    let record = entry.map(|e| &e.record);
    let whose = if published.configured {
        "the configured parent policy".to_owned()
    } else {
        format!("_dmarc.{}", published.domain)
    };
    let mut out = Vec::new();
    let p_span = record.and_then(|r| r.policy()).map(|p| p.span);
    let sp_span = record.and_then(|r| r.subdomain_policy()).map(|p| p.span);
    let (tag, policy, span) = if !own && published.subdomain.is_some() {
        ("sp", published.subdomain, sp_span)
    } else {
        ("p", published.requested, p_span)
    };
    match policy {
        None => out.push((
            format!("{whose} has no valid policy"),
            Some(published.span).filter(|_| !published.configured),
        )),
        Some(Policy::None) if span.is_none() && tag == "p" => {
            out.push((
                format!("{whose} has no `p`, so none"),
                Some(published.span).filter(|_| !published.configured),
            ));
        }
        Some(Policy::None) => out.push((format!("`{tag}=none` in {whose}"), span)),
        Some(_) => {}
    }
    if org_itself && published.subdomain == Some(Policy::None) && tag == "p" {
        out.push((format!("`sp=none` in {whose}"), sp_span));
    }
    if published.testing {
        out.push((
            format!("`t=y` in {whose}"),
            record.and_then(|r| r.testing()).map(|t| t.span),
        ));
    }
    if let Some(percent) = record.and_then(|r| r.percent()).filter(|p| p.value < 100) {
        out.push((
            format!("`pct={}` in {whose}", percent.value),
            Some(percent.span),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_with, only};

    const HEAD: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n";
    const BIMI: &str = "default._bimi TXT \"v=BIMI1; l=https://example.com/logo.svg\"\n";

    #[test]
    fn policies_that_do_not_enforce() {
        let mut out = String::new();
        for dmarc in [
            "v=DMARC1; p=none",
            "v=DMARC1; p=reject; sp=none",
            "v=DMARC1; p=quarantine; t=y",
            "v=DMARC1; p=reject; pct=50",
            "v=DMARC1; rua=mailto:d@example.com",
        ] {
            out.push_str(&format!("# {dmarc}\n"));
            out.push_str(&lint_with(
                &format!("{HEAD}_dmarc TXT \"{dmarc}\"\n{BIMI}"),
                &only("BIMI001"),
            ));
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn no_dmarc_at_all() {
        insta::assert_snapshot!(lint_with(&format!("{HEAD}{BIMI}"), &only("BIMI001")));
    }

    #[test]
    fn a_subdomain_inherits_the_organizational_sp() {
        insta::assert_snapshot!(lint_with(
            &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; t=y\"\ndefault._bimi.news TXT \"v=BIMI1; l=https://example.com/news.svg\"\nnews A 192.0.2.8\n"),
            &only("BIMI001")
        ));
    }

    #[test]
    fn enforcing_policies_and_declining_records_are_not_reported() {
        for zone in [
            format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject\"\n{BIMI}"),
            format!("{HEAD}_dmarc TXT \"v=DMARC1; p=quarantine; sp=reject; pct=100\"\n{BIMI}"),
            format!("{HEAD}_dmarc TXT \"v=DMARC1; p=none\"\ndefault._bimi TXT \"v=BIMI1; l=\"\n"),
            format!("{HEAD}_dmarc TXT \"v=DMARC1; p=none\"\n_dmarc.news TXT \"v=DMARC1; p=reject\"\ndefault._bimi.news TXT \"v=BIMI1; l=https://example.com/n.svg\"\n"),
        ] {
            assert_eq!(lint_with(&zone, &only("BIMI001")), "", "{zone}");
        }
    }

    #[test]
    fn the_parent_zone_governs_a_child_zone() {
        insta::assert_snapshot!(check_zones(
            "BIMI001",
            &[
                ("example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc TXT \"v=DMARC1; p=reject; sp=none\"\nsub NS ns1.sub\nns1.sub A 192.0.2.54\n"),
                ("sub.example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.54\ndefault._bimi TXT \"v=BIMI1; l=https://sub.example.com/l.svg\"\n"),
            ],
        ));
    }
}
