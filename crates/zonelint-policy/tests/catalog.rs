//! The rule catalog is complete: every code of the specification's catalog
//! (`tests/fixtures/rules-catalog.md`, a verbatim copy of `shared/spec/rules.md`) is
//! implemented under its slug, at the severities the catalog gives, and nothing is
//! implemented that the catalog does not list (LINT001, the suppression check, is ours and
//! documented as such).

use std::collections::BTreeMap;
use zonelint_policy::rules::registry;
use zonelint_policy::Level;
use zonelint_zone::diagnostic::codes;

const CATALOG: &str = include_str!("fixtures/rules-catalog.md");

/// One row of the catalog: slug and the severity column as written.
struct Row {
    slug: String,
    severity: String,
}

fn catalog() -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    for line in CATALOG.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| CODE | `slug` | severity | …`: cells[0] is the empty text before the first bar.
        let (Some(code), Some(slug), Some(severity)) = (cells.get(1), cells.get(2), cells.get(3))
        else {
            continue;
        };
        let is_code = code.len() > 3
            && code.bytes().rev().take(3).all(|b| b.is_ascii_digit())
            && code
                .bytes()
                .take(code.len() - 3)
                .all(|b| b.is_ascii_uppercase());
        if !is_code {
            continue;
        }
        rows.insert(
            (*code).to_owned(),
            Row {
                slug: slug.trim_matches('`').to_owned(),
                severity: (*severity).to_owned(),
            },
        );
    }
    rows
}

fn letter(level: Level) -> char {
    match level {
        Level::Off => '–',
        Level::Info => 'I',
        Level::Warning => 'W',
        Level::Error => 'E',
    }
}

/// Rules whose catalog severity depends on the finding (`E/E if /0, W/E if …`): the
/// severities the rule declares (its most common finding's), and why. Each rule's tests
/// check the per-finding severities.
const PER_FINDING: &[(&str, &str, &str)] = &[
    (
        "SPF006",
        "E/E",
        "ip4 ≤/8 and ip6 ≤/16 networks (not /0) are W/E per finding",
    ),
    (
        "SPF008",
        "E/E",
        "an upper-case `V=SPF1` alone is a warning per finding",
    ),
    (
        "SPF019",
        "E/E",
        "each in-zone void target is also reported as W/W per finding",
    ),
    ("SPF026", "E/E", "451 to 512 octets is W/W per finding"),
    ("DKIM005", "W/E", "keys under 1024 bits are E/E per finding"),
    (
        "DMARC017",
        "E/E",
        "I/W per finding when the destination is outside the zone set",
    ),
    ("DMARC023", "E/E", "unreachable `psd=n` is W/W per finding"),
    (
        "DMARC025",
        "W/W",
        "I/I per finding when selectors may be CNAME'd to a provider",
    ),
    (
        "ZONE021",
        "E/E",
        "chains longer than 8 without a loop are W/W per finding",
    ),
];

#[test]
fn the_catalog_copy_is_the_specification() {
    // The copy keeps this test runnable from a clone alone; on a machine with the
    // specification beside the repository, it must not have drifted.
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/spec/rules.md");
    if let Ok(text) = std::fs::read_to_string(spec) {
        assert_eq!(
            text, CATALOG,
            "tests/fixtures/rules-catalog.md differs from {spec}: copy it again and update the rules"
        );
    }
}

#[test]
fn every_catalog_rule_is_implemented_at_its_severities() {
    let rows = catalog();
    assert!(
        rows.len() > 130,
        "the catalog parsed to only {} rows",
        rows.len()
    );
    let mut problems = Vec::new();
    let implemented: BTreeMap<&str, _> = registry::rules()
        .iter()
        .map(|rule| (rule.meta().code.code, rule.meta()))
        .collect();
    for (code, row) in &rows {
        if code.starts_with("PARSE") {
            // The parser's own codes: a page each (no lint runs them), one level in every
            // profile, and a constant of the parser crate.
            if !codes::ALL
                .iter()
                .any(|c| c.code == code && c.slug == row.slug)
            {
                problems.push(format!("{code} ({}) has no parser code", row.slug));
            }
            match registry::find_page(code) {
                Some(page) if page.code.slug == row.slug => {
                    let level: String = row.severity.chars().take(1).collect();
                    let declared = format!("{}/{}", letter(page.default), letter(page.strict));
                    if declared != format!("{level}/{level}") {
                        problems.push(format!(
                            "{code}: page says {declared}, catalog `{}`",
                            row.severity
                        ));
                    }
                }
                _ => problems.push(format!("{code} ({}) has no page", row.slug)),
            }
            continue;
        }
        let Some(meta) = implemented.get(code.as_str()) else {
            problems.push(format!("{code} ({}) is not implemented", row.slug));
            continue;
        };
        if meta.code.slug != row.slug {
            problems.push(format!(
                "{code}: slug `{}`, catalog `{}`",
                meta.code.slug, row.slug
            ));
        }
        let declared = format!("{}/{}", letter(meta.default), letter(meta.strict));
        let expected = match PER_FINDING.iter().find(|(c, _, _)| c == code) {
            Some((_, levels, _)) => (*levels).to_owned(),
            None => {
                // `E/E`, `I/–`, `W/E (…)`: the pair before any explanation.
                let pair: String = row.severity.chars().take(3).collect();
                pair.replace('-', "–")
            }
        };
        if declared != expected {
            problems.push(format!(
                "{code}: declares {declared}, catalog says `{}`",
                row.severity
            ));
        }
    }
    for code in implemented.keys() {
        if !rows.contains_key(*code) && *code != "LINT001" {
            problems.push(format!("{code} is implemented but not in the catalog"));
        }
    }
    assert!(
        problems.is_empty(),
        "catalog and registry differ:\n{}",
        problems.join("\n")
    );
}
