//! Reading homework as aggregates: the school's weekly publicity (`HW_PUBLICITY`) for its families,
//! staff and bureau; estimate vs reported time per class for the school; the district's caps for
//! the bureau (the refused-send counts are [`crate::guard`]'s).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::dto::{
    ClassFeedback, DistrictPublicity, GradePublicity, HomeworkSettings, Publicity, SchoolFeedback, Share,
};
use super::model::{district_settings, homework};
use super::repo;
use super::rules::{self, JUNIOR_CAP_MINUTES, MIN_CAP_MINUTES, PRIMARY_CAP_MINUTES};
use crate::access;
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::org::model::{class, district, school};
use crate::state::AppState;

/// School days a week, for the daily average.
const SCHOOL_DAYS: f64 = 5.0;

/// An ISO week as the API writes it: `YYYY-Www` (`2026-W48`). The `week` parameter is read
/// exactly so; a `W53` must also exist in its year, which no pattern can say.
pub const WEEK_PATTERN: &str = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$";

/// The Monday of an ISO week written as [`WEEK_PATTERN`] states it, when that week exists.
fn monday_of_week(text: &str) -> Option<NaiveDate> {
    let (year, week) = text.split_once("-W")?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(week, 2) {
        return None;
    }
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)
}

/// Monday and Sunday of an ISO week (`2026-W48`), or of the week `today` (the reader's local
/// date: the school's, or the district's) falls in.
pub fn week_range(week: Option<&str>, today: NaiveDate) -> ApiResult<(String, NaiveDate, NaiveDate)> {
    let monday = match week {
        None => today - Duration::days(i64::from(today.weekday().num_days_from_monday())),
        Some(w) => monday_of_week(w).ok_or_else(|| {
            ApiError::validation("week", "week 须为 ISO 周，如 2026-W48。", "week is an ISO week such as 2026-W48.")
        })?,
    };
    let iso = monday.iso_week();
    Ok((format!("{}-W{:02}", iso.year(), iso.week()), monday, monday + Duration::days(6)))
}

