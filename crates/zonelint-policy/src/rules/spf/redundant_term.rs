//! SPF023 `spf-redundant-term`.

use super::{crosses_join, selected};
use crate::grammar::spf::{is_permerror, Cidr, DualCidr, MacroString, Mechanism, Qualifier, Term};
use crate::mail::SpfEntry;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::net::{Ipv4Addr, Ipv6Addr};
use zonelint_zone::{Applicability, Code, Edit, Fix, NameRef};

/// A term that can never match because an earlier one already decides for it.
pub struct RedundantTerm;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF023", slug: "spf-redundant-term" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::Safe,
    first_release: true,
    summary: "a duplicate SPF term, or a network inside an earlier one",
    doc: RuleDoc {
        what: "Reports, among the terms a receiver evaluates (up to the first `all`), an `include`, `a`, `mx`, `ip4` or `ip6` that repeats an earlier one (same target and prefix lengths, any qualifier; a bare `a`/`mx` is the same as one naming the record's own domain), and an `ip4`/`ip6` network fully inside an earlier network with the same qualifier.",
        why: "Mechanisms are tried left to right and the first match decides (RFC 7208 §4.6.2): a term whose every match an earlier term already took never matches. A repeated `include`, `a` or `mx` still costs a DNS lookup of the 10 allowed (§4.6.4), for nothing.",
        example: "shop TXT \"v=spf1 include:_spf.example.net include:_spf.example.net -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.example.net -all\"\n",
        fix_safety: "Safe: the removed term can never match, so no result changes, except that a tree over the lookup limit may come under it.",
        references: &["RFC 7208 §4.6.2", "RFC 7208 §4.6.4", "RFC 7208 §5.6"],
    },
};

/// What a term matches, for comparing terms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Matches<'a> {
    /// `include`, `a` or `mx` with the target and prefix lengths.
    Lookup {
        mechanism: &'static str,
        target: LookupTarget<'a>,
        ip4: Option<u8>,
        ip6: Option<u8>,
    },
    /// An IPv4 network (address masked, prefix length).
    Ip4(u32, u8),
    /// An IPv6 network (address masked, prefix length).
    Ip6(u128, u8),
}

impl Rule for RedundantTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            if is_permerror(&entry.problems) {
                continue;
            }
            let owner = entry.txt.owner;
            let mut earlier: Vec<(&Term<'_>, Qualifier, Matches<'_>)> = Vec::new();
            for (term, directive) in entry.record.directives() {
                if matches!(directive.mechanism, Mechanism::All) {
                    break;
                }
                let Some(matches) = matches_of(&directive.mechanism, owner) else {
                    continue;
                };
                let qualifier = directive.effective_qualifier();
                let shadow = earlier
                    .iter()
                    .find(|(_, q, m)| *m == matches || (*q == qualifier && contains(m, &matches)));
                if let Some((first, _, first_matches)) = shadow {
                    report(sink, entry, term, first, first_matches == &matches);
                } else {
                    earlier.push((term, qualifier, matches));
                }
            }
        }
    }
}

fn report(
    sink: &mut Sink<'_>,
    entry: &SpfEntry<'_>,
    term: &Term<'_>,
    first: &Term<'_>,
    same: bool,
) {
    let owner = entry.txt.owner;
    let written = String::from_utf8_lossy(term.text());
    let earlier = String::from_utf8_lossy(first.text());
    let lookup = matches!(
        term.kind,
        crate::grammar::spf::TermKind::Directive(ref d)
            if matches!(d.mechanism, Mechanism::Include(_) | Mechanism::A { .. } | Mechanism::Mx { .. })
    );
    let cost = if lookup {
        " and costs a DNS lookup"
    } else {
        ""
    };
    let message = if same {
        format!("`{written}` repeats `{earlier}` earlier in the SPF record of {owner}: it can never match{cost}")
    } else {
        format!("`{written}` is inside `{earlier}` earlier in the SPF record of {owner}: it can never match")
    };
    let mut report = sink
        .report(term.span(), message)
        .help(if lookup {
            "Remove the duplicate; it costs a lookup"
        } else {
            "Remove the term; the earlier network already covers it"
        })
        .related(first.span(), "the earlier term that matches first")
        .owner(owner);
    if let Some(fix) = removal(entry, term) {
        report = report.fix(fix);
    }
    drop(report);
}

/// Removing `term` with the space before it, when both are in one string.
fn removal(entry: &SpfEntry<'_>, term: &Term<'_>) -> Option<Fix> {
    let text = &entry.txt.text;
    let term_range = term.range.range();
    let start = term_range.start.checked_sub(1)?;
    let range = start..term_range.end;
    if text.as_bytes().get(start) != Some(&b' ') || crosses_join(text, &range) {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("Remove `{}`", String::from_utf8_lossy(term.text())),
        edits: vec![Edit {
            span: text.span(range),
            content: String::new(),
        }],
    })
}

