//! Lint zone text held in a string: the smallest use of the library.
//!
//! `cargo run -p zonelint-policy --example lint_string`

use zonelint_policy::{lint, LintInput, Settings};
use zonelint_zone::{parse_str, Name, ParseOptions};

const ZONE: &str = r#"$TTL 3600
@       SOA  ns1 hostmaster 2026112801 7200 3600 1209600 3600
        NS   ns1
        NS   ns2
        TXT  "v=spf1 mx +all"
        MX   10 mail
ns1     A    192.0.2.1
ns2     A    198.51.100.1
mail    A    192.0.2.25
www     A    192.0.2.80
"#;

fn main() {
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let (zone, mut diagnostics) = parse_str("example.com.zone", ZONE, &options);
    diagnostics.extend(lint(&[LintInput::new(&zone)], &Settings::default()));
    for diagnostic in &diagnostics {
        let source = zone.sources.get(diagnostic.primary.source);
        let (line, column) = source.map_or((0, 0), |s| s.line_column(diagnostic.primary.start));
        println!(
            "{line}:{column} {} {} {}",
            diagnostic.severity.as_str(),
            diagnostic.code.code,
            diagnostic.message
        );
    }
}
