//! Known DNS data of names outside the linted zones: the `spf-snapshot` file.
//!
//! The file is master-file text with absolute names, exactly what `dig +noall +answer`
//! prints, so that SPF evaluation can follow includes of mail providers and count their
//! lookups exactly instead of as "≥1" (semantics.md §2.3 step 6b). The binary reads the
//! file; this module only parses text (no I/O, no network). Where a name is also in a
//! loaded zone, the zone wins: the snapshot is asked only about names no loaded zone is
//! authoritative for.
//!
//! What a name's records in the snapshot mean: a name listed is taken to be complete for
//! TXT (an include target there without a `v=spf1` record has none), while A, AAAA and MX
//! are known only where the snapshot has them (their absence is not a void lookup, since
//! `dig` prints nothing for an empty answer).

use std::fmt;
use zonelint_zone::{parse, Diagnostic, NoIncludes, ParseOptions, SharedBytes, Zone};

/// The [`SourceId`](zonelint_zone::SourceId) of the snapshot file: far above the ids the
/// linted files get (`file_index << 16`), so its spans never collide with theirs.
pub const SNAPSHOT_SOURCE_ID: u32 = 0xFFFF_0000;

/// The parsed records of an `spf-snapshot` file.
pub struct Snapshot {
    /// The records; their spans point into the snapshot file (source
    /// [`SNAPSHOT_SOURCE_ID`]) and are never used as a finding's span.
    pub zone: Zone,
}

impl Snapshot {
    /// Parses snapshot text shown as `name`. The names must be absolute (there is no
    /// origin); `$TTL`, `$ORIGIN` and comments work as in a zone file. Returns the
    /// snapshot and the parser's diagnostics (errors make the snapshot unusable for the
    /// caller to decide; the records that did parse are kept).
    #[must_use]
    pub fn parse(name: &str, text: impl Into<SharedBytes>) -> (Self, Vec<Diagnostic>) {
        let options = ParseOptions {
            origin: None,
            first_source_id: SNAPSHOT_SOURCE_ID,
            ..ParseOptions::default()
        };
        let (zone, diagnostics) = parse(name, text, &options, &mut NoIncludes);
        (Self { zone }, diagnostics)
    }

    /// How many records it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.zone.records().count()
    }

    /// Whether it holds no record.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.zone.records().next().is_none()
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("records", &self.len())
            .finish()
    }
}
