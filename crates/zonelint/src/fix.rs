//! `--fix`, `--unsafe-fixes` and `--diff`: applying the fixes of diagnostics to the files.
//!
//! A round takes every applicable fix whose edits do not overlap an edit already taken
//! (the next round picks the others up, on the re-parsed text), makes each file's edits
//! in one pass over its text, and leaves every other byte alone. The
//! caller re-parses and re-lints, and repeats until nothing fixable remains (at most
//! [`MAX_ROUNDS`]). Fixed texts live in memory ([`Overlay`]) until [`write_atomically`].

use crate::error::RunError;
use crate::zonefile::Overlay;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::Range;
use std::path::Path;
use zonelint_zone::{Applicability, Diagnostic, SharedBytes, SourceMap};

/// Rounds of fix, re-parse and re-lint before giving up on a fix that keeps coming back.
pub const MAX_ROUNDS: usize = 10;

/// One edit in a file, by the file's source name.
struct FileEdit {
    range: Range<usize>,
    content: String,
}

/// The edits a round takes in one file, by where they start: no two of them
/// [`overlaps`], so no two start at the same place.
///
/// A large zone's round takes hundreds of thousands of fixes (a missing SPF record at
/// every name of the 1M-record bench zone): each new edit is checked against its
/// neighbours only, and the file is rebuilt in one pass, not once per edit.
#[derive(Default)]
struct FileEdits {
    by_start: BTreeMap<usize, FileEdit>,
}

impl FileEdits {
    /// Whether `range` [`overlaps`] an edit taken. Two are enough to ask: the last one
    /// starting at or before it (no edit taken reaches past the next one's start), and
    /// the first starting inside it (every edit starting inside it overlaps it).
    fn clash(&self, range: &Range<usize>) -> bool {
        let before = self.by_start.range(..=range.start).next_back();
        let inside = range.start.saturating_add(1)..range.end;
        let first_inside = if inside.start < inside.end {
            self.by_start.range(inside).next()
        } else {
            None
        };
        before
            .into_iter()
            .chain(first_inside)
            .any(|(_, edit)| overlaps(range, &edit.range))
    }

    fn insert(&mut self, edit: FileEdit) {
        self.by_start.insert(edit.range.start, edit);
    }

    /// `text` with the edits made: the bytes between them as they were.
    fn apply_to(self, text: &[u8]) -> Vec<u8> {
        let added: usize = self.by_start.values().map(|edit| edit.content.len()).sum();
        let mut out = Vec::with_capacity(text.len() + added);
        let mut copied = 0;
        for edit in self.by_start.into_values() {
            // Never false for edits of this text, which were taken apart.
            let Some(kept) = text.get(copied..edit.range.start) else {
                continue;
            };
            if edit.range.end > text.len() {
                continue;
            }
            out.extend_from_slice(kept);
            out.extend_from_slice(edit.content.as_bytes());
            copied = edit.range.end;
        }
        out.extend_from_slice(text.get(copied..).unwrap_or_default());
        out
    }
}

