//! HTTP endpoints of the guard: lint a draft before sending (the same check runs on every send),
//! and the bureau's counts of refused sends.

use actix_web::{get, post, web};
use uuid::Uuid;

use super::dto::{BlockedSends, CheckRequest, CheckResponse, RangeQuery};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Check a draft against the content rules (`HW_PARENT_BURDEN`, `HW_SELF_GRADING`,
/// `EXAM_NO_RANKING`). Answers every violation with its span, an explanation and a suggestion.
#[utoipa::path(
    tag = "policy",
    security(("bearer" = [])),
    request_body = CheckRequest,
    responses(
        (status = 200, body = CheckResponse),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: unknown channel or audience", body = ErrorBody),
    )
)]
#[post("/policy/check")]
pub async fn check_draft(_user: Caller, body: web::Json<CheckRequest>) -> ApiResult<web::Json<CheckResponse>> {
    Ok(web::Json(service::check_draft(&body)))
}

/// Sends the content and homework rules refused in the district (`outcome: blocked`) and sends
/// held for review that their sender confirmed (`outcome: sent_after_review`), counted by rule,
/// channel, school and day — never the text or the sender (bureau officers of the district).
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), RangeQuery),
    responses(
        (status = 200, body = BlockedSends),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/blocked-sends")]
pub async fn blocked_sends(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<RangeQuery>,
) -> ApiResult<web::Json<BlockedSends>> {
    let items = service::blocked_sends(&state, &user, path.into_inner(), query.from, query.to).await?;
    Ok(web::Json(BlockedSends { items }))
}
