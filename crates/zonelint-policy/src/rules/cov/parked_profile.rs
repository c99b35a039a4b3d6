//! COV007 `cov-parked-profile`.

use super::spf_missing::first_span;
use super::{authorizing_term, parked};
use crate::fixes::{insert_beside, insert_owned_after_record};
use crate::grammar::dkim;
use crate::grammar::dmarc::Policy;
use crate::grammar::spf::{Mechanism, Qualifier};
use crate::index::{NameFacts, ZoneIndex};
use crate::mail::ZoneMail;
use crate::rules::dmarc::{missing, organizational_domain};
use crate::rules::mx::null_mx;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix, NameRef, RType};

/// A parked zone that lacks part of the parked-domain profile.
pub struct ParkedProfile;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV007", slug: "cov-parked-profile" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "a parked zone lacks part of the parked-domain profile",
    doc: RuleDoc {
        what: "For a parked zone (no MX other than a null MX, no SPF record that authorizes a sender, no declared sender in it), reports which records of the parked-domain profile are missing or weaker: `v=spf1 -all` at the apex and at `*`; `_dmarc` with `p=reject` and `sp`, `np` reject (or absent, inheriting `p`); `MX 0 .` at the apex; `*._domainkey \"v=DKIM1; p=\"`.",
        why: "A domain that sends and receives no mail is still forged: M3AAWG's Protecting Parked Domains BCP (2015), the UK government guidance and internet.nl ask for all of these together. SPF `-all` at the apex and `*` fails forged mail from made-up names, DMARC `p=reject` makes receivers act on it, the null MX (RFC 7505) stops mail to the domain at once, and the empty DKIM wildcard revokes any selector an attacker might claim.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ A 192.0.2.80\n@ MX 0 .\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ A 192.0.2.80\n@ MX 0 .\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n* TXT \"v=spf1 -all\"\n*._domainkey TXT \"v=DKIM1; p=\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        fix_safety: "Unsafe: inserts the records that are absent altogether (after the apex's records), which declares that the domain sends and receives no mail; records that exist but are weaker are left to the operator (their own rules report them).",
        references: &["M3AAWG Protecting Parked Domains BCP (2015)", "UK government: Protect domains that don't send email", "RFC 7505 §3", "RFC 7208 §10.1.2", "RFC 6376 §3.6.1"],
    },
};

/// One piece of the profile that the zone lacks.
struct Missing {
    /// What is missing, for the message.
    what: String,
    /// The record to add when nothing is there: owner relative to the origin (`@`, `*`,
    /// `_dmarc`, `*._domainkey`), type and data.
    add: Option<(&'static str, &'static str, &'static str)>,
}

impl Rule for ParkedProfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        let Some(apex) = zone.apex() else {
            return;
        };
        let origin = &zone.origin;
        // A public suffix (the root, a TLD, `co.uk`) or a reverse (`arpa`) zone is no
        // registrant's domain: the parked-domain profile (M3AAWG) is for registered names.
        // Found on the signed root zone, where it asked for `_dmarc` and `MX 0 .` at `.`.
        let reverse = origin
            .labels()
            .last()
            .is_some_and(|tld| tld.eq_ignore_ascii_case(b"arpa"));
        if reverse || organizational_domain(cx.settings, origin).is_none() {
            return;
        }
        if !parked(cx) {
            return;
        }
        let mut missing = Vec::new();
        if let Some(piece) = null_spf(mail, origin, "the apex", "@") {
            missing.push(piece);
        }
        if let Ok(wildcard) = origin.prepend(b"*") {
            if let Some(piece) = null_spf(mail, &wildcard, "`*`", "*") {
                missing.push(piece);
            }
        }
        if let Some(piece) = dmarc_reject(mail, origin) {
            missing.push(piece);
        }
        if null_mx(zone, apex).is_none() {
            missing.push(Missing {
                what: "`MX 0 .` at the apex".to_owned(),
                add: Some(("@", "MX", "0 .")),
            });
        }
        if let Some(piece) = dkim_wildcard(zone, mail, origin) {
            missing.push(piece);
        }
        if missing.is_empty() {
            return;
        }
        let list: Vec<&str> = missing.iter().map(|m| m.what.as_str()).collect();
        let mut adds: Vec<(&str, &str, &str)> = missing.iter().filter_map(|m| m.add).collect();
        // The apex's own records go first: they are continuation lines, which would belong
        // to the owner of the line above them.
        adds.sort_by_key(|(owner, _, _)| *owner != "@");
        let help = if adds.is_empty() {
            "Make the records listed match the parked-domain profile".to_owned()
        } else {
            let records: Vec<String> = adds
                .iter()
                .map(|(owner, rtype, rdata)| format!("`{owner} IN {rtype} {rdata}`"))
                .collect();
            format!("Add {}", records.join(", "))
        };
        let mut report = sink
            .report(first_span(zone, apex), format!("{origin} looks parked (no MX other than a null MX, no SPF record that authorizes a sender, no declared sender) but lacks {} of the parked-domain profile: {}", if list.len() == 1 { "one record" } else { "records" }, list.join("; ")))
            .help(help)
            .owner(origin.clone());
        if let Some(fix) = fix(zone, apex, &adds) {
            report = report.fix(fix);
        }
        drop(report);
    }
}

