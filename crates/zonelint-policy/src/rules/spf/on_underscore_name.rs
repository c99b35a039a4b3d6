//! SPF036 `spf-on-underscore-name`.

use super::{analysis, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, NameRef};

/// An SPF record at an underscore name that some other protocol owns.
pub struct OnUnderscoreName;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF036", slug: "spf-on-underscore-name" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "an SPF record at an underscore name of another protocol (`_domainkey`, `_mta-sts`, SRV names)",
    doc: RuleDoc {
        what: "Reports a `v=spf1` record whose owner has an underscore label that another protocol defines (`_domainkey`, `_mta-sts`, `_smtp._tls`, `_bimi`, `_acme-challenge`, and the `_tcp`/`_udp`/`_sctp` labels of SRV and TLSA names), unless a loaded record includes it or redirects to it. At a `_dmarc` name itself, DMARC026 reports it (with any other foreign TXT). Other underscore names (`_spf`, `_netblocks`) are left alone: they are the usual homes of records that other domains include.",
        why: "Underscored names scope data about their parent domain (RFC 8552 §1); they are never a mail domain or a HELO name, since the SMTP grammar allows only letters, digits and hyphens there (RFC 5321 §4.1.2). Receivers therefore evaluate an SPF record at such a name only when an `include:` or `redirect=` points at it (RFC 7208 §5.2, §6.1). One under another protocol's name is usually left over from a tool that put `v=spf1 -all` on every name; it only adds to the TXT answer of the protocol that owns the name. The coverage rules (COV) exempt underscore names for the same reason.",
        example: "_acme-challenge.shop TXT \"v=spf1 -all\"\n_acme-challenge.shop TXT \"9ihDbjxjZ1Uv8Qz4vE3cvXz0\"\nshop TXT \"v=spf1 -all\"\n",
        use_instead: "_acme-challenge.shop TXT \"9ihDbjxjZ1Uv8Qz4vE3cvXz0\"\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: deleting the record is the owner's edit.",
        references: &["RFC 8552 §1", "RFC 5321 §4.1.2", "RFC 7208 §5.2", "RFC 7208 §6.1"],
    },
};

/// Underscore labels that name a protocol's own data (the RFC 8552 registry, and the
/// records this linter reads elsewhere): an SPF record under them is never a mail domain's.
const OTHER_PROTOCOL_LABELS: &[&[u8]] = &[
    b"_dmarc",
    b"_domainkey",
    b"_mta-sts",
    b"_smtp",
    b"_tls",
    b"_bimi",
    b"_acme-challenge",
    b"_tcp",
    b"_udp",
    b"_sctp",
    b"_report",
];

/// The first underscore label of `name` that another protocol owns.
fn other_protocol_label(name: &NameRef) -> Option<String> {
    name.labels()
        .find(|label| {
            OTHER_PROTOCOL_LABELS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(label))
        })
        .map(|label| String::from_utf8_lossy(label).into_owned())
}

impl Rule for OnUnderscoreName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let analysis = analysis(cx);
        let analysis = &*analysis;
        for (id, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let Some(label) = other_protocol_label(owner) else {
                continue;
            };
            // Any TXT but DMARC's at a `_dmarc` name is DMARC026's finding.
            if owner
                .first_label()
                .is_some_and(|first| first.eq_ignore_ascii_case(b"_dmarc"))
            {
                continue;
            }
            let reached = analysis.reached(id);
            if reached.by_include || reached.by_redirect {
                continue;
            }
            sink.report(
                entry.txt.text.whole_span(),
                format!("{owner} has an SPF record, but `{label}` names belong to another protocol and are never a mail domain: receivers never evaluate it"),
            )
            .help("Delete the record; publish SPF at the names mail is sent from")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn spf_at_other_protocols_names_fires() {
        insta::assert_snapshot!(lint_snippet(
            "_dmarc.a TXT \"v=spf1 -all\"\nsel._domainkey TXT \"v=spf1 -all\"\n_25._tcp.mail TXT \"v=spf1 -all\"\n_smtp._tls TXT \"v=spf1 -all\"\n",
            &["SPF036"],
        ));
    }

    #[test]
    fn include_targets_and_unknown_underscore_names_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 include:_spf.example.com redirect=_dmarc.b.example.com\"\n_spf TXT \"v=spf1 ip4:192.0.2.25 -all\"\n_netblocks2 TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n_dmarc.b TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject\"\n",
            &["SPF036"],
        );
        assert_eq!(found, "");
    }
}
