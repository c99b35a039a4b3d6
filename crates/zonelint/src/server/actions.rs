//! `textDocument/codeAction`: each diagnostic's fix as a quick fix, and a suppression
//! comment for it.

use super::convert::{is_document, DocumentText};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use zonelint_zone::{Applicability, Diagnostic, Span, Zone};

/// The code actions for the diagnostics of `document` whose range touches `range`: the
/// fix of each (preferred when safe; an unsafe one says so in its title), then a
/// "suppress" action for each rule finding in the document itself (parse errors cannot
/// be suppressed).
#[must_use]
pub fn code_actions(
    document: &DocumentText<'_>,
    zone: &Zone,
    diagnostics: &[Diagnostic],
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let mut fixes = Vec::new();
    let mut suppressions = Vec::new();
    for diagnostic in diagnostics {
        // Where the editor shows it: a finding in an included file is on the `$INCLUDE`.
        let shown = document.diagnostic(zone, diagnostic);
        if !touches(shown.range, range) {
            continue;
        }
        if let Some(action) = fix_action(document, zone, diagnostic, &shown) {
            fixes.push(CodeActionOrCommand::CodeAction(action));
        }
        // A suppression comment goes on the finding's own record, in the document only
        // (an included file may be shared by zones that want the finding).
        if is_document(zone, diagnostic.primary) {
            if let Some(action) = suppress_action(document, zone, diagnostic, shown) {
                suppressions.push(CodeActionOrCommand::CodeAction(action));
            }
        }
    }
    fixes.extend(suppressions);
    fixes
}

/// Whether two ranges overlap or touch (a cursor at either end of a diagnostic counts).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The diagnostic's fix as a workspace edit; `None` without a fix, or when an edit is in a
/// source with no URI.
#[expect(
    clippy::mutable_key_type,
    reason = "lsp_types::Uri caches parsed parts in a Cell; its Hash and Eq use the text only"
)]
fn fix_action(
    document: &DocumentText<'_>,
    zone: &Zone,
    diagnostic: &Diagnostic,
    shown: &lsp_types::Diagnostic,
) -> Option<CodeAction> {
    let fix = diagnostic.fix.as_ref()?;
    if fix.edits.is_empty() {
        return None;
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let location = document.location(zone, edit.span)?;
        changes
            .entry(location.uri)
            .or_default()
            .push(TextEdit::new(location.range, edit.content.clone()));
    }
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        fix.message.clone()
    } else {
        format!(
            "{} (unsafe fix: it changes what receivers decide)",
            fix.message
        )
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown.clone()]),
        edit: Some(WorkspaceEdit::new(changes)),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

/// `; zonelint: ignore[CODE] <reason>` as a trailing comment on the last line of the
/// record the finding is on (added to a suppression comment already there).
fn suppress_action(
    document: &DocumentText<'_>,
    zone: &Zone,
    diagnostic: &Diagnostic,
    shown: lsp_types::Diagnostic,
) -> Option<CodeAction> {
    let code = diagnostic.code.code;
    if code.starts_with("PARSE") {
        return None;
    }
    let primary = diagnostic.primary;
    let record_end = zone
        .records()
        .map(|record| record.span())
        .find(|span| span.contains(primary))
        .map_or(primary.end, |span| span.end);
    let last_byte = record_end.saturating_sub(1).max(primary.start) as usize;
    let line_end = u32::try_from(document.lines.line_content_end(last_byte)).ok()?;
    let existing = zone.comments.iter().find(|comment| {
        comment.span.source == primary.source
            && comment.span.start >= record_end
            && comment.span.start < line_end
    });
    let (at, content) = match existing {
        Some(comment) => {
            let text = zone.sources.slice(comment.span);
            match suppression_list_end(text) {
                Some(close) => (comment.span.start + close, format!(",{code}")),
                None => (
                    comment.span.start,
                    format!("; zonelint: ignore[{code}] <reason> "),
                ),
            }
        }
        None => (line_end, format!(" ; zonelint: ignore[{code}] <reason>")),
    };
    let edit = TextEdit::new(document.range(Span::new(primary.source, at, at)), content);
    Some(CodeAction {
        title: format!("Suppress {code} on this line"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown]),
        edit: Some(WorkspaceEdit::new(HashMap::from([(
            document.uri.clone(),
            vec![edit],
        )]))),
        is_preferred: Some(false),
        ..CodeAction::default()
    })
}

/// In a comment `; zonelint: ignore[A,B] reason`, the offset of the `]`; `None` for any
/// other comment (a `file-ignore` too: that one covers the file, not the line).
fn suppression_list_end(comment: &[u8]) -> Option<u32> {
    let body = comment.strip_prefix(b";")?.trim_ascii_start();
    let rest = body.strip_prefix(b"zonelint:")?.trim_ascii_start();
    rest.strip_prefix(b"ignore[")?;
    let close = comment.iter().position(|&byte| byte == b']')?;
    u32::try_from(close).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_ignore_comment_takes_another_code() {
        assert_eq!(
            suppression_list_end(b"; zonelint: ignore[SPF001] why"),
            Some(25)
        );
        assert_eq!(suppression_list_end(b";zonelint:ignore[A]x"), Some(18));
        assert_eq!(suppression_list_end(b"; zonelint: file-ignore[A] x"), None);
        assert_eq!(suppression_list_end(b"; a note"), None);
        assert_eq!(suppression_list_end(b"; zonelint: ignore[A"), None);
    }
}
