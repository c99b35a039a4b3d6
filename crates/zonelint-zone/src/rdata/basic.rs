//! Addresses, MX, TXT and the RFC 3597 generic form.

use super::{Cursor, Failed};
use crate::diagnostic::codes;

/// A: a dotted-quad IPv4 address.
pub(super) fn a(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let token = cursor.expect("address")?;
    let start = cursor.wire_len();
    match std::str::from_utf8(token.bytes)
        .ok()
        .and_then(|s| s.parse::<std::net::Ipv4Addr>().ok())
    {
        Some(address) if !token.quoted => {
            cursor.put(&address.octets());
            cursor.field(token.span, start);
            Ok(())
        }
        _ => Err(cursor.error(
            token.span,
            format!(
                "`{}` is not an IPv4 address",
                String::from_utf8_lossy(token.bytes)
            ),
        )),
    }
}

/// AAAA: an IPv6 address.
pub(super) fn aaaa(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let token = cursor.expect("address")?;
    let start = cursor.wire_len();
    match std::str::from_utf8(token.bytes)
        .ok()
        .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
    {
        Some(address) if !token.quoted => {
            cursor.put(&address.octets());
            cursor.field(token.span, start);
            Ok(())
        }
        _ => Err(cursor.error(
            token.span,
            format!(
                "`{}` is not an IPv6 address",
                String::from_utf8_lossy(token.bytes)
            ),
        )),
    }
}

/// MX: preference and exchange.
pub(super) fn mx(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    cursor.u16_field("preference")?;
    cursor.name_field("exchange")
}

/// TXT and SPF: one or more character-strings, quoted or not.
pub(super) fn txt(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    if cursor.at_end() {
        let span = cursor.end_span();
        let rtype = cursor.rtype();
        return Err(cursor.error(span, format!("{rtype} record has no character-string")));
    }
    while let Some(token) = cursor.next_token() {
        character_string(cursor, token)?;
    }
    Ok(())
}

/// Writes one character-string field (length octet and octets).
pub(super) fn character_string(
    cursor: &mut Cursor<'_, '_>,
    token: super::Tok<'_>,
) -> Result<(), Failed> {
    let start = cursor.wire_len();
    cursor.put(&[0]);
    let result = decode_char_string(token.bytes, cursor.wire_mut());
    match result {
        Ok(()) => {}
        Err(CharStringError::BadEscape { offset, len }) => {
            let span = token.content_span(offset, len);
            return Err(cursor.error(
                span,
                "bad escape: `\\DDD` must be three digits with a value up to 255",
            ));
        }
    }
    let octets = cursor.wire_len() - start - 1;
    if octets > 255 {
        let split = split_hint(token.bytes);
        return Err(cursor.error_with(
            &codes::PARSE_TXT_TOO_LONG,
            token.span,
            format!("character-string is {octets} octets; the limit is 255"),
            Some(format!(
                "Split it into several quoted strings of at most 255 octets each, e.g. after octet {split}: \"…\" \"…\" (receivers join them without a space)"
            )),
        ));
    }
    if let Some(slot) = cursor.wire_mut().get_mut(start) {
        *slot = octets as u8;
    }
    cursor.field(token.span, start);
    Ok(())
}

/// Where to suggest splitting an over-long string: the last space before octet 255, or 255.
fn split_hint(raw: &[u8]) -> usize {
    let limit = raw.len().min(255);
    raw.get(..limit)
        .and_then(|head| head.iter().rposition(|&b| b == b' '))
        .filter(|&p| p > 0)
        .map_or(limit, |p| p + 1)
}

/// Why a character-string did not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharStringError {
    /// A bad `\DDD` (over 255) or a lone backslash at the end; offsets are into the raw text.
    BadEscape {
        /// Offset of the backslash.
        offset: usize,
        /// Length of the bad escape.
        len: usize,
    },
}

