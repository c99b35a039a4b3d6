//! `zonelint check`: find the files, parse them (in parallel), lint them together, report
//! in a stable order.
//!
//! The run has three phases. Every file is read and parsed on worker threads
//! ([`parse_file`]). Then the rules run once over all the parsed zones together
//! ([`zonelint_policy::lint()`]): cross-zone rules (a delegation and its child, an SPF
//! `include:` of a sibling zone) need every zone at once, so the zones are all held in
//! memory. Last, each file's parse and lint diagnostics are merged, sorted by offset and
//! rendered on the workers again, and written in file order.

use crate::cli::{CheckArgs, ColorChoice, Format, RuleArgs};
use crate::configfile::Configs;
use crate::discover::{collect_files, default_accept, has_zone_file_name};
use crate::error::{eprintln_quietly, is_broken_pipe, Outcome, RunError};
use crate::fix::{self, unified_diff, write_atomically, FindingKey, Round, MAX_ROUNDS};
use crate::loader::MAX_FILE_SIZE;
use crate::named_conf;
use crate::progress::{Progress, ProgressContext};
use crate::render::json::JsonDiagnostic;
use crate::render::{self, concise, full, github, json, junit, sarif, Appearance, Stream, Summary};
use crate::zonefile::{describe, parse_file, reparse_file, Overlay, ParseSettings, ParsedFile};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufWriter, Read as _, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use zonelint_policy::config::is_known_selector;
use zonelint_policy::packed::Details;
use zonelint_policy::{LintInput, Selector, Settings};
use zonelint_zone::{Applicability, Code, Diagnostic, Name, Severity, SharedBytes};

/// One file of the run after parsing (and linting): its zone and every diagnostic, or why
/// it could not be read.
enum FileState {
    Checked {
        parsed: ParsedFile,
        /// Parse and lint diagnostics, sorted.
        diagnostics: Vec<Diagnostic>,
        /// How many records it has (counted before a report alone drops them).
        records: usize,
    },
    Failed(RunError),
}

/// What one file contributes to the report.
struct FileOutput<'a> {
    summary: Summary,
    /// Per code: how many diagnostics have it and how many of those have a safe fix,
    /// for `--statistics`.
    codes: CodeCounts,
    rendered: Rendered<'a>,
}

/// One file's diagnostics in the chosen format.
enum Rendered<'a> {
    /// A file with many diagnostics, rendered while it is written, a batch at a time on
    /// every core, so that its report is never held whole (every format).
    Deferred(&'a ParsedFile, &'a [Diagnostic]),
    /// Text written as it is (`full`, `concise`, `github`, `junit`'s testsuite).
    Text(String),
    /// Objects of the `json` and `json-lines` formats.
    Json(Vec<JsonDiagnostic<'a>>),
    /// SARIF results, drawn as elements of the document's `results` array, and how many.
    Sarif(io::Result<Vec<u8>>, usize),
}

