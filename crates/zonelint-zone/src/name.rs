//! Domain names: always valid, stored in uncompressed wire format.
//!
//! Presentation text is split into labels *before* escapes are decoded (`a\.b` is one
//! label of three octets), so a name never changes shape by being unescaped. Case is kept
//! as written; comparisons and hashing ignore ASCII case (RFC 4343).

use ref_cast::{ref_cast_custom, RefCastCustom};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The longest a label may be, in octets (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// The longest a name may be in wire format, in octets, root label included.
pub const MAX_NAME_LEN: usize = 255;

/// What is wrong with a presentation-format name. Offsets are relative to the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// An empty label (`a..b`, a leading dot).
    #[error("empty label at offset {offset}")]
    EmptyLabel {
        /// Where the empty label is.
        offset: u32,
    },
    /// A label over 63 octets.
    #[error("label is {octets} octets; the limit is 63")]
    LabelTooLong {
        /// Where the label starts.
        offset: u32,
        /// Its length in the text.
        len: u32,
        /// Its decoded length.
        octets: usize,
    },
    /// A name over 255 octets in wire format.
    #[error("name is {octets} octets in wire format; the limit is 255")]
    NameTooLong {
        /// Its wire length (after the origin was appended, for relative names).
        octets: usize,
    },
    /// `\DDD` over 255, or a backslash at the end.
    #[error("bad escape at offset {offset}")]
    BadEscape {
        /// Where the backslash is.
        offset: u32,
        /// How long the bad escape is.
        len: u32,
    },
    /// A relative name with no origin to complete it.
    #[error("relative name with no origin")]
    NoOrigin,
}

/// Appends the wire form of presentation-format `text` to `out`.
///
/// `@` alone is the origin; a name without a trailing dot is relative and gets `origin`
/// appended (`origin` is an absolute wire-format name). On error, `out` is left as it was.
pub fn parse_name_into(
    text: &[u8],
    origin: Option<&Name>,
    out: &mut Vec<u8>,
) -> Result<(), NameError> {
    let base = out.len();
    let result = parse_name_inner(text, origin, out);
    if result.is_err() {
        out.truncate(base);
    }
    result
}

