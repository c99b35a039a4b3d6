//! LOC (RFC 1876): `d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]`.
//!
//! Decimal values are read exactly (no floating point), as BIND does; sizes are rounded
//! down to the nearest representable `mantissa × 10^exponent` centimetres.

use super::{Cursor, Failed};
use crate::Span;
use std::fmt::Write as _;

/// 2^31: the equator and the prime meridian on the wire.
const EQUATOR: i64 = 1 << 31;
/// The altitude origin on the wire: 100,000 m below the WGS 84 spheroid, in centimetres.
const ALTITUDE_BASE: i64 = 10_000_000;
/// The largest size or precision: 90,000,000 m in centimetres (`9e9`).
const MAX_SIZE_CM: i64 = 9_000_000_000;
/// Default size (1 m), horizontal (10,000 m) and vertical (10 m) precision, encoded.
const DEFAULTS: [u8; 3] = [0x12, 0x16, 0x13];

#[derive(Clone, Copy)]
struct Axis {
    what: &'static str,
    degrees: &'static str,
    minutes: &'static str,
    max_degrees: u64,
    positive: u8,
    negative: u8,
}

const LATITUDE: Axis = Axis {
    what: "latitude",
    degrees: "latitude degrees",
    minutes: "latitude minutes",
    max_degrees: 90,
    positive: b'N',
    negative: b'S',
};
const LONGITUDE: Axis = Axis {
    what: "longitude",
    degrees: "longitude degrees",
    minutes: "longitude minutes",
    max_degrees: 180,
    positive: b'E',
    negative: b'W',
};

/// Parses LOC RDATA.
pub(crate) fn parse(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let start = cursor.wire_len();
    let (latitude, latitude_span) = coordinate(cursor, LATITUDE)?;
    let (longitude, longitude_span) = coordinate(cursor, LONGITUDE)?;
    let altitude_token = cursor.expect("altitude")?;
    let altitude = match parse_centimetres(altitude_token.bytes, true) {
        Some(cm) if (-ALTITUDE_BASE..=i64::from(u32::MAX) - ALTITUDE_BASE).contains(&cm) => cm,
        Some(_) => {
            return Err(cursor.error(
                altitude_token.span,
                "altitude must be from -100000.00m to 42849672.95m",
            ))
        }
        None => return Err(meters_error(cursor, altitude_token, "altitude")),
    };
    let mut sizes = DEFAULTS;
    let mut size_spans: [Option<Span>; 3] = [None; 3];
    for (i, what) in ["size", "horizontal precision", "vertical precision"]
        .into_iter()
        .enumerate()
    {
        let Some(token) = cursor.next_token() else {
            break;
        };
        let cm = match parse_centimetres(token.bytes, false) {
            Some(cm) if cm <= MAX_SIZE_CM => cm,
            Some(_) => {
                return Err(cursor.error(token.span, format!("{what} must be at most 90000000.00m")))
            }
            None => return Err(meters_error(cursor, token, what)),
        };
        if let Some(slot) = sizes.get_mut(i) {
            *slot = encode_size(cm);
        }
        if let Some(slot) = size_spans.get_mut(i) {
            *slot = Some(token.span);
        }
    }
    cursor.put(&[0]);
    cursor.put(&sizes);
    cursor.put(&((EQUATOR + latitude) as u32).to_be_bytes());
    cursor.put(&((EQUATOR + longitude) as u32).to_be_bytes());
    cursor.put(&((altitude + ALTITUDE_BASE) as u32).to_be_bytes());
    cursor.field_range(latitude_span, start + 4, start + 8);
    cursor.field_range(longitude_span, start + 8, start + 12);
    cursor.field_range(altitude_token.span, start + 12, start + 16);
    for (i, span) in size_spans.into_iter().enumerate() {
        if let Some(span) = span {
            cursor.field_range(span, start + 1 + i, start + 2 + i);
        }
    }
    Ok(())
}

