//! Differential check of the SPF, DMARC, DKIM, MTA-STS and TLS-RPT syntax verdicts
//! against mail-auth
//! (Stalwart's implementation, run offline through its `TxtRecordParser`s).
//!
//! Every record of the corpus (`fixtures/differential-corpus.txt` plus every record of
//! the RFC 7208 suite fixture) gets a verdict from both sides. Where they differ, the
//! disagreement must be listed in `fixtures/differential-mail-auth.txt` with an
//! explanation of which side follows the RFC; a new disagreement, or a listed one that
//! no longer happens, fails the test.

#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a malformed fixture should fail the test loudly"
)]

mod common;

use mail_auth::common::parse::TxtRecordParser;
use zonelint_policy::grammar::{dkim, dmarc, mta_sts, spf, tlsrpt, RecordText};

/// A verdict both sides can give.
fn spf_ours(text: &RecordText) -> &'static str {
    let version = spf::classify_version(text.as_bytes());
    if !version.is_selected() {
        return "not-spf";
    }
    let (_, problems) = spf::parse(text);
    if spf::is_permerror(&problems) {
        "invalid"
    } else {
        "valid"
    }
}

fn spf_theirs(bytes: &[u8]) -> &'static str {
    // mail-auth 0.7.5 overflows a shift on `/0` CIDR lengths in debug builds; a panic is
    // a verdict of its own here.
    let result = std::panic::catch_unwind(|| mail_auth::spf::Spf::parse(bytes));
    match result {
        Ok(Ok(_)) => "valid",
        Ok(Err(mail_auth::Error::InvalidRecordType)) => "not-spf",
        Ok(Err(_)) => "invalid",
        Err(_) => "panic",
    }
}

fn dmarc_ours(text: &RecordText) -> &'static str {
    let (record, problems) = dmarc::parse(text);
    if !record.valid_version {
        return "not-dmarc";
    }
    let invalid = problems.iter().any(|p| {
        matches!(
            p.kind,
            dmarc::DmarcProblemKind::TagList(_)
                | dmarc::DmarcProblemKind::InvalidValue { .. }
                | dmarc::DmarcProblemKind::ExclusiveFailureOptions
                | dmarc::DmarcProblemKind::BadSeparator
                | dmarc::DmarcProblemKind::Uri(_)
        )
    });
    if invalid {
        "invalid"
    } else {
        "valid"
    }
}

fn dmarc_theirs(bytes: &[u8]) -> &'static str {
    match std::panic::catch_unwind(|| mail_auth::dmarc::Dmarc::parse(bytes)) {
        Ok(Ok(_)) => "valid",
        Ok(Err(mail_auth::Error::InvalidRecordType)) => "not-dmarc",
        Ok(Err(_)) => "invalid",
        Err(_) => "panic",
    }
}

fn dkim_ours(text: &RecordText) -> &'static str {
    let (_, problems) = dkim::parse(text);
    let invalid = problems
        .iter()
        .any(|p| matches!(p.kind.code(), "DKIM001" | "DKIM002" | "DKIM004" | "DKIM008"));
    if invalid {
        "invalid"
    } else {
        "valid"
    }
}

fn dkim_theirs(bytes: &[u8]) -> &'static str {
    match std::panic::catch_unwind(|| mail_auth::common::verify::DomainKey::parse(bytes)) {
        Ok(Ok(_)) => "valid",
        Ok(Err(_)) => "invalid",
        Err(_) => "panic",
    }
}

/// MTA-STS and TLS-RPT: mail-auth only says whether a usable record was found.
fn mta_sts_ours(text: &RecordText) -> &'static str {
    let (record, problems) = mta_sts::parse(text);
    let usable = record.valid_version
        && record.id.is_some()
        && !problems.iter().any(|p| {
            matches!(
                p.kind,
                mta_sts::MtaStsProblemKind::TagList(_) | mta_sts::MtaStsProblemKind::SpacedEquals
            )
        });
    if usable {
        "valid"
    } else {
        "invalid"
    }
}

