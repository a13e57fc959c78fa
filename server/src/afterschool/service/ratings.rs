//! Families' evaluation of after-school activities (`AS_EVALUATION`, 多方评价机制): a guardian
//! with full access rates each activity their child holds a seat in (1–5, with an optional comment
//! that passes the content guard like any text sent to the school); a new rating replaces the old.
//! The school's admins read every activity's figures ([`evaluation`]) and the comments, never who
//! wrote them; the person in charge of an activity reads its figures alone.

use std::collections::HashMap;

use uuid::Uuid;

use super::super::dto::{ActivityRatings, PlanRatings, RateActivity, Rating, RatingComment};
use super::super::error::AfterschoolError;
use super::super::evaluation::{self, RATINGS};
use super::super::model::{EnrolmentStatus, activity, rating};
use super::super::repo;
use super::optional;
use crate::access::{self, Caller, GuardianOfChild};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

/// Longest comment on a rating, in characters.
pub const COMMENT_MAX_CHARS: usize = 500;

/// The caller as a full guardian of the child, and the activity of the child's school the child
/// holds a seat in: another family's child or school answers 404, an informational guardian 403,
/// a child without a seat 422.
async fn rated_activity(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    activity_id: Uuid,
    student_id: Uuid,
) -> ApiResult<(GuardianOfChild, activity::Model)> {
    let guardian = access::acting_guardian_of(db, caller, student_id).await?;
    let activity = repo::activity(db, activity_id)
        .await?
        .filter(|a| a.school_id == guardian.student.school_id)
        .ok_or_else(ApiError::not_found)?;
    let seated =
        repo::enrolment(db, activity_id, student_id).await?.is_some_and(|e| e.status == EnrolmentStatus::Enrolled);
    if !seated {
        return Err(AfterschoolError::invalid(
            "student_id",
            "孩子没有参加这个活动，不能评价。",
            "The child does not attend this activity, so it cannot be rated.",
        )
        .into());
    }
    Ok((guardian, activity))
}

/// A full guardian rates an activity their child attends; rating it again replaces the rating.
/// The comment (the school alone reads it) passes the content rules like any message.
pub async fn rate(
    state: &AppState,
    caller: &Caller,
    activity_id: Uuid,
    student_id: Uuid,
    req: RateActivity,
) -> ApiResult<Rating> {
    if !RATINGS.contains(&req.rating) {
        let (least, most) = (RATINGS.start(), RATINGS.end());
        return Err(AfterschoolError::invalid(
            "rating",
            format!("评分须为 {least} 到 {most}。"),
            format!("The rating is {least} to {most}."),
        )
        .into());
    }
    let comment = optional("comment", &req.comment, COMMENT_MAX_CHARS)?.unwrap_or_default();
    let confirmed = guard::confirmations(&req.confirm_review)?;
    let now = state.clock.now();

    // The comment passes the content rules once the caller is known to rate this activity, before
    // the write opens: a refusal is counted in its own write.
    rated_activity(&state.db, caller, activity_id, student_id).await?;
    // A family's comment is not a school's send: a refusal is not counted against the school in
    // the bureau's figures of refused sends.
    let sender = guard::Sender { district_id: None, school_id: None };
    let found = policy::check(&[Field { name: "comment", text: &comment }], Channel::Message, Audience::OneFamily);
    let reviewed = guard::screen(&state.db, found, &confirmed, Channel::Message, sender, now).await?;

    let txn = crate::infra::db::begin(&state.db).await?;
    rated_activity(&txn, caller, activity_id, student_id).await?;
    let row = rating::Model {
        activity_id,
        student_id,
        rating: i16::from(req.rating),
        comment,
        rated_by: caller.account_id,
        updated_at: now,
    };
    repo::upsert_rating(&txn, row.clone()).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Message, sender, now).await?;
    txn.commit().await?;
    Ok(Rating { activity_id, student_id, rating: req.rating, comment: row.comment, updated_at: now })
}

/// The families' ratings of a plan's activities (cancelled ones left out), for its school: an
/// admin reads every activity with its comments; other staff the activities they are in charge of,
/// figures only. Nobody reads who rated. Anyone else gets 404.
pub async fn plan_ratings(state: &AppState, caller: &Caller, plan_id: Uuid) -> ApiResult<PlanRatings> {
    let db = &state.db;
    let plan = repo::plan(db, plan_id).await?.ok_or_else(ApiError::not_found)?;
    let member = access::staff_member(db, caller, plan.school_id).await?;
    let admin = member.staff.is_school_admin;
    let activities: Vec<activity::Model> = repo::activities(db, plan_id)
        .await?
        .into_iter()
        .filter(|a| a.cancelled_at.is_none() && (admin || a.in_charge_account_id == Some(caller.account_id)))
        .collect();
    let mut by_activity: HashMap<Uuid, Vec<rating::Model>> = HashMap::new();
    for row in repo::ratings_of(db, activities.iter().map(|a| a.id).collect()).await? {
        by_activity.entry(row.activity_id).or_default().push(row);
    }
    let items = activities
        .into_iter()
        .map(|a| {
            let rows = by_activity.remove(&a.id).unwrap_or_default();
            let scores: Vec<u8> = rows.iter().map(|r| u8::try_from(r.rating).unwrap_or(0)).collect();
            let (average, count) = evaluation::average(&scores);
            let comments = match admin {
                true => rows
                    .into_iter()
                    .filter(|r| !r.comment.is_empty())
                    .map(|r| RatingComment {
                        rating: u8::try_from(r.rating).unwrap_or(0),
                        comment: r.comment,
                        updated_at: r.updated_at,
                    })
                    .collect(),
                false => Vec::new(),
            };
            ActivityRatings {
                activity_id: a.id,
                name: a.name,
                count,
                average,
                distribution: evaluation::distribution(&scores),
                comments,
            }
        })
        .collect();
    Ok(PlanRatings { plan_id, items })
}
