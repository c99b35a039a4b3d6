//! TTLs: plain seconds or BIND's unit form (`1h30m`, `2W`).

/// The largest TTL RFC 2181 §8 allows; larger values are treated as 0 (as BIND does).
pub const MAX_TTL: u32 = 0x7fff_ffff;

/// A TTL in seconds, always within `0..=MAX_TTL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ttl(u32);

impl Ttl {
    /// A TTL, if `seconds` is in range.
    #[must_use]
    pub const fn new(seconds: u32) -> Option<Ttl> {
        if seconds <= MAX_TTL {
            Some(Ttl(seconds))
        } else {
            None
        }
    }

    /// The value in seconds.
    #[must_use]
    pub const fn seconds(self) -> u32 {
        self.0
    }
}

/// Why a TTL did not parse, or parsed out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TtlError {
    /// Not a TTL at all.
    Malformed,
    /// Over 2^32 − 1: cannot be represented.
    Overflow,
    /// Over 2^31 − 1: RFC 2181 §8 says to treat it as 0.
    OverMax(u32),
}

/// Parses a TTL: digits, or digit groups each followed by a unit `s m h d w` (any case).
pub fn parse_ttl(text: &[u8]) -> Result<Ttl, TtlError> {
    let value = parse_ttl_value(text)?;
    Ttl::new(value).ok_or(TtlError::OverMax(value))
}

/// Parses a TTL-shaped duration without the 2^31 − 1 cap (SOA timers and `$TTL` use it too).
pub fn parse_ttl_value(text: &[u8]) -> Result<u32, TtlError> {
    if text.is_empty() {
        return Err(TtlError::Malformed);
    }
    let mut total: u64 = 0;
    let mut current: Option<u64> = None;
    let mut saw_unit = false;
    for &b in text {
        if b.is_ascii_digit() {
            let digit = u64::from(b - b'0');
            let value = current
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .ok_or(TtlError::Overflow)?;
            if value > u64::from(u32::MAX) {
                return Err(TtlError::Overflow);
            }
            current = Some(value);
        } else {
            let multiplier: u64 = match b.to_ascii_lowercase() {
                b's' => 1,
                b'm' => 60,
                b'h' => 3600,
                b'd' => 86_400,
                b'w' => 604_800,
                _ => return Err(TtlError::Malformed),
            };
            let count = current.take().ok_or(TtlError::Malformed)?;
            total = total
                .checked_add(count * multiplier)
                .ok_or(TtlError::Overflow)?;
            saw_unit = true;
        }
    }
    if let Some(rest) = current {
        if saw_unit {
            // `1h30`: a trailing number without a unit is rejected by BIND and dnspython.
            return Err(TtlError::Malformed);
        }
        total = rest;
    }
    u32::try_from(total).map_err(|_| TtlError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_limits() {
        assert_eq!(parse_ttl(b"3600"), Ok(Ttl(3600)));
        assert_eq!(parse_ttl(b"1h30m"), Ok(Ttl(5400)));
        assert_eq!(parse_ttl(b"2W"), Ok(Ttl(1_209_600)));
        assert_eq!(parse_ttl(b"1d2h3m4s"), Ok(Ttl(93_784)));
        assert_eq!(parse_ttl(b"1x2y"), Err(TtlError::Malformed));
        assert_eq!(parse_ttl(b"1h30"), Err(TtlError::Malformed));
        assert_eq!(parse_ttl(b"h"), Err(TtlError::Malformed));
        assert_eq!(
            parse_ttl(b"2147483648"),
            Err(TtlError::OverMax(2_147_483_648))
        );
        assert_eq!(parse_ttl(b"4294967296"), Err(TtlError::Overflow));
        assert_eq!(parse_ttl(b""), Err(TtlError::Malformed));
    }
}
