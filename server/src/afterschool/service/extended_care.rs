//! Extended care (延时托管, `AS_EXTENDED_CARE`): a full guardian applies with a reason for the
//! weekdays the family needs; the plan must offer an extended session for the child's grade on
//! each of them; the school approves or declines with its reason, and the family is told.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::dto::{ApplyExtendedCare, DecideExtendedCare, ExtendedCare, ExtendedCareList};
use super::super::error::AfterschoolError;
use super::super::model::{ExtendedCareStatus, extended_care, plan};
use super::super::repo;
use super::super::rules::{self, Session};
use super::{
    REASON_MAX_CHARS, grade_of, list, managed_plan, optional, required_text, school, session_of, unlist, weekdays,
};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::state::AppState;

pub fn view(row: &extended_care::Model, student_name: String) -> ExtendedCare {
    let days = unlist(&row.weekdays);
    ExtendedCare {
        id: row.id,
        plan_id: row.plan_id,
        student_id: row.student_id,
        student_name,
        weekdays: if days.is_empty() { rules::WEEKDAYS.collect() } else { days },
        reason: row.reason.clone(),
        status: row.status,
        decision_reason: row.decision_reason.clone(),
        created_at: row.created_at,
        decided_at: row.decided_at,
    }
}

/// A full guardian applies (or applies again, or changes a pending application). An approved
/// application is answered as it stands (`created` false).
pub async fn apply(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    req: ApplyExtendedCare,
) -> ApiResult<(ExtendedCare, bool)> {
    let reason =
        required_text("reason", &req.reason, REASON_MAX_CHARS, ("请写明申请原因。", "Say why the family needs it."))?;
    let days = match &req.weekdays {
        Some(days) => weekdays("weekdays", days, false)?,
        None => rules::WEEKDAYS.collect(),
    };
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let school = school(&txn, guardian.student.school_id).await?;
    let plan =
        repo::current_plan(&txn, school.id, school.local_date(now)).await?.ok_or(AfterschoolError::PlanNotPublished)?;
    let grade = grade_of(&txn, &guardian.student).await?;
    let sessions: Vec<Session> = repo::sessions(&txn, plan.id).await?.iter().map(session_of).collect();
    if !rules::extended_care_offered(&sessions, grade, &days) {
        return Err(AfterschoolError::ExtendedCareNotOffered { weekdays: days }.into());
    }
    let existing = repo::extended_care_of(&txn, plan.id, student_id).await?;
    if let Some(row) = existing.as_ref().filter(|r| r.status == ExtendedCareStatus::Approved) {
        let answer = view(row, guardian.student.name.clone());
        txn.commit().await?;
        return Ok((answer, false));
    }
    let row = extended_care::Model {
        id: existing.as_ref().map_or_else(Uuid::new_v4, |r| r.id),
        plan_id: plan.id,
        student_id,
        weekdays: if days.len() == rules::WEEKDAYS.len() { String::new() } else { list(&days) },
        reason,
        status: ExtendedCareStatus::Applied,
        decision_reason: None,
        requested_by: caller.account_id,
        decided_by: None,
        created_at: now,
        decided_at: None,
    };
    repo::save_extended_care(&txn, row.clone()).await?;
    txn.commit().await?;
    Ok((view(&row, guardian.student.name), existing.is_none()))
}

/// The family withdraws its application (approved or not).
pub async fn withdraw(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<ExtendedCare> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let school = school(&txn, guardian.student.school_id).await?;
    let plan = repo::current_plan(&txn, school.id, school.local_date(now)).await?.ok_or_else(ApiError::not_found)?;
    let mut row = repo::extended_care_of(&txn, plan.id, student_id).await?.ok_or_else(ApiError::not_found)?;
    if row.status != ExtendedCareStatus::Withdrawn {
        row.status = ExtendedCareStatus::Withdrawn;
        row.decided_at = Some(now);
        repo::save_extended_care(&txn, row.clone()).await?;
    }
    txn.commit().await?;
    Ok(view(&row, guardian.student.name))
}

/// The plan's applications, pending first (its school's admins).
pub async fn list_for_plan(state: &AppState, caller: &Caller, plan_id: Uuid) -> ApiResult<ExtendedCareList> {
    let db = &state.db;
    managed_plan(db, caller, plan_id).await?;
    let rows = repo::extended_care_of_plan(db, plan_id).await?;
    let names = crate::org::repo::student_names(db, rows.iter().map(|r| r.student_id).collect()).await?;
    let mut items: Vec<ExtendedCare> =
        rows.iter().map(|r| view(r, names.get(&r.student_id).cloned().unwrap_or_default())).collect();
    items.sort_by_key(|c| (c.status != ExtendedCareStatus::Applied, c.created_at));
    Ok(ExtendedCareList { items })
}

/// The school approves or declines (a decline says why); the family is told at once.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    plan_id: Uuid,
    student_id: Uuid,
    req: DecideExtendedCare,
) -> ApiResult<ExtendedCare> {
    let reason = optional("reason", &req.reason, REASON_MAX_CHARS)?;
    if !req.approve && reason.is_none() {
        return Err(AfterschoolError::invalid("reason", "请写明不批准的原因。", "Say why it is declined.").into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let plan = managed_plan(&txn, caller, plan_id).await?;
    let mut row = repo::extended_care_of(&txn, plan_id, student_id)
        .await?
        .filter(|r| r.status != ExtendedCareStatus::Withdrawn)
        .ok_or_else(ApiError::not_found)?;
    row.status = if req.approve { ExtendedCareStatus::Approved } else { ExtendedCareStatus::Declined };
    row.decision_reason = reason;
    row.decided_by = Some(caller.account_id);
    row.decided_at = Some(now);
    repo::save_extended_care(&txn, row.clone()).await?;
    let name = crate::org::repo::student_names(&txn, vec![student_id]).await?.remove(&student_id).unwrap_or_default();
    let woken = tell_family(&txn, &plan, &row, &name, now).await?;
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }
    Ok(view(&row, name))
}

async fn tell_family(
    txn: &impl sea_orm::ConnectionTrait,
    plan: &plan::Model,
    row: &extended_care::Model,
    name: &str,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    let school = school(txn, plan.school_id).await?;
    let (zh, en) = match row.status {
        ExtendedCareStatus::Approved => ("已批准", "approved"),
        _ => ("未获批准", "declined"),
    };
    let why = row.decision_reason.as_deref().map(|r| format!("\n{r}")).unwrap_or_default();
    let id = Uuid::new_v4();
    let entry = items::Entry {
        kind: ItemKind::Afterschool,
        ref_id: id,
        title: format!("{name}的延时托管申请{zh} / Extended care for {name}: {en}"),
        body: format!("学校对延时托管申请的答复：{zh}。/ The school's answer: {en}.{why}"),
        sender_name: school.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    super::tell_family(txn, school.id, row.student_id, entry, now).await
}
