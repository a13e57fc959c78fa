//! HTTP endpoints of families' evaluation of after-school activities (`AS_EVALUATION`): a
//! guardian rates an activity their child attends; the school reads the figures and comments.

use actix_web::{get, put, web};
use uuid::Uuid;

use super::super::dto::{PlanRatings, RateActivity, Rating};
use super::super::service::ratings;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// A guardian with full access rates an activity their child holds a seat in (1–5, with an
/// optional comment the school alone reads); rating again replaces the rating.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    request_body = RateActivity,
    responses(
        (status = 200, body = Rating),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's child (pickup links included), or another school's activity", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field` (`rating`, `comment`, `student_id`: the child has no seat in the activity, `confirm_review`); `hw_parent_burden` and the other content rules, `content_needs_review`", body = ErrorBody),
    )
)]
#[put("/afterschool/activities/{activity_id}/ratings/{student_id}")]
pub async fn rate_activity(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<RateActivity>,
) -> ApiResult<web::Json<Rating>> {
    let (activity_id, student_id) = path.into_inner();
    Ok(web::Json(ratings::rate(&state, &caller, activity_id, student_id, body.into_inner()).await?))
}

/// Families' ratings of the plan's activities: each activity's count, average and spread, with
/// the comments (never who wrote them) for school admins; other staff see the activities they are
/// in charge of, without comments.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    responses(
        (status = 200, body = PlanRatings),
        (status = 404, description = "`not_found`: no such plan, or not staff of its school", body = ErrorBody),
    )
)]
#[get("/afterschool/plans/{plan_id}/ratings")]
pub async fn plan_ratings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<PlanRatings>> {
    Ok(web::Json(ratings::plan_ratings(&state, &caller, path.into_inner()).await?))
}
