//! DMARC001 `dmarc-missing`.

use super::{is_near_miss, organizational_domain};
use crate::fixes::insert_owned_after_record;
use crate::grammar::dmarc;
use crate::index::ZoneIndex;
use crate::mail::ZoneMail;
use crate::rules::zone::doubled_origin::doubled_at;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Fix, NameRef, RType, RecordRef};

/// An organizational domain's zone with no `_dmarc` record at its apex.
pub struct Missing;

/// The record the fix and the help propose: the incident's policy (semantics.md §1).
const PROPOSED: &str = "\"v=DMARC1; p=reject; sp=reject; np=reject\"";

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC001", slug: "dmarc-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "no `_dmarc` record at an organizational domain's apex",
    doc: RuleDoc {
        what: "Reports a zone whose apex is an organizational domain (one label below a public suffix, or a configured `org-domains` entry) but which publishes no DMARC record at `_dmarc.<apex>`. A `_dmarc` CNAME or delegation counts as published. A zone below an organizational domain that is not loaded is COV009's case; a public-suffix zone, a reverse (`arpa`) zone, and a file without an SOA record (a fragment, or ZONE001), are not reported.",
        why: "Receivers find a domain's policy at `_dmarc.<domain>` or, for every name below it, at the organizational domain (RFC 9989 §4.10, RFC 7489 §6.6.3). With no record there, no name of the zone has a DMARC policy: forged mail from any of them is judged on content alone. RFC 9989 §8 requires domain owners to publish one at the organizational domain.",
        example: example_zone!(""),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "Unsafe: inserts `_dmarc IN TXT \"v=DMARC1; p=reject; sp=reject; np=reject\"` after the apex's last record (with the zone's class, should it not be IN). `p=reject` makes receivers refuse mail that fails DMARC, including legitimate mail from senders that neither sign with the domain's DKIM keys nor pass aligned SPF; review who sends as the domain first, and add a `rua` address to see the reports.",
        references: &["RFC 9989 §4.10", "RFC 9989 §5.1.4", "RFC 9989 §8", "RFC 7489 §6.6.3"],
    },
};

impl Rule for Missing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let apex = &zone.origin;
        let Some(apex_facts) = zone.apex() else {
            return;
        };
        // Without an SOA the file may be a fragment of a zone (ZONE001 reports it).
        let Some(soa) = zone.records_of(apex_facts, RType::SOA).next() else {
            return;
        };
        // `arpa` is infrastructure (RFC 3172): reverse zones are no mail domains, although
        // the public-suffix list makes `192.in-addr.arpa` look like an organizational domain.
        if apex
            .labels()
            .last()
            .is_some_and(|tld| tld.eq_ignore_ascii_case(b"arpa"))
        {
            return;
        }
        // Below an organizational domain the policy is the parent's business (COV009);
        // a public suffix's own record is another matter (DMARC023).
        if organizational_domain(cx.settings, apex) != Some(apex) {
            return;
        }
        let Ok(dmarc_name) = apex.prepend(b"_dmarc") else {
            return;
        };
        if published(cx, &dmarc_name) {
            return;
        }
        let span = Some(soa.owner_span())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| soa.span());
        // A record meant for `_dmarc` but written without its trailing dot (ZONE016,
        // DMARC020) is the user's real policy: moving it is the fix, and adding another
        // beside it would make two records, which voids both (found by the `fix` fuzzer).
        let misplaced = cx
            .zone_mail()
            .and_then(|mail| misplaced(mail, apex))
            .map(NameRef::to_name);
        let report = sink
            .report(span, format!("{apex} is an organizational domain but publishes no DMARC record at {dmarc_name}, so receivers apply no DMARC policy to {apex} or any name below it"));
        if let Some(misplaced) = misplaced {
            report
                .help(format!("The zone's DMARC record is at {misplaced}, a name written without its trailing dot: write its owner as `_dmarc`"))
                .owner(dmarc_name);
            return;
        }
        let report = report
            .help("Publish `_dmarc IN TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:…\"` with a `rua` mailbox you read")
            .owner(dmarc_name.clone());
        if let Some(fix) = zone
            .records(apex_facts)
            .last()
            .and_then(|last| fix(zone, &last, &dmarc_name))
        {
            report.fix(fix);
        }
    }
}

/// A DMARC record of `mail` meant for `_dmarc.<apex>` but written without its trailing
/// dot, so that the origin was appended again (`_dmarc.example.com.example.com.`): the
/// record ZONE016's and DMARC020's fixes move to `_dmarc.<apex>`. A fix that adds a
/// `_dmarc` record must not, or the name gets two and receivers use neither.
pub(crate) fn misplaced<'m>(mail: &ZoneMail<'m>, apex: &NameRef) -> Option<&'m NameRef> {
    mail.dmarc
        .iter()
        .map(|entry| entry.txt.owner)
        .find(|owner| {
            doubled_at(owner.as_wire(), apex).is_some()
                && owner.first_label() == Some(b"_dmarc".as_slice())
        })
}

