//! Record types described as a list of fields, and the one interpreter that parses,
//! prints and validates all of them.
//!
//! Most types are a fixed sequence of numbers, names, strings and encoded blobs. Writing
//! each type as data (`SOA = [name, name, u32, duration × 4]`) keeps the text parser, the
//! presentation writer and the `\#` validator in agreement by construction: there is one
//! description per type, not three hand-written functions that could drift apart.

use super::basic::character_string;
use super::encoding::{
    algorithm_from_mnemonic, bad_token, base64_to_end, cert_type_from_mnemonic, cert_type_mnemonic,
    decode_base32hex, decode_hex, digest_type_from_mnemonic, hex_to_end, parse_timestamp,
    write_base32hex, write_base64, write_hex, write_timestamp,
};
use super::reader::Reader;
use super::{Cursor, Failed};
use crate::name::write_wire_name;
use crate::rtype::RType;
use std::fmt::Write as _;

/// The shape of one presentation field and its wire encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An 8-bit unsigned number.
    U8,
    /// A 16-bit unsigned number.
    U16,
    /// A 32-bit unsigned number.
    U32,
    /// A 32-bit number of seconds, also in TTL unit form (`1h30m`), as BIND accepts for
    /// the SOA timers.
    Duration,
    /// An uncompressed domain name.
    Name,
    /// An IPv4 address (4 octets).
    Ipv4,
    /// An IPv6 address (16 octets).
    Ipv6,
    /// One `<character-string>` (length octet and octets).
    CharString,
    /// One `<character-string>` whose octets must also pass a type-specific check.
    CheckedString(StringCheck),
    /// One `<character-string>` that may be left out (the ISDN subaddress).
    OptionalCharString,
    /// One or more `<character-string>`s up to the end (TXT).
    CharStrings,
    /// A string with escapes stored without a length octet, taking the rest of the RDATA
    /// (CAA value, URI target).
    Text {
        /// Whether the empty string is allowed.
        allow_empty: bool,
    },
    /// The CAA property tag: a length octet and 1–255 ASCII letters and digits.
    CaaTag,
    /// Base64 over one or more tokens up to the end, at least one octet.
    Base64,
    /// Hexadecimal over one or more tokens up to the end, at least one octet.
    Hex,
    /// A record type by mnemonic or `TYPEnnn` (16 bits).
    Type,
    /// A DNSSEC algorithm by number or mnemonic (8 bits).
    Algorithm,
    /// A CERT certificate type by number or mnemonic (16 bits).
    CertType,
    /// A DS digest type (8 bits) by number or, as BIND accepts, mnemonic (`SHA-256`).
    DigestType,
    /// A DSYNC scheme (8 bits) by number or mnemonic (`NOTIFY` is 1).
    DsyncScheme,
    /// A DNSSEC timestamp (32 bits).
    Timestamp,
    /// An NSEC-style type bitmap up to the end.
    TypeBitmap {
        /// Whether no types at all is allowed (NSEC3 and CSYNC; an NSEC always lists at
        /// least NSEC and RRSIG, and BIND refuses an empty one).
        allow_empty: bool,
    },
    /// An NSEC3 salt: a length octet and hex, or `-` for none.
    Salt,
    /// An NSEC3 hashed owner name: a length octet and base32hex.
    HashedName,
    /// An EUI-48 address, `xx-xx-xx-xx-xx-xx`.
    Eui48,
    /// An EUI-64 address, `xx-xx-xx-xx-xx-xx-xx-xx`.
    Eui64,
    /// A 64-bit ILNP locator or node ID, `xxxx:xxxx:xxxx:xxxx`.
    Locator64,
    /// An NSAP address (RFC 1706): `0x` and hex digits, dots allowed between them.
    Nsap,
}

/// Checks BIND applies to the octets of particular strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StringCheck {
    /// An X25 PSDN address: at least four decimal digits (RFC 1183 §3.1).
    X25Address,
    /// A NAPTR regexp: empty, or `delimiter pattern delimiter replacement delimiter
    /// [i]` (RFC 3403 §4.1), as BIND checks its shape.
    NaptrRegexp,
}

