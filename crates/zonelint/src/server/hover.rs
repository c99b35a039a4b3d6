//! `textDocument/hover`: what a rule code in a suppression comment means; what an SPF
//! term does and how many DNS lookups the record's include tree costs; what a DMARC or
//! DKIM tag means.

use crate::render::rule_url;
use std::fmt::Write as _;
use zonelint_policy::index::{ZoneIndex, ZoneSet};
use zonelint_policy::mail::{MailSet, MailTexts};
use zonelint_policy::rules::registry;
use zonelint_policy::spf_eval::{
    RecordId, SpfAnalysis, TargetKind, TermRole, LOOKUP_LIMIT, VOID_LIMIT,
};
use zonelint_policy::LintInput;
use zonelint_zone::Span;

/// The Markdown shown for the place at byte `offset` of `text`, the document whose zone
/// is the first of `inputs` (the others are the zones it is linted with): a rule code or
/// slug in a `zonelint:` comment, a term of an SPF record (with the lookups of the
/// record's include tree), or a tag of a DMARC or DKIM record.
#[must_use]
pub fn hover(inputs: &[LintInput<'_>], text: &str, offset: usize) -> Option<String> {
    let document = inputs.first()?;
    let zone = document.zone;
    let first = zone.sources.iter().next().map(|(id, _)| id)?;
    let inside = |span: Span| {
        span.source == first && (span.start as usize) <= offset && offset < span.end as usize
    };
    if let Some(comment) = zone.comments.iter().find(|comment| inside(comment.span)) {
        let comment_text = text.get(comment.span.range())?;
        if !comment_text.contains("zonelint:") {
            return None;
        }
        let word = word_at(text, offset, |c| c.is_ascii_alphanumeric() || c == '-')?;
        return rule_hover(word);
    }
    let is_mail_text = zone.records().any(|record| {
        inside(record.span())
            && matches!(
                record.rtype(),
                zonelint_zone::RType::TXT | zonelint_zone::RType::SPF
            )
    });
    if !is_mail_text {
        return None;
    }
    // The document first, so that it is zone 0 of the set.
    let Some(apex) = document.apex() else {
        // Without an apex the zone is not linted: the term alone is explained.
        return unlinted_spf_term_hover(text, offset);
    };
    let zones: Vec<ZoneIndex<'_>> = std::iter::once(ZoneIndex::build(zone, apex))
        .chain(
            inputs
                .iter()
                .skip(1)
                .filter_map(|input| Some(ZoneIndex::build(input.zone, input.apex()?))),
        )
        .collect();
    let set = ZoneSet::new(zones);
    let texts = MailTexts::read(&set);
    let mail = MailSet::parse(&texts);
    let own = mail.zone(0)?;
    if let Some((entry, spf)) = own
        .spf
        .iter()
        .enumerate()
        .find(|(_, spf)| inside(spf.txt.span()))
    {
        // The owner, TTL and type are not the policy: only its text explains itself.
        if offset < spf.record.version_span.start as usize {
            return None;
        }
        let term = spf
            .record
            .terms
            .iter()
            .find(|term| inside(term.span()))
            .map(|term| String::from_utf8_lossy(term.text()).into_owned())
            .or_else(|| inside(spf.record.version_span).then(|| "v=spf1".to_owned()));
        let analysis = SpfAnalysis::build(&set, &mail);
        let record = RecordId::new(0, entry);
        // On an `include:` or `redirect=` whose target is loaded: that subtree's count.
        let subtree = analysis.evaluation(record).and_then(|evaluation| {
            evaluation
                .terms
                .iter()
                .find(|term| inside(term.span))
                .and_then(|term| term.child.filter(|_| !term.closes_loop))
        });
        let mut shown = term.as_deref().and_then(spf_term_hover).unwrap_or_default();
        if let Some(lookups) = lookup_tree(&mail, &analysis, subtree.unwrap_or(record)) {
            if !shown.is_empty() {
                shown.push_str("\n\n");
            }
            shown.push_str(&lookups);
        }
        return Some(shown).filter(|shown| !shown.is_empty());
    }
    if let Some(dmarc) = own.dmarc.iter().find(|dmarc| inside(dmarc.txt.span())) {
        let tag = dmarc.record.tags.iter().find(|tag| inside(tag.span()))?;
        return tag_hover("DMARC", tag.name(), tag.value(), dmarc_tag);
    }
    if let Some(dkim) = own.dkim.iter().find(|dkim| inside(dkim.txt.span())) {
        let tag = dkim.record.tags.iter().find(|tag| inside(tag.span()))?;
        return tag_hover("DKIM", tag.name(), tag.value(), dkim_tag);
    }
    None
}

/// The SPF term at `offset`, found in the text of its line.
fn unlinted_spf_term_hover(text: &str, offset: usize) -> Option<String> {
    let line_start = text
        .get(..offset)?
        .rfind(['\n', '\r'])
        .map_or(0, |at| at + 1);
    let line_end = text
        .get(offset..)?
        .find(['\n', '\r'])
        .map_or(text.len(), |at| offset + at);
    if !text.get(line_start..line_end)?.contains("v=spf1") {
        return None;
    }
    let term = word_at(text, offset, |c| !c.is_whitespace() && c != '"' && c != ';')?;
    spf_term_hover(term)
}

/// The owner of the SPF record `id`, shown.
fn owner_of(mail: &MailSet<'_>, id: RecordId) -> String {
    mail.spf_owner(id)
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The most lines of an include tree shown.
const MAX_TREE_LINES: usize = 40;

/// The DNS lookups of the SPF record `id` and its include tree (RFC 7208 §4.6.4):
/// the total against the limit of 10 (a lower bound when a target is outside the loaded
/// zones), the void lookups, and each lookup-costing term, includes nested.
fn lookup_tree(mail: &MailSet<'_>, analysis: &SpfAnalysis, id: RecordId) -> Option<String> {
    let evaluation = analysis.evaluation(id)?;
    let totals = evaluation.totals;
    let bound = if totals.open > 0 { "≥" } else { "" };
    let mut shown = format!(
        "**{bound}{}/{LOOKUP_LIMIT} DNS lookups** for the SPF record of `{}`",
        totals.lookups,
        owner_of(mail, id)
    );
    if totals.lookups > LOOKUP_LIMIT {
        shown.push_str(" (over the limit: receivers return permerror)");
    }
    if totals.open > 0 {
        let _ = write!(
            shown,
            "; {} include/redirect target{} not in the loaded zones, whose lookups are not counted",
            totals.open,
            if totals.open == 1 { " is" } else { "s are" },
        );
        if totals.sender_dependent > 0 {
            let _ = write!(shown, " ({} built from macros)", totals.sender_dependent);
        }
    }
    let _ = write!(
        shown,
        ".\n\nVoid lookups: {}/{VOID_LIMIT} (IPv4), {}/{VOID_LIMIT} (IPv6).",
        totals.void_ip4, totals.void_ip6
    );
    if evaluation.terms.is_empty() {
        return Some(shown);
    }
    shown.push_str("\n\n");
    let mut lines = Vec::new();
    let mut path = vec![id];
    tree_lines(mail, analysis, id, 0, &mut path, &mut lines);
    if lines.len() > MAX_TREE_LINES {
        let more = lines.len() - MAX_TREE_LINES;
        lines.truncate(MAX_TREE_LINES);
        lines.push(format!("- … {more} more"));
    }
    shown.push_str(&lines.join("\n"));
    Some(shown)
}

/// One line per lookup-costing term of record `id`, indented by `depth`, with the
/// records its includes lead to below it.
fn tree_lines(
    mail: &MailSet<'_>,
    analysis: &SpfAnalysis,
    id: RecordId,
    depth: usize,
    path: &mut Vec<RecordId>,
    lines: &mut Vec<String>,
) {
    let Some(evaluation) = analysis.evaluation(id) else {
        return;
    };
    for term in &evaluation.terms {
        if lines.len() > MAX_TREE_LINES {
            return;
        }
        let mut line = format!("{}- `{}`", "  ".repeat(depth), term.text);
        let child = term
            .child
            .filter(|child| !term.closes_loop && !path.contains(child))
            .and_then(|child| Some((child, analysis.evaluation(child)?)));
        match (&term.target, child) {
            (_, Some((below_id, below))) => {
                let bound = if below.totals.open > 0 { "≥" } else { "" };
                let lookups = below.totals.lookups.saturating_add(1);
                let _ = write!(
                    line,
                    ": {bound}{lookups} lookup{} with `{}`'s record",
                    if lookups == 1 { "" } else { "s" },
                    owner_of(mail, below_id)
                );
            }
            _ if term.closes_loop => line.push_str(": closes a loop (permerror)"),
            _ if term.too_deep => line.push_str(": not followed (too deep)"),
            _ if term.target_without_spf => {
                line.push_str(": the target publishes no SPF record (permerror)");
            }
            (TargetKind::External(name), _)
                if matches!(term.role, TermRole::Include | TermRole::Redirect) =>
            {
                let _ = write!(line, ": ≥1, `{name}` is not in the loaded zones");
            }
            (TargetKind::SenderDependent, _) => line.push_str(": depends on the sender (macros)"),
            _ => {}
        }
        if let Some(hosts) = term.mx_hosts {
            let _ = write!(
                line,
                " ({hosts} MX host{})",
                if hosts == 1 { "" } else { "s" }
            );
        }
        match (term.void_ip4, term.void_ip6) {
            (true, true) => line.push_str(" (void lookup)"),
            (true, false) => line.push_str(" (void lookup for IPv4)"),
            (false, true) => line.push_str(" (void lookup for IPv6)"),
            (false, false) => {}
        }
        lines.push(line);
        if let Some((child, _)) = child {
            path.push(child);
            tree_lines(mail, analysis, child, depth + 1, path, lines);
            path.pop();
        }
    }
}

/// A tag's name, its value and what it means.
fn tag_hover(
    kind: &str,
    name: &[u8],
    value: &[u8],
    meaning: fn(&str) -> Option<&'static str>,
) -> Option<String> {
    let name = String::from_utf8_lossy(name);
    let value = String::from_utf8_lossy(value);
    let meaning =
        meaning(&name.to_ascii_lowercase()).unwrap_or("an unknown tag: receivers ignore it");
    Some(format!("{kind} `{name}={value}`: {meaning}."))
}

/// What a DMARC tag means (RFC 7489 §6.3; RFC 9989 §4.7, numbered as
/// draft-ietf-dmarc-dmarcbis-41, for `np`, `t` and `psd`).
fn dmarc_tag(name: &str) -> Option<&'static str> {
    Some(match name {
        "v" => "the version, `DMARC1`; must come first (RFC 7489 §6.3)",
        "p" => "the policy receivers are asked to apply to mail that fails DMARC: `none` (monitor only), `quarantine` (treat as suspicious: the spam folder) or `reject` (refuse it) (RFC 7489 §6.3)",
        "sp" => "the policy for subdomains of the organizational domain; `p` when absent (RFC 7489 §6.3)",
        "np" => "the policy for subdomains that do not exist; `sp` when absent (RFC 9989 §4.7, first RFC 9091)",
        "pct" => "the percentage of failing mail the policy applies to, 0 to 100 (default 100); the rest gets the next weaker policy (RFC 7489 §6.3; removed by RFC 9989, which has `t` instead)",
        "rua" => "where aggregate reports are sent: `mailto:` URIs, comma-separated; a mailbox in another domain must be authorized by that domain's `_report._dmarc` record (RFC 7489 §6.3, §7.1)",
        "ruf" => "where failure (forensic) reports are sent: `mailto:` URIs; few receivers send them (RFC 7489 §6.3, §7.1)",
        "adkim" => "DKIM alignment: `r` relaxed (the same organizational domain, the default) or `s` strict (the exact domain) (RFC 7489 §6.3, §3.1.1)",
        "aspf" => "SPF alignment: `r` relaxed (the same organizational domain, the default) or `s` strict (the exact domain) (RFC 7489 §6.3, §3.1.2)",
        "fo" => "when failure reports are wanted: `0` all mechanisms fail (default), `1` any fails, `d` DKIM fails, `s` SPF fails; only with `ruf` (RFC 7489 §6.3)",
        "rf" => "the failure report format: `afrf`, the default and only one defined (RFC 7489 §6.3; removed by RFC 9989)",
        "ri" => "the interval asked for between aggregate reports, in seconds (default 86400, a day) (RFC 7489 §6.3; removed by RFC 9989)",
        "t" => "test mode: `y` asks receivers to apply the next weaker policy (RFC 9989 §4.7)",
        "psd" => "whether the domain is a public suffix domain: `y`, `n` or `u` (RFC 9989 §4.7)",
        _ => return None,
    })
}

/// What a DKIM key record tag means (RFC 6376 §3.6.1).
fn dkim_tag(name: &str) -> Option<&'static str> {
    Some(match name {
        "v" => "the version, `DKIM1`; must come first when present (RFC 6376 §3.6.1)",
        "h" => "the hash algorithms the key may be used with (default: all); `sha1` must no longer be used (RFC 6376 §3.6.1, RFC 8301)",
        "k" => "the key type: `rsa` (the default) or `ed25519` (RFC 6376 §3.6.1, RFC 8463)",
        "n" => "notes for people; verifiers ignore them (RFC 6376 §3.6.1)",
        "p" => "the public key, base64; empty means the key has been revoked (RFC 6376 §3.6.1)",
        "s" => "the service types the key is for: `*` (all, the default) or `email` (RFC 6376 §3.6.1)",
        "t" => "flags: `y` the domain is testing DKIM (verifiers must not treat signed mail differently), `s` the `i=` domain must be exactly `d=`, not a subdomain (RFC 6376 §3.6.1)",
        "g" => "the granularity of RFC 4871, removed by RFC 6376: ignored",
        _ => return None,
    })
}