fn meters_error(cursor: &mut Cursor<'_, '_>, token: super::Tok<'_>, what: &str) -> Failed {
    cursor.error(
        token.span,
        format!(
            "{what} must be metres with at most two decimals, like `10m` or `-24.50m`, not `{}`",
            String::from_utf8_lossy(token.bytes)
        ),
    )
}

/// Reads `degrees [minutes [seconds]] hemisphere`; returns thousandths of an arc second,
/// negative to the south or west.
fn coordinate(cursor: &mut Cursor<'_, '_>, axis: Axis) -> Result<(i64, Span), Failed> {
    let what = axis.what;
    let first = cursor.expect(axis.degrees)?;
    let degrees = cursor.number(first, axis.degrees, axis.max_degrees)?;
    let mut span = first.span;
    let mut minutes = 0;
    let mut milliseconds = 0;
    // Upper case only, as BIND and dnspython read them.
    let is_hemisphere =
        |bytes: &[u8]| matches!(bytes, [b] if *b == axis.positive || *b == axis.negative);
    let hemisphere_name = if axis.positive == b'N' {
        "hemisphere (N or S)"
    } else {
        "hemisphere (E or W)"
    };
    let mut token = cursor.expect(hemisphere_name)?;
    // A letter where minutes could be is a wrong hemisphere, not bad minutes.
    let is_letter = |bytes: &[u8]| matches!(bytes, [b] if b.is_ascii_alphabetic());
    if !is_hemisphere(token.bytes) && !is_letter(token.bytes) {
        minutes = cursor.number(token, axis.minutes, 59)?;
        span = span.cover(token.span);
        token = cursor.expect(hemisphere_name)?;
        if !is_hemisphere(token.bytes) && !is_letter(token.bytes) {
            milliseconds = match parse_seconds(token.bytes) {
                Some(ms) if ms < 60_000 => ms,
                _ => {
                    return Err(cursor.error(
                        token.span,
                        format!(
                            "{what} seconds must be 0–59.999 with at most three decimals, not `{}`",
                            String::from_utf8_lossy(token.bytes)
                        ),
                    ))
                }
            };
            span = span.cover(token.span);
            token = cursor.expect(hemisphere_name)?;
        }
    }
    if !is_hemisphere(token.bytes) {
        return Err(cursor.error(
            token.span,
            format!(
                "expected the {hemisphere_name}, not `{}`",
                String::from_utf8_lossy(token.bytes)
            ),
        ));
    }
    span = span.cover(token.span);
    let value = ((degrees as i64 * 60 + minutes as i64) * 60) * 1000 + milliseconds;
    if value > axis.max_degrees as i64 * 3_600_000 {
        return Err(cursor.error(span, format!("{what} is over {}°", axis.max_degrees)));
    }
    let negative = token.bytes.first() == Some(&axis.negative);
    Ok((if negative { -value } else { value }, span))
}

/// `SS` or `SS.s`, `SS.ss`, `SS.sss` → thousandths.
fn parse_seconds(text: &[u8]) -> Option<i64> {
    let (whole, fraction) = match memchr::memchr(b'.', text) {
        Some(at) => (text.get(..at)?, text.get(at + 1..)?),
        None => (text, &b""[..]),
    };
    // Leading zeros are fine (`025`), as BIND and dnspython read them.
    if whole.is_empty() || whole.len() > 9 || fraction.len() > 3 {
        return None;
    }
    if !whole.iter().chain(fraction).all(u8::is_ascii_digit) {
        return None;
    }
    let whole = whole
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
    let mut millis = 0i64;
    for i in 0..3 {
        millis = millis * 10 + fraction.get(i).map_or(0, |&d| i64::from(d - b'0'));
    }
    Some(whole * 1000 + millis)
}

