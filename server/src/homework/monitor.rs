//! `HW_MONITOR`: the bureau's view of a school's homework volume over a period, per grade — the
//! average daily written minutes against the cap, the share of class-days within it, grades 1–2
//! days with written homework (`HW_NO_WRITTEN_G12`), and families' reported durations against
//! the estimates. Counts, never an item or a name; the reporting module suppresses what needs it.
//!
//! A class-day is one class on one school day of the period (its calendar's holidays excluded), or
//! on any other day that class was given written homework for: weekend homework is counted, not
//! hidden (and a day off with only reading or optional work adds no class-day within the cap).
//!
//! The database adds up a district's term (hundreds of thousands of items) and hands back small
//! answers: per class its capped minutes and its families' reports, and only the class-days that
//! need a closer look ([`MarkedDay`]: possibly over a cap, written work for grades 1–2, or a day
//! off). Every other class-day is a school day within every cap, which is all the pure
//! [`grades`] needs to know about it.
//!
//! Families' reports are counted twice: as reports (one per family and item) and as the distinct
//! families behind them, which is what small-cell suppression counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use super::model::{HomeworkKind, Location, Tier, feedback, homework};
use super::rules::Caps;
use crate::error::ApiResult;
use crate::org::model::{Stage, class, school};
use crate::state::AppState;

/// A class's sums over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassSums {
    /// Minutes that count toward the daily cap (written, at home, not optional), all days summed.
    pub capped_minutes: i64,
    /// Families' duration reports on its items, their minutes, and the items' estimates summed
    /// once per report (so the two sums compare like for like).
    pub reports: u64,
    pub reported_minutes: u64,
    pub estimated_minutes_of_reported: u64,
}

/// A class-day that needs a closer look than the sums: its capped minutes are above the lowest
/// cap, or it has written work at home in grades 1–2, or it is on a day off with written work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedDay {
    pub class_id: Uuid,
    pub date: NaiveDate,
    pub capped_minutes: i32,
    /// Any written homework to do at home that day (what `HW_NO_WRITTEN_G12` forbids in grades 1–2).
    pub written_at_home: bool,
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
    pub reports: u64,
    pub reported_minutes: u64,
    pub estimated_minutes_of_reported: u64,
    /// The distinct children whose families reported (filled in by [`of_schools`]).
    pub reporting_families: u64,
}

