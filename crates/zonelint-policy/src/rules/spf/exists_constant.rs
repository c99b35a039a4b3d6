//! SPF024 `spf-exists-constant`.

use super::selected;
use crate::grammar::spf::Mechanism;
use crate::mail::spec_name;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// `exists:` with no macro: the same answer for every sender.
pub struct ExistsConstant;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF024", slug: "spf-exists-constant" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`exists:` without a macro: matches every sender or none",
    doc: RuleDoc {
        what: "Reports an `exists:` mechanism whose domain-spec has no macro expansion (`%{…}`), so that it looks up the same name for every message. When the name is in a loaded zone, the message says which way it goes.",
        why: "RFC 7208 §5.7: `exists` matches when an A lookup of the expanded domain-spec returns any record. It is meant to be built from macros (the client IP, the sender); without one, the lookup has one answer for every client: the term authorizes the whole Internet when the name has an A record, and matches no one (a wasted lookup, and a void one, §4.6.4) when it does not.",
        example: "shop TXT \"v=spf1 exists:mail.example.com -all\"\n",
        use_instead: "shop TXT \"v=spf1 exists:%{i}._spf.example.com -all\"\n",
        fix_safety: "No fix: the intended macro depends on the service that answers the lookups.",
        references: &["RFC 7208 §5.7", "RFC 7208 §7", "RFC 7208 §4.6.4"],
    },
};

impl Rule for ExistsConstant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for (term, directive) in entry.record.directives() {
                let Mechanism::Exists(spec) = &directive.mechanism else {
                    continue;
                };
                if spec.has_expansions() || spec.text().is_empty() {
                    continue;
                }
                let term_text = String::from_utf8_lossy(term.text());
                let outcome = spec_name(spec)
                    .and_then(|name| cx.set.lookup(&name).map(|found| (name, found)))
                    .and_then(|(name, found)| match found.facts {
                        Some(facts) if found.zone.has_type(facts, RType::A) => Some(format!(
                            "{name} has an A record, so it matches every client"
                        )),
                        None if found.zone.wildcard_for(&name).is_none() => Some(format!(
                            "{name} does not exist in the loaded zone, so it matches no client"
                        )),
                        _ => None,
                    });
                let message = match outcome {
                    Some(outcome) => format!("`{term_text}` in the SPF record of {owner} has no macro: {outcome}"),
                    None => format!("`{term_text}` in the SPF record of {owner} has no macro: it looks up the same name for every client, so it matches everyone or no one"),
                };
                sink.report(term.span(), message)
                    .help("Build the name from macros (`exists:%{i}._spf.example.com`), or list the senders with `ip4:`/`ip6:` or `a`")
                    .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn constant_exists_fires_and_says_which_way_in_zone() {
        insta::assert_snapshot!(lint_snippet(
            "relay A 192.0.2.25\na TXT \"v=spf1 exists:relay.example.com exists:gone.example.com exists:always.example.net exists:%%.example.net -all\"\n",
            &["SPF024"],
        ));
    }

    #[test]
    fn exists_with_macros_does_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 exists:%{i}._spf.example.com exists:%{l}.%{d}.example.net -all\"\n",
            &["SPF024"],
        );
        assert_eq!(found, "");
    }
}
