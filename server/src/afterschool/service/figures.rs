//! A school's after-school figures as the bureau reads them (issue 9, "for the bureau"): whether
//! the published plan keeps `AS_5_PLUS_2` and `AS_END_TIME` under the district's current off-work
//! time, students in the basic service and in electives, those staying all five days, the roll's
//! attendance over a period, staff and outside providers taking part, activities by category and
//! provider type, and families' satisfaction. Raw counts: the reporting module suppresses them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::super::evaluation;
use super::super::model::{
    Category, EnrolmentStatus, ProviderKind, RollStatus, activity, attendance, basic_choice, enrolment,
};
use super::super::{repo, rules};
use super::{basic_status, off_work, session_of};
use crate::error::ApiResult;
use crate::org::model::{school, staff};
use crate::state::AppState;

/// One school's after-school service on a day, with its roll over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct AfterschoolFigures {
    pub plan_id: Uuid,
    /// The rule ids the published plan breaks under today's district settings (empty: compliant).
    pub breaches: Vec<&'static str>,
    /// Students opted in to the basic service (基础托管) today.
    pub in_basic: u64,
    /// Of those, the ones staying all five weekdays.
    pub all_five_days: u64,
    /// Students holding a seat in at least one activity.
    pub in_electives: u64,
    /// Roll entries of the period, and those marked present.
    pub roll_entries: u64,
    pub present: u64,
    pub teachers: u64,
    /// Teachers of the school in charge of at least one activity that is not cancelled.
    pub teachers_in_charge: u64,
    /// Activities not cancelled, by category and by who provides them.
    pub by_category: BTreeMap<Category, u64>,
    pub by_provider: BTreeMap<ProviderKind, u64>,
    /// Families' ratings (1–5) of the plan's activities.
    pub ratings: Vec<u8>,
    /// The distinct children rated for (one family rating three activities is one family).
    pub rating_families: u64,
}

impl AfterschoolFigures {
    pub fn satisfaction(&self) -> Option<f64> {
        evaluation::average(&self.ratings).0
    }
}

/// The school's figures on `today` (its current published plan) with the roll from `from` to `to`;
/// `None` when it has no published plan covering today.
pub async fn figures_of(
    state: &AppState,
    school: &school::Model,
    today: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
) -> ApiResult<Option<AfterschoolFigures>> {
    let db = &state.db;
    let Some(plan) = repo::current_plan(db, school.id, today).await? else {
        return Ok(None);
    };
    let sessions: Vec<_> = repo::sessions(db, plan.id).await?.iter().map(session_of).collect();
    let off_work = off_work(db, school.district_id).await?;
    let mut breaches: Vec<&'static str> =
        rules::plan_breaches(&sessions, school.stage_system, off_work).iter().map(|b| b.rule()).collect();
    breaches.sort_unstable();
    breaches.dedup();

    // The basic service: each student's choice in force today (the latest that has begun).
    let mut choices: HashMap<Uuid, basic_choice::Model> = HashMap::new();
    for c in basic_choice::Entity::find()
        .filter(basic_choice::Column::PlanId.eq(plan.id))
        .filter(basic_choice::Column::EffectiveFrom.lte(today))
        .all(db)
        .await?
    {
        match choices.get(&c.student_id) {
            Some(held) if held.effective_from >= c.effective_from => {}
            _ => {
                choices.insert(c.student_id, c);
            }
        }
    }
    let opted: Vec<&basic_choice::Model> = choices.values().filter(|c| c.opted_in).collect();
    let all_five_days = opted.iter().filter(|c| basic_status(c).weekdays.len() == rules::WEEKDAYS.len()).count() as u64;

    let activities: Vec<activity::Model> =
        repo::activities(db, plan.id).await?.into_iter().filter(|a| a.cancelled_at.is_none()).collect();
    let ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
    let seated: HashSet<Uuid> = repo::enrolments_in(db, ids.clone())
        .await?
        .into_iter()
        .filter(|e: &enrolment::Model| e.status == EnrolmentStatus::Enrolled)
        .map(|e| e.student_id)
        .collect();
    let roll = attendance::Entity::find()
        .filter(attendance::Column::ActivityId.is_in(ids.clone()))
        .filter(attendance::Column::Date.gte(from))
        .filter(attendance::Column::Date.lte(to))
        .all(db)
        .await?;
    let teachers: HashSet<Uuid> = staff::Entity::find()
        .filter(staff::Column::SchoolId.eq(school.id))
        .filter(staff::Column::IsTeacher.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.account_id)
        .collect();
    let in_charge: HashSet<Uuid> =
        activities.iter().filter_map(|a| a.in_charge_account_id).filter(|id| teachers.contains(id)).collect();
    let mut by_category = BTreeMap::new();
    let mut by_provider = BTreeMap::new();
    for a in &activities {
        *by_category.entry(a.category).or_insert(0) += 1;
        *by_provider.entry(a.provider_kind).or_insert(0) += 1;
    }
    let rated = repo::ratings_of(db, ids).await?;
    let rating_families = rated.iter().map(|r| r.student_id).collect::<HashSet<_>>().len() as u64;
    let ratings = rated.into_iter().map(|r| r.rating.clamp(1, 5) as u8).collect();
    Ok(Some(AfterschoolFigures {
        plan_id: plan.id,
        breaches,
        in_basic: opted.len() as u64,
        all_five_days,
        in_electives: seated.len() as u64,
        roll_entries: roll.len() as u64,
        present: roll.iter().filter(|r| r.status == RollStatus::Present).count() as u64,
        teachers: teachers.len() as u64,
        teachers_in_charge: in_charge.len() as u64,
        by_category,
        by_provider,
        ratings,
        rating_families,
    }))
}
