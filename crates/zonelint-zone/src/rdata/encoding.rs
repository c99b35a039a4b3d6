//! Binary-to-text encodings (base64, hex, base32hex), DNSSEC timestamps and the mnemonic
//! tables of the DNSSEC and CERT number spaces.
//!
//! Decoders write straight into the RDATA buffer: no intermediate string is built, which
//! matters for DNSKEY and RRSIG, the largest records of a signed zone.

use super::{Cursor, Failed, Tok};
use crate::Span;
use std::fmt::Write as _;

/// The value of a hexadecimal digit.
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Base64 digit values; 0xFF marks bytes outside the alphabet.
const BASE64_VALUES: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        #[expect(
            clippy::indexing_slicing,
            reason = "const loop bounded by the alphabet's 64 entries"
        )]
        {
            table[alphabet[i] as usize] = i as u8;
        }
        i += 1;
    }
    table
};

fn base64_value(b: u8) -> Option<u8> {
    BASE64_VALUES
        .get(usize::from(b))
        .copied()
        .filter(|&v| v != 0xFF)
}

fn base32hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'V' => Some(b - b'A' + 10),
        b'a'..=b'v' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Decodes base64 (RFC 4648 §4, padding required) fed in pieces, as BIND and dnspython
/// accept it split over several tokens.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Base64Decoder {
    accumulator: u32,
    bits: u32,
    symbols: usize,
    padding: usize,
}

impl Base64Decoder {
    /// Feeds one character, appending any completed octet to `out`.
    pub(crate) fn push(&mut self, b: u8, out: &mut Vec<u8>) -> Result<(), &'static str> {
        if b == b'=' {
            let position = self.symbols % 4;
            let allowed =
                (self.padding == 0 && position >= 2) || (self.padding == 1 && position == 3);
            if !allowed {
                return Err("misplaced `=` padding");
            }
            // The bits the padding drops must be zero, or the text is not the canonical
            // encoding of any octets; BIND refuses it (dnspython ignores them).
            if self.padding == 0 && self.accumulator & ((1 << self.bits) - 1) != 0 {
                return Err("the character before the `=` padding has leftover bits set (not canonical base64)");
            }
            self.padding += 1;
            self.symbols += 1;
            return Ok(());
        }
        if self.padding > 0 {
            return Err("base64 data after the `=` padding");
        }
        let value = base64_value(b).ok_or("not a base64 character")?;
        self.accumulator = (self.accumulator << 6 | u32::from(value)) & 0xFFFF;
        self.bits += 6;
        self.symbols += 1;
        if self.bits >= 8 {
            self.bits -= 8;
            out.push((self.accumulator >> self.bits) as u8);
        }
        Ok(())
    }

    /// Decodes a whole token at once when it starts and ends on quantum boundaries (the
    /// usual case: presentation formats split base64 in multiples of four), using the
    /// `base64` crate. Returns `false`, having written nothing, when the token needs the
    /// character-by-character path (unaligned, or invalid: that path then finds the exact
    /// bad character).
    pub(crate) fn decode_aligned(&mut self, text: &[u8], out: &mut Vec<u8>) -> bool {
        use base64::Engine as _;
        if self.symbols % 4 != 0 || self.padding > 0 || text.len() % 4 != 0 {
            return false;
        }
        let before = out.len();
        out.resize(before + text.len() / 4 * 3, 0);
        let written = out.get_mut(before..).and_then(|slot| {
            base64::engine::general_purpose::STANDARD
                .decode_slice(text, slot)
                .ok()
        });
        match written {
            Some(count) => {
                out.truncate(before + count);
                self.symbols += text.len();
                self.padding = text.iter().rev().take_while(|&&b| b == b'=').count();
                true
            }
            None => {
                out.truncate(before);
                false
            }
        }
    }

    /// Feeds a run of characters; on error, the offset of the bad one. Whole groups of four
    /// are decoded at once, which is most of a DNSKEY or RRSIG.
    pub(crate) fn push_all(
        &mut self,
        text: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), (usize, &'static str)> {
        out.reserve(text.len() / 4 * 3 + 2);
        let mut i = 0;
        while i < text.len() {
            let aligned = self.symbols % 4 == 0 && self.padding == 0;
            if aligned {
                if let Some(&[a, b, c, d]) = text.get(i..i + 4) {
                    if let (Some(a), Some(b), Some(c), Some(d)) = (
                        base64_value(a),
                        base64_value(b),
                        base64_value(c),
                        base64_value(d),
                    ) {
                        let group = u32::from(a) << 18
                            | u32::from(b) << 12
                            | u32::from(c) << 6
                            | u32::from(d);
                        out.extend_from_slice(&[
                            (group >> 16) as u8,
                            (group >> 8) as u8,
                            group as u8,
                        ]);
                        self.symbols += 4;
                        i += 4;
                        continue;
                    }
                }
            }
            let b = text.get(i).copied().unwrap_or(0);
            self.push(b, out).map_err(|why| (i, why))?;
            i += 1;
        }
        Ok(())
    }

    /// Checks that the input ended on a complete quantum.
    pub(crate) fn finish(&self) -> Result<(), &'static str> {
        if self.symbols % 4 == 0 {
            Ok(())
        } else {
            Err("base64 ends in an incomplete group of four characters (missing `=` padding?)")
        }
    }
}

