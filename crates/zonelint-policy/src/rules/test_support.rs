//! Helpers for rule tests: lint a zone snippet and render what a user would read.

use crate::{lint, LintInput, Selector, Settings};
use std::fmt::Write as _;
use zonelint_zone::{parse_str, Name, ParseOptions};

/// The SOA and NS every snippet gets, so that rules about a zone's structure stay quiet.
pub const APEX: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n";

/// Lints `APEX` plus `snippet` with only the rules `select` names, and renders each
/// finding as `line:column CODE severity message` with its help, related spans and fix.
#[must_use]
pub fn lint_text(snippet: &str, select: &[&str]) -> String {
    lint_with(
        &format!("{APEX}{snippet}"),
        &Settings {
            select: select.iter().map(|s| Selector((*s).to_owned())).collect(),
            ..Settings::default()
        },
    )
}

/// Lints a whole zone text (origin `example.com.`) with `settings` and renders it.
#[must_use]
pub fn lint_with(text: &str, settings: &Settings) -> String {
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let (zone, parse_diagnostics) = parse_str("t.zone", text, &options);
    assert!(
        parse_diagnostics.is_empty(),
        "snippet does not parse: {parse_diagnostics:?}"
    );
    let found = lint(&[LintInput::new(&zone)], settings);
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
