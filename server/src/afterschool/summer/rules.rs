//! Summer care's rules (`AS_SUMMER`) as pure functions: what a site must be to be published, who
//! it takes, and when a week can still be taken or given back. No I/O, no clock.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};

use super::super::rules::Minute;

/// A site's day: within 07:00–19:00 and at least two hours (a parent's working day, not a club).
pub const EARLIEST_START: Minute = 7 * 60;
pub const LATEST_END: Minute = 19 * 60;
pub const MIN_DAY_MINUTES: Minute = 120;
/// A summer holiday is at most ten weeks.
pub const MAX_WEEKS: usize = 10;
pub const CAPACITY: RangeInclusive<u32> = 1..=500;
/// At most 5,000 yuan a week.
pub const FEE_FEN: RangeInclusive<i64> = 0..=500_000;

/// What keeps a site from being published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteProblem {
    /// The day is outside 07:00–19:00, ends before it starts, or is shorter than two hours.
    Hours,
    NoWeeks,
    TooManyWeeks,
    /// A week must start on a Monday.
    NotMonday(NaiveDate),
    /// Listed twice.
    Repeated(NaiveDate),
    /// Already begun: nobody could enrol for it.
    Past(NaiveDate),
}

/// `AS_SUMMER`: a site's hours and weeks, on the district's `today`. Every problem, in order.
pub fn site_problems(start: Minute, end: Minute, weeks: &[NaiveDate], today: NaiveDate) -> Vec<SiteProblem> {
    let mut problems = Vec::new();
    if start < EARLIEST_START || end > LATEST_END || end < start.saturating_add(MIN_DAY_MINUTES) {
        problems.push(SiteProblem::Hours);
    }
    if weeks.is_empty() {
        problems.push(SiteProblem::NoWeeks);
    }
    if weeks.len() > MAX_WEEKS {
        problems.push(SiteProblem::TooManyWeeks);
    }
    for (i, monday) in weeks.iter().enumerate() {
        if monday.weekday() != Weekday::Mon {
            problems.push(SiteProblem::NotMonday(*monday));
        } else if weeks[..i].contains(monday) {
            problems.push(SiteProblem::Repeated(*monday));
        } else if *monday <= today {
            problems.push(SiteProblem::Past(*monday));
        }
    }
    problems
}

/// The child a site takes: a community site (no school) any child of its district, a school's site
/// that school's children; in either, a grade it lists (none listed: every grade).
pub fn takes(site_school: Option<uuid::Uuid>, grades: &[u8], child_school: uuid::Uuid, grade: u8) -> bool {
    site_school.is_none_or(|s| s == child_school) && (grades.is_empty() || grades.contains(&grade))
}

/// A week is taken, and given back free, until it starts; from its Monday it is owed.
pub fn open_until_start(starts_on: NaiveDate, today: NaiveDate) -> bool {
    today < starts_on
}

/// The Friday of the week starting on `monday`.
pub fn ends_on(monday: NaiveDate) -> NaiveDate {
    monday + chrono::Duration::days(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap()
    }

    #[test]
    fn as_summer_a_site_runs_a_working_day_in_mondays_still_ahead() {
        let today = d(6, 1);
        assert!(site_problems(8 * 60, 17 * 60, &[d(7, 12), d(7, 19)], today).is_empty());
        assert_eq!(site_problems(6 * 60, 17 * 60, &[d(7, 12)], today), vec![SiteProblem::Hours]);
        assert_eq!(site_problems(8 * 60, 9 * 60, &[d(7, 12)], today), vec![SiteProblem::Hours], "under two hours");
        assert_eq!(site_problems(8 * 60, 20 * 60, &[d(7, 12)], today), vec![SiteProblem::Hours]);
        assert_eq!(site_problems(8 * 60, 17 * 60, &[], today), vec![SiteProblem::NoWeeks]);
        assert_eq!(
            site_problems(8 * 60, 17 * 60, &[d(7, 13), d(7, 12), d(7, 12), d(5, 31)], today),
            vec![SiteProblem::NotMonday(d(7, 13)), SiteProblem::Repeated(d(7, 12)), SiteProblem::Past(d(5, 31))]
        );
        let eleven: Vec<NaiveDate> = (0..11).map(|w| d(6, 7) + chrono::Duration::weeks(w)).collect();
        assert_eq!(site_problems(8 * 60, 17 * 60, &eleven, today), vec![SiteProblem::TooManyWeeks]);
    }

    #[test]
    fn a_community_site_takes_the_districts_children_and_a_schools_site_its_own() {
        let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert!(takes(None, &[], a, 3));
        assert!(takes(Some(a), &[1, 2, 3], a, 3));
        assert!(!takes(Some(a), &[], b, 3), "another school's children");
        assert!(!takes(None, &[1, 2], a, 3), "a grade it does not list");
    }

    #[test]
    fn a_week_is_taken_and_given_back_until_its_monday() {
        assert!(open_until_start(d(7, 12), d(7, 11)));
        assert!(!open_until_start(d(7, 12), d(7, 12)));
        assert_eq!(ends_on(d(7, 12)), d(7, 16));
    }
}
