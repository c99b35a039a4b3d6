//! SPF records (RFC 7208 §4–§7, ABNF in §12; reporting modifiers from RFC 6652).
//!
//! [`parse`] classifies the version (§4.5: exactly `v=spf1` then a space or the end; near
//! misses are kept apart so a rule can say "looks like SPF but will not be selected"),
//! then reads every term: mechanisms with their qualifier, domain-spec and CIDR lengths,
//! modifiers, and the macro language of §7. Type-99 SPF records are read the same way.
//!
//! What makes a receiver return permerror is marked by [`SpfProblemKind::is_permerror`];
//! everything else is advice for the rules (terms after `all`, unknown modifiers, …).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use zonelint_zone::Span;

use super::{nearest, Problem, RecordText, TextRange};

/// How the start of a TXT record relates to `v=spf1` (RFC 7208 §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpfVersion {
    /// Exactly `v=spf1`, then a space or the end: selected by every receiver.
    Exact,
    /// `v=spf1` in another case (`V=SPF1`): the ABNF is case-insensitive but §4.5's prose
    /// says "exactly", and implementations differ.
    CaseVariant,
    /// Looks like SPF but no receiver selects it.
    NearMiss(NearMiss),
    /// Sender ID (`spf2.0/pra`, `spf2.0/mfrom`, RFC 4406): obsolete, not SPF.
    SenderId,
    /// Not an SPF record at all (including `v=spf10` and other versions).
    NotSpf,
}

impl SpfVersion {
    /// Whether at least some receivers take the record as SPF.
    #[must_use]
    pub fn is_selected(self) -> bool {
        matches!(self, SpfVersion::Exact | SpfVersion::CaseVariant)
    }
}

/// The ways a record can look like SPF without being selected (RFC 7208 §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearMiss {
    /// Whitespace before `v=spf1`.
    LeadingWhitespace,
    /// `v=spf1` followed by something other than a space: `v=spf1;`, `v=spf1,`,
    /// `v=spf1a`, a tab.
    BadSeparator,
    /// Spaces inside the version: `v=spf 1`, `v = spf1`.
    SpacedVersion,
    /// The version without `v=`: `spf1 mx -all`, `spf=1`.
    MissingTag,
}

/// A mechanism's qualifier (RFC 7208 §4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// `+`: pass (the default).
    Pass,
    /// `-`: fail.
    Fail,
    /// `~`: softfail.
    SoftFail,
    /// `?`: neutral.
    Neutral,
}

impl Qualifier {
    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            b'+' => Some(Qualifier::Pass),
            b'-' => Some(Qualifier::Fail),
            b'~' => Some(Qualifier::SoftFail),
            b'?' => Some(Qualifier::Neutral),
            _ => None,
        }
    }

    /// The qualifier character.
    #[must_use]
    pub fn as_char(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

/// A CIDR prefix length as written (`/24`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The prefix length.
    pub length: u8,
    /// Where `/24` is written (slash included).
    pub span: Span,
}

/// The optional IPv4 and IPv6 prefix lengths of `a` and `mx` (`a/24//64`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DualCidr {
    /// The IPv4 prefix length, 0–32.
    pub ip4: Option<Cidr>,
    /// The IPv6 prefix length, 0–128.
    pub ip6: Option<Cidr>,
}

/// The [`DualCidr`] of an `a` or `mx` mechanism, kept out of line: most have none, and
/// every SPF term (a record keeps a list of them for the whole lint) is as large as the
/// largest mechanism. Reads as a `DualCidr` (`cidr.ip4`), with no lengths when none is
/// written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CidrPair(Option<Box<DualCidr>>);

/// What a [`CidrPair`] without lengths reads as.
static NO_CIDR: DualCidr = DualCidr {
    ip4: None,
    ip6: None,
};

impl CidrPair {
    /// `cidr`, boxed only when it holds a length.
    #[must_use]
    pub fn new(cidr: DualCidr) -> Self {
        Self((cidr.ip4.is_some() || cidr.ip6.is_some()).then(|| Box::new(cidr)))
    }
}

impl std::ops::Deref for CidrPair {
    type Target = DualCidr;

    fn deref(&self) -> &DualCidr {
        self.0.as_deref().unwrap_or(&NO_CIDR)
    }
}

/// A macro letter (RFC 7208 §7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacroLetter {
    /// `s`: the sender.
    Sender,
    /// `l`: the sender's local-part.
    LocalPart,
    /// `o`: the sender's domain.
    SenderDomain,
    /// `d`: the current domain.
    Domain,
    /// `i`: the client IP.
    Ip,
    /// `p`: the validated client name ("do not use").
    ValidatedName,
    /// `v`: `in-addr` or `ip6`.
    IpVersion,
    /// `h`: the HELO domain.
    Helo,
    /// `c`: the readable client IP (only in `exp` text).
    ClientIp,
    /// `r`: the receiving domain (only in `exp` text).
    Receiver,
    /// `t`: the timestamp (only in `exp` text).
    Timestamp,
}

impl MacroLetter {
    fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte.to_ascii_lowercase() {
            b's' => MacroLetter::Sender,
            b'l' => MacroLetter::LocalPart,
            b'o' => MacroLetter::SenderDomain,
            b'd' => MacroLetter::Domain,
            b'i' => MacroLetter::Ip,
            b'p' => MacroLetter::ValidatedName,
            b'v' => MacroLetter::IpVersion,
            b'h' => MacroLetter::Helo,
            b'c' => MacroLetter::ClientIp,
            b'r' => MacroLetter::Receiver,
            b't' => MacroLetter::Timestamp,
            _ => return None,
        })
    }

    /// Whether §7.2 allows this letter only in explanation text.
    #[must_use]
    pub fn is_exp_only(self) -> bool {
        matches!(
            self,
            MacroLetter::ClientIp | MacroLetter::Receiver | MacroLetter::Timestamp
        )
    }
}

/// One macro in a macro-string (RFC 7208 §7.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Macro {
    /// `%{…}`: a letter, transformers and delimiters.
    Expand {
        /// The letter.
        letter: MacroLetter,
        /// Written in upper case (the expansion is URL-escaped).
        url_escape: bool,
        /// The number of right-hand parts to keep.
        digits: Option<u32>,
        /// `r`: reverse the parts.
        reverse: bool,
        /// The delimiters, as written (empty means `.`).
        delimiters: String,
        /// Where the whole `%{…}` is written.
        span: Span,
    },
    /// `%%`: a literal percent sign.
    Percent(Span),
    /// `%_`: a space.
    Space(Span),
    /// `%-`: an URL-encoded space (`%20`).
    EncodedSpace(Span),
}

impl Macro {
    /// Where the macro is written.
    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Macro::Expand { span, .. }
            | Macro::Percent(span)
            | Macro::Space(span)
            | Macro::EncodedSpace(span) => *span,
        }
    }
}

/// A macro-string or domain-spec as written, with its macros (RFC 7208 §7.1).
///
/// Like every part of a parsed record, it keeps its range in the record's joined text
/// and reads its text and span from there when asked: records are kept for a whole lint
/// (half a million SPF terms in a large zone), and the slices and spans beside the
/// ranges made each term half again as large.
#[derive(Clone)]
pub struct MacroString<'a> {
    /// The record text the range is in.
    record: &'a RecordText,
    /// Its range in the joined record text.
    pub range: TextRange,
    /// Every macro in it, in order.
    pub macros: Macros,
}

