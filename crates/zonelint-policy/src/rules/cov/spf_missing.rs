//! COV001 `cov-spf-missing`.

use super::exempt_from_coverage;
use crate::fixes::insert_beside;
use crate::index::{NameFacts, ZoneIndex};
use crate::rules::text::text;
use crate::rules::{
    FixAvailability, Level, Rule, RuleDoc, RuleMeta, SharedView, Sink, ZoneContext,
};
use foldhash::{HashSet, HashSetExt};
use zonelint_zone::rdata::view;
use zonelint_zone::{Applicability, Code, Fix, Name, NameRef, RType};

/// An existing name with no SPF record of its own (nor through a CNAME).
pub struct SpfMissing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV001", slug: "cov-spf-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Sometimes,
    first_release: true,
    summary: "an existing name with no SPF record of its own",
    doc: RuleDoc {
        what: "Reports every name that exists in the zone and owns data (an address, MX, TXT, anything) but publishes no SPF record, and is not a CNAME to a name that does. Underscore names (`_dmarc`, `_domainkey`, SRV names), delegated names and wildcards (COV002) are exempt.",
        why: "SPF is not inherited: a parent's record, a wildcard or a DMARC `sp` never stands in for a missing SPF at a name that exists (RFC 7208 §3.5, RFC 4592 §3.3.1). Spammers use such names as senders, and receivers then judge the whole domain by that mail: the incident behind zonelint.",
        example: "shop A 192.0.2.7\n",
        use_instead: "shop A 192.0.2.7\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "Adds `v=spf1 -all` beside the name's records. Safe when the name has no MX, is no MX exchange or SPF target, and is not a declared sender: it sends no mail today that could start failing. Otherwise unsafe (for an MX host it proposes `v=spf1 a -all`, which authorizes the host itself).",
        references: &["RFC 7208 §3.5", "RFC 7208 §10.1.2", "RFC 4592 §3.3.1", "M3AAWG Protecting Parked Domains BCP (2015)"],
    },
};

impl Rule for SpfMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn shared_views(&self) -> &'static [SharedView] {
        &[SharedView::Exchanges, SharedView::SpfTargets]
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        if cx.zone_mail().is_none() {
            return;
        }
        // Every MX exchange of the set (derived once per lint for the MX rules too).
        let mx_hosts = crate::rules::mx::exchanges(cx);
        let spf_targets = spf_targets(cx);
        for facts in cx.names() {
            if facts.is_empty_non_terminal()
                || facts.is_wildcard()
                || exempt_from_coverage(zone, facts)
            {
                continue;
            }
            if cx.spf_of(facts).next().is_some() {
                // Selected or not, an SPF-looking record is the SPF rules' business
                // (SPF007 for several, SPF008 for one that is never selected).
                continue;
            }
            match cname_target(zone, facts) {
                Some(target) => report_cname(cx, sink, facts, target),
                None => report_missing(cx, sink, facts, mx_hosts, spf_targets),
            }
        }
    }
}

pub(crate) fn cname_target<'z>(zone: &ZoneIndex<'z>, facts: &NameFacts<'_>) -> Option<&'z NameRef> {
    zone.records_of(facts, RType::CNAME)
        .find_map(|r| r.rdata_borrowed().and_then(view::single_name))
}

/// A CNAME's SPF is its target's: report only when the target is loaded and, following
/// aliases (at most 8), ends at a name with no SPF.
fn report_cname(
    cx: &ZoneContext<'_>,
    sink: &mut Sink<'_>,
    facts: &NameFacts<'_>,
    first_target: &NameRef,
) {
    let mut target = first_target;
    for _ in 0..8 {
        let Some(found) = cx.set.lookup(target) else {
            return; // Out of the loaded zones: COV010 notes it.
        };
        let Some(target_facts) = found.facts else {
            return; // Dangling: ZONE013 reports it.
        };
        if let Some(next) = cname_target(found.zone, target_facts) {
            target = next;
            continue;
        }
        // A name with no TXT record has no SPF: most alias targets are asked nothing more.
        // In this zone the records are found by the name's position, hashing no name.
        let has_spf = found
            .zone
            .holds_any(target_facts, &[RType::TXT, RType::SPF])
            && if std::ptr::eq(found.zone, cx.zone) {
                cx.selected_spf_of(target_facts).next().is_some()
            } else {
                cx.mail_of(found.zone)
                    .is_some_and(|m| m.selected_spf_at(target).next().is_some())
            };
        if !has_spf {
            sink.report(
                first_span(cx.zone, facts),
                text![
                    facts.name,
                    " publishes no SPF record: it is an alias (CNAME) of ",
                    target,
                    ", which publishes none either"
                ],
            )
            .help(text![
                "SPF for ",
                facts.name,
                " is whatever ",
                target,
                " publishes; give ",
                target,
                " an SPF record (`v=spf1 -all` if it sends no mail)"
            ])
            .related(
                found.zone.first_span(target_facts),
                text![target, " has no SPF record"],
            )
            .owner(facts.name);
        }
        return;
    }
}

