//! DMARC018 `dmarc-report-auth-malformed`.

use super::{answered, is_report_authorization};
use crate::grammar::dmarc;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef};

/// A report-destination authorization that report senders cannot use.
pub struct ReportAuthMalformed;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC018", slug: "dmarc-report-auth-malformed" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "a `_report._dmarc` authorization that does not start with `v=DMARC1`, or names no source domain",
    doc: RuleDoc {
        what: "Looks at the report-destination authorizations this zone publishes (RFC 9990): TXT records at `<source-domain>._report._dmarc.<host>` or `*._report._dmarc.<host>`. Reports a name whose TXT records all fail to start with `v=DMARC1`, and a `v=DMARC1` record at `_report._dmarc.<host>` itself, which names no source domain.",
        why: "Before sending reports to a host outside the policy domain's organization, report generators query `<policy-domain>._report._dmarc.<host>` and discard every record there that does not start with `v=DMARC1`; with none left, the destination is not authorized and the URI MUST be ignored (RFC 9990, Verifying External Destinations; RFC 7489 §7.1). A record at `_report._dmarc.<host>` is never queried: the source domain (or `*` for every domain) must come first.",
        example: "_report._dmarc TXT \"v=DMARC1\"\n",
        use_instead: "*._report._dmarc TXT \"v=DMARC1\"\n",
        fix_safety: "No fix: which source domains to authorize is the destination owner's choice.",
        references: &["RFC 9990 (Verifying External Destinations)", "RFC 7489 §7.1", "RFC 9989 §11.6"],
    },
};

impl Rule for ReportAuthMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        let mut judged: Vec<&NameRef> = Vec::new();
        for txt in mail
            .texts
            .iter()
            .filter(|t| is_report_authorization(t.owner) && answered(cx.zone, t))
        {
            let owner = txt.owner;
            let Some(host) = host_of(owner) else { continue };
            let bytes = txt.text.as_bytes();
            let span = txt.text.whole_span();
            if owner
                .first_label()
                .is_some_and(|l| l.eq_ignore_ascii_case(b"_report"))
            {
                if dmarc::looks_like_dmarc(bytes) {
                    sink.report(span, format!("report authorization at {owner} names no source domain: report generators query `<policy-domain>._report._dmarc.{host}`, never this name"))
                        .help(format!("Publish it at `<source-domain>._report._dmarc.{host}` for each domain that sends reports here, or at `*._report._dmarc.{host}` for all"))
                        .owner(owner);
                }
                continue;
            }
            if judged.contains(&owner) {
                continue;
            }
            judged.push(owner);
            let texts: Vec<_> = cx
                .zone
                .owner_of(txt.record)
                .into_iter()
                .flat_map(|(_, facts)| mail.texts_of(cx.zone, facts))
                .filter(|t| answered(cx.zone, t))
                .collect();
            if texts.iter().any(|t| dmarc::parse(&t.text).0.valid_version) {
                continue;
            }
            let source = source_of(owner);
            for t in texts {
                sink.report(t.text.whole_span(), format!("report authorization at {owner} does not start with `v=DMARC1`: report generators discard it, so {host} does not accept reports for {source}"))
                    .help("Publish exactly `\"v=DMARC1\"` (the `v` tag, case-sensitive, first)")
                    .owner(owner);
            }
        }
    }
}

/// The labels before `_report._dmarc`.
fn labels_before(owner: &NameRef) -> Option<usize> {
    let labels: Vec<&[u8]> = owner.labels().collect();
    labels.windows(2).position(|pair| {
        matches!(pair, [first, second]
            if first.eq_ignore_ascii_case(b"_report") && second.eq_ignore_ascii_case(b"_dmarc"))
    })
}

/// The destination host: the name below `_report._dmarc`.
fn host_of(owner: &NameRef) -> Option<&NameRef> {
    let mut host = owner;
    for _ in 0..labels_before(owner)? + 2 {
        host = host.parent()?;
    }
    Some(host)
}

/// The source domain the name authorizes, as text (`every domain` for `*`).
fn source_of(owner: &NameRef) -> String {
    let count = labels_before(owner).unwrap_or(0);
    let labels: Vec<String> = owner
        .labels()
        .take(count)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    if labels == ["*"] {
        "every domain".to_owned()
    } else {
        format!("{}.", labels.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn authorizations_without_version_or_source() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:d@example.com\""),
            "_report._dmarc TXT \"v=DMARC1\"\nexample.org._report._dmarc TXT \"v=dmarc1\"\n*._report._dmarc.reports TXT \"DMARC1\"\n",
            &["DMARC018"],
            false,
        ));
    }

    #[test]
    fn valid_authorizations_and_other_names_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:d@example.com\""),
            "example.org._report._dmarc TXT \"v=DMARC1\"\nexample.org._report._dmarc TXT \"hello\"\n*._report._dmarc.r TXT \"v=DMARC1; rua=mailto:x@r.example.com\"\n_report._dmarc TXT \"hello\"\nchild NS ns1.example.net.\nexample.org._report._dmarc.child TXT \"x\"\n",
            &["DMARC018"],
            false,
        );
        assert_eq!(found, "");
    }
}
