//! A plan's enrolment window: the first round (first-come seats and lottery applications), its
//! close (the lottery drawn with a fresh seed, activities below their minimum size cancelled and
//! their families told, fees credited), the add/drop round in which the seats left go first-come,
//! and the lock. The close runs from the scheduled jobs, claimed so one instance runs it once.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::dto::{EnrolmentWindow, EnrolmentWindowView, Plan};
use super::super::error::AfterschoolError;
use super::super::model::{Allocation, EnrolmentPhase, EnrolmentStatus, activity, plan};
use super::super::repo;
use super::super::rules::{self, Window};
use super::{draw_plan, fees, managed_plan, plan_view, school, tell_family};
use crate::access::Caller;
use crate::error::ApiResult;
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::state::AppState;

pub fn window_of(row: &plan::Model) -> Window {
    Window {
        opens_at: row.enrolment_opens_at,
        closes_at: row.enrolment_closes_at,
        add_drop_closes_at: row.add_drop_closes_at,
    }
}

pub fn view(row: &plan::Model, now: DateTime<Utc>) -> EnrolmentWindowView {
    EnrolmentWindowView {
        opens_at: row.enrolment_opens_at,
        closes_at: row.enrolment_closes_at,
        add_drop_closes_at: row.add_drop_closes_at,
        decline_hours: row.decline_hours.and_then(|h| u16::try_from(h).ok()).unwrap_or(rules::DEFAULT_DECLINE_HOURS),
        phase: rules::enrolment_phase(window_of(row), now),
        closed_at: row.enrolment_closed_at,
    }
}

/// How an enrolment made now is allocated, or why none can be: before the window and between its
/// close and the close's run (the draw is under way) nothing; in the add/drop round every activity
/// is first-come; after it, the rosters are locked.
pub fn allocation_now(
    row: &plan::Model,
    allocation: Allocation,
    now: DateTime<Utc>,
) -> Result<Allocation, AfterschoolError> {
    match rules::enrolment_phase(window_of(row), now) {
        EnrolmentPhase::Open => Ok(allocation),
        EnrolmentPhase::NotOpen => Err(AfterschoolError::EnrolmentNotOpen { opens_at: row.enrolment_opens_at }),
        EnrolmentPhase::AddDrop if row.enrolment_closed_at.is_none() => {
            Err(AfterschoolError::EnrolmentNotOpen { opens_at: None })
        }
        EnrolmentPhase::AddDrop => Ok(Allocation::FirstCome),
        EnrolmentPhase::Locked => Err(AfterschoolError::EnrolmentClosed),
    }
}

/// Sets the plan's window (its school's admins), until its first round has closed.
pub async fn set_window(state: &AppState, caller: &Caller, plan_id: Uuid, req: EnrolmentWindow) -> ApiResult<Plan> {
    if req.closes_at <= req.opens_at {
        return Err(AfterschoolError::invalid(
            "closes_at",
            "截止时间须晚于开始时间。",
            "The window closes after it opens.",
        )
        .into());
    }
    if req.add_drop_closes_at.is_some_and(|ends| ends <= req.closes_at) {
        return Err(AfterschoolError::invalid(
            "add_drop_closes_at",
            "补退选须在报名截止之后结束。",
            "The add/drop round ends after the first round closes.",
        )
        .into());
    }
    if req.decline_hours.is_some_and(|h| !rules::DECLINE_HOURS.contains(&h)) {
        return Err(AfterschoolError::invalid(
            "decline_hours",
            "候补转正后的放弃期限为 1 到 168 小时。",
            "A promoted family's time to decline is 1 to 168 hours.",
        )
        .into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut row = managed_plan(&txn, caller, plan_id).await?;
    if row.enrolment_closed_at.is_some() {
        return Err(AfterschoolError::EnrolmentClosed.into());
    }
    let last_day = school(&txn, row.school_id).await?.local_date(req.add_drop_closes_at.unwrap_or(req.closes_at));
    if last_day > row.term_end {
        return Err(AfterschoolError::invalid(
            "closes_at",
            "报名须在学期结束前截止。",
            "Enrolment closes before the term ends.",
        )
        .into());
    }
    row.enrolment_opens_at = Some(req.opens_at);
    row.enrolment_closes_at = Some(req.closes_at);
    row.add_drop_closes_at = req.add_drop_closes_at;
    row.decline_hours = req.decline_hours.and_then(|h| i16::try_from(h).ok());
    repo::set_window(&txn, &row).await?;
    let view = plan_view(&txn, row, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// Closes every first round that is due: per plan, in one transaction, the lottery is drawn and
/// activities below their minimum size are cancelled. Answers how many plans it closed.
pub async fn close_due(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let mut closed = 0;
    for due in repo::plans_to_close(&state.db, now).await? {
        let txn = crate::infra::db::begin(&state.db).await?;
        if !repo::claim_close(&txn, due.id, now).await? {
            continue;
        }
        let activities = repo::activities(&txn, due.id).await?;
        let mut woken = Vec::new();
        if activities.iter().any(|a| a.allocation == Allocation::Lottery && a.cancelled_at.is_none()) {
            let seed = format!("{:032x}", rand::random::<u128>());
            woken.extend(draw_plan(&txn, &due, seed, Uuid::nil(), now).await?.1);
        }
        // After the draw, so that the seats it gave count.
        for activity in repo::activities(&txn, due.id).await? {
            if activity.cancelled_at.is_none() && rules::below_minimum(activity.seats_taken, activity.min_size) {
                woken.extend(cancel_small(&txn, &activity, now).await?);
            }
        }
        txn.commit().await?;
        closed += 1;
        if !woken.is_empty() {
            woken.sort_unstable();
            woken.dedup();
            state.bus.publish(Wake::items(Some(woken))).await;
        }
    }
    Ok(closed)
}

/// Cancels an activity that did not reach its minimum size: every child's enrolment ends
/// (`cancelled`), a seat's fees are credited by the refund rule, and each family is told.
async fn cancel_small(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    repo::cancel_activity(txn, activity.id, now).await?;
    let school = school(txn, activity.school_id).await?;
    let mut woken = Vec::new();
    for enrolment in repo::standing_enrolments(txn, activity.id).await? {
        repo::move_status(txn, enrolment.id, enrolment.status, EnrolmentStatus::Cancelled, now).await?;
        if enrolment.status == EnrolmentStatus::Enrolled {
            fees::credit_cancelled(txn, activity, enrolment.student_id, now).await?;
        }
        let id = Uuid::new_v4();
        let (name, least, taken) = (&activity.name, activity.min_size, activity.seats_taken);
        let entry = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: id,
            title: format!("「{name}」已取消 / \"{name}\" cancelled"),
            body: format!(
                "报名人数 {taken} 人，未达到最低开班人数 {least} 人，该活动取消；如已缴费，将按未上课次退还。可在补退选时选择其他活动。\n\
                 {taken} enrolled, below the minimum of {least}: the activity is cancelled; fees paid are refunded for the sessions not held. Choose another activity in the add/drop round."
            ),
            sender_name: school.name.clone(),
            urgent: false,
            needs_response: false,
            subject_id: None,
        };
        woken.extend(tell_family(txn, school.id, enrolment.student_id, entry, now).await?);
    }
    Ok(woken)
}