/// Every name an SPF `include` or `redirect` of a zone of the set names, derived once
/// per lint.
pub(crate) fn spf_targets<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<Name> {
    cx.views.spf_targets.get_or_init(|| {
        let mut targets = HashSet::new();
        for (_, other_mail) in cx.set.zones().iter().zip(&cx.mail.zones) {
            targets.extend(other_mail.spf_targets());
        }
        targets
    })
}

fn report_missing(
    cx: &ZoneContext<'_>,
    sink: &mut Sink<'_>,
    facts: &NameFacts<'_>,
    mx_hosts: &HashSet<&NameRef>,
    spf_targets: &HashSet<Name>,
) {
    let zone = cx.zone;
    let name = facts.name;
    let relative = relative_form(name, &zone.origin);
    let declared_sender = cx.settings.is_sender(name);
    let is_mx_host = mx_hosts.contains(name);
    let receives_mail = zone.has_type(facts, RType::MX);
    let is_spf_target = spf_targets.contains(name);
    let mut report = sink
        .report(first_span(zone, facts), text![name, " exists but publishes no SPF record, so receivers cannot tell that mail from it is forged"])
        .owner(name);
    let covering = zone
        .parent_of(facts)
        .and_then(|parent| zone.wildcard_child(parent))
        .filter(|w| cx.selected_spf_of(w).next().is_some())
        .map(|w| zone.first_span(w));
    if let Some(span) = covering {
        report = report.related(
            span,
            "this wildcard SPF record does not cover names that exist (RFC 4592 §3.3.1)",
        );
    }
    if declared_sender {
        report.help(text![name, " is a declared sender: publish the SPF record that authorizes its outgoing servers, ending in `-all`"]);
        return;
    }
    if is_mx_host {
        let fix = insert_beside(zone, facts, "TXT", "\"v=spf1 a -all\"").map(|edit| Fix {
            applicability: Applicability::Unsafe,
            message: text![
                "Add `",
                relative,
                " TXT \"v=spf1 a -all\"` (the MX host may send as itself)"
            ],
            edits: vec![edit],
        });
        report = report.help(text![name, " is a mail exchanger: add `", relative, " IN TXT \"v=spf1 a -all\"` so it may send bounces as itself (RFC 7208 §10.1.3), or `v=spf1 -all` if it never sends"]);
        if let Some(fix) = fix {
            report.fix(fix);
        }
        return;
    }
    let safe = !receives_mail && !is_spf_target;
    let fix = insert_beside(zone, facts, "TXT", "\"v=spf1 -all\"").map(|edit| Fix {
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        message: text!["Add `", relative, " TXT \"v=spf1 -all\"` (sends no mail)"],
        edits: vec![edit],
    });
    report = report.help(text!["Add `", relative, " IN TXT \"v=spf1 -all\"` if it sends no mail, or declare it in `senders` and publish what it authorizes"]);
    if let Some(fix) = fix {
        report.fix(fix);
    }
}

/// Where to point: the owner as written on the name's first record, or that record
/// itself when its owner is blank (a continuation line).
pub(crate) fn first_span(zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> zonelint_zone::Span {
    zone.records(facts)
        .next()
        .map(|r| r.owner_span())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| zone.first_span(facts))
}

