//! `HW_MONITOR`: the bureau's view of a school's homework volume over a period, per grade — the
//! average daily written minutes against the cap, the share of class-days within it, grades 1–2
//! days with written homework (`HW_NO_WRITTEN_G12`), and families' reported durations against
//! the estimates. Counts, never an item or a name; the reporting module suppresses what needs it.
//!
//! A class-day is one class on one school day of the period (its calendar's holidays excluded), or
//! on any other day that class was given written homework for: weekend homework is counted, not
//! hidden (and a day off with only reading or optional work adds no class-day within the cap).
//!
//! Families' reports are counted twice: as reports (one per family and item) and as the distinct
//! families behind them, which is what small-cell suppression counts.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::homework;
use super::repo;
use super::rules::{self, Caps};
use crate::calendar::rules::Calendar;
use crate::error::ApiResult;
use crate::org::model::{Stage, class, school};
use crate::state::AppState;

/// One item as the monitor counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub class_id: Uuid,
    pub date: NaiveDate,
    /// Minutes that count toward the daily cap (written, at home, not optional), else 0.
    pub capped_minutes: i32,
    /// Written homework at home for grades 1–2.
    pub breaks_g12: bool,
    pub estimated_minutes: i32,
    /// Families' reports on it: how many, and their minutes summed.
    pub reports: (u64, u64),
}

/// A grade of a school over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeMonitor {
    pub grade: i16,
    pub stage: Stage,
    pub cap_minutes: i32,
    pub classes: u32,
    pub class_days: u32,
    /// Written home minutes per class-day, one decimal.
    pub average_daily_written_minutes: f64,
    pub class_days_within_cap: u32,
    /// Grades 1–2 only (else 0): class-days with written homework to do at home.
    pub class_days_with_written_g12: u32,
    /// Families' duration reports on the grade's items, their minutes summed, and the items'
    /// estimates summed once per report (so the two sums compare like for like).
    pub reports: u64,
    pub reported_minutes: u64,
    pub estimated_minutes_of_reported: u64,
    /// The distinct children whose families reported (filled in by [`of_school`]).
    pub reporting_families: u64,
}

/// The grades of one school (its classes by grade, its school days) from its counted items.
pub fn grades(
    classes: &[(Uuid, i16)],
    school_days: &[NaiveDate],
    items: &[Counted],
    stage_of: impl Fn(i16) -> Stage,
    caps: Caps,
) -> Vec<GradeMonitor> {
    let grade_of: HashMap<Uuid, i16> = classes.iter().copied().collect();
    // Minutes and g12 breaches per class-day; school days seed every class with zero.
    let mut days: HashMap<(Uuid, NaiveDate), (i32, bool)> = HashMap::new();
    for (class_id, _) in classes {
        for date in school_days {
            days.insert((*class_id, *date), (0, false));
        }
    }
    let mut by_grade: BTreeMap<i16, GradeMonitor> = BTreeMap::new();
    for (_, grade) in classes {
        let stage = stage_of(*grade);
        let row = by_grade.entry(*grade).or_insert_with(|| GradeMonitor {
            grade: *grade,
            stage,
            cap_minutes: caps.for_stage(stage),
            classes: 0,
            class_days: 0,
            average_daily_written_minutes: 0.0,
            class_days_within_cap: 0,
            class_days_with_written_g12: 0,
            reports: 0,
            reported_minutes: 0,
            estimated_minutes_of_reported: 0,
            reporting_families: 0,
        });
        row.classes += 1;
    }
    for item in items {
        let Some(grade) = grade_of.get(&item.class_id) else { continue };
        // A day off becomes a class-day only with written homework for it: a reading task on a
        // Saturday is no day within the cap.
        let counts = item.capped_minutes > 0 || item.breaks_g12;
        if counts || days.contains_key(&(item.class_id, item.date)) {
            let day = days.entry((item.class_id, item.date)).or_insert((0, false));
            day.0 += item.capped_minutes;
            day.1 |= item.breaks_g12;
        }
        if let Some(row) = by_grade.get_mut(grade) {
            let (n, minutes) = item.reports;
            row.reports += n;
            row.reported_minutes += minutes;
            row.estimated_minutes_of_reported += n * u64::try_from(item.estimated_minutes).unwrap_or(0);
        }
    }
    let mut written: BTreeMap<i16, i64> = BTreeMap::new();
    for ((class_id, _), (minutes, breaks)) in &days {
        let Some(grade) = grade_of.get(class_id) else { continue };
        let Some(row) = by_grade.get_mut(grade) else { continue };
        row.class_days += 1;
        *written.entry(*grade).or_default() += i64::from(*minutes);
        if *minutes <= row.cap_minutes {
            row.class_days_within_cap += 1;
        }
        if *breaks && *grade <= 2 {
            row.class_days_with_written_g12 += 1;
        }
    }
    for row in by_grade.values_mut() {
        if row.class_days > 0 {
            let average = written.get(&row.grade).copied().unwrap_or(0) as f64 / f64::from(row.class_days);
            row.average_daily_written_minutes = (average * 10.0).round() / 10.0;
        }
    }
    by_grade.into_values().collect()
}