fn parse_name_inner(
    text: &[u8],
    origin: Option<&Name>,
    out: &mut Vec<u8>,
) -> Result<(), NameError> {
    let base = out.len();
    if text == b"@" {
        let origin = origin.ok_or(NameError::NoOrigin)?;
        out.extend_from_slice(origin.as_wire());
        return Ok(());
    }
    if text == b"." {
        out.push(0);
        return Ok(());
    }
    let mut i = 0usize;
    let mut label_start_text = 0usize;
    let mut label_len_pos = out.len();
    out.push(0);
    let mut absolute = false;
    while let Some(&b) = text.get(i) {
        match b {
            b'.' => {
                let label_len = out.len() - label_len_pos - 1;
                if label_len == 0 {
                    return Err(NameError::EmptyLabel { offset: i as u32 });
                }
                close_label(out, label_len_pos, label_start_text, i)?;
                i += 1;
                if i == text.len() {
                    absolute = true;
                    break;
                }
                label_start_text = i;
                label_len_pos = out.len();
                out.push(0);
            }
            b'\\' => {
                let (byte, used) = decode_escape(text, i)?;
                out.push(byte);
                i += used;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    if !absolute {
        let label_len = out.len() - label_len_pos - 1;
        if label_len == 0 {
            return Err(NameError::EmptyLabel { offset: i as u32 });
        }
        close_label(out, label_len_pos, label_start_text, i)?;
        let origin = origin.ok_or(NameError::NoOrigin)?;
        out.extend_from_slice(origin.as_wire());
    } else {
        out.push(0);
    }
    let octets = out.len() - base;
    if octets > MAX_NAME_LEN {
        return Err(NameError::NameTooLong { octets });
    }
    Ok(())
}

fn close_label(
    out: &mut [u8],
    len_pos: usize,
    text_start: usize,
    text_end: usize,
) -> Result<(), NameError> {
    let label_len = out.len() - len_pos - 1;
    if label_len > MAX_LABEL_LEN {
        return Err(NameError::LabelTooLong {
            offset: text_start as u32,
            len: (text_end - text_start) as u32,
            octets: label_len,
        });
    }
    if let Some(slot) = out.get_mut(len_pos) {
        *slot = label_len as u8;
    }
    Ok(())
}

/// Decodes the escape at `text[at]` (a backslash): `\DDD` or `\X`. Returns the octet and
/// how many text bytes it used.
pub fn decode_escape(text: &[u8], at: usize) -> Result<(u8, usize), NameError> {
    let bad = |len: usize| NameError::BadEscape {
        offset: at as u32,
        len: len as u32,
    };
    match (text.get(at + 1), text.get(at + 2), text.get(at + 3)) {
        (Some(&d1), Some(&d2), Some(&d3))
            if d1.is_ascii_digit() && d2.is_ascii_digit() && d3.is_ascii_digit() =>
        {
            let value =
                u32::from(d1 - b'0') * 100 + u32::from(d2 - b'0') * 10 + u32::from(d3 - b'0');
            u8::try_from(value).map(|v| (v, 4)).map_err(|_| bad(4))
        }
        (Some(&d1), _, _) if d1.is_ascii_digit() => Err(bad(2 + usize::from(
            text.get(at + 2).is_some_and(u8::is_ascii_digit),
        ))),
        (Some(&c), _, _) => Ok((c, 2)),
        (None, _, _) => Err(bad(1)),
    }
}

/// An absolute domain name in uncompressed wire format, case as written: owned.
///
/// It derefs to [`NameRef`], the borrowed name, which has the methods that read a name
/// (as `PathBuf` derefs to `Path`); a table keyed by `Name` is searched with a
/// `&NameRef` (a name borrowed from a zone's records, say) without building a `Name`.
#[derive(Clone)]
pub struct Name {
    wire: Box<[u8]>,
}

/// An absolute domain name in uncompressed wire format, case as written: borrowed (from
/// a [`Name`], or from a zone's records without a copy). Always valid.
///
/// Comparisons and hashing ignore ASCII case, as [`Name`]'s do, and a name's parent and
/// suffixes are slices of it.
#[derive(RefCastCustom)]
#[repr(transparent)]
pub struct NameRef([u8]);

impl Name {
    /// The root name `.`.
    #[must_use]
    pub fn root() -> Self {
        Self {
            wire: Box::new([0]),
        }
    }

    /// Parses an absolute or relative presentation name.
    pub fn parse(text: &[u8], origin: Option<&Name>) -> Result<Self, NameError> {
        // The wire form of a name without escapes is one byte longer than its text, and
        // the origin's longer when it is relative: made that long, the list is neither
        // grown for the origin nor shrunk into the box (two copies a name, before).
        let relative = text.last() != Some(&b'.');
        let origin_len = origin.filter(|_| relative).map_or(0, |o| o.as_wire().len());
        let mut out = Vec::with_capacity(text.len() + 1 + origin_len);
        parse_name_into(text, origin, &mut out)?;
        Ok(Self {
            wire: out.into_boxed_slice(),
        })
    }

    /// Parses an absolute presentation name from a string (convenience for tests and config).
    pub fn from_ascii(text: &str) -> Result<Self, NameError> {
        Self::parse(text.as_bytes(), None)
    }

    /// Wraps wire bytes that are known to be a valid, uncompressed, absolute name.
    /// Returns `None` if they are not.
    #[must_use]
    pub fn from_wire(wire: &[u8]) -> Option<Self> {
        NameRef::from_wire(wire).map(NameRef::to_name)
    }

    /// The labels of a wire-format name, leftmost first.
    #[must_use]
    pub fn labels_of(wire: &[u8]) -> Labels<'_> {
        Labels { wire }
    }

    /// The borrowed name.
    #[must_use]
    pub fn as_name_ref(&self) -> &NameRef {
        NameRef::cast(&self.wire)
    }
}

impl NameRef {
    /// Borrows bytes the caller knows to be one valid, uncompressed, absolute wire-format
    /// name (a [`Name`]'s, a parsed record's owner, a slice of one at a label boundary).
    #[ref_cast_custom]
    pub(crate) const fn cast(wire: &[u8]) -> &NameRef;

    /// Borrows bytes that must be exactly one valid, uncompressed, absolute wire-format
    /// name; `None` otherwise.
    #[must_use]
    pub fn from_wire(wire: &[u8]) -> Option<&NameRef> {
        (wire_name_len(wire)? == wire.len()).then(|| NameRef::cast(wire))
    }

    /// The root name `.`.
    #[must_use]
    pub fn root() -> &'static NameRef {
        NameRef::cast(&[0])
    }

    /// An owned copy.
    #[must_use]
    pub fn to_name(&self) -> Name {
        Name {
            wire: self.0.into(),
        }
    }

    /// The wire form, root label included.
    #[must_use]
    pub fn as_wire(&self) -> &[u8] {
        &self.0
    }

    /// The labels, leftmost first, without the root label.
    pub fn labels(&self) -> Labels<'_> {
        Labels { wire: &self.0 }
    }

    /// Number of labels, not counting the root.
    #[must_use]
    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// Whether this is the root name.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.len() == 1
    }

    /// The first label, if any.
    #[must_use]
    pub fn first_label(&self) -> Option<&[u8]> {
        self.labels().next()
    }

    /// Whether this is `*.something` (the leftmost label is exactly `*`).
    #[must_use]
    pub fn is_wildcard(&self) -> bool {
        self.first_label() == Some(b"*")
    }

    /// The name with the leftmost label removed (`None` for the root): a slice of this
    /// one.
    #[must_use]
    pub fn parent(&self) -> Option<&NameRef> {
        parent_wire(&self.0).map(NameRef::cast)
    }

    /// The proper ancestors, parent first, root last: a walk up the tree that copies no
    /// name.
    pub fn ancestors(&self) -> impl Iterator<Item = &NameRef> + '_ {
        std::iter::successors(self.parent(), |name| name.parent())
    }

    /// The name made of its last `labels` labels (`example.com.` for two labels of
    /// `www.example.com.`), a slice of this one; `None` when it has fewer.
    #[must_use]
    pub fn suffix(&self, labels: usize) -> Option<&NameRef> {
        let skip = self.label_count().checked_sub(labels)?;
        let mut wire: &[u8] = &self.0;
        for _ in 0..skip {
            wire = parent_wire(wire)?;
        }
        Some(NameRef::cast(wire))
    }

    /// Whether `self` equals `ancestor` or lies below it (ignoring case).
    #[must_use]
    pub fn is_at_or_below(&self, ancestor: &NameRef) -> bool {
        wire_is_at_or_below(self.as_wire(), ancestor.as_wire())
    }

    /// A new name: `label` prepended to this one.
    pub fn prepend(&self, label: &[u8]) -> Result<Name, NameError> {
        if label.is_empty() {
            return Err(NameError::EmptyLabel { offset: 0 });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(NameError::LabelTooLong {
                offset: 0,
                len: label.len() as u32,
                octets: label.len(),
            });
        }
        let octets = self.0.len() + label.len() + 1;
        if octets > MAX_NAME_LEN {
            return Err(NameError::NameTooLong { octets });
        }
        let mut wire = Vec::with_capacity(octets);
        wire.push(label.len() as u8);
        wire.extend_from_slice(label);
        wire.extend_from_slice(&self.0);
        Ok(Name {
            wire: wire.into_boxed_slice(),
        })
    }

    /// The same name in lower case.
    #[must_use]
    pub fn to_lowercase(&self) -> Name {
        let mut wire: Box<[u8]> = self.0.into();
        wire.make_ascii_lowercase();
        Name { wire }
    }

    /// A byte string whose plain (memcmp) order is the canonical order of the names
    /// (RFC 4034 §6.1), for sorting many names by key: labels from the right, lowercased,
    /// each followed by a 0 octet; the octets 0 and 1 inside labels become `1 1` and `1 2`
    /// so that the separator sorts below every octet and a shorter label first.
    #[must_use]
    pub fn canonical_key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.0.len() + 4);
        self.canonical_key_into(&mut key);
        key
    }

    /// [`Self::canonical_key`], appended to `key`: a caller keying many names reuses one
    /// list rather than allocating one per name.
    pub fn canonical_key_into(&self, key: &mut Vec<u8>) {
        let (starts, count) = label_starts(&self.0);
        for &at in starts.get(..count).unwrap_or_default().iter().rev() {
            for &b in label_at(&self.0, at) {
                match b {
                    0 | 1 => key.extend_from_slice(&[1, b + 1]),
                    _ => key.push(b.to_ascii_lowercase()),
                }
            }
            key.push(0);
        }
    }

    /// The first `window.len()` octets of [`Self::canonical_key`] after `origin`'s
    /// (which the key of a name at or below `origin` starts with) written into `window`,
    /// and zeros past the key's end: a fixed-size sort key for the many names of one
    /// zone, made without the whole key and without reading the origin's labels. Past a
    /// key's end the zeros sort it below every longer key, as the whole keys do: where a
    /// key ends, a longer one has the first octet of a label, never 0. A name not at or
    /// below `origin` gets the window of its whole key.
    pub fn canonical_key_window(&self, origin: &NameRef, window: &mut [u8]) {
        window.fill(0);
        let own = if self.is_at_or_below(origin) {
            self.0.len().saturating_sub(origin.0.len())
        } else {
            self.0.len()
        };
        // The labels above the origin's, without its terminating 0 (`label_starts`
        // stops at the slice's end as at a 0).
        let labels = self.0.get(..own).unwrap_or_default();
        let end = window.len();
        // Where the next octet goes in the window.
        let mut at = 0usize;
        let (starts, count) = label_starts(labels);
        for &start in starts.get(..count).unwrap_or_default().iter().rev() {
            if at >= end {
                return;
            }
            let label = label_at(labels, start);
            if label.iter().all(|&b| b > 1) {
                // Nearly every label: its octets, lowercased, then its 0 (already there).
                let room = window.get_mut(at..).unwrap_or_default();
                for (slot, &b) in room.iter_mut().zip(label) {
                    *slot = b.to_ascii_lowercase();
                }
                at += label.len() + 1;
                continue;
            }
            let mut put = |octet: u8| {
                if let Some(slot) = window.get_mut(at) {
                    *slot = octet;
                }
                at += 1;
            };
            for &b in label {
                match b {
                    0 | 1 => {
                        put(1);
                        put(b + 1);
                    }
                    _ => put(b.to_ascii_lowercase()),
                }
            }
            put(0);
        }
    }

    /// Compares in DNSSEC canonical order (RFC 4034 §6.1): label by label from the right,
    /// case-insensitively. Allocation-free: the hot comparison of every index sort.
    #[must_use]
    pub fn canonical_cmp(&self, other: &NameRef) -> Ordering {
        let (mine, mine_count) = label_starts(&self.0);
        let (theirs, their_count) = label_starts(&other.0);
        let mine = mine.get(..mine_count).unwrap_or_default();
        let theirs = theirs.get(..their_count).unwrap_or_default();
        for (&a, &b) in mine.iter().rev().zip(theirs.iter().rev()) {
            let a = label_at(&self.0, a);
            let b = label_at(&other.0, b);
            // Most labels compared in a sort are shared suffixes: equal, found fast.
            if a.eq_ignore_ascii_case(b) {
                continue;
            }
            let ordering = a
                .iter()
                .map(u8::to_ascii_lowercase)
                .cmp(b.iter().map(u8::to_ascii_lowercase));
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        mine_count.cmp(&their_count)
    }
}

