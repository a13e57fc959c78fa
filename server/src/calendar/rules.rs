//! Which days are school days: pure rules over a school's terms, holidays and make-up days (调休).
//! Every domain that counts school days (after-school fees and roll calls, mentoring periods) asks
//! a [`Calendar`], so a holiday or a make-up Saturday means the same everywhere. No I/O.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The longest term a school may define: half a year and a little.
pub const MAX_TERM_DAYS: i64 = 200;

/// The school days of the week, Monday (1) to Friday (5).
pub const WEEKDAYS: std::ops::RangeInclusive<u8> = 1..=5;

/// What a calendar day is, when it is not an ordinary day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// No school (a public holiday, a sports day off…).
    Holiday,
    /// A weekend day with school, following the timetable of this weekday (1–5).
    MakeUp { follows: u8 },
}

/// A term as the school states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Holidays as ranges, both ends included.
    pub holidays: Vec<(NaiveDate, NaiveDate)>,
    /// Make-up days and the weekday each follows.
    pub make_up_days: Vec<(NaiveDate, u8)>,
}

/// Why a term cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermBreach {
    EndsBeforeStart,
    TooLong {
        days: i64,
    },
    HolidayBackwards {
        from: NaiveDate,
        to: NaiveDate,
    },
    HolidayOutsideTerm {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Two holidays share a day.
    HolidaysOverlap {
        from: NaiveDate,
        to: NaiveDate,
    },
    MakeUpOutsideTerm {
        date: NaiveDate,
    },
    /// A make-up day must be a weekend day: a weekday is a school day already.
    MakeUpOnWeekday {
        date: NaiveDate,
    },
    MakeUpOnHoliday {
        date: NaiveDate,
    },
    MakeUpTwice {
        date: NaiveDate,
    },
    /// A make-up day follows Monday to Friday's timetable.
    BadWeekday {
        date: NaiveDate,
        follows: u8,
    },
}

/// Checks a term before it is saved: its dates in order and at most [`MAX_TERM_DAYS`] long,
/// holidays and make-up days inside it, make-up days on weekends, not on a holiday, each once.
pub fn check_term(term: &Term) -> Result<(), TermBreach> {
    if term.ends_on < term.starts_on {
        return Err(TermBreach::EndsBeforeStart);
    }
    let days = (term.ends_on - term.starts_on).num_days() + 1;
    if days > MAX_TERM_DAYS {
        return Err(TermBreach::TooLong { days });
    }
    let inside = |d: NaiveDate| term.starts_on <= d && d <= term.ends_on;
    for &(from, to) in &term.holidays {
        if to < from {
            return Err(TermBreach::HolidayBackwards { from, to });
        }
        if !inside(from) || !inside(to) {
            return Err(TermBreach::HolidayOutsideTerm { from, to });
        }
    }
    for (i, &a) in term.holidays.iter().enumerate() {
        if let Some(&(from, to)) = term.holidays[..i].iter().find(|&&b| overlaps(a, b)) {
            return Err(TermBreach::HolidaysOverlap { from, to });
        }
    }
    let mut seen = Vec::new();
    for &(date, follows) in &term.make_up_days {
        if !inside(date) {
            return Err(TermBreach::MakeUpOutsideTerm { date });
        }
        if !is_weekend(date) {
            return Err(TermBreach::MakeUpOnWeekday { date });
        }
        if !WEEKDAYS.contains(&follows) {
            return Err(TermBreach::BadWeekday { date, follows });
        }
        if term.holidays.iter().any(|&(from, to)| from <= date && date <= to) {
            return Err(TermBreach::MakeUpOnHoliday { date });
        }
        if seen.contains(&date) {
            return Err(TermBreach::MakeUpTwice { date });
        }
        seen.push(date);
    }
    Ok(())
}

