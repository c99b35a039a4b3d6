//! SPF011 `spf-redirect-with-all`.

use super::selected;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// `redirect=` beside an `all`: the redirect is ignored.
pub struct RedirectWithAll;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF011", slug: "spf-redirect-with-all" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`redirect=` and `all` in one record: the redirect is ignored",
    doc: RuleDoc {
        what: "Reports a `redirect=` modifier in a record that also has an `all` mechanism, wherever the two are written.",
        why: "RFC 7208 §5.1 and §6.1: a redirect MUST be ignored when the record contains an `all`, so the redirect target's policy never applies. Some checkers evaluate this case wrongly and show the target's result (pyspf#31), which hides the mistake.",
        example: "shop TXT \"v=spf1 redirect=_spf.example.net -all\"\n",
        use_instead: "shop TXT \"v=spf1 redirect=_spf.example.net\"\n",
        fix_safety: "No fix: whether the `all` or the redirect is meant is the owner's choice.",
        references: &["RFC 7208 §5.1", "RFC 7208 §6.1"],
    },
};

impl Rule for RedirectWithAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let record = &entry.record;
            let Some((all, _)) = record.all() else {
                continue;
            };
            let Some((term, modifier)) = record
                .modifiers()
                .find(|(_, m)| m.kind == crate::grammar::spf::ModifierName::Redirect)
            else {
                continue;
            };
            let owner = entry.txt.owner;
            let all_text = String::from_utf8_lossy(all.text());
            sink.report(
                term.span(),
                format!("`redirect={}` in the SPF record of {owner} is ignored because the record has `{all_text}`", modifier.value),
            )
            .help(format!("Remove `{all_text}` (the redirect target decides) or remove the redirect"))
            .related(all.span(), "this `all` makes receivers ignore the redirect")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn redirect_beside_all_fires_in_either_order() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 redirect=_spf.example.net -all\"\nb TXT \"v=spf1 ~all redirect=_spf.example.net\"\n",
            &["SPF011"],
        ));
    }

    #[test]
    fn redirect_alone_does_not_fire() {
        assert_eq!(
            lint_snippet(
                "a TXT \"v=spf1 mx redirect=_spf.example.net\"\n",
                &["SPF011"]
            ),
            ""
        );
    }
}