/// Runs `check` and returns how it ended. Run failures that concern one file (it cannot be
/// read) are printed and turn the outcome into [`Outcome::Failed`] after every other file
/// was still reported.
pub fn run(args: &CheckArgs) -> Result<Outcome, RunError> {
    let stdin = read_stdin(args)?;
    let mut paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|path| path.as_path() != Path::new(STDIN_PATH))
        .cloned()
        .collect();
    if paths.is_empty() && stdin.is_none() && args.named_conf.is_none() {
        paths.push(PathBuf::from("."));
    }
    // The command line's selectors are checked before any work, config or not.
    rule_settings(&args.rules, Settings::default())?;
    let named = match &args.named_conf {
        Some(path) => Some(named_conf::read(path).map_err(RunError::Usage)?),
        None => None,
    };
    let mut configs = Configs::new(args.config.as_deref(), args.isolated)?;
    let mut files = collect_files(&paths, &mut |path, explicit| {
        let absolute = absolute_path(path);
        let Some(index) = configs.for_file(&absolute)? else {
            return Ok(default_accept(path, explicit));
        };
        let Some(config) = configs.get(index) else {
            return Ok(default_accept(path, explicit));
        };
        if config.excludes(&absolute) {
            return Ok(false);
        }
        // With `include`, a file the user named must be a zone file too: pre-commit passes
        // every changed file.
        Ok(match config.includes(&absolute) {
            None => default_accept(path, explicit),
            Some(included) => included || has_zone_file_name(path),
        })
    })?;
    let mut named_origins = HashMap::new();
    if let Some(named) = &named {
        for warning in &named.warnings {
            eprintln_quietly(&format!("zonelint: warning: {warning}"));
        }
        // The configuration names these files: they are linted whatever their names, and
        // once, also when a path on the command line reaches them by another spelling.
        let conf_files: Vec<PathBuf> = named.zones.iter().map(|zone| zone.file.clone()).collect();
        let already: HashSet<PathBuf> = files.iter().map(|file| absolute_path(file)).collect();
        let conf_files = collect_files(&conf_files, &mut |_, _| Ok(true))?;
        files.extend(
            conf_files
                .into_iter()
                .filter(|file| !already.contains(&absolute_path(file))),
        );
        for zone in &named.zones {
            named_origins.insert(absolute_path(&zone.file), zone.origin.clone());
        }
    }
    if let Some(stdin) = &stdin {
        files.push(stdin.path.clone());
    }
    files.sort();
    files.dedup();
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
    let parse_settings = ParseSettings::from_args(&args.parse);
    let mut plans = Vec::with_capacity(files.len());
    for path in &files {
        let mut settings = parse_settings.clone();
        if let Some(stdin) = stdin.as_ref().filter(|stdin| &stdin.path == path) {
            settings.text = Some(Arc::clone(&stdin.text));
        }
        plans.push(plan_file(path, &mut configs, settings, &named_origins)?);
    }
    let groups = settings_groups(&plans, &configs, &args.rules)?;
    let format = choose_format(args.format);
    let sizes: Vec<u64> = files
        .iter()
        .zip(&plans)
        .map(|(path, plan)| match &plan.parse.text {
            Some(text) => text.len() as u64,
            None => std::fs::metadata(path).map_or(0, |metadata| metadata.len()),
        })
        .collect();
    let progress = Progress::start(&ProgressContext::detect(
        format,
        args.quiet,
        files.len(),
        sizes.iter().sum(),
    ));
    let mut parsed = Vec::with_capacity(files.len());
    for_each_in_order(
        &files,
        |index, path| {
            let settings = plans.get(index).map_or(&parse_settings, |plan| &plan.parse);
            parse_file(path, index, settings)
        },
        |result| {
            progress.parsed(sizes.get(parsed.len()).copied().unwrap_or(0));
            parsed.push(result);
            ControlFlow::Continue(())
        },
    )?;
    progress.phase(format!("linting {}", render::count(parsed.len(), "zone")));
    let fixing = args.fix || args.unsafe_fixes || args.diff;
    let mut states = lint_together(parsed, &groups, details_read(format, fixing));
    let mut fixed = None;
    if fixing {
        let threshold = if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        progress.phase("fixing".to_owned());
        let (after, summary) = fix_until_done(states, &files, &plans, &groups, threshold)?;
        states = after;
        fixed = Some(summary);
    }
    progress.clear();
    let (out, appearance): (Box<dyn Write>, Appearance) = match &args.output_file {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|error| RunError::io(path, &error))?;
            let color = match args.color {
                ColorChoice::Always => ColorChoice::Always,
                _ => ColorChoice::Never,
            };
            (
                Box::new(BufWriter::new(file)),
                Appearance::detect(color, Stream::File),
            )
        }
        None => (
            Box::new(BufWriter::new(io::stdout().lock())),
            Appearance::detect(args.color, Stream::Stdout),
        ),
    };
    // SARIF numbers each result's rule among every rule the run reports, and JUnit's
    // first line counts every testcase of the run: both are known before the first file
    // is written, so neither document is held whole.
    let sarif_indexes = match format {
        Format::Sarif => sarif::RuleIndexes::of(
            states
                .iter()
                .flat_map(checked_diagnostics)
                .map(|diagnostic| *diagnostic.code),
        ),
        _ => sarif::RuleIndexes::default(),
    };
    let junit_totals = states
        .iter()
        .filter(|state| matches!(state, FileState::Checked { .. }))
        .map(|state| checked_diagnostics(state).len())
        .fold((0, 0), |(tests, failures), findings| {
            (tests + findings.max(1), failures + findings)
        });
    let mut report = Report::new(
        out,
        format,
        appearance,
        args,
        sarif::DocumentWriter::new(&sarif_indexes),
        junit_totals,
    );
    if let Some(summary) = &fixed {
        if args.diff {
            return write_diffs(report.out, summary, args.quiet);
        }
        report.fixed = Some(write_fixes(summary));
    }
    let mut write_error = None;
    for_each_in_order(
        &states,
        |_, state| render_file(state, format, appearance, args.statistics, &sarif_indexes),
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
    // The process ends next: freeing every record, name and finding one by one would
    // only delay the exit (a tenth of a second on a million records); the OS takes the
    // memory back at once.
    std::mem::forget(states);
    match finished {
        Ok(outcome) if args.exit_zero && outcome == Outcome::Errors => Ok(Outcome::Clean),
        Ok(outcome) => Ok(outcome),
        // The reader went away (`zonelint check | head`): a normal end, exit 0.
        Err(error) if is_broken_pipe(&error) => Ok(Outcome::Clean),
        Err(error) => Err(RunError::Output(error)),
    }
}

/// The path that stands for standard input.
const STDIN_PATH: &str = "-";

/// The diagnostics of a file that was checked; none for one that could not be.
fn checked_diagnostics(state: &FileState) -> &[Diagnostic] {
    match state {
        FileState::Checked { diagnostics, .. } => diagnostics,
        FileState::Failed(_) => &[],
    }
}

/// Standard input as a file of the run: the name it goes by and its text.
struct StdinFile {
    path: PathBuf,
    text: Arc<[u8]>,
}

/// Reads standard input when the run asks for it: `-` among the paths, or
/// `--stdin-filename` without any path. Fixes cannot be written back to it, so `--fix`
/// is refused (`--diff` shows them).
fn read_stdin(args: &CheckArgs) -> Result<Option<StdinFile>, RunError> {
    let dash = args
        .paths
        .iter()
        .any(|path| path.as_path() == Path::new(STDIN_PATH));
    let implied = args.paths.is_empty() && args.named_conf.is_none();
    let wanted = dash || (implied && args.stdin_filename.is_some());
    if !wanted {
        if args.stdin_filename.is_some() {
            return Err(RunError::Usage(
                "--stdin-filename names standard input, which is read only with `-` among \
                 the paths"
                    .to_owned(),
            ));
        }
        return Ok(None);
    }
    if (args.fix || args.unsafe_fixes) && !args.diff {
        return Err(RunError::Usage(
            "fixes cannot be written to standard input; use --diff to print them, or name \
             the file instead of `-`"
                .to_owned(),
        ));
    }
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from(STDIN_PATH));
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_FILE_SIZE.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| RunError::io(Path::new(STDIN_PATH), &error))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(RunError::Io {
            path: PathBuf::from(STDIN_PATH),
            message: format!("standard input is larger than {MAX_FILE_SIZE} bytes"),
        });
    }
    Ok(Some(StdinFile {
        path,
        text: Arc::from(bytes),
    }))
}

/// The parts of the findings that only some readers use and that `format`, or fixing,
/// reads: the owner names (`json`, `json-lines`) and the fixes' edits (those and
/// `sarif`, and fixing). The reports for people show neither.
fn details_read(format: Format, fixing: bool) -> Details {
    let json = matches!(format, Format::Json | Format::JsonLines);
    Details {
        owner: json,
        edits: json || format == Format::Sarif || fixing,
    }
}

/// The format asked for; without `--format`, `github` under GitHub Actions, else `full`.
fn choose_format(asked: Option<Format>) -> Format {
    asked.unwrap_or_else(|| {
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|value| value == "true") {
            Format::Github
        } else {
            Format::Full
        }
    })
}

