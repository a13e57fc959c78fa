//! The mentoring rules, pure: the school's setting (`MT_COVERAGE`: which grades, the cap), the
//! coverage a set of assignments gives, and what a student still owes (`MT_THREE_TASKS`).

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::model::{Task, TaskStatus};

/// The default and the bounds of the mentees per mentor.
pub const DEFAULT_CAP: u8 = 12;
pub const MAX_CAP: u8 = 40;
/// Minutes kept free between two home visits, and most visits a day (defaults).
pub const DEFAULT_VISIT_BUFFER_MINUTES: u16 = 30;
pub const MAX_VISIT_BUFFER_MINUTES: u16 = 240;
pub const DEFAULT_MAX_VISITS_PER_DAY: u8 = 3;
pub const MAX_VISITS_PER_DAY: u8 = 10;

/// A mentor with more mentees than the cap allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverCap {
    pub mentor: Uuid,
    pub mentees: usize,
    pub cap: usize,
}

/// `MT_COVERAGE` before publication: every student of the covered grades has a mentor, and no
/// mentor has more than the cap. `students` are the covered students; `mentor_of` the assignments
/// as they would stand.
pub fn check_coverage(students: &[Uuid], mentor_of: &HashMap<Uuid, Uuid>, cap: usize) -> Result<(), CoverageBreach> {
    let without: Vec<Uuid> = students.iter().copied().filter(|s| !mentor_of.contains_key(s)).collect();
    if !without.is_empty() {
        return Err(CoverageBreach::StudentsWithoutMentor(without));
    }
    if let Some(over) = over_cap(mentor_of, cap) {
        return Err(CoverageBreach::OverCap(over));
    }
    Ok(())
}

/// Why assignments cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverageBreach {
    StudentsWithoutMentor(Vec<Uuid>),
    OverCap(OverCap),
}

/// The first mentor (by id) above the cap.
pub fn over_cap(mentor_of: &HashMap<Uuid, Uuid>, cap: usize) -> Option<OverCap> {
    let loads = loads(mentor_of);
    let mut over: Vec<(Uuid, usize)> = loads.into_iter().filter(|(_, n)| *n > cap).collect();
    over.sort();
    over.first().map(|&(mentor, mentees)| OverCap { mentor, mentees, cap })
}

/// Mentees per mentor.
pub fn loads(mentor_of: &HashMap<Uuid, Uuid>) -> HashMap<Uuid, usize> {
    let mut loads = HashMap::new();
    for mentor in mentor_of.values() {
        *loads.entry(*mentor).or_insert(0) += 1;
    }
    loads
}

/// How urgent a student's open tasks are, for the mentor's list: more open tasks first, then a
/// declined visit (another mode to offer), then nothing scheduled yet.
pub fn urgency(tasks: &[(Task, TaskStatus)]) -> (usize, bool, usize) {
    let open = tasks.iter().filter(|(_, s)| s.is_open()).count();
    let declined = tasks.iter().any(|(_, s)| *s == TaskStatus::Declined);
    let unscheduled = tasks.iter().filter(|(_, s)| *s == TaskStatus::Pending).count();
    (open, declined, unscheduled)
}

/// Reminders to mentors before the period ends, in days (4 weeks and 1 week before).
pub const PERIOD_REMINDERS: [i64; 2] = [28, 7];

/// The reminder due `days_left` days before the period's end: the nearest threshold reached (a
/// mentor reminded a week before need not hear of the four-week mark as well).
pub fn period_reminder_due(days_left: i64) -> Option<i64> {
    PERIOD_REMINDERS.iter().copied().filter(|&d| (0..=d).contains(&days_left)).min()
}

// ── Home visits ──────────────────────────────────────────────────────────────────────────────

/// Most windows a proposal offers, and the longest window.
pub const MAX_WINDOWS: usize = 5;
pub const MAX_WINDOW_MINUTES: i64 = 240;
/// A change this close to the start needs a message to the other side.
pub const LATE_CHANGE: Duration = Duration::hours(2);
/// The family's address is erased this long after the visit.
pub const ADDRESS_KEPT: Duration = Duration::days(7);

/// A time window, start included, end excluded.
pub type Window = (DateTime<Utc>, DateTime<Utc>);

/// Why windows cannot be offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowProblem {
    None,
    TooMany,
    EndsBeforeStart,
    TooLong,
    InThePast,
    /// More than [`MAX_DAYS_AHEAD`] days ahead.
    TooFar,
    Overlapping,
}

