//! A bounds-checked reader over wire-format RDATA, shared by the presentation writer, the
//! `\#` validator and the typed views.

use crate::name::wire_name_len;

/// Reads fields off the front of a wire buffer; every read returns `None` past the end.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader at the start of `wire`.
    pub(crate) fn new(wire: &'a [u8]) -> Self {
        Self { rest: wire }
    }

    /// Whether every octet was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// How many octets are left.
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// The next `len` octets.
    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let head = self.rest.get(..len)?;
        self.rest = self.rest.get(len..)?;
        Some(head)
    }

    /// Everything that is left.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }

    /// One octet.
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(first)
    }

    /// A big-endian `u16`.
    pub(crate) fn u16(&mut self) -> Option<u16> {
        let bytes = self.bytes(2)?;
        Some(u16::from_be_bytes(bytes.try_into().ok()?))
    }

    /// A big-endian `u32`.
    pub(crate) fn u32(&mut self) -> Option<u32> {
        let bytes = self.bytes(4)?;
        Some(u32::from_be_bytes(bytes.try_into().ok()?))
    }

    /// A fixed-size array.
    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }

    /// An uncompressed, well-formed, absolute domain name.
    pub(crate) fn name(&mut self) -> Option<&'a [u8]> {
        let len = wire_name_len(self.rest)?;
        self.bytes(len)
    }

    /// A `<character-string>`: a length octet and that many octets.
    pub(crate) fn char_string(&mut self) -> Option<&'a [u8]> {
        let len = self.u8()?;
        self.bytes(usize::from(len))
    }
}
