//! Disclosure control (`PS_BUREAU`, issue 12), pure: a figure derived from fewer than `k` people is
//! suppressed, and so is a second cell beside it wherever the suppressed one could be recovered as
//! a total minus its siblings (complementary suppression); a percentage over a small denominator is
//! shown only as "<5 %" or ">95 %" near the ends. Every figure the bureau sees passes through here.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The district's default threshold: a cell of fewer than 10 people is not shown.
pub const DEFAULT_K: u64 = 10;
/// The lowest threshold a district may set: a figure of fewer people points at a person.
pub const MIN_K: u64 = 5;
/// The highest: beyond it a school's figures would all disappear.
pub const MAX_K: u64 = 100;

/// Below this many people, a percentage near 0 or 100 says too much about individuals, so it is
/// shown as a bound.
pub const SMALL_DENOMINATOR: u64 = 100;

/// A count as published: the value, or nothing when suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Count {
    pub value: Option<u64>,
    pub suppressed: bool,
}

/// Which end a bounded percentage is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Under 5 % ("<5 %").
    Below5,
    /// Over 95 % (">95 %").
    Above95,
}

/// A percentage as published: the value (one decimal), a bound instead of it, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Percent {
    pub value: Option<f64>,
    pub bound: Option<Bound>,
    pub suppressed: bool,
}

/// Which cells of one line to suppress: those under `k` (but not an empty one: nobody to reveal),
/// and, where exactly one would be hidden and the line's total is published, the smallest other
/// non-zero cell too, so the hidden one is not the total minus the rest.
pub fn suppress_line(counts: &[u64], k: u64, total_published: bool) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|c| *c > 0 && *c < k).collect();
    if total_published {
        complement(counts, &mut hidden, |i| i);
    }
    hidden
}

/// Adds the smallest visible non-zero cell of a line to its hidden ones when exactly one is hidden.
/// `index` maps the line's positions to `hidden`'s. Returns whether it changed anything.
fn complement(counts: &[u64], hidden: &mut [bool], index: impl Fn(usize) -> usize) -> bool {
    let positions: Vec<usize> = (0..counts.len()).collect();
    let suppressed = positions.iter().filter(|p| hidden[index(**p)]).count();
    if suppressed != 1 {
        return false;
    }
    let partner =
        positions.iter().filter(|p| !hidden[index(**p)] && counts[**p] > 0).min_by_key(|p| (counts[**p], **p)).copied();
    match partner {
        Some(p) => {
            hidden[index(p)] = true;
            true
        }
        None => false,
    }
}

/// A table whose row and column totals are published (schools × grades, say): cells under `k`
/// are hidden, then, until nothing changes, any row or column with exactly one hidden cell hides
/// its smallest visible non-zero cell too. `cells[r][c]`; rows of equal length.
pub fn suppress_table(cells: &[Vec<u64>], k: u64) -> Vec<Vec<bool>> {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    let mut hidden: Vec<bool> = cells.iter().flatten().map(|c| *c > 0 && *c < k).collect();
    loop {
        let mut changed = false;
        for (r, row) in cells.iter().enumerate() {
            changed |= complement(row, &mut hidden, |c| r * cols + c);
        }
        for c in 0..cols {
            let column: Vec<u64> = cells.iter().map(|row| row[c]).collect();
            changed |= complement(&column, &mut hidden, |r| r * cols + c);
        }
        if !changed {
            break;
        }
    }
    hidden.chunks(cols.max(1)).map(<[bool]>::to_vec).take(rows).collect()
}

/// A count, suppressed as decided.
pub fn count(value: u64, hidden: bool) -> Count {
    if hidden { Count { value: None, suppressed: true } } else { Count { value: Some(value), suppressed: false } }
}

