//! What the fuzz targets share: the invariants, and the ways bytes become input.
#![allow(dead_code, reason = "each target uses only some of these")]

use std::collections::HashMap;
use std::sync::Arc;

use zonelint_policy::grammar::RecordText;
use zonelint_zone::{
    parse, Diagnostic, MemoryLoader, Name, ParseOptions, RType, SourceId, Span, Zone,
};

/// Asserts that `span` lies within its source of `zone`, with `start <= end`.
pub fn assert_in_zone(zone: &Zone, span: Span, what: &str) {
    let source = zone
        .sources
        .get(span.source)
        .unwrap_or_else(|| panic!("{what}: {span:?} names no source"));
    assert!(
        span.start <= span.end && span.end as usize <= source.text().len(),
        "{what}: {span:?} outside {} bytes",
        source.text().len()
    );
}

/// Asserts the span invariants of a parse (or lint) result: every diagnostic, related
/// note, fix edit, record field and comment within its source; records of one source in
/// file order.
pub fn assert_spans(zone: &Zone, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        assert_in_zone(zone, diagnostic.primary, &diagnostic.message);
        for related in &diagnostic.related {
            assert_in_zone(zone, related.span, &related.message);
        }
        for edit in diagnostic.fix.iter().flat_map(|fix| &fix.edits) {
            assert_in_zone(zone, edit.span, "fix edit");
        }
    }
    let mut last_start: HashMap<u32, u32> = HashMap::new();
    for record in zone.records() {
        for span in [
            Some(record.span()),
            Some(record.owner_span()),
            Some(record.type_span()),
            Some(record.rdata_span()),
            record.ttl_span(),
            record.class_span(),
        ]
        .into_iter()
        .flatten()
        {
            assert_in_zone(zone, span, "record");
        }
        for field in record.fields() {
            assert_in_zone(zone, field.span, "field");
            assert!(field.wire_start <= field.wire_end);
            assert!(usize::from(field.wire_end) <= record.rdata().len());
        }
        let last = last_start.entry(record.span().source.0).or_insert(0);
        assert!(record.span().start >= *last, "records out of order");
        *last = record.span().start;
    }
    for comment in &zone.comments {
        assert_in_zone(zone, comment.span, "comment");
    }
}

/// Parses `data` as a zone with origin `example.com.`, `$INCLUDE inc` reading `data`
/// again (so the include frames, cycle and depth guards are fuzzed too).
pub fn parse_zone(data: &[u8]) -> (Zone, Vec<Diagnostic>) {
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let mut loader = MemoryLoader::new()
        .with("inc", data)
        .with("sub", b"x A 192.0.2.1\n$INCLUDE inc\n");
    parse("fuzz.zone", Arc::from(data), &options, &mut loader)
}

/// The record texts `data` stands for, with the bytes their spans index: the raw pieces
/// of `data` split at newlines (as if each were one character-string), and the TXT
/// records of `@ TXT <data>` read by the real parser.
pub fn record_texts(data: &[u8]) -> Vec<(RecordText, Vec<u8>)> {
    let mut texts = Vec::new();
    let mut text = RecordText::default();
    let mut layout = Vec::new();
    for (index, piece) in data.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            layout.push(b' ');
        }
        let start = u32::try_from(layout.len()).unwrap_or(u32::MAX);
        layout.extend_from_slice(piece);
        text.push_string(SourceId(0), start, piece);
    }
    texts.push((text, layout));

    let mut zone_text = b"@ TXT ".to_vec();
    zone_text.extend_from_slice(data);
    zone_text.push(b'\n');
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let (zone, _) = parse(
        "fuzz.zone",
        Arc::from(zone_text.as_slice()),
        &options,
        &mut zonelint_zone::NoIncludes,
    );
    for record in zone.records() {
        if matches!(record.rtype(), RType::TXT | RType::SPF) {
            if let Some(source) = zone.sources.get(record.span().source) {
                texts.push((
                    RecordText::from_record(&record, source.text()),
                    source.text().to_vec(),
                ));
            }
        }
    }
    texts
}

/// Asserts that a grammar's span lies within the bytes its record text came from.
pub fn assert_in(source: &[u8], span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end as usize <= source.len(),
        "{what}: {span:?} outside {} bytes",
        source.len()
    );
}

/// One edit of a fix: the byte range it replaces and what it writes.
pub type Edit<'a> = (usize, usize, &'a str);

/// The edits of one round of fixes, as the CLI takes them: every fix (safe or unsafe)
/// whose edits overlap no edit already taken nor each other; two insertions at one place
/// clash too (their order would be a guess).
pub fn one_round_of_fixes(findings: &[Diagnostic]) -> Vec<Edit<'_>> {
    fixes_taken(findings)
        .into_iter()
        .flat_map(|(_, edits)| edits)
        .collect()
}

/// The findings whose fixes one round takes, each with its edits (see
/// [`one_round_of_fixes`]).
pub fn fixes_taken(findings: &[Diagnostic]) -> Vec<(&Diagnostic, Vec<Edit<'_>>)> {
    let clash = |a: &Edit<'_>, b: &Edit<'_>| (a.0 < b.1 && b.0 < a.1) || a.0 == b.0;
    let mut taken: Vec<(&Diagnostic, Vec<Edit<'_>>)> = Vec::new();
    for finding in findings {
        let Some(fix) = finding.fix.as_ref() else {
            continue;
        };
        let edits: Vec<Edit<'_>> = fix
            .edits
            .iter()
            .map(|e| {
                (
                    e.span.start as usize,
                    e.span.end as usize,
                    e.content.as_str(),
                )
            })
            .collect();
        let clashes = edits.iter().enumerate().any(|(i, a)| {
            taken.iter().flat_map(|(_, t)| t).any(|b| clash(a, b))
                || edits.iter().enumerate().any(|(j, b)| i != j && clash(a, b))
        });
        if !clashes && !edits.is_empty() {
            taken.push((finding, edits));
        }
    }
    taken
}

/// `data` with `edits` applied, from the end so that earlier offsets stay valid.
pub fn apply(data: &[u8], mut edits: Vec<Edit<'_>>) -> Vec<u8> {
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut fixed = data.to_vec();
    for (start, end, content) in edits {
        fixed.splice(start..end, content.bytes());
    }
    fixed
}
