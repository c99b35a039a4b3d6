//! Property tests of the grammars: any input parses or yields problems and never panics;
//! every span lies within the record and problems come in order; valid records survive
//! parse → render → parse.

#![expect(
    clippy::indexing_slicing,
    reason = "test code on generated data of known shape; a panic is a test failure"
)]

use proptest::prelude::*;
use zonelint_policy::grammar::{base64, bimi, der, dkim, dmarc, mta_sts, spf, tlsrpt, RecordText};
use zonelint_zone::Span;

/// A 1024-bit RSA SubjectPublicKeyInfo, base64 (generated with openssl for these tests).
const KEY_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCyNJS0a9Nm47Wi9xpqA9gJj9GvEBoZKLmNj0P5Z7wBLu6bgS+S2MtzfRFvoVEEekhiLFGJ4cg3iX6ybHaAm8ErZbMD/+yPtLZ9PDOvmjjlS/2ErZ4hxq5oTI99Owlzrn8IOlS/efpSWmYtbZxoo5asMV+OMjaq1KaDuGSMbSYk6QIDAQAB";

/// Fragments that steer random text into the grammars' interesting corners.
const FRAGMENTS: &[&str] = &[
    "v=spf1",
    "v=spf1 ",
    " ",
    "  ",
    "a",
    "mx",
    "ptr",
    "all",
    "-all",
    "~all",
    "+",
    "?",
    "include:",
    "exists:",
    "ip4:",
    "ip6:",
    "192.0.2.1",
    "2001:db8::1",
    "::",
    "/",
    "//",
    "24",
    "33",
    "0",
    "example.com",
    ".",
    "..",
    ":",
    "%{",
    "%{d}",
    "%{ir}",
    "%{l2r-}",
    "%%",
    "%_",
    "%",
    "}",
    "{",
    "redirect=",
    "exp=",
    "ra=",
    "rp=",
    "rr=",
    "=",
    ";",
    ",",
    "!",
    "10m",
    "\\059",
    "\\034",
    "\\\\",
    "\\",
    "é",
    "\t",
    "v=DMARC1",
    "p=",
    "sp=",
    "np=",
    "reject",
    "none",
    "t=y",
    "pct=",
    "rua=",
    "mailto:",
    "@",
    "https://",
    "%2C",
    "v=DKIM1",
    "k=",
    "rsa",
    "ed25519",
    "h=",
    "t=",
    "AAAA",
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    "==",
    "v=STSv1",
    "id=",
    "v=TLSRPTv1",
    "v=BIMI1",
    "l=",
    ".svg",
    "1",
    "x",
];

/// One character-string as written in a zone file: quoted, with `"` and `\` escaped
/// unless the fragment is itself an escape.
fn piece() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
            1 => any::<char>().prop_map(|c| c.to_string()),
            1 => (0u16..=999).prop_map(|n| format!("\\{n:03}")),
        ],
        0..12,
    )
    .prop_map(|parts| {
        let mut out = String::from("\"");
        for part in parts {
            if part.starts_with('\\') {
                out.push_str(&part);
            } else {
                for c in part.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
        out.push('"');
        out
    })
}

fn record() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(piece(), 1..4)
}

fn within(span: Span, whole: Span) -> bool {
    span.start <= span.end && span.start >= whole.start && span.end <= whole.end
}

fn check_spans(text: &RecordText, spans: &[Span], what: &str) -> Result<(), TestCaseError> {
    let whole = text.whole_span();
    for span in spans {
        prop_assert!(within(*span, whole), "{what}: {span:?} outside {whole:?}");
    }
    Ok(())
}

