//! Bytes → zone parser: never panics; every span within its source; records in order;
//! and an error-free zone printed in the RFC 3597 generic form parses to the same records.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use zonelint_zone::{parse_str, rdata, ParseOptions, Severity, Zone};

fn records(zone: &Zone) -> Vec<(Vec<u8>, u32, String, String, Vec<u8>)> {
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

fuzz_target!(|data: &[u8]| {
    let (zone, diagnostics) = common::parse_zone(data);
    common::assert_spans(&zone, &diagnostics);
    if diagnostics.iter().all(|d| d.severity != Severity::Error) {
        let mut printed = String::new();
        for record in zone.records() {
            printed.push_str(&format!(
                "{} {} {} {} ",
                record.owner().to_name(),
                record.ttl().seconds(),
                record.class(),
                record.rtype()
            ));
            rdata::write_generic(&record.rdata(), &mut printed);
            printed.push('\n');
        }
        let (again, problems) = parse_str("generic.zone", &printed, &ParseOptions::default());
        assert!(
            problems.iter().all(|d| d.severity != Severity::Error),
            "the generic form does not parse: {problems:?}\n{printed}"
        );
        assert_eq!(records(&again), records(&zone), "{printed}");
    }
});
