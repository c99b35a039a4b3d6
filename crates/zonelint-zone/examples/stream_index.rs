//! What the first pass of a lint that never holds the zone would keep (a design
//! experiment for `docs/performance.md`): the zone read as a stream, and for each owner
//! name its types, its first record and its record count, plus the text of every TXT
//! record that looks like an email policy (SPF, DMARC, DKIM). Prints the counts and the
//! time; run under `/usr/bin/time -v` for the peak.
//!
//! Two layouts: by default a hash map of boxed names and boxed texts (what plain code
//! would write); with `compact`, the names and the texts each in one arena, the facts in
//! one list and a table of 4-byte indices into it.
//!
//! `cargo run --release -p zonelint-zone --example stream_index -- FILE ORIGIN [compact]`
use std::collections::HashMap;
use zonelint_zone::{Name, NoIncludes, ParseOptions, Parser, RType};

/// What is kept of a name.
struct Facts {
    /// Types 0-127, one bit each; `other` for any above.
    types: [u64; 2],
    other: bool,
    /// Where its first record starts in the file, and how many it has.
    first: u32,
    records: u32,
}

impl Facts {
    fn new(first: u32) -> Self {
        Self {
            types: [0; 2],
            other: false,
            first,
            records: 0,
        }
    }

    fn add(&mut self, rtype: RType) {
        self.records += 1;
        let number = usize::from(rtype.0);
        match self.types.get_mut(number / 64) {
            Some(word) => *word |= 1 << (number % 64),
            None => self.other = true,
        }
    }
}

/// Where the first pass keeps what it keeps.
trait Keep {
    /// A record of `rtype` at `first` owned by `key` (wire form, lower case).
    fn record(&mut self, key: &[u8], rtype: RType, first: u32);
    /// An email policy's TXT RDATA, owned by `key`.
    fn mail(&mut self, key: &[u8], rdata: &[u8]);
    /// The names, their octets, the texts and their octets.
    fn counts(&self) -> (usize, usize, usize, usize);
    /// Every name with its facts.
    fn names(&self) -> Box<dyn Iterator<Item = (&[u8], &Facts)> + '_>;
}

/// An email policy's TXT record: its owner (wire form, lower case) and its RDATA.
type MailText = (Box<[u8]>, Box<[u8]>);

/// What plain code would write: a hash map of boxed names, a list of boxed texts.
#[derive(Default)]
struct Boxed {
    names: HashMap<Box<[u8]>, Facts>,
    mail: Vec<MailText>,
}

impl Keep for Boxed {
    fn record(&mut self, key: &[u8], rtype: RType, first: u32) {
        if let Some(facts) = self.names.get_mut(key) {
            facts.add(rtype);
        } else {
            let mut facts = Facts::new(first);
            facts.add(rtype);
            self.names.insert(key.into(), facts);
        }
    }

    fn mail(&mut self, key: &[u8], rdata: &[u8]) {
        self.mail.push((key.into(), rdata.into()));
    }

    fn counts(&self) -> (usize, usize, usize, usize) {
        let name_octets = self.names.keys().map(|k| k.len()).sum();
        let text_octets = self.mail.iter().map(|(_, t)| t.len()).sum();
        (self.names.len(), name_octets, self.mail.len(), text_octets)
    }

    fn names(&self) -> Box<dyn Iterator<Item = (&[u8], &Facts)> + '_> {
        Box::new(self.names.iter().map(|(name, facts)| (&name[..], facts)))
    }
}

/// The names in one arena, the facts in one list (with where each name is in the
/// arena), an open-addressing table of 4-byte indices into the list; the texts in one
/// arena, listed with their owner's index.
#[derive(Default)]
struct Compact {
    arena: Vec<u8>,
    facts: Vec<(u32, Facts)>,
    /// Index + 1 into `facts`; 0 is an empty slot. Its length is a power of two.
    table: Vec<u32>,
    texts: Vec<u8>,
    /// Owner's index, start and end in `texts`.
    mail: Vec<(u32, u32, u32)>,
}

impl Compact {
    /// As the lint's index hashes a name: `hash_wire` into foldhash (seeded alike every
    /// run, so that the table and the figures are the same every run).
    fn hash(key: &[u8]) -> usize {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = foldhash::fast::FixedState::with_seed(0).build_hasher();
        zonelint_zone::name::hash_wire(key, &mut hasher);
        hasher.finish() as usize
    }

