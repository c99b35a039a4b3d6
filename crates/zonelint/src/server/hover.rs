//! `textDocument/hover`: what a rule code in a suppression comment means, and what an SPF
//! term does.

use crate::render::rule_url;
use zonelint_policy::rules::registry;
use zonelint_zone::Zone;

/// The Markdown shown for the word at byte `offset` of `text` (the document, the zone's
/// first source), if it is a rule code or slug in a `zonelint:` comment, or a term of an
/// SPF record.
#[must_use]
pub fn hover(zone: &Zone, text: &str, offset: usize) -> Option<String> {
    let first = zone.sources.iter().next().map(|(id, _)| id)?;
    let in_comment = zone.comments.iter().find(|comment| {
        comment.span.source == first
            && (comment.span.start as usize) <= offset
            && offset < comment.span.end as usize
    });
    if let Some(comment) = in_comment {
        let comment_text = text.get(comment.span.range())?;
        if !comment_text.contains("zonelint:") {
            return None;
        }
        let word = word_at(text, offset, |c| c.is_ascii_alphanumeric() || c == '-')?;
        return rule_hover(word);
    }
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
    use zonelint_zone::{parse_str, ParseOptions};

    fn hover_at(text: &str, needle: &str) -> Option<String> {
        let (zone, _) = parse_str("t", text, &ParseOptions::default());
        hover(&zone, text, text.find(needle)? + 1)
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
}