/// What identifies a finding from one round to the next (its spans move as text is
/// inserted before it): code, owner and message.
pub type FindingKey = (&'static str, String, String);

/// The key of a diagnostic.
#[must_use]
pub fn finding_key(diagnostic: &Diagnostic) -> FindingKey {
    (
        diagnostic.code.code,
        diagnostic
            .owner
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        diagnostic.message.clone(),
    )
}

/// A fix taken: its finding and the names of the sources it edits.
pub type Applied = (FindingKey, Vec<String>);

/// The edits of one round, by source name, and the fixes they make.
#[derive(Default)]
pub struct Round {
    edits: BTreeMap<String, FileEdits>,
    /// Each fix taken, in the order taken.
    applied: Vec<Applied>,
}

impl Round {
    /// Takes the fixes of `diagnostics` (of a zone whose sources are `sources`) that
    /// apply at `threshold` and overlap nothing taken before.
    pub fn take(
        &mut self,
        sources: &SourceMap,
        diagnostics: &[Diagnostic],
        threshold: Applicability,
        refused: &HashSet<FindingKey>,
    ) {
        for diagnostic in diagnostics {
            let Some(fix) = &diagnostic.fix else {
                continue;
            };
            if refused.contains(&finding_key(diagnostic)) {
                continue;
            }
            if fix.applicability > threshold || fix.edits.is_empty() {
                continue;
            }
            let mut resolved = Vec::with_capacity(fix.edits.len());
            for edit in &fix.edits {
                let Some(source) = sources.get(edit.span.source) else {
                    break;
                };
                let range = edit.span.range();
                if range.end > source.text().len() || range.start > range.end {
                    break;
                }
                resolved.push((source.name().to_owned(), range, edit.content.clone()));
            }
            if resolved.len() != fix.edits.len() {
                continue;
            }
            let clashes = resolved.iter().enumerate().any(|(i, (name, range, _))| {
                let taken = self.edits.get(name).is_some_and(|taken| taken.clash(range));
                taken
                    || resolved
                        .iter()
                        .enumerate()
                        .filter(|(j, (other, _, _))| *j != i && other == name)
                        .any(|(_, (_, other, _))| overlaps(range, other))
            });
            if clashes {
                continue;
            }
            let mut touched: Vec<String> = Vec::new();
            for (name, range, content) in resolved {
                if !touched.contains(&name) {
                    touched.push(name.clone());
                }
                self.edits
                    .entry(name)
                    .or_default()
                    .insert(FileEdit { range, content });
            }
            self.applied.push((finding_key(diagnostic), touched));
        }
    }

    /// The fixes taken so far, in the order taken.
    #[must_use]
    pub fn applied(&self) -> &[Applied] {
        &self.applied
    }

    /// The source names of the files the round edits.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.edits.keys()
    }

    /// Applies the round's edits to the overlay (or, for a file not in it yet, to its text
    /// as parsed, looked up with `original`), and gives back the fixes made: the round is
    /// spent, so what it made is judged by the list it gives, never by an emptied one.
    pub fn apply(
        self,
        overlay: &mut Overlay,
        original: impl Fn(&str) -> Option<SharedBytes>,
    ) -> Vec<Applied> {
        for (name, edits) in self.edits {
            let Some(current) = overlay.get(&name).cloned().or_else(|| original(&name)) else {
                continue;
            };
            overlay.insert(name, SharedBytes::from(edits.apply_to(&current)));
        }
        self.applied
    }
}

/// How many times the finding of each fix `applied` is among the files' `diagnostics`
/// with a fix, in the order of `applied` ([`judge`]'s counts). Only those are
/// counted: a large zone's other findings, each key two strings, were hundreds of
/// megabytes per count.
pub fn fixable_findings<'d>(
    diagnostics: impl Iterator<Item = &'d [Diagnostic]>,
    applied: &[Applied],
) -> Vec<usize> {
    let mut counts: HashMap<&FindingKey, usize> = applied.iter().map(|(key, _)| (key, 0)).collect();
    for diagnostic in diagnostics.flatten().filter(|d| d.fix.is_some()) {
        if let Some(count) = counts.get_mut(&finding_key(diagnostic)) {
            *count += 1;
        }
    }
    applied
        .iter()
        .map(|(key, _)| counts.get(key).copied().unwrap_or(0))
        .collect()
}

/// What the re-lint after a round says of its fixes ([`judge`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// The findings whose fix left them in place, each once, in the order first applied:
    /// such a fix landed somewhere that does not mean what it should, so it is undone
    /// and never taken again.
    pub refused: Vec<&'a FindingKey>,
    /// The sources to put back as they were before the round: every source such a fix
    /// edits. The round's other fixes there go with them (and are taken again next
    /// round, from the text without the bad one).
    pub undo: HashSet<&'a str>,
    /// How many of the round's fixes stay made: those that edit no source undone.
    pub kept: usize,
}

