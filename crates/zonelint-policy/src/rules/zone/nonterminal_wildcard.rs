//! ZONE017 `zone-nonterminal-wildcard`.

use crate::rules::targets::owner_span;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, Name, NameRef};

/// A `*` label that is not the leftmost label of an owner name.
pub struct NonterminalWildcard;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE017", slug: "zone-nonterminal-wildcard" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`*` used as a label other than the leftmost (`x.*.example.com.`)",
    doc: RuleDoc {
        what: "Reports an owner name with a `*` label that is not its leftmost label, such as `www.*.example.com.`.",
        why: "Only a leftmost `*` label makes a wildcard (RFC 4592 §2.1.1); anywhere else `*` is an ordinary label, so `www.*.example.com.` matches no name but itself: it does not cover `www.a.example.com.`. It also makes `*.example.com.` exist as an empty non-terminal, and that is a wildcard with no data: names it matches get an empty answer (NODATA) instead of NXDOMAIN (RFC 4592 §2.2.2), which hides their absence from DMARC `np=`.",
        example: "www.*.shop A 192.0.2.80\nwww.*.shop TXT \"v=spf1 -all\"\n",
        use_instead: "*.shop A 192.0.2.80\n*.shop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: which names were meant to be covered is the operator's call.",
        references: &["RFC 4592 §2.1.1", "RFC 4592 §2.2.2"],
    },
};

/// Where the first non-leftmost `*` label of `name` is: the name below it (`*.example.com.`
/// for `www.*.example.com.`).
fn inner_wildcard(name: &NameRef) -> Option<Name> {
    // Copies a name only when found: every name of the zone is asked.
    name.ancestors()
        .find(|ancestor| ancestor.is_wildcard())
        .map(NameRef::to_name)
}

impl Rule for NonterminalWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for facts in cx.names() {
            let Some(first) = zone.records(facts).next() else {
                continue;
            };
            let Some(wildcard) = inner_wildcard(facts.name) else {
                continue;
            };
            let empty = zone
                .get(&wildcard)
                .is_some_and(|w| w.is_empty_non_terminal());
            let side_effect = if empty {
                format!("; it also makes {wildcard} exist with no data, so every name that wildcard matches gets an empty answer")
            } else {
                String::new()
            };
            sink.report(
                owner_span(&first),
                format!(
                    "`*` is not the leftmost label of {}: there it is a literal label, not a wildcard, so this name matches only itself{side_effect}",
                    facts.name
                ),
            )
            .help(format!(
                "To cover every name below {}, own the records at {wildcard} itself; otherwise spell out the names meant",
                wildcard.parent().unwrap_or(NameRef::root())
            ))
            .owner(facts.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn an_inner_star_label_fires_once_per_owner() {
        let zone = format!(
            "{}www.*.shop A 192.0.2.1\nwww.*.shop AAAA 2001:db8::1\n*.x.*.y TXT \"z\"\n*.y A 192.0.2.2\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE017", &zone), @r"
        7:1 ZONE017 `*` is not the leftmost label of www.*.shop.example.com.: there it is a literal label, not a wildcard, so this name matches only itself; it also makes *.shop.example.com. exist with no data, so every name that wildcard matches gets an empty answer
          help: To cover every name below shop.example.com., own the records at *.shop.example.com. itself; otherwise spell out the names meant
        9:1 ZONE017 `*` is not the leftmost label of *.x.*.y.example.com.: there it is a literal label, not a wildcard, so this name matches only itself
          help: To cover every name below y.example.com., own the records at *.y.example.com. itself; otherwise spell out the names meant
        ");
    }

    #[test]
    fn leftmost_wildcards_and_star_inside_a_label_do_not_fire() {
        let zone = format!(
            "{}*.shop A 192.0.2.1\n*.a.b TXT \"x\"\na*b TXT \"y\"\n",
            head()
        );
        assert_eq!(check("ZONE017", &zone), "");
    }
}
