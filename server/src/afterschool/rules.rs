//! The after-school rules (`../shared/DOMAIN.md`, `AS_*`) as pure functions: facts in, breaches
//! out. No I/O and no clock: the service passes today's local date and the district's settings.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};

use super::model::{EnrolmentPhase, FeeEntryKind, FeePer, ProviderStanding, SessionKind};
use crate::calendar::rules::Calendar;
use crate::org::model::{Stage, StageSystem};

/// Minutes after local midnight.
pub type Minute = u16;

/// The district's off-work time when it has set none (17:30).
pub const DEFAULT_OFF_WORK: Minute = 17 * 60 + 30;
/// `AS_END_TIME`: the basic session ends no earlier than off-work time plus this.
pub const END_AFTER_OFF_WORK: Minute = 20;
/// `AS_5_PLUS_2`: each day's basic session lasts at least this long.
pub const MIN_SESSION_MINUTES: Minute = 120;
/// `AS_EVENING_STUDY`: evening self-study ends by 20:30.
pub const EVENING_LATEST_END: Minute = 20 * 60 + 30;

/// School days by number: 1 (Monday) to 5 (Friday).
pub const WEEKDAYS: RangeInclusive<u8> = 1..=5;

/// The off-work times a district may set (`AS_END_TIME` counts from it).
pub const OFF_WORK_TIMES: RangeInclusive<Minute> = 15 * 60..=20 * 60;
/// [`OFF_WORK_TIMES`] as `HH:MM` text, for the API document; a test keeps the two in step.
pub const OFF_WORK_TIME: &str = r"^(1[5-9]:[0-5][0-9]|20:00)$";

/// "HH:MM" (24-hour) as minutes after midnight, read exactly as the API document states times
/// (`crate::input::CLOCK_TIME`): `7:50`, `+7:50` or ` 07:50` are not times.
pub fn parse_hhmm(text: &str) -> Option<Minute> {
    let time = crate::input::clock_time(text)?;
    Some((time.hour() * 60 + time.minute()) as Minute)
}

pub fn hhmm(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// One service session of a plan, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// 1 = Monday … 5 = Friday.
    pub weekday: u8,
    pub kind: SessionKind,
    pub start: Minute,
    pub end: Minute,
    /// Empty: every grade of the school.
    pub grades: Vec<u8>,
}

impl Session {
    pub fn minutes(&self) -> Minute {
        self.end.saturating_sub(self.start)
    }

    pub fn serves(&self, grade: u8) -> bool {
        self.grades.is_empty() || self.grades.contains(&grade)
    }
}

/// A way a plan breaks a rule; `rule()` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanBreach {
    /// `AS_5_PLUS_2`: a weekday without a basic session.
    NoBasicSession { weekday: u8 },
    /// `AS_5_PLUS_2`: a basic session shorter than two hours.
    BasicTooShort { weekday: u8, minutes: Minute },
    /// `AS_END_TIME`: a basic session ending before off-work time + 20 minutes.
    EndsBeforeOffWork { weekday: u8, end: Minute, earliest: Minute },
    /// `AS_EVENING_STUDY`: evening study for primary grades (or for every grade).
    EveningForPrimary { weekday: u8 },
    /// `AS_EVENING_STUDY`: evening study ending after 20:30.
    EveningTooLate { weekday: u8, end: Minute },
}

impl PlanBreach {
    pub fn rule(&self) -> &'static str {
        match self {
            PlanBreach::NoBasicSession { .. } | PlanBreach::BasicTooShort { .. } => "AS_5_PLUS_2",
            PlanBreach::EndsBeforeOffWork { .. } => "AS_END_TIME",
            PlanBreach::EveningForPrimary { .. } | PlanBreach::EveningTooLate { .. } => "AS_EVENING_STUDY",
        }
    }

    pub fn weekday(&self) -> u8 {
        match self {
            PlanBreach::NoBasicSession { weekday }
            | PlanBreach::BasicTooShort { weekday, .. }
            | PlanBreach::EndsBeforeOffWork { weekday, .. }
            | PlanBreach::EveningForPrimary { weekday }
            | PlanBreach::EveningTooLate { weekday, .. } => *weekday,
        }
    }
}

