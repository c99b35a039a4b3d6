//! The texts of findings made by appending their pieces: [`text!`].
//!
//! The rules that report on most names (COV001, SPF037, MX006, …) make a message, a help
//! line and often a fix's text for each finding: over a million texts on the
//! 1M-record bench zone. `format!` writes each piece through the formatting machinery (a
//! call through a `dyn Write` for every piece, a name's text through its `Display`) into a
//! string whose room it guesses from the literal pieces, growing it when the names are
//! long. [`text!`] appends the same pieces straight into a string made
//! once at their whole length: the same text, in about half the instructions.

use std::sync::Arc;
use zonelint_zone::name::write_wire_name;
use zonelint_zone::{Name, NameRef};

/// A piece of a finding's text.
pub(crate) trait Piece {
    /// Octets it will take, or about that (the string's room is made from it).
    fn len_hint(&self) -> usize;
    /// Appends it to `out`.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn len_hint(&self) -> usize {
        self.len()
    }

    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn len_hint(&self) -> usize {
        self.len()
    }

    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// A name in presentation format, as its `Display` writes it (absolute, escaped).
impl Piece for NameRef {
    fn len_hint(&self) -> usize {
        // The wire form's octets: one per character of a name without escapes, and one
        // more than its text.
        self.as_wire().len()
    }

    fn push_to(&self, out: &mut String) {
        // Writing to a `String` does not fail.
        let _ = write_wire_name(self.as_wire(), out);
    }
}

impl Piece for Name {
    fn len_hint(&self) -> usize {
        self.as_name_ref().len_hint()
    }

    fn push_to(&self, out: &mut String) {
        self.as_name_ref().push_to(out);
    }
}

/// Numbers, in decimal.
macro_rules! decimal_pieces {
    ($($number:ty),+) => {$(
        impl Piece for $number {
            fn len_hint(&self) -> usize {
                4
            }

            fn push_to(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )+};
}

decimal_pieces!(u32, usize);

impl Piece for std::borrow::Cow<'_, str> {
    fn len_hint(&self) -> usize {
        self.len()
    }

    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }

    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

impl<T: Piece + ?Sized> Piece for Arc<T> {
    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }

    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// The pieces one after the other, in a string made at their length.
pub(crate) fn join(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|piece| piece.len_hint()).sum());
    for piece in pieces {
        piece.push_to(&mut out);
    }
    out
}

/// A finding's text from its pieces, in order: string slices and strings as they are,
/// names ([`Name`], [`NameRef`]) as their `Display` writes them. The same text as
/// `format!` with the pieces as its arguments, made faster (see the module).
///
/// `text!["`", term, "` in the SPF record of ", owner]`
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {
        $crate::rules::text::join(&[$(&$piece as &dyn $crate::rules::text::Piece),+])
    };
}
pub(crate) use text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_as_format_writes_them() {
        let plain = Name::from_ascii("mail.example.net.").unwrap_or_else(|_| Name::root());
        let escaped =
            Name::parse(b"a\\.b\\032c.example.net.", None).unwrap_or_else(|_| Name::root());
        let root = Name::root();
        let shared: Arc<str> = Arc::from("shared");
        let owned = String::from("owned");
        let number = 12_345usize;
        let made = text![
            "`",
            shared,
            "` at ",
            plain,
            ", ",
            escaped.as_name_ref(),
            " and ",
            &root,
            ": ",
            owned,
            " (",
            number,
            ")"
        ];
        assert_eq!(
            made,
            format!("`{shared}` at {plain}, {escaped} and {root}: {owned} ({number})")
        );
        assert!(made.contains("a\\.b\\032c.example.net."), "{made}");
        assert_eq!(text![""], "");
        for number in [0, 9, 10, u32::MAX] {
            assert_eq!(text!["(", number, ")"], format!("({number})"));
        }
        assert_eq!(text![usize::MAX], usize::MAX.to_string());
    }
}
