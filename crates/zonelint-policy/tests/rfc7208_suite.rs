//! RFC 7208 conformance: every suite case whose outcome depends only on record syntax
//! must get the suite's verdict from zonelint's SPF grammar.

mod common;

use zonelint_policy::grammar::{spf, RecordText};

/// The syntax verdict over the TXT records at one name: `none` (no record selected),
/// `permerror` (several selected, or the one selected has a syntax error) or `ok`.
fn verdict(records: &[Vec<String>]) -> &'static str {
    let mut selected = Vec::new();
    for record in records {
        let pieces: Vec<&str> = record.iter().map(String::as_str).collect();
        let (text, _) = RecordText::from_pieces(&pieces);
        if spf::classify_version(text.as_bytes()).is_selected() {
            selected.push(text);
        }
    }
    match selected.as_slice() {
        [] => "none",
        [one] => {
            let (_, problems) = spf::parse(one);
            if spf::is_permerror(&problems) {
                "permerror"
            } else {
                "ok"
            }
        }
        _ => "permerror",
    }
}

#[test]
fn rfc7208_suite_syntax_verdicts() {
    let cases = common::suite_cases();
    assert!(cases.len() > 200, "fixture has {} cases", cases.len());
    let mut failures = Vec::new();
    let (mut run, mut excluded) = (0, 0);
    for case in &cases {
        if case.expect == "excluded" {
            assert!(
                case.reason.is_some(),
                "{} is excluded without a reason",
                case.id
            );
            excluded += 1;
            continue;
        }
        run += 1;
        let got = verdict(&case.records);
        if got != case.expect {
            failures.push(format!(
                "{} (spec {}): expected {}, got {got}; records {:?}",
                case.id, case.spec, case.expect, case.records
            ));
        }
    }
    eprintln!(
        "RFC 7208 suite: {} cases, {run} run, {} passing, {excluded} excluded",
        cases.len(),
        run - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
