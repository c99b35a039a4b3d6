use super::*;
use crate::grammar::RecordText;

/// Parses `record` (one quoted string, or several) and returns the problems as
/// `(code-ish kind, source text of the span)`.
fn problems(pieces: &[&str]) -> Vec<(SpfProblemKind, String)> {
    crate::grammar::problems_as_written(pieces, |t| parse(t).1)
}

/// One-string record: the problems with the text each span covers.
fn check(record: &str, expected: &[(SpfProblemKind, &str)]) {
    crate::grammar::check_problems(record, |t| parse(t).1, expected);
}

fn valid(record: &str) {
    check(record, &[]);
}

use DomainSpecError as D;
use MacroError as M;
use SpfProblemKind as K;

#[test]
fn version_selection() {
    let cases: &[(&str, SpfVersion)] = &[
        ("v=spf1", SpfVersion::Exact),
        ("v=spf1 -all", SpfVersion::Exact),
        ("v=spf10 -all", SpfVersion::NotSpf),
        ("V=SPF1 -all", SpfVersion::CaseVariant),
        (
            " v=spf1 -all",
            SpfVersion::NearMiss(NearMiss::LeadingWhitespace),
        ),
        ("v=spf1; -all", SpfVersion::NearMiss(NearMiss::BadSeparator)),
        ("v=spf1a -all", SpfVersion::NearMiss(NearMiss::BadSeparator)),
        ("v=spf1\t-all", SpfVersion::NearMiss(NearMiss::BadSeparator)),
        (
            "v=spf 1 -all",
            SpfVersion::NearMiss(NearMiss::SpacedVersion),
        ),
        (
            "v = spf1 -all",
            SpfVersion::NearMiss(NearMiss::SpacedVersion),
        ),
        ("spf1 mx -all", SpfVersion::NearMiss(NearMiss::MissingTag)),
        ("spf2.0/pra mx -all", SpfVersion::SenderId),
        ("google-site-verification=abc", SpfVersion::NotSpf),
        ("", SpfVersion::NotSpf),
        // Past the first 16 bytes: the leading whitespace, read as written.
        (
            "                    V=SPF1 -all",
            SpfVersion::NearMiss(NearMiss::LeadingWhitespace),
        ),
        ("                  v=spf12 -all", SpfVersion::NotSpf),
        (
            "\tv=spf1",
            SpfVersion::NearMiss(NearMiss::LeadingWhitespace),
        ),
        ("SPF2.0/MFROM,PRA mx -all", SpfVersion::SenderId),
        ("V:SPF1 -all", SpfVersion::NearMiss(NearMiss::MissingTag)),
        // The digit after the version, wherever the version ends.
        ("SPF=1 -all", SpfVersion::NearMiss(NearMiss::MissingTag)),
        ("spf=12 -all", SpfVersion::NotSpf),
        ("v:spf10 -all", SpfVersion::NotSpf),
        ("spf12 -all", SpfVersion::NotSpf),
        // Spaces squeezed out of the first 16 bytes only.
        (
            "v   =   SPF   1 -all",
            SpfVersion::NearMiss(NearMiss::SpacedVersion),
        ),
        ("v    =    spf    1 -all", SpfVersion::NotSpf),
    ];
    for (record, expected) in cases {
        assert_eq!(classify_version(record.as_bytes()), *expected, "{record:?}");
    }
}

#[test]
fn version_problems_point_at_the_version() {
    check(
        " v=spf1 -all",
        &[(K::VersionMalformed(NearMiss::LeadingWhitespace), "v=spf1")],
    );
    check(
        "v=spf1; -all",
        &[(K::VersionMalformed(NearMiss::BadSeparator), "v=spf1;")],
    );
    check("V=SPF1 -all", &[(K::VersionCase, "V=SPF1")]);
    check("v=spf10 -all", &[]);
}

