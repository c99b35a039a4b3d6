//! `zonelint.toml`: text in, a [`Config`] (and from it [`Settings`]) out, or errors with
//! the exact span of the key or value that is wrong.
//!
//! This module does no I/O: the binary finds the files (walking up from each linted file),
//! follows `extend` and renders the errors. A config file is one more source of
//! diagnostics, so its errors are [`Diagnostic`]s of their own code, [`CONFIG_INVALID`].

use crate::rules::registry;
use crate::settings::Selector;
use zonelint_zone::diagnostic::codes;

/// The rule families, in the order rules.md lists them.
pub const FAMILIES: &[&str] = &[
    "PARSE", "ZONE", "SPF", "DMARC", "DKIM", "MX", "MTA", "BIMI", "COV", "LINT",
];

/// Whether `selector` names at least one rule or parser code: `ALL`, a code, a slug or a
/// prefix of a code (`SPF`, `DMARC0`). Anything else is a typo, reported rather than
/// silently selecting nothing.
#[must_use]
pub fn is_known_selector(selector: &Selector) -> bool {
    let text = selector.0.as_str();
    if text.eq_ignore_ascii_case("ALL") {
        return true;
    }
    // A family, or a family with part of a number (`SPF`, `DMARC0`), is a valid selector
    // even while no rule of it exists yet; a whole code must name a rule.
    let family_end = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    let (family, digits) = text.split_at(family_end);
    if FAMILIES.iter().any(|f| f.eq_ignore_ascii_case(family))
        && digits.len() < 3
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return true;
    }
    let metas: Vec<_> = registry::rules().iter().map(|rule| rule.meta()).collect();
    selector.matches_any(&metas)
        || codes::ALL.iter().any(|code| {
            code.slug.eq_ignore_ascii_case(text)
                || code
                    .code
                    .get(..text.len())
                    .is_some_and(|prefix| !text.is_empty() && prefix.eq_ignore_ascii_case(text))
        })
}

use crate::rules::Level;
use crate::settings::{DmarcDiscovery, Settings};
use std::ops::Range;
use toml_edit::{TableLike, Value};
use zonelint_zone::ttl::parse_ttl_value;
use zonelint_zone::{Code, Diagnostic, Name, Severity, SourceId, Span};

/// The code of every problem in a configuration file.
pub const CONFIG_INVALID: Code = Code {
    code: "CONFIG001",
    slug: "config-invalid",
};

/// A value with the span (bytes of the config file) it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// One `[[zone]]` entry: a file whose origin cannot be inferred.
#[derive(Clone, Debug)]
pub struct ZoneEntry {
    /// The file, relative to the config file's directory.
    pub file: Spanned<String>,
    /// Its origin.
    pub origin: Name,
}

/// One `[[overrides]]` entry: rule selection for the files its globs match.
#[derive(Clone, Debug, Default)]
pub struct Override {
    /// Globs, relative to the config file's directory.
    pub files: Vec<Spanned<String>>,
    /// Replaces the selection for these files.
    pub select: Option<Vec<Selector>>,
    /// Added to the selection.
    pub extend_select: Vec<Selector>,
    /// Added to the ignored rules.
    pub ignore: Vec<Selector>,
    /// Per-rule levels for these files.
    pub severity: Vec<(Selector, Level)>,
}

/// What one `zonelint.toml` says. Every key is optional; `None` means "not said here", so
/// that a file that `extend`s another keeps the other's value.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `strict`.
    pub strict: Option<bool>,
    /// `select`.
    pub select: Option<Vec<Selector>>,
    /// `extend-select`.
    pub extend_select: Vec<Selector>,
    /// `ignore`.
    pub ignore: Option<Vec<Selector>>,
    /// `include`: globs of more files to lint.
    pub include: Option<Vec<Spanned<String>>>,
    /// `exclude`: globs of files not to lint.
    pub exclude: Option<Vec<Spanned<String>>>,
    /// `senders`.
    pub senders: Option<Vec<Name>>,
    /// `org-domains`.
    pub org_domains: Option<Vec<Name>>,
    /// `parent-dmarc`.
    pub parent_dmarc: Option<String>,
    /// `spf-snapshot`: a path relative to the config file.
    pub spf_snapshot: Option<Spanned<String>>,
    /// `max-ttl`, in seconds.
    pub max_ttl: Option<u32>,
    /// `dmarc-discovery`.
    pub dmarc_discovery: Option<DmarcDiscovery>,
    /// `[severity]`.
    pub severity: Vec<(Selector, Level)>,
    /// `[[zone]]`.
    pub zones: Vec<ZoneEntry>,
    /// `[[overrides]]`.
    pub overrides: Vec<Override>,
    /// `extend`: the path of the config this one inherits from.
    pub extend: Option<Spanned<String>>,
}

