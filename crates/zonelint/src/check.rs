//! `zonelint check`: find the files, lint each one (in parallel), report in a stable order.
//!
//! Each file goes through the same steps, on a worker thread: read and parse it
//! ([`parse_file`]), run the rules on the parsed zone, sort the diagnostics, count them and
//! render them. Only the rendered text (or the JSON values) and the counts come back, so
//! memory holds one zone per worker, not every zone of the run.

use crate::cli::{CheckArgs, Format};
use crate::discover::collect_files;
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::render::json::JsonDiagnostic;
use crate::render::{self, full, json, Appearance, Stream, Summary};
use crate::zonefile::{describe, parse_file, Includes, ParseSettings};
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What one file contributes to the report.
struct FileOutput {
    summary: Summary,
    rendered: Rendered,
}

/// One file's diagnostics in the chosen format.
enum Rendered {
    Full(String),
    Json(Vec<JsonDiagnostic>),
}

/// Runs `check` and returns how it ended. Run failures that concern one file (it cannot be
/// read) are printed and turn the outcome into [`Outcome::Failed`] after every other file
/// was still reported.
pub fn run(args: &CheckArgs) -> Result<Outcome, RunError> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = collect_files(&paths)?;
    if args.parse.origin.is_some() && files.len() > 1 {
        return Err(RunError::Usage(format!(
            "--origin applies to one file, and {} files were found: {}",
            files.len(),
            describe(&files)
        )));
    }
    if files.is_empty() {
        eprintln_quietly(&format!(
            "zonelint: warning: no zone files (*.zone, *.db, db.*, *.zone.signed) found in {}",
            describe(&paths)
        ));
    }
    let settings = ParseSettings {
        origin: args.parse.origin.clone(),
        includes: if args.parse.no_include {
            Includes::Refuse
        } else {
            Includes::Follow
        },
    };
    let appearance = Appearance::detect(args.color, Stream::Stdout);
    let results = map_parallel(&files, |index, path| {
        check_file(path, index, &settings, args.format, appearance)
    })?;

    let mut summary = Summary::default();
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for result in results {
        match result {
            Ok(output) => {
                summary.add(&output.summary);
                outputs.push(output.rendered);
            }
            Err(error) => failures.push(error),
        }
    }
    let written = write_report(outputs, &summary, args);
    match written {
        Err(error) if is_broken_pipe(&error) => return Ok(Outcome::Clean),
        Err(error) => return Err(RunError::Output(error)),
        Ok(()) => {}
    }
    for failure in &failures {
        eprintln_quietly(&format!("zonelint: error: {failure}"));
    }
    Ok(if failures.is_empty() {
        summary.outcome()
    } else {
        Outcome::Failed
    })
}

/// Reads, parses, lints and renders one file.
fn check_file(
    path: &Path,
    index: usize,
    settings: &ParseSettings,
    format: Format,
    appearance: Appearance,
) -> Result<FileOutput, RunError> {
    let parsed = parse_file(path, index, settings)?;
    let mut diagnostics = parsed.diagnostics;
    // The rules of zonelint-policy run here, on `parsed.zone`, appending their findings to
    // `diagnostics` (parse errors cannot be suppressed, so suppression applies to theirs only).
    render::sort_diagnostics(&parsed.zone, &mut diagnostics);
    let summary = Summary::of_zone(&parsed.zone, &diagnostics);
    let rendered = match format {
        Format::Full => {
            Rendered::Full(full::render(&parsed.zone.sources, &diagnostics, appearance))
        }
        Format::Json => Rendered::Json(json::convert(
            &parsed.zone.sources,
            parsed.origin.name.as_ref(),
            &diagnostics,
        )),
    };
    Ok(FileOutput { summary, rendered })
}

/// Writes every file's output in file order, then the summary.
fn write_report(outputs: Vec<Rendered>, summary: &Summary, args: &CheckArgs) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Full => {
            for output in &outputs {
                if let Rendered::Full(text) = output {
                    out.write_all(text.as_bytes())?;
                }
            }
            if !args.quiet {
                out.write_all(full::summary_line(summary).as_bytes())?;
            }
        }
        Format::Json => {
            let diagnostics: Vec<JsonDiagnostic> = outputs
                .into_iter()
                .filter_map(|output| match output {
                    Rendered::Json(values) => Some(values),
                    Rendered::Full(_) => None,
                })
                .flatten()
                .collect();
            json::write(&mut out, &diagnostics, summary)?;
        }
    }
    out.flush()
}

/// Applies `work` to every item (and its index) on a few threads and returns the results in
/// item order.
///
/// Files are independent, so each worker takes the next unclaimed index until none are left
/// (a shared counter is the whole queue); a large file delays only its own worker.
fn map_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
) -> Result<Vec<R>, RunError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    if workers <= 1 {
        return Ok(items
            .iter()
            .enumerate()
            .map(|(index, item)| work(index, item))
            .collect());
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(items.len()));
    let panicked = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        break;
                    };
                    let result = work(index, item);
                    if let Ok(mut done) = done.lock() {
                        done.push((index, result));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(std::thread::ScopedJoinHandle::join)
            .any(|joined| joined.is_err())
    });
    let mut done = done
        .into_inner()
        .map_err(|_| RunError::Internal("a worker thread panicked".to_owned()))?;
    if panicked || done.len() != items.len() {
        return Err(RunError::Internal("a worker thread panicked".to_owned()));
    }
    done.sort_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, result)| result).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_item_order() {
        let items: Vec<u32> = (0..100).collect();
        let squares = map_parallel(&items, |index, n| (index, n * n)).unwrap();
        let expected: Vec<_> = items.iter().map(|n| (*n as usize, n * n)).collect();
        assert_eq!(squares, expected);
        let empty: Vec<u32> = Vec::new();
        assert!(map_parallel(&empty, |_, n| *n).unwrap().is_empty());
    }
}
