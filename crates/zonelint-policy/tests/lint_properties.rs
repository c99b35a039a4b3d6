//! Property tests of `lint` over generated zone text: it never panics; every span of every
//! finding, related note and fix edit lies within its source; applying the fixes (as
//! `zonelint check --fix` does: every fix whose edits overlap none taken, from the end of
//! the file) gives text that still parses without error, no fix that was applied comes
//! back, and the rounds reach a text that no fix changes.
//!
//! The `lint` fuzz target in `fuzz/` checks the same for as long as one runs it.
#![expect(
    clippy::unwrap_used,
    reason = "test code: the generated zones are built to parse"
)]

use std::collections::HashSet;

use proptest::prelude::*;
use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::{
    parse_str, Applicability, Diagnostic, Name, ParseOptions, Severity, Span, Zone,
};

/// Rounds of fix and re-lint before the fixes must have settled (the binary's own bound).
const MAX_ROUNDS: usize = 10;

const APEX: &str =
    "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n";

fn name() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(
        &[
            "@",
            "www",
            "mail",
            "mx2",
            "sub",
            "a.sub",
            "*",
            "*.sub",
            "_dmarc",
            "_dmarc.sub",
            "_dmarc.www",
            "s1._domainkey",
            "ns1",
            "ns2",
            "deleg",
            "x.deleg",
            "cdn",
            "shop",
            "_spf",
            "ext.example.net.",
        ][..],
    )
}

fn txt() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(
        &[
            "\"v=spf1 -all\"",
            "\"v=spf1 +all\"",
            "\"v=spf1 ~all\"",
            "\"v=spf1 ?all\"",
            "\"v=spf1 mx a -all\"",
            "\"v=spf1 ptr -all\"",
            "\"v=spf1 a -all ip4:192.0.2.1\"",
            "\"v=spf1 ip4:192.0.2.0/24\" \"include:_spf.example.com -all\"",
            "\"v=spf1 include:_spf -all\"",
            "\"v=spf1 include:www include:mail include:sub include:shop include:cdn -all\"",
            "\"v=spf1 redirect=_spf\"",
            "\"v=spf1 redirect=_spf -all\"",
            "\"v=spf1 exists:%{i}.%{d} -all\"",
            "\"v=spf1 ip4:0.0.0.0/0 -all\"",
            "\"v=spf1 include:ext.example.net -all\"",
            "\"v=spf1\"",
            "\"v=spf1 %{z} -all\"",
            "\"v=spf10 -all\"",
            "\"v=DMARC1; p=reject; sp=reject; np=reject\"",
            "\"v=DMARC1; p=none\"",
            "\"v=DMARC1; p=quarantine; sp=none; rua=mailto:d@example.com\"",
            "\"v=DMARC1; p=reject; rua=mailto:d@example.net!10m\"",
            "\"v=DMARC1\\059 p=reject\\059 pct=50\"",
            "\"v=DMARC1; p=rejct; foo=bar\"",
            "\"p=reject; v=DMARC1\"",
            "\"v=DKIM1; k=rsa; p=\"",
            "\"v=DKIM1; k=rsa; t=y; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC\"",
            "\"v=DKIM1; p=not*base64\"",
            "\"hello world\"",
        ][..],
    )
}

fn record() -> impl Strategy<Value = String> {
    let data = prop_oneof![
        4 => txt().prop_map(|t| format!("TXT {t}")),
        1 => txt().prop_map(|t| format!("TXT ( {t}\n    \"\" )")),
        1 => txt().prop_map(|t| format!("SPF {t}")),
        2 => (0u16..20, name()).prop_map(|(p, n)| format!("MX {p} {n}")),
        1 => Just("MX 0 .".to_owned()),
        2 => (0u8..=255).prop_map(|b| format!("A 192.0.2.{b}")),
        1 => Just("AAAA 2001:db8::1".to_owned()),
        1 => name().prop_map(|n| format!("CNAME {n}")),
        1 => name().prop_map(|n| format!("NS {n}")),
        1 => Just("SOA ns1 hm 2 7200 3600 1209600 3600".to_owned()),
        1 => Just("DS 1 8 2 49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC49FD46E6C4B45C55D4AC4A".to_owned()),
        1 => Just("CH TXT \"x\"".to_owned()),
    ];
    let ttl = prop_oneof![Just(""), Just("300 "), Just("0 ")];
    let suppression = prop_oneof![
        6 => Just(""),
        1 => Just(" ; zonelint: ignore[SPF001] reason"),
        1 => Just(" ; zonelint: ignore[ZONE999] no such rule"),
    ];
    (name(), ttl, data, suppression)
        .prop_map(|(owner, ttl, data, suppression)| format!("{owner} {ttl}{data}{suppression}"))
}

fn zone_text() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(record(), 0..14),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(records, with_ns, crlf)| {
            let mut text = APEX.to_owned();
            if with_ns {
                text.push_str("@ NS ns1\nns1 A 192.0.2.53\n");
            }
            for record in records {
                text.push_str(&record);
                text.push('\n');
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        })
}

fn parse(text: &str) -> (Zone, Vec<Diagnostic>) {
    let options = ParseOptions {
        origin: Some(Name::from_ascii("example.com.").unwrap()),
        ..ParseOptions::default()
    };
    parse_str("example.com.zone", text, &options)
}

fn span_ok(zone: &Zone, span: Span) -> Result<(), String> {
    let Some(source) = zone.sources.get(span.source) else {
        return Err(format!("{span:?}: no such source"));
    };
    if span.start > span.end || span.end as usize > source.text().len() {
        return Err(format!("{span:?} outside {} bytes", source.text().len()));
    }
    Ok(())
}