/// The macros of a [`MacroString`], read as a slice (`spec.macros.iter()`): one word,
/// nothing allocated for none, where a boxed slice is two words in every domain-spec
/// of every SPF term kept for a lint (most have no macro).
#[derive(Clone, Default, PartialEq, Eq)]
#[expect(
    clippy::box_collection,
    reason = "one word in every kept term, where a boxed slice would be two"
)]
pub struct Macros(Option<Box<Vec<Macro>>>);

impl Macros {
    /// `macros`, with no allocation for none.
    #[must_use]
    pub fn new(mut macros: Vec<Macro>) -> Self {
        if macros.is_empty() {
            return Self(None);
        }
        macros.shrink_to_fit();
        Self(Some(Box::new(macros)))
    }
}

impl std::ops::Deref for Macros {
    type Target = [Macro];

    fn deref(&self) -> &[Macro] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl fmt::Debug for Macros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> MacroString<'a> {
    /// The text (decoded octets; ASCII unless a non-ASCII problem was reported).
    #[must_use]
    pub fn text(&self) -> &'a [u8] {
        self.record.bytes_of(self.range)
    }

    /// Where it is written.
    #[must_use]
    pub fn span(&self) -> Span {
        self.record.span_of(self.range)
    }

    /// The text as a string (lossy for the non-ASCII octets that make a record invalid).
    #[must_use]
    pub fn to_text(&self) -> String {
        String::from_utf8_lossy(self.text()).into_owned()
    }

    /// Whether it contains any `%{…}` expansion.
    #[must_use]
    pub fn has_expansions(&self) -> bool {
        self.macros
            .iter()
            .any(|m| matches!(m, Macro::Expand { .. }))
    }
}

/// A mechanism (RFC 7208 §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism<'a> {
    /// `all`.
    All,
    /// `include:<domain-spec>`.
    Include(MacroString<'a>),
    /// `a[:<domain-spec>][/<ip4-cidr>][//<ip6-cidr>]`.
    A {
        /// The target, if given (the current domain otherwise).
        domain: Option<MacroString<'a>>,
        /// The prefix lengths.
        cidr: CidrPair,
    },
    /// `mx[:<domain-spec>][/<ip4-cidr>][//<ip6-cidr>]`.
    Mx {
        /// The target, if given.
        domain: Option<MacroString<'a>>,
        /// The prefix lengths.
        cidr: CidrPair,
    },
    /// `ptr[:<domain-spec>]`.
    Ptr(Option<MacroString<'a>>),
    /// `ip4:<address>[/<length>]`.
    Ip4 {
        /// The network address.
        address: Ipv4Addr,
        /// The prefix length, if written (32 otherwise).
        cidr: Option<Cidr>,
    },
    /// `ip6:<address>[/<length>]`.
    Ip6 {
        /// The network address.
        address: Ipv6Addr,
        /// The prefix length, if written (128 otherwise).
        cidr: Option<Cidr>,
    },
    /// `exists:<domain-spec>`.
    Exists(MacroString<'a>),
}

impl Mechanism<'_> {
    /// The mechanism's name as RFC 7208 spells it.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Mechanism::All => "all",
            Mechanism::Include(_) => "include",
            Mechanism::A { .. } => "a",
            Mechanism::Mx { .. } => "mx",
            Mechanism::Ptr(_) => "ptr",
            Mechanism::Ip4 { .. } => "ip4",
            Mechanism::Ip6 { .. } => "ip6",
            Mechanism::Exists(_) => "exists",
        }
    }

    /// Whether evaluating it costs a DNS lookup toward the limit of 10 (§4.6.4).
    #[must_use]
    pub fn counts_lookup(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }

    /// The domain-spec it names, if any.
    #[must_use]
    pub fn domain(&self) -> Option<&MacroString<'_>> {
        match self {
            Mechanism::Include(d) | Mechanism::Exists(d) => Some(d),
            Mechanism::A { domain, .. } | Mechanism::Mx { domain, .. } | Mechanism::Ptr(domain) => {
                domain.as_ref()
            }
            Mechanism::All | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => None,
        }
    }
}

/// A directive: an optional qualifier and a mechanism.
#[derive(Clone)]
pub struct Directive<'a> {
    /// The qualifier as written, if any (`+` applies otherwise).
    pub qualifier: Option<Qualifier>,
    /// The mechanism.
    pub mechanism: Mechanism<'a>,
    /// The mechanism name's range in the joined record text (its term's: see
    /// [`Term::name`]; no reference of its own to the text, which its term holds).
    pub name_range: TextRange,
}

impl Directive<'_> {
    /// The qualifier in force: the written one, or `+`.
    #[must_use]
    pub fn effective_qualifier(&self) -> Qualifier {
        self.qualifier.unwrap_or(Qualifier::Pass)
    }
}

/// Which modifier a `name=value` term is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModifierName {
    /// `redirect=` (§6.1).
    Redirect,
    /// `exp=` (§6.2).
    Exp,
    /// `ra=`: the local-part that receives reports (RFC 6652 §3).
    ReportAddress,
    /// `rp=`: the percentage of failures to report (RFC 6652 §3).
    ReportPercent,
    /// `rr=`: which failures to report (RFC 6652 §3).
    ReportRequest,
    /// Any other name: ignored by receivers (§6).
    Unknown,
}

/// A modifier, `name=value` (RFC 7208 §6).
#[derive(Clone)]
pub struct Modifier<'a> {
    /// Which modifier.
    pub kind: ModifierName,
    /// The name's range in the joined record text (empty for `=x`).
    pub name_range: TextRange,
    /// The value (its record text is the name's too).
    pub value: MacroString<'a>,
}

impl<'a> Modifier<'a> {
    /// The name as written.
    #[must_use]
    pub fn name(&self) -> &'a [u8] {
        self.value.record.bytes_of(self.name_range)
    }

    /// Where the name is written (the `=` of a modifier without a name).
    #[must_use]
    pub fn name_span(&self) -> Span {
        self.value
            .record
            .span(name_or_equals(self.name_range.range()))
    }
}

/// Where a modifier's name, at `range` in the record, is shown: the name, or the `=`
/// just after it when it is empty (`=all`).
fn name_or_equals(range: Range<usize>) -> Range<usize> {
    if range.is_empty() {
        range.start..range.start + 1
    } else {
        range
    }
}

/// What one space-separated term is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermKind<'a> {
    /// A mechanism with its qualifier.
    Directive(Directive<'a>),
    /// A modifier.
    Modifier(Modifier<'a>),
    /// A term that is neither (its problems say why).
    Invalid,
}

/// One term of the record, as written.
#[derive(Clone)]
pub struct Term<'a> {
    /// What it is.
    pub kind: TermKind<'a>,
    /// The record text the range is in.
    record: &'a RecordText,
    /// Its range in the joined record text.
    pub range: TextRange,
}

impl<'a> Term<'a> {
    /// The whole term's text.
    #[must_use]
    pub fn text(&self) -> &'a [u8] {
        self.record.bytes_of(self.range)
    }

    /// Where it is written (across strings, if a join falls inside it).
    #[must_use]
    pub fn span(&self) -> Span {
        self.record.span_of(self.range)
    }

    /// The mechanism or modifier name as written (`Include`, `redirect`; empty for
    /// `=x`), `None` for an invalid term.
    #[must_use]
    pub fn name(&self) -> Option<&'a [u8]> {
        match &self.kind {
            TermKind::Directive(directive) => Some(self.record.bytes_of(directive.name_range)),
            TermKind::Modifier(modifier) => Some(modifier.name()),
            TermKind::Invalid => None,
        }
    }

    /// Where the mechanism or modifier name is written ([`Modifier::name_span`] for a
    /// modifier), `None` for an invalid term.
    #[must_use]
    pub fn name_span(&self) -> Option<Span> {
        match &self.kind {
            TermKind::Directive(directive) => Some(self.record.span_of(directive.name_range)),
            TermKind::Modifier(modifier) => Some(modifier.name_span()),
            TermKind::Invalid => None,
        }
    }
}

