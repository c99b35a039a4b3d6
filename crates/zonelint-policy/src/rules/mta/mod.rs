//! MTA: SMTP transport security records, MTA-STS (RFC 8461) and TLS-RPT (RFC 8460).
//!
//! Both live at underscore names of the mail domain: `_mta-sts.<domain>` and
//! `_smtp._tls.<domain>`. Their grammars are in [`crate::grammar::mta_sts`] and
//! [`crate::grammar::tlsrpt`]; the records are few, so each rule parses them where it
//! needs them rather than in [`crate::mail`].

pub mod no_policy_host;
pub mod sts_syntax;
pub mod tlsrpt_syntax;
pub mod transport_on_nonmail;

use crate::grammar::tag_list::TagListProblemKind;
use crate::index::{NameFacts, ZoneIndex};
use crate::mail::TxtText;
use crate::rules::delegation::{is_served, places};
use crate::rules::ZoneContext;
use zonelint_zone::{Name, NameRef, RType, Span};

/// Which transport record a name is the place of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `_mta-sts.<domain>` (RFC 8461 §3.1).
    MtaSts,
    /// `_smtp._tls.<domain>` (RFC 8460 §3).
    TlsRpt,
}

impl Transport {
    /// The mail domain whose record `owner` would hold, if `owner` is such a place.
    pub(crate) fn domain_of(self, owner: &NameRef) -> Option<Name> {
        let mut labels = owner.labels();
        let first = labels.next()?;
        match self {
            Transport::MtaSts => first
                .eq_ignore_ascii_case(b"_mta-sts")
                .then(|| owner.parent())
                .flatten()
                .map(NameRef::to_name),
            Transport::TlsRpt => {
                let second = labels.next()?;
                (first.eq_ignore_ascii_case(b"_smtp") && second.eq_ignore_ascii_case(b"_tls"))
                    .then(|| owner.parent().and_then(NameRef::parent))
                    .flatten()
                    .map(NameRef::to_name)
            }
        }
    }

    /// Whether a TXT text is meant as this kind of record: it starts with the version in
    /// any case (`v=stsv1` is an attempt that senders discard).
    pub(crate) fn is_attempt(self, text: &[u8]) -> bool {
        let prefix: &[u8] = match self {
            Transport::MtaSts => b"v=sts",
            Transport::TlsRpt => b"v=tlsrpt",
        };
        text.trim_ascii_start()
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    }

    /// How the records are called in messages.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Transport::MtaSts => "MTA-STS",
            Transport::TlsRpt => "TLS-RPT",
        }
    }
}

/// One served place of a transport record in the zone: its owner's facts, the mail
/// domain, and the TXT records there, in file order.
pub(crate) struct Place<'a> {
    /// The owner (`_mta-sts.<domain>` or `_smtp._tls.<domain>`).
    pub facts: &'a NameFacts<'a>,
    /// The mail domain.
    pub domain: Name,
    /// The TXT records at the owner.
    pub texts: Vec<&'a TxtText<'a>>,
}

/// Every place of `transport` records the zone serves (below a delegation is the child's),
/// found once per lint of the zone for the rules that read them (three for MTA-STS, two
/// for TLS-RPT), each of which walked the zone's names for them.
pub(crate) fn transport_places<'a>(cx: &ZoneContext<'a>, transport: Transport) -> &'a [Place<'a>] {
    let slot = cx
        .views
        .transport_places
        .get(cx.position)
        .and_then(|slots| slots.get(transport as usize));
    match slot {
        Some(slot) => slot.get_or_init(|| find_transport_places(cx, transport)),
        None => &[],
    }
}

/// [`transport_places`], found anew.
fn find_transport_places<'a>(cx: &ZoneContext<'a>, transport: Transport) -> Vec<Place<'a>> {
    let zone: &'a ZoneIndex<'a> = cx.zone;
    let mail = cx.zone_mail();
    places(zone)
        // Both places start with an underscore label (known without reading the name).
        .filter(|(facts, place)| facts.has_underscore_label() && is_served(*place, RType::TXT))
        .filter_map(|(facts, _)| {
            let domain = transport.domain_of(facts.name)?;
            let texts = mail
                .map(|m| {
                    m.texts_of(zone, facts)
                        .filter(|t| t.rtype == RType::TXT)
                        .collect()
                })
                .unwrap_or_default();
            Some(Place {
                facts,
                domain,
                texts,
            })
        })
        .collect()
}

/// A message and help line for a tag-list problem in a `what` record at `owner`.
pub(crate) fn describe_tag_list(
    problem: &TagListProblemKind,
    text: &str,
    what: &str,
    owner: &NameRef,
) -> (String, String, Option<Span>) {
    match problem {
        TagListProblemKind::EmptyTag => (
            format!("empty field (`;;` or a leading `;`) in the {what} record at {owner}"),
            "Remove the extra `;`".to_owned(),
            None,
        ),
        TagListProblemKind::MissingEquals => (
            format!("`{text}` in the {what} record at {owner} has no `=`, so it is not a field, and senders discard the record"),
            "Write fields as `name=value`, separated by `;`".to_owned(),
            None,
        ),
        TagListProblemKind::InvalidName => (
            format!("`{text}` is not a valid field name in the {what} record at {owner}, so senders discard the record"),
            "Field names are up to 32 letters, digits, `_`, `-` or `.`, starting with a letter or digit".to_owned(),
            None,
        ),
        TagListProblemKind::InvalidValueChar => (
            format!("a control or non-ASCII character in `{text}` in the {what} record at {owner}"),
            "Use printable ASCII only".to_owned(),
            None,
        ),
        TagListProblemKind::Duplicate { first } => (
            format!("`{text}` repeats a field of the {what} record at {owner}"),
            "Keep one of the two".to_owned(),
            Some(*first),
        ),
    }
}
