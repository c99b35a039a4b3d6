//! `zonelint rule`: a rule's documentation, from its metadata (the one source the docs,
//! SARIF and this command share), as text or JSON.

use crate::cli::{RuleCommandArgs, RuleFormat};
use crate::error::{Outcome, RunError};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use zonelint_policy::rules::{registry, FixAvailability};
use zonelint_policy::{Level, RuleMeta};

/// Runs `zonelint rule`.
pub fn run(args: &RuleCommandArgs) -> Result<Outcome, RunError> {
    let metas: Vec<&RuleMeta> = match (&args.rule, args.all) {
        (Some(name), _) => match registry::find_page(name) {
            Some(meta) => vec![meta],
            None => {
                return Err(RunError::Usage(format!(
                    "`{name}` is not a rule code or slug (`zonelint rule --all` lists them)"
                )))
            }
        },
        (None, true) => registry::pages().collect(),
        (None, false) => {
            return Err(RunError::Usage(
                "name a rule (`zonelint rule SPF001`) or pass --all".to_owned(),
            ))
        }
    };
    if let Some(directory) = &args.output {
        let with_table = args.all && args.rule.is_none();
        std::fs::create_dir_all(directory).map_err(|error| RunError::io(directory, &error))?;
        for (path, contents) in documentation_files(directory, &metas, with_table) {
            std::fs::write(&path, contents).map_err(|error| RunError::io(&path, &error))?;
        }
        return Ok(Outcome::Clean);
    }
    let text = match args.format {
        // The text is the Markdown page: one source, printed or written to docs/.
        RuleFormat::Text | RuleFormat::Markdown => metas
            .iter()
            .map(|meta| text(meta))
            .collect::<Vec<_>>()
            .join("\n"),
        RuleFormat::Json => {
            let docs: Vec<RuleJson<'_>> = metas.iter().map(|meta| RuleJson::new(meta)).collect();
            let json = if args.all && args.rule.is_none() {
                serde_json::to_string_pretty(&docs)
            } else {
                serde_json::to_string_pretty(&docs.first())
            };
            let mut json = json.map_err(|error| RunError::Internal(error.to_string()))?;
            json.push('\n');
            json
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(RunError::Output)?;
    Ok(Outcome::Clean)
}

/// The documentation files of `metas` for the directory `directory`: one page per rule
/// (`DIR/SLUG.md`, the text `zonelint rule SLUG` prints) and, with `with_table`, the table
/// of them all as `DIR.md`. Paths are `directory` joined, contents complete.
#[must_use]
pub fn documentation_files(
    directory: &Path,
    metas: &[&RuleMeta],
    with_table: bool,
) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = metas
        .iter()
        .map(|meta| (directory.join(format!("{}.md", meta.code.slug)), text(meta)))
        .collect();
    if with_table {
        let link_base = directory
            .file_name()
            .map_or_else(|| "rules".into(), |name| name.to_string_lossy());
        files.push((directory.with_extension("md"), table(&link_base, metas)));
    }
    files
}

/// The table of every rule: code, slug, levels, fix and summary, each code linking to
/// its page under `link_base/`.
fn table(link_base: &str, metas: &[&RuleMeta]) -> String {
    let mut out = String::from(
        "# Rules\n\n\
         Every rule zonelint has, generated from the rules' metadata by \
         `zonelint rule --all --output docs/rules` (do not edit by hand: a test fails when this \
         file or a page under `rules/` is stale). `zonelint rule CODE` prints the same page as \
         the link.\n\n\
         The default profile runs every rule at its default level; `--strict` (or `strict = \
         true`) uses the strict level. Fix: `safe` fixes are applied by `--fix`, `unsafe` ones \
         only with `--unsafe-fixes`. The `PARSE` codes are the parser's: they are reported \
         while a file is read, in every profile, and cannot be ignored or suppressed (a record \
         that does not parse cannot be checked).\n\n\
         | Code | Rule | Default | Strict | Fix | Summary |\n\
         |---|---|---|---|---|---|\n",
    );
    for meta in metas {
        let fix = match meta.fix {
            FixAvailability::None => "none",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
            FixAvailability::Sometimes => "safe or unsafe",
        };
        let _ = writeln!(
            out,
            "| [{code}]({link_base}/{slug}.md) | `{slug}` | {default} | {strict} | {fix} | {summary} |",
            code = meta.code.code,
            slug = meta.code.slug,
            default = meta.default.as_str(),
            strict = meta.strict.as_str(),
            summary = meta.summary.replace('|', "\\|"),
        );
    }
    out
}

const fn fix_name(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "none",
        FixAvailability::Safe => "safe",
        FixAvailability::Unsafe => "unsafe",
        FixAvailability::Sometimes => "sometimes safe, sometimes unsafe",
    }
}