read_as!(MacroString {
    text: [text()],
    range: [range],
    span: [span()],
    macros: [macros],
});

read_as!(Directive {
    qualifier: [qualifier],
    mechanism: [mechanism],
    name_range: [name_range],
});

read_as!(Modifier {
    kind: [kind],
    name: [name()],
    name_span: [name_span()],
    value: [value],
});

read_as!(Term {
    kind: [kind],
    text: [text()],
    range: [range],
    span: [span()],
});

/// Reasons a domain-spec is not a usable domain (RFC 7208 §4.3, §4.8, §7.1, §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainSpecError {
    /// Nothing after the `:` or `=`.
    Empty,
    /// No `.` before the last label (`a:localhost`, `include:museum.`): the ABNF wants
    /// `"." toplabel` at the end.
    SingleLabel,
    /// The last label is not a valid top label: all digits, or starting or ending with `-`.
    InvalidTopLabel,
    /// An IP address where a domain is expected (`a:192.0.2.1`).
    IpAddress,
    /// An empty label (`a..b.example`).
    EmptyLabel,
    /// A label over 63 octets.
    LabelTooLong,
    /// The name is over 253 characters before macro expansion.
    NameTooLong,
}

impl DomainSpecError {
    /// Whether the §12 ABNF rejects it (so receivers return permerror). Empty and long
    /// labels are ABNF-legal; what a receiver does with them is undefined (§4.8).
    #[must_use]
    pub fn is_syntax_error(self) -> bool {
        matches!(
            self,
            DomainSpecError::Empty
                | DomainSpecError::SingleLabel
                | DomainSpecError::InvalidTopLabel
                | DomainSpecError::IpAddress
        )
    }
}

/// Reasons a macro is invalid (RFC 7208 §7.1–§7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacroError {
    /// `%` not followed by `{`, `%`, `_` or `-`.
    BadPercent,
    /// `%{` with no closing `}`.
    Unterminated,
    /// An unknown letter in `%{…}`.
    UnknownLetter,
    /// Something other than digits, `r` and delimiters after the letter.
    BadTransformer,
    /// A digit transformer of zero (§7.3: it MUST be nonzero).
    ZeroDigits,
    /// `c`, `r` or `t` outside `exp` text (§7.2).
    ExpOnlyLetter,
}

/// What is wrong in an SPF record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpfProblemKind {
    /// SPF008: the record looks like SPF but will not be selected, or uses another case.
    VersionMalformed(NearMiss),
    /// SPF008 (warning): `V=SPF1` and other case variants.
    VersionCase,
    /// SPF030: octets outside 7-bit ASCII.
    NonAscii,
    /// SPF009: a separator other than a space (a tab, …) between terms.
    BadWhitespace,
    /// SPF009: a term that is neither a mechanism nor a modifier (`~all;`, `,`).
    InvalidTerm,
    /// SPF009: an unknown mechanism name; `suggestion` is a near-miss fix such as
    /// `redirect=` for `redirect:x`.
    UnknownMechanism {
        /// A likely intended spelling.
        suggestion: Option<&'static str>,
    },
    /// SPF009: a qualifier on a modifier (`-exp=x`).
    QualifiedModifier,
    /// SPF009: an argument the mechanism does not take (`all:x`, `ptr/24`).
    UnexpectedArgument,
    /// SPF009: a required argument is missing (`include`, bare `ip4`).
    MissingArgument,
    /// SPF009: an ip4/ip6 network that is not an address of that family.
    InvalidAddress,
    /// SPF009: a CIDR length that is malformed (`/`, `/024`, `/x`) or out of range.
    InvalidCidr {
        /// The largest length allowed here (32 or 128).
        max: u8,
    },
    /// SPF009: a modifier name that does not start with a letter or has other characters.
    InvalidModifierName,
    /// SPF031 (SPF009 when it is a syntax error): a domain-spec that is not a usable domain.
    DomainSpec(DomainSpecError),
    /// SPF016: a macro error.
    Macro(MacroError),
    /// SPF012: `redirect` or `exp` a second time; `first` is the earlier one.
    DuplicateModifier {
        /// Where the first one is written.
        first: Span,
    },
    /// SPF013: an unknown modifier, ignored by receivers.
    UnknownModifier {
        /// The nearest known modifier name, if plausibly a typo.
        suggestion: Option<&'static str>,
    },
    /// SPF009 (advisory): an RFC 6652 `ra`/`rp`/`rr` value that is not valid.
    ReportModifierValue,
    /// SPF010: a mechanism after `all`, never evaluated.
    MechanismAfterAll {
        /// Where the `all` is written.
        all: Span,
    },
    /// SPF033: a second `all`.
    RepeatedAll {
        /// Where the first `all` is written.
        first: Span,
    },
}

impl SpfProblemKind {
    /// Whether a receiver returns permerror for a record with this problem (§4.6, §12).
    #[must_use]
    pub fn is_permerror(&self) -> bool {
        match self {
            SpfProblemKind::NonAscii
            | SpfProblemKind::BadWhitespace
            | SpfProblemKind::InvalidTerm
            | SpfProblemKind::UnknownMechanism { .. }
            | SpfProblemKind::QualifiedModifier
            | SpfProblemKind::UnexpectedArgument
            | SpfProblemKind::MissingArgument
            | SpfProblemKind::InvalidAddress
            | SpfProblemKind::InvalidCidr { .. }
            | SpfProblemKind::InvalidModifierName
            | SpfProblemKind::Macro(_)
            | SpfProblemKind::DuplicateModifier { .. } => true,
            SpfProblemKind::DomainSpec(error) => error.is_syntax_error(),
            SpfProblemKind::VersionMalformed(_)
            | SpfProblemKind::VersionCase
            | SpfProblemKind::UnknownModifier { .. }
            | SpfProblemKind::ReportModifierValue
            | SpfProblemKind::MechanismAfterAll { .. }
            | SpfProblemKind::RepeatedAll { .. } => false,
        }
    }

    /// The rule code this problem maps to.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            SpfProblemKind::VersionMalformed(_) | SpfProblemKind::VersionCase => "SPF008",
            SpfProblemKind::NonAscii => "SPF030",
            SpfProblemKind::Macro(_) => "SPF016",
            SpfProblemKind::DuplicateModifier { .. } => "SPF012",
            SpfProblemKind::UnknownModifier { .. } => "SPF013",
            SpfProblemKind::MechanismAfterAll { .. } => "SPF010",
            SpfProblemKind::RepeatedAll { .. } => "SPF033",
            SpfProblemKind::DomainSpec(DomainSpecError::Empty) => "SPF009",
            SpfProblemKind::DomainSpec(_) => "SPF031",
            _ => "SPF009",
        }
    }
}

/// A problem in an SPF record.
pub type SpfProblem = Problem<SpfProblemKind>;

