//! DKIM: key records at `<selector>._domainkey.<domain>` (RFC 6376 §3.6; RFC 8301; RFC
//! 8463).
//!
//! The records that look like DKIM keys were parsed once ([`crate::mail`]); a TXT record
//! at a selector name that does not look like one (`"p=MIGf…"` without `v` or `k`) is
//! parsed here, since verifiers read whatever is there as a key record (RFC 6376
//! §3.6.2.2). SPF and DMARC text at a selector name is other rules' business.

pub mod key_undecodable;
pub mod legacy;
pub mod misplaced;
pub mod multiple_records;
pub mod p_missing;
pub mod revoked;
pub mod rsa_size;
pub mod service_type;
pub mod sha1_only;
pub mod syntax;
pub mod testing_flag;
pub mod unknown_key_type;

use foldhash::{HashMap, HashSet, HashSetExt};
use std::borrow::Cow;

use crate::grammar::dkim::{self, DkimKeyRecord, DkimProblem};
use crate::grammar::{dmarc, spf};
use crate::index::ZoneIndex;
use crate::mail::{DkimEntry, TxtText, ZoneMail};
use crate::rules::{Sink, ZoneContext};
use zonelint_zone::{Name, RType, Span};

/// Whether `name` is `<selector>._domainkey.<domain>`: a label after the first is
/// `_domainkey` (any case; selectors may have several labels, RFC 6376 §3.1).
#[must_use]
pub fn is_selector_name(name: &Name) -> bool {
    name.labels()
        .skip(1)
        .any(|label| label.eq_ignore_ascii_case(b"_domainkey"))
}

/// Whether `name` is `_adsp._domainkey.<domain>`, where ADSP (RFC 5617, Historic) put its
/// policy: not a selector (selectors cannot start with `_`, RFC 6376 §3.1), so DKIM012
/// reports it and the key-record rules leave it alone.
#[must_use]
pub fn is_adsp_name(name: &Name) -> bool {
    let mut labels = name.labels();
    labels
        .next()
        .is_some_and(|l| l.eq_ignore_ascii_case(b"_adsp"))
        && labels
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case(b"_domainkey"))
}

/// Whether verifiers would read `txt` as a key record: a TXT record the zone serves at a
/// selector name (ADSP's `_adsp._domainkey` excepted).
pub(crate) fn at_selector(zone: &ZoneIndex<'_>, txt: &TxtText) -> bool {
    is_selector_name(&txt.owner) && !is_adsp_name(&txt.owner) && answered(zone, txt)
}

/// The signing domain of a selector name `<selector>._domainkey.<domain>`: the name
/// below its `_domainkey` label; `None` for other names.
#[must_use]
pub fn selector_domain(name: &Name) -> Option<Name> {
    crate::rules::below_label(name, b"_domainkey")
}

/// The domains with a selector the loaded zones publish: a named (not wildcard) selector
/// with a key that is not revoked, or a CNAME (to a provider's key), served by its zone.
/// Found once per lint of a zone.
pub fn domains_with_selectors<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<Name> {
    cx.views
        .selector_domains
        .get_or_init(|| find_domains_with_selectors(cx))
}

fn find_domains_with_selectors(cx: &ZoneContext<'_>) -> HashSet<Name> {
    let mut domains = HashSet::new();
    for (position, zone) in cx.set.zones.iter().enumerate() {
        for key in key_records_at(cx, position) {
            if !key.txt.owner.is_wildcard() && !key.record.is_revoked() {
                domains.extend(selector_domain(&key.txt.owner));
            }
        }
        for facts in zone.names() {
            let name = &facts.name;
            // A selector name has a `_domainkey` label, so an underscore label (known
            // without reading the name).
            if !facts.has_underscore_label()
                || !zone.has_type(facts, RType::CNAME)
                || name.is_wildcard()
                || !is_selector_name(name)
                || is_adsp_name(name)
                || zone.is_below_cut_of(facts)
            {
                continue;
            }
            domains.extend(selector_domain(name));
        }
    }
    domains
}