/// How far ahead a visit may be offered.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// Windows offered for a visit: 1 to [`MAX_WINDOWS`], each ending after it starts, at most
/// [`MAX_WINDOW_MINUTES`] long, in the future, not overlapping one another.
pub fn check_windows(windows: &[Window], now: DateTime<Utc>) -> WindowProblem {
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return WindowProblem::TooMany;
    }
    for (i, &(start, end)) in windows.iter().enumerate() {
        if end <= start {
            return WindowProblem::EndsBeforeStart;
        }
        if (end - start).num_minutes() > MAX_WINDOW_MINUTES {
            return WindowProblem::TooLong;
        }
        if start <= now {
            return WindowProblem::InThePast;
        }
        if end > now + Duration::days(MAX_DAYS_AHEAD) {
            return WindowProblem::TooFar;
        }
        if windows[..i].iter().any(|&other| overlap(other, (start, end), Duration::zero())) {
            return WindowProblem::Overlapping;
        }
    }
    WindowProblem::None
}

/// Whether two windows come closer than `buffer` (overlapping, or with less than `buffer` between).
pub fn overlap(a: Window, b: Window, buffer: Duration) -> bool {
    a.0 < b.1 + buffer && b.0 < a.1 + buffer
}

/// Why a time cannot be booked for a teacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingConflict {
    /// Another booked visit overlaps it or comes within the buffer.
    DoubleBooked { with: Uuid },
    /// The teacher already has the most home visits the school allows that day.
    DailyLimit { limit: usize },
}

/// A teacher's booked visits, as the conflict check needs them: (visit, window, local date, home?).
pub struct Booked {
    pub visit: Uuid,
    pub window: Window,
    pub local_date: NaiveDate,
    pub home: bool,
}

/// Whether `window` (a home visit when `home`, on `local_date`) fits a teacher's calendar: no
/// booked visit within `buffer` of it, and, for a home visit, fewer than `per_day` home visits
/// booked that day.
pub fn booking_conflict(
    window: Window,
    home: bool,
    local_date: NaiveDate,
    booked: &[Booked],
    buffer: Duration,
    per_day: usize,
) -> Option<BookingConflict> {
    if let Some(b) = booked.iter().find(|b| overlap(b.window, window, buffer)) {
        return Some(BookingConflict::DoubleBooked { with: b.visit });
    }
    let same_day = booked.iter().filter(|b| b.home && b.local_date == local_date).count();
    if home && same_day >= per_day {
        return Some(BookingConflict::DailyLimit { limit: per_day });
    }
    None
}

/// Whether a change at `now` to a visit starting at `start` is late (within [`LATE_CHANGE`]) and so
/// needs a message to the other side.
pub fn late_change(now: DateTime<Utc>, start: DateTime<Utc>) -> bool {
    now < start && start - now <= LATE_CHANGE
}

/// Which reminder a booked visit is due at `now`: the day-before one from 24 hours before, the
/// hour-before one from 1 hour before; none once it started, each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    DayBefore,
    HourBefore,
}

pub fn reminder_due(now: DateTime<Utc>, start: DateTime<Utc>, day_sent: bool, hour_sent: bool) -> Option<Reminder> {
    if now >= start {
        return None;
    }
    if !hour_sent && start - now <= Duration::hours(1) {
        return Some(Reminder::HourBefore);
    }
    if !day_sent && !hour_sent && start - now <= Duration::hours(24) {
        return Some(Reminder::DayBefore);
    }
    None
}

