//! DKIM012 `dkim-legacy`.

use super::{answered, is_adsp_name};
use crate::grammar::tag_list::{self, NameSyntax};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// Obsolete DomainKeys and ADSP policy records.
pub struct Legacy;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM012", slug: "dkim-legacy" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "DomainKeys `o=` policy at `_domainkey`; ADSP at `_adsp._domainkey`",
    doc: RuleDoc {
        what: "Reports a DomainKeys sender signing policy (a TXT record with an `o=` tag, such as `o=~` or `o=-`) at `_domainkey.<domain>`, and any TXT record at `_adsp._domainkey.<domain>`, where ADSP published its policy (`dkim=all`, `dkim=discardable`).",
        why: "DomainKeys (RFC 4870, Historic) was replaced by DKIM, whose key records are the only thing verifiers look up under `_domainkey`; its policy record is read by nobody. ADSP (RFC 5617 §4.1) was moved to Historic in 2013 and is not implemented by current receivers; DMARC took its place. The records are noise that suggests a protection the domain does not have.",
        example: "_domainkey TXT \"o=~; r=postmaster@example.com\"\n",
        use_instead: "; no record: the DMARC policy at _dmarc tells receivers what to do with mail that is not signed\n",
        fix_safety: "No fix: removing the record is the change, and it is left to the owner.",
        references: &["RFC 4870 (Historic)", "RFC 5617 §4.1 (Historic since 2013)", "RFC 6376 §3.6.2.1"],
    },
};

impl Rule for Legacy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for txt in mail.texts.iter().filter(|t| answered(cx.zone, t)) {
            let owner = txt.owner;
            let adsp = is_adsp_name(owner);
            let at_domainkey = owner
                .first_label()
                .is_some_and(|l| l.eq_ignore_ascii_case(b"_domainkey"));
            // Only these two kinds of name are asked about: the tags of the other texts
            // (every TXT record of the zone, keys among them) are not read.
            if !adsp && !at_domainkey {
                continue;
            }
            let (list, _) = tag_list::parse(&txt.text, 0..txt.text.len(), NameSyntax::Dkim);
            if adsp {
                let span = list
                    .tags
                    .iter()
                    .find(|t| t.is("dkim"))
                    .map_or(txt.span(), |t| t.span());
                sink.report(span, format!("{owner} is an ADSP policy record: ADSP is Historic and receivers no longer read it"))
                    .help("Remove the record; DMARC (`_dmarc`) is how a domain says what to do with unsigned mail")
                    .owner(owner);
                continue;
            }
            let Some(policy) = list.tags.iter().find(|t| t.name() == b"o") else {
                continue;
            };
            sink.report(policy.span(), format!("`{}` at {owner} is a DomainKeys signing policy: DomainKeys is Historic and verifiers no longer read it", super::written(cx.zone, policy.span())))
                .help("Remove the record; DMARC (`_dmarc`) is how a domain says what to do with unsigned mail")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn domainkeys_and_adsp_policies() {
        insta::assert_snapshot!(lint_snippet(
            "_domainkey TXT \"t=y; o=~; r=postmaster@example.com\"\n_adsp._domainkey TXT \"dkim=discardable\"\n_domainkey.news TXT \"o=-\"\n",
            &["DKIM012"],
        ));
    }

    #[test]
    fn other_records_under_domainkey_are_not_reported() {
        let found = lint_snippet(
            "_domainkey TXT \"v=spf1 -all\"\ns1._domainkey TXT \"v=DKIM1; o=~; p=\"\n_domainkey.news TXT \"t=y\"\n",
            &["DKIM012"],
        );
        assert_eq!(found, "");
    }
}
