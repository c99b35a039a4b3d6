//! Types with their own small grammars: APL, WKS, IPSECKEY, HIP and AMTRELAY.

use super::encoding::{
    bad_token, base64_to_end, decode_base64, decode_hex, write_base64, write_hex,
};
use super::fields::{hex_error, parse_ipv4, parse_ipv6};
use super::reader::Reader;
use super::{Cursor, Failed};
use crate::name::write_wire_name;
use std::fmt::Write as _;

/// APL (RFC 3123): zero or more `[!]afi:address/prefix` items.
pub(crate) fn apl(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    while let Some(token) = cursor.next_token() {
        let start = cursor.wire_len();
        let Some((family, negated, address, prefix)) = parse_apl_item(token.bytes) else {
            return Err(bad_token(
                cursor,
                token,
                "APL item",
                "`[!]1:IPv4/prefix` or `[!]2:IPv6/prefix`, like `1:192.0.2.0/24`",
            ));
        };
        let (full, max_prefix): (&[u8], u8) = match &address {
            AplAddress::V4(octets) => (octets, 32),
            AplAddress::V6(octets) => (octets, 128),
        };
        if prefix > max_prefix {
            return Err(cursor.error(
                token.span,
                format!("APL prefix length {prefix} is over {max_prefix}"),
            ));
        }
        // Trailing zero octets are left out of the wire form (RFC 3123 §4).
        let used = full.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
        cursor.put(&family.to_be_bytes());
        cursor.put(&[prefix, u8::from(negated) << 7 | used as u8]);
        cursor.put(full.get(..used).unwrap_or_default());
        cursor.field(token.span, start);
    }
    Ok(())
}

enum AplAddress {
    V4([u8; 4]),
    V6([u8; 16]),
}

fn parse_apl_item(text: &[u8]) -> Option<(u16, bool, AplAddress, u8)> {
    let (negated, text) = match text.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let colon = memchr::memchr(b':', text)?;
    let slash = memchr::memrchr(b'/', text)?;
    let family = text.get(..colon)?;
    let address = text.get(colon + 1..slash)?;
    let prefix = text.get(slash + 1..)?;
    if prefix.is_empty() || prefix.len() > 3 || !prefix.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let prefix = u8::try_from(
        prefix
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')),
    )
    .ok()?;
    match family {
        b"1" => Some((1, negated, AplAddress::V4(parse_ipv4(address)?), prefix)),
        b"2" => Some((2, negated, AplAddress::V6(parse_ipv6(address)?), prefix)),
        _ => None,
    }
}

/// Writes APL RDATA.
pub(crate) fn write_apl(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let mut first = true;
    while !reader.is_empty() {
        let family = reader
            .u16()
            .ok_or("the RDATA ends inside an APL address family")?;
        let prefix = reader.u8().ok_or("the RDATA ends inside an APL prefix")?;
        let flags = reader.u8().ok_or("the RDATA ends inside an APL length")?;
        let data = reader
            .bytes(usize::from(flags & 0x7F))
            .ok_or("the RDATA ends inside an APL address")?;
        if !first {
            out.push(' ');
        }
        first = false;
        if flags & 0x80 != 0 {
            out.push('!');
        }
        match family {
            1 if data.len() <= 4 && prefix <= 32 => {
                let mut octets = [0u8; 4];
                octets
                    .get_mut(..data.len())
                    .unwrap_or_default()
                    .copy_from_slice(data);
                let _ = write!(out, "1:{}/{prefix}", std::net::Ipv4Addr::from(octets));
            }
            2 if data.len() <= 16 && prefix <= 128 => {
                let mut octets = [0u8; 16];
                octets
                    .get_mut(..data.len())
                    .unwrap_or_default()
                    .copy_from_slice(data);
                let _ = write!(out, "2:{}/{prefix}", std::net::Ipv6Addr::from(octets));
            }
            _ => {
                return Err(format!(
                "APL item of family {family}, prefix {prefix}, {} address octets cannot be written",
                data.len()
            ))
            }
        }
        if data.last() == Some(&0) {
            return Err("an APL address has trailing zero octets".to_owned());
        }
    }
    Ok(())
}