/// Every way the plan's sessions break `AS_5_PLUS_2`, `AS_END_TIME` or `AS_EVENING_STUDY`, in
/// weekday order. A draft may break them; a published plan breaks none.
pub fn plan_breaches(sessions: &[Session], stages: StageSystem, off_work: Minute) -> Vec<PlanBreach> {
    let mut breaches = Vec::new();
    let earliest_end = off_work + END_AFTER_OFF_WORK;
    for weekday in WEEKDAYS {
        let today: Vec<&Session> = sessions.iter().filter(|s| s.weekday == weekday).collect();
        let basic: Vec<&&Session> = today.iter().filter(|s| s.kind == SessionKind::Basic).collect();
        if basic.is_empty() {
            breaches.push(PlanBreach::NoBasicSession { weekday });
        }
        for session in &basic {
            if session.minutes() < MIN_SESSION_MINUTES {
                breaches.push(PlanBreach::BasicTooShort { weekday, minutes: session.minutes() });
            }
            if session.end < earliest_end {
                breaches.push(PlanBreach::EndsBeforeOffWork { weekday, end: session.end, earliest: earliest_end });
            }
        }
        for evening in today.iter().filter(|s| s.kind == SessionKind::Evening) {
            let junior_only = !evening.grades.is_empty()
                && evening.grades.iter().all(|&g| stages.stage_of(g.into()) == Stage::Junior);
            if !junior_only {
                breaches.push(PlanBreach::EveningForPrimary { weekday });
            }
            if evening.end > EVENING_LATEST_END {
                breaches.push(PlanBreach::EveningTooLate { weekday, end: evening.end });
            }
        }
    }
    breaches
}

/// An activity fits the plan when, on each of its weekdays, one session of the plan covers its
/// whole time (activities run inside the service, not beside it).
pub fn fits_sessions(sessions: &[Session], weekdays: &[u8], start: Minute, end: Minute) -> bool {
    weekdays.iter().all(|&day| sessions.iter().any(|s| s.weekday == day && s.start <= start && end <= s.end))
}

/// Whether a child of `grade` may take an activity open to `grades` (empty: every grade).
pub fn eligible(grades: &[u8], grade: u8) -> bool {
    grades.is_empty() || grades.contains(&grade)
}

/// A family's change to the basic session applies from the next Monday after `today` (a school
/// plans its staff by the week).
pub fn effective_from(today: NaiveDate) -> NaiveDate {
    let days_to_monday = 7 - i64::from(today.weekday().num_days_from_monday());
    today + Duration::days(days_to_monday)
}

/// `AS_PROVIDERS`: where a white-list entry valid from `valid_from` to `valid_until` (both days
/// included) stands on `today`; a removal outweighs any dates.
pub fn provider_standing(
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    removed: bool,
    today: NaiveDate,
) -> ProviderStanding {
    if removed {
        ProviderStanding::Removed
    } else if today < valid_from {
        ProviderStanding::NotYetValid
    } else if today > valid_until {
        ProviderStanding::Expired
    } else {
        ProviderStanding::Listed
    }
}

/// `AS_FEES`: the sessions an activity meeting on `weekdays` holds from `from` to `to`, both
/// included: each school day of the school's calendar whose timetable is one of its weekdays (no
/// session on a holiday; a make-up Saturday following Monday holds Monday's).
pub fn sessions_between(calendar: &Calendar, weekdays: &[u8], from: NaiveDate, to: NaiveDate) -> u32 {
    calendar.school_days(from, to).filter(|(_, weekday)| weekdays.contains(weekday)).count() as u32
}