/// How a join between two character-strings falls in an SPF record (RFC 7208 §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinPlacement {
    /// Next to a space (or at the record's start or end): harmless.
    AtSeparator,
    /// Inside the version word (`"v=spf" "1 -all"` is fine, `"v=spf1" "-all"` reads as
    /// `v=spf1-all` and is not selected); [`SpfRecord::version`] tells which.
    InsideVersion,
    /// Inside a term that is still valid, and the later part does not start a term of
    /// its own: harmless but fragile (`"…include:_spf.exa" "mple.com …"`).
    InsideTerm {
        /// The index of the term in [`SpfRecord::terms`].
        term: usize,
    },
    /// Inside a term that has a problem: the join produced an invalid token.
    InvalidToken {
        /// The index of the term.
        term: usize,
    },
    /// Two terms glued into one: the later string starts what reads as a term of its own
    /// (`"… include:a.example" "include:b.example"` becomes `include:a.exampleinclude:b.example`).
    MergedTerms {
        /// The index of the merged term.
        term: usize,
    },
}

/// A join point of the record and where it falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpfJoin {
    /// The join.
    pub join: super::JoinPoint,
    /// Its placement.
    pub placement: JoinPlacement,
    /// An empty span at the join: the end of the earlier string's content.
    pub span: Span,
}

/// A parsed SPF record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpfRecord<'a> {
    /// How the record's start relates to `v=spf1`.
    pub version: SpfVersion,
    /// Where the version is written (the first word, or an empty span).
    pub version_span: Span,
    /// The terms, in order (empty when the record is not selected). Boxed slices, as
    /// the joins: a parsed record is not added to, and is kept for a whole lint.
    pub terms: Box<[Term<'a>]>,
    /// Each join between character-strings and where it falls.
    pub joins: Box<[SpfJoin]>,
}

impl<'a> SpfRecord<'a> {
    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = (&Term<'a>, &Directive<'a>)> {
        self.terms.iter().filter_map(|term| match &term.kind {
            TermKind::Directive(directive) => Some((term, directive)),
            _ => None,
        })
    }

    /// The modifiers, in order.
    pub fn modifiers(&self) -> impl Iterator<Item = (&Term<'a>, &Modifier<'a>)> {
        self.terms.iter().filter_map(|term| match &term.kind {
            TermKind::Modifier(modifier) => Some((term, modifier)),
            _ => None,
        })
    }

    /// The first term whose span holds `span` (a problem's, a name's): each term's span
    /// is worked out once.
    #[must_use]
    pub fn term_holding(&self, span: Span) -> Option<&Term<'a>> {
        self.terms.iter().find(|term| term.span().contains(span))
    }

    /// The first term written exactly at `span` (a problem about a whole term).
    #[must_use]
    pub fn term_at(&self, span: Span) -> Option<&Term<'a>> {
        self.terms.iter().find(|term| term.span() == span)
    }

    /// The first `all` directive, if any.
    #[must_use]
    pub fn all(&self) -> Option<(&Term<'a>, &Directive<'a>)> {
        self.directives()
            .find(|(_, d)| matches!(d.mechanism, Mechanism::All))
    }

    /// The first `redirect=` modifier, if any.
    #[must_use]
    pub fn redirect(&self) -> Option<&Modifier<'a>> {
        self.modifiers()
            .map(|(_, m)| m)
            .find(|m| m.kind == ModifierName::Redirect)
    }

    /// The first `exp=` modifier, if any.
    #[must_use]
    pub fn exp(&self) -> Option<&Modifier<'a>> {
        self.modifiers()
            .map(|(_, m)| m)
            .find(|m| m.kind == ModifierName::Exp)
    }
}

/// Classifies the start of a record's text (RFC 7208 §4.5).
#[must_use]
pub fn classify_version(text: &[u8]) -> SpfVersion {
    let prefix = text.get(..6).unwrap_or(text);
    let after = text.get(6).copied();
    if prefix == b"v=spf1" && matches!(after, None | Some(b' ')) {
        return SpfVersion::Exact;
    }
    if prefix.eq_ignore_ascii_case(b"v=spf1") {
        return match after {
            None | Some(b' ') => SpfVersion::CaseVariant,
            // `v=spf10`, `v=spf12`: a different version, not a near miss (§4.5's example).
            Some(b'0'..=b'9') => SpfVersion::NotSpf,
            Some(_) => SpfVersion::NearMiss(NearMiss::BadSeparator),
        };
    }
    // Every test below reads at most the first 16 bytes lower-cased (most texts that get
    // here are not SPF at all: DKIM keys, DMARC records, site verifications).
    let mut buffer = [0; super::SHORT_WORD];
    let lower = super::lowered_prefix(text, &mut buffer);
    if lower.starts_with(b"spf2.0/") {
        return SpfVersion::SenderId;
    }
    let trimmed_start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    if trimmed_start > 0 {
        let rest = text.get(trimmed_start..).unwrap_or_default();
        let version = rest
            .get(..6)
            .is_some_and(|v| v.eq_ignore_ascii_case(b"v=spf1"));
        if version && !matches!(rest.get(6), Some(b'0'..=b'9')) {
            return SpfVersion::NearMiss(NearMiss::LeadingWhitespace);
        }
        return SpfVersion::NotSpf;
    }
    // Squeeze out spaces around `=` and between `spf` and `1`.
    let mut squeezed = [0; super::SHORT_WORD];
    let mut squeezed_len = 0;
    for &byte in lower.iter().filter(|&&byte| byte != b' ') {
        if let Some(slot) = squeezed.get_mut(squeezed_len) {
            *slot = byte;
            squeezed_len += 1;
        }
    }
    let squeezed = squeezed.get(..squeezed_len).unwrap_or_default();
    if squeezed.starts_with(b"v=spf1") && !matches!(squeezed.get(6), Some(b'0'..=b'9')) {
        return SpfVersion::NearMiss(NearMiss::SpacedVersion);
    }
    // A version without its `v=` (or with another separator), not followed by another
    // digit (`spf=12` is some other version, as `v=spf12` is).
    let missing_tag = [&b"spf1"[..], b"spf=1", b"v:spf1"]
        .into_iter()
        .find(|prefix| lower.starts_with(prefix));
    if let Some(prefix) = missing_tag {
        if !matches!(lower.get(prefix.len()), Some(b'0'..=b'9')) {
            return SpfVersion::NearMiss(NearMiss::MissingTag);
        }
    }
    SpfVersion::NotSpf
}

/// Parses one SPF record (a TXT or type-99 record's joined text). Terms are read only
/// when the version is selected ([`SpfVersion::is_selected`]).
#[must_use]
pub fn parse(text: &RecordText) -> (SpfRecord<'_>, Vec<SpfProblem>) {
    let bytes = text.as_bytes();
    let version = classify_version(bytes);
    let leading = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let version_span = if version == SpfVersion::NotSpf {
        text.span(0..0)
    } else {
        let end = bytes
            .iter()
            .skip(leading)
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |p| p + leading);
        text.span(leading..end)
    };
    let mut parser = SpfParser {
        text,
        bytes,
        problems: Vec::new(),
        terms: Vec::new(),
    };
    match version {
        SpfVersion::NearMiss(miss) => {
            parser.push(SpfProblemKind::VersionMalformed(miss), version_span);
        }
        SpfVersion::CaseVariant => parser.push(SpfProblemKind::VersionCase, text.span(0..6)),
        _ => {}
    }
    if version.is_selected() {
        parser.non_ascii(6);
        parser.terms(6);
        parser.check_order();
    }
    let SpfParser {
        mut problems,
        terms,
        ..
    } = parser;
    let joins = classify_joins(text, &terms, &problems);
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    (
        SpfRecord {
            version,
            version_span,
            terms: terms.into_boxed_slice(),
            joins: joins.into_boxed_slice(),
        },
        problems,
    )
}

