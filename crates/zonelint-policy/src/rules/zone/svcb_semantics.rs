//! ZONE028 `zone-svcb-semantics`.

use crate::rules::targets::field_span;
use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::rdata::view::{self, SvcParam, Svcb};
use zonelint_zone::{Code, RType, Span};

/// SVCB and HTTPS records that break RFC 9460's rules between fields.
pub struct SvcbSemantics;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE028", slug: "zone-svcb-semantics" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "SVCB/HTTPS AliasMode with parameters, `mandatory` naming an absent key, `no-default-alpn` without `alpn`",
    doc: RuleDoc {
        what: "Reports an SVCB or HTTPS record in AliasMode (priority 0) that carries SvcParams; one whose `mandatory` list names a key the record does not have, or whose `no-default-alpn` comes without `alpn` (the parser already refuses both when they are written in presentation form, so these come from the generic `\\#` form); and the key `key65535`, which is reserved as invalid.",
        why: "AliasMode only names another name to ask: its records should carry no SvcParams and clients ignore any that are there (RFC 9460 §2.4.2), so parameters written there are not in effect. A key listed in `mandatory` but absent makes the record malformed, and clients must ignore it (RFC 9460 §8); `no-default-alpn` without `alpn` leaves no protocol to use (RFC 9460 §7.1.1). Key 65535 is registered as \"Invalid key\" (RFC 9460 §14.3.2).",
        example: "@ HTTPS 0 cdn.example.net. alpn=h2\n",
        use_instead: "@ HTTPS 0 cdn.example.net.\n",
        fix_safety: "For AliasMode, a safe fix deletes the parameters, which clients ignore anyway. No fix for the others: which keys were meant is the operator's call.",
        references: &["RFC 9460 §2.4.2", "RFC 9460 §7.1.1", "RFC 9460 §8", "RFC 9460 §14.3.2"],
    },
};

const MANDATORY: u16 = 0;
const ALPN: u16 = 1;
const NO_DEFAULT_ALPN: u16 = 2;
const INVALID_KEY: u16 = 65_535;

/// A problem with one parameter (or, with `None`, with the record), and its message.
struct Problem {
    key: Option<u16>,
    message: String,
    help: &'static str,
}

fn key_text(key: u16) -> String {
    match key {
        MANDATORY => "mandatory".to_owned(),
        ALPN => "alpn".to_owned(),
        NO_DEFAULT_ALPN => "no-default-alpn".to_owned(),
        3 => "port".to_owned(),
        4 => "ipv4hint".to_owned(),
        5 => "ech".to_owned(),
        6 => "ipv6hint".to_owned(),
        other => format!("key{other}"),
    }
}

/// The rules between fields of one SVCB/HTTPS RDATA.
fn problems(svcb: &Svcb<'_>) -> Vec<Problem> {
    let params: Vec<SvcParam<'_>> = svcb.params.clone().collect();
    let present = |key: u16| params.iter().any(|p| p.key == key);
    let mut found = Vec::new();
    if svcb.priority == 0 && !params.is_empty() {
        let keys: Vec<String> = params.iter().map(|p| key_text(p.key)).collect();
        found.push(Problem {
            key: None,
            message: format!(
                "AliasMode record (priority 0) carries SvcParams ({}): clients ignore them, so they are not in effect",
                keys.join(", ")
            ),
            help: "Remove the parameters, or give the record a priority of 1 or more (ServiceMode) if they are meant",
        });
        return found;
    }
    if let Some(list) = svcb.param(MANDATORY) {
        for pair in list.chunks_exact(2) {
            let &[high, low] = pair else { continue };
            let listed = u16::from_be_bytes([high, low]);
            if !present(listed) {
                found.push(Problem {
                    key: Some(MANDATORY),
                    message: format!(
                        "`mandatory` lists `{}`, but the record has no such parameter: clients must ignore the record",
                        key_text(listed)
                    ),
                    help: "List in `mandatory` only keys the record has",
                });
            }
        }
    }
    if present(NO_DEFAULT_ALPN) && !present(ALPN) {
        found.push(Problem {
            key: Some(NO_DEFAULT_ALPN),
            message: "`no-default-alpn` without `alpn` leaves the client no protocol to use"
                .to_owned(),
            help: "Add `alpn` with the protocols the service offers, or remove `no-default-alpn`",
        });
    }
    if present(INVALID_KEY) {
        found.push(Problem {
            key: Some(INVALID_KEY),
            message: "`key65535` is reserved as the invalid key; clients cannot use it".to_owned(),
            help: "Remove `key65535`; a new parameter needs a key number of its own",
        });
    }
    found
}

