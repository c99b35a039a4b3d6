//! ZONE018 `zone-hostname-syntax`.

use crate::rules::mx::target_suspicious::is_ip_literal;
use crate::rules::targets::{owner_span, target};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::name::{wire_is_at_or_below, write_label};
use zonelint_zone::{Code, Name, NameRef, RType};

/// A host name that breaks the letter-digit-hyphen rules.
pub struct HostnameSyntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE018", slug: "zone-hostname-syntax" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "host name that breaks the LDH rules where a host name is required",
    doc: RuleDoc {
        what: "Reports names that must be host names but are not letters, digits and hyphens (LDH) with no hyphen at either end of a label: the owners of A, AAAA and MX records and the targets of NS, MX and SRV records. Names with an underscored label (`_dmarc`, `_sip._tcp`, RFC 8552), `*` labels in owners (a leftmost one makes a wildcard, any other is ZONE017's), the root target `.` and IP addresses written as names (ZONE012, MX005) are left alone; labels of the zone's own origin are not checked.",
        why: "Host names are made of LDH labels (RFC 952; RFC 1123 §2.1 allows a leading digit). DNS itself carries any octet, but mail servers reject such names in addresses and HELO (RFC 5321 §4.1.2), certificate authorities will not issue for them, and many resolvers' stub libraries refuse to look them up, so an address or server published under such a name is unusable in practice.",
        example: "web_1 A 192.0.2.80\nweb_1 TXT \"v=spf1 -all\"\n",
        use_instead: "web-1 A 192.0.2.80\nweb-1 TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: renaming a host changes every reference to it, inside and outside this zone.",
        references: &["RFC 952", "RFC 1123 §2.1", "RFC 5321 §4.1.2", "RFC 8552"],
    },
};