fn matches_of<'a>(mechanism: &Mechanism<'a>, owner: &'a NameRef) -> Option<Matches<'a>> {
    let lookup = |mechanism: &'static str, domain: Option<&MacroString<'a>>, cidr: DualCidr| {
        Matches::Lookup {
            mechanism,
            target: domain.map_or(LookupTarget::Owner(owner), |d| LookupTarget::Spec(d.text())),
            ip4: cidr.ip4.map(|c| c.length),
            ip6: cidr.ip6.map(|c| c.length),
        }
    };
    Some(match mechanism {
        Mechanism::Include(spec) => lookup("include", Some(spec), DualCidr::default()),
        Mechanism::A { domain, cidr } => lookup("a", domain.as_ref(), **cidr),
        Mechanism::Mx { domain, cidr } => lookup("mx", domain.as_ref(), **cidr),
        Mechanism::Ip4 { address, cidr } => {
            let length = length_of(*cidr, 32);
            Matches::Ip4(mask4(*address, length), length)
        }
        Mechanism::Ip6 { address, cidr } => {
            let length = length_of(*cidr, 128);
            Matches::Ip6(mask6(*address, length), length)
        }
        _ => return None,
    })
}

/// The target of an `include`, `a` or `mx`: its domain-spec as written, or the record's
/// own name for a bare `a`/`mx`. Targets compare as their texts do in any ASCII case
/// and without final dots. Nothing is copied or written out for most terms: a text is
/// written only to compare a bare term with one that names a domain.
#[derive(Clone, Copy, Debug)]
enum LookupTarget<'a> {
    Spec(&'a [u8]),
    Owner(&'a NameRef),
}

impl PartialEq for LookupTarget<'_> {
    fn eq(&self, other: &Self) -> bool {
        fn trimmed(text: &[u8]) -> &[u8] {
            let end = text
                .iter()
                .rposition(|&b| b != b'.')
                .map_or(0, |last| last + 1);
            text.get(..end).unwrap_or_default()
        }
        let same = |a: &[u8], b: &[u8]| trimmed(a).eq_ignore_ascii_case(trimmed(b));
        match (*self, *other) {
            (LookupTarget::Owner(a), LookupTarget::Owner(b)) => a == b,
            (LookupTarget::Spec(a), LookupTarget::Spec(b)) => same(a, b),
            (LookupTarget::Spec(spec), LookupTarget::Owner(owner))
            | (LookupTarget::Owner(owner), LookupTarget::Spec(spec)) => {
                same(spec, owner.to_string().as_bytes())
            }
        }
    }
}

impl Eq for LookupTarget<'_> {}

fn length_of(cidr: Option<Cidr>, full: u8) -> u8 {
    cidr.map_or(full, |c| c.length.min(full))
}

fn mask4(address: Ipv4Addr, length: u8) -> u32 {
    let bits = u32::from(address);
    match length {
        0 => 0,
        n => bits & (u32::MAX << (32 - u32::from(n.min(32)))),
    }
}

fn mask6(address: Ipv6Addr, length: u8) -> u128 {
    let bits = u128::from(address);
    match length {
        0 => 0,
        n => bits & (u128::MAX << (128 - u32::from(n.min(128)))),
    }
}

/// Whether network `outer` contains network `inner` (both masked).
fn contains(outer: &Matches<'_>, inner: &Matches<'_>) -> bool {
    match (outer, inner) {
        (Matches::Ip4(net, len), Matches::Ip4(address, inner_len)) => {
            len <= inner_len && mask4(Ipv4Addr::from(*address), *len) == *net
        }
        (Matches::Ip6(net, len), Matches::Ip6(address, inner_len)) => {
            len <= inner_len && mask6(Ipv6Addr::from(*address), *len) == *net
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_bare_term_repeated_fires() {
        let found = lint_snippet(
            "a TXT \"v=spf1 a mx a:b.example.com a -all\"\n",
            &["SPF023"],
        );
        assert!(found.contains("`a` repeats `a` earlier"), "{found}");
        assert_eq!(found.matches("SPF023").count(), 1, "{found}");
    }

    #[test]
    fn duplicates_and_contained_networks_fire_with_a_fix() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.net a mx:Shop.example.com. ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_SPF.example.net. a:shop.example.com mx ip4:192.0.2.7 ip6:2001:db8:1::/48 -all\"\n",
            &["SPF023"],
        ));
    }

    #[test]
    fn distinct_terms_other_qualifiers_and_terms_after_all_do_not_fire() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 a a/24 a//64 mx:a.example.net mx:b.example.net -ip4:192.0.2.1 ip4:192.0.2.0/24 ip4:192.0.3.0/24 ip6:2001:db8::/48 ip6:2001:db8:1::/48 -all a\"\n",
            &["SPF023"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn a_duplicate_with_another_qualifier_still_fires_and_split_strings_get_no_fix() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.net\" \" ~include:_spf.example.net -all\"\n",
            &["SPF023"],
        ));
    }
}