#[test]
fn valid_records() {
    for record in [
        "v=spf1",
        "v=spf1 -all",
        "v=spf1  mx   -all  ",
        "v=spf1 a mx ptr -all",
        "v=spf1 +a:example.com/24//64 ~mx:mail.example.com//48 ?all",
        "v=spf1 a/0 mx//0 -all",
        "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.1 ip6:2001:db8::/32 ip6:::1 -all",
        "v=spf1 ip6:::ffff:192.0.2.1/128 -all",
        "v=spf1 include:_spf.example.com -all",
        "v=spf1 exists:%{i}.%{l1r+-}._spf.%{d} -all",
        "v=spf1 exists:%{ir}.%{v}.arpa._spf.%{d2} -all",
        "v=spf1 redirect=_spf.example.com",
        "v=spf1 -all exp=explain.%{d}",
        "v=spf1 -all ra=postmaster rp=100 rr=e:f",
        "v=spf1 INCLUDE:Example.COM -ALL",
        "v=spf1 a:example.com. -all",
        "v=spf1 a:foo-bar.123-4 -all",
        "v=spf1 a:%{d}",
        "v=spf1 include:%{d}.",
    ] {
        valid(record);
    }
}

#[test]
fn every_term_is_listed() {
    // A boxed slice, made to size: a list grown a term at a time had room for four or
    // eight, kept for a whole lint.
    for (record, count) in [
        ("\"v=spf1\"", 0),
        ("\"v=spf1 a  mx -all\"", 3),
        ("\"v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 -all \"", 6),
    ] {
        let (text, _) = RecordText::from_pieces(&[record]);
        let (parsed, _) = parse(&text);
        assert_eq!(parsed.terms.len(), count, "{record}");
    }
}

