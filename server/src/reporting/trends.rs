//! Trend periods, pure: the last N weeks, half-months or months up to today (the current one
//! counted up to today), oldest first.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long one period of a trend is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Monday to Sunday.
    #[default]
    Week,
    /// The 1st to the 15th, the 16th to the month's end.
    HalfMonth,
    Month,
}

/// Most periods a trend reads.
pub const MAX_PERIODS: u8 = 26;
/// Periods a trend reads unless asked.
pub const DEFAULT_PERIODS: u8 = 6;

fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn next_month(date: NaiveDate) -> NaiveDate {
    let first = month_start(date);
    if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1).unwrap_or(first)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1).unwrap_or(first)
    }
}

/// The period `date` falls in: its first and last day.
pub fn period_of(kind: PeriodKind, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    match kind {
        PeriodKind::Week => {
            let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
            (monday, monday + Duration::days(6))
        }
        PeriodKind::HalfMonth if date.day() <= 15 => {
            let first = month_start(date);
            (first, first + Duration::days(14))
        }
        PeriodKind::HalfMonth => (month_start(date) + Duration::days(15), next_month(date) - Duration::days(1)),
        PeriodKind::Month => (month_start(date), next_month(date) - Duration::days(1)),
    }
}

/// The last `n` periods up to `today`, oldest first; the current one ends at `today`.
pub fn last(kind: PeriodKind, n: u8, today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut periods = Vec::new();
    let mut date = today;
    for _ in 0..n {
        let (from, to) = period_of(kind, date);
        periods.push((from, to.min(today)));
        date = from - Duration::days(1);
    }
    periods.reverse();
    periods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("date")
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_the_current_one_ends_today() {
        // Wednesday 25 November 2026.
        assert_eq!(
            last(PeriodKind::Week, 3, d(11, 25)),
            vec![(d(11, 9), d(11, 15)), (d(11, 16), d(11, 22)), (d(11, 23), d(11, 25))]
        );
    }

    #[test]
    fn half_months_and_months_follow_the_calendar() {
        assert_eq!(
            last(PeriodKind::HalfMonth, 3, d(12, 4)),
            vec![(d(11, 1), d(11, 15)), (d(11, 16), d(11, 30)), (d(12, 1), d(12, 4))]
        );
        let december = |day| NaiveDate::from_ymd_opt(2025, 12, day).expect("date");
        assert_eq!(last(PeriodKind::Month, 2, d(1, 10)), vec![(december(1), december(31)), (d(1, 1), d(1, 10))]);
        assert_eq!(period_of(PeriodKind::HalfMonth, d(2, 20)), (d(2, 16), d(2, 28)));
    }
}
