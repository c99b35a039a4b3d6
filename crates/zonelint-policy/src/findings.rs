//! A lint's findings as they were decoded, read in the order they sort in.

use rayon::prelude::*;
use std::cmp::Ordering;
use zonelint_zone::Diagnostic;

/// Findings, and the order they are read in: the lists they were made in and, apart,
/// their places in those lists from first to last.
///
/// A large zone's findings are a hundred megabytes of [`Diagnostic`]s. Moved into their
/// places one after another (a move can only be made on one core without unsafe code),
/// they took longer than it took to sort them: 95 ms of the 1M-record bench zone's run,
/// against 20-80 ms for the sort. A reader that takes them in order needs only the
/// places; [`Findings::into_sorted`] moves them for one that needs a list. They stay in
/// the lists they were decoded into, one per run of blocks of packed findings
/// ([`crate::packed::Packed::unpack_chunks`]), rather than joined in one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    lists: Vec<Vec<Diagnostic>>,
    /// Every place in `lists` once: the list's and the finding's positions.
    order: Vec<Place>,
}

/// Where a finding is in [`Findings`]: its list's position, and its position there.
pub(crate) type Place = (u32, u32);

impl Findings {
    /// `list`, read in its own order.
    #[must_use]
    pub fn in_order(list: Vec<Diagnostic>) -> Self {
        Self::in_list_order(vec![list])
    }

    /// `lists`, read list after list, each in its order.
    pub(crate) fn in_list_order(lists: Vec<Vec<Diagnostic>>) -> Self {
        let order = places(&lists).collect();
        Self { lists, order }
    }

    /// `lists`, read in `order`, which holds each of their places once (any other order
    /// is never expected; the lists are then read as they are, rather than a finding
    /// lost or shown twice).
    pub(crate) fn with_order(lists: Vec<Vec<Diagnostic>>, order: Vec<Place>) -> Self {
        let findings = Self { lists, order };
        if findings.order_is_permutation() {
            findings
        } else {
            debug_assert!(false, "the findings' order is not a permutation");
            Self::in_list_order(findings.lists)
        }
    }

    fn order_is_permutation(&self) -> bool {
        if self.order.len() != self.lists.iter().map(Vec::len).sum::<usize>() {
            return false;
        }
        let mut seen: Vec<Vec<bool>> = self
            .lists
            .iter()
            .map(|list| vec![false; list.len()])
            .collect();
        self.order.iter().all(|&(list, at)| {
            seen.get_mut(list as usize)
                .and_then(|seen| seen.get_mut(at as usize))
                .is_some_and(|seen| !std::mem::replace(seen, true))
        })
    }

    fn get(&self, (list, at): Place) -> Option<&Diagnostic> {
        self.lists.get(list as usize)?.get(at as usize)
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The findings in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> + Clone + '_ {
        self.order.iter().filter_map(|&place| self.get(place))
    }

    /// The findings in order, as a list of references (made on every core: half a
    /// million on a large zone).
    #[must_use]
    pub fn refs(&self) -> Vec<&Diagnostic> {
        self.order
            .par_iter()
            .filter_map(|&place| self.get(place))
            .collect()
    }

    /// The findings in no particular order: for what counts them.
    pub fn unordered(&self) -> impl Iterator<Item = &Diagnostic> + Clone + '_ {
        self.lists.iter().flatten()
    }

    /// The findings in no particular order, on every core.
    pub fn par_unordered(&self) -> impl ParallelIterator<Item = &Diagnostic> + '_ {
        self.lists.par_iter().flat_map_iter(|list| list.iter())
    }

    /// Adds `finding` last.
    pub fn push(&mut self, finding: Diagnostic) {
        if self.lists.is_empty() {
            self.lists.push(Vec::new());
        }
        let list = self.lists.len() - 1;
        if let Some(last) = self.lists.last_mut() {
            self.order.push((place(list), place(last.len())));
            last.push(finding);
        }
    }

    /// Puts `first` in front of the findings, in their order (so that, sorted, they come
    /// before the findings they equal). They are a list of their own: no list is moved.
    pub fn put_first(&mut self, first: Vec<Diagnostic>) {
        if first.is_empty() {
            return;
        }
        let list = place(self.lists.len());
        let count = first.len();
        self.lists.push(first);
        self.order
            .splice(0..0, (0..count).map(|at| (list, place(at))));
    }

    /// Sorts the findings by `compare`; equal ones keep their order. When they are in
    /// order already (checked on every core: nearly always), nothing moves.
    pub fn sort_by(&mut self, compare: impl Fn(&Diagnostic, &Diagnostic) -> Ordering + Sync) {
        let lists = &self.lists;
        let get = |(list, at): Place| lists.get(list as usize)?.get(at as usize);
        let order = |a: &Place, b: &Place| match (get(*a), get(*b)) {
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
        let Self { lists, order } = self;
        // Each list's first position in the lists joined.
        let mut starts = Vec::with_capacity(lists.len());
        let mut total = 0;
        for list in &lists {
            starts.push(total);
            total += list.len();
        }
        let order: Vec<usize> = order
            .iter()
            .map(|&(list, at)| starts.get(list as usize).copied().unwrap_or(total) + at as usize)
            .collect();
        let mut joined: Vec<Diagnostic> = if lists.len() == 1 {
            // Moved, not copied.
            lists.into_iter().next().unwrap_or_default()
        } else {
            let mut joined = Vec::with_capacity(total);
            for list in lists {
                joined.extend(list);
            }
            joined
        };
        permute(&mut joined, &order);
        joined
    }
}

/// Every place in `lists`, list after list.
fn places(lists: &[Vec<Diagnostic>]) -> impl Iterator<Item = Place> + '_ {
    lists
        .iter()
        .enumerate()
        .flat_map(|(list, found)| (0..found.len()).map(move |at| (place(list), place(at))))
}

/// A position as a [`Place`] half: lists and findings are counted in `u32` (a zone's
/// findings are fewer than its records, and a zone's records are counted in `u32`).
pub(crate) fn place(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
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
        let lists = vec![
            vec![finding(3, "c"), finding(1, "a")],
            vec![],
            vec![finding(2, "b")],
        ];
        let findings = Findings::with_order(lists, vec![(0, 1), (2, 0), (0, 0)]);
        assert_eq!(findings.len(), 3);
        assert_eq!(messages(findings.iter()), ["a", "b", "c"]);
        assert_eq!(messages(findings.refs().into_iter()), ["a", "b", "c"]);
        assert_eq!(messages(findings.unordered()), ["c", "a", "b"]);
        assert_eq!(findings.par_unordered().count(), 3);
        assert_eq!(messages(findings.into_sorted().iter()), ["a", "b", "c"]);
    }

    #[test]
    fn findings_pushed_come_last_and_one_list_sorts_in_place() {
        let mut findings = Findings::default();
        findings.push(finding(2, "b"));
        findings.push(finding(1, "a"));
        assert_eq!(messages(findings.iter()), ["b", "a"]);
        findings.sort_by(|a, b| a.primary.start.cmp(&b.primary.start));
        assert_eq!(messages(findings.into_sorted().iter()), ["a", "b"]);
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