/// The system clock in seconds since the epoch; `None` if it is set before 1970.
fn system_now() -> Option<i64> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    i64::try_from(since_epoch.as_secs()).ok()
}

/// The settings with the command line's rule options applied on top: `--select` replaces
/// the selection, `--extend-select` and `--ignore` add to it. A selector that names no
/// rule is an error (exit 2), not a silent no-op.
pub fn rule_settings(rules: &RuleArgs, mut settings: Settings) -> Result<Settings, RunError> {
    let selectors = |list: &[String], option: &str| -> Result<Vec<Selector>, RunError> {
        list.iter()
            .map(|text| {
                let selector = Selector(text.trim().to_owned());
                if is_known_selector(&selector) {
                    Ok(selector)
                } else {
                    Err(RunError::Usage(format!(
                        "{option}: `{text}` is not a rule code, slug or code prefix \
                         (`zonelint rule --all` lists them)"
                    )))
                }
            })
            .collect()
    };
    if rules.strict {
        settings.strict = true;
    }
    // The policy crate reads no clock (its results depend only on its input): without
    // `--now`, "now" for signature expiry is the system clock, read here.
    settings.now = rules.now.or(settings.now).or_else(system_now);
    if let Some(select) = &rules.select {
        settings.select = selectors(select, "--select")?;
    }
    settings
        .extend_select
        .extend(selectors(&rules.extend_select, "--extend-select")?);
    settings
        .ignore
        .extend(selectors(&rules.ignore, "--ignore")?);
    Ok(settings)
}

/// How one file is parsed and which settings group it is linted in.
struct FilePlan {
    parse: ParseSettings,
    /// The config that applies and the `[[overrides]]` of it that match.
    group: (Option<usize>, Vec<usize>),
}

/// The file's config, overrides and origin: `--origin`, else a `[[zone]]` entry of the
/// config, else the zone of `--named-conf` that names the file.
fn plan_file(
    path: &Path,
    configs: &mut Configs,
    mut parse: ParseSettings,
    named_origins: &HashMap<PathBuf, Name>,
) -> Result<FilePlan, RunError> {
    let absolute = absolute_path(path);
    let config = configs.for_file(&absolute)?;
    let loaded = config.and_then(|index| configs.get(index));
    if parse.origin.is_none() {
        parse.origin = loaded
            .and_then(|c| c.origin_for(&absolute))
            .or_else(|| named_origins.get(&absolute))
            .cloned();
    }
    let overrides = loaded
        .map(|c| c.overrides_for(&absolute))
        .unwrap_or_default();
    Ok(FilePlan {
        parse,
        group: (config, overrides),
    })
}

/// The distinct settings of the run, each with the files linted under it.
fn settings_groups(
    plans: &[FilePlan],
    configs: &Configs,
    rules: &RuleArgs,
) -> Result<Vec<(Settings, Vec<usize>)>, RunError> {
    let mut groups: BTreeMap<&(Option<usize>, Vec<usize>), Vec<usize>> = BTreeMap::new();
    for (index, plan) in plans.iter().enumerate() {
        groups.entry(&plan.group).or_default().push(index);
    }
    groups
        .into_iter()
        .map(|((config, overrides), files)| {
            let base = config
                .and_then(|index| configs.get(index))
                .map_or_else(Settings::default, |c| c.settings(overrides));
            Ok((rule_settings(rules, base)?, files))
        })
        .collect()
}

/// `path` made absolute and canonical, to match a config's globs; as it is when that
/// fails (the read that follows reports the problem).
fn absolute_path(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    })
}

/// Runs the rules over every parsed zone at once and merges each file's findings with its
/// parse diagnostics. Files under different settings (configs, `[[overrides]]`) are
/// linted in one pass per settings, each pass over all the zones (cross-zone rules still
/// see every zone), keeping the findings in that group's files. The zones' records are
/// freed before the last pass's findings are decoded: what follows (the report, and the
/// fix rounds, which parse the fixed text again) reads the sources only. Each state keeps
/// its record count. The findings are decoded with the `details` their readers use.
fn lint_together(
    mut parsed: Vec<Result<ParsedFile, RunError>>,
    groups: &[(Settings, Vec<usize>)],
    details: Details,
) -> Vec<FileState> {
    let mut by_file: Vec<Vec<Diagnostic>> = parsed.iter().map(|_| Vec::new()).collect();
    // The last group's findings, packed, when the records may go before they are decoded.
    let mut last = None;
    {
        let inputs: Vec<LintInput<'_>> = parsed
            .iter()
            .filter_map(|result| result.as_ref().ok())
            .map(|file| LintInput {
                zone: &file.zone,
                origin: file.origin.name.as_ref(),
            })
            .collect();
        for (at, (settings, members)) in groups.iter().enumerate() {
            let packed = zonelint_policy::lint::lint_packed(&inputs, settings);
            if at + 1 == groups.len() {
                last = Some((packed, members));
            } else {
                distribute(packed.unpack_with(details), members, &parsed, &mut by_file);
            }
        }
    }
    let records: Vec<usize> = parsed
        .iter()
        .map(|result| result.as_ref().map_or(0, |file| file.zone.len()))
        .collect();
    if let Some((packed, members)) = last {
        // Nothing reads the records from here (the report reads the sources): the
        // decoded findings take their room, not room of their own (about 150 MiB of
        // the 1M-record bench zone's records).
        for file in parsed.iter_mut().flatten() {
            file.zone.drop_records();
        }
        distribute(packed.unpack_with(details), members, &parsed, &mut by_file);
    }
    let mut settings_of: Vec<Option<&Settings>> = vec![None; parsed.len()];
    for (settings, members) in groups {
        for &index in members {
            if let Some(slot) = settings_of.get_mut(index) {
                *slot = Some(settings);
            }
        }
    }
    // Each file on the pool: its sort runs there on every core for a large file, and a
    // directory of thousands of small ones does not wake the pool from here for each.
    use rayon::prelude::*;
    parsed
        .into_par_iter()
        .zip(by_file)
        .zip(settings_of)
        .zip(records)
        .map(|(((result, mut found), settings), records)| match result {
            Ok(mut file) => {
                let mut diagnostics = std::mem::take(&mut file.diagnostics);
                if let Some(settings) = settings {
                    diagnostics.retain(|d| parse_diagnostic_selected(settings, d));
                }
                // The parse diagnostics are the few: they go in front of the findings,
                // which are not copied behind them.
                found.splice(0..0, diagnostics);
                render::sort_diagnostics(&file.zone, &mut found);
                FileState::Checked {
                    parsed: file,
                    diagnostics: found,
                    records,
                }
            }
            Err(error) => FileState::Failed(error),
        })
        .collect()
}

