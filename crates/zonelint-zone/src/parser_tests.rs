//! Parser tests: each syntax feature and each PARSE code, shown as the records and the
//! diagnostics a user would see (insta snapshots).

use super::*;
use crate::include::{Loaded, MemoryLoader};
use std::fmt::Write as _;

/// Parses `input` (as `t.zone`, origin `example.com.` unless `origin` is given) and
/// renders every record and diagnostic, one per line.
fn render_with(
    input: &str,
    origin: Option<&str>,
    loader: &mut dyn Loader,
    options: &ParseOptions,
) -> String {
    let options = ParseOptions {
        origin: origin.map(|o| Name::from_ascii(o).unwrap()),
        ..options.clone()
    };
    let (zone, diagnostics) = parse("t.zone", Arc::from(input.as_bytes()), &options, loader);
    let mut out = String::new();
    for record in zone.records() {
        let mut rdata = String::new();
        crate::rdata::write_generic(&record.rdata(), &mut rdata);
        let _ = writeln!(
            out,
            "{} {} {} {} {rdata}  [{:?} owner_span={:?}]",
            record.owner(),
            record.ttl().seconds(),
            record.class(),
            record.rtype(),
            record.ttl_source(),
            slice(&zone, record.owner_span()),
        );
    }
    for d in &diagnostics {
        let source = zone.sources.get(d.primary.source).unwrap();
        let (line, column) = source.line_column(d.primary.start);
        let _ = writeln!(
            out,
            "{}:{line}:{column} {} {} `{}` {}{}",
            source.name(),
            d.severity.as_str(),
            d.code.code,
            slice(&zone, d.primary),
            d.message,
            d.help
                .as_ref()
                .map(|h| format!(" | help: {h}"))
                .unwrap_or_default()
        );
    }
    out
}

fn slice(zone: &Zone, span: Span) -> String {
    let text = String::from_utf8_lossy(zone.sources.slice(span)).into_owned();
    if text.chars().count() > 60 {
        format!(
            "{}…[{} bytes]",
            text.chars().take(40).collect::<String>(),
            span.len()
        )
    } else {
        text
    }
}

fn render(input: &str) -> String {
    render_with(
        input,
        Some("example.com."),
        &mut crate::include::NoIncludes,
        &ParseOptions::default(),
    )
}

fn render_no_origin(input: &str) -> String {
    render_with(
        input,
        None,
        &mut crate::include::NoIncludes,
        &ParseOptions::default(),
    )
}

#[test]
fn origin_relative_absolute_and_at() {
    insta::assert_snapshot!(render(
        "$TTL 300\n@ A 192.0.2.1\nwww A 192.0.2.2\nabs.example.org. A 192.0.2.3\n$ORIGIN other.example.\nx A 192.0.2.4\n@ A 192.0.2.5\n"
    ));
}

#[test]
fn relative_origin_is_appended_with_a_warning() {
    insta::assert_snapshot!(render("$TTL 300\n$ORIGIN sub\nx A 192.0.2.1\n"));
}

#[test]
fn relative_names_without_origin_are_errors() {
    insta::assert_snapshot!(render_no_origin(
        "$TTL 300\nwww A 192.0.2.1\nok.example. A 192.0.2.2\nok.example. CNAME target\n"
    ));
}

#[test]
fn ttl_defaults_explicit_directive_previous() {
    insta::assert_snapshot!(render(
        "a 100 A 192.0.2.1\nb A 192.0.2.2\n$TTL 1h30m\nc A 192.0.2.3\nd 2W A 192.0.2.4\ne A 192.0.2.5\n"
    ));
}

#[test]
fn ttl_and_class_in_either_order() {
    insta::assert_snapshot!(render("$TTL 60\na IN 100 A 192.0.2.1\nb 100 IN A 192.0.2.2\nc IN A 192.0.2.3\nd CLASS1 A 192.0.2.4\ne CH 5 TXT x\n"));
}

