//! RDATA: presentation text → wire format, with a span for every field.
//!
//! Every record's RDATA is stored in uncompressed wire format (what RFC 3597's `\#` form
//! shows and what resolvers see), plus one [`Field`] per presentation field mapping a
//! wire range back to the source bytes it came from. Typed views decode the wire form on
//! demand, so the parser stores nothing per type.
//!
//! Each type's parser is a function over a [`Cursor`] of the record's RDATA tokens. It
//! writes wire bytes, records fields, and on a problem pushes a diagnostic and returns
//! [`Failed`]; the record is then dropped and parsing goes on with the next one.
//!
//! Most types are described as data: `format_of` maps a type to a list of field kinds
//! (`fields.rs`), which one interpreter parses, prints ([`write_presentation`]) and
//! validates ([`validate_wire`], for `\#` RDATA). Types with a grammar of their own have
//! their own module: `svcb.rs`, `loc.rs`, `misc.rs` (APL, WKS, IPSECKEY, HIP, AMTRELAY).
//! Any other type takes only the `\#` form.
//!
//! # Which reader we agree with
//!
//! BIND is the reference: a zone it refuses to load is broken, whatever else reads it.
//! Where BIND and dnspython differ we follow BIND, and say so at the code:
//!
//! - Refused although dnspython reads them: TTL units in the RRSIG original TTL, an NSEC
//!   with no types, a malformed NAPTR regexp (delimiters and flags; the POSIX pattern is
//!   not compiled, so `^**$` passes here and fails in BIND), a non-digit X25 address, a
//!   `dohpath` without the `dns` variable, quoted CAA tags, base64 with padding after a
//!   complete group.
//! - Read although dnspython refuses them: AliasMode SVCB parameters and `key65535` (left
//!   to lint rules), RRSIG dates modulo 2^32 (before 1970, after 2106), 1–4 digit groups
//!   in NID/L64 locators, DS digest types by mnemonic, a bare number as the RRSIG covered
//!   type.
//! - LOC decimals are read exactly; dnspython goes through floats and can be a centimetre
//!   off (`-2.32m`).
//! - With dnspython against BIND: an SVCB `ech` value must be an ECHConfigList (a 2-octet
//!   length, then the configs); BIND takes any base64.

mod basic;
mod bitmap;
mod encoding;
mod fields;
mod loc;
mod misc;
mod reader;
mod svcb;
#[cfg(test)]
mod tests;
pub mod view;

use crate::diagnostic::{codes, Code, Diagnostic, Severity};
use crate::name::{parse_name_into, Name, NameError};
use crate::rtype::RType;
use crate::scan::Token;
use crate::source::SourceId;
use crate::Span;

pub use basic::{decode_char_string, raw_offset_of_decoded, CharStringError};

/// The longest RDATA can be, in octets (RFC 1035 §3.2.1: RDLENGTH is 16 bits).
pub const MAX_RDATA_LEN: usize = 65_535;

/// One presentation field of a record and the wire bytes it produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field as written (quotes included for quoted strings).
    pub span: Span,
    /// Offset of the field's first wire byte within the RDATA.
    pub wire_start: u16,
    /// Offset just past the field's last wire byte.
    pub wire_end: u16,
}

/// Marks that a diagnostic was pushed and the record cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failed;

/// What an RDATA parser needs to know about the record.
#[derive(Clone, Copy, Debug)]
pub struct RdataInput<'a> {
    /// The buffer the tokens index.
    pub text: &'a [u8],
    /// The source that buffer is.
    pub source: SourceId,
    /// The offset in the source of the buffer's first byte: 0 but in the window of a
    /// file read as a stream, which holds only part of it.
    pub base: u32,
    /// The RDATA tokens (everything after the type).
    pub tokens: &'a [Token],
    /// The origin relative names complete with.
    pub origin: Option<&'a Name>,
    /// The record's type.
    pub rtype: RType,
    /// Where the type mnemonic is (errors about missing fields point just past it).
    pub type_span: Span,
}

impl RdataInput<'_> {
    /// The offset in the source of `at`, an offset in [`RdataInput::text`] (the text
    /// ends at most `u32::MAX` bytes into its source, spans being 32-bit).
    #[must_use]
    pub fn offset(&self, at: u32) -> u32 {
        self.base.wrapping_add(at)
    }

    /// The span of `start..end`, offsets in [`RdataInput::text`].
    #[must_use]
    pub fn span(&self, start: u32, end: u32) -> Span {
        Span::new(self.source, self.offset(start), self.offset(end))
    }
}

/// Reusable output buffers: wire bytes and field spans of one record.
#[derive(Debug, Default)]
pub struct RdataBuf {
    /// The RDATA in wire format.
    pub wire: Vec<u8>,
    /// One entry per field.
    pub fields: Vec<Field>,
}

