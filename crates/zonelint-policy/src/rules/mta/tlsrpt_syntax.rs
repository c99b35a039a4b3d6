//! MTA004 `tlsrpt-syntax`.

use super::{describe_tag_list, transport_places, Transport};
use crate::grammar::tlsrpt::{self, TlsRptProblemKind};
use crate::grammar::uri::UriError;
use crate::rules::dkim::written;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef, Span};

/// `_smtp._tls` that does not hold exactly one valid `v=TLSRPTv1; rua=…` record.
pub struct TlsRptSyntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MTA004", slug: "tlsrpt-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`_smtp._tls` not exactly one `v=TLSRPTv1; rua=<mailto/https>`",
    doc: RuleDoc {
        what: "Reports the TXT records at `_smtp._tls.<domain>` unless exactly one of them is a valid TLS-RPT record: `v=TLSRPTv1` first, a `rua` field of `mailto:` or `https:` URIs, fields as `name=value` separated by `;`. Also reports records meant as TLS-RPT (`v=tlsrptv1`) that senders discard, and a name whose TXT records include none that starts with `v=TLSRPTv1`.",
        why: "Senders discard records that do not begin with `v=TLSRPTv1`; if the number left is not exactly one, they assume the domain does not implement TLS-RPT (RFC 8460 §3). `rua` is required: without a usable report URI no sender can tell the domain that TLS to its mail servers fails.",
        example: "_smtp._tls TXT \"v=TLSRPTv1;\"\n",
        use_instead: "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"\n",
        fix_safety: "No fix: the report address is the operator's choice.",
        references: &["RFC 8460 §3"],
    },
};

impl Rule for TlsRptSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for place in transport_places(cx, Transport::TlsRpt) {
            let owner = place.facts.name;
            let domain = &place.domain;
            let attempts: Vec<_> = place
                .texts
                .iter()
                .filter(|t| Transport::TlsRpt.is_attempt(t.text.as_bytes()))
                .collect();
            if attempts.is_empty() {
                if let Some(first) = place.texts.first() {
                    sink.report(first.span(), format!("no TXT record at {owner} starts with `v=TLSRPTv1`, so senders send no TLS reports for {domain}"))
                        .help("Publish `v=TLSRPTv1; rua=mailto:<address>`, or remove the name")
                        .owner(owner);
                }
                continue;
            }
            for txt in &attempts {
                let (_, problems) = tlsrpt::parse(&txt.text);
                for problem in &problems {
                    let text = written(zone, problem.span);
                    let (message, help, related) = describe(&problem.kind, &text, owner);
                    let report = sink
                        .report(
                            problem.span,
                            format!("{message}; senders send no TLS reports for {domain}"),
                        )
                        .help(help)
                        .owner(owner);
                    if let Some(span) = related {
                        report.related(span, "first written here");
                    }
                }
            }
            let exact: Vec<_> = attempts
                .iter()
                .filter(|t| tlsrpt::looks_like_tlsrpt(t.text.as_bytes()))
                .collect();
            if let Some((first, rest)) = exact.split_first() {
                let count = exact.len();
                for extra in rest {
                    sink.report(extra.span(), format!("{count} TLS-RPT records at {owner}; with more than one, senders assume {domain} does not implement TLS-RPT"))
                        .help("Keep exactly one `v=TLSRPTv1` record; list several report URIs in its `rua`, separated by commas")
                        .related(first.span(), "the first TLS-RPT record")
                        .owner(owner);
                }
            }
        }
    }
}

fn describe(
    kind: &TlsRptProblemKind,
    text: &str,
    owner: &NameRef,
) -> (String, String, Option<Span>) {
    match kind {
        TlsRptProblemKind::TagList(problem) => describe_tag_list(problem, text, "TLS-RPT", owner),
        TlsRptProblemKind::Version => (
            format!("the TLS-RPT record at {owner} starts with `{text}`, not exactly `v=TLSRPTv1`"),
            "Start the record with `v=TLSRPTv1;`".to_owned(),
            None,
        ),
        TlsRptProblemKind::RuaMissing => (
            format!("the TLS-RPT record at {owner} has no `rua` field, which is required"),
            "Add `rua=mailto:<address>` (or an `https:` URI)".to_owned(),
            None,
        ),
        TlsRptProblemKind::SpacedEquals => (
            format!("whitespace around `=` in `{text}` in the TLS-RPT record at {owner}"),
            "Write `name=value` with no spaces around `=`".to_owned(),
            None,
        ),
        TlsRptProblemKind::Uri(error) => {
            let (what, help) = match error {
                UriError::Empty => (
                    "an empty report URI".to_owned(),
                    "Remove the extra comma, or write `mailto:user@host`".to_owned(),
                ),
                UriError::NoScheme if text.contains('@') => (
                    format!("`{text}` is not a URI"),
                    format!("Use `mailto:{text}`"),
                ),
                UriError::NoScheme => (
                    format!("`{text}` is not a URI"),
                    "Use `mailto:user@host` or `https://host/path`".to_owned(),
                ),
                UriError::SchemeNotAllowed => (
                    format!("the scheme of `{text}` is not allowed"),
                    "TLS-RPT takes `mailto:` and `https:` URIs only".to_owned(),
                ),
                UriError::Whitespace => (
                    "whitespace inside a report URI".to_owned(),
                    "Remove it, or percent-encode it as `%20`".to_owned(),
                ),
                UriError::BadPercentEncoding => (
                    format!("`{text}` is not a percent escape"),
                    "A `%` must be followed by two hexadecimal digits".to_owned(),
                ),
                UriError::NonAscii => (
                    format!("non-ASCII `{text}` in a report URI"),
                    "Use the A-label (punycode) of the host and percent-encode the rest".to_owned(),
                ),
                UriError::BadMailbox => (
                    format!("`{text}` names no mailbox"),
                    "Use `mailto:user@host`".to_owned(),
                ),
                UriError::BadHost => (
                    format!("`{text}` has no host"),
                    "Use `https://host/path`".to_owned(),
                ),
                UriError::BadSizeSuffix | UriError::SizeNotAllowed => (
                    format!("`{text}` is not part of a URI"),
                    "Percent-encode a `!` as `%21`".to_owned(),
                ),
            };
            (
                format!("{what} in the TLS-RPT record at {owner}"),
                help,
                None,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn invalid_records_are_reported_at_the_field() {
        insta::assert_snapshot!(lint_snippet(
            "_smtp._tls TXT \"v=TLSRPTv1;\"\n_smtp._tls.shop TXT \"v=TLSRPTv1; rua=tls@example.com\"\n_smtp._tls.old TXT \"v=tlsrptv1; rua=mailto:tls@example.com\"\n",
            &["MTA004"],
        ));
    }

    #[test]
    fn several_records_or_none_are_reported() {
        insta::assert_snapshot!(lint_snippet(
            "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\n_smtp._tls TXT \"v=TLSRPTv1; rua=https://r.example.net/v1\"\n_smtp._tls.shop TXT \"hello\"\n",
            &["MTA004"],
        ));
    }

    #[test]
    fn valid_records_do_not_fire() {
        assert_eq!(
            lint_snippet(
                "_smtp._tls TXT \"v=TLSRPTv1; \" \"rua=mailto:tls@example.com,https://r.example.net/v1\"\n_smtp._tls TXT \"other=1\"\n_smtp._tls.shop TXT \"v=TLSRPTv1;rua=mailto:a@example.com;ext=1\"\n",
                &["MTA004"],
            ),
            ""
        );
    }
}
