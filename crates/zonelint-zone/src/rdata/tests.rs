//! Table tests for every RDATA type.
//!
//! Expected wire forms come from dnspython 2.9 (`dns.rdata.from_text(IN, type, text,
//! origin=example.com.).to_wire()`, as hex). Every accepted record must also print in a
//! form that parses back to the same octets, and its RFC 3597 `\#` form must give the
//! same record and pass the wire validator.

use super::*;
use crate::scan::Scanner;

fn origin() -> Name {
    Name::from_ascii("example.com.").unwrap()
}

/// Parses `text` as the RDATA of `rtype`; the wire bytes, or the diagnostics.
pub(super) fn parse_text(
    rtype: RType,
    text: &str,
) -> (Result<Vec<u8>, ()>, Vec<Field>, Vec<Diagnostic>) {
    let bytes = text.as_bytes();
    let mut scanner = Scanner::new(bytes);
    let (mut tokens, mut comments, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    scanner.next_entry(&mut tokens, &mut comments, &mut errors);
    assert!(errors.is_empty(), "scan errors in {text:?}: {errors:?}");
    let origin = origin();
    let input = RdataInput {
        text: bytes,
        source: SourceId(0),
        base: 0,
        tokens: &tokens,
        origin: Some(&origin),
        rtype,
        type_span: Span::new(SourceId(0), 0, 0),
    };
    let mut buf = RdataBuf::default();
    let mut diagnostics = Vec::new();
    let result = parse_rdata(input, &mut buf, &mut diagnostics);
    (
        result.map(|()| buf.wire.clone()).map_err(drop),
        buf.fields,
        diagnostics,
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn rtype(name: &str) -> RType {
    RType::from_text(name.as_bytes()).unwrap()
}

/// Parses, compares with dnspython's wire form, prints, re-parses, and checks the `\#`
/// form of the same bytes.
#[track_caller]
pub(super) fn check(type_name: &str, text: &str, expected_hex: &str) {
    let rtype = rtype(type_name);
    let (wire, fields, diagnostics) = parse_text(rtype, text);
    assert!(
        diagnostics.is_empty(),
        "{type_name} {text}: {diagnostics:#?}"
    );
    let wire = wire.unwrap();
    assert_eq!(hex(&wire), expected_hex, "{type_name} {text}");
    for field in &fields {
        assert!(field.wire_start <= field.wire_end && usize::from(field.wire_end) <= wire.len());
        assert!(
            field.span.end as usize <= text.len(),
            "{type_name} {text}: {field:?}"
        );
    }

    let mut printed = String::new();
    write_presentation(rtype, &wire, &mut printed);
    assert!(
        !printed.starts_with("\\#") || !has_presentation_format(rtype),
        "{type_name} {text} printed in generic form: {printed}"
    );
    let (again, _, diagnostics) = parse_text(rtype, &printed);
    assert!(
        diagnostics.is_empty(),
        "{type_name} {printed}: {diagnostics:#?}"
    );
    assert_eq!(
        hex(&again.unwrap()),
        expected_hex,
        "{type_name} printed as {printed}"
    );

    assert_eq!(validate_wire(rtype, &wire), Ok(()), "{type_name} {text}");
    let mut generic = String::new();
    write_generic(&wire, &mut generic);
    let (from_generic, _, diagnostics) = parse_text(rtype, &generic);
    assert!(
        diagnostics.is_empty(),
        "{type_name} {generic}: {diagnostics:#?}"
    );
    assert_eq!(hex(&from_generic.unwrap()), expected_hex);
}

/// Asserts that `text` is refused with `code`, pointing exactly at `bad`.
#[track_caller]
pub(super) fn check_error(type_name: &str, text: &str, code: &str, bad: &str) {
    let (wire, _, diagnostics) = parse_text(rtype(type_name), text);
    assert!(wire.is_err(), "{type_name} {text} was accepted");
    assert_eq!(diagnostics.len(), 1, "{type_name} {text}: {diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(
        diagnostic.code.code, code,
        "{type_name} {text}: {diagnostic:#?}"
    );
    let span = diagnostic.primary.range();
    assert_eq!(
        &text[span], bad,
        "{type_name} {text}: wrong span for {:?}",
        diagnostic.message
    );
}

/// Prints wire bytes in presentation form.
pub(super) fn printed(type_name: &str, wire_hex: &str) -> String {
    let wire: Vec<u8> = (0..wire_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&wire_hex[i..i + 2], 16).unwrap())
        .collect();
    let mut out = String::new();
    write_presentation(rtype(type_name), &wire, &mut out);
    out
}

/// (type, presentation text, wire hex from dnspython 2.9)
const VECTORS: &[(&str, &str, &str)] = &[
    ("A", r#"192.0.2.1"#, "C0000201"),
    ("AAAA", r#"2001:db8::1"#, "20010DB8000000000000000000000001"),
    ("AAAA", r#"::ffff:192.0.2.1"#, "00000000000000000000FFFFC0000201"),
    ("NS", r#"ns1"#, "036E7331076578616D706C6503636F6D00"),
    ("NS", r#"ns1.example.net."#, "036E7331076578616D706C65036E657400"),
    ("CNAME", r#"www.example.org."#, "03777777076578616D706C65036F726700"),
    ("DNAME", r#"example.net."#, "076578616D706C65036E657400"),
    ("PTR", r#"host.example.com."#, "04686F7374076578616D706C6503636F6D00"),
    ("MX", r#"10 mail"#, "000A046D61696C076578616D706C6503636F6D00"),
    ("TXT", r#""v=spf1 -all""#, "0B763D73706631202D616C6C"),
    ("TXT", r#""a" "b c" plain"#, "01610362206305706C61696E"),
    ("TXT", r#""quote\"back\\slash\010\255""#, "1271756F7465226261636B5C736C6173680AFF"),
    ("SPF", r#""v=spf1 ~all""#, "0B763D73706631207E616C6C"),
    ("SOA", r#"ns1 hostmaster 2024010101 7200 3600 1209600 300"#, "036E7331076578616D706C6503636F6D000A686F73746D6173746572076578616D706C6503636F6D0078A3F17500001C2000000E10001275000000012C"),
    ("SOA", r#"ns1.example.com. host\.master.example.com. 1 1h 30m 2w 1d"#, "036E7331076578616D706C6503636F6D000B686F73742E6D6173746572076578616D706C6503636F6D000000000100000E10000007080012750000015180"),
    ("SRV", r#"10 60 5060 sip.example.com."#, "000A003C13C403736970076578616D706C6503636F6D00"),
    ("SRV", r#"0 0 0 ."#, "00000000000000"),
    ("NAPTR", r#"100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" ."#, "0064000A0155074532552B7369701B215E2E2A24217369703A696E666F406578616D706C652E636F6D2100"),
    ("NAPTR", r#"100 50 "s" "http+I2L+I2C+I2R" "" _http._tcp.example.com."#, "00640032017310687474702B49324C2B4932432B49325200055F68747470045F746370076578616D706C6503636F6D00"),
    ("CAA", r#"0 issue "letsencrypt.org""#, "000569737375656C657473656E63727970742E6F7267"),
    ("CAA", r#"128 tbs "Unknown""#, "8003746273556E6B6E6F776E"),
    ("CAA", r#"0 iodef "mailto:security@example.com""#, "0005696F6465666D61696C746F3A7365637572697479406578616D706C652E636F6D"),
    ("CAA", r#"0 issue ";""#, "000569737375653B"),
    ("SSHFP", r#"1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac"#, "0101DD465C09CFA51FB45020CC83316FFF21B9EC74AC"),
    ("TLSA", r#"3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"#, "0301010C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"),
    ("TLSA", r#"0 0 1 d2abde240d7cd3ee6b4b28c54df034b9 7983a1d16e8a410e4561cb106618e971"#, "000001D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971"),
    ("SMIMEA", r#"3 0 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"#, "0300010C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"),
    ("OPENPGPKEY", r#"mQENBFVHm5sBCADGJm7H6MVw0NUK 9mI35L+ojMC7k02TD2hYHUEEUlSA"#, "99010D0455479B9B010800C6266EC7E8C570D0D50AF66237E4BFA88CC0BB934D930F68581D4104525480"),
    ("DS", r#"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"#, "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118"),
    ("DS", r#"12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE5A7D1E8BE0A8B0EF 8A5C2B7C"#, "30390D0249FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE5A7D1E8BE0A8B0EF8A5C2B7C"),
    ("DS", r#"12345 ECDSAP256SHA256 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE5A7D1E8BE0A8B0EF8A5C2B7C"#, "30390D0249FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE5A7D1E8BE0A8B0EF8A5C2B7C"),
    ("CDS", r#"0 0 0 00"#, "0000000000"),
    ("DLV", r#"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"#, "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118"),
    ("DNSKEY", r#"257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="#, "0101030D99DB2CC14CABDC33D6D77DA63A2F15F71112584F234E8D1DC428E39E8A4A97E1AA271A555DC90701E17E2A4C4B6F120B7C32D44F4AC02BD894CF2D4BE7778A19"),
    ("DNSKEY", r#"256 3 8 AwEAAb4N53kPbyRPi5+4 9Z+m7F7F+fe9/o4S0t8jkM5u/Mw="#, "0100030803010001BE0DE7790F6F244F8B9FB8F59FA6EC5EC5F9F7BDFE8E12D2DF2390CE6EFCCC"),
    ("CDNSKEY", r#"0 3 0 AA=="#, "0000030000"),
    ("RRSIG", r#"A 13 3 3600 20240201000000 20240101000000 12345 example.com. kHLMc0l3l2u4b8oq2eVbU4xHEUmNyoA7kTm6AJJ5PbvK3JsRy7AK5Q+s71Uk/CXpWJtWzNXbfIg4RPYkBx6HdQ=="#, "00010D0300000E1065BADF00659200803039076578616D706C6503636F6D009072CC734977976BB86FCA2AD9E55B538C4711498DCA803B9139BA0092793DBBCADC9B11CBB00AE50FACEF5524FC25E9589B56CCD5DB7C883844F624071E8775"),
    ("RRSIG", r#"TYPE65534 8 2 300 1706745600 1704067200 1 example.com. AAAA"#, "FFFE08020000012C65BADF00659200800001076578616D706C6503636F6D00000000"),
    ("RRSIG", r#"NSEC3PARAM 8 0 0 19700101000000 21060207062815 65535 . AAAA"#, "003308000000000000000000FFFFFFFFFFFF00000000"),
    ("NSEC", r#"host.example.com. A MX RRSIG NSEC TYPE1234"#, "04686F7374076578616D706C6503636F6D000006400100000003041B000000000000000000000000000000000000000000000000000020"),
    ("NSEC", r#"a.example.com. NS SOA TXT AAAA RRSIG NSEC DNSKEY CAA"#, "0161076578616D706C6503636F6D00000722008008000380010140"),
    ("NSEC3", r#"1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG"#, "0101000C04AABBCCDD14174EB2409FE28BCB4887A1836F957F0A8425E27B0006400000000002"),
    ("NSEC3", r#"1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr"#, "010000000014174EB2409FE28BCB4887A1836F957F0A8425E27B"),
    ("NSEC3PARAM", r#"1 0 12 aabbccdd"#, "0100000C04AABBCCDD"),
    ("NSEC3PARAM", r#"1 0 0 -"#, "0100000000"),
    ("SVCB", r#"0 svc.example.net."#, "000003737663076578616D706C65036E657400"),
    ("SVCB", r#"1 ."#, "000100"),
    ("SVCB", r#"1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2"#, "000100000100060268320268330003000220FB00040008C0000201C0000202"),
    ("HTTPS", r#"1 . alpn="h2,h3" no-default-alpn ipv6hint=2001:db8::1,2001:db8::2"#, "00010000010006026832026833000200000006002020010DB800000000000000000000000120010DB8000000000000000000000002"),
    ("HTTPS", r#"1 . mandatory=alpn,ipv4hint alpn=h2 ipv4hint=192.0.2.1"#, "00010000000004000100040001000302683200040004C0000201"),
    ("HTTPS", r#"16 foo.example.org. ipv6hint=2001:db8::1 port=53 mandatory=port,ipv6hint"#, "001003666F6F076578616D706C65036F72670000000004000300060003000200350006001020010DB8000000000000000000000001"),
    ("SVCB", r#"1 foo.example.com. key667=hello"#, "000103666F6F076578616D706C6503636F6D00029B000568656C6C6F"),
    ("SVCB", r#"1 foo.example.com. key667="hello\210qoo""#, "000103666F6F076578616D706C6503636F6D00029B000968656C6C6FD2716F6F"),
    ("SVCB", r#"1 foo.example.com. alpn="f\\\\oo\\,bar,h2""#, "000103666F6F076578616D706C6503636F6D000001000C08665C6F6F2C626172026832"),
    ("SVCB", r#"1 doh.example.net. alpn=h2 dohpath=/dns-query{?dns}"#, "000103646F68076578616D706C65036E65740000010003026832000700102F646E732D71756572797B3F646E737D"),
    ("SVCB", r#"1 . ohttp alpn=h3"#, "0001000001000302683300080000"),
    ("SVCB", r#"1 . key1="\002h2" key3="\000\053""#, "00010000010003026832000300020035"),
    ("SVCB", r#"1 . alpn=h2 docpath=/dns,query"#, "00010000010003026832000A000B042F646E73057175657279"),
    ("LOC", r#"52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"#, "000016138B3CF018810CBCE0009895B8"),
    ("LOC", r#"42 21 54 N 71 06 18 W -24m 30m"#, "0033161389172DD070BE15F000988D20"),
    ("LOC", r#"42 21 43.952 N 71 5 6.344 W -24m 1m 200m 10m"#, "001224138917069070BF2DD800988D20"),
    ("LOC", r#"52 14 05 N 00 08 50 E 10m"#, "001216138B3556C88008165000989A68"),
    ("LOC", r#"32 7 19 S 116 2 25 E 10m"#, "00121613791B7D2898E6486800989A68"),
    ("LOC", r#"42 N 71 W 0m"#, "001216138903210070C3DA8000989680"),
    ("LOC", r#"90 0 0 S 180 0 0 W 42849672.95m 90000000m 90000000m 90000000m"#, "009999996CB0270059604E00FFFFFFFF"),
    ("LOC", r#"1 2 3.5 N 4 5 6.25 E 7.5m 0.5m 1.5m 2.5m"#, "005112228038D0EC80E0664A0098996E"),
    ("HINFO", r#""PC-Intel-700mhz" "Redhat Linux 7.1""#, "0F50432D496E74656C2D3730306D687A10526564686174204C696E757820372E31"),
    ("HINFO", r#"INTEL-386 UNIX"#, "09494E54454C2D33383604554E4958"),
    ("RP", r#"admin.example.com. txt.example.com."#, "0561646D696E076578616D706C6503636F6D0003747874076578616D706C6503636F6D00"),
    ("RP", r#"admin ."#, "0561646D696E076578616D706C6503636F6D0000"),
    ("URI", r#"10 1 "ftp://ftp1.example.com/public""#, "000A00016674703A2F2F667470312E6578616D706C652E636F6D2F7075626C6963"),
    ("URI", r#"1 0 "https://example.com/a\"b""#, "0001000068747470733A2F2F6578616D706C652E636F6D2F612262"),
    ("CERT", r#"PGP 0 0 mQENBFVHm5sBCADGJm7H6MVw0NUK9mI35L+ojMC7k02TD2hYHUEEUlSA"#, "000300000099010D0455479B9B010800C6266EC7E8C570D0D50AF66237E4BFA88CC0BB934D930F68581D4104525480"),
    ("CERT", r#"1 65535 RSASHA256 AAAA"#, "0001FFFF08000000"),
    ("CERT", r#"URI 1 5 aHR0cDovL2V4YW1wbGUuY29t"#, "00FD000105687474703A2F2F6578616D706C652E636F6D"),
    ("CERT", r#"IPKIX 12 ECDSAP256SHA256 AAAA"#, "0004000C0D000000"),
    ("ZONEMD", r#"2018031900 1 1 FEBE3D4CE2EC2FFA4BA99D46CD69D6D29711E55217057BEE7EB1A7B641A47BA7FED2DD5B97AE499FAFA4F22C6BD647DE"#, "7848B91C0101FEBE3D4CE2EC2FFA4BA99D46CD69D6D29711E55217057BEE7EB1A7B641A47BA7FED2DD5B97AE499FAFA4F22C6BD647DE"),
    ("ZONEMD", r#"1 1 241 0102030405060708090A0B0C"#, "0000000101F10102030405060708090A0B0C"),
    ("CSYNC", r#"66 3 A NS AAAA"#, "000000420003000460000008"),
    ("CSYNC", r#"0 0"#, "000000000000"),
    ("DHCID", r#"AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="#, "000201636FC0B8271C82825BB1AC5C41CF5351AA69B4FEBD94E8F17CDB95000DA48C40"),
    ("IPSECKEY", r#"10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="#, "0A0102C0000226010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"),
    ("IPSECKEY", r#"10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="#, "0A0002010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"),
    ("IPSECKEY", r#"10 2 2 2001:0DB8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="#, "0A020220010DB8000080020000000020000001010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"),
    ("IPSECKEY", r#"10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="#, "0A0302096D7967617465776179076578616D706C6503636F6D00010351537986ED35533B6064478EEEB27B5BD74DAE149B6E81BA3A0521AF82AB7801"),
    ("KX", r#"10 kx.example.com."#, "000A026B78076578616D706C6503636F6D00"),
    ("AFSDB", r#"1 afsdb.example.com."#, "0001056166736462076578616D706C6503636F6D00"),
    ("APL", r#"1:192.168.32.0/21 !1:192.168.38.0/28"#, "00011503C0A82000011C83C0A826"),
    ("APL", r#"1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8"#, "00010401E000020801FF"),
    ("APL", r#"1:0.0.0.0/0 2:0::/0"#, "0001000000020000"),
    ("APL", r#""#, ""),
    ("EUI48", r#"00-00-5e-00-53-2a"#, "00005E00532A"),
    ("EUI64", r#"00-00-5e-ef-10-00-00-2a"#, "00005EEF1000002A"),
    ("WKS", r#"192.0.2.1 tcp 25 80 443"#, "C0000201060000004000000000000080000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010"),
    ("WKS", r#"192.0.2.1 udp domain ntp"#, "C00002011100000000000004000000000000000010"),
    ("WKS", r#"192.0.2.1 6 smtp http"#, "C0000201060000004000000000000080"),
    ("WKS", r#"10.0.0.1 17 "#, "0A00000111"),
    ("RT", r#"10 relay.example.com."#, "000A0572656C6179076578616D706C6503636F6D00"),
    ("X25", r#""311061700956""#, "0C333131303631373030393536"),
    ("ISDN", r#""150862028003217" "004""#, "0F31353038363230323830303332313703303034"),
    ("ISDN", r#""150862028003217""#, "0F313530383632303238303033323137"),
    ("PX", r#"10 map822.example.com. mapx400.example.com."#, "000A066D6170383232076578616D706C6503636F6D00076D617078343030076578616D706C6503636F6D00"),
    ("HIP", r#"2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs.example.com."#, "10020084200100107B1A74DF365639CC39F1D57803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC10904DDB56B2EC4A6D6232F3B50EA094F0914B3B941BBE529AF582C36BBADEFDAF2ADAF9B4911906F5B2522603C615272B880EC8FB930CC6EE39C444DAA75B1678F005A4B2499D1DA5433F805C7A5AD3237ACC5DD5C5E4303727673076578616D706C6503636F6D00"),
    ("HIP", r#"2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.example.com. rvs2.example.com."#, "10020084200100107B1A74DF365639CC39F1D57803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC10904DDB56B2EC4A6D6232F3B50EA094F0914B3B941BBE529AF582C36BBADEFDAF2ADAF9B4911906F5B2522603C615272B880EC8FB930CC6EE39C444DAA75B1678F005A4B2499D1DA5433F805C7A5AD3237ACC5DD5C5E430472767331076578616D706C6503636F6D000472767332076578616D706C6503636F6D00"),
    ("NID", r#"10 0014:4fff:ff20:ee64"#, "000A00144FFFFF20EE64"),
    ("L32", r#"10 10.1.2.0"#, "000A0A010200"),
    ("L64", r#"10 2001:0DB8:1140:1000"#, "000A20010DB811401000"),
    ("LP", r#"10 l64-subnet1.example.com."#, "000A0B6C36342D7375626E657431076578616D706C6503636F6D00"),
    ("AMTRELAY", r#"0 0 0 ."#, "0000"),
    ("AMTRELAY", r#"10 1 1 203.0.113.15"#, "0A81CB00710F"),
    ("AMTRELAY", r#"10 0 2 2001:db8::15"#, "0A0220010DB8000000000000000000000015"),
    ("AMTRELAY", r#"128 1 3 amtrelays.example.com."#, "808309616D7472656C617973076578616D706C6503636F6D00"),
    ("RESINFO", r#"qnamemin exterr=15,16,17 infourl=https://resolver.example.com/guide"#, "08716E616D656D696E0F6578746572723D31352C31362C31372A696E666F75726C3D68747470733A2F2F7265736F6C7665722E6578616D706C652E636F6D2F6775696465"),
    ("WALLET", r#""BTC" "bc1qexample""#, "034254430B626331716578616D706C65"),
    ("AVC", r#""app-name:WOLFGANG|app-class:OAM|business=yes""#, "2C6170702D6E616D653A574F4C4647414E477C6170702D636C6173733A4F414D7C627573696E6573733D796573"),
    ("GPOS", r#"-32.6882 116.8652 10.0"#, "082D33322E36383832083131362E383635320431302E30"),
    ("GPOS", r#""1" "2" "3""#, "013101320133"),
    ("NSAP", r#"0x47.0005.80.005a00.0000.0001.e133.aaaaaa000151.00"#, "47000580005A0000000001E133AAAAAA00015100"),
    ("NSAP", r#"0x4700"#, "4700"),
    ("NSAP-PTR", r#"nsap.types.example."#, "046E736170057479706573076578616D706C6500"),
    ("KEY", r#"256 3 8 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zB"#, "0100030803010001B771CA136E4AEB5CE44333C53B3D2C13C22243851FC708BCCE29F7E2EB5787B5F56CCAD34F8223ACC1"),
    ("SIG", r#"A 13 3 3600 20240201000000 20240101000000 12345 example.com. AAAA"#, "00010D0300000E1065BADF00659200803039076578616D706C6503636F6D00000000"),
    ("SVCB", r#"16 foo.svc.example. key65535"#, "001003666F6F03737663076578616D706C6500FFFF0000"),
    ("DSYNC", r#"CDS 1 5359 cds-scanner.example.net."#, "003B0114EF0B6364732D7363616E6E6572076578616D706C65036E657400"),
    ("DSYNC", r#"CDS NOTIFY 5359 cds-scanner.example.net."#, "003B0114EF0B6364732D7363616E6E6572076578616D706C65036E657400"),
    ("SVCB", r#"1 . ech=AAQBAgME"#, "00010000050006000401020304"),
    ("HTTPS", r#"1 . ech="AAQBAgME" alpn=h3"#, "0001000001000302683300050006000401020304"),
    ("SVCB", r#"1 . key5=\000\004\001\002\003\004"#, "00010000050006000401020304"),
    ("SVCB", r#"1 . mandatory=key65000 key65000=x"#, "00010000000002FDE8FDE8000178"),
    ("SVCB", r#"1 . dohpath="/q{?dns}" key0="\000\007""#, "000100000000020007000700082F717B3F646E737D"),
    ("SVCB", r#"1 . port="53""#, "000100000300020035"),
    ("TXT", r#""""#, "00"),
    ("TXT", r#"a\032b \"q\""#, "0361206203227122"),
    ("CAA", r#"0 issue """#, "00056973737565"),
    ("CAA", r#"0 issue "a\\b\"c""#, "00056973737565615C622263"),
    ("CAA", r#"1 Issue "ca.example""#, "0105497373756563612E6578616D706C65"),
    ("NSEC3", r#"1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR TYPE65534 A"#, "010100000014174EB2409FE28BCB4887A1836F957F0A8425E27B000140FF200000000000000000000000000000000000000000000000000000000000000002"),
    ("CSYNC", r#"1 3 TYPE4096"#, "000000010003100180"),
    ("RRSIG", r#"SOA RSASHA256 2 86400 20240201000000 20240101000000 1 example.com. AAAA"#, "000608020001518065BADF00659200800001076578616D706C6503636F6D00000000"),
    ("SOA", r#"@ . 4294967295 0 0 0 0"#, "076578616D706C6503636F6D0000FFFFFFFF00000000000000000000000000000000"),
    ("MX", r#"0 ."#, "000000"),
    ("NAPTR", r#"10 20 "" "" "" host"#, "000A001400000004686F7374076578616D706C6503636F6D00"),
    ("AMTRELAY", r#"1 0 3 relay"#, "01030572656C6179076578616D706C6503636F6D00"),
];

#[test]
fn every_type_matches_dnspython_and_round_trips() {
    for (type_name, text, expected) in VECTORS {
        check(type_name, text, expected);
    }
}

#[test]
fn bad_fields_are_reported_at_the_bad_token() {
    let p002 = "PARSE002";
    // (type, text, code, the exact text the diagnostic must point at)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("A", "192.0.2.300", p002, "192.0.2.300"),
        ("A", "", p002, ""),
        ("A", "192.0.2.1 extra", "PARSE001", "extra"),
        ("A", "\"192.0.2.1\"", p002, "\"192.0.2.1\""),
        ("AAAA", "2001:db8::g", p002, "2001:db8::g"),
        ("MX", "70000 mail", p002, "70000"),
        ("MX", "ten mail", p002, "ten"),
        ("MX", "10", p002, ""),
        ("MX", "10 \"mail\"", p002, "\"mail\""),
        ("SRV", "\"1\" 2 3 .", p002, "\"1\""),
        ("DS", "1 5 1 \"AB\"", p002, "\"AB\""),
        ("DNSKEY", "257 3 13 AAAA \"AAAA\"", p002, "\"AAAA\""),
        ("RRSIG", "\"A\" 13 3 3600 1 0 1 . AA==", p002, "\"A\""),
        ("LOC", "42 N 71 \"W\" 0m", p002, "\"W\""),
        ("WKS", "192.0.2.1 \"tcp\" 25", p002, "\"tcp\""),
        ("NS", "a..b", "PARSE005", "."),
        ("CNAME", "a\\256b.", "PARSE005", "\\256"),
        ("SOA", "ns1 host 1 2 3 4 1x", p002, "1x"),
        ("SOA", "ns1 host 4294967296 1 1 1 1", p002, "4294967296"),
        ("SOA", "ns1 host 1h 1 1 1 1", p002, "1h"),
        ("SOA", "ns1 host 1 2 3 4", p002, ""),
        ("SOA", "ns1 host 1 2 3 4 5000000000", p002, "5000000000"),
        ("SRV", "10 60 65536 x.", p002, "65536"),
        ("NAPTR", r#"100 10 "U" "E2U" "\256" ."#, p002, "\\256"),
        ("CAA", r#"0 is-sue "x""#, p002, "is-sue"),
        ("CAA", r#"256 issue "x""#, p002, "256"),
        ("CAA", r#"0 "issue" "x""#, p002, "\"issue\""),
        ("URI", r#"1 1 """#, p002, "\"\""),
        ("SSHFP", "1 1 ABCG", p002, "G"),
        ("SSHFP", "1 1 ABC", p002, "ABC"),
        ("SSHFP", "1 1", p002, ""),
        ("TLSA", "3 1 1 0C72 AC7", p002, "0C72 AC7"),
        ("DS", "1 5 1 zz", p002, "z"),
        ("DS", "1 FOO 1 AB", p002, "FOO"),
        ("DS", "1 256 1 AB", p002, "256"),
        (
            "DS",
            "1 8 2 2BB183AF5F22588179A53B0A98631FAD1A292118",
            p002,
            "2BB183AF5F22588179A53B0A98631FAD1A292118",
        ),
        ("DS", "\\# 6 000108010000", p002, "000108010000"),
        (
            "SSHFP",
            "1 2 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
            p002,
            "dd465c09cfa51fb45020cc83316fff21b9ec74ac",
        ),
        ("TLSA", "3 1 2 0C72AC70", p002, "0C72AC70"),
        (
            "ZONEMD",
            "1 1 1 0102030405060708090A0B0C",
            p002,
            "0102030405060708090A0B0C",
        ),
        ("ZONEMD", "1 1 241 0102", p002, "0102"),
        ("DNSKEY", "257 3 13 AB*D", p002, "*"),
        ("DNSKEY", "257 3 13 ABC", p002, "ABC"),
        ("DNSKEY", "257 3 13 AA== AA==", p002, "A"),
        ("DNSKEY", "257 3 13 A===", p002, "="),
        ("DNSKEY", "257 3 13 AB==", p002, "="),
        (
            "RRSIG",
            "A 13 3 3600 20241301000000 20240101000000 1 example.com. AAAA",
            p002,
            "20241301000000",
        ),
        (
            "RRSIG",
            "A 13 3 3600 2024020100000 20240101000000 1 example.com. AAAA",
            p002,
            "2024020100000",
        ),
        (
            "RRSIG",
            "FOO 13 3 3600 20240201000000 20240101000000 1 example.com. AAAA",
            p002,
            "FOO",
        ),
        (
            "RRSIG",
            "A 13 3 1x 20240201000000 20240101000000 1 example.com. AAAA",
            p002,
            "1x",
        ),
        (
            "RRSIG",
            "A 13 3 3600 20240201000000 20240101000000 1 example.com.",
            p002,
            "",
        ),
        ("NSEC", "next. A FOO", p002, "FOO"),
        ("NSEC", "next. TYPE0 A", p002, "TYPE0"),
        // BIND refuses an NSEC without types (dnspython accepts it).
        ("NSEC", "next.", p002, ""),
        ("X25", "\"31a4\"", p002, "\"31a4\""),
        ("X25", "311", p002, "311"),
        (
            "NAPTR",
            r#"100 10 "U" "E2U+sip" "a^.*$!sip:x@example.com!" ."#,
            p002,
            r#""a^.*$!sip:x@example.com!""#,
        ),
        (
            "NAPTR",
            r#"100 10 "U" "E2U+sip" "!^.*$!sip:x@example.com" ."#,
            p002,
            r#""!^.*$!sip:x@example.com""#,
        ),
        (
            "NAPTR",
            r#"100 10 "U" "E2U+sip" "!^.*$!x!g" ."#,
            p002,
            r#""!^.*$!x!g""#,
        ),
        (
            "NAPTR",
            r#"100 10 "U" "E2U+sip" "1^.*1x1" ."#,
            p002,
            r#""1^.*1x1""#,
        ),
        ("NSEC", "\\# 4 00000180", p002, "00000180"),
        ("CDS", "0 0 0 0000", p002, "0000"),
        (
            "NSEC3",
            "1 1 12 XY 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR",
            p002,
            "X",
        ),
        (
            "NSEC3",
            "1 1 12 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJW",
            p002,
            "W",
        ),
        ("NSEC3", "1 1 12 - 2T7", p002, "2T7"),
        ("NSEC3PARAM", "1 0 65536 -", p002, "65536"),
        ("CERT", "FOO 1 1 AAAA", p002, "FOO"),
        ("EUI48", "00-00-5e-00-53", p002, "00-00-5e-00-53"),
        (
            "EUI64",
            "00-00-5e-ef-10-00-00-2g",
            p002,
            "00-00-5e-ef-10-00-00-2g",
        ),
        ("L64", "10 2001:db8:1140", p002, "2001:db8:1140"),
        ("L64", "10 2001:db8:1140:10000", p002, "2001:db8:1140:10000"),
        (
            "RRSIG",
            "A 13 3 3600 20240230000000 0 1 . AA==",
            p002,
            "20240230000000",
        ),
        ("HINFO", r#""PC""#, p002, ""),
        ("APL", "3:1.2.3.4/8", p002, "3:1.2.3.4/8"),
        ("APL", "1:192.0.2.0/33", p002, "1:192.0.2.0/33"),
        ("WKS", "192.0.2.1 xyz 25", p002, "xyz"),
        ("WKS", "192.0.2.1 tcp nosuch", p002, "nosuch"),
        ("WKS", "192.0.2.1 tcp 65536", p002, "65536"),
        ("IPSECKEY", "10 4 2 . AAAA", p002, "4"),
        ("IPSECKEY", "10 1 2 ::1 AAAA", p002, "::1"),
        ("IPSECKEY", "10 0 2 gw AAAA", p002, "gw"),
        ("HIP", "2 XYZ1 AAAA", p002, "X"),
        ("HIP", "2 AB AA=A", p002, "A"),
        ("AMTRELAY", "0 2 0 .", p002, "2"),
        ("AMTRELAY", "0 0 4 .", p002, "4"),
        ("AMTRELAY", "0 0 1 x", p002, "x"),
        ("LOC", "91 0 0 N 0 0 0 E 0m", p002, "91"),
        ("LOC", "42 60 0 N 71 W 0m", p002, "60"),
        ("LOC", "42 0 60 N 71 W 0m", p002, "60"),
        ("LOC", "42 0 0 X 71 W 0m", p002, "X"),
        ("LOC", "42 N 71 N 0m", p002, "N"),
        ("LOC", "42 n 71 W 0m", p002, "n"),
        ("LOC", "42 N 71 W 0M", p002, "0M"),
        ("LOC", "42 30 N 71 10 S 0m", p002, "S"),
        ("LOC", "42 N 71 W 1.234m", p002, "1.234m"),
        ("LOC", "42 N 71 W -100000.01m", p002, "-100000.01m"),
        ("LOC", "42 N 71 W 0m 90000001m", p002, "90000001m"),
        ("LOC", "42 N 71 W 0m -1m", p002, "-1m"),
        ("LOC", "90 0 0.001 N 0 E 0m", p002, "90 0 0.001 N"),
        ("LOC", "42 N 71 W", p002, ""),
        ("LOC", "42 N 71 W 0m 1m 1m 1m 1m", "PARSE001", "1m"),
        ("SVCB", "1 . alpn=h2 alpn=h3", p002, "alpn"),
        ("SVCB", "1 . mandatory=port", p002, "mandatory=port"),
        ("SVCB", "1 . no-default-alpn", p002, "no-default-alpn"),
        ("SVCB", "1 . dohpath=/dns-query", p002, "/dns-query"),
        ("SVCB", "1 . dohpath=dns{?dns}", p002, "dns{?dns}"),
        ("SVCB", "1 . dohpath=/q{?dns", p002, "/q{?dns"),
        ("SVCB", "1 . key7=/q", p002, "/q"),
        ("SVCB", "1 . port=70000", p002, "70000"),
        ("SVCB", "1 . Alpn=h2", p002, "Alpn"),
        ("SVCB", "1 . key01=x", p002, "key01"),
        ("SVCB", "1 . key65536=x", p002, "key65536"),
        ("NSAP", "47.0005", p002, "47.0005"),
        ("NSAP", "0x470", p002, "0x470"),
        ("NSAP", "0x", p002, "0x"),
        ("SVCB", "1 . foo=bar", p002, "foo"),
        ("SVCB", "1 . =h2", p002, "=h2"),
        ("SVCB", "1 . alpn", p002, "alpn"),
        ("SVCB", "1 . alpn=h2,", p002, ""),
        (
            "SVCB",
            "1 . ipv4hint=192.0.2.1,300.1.1.1",
            p002,
            "300.1.1.1",
        ),
        ("SVCB", "1 . ipv6hint=192.0.2.1", p002, "192.0.2.1"),
        ("SVCB", "1 . ech=AAQB", p002, "AAQB"),
        ("SVCB", "1 . ech=AAQ*", p002, "*"),
        ("SVCB", "1 . ohttp=1", p002, "1"),
        ("SVCB", "1 . alpn=h2 \"port=53\"", p002, "\"port=53\""),
        ("SVCB", r#"1 . alpn="h2\\x""#, p002, "\\"),
        ("SVCB", r#"1 . key1="\001""#, p002, r"\001"),
        // `\#` data that does not fit the type.
        ("A", "\\# 3 C00002", p002, "C00002"),
        ("A", "\\# 5 C000020100", p002, "C000020100"),
        ("MX", "\\# 2 000A", p002, "000A"),
        ("NS", "\\# 2 0161", p002, "0161"),
        ("TXT", "\\# 0", p002, "0"),
        ("TXT", "\\# 2 0561", p002, "0561"),
        ("SOA", "\\# 1 00", p002, "00"),
        ("NSEC", "\\# 4 00000100", p002, "00000100"),
        ("SVCB", "\\# 7 00010000010000", p002, "00010000010000"),
        (
            "LOC",
            "\\# 16 01121613891721D070BE15F000988D20",
            p002,
            "01121613891721D070BE15F000988D20",
        ),
        ("A", "\\# 4 C00002", p002, "4 C00002"),
    ];
    for &(type_name, text, code, bad) in cases {
        check_error(type_name, text, code, bad);
    }
}

#[test]
fn svcb_errors_point_at_the_right_occurrence() {
    let text = "1 . alpn=h2 alpn=h3";
    let (_, _, diagnostics) = parse_text(RType::SVCB, text);
    assert_eq!(diagnostics[0].primary.start, 12);
    let text = "1 . mandatory=alpn,alpn alpn=h2";
    let (_, _, diagnostics) = parse_text(RType::SVCB, text);
    assert_eq!(diagnostics[0].primary.range(), 19..23);
    assert!(
        diagnostics[0].message.contains("twice"),
        "{}",
        diagnostics[0].message
    );
    let text = "1 . mandatory=mandatory";
    let (_, _, diagnostics) = parse_text(RType::SVCB, text);
    assert_eq!(diagnostics[0].primary.range(), 14..23);
    assert!(diagnostics[0].message.contains("itself"));
}

#[test]
fn over_long_character_strings_are_parse004() {
    let long = "x".repeat(300);
    check_error(
        "TXT",
        &format!("\"{long}\""),
        "PARSE004",
        &format!("\"{long}\""),
    );
    check_error("HINFO", &format!("{long} os"), "PARSE004", &long);
}

#[test]
fn fields_map_spans_to_wire_ranges() {
    let text = "10 60 5060 sip.example.com.";
    let (wire, fields, _) = parse_text(RType::SRV, text);
    let wire = wire.unwrap();
    let spans: Vec<(&str, &[u8])> = fields
        .iter()
        .map(|f| {
            (
                &text[f.span.range()],
                &wire[usize::from(f.wire_start)..usize::from(f.wire_end)],
            )
        })
        .collect();
    assert_eq!(spans[0], ("10", &[0, 10][..]));
    assert_eq!(spans[2], ("5060", &[0x13, 0xC4][..]));
    assert_eq!(spans[3].0, "sip.example.com.");

    // LOC fields follow the text, though the wire order differs.
    let text = "42 21 54 N 71 06 18 W -24m 30m";
    let (_, fields, _) = parse_text(RType::LOC, text);
    let shown: Vec<(&str, u16, u16)> = fields
        .iter()
        .map(|f| (&text[f.span.range()], f.wire_start, f.wire_end))
        .collect();
    assert_eq!(
        shown,
        [
            ("42 21 54 N", 4, 8),
            ("71 06 18 W", 8, 12),
            ("-24m", 12, 16),
            ("30m", 1, 2)
        ]
    );

    // Base64 split over tokens is one field; SVCB parameters are stored in key order.
    let text = "257 3 8 AwEAAb4N53kPbyRPi5+4 9Z+m7F7F+fe9/o4S0t8jkM5u/Mw=";
    let (_, fields, _) = parse_text(RType::DNSKEY, text);
    assert_eq!(
        &text[fields[3].span.range()],
        "AwEAAb4N53kPbyRPi5+4 9Z+m7F7F+fe9/o4S0t8jkM5u/Mw="
    );
    let text = "1 . port=53 alpn=\"h2\"";
    let (_, fields, _) = parse_text(RType::SVCB, text);
    assert_eq!(&text[fields[2].span.range()], "alpn=\"h2\"");
    assert_eq!(&text[fields[3].span.range()], "port=53");
}

#[test]
fn undecodable_wire_prints_in_generic_form() {
    assert_eq!(printed("A", "C00002"), "\\# 3 C00002");
    assert_eq!(printed("MX", "000A"), "\\# 2 000A");
    assert_eq!(printed("NULL", "0102"), "\\# 2 0102");
    assert_eq!(printed("TYPE65000", ""), "\\# 0");
    assert_eq!(
        printed("SVCB", "000000000100020268"),
        "\\# 9 000000000100020268"
    );
    // An NSEC bitmap with a trailing zero octet cannot be printed back to the same bytes.
    assert_eq!(printed("NSEC", "0000020100"), "\\# 5 0000020100");
    assert_eq!(printed("A", "C0000201"), "192.0.2.1");
}

#[test]
fn types_without_a_format_take_only_the_generic_form() {
    check_error("NULL", "abc", "PARSE002", "abc");
    check_error("TYPE65000", "1 2", "PARSE002", "1 2");
    check("NULL", "\\# 2 0102", "0102");
    check("TYPE65000", "\\# 0", "");
    check("TYPE1", "\\# 4 C0000201", "C0000201");
}

#[test]
fn names_and_extra_forms_not_in_dnspython() {
    // MINFO and TA are not implemented by dnspython; their formats are RP's and DS's.
    check(
        "MINFO",
        "rmailbx.example.com. emailbx",
        "07726D61696C6278076578616D706C6503636F6D0007656D61696C6278076578616D706C6503636F6D00",
    );
    check(
        "TA",
        "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
        "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118",
    );
    check("MB", "mb.example.com.", "026D62076578616D706C6503636F6D00");
    // NAPTR regexps with the `i` flag and escaped delimiters, and an NSEC3 without types.
    check(
        "NAPTR",
        r#"1 1 "u" "E2U+x" "!a\\!b!c!i" ."#,
        "000100010175054532552B780921615C21622163216900",
    );
    check(
        "NSEC3",
        "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR",
        "010000000014174EB2409FE28BCB4887A1836F957F0A8425E27B",
    );
    // NINFO has TXT's format (BIND's txt family).
    check("NINFO", r#""ok" "x""#, "026F6B0178");
    // BIND's short locator groups.
    check("NID", "10 14:4fff:ff20:ee64", "000A00144FFFFF20EE64");
    check(
        "LOC",
        "32 7 19 S 116 2 025 E 10m",
        "00121613791B7D2898E6486800989A68",
    );
    // BIND prints SIG's covered type as a number when it has no mnemonic.
    check(
        "SIG",
        "63745 13 3 3600 1 0 1 . AA==",
        "F9010D0300000E10000000010000000000010000",
    );
    // IPSECKEY without a public key: RFC 4025 §2.6 allows it on the wire, but BIND and
    // dnspython both refuse the text form, so it is printed as `\#`.
    check_error("IPSECKEY", "10 0 0 .", "PARSE002", "");
    assert_eq!(printed("IPSECKEY", "0A0000"), "\\# 3 0A0000");
    // AliasMode with parameters: RFC 9460 §2.4.2 says SHOULD NOT, and BIND loads it
    // (dnspython refuses it); a policy rule reports it.
    check("SVCB", "0 . alpn=h2", "00000000010003026832");
    // BIND reads the SVCB target as a possibly quoted string.
    check("SVCB", r#"1 "." port=53"#, "000100000300020035");
    // dohpath templates (RFC 9461) with the dns variable in any position.
    check(
        "SVCB",
        "1 . dohpath=/q{?x,dns}",
        "0001000007000A2F717B3F782C646E737D",
    );
    check("SVCB", "1 . dohpath=/{dns}", "000100000700062F7B646E737D");
    // Algorithm mnemonics and durations where BIND accepts them.
    check("DNSKEY", "256 3 ecdsap256sha256 AA==", "0100030D00");
    check(
        "DS",
        "60485 RSASHA1 SHA-1 2BB183AF5F22588179A53B0A98631FAD1A292118",
        "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118",
    );
    check_error("DS", "1 8 SHA-512 AB", "PARSE002", "SHA-512");
    check(
        "RRSIG",
        "A ED25519 2 604800 1 0 1 . AA==",
        "00010F0200093A80000000010000000000010000",
    );
    // BIND refuses TTL units in the original TTL (dnspython reads them).
    check_error("RRSIG", "A 13 2 1W 1 0 1 . AA==", "PARSE002", "1W");
}

/// A small deterministic generator (xorshift64*), so the property tests need no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Mutates the wire form of every vector (flip, truncate, extend, splice) and checks the
/// round-trip invariant on whatever the validator accepts: printed, it parses back to the
/// same octets. Nothing may panic, whatever the bytes.
#[test]
fn any_wire_the_validator_accepts_round_trips() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = 0;
    for (type_name, _, expected) in VECTORS {
        let rtype = rtype(type_name);
        let original = unhex(expected);
        for _ in 0..300 {
            let mut wire = original.clone();
            for _ in 0..=rng.below(3) {
                match rng.below(5) {
                    0 if !wire.is_empty() => {
                        let at = rng.below(wire.len());
                        wire[at] = rng.next() as u8;
                    }
                    1 if !wire.is_empty() => {
                        let at = rng.below(wire.len());
                        wire[at] ^= 1 << rng.below(8);
                    }
                    2 => wire.truncate(rng.below(wire.len() + 1)),
                    3 => wire.push(rng.next() as u8),
                    _ => {
                        let at = rng.below(wire.len() + 1);
                        wire.insert(at, [0, 1, 2, 0x20, 0x7F, 0xFF][rng.below(6)]);
                    }
                }
            }
            let mut printed = String::new();
            write_presentation(rtype, &wire, &mut printed);
            if validate_wire(rtype, &wire).is_err() {
                assert!(printed.starts_with("\\#"), "{type_name} {printed}");
                continue;
            }
            accepted += 1;
            let (again, _, diagnostics) = parse_text(rtype, &printed);
            assert!(
                diagnostics.is_empty(),
                "{type_name} wire {} printed as {printed}: {diagnostics:#?}",
                hex(&wire)
            );
            assert_eq!(again.unwrap(), wire, "{type_name} printed as {printed}");
        }
    }
    assert!(
        accepted > 1000,
        "only {accepted} mutated records were valid"
    );
}

/// Random token soup for every type: never a panic, always exactly one diagnostic or a
/// record, and every diagnostic span inside the text.
#[test]
fn random_text_never_panics() {
    let pieces = [
        "0",
        "1",
        "65535",
        "4294967296",
        "-",
        ".",
        "@",
        "a",
        "A",
        "N",
        "S",
        "E",
        "W",
        "1m",
        "-1.5m",
        "\\#",
        "\\# 2 0102",
        "AA==",
        "ZZ",
        "h2,h3",
        "alpn=h2",
        "key7=\"x\"",
        "mandatory=alpn",
        "\"q\\\"\"",
        "2001:db8::1",
        "192.0.2.1",
        "1:192.0.2.0/24",
        "20240101000000",
        "TYPE1",
        "\\256",
        "a..b",
        "tcp",
        "=",
        "port=",
        "ech=AAQBAgME",
    ];
    let mut rng = Rng(42);
    let mut types: Vec<&str> = VECTORS.iter().map(|v| v.0).collect();
    types.dedup();
    for type_name in types {
        for _ in 0..200 {
            let words: Vec<&str> = (0..rng.below(9))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            let text = words.join(" ");
            let (wire, _, diagnostics) = parse_text(rtype(type_name), &text);
            match wire {
                Ok(_) => assert!(
                    diagnostics.is_empty(),
                    "{type_name} {text}: {diagnostics:#?}"
                ),
                Err(()) => assert_eq!(diagnostics.len(), 1, "{type_name} {text}"),
            }
            for diagnostic in &diagnostics {
                assert!(
                    diagnostic.primary.end as usize <= text.len(),
                    "{type_name} {text}"
                );
                assert!(diagnostic.primary.start <= diagnostic.primary.end);
            }
        }
    }
}

#[test]
fn errors_show_the_shape_of_the_rdata() {
    let (_, _, diagnostics) = parse_text(RType::SRV, "10 60 x.");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("SRV RDATA is `priority weight port target`; BIND refuses to load a zone with a malformed record")
    );
    let (_, _, diagnostics) = parse_text(RType::SOA, "ns1 host 1 2 3 4");
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("`primary-name-server responsible-mailbox serial refresh retry expire minimum`"));
    let (_, _, diagnostics) = parse_text(RType::NSEC, "x. FOO");
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("`next-domain-name type…`"));
    // Names keep their own codes and help.
    let (_, _, diagnostics) = parse_text(RType::NS, "a..b");
    assert_eq!(diagnostics[0].code.code, "PARSE005");
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .starts_with("Labels"));
}

#[test]
fn svcb_keys_after_ipv6hint_print_as_key_numbers_like_bind() {
    // From `SVCB 1 . alpn=h3 ohttp dohpath="/q{?dns}"`.
    let (wire, _, _) = parse_text(RType::SVCB, r#"1 . alpn=h3 ohttp dohpath="/q{?dns}""#);
    let mut out = String::new();
    write_presentation(RType::SVCB, &wire.unwrap(), &mut out);
    assert_eq!(out, r#"1 . alpn="h3" key7="/q{?dns}" key8"#);
    let (wire, _, _) = parse_text(RType::SVCB, "1 . mandatory=ohttp,alpn alpn=h2 ohttp");
    let mut out = String::new();
    write_presentation(RType::SVCB, &wire.unwrap(), &mut out);
    assert_eq!(out, r#"1 . mandatory=alpn,key8 alpn="h2" key8"#);
}

/// A character-string's octets are between its quotes when it is quoted at both ends, and
/// all of it otherwise (a lone or unmatched quote is an octet of an unquoted word).
#[test]
fn string_content_is_inside_matched_quotes() {
    for (written, content) in [
        (&br#""v=spf1 -all""#[..], &b"v=spf1 -all"[..]),
        (br#""""#, b""),
        (b"word", b"word"),
        (br#"""#, br#"""#),
        (br#""open"#, br#""open"#),
        (br#"close""#, br#"close""#),
        (br#""a\"b""#, br#"a\"b"#),
        (b"", b""),
    ] {
        assert_eq!(&written[string_content(written)], content, "{written:?}");
    }
}
