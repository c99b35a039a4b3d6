//! SVCB and HTTPS (RFC 9460), with `dohpath` (RFC 9461), `ohttp` (RFC 9540) and `docpath`.
//!
//! Parameters may be written in any order; they are stored sorted by key, as the wire
//! format requires, and each keeps its own field span. Value lists follow RFC 9460
//! Appendix A: the value is first decoded as a character-string, then split on commas,
//! where `\,` and `\\` stand for a literal comma and backslash.

use super::encoding::{decode_base64, write_base64};
use super::fields::{parse_ipv4, parse_ipv6, write_escaped, write_quoted};
use super::reader::Reader;
use super::{decode_char_string, raw_offset_of_decoded, Cursor, Failed, Tok};
use crate::name::write_wire_name;
use crate::Span;
use std::fmt::Write as _;

/// `mandatory`: keys the client must understand.
pub(crate) const MANDATORY: u16 = 0;
/// `alpn`: ALPN protocol identifiers.
pub(crate) const ALPN: u16 = 1;
/// `no-default-alpn`: the default ALPN is not supported.
pub(crate) const NO_DEFAULT_ALPN: u16 = 2;
/// `port`: the alternative port.
pub(crate) const PORT: u16 = 3;
/// `ipv4hint`: IPv4 address hints.
pub(crate) const IPV4HINT: u16 = 4;
/// `ech`: an ECHConfigList.
pub(crate) const ECH: u16 = 5;
/// `ipv6hint`: IPv6 address hints.
pub(crate) const IPV6HINT: u16 = 6;
/// `dohpath`: the DoH URI template (RFC 9461).
pub(crate) const DOHPATH: u16 = 7;
/// `ohttp`: Oblivious HTTP is supported (RFC 9540).
pub(crate) const OHTTP: u16 = 8;
/// `docpath`: DNS over CoAP paths.
pub(crate) const DOCPATH: u16 = 10;

const KEY_NAMES: &[(&str, u16)] = &[
    ("mandatory", MANDATORY),
    ("alpn", ALPN),
    ("no-default-alpn", NO_DEFAULT_ALPN),
    ("port", PORT),
    ("ipv4hint", IPV4HINT),
    ("ech", ECH),
    ("ipv6hint", IPV6HINT),
    ("dohpath", DOHPATH),
    ("ohttp", OHTTP),
    ("docpath", DOCPATH),
];

/// The presentation name of a key, if it has one (otherwise it is written `keyNNNNN`).
#[must_use]
pub(crate) fn key_name(key: u16) -> Option<&'static str> {
    KEY_NAMES
        .iter()
        .find(|&&(_, k)| k == key)
        .map(|&(name, _)| name)
}

fn write_key(key: u16, out: &mut String) {
    match key_name(key) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "key{key}");
        }
    }
}

/// A key from its presentation form; the flag says it was written `keyNNNNN`, whose value
/// is then the raw wire value (RFC 9460 §2.1).
fn key_from_text(text: &[u8]) -> Result<(u16, bool), String> {
    let shown = String::from_utf8_lossy(text);
    let well_formed = !text.is_empty()
        && text.len() <= 63
        && text
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return Err(format!(
            "`{shown}` is not a SvcParamKey: keys are lower-case letters, digits and `-`"
        ));
    }
    if let Some(&(_, key)) = KEY_NAMES.iter().find(|(name, _)| name.as_bytes() == text) {
        return Ok((key, false));
    }
    if let Some(digits) = text.strip_prefix(b"key") {
        let numeric =
            !digits.is_empty() && digits.len() <= 5 && digits.iter().all(u8::is_ascii_digit);
        if numeric {
            if digits.len() > 1 && digits.first() == Some(&b'0') {
                return Err(format!(
                    "`{shown}` has a leading zero; write the key number without it"
                ));
            }
            let value = digits
                .iter()
                .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
            // key65535 is registered as "Invalid key" (RFC 9460 §14.3.2), but BIND loads it;
            // a lint rule, not the parser, should report it.
            return match u16::try_from(value) {
                Ok(key) => Ok((key, true)),
                Err(_) => Err(format!("`{shown}` is over key65534")),
            };
        }
    }
    Err(format!(
        "unknown SvcParamKey `{shown}`; write unregistered keys as keyNNNNN"
    ))
}