/// Whether the family's address is due for erasure at `now` (7 days after the visit ended).
pub fn address_expired(ends_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= ends_at + ADDRESS_KEPT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn mt_coverage_refuses_a_covered_student_without_a_mentor() {
        let mentor_of = HashMap::from([(u(1), u(9))]);
        assert_eq!(
            check_coverage(&[u(1), u(2)], &mentor_of, 12),
            Err(CoverageBreach::StudentsWithoutMentor(vec![u(2)]))
        );
        assert_eq!(check_coverage(&[u(1)], &mentor_of, 12), Ok(()));
    }

    #[test]
    fn mt_coverage_refuses_a_mentor_over_the_cap() {
        let mentor_of = HashMap::from([(u(1), u(9)), (u(2), u(9)), (u(3), u(8))]);
        assert_eq!(
            check_coverage(&[u(1), u(2), u(3)], &mentor_of, 1),
            Err(CoverageBreach::OverCap(OverCap { mentor: u(9), mentees: 2, cap: 1 }))
        );
        assert_eq!(check_coverage(&[u(1), u(2), u(3)], &mentor_of, 2), Ok(()));
    }

    #[test]
    fn mt_three_tasks_more_open_tasks_are_more_urgent() {
        let all_open = [(Task::Visit, TaskStatus::Pending), (Task::Talk, TaskStatus::Pending)];
        let one_done = [(Task::Visit, TaskStatus::Done), (Task::Talk, TaskStatus::Pending)];
        let declined = [(Task::Visit, TaskStatus::Declined), (Task::Talk, TaskStatus::Done)];
        let waived = [(Task::Visit, TaskStatus::Waived), (Task::Talk, TaskStatus::DoneOnline)];
        assert!(urgency(&all_open) > urgency(&one_done));
        assert!(urgency(&declined) > urgency(&one_done));
        assert_eq!(urgency(&waived).0, 0);
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(h, m, 0).unwrap().and_utc()
    }

    #[test]
    fn windows_are_few_in_order_short_ahead_and_apart() {
        let now = at(8, 0);
        assert_eq!(check_windows(&[(at(10, 0), at(11, 0))], now), WindowProblem::None);
        assert_eq!(check_windows(&[], now), WindowProblem::TooMany);
        assert_eq!(check_windows(&[(at(11, 0), at(10, 0))], now), WindowProblem::EndsBeforeStart);
        assert_eq!(check_windows(&[(at(9, 0), at(14, 0))], now), WindowProblem::TooLong);
        assert_eq!(check_windows(&[(at(7, 0), at(7, 30))], now), WindowProblem::InThePast);
        let far = at(10, 0) + Duration::days(400);
        assert_eq!(check_windows(&[(far, far + Duration::hours(1))], now), WindowProblem::TooFar);
        assert_eq!(check_windows(&[(at(10, 0), at(11, 0)), (at(10, 30), at(11, 30))], now), WindowProblem::Overlapping);
    }

    #[test]
    fn a_booking_keeps_the_buffer_and_the_daily_limit() {
        let booked =
            [Booked { visit: u(1), window: (at(10, 0), at(11, 0)), local_date: at(0, 0).date_naive(), home: true }];
        let day = at(0, 0).date_naive();
        let buffer = Duration::minutes(30);
        // Overlapping, or starting 15 minutes after the last ended: refused; 30 minutes after: fine.
        assert_eq!(
            booking_conflict((at(10, 30), at(11, 30)), true, day, &booked, buffer, 3),
            Some(BookingConflict::DoubleBooked { with: u(1) })
        );
        assert!(booking_conflict((at(11, 15), at(12, 0)), true, day, &booked, buffer, 3).is_some());
        assert_eq!(booking_conflict((at(11, 30), at(12, 0)), true, day, &booked, buffer, 3), None);
        // One home visit a day at most: a second home visit is refused, a phone call is not.
        assert_eq!(
            booking_conflict((at(14, 0), at(15, 0)), true, day, &booked, buffer, 1),
            Some(BookingConflict::DailyLimit { limit: 1 })
        );
        assert_eq!(booking_conflict((at(14, 0), at(15, 0)), false, day, &booked, buffer, 1), None);
    }

    #[test]
    fn reminders_come_a_day_and_an_hour_before_each_once() {
        let start = at(18, 0);
        assert_eq!(reminder_due(start - Duration::hours(25), start, false, false), None);
        assert_eq!(reminder_due(start - Duration::hours(23), start, false, false), Some(Reminder::DayBefore));
        assert_eq!(reminder_due(start - Duration::hours(23), start, true, false), None);
        assert_eq!(reminder_due(start - Duration::minutes(50), start, true, false), Some(Reminder::HourBefore));
        // Booked less than an hour ahead: only the hour-before one.
        assert_eq!(reminder_due(start - Duration::minutes(50), start, false, false), Some(Reminder::HourBefore));
        assert_eq!(reminder_due(start - Duration::minutes(50), start, false, true), None);
        assert_eq!(reminder_due(start, start, false, false), None);
    }

    #[test]
    fn a_late_change_is_within_two_hours_of_the_start() {
        assert!(late_change(at(16, 0), at(18, 0)));
        assert!(!late_change(at(15, 59), at(18, 0)));
        assert!(!late_change(at(18, 1), at(18, 0)));
    }

    #[test]
    fn mentors_are_reminded_four_weeks_and_one_week_before_the_period_ends() {
        assert_eq!(period_reminder_due(40), None);
        assert_eq!(period_reminder_due(28), Some(28));
        assert_eq!(period_reminder_due(10), Some(28));
        assert_eq!(period_reminder_due(7), Some(7));
        assert_eq!(period_reminder_due(0), Some(7));
        assert_eq!(period_reminder_due(-1), None, "the period is over");
    }

    #[test]
    fn the_address_is_erased_seven_days_after_the_visit() {
        let end = at(19, 0);
        assert!(!address_expired(end, end + Duration::days(7) - Duration::seconds(1)));
        assert!(address_expired(end, end + Duration::days(7)));
    }
}
