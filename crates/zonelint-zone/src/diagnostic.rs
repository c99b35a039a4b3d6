//! The project's diagnostic model, shared by every crate.
//!
//! A [`Diagnostic`] is plain data: what is wrong (a [`Code`] and a message), where (a
//! primary [`Span`] and related spans), why and what to do (a help line) and, where one
//! exists, a [`Fix`]. Rendering (miette, JSON, SARIF, LSP) happens at the edge, in the
//! binary; nothing here knows about terminals or formats.

use crate::name::Name;
use crate::source::SourceId;

/// A half-open byte range `[start, end)` in one source.
///
/// Offsets are `u32`: the parser refuses inputs over 4 GiB (PARSE012), so every offset fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The source (file) the offsets refer to.
    pub source: SourceId,
    /// Offset of the first byte.
    pub start: u32,
    /// Offset just past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` in `source`.
    #[must_use]
    pub const fn new(source: SourceId, start: u32, end: u32) -> Self {
        Self { source, start, end }
    }

    /// Length in bytes.
    #[must_use]
    pub const fn len(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both (they must be in the same source; otherwise `self`).
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        if self.source != other.source {
            return self;
        }
        Span::new(
            self.source,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }

    /// Whether `other` lies within this span (the same source, from its start to its end).
    #[must_use]
    pub fn contains(self, other: Span) -> bool {
        self.source == other.source && self.start <= other.start && other.end <= self.end
    }

    /// A sub-span at `offset..offset + len` relative to this span's start, clamped to it.
    #[must_use]
    pub fn sub(self, offset: u32, len: u32) -> Span {
        let start = self.start.saturating_add(offset).min(self.end);
        let end = start.saturating_add(len).min(self.end);
        Span::new(self.source, start, end)
    }

    /// The byte range as `usize`, for slicing the source text.
    #[must_use]
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably wrong; never fails a run.
    Warning,
    /// Wrong; fails a run (exit code 1).
    Error,
}

impl Severity {
    /// The lower-case name used in every output format (`error`, `warning`, `info`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's stable identity: its code (`SPF001`) and slug (`spf-plus-all`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code {
    /// Family plus three digits, e.g. `PARSE001`.
    pub code: &'static str,
    /// Kebab-case name with the family prefix, e.g. `parse-syntax`.
    pub slug: &'static str,
}

/// Whether applying a fix can change what receivers decide today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// Cannot make mail that passes today fail; applied by `--fix`.
    Safe,
    /// Changes what is published; applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`, as printed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `content` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The bytes to replace.
    pub span: Span,
    /// The replacement text.
    pub content: String,
}

/// A machine-applicable repair: byte edits that belong together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// What the fix does, imperative ("Replace `+all` with `-all`").
    pub message: String,
    /// Non-overlapping edits, sorted by offset.
    pub edits: Vec<Edit>,
}

/// A secondary location that explains the primary one ("first SPF record here").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What it shows.
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule that found it (a reference to the rule's static code: 8 bytes of each of
    /// a large zone's half a million findings, not the 32 of two string slices).
    pub code: &'static Code,
    /// How serious it is (after configuration).
    pub severity: Severity,
    /// What is wrong, naming the name, term and numbers.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The smallest span that shows the problem.
    pub primary: Span,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// A repair, where one exists (boxed: a large zone's half a million findings are
    /// held at once, and most have none; 48 bytes of each).
    pub fix: Option<Box<Fix>>,
    /// The owner name the finding is about, where there is one.
    pub owner: Option<Name>,
}

impl Diagnostic {
    /// A diagnostic with a code, severity, message and primary span; nothing else yet.
    #[must_use]
    pub fn new(
        code: &'static Code,
        severity: Severity,
        primary: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            help: None,
            primary,
            related: Vec::new(),
            fix: None,
            owner: None,
        }
    }

    /// Adds the help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related span.
    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Names the owner the finding is about.
    #[must_use]
    pub fn with_owner(mut self, owner: Name) -> Self {
        self.owner = Some(owner);
        self
    }
}

/// The parser's own codes (rules.md, PARSE family). They cannot be suppressed.
pub mod codes {
    use super::Code;

    /// Unexpected token, unbalanced or nested parentheses, unterminated quote, junk after RDATA.
    pub const PARSE_SYNTAX: Code = Code {
        code: "PARSE001",
        slug: "parse-syntax",
    };
    /// RDATA not in its type's presentation format.
    pub const PARSE_RDATA: Code = Code {
        code: "PARSE002",
        slug: "parse-rdata",
    };
    /// Unknown type or class mnemonic.
    pub const PARSE_UNKNOWN_TYPE: Code = Code {
        code: "PARSE003",
        slug: "parse-unknown-type",
    };
    /// A character-string over 255 octets.
    pub const PARSE_TXT_TOO_LONG: Code = Code {
        code: "PARSE004",
        slug: "parse-txt-too-long",
    };
    /// A malformed domain name.
    pub const PARSE_NAME: Code = Code {
        code: "PARSE005",
        slug: "parse-name",
    };
    /// A malformed or out-of-range TTL.
    pub const PARSE_TTL: Code = Code {
        code: "PARSE006",
        slug: "parse-ttl",
    };
    /// An `$INCLUDE` that cannot or must not be read.
    pub const PARSE_INCLUDE: Code = Code {
        code: "PARSE007",
        slug: "parse-include",
    };
    /// A malformed or oversized `$GENERATE`.
    pub const PARSE_GENERATE: Code = Code {
        code: "PARSE008",
        slug: "parse-generate",
    };
    /// An unknown `$` directive.
    pub const PARSE_DIRECTIVE: Code = Code {
        code: "PARSE009",
        slug: "parse-directive",
    };
    /// A relative name with no origin, or a relative `$ORIGIN`.
    pub const PARSE_ORIGIN: Code = Code {
        code: "PARSE010",
        slug: "parse-origin",
    };
    /// A blank owner right after `$ORIGIN` or `$INCLUDE`.
    pub const PARSE_INHERITED_OWNER: Code = Code {
        code: "PARSE011",
        slug: "parse-inherited-owner",
    };
    /// A resource limit was hit.
    pub const PARSE_LIMIT: Code = Code {
        code: "PARSE012",
        slug: "parse-limit",
    };
    /// A record with no TTL and no `$TTL` in force (a ZONE rule the parser is best placed to see).
    pub const ZONE_DEFAULT_TTL: Code = Code {
        code: "ZONE022",
        slug: "zone-default-ttl",
    };

    /// Every code the parser emits, in code order.
    pub const ALL: &[Code] = &[
        PARSE_SYNTAX,
        PARSE_RDATA,
        PARSE_UNKNOWN_TYPE,
        PARSE_TXT_TOO_LONG,
        PARSE_NAME,
        PARSE_TTL,
        PARSE_INCLUDE,
        PARSE_GENERATE,
        PARSE_DIRECTIVE,
        PARSE_ORIGIN,
        PARSE_INHERITED_OWNER,
        PARSE_LIMIT,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_contains_the_spans_within_it_in_its_source() {
        let outer = Span::new(SourceId(0), 10, 20);
        for (start, end, inside) in [
            (10, 20, true),
            (12, 15, true),
            (20, 20, true),
            (9, 15, false),
            (15, 21, false),
            (0, 5, false),
        ] {
            assert_eq!(
                outer.contains(Span::new(SourceId(0), start, end)),
                inside,
                "{start}..{end}"
            );
        }
        assert!(!outer.contains(Span::new(SourceId(1), 12, 15)));
    }
}