/// `shop` for `shop.example.com.` in `example.com.`; `@` for the apex; the absolute name
/// otherwise.
#[must_use]
pub fn relative_form(name: &NameRef, origin: &NameRef) -> String {
    if name == origin {
        return "@".to_owned();
    }
    // Relative when the name ends in the origin as the origin is written (the same
    // letters' case: a name written in other case keeps its absolute form). Written from
    // the wire form in one string: a large zone asks for hundreds of thousands of these.
    let (wire, suffix) = (name.as_wire(), origin.as_wire());
    let head = wire
        .strip_suffix(suffix)
        .filter(|_| !origin.is_root() && name.is_at_or_below(origin));
    let Some(head) = head else {
        return name.to_string();
    };
    let mut text = String::with_capacity(head.len());
    for label in Name::labels_of(head) {
        if !text.is_empty() {
            text.push('.');
        }
        // Writing to a `String` cannot fail.
        let _ = zonelint_zone::name::write_label(label, &mut text);
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;
    use zonelint_zone::Name;

    #[test]
    fn relative_forms_are_written_as_in_a_zone_file() {
        let name = |text: &str| Name::from_ascii(text).unwrap();
        let cases = [
            ("www.example.com.", "example.com.", "www"),
            ("a.b.example.com.", "example.com.", "a.b"),
            ("example.com.", "example.com.", "@"),
            ("EXAMPLE.com.", "example.com.", "@"),
            // Not the origin as written: kept absolute.
            ("www.EXAMPLE.com.", "example.com.", "www.EXAMPLE.com."),
            ("a\\.b.example.com.", "example.com.", "a\\.b"),
            ("x\\032y.z.example.com.", "example.com.", "x\\032y.z"),
            ("www.example.org.", "example.com.", "www.example.org."),
            ("wwwexample.com.", "example.com.", "wwwexample.com."),
            ("www.example.com.", ".", "www.example.com."),
        ];
        for (text, origin, relative) in cases {
            assert_eq!(
                super::relative_form(&name(text), &name(origin)),
                relative,
                "{text}"
            );
        }
    }

    #[test]
    fn names_without_spf_are_reported_once_each() {
        insta::assert_snapshot!(lint_snippet(
            "www A 192.0.2.1\nwww AAAA 2001:db8::1\nshop A 192.0.2.2\nshop TXT \"v=spf1 -all\"\nsub.deep A 192.0.2.3\n",
            &["COV001"],
        ));
    }

    #[test]
    fn exempt_names_are_not_reported() {
        insta::assert_snapshot!(lint_snippet(
            "_sip._tcp SRV 0 5 5060 sip.example.net.\n_acme-challenge TXT \"token\"\nchild NS ns1.child\nns1.child A 192.0.2.53\n* A 192.0.2.9\n",
            &["COV001"],
        ));
    }

    #[test]
    fn cnames_take_their_targets_spf() {
        insta::assert_snapshot!(lint_snippet(
            "www CNAME web\nweb A 192.0.2.1\nweb TXT \"v=spf1 -all\"\nold CNAME nospf\nnospf A 192.0.2.2\next CNAME shop.saas.example.\n",
            &["COV001"],
        ));
    }

    #[test]
    fn mx_hosts_and_senders_get_other_advice() {
        insta::assert_snapshot!(lint_snippet("@ MX 10 mx1\nmx1 A 192.0.2.25\n", &["COV001"]));
    }

    #[test]
    fn a_null_mx_makes_no_mail_exchanger_of_the_root() {
        // Regression: the null MX's `.` counted as an exchange, so the root zone's apex
        // was told to publish `v=spf1 a -all` as a mail host (RFC 7505 §3: the null MX
        // says the domain takes no mail).
        let zone = "$TTL 60\n. SOA a.root. h.root. 1 2 3 4 5\n. NS a.root.\n\
                    example. MX 0 .\nexample. A 192.0.2.2\na.root. A 192.0.2.4\n";
        let found = crate::rules::test_support::check_zones("COV001", &[(".", zone)]);
        assert!(found.contains("2:1 COV001 . exists"), "{found}");
        assert!(!found.contains(". is a mail exchanger"), "{found}");
    }

    #[test]
    fn a_wildcard_spf_is_named_as_not_covering() {
        insta::assert_snapshot!(lint_snippet(
            "* TXT \"v=spf1 -all\"\n* A 192.0.2.9\nwww A 192.0.2.1\n",
            &["COV001"]
        ));
    }
}
