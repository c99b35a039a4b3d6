//! `zonelint check`: find the files, lint each one (in parallel), report in a stable order.
//!
//! Each file goes through the same steps, on a worker thread: read and parse it
//! ([`parse_file`]), run the rules on the parsed zone, sort the diagnostics, count them and
//! render them. Only the rendered text (or the JSON values) and the counts come back, and
//! they are written in file order as soon as every earlier file is done: memory holds one
//! zone per worker, never every zone of the run.

use crate::cli::{CheckArgs, Format};
use crate::discover::collect_files;
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::render::json::JsonDiagnostic;
use crate::render::{self, full, json, Appearance, Stream, Summary};
use crate::zonefile::{describe, parse_file, ParseSettings};
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

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
    let settings = ParseSettings::from_args(&args.parse);
    let appearance = Appearance::detect(args.color, Stream::Stdout);
    let mut report = Report::new(BufWriter::new(io::stdout().lock()), args);
    let mut write_error = None;
    for_each_in_order(
        &files,
        |index, path| check_file(path, index, &settings, args.format, appearance),
        |result| match report.add(result) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                write_error = Some(error);
                ControlFlow::Break(())
            }
        },
    )?;
    let finished = match write_error {
        Some(error) => Err(error),
        None => report.finish(),
    };
    match finished {
        Ok(outcome) => Ok(outcome),
        // The reader went away (`zonelint check | head`): a normal end, exit 0.
        Err(error) if is_broken_pipe(&error) => Ok(Outcome::Clean),
        Err(error) => Err(RunError::Output(error)),
    }
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

/// The report being written: each file's output as soon as the files before it are done.
struct Report<W: Write> {
    out: W,
    format: Format,
    quiet: bool,
    summary: Summary,
    /// JSON is one document, written whole at the end.
    json: Vec<JsonDiagnostic>,
    failed: bool,
}

impl<W: Write> Report<W> {
    fn new(out: W, args: &CheckArgs) -> Self {
        Self {
            out,
            format: args.format,
            quiet: args.quiet,
            summary: Summary::default(),
            json: Vec::new(),
            failed: false,
        }
    }

    /// Adds the next file's output. A file that could not be read is reported on stderr
    /// at once, in its place in the order, and fails the run once the others are reported.
    fn add(&mut self, result: Result<FileOutput, RunError>) -> io::Result<()> {
        match result {
            Ok(output) => {
                self.summary.add(&output.summary);
                match output.rendered {
                    Rendered::Full(text) if !text.is_empty() => {
                        self.out.write_all(text.as_bytes())?;
                        // Each file's findings show as soon as they are known.
                        self.out.flush()?;
                    }
                    Rendered::Full(_) => {}
                    Rendered::Json(values) => self.json.extend(values),
                }
            }
            Err(error) => {
                self.out.flush()?;
                eprintln_quietly(&format!("zonelint: error: {error}"));
                self.failed = true;
            }
        }
        Ok(())
    }

    /// Writes the summary (or the JSON document) and says how the run ended.
    fn finish(mut self) -> io::Result<Outcome> {
        match self.format {
            Format::Full => {
                if !self.quiet {
                    self.out
                        .write_all(full::summary_line(&self.summary).as_bytes())?;
                }
            }
            Format::Json => json::write(&mut self.out, &self.json, &self.summary)?,
        }
        self.out.flush()?;
        Ok(if self.failed {
            Outcome::Failed
        } else {
            self.summary.outcome()
        })
    }
}

/// Applies `work` to every item (and its index) on a few threads, and hands the results to
/// `sink` in item order, each as soon as every earlier one has been handed over. When
/// `sink` breaks, the workers stop taking items.
///
/// Files are independent, so each worker takes the next unclaimed index until none are left
/// (a shared counter is the whole queue); a large file delays only its own worker, and
/// the results that finish early wait in a small reorder buffer.
fn for_each_in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &T) -> R + Sync,
    mut sink: impl FnMut(R) -> ControlFlow<()>,
) -> Result<(), RunError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
    if workers <= 1 {
        for (index, item) in items.iter().enumerate() {
            if sink(work(index, item)).is_break() {
                break;
            }
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                let (next, stop, work) = (&next, &stop, &work);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        if sender.send((index, work(index, item))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        // Only the workers hold senders now, so the loop ends when they all have.
        drop(sender);
        let mut pending = BTreeMap::new();
        let mut handed_over = 0;
        'receive: for (index, result) in &receiver {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&handed_over) {
                handed_over += 1;
                if sink(result).is_break() {
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
            }
        }
        // Workers blocked on a send see the channel close and stop.
        drop(receiver);
        let panicked = handles
            .into_iter()
            .map(std::thread::ScopedJoinHandle::join)
            .any(|joined| joined.is_err());
        if panicked {
            Err(RunError::Internal("a worker thread panicked".to_owned()))
        } else {
            Ok(())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_in_order(items: &[u32], stop_after: usize) -> Vec<(usize, u32)> {
        let mut seen = Vec::new();
        for_each_in_order(
            items,
            |index, n| {
                // Later items finish first, so the reorder buffer has work to do.
                std::thread::sleep(std::time::Duration::from_micros(u64::from(100 - n % 100)));
                (index, n * n)
            },
            |result| {
                seen.push(result);
                if seen.len() == stop_after {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        seen
    }

    #[test]
    fn results_arrive_in_item_order() {
        let items: Vec<u32> = (0..200).collect();
        let expected: Vec<_> = items.iter().map(|n| (*n as usize, n * n)).collect();
        assert_eq!(collect_in_order(&items, usize::MAX), expected);
        assert!(collect_in_order(&[], usize::MAX).is_empty());
    }

    #[test]
    fn a_breaking_sink_stops_the_run() {
        let items: Vec<u32> = (0..200).collect();
        assert_eq!(collect_in_order(&items, 3), [(0, 0), (1, 1), (2, 4)]);
    }
}
