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
        let mut taken: Vec<(usize, usize, &str)> = Vec::new();
        for fix in findings.iter().filter_map(|f| f.fix.as_ref()) {
            let edits: Vec<(usize, usize, &str)> = fix
                .edits
                .iter()
                .map(|e| {
                    (
                        e.span.start as usize,
                        e.span.end as usize,
                        e.content.as_str(),
                    )
                })
                .collect();
            let clash = |a: &(usize, usize, &str), b: &(usize, usize, &str)| {
                (a.0 < b.1 && b.0 < a.1) || a.0 == b.0
            };
            let clashes = edits.iter().enumerate().any(|(i, a)| {
                taken.iter().any(|b| clash(a, b))
                    || edits.iter().enumerate().any(|(j, b)| i != j && clash(a, b))
            });
            if !clashes {
                taken.extend(edits);
            }
        }
        if taken.is_empty() {
            continue;
        }
        taken.sort_by_key(|edit| std::cmp::Reverse(edit.0));
        let mut fixed = data.to_vec();
        for (start, end, content) in taken {
            fixed.splice(start..end, content.bytes());
        }
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
