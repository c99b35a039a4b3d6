//! DKIM key records (RFC 6376 §3.6.1; RFC 8301; RFC 8463 for Ed25519).
//!
//! A tag-list with `v` (first if present, `DKIM1`), `h`, `k`, `n`, `p` (required; empty
//! means revoked), `s` and `t`. The `p=` value is decoded (base64, whitespace allowed)
//! and read: RSA keys as SubjectPublicKeyInfo or bare RSAPublicKey with their modulus
//! size, Ed25519 keys as 32 raw octets.

use std::fmt;

use super::base64::{self, Base64Error};
use super::der::{self, OtherAlgorithm, RsaFormat};
use super::tag_list::{self, NameSyntax, Tag, TagListProblemKind};
use super::{Located, Problem, RecordText};

/// The key type (`k=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// `rsa` (the default).
    Rsa,
    /// `ed25519` (RFC 8463).
    Ed25519,
    /// Anything else (`mldsa44`, `dsa`), as written.
    Other(String),
}

/// What the `p=` value holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// `p=` is empty: the key is revoked.
    Revoked,
    /// An RSA key.
    Rsa {
        /// How it is wrapped.
        format: RsaFormat,
        /// The modulus length in bits.
        modulus_bits: u32,
    },
    /// A raw 32-octet Ed25519 key.
    Ed25519,
    /// A key of a type this reader does not know; only its decoded length is known.
    Opaque {
        /// Decoded length in octets.
        octets: usize,
    },
    /// The value does not decode or does not read as a key of its type.
    Undecodable,
}

/// Why a key does not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Not base64.
    Base64(Base64Error),
    /// `k=rsa` (or no `k`) but the data is not an RSA key.
    NotRsa(der::DerError),
    /// `k=rsa` but the data is an Ed25519 SubjectPublicKeyInfo.
    Ed25519InRsa,
    /// `k=ed25519` but the data is not 32 octets.
    Ed25519Length {
        /// Decoded length in octets.
        octets: usize,
    },
    /// `k=ed25519` with an SPKI-wrapped key instead of the raw key (RFC 8463 §4.2).
    Ed25519Wrapped,
}

/// What is wrong in a DKIM key record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DkimProblemKind {
    /// DKIM001: a tag-list error (a duplicate makes the record invalid).
    TagList(TagListProblemKind),
    /// DKIM001: `v` present but not first.
    VersionNotFirst,
    /// DKIM001: `v` is not exactly `DKIM1`.
    VersionValue,
    /// DKIM002: no `p=` tag.
    PublicKeyMissing,
    /// DKIM004: the key does not decode or read.
    Key(KeyError),
    /// DKIM008: a `k=` value other than `rsa` and `ed25519`.
    UnknownKeyType,
    /// DKIM001: a malformed value of `h`, `s` or `t`.
    InvalidValue {
        /// The tag.
        tag: &'static str,
    },
}

impl DkimProblemKind {
    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            DkimProblemKind::TagList(_)
            | DkimProblemKind::VersionNotFirst
            | DkimProblemKind::VersionValue
            | DkimProblemKind::InvalidValue { .. } => "DKIM001",
            DkimProblemKind::PublicKeyMissing => "DKIM002",
            DkimProblemKind::Key(_) => "DKIM004",
            DkimProblemKind::UnknownKeyType => "DKIM008",
        }
    }
}

/// A problem in a DKIM key record.
pub type DkimProblem = Problem<DkimProblemKind>;

/// A parsed DKIM key record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DkimKeyRecord<'a> {
    /// Every tag, in order.
    pub tags: Vec<Tag<'a>>,
    /// `k=`; `None` means the default, RSA.
    pub key_type: Option<Located<KeyType>>,
    /// `p=`: the key.
    pub public_key: Option<Located<PublicKey>>,
    /// `h=`, `s=`, `t=` and `n=`, which most keys leave out: held apart, so that a key
    /// without them (tens of thousands are kept for a whole lint in a large zone) does
    /// not hold their room, more than half of the record's.
    optional: Option<Box<OptionalTags<'a>>>,
}

/// The tags of a DKIM key record that most keys leave out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct OptionalTags<'a> {
    hashes: Option<Located<Vec<String>>>,
    services: Option<Located<Vec<String>>>,
    flags: Option<Located<Vec<String>>>,
    notes: Option<&'a [u8]>,
}

impl<'a> DkimKeyRecord<'a> {
    /// `h=`: acceptable hash algorithms, lower case (`sha256`, `sha1`).
    #[must_use]
    pub fn hashes(&self) -> Option<&Located<Vec<String>>> {
        self.optional.as_ref()?.hashes.as_ref()
    }