#[test]
fn no_ttl_known_is_an_error() {
    insta::assert_snapshot!(render("a A 192.0.2.1\n"));
}

#[test]
fn parentheses_and_comments_span_lines() {
    insta::assert_snapshot!(render(
        "$TTL 60 ; default\n; a whole-line comment\nt TXT ( \"one\" ; first\n   \"two\" ) ; after\nm MX ( 10\n  mail )\n"
    ));
}

#[test]
fn parenthesis_errors_are_reported_and_parsing_goes_on() {
    insta::assert_snapshot!(render(
        "$TTL 60\na A 192.0.2.1 )\nb TXT ( ( \"x\" ) )\nc A 192.0.2.3\nd TXT ( \"open\"\ne A 192.0.2.5\n"
    ));
}

#[test]
fn unterminated_quote() {
    insta::assert_snapshot!(render("$TTL 60\na TXT \"never closed\nb A 192.0.2.2\n"));
}

#[test]
fn blank_owner_continues_the_previous_owner() {
    insta::assert_snapshot!(render(
        "$TTL 60\nwww A 192.0.2.1\n      AAAA 2001:db8::1\n\tTXT \"v=spf1 -all\"\n"
    ));
}

#[test]
fn blank_owner_on_the_first_record() {
    insta::assert_snapshot!(render("$TTL 60\n  A 192.0.2.1\nb A 192.0.2.2\n"));
}

#[test]
fn blank_owner_after_origin_warns() {
    insta::assert_snapshot!(render(
        "$TTL 60\nwww A 192.0.2.1\n$ORIGIN sub.example.com.\n  A 192.0.2.2\n"
    ));
}

#[test]
fn escapes_in_names_and_strings() {
    insta::assert_snapshot!(render("$TTL 60\na\\.b A 192.0.2.1\n\\065\\066 A 192.0.2.2\nt TXT \"semi\\059colon\" \"quote\\\"d\" back\\\\slash\n"));
}

#[test]
fn crlf_bom_and_no_final_newline() {
    insta::assert_snapshot!(render(
        "\u{feff}$TTL 60\r\na A 192.0.2.1 ; c\r\nb TXT \"x\"\r\nc A 192.0.2.3"
    ));
}

#[test]
fn generic_forms_equal_typed_forms() {
    let typed = render("$TTL 60\na A 192.0.2.1\n");
    let generic = render("$TTL 60\na TYPE1 \\# 4 C0000201\n");
    let class_generic = render("$TTL 60\na CLASS1 TYPE1 \\# 4 c0 00 02 01\n");
    let lines = |s: &str| {
        s.lines()
            .map(|l| l.split("  [").next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&typed), lines(&generic));
    assert_eq!(lines(&typed), lines(&class_generic));
    insta::assert_snapshot!(render("$TTL 60\nu TYPE65280 \\# 3 abcdef\nv TYPE65281 \\# 0\nw A \\# 3 C00002\nx TYPE1 \\# 5 C0000201\n"));
}

#[test]
fn unknown_types_classes_and_query_types() {
    insta::assert_snapshot!(render(
        "$TTL 60\na A6X 1 2 3\nb FOO 192.0.2.1\nc AXFR x\nd TYPE65536 \\# 0\ne A 192.0.2.5\n"
    ));
}

#[test]
fn junk_after_rdata() {
    insta::assert_snapshot!(render(
        "$TTL 60\na A 192.0.2.1 192.0.2.2\nb MX 10 mail extra words\n"
    ));
}

#[test]
fn bad_names() {
    let long_label = "a".repeat(64);
    let long_name = "abcdefghi.".repeat(26);
    insta::assert_snapshot!(render(&format!(
        "$TTL 60\nx..y A 192.0.2.1\n{long_label} A 192.0.2.2\n{long_name} A 192.0.2.3\n\\256 A 192.0.2.4\nc CNAME bad..target\nok A 192.0.2.6\n"
    )));
}

