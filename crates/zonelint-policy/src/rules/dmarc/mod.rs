//! DMARC: policy records at `_dmarc.<domain>` (RFC 7489 §6; RFC 9989, numbered as
//! draft-ietf-dmarc-dmarcbis-41, §4) and the report destinations they name (RFC 9990).
//!
//! Every DMARC-looking TXT record is parsed once ([`crate::mail`]); the rules here pick
//! the ones receivers look at — DMARC-looking records at a `_dmarc` name that the zone
//! serves ([`policy_records`]) — and turn the grammar's problems into findings. Report
//! authorization records (`<domain>._report._dmarc.<host>`, RFC 9990) are not policy
//! records and are left to the report-authorization rules.

/// A documentation example: the doc tests' clean base zone with its `_dmarc` line
/// replaced by `$dmarc` (a whole line, or `""` for none), so that an example can show a
/// different policy record at the apex without a second record there.
macro_rules! example_zone {
    ($dmarc:literal) => {
        concat!(
            "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n",
            $dmarc,
            "ns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
        )
    };
}

pub mod discovery_divergence;
pub mod external_dest;
pub mod fo_without_ruf;
pub mod foreign_txt;
pub mod missing;
pub mod multiple;
pub mod no_rua;
pub mod np_weaker;
pub mod p_missing_invalid;
pub mod p_none;
pub mod p_not_second;
pub mod p_quarantine;
pub mod psd_misuse;
pub mod reject_without_dkim;
pub mod removed_tags;
pub mod report_auth_malformed;
pub mod rua_undeliverable;
pub mod size_suffix;
pub mod sp_ignored;
pub mod sp_weaker;
pub mod subdomain_override_weaker;
pub mod syntax;
pub mod testing;
pub mod unknown_tag;
pub mod uri_invalid;
pub mod version;
pub mod wildcard;
pub mod wrong_location;

use crate::discovery::Mode;
use crate::grammar::dkim::PublicKey;
use crate::grammar::dmarc::{self, DmarcProblemKind, DmarcRecord, PublicSuffixDomain};
use crate::grammar::tag_list::Tag;
use crate::grammar::{spf, Problem};
use crate::index::{NameSet, ZoneIndex, ZoneSet};
use crate::mail::{DmarcEntry, MailSet, TxtText};
use crate::rules::spf::crosses_join;
use crate::rules::text::text;
use crate::rules::{Sink, ZoneContext};
use crate::settings::{DmarcDiscovery, Settings};
use foldhash::{HashSet, HashSetExt};
use zonelint_zone::{Applicability, Edit, Fix, NameRef, RType, Span};

pub use crate::index::is_dmarc_name;

/// Whether `name` is at or below a `_report._dmarc` pair of labels: a report
/// authorization name (RFC 9990, "Verifying External Destinations"), whose `v=DMARC1`
/// records are not policy records.
#[must_use]
pub fn is_report_authorization(name: &NameRef) -> bool {
    let labels: Vec<&[u8]> = name.labels().collect();
    labels.windows(2).any(|pair| {
        matches!(pair, [first, second]
            if first.eq_ignore_ascii_case(b"_report") && second.eq_ignore_ascii_case(b"_dmarc"))
    })
}

pub(crate) use crate::rules::answered;

/// The DMARC-looking records at `_dmarc` names the zone serves, in file order: the
/// records receivers find (RFC 9989 §4.10), whatever their content. Found once per lint
/// and zone, for the many DMARC rules that read them.
pub fn policy_records<'a>(cx: &ZoneContext<'a>) -> impl Iterator<Item = &'a DmarcEntry<'a>> + 'a {
    let zone = cx.zone;
    let mail = cx.zone_mail();
    let found: &'a [u32] = match (mail, cx.views.policy_records.get(cx.position)) {
        (Some(mail), Some(cell)) => cell.get_or_init(|| {
            (0..mail.dmarc.len() as u32)
                .filter(|&i| {
                    mail.dmarc
                        .get(i as usize)
                        .is_some_and(|e| is_dmarc_name(e.txt.owner) && answered(zone, e.txt))
                })
                .collect()
        }),
        _ => &[],
    };
    found
        .iter()
        .filter_map(move |&i| mail?.dmarc.get(i as usize))
}