/// Decodes one base64 token into `out`; on error, the offset of the bad character
/// (or `None` for an incomplete ending) and the reason.
pub(crate) fn decode_base64(
    text: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), (Option<usize>, &'static str)> {
    let mut decoder = Base64Decoder::default();
    decoder
        .push_all(text, out)
        .map_err(|(i, why)| (Some(i), why))?;
    decoder.finish().map_err(|why| (None, why))
}

/// Appends `bytes` in padded base64, unbroken.
pub(crate) fn write_base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |v: u32| char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let group = b0 << 16 | b1 << 8 | b2;
        out.push(symbol(group >> 18));
        out.push(symbol(group >> 12));
        if chunk.len() > 1 {
            out.push(symbol(group >> 6));
        } else {
            out.push('=');
        }
        if chunk.len() > 2 {
            out.push(symbol(group));
        } else {
            out.push('=');
        }
    }
}

/// Appends `bytes` as upper-case hexadecimal, unbroken (as BIND prints them).
pub(crate) fn write_hex(bytes: &[u8], out: &mut String) {
    for byte in bytes {
        let _ = write!(out, "{byte:02X}");
    }
}

/// Decodes one hex token into `out`; on error, the offset of the bad digit (`None` for an
/// odd count).
pub(crate) fn decode_hex(text: &[u8], out: &mut Vec<u8>) -> Result<(), Option<usize>> {
    if text.len() % 2 != 0 {
        return Err(None);
    }
    for (i, pair) in text.chunks(2).enumerate() {
        let high = pair
            .first()
            .copied()
            .and_then(hex_value)
            .ok_or(Some(2 * i))?;
        let low = pair
            .get(1)
            .copied()
            .and_then(hex_value)
            .ok_or(Some(2 * i + 1))?;
        out.push(high << 4 | low);
    }
    Ok(())
}

/// Decodes unpadded (or padded) base32hex (RFC 4648 §7), any case, into `out`.
pub(crate) fn decode_base32hex(text: &[u8], out: &mut Vec<u8>) -> Result<(), Option<usize>> {
    let data_len = text.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1);
    let (data, padding) = text.split_at(data_len);
    if !padding.is_empty() && text.len() % 8 != 0 {
        return Err(None);
    }
    if !matches!(data.len() % 8, 0 | 2 | 4 | 5 | 7) {
        return Err(None);
    }
    let mut accumulator = 0u32;
    let mut bits = 0u32;
    for (i, &b) in data.iter().enumerate() {
        let value = base32hex_value(b).ok_or(Some(i))?;
        accumulator = (accumulator << 5 | u32::from(value)) & 0xFFFF;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((accumulator >> bits) as u8);
        }
    }
    Ok(())
}

