//! `zonelint-policy`: what the records of a zone mean for email authentication and zone
//! structure.
//!
//! The front door is [`lint()`]: parsed zones and [`Settings`] in, diagnostics out. Under it
//! sit the [`index`] (which names exist, cuts, wildcards, across several zones), the
//! record [`grammar`]s (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI, with spans into the
//! file), the [`rules`] (one file per rule, one registry), and [`suppress`] (suppression
//! comments). The crate does no I/O.

pub mod config;
pub mod discovery;
pub mod fixes;
pub mod grammar;
pub mod index;
pub mod lint;
pub mod mail;
pub mod packed;
mod parallel;
pub mod rules;
pub mod settings;
pub mod snapshot;
pub mod spf_eval;
pub mod suppress;

pub use lint::{lint, LintInput};
pub use rules::{Level, Rule, RuleMeta};
pub use settings::{DmarcDiscovery, Selector, Settings};
pub use snapshot::Snapshot;