/// Hands a group's findings to the files of the group they point into (`members`, by
/// position in `parsed`); those of other files are not the group's to report.
fn distribute(
    mut found: Vec<Diagnostic>,
    members: &[usize],
    parsed: &[Result<ParsedFile, RunError>],
    by_file: &mut [Vec<Diagnostic>],
) {
    let mut member = vec![false; parsed.len()];
    for &index in members {
        if let Some(slot) = member.get_mut(index) {
            *slot = true;
        }
    }
    let in_group = |index: usize| member.get(index).copied().unwrap_or(false);
    // All in one file (the usual case): the list moves there whole, rather than
    // being copied one finding at a time beside itself.
    let first = found.first().and_then(|d| owning_file(parsed, d));
    if let Some(index) = first.filter(|&index| {
        in_group(index)
            && by_file.get(index).is_some_and(Vec::is_empty)
            && found.iter().all(|d| owning_file(parsed, d) == Some(index))
    }) {
        if let Some(list) = by_file.get_mut(index) {
            *list = std::mem::take(&mut found);
        }
    }
    for diagnostic in found {
        let Some(index) = owning_file(parsed, &diagnostic) else {
            continue;
        };
        if !in_group(index) {
            continue;
        }
        if let Some(list) = by_file.get_mut(index) {
            list.push(diagnostic);
        }
    }
}

/// What the fix rounds did: how many fixes, and each changed file's text before and after.
struct FixSummary {
    fixes: usize,
    /// The files that changed, sorted by name.
    changed: Vec<ChangedFile>,
}

/// A file's source name, its text as read and its text fixed.
type ChangedFile = (String, SharedBytes, SharedBytes);

/// Applies fixes in rounds (see [`crate::fix`]), re-parsing and re-linting every zone after
/// each, until none applies or [`MAX_ROUNDS`] have run. Nothing is written here.
fn fix_until_done(
    mut states: Vec<FileState>,
    files: &[PathBuf],
    plans: &[FilePlan],
    groups: &[(Settings, Vec<usize>)],
    threshold: Applicability,
) -> Result<(Vec<FileState>, FixSummary), RunError> {
    let mut overlay = Overlay::new();
    let mut originals: HashMap<String, SharedBytes> = HashMap::new();
    // Findings whose fix, once applied, left the finding in place: the fix is wrong (it
    // landed somewhere that does not mean what it should), so it is undone and never
    // applied again. Without this a bad fix would be applied every round, and every run.
    let mut refused: HashSet<FindingKey> = HashSet::new();
    let mut fixes = 0;
    let reparse = |overlay: &Overlay| -> Result<Vec<FileState>, RunError> {
        let mut parsed = Vec::with_capacity(files.len());
        for_each_in_order(
            files,
            |index, path| match plans.get(index) {
                Some(plan) => reparse_file(path, index, &plan.parse, overlay),
                None => Err(RunError::Internal("a file without a plan".to_owned())),
            },
            |result| {
                parsed.push(result);
                ControlFlow::Continue(())
            },
        )?;
        Ok(lint_together(parsed, groups, Details::ALL))
    };
    for _ in 0..MAX_ROUNDS {
        let mut round = Round::default();
        for state in &states {
            if let FileState::Checked {
                parsed,
                diagnostics,
                ..
            } = state
            {
                round.take(&parsed.zone.sources, diagnostics, threshold, &refused);
            }
        }
        if round.applied().is_empty() {
            break;
        }
        let text_of = |name: &str| source_text(&states, name);
        for name in round.files() {
            if !originals.contains_key(name) {
                if let Some(text) = text_of(name) {
                    originals.insert(name.clone(), text);
                }
            }
        }
        let before_round = overlay.clone();
        let fixable_before =
            fix::fixable_findings(states.iter().map(checked_diagnostics), round.applied());
        let applied = round.apply(&mut overlay, text_of);
        // The fixed texts are in the overlay: the last lint's zones and findings go before
        // the next lint makes its own (held together, they doubled the peak).
        drop(std::mem::take(&mut states));
        states = reparse(&overlay)?;
        let fixable_after = fix::fixable_findings(states.iter().map(checked_diagnostics), &applied);
        let verdict = fix::judge(&applied, &fixable_before, &fixable_after);
        for key in &verdict.refused {
            eprintln_quietly(&format!(
                "zonelint: warning: the fix for {} ({}) left it in place; it was undone \
                 and is not applied",
                key.0,
                if key.1.is_empty() { &key.2 } else { &key.1 }
            ));
        }
        fixes += verdict.kept;
        if !verdict.undo.is_empty() {
            for &source in &verdict.undo {
                match before_round.get(source) {
                    Some(text) => overlay.insert(source.to_owned(), text.clone()),
                    None => overlay.remove(source),
                };
            }
            drop(std::mem::take(&mut states));
            states = reparse(&overlay)?;
        }
        refused.extend(verdict.refused.into_iter().cloned());
    }
    let mut changed: Vec<_> = overlay
        .into_iter()
        .filter_map(|(name, after)| {
            let before = originals.get(&name)?;
            (before[..] != after[..]).then(|| (name, before.clone(), after))
        })
        .collect();
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((states, FixSummary { fixes, changed }))
}