/// Appends `bytes` in upper-case base32hex without padding (as BIND prints NSEC3 hashes).
pub(crate) fn write_base32hex(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
    let mut accumulator = 0u32;
    let mut bits = 0u32;
    for &byte in bytes {
        accumulator = (accumulator << 8 | u32::from(byte)) & 0xFFFF;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            let v = (accumulator >> bits) & 31;
            out.push(char::from(
                ALPHABET.get(v as usize).copied().unwrap_or(b'0'),
            ));
        }
    }
    if bits > 0 {
        let v = (accumulator << (5 - bits)) & 31;
        out.push(char::from(
            ALPHABET.get(v as usize).copied().unwrap_or(b'0'),
        ));
    }
}

/// Reads base64 from the next token to the end of the RDATA, as one field named `what`.
pub(crate) fn base64_to_end(cursor: &mut Cursor<'_, '_>, what: &str) -> Result<(), Failed> {
    let first = cursor.expect(what)?;
    let start = cursor.wire_len();
    let mut decoder = Base64Decoder::default();
    let mut span = first.span;
    let mut token = first;
    loop {
        if token.quoted {
            return Err(cursor.error(token.span, format!("the {what} cannot be quoted")));
        }
        // Aligned tokens (the usual case) go through the base64 crate in one call; the
        // rest, and any invalid token, through the group-wise decoder, which names the
        // exact bad character.
        if !decoder.decode_aligned(token.bytes, cursor.wire_mut()) {
            if let Err((i, why)) = decoder.push_all(token.bytes, cursor.wire_mut()) {
                let at = token.content_span(i, 1);
                let b = token.bytes.get(i).copied().unwrap_or(b'?');
                return Err(bad_character(cursor, at, what, b, why));
            }
        }
        span = span.cover(token.span);
        match cursor.next_token() {
            Some(next) => token = next,
            None => break,
        }
    }
    if let Err(why) = decoder.finish() {
        return Err(cursor.error(span, format!("{what}: {why}")));
    }
    cursor.field(span, start);
    Ok(())
}

/// Reads hexadecimal from the next token to the end of the RDATA, as one field.
pub(crate) fn hex_to_end(cursor: &mut Cursor<'_, '_>, what: &str) -> Result<(), Failed> {
    let first = cursor.expect(what)?;
    let start = cursor.wire_len();
    let mut pending: Option<u8> = None;
    let mut span = first.span;
    let mut token = first;
    loop {
        if token.quoted {
            return Err(cursor.error(token.span, format!("the {what} cannot be quoted")));
        }
        for (i, &b) in token.bytes.iter().enumerate() {
            let Some(nibble) = hex_value(b) else {
                let at = token.content_span(i, 1);
                return Err(bad_character(
                    cursor,
                    at,
                    what,
                    b,
                    "not a hexadecimal digit",
                ));
            };
            match pending.take() {
                Some(high) => cursor.put(&[high << 4 | nibble]),
                None => pending = Some(nibble),
            }
        }
        span = span.cover(token.span);
        match cursor.next_token() {
            Some(next) => token = next,
            None => break,
        }
    }
    if pending.is_some() {
        return Err(cursor.error(
            span,
            format!("{what} has an odd number of hexadecimal digits"),
        ));
    }
    cursor.field(span, start);
    Ok(())
}

fn bad_character(cursor: &mut Cursor<'_, '_>, at: Span, what: &str, b: u8, why: &str) -> Failed {
    cursor.error(
        at,
        format!("{what}: `{}` is {why}", char::from(b).escape_default()),
    )
}

