//! ZONE021 `zone-cname-loop`.

use crate::index::{NameFacts, ZoneIndex};
use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::{target, Resolution};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use foldhash::HashSet;
use zonelint_zone::{Code, NameRef, RType, RecordRef};

/// CNAME chains that loop, or that are too long.
pub struct CnameLoop;

/// The longest chain of CNAMEs reported as fine; longer ones get a warning.
pub const MAX_CHAIN: usize = 8;

/// How far a chain is followed before giving up (a loop is found long before).
const FOLLOW_LIMIT: usize = 64;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE021", slug: "zone-cname-loop" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "CNAME chain that loops (error) or is longer than 8 (warning)",
    doc: RuleDoc {
        what: "Follows CNAME chains through every zone linted together (wildcard CNAMEs included) and reports a chain that comes back to a name it has passed, once per loop, as an error; and a chain of more than 8 CNAMEs, at its first name, as a warning.",
        why: "A CNAME points to the canonical name, which is expected to hold the data (RFC 1034 §3.6.2, which also says chains should be avoided); a loop has no end, so resolvers give up with SERVFAIL and every name on it fails, MX and SPF lookups included. Resolvers also stop following long chains (BIND after 16 CNAMEs, some stub resolvers earlier), so a long chain fails for some clients and costs every client a lookup per link.",
        example: "www CNAME web.example.com.\nweb CNAME www.example.com.\n",
        use_instead: "www CNAME web.example.com.\nweb A 192.0.2.80\nweb TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: which name should hold the data is the operator's call.",
        references: &["RFC 1034 §3.6.2", "RFC 1034 §5.3.3", "RFC 2181 §10.1"],
    },
};

/// One link of a chain: the name queried and the CNAME record that answers for it.
struct Link<'z> {
    name: &'z NameRef,
    cname: RecordRef<'z>,
    /// Whether `name` exists itself (false when a wildcard answers for it).
    exists: bool,
}

/// How a chain from a CNAME ends.
enum End {
    /// At a name with no CNAME, or outside the loaded zones.
    Resolves,
    /// At the link of this index, reached again.
    Loops(usize),
    /// Not within the follow limit.
    Unknown,
}

fn cname_of<'z>(zone: &ZoneIndex<'z>, facts: &NameFacts<'_>) -> Option<RecordRef<'z>> {
    zone.records_of(facts, RType::CNAME).next()
}

/// Follows the chain from the CNAME `first` owned by `start`.
fn follow<'z>(
    cx: &ZoneContext<'z>,
    start: &'z NameRef,
    first: RecordRef<'z>,
) -> (Vec<Link<'z>>, End) {
    let mut chain = vec![Link {
        name: start,
        cname: first,
        exists: true,
    }];
    while chain.len() < FOLLOW_LIMIT {
        let Some(next) = chain
            .last()
            .and_then(|link| target(&link.cname))
            .map(|t| t.name)
        else {
            return (chain, End::Resolves);
        };
        if let Some(at) = chain.iter().position(|link| link.name == next) {
            return (chain, End::Loops(at));
        }
        let resolution = Resolution::of(cx.set, next);
        let exists = matches!(resolution, Resolution::Exists(..));
        let Some(cname) = resolution
            .answering()
            .and_then(|(zone, facts)| cname_of(zone, facts))
        else {
            return (chain, End::Resolves);
        };
        chain.push(Link {
            name: next,
            cname,
            exists,
        });
    }
    (chain, End::Unknown)
}

/// Every name a CNAME of the set points at (a long chain is reported at its start only):
/// found once per lint, for every zone's run (found per zone's run, it was a walk of the
/// whole set for each zone with a long chain).
fn cname_targets<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<&'a NameRef> {
    cx.views.cname_targets.get_or_init(|| {
        cx.set
            .zones()
            .iter()
            .flat_map(|z| {
                z.names()
                    .filter_map(|f| cname_of(z, f))
                    .filter_map(|r| target(&r).map(|t| t.name))
            })
            .collect()
    })
}