/// Well-known service names WKS accepts (a small, stable subset of `/etc/services`).
const SERVICES: &[(&str, u16)] = &[
    ("echo", 7),
    ("discard", 9),
    ("daytime", 13),
    ("ftp-data", 20),
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("time", 37),
    ("domain", 53),
    ("gopher", 70),
    ("finger", 79),
    ("http", 80),
    ("www", 80),
    ("kerberos", 88),
    ("pop3", 110),
    ("sunrpc", 111),
    ("nntp", 119),
    ("ntp", 123),
    ("imap", 143),
    ("snmp", 161),
    ("ldap", 389),
    ("https", 443),
    ("submissions", 465),
    ("smtps", 465),
    ("submission", 587),
    ("ldaps", 636),
    ("imaps", 993),
    ("pop3s", 995),
];

/// WKS (RFC 1035 §3.4.2): address, protocol, services.
pub(crate) fn wks(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let address = cursor.expect("address")?;
    let Some(octets) = parse_ipv4(address.bytes) else {
        return Err(bad_token(cursor, address, "address", "an IPv4 address"));
    };
    let start = cursor.wire_len();
    cursor.put(&octets);
    cursor.field(address.span, start);
    let protocol = cursor.expect("protocol")?;
    let number = if protocol.bytes.eq_ignore_ascii_case(b"tcp") {
        6
    } else if protocol.bytes.eq_ignore_ascii_case(b"udp") {
        17
    } else if protocol.bytes.first().is_some_and(u8::is_ascii_digit) {
        cursor.number(protocol, "protocol", 255)? as u8
    } else {
        return Err(bad_token(
            cursor,
            protocol,
            "protocol",
            "`tcp`, `udp` or a protocol number",
        ));
    };
    let start = cursor.wire_len();
    cursor.put(&[number]);
    cursor.field(protocol.span, start);
    let bitmap_start = cursor.wire_len();
    while let Some(token) = cursor.next_token() {
        let port = if token.bytes.first().is_some_and(u8::is_ascii_digit) {
            cursor.number(token, "port", 65_535)? as usize
        } else {
            match SERVICES
                .iter()
                .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(token.bytes))
            {
                Some(&(_, port)) => usize::from(port),
                None => {
                    return Err(bad_token(
                        cursor,
                        token,
                        "service",
                        "a port number or a well-known service name such as `smtp`",
                    ))
                }
            }
        };
        let at = bitmap_start + port / 8;
        let wire = cursor.wire_mut();
        if wire.len() <= at {
            wire.resize(at + 1, 0);
        }
        if let Some(byte) = wire.get_mut(at) {
            *byte |= 0x80 >> (port % 8);
        }
        cursor.field_range(token.span, at, at + 1);
    }
    Ok(())
}

/// Writes WKS RDATA with the protocol and ports as numbers (as dnspython does).
pub(crate) fn write_wks(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let address: [u8; 4] = reader.array().ok_or("the RDATA ends inside the address")?;
    let protocol = reader.u8().ok_or("the RDATA ends before the protocol")?;
    let bitmap = reader.rest();
    if bitmap.last() == Some(&0) {
        // The text form cannot say "and some zero octets": those bytes would not round-trip.
        return Err("the WKS bitmap ends in zero octets".to_owned());
    }
    let _ = write!(out, "{} {protocol}", std::net::Ipv4Addr::from(address));
    for (i, &byte) in bitmap.iter().enumerate() {
        for bit in 0..8 {
            if byte & (0x80 >> bit) != 0 {
                let _ = write!(out, " {}", i * 8 + bit);
            }
        }
    }
    Ok(())
}