/// The school's grades from `from` to `to` (both included; the caller clips `to` to today).
pub async fn of_school(
    state: &AppState,
    school: &school::Model,
    from: NaiveDate,
    to: NaiveDate,
    caps: Caps,
) -> ApiResult<Vec<GradeMonitor>> {
    let db = &state.db;
    let classes: Vec<(Uuid, i16)> = class::Entity::find()
        .filter(class::Column::SchoolId.eq(school.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.grade))
        .collect();
    let calendar: Calendar = crate::calendar::service::calendar(db, school.id, from, to).await?;
    let school_days: Vec<NaiveDate> = calendar.school_days(from, to).map(|(d, _)| d).collect();
    let rows = homework::Entity::find()
        .filter(homework::Column::SchoolId.eq(school.id))
        .filter(homework::Column::Date.gte(from))
        .filter(homework::Column::Date.lte(to))
        .filter(homework::Column::WithdrawnAt.is_null())
        .all(db)
        .await?;
    let reports = repo::feedback_totals(db, rows.iter().map(|h| h.id).collect()).await?;
    let grade_of: HashMap<Uuid, i16> = classes.iter().copied().collect();
    let items: Vec<Counted> = rows
        .iter()
        .map(|h| {
            let grade = grade_of.get(&h.class_id).copied().unwrap_or(0);
            let (n, total) = reports.get(&h.id).copied().unwrap_or((0, 0));
            Counted {
                class_id: h.class_id,
                date: h.date,
                capped_minutes: if rules::counts_toward_cap(h.kind, h.tier, h.location) {
                    h.estimated_minutes
                } else {
                    0
                },
                breaks_g12: rules::breaks_no_written_g12(grade, h.kind, h.location),
                estimated_minutes: h.estimated_minutes,
                reports: (u64::try_from(n).unwrap_or(0), u64::try_from(total).unwrap_or(0)),
            }
        })
        .collect();
    let stages = school.stage_system;
    let mut monitored = grades(&classes, &school_days, &items, |g| stages.stage_of(g), caps);
    // Suppression counts people: a family reporting on every item is one family.
    let class_of: HashMap<Uuid, Uuid> = rows.iter().map(|h| (h.id, h.class_id)).collect();
    let mut families: std::collections::HashSet<(i16, Uuid)> = std::collections::HashSet::new();
    for (homework_id, student_id) in repo::reporters(db, rows.iter().map(|h| h.id).collect()).await? {
        if let Some(grade) = class_of.get(&homework_id).and_then(|c| grade_of.get(c)) {
            families.insert((*grade, student_id));
        }
    }
    for row in &mut monitored {
        row.reporting_families = families.iter().filter(|(grade, _)| *grade == row.grade).count() as u64;
    }
    Ok(monitored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    fn item(class_id: Uuid, date: NaiveDate, minutes: i32, g12: bool) -> Counted {
        Counted {
            class_id,
            date,
            capped_minutes: minutes,
            breaks_g12: g12,
            estimated_minutes: minutes,
            reports: (0, 0),
        }
    }

    fn stage(grade: i16) -> Stage {
        if grade <= 6 { Stage::Primary } else { Stage::Junior }
    }

    #[test]
    fn class_days_are_every_class_on_every_school_day_and_minutes_average_over_them() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        // Mon 2 – Fri 6 November: five school days, two classes of grade 5.
        let days: Vec<NaiveDate> = (2..=6).map(d).collect();
        let items = vec![item(a, d(2), 40, false), item(a, d(2), 30, false), item(b, d(3), 50, false)];
        let rows = grades(&[(a, 5), (b, 5)], &days, &items, stage, Caps::default());
        assert_eq!(rows.len(), 1);
        let g = &rows[0];
        assert_eq!((g.classes, g.class_days), (2, 10));
        // 120 minutes over 10 class-days; one day (a, Monday: 70) over the 60 cap.
        assert_eq!(g.average_daily_written_minutes, 12.0);
        assert_eq!(g.class_days_within_cap, 9);
        assert_eq!(g.class_days_with_written_g12, 0);
    }

    #[test]
    fn weekend_homework_adds_a_class_day_and_grades_one_and_two_count_written_days() {
        let a = Uuid::from_u128(1);
        let days = vec![d(2), d(3)];
        // Saturday 7 November homework is counted on a day of its own.
        let items = vec![item(a, d(2), 10, true), item(a, d(7), 20, true)];
        let rows = grades(&[(a, 2)], &days, &items, stage, Caps::default());
        let g = &rows[0];
        assert_eq!(g.class_days, 3);
        assert_eq!(g.class_days_with_written_g12, 2);
        assert_eq!(g.average_daily_written_minutes, 10.0);
    }

    #[test]
    fn a_day_off_with_only_reading_adds_no_class_day() {
        let a = Uuid::from_u128(1);
        // Saturday 7 November: a reading task (nothing capped) is no class-day within the cap.
        let rows = grades(&[(a, 3)], &[d(2)], &[item(a, d(7), 0, false)], stage, Caps::default());
        assert_eq!((rows[0].class_days, rows[0].class_days_within_cap), (1, 1));
    }

    #[test]
    fn reports_compare_with_the_estimates_of_the_items_reported_on() {
        let a = Uuid::from_u128(1);
        let mut reported = item(a, d(2), 30, false);
        reported.reports = (4, 160);
        let rows = grades(&[(a, 8)], &[d(2)], &[reported, item(a, d(2), 20, false)], stage, Caps::default());
        let g = &rows[0];
        assert_eq!((g.reports, g.reported_minutes, g.estimated_minutes_of_reported), (4, 160, 120));
        assert_eq!(g.cap_minutes, 90);
    }

    #[test]
    fn a_grade_without_classes_is_absent_and_items_of_unknown_classes_are_ignored() {
        let rows = grades(&[], &[d(2)], &[item(Uuid::from_u128(9), d(2), 30, false)], stage, Caps::default());
        assert!(rows.is_empty());
    }
}