/// Parses explanation text, the TXT record an `exp=` domain points at (RFC 7208 §6.2):
/// a macro-string in which `c`, `r` and `t` are allowed.
#[must_use]
pub fn parse_explanation(text: &RecordText) -> (MacroString<'_>, Vec<SpfProblem>) {
    let mut parser = SpfParser {
        text,
        bytes: text.as_bytes(),
        problems: Vec::new(),
        terms: Vec::new(),
    };
    parser.non_ascii(0);
    let string = parser.macro_string(0..text.len(), true);
    (string, parser.problems)
}

/// Whether the record has a syntax error that makes receivers return permerror.
#[must_use]
pub fn is_permerror(problems: &[SpfProblem]) -> bool {
    problems.iter().any(|p| p.kind.is_permerror())
}

struct SpfParser<'a> {
    text: &'a RecordText,
    bytes: &'a [u8],
    problems: Vec<SpfProblem>,
    terms: Vec<Term<'a>>,
}

const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];
const MODIFIERS: [&str; 5] = ["redirect", "exp", "ra", "rp", "rr"];

impl<'a> SpfParser<'a> {
    fn push(&mut self, kind: SpfProblemKind, span: Span) {
        self.problems.push(Problem::new(kind, span));
    }

    fn push_range(&mut self, kind: SpfProblemKind, range: Range<usize>) {
        let span = self.text.span(range);
        self.push(kind, span);
    }