/// Where a problem in a value is: an offset and length into the value's raw text.
struct ValueError {
    at: Option<(usize, usize)>,
    message: String,
}

impl ValueError {
    fn whole(message: impl Into<String>) -> Self {
        Self {
            at: None,
            message: message.into(),
        }
    }

    fn at(offset: usize, len: usize, message: impl Into<String>) -> Self {
        Self {
            at: Some((offset, len)),
            message: message.into(),
        }
    }
}

/// Parses `priority target [key[=value]]…`.
pub(crate) fn parse(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    // AliasMode records (priority 0) SHOULD NOT have parameters and receivers ignore them
    // (RFC 9460 §2.4.2); BIND loads them, so they parse here and are left to a lint rule.
    cursor.u16_field("priority")?;
    let target = cursor.expect("target name")?;
    cursor.quoted_name_from(target)?;
    // (key, span of the whole parameter, range of its value in `values`)
    let mut params: Vec<(u16, Span, std::ops::Range<usize>)> = Vec::new();
    let mut values: Vec<u8> = Vec::new();
    while let Some(token) = cursor.next_token() {
        if token.quoted {
            return Err(cursor.error(
                token.span,
                "expected a SvcParam such as `alpn=h2`, not a quoted string",
            ));
        }
        let equals = memchr::memchr(b'=', token.bytes);
        let key_len = equals.unwrap_or(token.bytes.len());
        let key_text = token.bytes.get(..key_len).unwrap_or_default();
        let key_span = token.content_span(0, key_len);
        if key_len == 0 {
            return Err(cursor.error(token.span, "a SvcParam must start with its key, not `=`"));
        }
        // The value: after `=` in this token, or `key="quoted value"`, which the scanner
        // splits into `key=` and an adjacent quoted token.
        let mut whole = token.span;
        let value: Option<(Tok<'_>, usize)> = match equals {
            None => None,
            Some(at) if at + 1 == token.bytes.len() => match cursor.peek() {
                Some(next) if next.quoted && next.span.start == token.span.end => {
                    cursor.next_token();
                    whole = whole.cover(next.span);
                    Some((next, 0))
                }
                _ => Some((token, at + 1)),
            },
            Some(at) => Some((token, at + 1)),
        };
        let (key, generic) = match key_from_text(key_text) {
            Ok(found) => found,
            Err(message) => return Err(cursor.error(key_span, message)),
        };
        if params.iter().any(|&(k, _, _)| k == key) {
            let mut name = String::new();
            write_key(key, &mut name);
            return Err(cursor.error(key_span, format!("duplicate SvcParamKey `{name}`")));
        }
        let raw = value.map_or(&b""[..], |(tok, offset)| {
            tok.bytes.get(offset..).unwrap_or_default()
        });
        let start = values.len();
        if let Err(problem) = decode_value(key, generic, raw, &mut values) {
            let span = match (problem.at, value) {
                (Some((offset, len)), Some((tok, base))) => tok.content_span(base + offset, len),
                (None, Some((tok, base))) if !raw.is_empty() => tok.content_span(base, raw.len()),
                _ => whole,
            };
            let mut name = String::new();
            write_key(key, &mut name);
            return Err(cursor.error(span, format!("{name}: {}", problem.message)));
        }
        params.push((key, whole, start..values.len()));
    }
    if let Some(problem) = check_params(
        &params
            .iter()
            .map(|(k, _, r)| (*k, values.get(r.clone()).unwrap_or_default())),
    ) {
        let span = params
            .iter()
            .find(|&&(k, _, _)| k == problem.0)
            .map_or_else(|| cursor.rdata_span(), |&(_, span, _)| span);
        return Err(cursor.error(span, problem.1));
    }
    params.sort_unstable_by_key(|&(key, _, _)| key);
    for (key, span, range) in params {
        let value = values.get(range).unwrap_or_default();
        let start = cursor.wire_len();
        cursor.put(&key.to_be_bytes());
        cursor.put(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_be_bytes());
        cursor.put(value);
        cursor.field(span, start);
    }
    Ok(())
}