/// Reports a whole token as not being what `what` should be.
pub(crate) fn bad_token(
    cursor: &mut Cursor<'_, '_>,
    token: Tok<'_>,
    what: &str,
    expected: &str,
) -> Failed {
    cursor.error(
        token.span,
        format!(
            "{what} must be {expected}, not `{}`",
            String::from_utf8_lossy(token.bytes)
        ),
    )
}

/// DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"), with BIND's and
/// dnspython's spellings.
const ALGORITHMS: &[(&str, u8)] = &[
    ("RSAMD5", 1),
    ("DH", 2),
    ("DSA", 3),
    ("ECC", 4),
    ("RSASHA1", 5),
    ("DSA-NSEC3-SHA1", 6),
    ("DSANSEC3SHA1", 6),
    ("NSEC3DSA", 6),
    ("RSASHA1-NSEC3-SHA1", 7),
    ("RSASHA1NSEC3SHA1", 7),
    ("NSEC3RSASHA1", 7),
    ("RSASHA256", 8),
    ("RSASHA512", 10),
    ("ECC-GOST", 12),
    ("ECCGOST", 12),
    ("ECDSAP256SHA256", 13),
    ("ECDSAP384SHA384", 14),
    ("ED25519", 15),
    ("ED448", 16),
    ("INDIRECT", 252),
    ("PRIVATEDNS", 253),
    ("PRIVATEOID", 254),
];

/// A DNSSEC algorithm number from its mnemonic (any case).
pub(crate) fn algorithm_from_mnemonic(text: &[u8]) -> Option<u8> {
    ALGORITHMS
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(_, number)| number)
}

/// DS digest type mnemonics as BIND reads them (`dns_dsdigest_fromtext`).
const DIGEST_TYPES: &[(&str, u8)] = &[
    ("SHA-1", 1),
    ("SHA1", 1),
    ("SHA-256", 2),
    ("SHA256", 2),
    ("GOST", 3),
    ("SHA-384", 4),
    ("SHA384", 4),
];

/// A DS digest type from its mnemonic (any case).
pub(crate) fn digest_type_from_mnemonic(text: &[u8]) -> Option<u8> {
    DIGEST_TYPES
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(_, number)| number)
}

/// CERT certificate types (RFC 4398 §2.1).
const CERT_TYPES: &[(&str, u16)] = &[
    ("PKIX", 1),
    ("SPKI", 2),
    ("PGP", 3),
    ("IPKIX", 4),
    ("ISPKI", 5),
    ("IPGP", 6),
    ("ACPKIX", 7),
    ("IACPKIX", 8),
    ("URI", 253),
    ("OID", 254),
];

/// A CERT type number from its mnemonic (any case).
pub(crate) fn cert_type_from_mnemonic(text: &[u8]) -> Option<u16> {
    CERT_TYPES
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(_, number)| number)
}

/// The mnemonic of a CERT type, if it has one.
pub(crate) fn cert_type_mnemonic(number: u16) -> Option<&'static str> {
    CERT_TYPES
        .iter()
        .find(|&&(_, n)| n == number)
        .map(|&(name, _)| name)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an RRSIG timestamp: `YYYYMMDDHHmmSS` (UTC) or, as BIND and dnspython accept,
/// up to ten digits of seconds since the epoch. Dates are taken modulo 2^32 seconds
/// (RFC 4034 §3.1.5 serial arithmetic), as BIND does: it prints times more than 68 years
/// from now as dates before 1970 or after 2106, and reads them back the same way.
pub(crate) fn parse_timestamp(text: &[u8]) -> Result<u32, &'static str> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Err("must be YYYYMMDDHHmmSS or seconds since 1970");
    }
    let digits = |range: std::ops::Range<usize>| -> i64 {
        text.get(range)
            .unwrap_or_default()
            .iter()
            .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'))
    };
    if text.len() == 14 {
        let (year, month, day) = (digits(0..4), digits(4..6), digits(6..8));
        let (hour, minute, second) = (digits(8..10), digits(10..12), digits(12..14));
        if !(1..=12).contains(&month) {
            return Err("is not a valid date (month 01–12)");
        }
        // Second 60 is a leap second, which BIND accepts.
        if day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
            return Err("is not a valid date and time");
        }
        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        return Ok(seconds.rem_euclid(1 << 32) as u32);
    }
    if text.len() > 10 {
        return Err("must be YYYYMMDDHHmmSS (14 digits) or at most 10 digits of seconds");
    }
    u32::try_from(digits(0..text.len())).map_err(|_| "is over 4294967295 seconds")
}

