//! The half-monthly bulletin: computed for a district's half-month from the homework monitor, the
//! after-school plan and the complaints' history; issued once per half-month by the job (the
//! bureau's officers get the whole, each school's admins their part, in the inbox and by email);
//! read and re-run by the bureau. A re-run computes from the same history, so it finds what was
//! issued unless a setting it measures against (the caps, the off-work time) changed since.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::super::bulletin::{self, MentoringProgress, SchoolFacts};
use super::super::dto::{
    Bulletin, BulletinBody, BulletinList, BulletinSummary, Rerun, SchoolBulletin, SchoolBulletinList,
    SchoolBulletinSummary,
};
use super::super::model::bulletin as stored;
use crate::access::{self, Caller};
use crate::delivery::outbox;
use crate::error::{ApiError, ApiResult};
use crate::inbox::items::Entry;
use crate::inbox::model::ItemKind;
use crate::org::model::district;
use crate::state::AppState;

/// The bulletin of `district_id` for the half-month `start`–`end`, computed now.
async fn compute(state: &AppState, district_id: Uuid, (start, end): (NaiveDate, NaiveDate)) -> ApiResult<BulletinBody> {
    let db = &state.db;
    let targets = super::settings::of(db, district_id).await?.targets();
    let caps = crate::homework::repo::caps(db, district_id).await?;
    let schools = crate::org::repo::schools_of_district(db, district_id).await?;
    let (since, until) = super::span_of(schools.iter().map(|s| s.dates_as_instants(start, end))).unwrap_or_else(|| {
        (start.and_time(chrono::NaiveTime::MIN).and_utc(), end.and_time(chrono::NaiveTime::MIN).and_utc())
    });
    let overdue = crate::complaints::service::school_overdue_between(db, district_id, (since, until)).await?;
    let asked: Vec<_> = schools.iter().map(|s| (s, start, end)).collect();
    let monitored = crate::homework::monitor::of_schools(state, &asked, caps).await?;
    let ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let calendars = crate::calendar::service::calendars(db, &ids, start, end).await?;
    let asked: Vec<_> = schools.iter().map(|s| (s, end, (start, end))).collect();
    let plans = crate::afterschool::service::figures::figures_of_schools(state, &asked).await?;
    let mut rows = Vec::new();
    for ((school, grades), plan) in schools.iter().zip(monitored).zip(plans) {
        let class_days: u32 = grades.iter().map(|g| g.class_days).sum();
        let within: u32 = grades.iter().map(|g| g.class_days_within_cap).sum();
        let facts = SchoolFacts {
            school_days: calendars.get(&school.id).map_or(0, |c| c.count_school_days(start, end)),
            class_days,
            over_cap_class_days: class_days - within,
            plan_published: plan.is_some(),
            plan_breaches: plan
                .as_ref()
                .map_or_else(Vec::new, |p| p.breaches.iter().map(|b| (*b).to_owned()).collect()),
            complaints_overdue: overdue.iter().filter(|id| **id == school.id).count() as u32,
            mentoring: crate::mentoring::service::completion_as_of(
                db,
                school.id,
                end,
                school.dates_as_instants(start, end).1,
            )
            .await?
            .map(|(done, owed, first, last)| MentoringProgress {
                done,
                owed,
                period: (first, last),
                at: end,
            }),
        };
        rows.push(SchoolBulletin {
            school_id: school.id,
            school_name: school.name.clone(),
            school_days: facts.school_days,
            class_days,
            over_cap_percent: super::super::suppression::share(
                u64::from(facts.over_cap_class_days),
                u64::from(class_days),
            ),
            plan_published: facts.plan_published,
            plan_breaches: facts.plan_breaches.clone(),
            complaints_overdue: facts.complaints_overdue,
            mentoring_done_percent: facts.mentoring.and_then(|m| m.done_percent()),
            shortfalls: bulletin::shortfalls(&facts, targets),
        });
    }
    Ok(BulletinBody { targets, schools: rows })
}