/// `part` of `of` people as a percentage: suppressed when `of` is under `k` (or the part's cell
/// was hidden), bounded near the ends when `of` is small.
pub fn percent(part: u64, of: u64, k: u64, hidden: bool) -> Percent {
    if hidden || of < k || of == 0 {
        return Percent { value: None, bound: None, suppressed: true };
    }
    let value = (part as f64 * 1000.0 / of as f64).round() / 10.0;
    if of < SMALL_DENOMINATOR && value < 5.0 {
        return Percent { value: None, bound: Some(Bound::Below5), suppressed: false };
    }
    if of < SMALL_DENOMINATOR && value > 95.0 {
        return Percent { value: None, bound: Some(Bound::Above95), suppressed: false };
    }
    Percent { value: Some(value), bound: None, suppressed: false }
}

/// `part` of `of` as a percentage (one decimal) for figures that are not about students or families
/// (class-days, teachers, activities): nothing to suppress; `None` when `of` is zero.
pub fn share(part: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| (part as f64 * 1000.0 / of as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recovers hidden cells a reader could compute: any line with one hidden cell and a total.
    fn recoverable(cells: &[Vec<u64>], hidden: &[Vec<bool>]) -> bool {
        let row_leak = hidden.iter().any(|row| row.iter().filter(|h| **h).count() == 1);
        let cols = cells.first().map_or(0, Vec::len);
        let col_leak = (0..cols).any(|c| hidden.iter().filter(|row| row[c]).count() == 1);
        row_leak || col_leak
    }

    #[test]
    fn a_cell_under_k_is_hidden_and_an_empty_one_is_not() {
        assert_eq!(suppress_line(&[3, 40, 0, 12], 10, false), vec![true, false, false, false]);
    }

    #[test]
    fn a_lone_hidden_cell_takes_its_smallest_sibling_with_it_when_the_total_is_published() {
        // 3 could be recovered as the total (55) minus 40 and 12: 12 goes too.
        assert_eq!(suppress_line(&[3, 40, 0, 12], 10, true), vec![true, false, false, true]);
        // Two hidden already: nothing more.
        assert_eq!(suppress_line(&[3, 4, 40], 10, true), vec![true, true, false]);
        // Nothing under k: nothing hidden.
        assert_eq!(suppress_line(&[30, 40], 10, true), vec![false, false]);
    }

    #[test]
    fn a_table_hides_enough_that_no_row_or_column_total_gives_a_cell_away() {
        let cells = vec![vec![5, 30, 40], vec![25, 30, 41], vec![50, 60, 70]];
        let hidden = suppress_table(&cells, 10);
        assert!(hidden[0][0]);
        assert!(!recoverable(&cells, &hidden), "{hidden:?}");
        // The complements are the smallest visible cells of the lines.
        assert!(hidden[0][1] && hidden[1][0] && hidden[1][1], "{hidden:?}");
        assert_eq!(hidden.iter().flatten().filter(|h| **h).count(), 4);
    }

    #[test]
    fn a_table_without_small_cells_hides_nothing() {
        let cells = vec![vec![15, 30], vec![25, 30]];
        assert_eq!(suppress_table(&cells, 10), vec![vec![false, false], vec![false, false]]);
        assert!(suppress_table(&[], 10).is_empty());
    }

    #[test]
    fn percentages_are_suppressed_under_k_and_bounded_near_the_ends_when_few() {
        assert_eq!(percent(3, 8, 10, false), Percent { value: None, bound: None, suppressed: true });
        assert_eq!(percent(1, 40, 10, false).bound, Some(Bound::Below5));
        assert_eq!(percent(39, 40, 10, false).bound, Some(Bound::Above95));
        assert_eq!(percent(20, 40, 10, false).value, Some(50.0));
        // A large denominator shows the figure itself.
        assert_eq!(percent(1, 400, 10, false).value, Some(0.3));
        assert!(percent(30, 40, 10, true).suppressed);
        assert_eq!(count(7, true), Count { value: None, suppressed: true });
        assert_eq!(count(70, false).value, Some(70));
    }

    #[test]
    fn shares_of_things_that_are_not_people_are_plain() {
        assert_eq!(share(1, 3), Some(33.3));
        assert_eq!(share(0, 0), None);
    }
}
