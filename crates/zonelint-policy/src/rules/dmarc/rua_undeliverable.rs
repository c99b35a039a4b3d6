//! DMARC019 `dmarc-rua-undeliverable`.

use super::external_dest::host_name;
use super::policy_records;
use crate::grammar::uri::Scheme;
use crate::index::{NameFacts, ZoneIndex};
use crate::rules::targets::{target, Resolution};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, Name, NameRef, RType, Span};

/// A report address whose domain, in a loaded zone, takes no mail.
pub struct RuaUndeliverable;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC019", slug: "dmarc-rua-undeliverable" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "report mailbox domain in a loaded zone takes no mail (null MX, or no MX and no address)",
    doc: RuleDoc {
        what: "For each `mailto:` URI of `rua` and `ruf`, looks up the mailbox's domain in the loaded zones and reports it when it takes no mail: a null MX (`MX 0 .`), no MX and no A/AAAA record (no implicit MX either), or a name that does not exist. Domains outside the loaded zones, below a delegation, or behind a CNAME are not judged.",
        why: "A null MX says the domain accepts no mail (RFC 7505 §3), and a domain with neither MX nor address records has no mail server at all (RFC 5321 §5.1), so every report sent there bounces and the domain owner never sees them.",
        example: "parked A 192.0.2.80\nparked MX 0 .\nparked TXT \"v=spf1 -all\"\n_dmarc.parked TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@parked.example.com\"\n",
        use_instead: "parked A 192.0.2.80\nparked MX 0 .\nparked TXT \"v=spf1 -all\"\n_dmarc.parked TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "No fix: the right mailbox is the domain owner's choice.",
        references: &["RFC 7505 §3", "RFC 5321 §5.1", "RFC 9989 §4.7 (rua, ruf)"],
    },
};

/// Why a mailbox domain takes no mail.
enum Undeliverable {
    /// It publishes a null MX (the record's span).
    NullMx(Span),
    /// No MX and no address record (the name's first record).
    NoServer(Span),
    /// It does not exist in its zone.
    Missing(Name),
}

impl Rule for RuaUndeliverable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let owner = entry.txt.owner;
            let uris = entry
                .record
                .rua
                .iter()
                .map(|u| ("rua", "aggregate", u))
                .chain(entry.record.ruf.iter().map(|u| ("ruf", "failure", u)));
            for (tag, kind, uri) in uris {
                if uri.scheme != Scheme::Mailto {
                    continue;
                }
                let Some(host) = host_name(uri) else { continue };
                let Some(problem) = undeliverable(cx, &host) else {
                    continue;
                };
                let text = uri.to_text();
                let (why, related) = match problem {
                    Undeliverable::NullMx(span) => (
                        format!("{host} publishes a null MX"),
                        Some((span, format!("{host} declares here that it takes no mail"))),
                    ),
                    Undeliverable::NoServer(span) => (
                        format!("{host} has no MX and no address record"),
                        Some((span, format!("{host} has no mail server"))),
                    ),
                    Undeliverable::Missing(origin) => {
                        (format!("{host} does not exist in the zone {origin}"), None)
                    }
                };
                let mut report = sink
                    .report(uri.span, format!("`{tag}` destination `{text}` at {owner} cannot receive mail: {why}, so every {kind} report bounces"))
                    .help(format!("Send {kind} reports to a mailbox whose domain has a working MX"))
                    .owner(owner);
                if let Some((span, label)) = related {
                    report = report.related(span, label);
                }
                drop(report);
            }
        }
    }
}

/// Whether mail to `domain` cannot be delivered, judged from the loaded zones only.
fn undeliverable(cx: &ZoneContext<'_>, domain: &NameRef) -> Option<Undeliverable> {
    let (zone, facts) = match Resolution::of(cx.set, domain) {
        Resolution::External => return None,
        Resolution::Missing(zone) => return Some(Undeliverable::Missing(zone.origin.clone())),
        Resolution::Exists(zone, facts) | Resolution::Wildcard(zone, facts) => (zone, facts),
    };
    // A delegation point's mail data is the child zone's; a CNAME's is its target's.
    if zone.cut_of(facts).is_some() || zone.has_type(facts, RType::CNAME) {
        return None;
    }
    mail_servers(zone, facts)
}

fn mail_servers(zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> Option<Undeliverable> {
    let mut null = None;
    let mut real = false;
    for mx in zone.records_of(facts, RType::MX) {
        match target(&mx) {
            Some(exchange) if exchange.is_root() => {
                null.get_or_insert(mx.span());
            }
            Some(_) => real = true,
            None => {}
        }
    }
    if real {
        return None;
    }
    if let Some(span) = null {
        return Some(Undeliverable::NullMx(span));
    }
    if zone.has_type(facts, RType::A) || zone.has_type(facts, RType::AAAA) {
        return None;
    }
    Some(Undeliverable::NoServer(zone.first_span(facts)))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;
    use crate::rules::test_support::check_zones;

    #[test]
    fn null_mx_no_server_and_missing_domains() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:a@parked.example.com,mailto:b@bare.example.com; ruf=mailto:c@gone.example.com\""),
            "parked A 192.0.2.80\nparked MX 0 .\nbare TXT \"v=spf1 -all\"\n",
            &["DMARC019"],
            false,
        ));
    }

    #[test]
    fn deliverable_unknown_or_not_mail() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:a@mx.example.com,mailto:b@web.example.com,mailto:c@alias.example.com,mailto:d@child.example.com,mailto:e@example.net,https://r.example.com/x,mailto:f@any.wild.example.com\""),
            "mx MX 10 mail.example.net.\nweb AAAA 2001:db8::1\nalias CNAME elsewhere.example.net.\nchild NS ns1.example.net.\n*.wild MX 10 mail.example.net.\n",
            &["DMARC019"],
            false,
        );
        assert_eq!(found, "");
    }

    #[test]
    fn the_mailbox_domain_may_be_in_another_loaded_zone() {
        let apex = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n";
        let policy = format!("{apex}_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@example.net\"\n");
        let destination = format!("{apex}@ MX 0 .\n");
        insta::assert_snapshot!(check_zones(
            "DMARC019",
            &[("example.com.", &policy), ("example.net.", &destination)]
        ));
    }
}
