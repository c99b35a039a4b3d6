//! Property tests of the parser: any bytes parse without a panic; every span of every
//! diagnostic, fix and record lies within its source with `start <= end`; the records of a
//! source come in file order; and a zone that parses without errors, written back in the
//! RFC 3597 generic form (`zonelint dump --generic`), parses to the same records.
//!
//! The fuzz targets in `fuzz/` check the same invariants for as long as one cares to run
//! them; these are their bounded, stable-toolchain counterpart that runs in CI.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a record the parser itself produced must print and re-parse"
)]

use std::collections::HashMap;
use std::sync::Arc;

use proptest::prelude::*;
use zonelint_zone::{
    parse, parse_str, rdata, Diagnostic, MemoryLoader, Name, ParseOptions, Parser, Severity,
    SourceId, Span, Zone,
};

/// Pieces that steer random input into the scanner's and parser's corners.
const FRAGMENTS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"(",
    b")",
    b"\"",
    b";",
    b"\\",
    b"\\0",
    b"\\255",
    b"\\256",
    b"\\.",
    b"\\\"",
    b"\\#",
    b".",
    b"..",
    b"@",
    b"*",
    b"$",
    b"$ORIGIN ",
    b"$ORIGIN example.",
    b"$TTL ",
    b"$TTL 1h",
    b"$INCLUDE ",
    b"$INCLUDE inc",
    b"$INCLUDE inc sub",
    b"$GENERATE ",
    b"$GENERATE 1-3 h$ A 192.0.2.$",
    b"$GENERATE 0-4294967295 ",
    b"${0,3,x}",
    b"${-1}",
    b"$$",
    b"www",
    b"example.com.",
    b"IN",
    b"CH",
    b"CLASS255",
    b"3600",
    b"1w2d",
    b"4294967295",
    b"A",
    b"AAAA",
    b"NS",
    b"MX",
    b"TXT",
    b"SOA",
    b"SVCB",
    b"HTTPS",
    b"LOC",
    b"APL",
    b"WKS",
    b"NSEC",
    b"RRSIG",
    b"CAA",
    b"TYPE65535",
    b"192.0.2.1",
    b"::1",
    b"10",
    b"\"v=spf1 -all\"",
    b"alpn=h2,h3",
    b"mandatory=alpn",
    b"0 issue \"ca.example\"",
    b"52 22 N 4 54 E 1m",
    b"1:192.0.2.0/24",
    b"AQID",
    b"00ff",
    b"\\# 0",
    b"\\# 2 00ff",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff",
    b"\xc3\xa9",
];

/// Bytes built from fragments and raw bytes.
fn zoneish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

/// Labels that need every kind of escape when printed.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}",
        Just("*".to_owned()),
        Just("_dmarc".to_owned()),
        Just("a\\.b".to_owned()),
        Just("\\000\\255".to_owned()),
        Just("sp\\ ace".to_owned()),
        Just("q\\\"uote".to_owned()),
        Just("semi\\;colon".to_owned()),
        Just("\\(paren\\)".to_owned()),
        Just("at\\@".to_owned()),
        Just("dollar\\$".to_owned()),
        Just("back\\\\slash".to_owned()),
        Just("UPPER".to_owned()),
        Just("x".repeat(63)),
    ]
}

fn owner() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("@".to_owned()),
        1 => Just(String::new()),
        4 => proptest::collection::vec(label(), 1..4).prop_map(|labels| labels.join(".")),
        1 => proptest::collection::vec(label(), 1..3).prop_map(|labels| format!("{}.", labels.join("."))),
    ]
}

/// RDATA in presentation form, for types whose grammar the parser implements.
fn type_and_rdata() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..=255, 0u8..=255).prop_map(|(a, b)| format!("A 192.0.{a}.{b}")),
        Just("AAAA 2001:db8::1".to_owned()),
        Just("AAAA ::ffff:192.0.2.1".to_owned()),
        owner().prop_map(|n| format!("NS {}", if n.is_empty() { "@".to_owned() } else { n })),
        (any::<u16>(), owner())
            .prop_map(|(p, n)| format!("MX {p} {}", if n.is_empty() { ".".to_owned() } else { n })),
        proptest::collection::vec("[ -~&&[^\"\\\\]]{0,20}", 1..4)
            .prop_map(|strings| format!("TXT \"{}\"", strings.join("\" \""))),
        Just("TXT \"v=spf1 ip4:192.0.2.0/24\" \" -all\"".to_owned()),
        Just("TXT ( \"v=DMARC1\\059 p=reject\"\n    \"; rua=mailto:d@example.com\" )".to_owned()),
        Just("TXT \"\\000\\255\\\"\\\\\" unquoted\\ word".to_owned()),
        Just("SOA ns1 hostmaster ( 1 7200 3600 1209600 3600 )".to_owned()),
        Just("SRV 0 5 5060 sip".to_owned()),
        Just("CAA 0 issue \"ca.example.net\"".to_owned()),
        Just("SVCB 1 . alpn=h2,h3 port=8443 mandatory=alpn".to_owned()),
        Just("HTTPS 0 www".to_owned()),
        Just("LOC 52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m".to_owned()),
        Just("DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118".to_owned()),
        Just("NSEC next A NS SOA TYPE65534".to_owned()),
        Just("APL 1:192.0.2.0/24 !2:2001:db8::/32".to_owned()),
        Just("SSHFP 1 1 123456789abcdef67890123456789abcdef67890".to_owned()),
        Just("TYPE65280 \\# 3 ab cd ef".to_owned()),
    ]
}

