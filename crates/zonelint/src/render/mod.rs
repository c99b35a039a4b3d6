//! Turning diagnostics into what a user or a program reads. Only this module (and the
//! output formats under it) knows about terminals, colours and JSON.

pub mod concise;
pub mod full;
pub mod github;
pub mod json;
pub mod junit;
mod plain_snippet;
pub mod sarif;
mod wrap;

use crate::cli::ColorChoice;
use crate::error::Outcome;
use std::io::IsTerminal as _;
use zonelint_zone::{Applicability, Code, Diagnostic, Severity, SourceMap, Span, Zone};

/// Where every rule's documentation lives; a rule's page is this plus its slug.
pub const RULE_URL_BASE: &str = "https://zonelint.dev/rules/";

/// The documentation page of a rule.
#[must_use]
pub fn rule_url(code: Code) -> String {
    RuleUrl(code.slug).to_string()
}

/// The documentation page of the rule with this slug, written where it is displayed
/// ([`rule_url`] without its `String`).
#[derive(Clone, Copy, Debug)]
pub struct RuleUrl(pub &'static str);

impl std::fmt::Display for RuleUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{RULE_URL_BASE}{}", self.0)
    }
}

/// The width used when the output is not a terminal: fixed, so that output (and snapshots
/// of it) do not depend on the window the command happened to run in.
pub const FIXED_WIDTH: usize = 100;

/// The stream a report is written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output (`check`).
    Stdout,
    /// Standard error (the diagnostics of `dump`).
    Stderr,
    /// A file (`--output-file`): never a terminal.
    File,
}

/// How text output looks: explicit settings, decided once from the command line and the
/// environment, never looked up again while rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appearance {
    /// Whether to use colours.
    pub color: bool,
    /// The width to wrap at.
    pub width: usize,
    /// Whether rule codes are terminal hyperlinks (OSC 8) rather than a printed URL.
    pub hyperlinks: bool,
}

impl Appearance {
    /// Decides colour, width and links for `stream` from `--color` and the environment.
    ///
    /// `auto` colours only a terminal, and never when `NO_COLOR` is set to a non-empty value
    /// (<https://no-color.org>) or `TERM` is `dumb`.
    #[must_use]
    pub fn detect(choice: ColorChoice, stream: Stream) -> Self {
        let terminal = match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
            Stream::File => false,
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color && !dumb,
        };
        let width = if terminal {
            terminal_size::terminal_size()
                .map_or(FIXED_WIDTH, |(width, _)| usize::from(width.0).max(40))
        } else {
            FIXED_WIDTH
        };
        Self {
            color,
            width,
            hyperlinks: terminal && color,
        }
    }

    /// No colour, the fixed width, printed URLs: what tests and pipes get.
    #[cfg(test)]
    #[must_use]
    pub const fn plain() -> Self {
        Self {
            color: false,
            width: FIXED_WIDTH,
            hyperlinks: false,
        }
    }
}

/// The counts of a run, as the summary line and the JSON `summary` show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read: top-level zone files and the files they include.
    pub files: usize,
    /// Zones linted (top-level zone files).
    pub zones: usize,
    /// Records parsed.
    pub records: usize,
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// Diagnostics at info severity.
    pub infos: usize,
    /// Diagnostics with a safe fix (what `--fix` applies).
    pub fixable: usize,
}

impl Summary {
    /// The counts of one zone and its diagnostics.
    #[must_use]
    ///
    /// The diagnostics are counted on every core (each is read from memory: half a
    /// million of them took 30 ms on one).
    pub fn of_zone(zone: &Zone, diagnostics: &[Diagnostic]) -> Self {
        use rayon::prelude::*;
        let counted = diagnostics.par_iter().map(Self::of_diagnostic).reduce(
            Self::default,
            |mut all, one| {
                all.add(&one);
                all
            },
        );
        Self::of_zone_counted(zone, zone.len(), counted)
    }

    /// One diagnostic's counts: its severity, and whether it has a safe fix.
    #[must_use]
    pub fn of_diagnostic(diagnostic: &Diagnostic) -> Self {
        let mut one = Self::default();
        match diagnostic.severity {
            Severity::Error => one.errors = 1,
            Severity::Warning => one.warnings = 1,
            Severity::Info => one.infos = 1,
        }
        one.fixable = usize::from(has_safe_fix(diagnostic));
        one
    }

    /// [`Self::of_zone`] with the diagnostics already counted (`counted`: the
    /// [`Self::of_diagnostic`] of each, added up), for a caller that reads them once
    /// for more than these counts, and the zone's `records` (counted before its records
    /// were dropped, [`Zone::drop_records`]).
    #[must_use]
    pub fn of_zone_counted(zone: &Zone, records: usize, counted: Summary) -> Self {
        Self {
            files: zone.sources.len().max(1),
            zones: 1,
            records,
            ..counted
        }
    }

