//! `$GENERATE` (BIND): ranges and template expansion.
//!
//! `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`. In `lhs` and `rhs`, `$` is
//! the iterator, `${offset[,width[,base]]}` formats `iterator + offset` zero-padded to
//! `width` in base `d`, `o`, `x`, `X`, or nibble mode `n`/`N` (reversed hex digits
//! separated by dots, as for ip6.arpa names), `$$` is a literal `$`, and `\X` is kept as
//! written (the name or RDATA parser decodes it afterwards).

use std::fmt::Write as _;

/// A `$GENERATE` range: `start-stop[/step]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// First value.
    pub start: u32,
    /// Last value (inclusive).
    pub stop: u32,
    /// Increment, at least 1.
    pub step: u32,
}

impl Range {
    /// How many values the range produces.
    #[must_use]
    pub fn steps(&self) -> u64 {
        if self.stop < self.start || self.step == 0 {
            return 0;
        }
        u64::from(self.stop - self.start) / u64::from(self.step) + 1
    }
}

/// Why a range or template is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateError {
    /// Offset within the token the problem is at.
    pub offset: usize,
    /// Length of the bad part.
    pub len: usize,
    /// What is wrong.
    pub message: String,
}

fn error(offset: usize, len: usize, message: impl Into<String>) -> GenerateError {
    GenerateError {
        offset,
        len,
        message: message.into(),
    }
}

