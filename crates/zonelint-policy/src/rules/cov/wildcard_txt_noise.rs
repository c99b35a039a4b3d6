//! COV011 `cov-wildcard-txt-noise`.

use super::{has_underscore_label, parked};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A wildcard SPF record that is also the answer at underscore names.
pub struct WildcardTxtNoise;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV011", slug: "cov-wildcard-txt-noise" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: false,
    summary: "wildcard SPF TXT also answers at `_dmarc.*`, `<sel>._domainkey`, `_mta-sts`",
    doc: RuleDoc {
        what: "Notes a wildcard SPF record (`*.X TXT \"v=spf1 …\"`) and lists the underscore names where it is also the answer: `_dmarc.<nonexistent>.X` always, and `_dmarc.X`, `<selector>._domainkey.X`, `_mta-sts.X` and `_smtp._tls.X` when those names (or `_domainkey.X`, `_tls.X`) do not exist. Not reported for `*.<apex>` in a parked zone, whose profile (COV007) asks for exactly that record, nor for a wildcard that also owns A, AAAA, MX or CNAME records, which needs it (COV002).",
        why: "A wildcard answers every query type it holds for every name whose closest encloser is X, underscore names included (RFC 4592 §2.2, §3.3). DMARC, DKIM, MTA-STS and TLS-RPT clients discard a text that does not start with their version, so receivers are unaffected; but live checkers report an SPF record found where a DMARC or DKIM record should be, which confuses audits.",
        example: "* TXT \"v=spf1 -all\"\n",
        use_instead: "shop A 192.0.2.7\nshop MX 0 .\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the wildcard is usually deliberate (it gives made-up names an SPF record).",
        references: &["RFC 4592 §2.2", "RFC 4592 §3.3.1"],
    },
};

impl Rule for WildcardTxtNoise {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        let parked_zone = parked(cx);
        for facts in cx.names() {
            let name = facts.name;
            if !name.is_wildcard() || has_underscore_label(name) || zone.is_below_cut(name) {
                continue;
            }
            let Some(encloser) = name.parent() else {
                continue;
            };
            // Where the profile asks for the record (a parked apex, COV007) or the wildcard
            // owns data that needs it (COV002), the note could only be ignored.
            if (parked_zone && encloser == zone.origin)
                || [RType::A, RType::AAAA, RType::MX, RType::CNAME]
                    .into_iter()
                    .any(|rtype| zone.has_type(facts, rtype))
            {
                continue;
            }
            let Some(spf) = mail.selected_spf_at(name).next() else {
                continue;
            };
            let absent = |labels: &[&[u8]]| {
                let mut below = encloser.to_name();
                for label in labels.iter().rev() {
                    match below.prepend(label) {
                        Ok(next) => below = next,
                        Err(_) => return false,
                    }
                }
                zone.get(&below).is_none()
            };
            let mut places = vec![format!("`_dmarc.<nonexistent>.{encloser}`")];
            if absent(&[b"_dmarc"]) {
                places.push(format!("`_dmarc.{encloser}`"));
            }
            if absent(&[b"_domainkey"]) {
                places.push(format!("`<selector>._domainkey.{encloser}`"));
            }
            if absent(&[b"_mta-sts"]) {
                places.push(format!("`_mta-sts.{encloser}`"));
            }
            if absent(&[b"_tls"]) {
                places.push(format!("`_smtp._tls.{encloser}`"));
            }
            let list = match places.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => places.join(""),
            };
            let span = zone
                .zone
                .record(spf.txt.record as usize)
                .map(|r| r.owner_span())
                .filter(|s| !s.is_empty())
                .unwrap_or(spf.txt.span());
            sink.report(span, format!("the wildcard SPF record at {name} is also the answer at {list}, where DMARC, DKIM and MTA-STS checkers find an SPF record instead of theirs"))
                .help("Harmless: those clients discard a record that does not start with their version; informational")
                .owner(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_wildcard_spf_is_noted_with_where_it_answers() {
        insta::assert_snapshot!(lint_snippet(
            "@ MX 10 mail.example.net.\n* TXT \"v=spf1 -all\"\ns1._domainkey TXT \"v=DKIM1; p=\"\n*.shop TXT \"v=spf1 -all\"\nshop A 192.0.2.7\n",
            &["COV011"],
        ));
    }

    #[test]
    fn other_wildcards_and_parked_apex_wildcards_are_not_noted() {
        assert_eq!(
            lint_snippet(
                "* A 192.0.2.8\n*.w TXT \"site-verification=x\"\n* TXT \"v=spf1 -all\"\n*.shop MX 0 .\n*.shop TXT \"v=spf1 -all\"\n",
                &["COV011"],
            ),
            ""
        );
    }
}
