//! The `junit` format: one `<testsuite>` per zone file, one failed `<testcase>` per
//! diagnostic (and one passing testcase for a file without any, so CI systems count it).

use super::locate;
use std::fmt::Write as _;
use zonelint_zone::{Diagnostic, SourceMap};

/// Renders one file's `<testsuite>` element.
#[must_use]
pub fn render(file: &str, sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = suite_start(file, diagnostics.len());
    out.push_str(&testcases(sources, diagnostics));
    out.push_str(SUITE_END);
    out
}

/// The start of a file's `<testsuite>` element for `findings` diagnostics (with the one
/// passing testcase of a file without any): [`testcases`] and [`SUITE_END`] follow.
#[must_use]
pub fn suite_start(file: &str, findings: usize) -> String {
    let mut out = String::new();
    let file_attr = escape(file);
    let tests = findings.max(1);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{file_attr}\" tests=\"{tests}\" failures=\"{findings}\" errors=\"0\" skipped=\"0\">"
    );
    if findings == 0 {
        let _ = writeln!(
            out,
            "    <testcase name=\"no diagnostics\" classname=\"{file_attr}\"/>"
        );
    }
    out
}

/// The end of a file's `<testsuite>` element.
pub const SUITE_END: &str = "  </testsuite>\n";

/// One failed `<testcase>` per diagnostic: the same text for consecutive runs of a file's
/// diagnostics as for all of them, so that a large file's are drawn a batch at a time.
#[must_use]
pub fn testcases(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::with_capacity(diagnostics.len() * 768);
    for diagnostic in diagnostics {
        let location = locate(sources, diagnostic.primary);
        let mut body = format!(
            "{}:{}:{}: {}",
            location.file, location.line, location.column, diagnostic.message
        );
        if let Some(help) = &diagnostic.help {
            body.push_str("\nhelp: ");
            body.push_str(help);
        }
        let _ = writeln!(
            out,
            "    <testcase name=\"{} [{}] at {}:{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      \
             <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
            diagnostic.code.code,
            diagnostic.code.slug,
            location.line,
            location.column,
            escape(&location.file),
            escape(&location.file),
            location.line,
            diagnostic.severity.as_str(),
            escape(&diagnostic.message),
            escape(&body),
        );
    }
    out
}

/// The start of the document, before the testsuites: `tests` testcases of which
/// `failures` failed, in all (each file's testsuites follow, then [`DOCUMENT_END`]).
#[must_use]
pub fn document_start(tests: usize, failures: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zonelint\" \
         tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    )
}

/// The end of the document, after the testsuites.
pub const DOCUMENT_END: &str = "</testsuites>\n";

/// Escapes text for an XML attribute or element. Characters XML 1.0 cannot carry at all
/// (most control characters, which a zone file's bytes may hold) become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
    }
}
