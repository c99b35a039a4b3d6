//! Bytes → parse → lint → apply fixes, round after round, as `zonelint check
//! --unsafe-fixes` does: for an error-free single-file zone, every round's text parses
//! without error, no round adds error-level findings to any rule family (counted per
//! family, not per name: a fix may unmask an error of its own family, as mending a string
//! join can show a bad term that the join hid, and moving a doubled-origin record moves
//! its own errors to the name it moves to), and the rounds converge: within ten rounds no
//! applicable fix is left, so a second `--fix` run changes nothing.
#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::{Diagnostic, Severity};

/// The rounds the CLI allows before it gives up on a fix that keeps coming back.
const MAX_ROUNDS: usize = 10;

/// Error-level findings per rule family (`SPF`, `DMARC`, …).
fn errors(findings: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for d in findings.iter().filter(|d| d.severity == Severity::Error) {
        *counts
            .entry(d.code.code.trim_end_matches(|c: char| c.is_ascii_digit()))
            .or_insert(0) += 1;
    }
    counts
}

fuzz_target!(|data: &[u8]| {
    let (zone, diagnostics) = common::parse_zone(data);
    if zone.sources.len() != 1 || diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let settings = Settings::default();
    let before = errors(&lint(&[LintInput::new(&zone)], &settings));
    let mut text = data.to_vec();
    for round in 0..=MAX_ROUNDS {
        let (zone, diagnostics) = common::parse_zone(&text);
        let parse_errors: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            parse_errors.is_empty(),
            "round {round}: fixes made parse errors {parse_errors:?}\n--- before ---\n{}\n--- after ---\n{}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&text)
        );
        if zone.sources.len() != 1 {
            // A fix wrote an `$INCLUDE`: out of scope for a single-file check.
            return;
        }
        let findings = lint(&[LintInput::new(&zone)], &settings);
        let new: Vec<_> = errors(&findings)
            .into_iter()
            .filter(|(family, count)| before.get(family).is_none_or(|b| count > b))
            .collect();
        assert!(
            new.is_empty(),
            "round {round}: fixes made new errors {new:?}\n--- before ---\n{}\n--- after ---\n{}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&text)
        );
        let edits = common::one_round_of_fixes(&findings);
        if edits.is_empty() {
            return;
        }
        assert!(
            round < MAX_ROUNDS,
            "fixes still apply after {MAX_ROUNDS} rounds\n--- before ---\n{}\n--- after ---\n{}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&text)
        );
        text = common::apply(&text, edits);
    }
});
