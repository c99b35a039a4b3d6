//! The `concise` format: `FILE:LINE:COL: SEVERITY CODE [slug] message`, one line each, the
//! shape vim's `:make`, emacs' compile-mode and most problem matchers read.

use super::locate;
use std::fmt::Write as _;
use zonelint_zone::{Diagnostic, SourceMap};

/// Renders the diagnostics of one zone, one line each.
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
        // A message is one line; a stray newline would split the record for every reader.
        let message = diagnostic.message.replace(['\n', '\r'], " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} [{}] {message}",
            location.file,
            location.line,
            location.column,
            diagnostic.severity.as_str(),
            diagnostic.code.code,
            diagnostic.code.slug,
        );
    }
    out
}