impl Config {
    /// Reads a config file's text (`source` is the id its spans get). Like the zone parser
    /// it never fails: it returns what it could read and every problem, each with the span
    /// of the key or value at fault. A file with problems must not be used (exit 2).
    #[must_use]
    pub fn parse(text: &str, source: SourceId) -> (Config, Vec<Diagnostic>) {
        let mut reader = Reader {
            source,
            problems: Vec::new(),
        };
        let mut config = Config::default();
        match toml_edit::Document::parse(text) {
            Ok(document) => reader.read_root(document.as_table(), &mut config),
            Err(error) => {
                let span = reader.span(error.span());
                reader.problems.push(
                    Diagnostic::new(
                        &CONFIG_INVALID,
                        Severity::Error,
                        span,
                        format!("not valid TOML: {}", error.message().trim_end()),
                    )
                    .with_help("See https://toml.io for the syntax"),
                );
            }
        }
        (config, reader.problems)
    }

    /// This config on top of `parent` (the one it `extend`s): what this one says wins;
    /// `extend-select`, `[severity]`, `[[zone]]` and `[[overrides]]` add to the parent's.
    #[must_use]
    pub fn inherit(self, parent: Config) -> Config {
        let mut severity = parent.severity;
        severity.extend(self.severity);
        let mut extend_select = parent.extend_select;
        extend_select.extend(self.extend_select);
        let mut zones = parent.zones;
        zones.extend(self.zones);
        let mut overrides = parent.overrides;
        overrides.extend(self.overrides);
        Config {
            strict: self.strict.or(parent.strict),
            select: self.select.or(parent.select),
            extend_select,
            ignore: self.ignore.or(parent.ignore),
            include: self.include.or(parent.include),
            exclude: self.exclude.or(parent.exclude),
            senders: self.senders.or(parent.senders),
            org_domains: self.org_domains.or(parent.org_domains),
            parent_dmarc: self.parent_dmarc.or(parent.parent_dmarc),
            spf_snapshot: self.spf_snapshot.or(parent.spf_snapshot),
            max_ttl: self.max_ttl.or(parent.max_ttl),
            dmarc_discovery: self.dmarc_discovery.or(parent.dmarc_discovery),
            severity,
            zones,
            overrides,
            extend: self.extend,
        }
    }

    /// The settings this config gives, with the `[[overrides]]` at `applied` (indexes into
    /// [`Config::overrides`], in order) on top.
    #[must_use]
    pub fn settings(&self, applied: &[usize]) -> Settings {
        let mut settings = Settings::default();
        if let Some(strict) = self.strict {
            settings.strict = strict;
        }
        if let Some(select) = &self.select {
            settings.select.clone_from(select);
        }
        settings.extend_select.clone_from(&self.extend_select);
        if let Some(ignore) = &self.ignore {
            settings.ignore.clone_from(ignore);
        }
        settings.severity.clone_from(&self.severity);
        settings.senders.clone_from(&self.senders);
        if let Some(org_domains) = &self.org_domains {
            settings.org_domains.clone_from(org_domains);
        }
        settings.parent_dmarc.clone_from(&self.parent_dmarc);
        settings.max_ttl = self.max_ttl;
        if let Some(discovery) = self.dmarc_discovery {
            settings.dmarc_discovery = discovery;
        }
        for entry in applied.iter().filter_map(|&i| self.overrides.get(i)) {
            if let Some(select) = &entry.select {
                settings.select.clone_from(select);
            }
            settings
                .extend_select
                .extend(entry.extend_select.iter().cloned());
            settings.ignore.extend(entry.ignore.iter().cloned());
            settings.severity.extend(entry.severity.iter().cloned());
        }
        settings
    }
}

