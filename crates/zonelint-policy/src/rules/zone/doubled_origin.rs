//! ZONE016 `zone-doubled-origin`.

use crate::index::ZoneIndex;
use crate::rules::targets::{field_span, name_ranges, owner_span};
use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::name::write_label;
use zonelint_zone::{Applicability, Code, Edit, Fix, Name, NameRef, RType, Span};

/// A name ending in the origin twice: a name written without its trailing dot.
pub struct DoubledOrigin;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE016", slug: "zone-doubled-origin" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "owner or RDATA name ending in the origin twice (a missing trailing dot)",
    doc: RuleDoc {
        what: "Reports an owner name, or a domain name in RDATA, that ends in `<origin>.<origin>.`, such as `www.example.com.example.com.`: a name written absolute but without its trailing dot, so the origin was appended to it. MX exchanges are MX005's finding.",
        why: "A name without a trailing dot is relative and gets the origin appended (RFC 1035 §5.1). The record then sits at a name nobody queries: a DMARC record written as `_dmarc.example.com` is published at `_dmarc.example.com.example.com.`, and `_dmarc.example.com.` has none. Live checkers cannot see this; they only see the record missing.",
        example: "www.example.com TXT \"v=spf1 -all\"\n",
        use_instead: "www TXT \"v=spf1 -all\"\n",
        fix_safety: "Unsafe: rewrites the name to its relative form (`www`), which moves the record to the name that was evidently meant. That changes what is published, so review it.",
        references: &["RFC 1035 §5.1", "RFC 1034 §3.1"],
    },
};

/// If `wire` ends in `<origin>.<origin>.`, the offset where that doubled suffix starts.
pub(crate) fn doubled_at(wire: &[u8], origin: &NameRef) -> Option<usize> {
    let origin = origin.as_wire();
    // The origin without its root label, then the origin: `\7example\3com` `\7example\3com\0`.
    let head = origin.get(..origin.len().checked_sub(1)?)?;
    if head.is_empty() {
        return None;
    }
    let doubled_len = head.len() + origin.len();
    let mut at = 0usize;
    while wire.len().checked_sub(at)? > doubled_len {
        match wire.get(at) {
            Some(&len) if len != 0 => at += usize::from(len) + 1,
            _ => return None,
        }
    }
    let suffix = wire.get(at..)?;
    (suffix.len() == doubled_len
        && suffix.get(..head.len())?.eq_ignore_ascii_case(head)
        && suffix.get(head.len()..)?.eq_ignore_ascii_case(origin))
    .then_some(at)
}

/// The two correct spellings of a doubled name: relative (`www`, or `@`) and absolute.
pub(crate) struct Spellings {
    /// Relative to the origin.
    pub relative: String,
    /// Absolute, with the trailing dot.
    pub absolute: String,
}

/// The spellings of the name that `wire` (doubled from offset `at`) was meant to be.
pub(crate) fn spellings(wire: &[u8], at: usize, origin: &NameRef) -> Spellings {
    let mut relative = String::new();
    for label in Name::labels_of(wire.get(..at).unwrap_or_default()) {
        if !relative.is_empty() {
            relative.push('.');
        }
        let _ = write_label(label, &mut relative);
    }
    let absolute = if relative.is_empty() {
        relative.push('@');
        origin.to_string()
    } else {
        format!("{relative}.{origin}")
    };
    Spellings { relative, absolute }
}