/// `AS_FEES`: the first day whose session is still ahead at `now` (local minutes): today when the
/// session starting at `start` has not begun, else tomorrow. A seat taken and a seat left count
/// sessions from it, so a seat taken and left the same evening costs nothing.
pub fn first_day_ahead(today: NaiveDate, now: Minute, start: Minute) -> NaiveDate {
    if now < start { today } else { today + Duration::days(1) }
}

/// `amount` × `part` ÷ `whole`, to the nearest fen (half a fen up); nothing of nothing.
pub fn pro_rata(amount: i64, part: u32, whole: u32) -> i64 {
    if whole == 0 {
        return 0;
    }
    let (part, whole) = (i64::from(part.min(whole)), i64::from(whole));
    (amount * part * 2 + whole) / (whole * 2)
}

/// `AS_FEES`: what a child taking a seat with `ahead` of the term's `total` sessions still to come
/// is charged: per session, each of them; per term, the term's amount pro rata (all of it before
/// the term starts).
pub fn charge(per: FeePer, amount: i64, total: u32, ahead: u32) -> i64 {
    match per {
        FeePer::Term => pro_rata(amount, ahead, total),
        FeePer::Session => amount * i64::from(ahead),
    }
}

/// `AS_FEES`: a waiver (减免) of `percent` of `charged`, rounded up to the fen (the family's way).
pub fn waived(charged: i64, percent: u8) -> i64 {
    let percent = i64::from(percent.min(100));
    (charged * percent + 99) / 100
}

/// `AS_FEES`, the published refund rule: a child who withdraws is credited the net charge (after
/// waivers and earlier credits) pro rata by the charged sessions not yet held.
pub fn credit(net_charged: i64, charged_sessions: u32, not_held: u32) -> i64 {
    pro_rata(net_charged, not_held, charged_sessions)
}

/// A child's fee account for one activity, summed from its entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    pub charged: i64,
    pub waived: i64,
    pub credited: i64,
    pub paid: i64,
    pub refunded: i64,
    /// Sessions charged less sessions credited.
    pub sessions: i64,
}

impl Balance {
    /// Sums entries given as (kind, amount in fen, sessions).
    pub fn of(entries: impl IntoIterator<Item = (FeeEntryKind, i64, Option<i32>)>) -> Balance {
        let mut b = Balance::default();
        for (kind, amount, sessions) in entries {
            let sessions = i64::from(sessions.unwrap_or(0));
            match kind {
                FeeEntryKind::Charge => {
                    b.charged += amount;
                    b.sessions += sessions;
                }
                FeeEntryKind::Credit => {
                    b.credited += amount;
                    b.sessions -= sessions;
                }
                FeeEntryKind::Waiver => b.waived += amount,
                FeeEntryKind::Payment => b.paid += amount,
                FeeEntryKind::Refund => b.refunded += amount,
            }
        }
        b
    }

    /// What the family is to pay for the activity, all told.
    pub fn net_charged(&self) -> i64 {
        self.charged - self.waived - self.credited
    }

    /// Positive: the family owes it; negative: the school owes it back (a refund due).
    pub fn balance(&self) -> i64 {
        self.net_charged() - (self.paid - self.refunded)
    }
}

/// `AS_EXTENDED_CARE`: the plan offers extended care to a child of `grade` on each of `weekdays`.
pub fn extended_care_offered(sessions: &[Session], grade: u8, weekdays: &[u8]) -> bool {
    weekdays
        .iter()
        .all(|&day| sessions.iter().any(|s| s.kind == SessionKind::Extended && s.weekday == day && s.serves(grade)))
}

/// How long after a session's end a child still not signed out is escalated to the school.
pub const RELEASE_GRACE: Minute = 15;

/// A child present at a session on `date` that ended at `end` and not signed out is overdue once
/// the school's local clock (`today`, `now`) is [`RELEASE_GRACE`] past the end.
pub fn overdue_for_release(date: NaiveDate, end: Minute, today: NaiveDate, now: Minute) -> bool {
    date < today || (date == today && now >= end.saturating_add(RELEASE_GRACE))
}