/// The text of the source called `name` in any zone of the run.
fn source_text(states: &[FileState], name: &str) -> Option<SharedBytes> {
    states.iter().find_map(|state| match state {
        FileState::Checked { parsed, .. } => parsed
            .zone
            .sources
            .iter()
            .find(|(_, source)| source.name() == name)
            .map(|(_, source)| source.shared_text().clone()),
        FileState::Failed(_) => None,
    })
}

/// `--diff`: prints each changed file's diff and writes nothing. Exit 1 when there is
/// something to fix, as a check in CI expects.
fn write_diffs(
    mut out: Box<dyn Write>,
    summary: &FixSummary,
    quiet: bool,
) -> Result<Outcome, RunError> {
    let written = (|| {
        for (name, before, after) in &summary.changed {
            out.write_all(unified_diff(name, before, after).as_bytes())?;
        }
        out.flush()
    })();
    match written {
        Ok(()) => {}
        Err(error) if is_broken_pipe(&error) => return Ok(Outcome::Clean),
        Err(error) => return Err(RunError::Output(error)),
    }
    if !quiet {
        eprintln_quietly(&format!(
            "Would fix {} in {}.",
            render::count(summary.fixes, "problem"),
            render::count(summary.changed.len(), "file")
        ));
    }
    Ok(if summary.changed.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Errors
    })
}

/// `--fix`: writes each changed file. A file that cannot be written (read-only, changed
/// on disk meanwhile) is reported and fails the run; the others are still written.
/// Returns how many fixes were written and in how many files, and whether all were.
fn write_fixes(summary: &FixSummary) -> (usize, usize, bool) {
    let mut all_written = true;
    let mut files = 0;
    for (name, before, after) in &summary.changed {
        match write_atomically(Path::new(name), before, after) {
            Ok(()) => files += 1,
            Err(error) => {
                eprintln_quietly(&format!("zonelint: error: {error}"));
                all_written = false;
            }
        }
    }
    (summary.fixes, files, all_written)
}

/// Whether a parser diagnostic is reported under `settings`. Parse errors always are: the
/// record is not what the file says, whatever rules run. Parse warnings follow `select`,
/// `extend-select` and `ignore` like rules do (most specific selector wins, `ignore` wins
/// ties), so a known quirk of a file can be silenced.
pub fn parse_diagnostic_selected(settings: &Settings, diagnostic: &Diagnostic) -> bool {
    if diagnostic.severity == Severity::Error {
        return true;
    }
    let specificity = |selector: &Selector| {
        let text = selector.0.as_str();
        let code = diagnostic.code;
        if text.eq_ignore_ascii_case("ALL") {
            Some(0)
        } else if text.eq_ignore_ascii_case(code.code) || text.eq_ignore_ascii_case(code.slug) {
            Some(usize::MAX)
        } else {
            code.code
                .get(..text.len())
                .filter(|prefix| !text.is_empty() && prefix.eq_ignore_ascii_case(text))
                .map(|_| text.len())
        }
    };
    let best = |selectors: &[Selector]| selectors.iter().filter_map(specificity).max();
    let selected = best(&settings.select).max(best(&settings.extend_select));
    match (selected, best(&settings.ignore)) {
        (None, _) => false,
        (Some(selected), Some(ignored)) => selected > ignored,
        (Some(_), None) => true,
    }
}

/// The index of the file whose zone holds the source `diagnostic` points into. Each zone's
/// source ids start at `index << 16`, so that is tried first; a zone with more sources
/// than that (or a bug) falls back to asking every zone.
fn owning_file(parsed: &[Result<ParsedFile, RunError>], diagnostic: &Diagnostic) -> Option<usize> {
    let source = diagnostic.primary.source;
    let holds = |index: usize| {
        parsed
            .get(index)
            .and_then(|result| result.as_ref().ok())
            .is_some_and(|file| file.zone.sources.contains(source))
    };
    let guess = usize::try_from(source.0 >> 16).unwrap_or(usize::MAX);
    if holds(guess) {
        Some(guess)
    } else {
        (0..parsed.len()).find(|&index| holds(index))
    }
}

/// Per code: the code, how many diagnostics have it, and how many of those have a safe
/// fix (for `--statistics`).
type CodeCounts = BTreeMap<&'static str, (Code, usize, usize)>;

/// What the report counts of `diagnostics`: their severities and safe fixes
/// ([`Summary::of_diagnostic`], added up) and their [`CodeCounts`]. One pass on every
/// core: each diagnostic is read from memory, half a million of them on a large zone
/// (30 ms a pass on one core).
fn tally(diagnostics: &[Diagnostic]) -> (Summary, CodeCounts) {
    use rayon::prelude::*;
    let (summary, tally) = diagnostics
        .par_iter()
        .fold(
            || (Summary::default(), Tally::default()),
            |(mut summary, mut tally), diagnostic| {
                let one = Summary::of_diagnostic(diagnostic);
                summary.add(&one);
                tally.add(diagnostic.code.code, (*diagnostic.code, 1, one.fixable));
                (summary, tally)
            },
        )
        .reduce(
            || (Summary::default(), Tally::default()),
            |(mut summary, mut first), (other, second)| {
                summary.add(&other);
                for (name, counted) in second.0 {
                    first.add(name, counted);
                }
                (summary, first)
            },
        );
    let mut counts = CodeCounts::new();
    for (name, counted) in tally.0 {
        add_code_count(&mut counts, name, counted);
    }
    (summary, counts)
}

