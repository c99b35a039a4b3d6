//! `zonelint-policy`: what the records of a zone mean for email authentication and zone
//! structure. The record grammars (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI) live in
//! [`grammar`]; the rules come later.

pub mod grammar;
