//! MX006 `mx-implicit`.

use super::{exchanges, has_address};
use crate::fixes::insert_beside;
use crate::index::ZoneSet;
use crate::rules::cov::exempt_from_coverage;
use crate::rules::cov::spf_missing::relative_form;
use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::target;
use crate::rules::text::text;
use crate::rules::{
    FixAvailability, Level, Rule, RuleDoc, RuleMeta, SharedView, Sink, ZoneContext,
};
use foldhash::HashSet;
use zonelint_zone::{Applicability, Code, Fix, NameRef, RType};

/// A name with an address but no MX, so its address is its implicit MX.
pub struct Implicit;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX006", slug: "mx-implicit" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "name with A/AAAA but no MX (implicit MX)",
    doc: RuleDoc {
        what: "Notes every name that has an A or AAAA record but no MX. Names that an MX or NS record of the loaded zones names as its target (mail and name servers, which are hosts rather than mail domains), underscore names and delegated names are not reported.",
        why: "With no MX, a sender delivers to the name's own address as an implicit MX (RFC 5321 §5.1): mail to any address at a web host is tried there, queued for days when the host runs no SMTP server, and spam to made-up addresses keeps arriving. `MX 0 .` (RFC 7505) tells senders at once that the name takes no mail.",
        example: "www A 192.0.2.80\nwww TXT \"v=spf1 -all\"\n",
        use_instead: "www A 192.0.2.80\nwww MX 0 .\nwww TXT \"v=spf1 -all\"\n",
        fix_safety: "Unsafe: adds `MX 0 .` beside the name's records, which stops all mail to the name; only right when the name takes no mail.",
        references: &["RFC 5321 §5.1", "RFC 7505 §3", "internet.nl mail test verdicts"],
    },
};

impl Rule for Implicit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn shared_views(&self) -> &'static [SharedView] {
        &[SharedView::NameServers, SharedView::Exchanges]
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let servers = name_servers(cx);
        let hosts = exchanges(cx);
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::MX)
                || exempt_from_coverage(zone, facts)
                || !has_address(zone, facts)
                || zone.has_type(facts, RType::MX)
                || hosts.contains(facts.name)
                || servers.contains(facts.name)
            {
                continue;
            }
            let Some(address) = zone
                .records(facts)
                .find(|r| matches!(r.rtype(), RType::A | RType::AAAA))
            else {
                continue;
            };
            let span = Some(address.owner_span())
                .filter(|s| !s.is_empty())
                .unwrap_or(address.span());
            let name = facts.name;
            let relative = relative_form(name, &zone.origin);
            let mut report = sink
                .report(span, text![name, " has an address but no MX record, so senders deliver mail for it to that address (implicit MX)"])
                .help(text!["If ", name, " takes no mail, publish `", relative, " IN MX 0 .` so senders give up at once; if it does, publish an MX naming its mail server"])
                .owner(name);
            if let Some(edit) = insert_beside(zone, facts, "MX", "0 .") {
                report = report.fix(Fix {
                    applicability: Applicability::Unsafe,
                    message: text!["Add `", relative, " MX 0 .` (the name takes no mail)"],
                    edits: vec![edit],
                });
            }
            drop(report);
        }
    }
}

/// Every name that an NS record of the loaded zones names as a name server.
/// Every name an NS record of the set names as a name server, derived once per lint.
pub(crate) fn name_servers<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<&'a NameRef> {
    cx.views
        .name_servers
        .get_or_init(|| find_name_servers(cx.set))
}

fn find_name_servers<'a>(set: &ZoneSet<'a>) -> HashSet<&'a NameRef> {
    set.zones()
        .iter()
        .flat_map(|zone| zone.all_of_type(RType::NS))
        .filter_map(|ns| target(&ns).map(|t| t.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn hosts_without_mx_are_noted_with_a_null_mx_fix() {
        insta::assert_snapshot!(lint_snippet(
            "www A 192.0.2.80\nwww AAAA 2001:db8::80\nwww TXT \"v=spf1 -all\"\n* A 192.0.2.81\n* TXT \"v=spf1 -all\"\n",
            &["MX006"],
        ));
    }

    #[test]
    fn mail_hosts_name_servers_and_names_with_mx_are_not_noted() {
        assert_eq!(
            lint_snippet(
                "@ MX 10 mail\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\nwww A 192.0.2.80\nwww MX 0 .\nwww TXT \"v=spf1 -all\"\nshop A 192.0.2.7\nshop MX 10 mail\nshop TXT \"v=spf1 -all\"\n_sip._tcp A 192.0.2.9\nchild NS ns.child\nns.child A 192.0.2.53\nalias CNAME www\n",
                &["MX006"],
            ),
            ""
        );
    }
}
