//! Freeing what a lint of a large zone built, on every core.
//!
//! The index, the parsed email records and their texts are millions of small
//! allocations on a large zone. Dropped as one value each, they are freed on one thread
//! while the other cores wait for the findings to be decoded (about 100 ms on the
//! 1M-record bench zone); their long lists are freed here in parallel instead.

use rayon::prelude::*;

/// Drops `items` on the rayon pool, a run of them per task.
pub(crate) fn drop_items<T: Send>(items: Vec<T>) {
    items.into_par_iter().for_each(drop);
}
