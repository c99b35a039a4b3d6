//! BIMI002 `bimi-syntax`.

use super::assertion_records;
use crate::grammar::bimi::BimiProblemKind;
use crate::grammar::tag_list::TagListProblemKind;
use crate::grammar::uri::UriError;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A BIMI assertion record that breaks the record's grammar.
pub struct Syntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "BIMI002", slug: "bimi-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "not `v=BIMI1`, `l=` not an https `.svg`, `a=` not https",
    doc: RuleDoc {
        what: "Reports a TXT record at `<selector>._bimi.<domain>` that does not start with `v=BIMI1`, has no `l=` tag, has an `l=` that is not an `https:` URI of an `.svg` file or an `a=` that is not an `https:` URI of a `.pem` file, an `avp=` other than `brand` or `personal`, or tag-list errors. Unknown tags are reported as warnings.",
        why: "Receivers discard a record that does not start with `v=BIMI1`, and fetch the indicator (an SVG Tiny PS image) and the evidence document (a PEM certificate) over HTTPS only (draft-brand-indicators-for-message-identification). A record they cannot use shows no logo, however well the mail authenticates.",
        example: "default._bimi TXT \"v=BIMI1; l=http://example.com/logo.svg\"\n",
        use_instead: "default._bimi TXT \"v=BIMI1; l=https://example.com/logo.svg\"\n",
        fix_safety: "No fix: the URIs are the owner's to give.",
        references: &["draft-brand-indicators-for-message-identification (Assertion Record)", "RFC 6376 §3.2 (tag-lists)"],
    },
};

impl Rule for Syntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for assertion in assertion_records(cx) {
            let owner = assertion.txt.owner;
            for problem in &assertion.problems {
                let text = crate::rules::dkim::written(cx.zone, problem.span);
                let (message, help) = match &problem.kind {
                    BimiProblemKind::Version => (
                        format!("the BIMI record at {owner} does not start with `v=BIMI1`, so receivers discard it"),
                        "Start the record with `v=BIMI1;` (case matters)".to_owned(),
                    ),
                    BimiProblemKind::LocationMissing => (
                        format!("the BIMI record at {owner} has no `l=` tag"),
                        "Add `l=https://…/logo.svg`, or an empty `l=` to declare that the domain publishes no logo".to_owned(),
                    ),
                    BimiProblemKind::Uri(error) => (
                        format!("`{text}` in the BIMI record at {owner} is not a usable https URI: {}", uri_reason(*error)),
                        "Receivers fetch the logo and the certificate over HTTPS only: write `https://host/path`".to_owned(),
                    ),
                    BimiProblemKind::NotSvg => (
                        format!("`l={text}` at {owner} does not point at an SVG file"),
                        "BIMI indicators are SVG Tiny PS images: `l=https://…/logo.svg`".to_owned(),
                    ),
                    BimiProblemKind::NotPem => (
                        format!("`a={text}` at {owner} does not point at a PEM file"),
                        "The evidence document (a VMC or CMC) is a PEM certificate: `a=https://…/vmc.pem`".to_owned(),
                    ),
                    BimiProblemKind::InvalidAvatarPreference => (
                        format!("`avp={text}` at {owner} is neither `brand` nor `personal`"),
                        "Write `avp=brand` or `avp=personal`, or leave it out".to_owned(),
                    ),
                    BimiProblemKind::UnknownTag { suggestion } => {
                        let hint = suggestion.map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                        if let Some(report) = sink.report_graded(
                            Level::Warning,
                            Level::Warning,
                            problem.span,
                            format!("unknown tag `{text}` in the BIMI record at {owner} is ignored{hint}"),
                        ) {
                            report
                                .help("The tags are `v`, `l`, `a` and `avp`")
                                .owner(owner);
                        }
                        continue;
                    }
                    BimiProblemKind::TagList(list) => tag_list_message(list, &text, owner),
                };
                sink.report(problem.span, message).help(help).owner(owner);
            }
        }
    }
}

fn tag_list_message(
    kind: &TagListProblemKind,
    text: &str,
    owner: &zonelint_zone::NameRef,
) -> (String, String) {
    match kind {
        TagListProblemKind::EmptyTag => (
            format!("empty tag (`;;` or a leading `;`) in the BIMI record at {owner}"),
            "Remove the extra `;`".to_owned(),
        ),
        TagListProblemKind::MissingEquals => (
            format!("`{text}` in the BIMI record at {owner} has no `=`, so it is not a tag"),
            "Write tags as `name=value`, separated by `;`".to_owned(),
        ),
        TagListProblemKind::InvalidName => (
            format!("`{text}` is not a valid tag name in the BIMI record at {owner}"),
            "Tag names are letters, digits and `_`, starting with a letter".to_owned(),
        ),
        TagListProblemKind::InvalidValueChar => (
            format!("a control or non-ASCII character in `{text}` in the BIMI record at {owner}"),
            "Use printable ASCII only".to_owned(),
        ),
        TagListProblemKind::Duplicate { .. } => (
            format!("`{text}` repeats a tag of the BIMI record at {owner}; a duplicate tag makes the record invalid"),
            "Keep one of the two".to_owned(),
        ),
    }
}

fn uri_reason(error: UriError) -> &'static str {
    match error {
        UriError::Empty => "it is empty",
        UriError::NoScheme => "it has no `https:` scheme",
        UriError::SchemeNotAllowed => "only `https:` is allowed",
        UriError::Whitespace => "it contains whitespace",
        UriError::BadPercentEncoding => "a `%` is not followed by two hexadecimal digits",
        UriError::NonAscii => "it contains non-ASCII characters",
        UriError::BadMailbox | UriError::BadHost => "it has no `//host`",
        UriError::BadSizeSuffix | UriError::SizeNotAllowed => "it contains an unencoded `!`",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn malformed_assertion_records() {
        insta::assert_snapshot!(lint_snippet(
            "default._bimi TXT \"v=BIMI1; l=http://example.com/logo.svg; a=https://example.com/vmc.crt\"\nbrand._bimi TXT \"v=bimi1; l=https://example.com/logo.svg\"\nnews._bimi TXT \"v=BIMI1; l=https://example.com/logo.png; lx=1\"\nold._bimi TXT \"v=BIMI1; a=https://example.com/vmc.pem\"\n",
            &["BIMI002"],
        ));
    }

    #[test]
    fn valid_and_declining_records_are_not_reported() {
        let found = lint_snippet(
            "default._bimi TXT \"v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem\"\nnone._bimi TXT \"v=BIMI1; l=; a=;\"\ndefault._bimi.news TXT \"v=BIMI1; l=https://ex\" \"ample.com/logo.svg; avp=personal\"\n_bimi TXT \"v=spf1 -all\"\n",
            &["BIMI002"],
        );
        assert_eq!(found, "");
    }
}