/// The unsafe fix that rewrites the written token at `span` to `relative`, when the token
/// is plainly `<relative>.<origin without dot>` (so the origin in force there is the zone's).
pub(crate) fn relative_fix(
    zone: &ZoneIndex<'_>,
    span: Span,
    wire: &[u8],
    spellings: &Spellings,
) -> Option<Fix> {
    let written = zone.zone.sources.slice(span);
    // A token written absolute (trailing dot) was not the missing-dot mistake: no rewrite.
    if written.is_empty()
        || written.ends_with(b".")
        || written.contains(&b'\\')
        || written.contains(&b'"')
    {
        return None;
    }
    // Only when the token, read relative to the zone's origin, is exactly this name:
    // then the relative spelling means the intended name at this point of the file.
    let as_written = Name::parse(written, Some(&zone.origin)).ok()?;
    let intended = Name::parse(spellings.relative.as_bytes(), Some(&zone.origin))
        .ok()
        .or_else(|| (spellings.relative == "@").then(|| zone.origin.clone()))?;
    if as_written.as_wire() != wire || !intended.is_at_or_below(&zone.origin) {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!(
            "Replace `{}` with `{}`",
            String::from_utf8_lossy(written),
            spellings.relative
        ),
        edits: vec![Edit {
            span,
            content: spellings.relative.clone(),
        }],
    })
}

fn report(
    cx: &RecordContext<'_>,
    sink: &mut Sink<'_>,
    span: Span,
    wire: &[u8],
    at: usize,
    what: &str,
    is_owner: bool,
) {
    let zone = cx.zone;
    let name = Name::from_wire(wire).unwrap_or_else(Name::root);
    let spellings = spellings(wire, at, &zone.origin);
    // Moving the record would make a second record of its kind there (two DMARC or SPF
    // records void each other) or put data beside a CNAME: the user must merge by hand.
    let collision = if is_owner {
        collision(cx, &spellings)
    } else {
        None
    };
    let report = sink
        .report(
            span,
            format!(
                "{what} {name} ends in the origin {} twice (usually a name written without its trailing dot)",
                zone.origin
            ),
        )
        .help(if let Some(existing) = &collision {
            format!(
                "Write `{}` (relative) or `{}` (absolute, with the trailing dot); {} already has {existing} that this one would clash with: merge or remove one by hand",
                spellings.relative, spellings.absolute, spellings.absolute
            )
        } else {
            format!(
                "Write `{}` (relative) or `{}` (absolute, with the trailing dot)",
                spellings.relative, spellings.absolute
            )
        })
        .owner(cx.record.owner().to_name());
    if collision.is_some() {
        return;
    }
    if let Some(fix) = relative_fix(zone, span, wire, &spellings) {
        report.fix(fix);
    }
}

/// What at the intended owner moving `cx.record` there would collide with: a record of
/// the same type, a CNAME, or (when moving a CNAME) any data.
fn collision(cx: &RecordContext<'_>, spellings: &Spellings) -> Option<String> {
    let zone = cx.zone;
    let intended = Name::from_ascii(&spellings.absolute).ok()?;
    let facts = zone.get(&intended)?;
    let moved = cx.record.rtype();
    zone.records(facts).find_map(|existing| {
        let rtype = existing.rtype();
        (rtype == moved || rtype == RType::CNAME || moved == RType::CNAME)
            .then(|| format!("a {rtype} record"))
    })
}