fn mta_sts_theirs(bytes: &[u8]) -> &'static str {
    match std::panic::catch_unwind(|| mail_auth::mta_sts::MtaSts::parse(bytes)) {
        Ok(Ok(_)) => "valid",
        Ok(Err(_)) => "invalid",
        Err(_) => "panic",
    }
}

fn tlsrpt_ours(text: &RecordText) -> &'static str {
    let (record, problems) = tlsrpt::parse(text);
    let usable = record.valid_version
        && !record.rua.is_empty()
        && !problems
            .iter()
            .any(|p| matches!(p.kind, tlsrpt::TlsRptProblemKind::TagList(_)));
    if usable {
        "valid"
    } else {
        "invalid"
    }
}

fn tlsrpt_theirs(bytes: &[u8]) -> &'static str {
    match std::panic::catch_unwind(|| mail_auth::mta_sts::TlsRpt::parse(bytes)) {
        Ok(Ok(_)) => "valid",
        Ok(Err(_)) => "invalid",
        Err(_) => "panic",
    }
}

/// Every (grammar, record strings) pair of the corpus.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in include_str!("fixtures/differential-corpus.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (grammar, strings) = line.split_once(' ').expect("grammar and strings");
        out.push((grammar.to_owned(), strings.to_owned()));
    }
    for case in common::suite_cases() {
        for record in case.records {
            let line = record.join(" ");
            if !out.iter().any(|(g, s)| g == "spf" && *s == line) {
                out.push(("spf".to_owned(), line));
            }
        }
    }
    out
}

/// The listed disagreements: `grammar | strings | ours | mail-auth | explanation`.
fn listed() -> Vec<(String, String, String, String)> {
    include_str!("fixtures/differential-mail-auth.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
            assert!(
                fields.len() == 5 && !fields[4].is_empty(),
                "a disagreement needs five fields and an explanation: {line}"
            );
            (
                fields[0].to_owned(),
                fields[1].to_owned(),
                fields[2].to_owned(),
                fields[3].to_owned(),
            )
        })
        // mail-auth's `/0` overflow panics only where overflow checks are on (they
        // follow debug assertions unless a profile says otherwise): in a release build
        // it parses those records, and agrees with us on them.
        .filter(|(_, _, _, theirs)| cfg!(debug_assertions) || theirs != "panic")
        .collect()
}

#[test]
fn syntax_verdicts_agree_with_mail_auth_or_are_explained() {
    let corpus = corpus();
    // mail-auth's panics are caught and recorded as verdicts; keep them off the output.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut disagreements = Vec::new();
    let mut agreed = 0;
    for (grammar, strings) in &corpus {
        let pieces = common::split_strings(strings);
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let (text, _) = RecordText::from_pieces(&pieces);
        let bytes = text.as_bytes();
        let (ours, theirs) = match grammar.as_str() {
            "spf" => (spf_ours(&text), spf_theirs(bytes)),
            "dmarc" => (dmarc_ours(&text), dmarc_theirs(bytes)),
            "dkim" => (dkim_ours(&text), dkim_theirs(bytes)),
            "mta-sts" => (mta_sts_ours(&text), mta_sts_theirs(bytes)),
            "tlsrpt" => (tlsrpt_ours(&text), tlsrpt_theirs(bytes)),
            other => panic!("unknown grammar {other}"),
        };
        if ours == theirs {
            agreed += 1;
        } else {
            disagreements.push((
                grammar.clone(),
                strings.clone(),
                ours.to_owned(),
                theirs.to_owned(),
            ));
        }
    }
    std::panic::set_hook(default_hook);
    eprintln!(
        "differential: {} records, {agreed} agree, {} disagree",
        corpus.len(),
        disagreements.len()
    );
    let listed = listed();
    let unexplained: Vec<String> = disagreements
        .iter()
        .filter(|d| !listed.contains(d))
        .map(|(g, s, o, t)| format!("{g} | {s} | {o} | {t} | ?"))
        .collect();
    let stale: Vec<String> = listed
        .iter()
        .filter(|l| !disagreements.contains(l))
        .map(|(g, s, o, t)| format!("{g} | {s} | {o} | {t}"))
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "unexplained disagreements:\n{}\n\nlisted but no longer disagreeing:\n{}",
        unexplained.join("\n"),
        stale.join("\n")
    );
}
