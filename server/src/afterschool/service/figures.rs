//! A school's after-school figures as the bureau reads them (issue 9, "for the bureau"): whether
//! the published plan keeps `AS_5_PLUS_2` and `AS_END_TIME` under the district's current off-work
//! time, students in the basic service and in electives, those staying all five days, the roll's
//! attendance over a period, staff and outside providers taking part, activities by category and
//! provider type, and families' satisfaction. Raw counts: the reporting module suppresses them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use super::super::evaluation;
use super::super::model::{Category, ProviderKind, activity, plan};
use super::super::repo;
use super::super::rules::{self, Minute, Session};
use super::{off_work, session_of};
use crate::error::ApiResult;
use crate::org::model::school;
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

/// Each school's figures on its `today` (its current published plan; `None` without one) with the
/// roll over its period, in the order given: the counts are added up by the database in a handful
/// of grouped reads for all the schools, not read row by row.
pub async fn figures_of_schools(
    state: &AppState,
    asked: &[(&school::Model, NaiveDate, (NaiveDate, NaiveDate))],
) -> ApiResult<Vec<Option<AfterschoolFigures>>> {
    let db = &state.db;
    let mut plans: Vec<Option<plan::Model>> = Vec::with_capacity(asked.len());
    let mut by_today: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
    for (school, today, _) in asked {
        by_today.entry(*today).or_default().push(school.id);
    }
    let mut current: HashMap<Uuid, plan::Model> = HashMap::new();
    for (today, ids) in &by_today {
        for p in repo::current_plans(db, ids.clone(), *today).await? {
            current.entry(p.school_id).or_insert(p);
        }
    }
    for (school, _, _) in asked {
        plans.push(current.get(&school.id).cloned());
    }
    let plan_ids: Vec<Uuid> = plans.iter().flatten().map(|p| p.id).collect();
    let mut sessions: HashMap<Uuid, Vec<Session>> = HashMap::new();
    for row in repo::sessions_of_plans(db, plan_ids.clone()).await? {
        sessions.entry(row.plan_id).or_default().push(session_of(&row));
    }
    let mut off_work_of: HashMap<Uuid, Minute> = HashMap::new();
    for (school, _, _) in asked {
        if let std::collections::hash_map::Entry::Vacant(e) = off_work_of.entry(school.district_id) {
            e.insert(off_work(db, school.district_id).await?);
        }
    }
    // The basic service: each student's choice in force on the school's today.
    let mut basic: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for (today, ids) in &by_today {
        let of_day: Vec<Uuid> = ids.iter().filter_map(|id| current.get(id)).map(|p| p.id).collect();
        basic.extend(repo::basic_counts(db, of_day, *today).await?);
    }
    let activities: Vec<activity::Model> = repo::activities_of_plans(db, plan_ids.clone())
        .await?
        .into_iter()
        .filter(|a| a.cancelled_at.is_none())
        .collect();
    let activity_ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
    let seated = repo::seated_students_by_plan(db, activity_ids.clone()).await?;
    let mut roll: HashMap<Uuid, (u64, u64)> = HashMap::new();
    let mut by_period: BTreeMap<(NaiveDate, NaiveDate), Vec<Uuid>> = BTreeMap::new();
    for ((_, _, period), plan) in asked.iter().zip(&plans) {
        if let Some(plan) = plan {
            by_period.entry(*period).or_default().push(plan.id);
        }
    }
    for ((from, to), plan_ids) in by_period {
        roll.extend(repo::roll_counts_by_plan(db, plan_ids, from, to).await?);
    }
    let school_ids: Vec<Uuid> = asked.iter().map(|a| a.0.id).collect();
    let teachers = crate::org::repo::teacher_counts_by_school(db, school_ids.clone()).await?;
    let in_charge: Vec<Uuid> = activities.iter().filter_map(|a| a.in_charge_account_id).collect();
    let teaching: HashSet<(Uuid, Uuid)> = crate::org::repo::teachers_among(db, school_ids, in_charge).await?;
    let rated = repo::ratings_of(db, activity_ids).await?;
    let plan_of_activity: HashMap<Uuid, Uuid> = activities.iter().map(|a| (a.id, a.plan_id)).collect();

    let mut out = Vec::with_capacity(asked.len());
    for ((school, _, _), plan) in asked.iter().zip(plans) {
        let Some(plan) = plan else {
            out.push(None);
            continue;
        };
        let off_work = off_work_of.get(&school.district_id).copied().unwrap_or(rules::DEFAULT_OFF_WORK);
        let plan_sessions = sessions.remove(&plan.id).unwrap_or_default();
        let mut breaches: Vec<&'static str> =
            rules::plan_breaches(&plan_sessions, school.stage_system, off_work).iter().map(|b| b.rule()).collect();
        breaches.sort_unstable();
        breaches.dedup();
        let own: Vec<&activity::Model> = activities.iter().filter(|a| a.plan_id == plan.id).collect();
        let in_charge: HashSet<Uuid> = own
            .iter()
            .filter_map(|a| a.in_charge_account_id)
            .filter(|id| teaching.contains(&(school.id, *id)))
            .collect();
        let mut by_category = BTreeMap::new();
        let mut by_provider = BTreeMap::new();
        for a in &own {
            *by_category.entry(a.category).or_insert(0) += 1;
            *by_provider.entry(a.provider_kind).or_insert(0) += 1;
        }
        let ratings_here: Vec<_> =
            rated.iter().filter(|r| plan_of_activity.get(&r.activity_id) == Some(&plan.id)).collect();
        let rating_families = ratings_here.iter().map(|r| r.student_id).collect::<HashSet<_>>().len() as u64;
        let (in_basic, all_five_days) = basic.get(&plan.id).copied().unwrap_or((0, 0));
        let (roll_entries, present) = roll.get(&plan.id).copied().unwrap_or((0, 0));
        out.push(Some(AfterschoolFigures {
            plan_id: plan.id,
            breaches,
            in_basic,
            all_five_days,
            in_electives: seated.get(&plan.id).copied().unwrap_or(0),
            roll_entries,
            present,
            teachers: teachers.get(&school.id).copied().unwrap_or(0),
            teachers_in_charge: in_charge.len() as u64,
            by_category,
            by_provider,
            ratings: ratings_here.iter().map(|r| r.rating.clamp(1, 5) as u8).collect(),
            rating_families,
        }));
    }
    Ok(out)
}
