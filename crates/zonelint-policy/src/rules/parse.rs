//! The documentation of the parser's own codes (`PARSE001`–`PARSE012`).
//!
//! The parser (`zonelint-zone`) reports these while it reads a file, so they are not
//! rules of the registry: no lint runs them, and they cannot be selected away or
//! suppressed (a record that does not parse cannot be checked). Their pages are still
//! generated from here, like every rule's, so that `zonelint rule PARSE004`, the editor's
//! link on a parse error and the SARIF rule metadata all say what the problem is.

use super::{FixAvailability, Level, RuleDoc, RuleMeta};
use zonelint_zone::diagnostic::codes;

/// A parse code's page: `Error` in both profiles unless noted.
const fn page(
    code: zonelint_zone::Code,
    default: Level,
    summary: &'static str,
    doc: RuleDoc,
) -> RuleMeta {
    RuleMeta {
        code,
        default,
        strict: default,
        fix: FixAvailability::None,
        first_release: true,
        summary,
        doc,
    }
}

/// Every parse code's page, in code order.
pub static PAGES: [RuleMeta; 12] = [
    page(
        codes::PARSE_SYNTAX,
        Level::Error,
        "unexpected token, unbalanced parentheses, unterminated quote, junk after RDATA",
        RuleDoc {
            what: "Reports what breaks the master-file syntax itself: a `)` with no `(`, a `(` never closed, a quoted string that runs to the end of the file, a line that ends in the middle of a record, or text left over after a record's data. The record is dropped and reading goes on at the next line.",
            why: "RFC 1035 §5.1 defines the master-file format. BIND, Knot and NSD refuse to load a zone with a syntax error, so the whole zone (not just the broken record) stays unpublished or stale until it is fixed.",
            example: "www A 192.0.2.1 )\n",
            use_instead: "www A 192.0.2.1\n",
            fix_safety: "No fix: what was meant cannot be known.",
            references: &["RFC 1035 §5.1"],
        },
    ),
    page(
        codes::PARSE_RDATA,
        Level::Error,
        "RDATA not in its type's presentation format",
        RuleDoc {
            what: "Reports record data that its type cannot hold: an address out of range, a number too large for its field, bad base64, hex or base32, a `\\#` length that does not match the data, SVCB keys duplicated or `mandatory` unsorted.",
            why: "Name servers refuse the zone (BIND: \"bad dotted quad\", \"bad base64 encoding\"); the record's type RFC defines its presentation format, RFC 3597 §5 the generic `\\#` form, RFC 9460 §2.1 the SVCB parameters.",
            example: "www A 192.0.2.300\n",
            use_instead: "www A 192.0.2.30\n",
            fix_safety: "No fix: the intended value cannot be known.",
            references: &["RFC 1035 §3.3, §3.4", "RFC 3597 §5", "RFC 9460 §2.1"],
        },
    ),
    page(
        codes::PARSE_UNKNOWN_TYPE,
        Level::Error,
        "unknown type or class mnemonic",
        RuleDoc {
            what: "Reports a record type or class that is neither a known mnemonic nor the generic `TYPEnnn`/`CLASSnnn` form.",
            why: "A name server cannot encode a type it does not know and refuses the zone. RFC 3597 §5 gives every type a generic spelling (`TYPE65534 \\# 3 010203`) for types a server does not know by name.",
            example: "www A6X 1 2 3\n",
            use_instead: "www TYPE65534 \\# 3 010203\n",
            fix_safety: "No fix: the intended type cannot be known.",
            references: &["RFC 3597 §5"],
        },
    ),
    page(
        codes::PARSE_TXT_TOO_LONG,
        Level::Error,
        "a character-string over 255 octets",
        RuleDoc {
            what: "Reports a quoted (or bare) character-string longer than 255 octets; the message gives its length, and the help where to split it into several strings.",
            why: "RFC 1035 §3.3: a <character-string> is one length octet followed by at most 255 octets. Long SPF and DKIM records must be written as several strings, which receivers join (RFC 7208 §3.3, RFC 6376 §3.6.2.2).",
            example: "long TXT \"v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 ip4:192.0.2.16 ip4:192.0.2.17 ip4:192.0.2.18 ip4:192.0.2.19 ip4:192.0.2.20 -all\"\n",
            use_instead: "long TXT \"v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 \" \"ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 ip4:192.0.2.16 ip4:192.0.2.17 ip4:192.0.2.18 ip4:192.0.2.19 ip4:192.0.2.20 -all\"\n",
            fix_safety: "No fix yet: the split belongs where the record's own grammar allows it (between terms).",
            references: &["RFC 1035 §3.3", "RFC 7208 §3.3"],
        },
    ),
    page(
        codes::PARSE_NAME,
        Level::Error,
        "a malformed domain name",
        RuleDoc {
            what: "Reports a name with an empty label (`a..b`), a label over 63 octets, a name over 255 octets in wire form, or a `\\DDD` escape over 255.",
            why: "RFC 1035 §2.3.4 limits labels to 63 octets and names to 255; an empty label cannot be encoded. Name servers refuse the zone.",
            example: "a..b A 192.0.2.1\n",
            use_instead: "a.b A 192.0.2.1\n",
            fix_safety: "No fix: the intended name cannot be known.",
            references: &["RFC 1035 §2.3.4", "RFC 1035 §5.1"],
        },
    ),
    page(
        codes::PARSE_TTL,
        Level::Error,
        "a malformed or out-of-range TTL",
        RuleDoc {
            what: "Reports a TTL that is not a number or a BIND unit form (`1h30m`, `1w`); a TTL over 2^31−1 is a warning and is read as BIND does.",
            why: "RFC 2181 §8: a TTL is an unsigned number from 0 to 2^31−1; values with the top bit set are treated as 0 by resolvers, which defeats caching.",
            example: "www 1x2y A 192.0.2.1\n",
            use_instead: "www 1h A 192.0.2.1\n",
            fix_safety: "No fix: the intended TTL cannot be known.",
            references: &["RFC 2181 §8", "RFC 1035 §5.1"],
        },
    ),
    page(
        codes::PARSE_INCLUDE,
        Level::Error,
        "an `$INCLUDE` that cannot or must not be read",
        RuleDoc {
            what: "Reports an `$INCLUDE` whose file is missing or unreadable, lies outside the zone's directory tree, would be read a second time (a cycle), nests more than 10 deep, or is refused because includes are disabled (`--no-include`). The file is not read.",
            why: "RFC 1035 §5.1 defines `$INCLUDE`; a missing file makes name servers refuse the zone, and a path outside the tree is how a hostile zone would try to read `/etc/shadow` into a report (docs/security.md).",
            example: "$INCLUDE missing.inc\n",
            use_instead: "; the records, written here\n",
            fix_safety: "No fix.",
            references: &["RFC 1035 §5.1", "docs/security.md"],
        },
    ),
    page(
        codes::PARSE_GENERATE,
        Level::Error,
        "a malformed `$GENERATE`, or one over 65,535 steps",
        RuleDoc {
            what: "Reports a `$GENERATE` whose range, step, modifiers (`${offset,width,base}`) or template cannot be read, one with more than 65,535 steps, or one past the total the parse allows; no record of it is made.",
            why: "`$GENERATE` is a BIND extension (BIND ARM, \"The $GENERATE Directive\"); an unbounded range would make millions of records from one line.",
            example: "$GENERATE 1-99999999 h$ A 192.0.2.1\n",
            use_instead: "$GENERATE 1-254 h$ A 192.0.2.$\n",
            fix_safety: "No fix.",
            references: &["BIND 9 ARM, $GENERATE"],
        },
    ),
    page(
        codes::PARSE_DIRECTIVE,
        Level::Error,
        "an unknown `$` directive",
        RuleDoc {
            what: "Reports a line starting with `$` that is not `$ORIGIN`, `$TTL`, `$INCLUDE` or `$GENERATE`.",
            why: "RFC 1035 §5.1 (and RFC 2308 §4 for `$TTL`) define the directives; name servers refuse the zone on any other, and a misspelt `$ORIGIN` leaves every following relative name under the wrong origin.",
            example: "$ORIGINN example.com.\n",
            use_instead: "$ORIGIN example.com.\n",
            fix_safety: "No fix yet.",
            references: &["RFC 1035 §5.1", "RFC 2308 §4"],
        },
    ),
    page(
        codes::PARSE_ORIGIN,
        Level::Error,
        "a relative name with no origin known",
        RuleDoc {
            what: "Reports a relative name (or `@`) read while no origin is known: the file sets no `$ORIGIN` and none was given (`--origin`, or a `[[zone]]` entry). A relative `$ORIGIN` is a warning: it is appended to the origin in force, as BIND does.",
            why: "RFC 1035 §5.1: relative names are completed with the current origin; without one they mean nothing, and a relative `$ORIGIN` is usually a forgotten trailing dot.",
            example: "$ORIGIN sub\nwww A 192.0.2.1\n",
            use_instead: "$ORIGIN sub.example.com.\nwww A 192.0.2.1\n",
            fix_safety: "No fix: the intended origin cannot be known.",
            references: &["RFC 1035 §5.1"],
        },
    ),
    page(
        codes::PARSE_INHERITED_OWNER,
        Level::Warning,
        "blank owner right after `$ORIGIN` or `$INCLUDE`",
        RuleDoc {
            what: "Reports a record with a blank owner (a line starting with white space) right after an `$ORIGIN` or `$INCLUDE`: its owner is the previous record's, whatever the directive changed.",
            why: "RFC 1035 §5.1 makes a blank owner the previous one; BIND keeps it across `$ORIGIN` (master.c), so `$ORIGIN sub.example.com.` followed by an indented record does not put that record under `sub`, which is rarely what was meant.",
            example: "www A 192.0.2.1\n$ORIGIN sub.example.com.\n  A 192.0.2.2\n",
            use_instead: "www A 192.0.2.1\n$ORIGIN sub.example.com.\nwww A 192.0.2.2\n",
            fix_safety: "No fix: whether the previous owner was meant cannot be known.",
            references: &["RFC 1035 §5.1", "BIND 9 lib/dns/master.c"],
        },
    ),
    page(
        codes::PARSE_LIMIT,
        Level::Error,
        "a resource limit was reached",
        RuleDoc {
            what: "Reports input past one of the parser's limits: a token over 64 KiB, RDATA over 65,535 octets, a file over the size cap, or more diagnostics than are kept for one file (the rest are counted). docs/security.md lists every limit.",
            why: "RFC 1035 §3.2.1 caps RDATA at 65,535 octets; the other limits keep a hostile file from costing unbounded memory or time.",
            example: "",
            use_instead: "",
            fix_safety: "No fix.",
            references: &["RFC 1035 §3.2.1", "docs/security.md"],
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::PAGES;
    use zonelint_zone::diagnostic::codes;
    use zonelint_zone::{parse_str, Name, ParseOptions};

    const BASE: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\nns1 A 192.0.2.53\n";

    fn parse_codes(example: &str) -> Vec<&'static str> {
        let options = ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        };
        let (_, diagnostics) = parse_str("example.zone", &format!("{BASE}{example}"), &options);
        diagnostics.iter().map(|d| d.code.code).collect()
    }

    #[test]
    fn every_parse_code_has_a_page_in_order() {
        let documented: Vec<_> = PAGES.iter().map(|page| page.code).collect();
        assert_eq!(documented, codes::ALL);
    }

    #[test]
    fn examples_give_exactly_their_code_and_corrections_parse() {
        for page in &PAGES {
            if page.doc.example.is_empty() {
                continue; // PARSE012: its inputs are megabytes (tests in the parser).
            }
            assert_eq!(
                parse_codes(page.doc.example),
                [page.code.code],
                "{}",
                page.code.code
            );
            assert_eq!(
                parse_codes(page.doc.use_instead),
                Vec::<&str>::new(),
                "{}",
                page.code.code
            );
        }
    }
}