/// A gateway or relay: `.` (none), IPv4, IPv6 or a name, chosen by a type octet.
fn gateway(cursor: &mut Cursor<'_, '_>, kind: u8, what: &str) -> Result<(), Failed> {
    let token = cursor.expect(what)?;
    let start = cursor.wire_len();
    match kind {
        0 if token.bytes == b"." => {}
        0 => {
            return Err(bad_token(
                cursor,
                token,
                what,
                "`.` when the type is 0 (no gateway)",
            ))
        }
        1 => match parse_ipv4(token.bytes) {
            Some(octets) => cursor.put(&octets),
            None => {
                return Err(bad_token(
                    cursor,
                    token,
                    what,
                    "an IPv4 address when the type is 1",
                ))
            }
        },
        2 => match parse_ipv6(token.bytes) {
            Some(octets) => cursor.put(&octets),
            None => {
                return Err(bad_token(
                    cursor,
                    token,
                    what,
                    "an IPv6 address when the type is 2",
                ))
            }
        },
        _ => return cursor.name_from(token),
    }
    cursor.field(token.span, start);
    Ok(())
}

fn write_gateway(kind: u8, reader: &mut Reader<'_>, out: &mut String) -> Result<(), String> {
    match kind {
        0 => out.push('.'),
        1 => {
            let octets: [u8; 4] = reader
                .array()
                .ok_or("the RDATA ends inside the IPv4 gateway")?;
            let _ = write!(out, "{}", std::net::Ipv4Addr::from(octets));
        }
        2 => {
            let octets: [u8; 16] = reader
                .array()
                .ok_or("the RDATA ends inside the IPv6 gateway")?;
            let _ = write!(out, "{}", std::net::Ipv6Addr::from(octets));
        }
        3 => {
            let name = reader
                .name()
                .ok_or("the gateway is not a well-formed uncompressed name")?;
            let _ = write_wire_name(name, out);
        }
        other => return Err(format!("gateway type {other} is unknown")),
    }
    Ok(())
}

/// IPSECKEY (RFC 4025): precedence, gateway type, algorithm, gateway, public key.
pub(crate) fn ipseckey(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    cursor.u8_field("precedence")?;
    let kind_token = cursor.peek();
    let kind = cursor.u8_field("gateway type")?;
    if kind > 3 {
        let span = kind_token.map_or_else(|| cursor.end_span(), |t| t.span);
        return Err(cursor.error(
            span,
            format!("gateway type {kind} is unknown (0 none, 1 IPv4, 2 IPv6, 3 name)"),
        ));
    }
    cursor.u8_field("algorithm")?;
    gateway(cursor, kind, "gateway")?;
    // RFC 4025 §2.6 allows an empty key, but BIND and dnspython both require one in text.
    base64_to_end(cursor, "public key")
}

/// Writes IPSECKEY RDATA.
pub(crate) fn write_ipseckey(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let precedence = reader.u8().ok_or("the RDATA ends before the precedence")?;
    let kind = reader
        .u8()
        .ok_or("the RDATA ends before the gateway type")?;
    let algorithm = reader.u8().ok_or("the RDATA ends before the algorithm")?;
    let _ = write!(out, "{precedence} {kind} {algorithm} ");
    write_gateway(kind, &mut reader, out)?;
    let key = reader.rest();
    if key.is_empty() {
        return Err(
            "the IPSECKEY has no public key, which its text form cannot express".to_owned(),
        );
    }
    out.push(' ');
    write_base64(key, out);
    Ok(())
}