/// `[-]M[.cc][m]` → centimetres.
fn parse_centimetres(text: &[u8], allow_negative: bool) -> Option<i64> {
    // Lower-case `m` only: BIND refuses `10M`.
    let text = text.strip_suffix(b"m").unwrap_or(text);
    let (negative, text) = match text.strip_prefix(b"-") {
        Some(rest) if allow_negative => (true, rest),
        Some(_) => return None,
        None => (false, text),
    };
    let (whole, fraction) = match memchr::memchr(b'.', text) {
        Some(at) => (text.get(..at)?, text.get(at + 1..)?),
        None => (text, &b""[..]),
    };
    if whole.is_empty() || whole.len() > 10 || fraction.len() > 2 {
        return None;
    }
    if !whole.iter().chain(fraction).all(u8::is_ascii_digit) {
        return None;
    }
    let whole = whole
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
    let mut cents = 0i64;
    for i in 0..2 {
        cents = cents * 10 + fraction.get(i).map_or(0, |&d| i64::from(d - b'0'));
    }
    let cm = whole * 100 + cents;
    Some(if negative { -cm } else { cm })
}

/// Centimetres → `mantissa << 4 | exponent`, rounding down (as BIND and dnspython do).
fn encode_size(cm: i64) -> u8 {
    let mut exponent = 0u8;
    let mut mantissa = cm.max(0);
    while mantissa > 9 {
        mantissa /= 10;
        exponent += 1;
    }
    (mantissa as u8) << 4 | exponent
}

fn decode_size(encoded: u8) -> Option<i64> {
    let (mantissa, exponent) = (encoded >> 4, encoded & 0x0F);
    // Zero has one encoding (0x00); `0 × 10^e` would print as 0 and parse back as 0x00.
    if mantissa > 9 || exponent > 9 || (mantissa == 0 && exponent != 0) {
        return None;
    }
    Some(i64::from(mantissa) * 10i64.pow(u32::from(exponent)))
}

/// Writes LOC RDATA as dnspython does: `52 22 23.000 N 4 53 32.000 E -2.00m 1.00m 10000.00m 10.00m`.
pub(crate) fn write(wire: &[u8], out: &mut String) -> Result<(), String> {
    let bytes: [u8; 16] = wire
        .try_into()
        .map_err(|_| format!("LOC RDATA is 16 octets, not {}", wire.len()))?;
    let [version, size, horizontal, vertical, rest @ ..] = bytes;
    if version != 0 {
        return Err(format!(
            "LOC version {version} is unknown (only 0 is defined)"
        ));
    }
    let [a0, a1, a2, a3, o0, o1, o2, o3, h0, h1, h2, h3] = rest;
    let latitude = i64::from(u32::from_be_bytes([a0, a1, a2, a3])) - EQUATOR;
    let longitude = i64::from(u32::from_be_bytes([o0, o1, o2, o3])) - EQUATOR;
    let altitude = i64::from(u32::from_be_bytes([h0, h1, h2, h3])) - ALTITUDE_BASE;
    write_coordinate(latitude, LATITUDE, out)?;
    out.push(' ');
    write_coordinate(longitude, LONGITUDE, out)?;
    out.push(' ');
    write_centimetres(altitude, out);
    for encoded in [size, horizontal, vertical] {
        let cm = decode_size(encoded)
            .ok_or_else(|| format!("LOC size octet {encoded:#04x} is not a canonical mantissa and exponent (digits 0–9)"))?;
        out.push(' ');
        write_centimetres(cm, out);
    }
    Ok(())
}

fn write_coordinate(value: i64, axis: Axis, out: &mut String) -> Result<(), String> {
    let magnitude = value.abs();
    if magnitude > axis.max_degrees as i64 * 3_600_000 {
        return Err(format!("the {} is over {}°", axis.what, axis.max_degrees));
    }
    let hemisphere = char::from(if value < 0 {
        axis.negative
    } else {
        axis.positive
    });
    let _ = write!(
        out,
        "{} {} {}.{:03} {hemisphere}",
        magnitude / 3_600_000,
        magnitude / 60_000 % 60,
        magnitude / 1000 % 60,
        magnitude % 1000
    );
    Ok(())
}

fn write_centimetres(cm: i64, out: &mut String) {
    let sign = if cm < 0 { "-" } else { "" };
    let magnitude = cm.abs();
    let _ = write!(out, "{sign}{}.{:02}m", magnitude / 100, magnitude % 100);
}