fn view(row: &stored::Model, body: BulletinBody) -> Bulletin {
    Bulletin {
        district_id: row.district_id,
        period_start: row.period_start,
        period_end: row.period_end,
        issued_at: row.issued_at,
        schools_short: body.schools.iter().filter(|s| !s.shortfalls.is_empty()).count() as u32,
        body,
    }
}

fn body_of(row: &stored::Model) -> ApiResult<BulletinBody> {
    serde_json::from_str(&row.content).map_err(ApiError::internal)
}

fn period(start: NaiveDate, today: NaiveDate) -> ApiResult<(NaiveDate, NaiveDate)> {
    let (start, end) = bulletin::half_month(start).ok_or_else(|| {
        ApiError::validation(
            "period_start",
            "半月通报从每月 1 日或 16 日开始。",
            "A half-month starts on the 1st or the 16th.",
        )
    })?;
    if end >= today {
        return Err(ApiError::validation("period_start", "该半月尚未结束。", "That half-month has not ended yet."));
    }
    Ok((start, end))
}

async fn stored_of(db: &impl ConnectionTrait, district_id: Uuid, start: NaiveDate) -> ApiResult<Option<stored::Model>> {
    Ok(stored::Entity::find()
        .filter(stored::Column::DistrictId.eq(district_id))
        .filter(stored::Column::PeriodStart.eq(start))
        .one(db)
        .await?)
}

