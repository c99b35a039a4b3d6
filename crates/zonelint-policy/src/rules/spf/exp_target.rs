//! SPF032 `spf-exp-target`.

use super::selected;
use crate::grammar::spf::ModifierName;
use crate::mail::spec_name;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{resolve, Resolved};
use zonelint_zone::{Code, RType};

/// An `exp=` target that does not hold exactly one TXT record.
pub struct ExpTarget;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF032", slug: "spf-exp-target" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an `exp=` target with no TXT record, or more than one",
    doc: RuleDoc {
        what: "Reports an `exp=` modifier whose target (without macros) is in a loaded zone or the `spf-snapshot`, CNAMEs and wildcards followed, and has no TXT record or more than one.",
        why: "RFC 7208 §6.2: if the explanation lookup returns no records, or more than one, the receiver proceeds as if there were no `exp=`: the rejection carries the receiver's default text instead of the owner's explanation.",
        example: "shop TXT \"v=spf1 -all exp=_explain.example.com\"\n",
        use_instead: "shop TXT \"v=spf1 -all exp=_explain.example.com\"\n_explain TXT \"%{i} is not allowed to send mail as %{d}\"\n",
        fix_safety: "No fix: the explanation text is the owner's.",
        references: &["RFC 7208 §6.2"],
    },
};

impl Rule for ExpTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for (term, modifier) in entry.record.modifiers() {
                if modifier.kind != ModifierName::Exp {
                    continue;
                }
                let Some(target) = spec_name(&modifier.value) else {
                    continue;
                };
                let Resolved::InZone {
                    index,
                    facts,
                    snapshot,
                    ..
                } = resolve(cx.set, &target)
                else {
                    continue;
                };
                let count = facts.map_or(0, |f| index.records_of(f, RType::TXT).count());
                if count == 1 {
                    continue;
                }
                let found = if count == 0 {
                    "has no TXT record".to_owned()
                } else {
                    format!("has {count} TXT records")
                };
                let mut report = sink
                    .report(
                        modifier.value.span(),
                        format!("the explanation target {target} of the SPF record of {owner} {found}: receivers ignore `{}` and use their default text", String::from_utf8_lossy(term.text())),
                    )
                    .help(if count == 0 {
                        "Publish one TXT record with the explanation at the target, or remove `exp=`"
                    } else {
                        "Keep exactly one TXT record at the explanation target"
                    })
                    .owner(owner);
                if !snapshot {
                    if let Some(record) = facts.and_then(|f| index.records_of(f, RType::TXT).nth(1))
                    {
                        report = report.related(record.span(), "a second TXT record");
                    }
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn missing_and_multiple_explanations_fire() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 -all exp=explain.example.com\"\nnews TXT \"v=spf1 -all exp=two.example.com\"\ntwo TXT \"first\"\ntwo TXT \"second\"\n",
            &["SPF032"],
        ));
    }

    #[test]
    fn one_record_external_and_macro_targets_do_not_fire() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 -all exp=explain.example.com\"\nexplain TXT \"not allowed\"\nnews TXT \"v=spf1 -all exp=explain.example.net\"\nold TXT \"v=spf1 -all exp=%{d}.x.example.com\"\nalias TXT \"v=spf1 -all exp=e.example.com\"\ne CNAME explain\n",
            &["SPF032"],
        );
        assert_eq!(found, "");
    }
}