/// Judges the fixes `applied` in a round by how many times each one's finding is among
/// the fixable findings `before` and `after` it (one count per fix, in the order of
/// `applied`, as `check`'s `fixable_findings` gives them). The same finding may be there
/// several times and only some fixed in the round: a fix worked if there are fewer of
/// its finding than before. When it did not, every fix of the round with that finding
/// is undone, in whatever file it is.
#[must_use]
pub fn judge<'a>(applied: &'a [Applied], before: &[usize], after: &[usize]) -> Verdict<'a> {
    debug_assert!(before.len() == applied.len() && after.len() == applied.len());
    let mut failed: HashSet<&FindingKey> = HashSet::new();
    let mut refused: Vec<&FindingKey> = Vec::new();
    for (i, (key, _)) in applied.iter().enumerate() {
        // A count missing (never: one per fix) reads as none, before and after alike:
        // the fix is refused, the safe side.
        let count = |counts: &[usize]| counts.get(i).copied().unwrap_or(0);
        if count(after) >= count(before) && failed.insert(key) {
            refused.push(key);
        }
    }
    let undo: HashSet<&str> = applied
        .iter()
        .filter(|(key, _)| failed.contains(key))
        .flat_map(|(_, sources)| sources.iter().map(String::as_str))
        .collect();
    let kept = applied
        .iter()
        .filter(|(_, sources)| !sources.iter().any(|source| undo.contains(source.as_str())))
        .count();
    Verdict {
        refused,
        undo,
        kept,
    }
}

/// Two edits clash when their ranges share a byte, or both insert at the same place (the
/// order of the inserted texts would be a guess).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// A unified diff of one file, `--- a/NAME` / `+++ b/NAME`, three lines of context, as
/// GNU diff writes it (nothing when the texts are the same).
///
/// The lines that differ are found by imara-diff (Myers' diff with git's line
/// heuristics); they are grouped into hunks and drawn by `similar`'s unified diff
/// pieces, whose `TextDiff` took 38 s to find them in the 1M-record bench zone and its
/// fixed text (imara-diff: 0.4 s, the same hunks). imara-diff's own drawing is not
/// used: it gives a first hunk near the top of a file more context than its header
/// counts.
#[must_use]
pub fn unified_diff(name: &str, before: &[u8], after: &[u8]) -> String {
    use imara_diff::{Algorithm, Diff, InternedInput};
    use similar::DiffOp;
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    let input = InternedInput::new(before.as_ref(), after.as_ref());
    let mut diff = Diff::compute(Algorithm::Myers, &input);
    diff.postprocess_lines(&input);
    // The whole of both texts as `similar`'s operations: the changes, and the equal
    // stretches before, between and after them.
    let mut ops = Vec::new();
    let (mut old, mut new) = (0, 0);
    for hunk in diff.hunks() {
        let (old_index, new_index) = (hunk.before.start as usize, hunk.after.start as usize);
        if old_index > old {
            ops.push(DiffOp::Equal {
                old_index: old,
                new_index: new,
                len: old_index - old,
            });
        }
        let (old_len, new_len) = (hunk.before.len(), hunk.after.len());
        ops.push(match (old_len, new_len) {
            (_, 0) => DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            },
            (0, _) => DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            },
            _ => DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            },
        });
        (old, new) = (hunk.before.end as usize, hunk.after.end as usize);
    }
    if ops.is_empty() {
        return String::new();
    }
    if input.before.len() > old {
        ops.push(DiffOp::Equal {
            old_index: old,
            new_index: new,
            len: input.before.len() - old,
        });
    }
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let line = |out: &mut String, mark: char, token: Option<&imara_diff::Token>| {
        let Some(&token) = token else {
            return;
        };
        let line = input.interner[token];
        out.push(mark);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for group in similar::group_diff_ops(ops, 3) {
        // Writing into a `String` does not fail.
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&group));
        for op in group {
            if let DiffOp::Equal { .. } = op {
                for at in op.old_range() {
                    line(&mut out, ' ', input.before.get(at));
                }
            } else {
                for at in op.old_range() {
                    line(&mut out, '-', input.before.get(at));
                }
                for at in op.new_range() {
                    line(&mut out, '+', input.after.get(at));
                }
            }
        }
    }
    out
}