impl Deref for Name {
    type Target = NameRef;

    fn deref(&self) -> &NameRef {
        self.as_name_ref()
    }
}

/// A table keyed by [`Name`] is searched with a [`NameRef`]: both hash and compare alike.
impl Borrow<NameRef> for Name {
    fn borrow(&self) -> &NameRef {
        self
    }
}

impl ToOwned for NameRef {
    type Owned = Name;

    fn to_owned(&self) -> Name {
        self.to_name()
    }
}

impl From<&NameRef> for Name {
    fn from(name: &NameRef) -> Name {
        name.to_name()
    }
}

/// The offsets of each label's length octet, leftmost first (a name has at most 127).
fn label_starts(wire: &[u8]) -> ([u8; 128], usize) {
    let mut starts = [0u8; 128];
    let mut count = 0;
    let mut at = 0usize;
    while let Some(&len) = wire.get(at) {
        if len == 0 || count >= starts.len() {
            break;
        }
        if let Some(slot) = starts.get_mut(count) {
            *slot = at as u8;
        }
        count += 1;
        at += usize::from(len) + 1;
    }
    (starts, count)
}

/// The label whose length octet is at `at`.
fn label_at(wire: &[u8], at: u8) -> &[u8] {
    let at = usize::from(at);
    let len = usize::from(wire.get(at).copied().unwrap_or(0));
    wire.get(at + 1..at + 1 + len).unwrap_or_default()
}