fn ordered(spans: &[Span]) -> bool {
    spans.windows(2).all(|w| w[0].start <= w[1].start)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn spf_never_panics_and_spans_are_in_bounds(pieces in record()) {
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let (text, _) = RecordText::from_pieces(&pieces);
        let (parsed, problems) = spf::parse(&text);
        let problem_spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &problem_spans, "spf problem")?;
        prop_assert!(ordered(&problem_spans));
        let term_spans: Vec<Span> = parsed.terms.iter().map(|t| t.span()).collect();
        check_spans(&text, &term_spans, "spf term")?;
        prop_assert!(term_spans.windows(2).all(|w| w[0].end <= w[1].start));
        let join_spans: Vec<Span> = parsed.joins.iter().map(|j| j.span).collect();
        check_spans(&text, &join_spans, "spf join")?;
        let _ = parsed.to_string();
        let (explanation, problems) = spf::parse_explanation(&text);
        check_spans(&text, &[explanation.span()], "explanation")?;
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "explanation problem")?;
    }

    #[test]
    fn tag_grammars_never_panic_and_spans_are_in_bounds(pieces in record()) {
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let (text, _) = RecordText::from_pieces(&pieces);
        let (record, problems) = dmarc::parse(&text);
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "dmarc")?;
        prop_assert!(ordered(&spans));
        let tag_spans: Vec<Span> = record.tags.iter().flat_map(|t| [t.span(), t.name_span(), t.value_span()]).collect();
        check_spans(&text, &tag_spans, "dmarc tag")?;
        let _ = (record.to_string(), record.effective_policy());
        let (record, problems) = dkim::parse(&text);
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "dkim")?;
        prop_assert!(ordered(&spans));
        let _ = record.to_string();
        let (_, problems) = mta_sts::parse(&text);
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "mta-sts")?;
        let (_, problems) = tlsrpt::parse(&text);
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "tls-rpt")?;
        let (_, problems) = bimi::parse(&text);
        let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
        check_spans(&text, &spans, "bimi")?;
    }

    #[test]
    fn der_reader_survives_random_and_mutated_keys(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        flips in prop::collection::vec((0usize..300, any::<u8>()), 0..4),
    ) {
        let _ = der::read_rsa_key(&bytes);
        // A real 1024-bit SubjectPublicKeyInfo with a few bytes overwritten.
        let mut key = base64::decode(KEY_1024.as_bytes()).unwrap();
        for (at, value) in flips {
            let len = key.len();
            key[at % len] = value;
        }
        if let Ok(rsa) = der::read_rsa_key(&key) {
            prop_assert!(rsa.modulus_bits <= 8 * 400);
        }
    }

    #[test]
    fn dkim_keys_of_random_bytes_never_panic(key in prop::collection::vec(any::<u8>(), 0..600)) {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut encoded = String::new();
        for chunk in key.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    encoded.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    encoded.push('=');
                }
            }
        }
        for k in ["rsa", "ed25519"] {
            let record = format!("\"v=DKIM1; k={k}; p={encoded}\"");
            let (text, _) = RecordText::from_pieces(&[&record]);
            let (parsed, problems) = dkim::parse(&text);
            prop_assert!(parsed.public_key.is_some());
            let spans: Vec<Span> = problems.iter().map(|p| p.span).collect();
            check_spans(&text, &spans, "dkim key")?;
        }
    }
}