/// What is missing of `v=spf1 -all` at `name`, if anything.
fn null_spf(
    mail: &ZoneMail<'_>,
    name: &NameRef,
    place: &str,
    owner: &'static str,
) -> Option<Missing> {
    let Some(entry) = mail.selected_spf_at(name).next() else {
        return Some(Missing {
            what: format!("`v=spf1 -all` at {place}"),
            add: Some((owner, "TXT", "\"v=spf1 -all\"")),
        });
    };
    let fails_all = entry.record.directives().any(|(_, d)| {
        matches!(d.mechanism, Mechanism::All) && d.effective_qualifier() == Qualifier::Fail
    });
    (!fails_all || authorizing_term(&entry.record).is_some()).then(|| Missing {
        what: format!("`v=spf1 -all` at {place} (its SPF record is not exactly that)"),
        add: None,
    })
}

/// What is missing of `p=reject` with `sp` and `np` reject at `_dmarc.<origin>`.
fn dmarc_reject(mail: &ZoneMail<'_>, origin: &NameRef) -> Option<Missing> {
    let owner = origin.prepend(b"_dmarc").ok()?;
    let mut records = mail.dmarc_at(&owner).filter(|e| e.record.valid_version);
    let Some(entry) = records.next() else {
        // A record meant for `_dmarc` but written without its trailing dot is moved
        // there by ZONE016's fix: adding one too would make two (found by the `fix`
        // fuzz target, both fixes in one round).
        if let Some(misplaced) = missing::misplaced(mail, origin) {
            return Some(Missing {
                what: format!("a `_dmarc` record with `p=reject` (the zone's DMARC record is at {misplaced}, written without its trailing dot)"),
                add: None,
            });
        }
        return Some(Missing {
            what: "a `_dmarc` record with `p=reject`".to_owned(),
            add: Some((
                "_dmarc",
                "TXT",
                "\"v=DMARC1; p=reject; sp=reject; np=reject\"",
            )),
        });
    };
    let record = &entry.record;
    let values = record.values();
    let p = values.policy;
    let sp = values.subdomain_policy.or(p);
    let np = values.nonexistent_policy.or(sp);
    let testing = values.testing == Some(true);
    let all_reject = [p, sp, np]
        .iter()
        .all(|policy| *policy == Some(Policy::Reject));
    (!all_reject || testing).then(|| Missing {
        what: "`p=reject` with `sp` and `np` reject in `_dmarc` (the record there is weaker)"
            .to_owned(),
        add: None,
    })
}

/// What is missing of `*._domainkey "v=DKIM1; p="`.
fn dkim_wildcard(zone: &ZoneIndex<'_>, mail: &ZoneMail<'_>, origin: &NameRef) -> Option<Missing> {
    let owner = origin
        .prepend(b"_domainkey")
        .and_then(|n| n.prepend(b"*"))
        .ok()?;
    let mut texts = zone
        .get(&owner)
        .into_iter()
        .flat_map(|facts| mail.texts_of(zone, facts))
        .filter(|t| t.rtype == RType::TXT)
        .peekable();
    if texts.peek().is_none() {
        return Some(Missing {
            what: "`*._domainkey \"v=DKIM1; p=\"`".to_owned(),
            add: Some(("*._domainkey", "TXT", "\"v=DKIM1; p=\"")),
        });
    }
    let revoked = texts.any(|t| dkim::parse(&t.text).0.is_revoked());
    (!revoked).then(|| Missing {
        what: "`*._domainkey \"v=DKIM1; p=\"` (the record there is not an empty key)".to_owned(),
        add: None,
    })
}