/// Length of the valid uncompressed wire name at the start of `wire`, if there is one.
#[must_use]
pub fn wire_name_len(wire: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    loop {
        let len = usize::from(*wire.get(at)?);
        if len > MAX_LABEL_LEN {
            return None;
        }
        at += len + 1;
        if at > MAX_NAME_LEN {
            return None;
        }
        if len == 0 {
            return Some(at);
        }
    }
}

/// Writes a wire-format name in presentation format, escaping what needs it.
pub fn write_wire_name(wire: &[u8], f: &mut impl fmt::Write) -> fmt::Result {
    // Nearly every name needs no escape: it is then written in one go (findings name
    // names in their messages, hundreds of thousands of times on a large zone).
    let mut text = [b'a'; PLAIN_ROOM];
    if let Some(plain) = plain_text(wire, &mut text) {
        return f.write_str(plain);
    }
    let labels = Labels { wire };
    let mut any = false;
    for label in labels {
        any = true;
        write_label(label, f)?;
        f.write_char('.')?;
    }
    if !any {
        f.write_char('.')?;
    }
    Ok(())
}

/// The room [`plain_text`] writes a name in: the longest name's wire form, and one
/// more octet, to check whole blocks of [`PLAIN_BLOCK`].
const PLAIN_ROOM: usize = MAX_NAME_LEN + 1;

/// The octets [`plain_text`] checks at a time.
const PLAIN_BLOCK: usize = 32;

/// The presentation format of a wire-format name that needs no escape, written into
/// `text` (filled with letters): its octets after the first length octet, each later
/// length octet (and the root's) made a dot. `None` for a name with an octet to
/// escape, or one that does not end within `text`.
///
/// The octets are copied at once and checked in blocks of 32 (the letters after the
/// name fill the last one), which compiles to vector code: label by label, each copy
/// was a call to `memcpy` and each octet a test and a branch.
fn plain_text<'t>(wire: &[u8], text: &'t mut [u8; PLAIN_ROOM]) -> Option<&'t str> {
    let (&first, rest) = wire.split_first()?;
    if first == 0 {
        return Some(".");
    }
    let copied = rest.get(..rest.len().min(MAX_NAME_LEN))?;
    text.get_mut(..copied.len())?.copy_from_slice(copied);
    // The length octets that follow the labels: made a letter for the check (a dot is
    // an octet to escape in a label), then dots.
    let mut at = usize::from(first);
    let end = loop {
        let octet = text.get_mut(at)?;
        let len = usize::from(*octet);
        *octet = b'a';
        if len == 0 {
            break at + 1;
        }
        at += len + 1;
    };
    // Octets past the name's end within its last block are letters, or (for a wire
    // form with octets after its end) maybe not: such a name is written the slow way.
    let blocks = text.get(..end.next_multiple_of(PLAIN_BLOCK))?;
    let plain = blocks.chunks_exact(PLAIN_BLOCK).all(|block| {
        block.iter().fold(true, |plain, &b| {
            // `is_written_as_is` as comparisons without branches, which vectorise (as a
            // `matches!` it compiles to a bit test an octet).
            let special = (b == b'.')
                | (b == b'\\')
                | (b == b'"')
                | (b == b'(')
                | (b == b')')
                | (b == b';')
                | (b == b'@')
                | (b == b'$');
            plain & (b.wrapping_sub(0x21) <= 0x7e - 0x21) & !special
        })
    });
    if !plain {
        return None;
    }
    let shown = text.get_mut(..end)?;
    let mut at = usize::from(first);
    while let Some(octet) = shown.get_mut(at) {
        *octet = b'.';
        at += usize::from(copied.get(at).copied().unwrap_or(u8::MAX)) + 1;
    }
    // Printable ASCII: always UTF-8.
    std::str::from_utf8(shown).ok()
}

/// Writes one label in presentation format.
pub fn write_label(label: &[u8], f: &mut impl fmt::Write) -> fmt::Result {
    // Runs of bytes written as they are go out in one write: findings name names in
    // their messages, hundreds of thousands of times on a large zone.
    let mut rest = label;
    loop {
        let plain = rest
            .iter()
            .position(|&b| !is_written_as_is(b))
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(plain);
        // Printable ASCII: always UTF-8.
        if let Ok(run) = std::str::from_utf8(run) {
            f.write_str(run)?;
        }
        let Some((&b, after)) = after.split_first() else {
            return Ok(());
        };
        match b {
            b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                f.write_char('\\')?;
                f.write_char(char::from(b))?;
            }
            _ => write!(f, "\\{b:03}")?,
        }
        rest = after;
    }
}

