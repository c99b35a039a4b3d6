//! `file:` URIs to paths and back (RFC 8089), as editors write them.

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

/// The path a `file:` URI names; `None` for any other scheme (`untitled:`, a remote
/// file), which is linted without a config or `$INCLUDE`s.
#[must_use]
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme_end = text.find(':')?;
    if !text.get(..scheme_end)?.eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = text.get(scheme_end + 1..)?;
    // `file:///path` and `file://localhost/path`: the authority names this machine.
    let path = match rest.strip_prefix("//") {
        Some(after) => after.get(after.find('/')?..)?,
        None => rest,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/zones/x.zone` is `C:/zones/x.zone`.
        let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
        if trimmed.as_bytes().get(1) == Some(&b':') {
            return Some(PathBuf::from(trimmed));
        }
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path; `None` when the path is relative or the result is
/// not a URI.
#[must_use]
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    if !text.starts_with('/') && text.as_bytes().get(1) != Some(&b':') {
        return None;
    }
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8 text.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(value) = escaped {
            decoded.push(value);
            at += 3;
        } else {
            decoded.push(byte);
            at += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn file_uris_name_paths() {
        assert_eq!(
            to_path(&uri("file:///zones/caf%C3%A9%20x.zone")),
            Some(PathBuf::from("/zones/café x.zone"))
        );
        assert_eq!(
            to_path(&uri("file://localhost/db.example.com")),
            Some(PathBuf::from("/db.example.com"))
        );
        assert_eq!(to_path(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn paths_round_trip() {
        let path = Path::new("/zones/café x#1.zone");
        let made = from_path(path).unwrap();
        assert_eq!(made.as_str(), "file:///zones/caf%C3%A9%20x%231.zone");
        assert_eq!(to_path(&made).as_deref(), Some(path));
        assert_eq!(from_path(Path::new("relative.zone")), None);
    }
}