    fn slice(&self, range: Range<usize>) -> &'a [u8] {
        self.bytes.get(range).unwrap_or_default()
    }

    /// Reports each run of non-ASCII octets once (§3; pyspf test spec 3.1/1).
    fn non_ascii(&mut self, from: usize) {
        let mut at = from;
        while at < self.bytes.len() {
            if self.bytes.get(at).is_some_and(|b| !b.is_ascii()) {
                let end = self
                    .bytes
                    .iter()
                    .skip(at)
                    .position(u8::is_ascii)
                    .map_or(self.bytes.len(), |p| p + at);
                self.push_range(SpfProblemKind::NonAscii, at..end);
                at = end;
            } else {
                at += 1;
            }
        }
    }

    /// Splits at spaces (1*SP, §4.6.1) and reads each term.
    fn terms(&mut self, from: usize) {
        // One term per word: the list is made to size (records are kept for a whole
        // lint, and one grown a term at a time was reallocated, then shrunk, each time).
        let words = self
            .bytes
            .get(from..)
            .unwrap_or_default()
            .split(|&b| b == b' ')
            .filter(|word| !word.is_empty())
            .count();
        self.terms.reserve_exact(words);
        let mut at = from;
        let len = self.bytes.len();
        while at < len {
            if self.bytes.get(at) == Some(&b' ') {
                at += 1;
                continue;
            }
            let end = self
                .bytes
                .iter()
                .skip(at)
                .position(|&b| b == b' ')
                .map_or(len, |p| p + at);
            self.term(at..end);
            at = end;
        }
    }

    fn term(&mut self, range: Range<usize>) {
        let kind = self.term_kind(range.clone());
        self.terms.push(Term {
            kind,
            record: self.text,
            range: range.into(),
        });
    }

    fn term_kind(&mut self, range: Range<usize>) -> TermKind<'a> {
        let start = range.start;
        let end = range.end;
        // Whitespace other than SP inside a term: the record is not 1*SP separated.
        if let Some(p) = self
            .slice(range.clone())
            .iter()
            .position(|b| b.is_ascii_whitespace())
        {
            self.push_range(SpfProblemKind::BadWhitespace, start + p..start + p + 1);
            return TermKind::Invalid;
        }
        let qualifier = self
            .bytes
            .get(start)
            .copied()
            .and_then(Qualifier::from_byte);
        let name_start = start + usize::from(qualifier.is_some());
        let name_end = self
            .bytes
            .iter()
            .take(end)
            .skip(name_start)
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
            .map_or(end, |p| p + name_start);
        let name = self.slice(name_start..name_end);
        match self.bytes.get(name_end).copied().filter(|_| name_end < end) {
            Some(b'=') => {
                if qualifier.is_some() {
                    self.push_range(SpfProblemKind::QualifiedModifier, start..start + 1);
                }
                self.modifier(name_start..name_end, name_end + 1..end)
            }
            // A lone qualifier (`-`), or one before `:`/`/`: nothing to name.
            None | Some(b':' | b'/') if name.is_empty() => {
                self.push_range(SpfProblemKind::InvalidTerm, range);
                TermKind::Invalid
            }
            None | Some(b':' | b'/') => self.directive(qualifier, name_start..name_end, end),
            Some(_) if name.is_empty() => {
                self.push_range(SpfProblemKind::InvalidTerm, range);
                TermKind::Invalid
            }
            Some(_) => {
                // `~all;`, `mx,`: a known name followed by junk is reported at the junk.
                if MECHANISMS
                    .iter()
                    .any(|m| m.as_bytes().eq_ignore_ascii_case(name))
                {
                    self.push_range(SpfProblemKind::InvalidTerm, name_end..end);
                } else {
                    self.push_range(SpfProblemKind::InvalidTerm, range);
                }
                TermKind::Invalid
            }
        }
    }

    fn directive(
        &mut self,
        qualifier: Option<Qualifier>,
        name_range: Range<usize>,
        end: usize,
    ) -> TermKind<'a> {
        let name = self.slice(name_range.clone());
        let name_end = name_range.end;
        let mut buffer = [0; super::SHORT_WORD];
        let lower = super::lowered(name, &mut buffer);
        let arg_start = name_end;
        let has_colon = self.bytes.get(arg_start) == Some(&b':') && arg_start < end;
        let mechanism = match lower {
            b"all" => {
                if arg_start < end {
                    self.push_range(SpfProblemKind::UnexpectedArgument, arg_start..end);
                }
                Some(Mechanism::All)
            }
            b"include" | b"exists" => {
                if !has_colon {
                    self.push_range(SpfProblemKind::MissingArgument, name_range.clone());
                    if arg_start < end {
                        self.push_range(SpfProblemKind::UnexpectedArgument, arg_start..end);
                    }
                    None
                } else {
                    let domain = self.domain_spec(arg_start + 1..end, false);
                    Some(if lower == b"include" {
                        Mechanism::Include(domain)
                    } else {
                        Mechanism::Exists(domain)
                    })
                }
            }
            b"a" | b"mx" => {
                let (domain_range, cidr_start) = split_cidr(self.bytes, arg_start, end);
                let domain = if has_colon {
                    Some(self.domain_spec(arg_start + 1..domain_range.end, false))
                } else {
                    None
                };
                let cidr = CidrPair::new(self.dual_cidr(cidr_start..end));
                Some(if lower == b"a" {
                    Mechanism::A { domain, cidr }
                } else {
                    Mechanism::Mx { domain, cidr }
                })
            }
            b"ptr" => {
                if has_colon {
                    Some(Mechanism::Ptr(Some(
                        self.domain_spec(arg_start + 1..end, false),
                    )))
                } else {
                    if arg_start < end {
                        self.push_range(SpfProblemKind::UnexpectedArgument, arg_start..end);
                    }
                    Some(Mechanism::Ptr(None))
                }
            }
            b"ip4" | b"ip6" => self.ip(
                lower == b"ip4",
                name_range.clone(),
                arg_start,
                has_colon,
                end,
            ),
            _ => {
                let word = String::from_utf8_lossy(name);
                let suggestion = if has_colon {
                    // `redirect:x`, `exp:x`: a modifier written with a colon.
                    nearest(&word, &MODIFIERS)
                        .filter(|m| matches!(*m, "redirect" | "exp"))
                        .map(|m| if m == "redirect" { "redirect=" } else { "exp=" })
                        .or_else(|| nearest(&word, &MECHANISMS))
                } else {
                    nearest(&word, &MECHANISMS)
                };
                self.push_range(
                    SpfProblemKind::UnknownMechanism { suggestion },
                    name_range.clone(),
                );
                None
            }
        };
        match mechanism {
            Some(mechanism) => TermKind::Directive(Directive {
                qualifier,
                mechanism,
                name_range: name_range.into(),
            }),
            None => TermKind::Invalid,
        }
    }

    fn ip(
        &mut self,
        v4: bool,
        name_range: Range<usize>,
        arg_start: usize,
        has_colon: bool,
        end: usize,
    ) -> Option<Mechanism<'a>> {
        if !has_colon {
            self.push_range(SpfProblemKind::MissingArgument, name_range);
            if arg_start < end {
                self.push_range(SpfProblemKind::UnexpectedArgument, arg_start..end);
            }
            return None;
        }
        let address_start = arg_start + 1;
        let slash = self
            .bytes
            .iter()
            .take(end)
            .skip(address_start)
            .position(|&b| b == b'/')
            .map_or(end, |p| p + address_start);
        let address_text = self.slice(address_start..slash);
        let max = if v4 { 32 } else { 128 };
        let cidr = if slash < end {
            self.cidr(slash..end, max)
        } else {
            None
        };
        let text = std::str::from_utf8(address_text).unwrap_or("");
        if address_text.is_empty() {
            self.push_range(SpfProblemKind::MissingArgument, arg_start..address_start);
            return None;
        }
        if v4 {
            if let Ok(address) = text.parse::<Ipv4Addr>() {
                return Some(Mechanism::Ip4 { address, cidr });
            }
        } else if let Ok(address) = text.parse::<Ipv6Addr>() {
            return Some(Mechanism::Ip6 { address, cidr });
        }
        self.push_range(SpfProblemKind::InvalidAddress, address_start..slash);
        None
    }

    /// One `/N` of at most `max`, without leading zeros (§12 `ip4-cidr-length`).
    fn cidr(&mut self, range: Range<usize>, max: u8) -> Option<Cidr> {
        let digits = self.slice(range.start + 1..range.end);
        let well_formed = !digits.is_empty()
            && digits.len() <= 3
            && digits.iter().all(u8::is_ascii_digit)
            && !(digits.len() > 1 && digits.first() == Some(&b'0'));
        let value = if well_formed {
            digits.iter().try_fold(0u16, |n, &d| {
                n.checked_mul(10)?.checked_add(u16::from(d - b'0'))
            })
        } else {
            None
        };
        match value
            .and_then(|v| u8::try_from(v).ok())
            .filter(|&v| v <= max)
        {
            Some(length) => Some(Cidr {
                length,
                span: self.text.span(range),
            }),
            None => {
                self.push_range(SpfProblemKind::InvalidCidr { max }, range);
                None
            }
        }
    }

    /// `[/ip4][//ip6]` (§12 `dual-cidr-length`).
    fn dual_cidr(&mut self, range: Range<usize>) -> DualCidr {
        let mut cidr = DualCidr::default();
        if range.is_empty() {
            return cidr;
        }
        let part = self.slice(range.clone());
        let double = part
            .windows(2)
            .position(|w| w == b"//")
            .map(|p| p + range.start);
        let ip4_end = double.unwrap_or(range.end);
        if range.start < ip4_end {
            cidr.ip4 = self.cidr(range.start..ip4_end, 32);
        }
        if let Some(double) = double {
            cidr.ip6 = self.cidr(double + 1..range.end, 128);
            if cidr.ip6.is_some() {
                if let Some(ip6) = cidr.ip6.as_mut() {
                    ip6.span = self.text.span(double..range.end);
                }
            }
        }
        cidr
    }

    fn modifier(&mut self, name_range: Range<usize>, value: Range<usize>) -> TermKind<'a> {
        let name = self.slice(name_range.clone());
        // Problems of the name are shown where `Modifier::name_span` shows it.
        let name_span = name_or_equals(name_range.clone());
        let valid_name = name.first().is_some_and(u8::is_ascii_alphabetic);
        if !valid_name {
            self.push_range(SpfProblemKind::InvalidModifierName, name_span.clone());
        }
        let kind = match super::lowered(name, &mut [0; super::SHORT_WORD]) {
            b"redirect" => ModifierName::Redirect,
            b"exp" => ModifierName::Exp,
            b"ra" => ModifierName::ReportAddress,
            b"rp" => ModifierName::ReportPercent,
            b"rr" => ModifierName::ReportRequest,
            _ => ModifierName::Unknown,
        };
        let value = match kind {
            ModifierName::Redirect => self.domain_spec(value, false),
            // `c`, `r` and `t` are for the explanation text the exp domain points at,
            // not for the domain-spec itself (pyspf test `exp-only-macro-char`).
            ModifierName::Exp => self.domain_spec(value, false),
            _ => self.macro_string(value, false),
        };
        match kind {
            ModifierName::Unknown if valid_name => {
                let word = String::from_utf8_lossy(name);
                let suggestion = nearest(&word, &MODIFIERS)
                    .or_else(|| nearest(&word, &MECHANISMS).filter(|m| m.len() > 2));
                self.push_range(SpfProblemKind::UnknownModifier { suggestion }, name_span);
            }
            ModifierName::ReportAddress
            | ModifierName::ReportPercent
            | ModifierName::ReportRequest
                if !report_value_valid(kind, value.text()) =>
            {
                self.push(SpfProblemKind::ReportModifierValue, value.span());
            }
            _ => {}
        }
        TermKind::Modifier(Modifier {
            kind,
            name_range: name_range.into(),
            value,
        })
    }

    /// A domain-spec: a macro-string that ends in `.toplabel` or a macro (§12).
    fn domain_spec(&mut self, range: Range<usize>, in_exp: bool) -> MacroString<'a> {
        let spec = self.macro_string(range.clone(), in_exp);
        if range.is_empty() {
            let span = self.text.span(range.start.saturating_sub(1)..range.start);
            self.push(SpfProblemKind::DomainSpec(DomainSpecError::Empty), span);
            return spec;
        }
        if let Some((error, error_range)) = domain_end_error(self.bytes, &range, &spec) {
            self.push_range(SpfProblemKind::DomainSpec(error), error_range);
        }
        spec
    }

    /// A macro-string (§7.1): literals and macros.
    fn macro_string(&mut self, range: Range<usize>, in_exp: bool) -> MacroString<'a> {
        let mut macros = Vec::new();
        let mut at = range.start;
        while at < range.end {
            let Some(&byte) = self.bytes.get(at) else {
                break;
            };
            if byte != b'%' {
                // Non-ASCII is reported once by `non_ascii`; controls never reach here
                // (they are whitespace or not, and anything else visible is a literal).
                if byte.is_ascii_control() {
                    self.push_range(SpfProblemKind::InvalidTerm, at..at + 1);
                }
                at += 1;
                continue;
            }
            match self.bytes.get(at + 1).filter(|_| at + 1 < range.end) {
                Some(b'%') => {
                    macros.push(Macro::Percent(self.text.span(at..at + 2)));
                    at += 2;
                }
                Some(b'_') => {
                    macros.push(Macro::Space(self.text.span(at..at + 2)));
                    at += 2;
                }
                Some(b'-') => {
                    macros.push(Macro::EncodedSpace(self.text.span(at..at + 2)));
                    at += 2;
                }
                Some(b'{') => {
                    let close = self
                        .bytes
                        .iter()
                        .take(range.end)
                        .skip(at + 2)
                        .position(|&b| b == b'}')
                        .map(|p| p + at + 2);
                    let Some(close) = close else {
                        self.push_range(
                            SpfProblemKind::Macro(MacroError::Unterminated),
                            at..range.end,
                        );
                        break;
                    };
                    if let Some(expand) = self.macro_expand(at..close + 1, in_exp) {
                        macros.push(expand);
                    }
                    at = close + 1;
                }
                Some(_) => {
                    self.push_range(SpfProblemKind::Macro(MacroError::BadPercent), at..at + 2);
                    at += 2;
                }
                None => {
                    self.push_range(SpfProblemKind::Macro(MacroError::BadPercent), at..at + 1);
                    at += 1;
                }
            }
        }
        MacroString {
            record: self.text,
            range: range.into(),
            macros: Macros::new(macros),
        }
    }

    /// `%{` letter *DIGIT ["r"] *delimiter `}`.
    fn macro_expand(&mut self, range: Range<usize>, in_exp: bool) -> Option<Macro> {
        let span = self.text.span(range.clone());
        let body = self.slice(range.start + 2..range.end - 1);
        let Some((&letter_byte, rest)) = body.split_first() else {
            self.push(SpfProblemKind::Macro(MacroError::UnknownLetter), span);
            return None;
        };
        let Some(letter) = MacroLetter::from_byte(letter_byte) else {
            self.push(SpfProblemKind::Macro(MacroError::UnknownLetter), span);
            return None;
        };
        if letter.is_exp_only() && !in_exp {
            self.push(SpfProblemKind::Macro(MacroError::ExpOnlyLetter), span);
        }
        let digit_count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (digit_text, rest) = rest.split_at(digit_count);
        let digits = if digit_text.is_empty() {
            None
        } else {
            let value = digit_text.iter().try_fold(0u32, |n, &d| {
                n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
            });
            match value {
                Some(0) => {
                    self.push(SpfProblemKind::Macro(MacroError::ZeroDigits), span);
                    return None;
                }
                Some(v) => Some(v),
                None => {
                    self.push(SpfProblemKind::Macro(MacroError::BadTransformer), span);
                    return None;
                }
            }
        };
        let (reverse, rest) = match rest.split_first() {
            Some((b'r' | b'R', tail)) => (true, tail),
            _ => (false, rest),
        };
        if !rest
            .iter()
            .all(|b| matches!(b, b'.' | b'-' | b'+' | b',' | b'/' | b'_' | b'='))
        {
            self.push(SpfProblemKind::Macro(MacroError::BadTransformer), span);
            return None;
        }
        Some(Macro::Expand {
            letter,
            url_escape: letter_byte.is_ascii_uppercase(),
            digits,
            reverse,
            delimiters: String::from_utf8_lossy(rest).into_owned(),
            span,
        })
    }

    /// Flags mechanisms after `all` and duplicate `redirect`/`exp`. The first `all`,
    /// `redirect` and `exp` are kept as terms, and their spans found only for a
    /// problem: nearly every record has an `all` and no problem of order.
    fn check_order(&mut self) {
        let mut all: Option<&Term<'a>> = None;
        let mut redirect: Option<&Term<'a>> = None;
        let mut exp: Option<&Term<'a>> = None;
        let mut found = Vec::new();
        for term in &self.terms {
            match &term.kind {
                TermKind::Directive(directive) => match (all, &directive.mechanism) {
                    (None, Mechanism::All) => all = Some(term),
                    (Some(first), Mechanism::All) => {
                        found.push(Problem::new(
                            SpfProblemKind::RepeatedAll {
                                first: first.span(),
                            },
                            term.span(),
                        ));
                    }
                    (Some(all), _) => {
                        found.push(Problem::new(
                            SpfProblemKind::MechanismAfterAll { all: all.span() },
                            term.span(),
                        ));
                    }
                    (None, _) => {}
                },
                TermKind::Modifier(modifier) => {
                    let slot = match modifier.kind {
                        ModifierName::Redirect => &mut redirect,
                        ModifierName::Exp => &mut exp,
                        _ => continue,
                    };
                    match slot {
                        Some(first) => found.push(Problem::new(
                            SpfProblemKind::DuplicateModifier {
                                first: first.span(),
                            },
                            term.span(),
                        )),
                        None => *slot = Some(term),
                    }
                }
                TermKind::Invalid => {}
            }
        }
        self.problems.extend(found);
    }
}

