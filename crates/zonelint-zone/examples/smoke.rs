//! Prints the records and diagnostics of a zone file (development aid).
use zonelint_zone::{parse, rdata, Name, ParseOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let origin = args.next().and_then(|o| Name::from_ascii(&o).ok());
    let text = std::fs::read(&path).unwrap_or_default();
    let options = ParseOptions {
        origin,
        ..ParseOptions::default()
    };
    let (zone, diagnostics) = parse(&path, text, &options, &mut zonelint_zone::NoIncludes);
    for record in zone.records() {
        let mut out = String::new();
        rdata::write_generic(&record.rdata(), &mut out);
        println!(
            "{} {} {} {} {out}",
            record.owner(),
            record.ttl().seconds(),
            record.class(),
            record.rtype()
        );
    }
    for d in diagnostics {
        let source = zone.sources.get(d.primary.source);
        let (line, col) = source.map_or((0, 0), |s| s.line_column(d.primary.start));
        println!(
            "{line}:{col} {:?} {} {}",
            d.severity, d.code.code, d.message
        );
    }
}
