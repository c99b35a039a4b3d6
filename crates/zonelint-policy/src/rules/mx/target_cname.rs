//! MX003 `mx-target-cname`.

use crate::rules::mx::served_mx;
use crate::rules::targets::{target, Resolution};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An MX exchange that is a CNAME.
pub struct TargetCname;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX003", slug: "mx-target-cname" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "MX exchange that is a CNAME",
    doc: RuleDoc {
        what: "Reports an MX record whose exchange is a CNAME (or is answered by a wildcard CNAME) in any zone linted together.",
        why: "The exchange of an MX must not be an alias (RFC 2181 §10.3): RFC 5321 §5.1 requires the exchange to return at least one address record and puts a name that returns a CNAME outside the standard. Some MTAs refuse to deliver, and servers do not add the target's addresses to the answer.",
        example: "shop MX 10 mx.example.com.\nshop TXT \"v=spf1 -all\"\nmx CNAME mail.example.com.\n",
        use_instead: "shop MX 10 mail.example.com.\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: pointing at the CNAME's target is usually right, but the alias may exist so the host can move.",
        references: &["RFC 2181 §10.3", "RFC 5321 §5.1"],
    },
};

impl Rule for TargetCname {
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
        for (facts, _, exchange) in served_mx(cx) {
            if exchange.is_root() {
                continue;
            }
            let name = exchange.name;
            let resolution = Resolution::of(cx.set, name);
            let Some((zone, answering)) = resolution.answering() else {
                continue;
            };
            let Some(cname) = zone.records_of(answering, RType::CNAME).next() else {
                continue;
            };
            let canonical = target(&cname)
                .map(|t| t.name)
                .map_or_else(|| "its target".to_owned(), |n| n.to_string());
            sink.report(
                exchange.span(),
                format!("MX exchange {name} is a CNAME (to {canonical}); an exchange must be a host name with A/AAAA records"),
            )
            .help(format!("Point the MX at {canonical}, a name with A/AAAA records, instead of the alias"))
            .related(cname.type_span(), format!("{} CNAME here", answering.name))
            .owner(facts.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn an_exchange_that_is_an_alias_fires() {
        let zone = format!(
            "{}@ MX 10 mx\nmx CNAME mail\nmail A 192.0.2.25\nwww MX 10 a.w\n*.w CNAME mail\n",
            head()
        );
        insta::assert_snapshot!(check("MX003", &zone), @r"
        7:9 MX003 MX exchange mx.example.com. is a CNAME (to mail.example.com.); an exchange must be a host name with A/AAAA records
          help: Point the MX at mail.example.com., a name with A/AAAA records, instead of the alias
          related 8:4: mx.example.com. CNAME here
        10:11 MX003 MX exchange a.w.example.com. is a CNAME (to mail.example.com.); an exchange must be a host name with A/AAAA records
          help: Point the MX at mail.example.com., a name with A/AAAA records, instead of the alias
          related 11:5: *.w.example.com. CNAME here
        ");
    }

    #[test]
    fn host_exchanges_null_mx_and_external_do_not_fire() {
        let zone = format!(
            "{}@ MX 10 mail\nmail A 192.0.2.25\nwww MX 0 .\nftp MX 10 mx.example.net.\n",
            head()
        );
        assert_eq!(check("MX003", &zone), "");
    }
}
