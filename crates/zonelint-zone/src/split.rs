//! A large file parsed on several cores at once.
//!
//! The text is cut at line starts that name an owner. Each part after the first is
//! parsed on its own core from a guess of the state the text before it leaves (the
//! origin, `$TTL`, the class, the TTL of the previous record): the state the first part
//! stands in after its opening lines, since zones set their directives at the top. Where
//! two parts meet, the parse before the cut has reached the true state, and the part
//! after is kept only if that state agrees with the guess in everything the part read
//! before setting it itself ([`Carried::agrees_with`]), if the parse before really
//! stopped at the cut (not inside a record spanning lines), and if the part met no
//! `$INCLUDE` and dropped no diagnostic. Otherwise the part is parsed again after the
//! part before, as a parse on one core would. Either way the records, diagnostics and
//! comments are those of a parse on one core, in the same order: the tests check it on
//! every file of the test data cut at every line.

use crate::diagnostic::Diagnostic;
use crate::include::{Loader, NoIncludes};
use crate::parser::{Carried, Inherited, ParseOptions, Parser};
use crate::source::SharedBytes;
use crate::zone::{Comment, Zone};

/// Files smaller than this are parsed on one core: the second costs more to start than
/// it saves.
pub(crate) const MIN_SPLIT: usize = 4 << 20;

/// How far the first part reads before its state is taken as the others' guess: past
/// the directives and the SOA at the top of a zone.
pub(crate) const OPENING: usize = 64 << 10;

/// How far past its share of the text a cut may move to find a line that names an
/// owner; a file without one there is cut in fewer parts.
const MOST_SEARCHED: usize = 1 << 20;

/// Where to cut `text` into `parts` parts of about equal size, past the opening the
/// guess is taken from: at an `$ORIGIN` line with an absolute name where there is one
/// (the part then sets the origin itself, whatever the text before left), else at a line
/// whose first byte begins an owner name (not a blank, a comment, a directive, a
/// parenthesis or a quote).
pub(crate) fn cuts(text: &[u8], parts: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    for part in 1..parts.max(1) {
        let share = text.len() / parts * part;
        let from = share.max(cuts.last().map_or(2 * OPENING, |&last| last + 1));
        let Some(searched) = text.get(from..text.len().min(from + MOST_SEARCHED)) else {
            break;
        };
        let line_starts = || memchr::memchr_iter(b'\n', searched).map(|feed| from + feed + 1);
        let line = |start: usize| {
            let rest = text.get(start..).unwrap_or_default();
            rest.get(..memchr::memchr(b'\n', rest).unwrap_or(rest.len()))
                .unwrap_or_default()
        };
        let absolute_origin = |start: usize| {
            line(start)
                .strip_prefix(b"$ORIGIN ")
                .map(|name| name.trim_ascii())
                .is_some_and(|name| name.ends_with(b".") && !name.contains(&b';'))
        };
        let names_owner = |start: usize| {
            text.get(start)
                .is_some_and(|&first| !b" \t;$()\"\r\n".contains(&first))
        };
        let cut = line_starts()
            .find(|&start| absolute_origin(start))
            .or_else(|| line_starts().find(|&start| names_owner(start)));
        match cut {
            Some(cut) => cuts.push(cut),
            None => break,
        }
    }
    cuts
}