/// A TXT record at a `_dmarc` name that is meant as DMARC but does not start like it
/// (`"p=reject; v=DMARC1"`, `"p=reject"`), with its parse.
pub struct NearMiss<'a> {
    /// The record's text.
    pub txt: &'a TxtText<'a>,
    /// What the grammar found wrong (the version problem first among them).
    pub problems: Vec<Problem<DmarcProblemKind>>,
}

/// TXT records at served `_dmarc` names that were evidently meant as the policy but do
/// not start like a DMARC record ([`is_near_miss`]), in file order.
pub fn near_misses<'a>(cx: &ZoneContext<'a>) -> Vec<NearMiss<'a>> {
    let Some(mail) = cx.zone_mail() else {
        return Vec::new();
    };
    mail.texts
        .iter()
        .filter(|txt| is_dmarc_name(txt.owner) && answered(cx.zone, txt))
        .filter_map(is_near_miss)
        .collect()
}

/// A TXT record that is neither DMARC-looking nor SPF but carries DMARC tags (`v=DMARC…`
/// anywhere, `p`, `sp`, `np`, `rua`, `ruf`): receivers discard it (RFC 9989 §4.10 step 2),
/// though it was evidently meant as a policy record.
#[must_use]
pub fn is_near_miss<'a>(txt: &'a TxtText<'a>) -> Option<NearMiss<'a>> {
    let bytes = txt.text.as_bytes();
    if dmarc::looks_like_dmarc(bytes) || spf::classify_version(bytes) != spf::SpfVersion::NotSpf {
        return None;
    }
    let (record, problems) = dmarc::parse(&txt.text);
    let meant = record.tags.iter().any(|t| {
        (t.is("v")
            && t.value()
                .get(..5)
                .is_some_and(|v| v.eq_ignore_ascii_case(b"DMARC")))
            || ["p", "sp", "np", "rua", "ruf"].iter().any(|n| t.is(n))
    });
    meant.then_some(NearMiss { txt, problems })
}

/// The organizational domain of `name` (RFC 7489 §3.2): the deepest configured org domain
/// at or above it, else the public-suffix list's registrable domain (one label below the
/// public suffix). `None` when `name` is a public suffix itself or above one.
#[must_use]
pub fn organizational_domain<'a>(settings: &'a Settings, name: &'a NameRef) -> Option<&'a NameRef> {
    crate::discovery::organizational_domain(&settings.org_domains, name)
}

/// Whether the record at `_dmarc.<domain>` is the one whose `sp` and `np` receivers use:
/// `domain` is an organizational domain (config or public-suffix list), or the record
/// says so itself (`psd=n`, RFC 9989 §4.10.2) or is a public-suffix domain's (`psd=y`,
/// whose `sp`/`np` apply to the org domains below it). Below an organizational domain
/// `sp` is ignored (RFC 9989 §4.7) and neither RFC 7489 nor RFC 9989 discovery reads `np`
/// there.
#[must_use]
pub fn governs_subdomains(settings: &Settings, domain: &NameRef, record: &DmarcRecord<'_>) -> bool {
    if record
        .psd()
        .as_ref()
        .is_some_and(|p| matches!(p.value, PublicSuffixDomain::No | PublicSuffixDomain::Yes))
    {
        return true;
    }
    organizational_domain(settings, domain).is_none_or(|org| org == domain)
}

/// What a report names: the problem's text as written.
pub(crate) fn written(zone: &ZoneIndex<'_>, span: Span) -> String {
    String::from_utf8_lossy(zone.zone.sources.slice(span)).into_owned()
}

/// The span of the first tag `name` (`p`, `sp`, `np`) of a policy record, as written
/// (`p=none`).
pub(crate) fn policy_tag(entry: &DmarcEntry<'_>, name: &str) -> Option<Span> {
    entry
        .record
        .tags
        .iter()
        .find(|t| t.is(name))
        .map(|t| t.span())
}

/// How a rule words one grammar problem.
pub(crate) struct Described {
    /// The message.
    pub message: String,
    /// The help line.
    pub help: String,
    /// A related span and its label.
    pub related: Option<(Span, String)>,
}

impl Described {
    /// A message and a help line.
    pub(crate) fn new(message: String, help: impl Into<String>) -> Self {
        Self {
            message,
            help: help.into(),
            related: None,
        }
    }
}