/// Whether a label's byte is written as it is in presentation format (printable ASCII
/// other than the characters a zone file gives a meaning).
fn is_written_as_is(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$')
}

/// Whether the wire-form name `mine` is `theirs` or below it (ASCII case ignored):
/// [`NameRef::is_at_or_below`] for names not held as [`Name`]s.
#[must_use]
pub fn wire_is_at_or_below(mine: &[u8], theirs: &[u8]) -> bool {
    if theirs.len() > mine.len() {
        return false;
    }
    // Walk our label boundaries until the remaining suffix has the ancestor's length.
    let mut at = 0usize;
    while mine.len() - at > theirs.len() {
        match mine.get(at) {
            Some(&l) if l != 0 => at += usize::from(l) + 1,
            _ => return false,
        }
    }
    mine.len() - at == theirs.len()
        && mine
            .get(at..)
            .is_some_and(|s| s == theirs || s.eq_ignore_ascii_case(theirs))
}

/// The wire form of a wire-format name's parent (a slice of it); `None` for the root.
#[must_use]
pub fn parent_wire(wire: &[u8]) -> Option<&[u8]> {
    let len = usize::from(*wire.first()?);
    if len == 0 {
        return None;
    }
    wire.get(len + 1..)
}

/// The labels of a wire-format name, leftmost first, root excluded.
#[derive(Clone, Debug)]
pub struct Labels<'a> {
    wire: &'a [u8],
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let len = usize::from(*self.wire.first()?);
        if len == 0 {
            return None;
        }
        let label = self.wire.get(1..=len)?;
        self.wire = self.wire.get(len + 1..).unwrap_or_default();
        Some(label)
    }
}

impl fmt::Display for NameRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_wire_name(&self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_name_ref().fmt(f)
    }
}

impl fmt::Debug for NameRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_name_ref(), f)
    }
}

impl PartialEq for NameRef {
    fn eq(&self, other: &Self) -> bool {
        same_wire(&self.0, &other.0)
    }
}

// `Name` compares, hashes and orders as the `NameRef` it derefs to, which `Borrow`
// requires of the pair: each impl below hands over to `NameRef`'s.
impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl PartialEq<NameRef> for Name {
    fn eq(&self, other: &NameRef) -> bool {
        **self == *other
    }
}

impl PartialEq<Name> for NameRef {
    fn eq(&self, other: &Name) -> bool {
        *self == **other
    }
}

impl PartialEq<&NameRef> for Name {
    fn eq(&self, other: &&NameRef) -> bool {
        **self == **other
    }
}

impl PartialEq<Name> for &NameRef {
    fn eq(&self, other: &Name) -> bool {
        **self == **other
    }
}

/// Whether two wire forms are the same name, as [`Name`]'s `Eq` says (ASCII case
/// ignored): for tables probed with a wire form, beside [`hash_wire`].
///
/// Names compared are nearly always written in the same case: a plain comparison
/// (memcmp) settles those, and only a mismatch pays for the octet-by-octet one.
#[must_use]
pub fn same_wire(a: &[u8], b: &[u8]) -> bool {
    a == b || a.eq_ignore_ascii_case(b)
}

impl Eq for NameRef {}

impl Eq for Name {}

impl Hash for NameRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_wire(&self.0, state);
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_name_ref().hash(state);
    }
}

/// Feeds the wire form of a name to `state` as [`Name`]'s `Hash` does: ASCII case folded,
/// so that names equal ignoring case hash alike. For tables probed with a name's wire form
/// (a parent, a name being built) without building a [`Name`].
///
/// Folded eight octets at a time and given to the hasher sixteen at a time (`write_u128`,
/// one multiply in foldhash, the index's hasher), the last sixteen zero-padded with the
/// form's length in their top octet: hashing names is the index's hottest path.
/// (Gathered into a buffer of the longest name, zeroed first, and given in one `write`,
/// they took 29 % more instructions on the 100k-record bench zone's lint.)
pub fn hash_wire<H: Hasher>(wire: &[u8], state: &mut H) {
    // Up to eight octets as a little-endian word, zero-padded, case folded (gathered an
    // octet at a time: a copy of a length only known at run time is a call to `memcpy`).
    let folded = |octets: &[u8]| {
        fold_case(
            octets
                .iter()
                .rev()
                .fold(0u64, |word, &octet| word << 8 | u64::from(octet)),
        )
    };
    let pair = |octets: &[u8]| {
        let (low, high) = octets.split_at(octets.len().min(8));
        // A whole word is read as one.
        let low = match <[u8; 8]>::try_from(low) {
            Ok(word) => fold_case(u64::from_le_bytes(word)),
            Err(_) => folded(low),
        };
        u128::from(low) | u128::from(folded(high)) << 64
    };
    let mut chunks = wire.chunks_exact(16);
    for chunk in &mut chunks {
        state.write_u128(u128::from_le_bytes(
            chunk.try_into().map(fold_case_wide).unwrap_or_default(),
        ));
    }
    // A name is at most 255 octets; a longer form (no `Name`) still hashes, its length
    // taken modulo 256 (only equal forms need equal hashes).
    let length = u128::from(wire.len() as u8) << 120;
    state.write_u128(pair(chunks.remainder()) ^ length);
}