impl StringCheck {
    fn check(self, octets: &[u8]) -> Result<(), String> {
        match self {
            StringCheck::X25Address => {
                if octets.len() >= 4 && octets.iter().all(u8::is_ascii_digit) {
                    Ok(())
                } else {
                    Err("an X25 PSDN address is at least four decimal digits".to_owned())
                }
            }
            StringCheck::NaptrRegexp => check_naptr_regexp(octets),
        }
    }
}

/// The shape of a NAPTR substitution expression, as BIND's `txt_valid_regex` checks it
/// (the POSIX pattern itself is not compiled).
fn check_naptr_regexp(octets: &[u8]) -> Result<(), String> {
    let Some((&delimiter, rest)) = octets.split_first() else {
        return Ok(());
    };
    if delimiter.is_ascii_digit() || matches!(delimiter, b'\\' | b'i' | 0) {
        return Err(format!(
            "`{}` cannot delimit a NAPTR regexp (digits, `\\`, `i` and NUL are not allowed)",
            char::from(delimiter).escape_default()
        ));
    }
    let mut delimiters_seen = 0;
    let mut bytes = rest.iter();
    while let Some(&b) = bytes.next() {
        if b == 0 {
            return Err("a NAPTR regexp cannot contain NUL".to_owned());
        }
        if b == delimiter {
            delimiters_seen += 1;
            if delimiters_seen > 2 {
                return Err("a NAPTR regexp has more than three delimiters".to_owned());
            }
            continue;
        }
        if delimiters_seen == 2 {
            if b != b'i' {
                return Err("the only NAPTR regexp flag is `i`".to_owned());
            }
            continue;
        }
        if b == b'\\' {
            match bytes.next() {
                None | Some(0) => return Err("a NAPTR regexp ends in a lone `\\`".to_owned()),
                Some(b'0') if delimiters_seen == 1 => {
                    return Err("`\\0` is not a valid back-reference".to_owned())
                }
                Some(_) => {}
            }
        }
    }
    if delimiters_seen < 2 {
        return Err(format!(
            "a NAPTR regexp is `{0}pattern{0}replacement{0}`; this one has {1} of its 3 delimiters",
            char::from(delimiter).escape_default(),
            delimiters_seen + 1
        ));
    }
    Ok(())
}

/// One field of a type: its shape and the name diagnostics call it by.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    /// The shape.
    pub(crate) kind: Kind,
    /// What the RFC calls it (`"refresh"`, `"key tag"`).
    pub(crate) name: &'static str,
}

/// A field description (used to write the type tables compactly).
pub(crate) const fn spec(kind: Kind, name: &'static str) -> Spec {
    Spec { kind, name }
}

/// Parses every field of `specs` in order.
pub(crate) fn parse(cursor: &mut Cursor<'_, '_>, specs: &[Spec]) -> Result<(), Failed> {
    for spec in specs {
        parse_field(cursor, *spec)?;
    }
    Ok(())
}

