//! Suppression comments: `; zonelint: ignore[CODE,…] reason` and `file-ignore[…]`.
//!
//! A trailing comment covers the record it ends; a comment on its own line covers the
//! next record; `file-ignore` covers its file. The reason after `]` is required. Codes may
//! be written as codes or slugs. Parse errors cannot be suppressed. A suppression that
//! suppresses nothing is itself reported (LINT001).

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta};
use crate::settings::Resolved;
use zonelint_zone::{Applicability, Code, Diagnostic, Edit, Fix, Span, Zone};

/// LINT001: a suppression comment that suppresses nothing.
pub struct UnusedSuppression;

/// The metadata of LINT001.
pub static UNUSED_META: RuleMeta = RuleMeta {
    code: Code { code: "LINT001", slug: "lint-unused-suppression" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::Safe,
    first_release: true,
    summary: "a suppression comment that suppresses nothing, or that cannot be read",
    doc: RuleDoc {
        what: "Reports `; zonelint: ignore[…]` and `file-ignore[…]` comments that suppress no finding, name an unknown rule, or give no reason.",
        why: "A stale suppression hides the next real finding of that rule on that record; one without a reason cannot be reviewed.",
        example: "www A 192.0.2.1\nwww TXT \"v=spf1 -all\" ; zonelint: ignore[SPF001] nothing to ignore here\n",
        use_instead: "www A 192.0.2.1\nwww TXT \"v=spf1 -all\"\n",
        fix_safety: "Removing an unused suppression comment is safe: it changes nothing that is published.",
        references: &["zonelint configuration reference: suppression comments"],
    },
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &UNUSED_META
    }
}

/// One parsed suppression comment.
#[derive(Clone, Debug)]
struct Suppression {
    /// The whole comment.
    comment: Span,
    /// Each code as written, with its span.
    codes: Vec<(String, Span)>,
    /// What it covers: a byte range of one source, or the whole source.
    scope: Scope,
    /// How many findings each code suppressed.
    used: Vec<usize>,
}

#[derive(Clone, Copy, Debug)]
enum Scope {
    Range(Span),
    File(zonelint_zone::SourceId),
    Nothing,
}

/// A well-formed suppression: whether it is file-wide, and each code with its span.
struct Parsed {
    file: bool,
    codes: Vec<(String, Span)>,
}

/// A malformed suppression comment.
struct Malformed {
    span: Span,
    message: String,
}

/// Reads a comment's text (from `;`). `None` when it is not a zonelint directive.
fn parse_comment(text: &[u8], span: Span) -> Option<Result<Parsed, Malformed>> {
    let body = text.strip_prefix(b";")?;
    let trimmed_start = body.len() - body.trim_ascii_start().len();
    let body = body.trim_ascii_start();
    let rest = body.strip_prefix(b"zonelint:")?;
    let after_tag = 1 + trimmed_start + b"zonelint:".len();
    let rest_trimmed = rest.trim_ascii_start();
    let mut at = after_tag + (rest.len() - rest_trimmed.len());
    let (file, rest) = if let Some(r) = rest_trimmed.strip_prefix(b"file-ignore[") {
        at += b"file-ignore[".len();
        (true, r)
    } else if let Some(r) = rest_trimmed.strip_prefix(b"ignore[") {
        at += b"ignore[".len();
        (false, r)
    } else {
        return Some(Err(Malformed {
            span,
            message: "unreadable zonelint comment: expected `zonelint: ignore[CODE] reason` or `zonelint: file-ignore[CODE] reason`".to_owned(),
        }));
    };
    let Some(close) = rest.iter().position(|&b| b == b']') else {
        return Some(Err(Malformed {
            span,
            message: "suppression comment has no closing `]`".to_owned(),
        }));
    };
    let list = rest.get(..close).unwrap_or_default();
    let reason = rest.get(close + 1..).unwrap_or_default().trim_ascii();
    let mut codes = Vec::new();
    let mut offset = at;
    for part in list.split(|&b| b == b',') {
        let lead = part.len() - part.trim_ascii_start().len();
        let code = part.trim_ascii();
        if !code.is_empty() {
            let start = span.start + (offset + lead) as u32;
            codes.push((
                String::from_utf8_lossy(code).into_owned(),
                Span::new(span.source, start, start + code.len() as u32),
            ));
        }
        offset += part.len() + 1;
    }
    if codes.is_empty() {
        return Some(Err(Malformed {
            span,
            message: "suppression comment names no rule".to_owned(),
        }));
    }
    if reason.is_empty() {
        return Some(Err(Malformed {
            span,
            message: "suppression comment gives no reason after `]`; a reason is required"
                .to_owned(),
        }));
    }
    Some(Ok(Parsed { file, codes }))
}