    fn name(&self, index: usize) -> &[u8] {
        let Some(&(start, _)) = self.facts.get(index) else {
            return &[];
        };
        let start = start as usize;
        let len = self.arena.get(start).map_or(0, |&len| usize::from(len));
        self.arena
            .get(start + 1..start + 1 + len)
            .unwrap_or_default()
    }

    /// The slot of `key` in the table: its index + 1, or 0 where it would go.
    fn slot(&self, key: &[u8]) -> usize {
        let mask = self.table.len() - 1;
        let mut slot = Self::hash(key) & mask;
        loop {
            match self.table.get(slot) {
                Some(&0) | None => return slot,
                Some(&index) if self.name(index as usize - 1) == key => return slot,
                Some(_) => slot = (slot + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(1024);
        self.table = vec![0; size];
        for index in 0..self.facts.len() {
            let slot = self.slot(self.name(index));
            if let Some(entry) = self.table.get_mut(slot) {
                *entry = index as u32 + 1;
            }
        }
    }

    fn index_of(&mut self, key: &[u8], first: u32) -> usize {
        if (self.facts.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let slot = self.slot(key);
        match self.table.get(slot) {
            Some(&index) if index > 0 => index as usize - 1,
            _ => {
                let start = self.arena.len() as u32;
                self.arena.push(key.len() as u8);
                self.arena.extend_from_slice(key);
                self.facts.push((start, Facts::new(first)));
                if let Some(entry) = self.table.get_mut(slot) {
                    *entry = self.facts.len() as u32;
                }
                self.facts.len() - 1
            }
        }
    }
}

impl Keep for Compact {
    fn record(&mut self, key: &[u8], rtype: RType, first: u32) {
        let index = self.index_of(key, first);
        if let Some((_, facts)) = self.facts.get_mut(index) {
            facts.add(rtype);
        }
    }

    fn mail(&mut self, key: &[u8], rdata: &[u8]) {
        let owner = self.index_of(key, 0) as u32;
        let start = self.texts.len() as u32;
        self.texts.extend_from_slice(rdata);
        self.mail.push((owner, start, self.texts.len() as u32));
    }

    fn counts(&self) -> (usize, usize, usize, usize) {
        let name_octets = self.arena.len() - self.facts.len();
        (
            self.facts.len(),
            name_octets,
            self.mail.len(),
            self.texts.len(),
        )
    }

    fn names(&self) -> Box<dyn Iterator<Item = (&[u8], &Facts)> + '_> {
        Box::new(
            self.facts
                .iter()
                .enumerate()
                .map(|(index, (_, facts))| (self.name(index), facts)),
        )
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let origin = args.next().and_then(|o| Name::from_ascii(&o).ok());
    let mut kept: Box<dyn Keep> = match args.next().as_deref() {
        Some("compact") => Box::<Compact>::default(),
        _ => Box::<Boxed>::default(),
    };
    let options = ParseOptions {
        origin,
        ..ParseOptions::default()
    };
    let mut file = std::fs::File::open(&path)?;
    let started = std::time::Instant::now();
    let mut loader = NoIncludes;
    let mut parser = Parser::streaming(&path, &mut file, &options, &mut loader);
    let mut diagnostics = Vec::new();
    let mut key = Vec::new();
    let mut records = 0_usize;
    while let Some(record) = parser.next_record(&mut diagnostics) {
        records += 1;
        key.clear();
        key.extend(record.owner().as_wire().iter().map(u8::to_ascii_lowercase));
        let rtype = record.rtype();
        kept.record(&key, rtype, record.span().start);
        if rtype == RType::TXT {
            let rdata = record.rdata();
            let text = rdata.get(1..).unwrap_or_default();
            let looks_like_mail = [&b"v=spf1"[..], b"v=DMARC1", b"v=DKIM1", b"k=rsa", b"p="]
                .iter()
                .any(|start| text.starts_with(start));
            if looks_like_mail {
                kept.mail(&key, &rdata);
            }
        }
    }
    if let Some(error) = parser.take_read_error() {
        return Err(error);
    }
    let seconds = started.elapsed().as_secs_f64();
    // The most records, the least name (in wire order) among those: the same every run.
    let most = kept
        .names()
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
    let (names, name_octets, texts, text_octets) = kept.counts();
    println!(
        "{records} records, {names} names ({name_octets} octets of names), {texts} email \
         texts ({text_octets} octets), {} diagnostics, {seconds:.2} s",
        diagnostics.len(),
    );
    Ok(())
}
