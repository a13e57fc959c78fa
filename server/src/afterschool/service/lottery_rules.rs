//! The rules a school chooses for its plan's lottery ([`lottery::Rules`]): children with none of
//! last term's choices first, siblings together, and a weekly limit of elective sessions per child
//! that first-come seats keep too.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::super::dto::{LotteryRules, Plan};
use super::super::error::AfterschoolError;
use super::super::lottery;
use super::super::model::{Allocation, EnrolmentStatus, activity, plan};
use super::super::repo;
use super::{managed_plan, plan_view, unlist};
use crate::access::Caller;
use crate::error::ApiResult;
use crate::org::model::AccessLevel;
use crate::state::AppState;

/// The most sessions a week a limit may allow (five a day, five days).
pub const MAX_WEEKLY_SESSIONS: u8 = 25;

pub fn view(row: &plan::Model) -> LotteryRules {
    LotteryRules {
        weekly_limit: row.weekly_limit.and_then(|l| u8::try_from(l).ok()),
        none_last_term_first: row.none_last_term_first,
        siblings_together: row.siblings_together,
    }
}

/// Sets the plan's rules (its school's admins), until its first enrolment round has closed.
pub async fn set(state: &AppState, caller: &Caller, plan_id: Uuid, req: LotteryRules) -> ApiResult<Plan> {
    if req.weekly_limit.is_some_and(|l| !(1..=MAX_WEEKLY_SESSIONS).contains(&l)) {
        return Err(AfterschoolError::invalid(
            "weekly_limit",
            format!("每周上限为 1 到 {MAX_WEEKLY_SESSIONS} 次。"),
            format!("The weekly limit is 1 to {MAX_WEEKLY_SESSIONS} sessions."),
        )
        .into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut row = managed_plan(&txn, caller, plan_id).await?;
    if row.enrolment_closed_at.is_some() {
        return Err(AfterschoolError::EnrolmentClosed.into());
    }
    row.weekly_limit = req.weekly_limit.map(i16::from);
    row.none_last_term_first = req.none_last_term_first;
    row.siblings_together = req.siblings_together;
    repo::set_lottery_rules(&txn, &row).await?;
    let answer = plan_view(&txn, row, now).await?;
    txn.commit().await?;
    Ok(answer)
}

/// The draw's rules for these applicants: who comes first (applied for a lottery activity of the
/// school's previous plan and got no seat there) and the sibling groups (children sharing a full
/// guardian).
pub async fn for_draw(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    applicants: &[Uuid],
) -> ApiResult<lottery::Rules> {
    let mut rules = lottery::Rules {
        weekly_limit: row.weekly_limit.and_then(|l| u32::try_from(l).ok()),
        chose_priority: row.none_last_term_first,
        chose_siblings: row.siblings_together,
        ..lottery::Rules::default()
    };
    if row.weekly_limit.is_some() {
        for child in applicants {
            let held = held_sessions(txn, row, *child, None).await?;
            if held > 0 {
                rules.held_sessions.insert(*child, held);
            }
        }
    }
    let applying: HashSet<Uuid> = applicants.iter().copied().collect();
    if row.none_last_term_first
        && let Some(before) = repo::previous_plan(txn, row.school_id, row.term_start).await?
    {
        let drawn: Vec<Uuid> = repo::activities(txn, before.id)
            .await?
            .into_iter()
            .filter(|a| a.allocation == Allocation::Lottery)
            .map(|a| a.id)
            .collect();
        let mut seated: HashMap<Uuid, bool> = HashMap::new();
        for e in repo::enrolments_in(txn, drawn).await? {
            *seated.entry(e.student_id).or_default() |= e.status == EnrolmentStatus::Enrolled;
        }
        rules.first =
            seated.into_iter().filter(|(child, got)| !got && applying.contains(child)).map(|(c, _)| c).collect();
        rules.first.sort_unstable();
    }
    if row.siblings_together {
        let mut children_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for link in crate::org::repo::guardianships_of_students(txn, applicants.to_vec()).await? {
            if link.access_level == AccessLevel::Full {
                children_of.entry(link.guardian_id).or_default().push(link.student_id);
            }
        }
        // Families with two or more applicants; a child in two such families joins the first.
        let mut placed: HashSet<Uuid> = HashSet::new();
        let mut families: Vec<Vec<Uuid>> = children_of.into_values().filter(|c| c.len() > 1).collect();
        for family in &mut families {
            family.sort_unstable();
            family.dedup();
        }
        families.sort();
        for family in families {
            let group: Vec<Uuid> = family.into_iter().filter(|c| placed.insert(*c)).collect();
            if group.len() > 1 {
                rules.siblings.push(group);
            }
        }
    }
    Ok(rules)
}

/// The sessions a week of the child's seats in the plan's activities (but `except`).
async fn held_sessions(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    student_id: Uuid,
    except: Option<Uuid>,
) -> ApiResult<u32> {
    let held: usize = repo::active_enrolments(txn, student_id)
        .await?
        .iter()
        .filter(|(e, a)| a.plan_id == row.id && e.status == EnrolmentStatus::Enrolled && Some(a.id) != except)
        .map(|(_, a)| unlist(&a.weekdays).len())
        .sum();
    Ok(held as u32)
}

/// The sessions a week the child's seats in the plan's activities and `wanted` would make, and the
/// limit, when the plan has one.
async fn weekly_sessions(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    student_id: Uuid,
    wanted: &activity::Model,
) -> ApiResult<Option<(u8, u32)>> {
    let Some(limit) = row.weekly_limit else { return Ok(None) };
    let sessions = held_sessions(txn, row, student_id, Some(wanted.id)).await? + unlist(&wanted.weekdays).len() as u32;
    Ok(Some((u8::try_from(limit).unwrap_or(u8::MAX), sessions)))
}

/// Whether a seat in `wanted` keeps the child within the plan's weekly limit.
pub async fn within_weekly_limit(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    student_id: Uuid,
    wanted: &activity::Model,
) -> ApiResult<bool> {
    Ok(weekly_sessions(txn, row, student_id, wanted)
        .await?
        .is_none_or(|(limit, sessions)| sessions <= u32::from(limit)))
}

/// The weekly limit for a first-come seat: refused with the figures when over it.
pub async fn check_weekly_limit(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    student_id: Uuid,
    wanted: &activity::Model,
) -> ApiResult<()> {
    match weekly_sessions(txn, row, student_id, wanted).await? {
        Some((limit, sessions)) if sessions > u32::from(limit) => {
            Err(AfterschoolError::WeeklyLimit { limit, sessions }.into())
        }
        _ => Ok(()),
    }
}