/// Appends a timestamp as `YYYYMMDDHHmmSS`.
pub(crate) fn write_timestamp(seconds: u32, out: &mut String) {
    let seconds = i64::from(seconds);
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let in_day = seconds % 86_400;
    let _ = write!(
        out,
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_rejects_bad_padding() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            let mut text = String::new();
            write_base64(data, &mut text);
            let mut back = Vec::new();
            decode_base64(text.as_bytes(), &mut back).unwrap();
            assert_eq!(back, data);
        }
        let mut out = Vec::new();
        assert_eq!(decode_base64(b"Zm9v", &mut out), Ok(()));
        assert_eq!(decode_base64(b"Zm9", &mut out).unwrap_err().0, None);
        assert_eq!(decode_base64(b"Z===", &mut out).unwrap_err().0, Some(1));
        assert_eq!(decode_base64(b"Zg==Zg==", &mut out).unwrap_err().0, Some(4));
        assert_eq!(decode_base64(b"Zm9*", &mut out).unwrap_err().0, Some(3));
        // `Zh==` and `Zm9=` differ from `Zg==` and `Zm8=` only in bits the padding drops.
        assert_eq!(decode_base64(b"Zh==", &mut out).unwrap_err().0, Some(2));
        assert_eq!(decode_base64(b"Zm9=", &mut out).unwrap_err().0, Some(3));
    }

    #[test]
    fn base32hex_round_trips() {
        for data in [&b"f"[..], b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            let mut text = String::new();
            write_base32hex(data, &mut text);
            let mut back = Vec::new();
            decode_base32hex(text.as_bytes(), &mut back).unwrap();
            assert_eq!(back, data, "{text}");
        }
        let mut out = Vec::new();
        assert_eq!(decode_base32hex(b"CPNMUOJ1", &mut out), Ok(()));
        assert_eq!(out, b"fooba");
        assert_eq!(decode_base32hex(b"CPNMUOJW", &mut out), Err(Some(7)));
        assert_eq!(decode_base32hex(b"CPN", &mut out), Err(None));
    }

    #[test]
    fn timestamps_match_the_calendar() {
        assert_eq!(parse_timestamp(b"19700101000000"), Ok(0));
        assert_eq!(parse_timestamp(b"20240201000000"), Ok(1_706_745_600));
        assert_eq!(parse_timestamp(b"21060207062815"), Ok(u32::MAX));
        // Serial arithmetic, as BIND reads and prints far-off times.
        assert_eq!(parse_timestamp(b"21060207062816"), Ok(0));
        assert_eq!(parse_timestamp(b"19691231235959"), Ok(u32::MAX));
        assert_eq!(parse_timestamp(b"20161231235960"), Ok(1_483_228_800));
        assert!(parse_timestamp(b"20230229000000").is_err());
        assert_eq!(parse_timestamp(b"20240229235959"), Ok(1_709_251_199));
        assert_eq!(parse_timestamp(b"1706745600"), Ok(1_706_745_600));
        assert!(parse_timestamp(b"12345678901").is_err());
        assert!(parse_timestamp(b"2024-01-01").is_err());
        for seconds in [0, 1_709_251_199, 951_782_400, u32::MAX] {
            let mut text = String::new();
            write_timestamp(seconds, &mut text);
            assert_eq!(parse_timestamp(text.as_bytes()), Ok(seconds), "{text}");
        }
    }
}