/// The per-code counts [`tally`] gathers on one core: a short list (a few dozen codes),
/// searched by the address of the code's text first, which every finding of one rule
/// shares, and only then by the text. (A `CodeCounts` searched by text for every finding
/// took 600 instructions a finding, a string compare at each step.)
#[derive(Default)]
struct Tally(Vec<(&'static str, (Code, usize, usize))>);

impl Tally {
    fn add(&mut self, name: &'static str, (code, count, fixable): (Code, usize, usize)) {
        let at = self
            .0
            .iter()
            .position(|(known, _)| std::ptr::eq(*known, name))
            .or_else(|| self.0.iter().position(|(known, _)| *known == name));
        match at.and_then(|at| self.0.get_mut(at)) {
            Some((_, (_, total, total_fixable))) => {
                *total += count;
                *total_fixable += fixable;
            }
            None => self.0.push((name, (code, count, fixable))),
        }
    }
}

/// Above this many diagnostics a file's report is rendered while it is written
/// ([`Rendered::Deferred`]); below, on the worker that renders the file.
const DEFER_ABOVE: usize = 4096;

/// Adds to `counts` `count` diagnostics with `code` (named `name`), `fixable` of them with
/// a safe fix.
fn add_code_count(
    counts: &mut CodeCounts,
    name: &'static str,
    (code, count, fixable): (Code, usize, usize),
) {
    let entry = counts.entry(name).or_insert((code, 0, 0));
    entry.1 += count;
    entry.2 += fixable;
}

/// Renders one file's diagnostics in `format`.
fn render_file<'a>(
    state: &'a FileState,
    format: Format,
    appearance: Appearance,
    statistics: bool,
    sarif_indexes: &sarif::RuleIndexes,
) -> Result<FileOutput<'a>, String> {
    let (parsed, diagnostics, records) = match state {
        FileState::Checked {
            parsed,
            diagnostics,
            records,
        } => (parsed, diagnostics, *records),
        FileState::Failed(error) => return Err(error.to_string()),
    };
    let (counted, codes) = tally(diagnostics);
    let summary = Summary::of_zone_counted(&parsed.zone, records, counted);
    let sources = &parsed.zone.sources;
    let rendered = if statistics {
        Rendered::Text(String::new())
    } else if diagnostics.len() > DEFER_ABOVE {
        Rendered::Deferred(parsed, diagnostics)
    } else {
        match format {
            Format::Full => Rendered::Text(full::render(sources, diagnostics, appearance)),
            Format::Concise => Rendered::Text(concise::render(sources, diagnostics)),
            Format::Github => Rendered::Text(github::render(sources, diagnostics)),
            Format::Junit => Rendered::Text(junit::render(
                sources
                    .iter()
                    .next()
                    .map_or("", |(_, source)| source.name()),
                sources,
                diagnostics,
            )),
            Format::Json | Format::JsonLines => Rendered::Json(json::convert(
                sources,
                parsed.origin.name.as_ref(),
                diagnostics,
            )),
            Format::Sarif => Rendered::Sarif(
                sarif::render_results(sources, sarif_indexes, diagnostics),
                diagnostics.len(),
            ),
        }
    };
    Ok(FileOutput {
        summary,
        codes,
        rendered,
    })
}

/// The report being written: each file's output as soon as the files before it are done.
struct Report<'i, W: Write> {
    out: W,
    format: Format,
    quiet: bool,
    statistics: bool,
    summary: Summary,
    appearance: Appearance,
    /// The `json` and `sarif` documents, written as the files come.
    json: json::DocumentWriter,
    sarif: sarif::DocumentWriter<'i>,
    /// JUnit's testcases and failed ones in the whole run (a file without findings has
    /// one passing case), and whether the document's start is written.
    junit_totals: (usize, usize),
    junit_started: bool,
    /// With `--fix`: fixes made, files written, and whether every write succeeded.
    fixed: Option<(usize, usize, bool)>,
    /// Per code: how many diagnostics, how many fixable.
    counts: CodeCounts,
    failed: bool,
}

impl<'i, W: Write> Report<'i, W> {
    /// A report in `format`; `sarif` and `junit_totals` (testcases and failed ones) are
    /// what the SARIF and JUnit documents need of the whole run before their first file.
    fn new(
        out: W,
        format: Format,
        appearance: Appearance,
        args: &CheckArgs,
        sarif: sarif::DocumentWriter<'i>,
        junit_totals: (usize, usize),
    ) -> Self {
        Self {
            out,
            format,
            appearance,
            quiet: args.quiet,
            statistics: args.statistics,
            summary: Summary::default(),
            json: json::DocumentWriter::default(),
            sarif,
            junit_totals,
            junit_started: false,
            counts: CodeCounts::new(),
            fixed: None,
            failed: false,
        }
    }

    /// Adds the next file's output. A file that could not be read is reported on stderr
    /// at once, in its place in the order, and fails the run once the others are reported.
    fn add(&mut self, result: Result<FileOutput<'_>, String>) -> io::Result<()> {
        match result {
            Ok(output) => {
                self.summary.add(&output.summary);
                for (name, counted) in output.codes {
                    add_code_count(&mut self.counts, name, counted);
                }
                match output.rendered {
                    Rendered::Text(text) if self.format == Format::Junit && !text.is_empty() => {
                        self.start_junit()?;
                        self.out.write_all(text.as_bytes())?;
                        self.out.flush()?;
                    }
                    Rendered::Text(text) if !text.is_empty() => {
                        self.out.write_all(text.as_bytes())?;
                        // Each file's findings show as soon as they are known.
                        self.out.flush()?;
                    }
                    Rendered::Text(_) => {}
                    Rendered::Json(values) if self.format == Format::JsonLines => {
                        json::write_lines(&mut self.out, &values)?;
                        self.out.flush()?;
                    }
                    Rendered::Json(values) => self.json.add(&mut self.out, &values)?,
                    Rendered::Deferred(parsed, diagnostics) => {
                        self.write_deferred(parsed, diagnostics)?;
                        self.out.flush()?;
                    }
                    Rendered::Sarif(text, count) => {
                        self.sarif.add_rendered(&mut self.out, &text?, count)?;
                        self.out.flush()?;
                    }
                }
            }
            Err(message) => {
                self.out.flush()?;
                eprintln_quietly(&format!("zonelint: error: {message}"));
                self.failed = true;
            }
        }
        Ok(())
    }