/// Splits an `a`/`mx` argument into the domain part and where the CIDR suffix starts.
/// The suffix is matched at the end, `[/digits][//digits]`, as receivers do: a `/`
/// earlier in the domain-spec is a macro-literal (`a:foo:bar/baz.example.com`, §7.1).
/// Without a domain-spec, everything after the name is the suffix.
fn split_cidr(bytes: &[u8], start: usize, end: usize) -> (Range<usize>, usize) {
    if bytes.get(start) != Some(&b':') {
        return (start..start, start);
    }
    let trailing_digits = |to: usize| {
        bytes
            .get(start..to)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut cut = end;
    let digits = trailing_digits(cut);
    if digits > 0
        && cut - digits >= start + 2
        && bytes.get(cut - digits - 2..cut - digits) == Some(b"//")
    {
        cut -= digits + 2;
    }
    let digits = trailing_digits(cut);
    if digits > 0
        && cut - digits > start + 1
        && bytes.get(cut - digits - 1) == Some(&b'/')
        && bytes.get(cut - digits - 2) != Some(&b'/')
    {
        cut -= digits + 1;
    }
    (start..cut, cut)
}

/// Checks the end of a domain-spec (§12 `domain-end`) and the name's shape (§4.3, §4.8).
fn domain_end_error(
    bytes: &[u8],
    range: &Range<usize>,
    spec: &MacroString<'_>,
) -> Option<(DomainSpecError, Range<usize>)> {
    let text = bytes.get(range.clone()).unwrap_or_default();
    // A domain-spec that ends in a macro-expand is fine whatever it expands to.
    if let Some(last) = spec.macros.last() {
        if last.span().end == spec.span().end {
            return None;
        }
    }
    let trimmed = text.strip_suffix(b".").unwrap_or(text);
    if !spec.macros.is_empty() {
        // Labels before the last may be built by macros; only the top label is fixed.
        let top_start = trimmed.iter().rposition(|&b| b == b'.').map(|p| p + 1)?;
        let top = trimmed.get(top_start..).unwrap_or_default();
        if top.contains(&b'}') || top.contains(&b'%') {
            return None;
        }
        return (!valid_top_label(top)).then(|| {
            (
                DomainSpecError::InvalidTopLabel,
                range.start + top_start..range.start + top_start + top.len(),
            )
        });
    }
    if std::str::from_utf8(trimmed)
        .ok()
        .is_some_and(|s| s.parse::<Ipv4Addr>().is_ok() || s.parse::<Ipv6Addr>().is_ok())
    {
        return Some((DomainSpecError::IpAddress, range.clone()));
    }
    let Some(top_start) = trimmed.iter().rposition(|&b| b == b'.').map(|p| p + 1) else {
        return Some((DomainSpecError::SingleLabel, range.clone()));
    };
    let top = trimmed.get(top_start..).unwrap_or_default();
    if !valid_top_label(top) {
        return Some((
            DomainSpecError::InvalidTopLabel,
            range.start + top_start..range.start + top_start + top.len(),
        ));
    }
    let mut label_start = 0;
    for label in trimmed.split(|&b| b == b'.') {
        let label_range = range.start + label_start..range.start + label_start + label.len();
        if label.is_empty() {
            let at = label_range.start;
            return Some((
                DomainSpecError::EmptyLabel,
                at.saturating_sub(1).max(range.start)..at + 1,
            ));
        }
        if label.len() > 63 {
            return Some((DomainSpecError::LabelTooLong, label_range));
        }
        label_start += label.len() + 1;
    }
    if trimmed.len() > 253 {
        return Some((DomainSpecError::NameTooLong, range.clone()));
    }
    None
}

/// `toplabel = (*alphanum ALPHA *alphanum) / (1*alphanum "-" *(alphanum / "-") alphanum)`.
fn valid_top_label(label: &[u8]) -> bool {
    let (Some(first), Some(last)) = (label.first(), label.last()) else {
        return false;
    };
    if !label
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        return false;
    }
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return false;
    }
    label.iter().any(u8::is_ascii_alphabetic) || label.contains(&b'-')
}