/// Whether `b` may be in a host name label: a letter, a digit or a hyphen (LDH).
fn is_ldh(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Whether `label` is a host name label: [`label_problem`] finds nothing (and writes
/// nothing).
fn label_problem_free(label: &[u8]) -> bool {
    label.first() != Some(&b'-') && label.last() != Some(&b'-') && label.iter().all(|&b| is_ldh(b))
}

/// What is wrong with `label` as a host name label, if anything.
fn label_problem(label: &[u8]) -> Option<String> {
    if let Some(&bad) = label.iter().find(|&&b| !is_ldh(b)) {
        let shown = match bad {
            b'!'..=b'~' => format!("`{}`", char::from(bad)),
            b' ' => "a space".to_owned(),
            other => format!("the octet \\{other:03}"),
        };
        return Some(format!("contains {shown}"));
    }
    if label.first() == Some(&b'-') {
        return Some("starts with `-`".to_owned());
    }
    if label.last() == Some(&b'-') {
        return Some("ends with `-`".to_owned());
    }
    None
}

/// The first label of the wire-form name `wire` (below `origin`, when the name is at or
/// below it) that is not a host name label, with what is wrong with it. Underscored names
/// are not host names and are not checked; a leftmost `*` is accepted where
/// `wildcard_ok`. Every name of a zone is asked: nothing is copied unless a label is bad.
fn first_bad_label(wire: &[u8], origin: &NameRef, wildcard_ok: bool) -> Option<(String, String)> {
    // Nearly every name is a host name throughout, the origin's labels too: one pass
    // over its labels says so, without counting them or finding the origin in it.
    if Name::labels_of(wire).all(label_problem_free) {
        return None;
    }
    first_bad_own_label(wire, origin, wildcard_ok)
}

/// [`first_bad_label`], label by label.
fn first_bad_own_label(
    wire: &[u8],
    origin: &NameRef,
    wildcard_ok: bool,
) -> Option<(String, String)> {
    let labels = Name::labels_of(wire).count();
    let own_labels = if wire_is_at_or_below(wire, origin.as_wire()) {
        labels - origin.label_count()
    } else {
        labels
    };
    let own = || Name::labels_of(wire).take(own_labels);
    if own().any(|label| label.first() == Some(&b'_')) {
        return None;
    }
    own().find_map(|label| {
        // A leftmost `*` makes a wildcard owner; one further right is ZONE017's.
        if wildcard_ok && label == b"*" {
            return None;
        }
        let problem = label_problem(label)?;
        let mut shown = String::new();
        let _ = write_label(label, &mut shown);
        Some((shown, problem))
    })
}

impl Rule for HostnameSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let origin = &zone.origin;
        for facts in cx.names() {
            // The owner: once per name, at its first address or MX record.
            let host_record = zone
                .records_of_any(facts, &[RType::A, RType::AAAA, RType::MX])
                .next();
            if let Some(record) = host_record {
                if let Some((label, problem)) = first_bad_label(facts.name.as_wire(), origin, true)
                {
                    let rtype = record.rtype();
                    sink.report(
                        owner_span(&record),
                        format!("{} owns {rtype} records but is not a valid host name: label `{label}` {problem}", facts.name),
                    )
                    .help("Use only letters, digits and hyphens in host names (no `_`, no hyphen at either end of a label)")
                    .owner(facts.name);
                }
            }
            for record in zone.records_of_any(facts, &[RType::NS, RType::MX, RType::SRV]) {
                let rtype = record.rtype();
                let Some(target) = target(&record) else {
                    continue;
                };
                if target.is_root() || is_ip_literal(target.name.as_wire(), origin) {
                    continue;
                }
                let Some((label, problem)) = first_bad_label(target.name.as_wire(), origin, false)
                else {
                    continue;
                };
                let name = target.name;
                sink.report(
                    target.span(),
                    format!(
                        "{rtype} target {name} is not a valid host name: label `{label}` {problem}"
                    ),
                )
                .help(format!(
                    "Point the {rtype} at a host name made of letters, digits and hyphens"
                ))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, srv};

    /// The shortcut of `first_bad_label` (every label a host name label) never hides
    /// what the label-by-label search finds, whatever the origin.
    #[test]
    fn the_shortcut_agrees_with_the_search() {
        use super::{first_bad_label, first_bad_own_label, label_problem_free};
        use zonelint_zone::Name;
        let labels = [
            "a", "web-1", "0", "-a", "a-", "-", "a_b", "_tcp", "*", "x y", "A\\.b", "\\200",
        ];
        let origins = [
            "example.com.",
            "ex-ample.com.",
            "_o.example.com.",
            "-o.com.",
            ".",
        ];
        let mut names = Vec::new();
        for first in labels {
            for second in labels {
                names.push(format!("{first}.{second}.example.com."));
                names.push(format!("{first}.{second}.ex-ample.com."));
                names.push(format!("{first}._o.example.com."));
                names.push(format!("{first}.-o.com."));
            }
        }
        let mut checked = 0;
        for origin in origins {
            let origin = Name::parse(origin.as_bytes(), None).unwrap();
            for name in &names {
                let Ok(name) = Name::parse(name.as_bytes(), None) else {
                    continue;
                };
                let wire = name.as_wire();
                for wildcard_ok in [true, false] {
                    let search = first_bad_own_label(wire, &origin, wildcard_ok);
                    assert_eq!(
                        first_bad_label(wire, &origin, wildcard_ok),
                        search,
                        "{name}"
                    );
                    if Name::labels_of(wire).all(label_problem_free) {
                        assert_eq!(search, None, "{name} under {origin}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn non_ldh_owners_and_targets_fire() {
        let zone = format!(
            "{}web_1 A 192.0.2.1\nweb_1 AAAA 2001:db8::1\n-bad MX 10 mail\nend- AAAA 2001:db8::2\nsub NS ns_1.example.net.\n@ MX 20 mx\\032a\n_sip._tcp {}\n*.x_y A 192.0.2.3\n",
            head(),
            srv("sip.bad_host.example.net.")
        );
        insta::assert_snapshot!(check("ZONE018", &zone), @r"
        7:1 ZONE018 web_1.example.com. owns A records but is not a valid host name: label `web_1` contains `_`
          help: Use only letters, digits and hyphens in host names (no `_`, no hyphen at either end of a label)
        9:1 ZONE018 -bad.example.com. owns MX records but is not a valid host name: label `-bad` starts with `-`
          help: Use only letters, digits and hyphens in host names (no `_`, no hyphen at either end of a label)
        10:1 ZONE018 end-.example.com. owns AAAA records but is not a valid host name: label `end-` ends with `-`
          help: Use only letters, digits and hyphens in host names (no `_`, no hyphen at either end of a label)
        11:8 ZONE018 NS target ns_1.example.net. is not a valid host name: label `ns_1` contains `_`
          help: Point the NS at a host name made of letters, digits and hyphens
        12:9 ZONE018 MX target mx\032a.example.com. is not a valid host name: label `mx\032a` contains a space
          help: Point the MX at a host name made of letters, digits and hyphens
        13:23 ZONE018 SRV target sip.bad_host.example.net. is not a valid host name: label `bad_host` contains `_`
          help: Point the SRV at a host name made of letters, digits and hyphens
        14:1 ZONE018 *.x_y.example.com. owns A records but is not a valid host name: label `x_y` contains `_`
          help: Use only letters, digits and hyphens in host names (no `_`, no hyphen at either end of a label)
        ");
    }

    #[test]
    fn underscored_wildcard_root_and_address_names_do_not_fire() {
        let zone = format!(
            "{}_dmarc TXT \"v=DMARC1; p=none\"\nsel._domainkey TXT \"v=DKIM1; p=\"\n_acme-challenge.www A 192.0.2.9\n* A 192.0.2.1\n*.w MX 10 mail\n_sip._tcp {}\n_x._tcp {}\n@ MX 0 .\nsub NS 192.0.2.1\n1host A 192.0.2.2\nxn--bcher-kva A 192.0.2.3\n",
            head(),
            srv("."),
            srv("sip.example.net.")
        );
        assert_eq!(check("ZONE018", &zone), "");
    }
}
