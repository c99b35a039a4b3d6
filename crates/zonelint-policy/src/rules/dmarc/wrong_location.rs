//! DMARC020 `dmarc-wrong-location`.

use super::{answered, is_dmarc_name, is_report_authorization};
use crate::rules::zone::doubled_origin::{doubled_at, spellings};
use crate::rules::{
    written_owner_span, FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext,
};
use zonelint_zone::{Code, Name, NameRef};

/// A `v=DMARC1` record where receivers never look for one.
pub struct WrongLocation;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC020", slug: "dmarc-wrong-location" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`v=DMARC1` at the apex or another non-`_dmarc` name, or at a doubled origin",
    doc: RuleDoc {
        what: "Reports a DMARC record at a name that is not `_dmarc.<domain>` (the apex, `dmarc`, a host name), and one at `_dmarc.<origin>.<origin>.`: a `_dmarc.example.com` owner written without its trailing dot in the `example.com` zone. Report authorizations (`*._report._dmarc`) are not policy records, and wildcards are DMARC028's.",
        why: "Receivers look for a domain's policy only at `_dmarc.<domain>` (RFC 9989 §4.5, RFC 7489 §6.1). A record anywhere else is never read, so the domain it was meant for has no policy of its own. The doubled origin is invisible to live checkers: they only see that `_dmarc.example.com.` has no record.",
        example: "news A 192.0.2.80\nnews TXT \"v=spf1 -all\"\nnews TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        use_instead: "news A 192.0.2.80\nnews TXT \"v=spf1 -all\"\n_dmarc.news TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §4.5", "RFC 7489 §6.1", "RFC 1035 §5.1"],
    },
};

impl Rule for WrongLocation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        let zone = cx.zone;
        for entry in mail.dmarc.iter().filter(|e| answered(zone, e.txt)) {
            let owner = entry.txt.owner;
            if is_report_authorization(owner) {
                continue;
            }
            let wire = owner.as_wire();
            if is_dmarc_name(owner) {
                let Some(at) = doubled_at(wire, &zone.origin) else {
                    continue;
                };
                let meant = spellings(wire, at, &zone.origin);
                sink.report(written_owner_span(cx, entry.txt), format!("this DMARC record is at {owner}: its owner was written without a trailing dot, so the origin was appended, and {} has no record from it", meant.absolute))
                    .help(format!("Write the owner as `{}` (relative) or `{}`", meant.relative, meant.absolute))
                    .owner(owner);
                continue;
            }
            let parent_is_dmarc = owner.parent().is_some_and(is_dmarc_name);
            if owner.is_wildcard() && !parent_is_dmarc {
                continue; // DMARC028
            }
            let intended = intended_name(owner);
            let shown = intended.as_ref().map_or_else(
                || "`_dmarc.<domain>`, for the domain it is meant for".to_owned(),
                |n| n.to_string(),
            );
            sink.report(written_owner_span(cx, entry.txt), format!("DMARC record at {owner}, which is not a `_dmarc` name: receivers never look for a policy there"))
                .help(format!("Move it to {shown}"))
                .owner(owner);
        }
    }
}

/// Where a name was evidently meant to publish: `dmarc.example.com.` → `_dmarc.example.com.`
/// (a misspelt first label), a host name → `_dmarc.<name>`; `None` for other underscore
/// names (`s1._domainkey`), which are no mail domains to guess from.
fn intended_name(owner: &NameRef) -> Option<Name> {
    let first = owner.first_label()?;
    let trimmed: Vec<u8> = first
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b'_' | b'-'))
        .collect();
    if trimmed.eq_ignore_ascii_case(b"dmarc") {
        return owner.parent()?.prepend(b"_dmarc").ok();
    }
    if crate::rules::cov::has_underscore_label(owner) && !owner.is_wildcard() {
        return None;
    }
    let base = if owner.is_wildcard() {
        owner.parent()?.parent()?
    } else {
        owner
    };
    base.prepend(b"_dmarc").ok()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn records_at_names_receivers_never_query() {
        insta::assert_snapshot!(lint_snippet(
            "@ TXT \"v=DMARC1; p=reject\"\ndmarc TXT \"v=DMARC1; p=reject\"\n*._dmarc TXT \"v=DMARC1; p=reject\"\n_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n",
            &["DMARC020"],
        ));
    }

    #[test]
    fn dmarc_names_report_authorizations_and_wildcards_are_not_reported() {
        let found = lint_snippet(
            "_dmarc.news TXT \"v=DMARC1; p=reject\"\nexample.org._report._dmarc TXT \"v=DMARC1\"\n*._report._dmarc TXT \"v=DMARC1\"\n* TXT \"v=DMARC1; p=none\"\n",
            &["DMARC020"],
        );
        assert_eq!(found, "");
    }
}
