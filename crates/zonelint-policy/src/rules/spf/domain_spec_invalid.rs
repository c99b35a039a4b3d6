//! SPF031 `spf-domain-spec-invalid`.

use super::term_edit::{replacement, written};
use super::{caused_by_join, problems_of, selected};
use crate::grammar::spf::{DomainSpecError, Mechanism, SpfProblemKind, Term, TermKind};
use crate::mail::SpfEntry;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use zonelint_zone::{Applicability, Code, Fix};

/// A domain-spec that is not a usable domain name.
pub struct DomainSpecInvalid;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF031", slug: "spf-domain-spec-invalid" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "a domain-spec that is not a usable domain: an IP address, a single label, a numeric top label, a label over 63 octets",
    doc: RuleDoc {
        what: "Reports the domain-spec of `include:`, `a:`, `mx:`, `ptr:`, `exists:`, `redirect=` or `exp=` when it cannot name a domain: an IP address (`a:192.0.2.1`), a single label (`a:localhost`), a top label that is all digits or starts or ends with `-`, an empty label (`a..b.example`), a label over 63 octets, or a name over 253 characters. An empty domain-spec (`include:`) is SPF009's.",
        why: "RFC 7208 §7.1 requires a domain-spec to end in a macro or in `.` and a top label that is not all digits (`domain-end`, `toplabel` in §12), so the first three are syntax errors and receivers return permerror for the whole record (§4.6). What receivers do with empty or over-long labels is undefined (§4.8): the term fails to match or the record is permerror. Either way the term does not do what it says.",
        example: "shop TXT \"v=spf1 a:192.0.2.25 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "For an IP address in `a:` the fix writes it as `ip4:` or `ip6:` (with its prefix length). It is unsafe: the record stops being permerror, so its result changes for every message. Other problems have no fix: the intended name is not known.",
        references: &["RFC 7208 §4.6", "RFC 7208 §4.8", "RFC 7208 §7.1", "RFC 7208 §12"],
    },
};

impl Rule for DomainSpecInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for problem in problems_of(entry, "SPF031").filter(|p| !caused_by_join(entry, p)) {
                let SpfProblemKind::DomainSpec(error) = problem.kind else {
                    continue;
                };
                let shown = written(cx, problem.span);
                let term = entry.record.term_holding(problem.span);
                let term_text = term.map_or_else(String::new, |t| {
                    String::from_utf8_lossy(t.text()).into_owned()
                });
                let what = match error {
                    DomainSpecError::IpAddress => format!("`{shown}` is an IP address, not a domain"),
                    DomainSpecError::SingleLabel => format!("`{shown}` is a single label; a domain-spec must end in `.` and a top label"),
                    DomainSpecError::InvalidTopLabel => format!("the top label `{shown}` is all digits or starts or ends with `-`"),
                    DomainSpecError::EmptyLabel => "the name has an empty label (`..`)".to_owned(),
                    DomainSpecError::LabelTooLong => format!("a label of {} octets is longer than 63", problem.span.end - problem.span.start),
                    DomainSpecError::NameTooLong => format!("the name is {} characters long, more than 253", problem.span.end - problem.span.start),
                    DomainSpecError::Empty => continue,
                };
                let consequence = if error.is_syntax_error() {
                    "receivers return permerror for the whole record"
                } else {
                    "receivers treat the term as no match or the record as permerror (RFC 7208 §4.8)"
                };
                let help = match (error, term.and_then(address_term)) {
                    (DomainSpecError::IpAddress, Some(written)) => format!("To authorize the address, write `{written}`"),
                    (DomainSpecError::IpAddress, None) => "To authorize an address, use `ip4:` or `ip6:`".to_owned(),
                    _ => "Write the fully qualified name of the host or record meant (`_spf.example.com`)".to_owned(),
                };
                let mut report = sink
                    .report(
                        problem.span,
                        format!(
                            "`{term_text}` in the SPF record of {owner}: {what}; {consequence}"
                        ),
                    )
                    .help(help)
                    .owner(owner);
                if error == DomainSpecError::IpAddress {
                    if let Some(fix) = term.and_then(|t| to_address_fix(entry, t)) {
                        report = report.fix(fix);
                    }
                }
                drop(report);
            }
        }
    }
}

/// The `ip4:`/`ip6:` term an `a:<address>` term means, with its qualifier and the prefix
/// length of the address's family; `None` for other mechanisms, or when a prefix length
/// of the other family is written (its meaning would be lost).
fn address_term(term: &Term<'_>) -> Option<String> {
    let TermKind::Directive(directive) = &term.kind else {
        return None;
    };
    let Mechanism::A {
        domain: Some(domain),
        cidr,
    } = &directive.mechanism
    else {
        return None;
    };
    let text = std::str::from_utf8(domain.text()).ok()?;
    let address: IpAddr = text
        .strip_suffix('.')
        .unwrap_or(text)
        .parse::<Ipv4Addr>()
        .map(IpAddr::V4)
        .or_else(|_| text.parse::<Ipv6Addr>().map(IpAddr::V6))
        .ok()?;
    let qualifier = directive
        .qualifier
        .map_or_else(String::new, |q| q.as_char().to_string());
    match address {
        IpAddr::V4(address) if cidr.ip6.is_none() => Some(format!(
            "{qualifier}ip4:{address}{}",
            cidr.ip4.map_or_else(String::new, |c| c.to_string())
        )),
        IpAddr::V6(address) if cidr.ip4.is_none() => Some(format!(
            "{qualifier}ip6:{address}{}",
            cidr.ip6
                .map_or_else(String::new, |c| format!("/{}", c.length))
        )),
        _ => None,
    }
}

fn to_address_fix(entry: &SpfEntry<'_>, term: &Term<'_>) -> Option<Fix> {
    let written = address_term(term)?;
    let edit = replacement(entry, &term.range.range(), written.clone())?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!(
            "Replace `{}` with `{written}`",
            String::from_utf8_lossy(term.text())
        ),
        edits: vec![edit],
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn addresses_single_labels_and_numeric_top_labels_fire() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 a:192.0.2.25 -a:192.0.2.0/24 a:2001:db8::25//64 mx:192.0.2.25 -all\"\nb TXT \"v=spf1 a:localhost include:museum. include:_spf.example.123 exists:%{i}.example.-net -all\"\n",
            &["SPF031"],
        ));
    }

    #[test]
    fn empty_and_long_labels_fire() {
        let long = "x".repeat(64);
        insta::assert_snapshot!(lint_snippet(
            &format!("a TXT \"v=spf1 a:mail..example.com include:{long}.example.com -all\"\n"),
            &["SPF031"],
        ));
    }

    #[test]
    fn each_domain_spec_problem_is_reported_by_one_rule() {
        // The empty domain-spec is SPF009's; every other domain-spec problem is SPF031's.
        let found = lint_snippet("a TXT \"v=spf1 include: -all\"\n", &["SPF009", "SPF031"]);
        assert!(found.contains("SPF009"), "{found}");
        assert!(!found.contains("SPF031"), "{found}");
        let found = lint_snippet(
            "a TXT \"v=spf1 a:192.0.2.25 a:localhost include:x.123 a:b..example.com -all\"\n",
            &["SPF009"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn valid_domain_specs_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 a:mail.example.com. mx:example.com include:_spf.example.net exists:%{i}.%{d} ptr:x-1.example.co a:%{d}.123.example.com -all\"\n",
            &["SPF031"],
        );
        assert_eq!(found, "");
    }
}