/// A valid SPF term.
fn spf_term() -> impl Strategy<Value = String> {
    let domain = prop::sample::select(vec![
        "example.com",
        "_spf.example.net",
        "%{d}",
        "%{ir}.%{v}._spf.%{d2}",
        "a-b.example.",
        "x.%{l1r-}.example.org",
    ]);
    let qualifier = prop::sample::select(vec!["", "+", "-", "~", "?"]);
    let mechanism = prop_oneof![
        Just("all".to_owned()),
        domain.clone().prop_map(|d| format!("include:{d}")),
        domain.clone().prop_map(|d| format!("exists:{d}")),
        (
            prop::option::of(domain.clone()),
            prop::option::of(0u8..=32),
            prop::option::of(0u8..=128)
        )
            .prop_map(|(d, c4, c6)| {
                let mut s = "a".to_owned();
                if let Some(d) = d {
                    s.push(':');
                    s.push_str(d);
                }
                if let Some(c) = c4 {
                    s.push_str(&format!("/{c}"));
                }
                if let Some(c) = c6 {
                    s.push_str(&format!("//{c}"));
                }
                s
            }),
        (prop::option::of(domain.clone()), prop::option::of(0u8..=32)).prop_map(|(d, c4)| {
            let mut s = "mx".to_owned();
            if let Some(d) = d {
                s.push(':');
                s.push_str(d);
            }
            if let Some(c) = c4 {
                s.push_str(&format!("/{c}"));
            }
            s
        }),
        prop::option::of(domain.clone())
            .prop_map(|d| d.map_or("ptr".to_owned(), |d| format!("ptr:{d}"))),
        (any::<[u8; 4]>(), prop::option::of(0u8..=32)).prop_map(|(a, c)| {
            let address = std::net::Ipv4Addr::from(a);
            c.map_or(format!("ip4:{address}"), |c| format!("ip4:{address}/{c}"))
        }),
        (any::<[u8; 16]>(), prop::option::of(0u8..=128)).prop_map(|(a, c)| {
            let address = std::net::Ipv6Addr::from(a);
            c.map_or(format!("ip6:{address}"), |c| format!("ip6:{address}/{c}"))
        }),
    ];
    (qualifier, mechanism).prop_map(|(q, m)| format!("{q}{m}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn valid_spf_round_trips(terms in prop::collection::vec(spf_term(), 0..8), redirect in prop::option::of("[a-z]{1,8}\\.example\\.com"), spaces in 1usize..3) {
        let mut record = "v=spf1".to_owned();
        for term in &terms {
            record.push_str(&" ".repeat(spaces));
            record.push_str(term);
        }
        if let Some(redirect) = redirect {
            record.push_str(&format!(" redirect={redirect}"));
        }
        let quoted = format!("\"{record}\"");
        let (text, _) = RecordText::from_pieces(&[&quoted]);
        let (parsed, problems) = spf::parse(&text);
        prop_assert!(!spf::is_permerror(&problems), "{record}: {problems:?}");
        let rendered = parsed.to_string();
        let quoted = format!("\"{rendered}\"");
        let (text2, _) = RecordText::from_pieces(&[&quoted]);
        let (reparsed, problems2) = spf::parse(&text2);
        prop_assert!(!spf::is_permerror(&problems2));
        prop_assert_eq!(reparsed.to_string(), rendered);
        prop_assert_eq!(parsed.terms.len(), reparsed.terms.len());
    }

    #[test]
    fn valid_dmarc_round_trips(
        p in prop::sample::select(vec!["none", "quarantine", "reject"]),
        sp in prop::option::of(prop::sample::select(vec!["none", "quarantine", "reject"])),
        t in prop::option::of(prop::sample::select(vec!["y", "n"])),
        fo in prop::option::of(prop::sample::select(vec!["0", "1", "d", "s", "1:d:s", "0:s"])),
        rua in prop::option::of("[a-z]{1,8}@[a-z]{1,8}\\.example"),
        separator in prop::sample::select(vec![";", "; ", " ; ", ";\t"]),
    ) {
        let mut record = format!("v=DMARC1{separator}p={p}");
        if let Some(sp) = sp { record.push_str(&format!("{separator}sp={sp}")); }
        if let Some(t) = t { record.push_str(&format!("{separator}t={t}")); }
        if let Some(fo) = fo { record.push_str(&format!("{separator}fo={fo}")); }
        if let Some(rua) = rua { record.push_str(&format!("{separator}rua=mailto:{rua}")); }
        let quoted = format!("\"{record}\"");
        let (text, _) = RecordText::from_pieces(&[&quoted]);
        let (parsed, problems) = dmarc::parse(&text);
        prop_assert!(problems.is_empty(), "{record}: {problems:?}");
        let rendered = parsed.to_string();
        let quoted = format!("\"{rendered}\"");
        let (text2, _) = RecordText::from_pieces(&[&quoted]);
        let (reparsed, problems2) = dmarc::parse(&text2);
        prop_assert!(problems2.is_empty());
        prop_assert_eq!(reparsed.to_string(), rendered);
        prop_assert_eq!(reparsed.effective_policy(), parsed.effective_policy());
        prop_assert_eq!(reparsed.effective_nonexistent_policy(), parsed.effective_nonexistent_policy());
    }
}

/// Wraps a grammar's parser for [`round_trip`]: the rendering and the problems as text.
macro_rules! rendered {
    ($grammar:ident) => {
        |text: &RecordText| {
            let (record, problems) = $grammar::parse(text);
            (
                record.to_string(),
                problems
                    .iter()
                    .map(|p| format!("{p:?}"))
                    .collect::<Vec<_>>(),
            )
        }
    };
}

/// Parses `record`, requires no problems, renders it, and requires the rendering to parse
/// without problems and render the same.
fn round_trip(
    record: &str,
    parse: impl Fn(&RecordText) -> (String, Vec<String>),
) -> Result<(), TestCaseError> {
    let quoted = format!("\"{record}\"");
    let (text, _) = RecordText::from_pieces(&[&quoted]);
    let (parsed, problems) = parse(&text);
    prop_assert!(problems.is_empty(), "{record}: {problems:?}");
    let rendered = parsed;
    let quoted = format!("\"{rendered}\"");
    let (text2, _) = RecordText::from_pieces(&[&quoted]);
    let (reparsed, problems2) = parse(&text2);
    prop_assert!(problems2.is_empty(), "{rendered}: {problems2:?}");
    prop_assert_eq!(reparsed, rendered);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn valid_tag_records_round_trip(
        separator in prop::sample::select(vec![";", "; ", " ; ", ";\t"]),
        id in "[A-Za-z0-9]{1,32}",
        host in "[a-z]{1,10}\\.example",
        flags in prop::sample::select(vec!["y", "s", "y:s"]),
        split in 0usize..200,
    ) {
        // DKIM, with the key split by whitespace somewhere.
        let key = KEY_1024;
        let at = split.min(key.len());
        let record = format!("v=DKIM1{separator}k=rsa{separator}t={flags}{separator}p={} {}", &key[..at], &key[at..]);
        round_trip(&record, rendered!(dkim))?;
        let record = format!("v=STSv1{separator}id={id}");
        round_trip(&record, rendered!(mta_sts))?;
        let record = format!("v=TLSRPTv1{separator}rua=mailto:tls@{host},https://{host}/r");
        round_trip(&record, rendered!(tlsrpt))?;
        let record = format!("v=BIMI1{separator}l=https://{host}/logo.svg{separator}a=https://{host}/vmc.pem");
        round_trip(&record, rendered!(bimi))?;
    }
}