/// One line of a zone that is valid on its own (given an origin).
fn zone_line() -> impl Strategy<Value = String> {
    let ttl = prop_oneof![
        Just(String::new()),
        (0u32..=2_147_483_647).prop_map(|t| format!("{t} ")),
        Just("1h30m ".to_owned()),
    ];
    let class = prop_oneof![Just(String::new()), Just("IN ".to_owned())];
    let comment = prop_oneof![Just(String::new()), Just(" ; a comment".to_owned())];
    let record = (owner(), ttl, class, type_and_rdata(), comment).prop_map(
        |(owner, ttl, class, rdata, comment)| {
            let owner = if owner.is_empty() {
                " ".to_owned()
            } else {
                owner
            };
            format!("{owner} {ttl}{class}{rdata}{comment}")
        },
    );
    prop_oneof![
        8 => record,
        1 => Just("$TTL 300".to_owned()),
        1 => Just("$ORIGIN sub".to_owned()),
        1 => Just("$GENERATE 1-4 gen$ A 192.0.2.$".to_owned()),
        1 => Just("; only a comment".to_owned()),
        1 => Just(String::new()),
    ]
}

fn zone_text() -> impl Strategy<Value = String> {
    let line_ending = prop_oneof![Just("\n"), Just("\r\n")];
    (proptest::collection::vec(zone_line(), 0..16), line_ending).prop_map(|(lines, ending)| {
        let mut text =
            format!("$ORIGIN example.com.{ending}$TTL 3600{ending}www A 192.0.2.1{ending}");
        for line in lines {
            text.push_str(&line);
            text.push_str(ending);
        }
        text
    })
}

fn span_ok(zone: &Zone, span: Span) -> Result<(), String> {
    let Some(source) = zone.sources.get(span.source) else {
        return Err(format!("{span:?}: no such source"));
    };
    if span.start > span.end || span.end as usize > source.text().len() {
        return Err(format!(
            "{span:?} outside {} ({} bytes)",
            source.name(),
            source.text().len()
        ));
    }
    Ok(())
}

/// Every span of every diagnostic and record lies within its source; records of one
/// source come in file order.
fn check_spans(zone: &Zone, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for diagnostic in diagnostics {
        span_ok(zone, diagnostic.primary).map_err(|e| format!("{}: {e}", diagnostic.message))?;
        for related in &diagnostic.related {
            span_ok(zone, related.span)?;
        }
        for edit in diagnostic.fix.iter().flat_map(|fix| &fix.edits) {
            span_ok(zone, edit.span)?;
        }
    }
    let mut last_start: HashMap<u32, u32> = HashMap::new();
    for record in zone.records() {
        let spans = [
            Some(record.span()),
            Some(record.owner_span()),
            Some(record.type_span()),
            Some(record.rdata_span()),
            record.ttl_span(),
            record.class_span(),
        ];
        for span in spans.into_iter().flatten() {
            span_ok(zone, span)?;
        }
        for field in record.fields() {
            span_ok(zone, field.span)?;
            if field.wire_start > field.wire_end
                || usize::from(field.wire_end) > record.rdata().len()
            {
                return Err(format!("field wire range {field:?} outside the RDATA"));
            }
        }
        let span = record.span();
        let last = last_start.entry(span.source.0).or_insert(0);
        if span.start < *last {
            return Err(format!("record at {span:?} comes before one at {last}"));
        }
        *last = span.start;
    }
    for comment in &zone.comments {
        span_ok(zone, comment.span)?;
    }
    Ok(())
}

fn options() -> ParseOptions {
    ParseOptions {
        origin: Some(Name::from_ascii("example.com.").unwrap()),
        ..ParseOptions::default()
    }
}

