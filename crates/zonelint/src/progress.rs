//! The progress bar of `check`: on standard error, only for a person watching a long run.
//!
//! It is drawn only when standard error is a terminal (never into a pipe, a file or a CI
//! log, where it would be noise in the middle of a report), only for the human formats
//! (`full`, `concise`: a program reading JSON has no use for it), never with `--quiet` or
//! `TERM=dumb`, and only when the run is long enough to need it: many files or many
//! bytes. It is cleared before the report is written, so the two never interleave.

use crate::cli::Format;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal as _;
use std::time::Duration;

/// From this many files a run shows progress.
const MANY_FILES: usize = 50;

/// From this many bytes (in all) a run shows progress: some seconds of parsing and linting
/// in a debug build, under one in a release build.
const MANY_BYTES: u64 = 32 << 20;

/// What decides whether a run shows progress.
#[derive(Clone, Copy, Debug)]
pub struct ProgressContext {
    /// Whether standard error is a terminal.
    pub stderr_is_terminal: bool,
    /// The report's format.
    pub format: Format,
    /// `--quiet`.
    pub quiet: bool,
    /// How many files the run reads.
    pub files: usize,
    /// Their size in bytes.
    pub bytes: u64,
}

impl ProgressContext {
    /// The context of this process: whether its stderr is a terminal (and not a dumb one).
    #[must_use]
    pub fn detect(format: Format, quiet: bool, files: usize, bytes: u64) -> Self {
        let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        Self {
            stderr_is_terminal: std::io::stderr().is_terminal() && !dumb,
            format,
            quiet,
            files,
            bytes,
        }
    }

    /// Whether a progress bar is shown (see the module documentation).
    #[must_use]
    pub fn shows_progress(&self) -> bool {
        self.stderr_is_terminal
            && matches!(self.format, Format::Full | Format::Concise)
            && !self.quiet
            && (self.files >= MANY_FILES || self.bytes >= MANY_BYTES)
    }
}

/// A progress bar over the bytes of the files parsed, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// Starts a bar if `context` asks for one.
    #[must_use]
    pub fn start(context: &ProgressContext) -> Self {
        if !context.shows_progress() {
            return Self(None);
        }
        let bar = ProgressBar::with_draw_target(Some(context.bytes), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({elapsed})",
        )
        .map(|style| style.progress_chars("=> "));
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_message(format!("parsing {} files", context.files));
        // The lint phase is one call with no progress of its own: the spinner shows that
        // the run is alive meanwhile.
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(Some(bar))
    }

    /// A file of `bytes` bytes was parsed.
    pub fn parsed(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }

    /// The run moved on to `phase` (`linting 12 zones`).
    pub fn phase(&self, phase: String) {
        if let Some(bar) = &self.0 {
            bar.set_message(phase);
        }
    }

    /// Removes the bar, before the report is written.
    pub fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An early return (a failed run) must not leave the bar on the terminal.
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(terminal: bool, format: Format, files: usize, bytes: u64) -> ProgressContext {
        ProgressContext {
            stderr_is_terminal: terminal,
            format,
            quiet: false,
            files,
            bytes,
        }
    }

    #[test]
    fn progress_only_on_a_terminal_for_people_and_long_runs() {
        assert!(context(true, Format::Full, 50, 0).shows_progress());
        assert!(context(true, Format::Concise, 1, 64 << 20).shows_progress());
        // Never off a terminal, whatever the run.
        assert!(!context(false, Format::Full, 10_000, u64::MAX).shows_progress());
        for format in [
            Format::Json,
            Format::JsonLines,
            Format::Sarif,
            Format::Github,
            Format::Junit,
        ] {
            assert!(!context(true, format, 10_000, u64::MAX).shows_progress());
        }
        assert!(!context(true, Format::Full, 3, 1000).shows_progress());
        let quiet = ProgressContext {
            quiet: true,
            ..context(true, Format::Full, 10_000, 0)
        };
        assert!(!quiet.shows_progress());
    }

    #[test]
    fn a_hidden_progress_does_nothing() {
        let progress = Progress::start(&context(false, Format::Full, 100, 100));
        assert!(progress.0.is_none());
        progress.parsed(10);
        progress.phase("linting".to_owned());
        progress.clear();
    }
}
