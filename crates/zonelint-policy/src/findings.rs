//! A lint's findings as they were decoded, read in the order they sort in.

use rayon::prelude::*;
use std::cmp::Ordering;
use zonelint_zone::Diagnostic;

/// Findings, and the order they are read in: the list as it was made and, apart, its
/// positions from first to last.
///
/// A large zone's findings are a hundred megabytes of [`Diagnostic`]s. Moved into their
/// places one after another (a move can only be made on one core without unsafe code),
/// they took longer than it took to sort them: 95 ms of the 1M-record bench zone's run,
/// against 20-80 ms for the sort. A reader that takes them in order needs only the
/// positions; [`Findings::into_sorted`] moves them for one that needs a list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    list: Vec<Diagnostic>,
    /// A permutation of the positions in `list`.
    order: Vec<usize>,
}

impl Findings {
    /// `list`, read in its own order.
    #[must_use]
    pub fn in_order(list: Vec<Diagnostic>) -> Self {
        let order = (0..list.len()).collect();
        Self { list, order }
    }

    /// `list`, read in `order`, a permutation of its positions (any other order is never
    /// expected; the list is then read as it is, rather than a finding lost or shown
    /// twice).
    pub(crate) fn with_order(list: Vec<Diagnostic>, order: Vec<usize>) -> Self {
        let findings = Self { list, order };
        if findings.order_is_permutation() {
            findings
        } else {
            debug_assert!(false, "the findings' order is not a permutation");
            Self::in_order(findings.list)
        }
    }

    fn order_is_permutation(&self) -> bool {
        if self.order.len() != self.list.len() {
            return false;
        }
        let mut seen = vec![false; self.list.len()];
        self.order.iter().all(|&at| {
            seen.get_mut(at)
                .is_some_and(|seen| !std::mem::replace(seen, true))
        })
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The findings in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> + Clone + '_ {
        self.order.iter().filter_map(|&at| self.list.get(at))
    }

    /// The findings in order, as a list of references (made on every core: half a
    /// million on a large zone).
    #[must_use]
    pub fn refs(&self) -> Vec<&Diagnostic> {
        self.order
            .par_iter()
            .filter_map(|&at| self.list.get(at))
            .collect()
    }

    /// The findings in no particular order: for what counts them.
    #[must_use]
    pub fn unordered(&self) -> &[Diagnostic] {
        &self.list
    }

    /// Adds `finding` last.
    pub fn push(&mut self, finding: Diagnostic) {
        self.order.push(self.list.len());
        self.list.push(finding);
    }

    /// Puts `first` in front of the findings, in their order (so that, sorted, they come
    /// before the findings they equal). They are added at the list's end: the list is
    /// not moved.
    pub fn put_first(&mut self, first: Vec<Diagnostic>) {
        if first.is_empty() {
            return;
        }
        let start = self.list.len();
        self.list.extend(first);
        self.order.splice(0..0, start..self.list.len());
    }

    /// Sorts the findings by `compare`; equal ones keep their order. When they are in
    /// order already (checked on every core: nearly always), nothing moves.
    pub fn sort_by(&mut self, compare: impl Fn(&Diagnostic, &Diagnostic) -> Ordering + Sync) {
        let list = &self.list;
        let order = |a: &usize, b: &usize| match (list.get(*a), list.get(*b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        };
        let sorted = self
            .order
            .par_windows(2)
            .all(|pair| !matches!(pair, [a, b] if order(a, b).is_gt()));
        if !sorted {
            self.order.par_sort_by(order);
        }
    }

    /// The findings moved into their order: a list of them, for a reader that needs one.
    #[must_use]
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let Self { mut list, order } = self;
        permute(&mut list, &order);
        list
    }
}

/// Puts the element at `order[i]` at `i`, for every `i` (`order` is a permutation of the
/// positions), by following its cycles: no element is copied.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        // The element first at `start` moves along the cycle; every other lands at once.
        let mut at = start;
        loop {
            if let Some(done) = placed.get_mut(at) {
                *done = true;
            }
            let from = order.get(at).copied().unwrap_or(start);
            // Back at the start: the cycle is done. (An element already placed would mean
            // `order` is no permutation; stop rather than go round for ever.)
            if from == start || placed.get(from).copied().unwrap_or(true) {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::{Code, Severity, SourceId, Span};

    fn finding(start: u32, message: &str) -> Diagnostic {
        Diagnostic::new(
            Code {
                code: "T001",
                slug: "t",
            },
            Severity::Warning,
            Span::new(SourceId(0), start, start + 1),
            message,
        )
    }

    fn messages<'a>(found: impl Iterator<Item = &'a Diagnostic>) -> Vec<&'a str> {
        found.map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn permuting_puts_each_element_where_the_order_says() {
        let orders: [&[usize]; 5] = [&[], &[0], &[2, 0, 1], &[1, 0, 3, 2], &[4, 3, 0, 1, 2]];
        for order in orders {
            let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            permute(&mut items, order);
            let expected: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            assert_eq!(items, expected, "{order:?}");
        }
        // Not a permutation: it stops rather than going round for ever.
        let mut items = vec![0, 1, 2];
        permute(&mut items, &[1, 2, 1]);
    }

    #[test]
    fn findings_are_read_in_their_order_and_moved_into_it() {
        let list = vec![finding(3, "c"), finding(1, "a"), finding(2, "b")];
        let findings = Findings::with_order(list, vec![1, 2, 0]);
        assert_eq!(findings.len(), 3);
        assert_eq!(messages(findings.iter()), ["a", "b", "c"]);
        assert_eq!(messages(findings.refs().into_iter()), ["a", "b", "c"]);
        assert_eq!(messages(findings.unordered().iter()), ["c", "a", "b"]);
        assert_eq!(messages(findings.into_sorted().iter()), ["a", "b", "c"]);
    }

    #[test]
    fn findings_put_first_come_first_among_equals_when_sorted() {
        let mut findings =
            Findings::in_order(vec![finding(2, "lint at 2"), finding(5, "lint at 5")]);
        findings.put_first(vec![finding(5, "parse at 5"), finding(1, "parse at 1")]);
        findings.push(finding(0, "pushed at 0"));
        assert_eq!(
            messages(findings.iter()),
            [
                "parse at 5",
                "parse at 1",
                "lint at 2",
                "lint at 5",
                "pushed at 0"
            ]
        );
        findings.sort_by(|a, b| a.primary.start.cmp(&b.primary.start));
        assert_eq!(
            messages(findings.iter()),
            [
                "pushed at 0",
                "parse at 1",
                "lint at 2",
                "parse at 5",
                "lint at 5"
            ]
        );
        // Sorted again: nothing moves.
        let before = findings.clone();
        findings.sort_by(|a, b| a.primary.start.cmp(&b.primary.start));
        assert_eq!(findings, before);
        assert_eq!(
            messages(findings.into_sorted().iter()),
            [
                "pushed at 0",
                "parse at 1",
                "lint at 2",
                "parse at 5",
                "lint at 5"
            ]
        );
    }
}
