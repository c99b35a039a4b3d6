//! DMARC015 `dmarc-uri-invalid`.

use super::{report_problems, Described};
use crate::grammar::dmarc::DmarcProblemKind;
use crate::grammar::uri::UriError;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A `rua`/`ruf` entry that is not a usable URI.
pub struct UriInvalid;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC015", slug: "dmarc-uri-invalid" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`rua`/`ruf` not a URI (no `mailto:`, bare domain, unencoded `,` or `!`, spaces)",
    doc: RuleDoc {
        what: "Reports a `rua` or `ruf` entry that is not a usable URI: no scheme (`dmarc@example.com`), a `mailto:` without `local@host` (`mailto:example.com`), whitespace, a bad `%` escape, non-ASCII, an `https:` URI without a host, or a `!` that does not start a size suffix (an unencoded `!`).",
        why: "`rua` and `ruf` are comma-separated lists of URIs (RFC 9989 §4.7, §4.8; RFC 3986); a comma or `!` that belongs to a URI must be percent-encoded. Receivers skip what they cannot parse, so the domain gets no reports: it cannot see who sends as it before moving to `p=reject`. An invalid `p` with no valid `rua` left also means no DMARC at all (RFC 9989 §4.10.1).",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.8", "RFC 3986 §3", "RFC 6068"],
    },
};

impl Rule for UriInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DMARC015", |entry, kind, text| {
            let DmarcProblemKind::Uri(error) = kind else {
                return None;
            };
            let owner = entry.txt.owner;
            let (what, help) = match error {
                UriError::Empty => ("an empty report URI".to_owned(), "Remove the extra comma, or write `mailto:user@host`".to_owned()),
                UriError::NoScheme if text.contains('@') => (format!("`{text}` is not a URI"), format!("Use `mailto:{text}`")),
                UriError::NoScheme => (format!("`{text}` is not a URI"), "Use `mailto:user@host`".to_owned()),
                UriError::SchemeNotAllowed => (format!("the scheme of `{text}` is not allowed"), "Use `mailto:user@host`".to_owned()),
                UriError::Whitespace => ("whitespace inside a report URI".to_owned(), "Remove it (around commas it is allowed), or percent-encode it as `%20`".to_owned()),
                UriError::BadPercentEncoding => (format!("`{text}` is not a percent escape"), "A `%` must be followed by two hexadecimal digits; write a literal `%` as `%25`".to_owned()),
                UriError::NonAscii => (format!("non-ASCII `{text}` in a report URI"), "Use the A-label (punycode) of the host and percent-encode the rest".to_owned()),
                UriError::BadMailbox => (format!("`{text}` names no mailbox"), "Use `mailto:user@host`".to_owned()),
                UriError::BadHost => (format!("`{text}` has no host"), "Use `https://host/path`".to_owned()),
                UriError::BadSizeSuffix => (format!("`{text}` is an unencoded `!`, not a size suffix"), "Percent-encode a `!` that belongs to the URI as `%21`".to_owned()),
                UriError::SizeNotAllowed => (format!("size suffix `{text}`"), "Drop the size suffix".to_owned()),
            };
            Some(Described::new(
                format!(
                    "{what} in the DMARC record at {owner}: receivers cannot send reports there"
                ),
                help,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn invalid_report_uris() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; rua=dmarc@example.com,mailto:example.com; ruf=mailto:a b@example.com\""),
            "_dmarc.a TXT \"v=DMARC1; p=reject; rua=mailto:a!b@example.com,,mailto:c%zz@example.com\"\n",
            &["DMARC015"],
            false,
        ));
    }

    #[test]
    fn valid_lists_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:a@example.com, mailto:b@example.com!10m; ruf=mailto:c%21d@example.com\""),
            "",
            &["DMARC015"],
            false,
        );
        assert_eq!(found, "");
    }
}
