//! Times the whole-file and streaming parses of a file (development aid; `cargo bench`
//! is the measurement of record).
use std::sync::Arc;
use zonelint_zone::{parse, Name, NoIncludes, ParseOptions, Parser};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let origin = args.next().and_then(|o| Name::from_ascii(&o).ok());
    let text: Arc<[u8]> = std::fs::read(&path).unwrap_or_default().into();
    let options = ParseOptions {
        origin,
        ..ParseOptions::default()
    };
    let started = std::time::Instant::now();
    let mut loader = NoIncludes;
    let mut parser = Parser::new(&path, Arc::clone(&text), &options, &mut loader);
    let mut diagnostics = Vec::new();
    let mut records = 0usize;
    while parser.next_record(&mut diagnostics).is_some() {
        records += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "streaming: {records} records, {} diagnostics, {:.1} MB/s",
        diagnostics.len(),
        text.len() as f64 / 1e6 / seconds
    );
    let started = std::time::Instant::now();
    let (zone, diagnostics) = parse(&path, Arc::clone(&text), &options, &mut NoIncludes);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "whole: {} records, {} diagnostics, {:.1} MB/s",
        zone.len(),
        diagnostics.len(),
        text.len() as f64 / 1e6 / seconds
    );
    for d in diagnostics.iter().take(3) {
        println!("  {} {}", d.code.code, d.message);
    }
}