/// Sixteen octets with ASCII `A`-`Z` lowered, as [`fold_case`] lowers eight.
fn fold_case_wide(octets: [u8; 16]) -> [u8; 16] {
    let word = u128::from_le_bytes(octets);
    let low = fold_case(word as u64);
    let high = fold_case((word >> 64) as u64);
    (u128::from(low) | u128::from(high) << 64).to_le_bytes()
}

/// The eight octets of `word` with ASCII `A`-`Z` lowered, all at once.
const fn fold_case(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each octet's low seven bits plus a bias sets the octet's high bit exactly when
    // they are at least `A` (resp. above `Z`); no sum carries into the next octet.
    let low = word & !HIGH;
    let from_a = low + ONES * (0x80 - b'A' as u64);
    let above_z = low + ONES * (0x80 - b'Z' as u64 - 1);
    // Octets with their own high bit set are not ASCII letters.
    let upper = from_a & !above_z & !word & HIGH;
    word | (upper >> 2)
}

impl PartialOrd for NameRef {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NameRef {
    fn cmp(&self, other: &Self) -> Ordering {
        self.canonical_cmp(other)
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table keyed by owned names is searched with a borrowed one, ignoring case
    /// (`Borrow` needs the two to hash and compare alike), and a borrowed name's parent
    /// and suffixes are slices of it, not copies.
    #[test]
    fn a_borrowed_name_finds_an_owned_one_and_its_ancestors_are_slices_of_it() {
        use std::collections::HashSet;
        let owned: HashSet<Name> = ["Mail.Example.com.", "example.COM."]
            .into_iter()
            .map(|text| Name::from_ascii(text).unwrap())
            .collect();
        let wire = Name::from_ascii("www.MAIL.example.COM.").unwrap();
        let borrowed = NameRef::from_wire(wire.as_wire()).unwrap();
        assert!(!owned.contains(borrowed));
        let parent = borrowed.parent().unwrap();
        assert!(owned.contains(parent), "{parent}");
        assert!(owned.contains(borrowed.suffix(2).unwrap()));
        assert!(!owned.contains(borrowed.suffix(1).unwrap()));
        let range = wire.as_wire().as_ptr_range();
        for ancestor in borrowed.ancestors() {
            assert!(
                range.contains(&ancestor.as_wire().as_ptr()),
                "{ancestor} copied"
            );
        }
        let up: Vec<String> = borrowed.ancestors().map(ToString::to_string).collect();
        assert_eq!(up, ["MAIL.example.COM.", "example.COM.", "COM.", "."]);
        assert_eq!(*parent, Name::from_ascii("mail.EXAMPLE.com.").unwrap());
        assert_eq!(parent.to_name().as_wire(), &wire.as_wire()[4..]);
        // Only whole, valid names are borrowed.
        assert!(NameRef::from_wire(&wire.as_wire()[..5]).is_none());
        assert!(NameRef::from_wire(&[3, b'c', b'o', b'm', 0, 0]).is_none());
        assert!(NameRef::root().is_root() && NameRef::root().parent().is_none());
    }

    #[test]
    fn a_suffix_keeps_the_last_labels_and_a_parent_drops_the_first() {
        let name = Name::from_ascii("www.Shop.example.com.").unwrap();
        let shown = |n: Option<&NameRef>| n.map(|n| n.to_string());
        assert_eq!(shown(name.suffix(2)).as_deref(), Some("example.com."));
        assert_eq!(shown(name.suffix(3)).as_deref(), Some("Shop.example.com."));
        assert_eq!(
            shown(name.suffix(4)).as_deref(),
            Some("www.Shop.example.com.")
        );
        assert_eq!(shown(name.suffix(0)).as_deref(), Some("."));
        assert_eq!(shown(name.suffix(5)), None);
        assert_eq!(
            parent_wire(name.as_wire()),
            Some(Name::from_ascii("Shop.example.com.").unwrap().as_wire())
        );
        assert_eq!(parent_wire(Name::root().as_wire()), None);
        assert_eq!(parent_wire(&[]), None);
    }

    #[test]
    fn ancestors_go_up_to_the_root() {
        let name = Name::from_ascii("www.Shop.example.").unwrap();
        let up: Vec<String> = name.ancestors().map(ToString::to_string).collect();
        assert_eq!(up, ["Shop.example.", "example.", "."]);
        assert_eq!(Name::root().ancestors().count(), 0);
    }

    #[test]
    fn case_folding_lowers_ascii_letters_only() {
        let all: Vec<u8> = (0..=255u8).collect();
        for chunk in all.chunks(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let folded = fold_case(u64::from_le_bytes(word)).to_le_bytes();
            let expected: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(folded.as_slice(), expected.as_slice(), "{chunk:?}");
        }
    }

    #[test]
    fn names_equal_ignoring_case_hash_alike() {
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        let hash = |text: &str| state.hash_one(Name::from_ascii(text).unwrap());
        assert_eq!(
            hash("MiXeD-Case.Example.ORG."),
            hash("mixed-case.example.org.")
        );
        assert_eq!(
            hash("a-twenty-four-octet-lbl.x."),
            hash("A-TWENTY-FOUR-OCTET-LBL.X.")
        );
        assert_ne!(hash("a.example."), hash("b.example."));
        // The zeros padding the last word do not make a shorter form hash as a longer one.
        let wire_hash = |wire: &[u8]| {
            let mut hasher = state.build_hasher();
            hash_wire(wire, &mut hasher);
            std::hash::Hasher::finish(&hasher)
        };
        assert_ne!(wire_hash(b"\x01a\x00"), wire_hash(b"\x01a\x00\x00"));
        // Every length of form, so that each octet is hashed in a whole sixteen, a whole
        // word of the rest and a part word: upper case hashes as lower, and each octet
        // counts.
        for len in 1..=63 {
            let label: String = "AbCdEfGhIjKlMnOpQrStUvWxYz"
                .chars()
                .cycle()
                .take(len)
                .collect();
            let upper = Name::from_ascii(&format!("{label}.")).unwrap();
            let lower = Name::from_ascii(&format!("{}.", label.to_ascii_lowercase())).unwrap();
            assert_eq!(
                wire_hash(upper.as_wire()),
                wire_hash(lower.as_wire()),
                "{len}"
            );
            for at in 1..=len {
                let mut other = upper.as_wire().to_vec();
                if let Some(octet) = other.get_mut(at) {
                    *octet = b'-';
                }
                assert_ne!(
                    wire_hash(&other),
                    wire_hash(upper.as_wire()),
                    "{len} at {at}"
                );
            }
        }
    }

    #[test]
    fn canonical_keys_sort_as_canonical_cmp() {
        let names: Vec<Name> = [
            ".",
            "example.",
            "a.example.",
            "yljkjljk.a.example.",
            "Z.a.example.",
            "zABC.a.EXAMPLE.",
            "z.example.",
            "\\001.z.example.",
            "*.z.example.",
            "\\200.z.example.",
            "\\000.z.example.",
            "\\000\\000.z.example.",
            "\\001\\000.z.example.",
            "a\\000.example.",
            "a.",
            "ab.",
            "a\\001b.",
        ]
        .iter()
        .map(|text| Name::from_ascii(text).unwrap())
        .collect();
        for a in &names {
            for b in &names {
                assert_eq!(
                    a.canonical_key().cmp(&b.canonical_key()),
                    a.canonical_cmp(b),
                    "{a} vs {b}"
                );
            }
        }
    }

    /// Every window of every name's key below each origin, of every size up to past the
    /// key's end, is the key's octets after the origin's and zeros after them.
    #[test]
    fn canonical_key_windows_are_the_key_s_octets() {
        let names = [
            "example.",
            "a.b.c.example.",
            "Www.Shop-1.EXAMPLE.",
            "\\000a\\001.\\001\\000.example.",
            "a234567890123456789012345678901234567890.example.",
            "other.test.",
        ];
        let origins = [".", "example.", "EXAMPLE.", "c.example.", "shop-1.example."];
        for text in names {
            let name = Name::from_ascii(text).unwrap();
            let key = name.canonical_key();
            for origin in origins.map(|origin| Name::from_ascii(origin).unwrap()) {
                let skip = if name.is_at_or_below(&origin) {
                    origin.canonical_key().len()
                } else {
                    0
                };
                for size in 0..=key.len() + 3 {
                    let mut window = vec![0xee; size];
                    name.canonical_key_window(&origin, &mut window);
                    let expected: Vec<u8> = (skip..skip + size)
                        .map(|at| key.get(at).copied().unwrap_or(0))
                        .collect();
                    assert_eq!(window, expected, "{text} below {origin}, {size} octets");
                }
            }
        }
    }

    fn origin() -> Name {
        Name::from_ascii("example.com.").unwrap()
    }

    #[test]
    fn parses_absolute_relative_and_at() {
        assert_eq!(
            Name::parse(b"www.example.com.", None).unwrap().to_string(),
            "www.example.com."
        );
        assert_eq!(
            Name::parse(b"www", Some(&origin())).unwrap().to_string(),
            "www.example.com."
        );
        assert_eq!(
            Name::parse(b"@", Some(&origin())).unwrap().to_string(),
            "example.com."
        );
        assert_eq!(Name::parse(b".", None).unwrap().to_string(), ".");
    }

    #[test]
    fn escaped_dot_stays_inside_its_label() {
        let name = Name::parse(b"a\\.b.example.", None).unwrap();
        assert_eq!(name.labels().next().unwrap(), b"a.b");
        assert_eq!(name.label_count(), 2);
        assert_eq!(name.to_string(), "a\\.b.example.");
        let name = Name::parse(b"a\\046b.example.", None).unwrap();
        assert_eq!(name.labels().next().unwrap(), b"a.b");
    }

    #[test]
    fn every_octet_is_written_so_that_it_reads_back() {
        // Runs of plain bytes with every kind of escape between them.
        let name = Name::parse(b"ab\\.cd\\\"e\\032f\\@\\$\\(\\)\\;\\\\g\\127.x.", None).unwrap();
        assert_eq!(
            name.to_string(),
            "ab\\.cd\\\"e\\032f\\@\\$\\(\\)\\;\\\\g\\127.x."
        );
        for first in (0u8..=255).step_by(63) {
            let label: Vec<u8> = (first..=first.saturating_add(62)).collect();
            let mut wire = vec![u8::try_from(label.len()).unwrap()];
            wire.extend(&label);
            wire.push(0);
            let name = Name::from_wire(&wire).unwrap();
            let text = name.to_string();
            let back = Name::parse(text.as_bytes(), None).unwrap();
            assert_eq!(back.as_wire(), &wire[..], "{text}");
        }
    }

    #[test]
    fn plain_names_are_written_whole_and_others_from_their_start() {
        // The longest name there is (255 octets of wire form), every octet plain.
        let labels = [
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61),
        ];
        let text = format!("{}.", labels.join("."));
        let name = Name::parse(text.as_bytes(), None).unwrap();
        assert_eq!(name.as_wire().len(), MAX_NAME_LEN);
        assert_eq!(name.to_string(), text);
        assert_eq!(Name::root().to_string(), ".");
        // Plain labels, then one with an escape: written once, from the first label.
        for text in ["x.y.a\\.b.", "x.y.a\\032b.", "x\\@.y."] {
            let name = Name::parse(text.as_bytes(), None).unwrap();
            assert_eq!(name.to_string(), text);
        }
        let mut written = String::from("kept ");
        write_wire_name(&[1, b'x', 1, b'y', 0], &mut written).unwrap();
        assert_eq!(written, "kept x.y.");
    }

