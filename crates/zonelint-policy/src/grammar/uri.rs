//! Report and asset URIs: DMARC `rua`/`ruf` (RFC 9989 §4.8), TLS-RPT `rua` (RFC 8460
//! §3) and BIMI `l`/`a`.
//!
//! A list is split at commas (optional whitespace around them); a comma or `!` meant to
//! be part of a URI must be percent-encoded, so an unencoded one shows up as a broken
//! URI or a malformed size suffix. Only what a linter can check offline is checked:
//! scheme, percent-encoding, no whitespace, a `mailto:` address with a local part and a
//! dotted host, an `https:` URI with a host.

use std::ops::Range;

use zonelint_zone::Span;

use super::RecordText;

/// A URI scheme the email records use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `mailto:`.
    Mailto,
    /// `https:`.
    Https,
    /// Another scheme (`http:`, `ftp:`, …).
    Other,
}

/// The obsolete DMARC size limit suffix (`!10m`, RFC 9989 `obs-dmarc-report-size`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimit {
    /// The number.
    pub value: u64,
    /// The unit letter (`k`, `m`, `g`, `t`), if any.
    pub unit: Option<u8>,
    /// Where `!10m` is written (the `!` included).
    pub span: Span,
}

/// One URI of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uri<'a> {
    /// The URI as written, size suffix excluded.
    pub text: &'a [u8],
    /// Its scheme.
    pub scheme: Scheme,
    /// Where the URI is written, size suffix excluded.
    pub span: Span,
    /// The size suffix, if any.
    pub size: Option<SizeLimit>,
}

impl Uri<'_> {
    /// The URI as text (lossy for invalid octets).
    #[must_use]
    pub fn to_text(&self) -> String {
        String::from_utf8_lossy(self.text).into_owned()
    }

    /// For `mailto:` URIs, the percent-decoded address (without `?headers`).
    #[must_use]
    pub fn mailto_address(&self) -> Option<String> {
        if self.scheme != Scheme::Mailto {
            return None;
        }
        let rest = self.text.get(7..)?;
        let end = rest.iter().position(|&b| b == b'?').unwrap_or(rest.len());
        percent_decode(rest.get(..end)?)
    }

    /// For `https:` and `mailto:` URIs, the host (lower case).
    #[must_use]
    pub fn host(&self) -> Option<String> {
        match self.scheme {
            Scheme::Mailto => self
                .mailto_address()
                .and_then(|a| a.rsplit_once('@').map(|(_, h)| h.to_ascii_lowercase())),
            Scheme::Https => {
                let rest = self.text.get(8..)?;
                let end = rest
                    .iter()
                    .position(|&b| matches!(b, b'/' | b'?' | b'#' | b':'))
                    .unwrap_or(rest.len());
                Some(String::from_utf8_lossy(rest.get(..end)?).to_ascii_lowercase())
            }
            Scheme::Other => None,
        }
    }
}

/// Why a URI is not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriError {
    /// An empty entry (`rua=` or `a,,b`).
    Empty,
    /// No `scheme:` (`dmarc@example.com`).
    NoScheme,
    /// A scheme the record does not allow here.
    SchemeNotAllowed,
    /// Whitespace inside the URI.
    Whitespace,
    /// `%` not followed by two hexadecimal digits.
    BadPercentEncoding,
    /// Non-ASCII octets.
    NonAscii,
    /// A `mailto:` without `local@host.domain`.
    BadMailbox,
    /// An `https:` URI without `//host`.
    BadHost,
    /// A `!` that does not start a size suffix `!<digits>[kmgt]` (an unencoded `!`).
    BadSizeSuffix,
    /// A size suffix where none is allowed.
    SizeNotAllowed,
}

/// What a list accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UriRules {
    /// Whether `mailto:` is allowed.
    pub mailto: bool,
    /// Whether `https:` is allowed.
    pub https: bool,
    /// Whether other schemes are allowed.
    pub other: bool,
    /// Whether the `!size` suffix is recognised.
    pub size_suffix: bool,
}