/// Reads the document, collecting problems.
struct Reader {
    source: SourceId,
    problems: Vec<Diagnostic>,
}

const TOP_KEYS: &[&str] = &[
    "strict",
    "select",
    "ignore",
    "extend-select",
    "include",
    "exclude",
    "senders",
    "org-domains",
    "parent-dmarc",
    "spf-snapshot",
    "max-ttl",
    "dmarc-discovery",
    "severity",
    "zone",
    "overrides",
    "extend",
];
const ZONE_KEYS: &[&str] = &["file", "origin"];
const OVERRIDE_KEYS: &[&str] = &["files", "select", "extend-select", "ignore", "severity"];

impl Reader {
    fn span(&self, range: Option<Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        let start = u32::try_from(range.start).unwrap_or(u32::MAX);
        let end = u32::try_from(range.end).unwrap_or(u32::MAX);
        Span::new(self.source, start, end.max(start))
    }

    fn problem(&mut self, range: Option<Range<usize>>, message: String, help: Option<String>) {
        let span = self.span(range);
        let mut diagnostic = Diagnostic::new(&CONFIG_INVALID, Severity::Error, span, message);
        diagnostic.help = help;
        self.problems.push(diagnostic);
    }

    /// Reports every key of `table` not in `known`, at the key.
    fn unknown_keys(&mut self, table: &dyn TableLike, known: &[&str], place: &str) {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let span = table.get_key_value(key).and_then(|(k, _)| k.span());
            let close = known.iter().find(|candidate| similar_key(key, candidate));
            let help = match close {
                Some(candidate) => format!("Did you mean `{candidate}`?"),
                None => format!("Known keys {place}: {}", known.join(", ")),
            };
            self.problem(span, format!("unknown key `{key}` {place}"), Some(help));
        }
    }

    fn read_root(&mut self, root: &dyn TableLike, config: &mut Config) {
        self.unknown_keys(root, TOP_KEYS, "in zonelint.toml");
        config.strict = self.bool(root, "strict");
        config.select = self.selectors(root, "select");
        config.extend_select = self.selectors(root, "extend-select").unwrap_or_default();
        config.ignore = self.selectors(root, "ignore");
        config.include = self.strings(root, "include");
        config.exclude = self.strings(root, "exclude");
        config.senders = self.names(root, "senders");
        config.org_domains = self.names(root, "org-domains");
        config.parent_dmarc = self.string(root, "parent-dmarc").map(|s| s.value);
        config.spf_snapshot = self.string(root, "spf-snapshot");
        config.extend = self.string(root, "extend");
        config.max_ttl = self.ttl(root, "max-ttl");
        if let Some(discovery) = self.string(root, "dmarc-discovery") {
            config.dmarc_discovery = match discovery.value.as_str() {
                "rfc7489" => Some(DmarcDiscovery::Rfc7489),
                "rfc9989" => Some(DmarcDiscovery::Rfc9989),
                "both" => Some(DmarcDiscovery::Both),
                other => {
                    self.problems.push(
                        Diagnostic::new(
                            &CONFIG_INVALID,
                            Severity::Error,
                            discovery.span,
                            format!("`{other}` is not a DMARC discovery method"),
                        )
                        .with_help("Use \"rfc7489\", \"rfc9989\" or \"both\""),
                    );
                    None
                }
            };
        }
        config.severity = self.severity(root);
        for table in self.tables(root, "zone") {
            self.unknown_keys(table, ZONE_KEYS, "in a [[zone]] entry");
            let file = self.string(table, "file");
            let origin = self
                .names_of(table, "origin", true)
                .and_then(|mut names| names.pop());
            for missing in ["file", "origin"] {
                if table.get(missing).is_none() {
                    // At the entry's first key: a table of arrays has no span of its own.
                    let span = table
                        .iter()
                        .next()
                        .and_then(|(key, _)| table.get_key_value(key))
                        .and_then(|(key, _)| key.span());
                    self.problem(
                        span,
                        format!("a [[zone]] entry needs `{missing}`"),
                        Some(
                            "Write `file = \"db.internal\"` and `origin = \"internal.example.com.\"`"
                                .to_owned(),
                        ),
                    );
                }
            }
            if let (Some(file), Some(origin)) = (file, origin) {
                config.zones.push(ZoneEntry { file, origin });
            }
        }
        for table in self.tables(root, "overrides") {
            self.unknown_keys(table, OVERRIDE_KEYS, "in an [[overrides]] entry");
            let entry = Override {
                files: self.strings(table, "files").unwrap_or_default(),
                select: self.selectors(table, "select"),
                extend_select: self.selectors(table, "extend-select").unwrap_or_default(),
                ignore: self.selectors(table, "ignore").unwrap_or_default(),
                severity: self.severity(table),
            };
            if entry.files.is_empty() {
                let span = root.get_key_value("overrides").and_then(|(k, _)| k.span());
                self.problem(
                    span,
                    "an [[overrides]] entry needs `files`, the globs it applies to".to_owned(),
                    Some("Write `files = [\"legacy/*.zone\"]`".to_owned()),
                );
            }
            config.overrides.push(entry);
        }
    }

    /// The value at `key`, reporting a wrong type at the value.
    fn value<'t>(
        &mut self,
        table: &'t dyn TableLike,
        key: &str,
        expected: &str,
    ) -> Option<&'t Value> {
        let item = table.get(key)?;
        match item.as_value() {
            Some(value) => Some(value),
            None => {
                self.problem(
                    item.span(),
                    format!("`{key}` must be {expected}, not a {}", item.type_name()),
                    None,
                );
                None
            }
        }
    }

    fn wrong_type(&mut self, key: &str, value: &Value, expected: &str) {
        self.problem(
            value.span(),
            format!(
                "`{key}` must be {expected}, not {}",
                article(value.type_name())
            ),
            None,
        );
    }

    fn bool(&mut self, table: &dyn TableLike, key: &str) -> Option<bool> {
        let value = self.value(table, key, "true or false")?;
        let result = value.as_bool();
        if result.is_none() {
            self.wrong_type(key, value, "true or false");
        }
        result
    }

    fn string(&mut self, table: &dyn TableLike, key: &str) -> Option<Spanned<String>> {
        let value = self.value(table, key, "a string")?;
        match value.as_str() {
            Some(text) => Some(Spanned {
                value: text.to_owned(),
                span: self.span(value.span()),
            }),
            None => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// An array of strings (a single string is accepted as a one-element array).
    fn strings(&mut self, table: &dyn TableLike, key: &str) -> Option<Vec<Spanned<String>>> {
        let value = self.value(table, key, "an array of strings")?;
        if let Some(text) = value.as_str() {
            return Some(vec![Spanned {
                value: text.to_owned(),
                span: self.span(value.span()),
            }]);
        }
        let Some(array) = value.as_array() else {
            self.wrong_type(key, value, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for element in array {
            match element.as_str() {
                Some(text) => out.push(Spanned {
                    value: text.to_owned(),
                    span: self.span(element.span()),
                }),
                None => self.wrong_type(key, element, "an array of strings"),
            }
        }
        Some(out)
    }

    fn selectors(&mut self, table: &dyn TableLike, key: &str) -> Option<Vec<Selector>> {
        let strings = self.strings(table, key)?;
        let mut out = Vec::new();
        for text in strings {
            let selector = Selector(text.value.trim().to_owned());
            if is_known_selector(&selector) {
                out.push(selector);
            } else {
                self.problems.push(
                    Diagnostic::new(
                        &CONFIG_INVALID,
                        Severity::Error,
                        text.span,
                        format!(
                            "`{}` in `{key}` is not a rule code, slug or code prefix",
                            text.value
                        ),
                    )
                    .with_help("`zonelint rule --all` lists the rules; `ALL` selects every one"),
                );
            }
        }
        Some(out)
    }

    fn names(&mut self, table: &dyn TableLike, key: &str) -> Option<Vec<Name>> {
        self.names_of(table, key, false)
    }

    /// Domain names; a missing final dot is implied (there is no origin to complete them).
    fn names_of(&mut self, table: &dyn TableLike, key: &str, single: bool) -> Option<Vec<Name>> {
        let strings = if single {
            self.string(table, key).map(|s| vec![s])
        } else {
            self.strings(table, key)
        }?;
        let mut out = Vec::new();
        for text in strings {
            match Name::parse(text.value.as_bytes(), Some(&Name::root())) {
                Ok(name) => out.push(name),
                Err(error) => self.problems.push(Diagnostic::new(
                    &CONFIG_INVALID,
                    Severity::Error,
                    text.span,
                    format!(
                        "`{}` in `{key}` is not a valid domain name: {error}",
                        text.value
                    ),
                )),
            }
        }
        Some(out)
    }

    /// A TTL: seconds as an integer, or a string in BIND's units (`"1w"`, `"1h30m"`).
    fn ttl(&mut self, table: &dyn TableLike, key: &str) -> Option<u32> {
        let value = self.value(table, key, "a TTL")?;
        let parsed = match (value.as_integer(), value.as_str()) {
            (Some(seconds), _) => u32::try_from(seconds).ok().filter(|s| *s <= 0x7FFF_FFFF),
            (None, Some(text)) => parse_ttl_value(text.as_bytes()).ok(),
            (None, None) => None,
        };
        if parsed.is_none() {
            self.problem(
                value.span(),
                format!("`{key}` must be a TTL between 0 and 2147483647 seconds"),
                Some("Write seconds (`604800`) or BIND units (`\"1w\"`, `\"1h30m\"`)".to_owned()),
            );
        }
        parsed
    }

    /// `[severity]`: code or slug → level.
    fn severity(&mut self, table: &dyn TableLike) -> Vec<(Selector, Level)> {
        let Some(item) = table.get("severity") else {
            return Vec::new();
        };
        let Some(levels) = item.as_table_like() else {
            self.problem(
                item.span(),
                format!(
                    "`severity` must be a table, not {}",
                    article(item.type_name())
                ),
                Some("Write `[severity]` and then `SPF003 = \"error\"` lines".to_owned()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in levels.iter() {
            let selector = Selector(key.to_owned());
            if !is_known_selector(&selector) {
                let span = levels.get_key_value(key).and_then(|(k, _)| k.span());
                self.problem(
                    span,
                    format!("`{key}` in [severity] is not a rule code, slug or code prefix"),
                    Some("`zonelint rule --all` lists the rules".to_owned()),
                );
                continue;
            }
            match value.as_str().and_then(Level::from_name) {
                Some(level) => out.push((selector, level)),
                None => self.problem(
                    value.span(),
                    format!(
                        "the level of `{key}` must be \"error\", \"warning\", \"info\" or \"off\""
                    ),
                    None,
                ),
            }
        }
        out
    }

    /// `[[key]]` tables (or an array of inline tables).
    fn tables<'t>(&mut self, table: &'t dyn TableLike, key: &str) -> Vec<&'t dyn TableLike> {
        let Some(item) = table.get(key) else {
            return Vec::new();
        };
        if let Some(array) = item.as_array_of_tables() {
            return array.iter().map(|t| t as &dyn TableLike).collect();
        }
        if let Some(array) = item.as_array() {
            let mut out = Vec::new();
            for value in array {
                match value.as_inline_table() {
                    Some(t) => out.push(t as &dyn TableLike),
                    None => self.wrong_type(key, value, "a table"),
                }
            }
            return out;
        }
        self.problem(
            item.span(),
            format!("`{key}` must be written as [[{key}]] tables"),
            None,
        );
        Vec::new()
    }
}

/// "an array", "a string".
fn article(type_name: &str) -> String {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {type_name}")
    } else {
        format!("a {type_name}")
    }
}

/// Whether `typed` is probably a misspelling of `known`: the same ignoring case, `_` for
/// `-`, or one edit apart.
fn similar_key(typed: &str, known: &str) -> bool {
    let typed = typed.to_ascii_lowercase().replace('_', "-");
    if typed == known {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), known.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != cb);
            let (Some(&left), Some(&up)) = (row.get(j), row.get(j + 1)) else {
                break;
            };
            previous = up;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = substitute.min(left + 1).min(up + 1);
            }
        }
    }
    row.last().is_some_and(|&distance| distance <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Config, Vec<(String, &str)>) {
        let (config, problems) = Config::parse(text, SourceId(0));
        let problems = problems
            .into_iter()
            .map(|p| {
                let spanned = text.get(p.primary.range()).unwrap_or("<out of range>");
                (p.message, spanned)
            })
            .collect();
        (config, problems)
    }

    #[test]
    fn every_documented_key_is_read() {
        let (config, problems) = check(
            r#"
strict = true
select = ["ALL"]
ignore = ["COV001"]
extend-select = ["ZONE"]
include = ["*.zone", "db.*"]
exclude = ["archive/**"]
senders = ["mail.example.com.", "example.com"]
org-domains = ["example.com."]
parent-dmarc = "v=DMARC1; p=reject; sp=reject"
spf-snapshot = "spf-snapshot.txt"
max-ttl = "1w"
dmarc-discovery = "rfc9989"
extend = "../zonelint.toml"

[severity]
ZONE013 = "error"
cov-spf-missing = "off"

[[zone]]
file = "db.internal"
origin = "internal.example.com."

[[overrides]]
files = ["legacy/*.zone"]
ignore = ["COV001"]
"#,
        );
        assert_eq!(problems, []);
        assert_eq!(config.strict, Some(true));
        assert_eq!(config.max_ttl, Some(604_800));
        assert_eq!(config.dmarc_discovery, Some(DmarcDiscovery::Rfc9989));
        assert_eq!(config.senders.as_ref().map(Vec::len), Some(2));
        assert_eq!(config.severity.len(), 2);
        assert_eq!(config.zones.len(), 1);
        assert_eq!(config.overrides.len(), 1);
        assert_eq!(
            config.extend.as_ref().map(|e| e.value.as_str()),
            Some("../zonelint.toml")
        );
        let settings = config.settings(&[0]);
        assert!(settings.strict);
        assert_eq!(
            settings.ignore,
            [Selector("COV001".to_owned()), Selector("COV001".to_owned())]
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_point_at_themselves() {
        let (_, problems) = check(
            "strikt = true\nselect = [\"SPF\", \"NOPE9\"]\nmax-ttl = -5\ndmarc-discovery = \"dns\"\n\
             [severity]\nZONE013 = \"loud\"\n[[zone]]\nfile = \"x\"\norigin = \"a..b\"\ncolour = 1\n",
        );
        let spanned: Vec<&str> = problems.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            spanned,
            [
                "strikt",
                "\"NOPE9\"",
                "-5",
                "\"dns\"",
                "\"loud\"",
                "colour",
                "\"a..b\""
            ],
            "{problems:?}"
        );
        assert!(problems
            .iter()
            .any(|(m, _)| m.contains("unknown key `strikt`")));
    }

    #[test]
    fn a_typo_suggests_the_key() {
        let (_, problems) = Config::parse("extend_select = []\n", SourceId(0));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].help.as_deref(),
            Some("Did you mean `extend-select`?")
        );
    }

    #[test]
    fn invalid_toml_is_one_problem_with_a_span() {
        let (_, problems) = check("select = [\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].0.starts_with("not valid TOML"));
    }

    #[test]
    fn the_extending_file_wins_and_lists_add_up() {
        let (parent, _) = Config::parse(
            "strict = true\nignore = [\"COV\"]\n[severity]\nZONE013 = \"error\"\n",
            SourceId(0),
        );
        let (child, _) = Config::parse("ignore = []\n[severity]\nZONE013 = \"off\"\n", SourceId(1));
        let settings = child.inherit(parent).settings(&[]);
        assert!(settings.strict);
        assert!(settings.ignore.is_empty());
        // The child's level is later, so it wins the tie.
        let meta = crate::rules::registry::find("ZONE013").map(|r| r.meta());
        assert_eq!(meta.and_then(|m| settings.resolve(m)), None);
    }

    proptest::proptest! {
        /// Any text: no panic, and every problem's span lies inside the text.
        #[test]
        fn any_text_reads_without_panicking_and_spans_stay_in_bounds(
            text in "(strict|select|ignore|max-ttl|senders|\\[\\[zone\\]\\]|\\[severity\\]|[a-z_-]{1,8}|=|\"[^\"\n]{0,6}\"|\\[|\\]|,|[0-9]{1,4}|\n| ){0,40}"
        ) {
            let (_, problems) = Config::parse(&text, SourceId(0));
            for problem in problems {
                proptest::prop_assert!(problem.primary.end as usize <= text.len());
                proptest::prop_assert!(problem.primary.start <= problem.primary.end);
            }
        }
    }
}