/// The page of one rule, in the sections every rule has.
fn text(meta: &RuleMeta) -> String {
    let doc = &meta.doc;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {}: {}\n",
        meta.code.code, meta.code.slug, meta.summary
    );
    let _ = writeln!(
        out,
        "Default level: {}. Strict level: {}. Fix: {}.\n",
        meta.default.as_str(),
        meta.strict.as_str(),
        fix_name(meta.fix)
    );
    let _ = writeln!(out, "## What it does\n\n{}\n", doc.what.trim());
    let _ = writeln!(out, "## Why it matters\n\n{}\n", doc.why.trim());
    // A code whose inputs are too large to show (PARSE012) has no example.
    if !doc.example.is_empty() {
        let _ = writeln!(
            out,
            "## Example\n\n```zone\n{}\n```\n",
            doc.example.trim_end()
        );
        let _ = writeln!(
            out,
            "## Use instead\n\n```zone\n{}\n```\n",
            doc.use_instead.trim_end()
        );
    }
    let _ = writeln!(out, "## Fix safety\n\n{}\n", doc.fix_safety.trim());
    out.push_str("## References\n\n");
    for reference in doc.references {
        let _ = writeln!(out, "- {reference}");
    }
    let _ = writeln!(out, "\n{}", crate::render::rule_url(meta.code));
    out
}

/// A rule's documentation as JSON (serialisation only; the model is `RuleMeta`).
#[derive(Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    slug: &'a str,
    summary: &'a str,
    default_level: &'a str,
    strict_level: &'a str,
    fix: &'a str,
    what: &'a str,
    why: &'a str,
    example: &'a str,
    use_instead: &'a str,
    fix_safety: &'a str,
    references: &'a [&'a str],
    url: String,
}

impl<'a> RuleJson<'a> {
    fn new(meta: &'a RuleMeta) -> Self {
        Self {
            code: meta.code.code,
            slug: meta.code.slug,
            summary: meta.summary,
            default_level: level(meta.default),
            strict_level: level(meta.strict),
            fix: match meta.fix {
                FixAvailability::None => "none",
                FixAvailability::Safe => "safe",
                FixAvailability::Unsafe => "unsafe",
                FixAvailability::Sometimes => "sometimes",
            },
            what: meta.doc.what,
            why: meta.doc.why,
            example: meta.doc.example,
            use_instead: meta.doc.use_instead,
            fix_safety: meta.doc.fix_safety,
            references: meta.doc.references,
            url: crate::render::rule_url(meta.code),
        }
    }
}

const fn level(level: Level) -> &'static str {
    level.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/rules/ and docs/rules.md are generated; this fails when a committed file is
    /// stale, and rewrites them all with `UPDATE_DOCS=1`.
    #[test]
    fn committed_rule_documentation_is_up_to_date() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
        let directory = docs.join("rules");
        let metas: Vec<&RuleMeta> = registry::pages().collect();
        let files = documentation_files(&directory, &metas, true);
        let update = std::env::var_os("UPDATE_DOCS").is_some();
        if update {
            std::fs::create_dir_all(&directory).unwrap();
        }
        let mut stale = Vec::new();
        for (path, contents) in &files {
            if std::fs::read_to_string(path).ok().as_deref() != Some(contents.as_str()) {
                if update {
                    std::fs::write(path, contents).unwrap();
                } else {
                    stale.push(
                        path.strip_prefix(&docs)
                            .unwrap_or(path)
                            .display()
                            .to_string(),
                    );
                }
            }
        }
        for entry in std::fs::read_dir(&directory)
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            if !files.iter().any(|(generated, _)| *generated == path) {
                stale.push(format!("{} (no such rule: delete it)", path.display()));
            }
        }
        assert!(
            stale.is_empty(),
            "stale rule documentation: {stale:?}\nregenerate it with \
             `cargo run -p zonelint -- rule --all --output docs/rules` \
             or `UPDATE_DOCS=1 cargo test -p zonelint`"
        );
    }

    #[test]
    fn the_table_escapes_pipes_and_links_each_page() {
        let metas: Vec<&RuleMeta> = registry::pages().collect();
        let table = table("rules", &metas);
        let rows = table.lines().filter(|line| line.starts_with("| [")).count();
        assert_eq!(rows, metas.len());
        for line in table.lines().filter(|line| line.starts_with("| [")) {
            assert_eq!(line.matches(" | ").count(), 5, "{line}");
        }
    }
}
