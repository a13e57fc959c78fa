//! The wait list's promotion: when a seat frees, the first child in line who can still take it
//! (no seat since at a clashing time, within the school's weekly limit) takes it, is charged, and
//! the family is told at once: the seat is theirs, and until the offer's end (`decline_by`, the
//! school's hours or 48) they may give it back with everything refunded; after it, a withdrawal
//! follows the pro-rata rule. An entry that cannot take it never blocks the ones behind it, and
//! keeps its place.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::model::{EnrolmentStatus, activity, plan};
use super::super::repo;
use super::super::rules;
use super::{fees, lottery_rules, overlaps, school};
use crate::error::ApiResult;
use crate::inbox::items;
use crate::inbox::model::ItemKind;

/// Gives a freed seat of `activity` to the first child in line who can take it; answers the
/// accounts to wake once the transaction commits (none when nobody could).
pub async fn promote(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    plan: &plan::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    for next in repo::waitlist_in_order(txn, activity.id).await? {
        let clash = repo::active_enrolments(txn, next.student_id).await?.iter().any(|(e, other)| {
            e.status == EnrolmentStatus::Enrolled && other.id != activity.id && overlaps(other, activity)
        });
        if clash || !lottery_rules::within_weekly_limit(txn, plan, next.student_id, activity).await? {
            continue;
        }
        if !repo::take_seat(txn, activity.id).await? {
            return Ok(Vec::new());
        }
        if !repo::move_status(txn, next.id, EnrolmentStatus::Waitlisted, EnrolmentStatus::Enrolled, now).await? {
            // The family withdrew from the line meanwhile: the seat is the next one's.
            repo::free_seat(txn, activity.id).await?;
            continue;
        }
        let until = rules::decline_by(now, plan.decline_hours.and_then(|h| u16::try_from(h).ok()));
        repo::set_decline_by(txn, next.id, until).await?;
        fees::charge_seat(txn, activity, plan, next.student_id, now).await?;
        return tell_family(txn, activity, next.student_id, until, now).await;
    }
    Ok(Vec::new())
}

/// Tells the family the seat is theirs and until when giving it back costs nothing.
async fn tell_family(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    student_id: Uuid,
    decline_by: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    let school = school(txn, activity.school_id).await?;
    let name = crate::org::repo::student_names(txn, vec![student_id]).await?.remove(&student_id).unwrap_or_default();
    let id = Uuid::new_v4();
    let activity_name = &activity.name;
    let until = decline_by.with_timezone(&school.zone()).format("%Y-%m-%d %H:%M");
    let entry = items::Entry {
        kind: ItemKind::Afterschool,
        ref_id: id,
        title: format!("{name}候补转正：「{activity_name}」/ {name} has a seat in \"{activity_name}\""),
        body: format!(
            "候补名额已转正。如不需要，请在 {until} 前在应用中退课，费用全额退还；之后退课按未上课次退费。\n\
             A seat freed and is your child's now. If you do not want it, withdraw in the app before {until} \
             and every fee is refunded; after that, fees are refunded for the sessions not held."
        ),
        sender_name: school.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    super::tell_family(txn, school.id, student_id, entry, now).await
}