fn parse_field(cursor: &mut Cursor<'_, '_>, spec: Spec) -> Result<(), Failed> {
    let what = spec.name;
    let string_kind = matches!(
        spec.kind,
        Kind::CharString
            | Kind::CheckedString(_)
            | Kind::OptionalCharString
            | Kind::CharStrings
            | Kind::Text { .. }
            | Kind::CaaTag
    );
    // Only strings may be quoted (BIND and dnspython read every other field from a bare
    // token); the CAA tag reports its own, more specific error.
    if let Some(token) = cursor.peek().filter(|t| t.quoted && !string_kind) {
        cursor.next_token();
        return Err(cursor.error(
            token.span,
            format!(
                "the {what} cannot be quoted: write `{}` without the quotes",
                String::from_utf8_lossy(token.bytes)
            ),
        ));
    }
    match spec.kind {
        Kind::U8 => cursor.u8_field(what).map(drop),
        Kind::U16 => cursor.u16_field(what).map(drop),
        Kind::U32 => cursor.u32_field(what).map(drop),
        Kind::Duration => {
            let token = cursor.expect(what)?;
            match crate::ttl::parse_ttl_value(token.bytes) {
                Ok(value) if !token.quoted => {
                    let start = cursor.wire_len();
                    cursor.put(&value.to_be_bytes());
                    cursor.field(token.span, start);
                    Ok(())
                }
                Err(crate::ttl::TtlError::Overflow) => Err(cursor.error(
                    token.span,
                    format!(
                        "{what} `{}` is over 4294967295 seconds",
                        String::from_utf8_lossy(token.bytes)
                    ),
                )),
                _ => Err(bad_token(
                    cursor,
                    token,
                    what,
                    "a number of seconds or a duration like `1h30m`",
                )),
            }
        }
        Kind::Name => cursor.name_field(what),
        Kind::Ipv4 => {
            let token = cursor.expect(what)?;
            match parse_ipv4(token.bytes) {
                Some(octets) if !token.quoted => put_field(cursor, token.span, &octets),
                _ => Err(bad_token(cursor, token, what, "an IPv4 address")),
            }
        }
        Kind::Ipv6 => {
            let token = cursor.expect(what)?;
            match parse_ipv6(token.bytes) {
                Some(octets) if !token.quoted => put_field(cursor, token.span, &octets),
                _ => Err(bad_token(cursor, token, what, "an IPv6 address")),
            }
        }
        Kind::CharString => {
            let token = cursor.expect(what)?;
            character_string(cursor, token)
        }
        Kind::CheckedString(check) => {
            let token = cursor.expect(what)?;
            let start = cursor.wire_len();
            character_string(cursor, token)?;
            let octets = cursor.wire().get(start + 1..).unwrap_or_default();
            match check.check(octets) {
                Ok(()) => Ok(()),
                Err(problem) => Err(cursor.error(token.span, problem)),
            }
        }
        Kind::OptionalCharString => match cursor.next_token() {
            Some(token) => character_string(cursor, token),
            None => Ok(()),
        },
        Kind::CharStrings => super::basic::txt(cursor),
        Kind::Text { allow_empty } => {
            let token = cursor.expect(what)?;
            let start = cursor.wire_len();
            if let Err(super::CharStringError::BadEscape { offset, len }) =
                super::decode_char_string(token.bytes, cursor.wire_mut())
            {
                let span = token.content_span(offset, len);
                return Err(cursor.error(
                    span,
                    "bad escape: `\\DDD` must be three digits with a value up to 255",
                ));
            }
            if !allow_empty && cursor.wire_len() == start {
                return Err(cursor.error(token.span, format!("{what} must not be empty")));
            }
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::CaaTag => {
            let token = cursor.expect(what)?;
            let valid = !token.quoted
                && !token.bytes.is_empty()
                && token.bytes.len() <= 255
                && token.bytes.iter().all(u8::is_ascii_alphanumeric);
            if !valid {
                return Err(bad_token(
                    cursor,
                    token,
                    what,
                    "1–255 ASCII letters and digits",
                ));
            }
            let start = cursor.wire_len();
            cursor.put(&[token.bytes.len() as u8]);
            cursor.put(token.bytes);
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::Base64 => base64_to_end(cursor, what),
        Kind::Hex => hex_to_end(cursor, what),
        Kind::Type => {
            let token = cursor.expect(what)?;
            // BIND also reads (and prints, for SIG) the covered type as a plain number.
            if token.bytes.first().is_some_and(u8::is_ascii_digit) {
                let start = cursor.wire_len();
                let value = cursor.number(token, what, 65_535)? as u16;
                cursor.put(&value.to_be_bytes());
                cursor.field(token.span, start);
                return Ok(());
            }
            match RType::from_text(token.bytes) {
                Some(rtype) if !token.quoted => {
                    put_field(cursor, token.span, &rtype.0.to_be_bytes())
                }
                _ => Err(bad_token(
                    cursor,
                    token,
                    what,
                    "a record type (a mnemonic or TYPEnnn)",
                )),
            }
        }
        Kind::Algorithm => number_or_mnemonic(
            cursor,
            what,
            255,
            |text| algorithm_from_mnemonic(text).map(u16::from),
            "a number or a DNSSEC algorithm mnemonic such as ECDSAP256SHA256",
        ),
        Kind::CertType => number_or_mnemonic(
            cursor,
            what,
            65_535,
            cert_type_from_mnemonic,
            "a number or one of PKIX SPKI PGP IPKIX ISPKI IPGP ACPKIX IACPKIX URI OID",
        ),
        Kind::DigestType => number_or_mnemonic(
            cursor,
            what,
            255,
            |text| digest_type_from_mnemonic(text).map(u16::from),
            "a number or one of SHA-1 SHA-256 GOST SHA-384",
        ),
        Kind::DsyncScheme => {
            let token = cursor.expect(what)?;
            if token.bytes.eq_ignore_ascii_case(b"NOTIFY") {
                return put_field(cursor, token.span, &[1]);
            }
            if !token.bytes.first().is_some_and(u8::is_ascii_digit) {
                return Err(bad_token(cursor, token, what, "a number or `NOTIFY`"));
            }
            let start = cursor.wire_len();
            let value = cursor.number(token, what, 255)? as u8;
            cursor.put(&[value]);
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::Timestamp => {
            let token = cursor.expect(what)?;
            match parse_timestamp(token.bytes) {
                Ok(seconds) => put_field(cursor, token.span, &seconds.to_be_bytes()),
                Err(why) => Err(cursor.error(
                    token.span,
                    format!("{what} `{}` {why}", String::from_utf8_lossy(token.bytes)),
                )),
            }
        }
        Kind::TypeBitmap { allow_empty } => {
            let start = cursor.wire_len();
            super::bitmap::parse(cursor)?;
            if !allow_empty && cursor.wire_len() == start {
                let span = cursor.end_span();
                let rtype = cursor.rtype();
                return Err(cursor.error(
                    span,
                    format!("{rtype} record has an empty type bitmap; it lists at least {rtype} and RRSIG"),
                ));
            }
            Ok(())
        }
        Kind::Salt => {
            let token = cursor.expect(what)?;
            let start = cursor.wire_len();
            cursor.put(&[0]);
            if token.bytes != b"-" {
                if let Err(at) = decode_hex(token.bytes, cursor.wire_mut()) {
                    return Err(hex_error(cursor, token, what, at));
                }
            }
            let len = cursor.wire_len() - start - 1;
            if len > 255 {
                return Err(cursor.error(
                    token.span,
                    format!("{what} is {len} octets; the limit is 255"),
                ));
            }
            if let Some(slot) = cursor.wire_mut().get_mut(start) {
                *slot = len as u8;
            }
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::HashedName => {
            let token = cursor.expect(what)?;
            let start = cursor.wire_len();
            cursor.put(&[0]);
            if let Err(at) = decode_base32hex(token.bytes, cursor.wire_mut()) {
                let span = at.map_or(token.span, |i| token.content_span(i, 1));
                return Err(cursor.error(
                    span,
                    format!(
                        "{what} `{}` is not valid base32hex (digits 0–9 and letters A–V)",
                        String::from_utf8_lossy(token.bytes)
                    ),
                ));
            }
            let len = cursor.wire_len() - start - 1;
            if len == 0 || len > 255 {
                return Err(cursor.error(
                    token.span,
                    format!("{what} must be 1–255 octets, not {len}"),
                ));
            }
            if let Some(slot) = cursor.wire_mut().get_mut(start) {
                *slot = len as u8;
            }
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::Nsap => {
            let token = cursor.expect(what)?;
            let start = cursor.wire_len();
            let digits = token
                .bytes
                .strip_prefix(b"0x")
                .or_else(|| token.bytes.strip_prefix(b"0X"));
            let mut pending: Option<u8> = None;
            let mut valid = digits.is_some_and(|d| !d.is_empty());
            for &b in digits.unwrap_or_default() {
                if b == b'.' {
                    continue;
                }
                match (super::encoding::hex_value(b), pending.take()) {
                    (Some(low), Some(high)) => cursor.put(&[high << 4 | low]),
                    (Some(high), None) => pending = Some(high),
                    (None, _) => valid = false,
                }
            }
            if !valid || pending.is_some() || cursor.wire_len() == start {
                return Err(bad_token(
                    cursor,
                    token,
                    what,
                    "`0x` and an even number of hex digits, dots allowed between them",
                ));
            }
            cursor.field(token.span, start);
            Ok(())
        }
        Kind::Eui48 => eui::<6>(cursor, what),
        Kind::Eui64 => eui::<8>(cursor, what),
        Kind::Locator64 => {
            let token = cursor.expect(what)?;
            match parse_locator64(token.bytes) {
                Some(octets) => put_field(cursor, token.span, &octets),
                None => Err(bad_token(
                    cursor,
                    token,
                    what,
                    "four groups of 1–4 hex digits, `xxxx:xxxx:xxxx:xxxx`",
                )),
            }
        }
    }
}

fn put_field(cursor: &mut Cursor<'_, '_>, span: crate::Span, bytes: &[u8]) -> Result<(), Failed> {
    let start = cursor.wire_len();
    cursor.put(bytes);
    cursor.field(span, start);
    Ok(())
}

/// Reports a hex decoding error (`at` is the bad digit, `None` for an odd count).
pub(crate) fn hex_error(
    cursor: &mut Cursor<'_, '_>,
    token: super::Tok<'_>,
    what: &str,
    at: Option<usize>,
) -> Failed {
    match at {
        Some(i) => {
            let bad = token.bytes.get(i).copied().unwrap_or(b'?');
            let span = token.content_span(i, 1);
            cursor.error(
                span,
                format!(
                    "{what}: `{}` is not a hexadecimal digit",
                    char::from(bad).escape_default()
                ),
            )
        }
        None => cursor.error(
            token.span,
            format!("{what} has an odd number of hexadecimal digits"),
        ),
    }
}

/// Parses a dotted-quad IPv4 address.
pub(crate) fn parse_ipv4(text: &[u8]) -> Option<[u8; 4]> {
    std::str::from_utf8(text)
        .ok()?
        .parse::<std::net::Ipv4Addr>()
        .ok()
        .map(|a| a.octets())
}

/// Parses an IPv6 address.
pub(crate) fn parse_ipv6(text: &[u8]) -> Option<[u8; 16]> {
    std::str::from_utf8(text)
        .ok()?
        .parse::<std::net::Ipv6Addr>()
        .ok()
        .map(|a| a.octets())
}

fn eui<const N: usize>(cursor: &mut Cursor<'_, '_>, what: &str) -> Result<(), Failed> {
    let token = cursor.expect(what)?;
    let mut octets = [0u8; N];
    let mut groups = token.bytes.split(|&b| b == b'-');
    let mut valid = token.bytes.len() == N * 3 - 1;
    for slot in &mut octets {
        match groups.next() {
            Some(&[high, low]) => match (
                super::encoding::hex_value(high),
                super::encoding::hex_value(low),
            ) {
                (Some(h), Some(l)) => *slot = h << 4 | l,
                _ => valid = false,
            },
            _ => valid = false,
        }
    }
    if !valid || groups.next().is_some() {
        let expected = if N == 6 {
            "six hex pairs joined by `-`, like 00-00-5e-00-53-2a"
        } else {
            "eight hex pairs joined by `-`, like 00-00-5e-ef-10-00-00-2a"
        };
        return Err(bad_token(cursor, token, what, expected));
    }
    put_field(cursor, token.span, &octets)
}

fn parse_locator64(text: &[u8]) -> Option<[u8; 8]> {
    let mut octets = [0u8; 8];
    let mut groups = text.split(|&b| b == b':');
    for pair in octets.chunks_mut(2) {
        // BIND prints groups without leading zeros (`14:4fff:ff20:ee64`) and reads 1–4
        // digits; dnspython insists on four.
        let group = groups.next()?;
        if group.is_empty() || group.len() > 4 {
            return None;
        }
        let mut value = 0u16;
        for &digit in group {
            value = value << 4 | u16::from(super::encoding::hex_value(digit)?);
        }
        pair.copy_from_slice(&value.to_be_bytes());
    }
    groups.next().is_none().then_some(octets)
}

/// Writes every field of `specs` from `reader`, separated by spaces; fails (with a message
/// naming the field) if the wire data does not match.
pub(crate) fn write(specs: &[Spec], wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    for (i, spec) in specs.iter().enumerate() {
        let mark = out.len();
        if i > 0 {
            out.push(' ');
        }
        let before = out.len();
        write_field(*spec, &mut reader, out)?;
        if out.len() == before {
            out.truncate(mark);
        }
    }
    if reader.is_empty() {
        Ok(())
    } else {
        Err(leftover(reader.remaining(), "the last field"))
    }
}

/// "3 octets left over after the relay".
pub(crate) fn leftover(octets: usize, after: &str) -> String {
    let plural = if octets == 1 { "" } else { "s" };
    format!("{octets} octet{plural} left over after {after}")
}

fn truncated(what: &str) -> String {
    format!("the RDATA ends inside the {what}")
}

fn write_field(spec: Spec, reader: &mut Reader<'_>, out: &mut String) -> Result<(), String> {
    let what = spec.name;
    let missing = || truncated(what);
    match spec.kind {
        Kind::U8 | Kind::Algorithm | Kind::DigestType => {
            let _ = write!(out, "{}", reader.u8().ok_or_else(missing)?);
        }
        Kind::U16 => {
            let _ = write!(out, "{}", reader.u16().ok_or_else(missing)?);
        }
        Kind::U32 | Kind::Duration => {
            let _ = write!(out, "{}", reader.u32().ok_or_else(missing)?);
        }
        Kind::Name => {
            let name = reader
                .name()
                .ok_or_else(|| format!("the {what} is not a well-formed uncompressed name"))?;
            let _ = write_wire_name(name, out);
        }
        Kind::Ipv4 => {
            let octets: [u8; 4] = reader.array().ok_or_else(missing)?;
            let _ = write!(out, "{}", std::net::Ipv4Addr::from(octets));
        }
        Kind::Ipv6 => {
            let octets: [u8; 16] = reader.array().ok_or_else(missing)?;
            let _ = write!(out, "{}", std::net::Ipv6Addr::from(octets));
        }
        Kind::CharString => {
            write_quoted(reader.char_string().ok_or_else(missing)?, out);
        }
        Kind::CheckedString(check) => {
            let octets = reader.char_string().ok_or_else(missing)?;
            check.check(octets)?;
            write_quoted(octets, out);
        }
        Kind::OptionalCharString => {
            if !reader.is_empty() {
                write_quoted(reader.char_string().ok_or_else(missing)?, out);
            }
        }
        Kind::CharStrings => {
            if reader.is_empty() {
                return Err(format!("the {what} needs at least one character-string"));
            }
            let mut first = true;
            while !reader.is_empty() {
                if !first {
                    out.push(' ');
                }
                first = false;
                write_quoted(reader.char_string().ok_or_else(missing)?, out);
            }
        }
        Kind::Text { allow_empty } => {
            let text = reader.rest();
            if text.is_empty() && !allow_empty {
                return Err(format!("the {what} is empty"));
            }
            write_quoted(text, out);
        }
        Kind::CaaTag => {
            let tag = reader.char_string().ok_or_else(missing)?;
            if tag.is_empty() || !tag.iter().all(u8::is_ascii_alphanumeric) {
                return Err(format!("the {what} must be 1–255 ASCII letters and digits"));
            }
            out.extend(tag.iter().map(|&b| char::from(b)));
        }
        Kind::Base64 => {
            let data = reader.rest();
            if data.is_empty() {
                return Err(format!("the {what} is empty"));
            }
            write_base64(data, out);
        }
        Kind::Hex => {
            let data = reader.rest();
            if data.is_empty() {
                return Err(format!("the {what} is empty"));
            }
            write_hex(data, out);
        }
        Kind::Type => {
            let _ = write!(out, "{}", RType(reader.u16().ok_or_else(missing)?));
        }
        Kind::CertType => {
            let number = reader.u16().ok_or_else(missing)?;
            match cert_type_mnemonic(number) {
                Some(mnemonic) => out.push_str(mnemonic),
                None => {
                    let _ = write!(out, "{number}");
                }
            }
        }
        Kind::DsyncScheme => match reader.u8().ok_or_else(missing)? {
            1 => out.push_str("NOTIFY"),
            other => {
                let _ = write!(out, "{other}");
            }
        },
        Kind::Timestamp => write_timestamp(reader.u32().ok_or_else(missing)?, out),
        Kind::TypeBitmap { allow_empty } => {
            let bitmap = reader.rest();
            if bitmap.is_empty() && !allow_empty {
                return Err(format!("the {what} is empty"));
            }
            super::bitmap::write(bitmap, out)?;
        }
        Kind::Salt => {
            let salt = reader.char_string().ok_or_else(missing)?;
            if salt.is_empty() {
                out.push('-');
            } else {
                write_hex(salt, out);
            }
        }
        Kind::HashedName => {
            let hash = reader.char_string().ok_or_else(missing)?;
            if hash.is_empty() {
                return Err(format!("the {what} is empty"));
            }
            write_base32hex(hash, out);
        }
        Kind::Eui48 | Kind::Eui64 => {
            let len = if spec.kind == Kind::Eui48 { 6 } else { 8 };
            let octets = reader.bytes(len).ok_or_else(missing)?;
            for (i, byte) in octets.iter().enumerate() {
                if i > 0 {
                    out.push('-');
                }
                let _ = write!(out, "{byte:02x}");
            }
        }
        Kind::Nsap => {
            let address = reader.rest();
            if address.is_empty() {
                return Err(format!("the {what} is empty"));
            }
            out.push_str("0x");
            for byte in address {
                let _ = write!(out, "{byte:02x}");
            }
        }
        Kind::Locator64 => {
            let octets = reader.bytes(8).ok_or_else(missing)?;
            for (i, pair) in octets.chunks(2).enumerate() {
                if i > 0 {
                    out.push(':');
                }
                for byte in pair {
                    let _ = write!(out, "{byte:02x}");
                }
            }
        }
    }
    Ok(())
}

/// Appends `bytes` as a quoted character-string: `"` and `\` escaped with a backslash,
/// octets outside printable ASCII as `\DDD`.
pub(crate) fn write_quoted(bytes: &[u8], out: &mut String) {
    out.push('"');
    write_escaped(bytes, out);
    out.push('"');
}

/// Appends `bytes` with the escaping of a quoted character-string, without the quotes.
pub(crate) fn write_escaped(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
}

/// A field written as a decimal number up to `max`, or as a mnemonic that `mnemonic`
/// knows; stored in one octet when `max` fits in one, two otherwise.
fn number_or_mnemonic(
    cursor: &mut Cursor<'_, '_>,
    what: &str,
    max: u16,
    mnemonic: impl Fn(&[u8]) -> Option<u16>,
    expected: &str,
) -> Result<(), Failed> {
    let token = cursor.expect(what)?;
    let value = if token.bytes.first().is_some_and(u8::is_ascii_digit) {
        cursor.number(token, what, u64::from(max))? as u16
    } else {
        match mnemonic(token.bytes) {
            Some(value) => value,
            None => return Err(bad_token(cursor, token, what, expected)),
        }
    };
    if max <= 0xff {
        put_field(cursor, token.span, &[value as u8])
    } else {
        put_field(cursor, token.span, &value.to_be_bytes())
    }
}
