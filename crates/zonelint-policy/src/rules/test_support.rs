//! Helpers for rule tests: lint zone text and render what a user would see, one finding a
//! line as `line:col CODE message`, then its help, related spans and fix.

use crate::{lint, LintInput, Selector, Settings};
use std::fmt::Write as _;
use zonelint_zone::{parse_str, Diagnostic, Name, ParseOptions, Span, Zone};

/// Parses `text` with origin `origin`, its sources numbered from `first_source_id`;
/// panics on parse diagnostics (a test input error).
pub(crate) fn parse(file: &str, origin: &str, text: &str, first_source_id: u32) -> Zone {
    let options = ParseOptions {
        origin: Name::from_ascii(origin).ok(),
        first_source_id,
        ..ParseOptions::default()
    };
    let (zone, diagnostics) = parse_str(file, text, &options);
    assert!(
        diagnostics.is_empty(),
        "test zone does not parse: {diagnostics:?}\n{text}"
    );
    zone
}

/// [`lint`], checked against a lint whose rules that walk the names in chunks run on
/// chunks of one name: the findings must be the same, in the same order.
pub(crate) fn lint_checked(inputs: &[LintInput<'_>], settings: &Settings) -> Vec<Diagnostic> {
    let found = lint(inputs, settings);
    let in_chunks = crate::lint::lint_in_chunks(inputs, settings, 1).unpack();
    assert_eq!(
        found, in_chunks,
        "the findings differ when the names are walked in chunks of one"
    );
    found
}

fn position(zones: &[&Zone], span: Span) -> String {
    zones
        .iter()
        .find_map(|z| z.sources.get(span.source))
        .map_or_else(
            || "?:?".to_owned(),
            |source| {
                let (line, column) = source.line_column(span.start);
                if zones.len() > 1 {
                    format!("{}:{line}:{column}", source.name())
                } else {
                    format!("{line}:{column}")
                }
            },
        )
}

fn render(zones: &[&Zone], found: &[Diagnostic], code: Option<&str>) -> String {
    let mut out = String::new();
    for d in found
        .iter()
        .filter(|d| code.is_none_or(|c| d.code.code == c))
    {
        let _ = writeln!(
            out,
            "{} {} {}",
            position(zones, d.primary),
            d.code.code,
            d.message
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  help: {help}");
        }
        for related in &d.related {
            let _ = writeln!(
                out,
                "  related {}: {}",
                position(zones, related.span),
                related.message
            );
        }
        if let Some(fix) = &d.fix {
            let _ = writeln!(
                out,
                "  fix ({}): {}",
                fix.applicability.as_str(),
                fix.message
            );
            for edit in &fix.edits {
                let _ = writeln!(out, "    {} `{}`", position(zones, edit.span), edit.content);
            }
        }
    }
    out
}

/// Every finding in the default profile for a zone with origin `example.com.`.
pub(crate) fn lint_text(text: &str) -> String {
    let zone = parse("example.com.zone", "example.com.", text, 0);
    let found = lint_checked(&[LintInput::new(&zone)], &Settings::default());
    render(&[&zone], &found, None)
}

/// The findings of one rule (default profile) for a zone with origin `example.com.`.
pub(crate) fn check(code: &str, text: &str) -> String {
    check_zones(code, &[("example.com.", text)])
}

/// The findings of one rule when several zones (origin, text) are linted together.
pub(crate) fn check_zones(code: &str, zones: &[(&str, &str)]) -> String {
    let parsed: Vec<Zone> = zones
        .iter()
        .enumerate()
        .map(|(i, (origin, text))| parse(&format!("{origin}zone"), origin, text, i as u32 * 1000))
        .collect();
    let inputs: Vec<LintInput<'_>> = parsed.iter().map(LintInput::new).collect();
    let found = lint_checked(&inputs, &Settings::default());
    let refs: Vec<&Zone> = parsed.iter().collect();
    render(&refs, &found, Some(code))
}

/// `SOA ns1.example.com. hostmaster.example.com. <serial> 7200 3600 1209600 3600`.
pub(crate) fn soa(serial: u32) -> String {
    format!("SOA ns1.example.com. hostmaster.example.com. {serial} 7200 3600 1209600 3600")
}

/// `SRV 0 5 443 <target>`.
pub(crate) fn srv(target: &str) -> String {
    format!("SRV 0 5 443 {target}")
}

/// A DS (key tag 12345, algorithm 13, SHA-256).
pub(crate) fn ds() -> String {
    format!("DS 12345 13 2 {}", "AB".repeat(32))
}

/// An RRSIG covering `covered` with `original_ttl`, signed by example.com.
pub(crate) fn rrsig(covered: zonelint_zone::RType, original_ttl: u32) -> String {
    format!("RRSIG {covered} 13 2 {original_ttl} 20330518033320 20300317052640 12345 example.com. WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg==")
}

/// The head of a clean zone: `$TTL`, SOA, two NS with addresses.
pub(crate) fn head() -> String {
    format!(
        "$TTL 3600\n@ {}\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n",
        soa(1)
    )
}

/// The SOA and NS every snippet gets, so that rules about a zone's structure stay quiet.
pub(crate) const APEX: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n";

/// Lints `APEX` plus `snippet` with only the rules `select` names, and renders each
/// finding as `line:column CODE severity message` with its help, related spans and fix.
#[must_use]
pub(crate) fn lint_snippet(snippet: &str, select: &[&str]) -> String {
    lint_with(
        &format!("{APEX}{snippet}"),
        &Settings {
            select: select.iter().map(|s| Selector((*s).to_owned())).collect(),
            ..Settings::default()
        },
    )
}

/// The default settings with only the rule `code` selected.
#[must_use]
pub(crate) fn only(code: &str) -> Settings {
    Settings {
        select: vec![Selector(code.to_owned())],
        ..Settings::default()
    }
}

/// Lints a whole zone text (origin `example.com.`) with `settings` and renders it.
#[must_use]
pub(crate) fn lint_with(text: &str, settings: &Settings) -> String {
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let (zone, parse_diagnostics) = parse_str("t.zone", text, &options);
    assert!(
        parse_diagnostics.is_empty(),
        "snippet does not parse: {parse_diagnostics:?}"
    );
    let found = lint_checked(&[LintInput::new(&zone)], settings);
    let mut out = String::new();
    for d in &found {
        let source = zone.sources.get(d.primary.source).expect("source");
        let (line, column) = source.line_column(d.primary.start);
        let shown = String::from_utf8_lossy(zone.sources.slice(d.primary));
        let _ = writeln!(
            out,
            "{line}:{column} {} {} `{shown}` {}",
            d.code.code,
            d.severity.as_str(),
            d.message
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "    help: {help}");
        }
        for related in &d.related {
            let (line, column) = zone
                .sources
                .get(related.span.source)
                .expect("source")
                .line_column(related.span.start);
            let _ = writeln!(out, "    related {line}:{column}: {}", related.message);
        }
        if let Some(fix) = &d.fix {
            let _ = writeln!(
                out,
                "    fix ({}): {}",
                fix.applicability.as_str(),
                fix.message
            );
            let mut fixed = text.as_bytes().to_vec();
            for edit in fix.edits.iter().rev() {
                fixed.splice(edit.span.range(), edit.content.bytes());
            }
            let fixed = String::from_utf8_lossy(&fixed);
            for changed in fixed.lines().filter(|l| !text.lines().any(|o| o == *l)) {
                let _ = writeln!(out, "      + {changed}");
            }
        }
    }
    out
}

/// Lints `APEX` plus `snippet` with only the rules `select` names and the `spf-snapshot`
/// text `snapshot` (which must parse), and renders as [`lint_snippet`] does.
#[must_use]
pub(crate) fn lint_with_snapshot(snippet: &str, snapshot: &str, select: &[&str]) -> String {
    let (parsed, diagnostics) =
        crate::Snapshot::parse("snapshot.txt", std::sync::Arc::from(snapshot.as_bytes()));
    assert!(
        diagnostics.is_empty(),
        "snapshot does not parse: {diagnostics:?}"
    );
    lint_with(
        &format!("{APEX}{snippet}"),
        &Settings {
            select: select.iter().map(|s| Selector((*s).to_owned())).collect(),
            spf_snapshot: Some(std::sync::Arc::new(parsed)),
            ..Settings::default()
        },
    )
}