impl RdataBuf {
    /// Empties both buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.wire.clear();
        self.fields.clear();
    }
}

/// A token with its bytes and span resolved.
#[derive(Clone, Copy, Debug)]
pub struct Tok<'a> {
    /// The content bytes (inside the quotes for a quoted token), escapes still in place.
    pub bytes: &'a [u8],
    /// The token as written, quotes included.
    pub span: Span,
    /// Offset of the first content byte (after the opening quote).
    pub content_start: u32,
    /// Whether it was quoted.
    pub quoted: bool,
}

impl Tok<'_> {
    /// The span of `len` content bytes starting `offset` bytes into the content.
    #[must_use]
    pub fn content_span(&self, offset: usize, len: usize) -> Span {
        let start = self.content_start.saturating_add(offset as u32);
        Span::new(
            self.span.source,
            start,
            start.saturating_add(len as u32).min(self.span.end),
        )
    }
}

/// Walks the RDATA tokens of one record and writes its wire form.
#[derive(Debug)]
pub struct Cursor<'a, 'b> {
    input: RdataInput<'a>,
    pos: usize,
    out: &'b mut RdataBuf,
    diagnostics: &'b mut Vec<Diagnostic>,
}

impl<'a, 'b> Cursor<'a, 'b> {
    /// A cursor at the first RDATA token.
    pub fn new(
        input: RdataInput<'a>,
        out: &'b mut RdataBuf,
        diagnostics: &'b mut Vec<Diagnostic>,
    ) -> Self {
        Self {
            input,
            pos: 0,
            out,
            diagnostics,
        }
    }

    /// The record's type.
    #[must_use]
    pub fn rtype(&self) -> RType {
        self.input.rtype
    }

