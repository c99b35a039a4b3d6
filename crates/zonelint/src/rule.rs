//! `zonelint rule`: a rule's documentation, from its metadata (the one source the docs,
//! SARIF and this command share), as text or JSON.

use crate::cli::{RuleCommandArgs, RuleFormat};
use crate::error::{Outcome, RunError};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use zonelint_policy::rules::{registry, FixAvailability};
use zonelint_policy::{Level, RuleMeta};

/// Runs `zonelint rule`.
pub fn run(args: &RuleCommandArgs) -> Result<Outcome, RunError> {
    let metas: Vec<&RuleMeta> = match (&args.rule, args.all) {
        (Some(name), _) => match registry::find(name) {
            Some(rule) => vec![rule.meta()],
            None => {
                return Err(RunError::Usage(format!(
                    "`{name}` is not a rule code or slug (`zonelint rule --all` lists them)"
                )))
            }
        },
        (None, true) => registry::rules().iter().map(|rule| rule.meta()).collect(),
        (None, false) => {
            return Err(RunError::Usage(
                "name a rule (`zonelint rule SPF001`) or pass --all".to_owned(),
            ))
        }
    };
    let text = match args.format {
        RuleFormat::Text => metas
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
