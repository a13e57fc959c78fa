//! The half-monthly bulletin's rules (专项督导半月通报), pure: which half-month a date closes, and
//! where a school falls short of the targets its bureau set. The I/O is in
//! [`super::service::bulletin`].

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A school falls short when more of its class-days than this (percent) are over the cap.
pub const DEFAULT_HOMEWORK_OVER_CAP_PERCENT: u8 = 5;
/// … or when more of its complaints than this went past a deadline in the half-month.
pub const DEFAULT_COMPLAINTS_OVERDUE: u16 = 0;
/// The most overdue complaints a district may tolerate.
pub const MAX_COMPLAINTS_OVERDUE: u16 = 1000;
/// … or when its mentors' three tasks are done for this many points fewer than the share of the
/// period that has passed (half the period gone, under 25 % done: behind).
pub const DEFAULT_MENTORING_BEHIND_POINTS: u8 = 25;

/// The targets a district holds its schools to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BulletinTargets {
    /// 0–100.
    pub homework_over_cap_percent: u8,
    pub complaints_overdue: u16,
    /// 0–100.
    pub mentoring_behind_points: u8,
}

impl Default for BulletinTargets {
    fn default() -> Self {
        Self {
            homework_over_cap_percent: DEFAULT_HOMEWORK_OVER_CAP_PERCENT,
            complaints_overdue: DEFAULT_COMPLAINTS_OVERDUE,
            mentoring_behind_points: DEFAULT_MENTORING_BEHIND_POINTS,
        }
    }
}

/// Where the mentors of a school stand at a half-month's end (`MT_THREE_TASKS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentoringProgress {
    pub done: u64,
    pub owed: u64,
    /// The mentoring period's first and last day, and the half-month's last day.
    pub period: (NaiveDate, NaiveDate),
    pub at: NaiveDate,
}

impl MentoringProgress {
    /// Share of the owed tasks done, in percent (one decimal).
    pub fn done_percent(&self) -> Option<f64> {
        (self.owed > 0).then(|| (self.done as f64 * 1000.0 / self.owed as f64).round() / 10.0)
    }

    /// Share of the period passed by `at`, in percent (one decimal).
    pub fn elapsed_percent(&self) -> f64 {
        let (first, last) = self.period;
        let days = (last - first).num_days() + 1;
        let gone = ((self.at - first).num_days() + 1).clamp(0, days);
        (gone as f64 * 1000.0 / days.max(1) as f64).round() / 10.0
    }
}

/// The half-month starting on `start` (a 1st or a 16th): its first and last day.
pub fn half_month(start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    match start.day() {
        1 => Some((start, start + Duration::days(14))),
        16 => {
            let next_month = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
            }?;
            Some((start, next_month - Duration::days(1)))
        }
        _ => None,
    }
}

/// The last half-month that ended before `today`: on the 1st–15th, the second half of last
/// month; from the 16th, the first half of this one.
pub fn last_ended(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let start = if today.day() >= 16 { first } else { (first - Duration::days(1)).with_day(16).unwrap_or(first) };
    half_month(start).unwrap_or((start, start))
}

/// What a school did in the half-month, as the bulletin measures it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolFacts {
    pub school_days: u32,
    pub class_days: u32,
    pub over_cap_class_days: u32,
    pub plan_published: bool,
    /// Rule ids the plan breaks.
    pub plan_breaches: Vec<String>,
    pub complaints_overdue: u32,
    /// `None` where the school has no mentoring period covering the half-month's end.
    pub mentoring: Option<MentoringProgress>,
}

/// Where a school falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShortfallKind {
    /// `HW_DAILY_CAP`: more class-days over the cap than the target allows.
    HomeworkOverCap,
    /// `AS_COVERAGE`: school days without a published after-school plan.
    NoAfterschoolPlan,
    /// `AS_5_PLUS_2` / `AS_END_TIME` / `AS_EVENING_STUDY`: the plan breaks a rule.
    AfterschoolPlanBroken,
    /// Complaints that went past their holder's deadline.
    ComplaintsOverdue,
    /// `MT_THREE_TASKS`: mentors' tasks done lag the share of the period passed.
    MentoringBehind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Shortfall {
    pub kind: ShortfallKind,
    /// The school's figure and the target it is measured against (percent of class-days,
    /// complaints); for the plan, the rules it breaks.
    pub figure: Option<f64>,
    pub target: Option<f64>,
    pub rules: Vec<String>,
}