    /// The origin, for relative names.
    #[must_use]
    pub fn origin(&self) -> Option<&'a Name> {
        self.input.origin
    }

    fn resolve(&self, token: Token) -> Tok<'a> {
        let (start, end) = token.outer();
        Tok {
            bytes: token.bytes(self.input.text),
            span: self.input.span(start, end),
            content_start: self.input.offset(token.start),
            quoted: token.quoted,
        }
    }

    /// The next token without consuming it.
    #[must_use]
    pub fn peek(&self) -> Option<Tok<'a>> {
        self.input.tokens.get(self.pos).map(|&t| self.resolve(t))
    }

    /// The first remaining token written in quotes, if any.
    #[must_use]
    pub fn peek_quoted(&self) -> Option<Tok<'a>> {
        self.input
            .tokens
            .get(self.pos..)?
            .iter()
            .find(|t| t.quoted)
            .map(|&t| self.resolve(t))
    }

    /// Whether every token was consumed.
    #[must_use]
    pub fn at_end(&self) -> bool {
        self.pos >= self.input.tokens.len()
    }

    /// How many tokens are left.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.input.tokens.len().saturating_sub(self.pos)
    }

    /// Consumes the next token, if any.
    pub fn next_token(&mut self) -> Option<Tok<'a>> {
        let token = self.peek()?;
        self.pos += 1;
        Some(token)
    }

    /// Consumes the next token, or reports that the field named `what` is missing.
    pub fn expect(&mut self, what: &str) -> Result<Tok<'a>, Failed> {
        match self.next_token() {
            Some(token) => Ok(token),
            None => {
                let at = self.end_span();
                Err(self.error(
                    at,
                    format!("{} record is missing its {what}", self.input.rtype),
                ))
            }
        }
    }

    /// An empty span just past the last token (or the type), where a missing field would go.
    #[must_use]
    pub fn end_span(&self) -> Span {
        let end = self
            .input
            .tokens
            .last()
            .map_or(self.input.type_span.end, |t| self.input.offset(t.outer().1));
        Span::new(self.input.source, end, end)
    }

    /// The span of the whole RDATA (from the first token to the last).
    #[must_use]
    pub fn rdata_span(&self) -> Span {
        match (self.input.tokens.first(), self.input.tokens.last()) {
            (Some(first), Some(last)) => self.input.span(first.outer().0, last.outer().1),
            _ => self.end_span(),
        }
    }

    /// Pushes a PARSE002 error and returns [`Failed`].
    pub fn error(&mut self, span: Span, message: impl Into<String>) -> Failed {
        self.error_with(&codes::PARSE_RDATA, span, message, None)
    }

    /// Pushes an error with a code and an optional help line and returns [`Failed`].
    pub fn error_with(
        &mut self,
        code: &'static Code,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Failed {
        let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
        Failed
    }

    /// Pushes a non-fatal diagnostic (the record is still stored).
    pub fn push_diagnostic(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The wire bytes written so far.
    #[must_use]
    pub fn wire(&self) -> &[u8] {
        &self.out.wire
    }

    /// The current wire length (use it as a field's start).
    #[must_use]
    pub fn wire_len(&self) -> usize {
        self.out.wire.len()
    }

    /// Mutable access to the wire buffer, for writers that need to patch bytes.
    pub fn wire_mut(&mut self) -> &mut Vec<u8> {
        &mut self.out.wire
    }

    /// Records a field covering `span` and the wire bytes from `wire_start` to now.
    pub fn field(&mut self, span: Span, wire_start: usize) {
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        self.out.fields.push(Field {
            span,
            wire_start: clamp(wire_start),
            wire_end: clamp(self.out.wire.len()),
        });
    }

    /// Records a field covering `span` and the wire bytes `wire_start..wire_end`, for types
    /// whose wire order differs from their presentation order (LOC, HIP, WKS).
    pub fn field_range(&mut self, span: Span, wire_start: usize, wire_end: usize) {
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        self.out.fields.push(Field {
            span,
            wire_start: clamp(wire_start),
            wire_end: clamp(wire_end),
        });
    }

    /// Appends bytes to the wire form.
    pub fn put(&mut self, bytes: &[u8]) {
        self.out.wire.extend_from_slice(bytes);
    }

    /// Parses the token as an unsigned decimal no larger than `max`.
    pub fn number(&mut self, token: Tok<'a>, what: &str, max: u64) -> Result<u64, Failed> {
        // BIND and dnspython read numbers only from unquoted tokens.
        let valid = !token.quoted
            && !token.bytes.is_empty()
            && token.bytes.len() <= 20
            && token.bytes.iter().all(u8::is_ascii_digit);
        let value = if valid {
            std::str::from_utf8(token.bytes)
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
        } else {
            None
        };
        match value {
            Some(v) if v <= max => Ok(v),
            Some(v) => Err(self.error(token.span, format!("{what} {v} is out of range (0–{max})"))),
            None if token.quoted => {
                Err(self.error(token.span, format!("{what} must be an unquoted number")))
            }
            None => Err(self.error(
                token.span,
                format!(
                    "{what} must be a number, not `{}`",
                    String::from_utf8_lossy(token.bytes)
                ),
            )),
        }
    }

    /// Reads the next token as a `u8` field and writes it.
    pub fn u8_field(&mut self, what: &str) -> Result<u8, Failed> {
        let token = self.expect(what)?;
        let start = self.wire_len();
        let value = self.number(token, what, u64::from(u8::MAX))? as u8;
        self.out.wire.push(value);
        self.field(token.span, start);
        Ok(value)
    }

    /// Reads the next token as a `u16` field and writes it.
    pub fn u16_field(&mut self, what: &str) -> Result<u16, Failed> {
        let token = self.expect(what)?;
        let start = self.wire_len();
        let value = self.number(token, what, u64::from(u16::MAX))? as u16;
        self.out.wire.extend_from_slice(&value.to_be_bytes());
        self.field(token.span, start);
        Ok(value)
    }

    /// Reads the next token as a `u32` field and writes it.
    pub fn u32_field(&mut self, what: &str) -> Result<u32, Failed> {
        let token = self.expect(what)?;
        let start = self.wire_len();
        let value = self.number(token, what, u64::from(u32::MAX))? as u32;
        self.out.wire.extend_from_slice(&value.to_be_bytes());
        self.field(token.span, start);
        Ok(value)
    }

    /// Reads the next token as a domain name field (relative names take the origin) and
    /// writes it uncompressed, case preserved.
    pub fn name_field(&mut self, what: &str) -> Result<(), Failed> {
        let token = self.expect(what)?;
        self.name_from(token)
    }

    /// Writes `token` as a domain name field.
    pub fn name_from(&mut self, token: Tok<'a>) -> Result<(), Failed> {
        if token.quoted {
            // BIND and dnspython refuse quoted names in RDATA; `"a b"` is not a name.
            return Err(self.error(
                token.span,
                format!(
                    "a domain name cannot be quoted: write `{}` without the quotes, escaping what needs it",
                    String::from_utf8_lossy(token.bytes)
                ),
            ));
        }
        self.quoted_name_from(token)
    }

    /// Writes `token` as a domain name field whether it was quoted or not (BIND reads the
    /// SVCB target name that way).
    pub fn quoted_name_from(&mut self, token: Tok<'a>) -> Result<(), Failed> {
        let start = self.wire_len();
        match parse_name_into(token.bytes, self.input.origin, &mut self.out.wire) {
            Ok(()) => {
                self.field(token.span, start);
                Ok(())
            }
            Err(error) => Err(self.name_error(token, &error)),
        }
    }

    /// Reports a name error at the exact bytes it concerns.
    pub fn name_error(&mut self, token: Tok<'a>, error: &NameError) -> Failed {
        let (code, span, message, help) = name_error_parts(token, error);
        self.error_with(code, span, message, help)
    }

    /// Reports trailing tokens as PARSE001 (junk after RDATA).
    pub fn finish(&mut self) -> Result<(), Failed> {
        if let Some(first) = self.peek() {
            let last = self
                .input
                .tokens
                .last()
                .map_or(first.span.end, |t| self.input.offset(t.outer().1));
            let span = Span::new(first.span.source, first.span.start, last);
            let rtype = self.input.rtype;
            return Err(self.error_with(
                &codes::PARSE_SYNTAX,
                span,
                format!(
                    "unexpected `{}` after the {rtype} RDATA",
                    String::from_utf8_lossy(first.bytes)
                ),
                Some("Remove the extra text, or quote it if it belongs to a string".to_owned()),
            ));
        }
        Ok(())
    }
}