#[test]
fn bad_ttls() {
    insta::assert_snapshot!(render("$TTL 1x\na 1x2y A 192.0.2.1\nb 4294967296 A 192.0.2.2\nc 2147483648 A 192.0.2.3\n$TTL 60\nd A 192.0.2.4\n"));
}

#[test]
fn txt_string_over_255_octets() {
    let long = "v=spf1 ".to_owned() + &"ip4:192.0.2.1 ".repeat(20);
    insta::assert_snapshot!(render(&format!(
        "$TTL 60\nt TXT \"{long}\"\nok TXT \"short\"\n"
    )));
}

#[test]
fn unknown_directive() {
    insta::assert_snapshot!(render(
        "$ORIGNI example.net.\n$FOO bar\n$TTL 60\na A 192.0.2.1\n$TTL\n$ORIGIN a. b.\n"
    ));
}

#[test]
fn include_restores_origin_and_owner() {
    let mut loader = MemoryLoader::new()
        .with("inc.zone", b"x A 192.0.2.10\n  AAAA 2001:db8::10\n")
        .with("nested.zone", b"$INCLUDE inc.zone\n");
    insta::assert_snapshot!(render_with(
        "$TTL 60\nwww A 192.0.2.1\n$INCLUDE inc.zone sub.example.com.\n  A 192.0.2.2\nafter A 192.0.2.3\n$INCLUDE \"nested.zone\"\n",
        Some("example.com."),
        &mut loader,
        &ParseOptions::default(),
    ));
}

/// The file's text is moved out of its frame while an entry is parsed, not cloned: the
/// parts of a large file parsed on other cores share one count, and a clone per entry
/// wrote it from every core (the parallel parse of the 1M-record bench zone took 27 %
/// longer). Seen from a loader, called in the middle of an entry (its `$INCLUDE`).
#[test]
fn the_text_is_not_cloned_per_entry() {
    struct Counting {
        text: Arc<[u8]>,
        counts: Vec<usize>,
    }
    impl Loader for Counting {
        fn load(&mut self, _path: &str, _from_key: &str) -> Result<Loaded, LoadError> {
            self.counts.push(Arc::strong_count(&self.text));
            Err(LoadError::Disabled)
        }
    }
    let text: Arc<[u8]> = Arc::from(&b"a A 192.0.2.1\n$INCLUDE other.zone\nb A 192.0.2.2\n"[..]);
    let mut loader = Counting {
        text: Arc::clone(&text),
        counts: Vec::new(),
    };
    let options = ParseOptions {
        origin: Some(Name::from_ascii("example.com.").unwrap()),
        ..ParseOptions::default()
    };
    let mut diagnostics = Vec::new();
    let mut records = 0;
    {
        let mut parser = Parser::new("t.zone", Arc::clone(&text), &options, &mut loader);
        while parser.next_record(&mut diagnostics).is_some() {
            records += 1;
        }
    }
    assert_eq!(records, 2, "{diagnostics:?}");
    // Here, in the loader, in the parser's sources and in its frame: four, not five.
    assert_eq!(loader.counts, [4]);
}

#[test]
fn include_problems() {
    let mut loader = MemoryLoader::new()
        .with("self.zone", b"$INCLUDE self.zone\n")
        .with("ok.zone", b"ok A 192.0.2.9\n");
    insta::assert_snapshot!(render_with(
        "$TTL 60\n$INCLUDE missing.zone\n$INCLUDE\n$INCLUDE self.zone\n$INCLUDE ok.zone bad..origin\n$INCLUDE ok.zone o. extra\nlast A 192.0.2.1\n",
        Some("example.com."),
        &mut loader,
        &ParseOptions::default(),
    ));
    insta::assert_snapshot!(
        "include_disabled",
        render("$TTL 60\n$INCLUDE /etc/shadow\na A 192.0.2.1\n")
    );
}