    #[test]
    fn names_are_written_as_label_by_label() {
        // Label by label, each escaped as it needs: what the one pass must agree with.
        let by_label = |wire: &[u8]| {
            let mut text = String::new();
            for label in Name::labels_of(wire) {
                write_label(label, &mut text).unwrap();
                text.push('.');
            }
            if text.is_empty() {
                text.push('.');
            }
            text
        };
        let mut wires: Vec<Vec<u8>> = Vec::new();
        // Every octet in a label of one and in the middle of a longer one, before and
        // after other labels; labels as long as a printable octet (46 is a dot, 36 a
        // dollar sign); a wire form cut short, and one with octets after its end.
        for b in 0..=255u8 {
            wires.push(vec![1, b, 0]);
            wires.push(vec![3, b'a', b, b'z', 2, b'n', b'e', 0]);
            wires.push(vec![2, b'x', b'y', 1, b, 0]);
        }
        for len in [33u8, 34, 36, 40, 41, 46, 59, 63] {
            let mut wire = vec![1, b'w', len];
            wire.extend(std::iter::repeat_n(b'q', usize::from(len)));
            wire.push(0);
            wires.push(wire);
        }
        wires.push(vec![2, b'a', b'b', 3, b'c']);
        wires.push(vec![2, b'a', b'b', 0, 7, b'x']);
        wires.push(vec![0, 1, b'x', 0]);
        wires.push(Vec::new());
        let mut plain = 0;
        for wire in &wires {
            let mut written = String::from(">");
            write_wire_name(wire, &mut written).unwrap();
            assert_eq!(written, format!(">{}", by_label(wire)), "{wire:?}");
            plain += usize::from(plain_text(wire, &mut [b'a'; PLAIN_ROOM]).is_some());
        }
        // The names of printable octets other than the eight escaped (three names
        // each), the long labels and the root (the one with a length octet after its
        // end is written the slow way).
        assert_eq!(plain, 3 * (0x7e - 0x21 + 1 - 8) + 8 + 1);
    }

