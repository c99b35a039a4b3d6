//! `zonelint generate`: man pages and shell completions, made from the command line's
//! own definition (the one `--help` prints), so that none of them can go stale.
//!
//! The command is hidden from `--help`: it is for packagers and for installing by hand
//! (the README's Install section), not for linting.

use crate::cli::Cli;
use crate::error::{Outcome, RunError};
use clap::{Args, CommandFactory as _, Subcommand};
use clap_complete::Shell;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Options of `zonelint generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[command(subcommand)]
    pub what: Generated,
}

/// What `zonelint generate` makes.
#[derive(Debug, Subcommand)]
pub enum Generated {
    /// Man pages: `zonelint.1` and one per command (`zonelint-check.1`, …).
    Man {
        /// The directory to write them to; without it, `zonelint.1` goes to standard
        /// output.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// The completion script of a shell.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
        /// The directory to write it to (`zonelint.bash`, `_zonelint`, …); without it,
        /// the script goes to standard output.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

/// Runs `zonelint generate`.
pub fn run(args: &GenerateArgs) -> Result<Outcome, RunError> {
    match &args.what {
        Generated::Man { output } => man(output.as_deref()),
        Generated::Completions { shell, output } => completions(*shell, output.as_deref()),
    }
}

fn man(output: Option<&Path>) -> Result<Outcome, RunError> {
    let command = Cli::command();
    let Some(directory) = output else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(RunError::Output)?;
        write_stdout(&page)?;
        return Ok(Outcome::Clean);
    };
    std::fs::create_dir_all(directory).map_err(|error| RunError::io(directory, &error))?;
    // `generate_to` writes `zonelint.1` and a page per visible subcommand, each named
    // `zonelint-COMMAND.1` as `man zonelint-check` expects.
    clap_mangen::generate_to(command, directory)
        .map_err(|error| RunError::io(directory, &error))?;
    Ok(Outcome::Clean)
}

fn completions(shell: Shell, output: Option<&Path>) -> Result<Outcome, RunError> {
    let mut command = Cli::command();
    let Some(directory) = output else {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command, "zonelint", &mut script);
        write_stdout(&script)?;
        return Ok(Outcome::Clean);
    };
    std::fs::create_dir_all(directory).map_err(|error| RunError::io(directory, &error))?;
    clap_complete::generate_to(shell, &mut command, "zonelint", directory)
        .map_err(|error| RunError::io(directory, &error))?;
    Ok(Outcome::Clean)
}

fn write_stdout(bytes: &[u8]) -> Result<(), RunError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(RunError::Output)
}
