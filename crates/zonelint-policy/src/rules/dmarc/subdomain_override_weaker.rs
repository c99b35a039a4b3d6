//! DMARC022 `dmarc-subdomain-override-weaker`.

use super::{discovery_modes, organizational_domain, policy_records, tag_named, written};
use crate::discovery::{Lookup, Mode, Source};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A subdomain's own record that is weaker than what it would inherit.
pub struct SubdomainOverrideWeaker;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC022", slug: "dmarc-subdomain-override-weaker" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`_dmarc.<sub>` weaker than the organizational domain's `sp`/`np`",
    doc: RuleDoc {
        what: "Reports a DMARC record below the organizational domain (public-suffix list or `org-domains`) whose policy for its own domain (`p`, after `t=y`) is weaker than what that domain would get without it: the organizational domain's `sp` (else `p`), by RFC 9989 and RFC 7489 discovery (semantics.md §2.2). The record makes its domain exist, so `np` never applies to it.",
        why: "A domain's own `_dmarc` record wins over the organizational domain's (RFC 9989 §4.10.1; RFC 7489 §6.6.3), so `_dmarc.news p=quarantine` under `sp=reject` lowers the protection of `news` below what the organization publishes, often a leftover from a trial. DMARC007 and DMARC008 report `p=none` and `p=quarantine` by themselves; this rule says what they override.",
        example: "news A 192.0.2.80\nnews TXT \"v=spf1 -all\"\n_dmarc.news TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com\"\n",
        use_instead: "news A 192.0.2.80\nnews TXT \"v=spf1 -all\"\n_dmarc.news TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "No fix: the weaker policy may be deliberate while a new sender is set up.",
        references: &["RFC 9989 §4.10.1", "RFC 9989 §4.7", "RFC 7489 §6.6.3"],
    },
};

impl Rule for SubdomainOverrideWeaker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let discovery = cx.discovery;
        let zone = cx.zone;
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            if organizational_domain(cx.settings, domain).is_none_or(|org| org == domain) {
                continue;
            }
            // The domain's facts, found without a search: the parent of the record's
            // owner (none when the owner is the apex of a `_dmarc` zone).
            let facts = zone
                .owner_of(entry.txt.record)
                .and_then(|(_, owner)| zone.parent_of(owner));
            let own = match facts {
                Some(facts) => discovery.lookup_of(zone, facts),
                None => discovery.lookup(domain),
            };
            let Lookup::Found(own) = own else {
                continue; // several records: DMARC002
            };
            if own.span != entry.txt.span() {
                continue;
            }
            // `_dmarc.<domain>` makes the domain exist (an empty non-terminal at least,
            // RFC 8020), so it inherits `sp`, never `np`.
            for &mode in discovery_modes(cx.settings) {
                let Some(own_policy) = own.for_itself(mode) else {
                    continue;
                };
                let inherited = match facts {
                    Some(facts) => discovery.inherited_at(zone, facts, true, mode),
                    None => discovery.inherited(domain, true, mode),
                };
                let (Some(policy), Source::Organizational(org)) =
                    (inherited.policy, inherited.source)
                else {
                    continue;
                };
                if own_policy >= policy {
                    continue;
                }
                let span = tag_named(entry, "p").map_or(entry.txt.text.whole_span(), |t| t.span());
                let text = written(zone, span);
                let whose = if org.configured {
                    "the configured parent policy (`parent-dmarc`)".to_owned()
                } else {
                    text![org.domain, "'s record"]
                };
                let receivers = match (mode, discovery_modes(cx.settings).len()) {
                    (_, 1) => "",
                    (Mode::Rfc9989, _) => " for RFC 9989 (tree-walk) receivers",
                    (Mode::Rfc7489, _) => " for RFC 7489 receivers",
                };
                let mut report = sink
                    .report(
                        span,
                        text![
                            "`",
                            text,
                            "` at ",
                            owner,
                            " weakens ",
                            domain,
                            " to `",
                            own_policy.as_str(),
                            "`",
                            receivers,
                            ": without this record it would get `",
                            policy.as_str(),
                            "` from ",
                            whose,
                            " (`sp`, else `p`)"
                        ],
                    )
                    .help(text![
                        "Raise this record to `p=",
                        policy.as_str(),
                        "`, or remove it so that ",
                        domain,
                        " inherits the organizational policy"
                    ])
                    .owner(owner);
                if !org.configured && !org.synthesized {
                    report = report
                        .related(org.subdomain_span, "the organizational policy it overrides");
                }
                drop(report);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn weaker_subdomain_records() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; sp=reject; np=reject\""),
            "news A 192.0.2.80\n_dmarc.news TXT \"v=DMARC1; p=none\"\n_dmarc.old TXT \"v=DMARC1; p=reject; t=y\"\n",
            &["DMARC022"],
            false,
        ));
    }

    #[test]
    fn equal_stronger_or_organizational_records_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; sp=quarantine; np=none\""),
            "news A 192.0.2.80\n_dmarc.news TXT \"v=DMARC1; p=quarantine\"\n_dmarc.nx TXT \"v=DMARC1; p=quarantine\"\n_dmarc.shop TXT \"v=DMARC1; p=reject\"\n_dmarc.x TXT \"v=dmarc1; p=none\"\n",
            &["DMARC022"],
            false,
        );
        assert_eq!(found, "");
    }

    #[test]
    fn rfc_7489_receivers_ignore_t() {
        // `sp=quarantine`; `_dmarc.news p=reject; t=y` is quarantine for RFC 9989 receivers
        // (equal) and reject for RFC 7489 ones (stronger): nothing to report.
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; sp=quarantine\""),
            "news A 192.0.2.80\n_dmarc.news TXT \"v=DMARC1; p=reject; t=y\"\n",
            &["DMARC022"],
            false,
        );
        assert_eq!(found, "");
    }
}
