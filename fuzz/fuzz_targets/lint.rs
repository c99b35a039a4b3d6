//! Bytes → parse → lint (default and strict): never panics; every finding's, note's and
//! fix edit's span within its source; and when the zone parsed without errors, applying
//! every safe and unsafe fix that overlaps no other gives text that still parses without
//! error.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::Severity;

fuzz_target!(|data: &[u8]| {
    let (zone, diagnostics) = common::parse_zone(data);
    let clean = diagnostics.iter().all(|d| d.severity != Severity::Error);
    for settings in [Settings::default(), Settings::strict()] {
        let findings = lint(&[LintInput::new(&zone)], &settings);
        common::assert_spans(&zone, &findings);
        if !clean || zone.sources.len() != 1 {
            continue;
        }
        // One round of fixes on the top-level file.
        let taken = common::one_round_of_fixes(&findings);
        if taken.is_empty() {
            continue;
        }
        let fixed = common::apply(data, taken);
        let (_, after) = common::parse_zone(&fixed);
        let errors: Vec<&str> = after
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            errors.is_empty(),
            "fixes made parse errors {errors:?}\n--- before ---\n{}\n--- after ---\n{}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&fixed)
        );
    }
});