/// A key record at a selector name, with its parse.
pub struct KeyRecord<'a> {
    /// The record's text.
    pub txt: &'a TxtText,
    /// The parse.
    pub record: Cow<'a, DkimKeyRecord<'a>>,
    /// What the grammar found wrong.
    pub problems: Cow<'a, [DkimProblem]>,
}

/// Every TXT record at a selector name the zone serves, except SPF and DMARC text, as a
/// key record, in file order: found once per lint of the zone.
pub fn key_records<'a>(cx: &ZoneContext<'a>) -> &'a [KeyRecord<'a>] {
    key_records_at(cx, cx.position)
}

/// [`key_records`] of the zone at `position` in the set (none past the last).
fn key_records_at<'a>(cx: &ZoneContext<'a>, position: usize) -> &'a [KeyRecord<'a>] {
    let (Some(slot), Some(zone)) = (
        cx.views.key_records.get(position),
        cx.set.zones.get(position),
    ) else {
        return &[];
    };
    slot.get_or_init(|| {
        cx.mail
            .zone(position)
            .map_or_else(Vec::new, |mail| key_records_in(zone, mail))
    })
}

/// [`key_records`] of `zone`, whose email records are `mail`, found anew.
fn key_records_in<'a>(zone: &ZoneIndex<'_>, mail: &'a ZoneMail<'a>) -> Vec<KeyRecord<'a>> {
    let parsed: HashMap<u32, &'a DkimEntry<'a>> =
        mail.dkim.iter().map(|e| (e.txt.record, e)).collect();
    mail.texts
        .iter()
        .filter(|txt| at_selector(zone, txt))
        .filter_map(|txt| {
            if let Some(entry) = parsed.get(&txt.record) {
                return Some(KeyRecord {
                    txt,
                    record: Cow::Borrowed(&entry.record),
                    problems: Cow::Borrowed(entry.problems.as_slice()),
                });
            }
            let bytes = txt.text.as_bytes();
            if spf::classify_version(bytes) != spf::SpfVersion::NotSpf
                || dmarc::looks_like_dmarc(bytes)
            {
                return None;
            }
            let (record, problems) = dkim::parse(&txt.text);
            Some(KeyRecord {
                txt,
                record: Cow::Owned(record),
                problems: Cow::Owned(problems),
            })
        })
        .collect()
}

pub(crate) use crate::rules::answered;

/// The problem's text as written.
pub(crate) fn written(zone: &ZoneIndex<'_>, span: Span) -> String {
    String::from_utf8_lossy(zone.zone.sources.slice(span)).into_owned()
}

/// Reports every grammar problem of `code` in the zone's key records, worded by
/// `describe` (record, problem, text as written → message, help, related span), which
/// may skip a problem by returning `None`.
pub(crate) fn report_problems(
    cx: &ZoneContext<'_>,
    sink: &mut Sink<'_>,
    code: &str,
    describe: impl Fn(
        &KeyRecord<'_>,
        &dkim::DkimProblemKind,
        &str,
    ) -> Option<(String, String, Option<Span>)>,
) {
    for key in key_records(cx) {
        for problem in key.problems.iter().filter(|p| p.kind.code() == code) {
            let text = written(cx.zone, problem.span);
            let Some((message, help, related)) = describe(key, &problem.kind, &text) else {
                continue;
            };
            let report = sink
                .report(problem.span, message)
                .help(help)
                .owner(key.txt.owner.clone());
            if let Some(span) = related {
                report.related(span, "first written here");
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod test_keys {
    //! Keys for tests: RSA SubjectPublicKeyInfo of a given size (modulus all ones) and the
    //! RFC 8463 §A.2 Ed25519 public key.

    /// A 512-bit RSA key.
    pub(crate) const RSA_512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAP////////////////////////////////////////////////////////////////////////////////////8CAwEAAQ==";
    /// A 1024-bit RSA key.
    pub(crate) const RSA_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQD//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////wIDAQAB";
    /// A 2048-bit RSA key, split in two TXT strings (`"…" "…"`).
    pub(crate) const RSA_2048_SPLIT: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////\" \"/////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////wIDAQAB";
    /// The Ed25519 public key of RFC 8463 §A.2.
    pub(crate) const ED25519: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
}