/// The code, span, message and help for a name that did not parse.
#[must_use]
pub fn name_error_parts(
    token: Tok<'_>,
    error: &NameError,
) -> (&'static Code, Span, String, Option<String>) {
    let text = String::from_utf8_lossy(token.bytes);
    match *error {
        NameError::EmptyLabel { offset } => (
            &codes::PARSE_NAME,
            token.content_span(offset as usize, 1),
            format!("`{text}` has an empty label"),
            Some("Labels must not be empty: remove the doubled or leading dot".to_owned()),
        ),
        NameError::LabelTooLong {
            offset,
            len,
            octets,
        } => (
            &codes::PARSE_NAME,
            token.content_span(offset as usize, len as usize),
            format!("label is {octets} octets; the limit is 63"),
            None,
        ),
        NameError::NameTooLong { octets } => (
            &codes::PARSE_NAME,
            token.span,
            format!("`{text}` is {octets} octets in wire format; the limit is 255"),
            None,
        ),
        NameError::BadEscape { offset, len } => (
            &codes::PARSE_NAME,
            token.content_span(offset as usize, len as usize),
            "bad escape in name: `\\DDD` must be three digits with a value up to 255".to_owned(),
            None,
        ),
        NameError::NoOrigin => (
            &codes::PARSE_ORIGIN,
            token.span,
            format!("relative name `{text}` with no origin to complete it"),
            Some(
                "Add `$ORIGIN example.com.` above it, end the name with a dot, or pass --origin"
                    .to_owned(),
            ),
        ),
    }
}