    /// `s=`: service types, lower case (`*`, `email`).
    #[must_use]
    pub fn services(&self) -> Option<&Located<Vec<String>>> {
        self.optional.as_ref()?.services.as_ref()
    }

    /// `t=`: flags, lower case (`y` testing, `s` strict).
    #[must_use]
    pub fn flags(&self) -> Option<&Located<Vec<String>>> {
        self.optional.as_ref()?.flags.as_ref()
    }

    /// `n=`: notes.
    #[must_use]
    pub fn notes(&self) -> Option<&'a [u8]> {
        self.optional.as_ref()?.notes
    }

    /// The optional tags, made when the first is read.
    fn optional_mut(&mut self) -> &mut OptionalTags<'a> {
        self.optional.get_or_insert_with(Box::default)
    }

    /// Gives back the room its list of tags grew into while it was parsed ([`parse`]
    /// returns records made to size: the lint keeps tens of thousands for its run).
    fn shrink_to_fit(&mut self) {
        self.tags.shrink_to_fit();
    }

    /// The key type in force (`rsa` when `k=` is absent).
    #[must_use]
    pub fn effective_key_type(&self) -> KeyType {
        self.key_type
            .as_ref()
            .map_or(KeyType::Rsa, |k| k.value.clone())
    }

    /// Whether `t=` has the flag (`y` testing, `s` strict).
    #[must_use]
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags()
            .is_some_and(|f| f.value.iter().any(|v| v == flag))
    }

    /// Whether `p=` is empty.
    #[must_use]
    pub fn is_revoked(&self) -> bool {
        matches!(
            self.public_key.as_ref().map(|p| p.value),
            Some(PublicKey::Revoked)
        )
    }
}

/// Whether the record text looks like a DKIM key record (starts with `v=DKIM1`, or has a
/// `p=` tag and a `k=` tag): what a rule uses to find misplaced keys.
#[must_use]
pub fn looks_like_dkim(text: &[u8]) -> bool {
    // Read with whitespace left out, without copying the text (every TXT record of a
    // zone is asked).
    let compact = || text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    let has_tag = |name: u8| {
        // `name=` at the start, or after a `;`.
        let mut before = [b';', b';'];
        compact().any(|byte| {
            let found = before == [b';', name] && byte == b'=';
            before = [before[1], byte];
            found
        })
    };
    compact().take(7).eq(b"v=DKIM1".iter().copied()) || has_tag(b'k') && has_tag(b'p')
}