/// Cross-parameter rules: every key `mandatory` lists is present; `no-default-alpn` needs
/// `alpn`. Returns the key to blame and the message.
fn check_params<'v>(
    params: &(impl Iterator<Item = (u16, &'v [u8])> + Clone),
) -> Option<(u16, String)> {
    let present = |key: u16| params.clone().any(|(k, _)| k == key);
    if let Some((_, list)) = params.clone().find(|&(k, _)| k == MANDATORY) {
        for pair in list.chunks(2) {
            let listed = u16::from_be_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ]);
            if !present(listed) {
                let mut name = String::new();
                write_key(listed, &mut name);
                return Some((
                    MANDATORY,
                    format!("mandatory lists `{name}`, but the record has no {name} parameter"),
                ));
            }
        }
    }
    if present(NO_DEFAULT_ALPN) && !present(ALPN) {
        return Some((
            NO_DEFAULT_ALPN,
            "no-default-alpn needs an alpn parameter as well".to_owned(),
        ));
    }
    None
}

fn value_required(key: u16) -> bool {
    matches!(key, MANDATORY | ALPN | PORT | IPV4HINT | ECH | IPV6HINT)
}

fn value_forbidden(key: u16) -> bool {
    matches!(key, NO_DEFAULT_ALPN | OHTTP)
}