    /// Adds another zone's counts.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.zones += other.zones;
        self.records += other.records;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
    }

    /// Exit code 1 when there is an error, else 0.
    #[must_use]
    pub fn outcome(&self) -> Outcome {
        if self.errors > 0 {
            Outcome::Errors
        } else {
            Outcome::Clean
        }
    }
}

/// Sorts diagnostics by file (the name of the source each points into), then offset, then
/// code, so that every format lists them in the same, reproducible order.
///
/// The lint's findings come sorted by source and place, which is this order for a zone
/// of one file: a sorted list (checked on every core) is left as it is, where a sort
/// of half a million findings took a tenth of a second on one.
pub fn sort_diagnostics(zone: &Zone, diagnostics: &mut [Diagnostic]) {
    use rayon::prelude::*;
    let file = |span: Span| zone.sources.get(span.source).map(|source| source.name());
    let order = |a: &Diagnostic, b: &Diagnostic| {
        // One source has one name: the names are compared only across sources.
        let by_file = if a.primary.source == b.primary.source {
            std::cmp::Ordering::Equal
        } else {
            file(a.primary).cmp(&file(b.primary))
        };
        by_file
            .then(a.primary.start.cmp(&b.primary.start))
            .then(a.primary.end.cmp(&b.primary.end))
            .then(a.code.cmp(b.code))
    };
    let sorted = diagnostics
        .par_windows(2)
        .all(|pair| !matches!(pair, [a, b] if order(a, b).is_gt()));
    if !sorted {
        diagnostics.sort_by(order);
    }
}

/// `document` pretty-printed by `serde_json`, cut where its array `key` is (empty in
/// `document`): the text up to the array's `[` and the text after its `]`. The elements go
/// between, written as they come ([`ArrayWriter`]).
pub fn around_array(
    document: &impl serde::Serialize,
    key: &str,
) -> std::io::Result<(String, String)> {
    let text = serde_json::to_string_pretty(document).map_err(std::io::Error::from)?;
    let marker = format!("\"{key}\": [");
    let at = text
        .find(&marker)
        .map(|at| at + marker.len())
        .ok_or_else(|| std::io::Error::other(format!("the document lost its `{key}` array")))?;
    let (head, tail) = text.split_at(at);
    Ok((head.to_owned(), tail.trim_start_matches(']').to_owned()))
}

/// The one array of a pretty-printed JSON document that grows (the `json` format's
/// diagnostics, SARIF's results), written element by element as the files come rather
/// than held whole: the same bytes as `serde_json` writes for the whole document.
#[derive(Debug, Default)]
pub struct ArrayWriter {
    /// Elements written so far.
    written: usize,
}

impl ArrayWriter {
    /// Writes `count` elements drawn as [`push_indented`] draws them, separated by `,` and
    /// a newline (`head`, the document up to the array, before the first).
    pub fn add(
        &mut self,
        out: &mut dyn std::io::Write,
        text: &[u8],
        count: usize,
        head: impl FnOnce() -> std::io::Result<String>,
    ) -> std::io::Result<()> {
        if count == 0 {
            return Ok(());
        }
        if self.written == 0 {
            out.write_all(head()?.as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(b",\n")?;
        }
        out.write_all(text)?;
        self.written += count;
        Ok(())
    }

    /// Closes the array, its `]` after `indent` (the array's own), and writes the rest of
    /// the document (`around`, from [`around_array`]) and a final newline: the whole
    /// document when no element was written.
    pub fn finish(
        self,
        out: &mut dyn std::io::Write,
        (head, tail): (String, String),
        indent: &str,
    ) -> std::io::Result<()> {
        if self.written == 0 {
            out.write_all(head.as_bytes())?;
            out.write_all(b"]")?;
        } else {
            out.write_all(b"\n")?;
            out.write_all(indent.as_bytes())?;
            out.write_all(b"]")?;
        }
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")
    }
}

/// Appends `element`, a value pretty-printed by `serde_json` alone, to `text` as an
/// element of a document that nests it deeper: every line after `indent`. JSON strings
/// hold no raw newline, so every newline of `element` is one of its line breaks.
pub fn push_indented(text: &mut Vec<u8>, element: &[u8], indent: &[u8]) {
    for (i, line) in element.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            text.push(b'\n');
        }
        text.extend_from_slice(indent);
        text.extend_from_slice(line);
    }
}

/// Diagnostics per parallel rendering task.
pub const DIAGNOSTICS_PER_TASK: usize = 512;