    /// Writes the summary (or the document) and says how the run ended.
    fn finish(mut self) -> io::Result<Outcome> {
        if let Some((fixes, files, all_written)) = self.fixed {
            self.failed |= !all_written;
            if !self.quiet && fixes > 0 {
                let line = format!(
                    "Fixed {} in {}.\n",
                    render::count(fixes, "problem"),
                    render::count(files, "file")
                );
                match self.format {
                    // Machine formats keep stdout to their document.
                    Format::Full | Format::Concise => self.out.write_all(line.as_bytes())?,
                    _ => eprintln_quietly(line.trim_end()),
                }
            }
        }
        if self.statistics {
            self.write_statistics()?;
        } else {
            match self.format {
                Format::Full | Format::Concise if !self.quiet => {
                    self.out
                        .write_all(full::summary_line(&self.summary).as_bytes())?;
                }
                Format::Full | Format::Concise | Format::Github | Format::JsonLines => {}
                Format::Json => {
                    std::mem::take(&mut self.json).finish(&mut self.out, &self.summary)?;
                }
                Format::Sarif => self.sarif.finish(&mut self.out)?,
                Format::Junit => {
                    self.start_junit()?;
                    self.out.write_all(junit::DOCUMENT_END.as_bytes())?;
                }
            }
        }
        self.out.flush()?;
        Ok(if self.failed {
            Outcome::Failed
        } else {
            self.summary.outcome()
        })
    }

    /// Renders and writes a file's many diagnostics a batch at a time.
    fn write_deferred(
        &mut self,
        parsed: &ParsedFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        let sources = &parsed.zone.sources;
        match self.format {
            Format::Full => full::write(&mut self.out, sources, diagnostics, self.appearance),
            Format::Concise => concise::write(&mut self.out, sources, diagnostics),
            Format::Github => github::write(&mut self.out, sources, diagnostics),
            Format::Json | Format::JsonLines => {
                use rayon::prelude::*;
                let zone = parsed.origin.name.as_ref();
                let json_lines = self.format == Format::JsonLines;
                for batch in diagnostics.chunks(render::DIAGNOSTICS_PER_BATCH) {
                    // Converted and serialised on every core, a task's share at a time,
                    // then written in order: the same bytes as one element after another.
                    let parts: Vec<io::Result<(Vec<u8>, usize)>> = batch
                        .par_chunks(render::DIAGNOSTICS_PER_TASK)
                        .map(|chunk| {
                            let values = json::convert_serial(sources, zone, chunk);
                            let mut text = Vec::with_capacity(chunk.len() * 1024);
                            if json_lines {
                                json::lines(&values, &mut text)?;
                            } else {
                                json::elements(&values, &mut text)?;
                            }
                            Ok((text, chunk.len()))
                        })
                        .collect();
                    for part in parts {
                        let (text, count) = part?;
                        if json_lines {
                            self.out.write_all(&text)?;
                        } else {
                            self.json.add_rendered(&mut self.out, &text, count)?;
                        }
                    }
                }
                Ok(())
            }
            Format::Sarif => {
                use rayon::prelude::*;
                for batch in diagnostics.chunks(render::DIAGNOSTICS_PER_BATCH) {
                    // Drawn on every core, a task's share at a time, then written in order.
                    let indexes = self.sarif.indexes();
                    let parts: Vec<(io::Result<Vec<u8>>, usize)> = batch
                        .par_chunks(render::DIAGNOSTICS_PER_TASK)
                        .map(|chunk| (sarif::render_results(sources, indexes, chunk), chunk.len()))
                        .collect();
                    for (text, count) in parts {
                        self.sarif.add_rendered(&mut self.out, &text?, count)?;
                    }
                }
                Ok(())
            }
            Format::Junit => {
                self.start_junit()?;
                let file = sources
                    .iter()
                    .next()
                    .map_or("", |(_, source)| source.name());
                self.out
                    .write_all(junit::suite_start(file, diagnostics.len()).as_bytes())?;
                render::write_in_batches(&mut self.out, diagnostics, |chunk| {
                    junit::testcases(sources, chunk)
                })?;
                self.out.write_all(junit::SUITE_END.as_bytes())
            }
        }
    }

    /// Writes the JUnit document's start, with the run's counts, unless it is written.
    fn start_junit(&mut self) -> io::Result<()> {
        if !self.junit_started {
            let (tests, failures) = self.junit_totals;
            self.out
                .write_all(junit::document_start(tests, failures).as_bytes())?;
            self.junit_started = true;
        }
        Ok(())
    }

    /// `--statistics`: one line per code, most frequent first.
    fn write_statistics(&mut self) -> io::Result<()> {
        let mut rows: Vec<_> = self.counts.values().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(b.0.code)));
        for (code, count, fixable) in rows {
            let marker = if *fixable > 0 { "[*]" } else { "   " };
            writeln!(
                self.out,
                "{count:>5}  {:<9} {marker} {}",
                code.code, code.slug
            )?;
        }
        if !self.quiet {
            self.out
                .write_all(full::summary_line(&self.summary).as_bytes())?;
        }
        Ok(())
    }
}

