//! What the first pass of a lint that never holds the zone would keep (a design
//! experiment for `docs/performance.md`): the zone read as a stream, and for each owner
//! name its types, its first record and its record count, plus the text of every TXT
//! record that looks like an email policy (SPF, DMARC, DKIM). Prints the counts and the
//! time; run under `/usr/bin/time -v` for the peak.
//!
//! `cargo run --release -p zonelint-zone --example stream_index -- FILE [ORIGIN]`
use std::collections::HashMap;
use zonelint_zone::{Name, NoIncludes, ParseOptions, Parser, RType};

/// An email policy's TXT record: its owner (wire form, lower case) and its RDATA.
type MailText = (Box<[u8]>, Box<[u8]>);

/// What is kept of a name.
struct Facts {
    /// Types 0-127, one bit each; `other` for any above.
    types: [u64; 2],
    other: bool,
    /// Where its first record starts in the file, and how many it has.
    first: u32,
    records: u32,
}

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
    // Keyed by the owner's wire form in lower case.
    let mut names: HashMap<Box<[u8]>, Facts> = HashMap::new();
    let mut mail_texts: Vec<MailText> = Vec::new();
    let mut key = Vec::new();
    let mut records = 0_usize;
    while let Some(record) = parser.next_record(&mut diagnostics) {
        records += 1;
        key.clear();
        key.extend(record.owner().as_wire().iter().map(u8::to_ascii_lowercase));
        let rtype = record.rtype();
        if !names.contains_key(key.as_slice()) {
            let facts = Facts {
                types: [0; 2],
                other: false,
                first: record.span().start,
                records: 0,
            };
            names.insert(key.clone().into_boxed_slice(), facts);
        }
        if let Some(facts) = names.get_mut(key.as_slice()) {
            facts.records += 1;
            let number = usize::from(rtype.0);
            match facts.types.get_mut(number / 64) {
                Some(word) => *word |= 1 << (number % 64),
                None => facts.other = true,
            }
        }
        if rtype == RType::TXT {
            let rdata = record.rdata();
            let text = rdata.get(1..).unwrap_or_default();
            let looks_like_mail = [&b"v=spf1"[..], b"v=DMARC1", b"v=DKIM1", b"k=rsa", b"p="]
                .iter()
                .any(|start| text.starts_with(start));
            if looks_like_mail {
                mail_texts.push((key.clone().into_boxed_slice(), rdata.into()));
            }
        }
    }
    if let Some(error) = parser.take_read_error() {
        return Err(error);
    }
    let seconds = started.elapsed().as_secs_f64();
    // The most records, the least name (in wire order) among those: the same every run.
    let most = names
        .iter()
        .max_by(|(a, x), (b, y)| x.records.cmp(&y.records).then(b.cmp(a)));
    if let Some((name, facts)) = most {
        println!(
            "most records: {} ({} records from byte {}, {} types)",
            zonelint_zone::NameRef::from_wire(name)
                .map(ToString::to_string)
                .unwrap_or_default(),
            facts.records,
            facts.first,
            facts.types.iter().map(|w| w.count_ones()).sum::<u32>() + u32::from(facts.other)
        );
    }
    let name_octets: usize = names.keys().map(|k| k.len()).sum();
    let text_octets: usize = mail_texts.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{records} records, {} names ({name_octets} octets of names), {} email texts \
         ({text_octets} octets), {} diagnostics, {seconds:.2} s",
        names.len(),
        mail_texts.len(),
        diagnostics.len()
    );
    Ok(())
}
