//! ZONE027 `zone-caa-invalid`.

use crate::rules::targets::field_span;
use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::rdata::view;
use zonelint_zone::{Code, RType};

/// CAA records a certification authority cannot use as meant.
pub struct CaaInvalid;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE027", slug: "zone-caa-invalid" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "CAA with an unknown tag, a malformed `issue`/`issuewild` value, or `iodef` not a URL",
    doc: RuleDoc {
        what: "Reports a CAA record whose tag is not a registered property (`issue`, `issuewild`, `iodef`, `issuemail`, `issuevmc`, `contactemail`, `contactphone`); whose `issue`, `issuewild`, `issuemail` or `issuevmc` value does not follow the RFC 8659 §4.2 grammar (an issuer domain name without a trailing dot, then `; name=value` parameters); or whose `iodef` value is not a `mailto:`, `http:` or `https:` URL.",
        why: "A certification authority treats an `issue` value it cannot parse as one naming no issuer (RFC 8659 §4.2), so `issue \"letsencrypt.org.\"` (a trailing dot) forbids issuance instead of allowing it, and renewals fail. An unknown tag is ignored, unless its issuer-critical flag is set, when the CA must refuse to issue at all (RFC 8659 §4.1). An `iodef` value that is not a `mailto:` or `http(s):` URL (RFC 8659 §4.4) gives the CA nowhere to report to.",
        example: "@ CAA 0 issue \"letsencrypt.org.\"\n",
        use_instead: "@ CAA 0 issue \"letsencrypt.org\"\n",
        fix_safety: "When a trailing dot on the issuer domain name is all that is wrong, an unsafe fix removes it; that turns a record that forbids issuance into one that allows the CA named, which is what was meant, but review it. No fix otherwise: the value meant is the operator's call.",
        references: &["RFC 8659 §4.1", "RFC 8659 §4.2", "RFC 8659 §4.3", "RFC 8659 §4.4", "RFC 9495", "IANA Certification Authority Restriction Properties"],
    },
};

/// The issuer-critical flag (RFC 8659 §4.1).
const ISSUER_CRITICAL: u8 = 0x80;

/// Registered properties whose value has the `issue` grammar.
const ISSUE_LIKE: &[&str] = &["issue", "issuewild", "issuemail", "issuevmc"];

/// Registered properties with other values.
const OTHER_KNOWN: &[&str] = &["iodef", "contactemail", "contactphone"];