/// [`crate::parse`] of `text` cut at `cuts` (increasing line starts), the parts after
/// the first parsed on the rayon pool while the first is parsed here. The guess is the
/// state after the first `opening` bytes. Also gives how many parts were kept.
pub(crate) fn parse_cut(
    name: &str,
    text: SharedBytes,
    options: &ParseOptions,
    loader: &mut dyn Loader,
    cuts: &[usize],
    opening: usize,
) -> (Zone, Vec<Diagnostic>, usize) {
    // The first part's arenas are made for its own text: the others have theirs.
    let mut zone = Zone::with_capacity_for(cuts.first().copied().unwrap_or(text.len()));
    let mut diagnostics = Vec::new();
    let whole = text.clone();
    let mut parser = Parser::new(name, text, options, loader);
    let Some(&first_cut) = cuts.first() else {
        records(&mut parser, &mut zone, &mut diagnostics);
        parser.finish(&mut zone, &mut diagnostics);
        return (zone, diagnostics, 0);
    };
    parser.stop_at(Some(opening.min(first_cut)));
    records(&mut parser, &mut zone, &mut diagnostics);
    let guess = parser.carried().after_a_record();

    let mut parts: Vec<Option<Part>> = cuts.iter().map(|_| None).collect();
    rayon::in_place_scope(|scope| {
        for (index, (slot, &start)) in parts.iter_mut().zip(cuts).enumerate() {
            let end = cuts.get(index + 1).copied();
            let (text, guess) = (whole.clone(), guess.clone());
            scope.spawn(move |_| {
                *slot = Some(Part::parse(name, text, options, guess, start, end));
            });
        }
        parser.stop_at(Some(first_cut));
        records(&mut parser, &mut zone, &mut diagnostics);
    });

    let mut kept = 0;
    for (index, (part, &start)) in parts.into_iter().zip(cuts).enumerate() {
        if let Some(part) = part.filter(|part| {
            part.usable
                && parser.top_position() == Some(start)
                && parser.carried().agrees_with(&guess, part.inherited)
        }) {
            zone.append(part.zone);
            parser.absorb(&mut diagnostics, part.diagnostics, part.comments);
            parser.resume(part.position, part.carried);
            kept += 1;
        }
        // What the part left (all of it, when it was not kept) is parsed here.
        parser.stop_at(cuts.get(index + 1).copied());
        records(&mut parser, &mut zone, &mut diagnostics);
    }
    parser.finish(&mut zone, &mut diagnostics);
    (zone, diagnostics, kept)
}

/// The parser's records up to where it stops, into `zone`.
fn records(parser: &mut Parser<'_>, zone: &mut Zone, diagnostics: &mut Vec<Diagnostic>) {
    while let Some(record) = parser.next_record(diagnostics) {
        zone.push(&record);
    }
}

/// One part after the first, parsed from the guess.
struct Part {
    zone: Zone,
    diagnostics: Vec<Diagnostic>,
    comments: Vec<Comment>,
    /// What the part read of the guess before setting it.
    inherited: Inherited,
    /// Whether it may be kept: it met no `$INCLUDE` and dropped no diagnostic.
    usable: bool,
    /// Where it stopped, and the state it stopped in.
    position: usize,
    carried: Carried,
}