/// Whether receivers can find something at `_dmarc.<apex>`: a DMARC(-looking) record, a
/// CNAME (DMARC management delegated to a provider), or a delegation to a zone that is
/// not loaded. Near misses count too: DMARC003 reports them, with better advice.
fn published(cx: &ZoneContext<'_>, name: &NameRef) -> bool {
    let Some(found) = cx.set.lookup(name) else {
        return true;
    };
    if found.zone.cut_at_or_above(name).is_some() {
        return true;
    }
    let Some(facts) = found.facts else {
        return false;
    };
    if found.zone.has_type(facts, RType::CNAME) {
        return true;
    }
    cx.mail_of(found.zone).is_none_or(|mail| {
        mail.texts_of(found.zone, facts)
            .filter(|t| t.rtype == RType::TXT)
            .any(|t| dmarc::looks_like_dmarc(t.text.as_bytes()) || is_near_miss(t).is_some())
    })
}

/// Inserts the proposed record after `last`, the apex's last record. The owner is written
/// `_dmarc` when the origin in force there is evidently the apex (the nearest explicit
/// owner before it is `@`, with no `$ORIGIN` in between), and absolute otherwise.
fn fix(zone: &ZoneIndex<'_>, last: &RecordRef<'_>, dmarc_name: &NameRef) -> Option<Fix> {
    let owner = if origin_is_apex_at(zone, last) {
        "_dmarc".to_owned()
    } else {
        dmarc_name.to_string()
    };
    // The zone's class, written out: a class written on a line holds for the lines after
    // it that name none (RFC 1035 §5.1), so a hard-coded `IN` in a `CH` zone turned every
    // later record `IN` (found by the `fix` fuzz target).
    let class = zone.class();
    let rtype = format!("{class} TXT");
    let edit = insert_owned_after_record(zone, last, &owner, &rtype, PROPOSED)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("Add `{owner} {rtype} {PROPOSED}`"),
        edits: vec![edit],
    })
}

