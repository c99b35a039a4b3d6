//! Bytes → the DKIM grammar (as raw character-strings and as the TXT record the zone
//! parser reads): never panics; every problem's span within the bytes it indexes.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use zonelint_policy::grammar::dkim;

fuzz_target!(|data: &[u8]| {
    for (text, source) in common::record_texts(data) {
        let (record, problems) = dkim::parse(&text);
        for problem in &problems {
            common::assert_in(&source, problem.span, "problem");
        }
        // Every field of the record is read (Debug walks them all).
        let _ = format!("{record:?}");
    }
});