impl Part {
    fn parse(
        name: &str,
        text: SharedBytes,
        options: &ParseOptions,
        guess: Carried,
        start: usize,
        end: Option<usize>,
    ) -> Self {
        let len = end.unwrap_or(text.len()).saturating_sub(start);
        let mut zone = Zone::with_capacity_for(len);
        let mut diagnostics = Vec::new();
        let mut loader = NoIncludes;
        let mut parser = Parser::new(name, text, options, &mut loader);
        parser.resume(start, guess);
        parser.stop_at(end);
        while let Some(record) = parser.next_record(&mut diagnostics) {
            zone.push(&record);
        }
        let (inherited, unusable) = parser.part_status();
        Self {
            zone,
            diagnostics,
            comments: parser.take_comments(),
            inherited,
            usable: !unusable && parser.top_position().is_some(),
            position: parser.top_position().unwrap_or(usize::MAX),
            carried: parser.carried(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::include::MemoryLoader;
    use crate::name::Name;
    use std::path::Path;
    use std::sync::Arc;

    /// Everything a parse gives, in a form two parses can be compared by.
    pub(crate) fn outcome(zone: &Zone, diagnostics: &[Diagnostic]) -> String {
        let mut out = String::new();
        for record in zone.records() {
            // Everything but where the record sits in its arena (each part has its own).
            let shown = format!("{record:?}");
            let mut kept = shown.split(", ").filter(|field| {
                !field.starts_with("owner_start: ")
                    && !field.starts_with("data_start: ")
                    && !field.starts_with("fields_start: ")
            });
            out.push_str(&kept.by_ref().collect::<Vec<_>>().join(", "));
            out.push('\n');
        }
        // `record` (by index) agrees with `records`.
        for (index, record) in zone.records().enumerate() {
            let by_index = zone.record(index).map(|r| (r.span(), r.rdata()));
            assert_eq!(by_index, Some((record.span(), record.rdata())), "{index}");
        }
        assert!(zone.record(zone.len()).is_none());
        assert_eq!(zone.records().len(), zone.len());
        for comment in &zone.comments {
            out.push_str(&format!("{comment:?}\n"));
        }
        for diagnostic in diagnostics {
            out.push_str(&format!("{diagnostic:?}\n"));
        }
        out.push_str(&format!("{:?} {}\n", zone.origin, zone.sources.len()));
        out
    }

    fn options(max_diagnostics: usize) -> ParseOptions {
        ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            max_diagnostics,
            ..ParseOptions::default()
        }
    }

    /// Parses `text` cut at `cuts` with the guess taken at `opening`, next to the parse
    /// in one part: how many parts were kept rather than parsed again.
    fn compare(text: &Arc<[u8]>, options: &ParseOptions, cuts: &[usize], opening: usize) -> usize {
        let (zone, diagnostics, _) = parse_cut(
            "t",
            Arc::clone(text).into(),
            options,
            &mut NoIncludes,
            &[],
            0,
        );
        let whole = outcome(&zone, &diagnostics);
        let (zone, diagnostics, kept) = parse_cut(
            "t",
            Arc::clone(text).into(),
            options,
            &mut NoIncludes,
            cuts,
            opening,
        );
        assert_eq!(
            outcome(&zone, &diagnostics),
            whole,
            "cut at {cuts:?} (guess at {opening}) in {:?}",
            String::from_utf8_lossy(text)
        );
        kept
    }

    /// Every line start of `text` (not only those [`cuts`] picks): a cut at a blank
    /// owner, a directive, a comment or inside parentheses must come out the same.
    fn line_starts(text: &[u8]) -> Vec<usize> {
        memchr::memchr_iter(b'\n', text)
            .map(|feed| feed + 1)
            .filter(|&start| start < text.len())
            .collect()
    }

    /// Cuts `text` at every line and every pair of lines two apart, with the guess from
    /// the true state at the first cut and from the start, and (`every_guess`) from the
    /// first line and from the second: how many parts were kept.
    fn every_cut(text: &Arc<[u8]>, options: &ParseOptions, every_guess: bool) -> usize {
        let starts = line_starts(text);
        let mut kept = 0;
        // The guess from the state after the second line, too (a `$TTL` and an SOA).
        let second_line = starts.get(1).copied().unwrap_or(0);
        let openings = if every_guess { 4 } else { 2 };
        for (index, &cut) in starts.iter().enumerate() {
            for opening in [cut, 0, 1, second_line].into_iter().take(openings) {
                kept += compare(text, options, &[cut], opening);
                if let Some(&second) = starts.get(index + 2) {
                    kept += compare(text, options, &[cut, second], opening);
                }
            }
        }
        kept
    }

    /// A zone that changes all the state a part inherits: `$ORIGIN`, `$TTL`, classes,
    /// blank owners after a directive, records over several lines, quotes, `$GENERATE`,
    /// bad records.
    const STATEFUL: &str = "\
@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300
  NS ns.example.net.
www A 192.0.2.1
  3600 AAAA 2001:db8::1
txt TXT \"a;b\" ( \"c\"
  \"d\" ) ; comment
$TTL 60
mail CH A 192.0.2.2
  MX 10 mail
$ORIGIN sub.example.com.
  A 192.0.2.3
x 7200 A 192.0.2.4
y A 192.0.2.5
bad A 999.1.1.1
  A 192.0.2.6
\"q\" A 192.0.2.8
  A 192.0.2.11
$GENERATE 1-3 host$ A 192.0.2.$
z A 192.0.2.7
$ORIGIN example.com.
(
last A 192.0.2.9
";

    #[test]
    fn a_stateful_zone_cut_at_every_line_parses_as_in_one_part() {
        let variants = [
            STATEFUL.to_owned(),
            // The origin alone changes (the class stays IN).
            STATEFUL.replace(" CH ", " "),
            // A relative `$ORIGIN`, which reads the origin before it.
            STATEFUL
                .replace(" CH ", " ")
                .replace("$ORIGIN example.com.", "$ORIGIN back"),
            // Only the origin changes after the first two lines.
            "$TTL 300\n@ IN SOA ns hostmaster 1 7200 3600 1209600 300\na A 192.0.2.1\n\
             $ORIGIN sub.example.com.\nb A 192.0.2.2\n$ORIGIN deeper\nc A 192.0.2.3\n\
             $ORIGIN @\nd A 192.0.2.4\n"
                .to_owned(),
            // No `$TTL`: each record's TTL comes from the one before, or the SOA's.
            STATEFUL
                .replace("$TTL 60\n", "")
                .replace("@ 3600 IN SOA", "@ IN SOA"),
        ];
        for text in variants {
            let text: Arc<[u8]> = Arc::from(text.as_bytes());
            assert!(
                every_cut(&text, &options(10_000), true) > 0,
                "no part was kept"
            );
            // With few diagnostics kept, the limit counts across the parts.
            every_cut(&text, &options(2), true);
        }
        // The records `$GENERATE` may make are counted across the parts: the second
        // directive is over the limit only after the first.
        let text = STATEFUL.replace("last A", "$GENERATE 1-3 more$ A 192.0.2.$\nlast A");
        let options = ParseOptions {
            max_generated_total: 4,
            ..options(10_000)
        };
        assert!(every_cut(&Arc::from(text.as_bytes()), &options, true) > 0);
    }

    /// The zone files of the test data and the parser's fuzz seeds.
    pub(crate) fn test_files() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["testdata", "fuzz/seeds/parse"] {
            let mut pending = vec![root.join(dir)];
            while let Some(dir) = pending.pop() {
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        pending.push(path);
                    } else if !path
                        .extension()
                        .is_some_and(|e| ["md", "toml", "generic", "txt"].iter().any(|x| e == *x))
                    {
                        files.push(path);
                    }
                }
            }
        }
        assert!(files.len() > 100, "{} files", files.len());
        files
    }