/// Whether two terms share a day.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The plain weekday rule: Monday to Friday are school days, following their own timetable.
pub fn plain_weekday(date: NaiveDate) -> Option<u8> {
    (!is_weekend(date)).then(|| date.weekday().number_from_monday() as u8)
}

/// A school's calendar: its terms' holidays and make-up days. A day no term of the school covers
/// follows the plain weekday rule (the school has not said otherwise), so a school that never set
/// a calendar sees every Monday to Friday as a school day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    special: BTreeMap<NaiveDate, Special>,
}

impl Calendar {
    /// A calendar with no holidays and no make-up days: the plain weekday rule.
    pub fn weekdays_only() -> Self {
        Self::default()
    }

    /// The calendar of these terms.
    pub fn of_terms<'a>(terms: impl IntoIterator<Item = &'a Term>) -> Self {
        let mut special = BTreeMap::new();
        for term in terms {
            for &(from, to) in &term.holidays {
                for day in from.iter_days().take_while(|d| *d <= to) {
                    special.insert(day, Special::Holiday);
                }
            }
            for &(date, follows) in &term.make_up_days {
                special.insert(date, Special::MakeUp { follows });
            }
        }
        Self { special }
    }

    /// The weekday (1–5) whose timetable runs on `date`, or `None` when there is no school.
    pub fn school_weekday(&self, date: NaiveDate) -> Option<u8> {
        match self.special.get(&date) {
            Some(Special::Holiday) => None,
            Some(Special::MakeUp { follows }) => Some(*follows),
            None => plain_weekday(date),
        }
    }

    /// The school days from `from` to `to`, both included, with the weekday each follows.
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (NaiveDate, u8)> + '_ {
        from.iter_days().take_while(move |d| *d <= to).filter_map(|d| self.school_weekday(d).map(|w| (d, w)))
    }

    /// How many school days lie from `from` to `to`, both included.
    pub fn count_school_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        self.school_days(from, to).count() as u32
    }
}

/// The term a school that never set a calendar is in on `date`: the autumn term from 1 September
/// to 31 January, the spring term from 1 February to 31 August (the summer holidays included, so
/// every date has a term).
pub fn default_term(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let year = date.year();
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(date);
    match date.month() {
        2..=8 => (ymd(year, 2, 1), ymd(year, 8, 31)),
        9..=12 => (ymd(year, 9, 1), ymd(year + 1, 1, 31)),
        _ => (ymd(year - 1, 9, 1), ymd(year, 1, 31)),
    }
}

