//! The command line (docs/cli.md): `check` is the default command, so
//! `zonelint zones/` and `zonelint check zones/` do the same.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use zonelint_zone::Name;

/// `zonelint`: an offline linter for DNS zone files.
#[derive(Debug, Parser)]
#[command(
    name = "zonelint",
    version,
    about = "Offline linter for DNS zone files",
    // Without a subcommand the options belong to `check`; mixing the two
    // (`zonelint --format json dump x`) is an error rather than a silent surprise.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The command; `check` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The options of `check`, when it is run as the default command.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint zone files (the default command).
    Check(CheckArgs),
    /// Print the parsed records, one per line.
    Dump(DumpArgs),
    /// Explain a rule (or, with --all, every rule).
    Rule(RuleCommandArgs),
}

/// Options of `zonelint rule`.
#[derive(Debug, Args)]
pub struct RuleCommandArgs {
    /// The rule's code or slug (`SPF001`, `spf-plus-all`).
    #[arg(value_name = "CODE|SLUG", required_unless_present = "all")]
    pub rule: Option<String>,

    /// Every rule.
    #[arg(long)]
    pub all: bool,

    /// Text (default) or JSON.
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub format: RuleFormat,
}

/// The formats of `zonelint rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    /// Markdown-like text, the sections of the rule's page.
    Text,
    /// One JSON object (an array with --all).
    Json,
}

/// Options of `zonelint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Zone files, or directories to search for them (`*.zone`, `*.db`, `db.*`,
    /// `*.zone.signed`). Defaults to the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print the diagnostics (default `full`; `github` under `GITHUB_ACTIONS=true`).
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Which rules run, at what level.
    #[command(flatten)]
    pub rules: RuleArgs,

    /// Use this configuration file instead of discovering `zonelint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Use no configuration file at all.
    #[arg(long)]
    pub isolated: bool,

    /// Apply the safe fixes in place.
    #[arg(long)]
    pub fix: bool,

    /// Apply the unsafe fixes too (implies `--fix` unless `--diff` is given).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,

    /// Exit 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,

    /// Print the number of diagnostics per rule instead of the diagnostics.
    #[arg(long)]
    pub statistics: bool,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print no summary line.
    #[arg(short, long)]
    pub quiet: bool,

    /// How the files are read and parsed.
    #[command(flatten)]
    pub parse: ParseArgs,
}

/// Rule selection on the command line; these override the configuration file.
#[derive(Debug, Args, Default)]
pub struct RuleArgs {
    /// The strict profile.
    #[arg(long)]
    pub strict: bool,

    /// Run only these rules: codes, slugs or prefixes (`SPF`, `DMARC0`), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Option<Vec<String>>,

    /// Run these rules too.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub extend_select: Vec<String>,

    /// Do not run these rules.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
}

/// Options of `zonelint dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The zone file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print the RDATA in the RFC 3597 generic form `\# LENGTH HEX`.
    #[arg(long)]
    pub generic: bool,

    /// Colour the diagnostics on standard error (see `check --color`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// How the file is read and parsed.
    #[command(flatten)]
    pub parse: ParseArgs,
}

/// How files are read and parsed; shared by every command that parses.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The origin of the file (one file only); a missing final dot is implied.
    #[arg(long, value_name = "NAME", value_parser = parse_origin)]
    pub origin: Option<Name>,

    /// Refuse every `$INCLUDE` instead of reading the file it names.
    #[arg(long)]
    pub no_include: bool,
}

/// The report formats of `check` (docs/cli.md, Formats).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with labels, the help line and a summary.
    Full,
    /// One line each: `FILE:LINE:COL: SEVERITY CODE [slug] message`.
    Concise,
    /// One JSON document (schema version 1).
    Json,
    /// One JSON object per diagnostic per line.
    JsonLines,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML: one testsuite per file, one failed testcase per diagnostic.
    Junit,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Only on a terminal, and not with `NO_COLOR` set or `TERM=dumb`.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Reads `--origin`: always absolute, since there is nothing to complete it with.
fn parse_origin(text: &str) -> Result<Name, String> {
    Name::parse(text.as_bytes(), Some(&Name::root()))
        .map_err(|error| format!("`{text}` is not a valid domain name: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }

    #[test]
    fn check_is_the_default_command() {
        let cli = Cli::try_parse_from(["zonelint", "--format", "json", "zones"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.format, Some(Format::Json));
        assert_eq!(cli.check.paths, [PathBuf::from("zones")]);
    }

    #[test]
    fn origin_without_final_dot_is_absolute() {
        let cli = Cli::try_parse_from(["zonelint", "--origin", "example.com", "f"]).unwrap();
        assert_eq!(cli.check.parse.origin.unwrap().to_string(), "example.com.");
        assert!(Cli::try_parse_from(["zonelint", "--origin", "a..b", "f"]).is_err());
    }

    #[test]
    fn after_an_option_of_check_every_word_is_a_path() {
        let cli = Cli::try_parse_from(["zonelint", "--format", "json", "dump", "f"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.paths, [PathBuf::from("dump"), PathBuf::from("f")]);
    }
}