    #[test]
    fn every_test_file_cut_at_every_line_parses_as_in_one_part() {
        let mut kept = 0;
        for file in test_files() {
            let text: Arc<[u8]> = std::fs::read(&file).unwrap_or_default().into();
            kept += every_cut(&text, &options(10_000), false);
        }
        assert!(kept > 1000, "{kept} parts kept");
    }

    #[test]
    fn a_part_with_an_include_is_parsed_again_with_the_loader() {
        let text = STATEFUL.replace("z A", "$INCLUDE other.zone\nz A");
        let text: Arc<[u8]> = Arc::from(text.as_bytes());
        let loader = MemoryLoader::new().with("other.zone", b"inc A 192.0.2.10\n  TXT \"in\"\n");
        let options = options(10_000);
        let (zone, diagnostics, _) = parse_cut(
            "t",
            Arc::clone(&text).into(),
            &options,
            &mut loader.clone(),
            &[],
            0,
        );
        let whole = outcome(&zone, &diagnostics);
        // The included file is read (a second source).
        assert!(whole.ends_with(" 2\n"), "{whole}");
        for cut in line_starts(&text) {
            let (zone, diagnostics, _) = parse_cut(
                "t",
                Arc::clone(&text).into(),
                &options,
                &mut loader.clone(),
                &[cut],
                cut,
            );
            assert_eq!(outcome(&zone, &diagnostics), whole, "cut at {cut}");
        }
    }

    #[test]
    fn cuts_fall_at_lines_that_name_an_owner() {
        let mut text = String::new();
        let mut line = 0;
        while text.len() < 4 * OPENING {
            line += 1;
            text.push_str(&format!(
                "h{line} A 192.0.2.1\n  AAAA 2001:db8::1\n; note\n"
            ));
        }
        let text = text.as_bytes();
        let cuts = cuts(text, 3);
        assert_eq!(cuts.len(), 2, "{cuts:?}");
        for &cut in &cuts {
            assert_eq!(text.get(cut.saturating_sub(1)), Some(&b'\n'));
            assert_eq!(text.get(cut), Some(&b'h'), "{cut}");
        }
        assert!(cuts[0] >= 2 * OPENING && cuts[0] < cuts[1]);
        // An `$ORIGIN` line with an absolute name is preferred.
        let mut with_origin = text.to_vec();
        let at = with_origin.len() / 2 + 4 * 1024;
        let at = at + memchr::memchr(b'\n', &with_origin[at..]).unwrap_or(0) + 1;
        with_origin.splice(at..at, b"$ORIGIN sub.example.com.\n".iter().copied());
        assert_eq!(super::cuts(&with_origin, 2), vec![at]);
        // One part: no cut; a text too short for one past the opening: none either.
        assert!(super::cuts(text, 1).is_empty());
        assert!(super::cuts(&text[..OPENING], 2).is_empty());
    }
}