/// Stores the bulletin unless one is already stored for the half-month; `Some` when this call
/// stored it (two instances issuing at once store one).
async fn store(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    (start, end): (NaiveDate, NaiveDate),
    body: &BulletinBody,
    now: DateTime<Utc>,
) -> ApiResult<Option<stored::Model>> {
    let row = stored::Model {
        id: Uuid::new_v4(),
        district_id,
        period_start: start,
        period_end: end,
        content: serde_json::to_string(body).map_err(ApiError::internal)?,
        issued_at: now,
    };
    let inserted = stored::Entity::insert(stored::ActiveModel::from(row.clone()))
        .on_conflict(
            OnConflict::columns([stored::Column::DistrictId, stored::Column::PeriodStart]).do_nothing().to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok((inserted == 1).then_some(row))
}

/// Tells the officers the bulletin is out, and each school's admins their own part.
async fn announce(db: &impl ConnectionTrait, d: &district::Model, b: &Bulletin, now: DateTime<Utc>) -> ApiResult<()> {
    let range = format!("{} 至 {}", b.period_start, b.period_end);
    let officers = crate::org::repo::officer_accounts(db, d.id).await?;
    let entry = |title: String, body: String| Entry {
        kind: ItemKind::Bulletin,
        ref_id: Uuid::new_v4(),
        title,
        body,
        sender_name: d.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    if !officers.is_empty() {
        let title = format!("半月通报（{range}）：{} 所学校未达标", b.schools_short);
        outbox::tell(db, None, None, &officers, entry(title, String::new()), now).await?;
    }
    for part in &b.body.schools {
        let admins = crate::org::repo::admin_accounts(db, vec![part.school_id]).await?;
        if admins.is_empty() {
            continue;
        }
        let title = if part.shortfalls.is_empty() {
            format!("半月通报（{range}）：本校各项达标")
        } else {
            format!("半月通报（{range}）：本校 {} 项未达标", part.shortfalls.len())
        };
        outbox::tell(db, Some(part.school_id), None, &admins, entry(title, String::new()), now).await?;
    }
    Ok(())
}

/// The job: every district's bulletin of the last half-month that ended, issued once (on the 1st
/// and the 16th, or on the first run after them). A district set up after that half-month ended
/// had nothing to report in it: its first bulletin is the next one (the bureau may still re-run
/// an earlier one).
pub async fn issue_due(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let mut issued = 0;
    for d in district::Entity::find().all(&state.db).await? {
        let half = bulletin::last_ended(d.local_date(now));
        if d.local_date(d.created_at) > half.1 || stored_of(&state.db, d.id, half.0).await?.is_some() {
            continue;
        }
        let body = compute(state, d.id, half).await?;
        let txn = crate::infra::db::begin(&state.db).await?;
        if let Some(row) = store(&txn, d.id, half, &body, now).await? {
            announce(&txn, &d, &view(&row, body), now).await?;
            issued += 1;
        }
        txn.commit().await?;
    }
    Ok(issued)
}

/// The district's bulletins, newest first (its officers).
pub async fn list(state: &AppState, caller: &Caller, district_id: Uuid) -> ApiResult<BulletinList> {
    access::bureau_officer_of(&state.db, caller, district_id).await?;
    let rows = stored::Entity::find()
        .filter(stored::Column::DistrictId.eq(district_id))
        .order_by_desc(stored::Column::PeriodStart)
        .all(&state.db)
        .await?;
    let mut items = Vec::new();
    for row in &rows {
        let b = view(row, body_of(row)?);
        items.push(BulletinSummary {
            period_start: b.period_start,
            period_end: b.period_end,
            issued_at: b.issued_at,
            schools_short: b.schools_short,
        });
    }
    Ok(BulletinList { items })
}

/// One issued bulletin (its district's officers).
pub async fn get(state: &AppState, caller: &Caller, district_id: Uuid, start: NaiveDate) -> ApiResult<Bulletin> {
    access::bureau_officer_of(&state.db, caller, district_id).await?;
    let row = stored_of(&state.db, district_id, start).await?.ok_or_else(ApiError::not_found)?;
    Ok(view(&row, body_of(&row)?))
}

/// The bureau re-runs a past half-month: computed again now and compared with what was issued
/// (issued now, without announcing it, when the job never issued it).
pub async fn rerun(state: &AppState, caller: &Caller, district_id: Uuid, start: NaiveDate) -> ApiResult<Rerun> {
    let officer = access::bureau_officer_of(&state.db, caller, district_id).await?;
    let d = crate::org::repo::district(&state.db, officer.district_id()).await?.ok_or_else(ApiError::not_found)?;
    let half = period(start, d.local_date(state.clock.now()))?;
    let body = compute(state, district_id, half).await?;
    let row = match stored_of(&state.db, district_id, half.0).await? {
        Some(row) => row,
        None => {
            let txn = crate::infra::db::begin(&state.db).await?;
            store(&txn, district_id, half, &body, state.clock.now()).await?;
            txn.commit().await?;
            stored_of(&state.db, district_id, half.0).await?.ok_or_else(ApiError::not_found)?
        }
    };
    let same_as_issued = body_of(&row)? == body;
    Ok(Rerun { same_as_issued, bulletin: view(&row, body) })
}

/// A school's own part of an issued bulletin (its admins).
/// The bulletins with a part for the school, newest first (its admins): the school's own counts.
pub async fn school_list(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<SchoolBulletinList> {
    let admin = access::school_admin(&state.db, caller, school_id).await?;
    let s = crate::org::repo::school(&state.db, admin.school_id()).await?.ok_or_else(ApiError::not_found)?;
    let rows = stored::Entity::find()
        .filter(stored::Column::DistrictId.eq(s.district_id))
        .order_by_desc(stored::Column::PeriodStart)
        .all(&state.db)
        .await?;
    let mut items = Vec::new();
    for row in &rows {
        let b = view(row, body_of(row)?);
        if let Some(part) = b.body.schools.iter().find(|p| p.school_id == school_id) {
            items.push(SchoolBulletinSummary {
                period_start: b.period_start,
                period_end: b.period_end,
                issued_at: b.issued_at,
                shortfalls: part.shortfalls.len() as u32,
            });
        }
    }
    Ok(SchoolBulletinList { items })
}

pub async fn school_part(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    start: NaiveDate,
) -> ApiResult<SchoolBulletin> {
    let admin = access::school_admin(&state.db, caller, school_id).await?;
    let s = crate::org::repo::school(&state.db, admin.school_id()).await?.ok_or_else(ApiError::not_found)?;
    let row = stored_of(&state.db, s.district_id, start).await?.ok_or_else(ApiError::not_found)?;
    body_of(&row)?.schools.into_iter().find(|p| p.school_id == school_id).ok_or_else(ApiError::not_found)
}