#[test]
fn include_depth_is_capped() {
    let mut loader = MemoryLoader::new();
    for level in 0..15 {
        let text = format!(
            "l{level} A 192.0.2.{level}\n$INCLUDE level{}.zone\n",
            level + 1
        );
        loader = loader.with(&format!("level{level}.zone"), text.as_bytes());
    }
    let out = render_with(
        "$TTL 60\n$INCLUDE level0.zone\n",
        Some("example.com."),
        &mut loader,
        &ParseOptions::default(),
    );
    insta::assert_snapshot!(out);
}

#[test]
fn generate_expands_lazily_with_modifiers() {
    insta::assert_snapshot!(render(
        "$TTL 60\n$GENERATE 1-3 host$ A 192.0.2.$\n$GENERATE 0-4/2 ${10,3,d}.rev 300 IN PTR host${0,2,x}.example.com.\n$GENERATE 1-2 m$ MX \"10 mx$\"\n$GENERATE 1-1 esc\\$$ TXT \"a$$b\"\nafter A 192.0.2.9\n"
    ));
}

#[test]
fn generate_problems() {
    insta::assert_snapshot!(render(
        "$TTL 60\n$GENERATE 1-99999999 h$ A 192.0.2.1\n$GENERATE 10-1 h$ A 192.0.2.1\n$GENERATE 1-3 h${0,3,q} A 192.0.2.1\n$GENERATE 1-3 h$\n$GENERATE 250-260 h$ A 192.0.2.$\nlast A 192.0.2.1\n"
    ));
}

#[test]
fn generate_total_is_capped() {
    let options = ParseOptions {
        max_generated_total: 5,
        ..ParseOptions::default()
    };
    insta::assert_snapshot!(render_with(
        "$TTL 60\n$GENERATE 1-4 a$ A 192.0.2.$\n$GENERATE 1-4 b$ A 192.0.2.$\n",
        Some("example.com."),
        &mut crate::include::NoIncludes,
        &options,
    ));
}

#[test]
fn limits_token_size_and_diagnostic_count() {
    let huge = "a".repeat(70_000);
    insta::assert_snapshot!(
        "token_limit",
        render(&format!("$TTL 60\nx TXT {huge}\nok A 192.0.2.1\n"))
    );
    let options = ParseOptions {
        max_diagnostics: 3,
        ..ParseOptions::default()
    };
    let many = "bad A 1\n".repeat(10);
    insta::assert_snapshot!(
        "diagnostic_cap",
        render_with(
            &format!("$TTL 60\n{many}"),
            Some("example.com."),
            &mut crate::include::NoIncludes,
            &options
        )
    );
    let options = ParseOptions {
        max_file_size: 10,
        ..ParseOptions::default()
    };
    insta::assert_snapshot!(
        "file_size_cap",
        render_with(
            "$TTL 60\na A 192.0.2.1\n",
            Some("example.com."),
            &mut crate::include::NoIncludes,
            &options
        )
    );
}

#[test]
fn spans_point_at_the_exact_bytes() {
    let text = "$TTL 60\nwww  300 IN  TXT ( \"v=spf1 \"\n    \"-all\" )\n  A 192.0.2.1\n";
    let (zone, diagnostics) = parse_str(
        "t.zone",
        text,
        &ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        },
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let txt = zone.record(0).unwrap();
    let at = |span: Span| &text[span.range()];
    assert_eq!(at(txt.owner_span()), "www");
    assert_eq!(at(txt.ttl_span().unwrap()), "300");
    assert_eq!(at(txt.class_span().unwrap()), "IN");
    assert_eq!(at(txt.type_span()), "TXT");
    assert_eq!(
        at(txt.span()),
        "www  300 IN  TXT ( \"v=spf1 \"\n    \"-all\""
    );
    let fields: Vec<&str> = txt.fields().iter().map(|f| at(f.span)).collect();
    assert_eq!(fields, ["\"v=spf1 \"", "\"-all\""]);
    assert_eq!(
        txt.fields()
            .get(1)
            .map(|field| (field.wire_start, field.wire_end))
            .unwrap(),
        (8, 13)
    );
    let a = zone.record(1).unwrap();
    assert!(a.owner_span().is_empty());
    assert_eq!(at(a.span()), "A 192.0.2.1");
    assert_eq!(zone.comments.len(), 0);
}

