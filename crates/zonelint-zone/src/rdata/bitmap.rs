//! NSEC, NSEC3 and CSYNC type bitmaps (RFC 4034 §4.1.2).

use super::{Cursor, Failed};
use crate::rtype::RType;
use std::fmt::Write as _;

/// How many types fit on the stack before the list spills to the heap; real bitmaps list
/// a dozen or so.
const INLINE_TYPES: usize = 64;

/// Reads type mnemonics up to the end of the RDATA and writes their bitmap as one field.
/// An empty list writes nothing.
pub(crate) fn parse(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    let mut inline = [0u16; INLINE_TYPES];
    let mut count = 0usize;
    let mut spilled: Vec<u16> = Vec::new();
    let mut span = None::<crate::Span>;
    while let Some(token) = cursor.next_token() {
        let Some(rtype) = RType::from_text(token.bytes).filter(|_| !token.quoted) else {
            return Err(cursor.error(
                token.span,
                format!(
                    "`{}` in the type bitmap is not a record type (a mnemonic or TYPEnnn)",
                    String::from_utf8_lossy(token.bytes)
                ),
            ));
        };
        if rtype.0 == 0 {
            return Err(cursor.error(
                token.span,
                "type 0 is reserved and cannot appear in a type bitmap",
            ));
        }
        span = Some(span.map_or(token.span, |s| s.cover(token.span)));
        if let Some(slot) = inline.get_mut(count) {
            *slot = rtype.0;
            count += 1;
        } else {
            if spilled.is_empty() {
                spilled.extend_from_slice(&inline);
            }
            spilled.push(rtype.0);
        }
    }
    let Some(span) = span else {
        return Ok(());
    };
    let types: &mut [u16] = if spilled.is_empty() {
        inline.get_mut(..count).unwrap_or_default()
    } else {
        &mut spilled
    };
    types.sort_unstable();
    let start = cursor.wire_len();
    let mut window_start = None::<(u8, usize)>;
    for &number in types.iter() {
        let [window, low] = number.to_be_bytes();
        let base = match window_start {
            Some((w, base)) if w == window => base,
            _ => {
                let base = cursor.wire_len();
                cursor.put(&[window, 0]);
                window_start = Some((window, base));
                base
            }
        };
        let index = usize::from(low / 8);
        let needed = base + 2 + index + 1;
        let wire = cursor.wire_mut();
        if wire.len() < needed {
            wire.resize(needed, 0);
        }
        if let Some(byte) = wire.get_mut(base + 2 + index) {
            *byte |= 0x80 >> (low % 8);
        }
        if let Some(len) = wire.get_mut(base + 1) {
            *len = (index + 1).max(usize::from(*len)) as u8;
        }
    }
    cursor.field(span, start);
    Ok(())
}

/// Checks a bitmap's structure (RFC 4034 §4.1.2): windows in increasing order, each 1–32
/// octets with a non-zero last octet, and the reserved type 0 absent.
pub(crate) fn check(bitmap: &[u8]) -> Result<(), String> {
    let mut rest = bitmap;
    let mut previous: Option<u8> = None;
    while let Some((&window, after)) = rest.split_first() {
        let (&len, after) = after
            .split_first()
            .ok_or("the type bitmap ends inside a window header")?;
        if previous.is_some_and(|p| p >= window) {
            return Err("type bitmap windows are not in increasing order".to_owned());
        }
        previous = Some(window);
        let len = usize::from(len);
        if len == 0 || len > 32 {
            return Err(format!(
                "type bitmap window {window} has length {len}; it must be 1–32"
            ));
        }
        let bits = after
            .get(..len)
            .ok_or("the type bitmap ends inside a window")?;
        if bits.last() == Some(&0) {
            return Err(format!("type bitmap window {window} ends in a zero octet"));
        }
        if window == 0 && bits.first().is_some_and(|&b| b & 0x80 != 0) {
            return Err("the type bitmap lists the reserved type 0".to_owned());
        }
        rest = after.get(len..).unwrap_or_default();
    }
    Ok(())
}

/// The types listed in an NSEC, NSEC3 or CSYNC type bitmap, in increasing order. Stops at
/// the first malformed window.
#[derive(Clone, Debug)]
pub struct TypeBitmap<'a> {
    rest: &'a [u8],
    window: u16,
    bits: &'a [u8],
    index: usize,
}

impl<'a> TypeBitmap<'a> {
    /// The types of `bitmap` (the wire bytes of the bitmap field alone).
    #[must_use]
    pub fn new(bitmap: &'a [u8]) -> Self {
        Self {
            rest: bitmap,
            window: 0,
            bits: &[],
            index: 0,
        }
    }

    /// Whether `rtype` is listed.
    #[must_use]
    pub fn contains(&self, rtype: RType) -> bool {
        self.clone().any(|listed| listed == rtype)
    }
}

impl Iterator for TypeBitmap<'_> {
    type Item = RType;

    fn next(&mut self) -> Option<RType> {
        loop {
            while let Some(&byte) = self.bits.get(self.index / 8) {
                let bit = self.index % 8;
                let low = self.index;
                self.index += 1;
                if byte & (0x80 >> bit) != 0 {
                    return Some(RType(self.window << 8 | low as u16));
                }
            }
            let (&window, after) = self.rest.split_first()?;
            let (&len, after) = after.split_first()?;
            self.bits = after.get(..usize::from(len))?;
            self.rest = after.get(usize::from(len)..).unwrap_or_default();
            self.window = u16::from(window);
            self.index = 0;
        }
    }
}

/// Writes a bitmap's types as mnemonics separated by spaces.
pub(crate) fn write(bitmap: &[u8], out: &mut String) -> Result<(), String> {
    check(bitmap)?;
    for (i, rtype) in TypeBitmap::new(bitmap).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{rtype}");
    }
    Ok(())
}
