//! The grammars on records read by the real zone parser: spans must point at the bytes
//! of the file, across quoted strings, lines (parentheses) and escapes.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing source is a test failure"
)]

use zonelint_policy::grammar::{dkim, dmarc, spf, RecordText};
use zonelint_zone::{parse_str, ParseOptions, RType, Zone};

fn zone(text: &str) -> Zone {
    let (zone, diagnostics) = parse_str("t.zone", text, &ParseOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    zone
}

/// The record texts of every TXT/SPF record, with the source bytes.
fn texts(zone: &Zone) -> Vec<RecordText> {
    zone.records()
        .filter(|r| matches!(r.rtype(), RType::TXT | RType::SPF))
        .map(|r| {
            let source = zone.sources.get(r.span().source).unwrap();
            RecordText::from_record(&r, source.text())
        })
        .collect()
}

fn source_text(zone: &Zone, span: zonelint_zone::Span) -> &str {
    std::str::from_utf8(zone.sources.slice(span)).unwrap()
}

const ZONE: &str = r#"$ORIGIN example.com.
$TTL 3600
@        IN TXT ( "v=spf1 ip4:192.0.2.0/24"
                  " include:a.example"
                  "include:b.example ip4:192.0.2.1/40 -all" )
_dmarc   IN TXT "v=DMARC1\059 p=rejct\059 rua=mailto:d@example.com"
s1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIGfMA0G" "CSqG*SIb3"
legacy   IN SPF "v=spf1 a:192.0.2.1 -all"
"#;

#[test]
fn spf_spans_cross_strings_and_lines() {
    let zone = zone(ZONE);
    let texts = texts(&zone);
    let (record, problems) = spf::parse(&texts[0]);
    assert_eq!(
        texts[0].as_bytes(),
        b"v=spf1 ip4:192.0.2.0/24 include:a.exampleinclude:b.example ip4:192.0.2.1/40 -all"
    );
    let problems: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.kind.code(), source_text(&zone, p.span)))
        .collect();
    assert_eq!(problems, vec![("SPF009", "/40")]);
    // The merged include: its span starts in the second string and ends in the third,
    // on the next line.
    let merged = &record.terms[1];
    assert_eq!(
        source_text(&zone, merged.span()),
        "include:a.example\"\n                  \"include:b.example"
    );
    let placements: Vec<_> = record.joins.iter().map(|j| j.placement).collect();
    assert_eq!(
        placements,
        vec![
            spf::JoinPlacement::AtSeparator,
            spf::JoinPlacement::MergedTerms { term: 1 }
        ]
    );
}

#[test]
fn dmarc_spans_past_escapes() {
    let zone = zone(ZONE);
    let texts = texts(&zone);
    let (record, problems) = dmarc::parse(&texts[1]);
    assert!(record.valid_version);
    let problems: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.kind.code(), source_text(&zone, p.span)))
        .collect();
    assert_eq!(problems, vec![("DMARC006", "rejct")]);
    assert_eq!(
        source_text(&zone, record.rua[0].span),
        "mailto:d@example.com"
    );
}

#[test]
fn dkim_errors_in_the_second_string() {
    let zone = zone(ZONE);
    let texts = texts(&zone);
    let (_, problems) = dkim::parse(&texts[2]);
    let problems: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.kind.code(), source_text(&zone, p.span)))
        .collect();
    assert_eq!(problems, vec![("DKIM004", "*")]);
}

#[test]
fn from_zone_record_finds_the_source() {
    let zone = zone(ZONE);
    let record = zone.records().next().unwrap();
    assert_eq!(
        RecordText::from_zone_record(&zone, &record),
        texts(&zone)[0]
    );
}

#[test]
fn type_99_records_read_the_same_way() {
    let zone = zone(ZONE);
    let texts = texts(&zone);
    let (_, problems) = spf::parse(&texts[3]);
    let problems: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.kind.code(), source_text(&zone, p.span)))
        .collect();
    assert_eq!(problems, vec![("SPF031", "192.0.2.1")]);
}
