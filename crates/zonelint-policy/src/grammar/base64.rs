//! Base64 (RFC 4648 §4) as DKIM writes it (RFC 6376 §2.4 `base64string`): whitespace
//! anywhere is ignored, padding is optional, `=` may only end the text.

/// Why base64 text does not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the alphabet; `offset` is into the text.
    BadCharacter {
        /// Where it is.
        offset: usize,
    },
    /// `=` followed by more data, or more than two `=`.
    BadPadding {
        /// Where the first `=` is.
        offset: usize,
    },
    /// A length that no encoding produces (one character left over).
    BadLength,
}

fn value(byte: u8) -> Option<u32> {
    match byte {
        b'A'..=b'Z' => Some(u32::from(byte - b'A')),
        b'a'..=b'z' => Some(u32::from(byte - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(byte - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The base64 crate's decoder set to accept what [`decode`] accepts of text without
/// whitespace, with `padding` (`Indifferent` would also take a short padding, `TQ=`):
/// bits left over in the last character are ignored.
const fn engine(padding: base64::engine::DecodePaddingMode) -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(padding)
            .with_decode_allow_trailing_bits(true),
    )
}

/// For text that ends in `=`.
const PADDED: base64::engine::GeneralPurpose =
    engine(base64::engine::DecodePaddingMode::RequireCanonical);

/// For text that does not.
const UNPADDED: base64::engine::GeneralPurpose =
    engine(base64::engine::DecodePaddingMode::RequireNone);

/// Decodes `text`, skipping whitespace.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    // A key as published is one run of base64 (its strings joined): the fast decoder
    // takes it. Text with whitespace, and text it refuses, is read here, which says where
    // and why it fails.
    if !text.iter().any(u8::is_ascii_whitespace) {
        use base64::Engine as _;
        let engine = if text.last() == Some(&b'=') {
            &PADDED
        } else {
            &UNPADDED
        };
        if let Ok(decoded) = engine.decode(text) {
            return Ok(decoded);
        }
    }
    decode_slowly(text)
}

/// [`decode`], a character at a time.
fn decode_slowly(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut accumulator = 0u32;
    let mut bits = 0u32;
    let mut count = 0usize;
    let mut padding_at: Option<usize> = None;
    let mut padding = 0;
    for (offset, &byte) in text.iter().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        if byte == b'=' {
            padding_at.get_or_insert(offset);
            padding += 1;
            if padding > 2 {
                return Err(Base64Error::BadPadding {
                    offset: padding_at.unwrap_or(offset),
                });
            }
            continue;
        }
        if let Some(at) = padding_at {
            return Err(Base64Error::BadPadding { offset: at });
        }
        let Some(v) = value(byte) else {
            return Err(Base64Error::BadCharacter { offset });
        };
        accumulator = (accumulator << 6) | v;
        bits += 6;
        count += 1;
        if bits >= 8 {
            bits -= 8;
            out.push(((accumulator >> bits) & 0xff) as u8);
        }
    }
    if count % 4 == 1 {
        return Err(Base64Error::BadLength);
    }
    if padding > 0 && (count + padding) % 4 != 0 {
        return Err(Base64Error::BadPadding {
            offset: padding_at.unwrap_or(0),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_whitespace_and_optional_padding() {
        assert_eq!(decode(b"aGVs bG8=").unwrap(), b"hello");
        assert_eq!(decode(b"aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode(b"").unwrap(), b"");
        assert_eq!(decode(b"TWFu").unwrap(), b"Man");
    }

    /// The fast decoder accepts exactly what the slow one does, and decodes it alike:
    /// every text of up to six characters from a set that makes every kind of case.
    #[test]
    fn the_fast_path_agrees_with_the_slow_one() {
        let alphabet = b"AQgw/+=*";
        let mut text = Vec::new();
        for len in 0..=6u32 {
            for mut n in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(
                    decode(&text).ok(),
                    decode_slowly(&text).ok(),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            decode(b"aGV*"),
            Err(Base64Error::BadCharacter { offset: 3 })
        );
        assert_eq!(decode(b"aG=Vs"), Err(Base64Error::BadPadding { offset: 2 }));
        assert_eq!(decode(b"aGVsb"), Err(Base64Error::BadLength));
        assert_eq!(
            decode(b"aGVsbG8=="),
            Err(Base64Error::BadPadding { offset: 7 })
        );
    }
}