impl Rule for DoubledOrigin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn checks_records(&self) -> bool {
        true
    }

    fn check_record(&self, cx: &RecordContext<'_>, sink: &mut Sink<'_>) {
        let record = cx.record;
        let owner = record.owner().as_wire();
        // A blank owner repeats the previous record's, which is reported where it was written.
        if !record.owner_span().is_empty() {
            if let Some(at) = doubled_at(owner, &cx.zone.origin) {
                report(cx, sink, owner_span(&record), owner, at, "owner", true);
            }
        }
        if record.rtype() == RType::MX {
            return;
        }
        // Names are in the zone's own octets (a TXT record's, whose wire form would be
        // made from the text, holds none).
        let Some(rdata) = record.rdata_borrowed() else {
            return;
        };
        for range in name_ranges(record.rtype(), rdata).into_iter().flatten() {
            let Some(wire) = rdata.get(range.clone()) else {
                continue;
            };
            if let Some(at) = doubled_at(wire, &cx.zone.origin) {
                let what = format!("{} target", record.rtype());
                report(
                    cx,
                    sink,
                    field_span(&record, range.start),
                    wire,
                    at,
                    &what,
                    false,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, head, srv};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn doubled_suffixes_are_found_on_label_boundaries_only() {
        let origin = name("example.com.");
        let at = |n: &str| doubled_at(name(n).as_wire(), &origin);
        assert_eq!(at("www.example.com.example.com."), Some(4));
        assert_eq!(at("EXAMPLE.com.example.COM."), Some(0));
        assert_eq!(at("www.example.com."), None);
        assert_eq!(at("wwwexample.com.example.com."), None);
        assert_eq!(at("example.com.example.com.example.org."), None);
        assert_eq!(doubled_at(name("a.").as_wire(), &Name::root()), None);
    }

    #[test]
    fn doubled_owners_and_targets_fire_with_a_fix() {
        let zone = format!(
            "{}_dmarc.example.com TXT \"v=DMARC1; p=reject\"\nwww CNAME host.example.com\nexample.com TXT \"v=spf1 -all\"\n_sip._tcp {}\nabs CNAME host.example.com.example.com.\n",
            head(),
            srv("sip.example.com")
        );
        insta::assert_snapshot!(check("ZONE016", &zone), @r"
        7:1 ZONE016 owner _dmarc.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `_dmarc` (relative) or `_dmarc.example.com.` (absolute, with the trailing dot)
          fix (unsafe): Replace `_dmarc.example.com` with `_dmarc`
            7:1 `_dmarc`
        8:11 ZONE016 CNAME target host.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `host` (relative) or `host.example.com.` (absolute, with the trailing dot)
          fix (unsafe): Replace `host.example.com` with `host`
            8:11 `host`
        9:1 ZONE016 owner example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `@` (relative) or `example.com.` (absolute, with the trailing dot)
          fix (unsafe): Replace `example.com` with `@`
            9:1 `@`
        10:23 ZONE016 SRV target sip.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `sip` (relative) or `sip.example.com.` (absolute, with the trailing dot)
          fix (unsafe): Replace `sip.example.com` with `sip`
            10:23 `sip`
        11:11 ZONE016 CNAME target host.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `host` (relative) or `host.example.com.` (absolute, with the trailing dot)
        ");
    }

    #[test]
    fn no_fix_moves_a_record_onto_one_of_its_type_or_beside_a_cname() {
        // Found by the `fix` fuzz target: moving the doubled `_dmarc` record made two DMARC
        // records at `_dmarc` (DMARC002), which voids both.
        let zone = format!(
            "{}_dmarc TXT \"v=DMARC1; p=reject\"\n_dmarc.example.com TXT \"v=DMARC1; p=none\"\nalias CNAME ns1\nalias.example.com A 192.0.2.9\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE016", &zone), @r"
        8:1 ZONE016 owner _dmarc.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `_dmarc` (relative) or `_dmarc.example.com.` (absolute, with the trailing dot); _dmarc.example.com. already has a TXT record that this one would clash with: merge or remove one by hand
        10:1 ZONE016 owner alias.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `alias` (relative) or `alias.example.com.` (absolute, with the trailing dot); alias.example.com. already has a CNAME record that this one would clash with: merge or remove one by hand
        ");
    }

    #[test]
    fn names_with_the_trailing_dot_or_relative_do_not_fire() {
        let zone = format!(
            "{}_dmarc.example.com. TXT \"v=DMARC1; p=reject\"\nwww CNAME host\nexample TXT \"v=spf1 -all\"\n\tTXT \"x\"\n",
            head()
        );
        assert_eq!(check("ZONE016", &zone), "");
    }

    #[test]
    fn doubled_mx_exchanges_are_left_to_mx005() {
        let zone = format!("{}@ MX 10 mail.example.com\n", head());
        assert_eq!(check("ZONE016", &zone), "");
    }

    #[test]
    fn no_fix_when_the_origin_in_force_differs() {
        let zone = format!(
            "{}$ORIGIN com.\nwww.example.com.example TXT \"v=spf1 -all\"\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE016", &zone), @r"
        8:1 ZONE016 owner www.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `www` (relative) or `www.example.com.` (absolute, with the trailing dot)
        ");
    }
}