/// Removes the findings that suppression comments cover and, if LINT001 runs
/// (`unused` is its resolution), reports comments that suppressed nothing.
pub fn apply(zone: &Zone, diagnostics: &mut Vec<Diagnostic>, unused: Option<Resolved>) {
    if let Some(suppressions) = Suppressions::read(zone) {
        suppressions.apply(diagnostics, unused);
    }
}

/// A zone's suppression comments, well-formed or not.
pub(crate) struct Suppressions {
    list: Vec<Suppression>,
    malformed: Vec<Malformed>,
}

impl Suppressions {
    /// The suppression comments of `zone`; `None` when it has none (most zones).
    pub(crate) fn read(zone: &Zone) -> Option<Self> {
        let mut list = Vec::new();
        let mut malformed = Vec::new();
        // Record spans in file order, per source, for locating what a comment covers:
        // made at the first suppression comment.
        let mut records: Option<Vec<Span>> = None;
        for comment in &zone.comments {
            let text = zone.sources.slice(comment.span);
            match parse_comment(text, comment.span) {
                None => {}
                Some(Err(problem)) => malformed.push(problem),
                Some(Ok(Parsed { file, codes })) => {
                    let records =
                        records.get_or_insert_with(|| zone.records().map(|r| r.span()).collect());
                    let scope = if file {
                        Scope::File(comment.span.source)
                    } else if comment.own_line {
                        next_record(records, comment.span).map_or(Scope::Nothing, Scope::Range)
                    } else {
                        record_ended_by(zone, records, comment.span)
                            .map_or(Scope::Nothing, Scope::Range)
                    };
                    let used = vec![0; codes.len()];
                    list.push(Suppression {
                        comment: comment.span,
                        codes,
                        scope,
                        used,
                    });
                }
            }
        }
        (!list.is_empty() || !malformed.is_empty()).then_some(Self { list, malformed })
    }

    /// [`apply`] with the comments read from their zone: the zone may be gone.
    pub(crate) fn apply(mut self, diagnostics: &mut Vec<Diagnostic>, unused: Option<Resolved>) {
        diagnostics.retain(|diagnostic| {
            if diagnostic.code.code.starts_with("PARSE") {
                return true;
            }
            for suppression in &mut self.list {
                let covered = match suppression.scope {
                    Scope::Range(range) => range.contains(diagnostic.primary),
                    Scope::File(source) => source == diagnostic.primary.source,
                    Scope::Nothing => false,
                };
                if !covered {
                    continue;
                }
                for (i, (code, _)) in suppression.codes.iter().enumerate() {
                    if code.eq_ignore_ascii_case(diagnostic.code.code)
                        || code.eq_ignore_ascii_case(diagnostic.code.slug)
                    {
                        if let Some(count) = suppression.used.get_mut(i) {
                            *count += 1;
                        }
                        return false;
                    }
                }
            }
            true
        });
        diagnostics.extend(self.unused(unused));
    }