/// `text` parsed as `t.zone` with the origin `example.com.`.
fn parse_in_example_com(text: &str) -> (Zone, Vec<Diagnostic>) {
    parse_str(
        "t.zone",
        text,
        &ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        },
    )
}

/// Spans are stored as 16-bit offsets from the record's first byte; a record whose text
/// is longer keeps them in full beside the headers. Both kinds read back exactly, from
/// the streaming parser and from the zone (whose list of full spans is its own).
#[test]
fn spans_of_records_over_64_kib_read_back_exactly() {
    let padding = format!("; {}\n", "x".repeat(70_000));
    let text = format!(
        "$TTL 60\nshort 30 IN TXT \"a\"\nlong 300 IN TXT ( \"b\"\n{padding}    \"c\" )\n  CH A 192.0.2.1\n\
         wide IN 40 TXT ( {padding} \"d\" )\n$GENERATE 1-2 g$ 50 IN A 192.0.2.$\n"
    );
    let (zone, diagnostics) = parse_in_example_com(&text);
    let at = |span: Span| &text[span.range()];
    let seen: Vec<_> = zone
        .records()
        .map(|r| {
            (
                at(r.owner_span()).to_owned(),
                r.ttl_span().map(|s| at(s).to_owned()),
                r.class_span().map(|s| at(s).to_owned()),
                at(r.type_span()).to_owned(),
                at(r.span()).len(),
                at(r.span()).split_whitespace().last().map(str::to_owned),
            )
        })
        .collect();
    let o = |s: &str| Some(s.to_owned());
    let directive = "$GENERATE 1-2 g$ 50 IN A 192.0.2.$";
    // What each record's parts read: owner, TTL, class, type, the record's length, and
    // its last word.
    let row = |owner: &str, ttl, class, rtype: &str, len, last| {
        (owner.to_owned(), ttl, class, rtype.to_owned(), len, o(last))
    };
    let generated = row(
        "g$",
        o(directive),
        o(directive),
        "A",
        directive.len(),
        "192.0.2.$",
    );
    assert_eq!(
        seen,
        [
            row("short", o("30"), o("IN"), "TXT", 19, "\"a\""),
            row("long", o("300"), o("IN"), "TXT", 70_032, "\"c\""),
            row("", None, o("CH"), "A", 14, "192.0.2.1"),
            row("wide", o("40"), o("IN"), "TXT", 70_024, "\"d\""),
            generated.clone(),
            generated,
        ]
    );
    // The record with a blank owner: its owner span is empty, at the line's start, before
    // the record's own span.
    let blank = zone.record(2).unwrap();
    assert_eq!(
        blank.owner_span().start as usize,
        text.find("\n  CH A").unwrap() + 1
    );
    assert!(blank.owner_span().start < blank.span().start);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.severity != crate::Severity::Error),
        "{diagnostics:?}"
    );
}