/// Parses one DKIM key record.
#[must_use]
pub fn parse(text: &RecordText) -> (DkimKeyRecord<'_>, Vec<DkimProblem>) {
    let (list, tag_problems) = tag_list::parse(text, 0..text.len(), NameSyntax::Dkim);
    let mut problems: Vec<DkimProblem> = tag_problems
        .into_iter()
        .map(|p| Problem::new(DkimProblemKind::TagList(p.kind), p.span))
        .collect();
    let mut record = DkimKeyRecord {
        tags: list.tags,
        ..DkimKeyRecord::default()
    };
    // Taken out while the fields are filled from them (a copy of the list was made
    // for each key record), and put back after.
    let tags = std::mem::take(&mut record.tags);
    for (index, tag) in tags.iter().enumerate() {
        if tags
            .iter()
            .take(index)
            .any(|t| t.name().eq_ignore_ascii_case(tag.name()))
        {
            continue;
        }
        let span = tag.value_span();
        match tag.name() {
            b"v" => {
                if index != 0 {
                    problems.push(Problem::new(DkimProblemKind::VersionNotFirst, tag.span()));
                }
                if tag.value() != b"DKIM1" {
                    problems.push(Problem::new(DkimProblemKind::VersionValue, span));
                }
            }
            b"k" => {
                let key_type = match tag.value().to_ascii_lowercase().as_slice() {
                    b"rsa" => KeyType::Rsa,
                    b"ed25519" => KeyType::Ed25519,
                    _ => {
                        problems.push(Problem::new(DkimProblemKind::UnknownKeyType, span));
                        KeyType::Other(tag.value_text())
                    }
                };
                record.key_type = Some(Located::new(key_type, span));
            }
            b"h" | b"s" | b"t" => {
                let list = colon_list(tag.value());
                let name = match tag.name() {
                    b"h" => "h",
                    b"s" => "s",
                    _ => "t",
                };
                let valid = list.iter().all(|item| {
                    !item.is_empty()
                        && (item == "*" && name == "s"
                            || item.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                });
                if !valid {
                    problems.push(Problem::new(
                        DkimProblemKind::InvalidValue { tag: name },
                        span,
                    ));
                }
                let located = Some(Located::new(list, span));
                let optional = record.optional_mut();
                match name {
                    "h" => optional.hashes = located,
                    "s" => optional.services = located,
                    _ => optional.flags = located,
                }
            }
            b"n" => record.optional_mut().notes = Some(tag.value()),
            b"p" => {}
            // Unknown tags, `P=` included (names are case-sensitive), are ignored (§3.2).
            _ => {}
        }
    }
    match tags.iter().find(|t| t.name() == b"p") {
        None => {
            let span = tags
                .last()
                .map_or_else(|| text.span(text.len()..text.len()), |t| t.span());
            problems.push(Problem::new(DkimProblemKind::PublicKeyMissing, span));
        }
        Some(tag) => {
            let key = read_key(&record.effective_key_type(), tag.value());
            let value = match key {
                Ok(key) => key,
                Err(error) => {
                    problems.push(Problem::new(
                        DkimProblemKind::Key(error),
                        key_error_span(text, tag, error),
                    ));
                    PublicKey::Undecodable
                }
            };
            record.public_key = Some(Located::new(value, tag.value_span()));
        }
    }
    record.tags = tags;
    record.shrink_to_fit();
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    (record, problems)
}

/// Points base64 errors at the offending character; other errors at the whole value.
fn key_error_span(text: &RecordText, tag: &Tag<'_>, error: KeyError) -> zonelint_zone::Span {
    let KeyError::Base64(Base64Error::BadCharacter { offset } | Base64Error::BadPadding { offset }) =
        error
    else {
        return tag.value_span();
    };
    let at = tag.value_range.range().start + offset;
    text.span(at..at + 1)
}

fn colon_list(value: &[u8]) -> Vec<String> {
    value
        .split(|&b| b == b':')
        .map(|item| String::from_utf8_lossy(item).trim().to_ascii_lowercase())
        .collect()
}

fn read_key(key_type: &KeyType, value: &[u8]) -> Result<PublicKey, KeyError> {
    if value.iter().all(u8::is_ascii_whitespace) {
        return Ok(PublicKey::Revoked);
    }
    let data = base64::decode(value).map_err(KeyError::Base64)?;
    match key_type {
        KeyType::Rsa => match der::read_rsa_key(&data) {
            Ok(key) => Ok(PublicKey::Rsa {
                format: key.format,
                modulus_bits: key.modulus_bits,
            }),
            Err((_, Some(OtherAlgorithm::Ed25519))) => Err(KeyError::Ed25519InRsa),
            Err((error, _)) => Err(KeyError::NotRsa(error)),
        },
        KeyType::Ed25519 => {
            if data.len() == 32 {
                Ok(PublicKey::Ed25519)
            } else if matches!(
                der::read_rsa_key(&data),
                Err((_, Some(OtherAlgorithm::Ed25519)))
            ) {
                Err(KeyError::Ed25519Wrapped)
            } else {
                Err(KeyError::Ed25519Length { octets: data.len() })
            }
        }
        KeyType::Other(_) => Ok(PublicKey::Opaque { octets: data.len() }),
    }
}

/// Renders the record canonically: each tag as `name=value`, joined by `; `.
impl fmt::Display for DkimKeyRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, tag) in self.tags.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(
                f,
                "{}={}",
                String::from_utf8_lossy(tag.name()),
                String::from_utf8_lossy(tag.value())
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::der::tests::{pkcs1, spki_of};
    use DkimProblemKind as K;

    #[test]
    fn key_records_are_told_by_their_version_or_their_k_and_p_tags() {
        let yes = [
            "v=DKIM1; k=rsa; p=MIIB",
            " v = DKIM1",
            "k=rsa; p=MIIB",
            "p=MIIB;k=ed25519",
            "t=y; k = rsa ; p=",
        ];
        for text in yes {
            assert!(looks_like_dkim(text.as_bytes()), "{text:?}");
        }
        let no = [
            "",
            "v=DKIM",
            "p=MIIB",
            "k=rsa",
            "xk=rsa; p=MIIB",
            "k=rsa; xp=MIIB",
            "v=spf1 -all",
            "k;=rsa p=",
        ];
        for text in no {
            assert!(!looks_like_dkim(text.as_bytes()), "{text:?}");
        }
    }

    fn encode(data: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    fn parse_pieces(pieces: &[&str]) -> (DkimKeyRecord<'static>, Vec<(DkimProblemKind, String)>) {
        let (text, layout) = RecordText::from_pieces(pieces);
        let text: &'static RecordText = Box::leak(Box::new(text));
        let (record, problems) = parse(text);
        let problems = problems
            .into_iter()
            .map(|p| {
                (
                    p.kind,
                    String::from_utf8_lossy(&layout[p.span.range()]).into_owned(),
                )
            })
            .collect();
        (record, problems)
    }

    fn check(record: &str, expected: &[(DkimProblemKind, &str)]) -> DkimKeyRecord<'static> {
        let quoted = format!("\"{record}\"");
        let (parsed, problems) = parse_pieces(&[&quoted]);
        let expected: Vec<(DkimProblemKind, String)> = expected
            .iter()
            .map(|(k, s)| (k.clone(), (*s).to_owned()))
            .collect();
        assert_eq!(problems, expected, "{record}");
        parsed
    }

    #[test]
    fn rsa_keys_and_their_size() {
        let spki = encode(&spki_of(&pkcs1(2048)));
        let record = check(&format!("v=DKIM1; k=rsa; p={spki}"), &[]);
        assert_eq!(
            record.public_key.unwrap().value,
            PublicKey::Rsa {
                format: RsaFormat::SubjectPublicKeyInfo,
                modulus_bits: 2048
            }
        );
        let bare = encode(&pkcs1(1024));
        let record = check(&format!("p={bare}"), &[]);
        assert_eq!(
            record.public_key.unwrap().value,
            PublicKey::Rsa {
                format: RsaFormat::RsaPublicKey,
                modulus_bits: 1024
            }
        );
    }

    #[test]
    fn a_key_split_across_strings_decodes() {
        let spki = encode(&spki_of(&pkcs1(2048)));
        let (head, tail) = spki.split_at(100);
        let first = format!("\"v=DKIM1; k=rsa; p={head}\"");
        let second = format!("\"{tail}\"");
        let (record, problems) = parse_pieces(&[&first, &second]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(matches!(
            record.public_key.unwrap().value,
            PublicKey::Rsa {
                modulus_bits: 2048,
                ..
            }
        ));
    }

    #[test]
    fn ed25519_keys() {
        let raw = encode(&[7u8; 32]);
        let record = check(&format!("v=DKIM1; k=ed25519; p={raw}"), &[]);
        assert_eq!(record.public_key.unwrap().value, PublicKey::Ed25519);
        let short = encode(&[7u8; 31]);
        check(
            &format!("v=DKIM1; k=ed25519; p={short}"),
            &[(
                K::Key(KeyError::Ed25519Length { octets: 31 }),
                short.as_str(),
            )],
        );
    }

    #[test]
    fn revoked_and_missing() {
        let record = check("v=DKIM1; p=", &[]);
        assert!(record.is_revoked());
        check("v=DKIM1; k=rsa", &[(K::PublicKeyMissing, "k=rsa")]);
    }

    #[test]
    fn problems() {
        check("k=rsa; v=DKIM1; p=", &[(K::VersionNotFirst, "v=DKIM1")]);
        check("v=DKIM2; p=", &[(K::VersionValue, "DKIM2")]);
        check(
            "v=DKIM1; k=mldsa44; p=AAAA",
            &[(K::UnknownKeyType, "mldsa44")],
        );
        check(
            "v=DKIM1; p=MIGf*MA0G",
            &[(
                K::Key(KeyError::Base64(Base64Error::BadCharacter { offset: 4 })),
                "*",
            )],
        );
        check(
            "v=DKIM1; p=AAAA",
            &[(
                K::Key(KeyError::NotRsa(der::DerError::UnexpectedTag)),
                "AAAA",
            )],
        );
        check(
            "v=DKIM1; h=sha1:; p=",
            &[(K::InvalidValue { tag: "h" }, "sha1:")],
        );
        let first = zonelint_zone::Span::new(zonelint_zone::SourceId(0), 10, 12);
        check(
            "v=DKIM1; p=; p=",
            &[(K::TagList(TagListProblemKind::Duplicate { first }), "p=")],
        );
        let record = check("v=DKIM1; t=y:s; s=email; h=sha256; p=", &[]);
        assert!(record.has_flag("y") && record.has_flag("s"));
    }

    #[test]
    fn base64_errors_point_into_the_right_string() {
        let (_, problems) = parse_pieces(&["\"v=DKIM1; p=AAAA\"", "\"AA!A\""]);
        assert_eq!(
            problems,
            vec![(
                K::Key(KeyError::Base64(Base64Error::BadCharacter { offset: 6 })),
                "!".to_owned()
            )]
        );
    }
}