/// Inserts the absent records after the apex's last record, in one edit.
fn fix(zone: &ZoneIndex<'_>, apex: &NameFacts<'_>, adds: &[(&str, &str, &str)]) -> Option<Fix> {
    let last = zone.records(apex).last()?;
    let mut edits: Vec<Edit> = Vec::new();
    for (owner, rtype, rdata) in adds {
        let edit = if *owner == "@" {
            insert_beside(zone, apex, rtype, rdata)?
        } else {
            let absolute = format!("{owner}.{}", zone.origin);
            insert_owned_after_record(zone, &last, &absolute, rtype, rdata)?
        };
        match edits.last_mut() {
            Some(previous) if previous.span == edit.span => {
                previous.content.push_str(&edit.content);
            }
            _ => edits.push(edit),
        }
    }
    (!edits.is_empty()).then(|| Fix {
        applicability: Applicability::Unsafe,
        message: format!(
            "Add the {} missing parked-domain record{}",
            adds.len(),
            if adds.len() == 1 { "" } else { "s" }
        ),
        edits,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with, only};
    use crate::Settings;
    use zonelint_zone::Name;

    const BARE: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ A 192.0.2.80\nns1 A 192.0.2.53\n";

    #[test]
    fn a_bare_parked_zone_gets_all_five_records() {
        insta::assert_snapshot!(lint_with(BARE, &only("COV007")));
    }

    #[test]
    fn no_record_is_added_beside_a_cname() {
        // Found by the `fix` fuzz target: `_dmarc` TXT added beside a `_dmarc` CNAME
        // (ZONE006). The finding stays; the fix, which adds the records in one go, goes.
        let zone = format!("{BARE}_dmarc CNAME status.provider.example.\n");
        let found = lint_with(&zone, &only("COV007"));
        assert!(
            found.contains("COV007") && !found.contains("fix ("),
            "{found}"
        );
    }

    #[test]
    fn no_dmarc_record_is_added_where_a_misplaced_one_will_move() {
        // Found by the `fix` fuzz target: ZONE016's fix moved `_dmarc.example.com` (no
        // trailing dot) to `_dmarc` in the round that this rule's fix added a `_dmarc`
        // record, and the name had two DMARC records, which receivers both ignore. The
        // other records of the profile are still added.
        let zone = format!("{BARE}_dmarc.example.com TXT \"v=DMARC1; p=none\"\n");
        let found = lint_with(&zone, &only("COV007"));
        assert!(
            found.contains("a `_dmarc` record with `p=reject` (the zone's DMARC record is at _dmarc.example.com.example.com., written without its trailing dot)"),
            "{found}"
        );
        assert!(found.contains("fix ("), "{found}");
        assert!(!found.contains("v=DMARC1; p=reject"), "{found}");
        assert!(found.contains("v=spf1 -all"), "{found}");
    }

    #[test]
    fn weaker_records_are_named_without_a_fix() {
        insta::assert_snapshot!(lint_snippet(
            "@ MX 0 .\n* TXT \"v=spf1 ~all\"\n*._domainkey TXT \"v=DKIM1; p=\"\n",
            &["COV007"],
        ));
    }

    #[test]
    fn zones_that_take_or_send_mail_are_not_parked() {
        assert_eq!(lint_snippet("@ MX 10 mail.example.net.\n", &["COV007"]), "");
        assert_eq!(
            lint_snippet(
                "shop TXT \"v=spf1 include:_spf.example.net -all\"\n",
                &["COV007"]
            ),
            ""
        );
        let settings = Settings {
            senders: Some(vec![Name::from_ascii("example.com.").unwrap()]),
            ..only("COV007")
        };
        assert_eq!(lint_with(BARE, &settings), "");
    }

    #[test]
    fn public_suffix_and_reverse_zones_are_not_parked_domains() {
        // The signed root zone drew this rule (and its five records at `.`).
        for origin in [".", "com.", "co.uk.", "2.0.192.in-addr.arpa."] {
            let zone = format!("$ORIGIN {origin}\n$TTL 3600\n@ SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n@ NS ns2.example.net.\n");
            let options = zonelint_zone::ParseOptions {
                origin: Name::from_ascii(origin).ok(),
                ..zonelint_zone::ParseOptions::default()
            };
            let (parsed, diagnostics) = zonelint_zone::parse_str("t.zone", &zone, &options);
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            let found = crate::lint(&[crate::LintInput::new(&parsed)], &only("COV007"));
            assert!(found.is_empty(), "{origin}: {found:?}");
        }
    }

    #[test]
    fn a_complete_profile_does_not_fire() {
        assert_eq!(
            lint_snippet(
                "@ MX 0 .\n* TXT \"v=spf1 -all\"\n*._domainkey TXT \"v=DKIM1; p=\"\n",
                &["COV007"],
            ),
            ""
        );
    }
}
