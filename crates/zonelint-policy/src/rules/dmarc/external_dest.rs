//! DMARC017 `dmarc-external-dest`.

use super::{organizational_domain, policy_records};
use crate::grammar::dmarc;
use crate::grammar::uri::Uri;
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, Name, NameRef};

/// A report URI at another organization's host without that host's authorization.
pub struct ExternalDest;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC017", slug: "dmarc-external-dest" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "report destination outside the organizational domain without authorization",
    doc: RuleDoc {
        what: "For each `rua`/`ruf` URI whose host has another organizational domain than the policy domain (public-suffix list or `org-domains`), looks for the host's authorization: a TXT record starting with `v=DMARC1` at `<policy-domain>._report._dmarc.<host>`, or at the wildcard `*._report._dmarc.<host>` where it answers. An error when the host's zone is loaded and lacks it; information (a warning in the strict profile) when the host is outside the loaded zones, where it cannot be checked offline.",
        why: "Report receivers must verify that an external destination agreed to receive reports, and MUST ignore the URI when it did not (RFC 9990, Verifying External Destinations; RFC 7489 §7.1): the domain then gets no reports from that URI.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@reports.example.net\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: the authorization is published by the destination's owner.",
        references: &["RFC 9990 (Verifying External Destinations)", "RFC 9989 §11.6", "RFC 7489 §7.1"],
    },
};

/// What a loaded destination zone publishes for a policy domain.
enum Authorization {
    /// A `v=DMARC1` record at the name (or the wildcard answering for it).
    Granted,
    /// Nothing usable.
    Missing,
    /// No loaded zone is authoritative for the name.
    Unknown,
}

impl Rule for ExternalDest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            let own_org = organizational_domain(cx.settings, domain);
            for (tag, uri) in entry
                .record
                .rua
                .iter()
                .map(|u| ("rua", u))
                .chain(entry.record.ruf.iter().map(|u| ("ruf", u)))
            {
                let Some(host) = host_name(uri) else {
                    continue;
                };
                let host_org = organizational_domain(cx.settings, &host);
                let same = match (&own_org, &host_org) {
                    (Some(a), Some(b)) => a == b,
                    _ => host.is_at_or_below(domain),
                };
                if same {
                    continue;
                }
                let text = uri.to_text();
                let needed = authorization_name(domain, &host);
                let record = match &needed {
                    Some(name) => text![name, " TXT \"v=DMARC1\""],
                    None => text!["<policy domain>._report._dmarc.", host, " TXT \"v=DMARC1\""],
                };
                match needed
                    .as_ref()
                    .map_or(Authorization::Missing, |name| authorization(cx, name))
                {
                    Authorization::Granted => {}
                    Authorization::Missing => {
                        let why = if needed.is_none() {
                            " (the name would be longer than DNS allows)"
                        } else {
                            ""
                        };
                        if let Some(report) = sink.report_graded(
                            Level::Error,
                            Level::Error,
                            uri.span,
                            text![
                                outside(tag, &text, domain),
                                " and ",
                                host,
                                " does not authorize it",
                                why,
                                ": receivers ignore this URI"
                            ],
                        ) {
                            report
                                .help(text![
                                    "Publish `",
                                    record,
                                    "` (or `*._report._dmarc.",
                                    host,
                                    " TXT \"v=DMARC1\"`) in the zone of ",
                                    host
                                ])
                                .owner(owner);
                        }
                    }
                    Authorization::Unknown => {
                        if let Some(report) = sink.report_graded(
                            Level::Info,
                            Level::Warning,
                            uri.span,
                            text![
                                outside(tag, &text, domain),
                                ": receivers send reports there only if ",
                                host,
                                " publishes an authorization, which cannot be checked offline"
                            ],
                        ) {
                            report
                                .help(text!["Ask the report receiver to publish `", record, "`"])
                                .owner(owner);
                        }
                    }
                }
            }
        }
    }
}

/// The start of either message: the destination, and that it is outside the policy
/// domain's organization.
fn outside(tag: &str, text: &str, domain: &NameRef) -> String {
    text![
        "`",
        tag,
        "` destination `",
        text,
        "` is outside ",
        domain,
        "'s organization"
    ]
}

