//! Bytes → parse → lint → apply fixes, round after round, as `zonelint check
//! --unsafe-fixes` does: for an error-free single-file zone, every round's text parses
//! without error, no round makes an error of a rule family at a name that had none of
//! that family before (a fix may unmask errors of its own family at its own name, as
//! mending a string join shows the bad terms the join hid; and names are compared with a
//! doubled origin taken off, since ZONE016's fix moves a record and its errors there), and
//! the rounds converge: within ten rounds no applicable fix is left, so a second `--fix`
//! run changes nothing.
//!
//! One family of errors is judged on a whole RRset rather than on what a fix wrote:
//! SPF026 (the TXT RRset over 512 octets). A fix that adds a record at a name (COV001's
//! `v=spf1 -all`) grows that RRset, and if the other TXT records there already came close
//! to the limit, SPF026 fires although the fix wrote nothing wrong; the data was too
//! large before, and the round only made SPF026 look at it. Such an error is allowed at
//! a name that an applied fix's finding was about, and nowhere else.
#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::{Diagnostic, Severity};

/// The rounds the CLI allows before it gives up on a fix that keeps coming back.
const MAX_ROUNDS: usize = 10;

/// Rules that judge a whole RRset's size, which a fix adding a record may push over.
const RRSET_SIZE_RULES: &[&str] = &["SPF026"];

/// A finding's owner, written without a doubled origin.
fn owner(finding: &Diagnostic) -> String {
    let owner = finding
        .owner
        .as_ref()
        .map_or_else(String::new, ToString::to_string);
    match owner.strip_suffix("example.com.example.com.") {
        Some(head) => format!("{head}example.com."),
        None => owner,
    }
}

/// The (rule family, owner) pairs of the error-level findings, leaving out RRset-size
/// errors at the names in `grown`.
fn errors(findings: &[Diagnostic], grown: &BTreeSet<String>) -> BTreeSet<(&'static str, String)> {
    findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| !(RRSET_SIZE_RULES.contains(&d.code.code) && grown.contains(&owner(d))))
        .map(|d| {
            (
                d.code.code.trim_end_matches(|c: char| c.is_ascii_digit()),
                owner(d),
            )
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let (zone, diagnostics) = common::parse_zone(data);
    if zone.sources.len() != 1 || diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let settings = Settings::default();
    let before = errors(&lint(&[LintInput::new(&zone)], &settings), &BTreeSet::new());
    // The names whose findings had a fix applied, in any round so far.
    let mut grown = BTreeSet::new();
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
        let new: Vec<_> = errors(&findings, &grown)
            .difference(&before)
            .cloned()
            .collect();
        assert!(
            new.is_empty(),
            "round {round}: fixes made new errors {new:?}\n--- before ---\n{}\n--- after ---\n{}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&text)
        );
        let taken = common::fixes_taken(&findings);
        grown.extend(taken.iter().map(|(finding, _)| owner(finding)));
        let edits: Vec<_> = taken.into_iter().flat_map(|(_, edits)| edits).collect();
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
