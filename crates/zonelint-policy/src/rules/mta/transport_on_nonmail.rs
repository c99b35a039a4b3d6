//! MTA003 `transport-on-nonmail`.

use super::{transport_places, Transport};
use crate::rules::mx::{has_real_mx, null_mx};
use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// MTA-STS or TLS-RPT for a domain that takes no mail.
pub struct TransportOnNonmail;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MTA003", slug: "transport-on-nonmail" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: false,
    summary: "MTA-STS or TLS-RPT on a null-MX or no-MX name",
    doc: RuleDoc {
        what: "Notes an MTA-STS (`_mta-sts`) or TLS-RPT (`_smtp._tls`) record for a domain of the zone that publishes a null MX or no MX at all. A domain that is a CNAME (its MX is the target's) or lies below a delegation is not checked.",
        why: "MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) secure and report on SMTP delivery to a domain's MX hosts. A domain with a null MX takes no mail (RFC 7505 §3), and one without MX has at most an implicit MX that MTA-STS policies cannot name, so the records protect nothing there.",
        example: "news A 192.0.2.10\nnews MX 0 .\nnews TXT \"v=spf1 -all\"\n_smtp._tls.news TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"\n",
        use_instead: "news A 192.0.2.10\nnews MX 0 .\nnews TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the records are harmless; remove them or publish a real MX.",
        references: &["RFC 7505 §3", "RFC 8461 §3", "RFC 8460 §3"],
    },
};

impl Rule for TransportOnNonmail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for transport in [Transport::MtaSts, Transport::TlsRpt] {
            for place in transport_places(cx, transport) {
                let published = place
                    .texts
                    .iter()
                    .find(|t| transport.is_attempt(t.text.as_bytes()))
                    .map(|t| t.span())
                    .or_else(|| {
                        zone.records_of(place.facts, RType::CNAME)
                            .next()
                            .map(|r| r.span())
                    });
                let Some(span) = published else { continue };
                let domain = &place.domain;
                if !domain.is_at_or_below(&zone.origin) || zone.is_below_cut(domain) {
                    continue;
                }
                let facts = zone.get(domain);
                if facts.is_some_and(|f| zone.has_type(f, RType::CNAME) || has_real_mx(zone, f)) {
                    continue;
                }
                let null = facts.and_then(|f| null_mx(zone, f));
                let what = if null.is_some() {
                    "publishes a null MX (it takes no mail)"
                } else {
                    "publishes no MX record"
                };
                let mut report = sink
                    .report(span, format!("{} record for {domain}, which {what}: there is no mail delivery for it to secure or report on", transport.label()))
                    .help("Pointless for a domain that takes no mail: remove the record, or publish the MX it is meant for")
                    .owner(place.facts.name);
                if let Some(null) = null {
                    report = report.related(
                        target(&null).map_or(null.span(), |t| t.span()),
                        "the null MX",
                    );
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn transport_records_of_nonmail_domains_are_noted() {
        insta::assert_snapshot!(lint_snippet(
            "_mta-sts TXT \"v=STSv1; id=1\"\n_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\nnews MX 0 .\n_smtp._tls.news TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\n",
            &["MTA003"],
        ));
    }

    #[test]
    fn domains_with_mx_aliases_and_delegations_are_not_noted() {
        assert_eq!(
            lint_snippet(
                "@ MX 10 mail.example.net.\n_mta-sts TXT \"v=STSv1; id=1\"\n_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\nwww CNAME web.example.net.\n_smtp._tls.www TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\n_smtp._tls.shop TXT \"unrelated\"\n",
                &["MTA003"],
            ),
            ""
        );
    }
}