#[test]
fn terms_are_read() {
    let (text, _) = RecordText::from_pieces(&[
        "\"v=spf1 -a:x.example/24//64 ip4:192.0.2.0/24 redirect=r.example\"",
    ]);
    let (record, problems) = parse(&text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(record.terms.len(), 3);
    let (_, a) = record.directives().next().unwrap();
    assert_eq!(a.qualifier, Some(Qualifier::Fail));
    match &a.mechanism {
        Mechanism::A { domain, cidr } => {
            assert_eq!(domain.as_ref().unwrap().text(), b"x.example");
            assert_eq!(cidr.ip4.unwrap().length, 24);
            assert_eq!(cidr.ip6.unwrap().length, 64);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(record.redirect().unwrap().value.text(), b"r.example");
    assert_eq!(
        record.to_string(),
        "v=spf1 -a:x.example/24//64 ip4:192.0.2.0/24 redirect=r.example"
    );
}

#[test]
fn syntax_errors() {
    check("v=spf1 ip4:192.0.2 ~all", &[(K::InvalidAddress, "192.0.2")]);
    check(
        "v=spf1 ip4:192.0.2.1/33",
        &[(K::InvalidCidr { max: 32 }, "/33")],
    );
    check(
        "v=spf1 ip4:192.0.2.1/024",
        &[(K::InvalidCidr { max: 32 }, "/024")],
    );
    check(
        "v=spf1 ip4:192.0.2.1/",
        &[(K::InvalidCidr { max: 32 }, "/")],
    );
    check(
        "v=spf1 ip6:2001:db8::/129",
        &[(K::InvalidCidr { max: 128 }, "/129")],
    );
    check("v=spf1 ip6:192.0.2.1", &[(K::InvalidAddress, "192.0.2.1")]);
    check(
        "v=spf1 ip4:2001:db8::1",
        &[(K::InvalidAddress, "2001:db8::1")],
    );
    check("v=spf1 ip4", &[(K::MissingArgument, "ip4")]);
    check("v=spf1 ip4:", &[(K::MissingArgument, ":")]);
    check("v=spf1 include", &[(K::MissingArgument, "include")]);
    check("v=spf1 include:", &[(K::DomainSpec(D::Empty), ":")]);
    check("v=spf1 a//129", &[(K::InvalidCidr { max: 128 }, "/129")]);
    check("v=spf1 a/33", &[(K::InvalidCidr { max: 32 }, "/33")]);
    check("v=spf1 ~all;", &[(K::InvalidTerm, ";")]);
    check("v=spf1 mx, -all", &[(K::InvalidTerm, ",")]);
    check("v=spf1 , -all", &[(K::InvalidTerm, ",")]);
    check("v=spf1 all:x", &[(K::UnexpectedArgument, ":x")]);
    check("v=spf1 ptr/24", &[(K::UnexpectedArgument, "/24")]);
    check(
        "v=spf1 redirect:x.example",
        &[(
            K::UnknownMechanism {
                suggestion: Some("redirect="),
            },
            "redirect",
        )],
    );
    check(
        "v=spf1 incldue:x.example",
        &[(
            K::UnknownMechanism {
                suggestion: Some("include"),
            },
            "incldue",
        )],
    );
    check("v=spf1 -exp=x.example", &[(K::QualifiedModifier, "-")]);
    check("v=spf1 1x=y", &[(K::InvalidModifierName, "1x")]);
    check("v=spf1 a\t-all", &[(K::BadWhitespace, "\t")]);
}

#[test]
fn domain_specs() {
    check(
        "v=spf1 a:localhost",
        &[(K::DomainSpec(D::SingleLabel), "localhost")],
    );
    check(
        "v=spf1 include:museum.",
        &[(K::DomainSpec(D::SingleLabel), "museum.")],
    );
    check(
        "v=spf1 a:192.0.2.1",
        &[(K::DomainSpec(D::IpAddress), "192.0.2.1")],
    );
    check(
        "v=spf1 a:example.123",
        &[(K::DomainSpec(D::InvalidTopLabel), "123")],
    );
    check(
        "v=spf1 a:example.-com",
        &[(K::DomainSpec(D::InvalidTopLabel), "-com")],
    );
    check(
        "v=spf1 a:a..example.com",
        &[(K::DomainSpec(D::EmptyLabel), "..")],
    );
    let long = "x".repeat(64);
    check(
        &format!("v=spf1 a:{long}.example.com"),
        &[(K::DomainSpec(D::LabelTooLong), long.as_str())],
    );
    check(
        "v=spf1 exists:%{i}.123",
        &[(K::DomainSpec(D::InvalidTopLabel), "123")],
    );
}

#[test]
fn macros() {
    check(
        "v=spf1 exists:%{c}.example.com",
        &[(K::Macro(M::ExpOnlyLetter), "%{c}")],
    );
    check(
        "v=spf1 exists:%{x}.example.com",
        &[(K::Macro(M::UnknownLetter), "%{x}")],
    );
    check(
        "v=spf1 exists:%{}.example.com",
        &[(K::Macro(M::UnknownLetter), "%{}")],
    );
    check(
        "v=spf1 exists:%{d0}.example.com",
        &[(K::Macro(M::ZeroDigits), "%{d0}")],
    );
    check(
        "v=spf1 exists:%{d2x}.example.com",
        &[(K::Macro(M::BadTransformer), "%{d2x}")],
    );
    check(
        "v=spf1 exists:%{d.example.com",
        &[(K::Macro(M::Unterminated), "%{d.example.com")],
    );
    check(
        "v=spf1 exists:%x.example.com",
        &[(K::Macro(M::BadPercent), "%x")],
    );
    check(
        "v=spf1 foo=%",
        &[
            (K::UnknownModifier { suggestion: None }, "foo"),
            (K::Macro(M::BadPercent), "%"),
        ],
    );
    check(
        "v=spf1 -all foo=bar%%baz%_x%-y",
        &[(K::UnknownModifier { suggestion: None }, "foo")],
    );
    let (text, _) = RecordText::from_pieces(&["\"v=spf1 exists:%{L2r-}.x.example\""]);
    let (record, _) = parse(&text);
    let (_, directive) = record.directives().next().unwrap();
    let spec = directive.mechanism.domain().unwrap();
    assert!(matches!(
        &spec.macros[..],
        [Macro::Expand { letter: MacroLetter::LocalPart, url_escape: true, digits: Some(2), reverse: true, delimiters, .. }] if delimiters == "-"
    ));
}

#[test]
fn explanation_text_allows_exp_only_letters() {
    check(
        "v=spf1 -all exp=%{r}.example.com",
        &[(K::Macro(M::ExpOnlyLetter), "%{r}")],
    );
    let (text, _) = RecordText::from_pieces(&[
        "\"%{c} is not one of %{d}'s designated mail servers (%{r} at %{t})\"",
    ]);
    let (string, problems) = parse_explanation(&text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(string.macros.len(), 4);
    let (text, layout) = RecordText::from_pieces(&["\"bad %x\""]);
    let (_, problems) = parse_explanation(&text);
    assert_eq!(&layout[problems[0].span.range()], b"%x");
}

#[test]
fn cidr_suffix_is_matched_at_the_end() {
    valid("v=spf1 a:foo:bar/baz.example.com");
    valid("v=spf1 mx:foo:bar/baz.example.com/24//64");
    check(
        "v=spf1 a:example.com/024",
        &[(K::InvalidCidr { max: 32 }, "/024")],
    );
    check(
        "v=spf1 a:example.com//0129",
        &[(K::InvalidCidr { max: 128 }, "/0129")],
    );
    check("v=spf1 a/", &[(K::InvalidCidr { max: 32 }, "/")]);
    check("v=spf1 a//", &[(K::InvalidCidr { max: 128 }, "/")]);
}

#[test]
fn modifiers() {
    check(
        "v=spf1 redirect=a.example redirect=b.example",
        &[(
            K::DuplicateModifier {
                first: Span::new(zonelint_zone::SourceId(0), 8, 26),
            },
            "redirect=b.example",
        )],
    );
    check(
        "v=spf1 mx redirct=_spf.example.com",
        &[(
            K::UnknownModifier {
                suggestion: Some("redirect"),
            },
            "redirct",
        )],
    );
    check("v=spf1 -all rp=101", &[(K::ReportModifierValue, "101")]);
    check("v=spf1 -all rr=x", &[(K::ReportModifierValue, "x")]);
}

#[test]
fn order() {
    check(
        "v=spf1 -all include:x.example",
        &[(
            K::MechanismAfterAll {
                all: Span::new(zonelint_zone::SourceId(0), 8, 12),
            },
            "include:x.example",
        )],
    );
    check(
        "v=spf1 -all ~all",
        &[(
            K::RepeatedAll {
                first: Span::new(zonelint_zone::SourceId(0), 8, 12),
            },
            "~all",
        )],
    );
    // Modifiers after `all` are fine (RFC 7208 §5.1, RFC 6652).
    valid("v=spf1 -all exp=e.example ra=postmaster");
}

#[test]
fn non_ascii() {
    check("v=spf1 a:bücher.example -all", &[(K::NonAscii, "ü")]);
}

#[test]
fn spans_cross_strings_and_escapes() {
    // The bad CIDR is in the second string; the escape in the first shifts offsets.
    let got = problems(&["\"v=spf1\\032a\"", "\" ip4:192.0.2.1/40\""]);
    assert_eq!(got, vec![(K::InvalidCidr { max: 32 }, "/40".to_owned())]);
    // A term split across strings maps from one string into the next.
    let got = problems(&["\"v=spf1 ip4:192.0\"", "\".2 -all\""]);
    assert_eq!(got, vec![(K::InvalidAddress, "192.0\" \".2".to_owned())]);
}

#[test]
fn joins_are_classified() {
    let placement = |pieces: &[&str]| {
        let (text, _) = RecordText::from_pieces(pieces);
        let (record, _) = parse(&text);
        record.joins.iter().map(|j| j.placement).collect::<Vec<_>>()
    };
    assert_eq!(
        placement(&["\"v=spf1 include:a.example\"", "\"include:b.example -all\""]),
        vec![JoinPlacement::MergedTerms { term: 0 }]
    );
    assert_eq!(
        placement(&[
            "\"v=spf1 include:a.example \"",
            "\"include:b.example -all\""
        ]),
        vec![JoinPlacement::AtSeparator]
    );
    assert_eq!(
        placement(&["\"v=spf1 include:a.exa\"", "\"mple.com -all\""]),
        vec![JoinPlacement::InsideTerm { term: 0 }]
    );
    assert_eq!(
        placement(&["\"v=spf1 ip4:192.0\"", "\".2 -all\""]),
        vec![JoinPlacement::InvalidToken { term: 0 }]
    );
    assert_eq!(
        placement(&["\"v=spf1 -all\"", "\"\""]),
        Vec::<JoinPlacement>::new()
    );
    assert_eq!(
        placement(&["\"v=spf\"", "\"1 -all\""]),
        vec![JoinPlacement::InsideVersion]
    );
    assert_eq!(
        placement(&["\"v=spf1\"", "\"-all\""]),
        vec![JoinPlacement::InsideVersion]
    );
    assert_eq!(
        placement(&["\"v=spf1\"", "\" -all\""]),
        vec![JoinPlacement::AtSeparator]
    );
    assert_eq!(
        placement(&["\"v=spf1 \"", "\"-all\""]),
        vec![JoinPlacement::AtSeparator]
    );
}

#[test]
fn terms_without_a_name() {
    check("v=spf1 - -all", &[(K::InvalidTerm, "-")]);
    check("v=spf1 =all", &[(K::InvalidModifierName, "=")]);
    check("v=spf1 :x.example", &[(K::InvalidTerm, ":x.example")]);
    check("v=spf1 +/24", &[(K::InvalidTerm, "+/24")]);
}

#[test]
fn component_spans() {
    let (text, layout) = RecordText::from_pieces(&[
        "\"v=spf1 -A:x.%{d2r}.example/24//64\"",
        "\" ip6:2001:db8::/48 redirect=r.%{d}\"",
    ]);
    let (record, problems) = parse(&text);
    assert!(problems.is_empty(), "{problems:?}");
    let at = |span: Span| String::from_utf8_lossy(&layout[span.range()]).into_owned();
    assert_eq!(at(record.version_span), "v=spf1");
    let (term, a) = record.directives().next().unwrap();
    assert_eq!(at(term.span()), "-A:x.%{d2r}.example/24//64");
    assert_eq!(at(term.name_span().unwrap()), "A");
    assert_eq!(term.name(), Some(&b"A"[..]));
    assert!(matches!(term.kind, TermKind::Directive(_)));
    let Mechanism::A {
        domain: Some(domain),
        cidr,
    } = &a.mechanism
    else {
        panic!("{a:?}")
    };
    assert_eq!(at(domain.span()), "x.%{d2r}.example");
    assert_eq!(at(domain.macros[0].span()), "%{d2r}");
    assert_eq!(at(cidr.ip4.unwrap().span), "/24");
    assert_eq!(at(cidr.ip6.unwrap().span), "//64");
    let (_, ip6) = record.directives().nth(1).unwrap();
    let Mechanism::Ip6 {
        cidr: Some(cidr), ..
    } = &ip6.mechanism
    else {
        panic!("{ip6:?}")
    };
    assert_eq!(at(cidr.span), "/48");
    let redirect = record.redirect().unwrap();
    assert_eq!(at(redirect.name_span()), "redirect");
    assert_eq!(at(redirect.value.span()), "r.%{d}");
    assert_eq!(
        record.to_string(),
        "v=spf1 -a:x.%{d2r}.example/24//64 ip6:2001:db8::/48 redirect=r.%{d}"
    );
}

#[test]
fn qualifiers_and_lookups() {
    let (text, _) = RecordText::from_pieces(&[
        "\"v=spf1 a +mx ~ptr ?exists:%{i}.x.example -ip4:192.0.2.1 include:i.example all\"",
    ]);
    let (record, problems) = parse(&text);
    let qualifiers: Vec<Qualifier> = record
        .directives()
        .map(|(_, d)| d.effective_qualifier())
        .collect();
    assert_eq!(
        qualifiers,
        [
            Qualifier::Pass,
            Qualifier::Pass,
            Qualifier::SoftFail,
            Qualifier::Neutral,
            Qualifier::Fail,
            Qualifier::Pass,
            Qualifier::Pass
        ]
    );
    let lookups = record
        .directives()
        .filter(|(_, d)| d.mechanism.counts_lookup())
        .count();
    assert_eq!(lookups, 5);
    assert!(problems.is_empty());
    assert!(record.all().is_some());
}

/// A term is found at its exact span, and from any span inside it by `term_holding`.
#[test]
fn terms_are_found_at_their_span_and_by_a_span_inside() {
    let (text, _) = RecordText::from_pieces(&["\"v=spf1 include:_spf.example.net -all\""]);
    let (record, _) = parse(&text);
    let include = record.terms.first().unwrap();
    assert_eq!(include.text(), b"include:_spf.example.net");
    let span = include.span();
    assert_eq!(record.term_at(span).map(Term::text), Some(include.text()));
    let inside = Span::new(span.source, span.start + 8, span.end);
    assert!(record.term_at(inside).is_none());
    assert_eq!(
        record.term_holding(inside).map(Term::text),
        Some(include.text())
    );
    let all = record.terms.last().unwrap().span();
    assert_eq!(record.term_at(all).map(Term::text), Some(&b"-all"[..]));
}

#[test]
fn macros_read_as_a_slice_and_hold_nothing_for_none() {
    let none = Macros::new(Vec::new());
    assert!(none.is_empty());
    assert_eq!(none, Macros::default());
    let (text, _) = RecordText::from_pieces(&["\"v=spf1 exists:%{i}._spf.%{d} -all\""]);
    let (record, problems) = parse(&text);
    assert!(problems.is_empty(), "{problems:?}");
    let (_, exists) = record.directives().next().unwrap();
    let Mechanism::Exists(spec) = &exists.mechanism else {
        panic!("{exists:?}")
    };
    assert_eq!(spec.macros.len(), 2);
    assert!(spec
        .macros
        .iter()
        .all(|m| matches!(m, Macro::Expand { .. })));
}