fn path(links: &[Link<'_>], back_to: Option<&NameRef>) -> String {
    let mut names: Vec<String> = links.iter().map(|l| l.name.to_string()).collect();
    if let Some(name) = back_to {
        names.push(name.to_string());
    }
    names.join(" → ")
}

impl Rule for CnameLoop {
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
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::CNAME) {
                continue;
            }
            let Some(first) = cname_of(zone, facts) else {
                continue;
            };
            let (chain, end) = follow(cx, facts.name, first);
            match end {
                End::Loops(at) => {
                    let cycle = chain.get(at..).unwrap_or_default();
                    // Once per loop: at its first existing name in canonical order, or
                    // when only wildcards answer on the loop, at the wildcard that starts it.
                    let reporter = cycle
                        .iter()
                        .filter(|l| l.exists)
                        .map(|l| &l.name)
                        .min_by(|a, b| a.canonical_cmp(b));
                    let ours = match reporter {
                        Some(name) => *name == facts.name,
                        None => at == 1 && facts.name.is_wildcard(),
                    };
                    if !ours {
                        continue;
                    }
                    let mut shown = path(cycle, cycle.first().map(|l| l.name));
                    if reporter.is_none() {
                        shown = format!("{shown} (answered by the wildcard {})", facts.name);
                    }
                    let mut report = sink
                        .report_graded(
                            Level::Error,
                            Level::Error,
                            first.type_span(),
                            format!("CNAME loop {shown}: no name on it resolves, resolvers answer SERVFAIL"),
                        )
                        .map(|r| {
                            r.help("Point one of these CNAMEs at the name that holds the data (A/AAAA, MX, TXT)")
                                .owner(facts.name)
                        });
                    for link in cycle
                        .iter()
                        .filter(|l| l.cname.type_span() != first.type_span())
                    {
                        report = report.map(|r| {
                            r.related(link.cname.type_span(), format!("{} CNAME here", link.name))
                        });
                    }
                }
                End::Resolves if chain.len() > MAX_CHAIN => {
                    if cname_targets(cx).contains(facts.name) {
                        continue;
                    }
                    let shown = path(&chain, None);
                    if let Some(report) = sink.report_graded(
                        Level::Warning,
                        Level::Warning,
                        first.type_span(),
                        format!(
                            "CNAME chain of {} links from {} (more than {MAX_CHAIN}): {shown}; resolvers may stop following it",
                            chain.len(),
                            facts.name
                        ),
                    ) {
                        drop(report.help("Point the first CNAME straight at the last name, which holds the data").owner(facts.name));
                    }
                }
                End::Resolves | End::Unknown => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_zones, head, lint_snippet};

    #[test]
    fn a_loop_fires_once() {
        let zone = format!(
            "{}a CNAME b\nb CNAME c\nc CNAME a\nself CNAME self\nin CNAME a\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE021", &zone), @r"
        7:3 ZONE021 CNAME loop a.example.com. → b.example.com. → c.example.com. → a.example.com.: no name on it resolves, resolvers answer SERVFAIL
          help: Point one of these CNAMEs at the name that holds the data (A/AAAA, MX, TXT)
          related 8:3: b.example.com. CNAME here
          related 9:3: c.example.com. CNAME here
        10:6 ZONE021 CNAME loop self.example.com. → self.example.com.: no name on it resolves, resolvers answer SERVFAIL
          help: Point one of these CNAMEs at the name that holds the data (A/AAAA, MX, TXT)
        ");
    }

    #[test]
    fn a_wildcard_loop_fires_at_the_wildcard() {
        let zone = format!("{}*.w CNAME x.w\n", head());
        insta::assert_snapshot!(check("ZONE021", &zone), @r"
        7:5 ZONE021 CNAME loop x.w.example.com. → x.w.example.com. (answered by the wildcard *.w.example.com.): no name on it resolves, resolvers answer SERVFAIL
          help: Point one of these CNAMEs at the name that holds the data (A/AAAA, MX, TXT)
        ");
    }

    #[test]
    fn a_loop_across_zones_fires_once() {
        let zones = [
            (
                "example.com.",
                "$TTL 60\n@ NS ns.example.net.\nwww CNAME www.example.org.\n",
            ),
            (
                "example.org.",
                "$TTL 60\n@ NS ns.example.net.\nwww CNAME www.example.com.\n",
            ),
        ];
        insta::assert_snapshot!(check_zones("ZONE021", &zones), @r"
        example.com.zone:3:5 ZONE021 CNAME loop www.example.com. → www.example.org. → www.example.com.: no name on it resolves, resolvers answer SERVFAIL
          help: Point one of these CNAMEs at the name that holds the data (A/AAAA, MX, TXT)
          related example.org.zone:3:5: www.example.org. CNAME here
        ");
    }

    #[test]
    fn a_chain_longer_than_eight_warns_at_its_start() {
        let links: String = (1..=9)
            .map(|i| format!("c{i} CNAME c{}\n", i + 1))
            .collect();
        insta::assert_snapshot!(lint_snippet(&format!("{links}c10 A 192.0.2.1\n"), &["ZONE021"]), @r"
        12:4 ZONE021 warning `CNAME` CNAME chain of 9 links from c1.example.com. (more than 8): c1.example.com. → c2.example.com. → c3.example.com. → c4.example.com. → c5.example.com. → c6.example.com. → c7.example.com. → c8.example.com. → c9.example.com.; resolvers may stop following it
            help: Point the first CNAME straight at the last name, which holds the data
        ");
    }

    #[test]
    fn short_chains_and_external_targets_do_not_fire() {
        let links: String = (1..=8)
            .map(|i| format!("c{i} CNAME c{}\n", i + 1))
            .collect();
        let zone = format!(
            "{}{links}c9 A 192.0.2.1\next CNAME www.example.net.\n",
            head()
        );
        assert_eq!(check("ZONE021", &zone), "");
    }
}
