//! The `github` format: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff.

use super::locate;
use std::fmt::Write as _;
use zonelint_zone::{Diagnostic, Severity, SourceMap};

/// Renders the diagnostics of one zone as `::error file=…,line=…,title=CODE::message`
/// commands, exactly the shape docs/cli.md promises (no help line: the title and message
/// are what the annotation shows).
#[must_use]
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    super::render_in_chunks(diagnostics, |chunk| render_chunk(sources, chunk))
}

/// Writes what [`render`] returns, a batch at a time.
pub fn write(
    out: &mut dyn std::io::Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    super::write_in_batches(out, diagnostics, |chunk| render_chunk(sources, chunk))
}

fn render_chunk(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let location = locate(sources, diagnostic.primary);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&location.file),
            location.line,
            location.column,
            location.end_line,
            location.end_column,
            escape_property(diagnostic.code.code),
            escape_data(&diagnostic.message),
        );
    }
    out
}

/// The runner's escaping of a command's message (`%`, CR and LF), from the toolkit's
/// `escapeData`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping of a property value: the message's, plus `:` and `,` which delimit
/// properties (the toolkit's `escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_in_values_are_escaped() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
