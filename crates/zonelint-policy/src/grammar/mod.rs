//! Grammars of the email-authentication records: SPF, DMARC, DKIM keys, MTA-STS,
//! TLS-RPT and BIMI.
//!
//! Every parser reads one record's [`RecordText`] (its character-strings joined the way
//! receivers join them) and returns what it could read **and** its problems; none of them
//! fails. Each term and each problem carries a [`Span`] into the zone file's bytes, so the
//! rules layer can point at exactly what the user wrote, also across quoted strings,
//! lines and escapes. The grammars know nothing of diagnostics: each has its own problem
//! enum, which the rules turn into coded diagnostics.
//!
//! ```
//! use zonelint_policy::grammar::{spf, RecordText};
//!
//! // `"v=spf1 ip4:192.0.2.0/24" " -all"` as written in a zone file.
//! let (text, source) = RecordText::from_pieces(&["\"v=spf1 ip4:192.0.2.0/33\"", "\" -all\""]);
//! let (record, problems) = spf::parse(&text);
//! assert_eq!(record.version, spf::SpfVersion::Exact);
//! assert_eq!(problems[0].kind.code(), "SPF009");
//! // The span points at the bytes of the source, not of the joined text.
//! assert_eq!(&source[problems[0].span.range()], b"/33");
//! ```
//!
//! Architecture invariant: nothing here looks at other records or at DNS. Whether an
//! include target exists, or a record is the only one at its name, is the rules' business.

/// `PartialEq`, `Eq` and `Debug` for a parsed part that keeps ranges in its record text
/// and reads its text and spans from there ([`tag_list::Tag`], the SPF terms): parts
/// compare and print by what they read, field by field as listed, as they did when they
/// held those values, not by the record text they point into.
macro_rules! read_as {
    ($type:ident { $($field:ident: [$($read:tt)+]),+ $(,)? }) => {
        impl PartialEq for $type<'_> {
            fn eq(&self, other: &Self) -> bool {
                $(self.$($read)+ == other.$($read)+)&&+
            }
        }

        impl Eq for $type<'_> {}

        impl std::fmt::Debug for $type<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($type))
                    $(.field(stringify!($field), &self.$($read)+))+
                    .finish()
            }
        }
    };
}

pub mod bimi;
pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod spf;
pub mod tag_list;
pub mod text;
pub mod tlsrpt;
pub mod uri;

pub mod base64;
pub mod der;

pub use text::{JoinPoint, Piece, RecordText, TextRange};

use zonelint_zone::Span;

/// One problem a grammar found: what (`kind`, with its data) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem<K> {
    /// What is wrong.
    pub kind: K,
    /// The bytes of the zone file it concerns.
    pub span: Span,
}

impl<K> Problem<K> {
    /// A problem of `kind` at `span`.
    #[must_use]
    pub fn new(kind: K, span: Span) -> Self {
        Self { kind, span }
    }
}

/// A value read from a record, with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Located<T> {
    /// `value`, written at `span`.
    #[must_use]
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// Writes tags as `name=value` joined by `; ` (the canonical rendering of tag-lists).
fn write_tags(f: &mut std::fmt::Formatter<'_>, tags: &[tag_list::Tag<'_>]) -> std::fmt::Result {
    for (index, tag) in tags.iter().enumerate() {
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

/// Room for the names and values matched through [`lowered`]: longer than any of them.
pub(crate) const SHORT_WORD: usize = 16;

/// `word` lower-cased (ASCII) into `buffer`, to be matched against known names and values
/// without an allocation per word; empty when longer than the buffer, which no known name
/// is, so that it matches none of them.
pub(crate) fn lowered<'b>(word: &[u8], buffer: &'b mut [u8; SHORT_WORD]) -> &'b [u8] {
    let Some(lower) = buffer.get_mut(..word.len()) else {
        return &[];
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    lower
}

/// The first [`SHORT_WORD`] bytes of `text` (all of it when shorter), lower-cased (ASCII)
/// into `buffer`.
pub(crate) fn lowered_prefix<'b>(text: &[u8], buffer: &'b mut [u8; SHORT_WORD]) -> &'b [u8] {
    lowered(text.get(..SHORT_WORD).unwrap_or(text), buffer)
}

/// The closest of `candidates` to `word` (ASCII case ignored), if it is close enough to be a
/// plausible typo: an edit distance of at most 2, and less than the word's length.
#[must_use]
pub fn nearest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|&candidate| (edit_distance(&lower, candidate), candidate))
        .filter(|&(distance, _)| distance <= 2 && distance < lower.len().max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.as_bytes().iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.last().copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Test support for the grammars: the problems `parse` finds in a record written as the
/// character-strings `pieces` (as in a zone file), each as its kind and the source text its
/// span covers.
#[cfg(test)]
pub(crate) fn problems_as_written<K>(
    pieces: &[&str],
    parse: impl Fn(&RecordText) -> Vec<Problem<K>>,
) -> Vec<(K, String)> {
    let (text, layout) = RecordText::from_pieces(pieces);
    parse(&text)
        .into_iter()
        .map(|p| {
            let written = layout.get(p.span.range()).unwrap_or_default();
            (p.kind, String::from_utf8_lossy(written).into_owned())
        })
        .collect()
}

/// Test support: asserts that the one-string `record` has exactly the `expected` problems
/// (kind, and the source text each span covers), in order.
#[cfg(test)]
#[track_caller]
pub(crate) fn check_problems<K: Clone + PartialEq + std::fmt::Debug>(
    record: &str,
    parse: impl Fn(&RecordText) -> Vec<Problem<K>>,
    expected: &[(K, &str)],
) {
    let quoted = format!("\"{record}\"");
    let expected: Vec<(K, String)> = expected
        .iter()
        .map(|(k, s)| (k.clone(), (*s).to_owned()))
        .collect();
    assert_eq!(
        problems_as_written(&[&quoted], parse),
        expected,
        "record: {record}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_lowered_and_long_ones_match_nothing() {
        let mut buffer = [0; SHORT_WORD];
        assert_eq!(lowered(b"ReDirect", &mut buffer), b"redirect");
        assert_eq!(lowered(b"", &mut buffer), b"");
        assert_eq!(
            lowered(b"ABCDEFGHIJKLMNOP", &mut buffer),
            b"abcdefghijklmnop"
        );
        assert_eq!(lowered(b"ABCDEFGHIJKLMNOPQ", &mut buffer), b"");
        assert_eq!(
            lowered("\u{e9}X".as_bytes(), &mut buffer),
            "\u{e9}x".as_bytes()
        );
        assert_eq!(
            lowered_prefix(b"V=SPF1 include:_SPF.example.net", &mut buffer),
            b"v=spf1 include:_"
        );
        assert_eq!(lowered_prefix(b"SPF1", &mut buffer), b"spf1");
    }

    #[test]
    fn nearest_suggests_plausible_typos_only() {
        assert_eq!(nearest("rue", &["rua", "ruf", "p"]), Some("rua"));
        assert_eq!(nearest("redirct", &["redirect", "exp"]), Some("redirect"));
        assert_eq!(nearest("REDIRECT", &["redirect", "exp"]), Some("redirect"));
        assert_eq!(nearest("zzzzzz", &["rua", "ruf"]), None);
        assert_eq!(nearest("x", &["p"]), None);
    }
}