/// The school's shortfalls against `targets`, in a fixed order.
pub fn shortfalls(facts: &SchoolFacts, targets: BulletinTargets) -> Vec<Shortfall> {
    let mut found = Vec::new();
    if facts.class_days > 0 {
        let percent = (f64::from(facts.over_cap_class_days) * 1000.0 / f64::from(facts.class_days)).round() / 10.0;
        if percent > f64::from(targets.homework_over_cap_percent) {
            found.push(Shortfall {
                kind: ShortfallKind::HomeworkOverCap,
                figure: Some(percent),
                target: Some(f64::from(targets.homework_over_cap_percent)),
                rules: vec!["HW_DAILY_CAP".into()],
            });
        }
    }
    if facts.school_days > 0 && !facts.plan_published {
        found.push(Shortfall {
            kind: ShortfallKind::NoAfterschoolPlan,
            figure: None,
            target: None,
            rules: vec!["AS_COVERAGE".into()],
        });
    }
    if facts.plan_published && !facts.plan_breaches.is_empty() {
        found.push(Shortfall {
            kind: ShortfallKind::AfterschoolPlanBroken,
            figure: None,
            target: None,
            rules: facts.plan_breaches.clone(),
        });
    }
    if let Some(progress) = facts.mentoring
        && let Some(done) = progress.done_percent()
    {
        let expected = progress.elapsed_percent() - f64::from(targets.mentoring_behind_points);
        if done < expected {
            found.push(Shortfall {
                kind: ShortfallKind::MentoringBehind,
                figure: Some(done),
                target: Some((expected * 10.0).round() / 10.0),
                rules: vec!["MT_THREE_TASKS".into()],
            });
        }
    }
    if facts.complaints_overdue > u32::from(targets.complaints_overdue) {
        found.push(Shortfall {
            kind: ShortfallKind::ComplaintsOverdue,
            figure: Some(f64::from(facts.complaints_overdue)),
            target: Some(f64::from(targets.complaints_overdue)),
            rules: Vec::new(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn half_months_run_from_the_first_and_the_sixteenth() {
        assert_eq!(half_month(d(2026, 11, 1)), Some((d(2026, 11, 1), d(2026, 11, 15))));
        assert_eq!(half_month(d(2026, 11, 16)), Some((d(2026, 11, 16), d(2026, 11, 30))));
        assert_eq!(half_month(d(2026, 12, 16)), Some((d(2026, 12, 16), d(2026, 12, 31))));
        assert_eq!(half_month(d(2027, 2, 16)), Some((d(2027, 2, 16), d(2027, 2, 28))));
        assert_eq!(half_month(d(2026, 11, 2)), None);
    }

    #[test]
    fn the_bulletin_of_the_first_covers_last_months_second_half() {
        assert_eq!(last_ended(d(2026, 12, 1)), (d(2026, 11, 16), d(2026, 11, 30)));
        assert_eq!(last_ended(d(2026, 12, 15)), (d(2026, 11, 16), d(2026, 11, 30)));
        assert_eq!(last_ended(d(2026, 12, 16)), (d(2026, 12, 1), d(2026, 12, 15)));
        assert_eq!(last_ended(d(2027, 1, 3)), (d(2026, 12, 16), d(2026, 12, 31)));
    }

    fn facts() -> SchoolFacts {
        SchoolFacts {
            school_days: 10,
            class_days: 100,
            over_cap_class_days: 5,
            plan_published: true,
            plan_breaches: Vec::new(),
            complaints_overdue: 0,
            mentoring: None,
        }
    }

    #[test]
    fn a_school_on_target_falls_short_of_nothing() {
        assert!(shortfalls(&facts(), BulletinTargets::default()).is_empty(), "exactly 5 % is within 5 %");
    }

    #[test]
    fn each_target_missed_is_one_shortfall_in_order() {
        let short = SchoolFacts {
            over_cap_class_days: 6,
            plan_breaches: vec!["AS_END_TIME".into()],
            complaints_overdue: 2,
            ..facts()
        };
        let kinds: Vec<ShortfallKind> = shortfalls(&short, BulletinTargets::default()).iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ShortfallKind::HomeworkOverCap,
                ShortfallKind::AfterschoolPlanBroken,
                ShortfallKind::ComplaintsOverdue
            ]
        );
        let lenient = BulletinTargets { homework_over_cap_percent: 10, complaints_overdue: 2, ..Default::default() };
        assert_eq!(shortfalls(&short, lenient).len(), 1);
        // No plan during school days is a shortfall; in the holidays it is not.
        let unplanned = SchoolFacts { plan_published: false, ..facts() };
        assert_eq!(shortfalls(&unplanned, BulletinTargets::default())[0].kind, ShortfallKind::NoAfterschoolPlan);
        let holidays = SchoolFacts { school_days: 0, class_days: 0, ..unplanned };
        assert!(shortfalls(&holidays, BulletinTargets::default()).is_empty());
    }

    #[test]
    fn mentors_fall_behind_when_done_lags_the_period_passed_by_more_than_the_tolerance() {
        let term = (d(2026, 9, 1), d(2027, 1, 31));
        let at = |m, day| d(if m >= 9 { 2026 } else { 2027 }, m, day);
        // 30 November: 91 of 153 days gone (59.5 %); 25 points of tolerance: 34.5 % is the bar.
        let progress = MentoringProgress { done: 30, owed: 100, period: term, at: at(11, 30) };
        assert_eq!(progress.elapsed_percent(), 59.5);
        let behind = SchoolFacts { mentoring: Some(progress), ..facts() };
        let short = shortfalls(&behind, BulletinTargets::default());
        assert_eq!(short[0].kind, ShortfallKind::MentoringBehind);
        assert_eq!((short[0].figure, short[0].target), (Some(30.0), Some(34.5)));
        let on_track = SchoolFacts { mentoring: Some(MentoringProgress { done: 35, ..progress }), ..facts() };
        assert!(shortfalls(&on_track, BulletinTargets::default()).is_empty());
        // Early in the term nobody is behind; nothing owed is nothing behind.
        let early = MentoringProgress { done: 0, owed: 100, period: term, at: at(9, 15) };
        assert!(shortfalls(&SchoolFacts { mentoring: Some(early), ..facts() }, BulletinTargets::default()).is_empty());
        let none_owed = MentoringProgress { done: 0, owed: 0, ..progress };
        assert!(
            shortfalls(&SchoolFacts { mentoring: Some(none_owed), ..facts() }, BulletinTargets::default()).is_empty()
        );
    }
}