fn check_spans(zone: &Zone, findings: &[Diagnostic]) -> Result<(), String> {
    for finding in findings {
        let context = |e: String| format!("{} {}: {e}", finding.code.code, finding.message);
        span_ok(zone, finding.primary).map_err(context)?;
        for related in &finding.related {
            span_ok(zone, related.span).map_err(context)?;
        }
        for edit in finding.fix.iter().flat_map(|fix| &fix.edits) {
            span_ok(zone, edit.span).map_err(context)?;
        }
    }
    Ok(())
}

/// What identifies a finding from one round to the next (spans move): code, owner,
/// message, and for a finding without an owner (LINT001, about a suppression comment) the
/// line of `text` it points into. Two unused suppressions of one rule have the same
/// message; when a fix of one round makes another suppression unused in the next (its
/// finding moved to a rule it does not suppress), that is a new finding, not the old one
/// come back.
fn key(finding: &Diagnostic, text: &str) -> (&'static str, String, String) {
    let owner = match &finding.owner {
        Some(owner) => owner.to_string(),
        None => {
            let at = (finding.primary.start as usize).min(text.len());
            let start = text
                .get(..at)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |newline| newline + 1);
            let end = text
                .get(at..)
                .and_then(|after| after.find('\n'))
                .map_or(text.len(), |newline| at + newline);
            format!("line {:?}", text.get(start..end).unwrap_or_default())
        }
    };
    (finding.code.code, owner, finding.message.clone())
}

/// One round of `--fix`: takes every fix at or below `threshold` whose edits overlap no
/// edit taken before (two insertions at one place clash too), applies them from the end.
/// Returns the new text and the keys of the findings fixed.
fn fix_round(
    text: &str,
    findings: &[Diagnostic],
    threshold: Applicability,
) -> (String, Vec<(&'static str, String, String)>) {
    let mut taken: Vec<(usize, usize, String)> = Vec::new();
    let mut fixed = Vec::new();
    for finding in findings {
        let Some(fix) = &finding.fix else { continue };
        if fix.applicability > threshold || fix.edits.is_empty() {
            continue;
        }
        let ranges: Vec<(usize, usize, String)> = fix
            .edits
            .iter()
            .map(|e| {
                (
                    e.span.start as usize,
                    e.span.end as usize,
                    e.content.clone(),
                )
            })
            .collect();
        let clash = |a: &(usize, usize, String), b: &(usize, usize, String)| {
            (a.0 < b.1 && b.0 < a.1) || (a.0 == b.0 && (a.0 == a.1 || b.0 == b.1))
        };
        let clashes = ranges.iter().enumerate().any(|(i, a)| {
            taken.iter().any(|b| clash(a, b))
                || ranges
                    .iter()
                    .enumerate()
                    .any(|(j, b)| i != j && clash(a, b))
        });
        if clashes {
            continue;
        }
        taken.extend(ranges);
        fixed.push(key(finding, text));
    }
    taken.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut bytes = text.as_bytes().to_vec();
    for (start, end, content) in taken {
        bytes.splice(start..end, content.into_bytes());
    }
    (String::from_utf8(bytes).unwrap(), fixed)
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.code.code, d.message))
        .collect()
}

/// Lints `text`, checks the spans, and runs fix rounds to a fixed point.
fn check_zone(text: &str, settings: &Settings, threshold: Applicability) -> Result<(), String> {
    let (zone, parse_diagnostics) = parse(text);
    let findings = lint(&[LintInput::new(&zone)], settings);
    check_spans(&zone, &findings)?;
    if !errors(&parse_diagnostics).is_empty() {
        return Ok(());
    }
    let mut current = text.to_owned();
    let mut findings = findings;
    let mut applied: HashSet<(&'static str, String, String)> = HashSet::new();
    for round in 0..MAX_ROUNDS {
        let (next, fixed) = fix_round(&current, &findings, threshold);
        if fixed.is_empty() {
            return Ok(());
        }
        // Two findings of one round can share a key (two unused suppressions of one
        // rule); a key is a regression only when an earlier round fixed it.
        if let Some(finding) = fixed.iter().find(|f| applied.contains(*f)) {
            return Err(format!(
                "round {round}: the fix of {finding:?} was applied before and came back\n--- text ---\n{current}"
            ));
        }
        applied.extend(fixed.iter().cloned());
        let (zone, diagnostics) = parse(&next);
        let new_errors = errors(&diagnostics);
        if !new_errors.is_empty() {
            return Err(format!(
                "round {round}: fixes {fixed:?} made parse errors {new_errors:?}\n--- before ---\n{current}--- after ---\n{next}"
            ));
        }
        findings = lint(&[LintInput::new(&zone)], settings);
        check_spans(&zone, &findings)?;
        if next == current {
            return Err(format!("round {round}: fixes {fixed:?} changed nothing"));
        }
        current = next;
    }
    Err(format!(
        "the fixes did not settle in {MAX_ROUNDS} rounds\n--- text ---\n{current}"
    ))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lint_spans_in_bounds_and_safe_fixes_settle(text in zone_text()) {
        check_zone(&text, &Settings::default(), Applicability::Safe).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn strict_lint_and_unsafe_fixes_settle(text in zone_text()) {
        check_zone(&text, &Settings::strict(), Applicability::Unsafe).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn lint_of_arbitrary_text_never_panics(text in "[ -~\n\t]{0,300}") {
        let (zone, _) = parse(&format!("{APEX}{text}"));
        let findings = lint(&[LintInput::new(&zone)], &Settings::strict());
        check_spans(&zone, &findings).map_err(TestCaseError::fail)?;
    }
}