/// Reads a comma-separated URI list from `range` of the record text; returns the URIs
/// that could be read and the problems with their spans.
#[must_use]
pub fn parse_list(
    text: &RecordText,
    range: Range<usize>,
    rules: UriRules,
) -> (Vec<Uri<'_>>, Vec<(UriError, Span)>) {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut at = range.start.min(end);
    // Room for every comma-separated URI, made once (most lists hold one; the list is
    // kept for the whole lint).
    let commas = bytes
        .get(at..end)
        .map_or(0, |list| memchr::memchr_iter(b',', list).count());
    let mut uris = Vec::with_capacity(commas + 1);
    let mut problems = Vec::new();
    loop {
        let stop = bytes
            .iter()
            .take(end)
            .skip(at)
            .position(|&b| b == b',')
            .map_or(end, |p| p + at);
        let mut start = at;
        let mut finish = stop;
        while start < finish && bytes.get(start).is_some_and(|b| matches!(b, b' ' | b'\t')) {
            start += 1;
        }
        while finish > start
            && bytes
                .get(finish - 1)
                .is_some_and(|b| matches!(b, b' ' | b'\t'))
        {
            finish -= 1;
        }
        if start == finish {
            problems.push((UriError::Empty, text.span(start..start)));
        } else if let Some(uri) = parse_one(text, start..finish, rules, &mut problems) {
            uris.push(uri);
        }
        if stop >= end {
            break;
        }
        at = stop + 1;
    }
    (uris, problems)
}