    #[test]
    fn decimal_escapes() {
        let name = Name::parse(b"\\000\\255x.", None).unwrap();
        assert_eq!(name.as_wire(), &[3, 0, 255, b'x', 0]);
        assert_eq!(name.to_string(), "\\000\\255x.");
        assert!(matches!(
            Name::parse(b"\\256.", None),
            Err(NameError::BadEscape { offset: 0, len: 4 })
        ));
        assert!(matches!(
            Name::parse(b"a\\", None),
            Err(NameError::BadEscape { .. })
        ));
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(matches!(
            Name::parse(b"a..b.", None),
            Err(NameError::EmptyLabel { offset: 2 })
        ));
        assert!(matches!(
            Name::parse(b".a.", None),
            Err(NameError::EmptyLabel { offset: 0 })
        ));
        assert_eq!(Name::parse(b"www", None), Err(NameError::NoOrigin));
        let long = [b'a'; 64];
        assert!(matches!(
            Name::parse(&long, Some(&origin())),
            Err(NameError::LabelTooLong { octets: 64, .. })
        ));
        let many = "abcdefghi.".repeat(26);
        assert!(matches!(
            Name::parse(many.as_bytes(), None),
            Err(NameError::NameTooLong { .. })
        ));
    }

    #[test]
    fn comparisons_ignore_case() {
        let a = Name::from_ascii("WWW.Example.COM.").unwrap();
        let b = Name::from_ascii("www.example.com.").unwrap();
        assert_eq!(a, b);
        assert!(a.is_at_or_below(&origin()));
        assert!(!origin().is_at_or_below(&a));
        assert!(Name::from_ascii("xexample.com.")
            .unwrap()
            .is_at_or_below(&Name::from_ascii("com.").unwrap()));
        assert!(!Name::from_ascii("xexample.com.")
            .unwrap()
            .is_at_or_below(&origin()));
        assert_eq!(a.parent().unwrap(), origin());
    }

    #[test]
    fn canonical_order_is_rfc4034() {
        let mut names: Vec<Name> = [
            "z.example.",
            "a.example.",
            "example.",
            "\\001.z.example.",
            "*.z.example.",
            "yljkjljk.a.example.",
        ]
        .iter()
        .map(|n| Name::from_ascii(n).unwrap())
        .collect();
        names.sort();
        let printed: Vec<String> = names.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            [
                "example.",
                "a.example.",
                "yljkjljk.a.example.",
                "z.example.",
                "\\001.z.example.",
                "*.z.example."
            ]
        );
    }
}