/// The school year a term belongs to: the one starting in the September before its first day
/// (a term starting in August counts with the September after it).
pub fn school_year_of(starts_on: NaiveDate) -> i32 {
    let shifted = starts_on + Duration::days(31);
    if shifted.month() >= 9 { shifted.year() } else { shifted.year() - 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn autumn() -> Term {
        Term {
            starts_on: d(2026, 9, 1),
            ends_on: d(2027, 1, 22),
            // National Day week, then 10 October (a Saturday) made up for Thursday 8 October.
            holidays: vec![(d(2026, 10, 1), d(2026, 10, 8))],
            make_up_days: vec![(d(2026, 10, 10), 4)],
        }
    }

    #[test]
    fn a_term_in_order_with_its_days_inside_is_accepted() {
        assert_eq!(check_term(&autumn()), Ok(()));
    }

    #[test]
    fn a_term_ending_before_it_starts_or_too_long_is_refused() {
        let mut t = autumn();
        t.ends_on = d(2026, 8, 1);
        assert_eq!(check_term(&t), Err(TermBreach::EndsBeforeStart));
        let mut t = autumn();
        t.ends_on = d(2027, 6, 30);
        assert!(matches!(check_term(&t), Err(TermBreach::TooLong { .. })));
    }

    #[test]
    fn holidays_and_make_up_days_must_lie_inside_the_term() {
        let mut t = autumn();
        t.holidays.push((d(2027, 1, 20), d(2027, 2, 10)));
        assert!(matches!(check_term(&t), Err(TermBreach::HolidayOutsideTerm { .. })));
        let mut t = autumn();
        t.holidays.push((d(2026, 11, 5), d(2026, 11, 2)));
        assert!(matches!(check_term(&t), Err(TermBreach::HolidayBackwards { .. })));
        let mut t = autumn();
        t.holidays.push((d(2026, 10, 8), d(2026, 10, 9)));
        assert!(matches!(check_term(&t), Err(TermBreach::HolidaysOverlap { .. })));
        let mut t = autumn();
        t.make_up_days.push((d(2027, 1, 23), 1));
        assert!(matches!(check_term(&t), Err(TermBreach::MakeUpOutsideTerm { .. })));
    }

    #[test]
    fn a_make_up_day_is_a_weekend_day_outside_the_holidays_following_a_weekday() {
        let mut t = autumn();
        t.make_up_days.push((d(2026, 10, 12), 1)); // a Monday
        assert!(matches!(check_term(&t), Err(TermBreach::MakeUpOnWeekday { .. })));
        let mut t = autumn();
        t.make_up_days.push((d(2026, 10, 3), 1)); // a Saturday inside the National Day holiday
        assert!(matches!(check_term(&t), Err(TermBreach::MakeUpOnHoliday { .. })));
        let mut t = autumn();
        t.make_up_days.push((d(2026, 10, 17), 6));
        assert!(matches!(check_term(&t), Err(TermBreach::BadWeekday { follows: 6, .. })));
        let mut t = autumn();
        t.make_up_days.push((d(2026, 10, 10), 5));
        assert!(matches!(check_term(&t), Err(TermBreach::MakeUpTwice { .. })));
    }

    #[test]
    fn holidays_have_no_school_and_a_make_up_day_follows_its_weekday() {
        let calendar = Calendar::of_terms([&autumn()]);
        assert_eq!(calendar.school_weekday(d(2026, 9, 30)), Some(3)); // a Wednesday
        assert_eq!(calendar.school_weekday(d(2026, 10, 5)), None); // Monday of the holiday
        assert_eq!(calendar.school_weekday(d(2026, 10, 10)), Some(4)); // Saturday, Thursday's timetable
        assert_eq!(calendar.school_weekday(d(2026, 10, 11)), None); // an ordinary Sunday
        // The week of 5 October: no school Monday to Thursday, Friday the 9th, Saturday made up.
        let days: Vec<_> = calendar.school_days(d(2026, 10, 5), d(2026, 10, 11)).collect();
        assert_eq!(days, vec![(d(2026, 10, 9), 5), (d(2026, 10, 10), 4)]);
    }

    #[test]
    fn without_a_calendar_every_weekday_is_a_school_day() {
        let calendar = Calendar::weekdays_only();
        assert_eq!(calendar.count_school_days(d(2026, 10, 5), d(2026, 10, 11)), 5);
        assert_eq!(calendar.school_weekday(d(2026, 10, 10)), None);
    }

    #[test]
    fn the_default_term_covers_every_date() {
        assert_eq!(default_term(d(2026, 12, 4)), (d(2026, 9, 1), d(2027, 1, 31)));
        assert_eq!(default_term(d(2027, 1, 10)), (d(2026, 9, 1), d(2027, 1, 31)));
        assert_eq!(default_term(d(2027, 3, 10)), (d(2027, 2, 1), d(2027, 8, 31)));
        assert_eq!(default_term(d(2027, 8, 31)), (d(2027, 2, 1), d(2027, 8, 31)));
    }

    #[test]
    fn a_term_belongs_to_the_school_year_it_starts_in() {
        assert_eq!(school_year_of(d(2026, 9, 1)), 2026);
        assert_eq!(school_year_of(d(2026, 8, 25)), 2026);
        assert_eq!(school_year_of(d(2027, 2, 20)), 2026);
    }
}
