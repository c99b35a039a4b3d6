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
    /// Run the Language Server over standard input and output (docs/editors.md).
    Server,
    /// Write the man pages or a shell's completions (for packagers; see the README).
    #[command(hide = true)]
    Generate(crate::generate::GenerateArgs),
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

    /// Text (default), Markdown or JSON.
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub format: RuleFormat,

    /// Write one Markdown page per rule into this directory (`DIR/SLUG.md`) instead of
    /// printing, and with --all the table of every rule as `DIR.md` (docs/rules →
    /// docs/rules.md).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// The formats of `zonelint rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuleFormat {
    /// Markdown-like text, the sections of the rule's page.
    Text,
    /// The rule's documentation page, as in docs/rules/.
    Markdown,
    /// One JSON object (an array with --all).
    Json,
}

/// Options of `zonelint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Zone files, or directories to search for them (`*.zone`, `*.db`, `db.*`,
    /// `*.zone.signed`); `-` reads standard input. Defaults to the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The name of the file read from standard input (`-`): it selects the config and
    /// gives the origin, as the file's own name would.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// Lint the primary zones of this BIND configuration, each with its zone name as the
    /// origin (`zone "NAME" { type primary; file "PATH"; };`).
    #[arg(long, value_name = "FILE")]
    pub named_conf: Option<PathBuf>,

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

    /// Print the fixes as a unified diff and write nothing (exit 1 when there is
    /// something to fix).
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

    /// The time signature expiry is checked against (RFC 3339, `2026-11-28T12:00:00Z`).
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    pub now: Option<i64>,
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

/// Reads an RFC 3339 date-time (`2026-11-28T12:00:00Z`, `…T13:00:00.5+01:00`) as
/// seconds since the Unix epoch.
fn parse_rfc3339(text: &str) -> Result<i64, String> {
    let invalid = || format!("`{text}` is not an RFC 3339 date-time like 2026-11-28T12:00:00Z");
    let number = |part: Option<&str>, digits: usize| -> Result<i64, String> {
        part.filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
            .ok_or_else(invalid)
    };
    let (date, rest) = text.split_once(['T', 't', ' ']).ok_or_else(invalid)?;
    let mut date_parts = date.split('-');
    let year = number(date_parts.next(), 4)?;
    let month = number(date_parts.next(), 2)?;
    let day = number(date_parts.next(), 2)?;
    if date_parts.next().is_some() {
        return Err(invalid());
    }
    let (time, offset_seconds) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, 0)
    } else {
        let at = rest.rfind(['+', '-']).ok_or_else(invalid)?;
        let (time, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let mut parts = offset.get(1..).unwrap_or_default().split(':');
        let hours = number(parts.next(), 2)?;
        let minutes = number(parts.next(), 2)?;
        (time, sign * (hours * 3600 + minutes * 60))
    };
    // Fractions of a second do not matter to signature times (whole seconds).
    let time = time.split_once('.').map_or(time, |(whole, _)| whole);
    let mut time_parts = time.split(':');
    let hour = number(time_parts.next(), 2)?;
    let minute = number(time_parts.next(), 2)?;
    let second = number(time_parts.next(), 2)?;
    if time_parts.next().is_some()
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(invalid());
    }
    Ok(
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset_seconds,
    )
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    fn now_is_rfc3339_in_seconds_since_the_epoch() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("2000-03-01T00:00:00Z"), Ok(951_868_800));
        assert_eq!(
            parse_rfc3339("2026-11-28T13:00:00.25+01:00"),
            Ok(1_795_867_200)
        );
        assert_eq!(parse_rfc3339("2026-11-28t12:00:00z"), Ok(1_795_867_200));
        for bad in [
            "2026-11-28",
            "2026-13-01T00:00:00Z",
            "2026-11-28T12:00Z",
            "yesterday",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
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
