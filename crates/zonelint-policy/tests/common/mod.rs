//! Shared helpers of the integration tests: reading zone-file character-strings.

#![allow(dead_code, reason = "each test crate uses only some of the helpers")]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a malformed fixture should fail the test loudly"
)]

/// Splits a line of zone-file character-strings (`"a b" "c\"d"` or bare words) into
/// the strings as written, quotes included.
pub fn split_strings(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' {
            chars.next();
            continue;
        }
        let mut piece = String::new();
        if c == '"' {
            piece.push(chars.next().unwrap());
            while let Some(c) = chars.next() {
                piece.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        piece.push(n);
                    }
                } else if c == '"' {
                    break;
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ' ' {
                    break;
                }
                piece.push(c);
                chars.next();
            }
        }
        out.push(piece);
    }
    out
}

/// One case of the RFC 7208 suite fixture.
#[derive(Debug, Default, Clone)]
pub struct SuiteCase {
    pub id: String,
    pub spec: String,
    pub suite_result: String,
    pub records: Vec<Vec<String>>,
    pub expect: String,
    pub reason: Option<String>,
}

/// Reads `tests/fixtures/rfc7208-suite.txt`.
pub fn suite_cases() -> Vec<SuiteCase> {
    let text = include_str!("../fixtures/rfc7208-suite.txt");
    let mut cases = Vec::new();
    let mut current: Option<SuiteCase> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(id) = line.strip_prefix("case ") {
            cases.extend(current.take());
            current = Some(SuiteCase {
                id: id.to_owned(),
                ..SuiteCase::default()
            });
            continue;
        }
        let case = current.as_mut().expect("a field before the first case");
        let (key, value) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        match key {
            "spec" => case.spec = value.to_owned(),
            "suite-result" => case.suite_result = value.to_owned(),
            "record" => case.records.push(split_strings(value)),
            "expect" => case.expect = value.to_owned(),
            "reason" => case.reason = Some(value.to_owned()),
            _ => {}
        }
    }
    cases.extend(current);
    cases
}