impl Rule for SvcbSemantics {
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
        let rtype = record.rtype();
        if !matches!(rtype, RType::SVCB | RType::HTTPS) {
            return;
        }
        let rdata = record.rdata();
        let rdata: &[u8] = &rdata;
        let Some(svcb) = view::svcb(rdata) else {
            return;
        };
        let owner = record.owner().to_name();
        // Where each parameter starts in the RDATA (its key), to find the field written.
        let param_start = |key: u16| {
            svcb.params.clone().find(|p| p.key == key).and_then(|p| {
                (p.value.as_ptr() as usize)
                    .checked_sub(rdata.as_ptr() as usize)
                    .and_then(|end| end.checked_sub(4))
            })
        };
        for problem in problems(&svcb) {
            let span = match problem.key {
                Some(key) => param_start(key)
                    .map_or_else(|| record.rdata_span(), |at| field_span(&record, at)),
                None => params_span(&record, &svcb, rdata).unwrap_or_else(|| record.rdata_span()),
            };
            let mut report = sink
                .report(
                    span,
                    format!("{rtype} record at {owner}: {}", problem.message),
                )
                .help(problem.help)
                .owner(owner.clone());
            if problem.key.is_none() {
                if let Some(fix) = delete_params(cx, &record, span) {
                    report = report.fix(fix);
                }
            }
            drop(report);
        }
    }
}

/// The span from the first parameter to the last one, as written.
fn params_span(
    record: &zonelint_zone::RecordRef<'_>,
    svcb: &Svcb<'_>,
    rdata: &[u8],
) -> Option<Span> {
    let params_start = rdata.len()
        - svcb
            .params
            .clone()
            .map(|p| p.value.len() + 4)
            .sum::<usize>();
    let fields: Vec<_> = record
        .fields()
        .iter()
        .filter(|f| usize::from(f.wire_start) >= params_start)
        .collect();
    let first = fields.first()?;
    let last = fields.last()?;
    Some(first.span.cover(last.span))
}

/// Deletes the parameters of an AliasMode record written in presentation form, with the
/// blank before them; only when no parenthesis or comment is among what is deleted.
fn delete_params(
    cx: &RecordContext<'_>,
    record: &zonelint_zone::RecordRef<'_>,
    params: Span,
) -> Option<zonelint_zone::Fix> {
    let before = record
        .fields()
        .iter()
        .rfind(|f| f.span.end <= params.start)?;
    let deleted = Span::new(params.source, before.span.end, params.end);
    let text = cx.zone.zone.sources.slice(deleted);
    if params == record.rdata_span() || text.iter().any(|b| b"();".contains(b)) {
        return None;
    }
    Some(zonelint_zone::Fix {
        applicability: zonelint_zone::Applicability::Safe,
        message: "Remove the parameters of the AliasMode record".to_owned(),
        edits: vec![zonelint_zone::Edit {
            span: deleted,
            content: String::new(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::problems;
    use crate::rules::test_support::{check, head};
    use zonelint_zone::rdata::view;

    #[test]
    fn alias_mode_with_parameters_fires_with_a_fix() {
        let zone = format!(
            "{}@ HTTPS 0 cdn.example.net. alpn=h2 port=8443\n_svc SVCB 0 host.example.net. ( alpn=h3 )\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE028", &zone), @r"
        7:28 ZONE028 HTTPS record at example.com.: AliasMode record (priority 0) carries SvcParams (alpn, port): clients ignore them, so they are not in effect
          help: Remove the parameters, or give the record a priority of 1 or more (ServiceMode) if they are meant
          fix (safe): Remove the parameters of the AliasMode record
            7:27 ``
        8:33 ZONE028 SVCB record at _svc.example.com.: AliasMode record (priority 0) carries SvcParams (alpn): clients ignore them, so they are not in effect
          help: Remove the parameters, or give the record a priority of 1 or more (ServiceMode) if they are meant
        ");
    }

    #[test]
    fn the_reserved_key_fires() {
        let zone = format!("{}@ HTTPS 1 . alpn=h2 key65535=x\n", head());
        insta::assert_snapshot!(check("ZONE028", &zone), @r"
        7:21 ZONE028 HTTPS record at example.com.: `key65535` is reserved as the invalid key; clients cannot use it
          help: Remove `key65535`; a new parameter needs a key number of its own
        ");
    }

    #[test]
    fn mandatory_and_no_default_alpn_in_wire_form() {
        // priority 1, target ".", mandatory=port (absent), no-default-alpn without alpn.
        let wire = [0, 1, 0, 0, 0, 0, 2, 0, 3, 0, 2, 0, 0];
        let svcb = view::svcb(&wire).unwrap();
        let messages: Vec<String> = problems(&svcb).into_iter().map(|p| p.message).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("`port`"), "{messages:?}");
        assert!(messages[1].contains("no-default-alpn"), "{messages:?}");
    }

    #[test]
    fn service_mode_and_bare_alias_mode_do_not_fire() {
        let zone = format!(
            "{}@ HTTPS 0 cdn.example.net.\n@ HTTPS 1 . alpn=h2,h3 mandatory=alpn\nwww HTTPS 1 . alpn=h3 no-default-alpn\n",
            head()
        );
        assert_eq!(check("ZONE028", &zone), "");
    }
}