fn origin_is_apex_at(zone: &ZoneIndex<'_>, record: &RecordRef<'_>) -> bool {
    let span = record.span();
    let Some(text) = zone
        .zone
        .sources
        .get(span.source)
        .map(zonelint_zone::Source::text)
    else {
        return false;
    };
    // The nearest record at or before `record`, in the same file, whose owner is written.
    let explicit = zone
        .zone
        .records()
        .filter(|r| r.span().source == span.source && r.span().start <= span.start)
        .filter(|r| !r.owner_span().is_empty())
        .last();
    let Some(explicit) = explicit else {
        return false;
    };
    let between = text
        .get(explicit.span().start as usize..span.end as usize)
        .unwrap_or_default();
    zone.zone.sources.slice(explicit.owner_span()) == b"@"
        && explicit.owner().to_name() == zone.origin
        && !between
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"$ORIGIN"))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;
    use crate::rules::test_support::{check_zones, lint_with};
    use crate::Settings;

    #[test]
    fn a_doubled_origin_record_is_pointed_at_instead_of_adding_a_second() {
        insta::assert_snapshot!(
            lint_with(
                "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n",
                &Settings {
                    select: vec![crate::Selector("DMARC001".to_owned())],
                    ..Settings::default()
                },
            ),
            @r"
        3:1 DMARC001 error `@` example.com. is an organizational domain but publishes no DMARC record at _dmarc.example.com., so receivers apply no DMARC policy to example.com. or any name below it
            help: The zone's DMARC record is at _dmarc.example.com.example.com., a name written without its trailing dot: write its owner as `_dmarc`
        "
        );
    }

    #[test]
    fn an_organizational_domain_without_dmarc_gets_the_record_proposed() {
        insta::assert_snapshot!(lint_policy(None, "www A 192.0.2.1\n", &["DMARC001"], false));
    }

    /// The options (origin `example.com.`) and settings (DMARC001 only) of the fix
    /// tests, and the first finding's fix for `text`.
    fn first_fix(text: &str) -> (zonelint_zone::ParseOptions, Settings, zonelint_zone::Fix) {
        let options = zonelint_zone::ParseOptions {
            origin: zonelint_zone::Name::from_ascii("example.com.").ok(),
            ..zonelint_zone::ParseOptions::default()
        };
        let (zone, _) = zonelint_zone::parse_str("t.zone", text, &options);
        let settings = Settings {
            select: vec![crate::Selector("DMARC001".to_owned())],
            ..Settings::default()
        };
        let found = crate::lint(&[crate::LintInput::new(&zone)], &settings);
        let fix = found
            .first()
            .and_then(|d| d.fix.as_deref().cloned())
            .expect("a fix");
        (options, settings, fix)
    }

    #[test]
    fn the_fix_is_idempotent_and_parses() {
        let text = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1 ; primary\nns1 A 192.0.2.53\n";
        let (options, settings, fix) = first_fix(text);
        let mut fixed = text.as_bytes().to_vec();
        for edit in fix.edits.iter().rev() {
            fixed.splice(edit.span.range(), edit.content.bytes());
        }
        let fixed = String::from_utf8(fixed).expect("utf-8");
        assert!(fixed.contains("  NS ns1 ; primary\n_dmarc IN TXT \"v=DMARC1; p=reject; sp=reject; np=reject\"\nns1"), "{fixed}");
        let (again, diagnostics) = zonelint_zone::parse_str("t.zone", &fixed, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(crate::lint(&[crate::LintInput::new(&again)], &settings).is_empty());
    }

    #[test]
    fn the_new_record_names_the_zones_class() {
        // The SOA (and every line after a `CH` one) is class CH: the record is written
        // `CH TXT`, so the lines after it that name no class stay CH.
        let text = "$ORIGIN example.com.\n$TTL 3600\n@ CH SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  NS ns1\nns1 A 192.0.2.53\n";
        let (_, _, fix) = first_fix(text);
        assert!(
            fix.edits
                .iter()
                .any(|e| e.content.starts_with("_dmarc CH TXT ")),
            "{fix:?}"
        );
    }

    #[test]
    fn the_owner_is_absolute_when_the_origin_is_not_evidently_the_apex() {
        insta::assert_snapshot!(lint_with(
            "$ORIGIN example.com.\n$TTL 3600\nexample.com. SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n              NS ns1.example.com.\n",
            &Settings {
                select: vec![crate::Selector("DMARC001".to_owned())],
                ..Settings::default()
            },
        ));
    }

    #[test]
    fn published_records_cnames_delegations_and_near_misses_satisfy_it() {
        for dmarc in [
            "_dmarc TXT \"v=DMARC1; p=none\"",
            "_dmarc TXT \"v=dmarc1; p=reject\"",
            "_dmarc TXT \"p=reject; v=DMARC1\"",
            "_dmarc CNAME example-com._dmarc.provider.example.",
            "_dmarc NS ns1.provider.example.",
        ] {
            let found = lint_policy(None, &format!("{dmarc}\n"), &["DMARC001"], false);
            assert_eq!(found, "", "{dmarc}");
        }
    }

    #[test]
    fn zones_below_an_organizational_domain_public_suffixes_and_reverse_zones_are_not_reported() {
        let zone = |origin: &str| {
            format!("$TTL 3600\n@ SOA ns1.{origin} hostmaster.{origin} 1 7200 3600 1209600 3600\n@ NS ns1.{origin}\n")
        };
        let below = zone("dept.example.com.");
        let suffix = zone("co.uk.");
        let reverse = zone("2.0.192.in-addr.arpa.");
        let reverse_top = zone("192.in-addr.arpa.");
        assert_eq!(
            check_zones("DMARC001", &[("2.0.192.in-addr.arpa.", &reverse)]),
            ""
        );
        assert_eq!(
            check_zones("DMARC001", &[("192.in-addr.arpa.", &reverse_top)]),
            ""
        );
        assert_eq!(
            check_zones("DMARC001", &[("dept.example.com.", &below)]),
            ""
        );
        assert_eq!(check_zones("DMARC001", &[("co.uk.", &suffix)]), "");
    }

    #[test]
    fn a_configured_org_domain_is_one() {
        let text = "$ORIGIN dept.example.ac.uk.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n";
        let settings = Settings {
            org_domains: vec![zonelint_zone::Name::from_ascii("dept.example.ac.uk.").unwrap()],
            select: vec![crate::Selector("DMARC001".to_owned())],
            ..Settings::default()
        };
        let options = zonelint_zone::ParseOptions {
            origin: zonelint_zone::Name::from_ascii("dept.example.ac.uk.").ok(),
            ..zonelint_zone::ParseOptions::default()
        };
        let (zone, _) = zonelint_zone::parse_str("t.zone", text, &options);
        let found = crate::lint(&[crate::LintInput::new(&zone)], &settings);
        assert_eq!(found.len(), 1, "{found:?}");
        let without = Settings {
            org_domains: Vec::new(),
            ..settings
        };
        assert!(crate::lint(&[crate::LintInput::new(&zone)], &without).is_empty());
    }

    #[test]
    fn a_loaded_dmarc_child_zone_is_looked_at() {
        let parent = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc NS ns1\n";
        let child = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n";
        insta::assert_snapshot!(check_zones(
            "DMARC001",
            &[("example.com.", parent), ("_dmarc.example.com.", child)]
        ));
    }
}