/// A plan's enrolment window; `None` everywhere when the school set none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub add_drop_closes_at: Option<DateTime<Utc>>,
}

/// Where enrolment stands at `now`: before the window, in it, in the add/drop round after it (when
/// the school set one), or locked. A plan without a window is open.
pub fn enrolment_phase(window: Window, now: DateTime<Utc>) -> EnrolmentPhase {
    match window {
        Window { opens_at: Some(opens), .. } if now < opens => EnrolmentPhase::NotOpen,
        Window { closes_at: None, .. } => EnrolmentPhase::Open,
        Window { closes_at: Some(closes), .. } if now < closes => EnrolmentPhase::Open,
        Window { add_drop_closes_at: Some(ends), .. } if now < ends => EnrolmentPhase::AddDrop,
        _ => EnrolmentPhase::Locked,
    }
}

/// An activity with fewer than `min_size` children enrolled when enrolment closes is cancelled.
pub fn below_minimum(enrolled: i32, min_size: i32) -> bool {
    min_size > 0 && enrolled < min_size
}

/// How long a family promoted from the wait list has to give the seat back with everything
/// refunded, unless the school set otherwise; and the range a school may set.
pub const DEFAULT_DECLINE_HOURS: u16 = 48;
pub const DECLINE_HOURS: RangeInclusive<u16> = 1..=168;

/// The end of a promoted family's time to decline: `hours` (the school's, or the default) after
/// the promotion. The seat is the child's from the promotion on; the offer only decides the refund.
pub fn decline_by(promoted_at: DateTime<Utc>, hours: Option<u16>) -> DateTime<Utc> {
    promoted_at + Duration::hours(i64::from(hours.unwrap_or(DEFAULT_DECLINE_HOURS)))
}