fn decode_value(key: u16, generic: bool, raw: &[u8], out: &mut Vec<u8>) -> Result<(), ValueError> {
    if raw.is_empty() {
        return if value_required(key) {
            Err(ValueError::whole("this key needs a value"))
        } else {
            Ok(())
        };
    }
    if value_forbidden(key) {
        return Err(ValueError::whole("this key takes no value"));
    }
    if generic {
        let start = out.len();
        decode_escapes(raw, out)?;
        return validate_param(key, out.get(start..).unwrap_or_default())
            .map_err(ValueError::whole);
    }
    match key {
        MANDATORY => {
            if let Some(at) = memchr::memchr(b'\\', raw) {
                return Err(ValueError::at(
                    at,
                    1,
                    "escapes are not allowed in the mandatory list",
                ));
            }
            let mut keys: Vec<u16> = Vec::new();
            let mut offset = 0;
            for item in raw.split(|&b| b == b',') {
                let key = key_from_text(item)
                    .map_err(|message| ValueError::at(offset, item.len(), message))?
                    .0;
                if key == MANDATORY {
                    return Err(ValueError::at(
                        offset,
                        item.len(),
                        "mandatory must not list itself",
                    ));
                }
                if keys.contains(&key) {
                    return Err(ValueError::at(
                        offset,
                        item.len(),
                        format!("`{}` is listed twice", String::from_utf8_lossy(item)),
                    ));
                }
                keys.push(key);
                offset += item.len() + 1;
            }
            keys.sort_unstable();
            for key in keys {
                out.extend_from_slice(&key.to_be_bytes());
            }
            Ok(())
        }
        ALPN | DOCPATH => {
            let mut decoded = Vec::with_capacity(raw.len());
            decode_escapes(raw, &mut decoded)?;
            let mut item_start = out.len();
            out.push(0);
            let mut i = 0;
            let close =
                |out: &mut Vec<u8>, item_start: usize, end_raw: usize| -> Result<(), ValueError> {
                    let len = out.len() - item_start - 1;
                    if len == 0 {
                        return Err(ValueError::at(
                            raw_offset_of_decoded(raw, end_raw),
                            0,
                            "empty item in the value list",
                        ));
                    }
                    if len > 255 {
                        return Err(ValueError::whole(format!(
                            "an item is {len} octets; the limit is 255"
                        )));
                    }
                    if let Some(slot) = out.get_mut(item_start) {
                        *slot = len as u8;
                    }
                    Ok(())
                };
            while let Some(&b) = decoded.get(i) {
                match b {
                    b'\\' => match decoded.get(i + 1) {
                        Some(&next @ (b',' | b'\\')) => {
                            out.push(next);
                            i += 2;
                        }
                        _ => {
                            let at = raw_offset_of_decoded(raw, i);
                            return Err(ValueError::at(
                                at,
                                1,
                                "only `\\,` and `\\\\` may be escaped inside a value list (write `\\\\,` in the zone file for a literal comma)",
                            ));
                        }
                    },
                    b',' => {
                        close(out, item_start, i)?;
                        item_start = out.len();
                        out.push(0);
                        i += 1;
                    }
                    _ => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            close(out, item_start, i)
        }
        PORT => {
            let port = std::str::from_utf8(raw)
                .ok()
                .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u16>().ok())
                .ok_or_else(|| {
                    ValueError::whole(format!(
                        "`{}` is not a port number (0–65535)",
                        String::from_utf8_lossy(raw)
                    ))
                })?;
            out.extend_from_slice(&port.to_be_bytes());
            Ok(())
        }
        IPV4HINT | IPV6HINT => {
            let mut offset = 0;
            for item in raw.split(|&b| b == b',') {
                let parsed = if key == IPV4HINT {
                    parse_ipv4(item).map(|a| out.extend_from_slice(&a))
                } else {
                    parse_ipv6(item).map(|a| out.extend_from_slice(&a))
                };
                if parsed.is_none() {
                    let family = if key == IPV4HINT { "IPv4" } else { "IPv6" };
                    return Err(ValueError::at(
                        offset,
                        item.len(),
                        format!(
                            "`{}` is not an {family} address",
                            String::from_utf8_lossy(item)
                        ),
                    ));
                }
                offset += item.len() + 1;
            }
            Ok(())
        }
        ECH => {
            if let Some(at) = memchr::memchr(b'\\', raw) {
                return Err(ValueError::at(
                    at,
                    1,
                    "escapes are not allowed in an ech value",
                ));
            }
            let start = out.len();
            decode_base64(raw, out).map_err(|(at, why)| match at {
                Some(i) => ValueError::at(i, 1, format!("not valid base64: {why}")),
                None => ValueError::whole(format!("not valid base64: {why}")),
            })?;
            validate_param(ECH, out.get(start..).unwrap_or_default()).map_err(ValueError::whole)
        }
        DOHPATH => {
            let start = out.len();
            decode_escapes(raw, out)?;
            check_dohpath(out.get(start..).unwrap_or_default()).map_err(ValueError::whole)
        }
        _ => decode_escapes(raw, out),
    }
}

fn decode_escapes(raw: &[u8], out: &mut Vec<u8>) -> Result<(), ValueError> {
    decode_char_string(raw, out).map_err(|super::CharStringError::BadEscape { offset, len }| {
        ValueError::at(
            offset,
            len,
            "bad escape: `\\DDD` must be three digits with a value up to 255",
        )
    })
}

/// Checks one parameter's wire value against its key's format.
fn validate_param(key: u16, value: &[u8]) -> Result<(), String> {
    if value.is_empty() && value_required(key) {
        return Err("the value is empty".to_owned());
    }
    match key {
        MANDATORY => {
            if value.len() % 2 != 0 {
                return Err("the mandatory list has an odd number of octets".to_owned());
            }
            let mut previous: Option<u16> = None;
            for pair in value.chunks(2) {
                let key = u16::from_be_bytes([
                    pair.first().copied().unwrap_or(0),
                    pair.get(1).copied().unwrap_or(0),
                ]);
                if key == MANDATORY {
                    return Err("mandatory must not list itself".to_owned());
                }
                if previous.is_some_and(|p| p >= key) {
                    return Err(
                        "the mandatory keys are not in strictly increasing order".to_owned()
                    );
                }
                previous = Some(key);
            }
            Ok(())
        }
        ALPN | DOCPATH => {
            let mut reader = Reader::new(value);
            while !reader.is_empty() {
                match reader.char_string() {
                    Some(item) if !item.is_empty() => {}
                    Some(_) => return Err("an item of the value list is empty".to_owned()),
                    None => return Err("the value list ends inside an item".to_owned()),
                }
            }
            Ok(())
        }
        NO_DEFAULT_ALPN | OHTTP if !value.is_empty() => Err("this key takes no value".to_owned()),
        DOHPATH => check_dohpath(value),
        PORT if value.len() != 2 => Err("a port is 2 octets".to_owned()),
        IPV4HINT if value.len() % 4 != 0 => {
            Err("ipv4hint is not a multiple of 4 octets".to_owned())
        }
        IPV6HINT if value.len() % 16 != 0 => {
            Err("ipv6hint is not a multiple of 16 octets".to_owned())
        }
        ECH => {
            let declared = value.get(..2).map(|l| {
                usize::from(u16::from_be_bytes([
                    l.first().copied().unwrap_or(0),
                    l.get(1).copied().unwrap_or(0),
                ]))
            });
            if value.len() < 6 || declared != Some(value.len() - 2) {
                Err(
                    "the value is not an ECHConfigList (a 2-octet length, then the configs)"
                        .to_owned(),
                )
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// Checks a `dohpath` value (RFC 9461 §5): a UTF-8 relative URI template starting with `/`
/// with a `dns` variable, which is what BIND requires before it loads the record.
fn check_dohpath(value: &[u8]) -> Result<(), String> {
    let template =
        std::str::from_utf8(value).map_err(|_| "the template is not UTF-8".to_owned())?;
    if !template.starts_with('/') {
        return Err(format!(
            "`{template}` must start with `/`, like `/dns-query{{?dns}}`"
        ));
    }
    let mut rest = template;
    let mut has_dns = false;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{template}` has a `{{` without its `}}`"))?;
        let expression = after.get(..close).unwrap_or_default();
        let variables = expression.trim_start_matches(['+', '#', '.', '/', ';', '?', '&']);
        has_dns |= variables
            .split(',')
            .map(|v| {
                v.trim_end_matches('*')
                    .split(':')
                    .next()
                    .unwrap_or_default()
            })
            .any(|v| v == "dns");
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if has_dns {
        Ok(())
    } else {
        Err(format!(
            "`{template}` has no `dns` variable, like `/dns-query{{?dns}}`"
        ))
    }
}

/// One SvcParam of a wire-format SVCB RDATA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SvcParam<'a> {
    /// The SvcParamKey number.
    pub key: u16,
    /// The value in wire format.
    pub value: &'a [u8],
}

/// Iterates over the SvcParams of a wire-format parameter list; stops at the first one
/// that does not fit.
#[derive(Clone, Debug)]
pub struct SvcParams<'a> {
    reader: Reader<'a>,
}

impl<'a> SvcParams<'a> {
    pub(crate) fn new(wire: &'a [u8]) -> Self {
        Self {
            reader: Reader::new(wire),
        }
    }
}

impl<'a> Iterator for SvcParams<'a> {
    type Item = SvcParam<'a>;

    fn next(&mut self) -> Option<SvcParam<'a>> {
        let key = self.reader.u16()?;
        let len = self.reader.u16()?;
        let value = self.reader.bytes(usize::from(len))?;
        Some(SvcParam { key, value })
    }
}

/// Checks a wire-format parameter list: fits exactly, keys strictly increasing, values valid.
fn validate_params(wire: &[u8]) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let mut previous: Option<u16> = None;
    while !reader.is_empty() {
        let key = reader.u16().ok_or("the RDATA ends inside a SvcParamKey")?;
        let len = reader
            .u16()
            .ok_or("the RDATA ends inside a SvcParam length")?;
        let value = reader
            .bytes(usize::from(len))
            .ok_or("the RDATA ends inside a SvcParam value")?;
        if previous.is_some_and(|p| p >= key) {
            return Err("SvcParamKeys are not in strictly increasing order".to_owned());
        }
        previous = Some(key);
        validate_param(key, value).map_err(|why| {
            let mut name = String::new();
            write_key(key, &mut name);
            format!("{name}: {why}")
        })?;
    }
    if let Some((_, message)) = check_params(&SvcParams::new(wire).map(|p| (p.key, p.value))) {
        return Err(message);
    }
    Ok(())
}

/// Writes SVCB/HTTPS RDATA in presentation format.
pub(crate) fn write(wire: &[u8], out: &mut String) -> Result<(), String> {
    let mut reader = Reader::new(wire);
    let priority = reader.u16().ok_or("the RDATA ends inside the priority")?;
    let target = reader
        .name()
        .ok_or("the target name is not a well-formed uncompressed name")?;
    let params = reader.rest();
    validate_params(params)?;
    let _ = write!(out, "{priority} ");
    let _ = write_wire_name(target, out);
    for param in SvcParams::new(params) {
        out.push(' ');
        write_output_key(param.key, out);
        if param.key <= IPV6HINT {
            write_value(param, out);
        } else if !param.value.is_empty() {
            out.push_str("=\"");
            write_escaped(param.value, out);
            out.push('"');
        }
    }
    Ok(())
}

/// Keys beyond RFC 9460's first seven are printed `keyNNNNN`, as BIND prints them: every
/// reader accepts that form, while older BIND versions refuse `ohttp` or `docpath`.
fn write_output_key(key: u16, out: &mut String) {
    if key <= IPV6HINT {
        write_key(key, out);
    } else {
        let _ = write!(out, "key{key}");
    }
}

fn write_value(param: SvcParam<'_>, out: &mut String) {
    let value = param.value;
    match param.key {
        _ if value.is_empty() => {}
        MANDATORY => {
            out.push('=');
            for (i, pair) in value.chunks(2).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_output_key(
                    u16::from_be_bytes([
                        pair.first().copied().unwrap_or(0),
                        pair.get(1).copied().unwrap_or(0),
                    ]),
                    out,
                );
            }
        }
        ALPN => {
            // Value-list escaping first, then character-string escaping on top of it.
            let mut listed = Vec::with_capacity(value.len() + 4);
            let mut reader = Reader::new(value);
            while let Some(item) = reader.char_string() {
                if !listed.is_empty() {
                    listed.push(b',');
                }
                for &b in item {
                    if b == b',' || b == b'\\' {
                        listed.push(b'\\');
                    }
                    listed.push(b);
                }
            }
            out.push('=');
            write_quoted(&listed, out);
        }
        PORT => {
            let port = u16::from_be_bytes([
                value.first().copied().unwrap_or(0),
                value.get(1).copied().unwrap_or(0),
            ]);
            let _ = write!(out, "={port}");
        }
        IPV4HINT => {
            out.push('=');
            for (i, chunk) in value.chunks(4).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Ok(octets) = <[u8; 4]>::try_from(chunk) {
                    let _ = write!(out, "{}", std::net::Ipv4Addr::from(octets));
                }
            }
        }
        IPV6HINT => {
            out.push('=');
            for (i, chunk) in value.chunks(16).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Ok(octets) = <[u8; 16]>::try_from(chunk) {
                    let _ = write!(out, "{}", std::net::Ipv6Addr::from(octets));
                }
            }
        }
        ECH => {
            out.push('=');
            write_base64(value, out);
        }
        _ => {
            out.push_str("=\"");
            write_escaped(value, out);
            out.push('"');
        }
    }
}