/// Parses `start-stop[/step]`.
pub fn parse_range(text: &[u8]) -> Result<Range, GenerateError> {
    let bad = || {
        error(
            0,
            text.len(),
            format!(
                "`{}` is not a range `start-stop[/step]`",
                String::from_utf8_lossy(text)
            ),
        )
    };
    let (span, step) = match memchr::memchr(b'/', text) {
        Some(slash) => (
            text.get(..slash).ok_or_else(bad)?,
            Some(text.get(slash + 1..).ok_or_else(bad)?),
        ),
        None => (text, None),
    };
    let dash = memchr::memchr(b'-', span).ok_or_else(bad)?;
    let number = |digits: &[u8]| -> Option<u32> {
        if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let start = number(span.get(..dash).ok_or_else(bad)?).ok_or_else(bad)?;
    let stop = number(span.get(dash + 1..).ok_or_else(bad)?).ok_or_else(bad)?;
    let step = match step {
        Some(digits) => number(digits).ok_or_else(bad)?,
        None => 1,
    };
    if step == 0 {
        return Err(error(
            0,
            text.len(),
            "the step of a `$GENERATE` range must be at least 1",
        ));
    }
    if stop < start {
        return Err(error(
            0,
            text.len(),
            format!("the range {start}-{stop} ends before it starts"),
        ));
    }
    Ok(Range { start, stop, step })
}

/// Checks a template over a whole range by expanding its two ends (offsets are linear, so
/// every value in between is then in range too): errors are reported once, not per step.
pub fn check_template(template: &[u8], range: Range) -> Result<(), GenerateError> {
    let mut scratch = Vec::new();
    expand(template, range.start, &mut scratch)?;
    scratch.clear();
    expand(template, range.stop, &mut scratch)
}

/// Appends the expansion of `template` for iterator value `value` to `out`.
pub fn expand(template: &[u8], value: u32, out: &mut Vec<u8>) -> Result<(), GenerateError> {
    let mut i = 0;
    while let Some(&b) = template.get(i) {
        match b {
            b'\\' => {
                out.push(b'\\');
                if let Some(&next) = template.get(i + 1) {
                    out.push(next);
                }
                i += 2;
            }
            b'$' => match template.get(i + 1) {
                Some(b'$') => {
                    out.push(b'$');
                    i += 2;
                }
                Some(b'{') => {
                    let close = memchr::memchr(b'}', template.get(i..).unwrap_or_default())
                        .ok_or_else(|| {
                            error(i, template.len() - i, "`${` without a closing `}`")
                        })?;
                    let inner = template.get(i + 2..i + close).unwrap_or_default();
                    write_modifier(inner, value, out)
                        .map_err(|message| error(i, close + 1, message))?;
                    i += close + 1;
                }
                _ => {
                    let mut digits = String::new();
                    let _ = write!(digits, "{value}");
                    out.extend_from_slice(digits.as_bytes());
                    i += 1;
                }
            },
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(())
}

fn write_modifier(inner: &[u8], value: u32, out: &mut Vec<u8>) -> Result<(), String> {
    let text =
        std::str::from_utf8(inner).map_err(|_| "the `${…}` modifier is not ASCII".to_owned())?;
    let mut parts = text.split(',');
    let offset: i64 = match parts.next() {
        Some("") | None => 0,
        Some(o) => o
            .trim()
            .parse()
            .map_err(|_| format!("`{o}` is not an offset"))?,
    };
    let width: usize = match parts.next() {
        Some("") | None => 0,
        Some(w) => w
            .trim()
            .parse()
            .map_err(|_| format!("`{w}` is not a width"))?,
    };
    let base = match parts.next() {
        None | Some("") => 'd',
        Some(b) if b.len() == 1 && "doxXnN".contains(b) => b.chars().next().unwrap_or('d'),
        Some(b) => return Err(format!("`{b}` is not a base (d, o, x, X, n or N)")),
    };
    if parts.next().is_some() {
        return Err("a `${offset,width,base}` modifier has at most three parts".to_owned());
    }
    if width > 255 {
        return Err(format!("width {width} is larger than any name can be"));
    }
    let number = i64::from(value) + offset;
    if !(i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(&number) {
        return Err(format!(
            "iterator plus offset is {number}, outside what BIND can format"
        ));
    }
    // BIND and dnspython print a negative value with its sign inside the width (`-03`).
    let sign = if number < 0 { "-" } else { "" };
    let magnitude = number.unsigned_abs();
    let digits_width = width.saturating_sub(sign.len());
    let mut formatted = String::from(sign);
    let _ = match base {
        'o' => write!(formatted, "{magnitude:0digits_width$o}"),
        'x' => write!(formatted, "{magnitude:0digits_width$x}"),
        'X' => write!(formatted, "{magnitude:0digits_width$X}"),
        'n' | 'N' => {
            formatted.clear();
            write_nibbles(&mut formatted, magnitude, width, base == 'N');
            Ok(())
        }
        _ => write!(formatted, "{magnitude:0digits_width$}"),
    };
    out.extend_from_slice(formatted.as_bytes());
    Ok(())
}

/// Nibble mode as BIND writes it: hex digits least significant first, separated by dots;
/// `width` counts output characters, dots included, and pads with zero nibbles.
fn write_nibbles(out: &mut String, mut value: u64, mut width: usize, upper: bool) {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    loop {
        let digit = digits.get((value & 0xf) as usize).copied().unwrap_or(b'0');
        out.push(char::from(digit));
        value >>= 4;
        width = width.saturating_sub(1);
        if value == 0 && width == 0 {
            break;
        }
        out.push('.');
        width = width.saturating_sub(1);
        if value == 0 && width == 0 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(template: &str, value: u32) -> String {
        let mut out = Vec::new();
        expand(template.as_bytes(), value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range(b"1-10").unwrap().steps(), 10);
        assert_eq!(parse_range(b"0-10/2").unwrap().steps(), 6);
        assert_eq!(parse_range(b"5-5").unwrap().steps(), 1);
        assert!(parse_range(b"10-1").is_err());
        assert!(parse_range(b"1-10/0").is_err());
        assert!(parse_range(b"a-b").is_err());
        assert!(parse_range(b"1-99999999999").is_err());
    }

    #[test]
    fn templates() {
        assert_eq!(expanded("host$", 7), "host7");
        assert_eq!(expanded("host${0,3,d}", 7), "host007");
        assert_eq!(expanded("h${10}", 7), "h17");
        assert_eq!(expanded("h${-1,2,x}", 16), "h0f");
        assert_eq!(expanded("h${0,4,X}", 255), "h00FF");
        assert_eq!(expanded("h${0,3,o}", 8), "h010");
        assert_eq!(expanded("a$$b\\$c$", 3), "a$b\\$c3");
        assert_eq!(expanded("${0,7,n}", 0x12), "2.1.0.0");
        assert_eq!(expanded("${0,0,N}", 0xab), "B.A");
        let range = Range {
            start: 5,
            stop: 9,
            step: 1,
        };
        assert!(check_template(b"h${0,3,q}", range).is_err());
        assert!(check_template(b"h${0", range).is_err());
        assert!(check_template(b"h${-5}", range).is_ok());
        assert!(check_template(b"h${-6}", range).is_ok());
        assert_eq!(expanded("neg-${-5,3}", 2), "neg--03");
        assert_eq!(expanded("${-5,4,x}", 0), "-005");
        let mut out = Vec::new();
        assert!(expand(b"h${-9999999999}", 1, &mut out).is_err());
    }
}