/// The destination host of a `mailto:` or `https:` URI, as an absolute name.
pub(crate) fn host_name(uri: &Uri<'_>) -> Option<Name> {
    let host = uri.host()?;
    let host = host.trim_end_matches('.');
    if host.is_empty() {
        return None;
    }
    // Made absolute by a dot, in one allocation of its size (`format!` made one and
    // grew it for the dot).
    let mut text = Vec::with_capacity(host.len() + 1);
    text.extend_from_slice(host.as_bytes());
    text.push(b'.');
    Name::parse(&text, None).ok()
}

/// `<domain>._report._dmarc.<host>`; `None` when longer than a name may be (which makes
/// the check fail, RFC 9990).
fn authorization_name(domain: &NameRef, host: &NameRef) -> Option<Name> {
    let mut name = host.prepend(b"_dmarc").ok()?.prepend(b"_report").ok()?;
    let labels: Vec<&[u8]> = domain.labels().collect();
    for label in labels.iter().rev() {
        name = name.prepend(label).ok()?;
    }
    Some(name)
}

/// Whether the loaded zone authoritative for `name` grants it: a TXT record starting with
/// `v=DMARC1` at the name, or, when the name does not exist, at the wildcard that answers
/// for it (RFC 4592 §3.3.1).
fn authorization(cx: &ZoneContext<'_>, name: &NameRef) -> Authorization {
    let Some(found) = cx.set.lookup(name) else {
        return Authorization::Unknown;
    };
    let Some(mail) = cx.mail_of(found.zone) else {
        return Authorization::Unknown;
    };
    let answering = match found.facts {
        Some(facts) => facts,
        None => match found.zone.wildcard_for(name) {
            Some(wildcard) => wildcard,
            None => return Authorization::Missing,
        },
    };
    let granted = mail
        .texts_of(found.zone, answering)
        .any(|t| dmarc::parse(&t.text).0.valid_version);
    if granted {
        Authorization::Granted
    } else {
        Authorization::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;
    use crate::rules::test_support::check_zones;

    const APEX: &str = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n";

    #[test]
    fn destinations_outside_the_loaded_zones_cannot_be_checked() {
        let record = Some("\"v=DMARC1; p=reject; rua=mailto:d@reports.example.net,https://r.example.org/dmarc; ruf=mailto:f@example.net\"");
        insta::assert_snapshot!(format!(
            "{}{}",
            lint_policy(record, "", &["DMARC017"], false),
            lint_policy(record, "", &["DMARC017"], true)
        ));
    }

    #[test]
    fn loaded_destinations_must_authorize() {
        let policy = format!("{APEX}_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:a@reports.example.net,mailto:b@wild.example.net,mailto:c@other.example.net\"\n");
        let destination = format!("{APEX}example.com._report._dmarc.reports TXT \"v=DMARC1\"\n*._report._dmarc.wild TXT \"v=DMARC1\"\nexample.org._report._dmarc.other TXT \"v=DMARC1\"\n");
        insta::assert_snapshot!(check_zones(
            "DMARC017",
            &[("example.com.", &policy), ("example.net.", &destination)]
        ));
    }

    #[test]
    fn the_same_organization_needs_no_authorization() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:e@reports.example.com\""),
            "_dmarc.news TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n",
            &["DMARC017"],
            false,
        );
        assert_eq!(found, "");
    }

    #[test]
    fn an_explicit_name_hides_the_wildcard() {
        // `example.com._report._dmarc.h` exists (with another TXT), so the wildcard does not
        // answer for it (RFC 4592 §3.3.1).
        let policy =
            format!("{APEX}_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:a@h.example.net\"\n");
        let destination = format!("{APEX}*._report._dmarc.h TXT \"v=DMARC1\"\nexample.com._report._dmarc.h TXT \"hello\"\n");
        let found = check_zones(
            "DMARC017",
            &[("example.com.", &policy), ("example.net.", &destination)],
        );
        assert!(found.contains("does not authorize"), "{found}");
    }
}