    /// If LINT001 runs (`unused` is its resolution), its findings: the malformed
    /// comments, then each code that suppressed nothing.
    fn unused(self, unused: Option<Resolved>) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let Some(resolved) = unused else {
            return diagnostics;
        };
        let known = |code: &str| crate::rules::registry::find(code).is_some();
        for problem in self.malformed {
            diagnostics.push(
                Diagnostic::new(
                    &UNUSED_META.code,
                    resolved.severity,
                    problem.span,
                    problem.message,
                )
                .with_help("Write `; zonelint: ignore[CODE] why this finding does not apply`"),
            );
        }
        for suppression in self.list {
            let every_unused = suppression.used.iter().all(|&n| n == 0);
            for ((code, span), used) in suppression.codes.iter().zip(&suppression.used) {
                if *used > 0 {
                    continue;
                }
                let message = if !known(code) {
                    format!("`{code}` is not a zonelint rule; this suppression does nothing")
                } else if matches!(suppression.scope, Scope::Nothing) {
                    format!("this suppression of {code} covers no record")
                } else {
                    format!("this suppression of {code} suppresses nothing")
                };
                let mut diagnostic =
                    Diagnostic::new(&UNUSED_META.code, resolved.severity, *span, message)
                        .with_help(
                            "Remove it: a stale suppression would hide the next real finding here",
                        );
                if every_unused && suppression.codes.len() == 1 {
                    diagnostic = diagnostic.with_fix(Fix {
                        applicability: Applicability::Safe,
                        message: "Remove the suppression comment".to_owned(),
                        edits: vec![Edit {
                            span: suppression.comment,
                            content: String::new(),
                        }],
                    });
                }
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }
}

/// The first record that starts after `comment` in the same source.
fn next_record(records: &[Span], comment: Span) -> Option<Span> {
    records
        .iter()
        .copied()
        .filter(|r| r.source == comment.source && r.start > comment.start)
        .min_by_key(|r| r.start)
}

/// The record a trailing comment ends: the last record starting before it, if the comment
/// is inside it or on its last line.
fn record_ended_by(zone: &Zone, records: &[Span], comment: Span) -> Option<Span> {
    let record = records
        .iter()
        .copied()
        .filter(|r| r.source == comment.source && r.start < comment.start)
        .max_by_key(|r| r.start)?;
    if comment.start <= record.end {
        return Some(record);
    }
    let between = zone
        .sources
        .slice(Span::new(comment.source, record.end, comment.start));
    (!between.contains(&b'\n')).then_some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Option<Result<(bool, Vec<String>), String>> {
        let span = Span::new(zonelint_zone::SourceId(0), 100, 100 + text.len() as u32);
        parse_comment(text.as_bytes(), span).map(|r| {
            r.map(|p| (p.file, p.codes.into_iter().map(|(c, _)| c).collect()))
                .map_err(|m| m.message)
        })
    }

    #[test]
    fn reads_suppression_comments() {
        assert_eq!(codes("; ordinary comment"), None);
        assert_eq!(
            codes("; zonelint: ignore[COV001] served by the CDN"),
            Some(Ok((false, vec!["COV001".to_owned()])))
        );
        assert_eq!(
            codes(";zonelint: file-ignore[ZONE023, spf-ptr] by design"),
            Some(Ok((true, vec!["ZONE023".to_owned(), "spf-ptr".to_owned()])))
        );
        assert!(codes("; zonelint: ignore[COV001]")
            .unwrap()
            .unwrap_err()
            .contains("no reason"));
        assert!(codes("; zonelint: ignore[] why")
            .unwrap()
            .unwrap_err()
            .contains("names no rule"));
        assert!(codes("; zonelint: ignore[COV001 why")
            .unwrap()
            .unwrap_err()
            .contains("closing"));
        assert!(codes("; zonelint: disable COV001")
            .unwrap()
            .unwrap_err()
            .contains("unreadable"));
    }

    #[test]
    fn code_spans_point_at_each_code() {
        let text = "; zonelint: ignore[COV001, SPF014] why";
        let span = Span::new(zonelint_zone::SourceId(0), 0, text.len() as u32);
        let Some(Ok(Parsed { codes, .. })) = parse_comment(text.as_bytes(), span) else {
            panic!()
        };
        let shown: Vec<&str> = codes.iter().map(|(_, s)| &text[s.range()]).collect();
        assert_eq!(shown, ["COV001", "SPF014"]);
    }
}
