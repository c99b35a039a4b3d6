//! `zonelint-zone` parses DNS master (zone) files, as BIND and RFC 1035 §5 define them,
//! offline and without ever failing: every record keeps the byte spans of its owner, TTL,
//! class, type and each RDATA field, and every problem becomes a [`Diagnostic`] while
//! parsing goes on at the next record.
//!
//! ```
//! use zonelint_zone::{parse_str, ParseOptions};
//!
//! let (zone, diagnostics) = parse_str(
//!     "example.com.zone",
//!     "$ORIGIN example.com.\n$TTL 1h\n@ IN TXT \"v=spf1 -all\"\nwww A 192.0.2.1\n",
//!     &ParseOptions::default(),
//! );
//! assert!(diagnostics.is_empty());
//! assert_eq!(zone.len(), 2);
//! assert_eq!(zone.record(1).unwrap().owner().to_string(), "www.example.com.");
//! ```
//!
//! The crate does no I/O of its own: `$INCLUDE` goes through a [`Loader`] that the caller
//! provides, and [`Parser::streaming`] reads the caller's `io::Read`.

pub mod diagnostic;
pub mod generate;
pub mod include;
pub mod name;
mod parser;
pub mod rdata;
pub mod rtype;
pub mod scan;
pub mod source;
mod split;
mod stream;
pub mod ttl;
pub mod zone;

pub use diagnostic::{Applicability, Code, Diagnostic, Edit, Fix, Related, Severity, Span};
pub use include::{LoadError, Loaded, Loader, MemoryLoader, NoIncludes};
pub use name::{Name, NameError, NameRef};
pub use parser::{parse, parse_str, ParseOptions, Parser};
pub use rtype::{Class, RType};
pub use source::{SharedBytes, Source, SourceId, SourceMap};
pub use ttl::Ttl;
pub use zone::{Comment, FieldIter, Fields, RecordRef, TtlSource, Zone};