/// Reports every grammar problem of `code` in the zone's policy records, worded by
/// `describe` (given the record, the problem and its text as written), which may skip a
/// problem by returning `None`.
pub(crate) fn report_problems(
    cx: &ZoneContext<'_>,
    sink: &mut Sink<'_>,
    code: &str,
    describe: impl Fn(&DmarcEntry<'_>, &DmarcProblemKind, &str) -> Option<Described>,
) {
    for entry in policy_records(cx) {
        for problem in entry.problems.iter().filter(|p| p.kind.code() == code) {
            let text = written(cx.zone, problem.span);
            let Some(described) = describe(entry, &problem.kind, &text) else {
                continue;
            };
            let report = sink
                .report(problem.span, described.message)
                .help(described.help)
                .owner(entry.txt.owner);
            if let Some((span, label)) = described.related {
                report.related(span, label);
            }
        }
    }
}

/// The discoveries receivers are assumed to use (the `dmarc-discovery` setting).
#[must_use]
pub fn discovery_modes(settings: &Settings) -> &'static [Mode] {
    match settings.dmarc_discovery {
        DmarcDiscovery::Rfc7489 => &[Mode::Rfc7489],
        DmarcDiscovery::Rfc9989 => &[Mode::Rfc9989],
        DmarcDiscovery::Both => &[Mode::Rfc9989, Mode::Rfc7489],
    }
}

/// The first tag of a policy record named `name` (any case).
pub(crate) fn tag_named<'e, 't>(entry: &'e DmarcEntry<'t>, name: &str) -> Option<&'e Tag<'t>> {
    entry.record.tags.iter().find(|t| t.is(name))
}

/// An edit that deletes `tag` from its record together with the separator before it
/// (`; ri=3600`), so that the rest reads as before. `None` for the first tag (`v`), or
/// when the deleted text would cross a string join (the quotes between strings).
pub(crate) fn remove_tag(entry: &DmarcEntry<'_>, tag: &Tag<'_>) -> Option<Edit> {
    let previous = entry
        .record
        .tags
        .iter()
        .take_while(|t| t.range.start < tag.range.start)
        .last()?;
    let range = previous.range.range().end..tag.range.range().end;
    if crosses_join(&entry.txt.text, &range) {
        return None;
    }
    Some(Edit {
        span: entry.txt.text.span(range),
        content: String::new(),
    })
}

/// A fix that deletes `tag` ([`remove_tag`]).
pub(crate) fn remove_tag_fix(
    entry: &DmarcEntry<'_>,
    tag: &Tag<'_>,
    applicability: Applicability,
    written: &str,
) -> Option<Fix> {
    remove_tag(entry, tag).map(|edit| Fix {
        applicability,
        message: text!["Remove `", written, "`"],
        edits: vec![edit],
    })
}

/// The DKIM selectors the loaded zones show, by the domain they sign for: what a rule uses
/// to tell whether a domain can have aligned DKIM signatures (RFC 6376 §3.6.2.1 keys live
/// at `<selector>._domainkey.<domain>`, the selector possibly of several labels).
///
/// A selector counts when receivers can get a key there: a TXT record with a non-revoked
/// key (`p=` not empty), a CNAME (the usual way to hand a selector to a provider), or a
/// delegation. A wildcard `*._domainkey` with a key counts; `*._domainkey "v=DKIM1; p="`
/// revokes rather than publishes, so it does not, nor does a key that does not decode.
pub struct DkimSelectors<'z> {
    /// The signing domains that have a selector in sight.
    domains: HashSet<&'z NameRef>,
}

/// What the loaded zones tell about a domain's DKIM keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectorVisibility {
    /// At least one selector.
    Visible,
    /// The zone that serves `_domainkey.<domain>` is loaded and shows no selector.
    None,
    /// `_domainkey.<domain>` is served outside the loaded zones (another zone, or a
    /// delegation): selectors may exist there.
    Elsewhere,
}