/// `label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))`, also the grammar of a parameter tag.
fn is_label(text: &[u8]) -> bool {
    text.first().is_some_and(u8::is_ascii_alphanumeric)
        && text.last().is_some_and(u8::is_ascii_alphanumeric)
        && text.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_wsp(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

fn trim_wsp(text: &[u8]) -> &[u8] {
    let start = text.iter().position(|&b| !is_wsp(b)).unwrap_or(text.len());
    let end = text
        .iter()
        .rposition(|&b| !is_wsp(b))
        .map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}

/// What is wrong with an `issue`-like value (RFC 8659 §4.2 ABNF), if anything.
fn issue_value_problem(value: &[u8]) -> Option<String> {
    let (domain, parameters) = match value.iter().position(|&b| b == b';') {
        Some(at) => (
            value.get(..at).unwrap_or_default(),
            Some(value.get(at + 1..).unwrap_or_default()),
        ),
        None => (value, None),
    };
    let domain = trim_wsp(domain);
    if !domain.is_empty() {
        if domain.ends_with(b".") {
            return Some(format!(
                "the issuer domain name `{}` ends with a dot, which the grammar does not allow",
                String::from_utf8_lossy(domain)
            ));
        }
        if !domain.split(|&b| b == b'.').all(is_label) {
            return Some(format!(
                "`{}` is not an issuer domain name (letters, digits and hyphens, labels separated by dots)",
                String::from_utf8_lossy(domain)
            ));
        }
    }
    let parameters = trim_wsp(parameters.unwrap_or_default());
    if parameters.is_empty() {
        return None;
    }
    for parameter in parameters.split(|&b| b == b';') {
        let parameter = trim_wsp(parameter);
        let Some(equals) = parameter.iter().position(|&b| b == b'=') else {
            return Some(format!(
                "parameter `{}` has no `=value`",
                String::from_utf8_lossy(parameter)
            ));
        };
        let tag = trim_wsp(parameter.get(..equals).unwrap_or_default());
        let text = trim_wsp(parameter.get(equals + 1..).unwrap_or_default());
        if !is_label(tag) {
            return Some(format!(
                "parameter name `{}` is not letters, digits and hyphens",
                String::from_utf8_lossy(tag)
            ));
        }
        if let Some(&bad) = text.iter().find(|&&b| !(0x21..=0x7e).contains(&b)) {
            return Some(format!(
                "the value of parameter `{}` contains {}, which the grammar does not allow (no spaces or control characters)",
                String::from_utf8_lossy(tag),
                if bad == b' ' { "a space".to_owned() } else { format!("the octet \\{bad:03}") }
            ));
        }
    }
    None
}

/// Where the trailing dot of the issuer domain name of an `issue`-like value is, when
/// that dot is all that is wrong with the value.
fn trailing_dot_at(value: &[u8]) -> Option<usize> {
    let domain_end = value.iter().position(|&b| b == b';').unwrap_or(value.len());
    let domain = value.get(..domain_end).unwrap_or_default();
    let dot = domain.iter().rposition(|&b| !is_wsp(b))?;
    if domain.get(dot) != Some(&b'.') {
        return None;
    }
    let mut without = value.to_vec();
    without.remove(dot);
    issue_value_problem(&without).is_none().then_some(dot)
}

/// The fix that removes the trailing dot at `dot` of `value`, written at `span`: only when
/// the value was written as is (quoted or not), with no escapes to map.
fn remove_dot_fix(
    cx: &RecordContext<'_>,
    span: zonelint_zone::Span,
    value: &[u8],
    dot: usize,
) -> Option<zonelint_zone::Fix> {
    let written = cx.zone.zone.sources.slice(span);
    let quoted = written.len() == value.len() + 2
        && written.first() == Some(&b'"')
        && written.last() == Some(&b'"');
    let offset = if written == value {
        0
    } else if quoted && written.get(1..written.len() - 1) == Some(value) {
        1
    } else {
        return None;
    };
    let at = span.start + u32::try_from(dot + offset).ok()?;
    Some(zonelint_zone::Fix {
        applicability: zonelint_zone::Applicability::Unsafe,
        message: "Remove the trailing dot of the issuer domain name".to_owned(),
        edits: vec![zonelint_zone::Edit {
            span: zonelint_zone::Span::new(span.source, at, at + 1),
            content: String::new(),
        }],
    })
}

/// What is wrong with an `iodef` value (RFC 8659 §4.4), if anything.
fn iodef_problem(value: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(value);
    let lower = text.to_ascii_lowercase();
    let rest = ["mailto:", "https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            (lower.starts_with("mailto:") && !rest.contains('@'))
                .then(|| format!("`{text}` has no mail address after `mailto:`"))
        }
        _ => Some(format!(
            "`{text}` is not a `mailto:`, `http:` or `https:` URL"
        )),
    }
}

impl Rule for CaaInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn checks_records(&self) -> bool {
        true
    }

    fn check_record(&self, cx: &RecordContext<'_>, sink: &mut Sink<'_>) {
        let record = cx.record;
        if record.rtype() != RType::CAA {
            return;
        }
        let Some(caa) = record.rdata_borrowed().and_then(view::caa) else {
            return;
        };
        let owner = record.owner().to_name();
        let tag = String::from_utf8_lossy(caa.tag).to_ascii_lowercase();
        let tag_span = field_span(&record, 1);
        let value_span = field_span(&record, 2 + caa.tag.len());
        if ISSUE_LIKE.contains(&tag.as_str()) {
            if let Some(problem) = issue_value_problem(caa.value) {
                let fix = trailing_dot_at(caa.value)
                    .and_then(|dot| remove_dot_fix(cx, value_span, caa.value, dot));
                let mut report = sink.report(
                    value_span,
                    format!("CAA `{tag}` value at {owner} is malformed: {problem}; certification authorities read it as naming no issuer, which forbids issuance"),
                )
                .help(format!("Write the CA's domain without a trailing dot, then any parameters: `{tag} \"ca.example.net; account=123\"`"))
                .owner(owner);
                if let Some(fix) = fix {
                    report = report.fix(fix);
                }
                drop(report);
            }
        } else if tag == "iodef" {
            if let Some(problem) = iodef_problem(caa.value) {
                sink.report(
                    value_span,
                    format!("CAA `iodef` value at {owner} is not usable: {problem}; CAs have nowhere to report refused requests"),
                )
                .help("Write `iodef \"mailto:security@example.com\"` or an `https:` URL")
                .owner(owner);
            }
        } else if !OTHER_KNOWN.contains(&tag.as_str()) {
            let critical = caa.flags & ISSUER_CRITICAL != 0;
            let effect = if critical {
                "its issuer-critical flag is set, so every certification authority must refuse to issue for this name"
            } else {
                "certification authorities ignore it"
            };
            sink.report(
                tag_span,
                format!("CAA tag `{}` at {owner} is not a registered property: {effect}", String::from_utf8_lossy(caa.tag)),
            )
            .help("Known tags are issue, issuewild, iodef, issuemail, issuevmc, contactemail and contactphone; check the spelling")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{iodef_problem, issue_value_problem, trailing_dot_at};
    use crate::rules::test_support::{check, head};

    #[test]
    fn issue_grammar() {
        for good in [
            "letsencrypt.org",
            ";",
            "",
            "  ca.example.net ; account=123 ; validationmethods=dns-01 ",
            "ca.example.net;policy=ev",
        ] {
            assert_eq!(issue_value_problem(good.as_bytes()), None, "{good}");
        }
        for bad in [
            "letsencrypt.org.",
            "%%%%%",
            "ca.example.net; account",
            "ca.example.net; a_b=1",
            "ca.example.net; a=b c",
            "-ca.example.net",
        ] {
            assert!(issue_value_problem(bad.as_bytes()).is_some(), "{bad}");
        }
    }

    #[test]
    fn only_a_lone_trailing_dot_is_fixable() {
        assert_eq!(trailing_dot_at(b"letsencrypt.org."), Some(15));
        assert_eq!(trailing_dot_at(b"ca.example.net. ; account=1"), Some(14));
        assert_eq!(trailing_dot_at(b"ca.example.net.; a b"), None);
        assert_eq!(trailing_dot_at(b"ca_x.example.net."), None);
        assert_eq!(trailing_dot_at(b"letsencrypt.org"), None);
    }

    #[test]
    fn iodef_urls() {
        assert_eq!(iodef_problem(b"mailto:security@example.com"), None);
        assert_eq!(iodef_problem(b"HTTPS://iodef.example.com/"), None);
        assert!(iodef_problem(b"security@example.com").is_some());
        assert!(iodef_problem(b"mailto:").is_some());
        assert!(iodef_problem(b"ftp://example.com/").is_some());
    }

    #[test]
    fn malformed_caa_records_fire() {
        let zone = format!(
            "{}@ CAA 0 issue \"letsencrypt.org.\"\n@ CAA 0 issuewild \"ca; a b\"\n@ CAA 0 iodef \"security@example.com\"\n@ CAA 0 isue \"letsencrypt.org\"\n@ CAA 128 tbs \"x\"\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE027", &zone), @r#"
        7:15 ZONE027 CAA `issue` value at example.com. is malformed: the issuer domain name `letsencrypt.org.` ends with a dot, which the grammar does not allow; certification authorities read it as naming no issuer, which forbids issuance
          help: Write the CA's domain without a trailing dot, then any parameters: `issue "ca.example.net; account=123"`
          fix (unsafe): Remove the trailing dot of the issuer domain name
            7:31 ``
        8:19 ZONE027 CAA `issuewild` value at example.com. is malformed: parameter `a b` has no `=value`; certification authorities read it as naming no issuer, which forbids issuance
          help: Write the CA's domain without a trailing dot, then any parameters: `issuewild "ca.example.net; account=123"`
        9:15 ZONE027 CAA `iodef` value at example.com. is not usable: `security@example.com` is not a `mailto:`, `http:` or `https:` URL; CAs have nowhere to report refused requests
          help: Write `iodef "mailto:security@example.com"` or an `https:` URL
        10:9 ZONE027 CAA tag `isue` at example.com. is not a registered property: certification authorities ignore it
          help: Known tags are issue, issuewild, iodef, issuemail, issuevmc, contactemail and contactphone; check the spelling
        11:11 ZONE027 CAA tag `tbs` at example.com. is not a registered property: its issuer-critical flag is set, so every certification authority must refuse to issue for this name
          help: Known tags are issue, issuewild, iodef, issuemail, issuevmc, contactemail and contactphone; check the spelling
        "#);
    }

    #[test]
    fn well_formed_caa_records_do_not_fire() {
        let zone = format!(
            "{}@ CAA 0 issue \"letsencrypt.org\"\n@ CAA 0 issuewild \";\"\n@ CAA 0 iodef \"mailto:security@example.com\"\n@ CAA 0 ISSUE \"ca.example.net; account=1\"\n@ CAA 0 issuemail \"ca.example.net\"\n@ CAA 0 contactemail \"pki@example.com\"\n",
            head()
        );
        assert_eq!(check("ZONE027", &zone), "");
    }
}
