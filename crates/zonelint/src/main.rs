//! `zonelint`: the command line. It knows files, terminals and output formats; the
//! parsing and the rules live in `zonelint-zone` and `zonelint-policy`.

mod check;
mod cli;
mod configfile;
mod discover;
mod dump;
mod error;
mod fix;
mod generate;
mod loader;
mod named_conf;
mod progress;
mod render;
mod rule;
mod server;
mod zonefile;

use clap::Parser as _;
use error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use std::process::ExitCode;

/// jemalloc where it builds (see the workspace `Cargo.toml`): a large lint's millions of
/// small allocations, freed between phases, cost less time and peak memory with it.
#[cfg(all(unix, any(target_arch = "x86_64", target_arch = "aarch64")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout and exit 0; usage errors exit 2 (clap's own
            // `exit` would do the same, but panics on a closed pipe).
            let _ = error.print();
            return if error.use_stderr() {
                Outcome::Failed.into()
            } else {
                Outcome::Clean.into()
            };
        }
    };
    let result = match &cli.command {
        None => check::run(&cli.check),
        Some(cli::Command::Check(args)) => check::run(args),
        Some(cli::Command::Dump(args)) => dump::run(args),
        Some(cli::Command::Rule(args)) => rule::run(args),
        Some(cli::Command::Server) => server::run(),
        Some(cli::Command::Generate(args)) => generate::run(args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(RunError::Output(error)) if is_broken_pipe(&error) => Outcome::Clean.into(),
        Err(error) => {
            eprintln_quietly(&format!("zonelint: error: {error}"));
            Outcome::Failed.into()
        }
    }
}