/// The word around `offset` made of characters that satisfy `part`.
fn word_at(text: &str, offset: usize, part: impl Fn(char) -> bool) -> Option<&str> {
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !part(c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let after = text.get(offset..)?;
    let end = after
        .char_indices()
        .find(|&(_, c)| !part(c))
        .map_or(text.len(), |(at, _)| offset + at);
    text.get(start..end).filter(|word| !word.is_empty())
}

/// A rule's code, slug, summary, what it does, why, and its page.
fn rule_hover(word: &str) -> Option<String> {
    let meta = registry::find_page(word)?;
    Some(format!(
        "**{}** `{}`: {}\n\n{}\n\n{}\n\n[Documentation]({})",
        meta.code.code,
        meta.code.slug,
        meta.summary,
        meta.doc.what,
        meta.doc.why,
        rule_url(meta.code)
    ))
}

/// What an SPF term (RFC 7208) does: its qualifier, then its mechanism or modifier.
fn spf_term_hover(term: &str) -> Option<String> {
    if term.eq_ignore_ascii_case("v=spf1") {
        return Some(
            "`v=spf1`: marks this TXT record as an SPF policy (RFC 7208 §4.5); a name may \
             publish only one."
                .to_owned(),
        );
    }
    if let Some((name, value)) = term.split_once('=') {
        let meaning = match name.to_ascii_lowercase().as_str() {
            "redirect" => "when no mechanism matches, the result is that of the SPF record of this domain (RFC 7208 §6.1); counts as a DNS lookup",
            "exp" => "the domain whose TXT record explains a `fail` to the sender (RFC 7208 §6.2)",
            _ => "an unknown modifier: receivers ignore it (RFC 7208 §6)",
        };
        return Some(format!("`{name}={value}`: {meaning}."));
    }
    let (qualifier, rest) = match term.chars().next()? {
        '+' => ("pass (`+`)", term.get(1..)?),
        '-' => ("fail (`-`)", term.get(1..)?),
        '~' => ("softfail (`~`)", term.get(1..)?),
        '?' => ("neutral (`?`)", term.get(1..)?),
        _ => ("pass (no qualifier means `+`)", term),
    };
    let mechanism = rest
        .split([':', '/'])
        .next()
        .unwrap_or(rest)
        .to_ascii_lowercase();
    let meaning = match mechanism.as_str() {
        "all" => "matches every sender; ends the evaluation",
        "include" => "matches when the named domain's SPF record passes the sender; one DNS lookup, plus that record's",
        "a" => "matches when the sender's IP is an A/AAAA address of the domain; one DNS lookup",
        "mx" => "matches when the sender's IP is an address of one of the domain's MX hosts; one DNS lookup, plus up to 10 for the hosts",
        "ptr" => "matches by reverse DNS; slow and unreliable, RFC 7208 §5.5 says not to use it",
        "ip4" => "matches an IPv4 address or network; no DNS lookup",
        "ip6" => "matches an IPv6 address or network; no DNS lookup",
        "exists" => "matches when the (macro-expanded) domain has an A record; one DNS lookup",
        _ => return None,
    };
    Some(format!(
        "`{term}`: {meaning} (RFC 7208 §5). On a match the result is {qualifier}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::{parse_str, ParseOptions, Zone};

    fn hover_at(text: &str, needle: &str) -> Option<String> {
        let (zone, _) = parse_str("t", text, &ParseOptions::default());
        hover(&[LintInput::new(&zone)], text, text.find(needle)? + 1)
    }

    #[test]
    fn explains_a_rule_code_in_a_suppression_comment() {
        let text = "example.com. 300 IN TXT \"v=spf1 +all\" ; zonelint: ignore[SPF001] test\n";
        let shown = hover_at(text, "SPF001").unwrap();
        assert!(shown.starts_with("**SPF001**"), "{shown}");
        assert!(shown.contains("https://zonelint.dev/rules/"), "{shown}");
    }

    #[test]
    fn explains_spf_terms() {
        let text = "example.com. 300 IN TXT \"v=spf1 include:_spf.example.net ~all\"\n";
        assert!(hover_at(text, "include")
            .unwrap()
            .contains("one DNS lookup"));
        assert!(hover_at(text, "~all").unwrap().contains("softfail"));
        assert!(hover_at(text, "v=spf1").unwrap().contains("SPF policy"));
        assert_eq!(hover_at(text, "300"), None);
    }

    /// The hover at `needle` in `text`, a zone of `example.com.` linted with `others`.
    fn hover_in(text: &str, others: &[(&str, &str)], needle: &str) -> Option<String> {
        let parse = |origin: &str, text: &str, first_source_id: u32| {
            let options = ParseOptions {
                origin: Some(zonelint_zone::Name::parse(origin.as_bytes(), None).unwrap()),
                first_source_id,
                ..ParseOptions::default()
            };
            parse_str(origin, text, &options).0
        };
        let zone = parse("example.com.", text, 0);
        let others: Vec<Zone> = (1..)
            .zip(others)
            .map(|(index, (origin, text))| parse(origin, text, index << 16))
            .collect();
        let inputs: Vec<LintInput<'_>> = std::iter::once(&zone)
            .chain(&others)
            .map(LintInput::new)
            .collect();
        hover(&inputs, text, text.find(needle)? + 1)
    }

    #[test]
    fn an_spf_record_shows_the_lookups_of_its_include_tree() {
        let text = "@ 300 IN TXT \"v=spf1 include:_spf.example.net redirect=_r.example.com\"\n\
                    _r 300 IN TXT \"v=spf1 exists:%{i}.x.example.com -all\"\n";
        let net = "_spf 300 IN TXT \"v=spf1 include:_spf.example.com -all\"\n\
                   @ 300 IN SOA ns. h. 1 2 3 4 5\n";
        let shown = hover_in(text, &[("example.net.", net)], "v=spf1").unwrap();
        // include (1) + its loop back (1) + redirect (1) + exists (1); the redirect is
        // followed because the record has no `all`.
        assert!(
            shown.contains("**4/10 DNS lookups** for the SPF record of `example.com.`"),
            "{shown}"
        );
        assert!(
            shown.contains(
                "- `include:_spf.example.net`: 2 lookups with `_spf.example.net.`'s record\n  \
                 - `include:_spf.example.com`: the target publishes no SPF record (permerror)"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("- `redirect=_r.example.com`: 2 lookups with `_r.example.com.`'s record\n  - `exists:%{i}.x.example.com`"),
            "{shown}"
        );
    }

    #[test]
    fn a_loop_is_shown_once() {
        let text = "@ 300 IN TXT \"v=spf1 include:_a.example.com -all\"\n\
                    _a 300 IN TXT \"v=spf1 include:example.com -all\"\n";
        let shown = hover_in(text, &[], "v=spf1").unwrap();
        assert!(shown.contains("- `include:_a.example.com`"), "{shown}");
        assert!(shown.contains("closes a loop (permerror)"), "{shown}");
    }

    #[test]
    fn dmarc_and_dkim_tags_are_explained() {
        let text = "_dmarc 300 IN TXT \"v=DMARC1; p=none; sp=reject; adkim=s; x=1\"\n\
                    s._domainkey 300 IN TXT \"v=DKIM1; k=rsa; t=y; p=\"\n";
        let shown = |needle| hover_in(text, &[], needle).unwrap_or_default();
        assert!(
            shown("p=none").starts_with("DMARC `p=none`: the policy"),
            "{}",
            shown("p=none")
        );
        assert!(shown("sp=").contains("subdomains"));
        assert!(shown("adkim").contains("`s` strict"));
        assert!(shown("x=1").contains("unknown tag"));
        assert!(
            shown("t=y").starts_with("DKIM `t=y`: flags"),
            "{}",
            shown("t=y")
        );
        assert!(shown("p=\"").contains("revoked"), "{}", shown("p=\""));
        // Between tags, and on the owner: nothing.
        assert_eq!(shown("_dmarc"), "");
    }
}
