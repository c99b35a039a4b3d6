//! BIMI: assertion records at `<selector>._bimi.<domain>`
//! (draft-brand-indicators-for-message-identification; semantics.md §4.6).

pub mod prereq;
pub mod syntax;

use crate::grammar::bimi::{self, BimiProblem, BimiRecord};
use crate::grammar::{dmarc, spf};
use crate::mail::TxtText;
use crate::rules::ZoneContext;
use zonelint_zone::NameRef;

/// An assertion record, with its parse and the domain it speaks for.
pub struct AssertionRecord<'a> {
    /// The record's text.
    pub txt: &'a TxtText<'a>,
    /// The domain (`example.com.` for `default._bimi.example.com.`).
    pub domain: &'a NameRef,
    /// The parse.
    pub record: BimiRecord<'a>,
    /// What the grammar found wrong.
    pub problems: Vec<BimiProblem>,
}

/// The domain of a BIMI name `<selector>._bimi.<domain>`: the name below the first
/// `_bimi` label after the first label; `None` for other names.
#[must_use]
pub fn bimi_domain(name: &NameRef) -> Option<&NameRef> {
    crate::rules::below_label(name, b"_bimi")
}

/// Every TXT record the zone serves at a BIMI name, except SPF and DMARC text (other
/// rules' business), parsed, in file order.
pub fn assertion_records<'a>(cx: &ZoneContext<'a>) -> Vec<AssertionRecord<'a>> {
    let Some(mail) = cx.zone_mail() else {
        return Vec::new();
    };
    let zone = cx.zone;
    mail.texts
        .iter()
        .filter(|txt| crate::rules::answered(zone, txt))
        .filter_map(|txt| {
            let domain = bimi_domain(txt.owner)?;
            let bytes = txt.text.as_bytes();
            if spf::classify_version(bytes) != spf::SpfVersion::NotSpf
                || dmarc::looks_like_dmarc(bytes)
            {
                return None;
            }
            let (record, problems) = bimi::parse(&txt.text);
            Some(AssertionRecord {
                txt,
                domain,
                record,
                problems,
            })
        })
        .collect()
}
