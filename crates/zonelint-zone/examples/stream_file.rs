//! Parses a zone file read from disk as a stream, never holding the whole file
//! (`Parser::streaming`), and prints what it found: run under `/usr/bin/time -v` to see
//! that the peak memory does not grow with the file.
//!
//! `cargo run --release -p zonelint-zone --example stream_file -- FILE [ORIGIN]`
use zonelint_zone::{Name, NoIncludes, ParseOptions, Parser};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let origin = args.next().and_then(|o| Name::from_ascii(&o).ok());
    let options = ParseOptions {
        origin,
        ..ParseOptions::default()
    };
    let mut file = std::fs::File::open(&path)?;
    let started = std::time::Instant::now();
    let mut loader = NoIncludes;
    let mut parser = Parser::streaming(&path, &mut file, &options, &mut loader);
    let mut diagnostics = Vec::new();
    let (mut records, mut rdata_octets) = (0usize, 0usize);
    while let Some(record) = parser.next_record(&mut diagnostics) {
        records += 1;
        rdata_octets += record.rdata().len();
    }
    if let Some(error) = parser.take_read_error() {
        return Err(error);
    }
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&path)?.len();
    println!(
        "{records} records ({rdata_octets} octets of RDATA), {} diagnostics, {:.1} MB/s",
        diagnostics.len(),
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
