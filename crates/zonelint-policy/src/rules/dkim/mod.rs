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

use foldhash::{HashSet, HashSetExt};

use crate::grammar::dkim::{self, DkimKeyRecord, DkimProblem};
use crate::grammar::{dmarc, spf};
use crate::index::ZoneIndex;
use crate::mail::{DkimEntry, TxtText, ZoneMail};
use crate::rules::{Sink, ZoneContext};
use zonelint_zone::{NameRef, RType, Span};

/// Whether `name` is `<selector>._domainkey.<domain>`: a label after the first is
/// `_domainkey` (any case; selectors may have several labels, RFC 6376 §3.1).
#[must_use]
pub fn is_selector_name(name: &NameRef) -> bool {
    name.labels()
        .skip(1)
        .any(|label| label.eq_ignore_ascii_case(b"_domainkey"))
}

/// Whether `name` is `_adsp._domainkey.<domain>`, where ADSP (RFC 5617, Historic) put its
/// policy: not a selector (selectors cannot start with `_`, RFC 6376 §3.1), so DKIM012
/// reports it and the key-record rules leave it alone.
#[must_use]
pub fn is_adsp_name(name: &NameRef) -> bool {
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
pub(crate) fn at_selector(zone: &ZoneIndex<'_>, txt: &TxtText<'_>) -> bool {
    is_selector_name(txt.owner) && !is_adsp_name(txt.owner) && answered(zone, txt)
}

/// The signing domain of a selector name `<selector>._domainkey.<domain>`: the name
/// below its `_domainkey` label; `None` for other names.
#[must_use]
pub fn selector_domain(name: &NameRef) -> Option<&NameRef> {
    crate::rules::below_label(name, b"_domainkey")
}

/// The domains with a selector the loaded zones publish: a named (not wildcard) selector
/// with a key that is not revoked, or a CNAME (to a provider's key), served by its zone.
/// Found once per lint of a zone.
pub fn domains_with_selectors<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<&'a NameRef> {
    cx.views
        .selector_domains
        .get_or_init(|| find_domains_with_selectors(cx))
}

fn find_domains_with_selectors<'a>(cx: &ZoneContext<'a>) -> HashSet<&'a NameRef> {
    let mut domains = HashSet::new();
    for (position, zone) in cx.set.zones().iter().enumerate() {
        for key in key_records_at(cx, position) {
            if !key.txt.owner.is_wildcard() && !key.record().is_revoked() {
                domains.extend(selector_domain(key.txt.owner));
            }
        }
        for facts in zone.names() {
            let name = facts.name;
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
    pub txt: &'a TxtText<'a>,
    parse: KeyParse<'a>,
}

/// A key record's parse: the email records' own (nearly always), or one made for a
/// text at a selector name that did not look like a key. Boxed, so that the view of a
/// large zone's 62k key records is 24 bytes each, not the 280 of a parse held in place.
enum KeyParse<'a> {
    Shared(&'a DkimEntry<'a>),
    Own(Box<(DkimKeyRecord<'a>, Vec<DkimProblem>)>),
}

impl<'a> KeyRecord<'a> {
    /// The parse.
    #[must_use]
    pub fn record(&self) -> &DkimKeyRecord<'a> {
        match &self.parse {
            KeyParse::Shared(entry) => &entry.record,
            KeyParse::Own(own) => &own.0,
        }
    }

    /// What the grammar found wrong.
    #[must_use]
    pub fn problems(&self) -> &[DkimProblem] {
        match &self.parse {
            KeyParse::Shared(entry) => &entry.problems,
            KeyParse::Own(own) => &own.1,
        }
    }
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
        cx.set.zones().get(position),
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
    // The parsed key records and the texts are both in file order: each text's parse,
    // if it has one, is the next parsed record's (no map from record to parse).
    let mut parsed = mail.dkim.iter().peekable();
    mail.texts
        .iter()
        .filter_map(|txt| {
            let entry = parsed.next_if(|entry| entry.txt.record <= txt.record);
            if !at_selector(zone, txt) {
                return None;
            }
            if let Some(entry) = entry.filter(|entry| entry.txt.record == txt.record) {
                return Some(KeyRecord {
                    txt,
                    parse: KeyParse::Shared(entry),
                });
            }
            let bytes = txt.text.as_bytes();
            if spf::classify_version(bytes) != spf::SpfVersion::NotSpf
                || dmarc::looks_like_dmarc(bytes)
            {
                return None;
            }
            Some(KeyRecord {
                txt,
                parse: KeyParse::Own(Box::new(dkim::parse(&txt.text))),
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
        for problem in key.problems().iter().filter(|p| p.kind.code() == code) {
            let text = written(cx.zone, problem.span);
            let Some((message, help, related)) = describe(key, &problem.kind, &text) else {
                continue;
            };
            let report = sink
                .report(problem.span, message)
                .help(help)
                .owner(key.txt.owner);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ZoneSet;
    use crate::mail::{MailSet, MailTexts};
    use crate::rules::test_support::parse;
    use zonelint_zone::Name;

    /// The view pairs each text at a selector with its own parse: the email records'
    /// where the text looked like a key, one made for it where it did not, none for SPF
    /// and DMARC text; texts elsewhere (keys at other names too) are left out.
    #[test]
    fn key_records_pair_each_selector_text_with_its_parse() {
        let zone = parse(
            "t.zone",
            "example.com.",
            &format!(
                "@ SOA ns hm 1 2 3 4 5\n\
                 a._domainkey TXT \"v=DKIM1; p={key}\"\n\
                 www TXT \"v=DKIM1; p={key}\"\n\
                 b._domainkey TXT \"hello\"\n\
                 b._domainkey TXT \"v=spf1 -all\"\n\
                 c._domainkey TXT \"v=DKIM1; k=ed25519; p={ed}\"\n\
                 _dmarc TXT \"v=DMARC1; p=none\"\n\
                 d._domainkey TXT \"v=DMARC1; p=none\"\n\
                 e._domainkey TXT \"k=rsa; t=y; p=\"\n\
                 f._domainkey TXT \"v=DKIM1; p={key}\"\n",
                key = test_keys::RSA_1024,
                ed = test_keys::ED25519,
            ),
            0,
        );
        let origin = Name::from_ascii("example.com.").unwrap();
        let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin)]);
        let texts = MailTexts::read(&set);
        let mail = MailSet::parse(&texts);
        let keys = key_records_in(&set.zones()[0], &mail.zones[0]);
        let owners: Vec<String> = keys.iter().map(|k| k.txt.owner.to_string()).collect();
        assert_eq!(
            owners,
            [
                "a._domainkey.example.com.",
                "b._domainkey.example.com.",
                "c._domainkey.example.com.",
                "e._domainkey.example.com.",
                "f._domainkey.example.com.",
            ]
        );
        for key in &keys {
            let (record, problems) = dkim::parse(&key.txt.text);
            assert_eq!(key.record(), &record, "{}", key.txt.owner);
            assert_eq!(key.problems(), problems.as_slice(), "{}", key.txt.owner);
        }
        assert!(matches!(keys[1].parse, KeyParse::Own(_)));
        assert!(matches!(keys[4].parse, KeyParse::Shared(_)));
    }
}
