//! A zone read as a stream in small windows (`Parser::streaming`) against the same bytes
//! parsed whole: the same records with the same spans, the same diagnostics, comments
//! and lines. The first byte sets the window's read size (1-256 bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zonelint_zone::{Diagnostic, Name, NoIncludes, ParseOptions, Parser, SourceId, Zone};

/// The records (as their debug form), diagnostics and the parse's zone of `parser`.
fn run(mut parser: Parser<'_>) -> (Vec<String>, Vec<Diagnostic>, Zone) {
    let mut diagnostics = Vec::new();
    let mut records = Vec::new();
    while let Some(record) = parser.next_record(&mut diagnostics) {
        records.push(format!("{record:?}"));
    }
    assert!(parser.take_read_error().is_none());
    let mut zone = Zone::default();
    parser.finish(&mut zone, &mut diagnostics);
    (records, diagnostics, zone)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, text)) = data.split_first() else {
        return;
    };
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        max_generated_total: 1000,
        ..ParseOptions::default()
    };
    let mut loader = NoIncludes;
    let (records, diagnostics, zone) = run(Parser::new("t", text, &options, &mut loader));
    let mut reader = text;
    let mut loader = NoIncludes;
    let mut parser = Parser::streaming("t", &mut reader, &options, &mut loader);
    parser.set_read_size(usize::from(first) + 1);
    let (streamed_records, streamed_diagnostics, streamed) = run(parser);
    assert_eq!(streamed_records, records);
    assert_eq!(
        format!("{streamed_diagnostics:?}"),
        format!("{diagnostics:?}")
    );
    assert_eq!(
        format!("{:?}", streamed.comments),
        format!("{:?}", zone.comments)
    );
    let (Some(kept), Some(read)) = (
        zone.sources.get(SourceId(0)),
        streamed.sources.get(SourceId(0)),
    ) else {
        panic!("no source");
    };
    for line in 1..=kept.line(text.len() as u32) + 1 {
        assert_eq!(read.line_start(line), kept.line_start(line), "line {line}");
    }
});