/// `render` applied to consecutive runs of `diagnostics` on every core (rayon), the texts
/// joined in order: the same text as `render(diagnostics)` for any per-diagnostic format.
pub fn render_in_chunks(
    diagnostics: &[Diagnostic],
    render: impl Fn(&[Diagnostic]) -> String + Sync,
) -> String {
    use rayon::prelude::*;
    if diagnostics.len() <= DIAGNOSTICS_PER_TASK {
        return render(diagnostics);
    }
    let parts: Vec<String> = diagnostics
        .par_chunks(DIAGNOSTICS_PER_TASK)
        .map(&render)
        .collect();
    parts.concat()
}

/// Diagnostics per batch of [`write_in_batches`]: enough for every core to have tasks,
/// few enough that a batch's text stays small.
pub const DIAGNOSTICS_PER_BATCH: usize = 16 * DIAGNOSTICS_PER_TASK;

/// Writes `render` of `diagnostics` a batch at a time, each batch rendered on every core:
/// the same bytes as writing `render(diagnostics)`, without holding the whole text.
pub fn write_in_batches(
    out: &mut dyn std::io::Write,
    diagnostics: &[Diagnostic],
    render: impl Fn(&[Diagnostic]) -> String + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    for batch in diagnostics.chunks(DIAGNOSTICS_PER_BATCH) {
        // Each task's text is written as it is, in order: joining them first would only
        // copy the batch once more.
        let parts: Vec<String> = batch
            .par_chunks(DIAGNOSTICS_PER_TASK)
            .map(&render)
            .collect();
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    Ok(())
}

/// `1 error`, `2 errors`.
#[must_use]
pub fn count(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

/// A position: file name, 1-based line and column (characters) of the start and of just
/// past the end. Zeros when the span points into no known source (a bug elsewhere, shown
/// rather than hidden).
#[derive(Debug, Default)]
pub struct Location {
    /// The file's name as shown.
    pub file: String,
    /// Line of the start.
    pub line: u32,
    /// Column of the start, in characters.
    pub column: u32,
    /// Line just past the end.
    pub end_line: u32,
    /// Column just past the end, in characters.
    pub end_column: u32,
}

/// Where `span` is, in lines and columns of the file it points into.
#[must_use]
pub fn locate(sources: &SourceMap, span: Span) -> Location {
    match sources.get(span.source) {
        Some(source) => {
            let (line, column) = source.line_column(span.start);
            let (end_line, end_column) = source.line_column(span.end.max(span.start));
            Location {
                file: source.name().to_owned(),
                line,
                column,
                end_line,
                end_column,
            }
        }
        None => Location::default(),
    }
}

/// Whether the diagnostic has a fix `--fix` applies.
#[must_use]
pub fn has_safe_fix(diagnostic: &Diagnostic) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|fix| fix.applicability == Applicability::Safe)
}

#[cfg(test)]
mod tests {
    use super::sort_diagnostics;
    use zonelint_zone::{Code, Diagnostic, Severity, Span, Zone};

    #[test]
    fn diagnostics_sort_by_file_name_then_place_and_stay_in_order_when_equal() {
        let mut zone = Zone::default();
        // The second source's name sorts first.
        let b = zone.sources.add("b.zone", &b"x"[..]);
        let a = zone.sources.add("a.zone", &b"y"[..]);
        let code = |code| Code { code, slug: "" };
        let at = |source, start, name: &'static str, message: &str| {
            Diagnostic::new(
                Box::leak(Box::new(code(name))),
                Severity::Info,
                Span::new(source, start, start + 1),
                message.to_owned(),
            )
        };
        let shown = |list: &[Diagnostic]| {
            list.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Findings "0" to "4" in their sorted order ("1" and "2" equal in place and code).
        let all = [
            at(a, 0, "X0", "0"),
            at(a, 0, "X1", "1"),
            at(a, 0, "X1", "2"),
            at(a, 5, "X0", "3"),
            at(b, 0, "X0", "4"),
        ];
        let taken = |order: &[usize]| -> Vec<Diagnostic> {
            order.iter().map(|&i| all[i].clone()).collect()
        };
        // Sorted already (by file name): left as it is.
        let mut sorted = taken(&[1, 2, 3, 4]);
        sort_diagnostics(&zone, &mut sorted);
        assert_eq!(shown(&sorted), "1 2 3 4");
        // Unsorted: sorted, equal ones in the order they came.
        let mut unsorted = taken(&[4, 3, 1, 0, 2]);
        sort_diagnostics(&zone, &mut unsorted);
        assert_eq!(shown(&unsorted), "0 1 2 3 4");
    }
}