/// HIP (RFC 8005): algorithm, HIT (hex), public key (base64), rendezvous servers.
pub(crate) fn hip(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let start = cursor.wire_len();
    cursor.put(&[0, 0, 0, 0]);
    let algorithm = cursor.expect("public key algorithm")?;
    let value = cursor.number(algorithm, "public key algorithm", 255)? as u8;
    if let Some(slot) = cursor.wire_mut().get_mut(start + 1) {
        *slot = value;
    }
    cursor.field_range(algorithm.span, start + 1, start + 2);
    let hit = cursor.expect("HIT")?;
    let hit_start = cursor.wire_len();
    if let Err(at) = decode_hex(hit.bytes, cursor.wire_mut()) {
        return Err(hex_error(cursor, hit, "HIT", at));
    }
    let hit_len = cursor.wire_len() - hit_start;
    if hit_len == 0 || hit_len > 255 {
        return Err(cursor.error(
            hit.span,
            format!("the HIT must be 1–255 octets, not {hit_len}"),
        ));
    }
    cursor.field(hit.span, hit_start);
    let key = cursor.expect("public key")?;
    let key_start = cursor.wire_len();
    if let Err((at, why)) = decode_base64(key.bytes, cursor.wire_mut()) {
        let span = at.map_or(key.span, |i| key.content_span(i, 1));
        return Err(cursor.error(span, format!("public key: {why}")));
    }
    let key_len = cursor.wire_len() - key_start;
    if key_len == 0 {
        return Err(cursor.error(key.span, "the public key is empty"));
    }
    cursor.field(key.span, key_start);
    let wire = cursor.wire_mut();
    if let Some(slot) = wire.get_mut(start) {
        *slot = hit_len as u8;
    }
    let key_len = u16::try_from(key_len).unwrap_or(u16::MAX).to_be_bytes();
    if let Some(slot) = wire.get_mut(start + 2..start + 4) {
        slot.copy_from_slice(&key_len);
    }
    while let Some(token) = cursor.next_token() {
        cursor.name_from(token)?;
    }
    Ok(())
}

/// Writes HIP RDATA.
pub(crate) fn write_hip(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let hit_len = reader.u8().ok_or("the RDATA ends before the HIT length")?;
    let algorithm = reader.u8().ok_or("the RDATA ends before the algorithm")?;
    let key_len = reader
        .u16()
        .ok_or("the RDATA ends before the public key length")?;
    let hit = reader
        .bytes(usize::from(hit_len))
        .ok_or("the RDATA ends inside the HIT")?;
    let key = reader
        .bytes(usize::from(key_len))
        .ok_or("the RDATA ends inside the public key")?;
    if hit.is_empty() || key.is_empty() {
        return Err("the HIT and the public key must not be empty".to_owned());
    }
    let _ = write!(out, "{algorithm} ");
    write_hex(hit, out);
    out.push(' ');
    write_base64(key, out);
    while !reader.is_empty() {
        let name = reader
            .name()
            .ok_or("a rendezvous server is not a well-formed uncompressed name")?;
        out.push(' ');
        let _ = write_wire_name(name, out);
    }
    Ok(())
}

/// AMTRELAY (RFC 8777): precedence, discovery-optional bit, relay type, relay.
pub(crate) fn amtrelay(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    cursor.u8_field("precedence")?;
    let discovery = cursor.expect("discovery optional flag")?;
    let optional = cursor.number(discovery, "discovery optional flag", 1)? as u8;
    let kind_token = cursor.expect("relay type")?;
    let kind = cursor.number(kind_token, "relay type", 3)? as u8;
    let start = cursor.wire_len();
    cursor.put(&[optional << 7 | kind]);
    cursor.field(discovery.span.cover(kind_token.span), start);
    gateway(cursor, kind, "relay")
}

/// Writes AMTRELAY RDATA.
pub(crate) fn write_amtrelay(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let precedence = reader.u8().ok_or("the RDATA ends before the precedence")?;
    let flags = reader.u8().ok_or("the RDATA ends before the relay type")?;
    let kind = flags & 0x7F;
    let _ = write!(out, "{precedence} {} {kind} ", flags >> 7);
    write_gateway(kind, &mut reader, out)?;
    if reader.is_empty() {
        Ok(())
    } else {
        Err(super::fields::leftover(reader.remaining(), "the relay"))
    }
}
