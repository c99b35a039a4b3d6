//! Snapshot of every problem the grammars find in a zone of broken email records, as a
//! rule author sees them: code, position and the exact source text of each span.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing source is a test failure"
)]

use std::fmt::Write as _;

use zonelint_policy::grammar::{bimi, dkim, dmarc, mta_sts, spf, tlsrpt, RecordText};
use zonelint_zone::{parse_str, ParseOptions, RType, Span, Zone};

const ZONE: &str = r#"$ORIGIN example.com.
$TTL 3600
@               TXT  " v=spf1 mx -all"
www             TXT  ( "v=spf1 ip4:192.0.2 ip6:2001:db8::/129 a/33"
                       " include: redirct=x.example exists:%{c}.%{d}"
                       " -all mx" )
mail            TXT  "v=spf1 a:localhost redirect=a.example redirect=b.example ~all;"
glued           TXT  "v=spf1 include:a.example" "include:b.example -all"
intl            TXT  "v=spf1 a:b\195\188cher.example -all"
_dmarc          TXT  "v=DMARC1\059 p=rejct; sp=none; rue=mailto:d@example.com; rua=dmarc@example.com,mailto:x@example.net!10m; fo=0:1; p=none"
_dmarc.sub      TXT  "p=reject; v=DMARC1"
s1._domainkey   TXT  "k=rsa; v=DKIM1; p=MIGf*MA0G"
s2._domainkey   TXT  "v=DKIM1; k=ed25519; p=AAAA"
s3._domainkey   TXT  "v=DKIM1; k=mldsa44"
_mta-sts        TXT  "v=STSv1; id=2024-01-01"
_smtp._tls      TXT  "v=TLSRPTv1; rua=tls@example.com"
default._bimi   TXT  "v=BIMI1; l=http://example.com/logo.png; a=https://example.com/vmc.crt"
"#;

fn position(zone: &Zone, span: Span) -> String {
    let source = zone.sources.get(span.source).unwrap();
    let (l1, c1) = source.line_column(span.start);
    let (l2, c2) = source.line_column(span.end);
    format!("{l1}:{c1}-{l2}:{c2}")
}

fn excerpt(zone: &Zone, span: Span) -> String {
    String::from_utf8_lossy(zone.sources.slice(span)).replace('\n', "\\n")
}

#[test]
fn problems_of_a_broken_zone() {
    let (zone, diagnostics) = parse_str("broken.zone", ZONE, &ParseOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut out = String::new();
    for record in zone.records() {
        if record.rtype() != RType::TXT {
            continue;
        }
        let source = zone.sources.get(record.span().source).unwrap();
        let text = RecordText::from_record(&record, source.text());
        let owner = record.owner().to_string();
        let label = owner.split('.').next().unwrap_or_default().to_owned();
        let mut lines: Vec<(Span, String)> = Vec::new();
        let mut push = |span: Span, code: &str, kind: String| {
            lines.push((span, format!("{code} {kind}")));
        };
        if owner.starts_with("_dmarc") {
            for p in dmarc::parse(&text).1 {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
        } else if owner.contains("_domainkey") {
            for p in dkim::parse(&text).1 {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
        } else if label == "_mta-sts" {
            for p in mta_sts::parse(&text).1 {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
        } else if label == "_smtp" {
            for p in tlsrpt::parse(&text).1 {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
        } else if owner.contains("_bimi") {
            for p in bimi::parse(&text).1 {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
        } else {
            let (record, problems) = spf::parse(&text);
            for p in problems {
                push(p.span, p.kind.code(), format!("{:?}", p.kind));
            }
            for join in &record.joins {
                push(join.span, "join", format!("{:?}", join.placement));
            }
        }
        writeln!(out, "{owner}").unwrap();
        for (span, line) in lines {
            writeln!(
                out,
                "  {} {line} `{}`",
                position(&zone, span),
                excerpt(&zone, span)
            )
            .unwrap();
        }
    }
    insta::assert_snapshot!(out);
}