/// A loader whose `inc` and `sub` files are themselves hostile, so spans of included
/// sources are checked too.
fn loader(bytes: &[u8]) -> MemoryLoader {
    MemoryLoader::new()
        .with("inc", bytes)
        .with("sub", b"x A 192.0.2.1\n$INCLUDE inc\n")
}

/// The records in `dump --generic` form: `OWNER TTL CLASS TYPE \# LEN HEX`.
fn generic(zone: &Zone) -> String {
    let mut out = String::new();
    for record in zone.records() {
        let owner = Name::from_wire(record.owner().as_wire()).unwrap();
        out.push_str(&format!(
            "{owner} {} {} {} ",
            record.ttl().seconds(),
            record.class(),
            record.rtype()
        ));
        rdata::write_generic(&record.rdata(), &mut out);
        out.push('\n');
    }
    out
}

/// What identifies a record in the comparison: owner, TTL, class, type and RDATA.
type RecordKey = (Vec<u8>, u32, String, String, Vec<u8>);

fn records(zone: &Zone) -> Vec<RecordKey> {
    zone.records()
        .map(|r| {
            (
                r.owner().as_wire().to_vec(),
                r.ttl().seconds(),
                r.class().to_string(),
                r.rtype().to_string(),
                r.rdata().to_vec(),
            )
        })
        .collect()
}

/// What a parser gives: its records (in debug form, spans and all), diagnostics and
/// comments (in debug form), and the line starts of its top-level file.
fn parse_outcome(mut parser: Parser<'_>, len: usize) -> (Vec<String>, String, String, Vec<u32>) {
    let mut diagnostics = Vec::new();
    let mut records = Vec::new();
    while let Some(record) = parser.next_record(&mut diagnostics) {
        records.push(format!("{record:?}"));
    }
    assert!(parser.take_read_error().is_none());
    let mut zone = Zone::default();
    parser.finish(&mut zone, &mut diagnostics);
    let source = zone.sources.get(SourceId(0)).unwrap();
    let lines = (1..=source.line(len as u32) + 1)
        .map_while(|line| source.line_start(line))
        .collect();
    (
        records,
        format!("{diagnostics:?}"),
        format!("{:?}", zone.comments),
        lines,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn zoneish_bytes_read_as_a_stream_parse_as_whole(bytes in zoneish_bytes(), read_size in 1_usize..40) {
        let whole = parse_outcome(
            Parser::new("t.zone", Arc::from(bytes.as_slice()), &options(), &mut loader(&bytes)),
            bytes.len(),
        );
        let mut reader = bytes.as_slice();
        let mut includes = loader(&bytes);
        let mut parser = Parser::streaming("t.zone", &mut reader, &options(), &mut includes);
        parser.set_read_size(read_size);
        prop_assert_eq!(parse_outcome(parser, bytes.len()), whole);
    }

    #[test]
    fn any_bytes_parse_with_spans_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let (zone, diagnostics) = parse("t.zone", Arc::from(bytes.as_slice()), &options(), &mut loader(&bytes));
        check_spans(&zone, &diagnostics).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn zoneish_bytes_parse_with_spans_in_bounds(bytes in zoneish_bytes()) {
        for origin in [options(), ParseOptions::default()] {
            let (zone, diagnostics) = parse("t.zone", Arc::from(bytes.as_slice()), &origin, &mut loader(&bytes));
            check_spans(&zone, &diagnostics).map_err(TestCaseError::fail)?;
        }
    }

    #[test]
    fn error_free_zones_survive_the_generic_form(text in zone_text()) {
        let (zone, diagnostics) = parse_str("t.zone", &text, &ParseOptions::default());
        check_spans(&zone, &diagnostics).map_err(TestCaseError::fail)?;
        if diagnostics.iter().all(|d| d.severity != Severity::Error) {
            let printed = generic(&zone);
            let (again, problems) = parse_str("generic.zone", &printed, &ParseOptions::default());
            let errors: Vec<&str> = problems
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.message.as_str())
                .collect();
            prop_assert!(errors.is_empty(), "{errors:?}\n--- printed ---\n{printed}--- from ---\n{text}");
            prop_assert_eq!(records(&again), records(&zone), "printed:\n{}", printed);
        }
    }
}

/// The generated zones are not all errors: the round-trip property checks something.
#[test]
fn the_zone_generator_mostly_yields_error_free_zones() {
    use proptest::strategy::ValueTree as _;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = zone_text();
    let mut clean = 0;
    for _ in 0..100 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let (zone, diagnostics) = parse_str("t.zone", &text, &ParseOptions::default());
        if diagnostics.iter().all(|d| d.severity != Severity::Error) && zone.len() > 1 {
            clean += 1;
        }
    }
    assert!(
        clean >= 30,
        "only {clean} of 100 generated zones parse cleanly"
    );
}