impl<'z> DkimSelectors<'z> {
    /// The selectors of every zone of the set, collected once per lint of a zone.
    pub fn of_set(cx: &ZoneContext<'z>) -> &'z Self {
        cx.views
            .dkim_selectors
            .get_or_init(|| Self::collect(cx.set, cx.mail))
    }

    /// Collects the selectors of every zone of the set.
    #[must_use]
    pub fn collect(set: &ZoneSet<'z>, mail: &MailSet<'_>) -> Self {
        let mut domains: HashSet<&'z NameRef> = HashSet::new();
        for (position, zone) in set.zones().iter().enumerate() {
            // The names that own a key, by position in the index.
            let mut keyed = NameSet::new(zone);
            let keys = mail
                .zone(position)
                .into_iter()
                .flat_map(|m| m.dkim.iter())
                .filter(|e| e.txt.rtype == RType::TXT)
                .filter(|e| {
                    e.record.public_key.as_ref().is_some_and(|k| {
                        matches!(
                            k.value,
                            PublicKey::Rsa { .. } | PublicKey::Ed25519 | PublicKey::Opaque { .. }
                        )
                    })
                });
            for key in keys {
                if let Some((owner, _)) = zone.owner_of(key.txt.record) {
                    keyed.insert(owner);
                }
            }
            // A selector name has a `_domainkey` label, so an underscore label (known
            // without reading the name).
            for (at, facts) in zone
                .names()
                .enumerate()
                .filter(|(_, facts)| facts.has_underscore_label())
            {
                let Some(domain) = crate::rules::dkim::selector_domain(facts.name) else {
                    continue;
                };
                if zone.is_below_cut_of(facts) {
                    continue;
                }
                let published = keyed.contains(at)
                    || zone.has_type(facts, RType::CNAME)
                    || zone.has_type(facts, RType::NS);
                if published {
                    domains.insert(domain);
                }
            }
        }
        Self { domains }
    }

    /// Whether a selector of `domain` is in sight: [`Self::of`] is
    /// [`SelectorVisibility::Visible`] (told without a search of the zones).
    #[must_use]
    pub fn has_selector(&self, domain: &NameRef) -> bool {
        self.domains.contains(domain)
    }

    /// What the loaded zones show of `domain`'s selectors.
    #[must_use]
    pub fn of(&self, set: &ZoneSet<'_>, domain: &NameRef) -> SelectorVisibility {
        if self.has_selector(domain) {
            return SelectorVisibility::Visible;
        }
        let Ok(base) = domain.prepend(b"_domainkey") else {
            return SelectorVisibility::None;
        };
        match set.lookup(&base) {
            None => SelectorVisibility::Elsewhere,
            Some(found) => {
                let delegated = found
                    .facts
                    .is_some_and(|facts| found.zone.cut_of(facts).is_some());
                if delegated {
                    SelectorVisibility::Elsewhere
                } else {
                    SelectorVisibility::None
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A zone whose apex policy record is the one under test.

    use crate::rules::test_support::lint_with;
    use crate::{Selector, Settings};

    /// Lints a clean zone whose `_dmarc` TXT data is `record` (no `_dmarc` line when
    /// `None`), plus `extra` lines, with only the `select`ed rules, in the default or
    /// strict profile.
    pub(crate) fn lint_policy(
        record: Option<&str>,
        extra: &str,
        select: &[&str],
        strict: bool,
    ) -> String {
        let dmarc = record.map_or_else(String::new, |r| format!("_dmarc TXT {r}\n"));
        let text = format!(
            "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ TXT \"v=spf1 -all\"\n{dmarc}ns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n{extra}"
        );
        let settings = Settings {
            strict,
            select: select.iter().map(|s| Selector((*s).to_owned())).collect(),
            ..Settings::default()
        };
        lint_with(&text, &settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::Name;

    fn org(settings: &Settings, name: &str) -> Option<String> {
        let name = Name::from_ascii(name).ok()?;
        organizational_domain(settings, &name).map(|n| n.to_string())
    }

    #[test]
    fn organizational_domains_come_from_config_then_the_public_suffix_list() {
        let plain = Settings::default();
        assert_eq!(org(&plain, "example.com.").as_deref(), Some("example.com."));
        assert_eq!(
            org(&plain, "_dmarc.www.Example.CO.UK.").as_deref(),
            Some("Example.CO.UK.")
        );
        assert_eq!(org(&plain, "co.uk."), None);
        assert_eq!(org(&plain, "com."), None);
        // The list has `in-addr.arpa`; DMARC001 leaves `arpa` zones alone itself.
        assert_eq!(
            org(&plain, "192.in-addr.arpa.").as_deref(),
            Some("192.in-addr.arpa.")
        );
        let configured = Settings {
            org_domains: vec![Name::from_ascii("dept.example.ac.uk.").unwrap()],
            ..Settings::default()
        };
        assert_eq!(
            org(&configured, "www.dept.example.ac.uk.").as_deref(),
            Some("dept.example.ac.uk.")
        );
        assert_eq!(
            org(&configured, "www.example.ac.uk.").as_deref(),
            Some("example.ac.uk.")
        );
    }

    /// Every DMARC and DKIM rule over one zone with the mistakes they look for, to show
    /// that each mistake is reported once, by its rule.
    #[test]
    fn one_zone_with_every_mistake() {
        let zone = r#"$ORIGIN example.com.
$TTL 3600
@               SOA   ns1 hostmaster 1 7200 3600 1209600 3600
@               NS    ns1
@               TXT   "v=spf1 -all"
@               TXT   "v=DMARC1; p=reject"
_dmarc          TXT   "v=DMARC1; p=none; sp=none; np=quarantine; rua=mailto:d@reports.example.net, dmarc@example.com; rue=mailto:x@example.com"
_dmarc          TXT   "v=DMARC1; p=reject"
_dmarc.news     TXT   "v=dmarc1; p=reject"
_dmarc.shop     TXT   "v=DMARC1, p=reject"
*               TXT   "v=DMARC1; p=none"
*               TXT   "v=spf1 -all"
ns1             A     192.0.2.53
ns1             TXT   "v=spf1 -all"
s1._domainkey   TXT   "v=DMARC1; p=none"
s2._domainkey   TXT   "k=rsa; v=DKIM1; p="
old._domainkey  TXT   "v=DKIM1; k=rsa"
ed._domainkey   TXT   "v=DKIM1; k=ed25519; p=AAAA"
"#;
        let settings = Settings {
            select: vec![
                crate::Selector("DMARC".to_owned()),
                crate::Selector("DKIM".to_owned()),
            ],
            ..Settings::default()
        };
        insta::assert_snapshot!(crate::rules::test_support::lint_with(zone, &settings));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 64, ..proptest::test_runner::Config::default() })]

        /// Whatever the text at the names these rules look at, they never panic, and every
        /// span they report is inside the file.
        #[test]
        fn rules_never_panic_and_spans_are_in_bounds(
            texts in proptest::collection::vec("(v=DMARC1|v=DKIM1|p=|k=|rua=mailto:|[a-zA-Z0-9=;:,!%@./ _*+-]){0,12}", 5),
        ) {
            let owners = ["_dmarc", "_dmarc.sub", "*", "s1._domainkey", "@"];
            let mut zone = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n".to_owned();
            for (owner, text) in owners.iter().zip(&texts) {
                zone.push_str(&format!("{owner} TXT \"{text}\"\n"));
            }
            let options = zonelint_zone::ParseOptions {
                origin: Name::from_ascii("example.com.").ok(),
                ..zonelint_zone::ParseOptions::default()
            };
            let (parsed, _) = zonelint_zone::parse_str("t.zone", &zone, &options);
            let settings = Settings {
                select: vec![crate::Selector("DMARC".to_owned()), crate::Selector("DKIM".to_owned())],
                ..Settings::default()
            };
            for diagnostic in crate::lint(&[crate::LintInput::new(&parsed)], &settings) {
                let spans = std::iter::once(diagnostic.primary).chain(diagnostic.related.iter().map(|r| r.span));
                for span in spans {
                    proptest::prop_assert!(span.start <= span.end && span.end as usize <= zone.len(), "{diagnostic:?}");
                }
            }
        }
    }

    #[test]
    fn name_shapes() {
        let name = |s: &str| Name::from_ascii(s).unwrap();
        assert!(is_dmarc_name(&name("_DMARC.example.com.")));
        assert!(!is_dmarc_name(&name("dmarc.example.com.")));
        assert!(is_report_authorization(&name(
            "example.com._report._dmarc.example.net."
        )));
        assert!(is_report_authorization(&name(
            "*._report._dmarc.example.net."
        )));
        assert!(!is_report_authorization(&name("_dmarc.example.net.")));
    }
}
