//! Why a run failed (exit code 2), and the exit codes themselves.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A failure of the run itself, as opposed to a finding in a zone: exit code 2.
#[derive(Debug)]
pub enum RunError {
    /// A path could not be read or walked.
    Io {
        /// The path, as the user gave it or the walk found it.
        path: PathBuf,
        /// What went wrong, for the user.
        message: String,
    },
    /// The arguments are inconsistent in a way the parser of the command line cannot see.
    Usage(String),
    /// Writing the report failed (other than a closed pipe, which is not a failure).
    Output(io::Error),
    /// A worker thread panicked: a bug, reported rather than propagated.
    Internal(String),
    /// A configuration file is invalid; the problems, rendered with their snippets.
    Config(String),
    /// The `spf-snapshot` file does not parse; the problems, rendered with their snippets.
    Snapshot(String),
}

impl RunError {
    /// An I/O error on `path`.
    #[must_use]
    pub fn io(path: &Path, source: &io::Error) -> Self {
        let message = match source.kind() {
            io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => source.to_string(),
        };
        RunError::Io {
            path: path.to_path_buf(),
            message,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Io { path, message } => write!(f, "`{}`: {message}", path.display()),
            RunError::Usage(message) => f.write_str(message),
            RunError::Output(error) => write!(f, "cannot write the report: {error}"),
            RunError::Internal(message) => write!(f, "internal error: {message}"),
            RunError::Snapshot(rendered) => {
                write!(
                    f,
                    "the SPF snapshot (`spf-snapshot`) is invalid:\n\n{}",
                    rendered.trim_end()
                )
            }
            RunError::Config(rendered) => {
                write!(
                    f,
                    "the configuration is invalid:\n\n{}",
                    rendered.trim_end()
                )
            }
        }
    }
}

/// Whether an I/O error means the reader went away (`zonelint dump big.zone | head -1`).
/// That is a normal way for a run to end, so it exits 0 without a message.
#[must_use]
pub fn is_broken_pipe(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
}

/// How a run ended (docs/cli.md, Exit codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// No diagnostic at error severity.
    Clean,
    /// At least one error-severity diagnostic.
    Errors,
    /// The run itself failed.
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Errors => ExitCode::from(1),
            Outcome::Failed => ExitCode::from(2),
        }
    }
}

/// Writes a line to standard error, ignoring failure: there is nowhere left to report it
/// (and `eprintln!` would panic).
pub fn eprintln_quietly(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(io::stderr().lock(), "{line}");
}