/// Replaces the file at `path` with `text`, if it still holds `expected` (what was read
/// and fixed): through a temporary file in the same directory, flushed to disk, then
/// renamed over the original, so a reader sees the old file or the new one, never half of
/// one. The original's permissions are kept.
pub fn write_atomically(path: &Path, expected: &[u8], text: &[u8]) -> Result<(), RunError> {
    let io = |error: &std::io::Error| RunError::io(path, error);
    let metadata = std::fs::metadata(path).map_err(|e| io(&e))?;
    if metadata.permissions().readonly() {
        return Err(RunError::Io {
            path: path.to_path_buf(),
            message: "the file is read-only; no fix was written to it".to_owned(),
        });
    }
    let on_disk = std::fs::read(path).map_err(|e| io(&e))?;
    if on_disk != expected {
        return Err(RunError::Io {
            path: path.to_path_buf(),
            message: "the file changed on disk while it was linted; no fix was written to \
                      it (run again)"
                .to_owned(),
        });
    }
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = directory.join(format!(".{file_name}.zonelint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(text)?;
        file.set_permissions(metadata.permissions())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)?;
        // The rename is durable once the directory is; not every system can open one.
        if let Ok(directory) = std::fs::File::open(directory) {
            let _ = directory.sync_all();
        }
        Ok::<(), std::io::Error>(())
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(io(&error));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::{Code, Edit, Fix, Severity, Span};

    const CODE: Code = Code {
        code: "TEST001",
        slug: "test",
    };

    fn with_fix(applicability: Applicability, edits: &[(u32, u32, &str)]) -> Diagnostic {
        Diagnostic::new(&CODE, Severity::Error, Span::default(), "m").with_fix(Fix {
            applicability,
            message: "f".to_owned(),
            edits: edits
                .iter()
                .map(|&(start, end, content)| Edit {
                    span: Span::new(zonelint_zone::SourceId(0), start, end),
                    content: content.to_owned(),
                })
                .collect(),
        })
    }

    #[test]
    fn overlapping_and_unsafe_fixes_wait_and_the_rest_apply() {
        let mut sources = SourceMap::new();
        sources.add("f", &b"0123456789"[..]);
        let diagnostics = [
            with_fix(Applicability::Safe, &[(1, 3, "ab")]),
            with_fix(Applicability::Safe, &[(2, 4, "X")]), // overlaps the first
            with_fix(Applicability::Unsafe, &[(6, 6, "U")]),
            with_fix(Applicability::Safe, &[(8, 8, "++"), (0, 0, "<")]),
        ];
        let mut round = Round::default();
        round.take(&sources, &diagnostics, Applicability::Safe, &HashSet::new());
        assert_eq!(round.applied().len(), 2);
        let mut overlay = Overlay::new();
        let applied = round.apply(&mut overlay, |_| {
            sources
                .get(zonelint_zone::SourceId(0))
                .map(|s| s.shared_text().clone())
        });
        assert_eq!(
            overlay.get("f").map(|t| t.to_vec()),
            Some(b"<0ab34567++89".to_vec())
        );
        // The round gives back the fixes it made: the two safe ones that did not wait.
        assert_eq!(applied.len(), 2);
        assert!(applied.iter().all(|(_, sources)| sources == &["f"]));
    }

    fn applied(code: &'static str, message: &str, sources: &[&str]) -> Applied {
        (
            (code, String::new(), message.to_owned()),
            sources.iter().map(|&source| source.to_owned()).collect(),
        )
    }

    #[test]
    fn fixes_whose_findings_stay_are_refused_with_their_files_edits() {
        let round = [
            // Fixed: gone after.
            applied("A001", "a", &["one"]),
            // Left in place: refused, and the file it edits is put back, taking the
            // working fix above with it.
            applied("B001", "b", &["one"]),
            // Fixed, in a file no bad fix edits: kept.
            applied("C001", "c", &["two"]),
            // Twice before, once after: one of the two was fixed, which is what a round
            // that took one of them does.
            applied("D001", "d", &["three"]),
        ];
        let verdict = judge(&round, &[1, 1, 1, 2], &[0, 1, 0, 1]);
        assert_eq!(verdict.refused, [&round[1].0]);
        assert_eq!(verdict.undo, HashSet::from(["one"]));
        assert_eq!(verdict.kept, 2);
        // Nothing left in place: nothing refused, every fix kept.
        let verdict = judge(&round, &[1, 1, 1, 2], &[0, 0, 0, 1]);
        assert_eq!(
            verdict,
            Verdict {
                kept: 4,
                ..Verdict::default()
            }
        );
    }

    /// The same finding fixed in two files (the two views of a split-horizon zone, say:
    /// same origin, same record) and left in place: both files are put back, and the
    /// finding is refused once. (Before `judge`, only the first fix's files were put
    /// back: the second fix's key was already refused when its turn came.)
    #[test]
    fn every_fix_of_a_refused_finding_is_undone() {
        let round = [
            applied("B001", "b", &["one"]),
            applied("B001", "b", &["two"]),
            applied("C001", "c", &["three", "two"]),
        ];
        let verdict = judge(&round, &[2, 2, 1], &[2, 2, 0]);
        assert_eq!(verdict.refused, [&round[0].0]);
        assert_eq!(verdict.undo, HashSet::from(["one", "two"]));
        // The C001 fix edits a file put back: undone with it.
        assert_eq!(verdict.kept, 0);
    }

    #[test]
    fn only_the_findings_of_the_fixes_applied_are_counted_with_their_repeats() {
        let finding = |code, message: &str, fixed: bool| {
            let diagnostic = Diagnostic::new(
                Box::leak(Box::new(zonelint_zone::Code { code, slug: "slug" })),
                Severity::Error,
                Span::default(),
                message,
            );
            if fixed {
                diagnostic.with_fix(Fix {
                    applicability: Applicability::Safe,
                    message: String::new(),
                    edits: Vec::new(),
                })
            } else {
                diagnostic
            }
        };
        let first = vec![
            finding("COV001", "a", true),
            finding("COV001", "a", true),
            finding("COV001", "b", true),
            // Without a fix: not a fixable finding.
            finding("COV001", "a", false),
        ];
        let second = vec![finding("COV001", "a", true), finding("SPF001", "a", true)];
        let key = |code: &'static str, message: &str| (code, String::new(), message.to_owned());
        let applied = vec![
            (key("COV001", "a"), Vec::new()),
            (key("SPF001", "a"), Vec::new()),
            (key("DMARC001", "a"), Vec::new()),
        ];
        let files = [first.as_slice(), second.as_slice()];
        // One count per fix applied, in order. COV001 "b" is among no fix applied: it
        // is in no count.
        assert_eq!(fixable_findings(files.into_iter(), &applied), [3, 1, 0]);
    }

    /// Numbers below the bound asked, the same from the same `seed` every run (a linear
    /// congruential generator: the tests' random cases are fixed).
    fn numbers(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |below| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        }
    }

    /// The edits taken by neighbours are those a scan of every edit taken accepts, and
    /// made in one pass they give the text that splicing each in, from the end, gives.
    #[test]
    fn edits_are_checked_by_their_neighbours_and_made_in_one_pass() {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let mut accepted = 0;
        for _ in 0..200 {
            let text: Vec<u8> = (0..40).map(|i| b'a' + (i % 26) as u8).collect();
            let mut taken = FileEdits::default();
            let mut scanned: Vec<Range<usize>> = Vec::new();
            let mut spliced = text.clone();
            let mut in_order: Vec<(Range<usize>, String)> = Vec::new();
            for _ in 0..30 {
                let start = next(text.len() + 1);
                let len = if next(3) == 0 { 0 } else { next(6) };
                let range = start..(start + len).min(text.len());
                let clash = scanned.iter().any(|other| overlaps(&range, other));
                assert_eq!(taken.clash(&range), clash, "{range:?} against {scanned:?}");
                if clash {
                    continue;
                }
                let content = "+".repeat(next(3));
                scanned.push(range.clone());
                in_order.push((range.clone(), content.clone()));
                taken.insert(FileEdit { range, content });
                accepted += 1;
            }
            in_order.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
            for (range, content) in in_order {
                spliced.splice(range, content.into_bytes());
            }
            assert_eq!(taken.apply_to(&text), spliced);
        }
        // Both answers were asked of many edits.
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn the_diff_names_the_file() {
        let diff = unified_diff("z.zone", b"a\nb\n", b"a\nc\n");
        assert!(diff.starts_with("--- a/z.zone\n+++ b/z.zone\n"), "{diff}");
        assert!(diff.contains("-b\n+c\n"));
    }

    /// The diffs are those `similar` printed before (GNU diff's form): the same hunks,
    /// headers (an empty range names the line before it, a count of one is left out)
    /// and marks of a last line without a line feed. Lines are unique, so that the
    /// shortest diff is the only one and any two diff programs agree on it.
    #[test]
    fn the_diff_is_gnu_diffs_unified_form() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        let mut hunks = 0;
        for case in 0..300 {
            let lines = next(40);
            let before: Vec<String> = (0..lines).map(|i| format!("line {i}\n")).collect();
            let mut after: Vec<String> = Vec::new();
            for (i, line) in before.iter().enumerate() {
                match next(12) {
                    0 => {}
                    1 => after.push(format!("new {case} {i}\n")),
                    2 => {
                        after.push(format!("added {case} {i}\n"));
                        after.push(line.clone());
                    }
                    _ => after.push(line.clone()),
                }
            }
            if next(4) == 0 {
                after.push(format!("appended {case}\n"));
            }
            let mut before = before.concat();
            let mut after = after.concat();
            // A last line without a line feed, in either text or both.
            match next(4) {
                0 => drop(before.pop()),
                1 => drop(after.pop()),
                2 => {
                    before.pop();
                    after.pop();
                }
                _ => {}
            }
            let expected = similar::TextDiff::from_lines(&before, &after)
                .unified_diff()
                .context_radius(3)
                .header("a/z.zone", "b/z.zone")
                .to_string();
            let diff = unified_diff("z.zone", before.as_bytes(), after.as_bytes());
            assert_eq!(diff, expected, "before:\n{before}\nafter:\n{after}");
            hunks += diff.matches("\n@@ ").count();
        }
        assert!(hunks > 300, "{hunks}");
        assert_eq!(unified_diff("z.zone", b"a\n", b"a\n"), "");
    }

    #[test]
    fn a_file_changed_on_disk_or_read_only_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.zone");
        std::fs::write(&path, "new on disk\n").unwrap();
        let error = write_atomically(&path, b"as read\n", b"fixed\n").unwrap_err();
        assert!(error.to_string().contains("changed on disk"), "{error}");
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        let error = write_atomically(&path, b"new on disk\n", b"fixed\n").unwrap_err();
        assert!(error.to_string().contains("read-only"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), b"new on disk\n");
        // Nothing is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.zone");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"old\n", b"new\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