/// A withdrawal refunds everything charged when it declines a promotion in time; otherwise the
/// pro-rata rule applies (sessions not yet held).
pub fn declines_in_time(decline_by: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    decline_by.is_some_and(|until| now < until)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_extended_care_is_offered_only_on_days_with_an_extended_session_for_the_grade() {
        let extended = |weekday: u8, grades: Vec<u8>| Session {
            weekday,
            kind: SessionKind::Extended,
            start: 18 * 60,
            end: 19 * 60,
            grades,
        };
        let sessions = vec![extended(1, vec![]), extended(2, vec![5, 6])];
        assert!(extended_care_offered(&sessions, 3, &[1]));
        assert!(!extended_care_offered(&sessions, 3, &[1, 2]), "Tuesday's is for grades 5-6");
        assert!(extended_care_offered(&sessions, 5, &[1, 2]));
        assert!(!extended_care_offered(&sessions, 5, &[3]));
    }

    #[test]
    fn a_child_not_signed_out_is_overdue_fifteen_minutes_after_the_session_and_on_any_later_day() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let end = 17 * 60 + 30;
        assert!(!overdue_for_release(monday, end, monday, end + RELEASE_GRACE - 1));
        assert!(overdue_for_release(monday, end, monday, end + RELEASE_GRACE));
        assert!(overdue_for_release(monday - Duration::days(1), end, monday, 8 * 60));
        assert!(!overdue_for_release(monday + Duration::days(1), end, monday, 23 * 60));
    }

    #[test]
    fn the_enrolment_window_opens_closes_into_add_drop_and_locks() {
        let at = |h: u32| {
            DateTime::<Utc>::from_naive_utc_and_offset(
                NaiveDate::from_ymd_opt(2026, 9, 1).unwrap().and_hms_opt(h, 0, 0).unwrap(),
                Utc,
            )
        };
        let window = Window { opens_at: Some(at(8)), closes_at: Some(at(12)), add_drop_closes_at: Some(at(18)) };
        assert_eq!(enrolment_phase(window, at(7)), EnrolmentPhase::NotOpen);
        assert_eq!(enrolment_phase(window, at(8)), EnrolmentPhase::Open);
        assert_eq!(enrolment_phase(window, at(12)), EnrolmentPhase::AddDrop);
        assert_eq!(enrolment_phase(window, at(18)), EnrolmentPhase::Locked);
        let no_add_drop = Window { add_drop_closes_at: None, ..window };
        assert_eq!(enrolment_phase(no_add_drop, at(13)), EnrolmentPhase::Locked);
        assert_eq!(enrolment_phase(Window::default(), at(1)), EnrolmentPhase::Open);
    }

    #[test]
    fn an_activity_below_its_minimum_size_is_cancelled_and_no_minimum_never_is() {
        assert!(below_minimum(4, 5));
        assert!(!below_minimum(5, 5));
        assert!(!below_minimum(0, 0));
    }

    #[test]
    fn as_fees_sessions_count_the_activitys_weekdays_in_the_range() {
        // 2026-09-07 is a Monday; two weeks of Monday and Wednesday sessions.
        let monday = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap();
        let plain = Calendar::weekdays_only();
        assert_eq!(sessions_between(&plain, &[1, 3], monday, monday + Duration::days(13)), 4);
        assert_eq!(sessions_between(&plain, &[1, 3], monday + Duration::days(1), monday + Duration::days(13)), 3);
        assert_eq!(sessions_between(&plain, &[1], monday, monday - Duration::days(1)), 0);
    }

    #[test]
    fn as_fees_no_session_on_a_holiday_and_a_make_up_day_holds_its_weekdays_session() {
        // Monday 7 September off; Saturday 12 September follows Monday's timetable.
        let monday = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap();
        let term = crate::calendar::rules::Term {
            starts_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2027, 1, 22).unwrap(),
            holidays: vec![(monday, monday)],
            make_up_days: vec![(monday + Duration::days(5), 1)],
        };
        let calendar = Calendar::of_terms([&term]);
        assert_eq!(sessions_between(&calendar, &[1, 3], monday, monday + Duration::days(6)), 2);
        assert_eq!(sessions_between(&calendar, &[3], monday, monday + Duration::days(6)), 1);
    }

    #[test]
    fn as_fees_a_session_begun_is_no_longer_ahead() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(first_day_ahead(monday, 15 * 60 + 59, 16 * 60), monday);
        assert_eq!(first_day_ahead(monday, 16 * 60, 16 * 60), monday + Duration::days(1));
    }

    #[test]
    fn as_fees_charges_the_sessions_ahead_and_rounds_to_the_nearest_fen() {
        assert_eq!(charge(FeePer::Term, 30_000, 40, 40), 30_000);
        assert_eq!(charge(FeePer::Term, 30_000, 40, 10), 7_500);
        assert_eq!(charge(FeePer::Term, 100, 3, 1), 33);
        assert_eq!(charge(FeePer::Term, 100, 3, 2), 67);
        assert_eq!(charge(FeePer::Term, 30_000, 40, 55), 30_000, "never more than the term");
        assert_eq!(charge(FeePer::Session, 1_500, 40, 12), 18_000);
        assert_eq!(charge(FeePer::Term, 30_000, 0, 0), 0);
    }

    #[test]
    fn as_fees_a_waiver_rounds_the_familys_way_and_a_withdrawal_credits_sessions_not_held() {
        assert_eq!(waived(10_001, 50), 5_001);
        assert_eq!(waived(10_000, 100), 10_000);
        assert_eq!(waived(10_000, 0), 0);
        assert_eq!(credit(30_000, 40, 30), 22_500);
        assert_eq!(credit(30_000, 40, 0), 0);
        assert_eq!(credit(30_000, 40, 90), 30_000, "never more than was charged");
    }

    #[test]
    fn as_fees_the_balance_says_what_the_family_owes_or_is_owed() {
        let entries = [
            (FeeEntryKind::Charge, 30_000, Some(40)),
            (FeeEntryKind::Waiver, 15_000, None),
            (FeeEntryKind::Payment, 15_000, None),
            (FeeEntryKind::Credit, 11_250, Some(30)),
        ];
        let b = Balance::of(entries);
        assert_eq!((b.net_charged(), b.balance(), b.sessions), (3_750, -11_250, 10));
        let settled = Balance::of(entries.into_iter().chain([(FeeEntryKind::Refund, 11_250, None)]));
        assert_eq!(settled.balance(), 0);
    }

    #[test]
    fn as_providers_an_entry_stands_listed_only_between_its_dates_and_until_removed() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let (from, until) = (day(1), day(30));
        assert_eq!(provider_standing(from, until, false, day(1)), ProviderStanding::Listed);
        assert_eq!(provider_standing(from, until, false, day(30)), ProviderStanding::Listed);
        assert_eq!(provider_standing(day(2), until, false, day(1)), ProviderStanding::NotYetValid);
        assert_eq!(provider_standing(from, day(29), false, day(30)), ProviderStanding::Expired);
        assert_eq!(provider_standing(from, until, true, day(15)), ProviderStanding::Removed);
    }

    fn basic(weekday: u8, start: &str, end: &str) -> Session {
        Session {
            weekday,
            kind: SessionKind::Basic,
            start: parse_hhmm(start).unwrap(),
            end: parse_hhmm(end).unwrap(),
            grades: vec![],
        }
    }

    fn week(start: &str, end: &str) -> Vec<Session> {
        (1..=5).map(|d| basic(d, start, end)).collect()
    }

    #[test]
    fn hhmm_parses_only_real_times() {
        assert_eq!(parse_hhmm("17:50"), Some(1070));
        assert_eq!(parse_hhmm("00:00"), Some(0));
        for bad in ["24:00", "7:50", "17:60", "1750", "ab:cd", "", "+7:50", "17:+5", " 17:50", "17:50 "] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(hhmm(1070), "17:50");
    }

    #[test]
    fn the_off_work_pattern_states_the_off_work_range() {
        let pattern = regex::Regex::new(OFF_WORK_TIME).unwrap();
        for minute in 0..24 * 60 {
            let text = hhmm(minute);
            assert_eq!(pattern.is_match(&text), OFF_WORK_TIMES.contains(&minute), "{text}");
        }
        assert!(!pattern.is_match("9:00") && !pattern.is_match("20:00 "));
    }

    #[test]
    fn as_5_plus_2_a_full_week_of_two_hours_breaks_nothing() {
        assert!(plan_breaches(&week("15:40", "17:50"), StageSystem::SixThree, DEFAULT_OFF_WORK).is_empty());
    }

    #[test]
    fn as_5_plus_2_a_missing_weekday_is_named() {
        let mut sessions = week("15:40", "17:50");
        sessions.retain(|s| s.weekday != 3);
        assert_eq!(
            plan_breaches(&sessions, StageSystem::SixThree, DEFAULT_OFF_WORK),
            vec![PlanBreach::NoBasicSession { weekday: 3 }]
        );
    }

    #[test]
    fn as_5_plus_2_a_session_under_two_hours_breaks_it() {
        let mut sessions = week("15:40", "17:50");
        sessions[4] = basic(5, "16:00", "17:55");
        let breaches = plan_breaches(&sessions, StageSystem::SixThree, DEFAULT_OFF_WORK);
        assert_eq!(breaches, vec![PlanBreach::BasicTooShort { weekday: 5, minutes: 115 }]);
        assert_eq!(breaches[0].rule(), "AS_5_PLUS_2");
    }

    #[test]
    fn as_end_time_the_basic_session_ends_twenty_minutes_after_off_work() {
        // Off work 17:30: 17:50 is the earliest end; 17:49 breaks it, and a later district time moves it.
        assert!(plan_breaches(&week("15:30", "17:50"), StageSystem::SixThree, DEFAULT_OFF_WORK).is_empty());
        let early = plan_breaches(&week("15:30", "17:49"), StageSystem::SixThree, DEFAULT_OFF_WORK);
        assert_eq!(early.len(), 5);
        assert!(early.iter().all(|b| b.rule() == "AS_END_TIME"));
        let late_district = plan_breaches(&week("15:30", "17:50"), StageSystem::SixThree, 18 * 60);
        assert_eq!(late_district[0], PlanBreach::EndsBeforeOffWork { weekday: 1, end: 1070, earliest: 1100 });
    }

    #[test]
    fn as_evening_study_is_for_junior_grades_only_by_the_stage_system() {
        let mut sessions = week("15:40", "17:50");
        let evening = |grades: Vec<u8>| Session {
            weekday: 2,
            kind: SessionKind::Evening,
            start: parse_hhmm("19:00").unwrap(),
            end: parse_hhmm("20:30").unwrap(),
            grades,
        };
        sessions.push(evening(vec![7, 8, 9]));
        assert!(plan_breaches(&sessions, StageSystem::SixThree, DEFAULT_OFF_WORK).is_empty());
        // Grade 6 is primary in 六三制 and junior in 五四制.
        sessions.push(evening(vec![6]));
        assert_eq!(
            plan_breaches(&sessions, StageSystem::SixThree, DEFAULT_OFF_WORK),
            vec![PlanBreach::EveningForPrimary { weekday: 2 }]
        );
        assert!(plan_breaches(&sessions, StageSystem::FiveFour, DEFAULT_OFF_WORK).is_empty());
        // "Every grade" includes primary grades.
        sessions.push(evening(vec![]));
        assert_eq!(plan_breaches(&sessions, StageSystem::FiveFour, DEFAULT_OFF_WORK).len(), 1);
    }

    #[test]
    fn as_evening_study_ends_by_half_past_eight() {
        let mut sessions = week("15:40", "17:50");
        sessions.push(Session {
            weekday: 4,
            kind: SessionKind::Evening,
            start: parse_hhmm("19:00").unwrap(),
            end: parse_hhmm("20:31").unwrap(),
            grades: vec![8],
        });
        assert_eq!(
            plan_breaches(&sessions, StageSystem::SixThree, DEFAULT_OFF_WORK),
            vec![PlanBreach::EveningTooLate { weekday: 4, end: 1231 }]
        );
    }

    #[test]
    fn an_activity_must_sit_inside_a_session_on_each_of_its_days() {
        let sessions = week("15:40", "17:50");
        assert!(fits_sessions(&sessions, &[1, 3], 960, 1050));
        assert!(!fits_sessions(&sessions, &[1, 3], 930, 1050));
        let mut no_wednesday = sessions.clone();
        no_wednesday.retain(|s| s.weekday != 3);
        assert!(!fits_sessions(&no_wednesday, &[1, 3], 960, 1050));
    }

    #[test]
    fn a_basic_change_applies_from_the_next_monday() {
        let wednesday = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(effective_from(wednesday), monday);
        assert_eq!(effective_from(monday), NaiveDate::from_ymd_opt(2026, 12, 14).unwrap());
        assert_eq!(effective_from(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()), monday);
    }

    #[test]
    fn eligibility_follows_the_activity_grades() {
        assert!(eligible(&[], 9));
        assert!(eligible(&[3, 4], 3));
        assert!(!eligible(&[3, 4], 5));
    }

    #[test]
    fn a_promoted_family_declines_in_time_for_a_full_refund_and_not_after() {
        use chrono::TimeZone;
        let promoted = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        assert_eq!(decline_by(promoted, None), promoted + Duration::hours(48));
        assert_eq!(decline_by(promoted, Some(24)), promoted + Duration::hours(24));
        let until = Some(decline_by(promoted, Some(24)));
        assert!(declines_in_time(until, promoted + Duration::hours(23)));
        assert!(!declines_in_time(until, promoted + Duration::hours(24)), "the end is out");
        assert!(!declines_in_time(None, promoted), "an enrolment never promoted has no offer");
    }
}