/// Parses the RDATA of one record into `out`. Returns `Err(Failed)` if the record cannot
/// be stored (a diagnostic says why).
pub fn parse_rdata(
    input: RdataInput<'_>,
    out: &mut RdataBuf,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Failed> {
    out.clear();
    let mut cursor = Cursor::new(input, out, diagnostics);
    if cursor
        .peek()
        .is_some_and(|t| !t.quoted && t.bytes == b"\\#")
    {
        basic::generic(&mut cursor)?;
    } else {
        if let Err(failed) = parse_typed(&mut cursor) {
            add_shape_help(&mut cursor);
            return Err(failed);
        }
        cursor.finish()?;
    }
    if cursor.wire_len() > MAX_RDATA_LEN {
        let span = cursor.rdata_span();
        let len = cursor.wire_len();
        return Err(cursor.error_with(
            &codes::PARSE_LIMIT,
            span,
            format!("RDATA is {len} octets; the limit is 65,535"),
            None,
        ));
    }
    Ok(())
}

/// Gives a PARSE002 error without a help line the shape of the type's RDATA, which is
/// what a reader needs to see to fix a missing or misplaced field.
fn add_shape_help(cursor: &mut Cursor<'_, '_>) {
    let rtype = cursor.rtype();
    let Some(last) = cursor.diagnostics.last_mut() else {
        return;
    };
    if last.code != &codes::PARSE_RDATA || last.help.is_some() {
        return;
    }
    if let Some(shape) = shape_of(rtype) {
        last.help = Some(format!(
            "{rtype} RDATA is `{shape}`; BIND refuses to load a zone with a malformed record"
        ));
    }
}

/// The presentation fields of a type, as a one-line template (`priority weight port target`).
fn shape_of(rtype: RType) -> Option<String> {
    let fixed = match format_of(rtype)? {
        Format::Fields(specs) => {
            let mut shape = String::new();
            for spec in specs {
                if !shape.is_empty() {
                    shape.push(' ');
                }
                let name = spec.name.replace(' ', "-");
                match spec.kind {
                    fields::Kind::OptionalCharString => shape.push_str(&format!("[{name}]")),
                    fields::Kind::TypeBitmap { allow_empty: true } => shape.push_str("[type…]"),
                    fields::Kind::TypeBitmap { allow_empty: false } => shape.push_str("type…"),
                    fields::Kind::CharStrings => shape.push_str(&format!("\"{name}\"…")),
                    fields::Kind::Base64 | fields::Kind::Hex => shape.push_str(&format!("{name}…")),
                    _ => shape.push_str(&name),
                }
            }
            return Some(shape);
        }
        Format::Svcb => "priority target [key=value…]",
        Format::Loc => "d1 [m1 [s1]] N|S d2 [m2 [s2]] E|W altitude[m] [size[m] [horizontal-precision[m] [vertical-precision[m]]]]",
        Format::Apl => "[!]family:address/prefix…",
        Format::Wks => "address protocol service…",
        Format::Ipseckey => "precedence gateway-type algorithm gateway public-key…",
        Format::Hip => "algorithm HIT public-key [rendezvous-server…]",
        Format::Amtrelay => "precedence discovery-optional type relay",
    };
    Some(fixed.to_owned())
}

/// Dispatches on the type. Types without a presentation format here only accept `\#`.
fn parse_typed(cursor: &mut Cursor<'_, '_>) -> Result<(), Failed> {
    // The commonest types skip the table walk.
    match cursor.rtype() {
        RType::A => return basic::a(cursor),
        RType::AAAA => return basic::aaaa(cursor),
        RType::NS | RType::CNAME | RType::PTR => return cursor.name_field("target name"),
        RType::MX => return basic::mx(cursor),
        RType::TXT => return basic::txt(cursor),
        _ => {}
    }
    match format_of(cursor.rtype()) {
        Some(Format::Fields(specs)) => {
            fields::parse(cursor, specs)?;
            match digest_length_problem(cursor.rtype(), cursor.wire()) {
                None => Ok(()),
                Some(problem) => {
                    let span = cursor
                        .out
                        .fields
                        .last()
                        .map_or_else(|| cursor.rdata_span(), |field| field.span);
                    Err(cursor.error(span, problem))
                }
            }
        }
        Some(Format::Svcb) => svcb::parse(cursor),
        Some(_) if cursor.peek_quoted().is_some() => {
            let token = cursor
                .peek_quoted()
                .map_or_else(|| cursor.rdata_span(), |t| t.span);
            let rtype = cursor.rtype();
            Err(cursor.error(
                token,
                format!("{rtype} RDATA has no quoted fields; remove the quotes"),
            ))
        }
        Some(Format::Loc) => loc::parse(cursor),
        Some(Format::Apl) => misc::apl(cursor),
        Some(Format::Wks) => misc::wks(cursor),
        Some(Format::Ipseckey) => misc::ipseckey(cursor),
        Some(Format::Hip) => misc::hip(cursor),
        Some(Format::Amtrelay) => misc::amtrelay(cursor),
        None => {
            let span = cursor.rdata_span();
            let rtype = cursor.rtype();
            Err(cursor.error(
                span,
                format!("{rtype} has no presentation format here; write its RDATA in the RFC 3597 form `\\# LENGTH HEX`"),
            ))
        }
    }
}

/// How a type's RDATA is written: a list of simple fields, or a type with its own grammar.
#[derive(Clone, Copy, Debug)]
enum Format {
    /// A fixed sequence of fields.
    Fields(&'static [fields::Spec]),
    /// SVCB and HTTPS (RFC 9460).
    Svcb,
    /// LOC (RFC 1876).
    Loc,
    /// APL (RFC 3123).
    Apl,
    /// WKS (RFC 1035 §3.4.2).
    Wks,
    /// IPSECKEY (RFC 4025).
    Ipseckey,
    /// HIP (RFC 8005).
    Hip,
    /// AMTRELAY (RFC 8777).
    Amtrelay,
}

mod specs {
    use super::fields::{spec, Kind::*, Spec, StringCheck};

    pub(super) const ADDRESS_V4: &[Spec] = &[spec(Ipv4, "address")];
    pub(super) const ADDRESS_V6: &[Spec] = &[spec(Ipv6, "address")];
    pub(super) const TARGET: &[Spec] = &[spec(Name, "target name")];
    pub(super) const SOA: &[Spec] = &[
        spec(Name, "primary name server"),
        spec(Name, "responsible mailbox"),
        spec(U32, "serial"),
        spec(Duration, "refresh"),
        spec(Duration, "retry"),
        spec(Duration, "expire"),
        spec(Duration, "minimum"),
    ];
    pub(super) const MX: &[Spec] = &[spec(U16, "preference"), spec(Name, "exchange")];
    pub(super) const KX: &[Spec] = &[spec(U16, "preference"), spec(Name, "exchanger")];
    pub(super) const RT: &[Spec] = &[spec(U16, "preference"), spec(Name, "intermediate host")];
    pub(super) const AFSDB: &[Spec] = &[spec(U16, "subtype"), spec(Name, "hostname")];
    pub(super) const LP: &[Spec] = &[spec(U16, "preference"), spec(Name, "FQDN")];
    pub(super) const PX: &[Spec] = &[
        spec(U16, "preference"),
        spec(Name, "MAP822"),
        spec(Name, "MAPX400"),
    ];
    pub(super) const MINFO: &[Spec] = &[
        spec(Name, "responsible mailbox"),
        spec(Name, "error mailbox"),
    ];
    pub(super) const RP: &[Spec] = &[spec(Name, "mailbox"), spec(Name, "TXT domain")];
    pub(super) const SRV: &[Spec] = &[
        spec(U16, "priority"),
        spec(U16, "weight"),
        spec(U16, "port"),
        spec(Name, "target"),
    ];
    pub(super) const NAPTR: &[Spec] = &[
        spec(U16, "order"),
        spec(U16, "preference"),
        spec(CharString, "flags"),
        spec(CharString, "services"),
        spec(CheckedString(StringCheck::NaptrRegexp), "regexp"),
        spec(Name, "replacement"),
    ];
    pub(super) const TXT: &[Spec] = &[spec(CharStrings, "text")];
    pub(super) const HINFO: &[Spec] = &[spec(CharString, "CPU"), spec(CharString, "OS")];
    pub(super) const X25: &[Spec] = &[spec(CheckedString(StringCheck::X25Address), "PSDN address")];
    pub(super) const ISDN: &[Spec] = &[
        spec(CharString, "ISDN address"),
        spec(OptionalCharString, "subaddress"),
    ];
    pub(super) const CAA: &[Spec] = &[
        spec(U8, "flags"),
        spec(CaaTag, "tag"),
        spec(Text { allow_empty: true }, "value"),
    ];
    pub(super) const URI: &[Spec] = &[
        spec(U16, "priority"),
        spec(U16, "weight"),
        spec(Text { allow_empty: false }, "target"),
    ];
    pub(super) const SSHFP: &[Spec] = &[
        spec(U8, "algorithm"),
        spec(U8, "fingerprint type"),
        spec(Hex, "fingerprint"),
    ];
    pub(super) const TLSA: &[Spec] = &[
        spec(U8, "certificate usage"),
        spec(U8, "selector"),
        spec(U8, "matching type"),
        spec(Hex, "certificate association data"),
    ];
    pub(super) const OPENPGPKEY: &[Spec] = &[spec(Base64, "public key")];
    pub(super) const DS: &[Spec] = &[
        spec(U16, "key tag"),
        spec(Algorithm, "algorithm"),
        spec(DigestType, "digest type"),
        spec(Hex, "digest"),
    ];
    pub(super) const DNSKEY: &[Spec] = &[
        spec(U16, "flags"),
        spec(U8, "protocol"),
        spec(Algorithm, "algorithm"),
        spec(Base64, "public key"),
    ];
    pub(super) const RRSIG: &[Spec] = &[
        spec(Type, "type covered"),
        spec(Algorithm, "algorithm"),
        spec(U8, "labels"),
        // A plain number: BIND refuses TTL units here (dnspython accepts them).
        spec(U32, "original TTL"),
        spec(Timestamp, "signature expiration"),
        spec(Timestamp, "signature inception"),
        spec(U16, "key tag"),
        spec(Name, "signer name"),
        spec(Base64, "signature"),
    ];
    pub(super) const NSEC: &[Spec] = &[
        spec(Name, "next domain name"),
        spec(TypeBitmap { allow_empty: false }, "type bitmap"),
    ];
    pub(super) const NSEC3: &[Spec] = &[
        spec(U8, "hash algorithm"),
        spec(U8, "flags"),
        spec(U16, "iterations"),
        spec(Salt, "salt"),
        spec(HashedName, "next hashed owner name"),
        spec(TypeBitmap { allow_empty: true }, "type bitmap"),
    ];
    pub(super) const NSEC3PARAM: &[Spec] = &[
        spec(U8, "hash algorithm"),
        spec(U8, "flags"),
        spec(U16, "iterations"),
        spec(Salt, "salt"),
    ];
    pub(super) const CERT: &[Spec] = &[
        spec(CertType, "certificate type"),
        spec(U16, "key tag"),
        spec(Algorithm, "algorithm"),
        spec(Base64, "certificate"),
    ];
    pub(super) const ZONEMD: &[Spec] = &[
        spec(U32, "serial"),
        spec(U8, "scheme"),
        spec(U8, "hash algorithm"),
        spec(Hex, "digest"),
    ];
    pub(super) const CSYNC: &[Spec] = &[
        spec(U32, "SOA serial"),
        spec(U16, "flags"),
        spec(TypeBitmap { allow_empty: true }, "type bitmap"),
    ];
    pub(super) const DHCID: &[Spec] = &[spec(Base64, "identifier")];
    pub(super) const EUI48: &[Spec] = &[spec(Eui48, "address")];
    pub(super) const EUI64: &[Spec] = &[spec(Eui64, "address")];
    pub(super) const NID: &[Spec] = &[spec(U16, "preference"), spec(Locator64, "node ID")];
    pub(super) const L64: &[Spec] = &[spec(U16, "preference"), spec(Locator64, "locator")];
    pub(super) const GPOS: &[Spec] = &[
        spec(CharString, "longitude"),
        spec(CharString, "latitude"),
        spec(CharString, "altitude"),
    ];
    pub(super) const NSAP: &[Spec] = &[spec(Nsap, "NSAP address")];
    pub(super) const L32: &[Spec] = &[spec(U16, "preference"), spec(Ipv4, "locator")];
    pub(super) const DSYNC: &[Spec] = &[
        spec(Type, "type"),
        spec(DsyncScheme, "scheme"),
        spec(U16, "port"),
        spec(Name, "target"),
    ];
}

/// The presentation format of a type, if it has one here.
fn format_of(rtype: RType) -> Option<Format> {
    let specs = match rtype {
        RType::A => specs::ADDRESS_V4,
        RType::AAAA => specs::ADDRESS_V6,
        RType::NS
        | RType::CNAME
        | RType::DNAME
        | RType::PTR
        | RType::MD
        | RType::MF
        | RType::MB
        | RType::MG
        | RType::MR
        | RType::NSAP_PTR => specs::TARGET,
        RType::SOA => specs::SOA,
        RType::MX => specs::MX,
        RType::KX => specs::KX,
        RType::RT => specs::RT,
        RType::AFSDB => specs::AFSDB,
        RType::LP => specs::LP,
        RType::PX => specs::PX,
        RType::MINFO => specs::MINFO,
        RType::RP => specs::RP,
        RType::SRV => specs::SRV,
        RType::NAPTR => specs::NAPTR,
        RType::TXT | RType::SPF | RType::AVC | RType::NINFO | RType::RESINFO | RType::WALLET => {
            specs::TXT
        }
        RType::HINFO => specs::HINFO,
        RType::X25 => specs::X25,
        RType::ISDN => specs::ISDN,
        RType::CAA => specs::CAA,
        RType::URI => specs::URI,
        RType::SSHFP => specs::SSHFP,
        RType::TLSA | RType::SMIMEA => specs::TLSA,
        RType::OPENPGPKEY => specs::OPENPGPKEY,
        RType::DS | RType::CDS | RType::DLV | RType::TA => specs::DS,
        // KEY and SIG (RFC 2535) share DNSKEY's and RRSIG's formats.
        RType::DNSKEY | RType::CDNSKEY | RType::KEY => specs::DNSKEY,
        RType::RRSIG | RType::SIG => specs::RRSIG,
        RType::GPOS => specs::GPOS,
        RType::NSAP => specs::NSAP,
        RType::NSEC => specs::NSEC,
        RType::NSEC3 => specs::NSEC3,
        RType::NSEC3PARAM => specs::NSEC3PARAM,
        RType::CERT => specs::CERT,
        RType::ZONEMD => specs::ZONEMD,
        RType::CSYNC => specs::CSYNC,
        RType::DHCID => specs::DHCID,
        RType::EUI48 => specs::EUI48,
        RType::EUI64 => specs::EUI64,
        RType::NID => specs::NID,
        RType::L64 => specs::L64,
        RType::L32 => specs::L32,
        RType::DSYNC => specs::DSYNC,
        RType::SVCB | RType::HTTPS => return Some(Format::Svcb),
        RType::LOC => return Some(Format::Loc),
        RType::APL => return Some(Format::Apl),
        RType::WKS => return Some(Format::Wks),
        RType::IPSECKEY => return Some(Format::Ipseckey),
        RType::HIP => return Some(Format::Hip),
        RType::AMTRELAY => return Some(Format::Amtrelay),
        _ => return None,
    };
    Some(Format::Fields(specs))
}

/// Digest lengths fixed by the digest type, which BIND and dnspython both enforce when
/// loading: a 20-octet "SHA-256" DS can never match a key.
fn digest_length_problem(rtype: RType, wire: &[u8]) -> Option<String> {
    // (octet holding the digest type, where the digest starts, known types)
    let (type_at, digest_at, known): (usize, usize, &[(u8, &str, usize)]) = match rtype {
        // RFC 8078 §4: the CDS that asks for DS removal is `0 0 0 00`.
        RType::CDS => (
            3,
            4,
            &[
                (0, "deletion", 1),
                (1, "SHA-1", 20),
                (2, "SHA-256", 32),
                (3, "GOST R 34.11-94", 32),
                (4, "SHA-384", 48),
            ],
        ),
        RType::DS | RType::DLV | RType::TA => (
            3,
            4,
            &[
                (1, "SHA-1", 20),
                (2, "SHA-256", 32),
                (3, "GOST R 34.11-94", 32),
                (4, "SHA-384", 48),
            ],
        ),
        RType::SSHFP => (1, 2, &[(1, "SHA-1", 20), (2, "SHA-256", 32)]),
        RType::TLSA | RType::SMIMEA => (2, 3, &[(1, "SHA-256", 32), (2, "SHA-512", 64)]),
        RType::ZONEMD => (5, 6, &[(1, "SHA-384", 48), (2, "SHA-512", 64)]),
        _ => return None,
    };
    let digest_type = *wire.get(type_at)?;
    let actual = wire.len().saturating_sub(digest_at);
    if rtype == RType::ZONEMD && actual < 12 {
        return Some(format!(
            "a ZONEMD digest is at least 12 octets, not {actual}"
        ));
    }
    let &(_, algorithm, expected) = known
        .iter()
        .find(|&&(number, _, _)| number == digest_type)?;
    (actual != expected).then(|| {
        format!("a {algorithm} digest (type {digest_type}) is {expected} octets, not {actual}")
    })
}

/// Whether `rtype` has a presentation format here (otherwise only `\#` is accepted).
#[must_use]
pub fn has_presentation_format(rtype: RType) -> bool {
    format_of(rtype).is_some()
}

fn write_format(format: Format, wire: &[u8], out: &mut String) -> Result<(), String> {
    match format {
        Format::Fields(specs) => fields::write(specs, wire, out),
        Format::Svcb => svcb::write(wire, out),
        Format::Loc => loc::write(wire, out),
        Format::Apl => misc::write_apl(wire, out),
        Format::Wks => misc::write_wks(wire, out),
        Format::Ipseckey => misc::write_ipseckey(wire, out),
        Format::Hip => misc::write_hip(wire, out),
        Format::Amtrelay => misc::write_amtrelay(wire, out),
    }
}

/// Checks RDATA given in the `\#` form against the wire format of its type: an A record
/// must be 4 octets, names must be well formed, and so on. Types without a presentation
/// format here accept any octets. The error says what is wrong, naming the field.
pub fn validate_wire(rtype: RType, wire: &[u8]) -> Result<(), String> {
    match format_of(rtype) {
        Some(format) => {
            let mut scratch = String::new();
            write_format(format, wire, &mut scratch)?;
            digest_length_problem(rtype, wire).map_or(Ok(()), Err)
        }
        None => Ok(()),
    }
}

/// Writes RDATA in presentation format, as BIND and dnspython print it: names absolute,
/// strings quoted, base64 and hex unbroken. Parsing the output gives the same wire bytes.
/// Types without a format here, and wire data that does not decode as its type, are
/// written in the RFC 3597 generic form.
pub fn write_presentation(rtype: RType, wire: &[u8], out: &mut String) {
    let mark = out.len();
    // Data the parser would refuse (a digest of the wrong length) is printed generically
    // too, so that printing and parsing back always give the same octets.
    let written = format_of(rtype).is_some_and(|format| write_format(format, wire, out).is_ok())
        && digest_length_problem(rtype, wire).is_none();
    if !written {
        out.truncate(mark);
        write_generic(wire, out);
    }
}

/// Where the octets of a character-string written as `written` are in it: between its
/// quotes if it is quoted, else all of it (RFC 1035 §5.1). Escapes are not decoded.
#[must_use]
pub fn string_content(written: &[u8]) -> std::ops::Range<usize> {
    match written {
        [b'"', .., b'"'] => 1..written.len() - 1,
        _ => 0..written.len(),
    }
}

/// Writes RDATA in the RFC 3597 generic form: `\# LENGTH HEX` (`\# 0` when empty).
pub fn write_generic(wire: &[u8], out: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\# {}", wire.len());
    if !wire.is_empty() {
        out.push(' ');
        for byte in wire {
            let _ = write!(out, "{byte:02X}");
        }
    }
}