fn parse_one<'a>(
    text: &'a RecordText,
    range: Range<usize>,
    rules: UriRules,
    problems: &mut Vec<(UriError, Span)>,
) -> Option<Uri<'a>> {
    let bytes = text.as_bytes();
    let whole = bytes.get(range.clone()).unwrap_or_default();
    let mut uri_end = range.end;
    let mut size = None;
    if let Some(bang) = whole.iter().position(|&b| b == b'!') {
        let bang_at = range.start + bang;
        let suffix = whole.get(bang + 1..).unwrap_or_default();
        let digits = suffix.iter().take_while(|b| b.is_ascii_digit()).count();
        let unit = suffix.get(digits).copied();
        let valid = digits > 0
            && match unit {
                None => true,
                Some(u) => suffix.len() == digits + 1 && b"kmgtKMGT".contains(&u),
            };
        let span = text.span(bang_at..range.end);
        if !valid {
            problems.push((UriError::BadSizeSuffix, span));
            return None;
        } else if !rules.size_suffix {
            problems.push((UriError::SizeNotAllowed, span));
        } else {
            let value = suffix
                .get(..digits)
                .unwrap_or_default()
                .iter()
                .try_fold(0u64, |n, &d| {
                    n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                })
                .unwrap_or(u64::MAX);
            size = Some(SizeLimit {
                value,
                unit: unit.map(|u| u.to_ascii_lowercase()),
                span,
            });
        }
        uri_end = bang_at;
    }
    let uri_range = range.start..uri_end;
    let uri = bytes.get(uri_range.clone()).unwrap_or_default();
    let span = text.span(uri_range);
    if let Some(p) = uri.iter().position(|&b| b == b' ' || b == b'\t') {
        let at = range.start + p;
        problems.push((UriError::Whitespace, text.span(at..at + 1)));
        return None;
    }
    if let Some(p) = uri.iter().position(|b| !b.is_ascii()) {
        let at = range.start + p;
        let run = uri.iter().skip(p).take_while(|b| !b.is_ascii()).count();
        problems.push((UriError::NonAscii, text.span(at..at + run)));
        return None;
    }
    let colon = uri.iter().position(|&b| b == b':');
    let scheme_text = colon.and_then(|c| uri.get(..c)).unwrap_or_default();
    let scheme_valid = scheme_text.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme_text
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_valid {
        problems.push((UriError::NoScheme, span));
        return None;
    }
    let scheme = if scheme_text.eq_ignore_ascii_case(b"mailto") {
        Scheme::Mailto
    } else if scheme_text.eq_ignore_ascii_case(b"https") {
        Scheme::Https
    } else {
        Scheme::Other
    };
    let allowed = match scheme {
        Scheme::Mailto => rules.mailto,
        Scheme::Https => rules.https,
        Scheme::Other => rules.other,
    };
    if !allowed {
        let scheme_end = range.start + scheme_text.len() + 1;
        problems.push((
            UriError::SchemeNotAllowed,
            text.span(range.start..scheme_end),
        ));
        return None;
    }
    let mut at = 0;
    while at < uri.len() {
        if uri.get(at) == Some(&b'%') {
            let hex = uri.get(at + 1..at + 3).unwrap_or_default();
            if hex.len() != 2 || !hex.iter().all(u8::is_ascii_hexdigit) {
                let start = range.start + at;
                let len = 1 + hex.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                problems.push((UriError::BadPercentEncoding, text.span(start..start + len)));
                return None;
            }
            at += 3;
        } else {
            at += 1;
        }
    }
    let result = Uri {
        text: uri,
        scheme,
        span,
        size,
    };
    match scheme {
        Scheme::Mailto => {
            let valid = result.mailto_address().is_some_and(|address| {
                address.rsplit_once('@').is_some_and(|(local, host)| {
                    !local.is_empty()
                        && host.contains('.')
                        && !host.starts_with('.')
                        && !host.ends_with('.')
                        && host
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
                })
            });
            if !valid {
                problems.push((UriError::BadMailbox, span));
                return None;
            }
        }
        Scheme::Https => {
            let has_host =
                uri.get(6..8) == Some(b"//") && result.host().is_some_and(|h| !h.is_empty());
            if !has_host {
                problems.push((UriError::BadHost, span));
                return None;
            }
        }
        Scheme::Other => {}
    }
    Some(result)
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(bytes: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(byte);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DMARC: UriRules = UriRules {
        mailto: true,
        https: true,
        other: true,
        size_suffix: true,
    };

    fn check(list: &str, rules: UriRules, uris: &[&str], problems: &[(UriError, &str)]) {
        let quoted = format!("\"{list}\"");
        let (text, layout) = RecordText::from_pieces(&[&quoted]);
        let (got, got_problems) = parse_list(&text, 0..text.len(), rules);
        let got: Vec<String> = got.iter().map(Uri::to_text).collect();
        assert_eq!(got, uris, "{list}");
        let got_problems: Vec<(UriError, String)> = got_problems
            .into_iter()
            .map(|(e, s)| (e, String::from_utf8_lossy(&layout[s.range()]).into_owned()))
            .collect();
        let expected: Vec<(UriError, String)> = problems
            .iter()
            .map(|(e, s)| (*e, (*s).to_owned()))
            .collect();
        assert_eq!(got_problems, expected, "{list}");
    }

    #[test]
    fn lists() {
        check(
            "mailto:a@example.com, mailto:b%2Cc@example.net!10m",
            DMARC,
            &["mailto:a@example.com", "mailto:b%2Cc@example.net"],
            &[],
        );
        check(
            "dmarc@example.com",
            DMARC,
            &[],
            &[(UriError::NoScheme, "dmarc@example.com")],
        );
        check(
            "mailto:example.com",
            DMARC,
            &[],
            &[(UriError::BadMailbox, "mailto:example.com")],
        );
        check(
            "mailto:a@example.com,b@example.com",
            DMARC,
            &["mailto:a@example.com"],
            &[(UriError::NoScheme, "b@example.com")],
        );
        check(
            "mailto:a!b@example.com",
            DMARC,
            &[],
            &[(UriError::BadSizeSuffix, "!b@example.com")],
        );
        check(
            "mailto:a%zz@example.com",
            DMARC,
            &[],
            &[(UriError::BadPercentEncoding, "%")],
        );
        check(
            "mailto:a @example.com",
            DMARC,
            &[],
            &[(UriError::Whitespace, " ")],
        );
        check(
            "mailto:a@example.com,",
            DMARC,
            &["mailto:a@example.com"],
            &[(UriError::Empty, "")],
        );
        check("https://", DMARC, &[], &[(UriError::BadHost, "https://")]);
        let tls = UriRules {
            mailto: true,
            https: true,
            other: false,
            size_suffix: false,
        };
        check(
            "ftp://x.example",
            tls,
            &[],
            &[(UriError::SchemeNotAllowed, "ftp:")],
        );
        check(
            "mailto:a@example.com!10m",
            tls,
            &["mailto:a@example.com"],
            &[(UriError::SizeNotAllowed, "!10m")],
        );
    }

    #[test]
    fn hosts() {
        let (text, _) = RecordText::from_pieces(&[
            "\"mailto:d%40x@Reports.Example.NET,https://tls.example.com/v1\"",
        ]);
        let (uris, _) = parse_list(&text, 0..text.len(), DMARC);
        assert_eq!(uris[0].host().as_deref(), Some("reports.example.net"));
        assert_eq!(uris[1].host().as_deref(), Some("tls.example.com"));
    }
}