/// Fields far from the start of their record (here after long comments, in a record
/// whose own spans fit in 16-bit offsets and in one whose spans do not) read back
/// exactly from the zone: a guard for any compact form of the fields.
#[test]
fn fields_far_from_their_record_read_back_exactly() {
    // The second record's spans fit (it starts 60,000 bytes into its line, where its
    // empty owner is, and is 10,000 long), its last field does not; the third record's
    // own span is over 64 KiB.
    let (blank, short, long) = (" ".repeat(60_000), "y".repeat(10_000), "y".repeat(70_000));
    let text = format!(
        "$TTL 60\na TXT \"1\" \"2\"\n{blank}TXT ( \"3\" ; {short}\n \"4\" )\nb TXT ( \"5\" ; {long}\n \"6\" )\nc MX 10 mx\n"
    );
    let (zone, diagnostics) = parse_in_example_com(&text);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.severity != crate::Severity::Error),
        "{diagnostics:?}"
    );
    let at = |span: Span| &text[span.range()];
    let read = |fields: crate::Fields<'_>| -> Vec<String> {
        fields.iter().map(|f| at(f.span).to_owned()).collect()
    };
    let stored: Vec<Vec<String>> = zone.records().map(|r| read(r.fields())).collect();
    assert_eq!(
        stored,
        [
            vec!["\"1\"", "\"2\""],
            vec!["\"3\"", "\"4\""],
            vec!["\"5\"", "\"6\""],
            vec!["10", "mx"],
        ]
    );
    // From the back, and by position, alike.
    let record = zone.record(1).unwrap();
    let backwards: Vec<String> = record
        .fields()
        .iter()
        .rev()
        .map(|f| at(f.span).to_owned())
        .collect();
    assert_eq!(backwards, ["\"4\"", "\"3\""]);
    assert_eq!(record.fields().last().map(|f| at(f.span)), Some("\"4\""));
    assert_eq!(
        record.rdata_span(),
        record
            .fields()
            .first()
            .unwrap()
            .span
            .cover(record.fields().last().unwrap().span)
    );
}

#[test]
fn comments_are_kept_with_their_placement() {
    let text = "; own line\n$TTL 60\na A 192.0.2.1 ; trailing\n";
    let (zone, _) = parse_str(
        "t.zone",
        text,
        &ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        },
    );
    let comments: Vec<(&str, bool)> = zone
        .comments
        .iter()
        .map(|c| (&text[c.span.range()], c.own_line))
        .collect();
    assert_eq!(comments, [("; own line", true), ("; trailing", false)]);
}

#[test]
fn streaming_yields_the_same_records_as_the_whole_parse() {
    let text: Arc<[u8]> =
        Arc::from(&b"$TTL 60\na A 192.0.2.1\nb MX 10 a\nbad A 1\nc TXT \"x\" \"y\"\n"[..]);
    let options = ParseOptions {
        origin: Name::from_ascii("example.com.").ok(),
        ..ParseOptions::default()
    };
    let (zone, whole_diagnostics) = parse(
        "t",
        Arc::clone(&text),
        &options,
        &mut crate::include::NoIncludes,
    );
    let mut loader = crate::include::NoIncludes;
    let mut parser = Parser::new("t", text, &options, &mut loader);
    let mut diagnostics = Vec::new();
    let mut streamed = Vec::new();
    while let Some(record) = parser.next_record(&mut diagnostics) {
        streamed.push((
            record.owner().to_string(),
            record.rtype(),
            record.rdata().to_vec(),
        ));
    }
    let whole: Vec<_> = zone
        .records()
        .map(|r| (r.owner().to_string(), r.rtype(), r.rdata().to_vec()))
        .collect();
    assert_eq!(streamed, whole);
    assert_eq!(diagnostics, whole_diagnostics);
}

#[test]
fn hostile_bytes_never_panic() {
    let inputs: [&[u8]; 8] = [
        b"\0\0\0\n\xff\xfe",
        b"(((((((((",
        b")))))\n\"\"\"\"",
        b"\\",
        b"a \\",
        b"$GENERATE 1-2 ${",
        b"$INCLUDE \"\\",
        b"@ A\n\t\t\n\t;\n(\n",
    ];
    for input in inputs {
        let _ = parse(
            "t",
            Arc::from(input),
            &ParseOptions::default(),
            &mut crate::include::NoIncludes,
        );
    }
}