/// Applies `work` to every item (and its index) on the rayon pool's threads, and hands
/// the results to `sink` in item order, each as soon as every earlier one has been handed
/// over. When `sink` breaks, the workers stop taking items.
///
/// Files are independent, so each worker takes the next unclaimed index until none are left
/// (a shared counter is the whole queue); a large file delays only its own worker, and
/// the results that finish early wait in a small reorder buffer. The workers are tasks of
/// the pool, not threads of their own, so the work they do on every core (sorting and
/// drawing a large file's findings) runs on the pool from within it: from a thread of
/// its own, each such step had to wake the pool and wait for it, and a directory of
/// thousands of small zones spent more time so than drawing them.
fn for_each_in_order<'a, T: Sync, R: Send>(
    items: &'a [T],
    work: impl Fn(usize, &'a T) -> R + Sync,
    mut sink: impl FnMut(R) -> ControlFlow<()>,
) -> Result<(), RunError> {
    let workers = rayon::current_num_threads().min(items.len());
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
    let panicked = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, stop, panicked, work) = (&next, &stop, &panicked, &work);
            scope.spawn(move |_| {
                let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    while !stop.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        if sender.send((index, work(index, item))).is_err() {
                            break;
                        }
                    }
                }));
                if worked.is_err() {
                    panicked.store(true, Ordering::Relaxed);
                }
            });
        }
        // Only the workers hold senders now, so the loop ends when they all have (a
        // worker that panicked drops its sender as it unwinds).
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
    });
    if panicked.load(Ordering::Relaxed) {
        Err(RunError::Internal("a worker thread panicked".to_owned()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format draws the same report from findings decoded with only the details
    /// [`details_read`] says it reads; and leaving out what it says `json` and `sarif`
    /// read changes their reports (the findings here have owners and fixes with edits).
    #[test]
    fn each_format_reads_only_the_details_it_is_given() {
        use clap::ValueEnum;
        let text = "$ORIGIN example.net.\n$TTL 3600\n@ SOA ns1 host 1 7200 3600 1209600 3600\n\
                    @ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nmail A 192.0.2.3\n\
                    old TXT \"v=spf1 +all\"\n";
        let options = zonelint_zone::ParseOptions::default();
        let (zone, _) = zonelint_zone::parse(
            "z.zone",
            text.as_bytes().to_vec(),
            &options,
            &mut zonelint_zone::NoIncludes,
        );
        let all = zonelint_policy::lint(&[LintInput::new(&zone)], &Settings::default());
        let with_edits = |d: &&Diagnostic| d.fix.as_ref().is_some_and(|f| !f.edits.is_empty());
        assert!(all.iter().any(|d| d.owner.is_some()) && all.iter().any(|d| with_edits(&d)));
        let only = |details: Details| -> Vec<Diagnostic> {
            all.iter().cloned().map(|d| details.of(d)).collect()
        };
        let indexes = sarif::RuleIndexes::of(all.iter().map(|d| *d.code));
        let appearance = Appearance {
            color: false,
            width: 80,
            hyperlinks: false,
        };
        let sources = &zone.sources;
        let origin = zone.origin.as_ref();
        let report = |format: Format, found: &[Diagnostic]| -> String {
            match format {
                Format::Full => full::render(sources, found, appearance),
                Format::Concise => concise::render(sources, found),
                Format::Github => github::render(sources, found),
                Format::Junit => junit::render("z.zone", sources, found),
                Format::Json | Format::JsonLines => {
                    serde_json::to_string(&json::convert(sources, origin, found))
                        .unwrap_or_default()
                }
                Format::Sarif => String::from_utf8(
                    sarif::render_results(sources, &indexes, found).unwrap_or_default(),
                )
                .unwrap_or_default(),
            }
        };
        for &format in Format::value_variants() {
            let read = details_read(format, false);
            assert_eq!(
                report(format, &only(read)),
                report(format, &all),
                "{format:?}"
            );
            if read != Details::NONE {
                assert_ne!(
                    report(format, &only(Details::NONE)),
                    report(format, &all),
                    "{format:?}"
                );
            }
        }
        assert!(details_read(Format::Full, true).edits);
    }

    #[test]
    fn codes_are_counted_with_their_safe_fixes() {
        use zonelint_zone::{Applicability, Fix, Severity, Span};
        let code = |code| Code { code, slug: "slug" };
        let diagnostics: Vec<Diagnostic> = (0..10_000)
            .map(|i| {
                // Some of one code's texts at another address, as a code read
                // from elsewhere would be: counted with the others all the same.
                let cov001: &'static str = if i % 5 == 0 {
                    String::from("COV001").leak()
                } else {
                    "COV001"
                };
                let mut diagnostic = Diagnostic::new(
                    Box::leak(Box::new(code(if i % 3 == 0 { "SPF001" } else { cov001 }))),
                    Severity::Warning,
                    Span::default(),
                    String::new(),
                );
                if i % 4 == 0 {
                    diagnostic = diagnostic.with_fix(Fix {
                        applicability: if i % 8 == 0 {
                            Applicability::Safe
                        } else {
                            Applicability::Unsafe
                        },
                        message: String::new(),
                        edits: Vec::new(),
                    });
                }
                diagnostic
            })
            .collect();
        let (summary, counts) = tally(&diagnostics);
        let expect = |name: &str, filter: &dyn Fn(usize) -> bool| {
            let count = (0..10_000).filter(|&i| filter(i)).count();
            let safe = (0..10_000).filter(|&i| filter(i) && i % 8 == 0).count();
            assert_eq!(
                counts.get(name).map(|&(_, n, s)| (n, s)),
                Some((count, safe)),
                "{name}"
            );
        };
        expect("SPF001", &|i| i % 3 == 0);
        expect("COV001", &|i| i % 3 != 0);
        assert_eq!(counts.len(), 2);
        assert_eq!(
            (summary.warnings, summary.fixable, summary.errors),
            (10_000, (0..10_000).filter(|i| i % 8 == 0).count(), 0)
        );
        assert!(tally(&[]).1.is_empty());
    }

    #[test]
    fn now_comes_from_the_option_or_else_the_clock() {
        let given = RuleArgs {
            now: Some(1_767_225_600),
            ..RuleArgs::default()
        };
        let settings = rule_settings(&given, Settings::default()).unwrap();
        assert_eq!(settings.now, Some(1_767_225_600));
        let before = system_now().unwrap();
        let settings = rule_settings(&RuleArgs::default(), Settings::default()).unwrap();
        let now = settings.now.unwrap();
        assert!(now >= before && now <= system_now().unwrap());
    }

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

    #[test]
    fn a_panicking_worker_is_an_internal_error() {
        let items: Vec<u32> = (0..64).collect();
        let mut seen = 0;
        let outcome = for_each_in_order(
            &items,
            |_, &n| {
                assert!(n != 40, "item 40 fails");
                n
            },
            |_| {
                seen += 1;
                ControlFlow::Continue(())
            },
        );
        assert!(matches!(outcome, Err(RunError::Internal(_))), "{outcome:?}");
        // Every item before the one that failed was handed over, and none after it.
        assert_eq!(seen, 40);
    }
}