/// The grades of one school from its classes (id, grade), its school days, each class's sums and
/// its marked class-days. A class-day not marked is a school day within every cap.
pub fn grades(
    classes: &[(Uuid, i16)],
    school_days: &HashSet<NaiveDate>,
    sums: &HashMap<Uuid, ClassSums>,
    marked: &[MarkedDay],
    stage_of: impl Fn(i16) -> Stage,
    caps: Caps,
) -> Vec<GradeMonitor> {
    let grade_of: HashMap<Uuid, i16> = classes.iter().copied().collect();
    let mut by_grade: BTreeMap<i16, GradeMonitor> = BTreeMap::new();
    let mut written: BTreeMap<i16, i64> = BTreeMap::new();
    for (class_id, grade) in classes {
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
        row.class_days += school_days.len() as u32;
        row.class_days_within_cap += school_days.len() as u32;
        if let Some(s) = sums.get(class_id) {
            *written.entry(*grade).or_default() += s.capped_minutes;
            row.reports += s.reports;
            row.reported_minutes += s.reported_minutes;
            row.estimated_minutes_of_reported += s.estimated_minutes_of_reported;
        }
    }
    for day in marked {
        let Some(grade) = grade_of.get(&day.class_id) else { continue };
        let Some(row) = by_grade.get_mut(grade) else { continue };
        let breaks_g12 = *grade <= 2 && day.written_at_home;
        if !school_days.contains(&day.date) {
            // A day off becomes a class-day only with written homework for it: a reading task on
            // a Saturday is no day within the cap.
            if day.capped_minutes <= 0 && !breaks_g12 {
                continue;
            }
            row.class_days += 1;
            row.class_days_within_cap += 1;
        }
        if day.capped_minutes > row.cap_minutes {
            row.class_days_within_cap -= 1;
        }
        if breaks_g12 {
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

/// The grades of each school over its own period, in the order given: one set of sums per
/// group of schools sharing a period (a district's schools usually share one).
pub async fn of_schools(
    state: &AppState,
    schools: &[(&school::Model, NaiveDate, NaiveDate)],
    caps: Caps,
) -> ApiResult<Vec<Vec<GradeMonitor>>> {
    let db = &state.db;
    let ids: Vec<Uuid> = schools.iter().map(|s| s.0.id).collect();
    let classes = crate::org::repo::classes_of_schools(db, ids.clone()).await?;
    let mut out = vec![Vec::new(); schools.len()];
    let mut periods: BTreeMap<(NaiveDate, NaiveDate), Vec<usize>> = BTreeMap::new();
    for (i, (_, from, to)) in schools.iter().enumerate() {
        if from <= to {
            periods.entry((*from, *to)).or_default().push(i);
        }
    }
    for ((from, to), members) in periods {
        let group: Vec<&school::Model> = members.iter().map(|i| schools[*i].0).collect();
        let group_ids: Vec<Uuid> = group.iter().map(|s| s.id).collect();
        let calendars = crate::calendar::service::calendars(db, &group_ids, from, to).await?;
        let school_days: HashMap<Uuid, HashSet<NaiveDate>> = group_ids
            .iter()
            .map(|id| {
                let days = calendars.get(id).map(|c| c.school_days(from, to).map(|(d, _)| d).collect());
                (*id, days.unwrap_or_default())
            })
            .collect();
        // Days off of any school of the group: a day off anywhere is looked at everywhere.
        let days_off: Vec<NaiveDate> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| school_days.values().any(|s| !s.contains(d)))
            .collect();
        let g12: Vec<Uuid> =
            classes.iter().filter(|c| group_ids.contains(&c.school_id) && c.grade <= 2).map(|c| c.id).collect();
        let lowest_cap = std::cmp::min(caps.primary, caps.junior);
        let sums = class_sums(db, &group_ids, (from, to)).await?;
        let marked = marked_days(db, &group_ids, (from, to), lowest_cap, &g12, &days_off).await?;
        let families = reporting_families(db, &group_ids, (from, to)).await?;
        for (i, school) in members.iter().zip(&group) {
            let own: Vec<(Uuid, i16)> =
                classes.iter().filter(|c| c.school_id == school.id).map(|c| (c.id, c.grade)).collect();
            let stages = school.stage_system;
            let days = school_days.get(&school.id).cloned().unwrap_or_default();
            let mut rows = grades(&own, &days, &sums, &marked, |g| stages.stage_of(g), caps);
            for row in &mut rows {
                row.reporting_families = families.get(&(school.id, row.grade)).copied().unwrap_or(0);
            }
            out[*i] = rows;
        }
    }
    Ok(out)
}

/// The items counted: of these schools, in the period, not withdrawn.
fn items_of(schools: &[Uuid], (from, to): (NaiveDate, NaiveDate)) -> Cond {
    Cond::all()
        .add(Expr::col((homework::Entity, homework::Column::SchoolId)).is_in(schools.iter().copied()))
        .add(Expr::col((homework::Entity, homework::Column::Date)).gte(from))
        .add(Expr::col((homework::Entity, homework::Column::Date)).lte(to))
        .add(Expr::col((homework::Entity, homework::Column::WithdrawnAt)).is_null())
}

/// An item's minutes when they count toward the cap ([`super::rules::counts_toward_cap`]), else 0.
fn capped_minutes() -> Expr {
    let col = |c: homework::Column| Expr::col((homework::Entity, c));
    Expr::case(
        Cond::all()
            .add(col(homework::Column::Kind).eq(HomeworkKind::Written))
            .add(col(homework::Column::Location).eq(Location::Home))
            .add(col(homework::Column::Tier).ne(Tier::Optional)),
        col(homework::Column::EstimatedMinutes),
    )
    .finally(0)
    .into()
}

/// 1 for written work at home (what [`super::rules::breaks_no_written_g12`] looks at), else 0.
fn written_at_home() -> Expr {
    let col = |c: homework::Column| Expr::col((homework::Entity, c));
    Expr::case(
        Cond::all()
            .add(col(homework::Column::Kind).eq(HomeworkKind::Written))
            .add(col(homework::Column::Location).eq(Location::Home)),
        1,
    )
    .finally(0)
    .into()
}

#[derive(FromQueryResult)]
struct SumRow {
    class_id: Uuid,
    capped: Option<i64>,
}

#[derive(FromQueryResult)]
struct ReportRow {
    class_id: Uuid,
    reports: i64,
    minutes: Option<i64>,
    estimated: Option<i64>,
}

async fn class_sums(
    db: &impl ConnectionTrait,
    schools: &[Uuid],
    period: (NaiveDate, NaiveDate),
) -> ApiResult<HashMap<Uuid, ClassSums>> {
    let hw = |c: homework::Column| Expr::col((homework::Entity, c));
    let minutes = Query::select()
        .expr_as(hw(homework::Column::ClassId), Alias::new("class_id"))
        .expr_as(capped_minutes().sum(), Alias::new("capped"))
        .from(homework::Entity)
        .cond_where(items_of(schools, period))
        .group_by_col((homework::Entity, homework::Column::ClassId))
        .to_owned();
    let reports = Query::select()
        .expr_as(hw(homework::Column::ClassId), Alias::new("class_id"))
        .expr_as(Expr::col((feedback::Entity, feedback::Column::StudentId)).count(), Alias::new("reports"))
        .expr_as(Expr::col((feedback::Entity, feedback::Column::Minutes)).sum(), Alias::new("minutes"))
        .expr_as(hw(homework::Column::EstimatedMinutes).sum(), Alias::new("estimated"))
        .from(feedback::Entity)
        .inner_join(
            homework::Entity,
            Expr::col((homework::Entity, homework::Column::Id))
                .equals((feedback::Entity, feedback::Column::HomeworkId)),
        )
        .cond_where(items_of(schools, period))
        .group_by_col((homework::Entity, homework::Column::ClassId))
        .to_owned();
    let mut sums: HashMap<Uuid, ClassSums> = HashMap::new();
    for row in rows::<SumRow>(db, &minutes).await? {
        sums.entry(row.class_id).or_default().capped_minutes = row.capped.unwrap_or(0);
    }
    for row in rows::<ReportRow>(db, &reports).await? {
        let s = sums.entry(row.class_id).or_default();
        s.reports = u64::try_from(row.reports).unwrap_or(0);
        s.reported_minutes = u64::try_from(row.minutes.unwrap_or(0)).unwrap_or(0);
        s.estimated_minutes_of_reported = u64::try_from(row.estimated.unwrap_or(0)).unwrap_or(0);
    }
    Ok(sums)
}

#[derive(FromQueryResult)]
struct MarkedRow {
    class_id: Uuid,
    date: NaiveDate,
    capped: Option<i64>,
    written: Option<i64>,
}

/// The class-days [`grades`] must see one by one (see [`MarkedDay`]).
async fn marked_days(
    db: &impl ConnectionTrait,
    schools: &[Uuid],
    period: (NaiveDate, NaiveDate),
    lowest_cap: i32,
    g12_classes: &[Uuid],
    days_off: &[NaiveDate],
) -> ApiResult<Vec<MarkedDay>> {
    let hw = |c: homework::Column| Expr::col((homework::Entity, c));
    let (capped, written) = (capped_minutes().sum(), written_at_home().sum());
    let mut look_closer = Cond::any().add(capped.clone().gt(lowest_cap));
    if !g12_classes.is_empty() {
        look_closer = look_closer.add(
            Cond::all()
                .add(hw(homework::Column::ClassId).is_in(g12_classes.iter().copied()))
                .add(written.clone().gt(0)),
        );
    }
    if !days_off.is_empty() {
        look_closer = look_closer.add(
            Cond::all().add(hw(homework::Column::Date).is_in(days_off.iter().copied())).add(written.clone().gt(0)),
        );
    }
    let query = Query::select()
        .expr_as(hw(homework::Column::ClassId), Alias::new("class_id"))
        .expr_as(hw(homework::Column::Date), Alias::new("date"))
        .expr_as(capped, Alias::new("capped"))
        .expr_as(written, Alias::new("written"))
        .from(homework::Entity)
        .cond_where(items_of(schools, period))
        .group_by_col((homework::Entity, homework::Column::ClassId))
        .group_by_col((homework::Entity, homework::Column::Date))
        .cond_having(look_closer)
        .to_owned();
    Ok(rows::<MarkedRow>(db, &query)
        .await?
        .into_iter()
        .map(|r| MarkedDay {
            class_id: r.class_id,
            date: r.date,
            capped_minutes: i32::try_from(r.capped.unwrap_or(0)).unwrap_or(i32::MAX),
            written_at_home: r.written.unwrap_or(0) > 0,
        })
        .collect())
}

#[derive(FromQueryResult)]
struct FamiliesRow {
    school_id: Uuid,
    grade: i16,
    families: i64,
}

/// The distinct children whose families reported, per school and grade: suppression counts
/// people, and a family reporting on every item is one family.
async fn reporting_families(
    db: &impl ConnectionTrait,
    schools: &[Uuid],
    period: (NaiveDate, NaiveDate),
) -> ApiResult<HashMap<(Uuid, i16), u64>> {
    let query = Query::select()
        .expr_as(Expr::col((class::Entity, class::Column::SchoolId)), Alias::new("school_id"))
        .expr_as(Expr::col((class::Entity, class::Column::Grade)), Alias::new("grade"))
        .expr_as(Expr::col((feedback::Entity, feedback::Column::StudentId)).count_distinct(), Alias::new("families"))
        .from(feedback::Entity)
        .inner_join(
            homework::Entity,
            Expr::col((homework::Entity, homework::Column::Id))
                .equals((feedback::Entity, feedback::Column::HomeworkId)),
        )
        .inner_join(
            class::Entity,
            Expr::col((class::Entity, class::Column::Id)).equals((homework::Entity, homework::Column::ClassId)),
        )
        .cond_where(items_of(schools, period))
        .group_by_col((class::Entity, class::Column::SchoolId))
        .group_by_col((class::Entity, class::Column::Grade))
        .to_owned();
    Ok(rows::<FamiliesRow>(db, &query)
        .await?
        .into_iter()
        .map(|r| ((r.school_id, r.grade), u64::try_from(r.families).unwrap_or(0)))
        .collect())
}

async fn rows<T: FromQueryResult>(db: &impl ConnectionTrait, query: &SelectStatement) -> ApiResult<Vec<T>> {
    let statement = db.get_database_backend().build(query);
    Ok(T::find_by_statement(statement).all(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    fn marked(class_id: Uuid, date: NaiveDate, minutes: i32, written: bool) -> MarkedDay {
        MarkedDay { class_id, date, capped_minutes: minutes, written_at_home: written }
    }

    fn capped(entries: &[(Uuid, i64)]) -> HashMap<Uuid, ClassSums> {
        entries.iter().map(|(id, m)| (*id, ClassSums { capped_minutes: *m, ..ClassSums::default() })).collect()
    }

    fn stage(grade: i16) -> Stage {
        if grade <= 6 { Stage::Primary } else { Stage::Junior }
    }

    #[test]
    fn class_days_are_every_class_on_every_school_day_and_minutes_average_over_them() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        // Mon 2 – Fri 6 November: five school days, two classes of grade 5; 120 minutes in all,
        // one day (a, Monday: 70) over the 60 cap and marked as such.
        let days: HashSet<NaiveDate> = (2..=6).map(d).collect();
        let sums = capped(&[(a, 70), (b, 50)]);
        let rows = grades(&[(a, 5), (b, 5)], &days, &sums, &[marked(a, d(2), 70, true)], stage, Caps::default());
        assert_eq!(rows.len(), 1);
        let g = &rows[0];
        assert_eq!((g.classes, g.class_days), (2, 10));
        assert_eq!(g.average_daily_written_minutes, 12.0);
        assert_eq!(g.class_days_within_cap, 9);
        assert_eq!(g.class_days_with_written_g12, 0);
    }

    #[test]
    fn weekend_homework_adds_a_class_day_and_grades_one_and_two_count_written_days() {
        let a = Uuid::from_u128(1);
        let days: HashSet<NaiveDate> = [d(2), d(3)].into();
        // Saturday 7 November homework is counted on a day of its own.
        let marks = [marked(a, d(2), 10, true), marked(a, d(7), 20, true)];
        let rows = grades(&[(a, 2)], &days, &capped(&[(a, 30)]), &marks, stage, Caps::default());
        let g = &rows[0];
        assert_eq!(g.class_days, 3);
        assert_eq!(g.class_days_with_written_g12, 2);
        assert_eq!(g.average_daily_written_minutes, 10.0);
    }

    #[test]
    fn a_day_off_with_only_reading_or_optional_work_adds_no_class_day() {
        let a = Uuid::from_u128(1);
        // Saturday 7 November: optional written work (nothing capped) in grade 3.
        let rows =
            grades(&[(a, 3)], &[d(2)].into(), &HashMap::new(), &[marked(a, d(7), 0, true)], stage, Caps::default());
        assert_eq!((rows[0].class_days, rows[0].class_days_within_cap), (1, 1));
    }

    #[test]
    fn a_day_over_the_lower_cap_is_within_the_higher_one() {
        let a = Uuid::from_u128(1);
        // 80 minutes is over the primary cap (60) and within the junior one (90).
        let rows = grades(
            &[(a, 8)],
            &[d(2)].into(),
            &capped(&[(a, 80)]),
            &[marked(a, d(2), 80, true)],
            stage,
            Caps::default(),
        );
        assert_eq!((rows[0].cap_minutes, rows[0].class_days_within_cap), (90, 1));
    }

    #[test]
    fn reports_compare_with_the_estimates_of_the_items_reported_on() {
        let a = Uuid::from_u128(1);
        let sums = HashMap::from([(
            a,
            ClassSums { capped_minutes: 50, reports: 4, reported_minutes: 160, estimated_minutes_of_reported: 120 },
        )]);
        let rows = grades(&[(a, 8)], &[d(2)].into(), &sums, &[], stage, Caps::default());
        let g = &rows[0];
        assert_eq!((g.reports, g.reported_minutes, g.estimated_minutes_of_reported), (4, 160, 120));
        assert_eq!(g.cap_minutes, 90);
    }

    #[test]
    fn a_grade_without_classes_is_absent_and_days_of_unknown_classes_are_ignored() {
        let other = Uuid::from_u128(9);
        let rows = grades(
            &[],
            &[d(2)].into(),
            &capped(&[(other, 30)]),
            &[marked(other, d(2), 90, true)],
            stage,
            Caps::default(),
        );
        assert!(rows.is_empty());
    }
}