async fn week_of_school(
    state: &AppState,
    school_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<homework::Model>> {
    Ok(homework::Entity::find()
        .filter(homework::Column::SchoolId.eq(school_id))
        .filter(homework::Column::Date.gte(from))
        .filter(homework::Column::Date.lte(to))
        .filter(homework::Column::WithdrawnAt.is_null())
        .all(&state.db)
        .await?)
}

fn shares(entries: impl Iterator<Item = (String, i32)>) -> Vec<Share> {
    let mut by_name: BTreeMap<String, (i32, u32)> = BTreeMap::new();
    for (name, minutes) in entries {
        let entry = by_name.entry(name).or_default();
        entry.0 += minutes;
        entry.1 += 1;
    }
    let mut shares: Vec<Share> =
        by_name.into_iter().map(|(name, (minutes, items))| Share { name, minutes, items }).collect();
    shares.sort_by(|a, b| b.minutes.cmp(&a.minutes).then_with(|| a.name.cmp(&b.name)));
    shares
}

fn kind_name(kind: super::model::HomeworkKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// `HW_PUBLICITY`: per grade, the average daily written minutes and what the week's homework was
/// made of. For the school's staff and families, and its district's bureau.
pub async fn publicity(state: &AppState, user: &Caller, school_id: Uuid, week: Option<&str>) -> ApiResult<Publicity> {
    let db = &state.db;
    let school = school::Entity::find_by_id(school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    access::school_reader(db, user, &school).await?;
    let week = week_range(week, school.local_date(state.clock.now()))?;
    let caps = repo::caps(db, school.district_id).await?;
    of_school(state, school, &week, caps).await
}

/// The same figures for every school of a district, for its bureau.
pub async fn district_publicity(
    state: &AppState,
    user: &Caller,
    district_id: Uuid,
    week: Option<&str>,
) -> ApiResult<DistrictPublicity> {
    let db = &state.db;
    access::bureau_officer_of(db, user, district_id).await?;
    let district = district::Entity::find_by_id(district_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let (name, from, to) = week_range(week, district.local_date(state.clock.now()))?;
    let caps = repo::caps(db, district_id).await?;
    let week = (name.clone(), from, to);
    let mut schools = Vec::new();
    for school in school::Entity::find()
        .filter(school::Column::DistrictId.eq(district_id))
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?
    {
        schools.push(of_school(state, school, &week, caps).await?);
    }
    Ok(DistrictPublicity { district_id, week: name, from, to, schools })
}

async fn of_school(
    state: &AppState,
    school: school::Model,
    (week, from, to): &(String, NaiveDate, NaiveDate),
    caps: rules::Caps,
) -> ApiResult<Publicity> {
    let classes = class::Entity::find().filter(class::Column::SchoolId.eq(school.id)).all(&state.db).await?;
    let items = week_of_school(state, school.id, *from, *to).await?;
    let mut grades: BTreeMap<i16, Vec<Uuid>> = BTreeMap::new();
    for c in &classes {
        grades.entry(c.grade).or_default().push(c.id);
    }
    let grades = grades
        .into_iter()
        .map(|(grade, class_ids)| {
            let of_grade: Vec<&homework::Model> = items.iter().filter(|h| class_ids.contains(&h.class_id)).collect();
            let written: i32 = of_grade
                .iter()
                .filter(|h| rules::counts_toward_cap(h.kind, h.tier, h.location))
                .map(|h| h.estimated_minutes)
                .sum();
            let stage = school.stage_system.stage_of(grade);
            let average = f64::from(written) / (class_ids.len() as f64 * SCHOOL_DAYS);
            GradePublicity {
                grade,
                stage,
                cap_minutes: caps.for_stage(stage),
                classes: u32::try_from(class_ids.len()).unwrap_or(u32::MAX),
                average_daily_written_minutes: (average * 10.0).round() / 10.0,
                by_subject: shares(
                    of_grade.iter().map(|h| (crate::org::subject::name_of(&h.subject), h.estimated_minutes)),
                ),
                by_kind: shares(of_grade.iter().map(|h| (kind_name(h.kind), h.estimated_minutes))),
            }
        })
        .collect();
    Ok(Publicity { school_id: school.id, school_name: school.name, week: week.clone(), from: *from, to: *to, grades })
}

/// Fewer families' reports than this in a class's cell, and its reported minutes are shown only to
/// the class's own teachers and the school's admins (small-cell rule: one report is one family).
pub const MIN_REPORTS_SHOWN: u32 = 3;

/// Estimate vs reported time per class over a week, for the school's staff.
pub async fn school_feedback(
    state: &AppState,
    user: &Caller,
    school_id: Uuid,
    week: Option<&str>,
) -> ApiResult<SchoolFeedback> {
    let db = &state.db;
    let member = access::staff_member(db, user, school_id).await?;
    let sees_every_cell = access::classes_seen_in_full(db, &member).await?;
    let school = school::Entity::find_by_id(school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let (week, from, to) = week_range(week, school.local_date(state.clock.now()))?;
    let classes = class::Entity::find()
        .filter(class::Column::SchoolId.eq(school_id))
        .order_by_asc(class::Column::Grade)
        .order_by_asc(class::Column::Number)
        .all(db)
        .await?;
    let items = week_of_school(state, school_id, from, to).await?;
    let totals = repo::feedback_totals(db, items.iter().map(|h| h.id).collect()).await?;
    let classes = classes
        .into_iter()
        .map(|c| {
            let mut row = ClassFeedback {
                class_id: c.id,
                grade: c.grade,
                number: c.number,
                items: 0,
                items_with_reports: 0,
                reports: 0,
                estimated_minutes: 0,
                reported_minutes: None,
            };
            let mut reported = 0.0;
            for h in items.iter().filter(|h| h.class_id == c.id) {
                row.items += 1;
                if let Some(&(n, total)) = totals.get(&h.id) {
                    row.items_with_reports += 1;
                    row.reports += u32::try_from(n).unwrap_or(0);
                    row.estimated_minutes += h.estimated_minutes;
                    reported += total as f64 / n as f64;
                }
            }
            let shown = sees_every_cell.covers(c.id) || row.reports >= MIN_REPORTS_SHOWN;
            row.reported_minutes = shown.then_some((reported * 10.0).round() / 10.0);
            row
        })
        .collect();
    Ok(SchoolFeedback { school_id, week, classes })
}

pub async fn settings(state: &AppState, user: &Caller, district_id: Uuid) -> ApiResult<HomeworkSettings> {
    access::bureau_officer_of(&state.db, user, district_id).await?;
    let caps = repo::caps(&state.db, district_id).await?;
    Ok(HomeworkSettings { primary_cap_minutes: caps.primary, junior_cap_minutes: caps.junior })
}

/// A district may set stricter daily caps than the national ones, never looser.
pub async fn set_settings(
    state: &AppState,
    user: &Caller,
    district_id: Uuid,
    req: HomeworkSettings,
) -> ApiResult<HomeworkSettings> {
    for (field, value, max) in [
        ("primary_cap_minutes", req.primary_cap_minutes, PRIMARY_CAP_MINUTES),
        ("junior_cap_minutes", req.junior_cap_minutes, JUNIOR_CAP_MINUTES),
    ] {
        if !(MIN_CAP_MINUTES..=max).contains(&value) {
            return Err(ApiError::validation(
                field,
                format!("上限须在 {MIN_CAP_MINUTES} 到 {max} 分钟之间（不得高于国家规定）。"),
                format!("The cap is {MIN_CAP_MINUTES} to {max} minutes (never above the national cap)."),
            ));
        }
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    access::bureau_officer_of(&txn, user, district_id).await?;
    let row = district_settings::ActiveModel {
        district_id: Set(district_id),
        primary_cap_minutes: Set(req.primary_cap_minutes),
        junior_cap_minutes: Set(req.junior_cap_minutes),
        updated_at: Set(state.clock.now()),
    };
    repo::save_caps(&txn, row).await?;
    txn.commit().await?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_is_read_exactly_as_the_document_states_it() {
        let pattern = regex::Regex::new(WEEK_PATTERN).unwrap();
        // 2026 has 53 ISO weeks: there the pattern and the parser agree on every `YYYY-Www`.
        for n in 0..100 {
            let week = format!("2026-W{n:02}");
            assert_eq!(pattern.is_match(&week), monday_of_week(&week).is_some(), "{week}");
        }
        for bad in ["2026-W8", "2026-W+8", "+2026-W08", "02026-W08", "2026-w08", " 2026-W08", "2026-W08 ", ""] {
            assert!(!pattern.is_match(bad), "{bad}");
            assert_eq!(monday_of_week(bad), None, "{bad}");
        }
        // The one thing the pattern cannot say: 2027 has no week 53.
        assert!(pattern.is_match("2027-W53") && monday_of_week("2027-W53").is_none());
        assert_eq!(monday_of_week("2026-W48"), NaiveDate::from_ymd_opt(2026, 11, 23));
    }
}