/// Decodes the escapes of a character-string's raw text (`\X`, `\DDD`), appending the
/// octets to `out`.
pub fn decode_char_string(raw: &[u8], out: &mut Vec<u8>) -> Result<(), CharStringError> {
    let mut i = 0;
    while i < raw.len() {
        let Some(n) = memchr::memchr(b'\\', raw.get(i..).unwrap_or_default()) else {
            out.extend_from_slice(raw.get(i..).unwrap_or_default());
            break;
        };
        out.extend_from_slice(raw.get(i..i + n).unwrap_or_default());
        i += n;
        match crate::name::decode_escape(raw, i) {
            Ok((byte, used)) => {
                out.push(byte);
                i += used;
            }
            Err(crate::name::NameError::BadEscape { offset, len }) => {
                return Err(CharStringError::BadEscape {
                    offset: offset as usize,
                    len: len as usize,
                });
            }
            Err(_) => return Err(CharStringError::BadEscape { offset: i, len: 1 }),
        }
    }
    Ok(())
}

/// Maps an offset into the *decoded* octets of a character-string back to the offset in
/// its raw (escaped) text: `raw_offset_of_decoded(b"a\\059b", 2) == 5` (the `b`). An offset
/// at or past the end maps to the raw length.
#[must_use]
pub fn raw_offset_of_decoded(raw: &[u8], decoded_offset: usize) -> usize {
    let mut raw_at = 0;
    let mut decoded_at = 0;
    while raw_at < raw.len() && decoded_at < decoded_offset {
        let step = if raw.get(raw_at) == Some(&b'\\') {
            crate::name::decode_escape(raw, raw_at).map_or(1, |(_, used)| used)
        } else {
            1
        };
        raw_at += step;
        decoded_at += 1;
    }
    raw_at.min(raw.len())
}

/// `\# LENGTH HEX…` (RFC 3597 §5), for any type.
pub(super) fn generic(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let marker = cursor.expect("`\\#`")?;
    let length_token = cursor.expect("RDATA length")?;
    let declared = cursor.number(length_token, "RDATA length", 65_535)? as usize;
    let start = cursor.wire_len();
    let mut first_span = None;
    let mut last_span = length_token.span;
    let mut pending: Option<u8> = None;
    while let Some(token) = cursor.next_token() {
        first_span.get_or_insert(token.span);
        last_span = token.span;
        for (i, &b) in token.bytes.iter().enumerate() {
            let Some(nibble) = hex_value(b) else {
                let span = token.content_span(i, 1);
                return Err(cursor.error(
                    span,
                    format!(
                        "`{}` is not a hexadecimal digit",
                        char::from(b).escape_default()
                    ),
                ));
            };
            match pending.take() {
                Some(high) => cursor.put(&[high << 4 | nibble]),
                None => pending = Some(nibble),
            }
        }
    }
    let whole = marker.span.cover(last_span);
    if pending.is_some() {
        return Err(cursor.error(whole, "odd number of hexadecimal digits in `\\#` RDATA"));
    }
    let actual = cursor.wire_len() - start;
    if actual != declared {
        let span = first_span.map_or(length_token.span, |s| {
            length_token.span.cover(s.cover(last_span))
        });
        return Err(cursor.error(
            span,
            format!("`\\#` declares {declared} octets but {actual} follow"),
        ));
    }
    let data_span = first_span.map_or(length_token.span, |first| first.cover(last_span));
    let rtype = cursor.rtype();
    let checked = super::validate_wire(rtype, cursor.wire().get(start..).unwrap_or_default());
    if let Err(problem) = checked {
        return Err(cursor.error_with(
            &codes::PARSE_RDATA,
            data_span,
            format!("`\\#` RDATA is not valid {rtype} data: {problem}"),
            Some(format!(
                "Check the hex against the {rtype} wire format, or write the record in its usual presentation form"
            )),
        ));
    }
    if let Some(first) = first_span {
        cursor.field(first.cover(last_span), start);
    } else {
        cursor.field(length_token.span, start);
    }
    Ok(())
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_offsets_map_back_to_raw_text() {
        let raw = b"a\\059b\\\"c";
        let mut decoded = Vec::new();
        decode_char_string(raw, &mut decoded).unwrap();
        assert_eq!(decoded, b"a;b\"c");
        assert_eq!(raw_offset_of_decoded(raw, 0), 0);
        assert_eq!(raw_offset_of_decoded(raw, 1), 1);
        assert_eq!(raw_offset_of_decoded(raw, 2), 5);
        assert_eq!(raw_offset_of_decoded(raw, 3), 6);
        assert_eq!(raw_offset_of_decoded(raw, 4), 8);
        assert_eq!(raw_offset_of_decoded(raw, 5), 9);
    }
}