/// RFC 6652 §3: `ra=` a local-part, `rp=` 0–100, `rr=` a `:`-list of `all e f s n`.
fn report_value_valid(kind: ModifierName, value: &[u8]) -> bool {
    match kind {
        ModifierName::ReportAddress => {
            !value.is_empty()
                && value
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"!#$&'*+-/=?^_`{|}~.".contains(&b))
        }
        ModifierName::ReportPercent => {
            !value.is_empty()
                && value.len() <= 3
                && value.iter().all(u8::is_ascii_digit)
                && std::str::from_utf8(value)
                    .ok()
                    .and_then(|s| s.parse::<u16>().ok())
                    .is_some_and(|v| v <= 100)
        }
        ModifierName::ReportRequest => value.split(|&b| b == b':').all(|part| {
            ["all", "e", "f", "s", "n"]
                .iter()
                .any(|t| t.as_bytes().eq_ignore_ascii_case(part))
        }),
        _ => true,
    }
}

/// Where each join falls (RFC 7208 §3.3): next to a space, inside a valid term, inside
/// an invalid one, or gluing two terms together.
fn classify_joins(text: &RecordText, terms: &[Term<'_>], problems: &[SpfProblem]) -> Vec<SpfJoin> {
    let bytes = text.as_bytes();
    text.joins()
        .into_iter()
        .map(|join| {
            let at = join.offset;
            let span = text.span(at..at);
            let span = text.pieces().get(join.before).map_or(span, |p| {
                let end = p.content_span().end;
                Span::new(p.source, end, end)
            });
            let inside = terms.iter().position(|t| t.range.strictly_contains(at));
            let version_end = bytes.iter().position(|&b| b == b' ').unwrap_or(bytes.len());
            let placement = match inside {
                None if at <= version_end && bytes.get(at) != Some(&b' ') => {
                    JoinPlacement::InsideVersion
                }
                None => JoinPlacement::AtSeparator,
                Some(index) => {
                    let term = terms.get(index);
                    let later = bytes
                        .get(at..term.map_or(at, |t| t.range.range().end))
                        .unwrap_or_default();
                    if starts_like_term(later) {
                        JoinPlacement::MergedTerms { term: index }
                    } else if term.is_some_and(|t| {
                        matches!(t.kind, TermKind::Invalid) || {
                            let span = t.span();
                            problems
                                .iter()
                                .any(|p| p.kind.is_permerror() && span.contains(p.span))
                        }
                    }) {
                        JoinPlacement::InvalidToken { term: index }
                    } else {
                        JoinPlacement::InsideTerm { term: index }
                    }
                }
            };
            SpfJoin {
                join,
                placement,
                span,
            }
        })
        .collect()
}

/// Whether `text` begins like an SPF term of its own: an optional qualifier and a
/// mechanism name followed by `:`, `/` or the end, or a known modifier name and `=`.
fn starts_like_term(text: &[u8]) -> bool {
    let body = match text.first() {
        Some(b'+' | b'-' | b'~' | b'?') => text.get(1..).unwrap_or_default(),
        _ => text,
    };
    let name_len = body
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let (name, rest) = body.split_at(name_len);
    let mut buffer = [0; super::SHORT_WORD];
    let lower = super::lowered(name, &mut buffer);
    let next = rest.first();
    let mechanism = MECHANISMS.iter().any(|m| m.as_bytes() == lower)
        && matches!(next, None | Some(b':' | b'/'))
        // A lone `a` or `mx` after a join is more often the end of a word.
        && (lower.len() > 2 || next.is_some());
    let modifier = MODIFIERS.iter().any(|m| m.as_bytes() == lower) && next == Some(&b'=');
    mechanism || modifier
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.length)
    }
}

impl fmt::Display for DualCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(ip4) = self.ip4 {
            write!(f, "/{}", ip4.length)?;
        }
        if let Some(ip6) = self.ip6 {
            write!(f, "//{}", ip6.length)?;
        }
        Ok(())
    }
}

impl fmt::Display for MacroString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.text()))
    }
}

impl fmt::Display for Mechanism<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self {
            Mechanism::All => Ok(()),
            Mechanism::Include(d) | Mechanism::Exists(d) => write!(f, ":{d}"),
            Mechanism::A { domain, cidr } | Mechanism::Mx { domain, cidr } => {
                if let Some(domain) = domain {
                    write!(f, ":{domain}")?;
                }
                write!(f, "{}", **cidr)
            }
            Mechanism::Ptr(domain) => match domain {
                Some(domain) => write!(f, ":{domain}"),
                None => Ok(()),
            },
            Mechanism::Ip4 { address, cidr } => {
                write!(f, ":{address}")?;
                cidr.map_or(Ok(()), |c| write!(f, "{c}"))
            }
            Mechanism::Ip6 { address, cidr } => {
                write!(f, ":{address}")?;
                cidr.map_or(Ok(()), |c| write!(f, "{c}"))
            }
        }
    }
}

impl fmt::Display for Term<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TermKind::Directive(directive) => {
                if let Some(qualifier) = directive.qualifier {
                    write!(f, "{}", qualifier.as_char())?;
                }
                write!(f, "{}", directive.mechanism)
            }
            TermKind::Modifier(modifier) => write!(
                f,
                "{}={}",
                String::from_utf8_lossy(modifier.name()).to_ascii_lowercase(),
                modifier.value
            ),
            TermKind::Invalid => f.write_str(&String::from_utf8_lossy(self.text())),
        }
    }
}

/// Renders the record canonically: `v=spf1`, then each term after one space, mechanism
/// and modifier names in lower case.
impl fmt::Display for SpfRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for term in &self.terms {
            write!(f, " {term}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "spf_tests.rs"]
mod tests;
