//! HTTP endpoints of the after-school fee ledger (`AS_FEES`): the school's view of an activity's
//! accounts, its marks of payments and refunds, and its waivers (减免). Families read their
//! accounts in `GET /children/{id}/afterschool`.

use actix_web::{get, post, put, web};
use uuid::Uuid;

use super::super::dto::{ActivityFees, FeeAccount, FeeWaiver, MarkFee, SetFeeWaiver};
use super::super::service::fees;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Every child's fee account for an activity, with the sums (its school's admins).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path)),
    responses(
        (status = 200, body = ActivityFees),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/afterschool/activities/{activity_id}/fees")]
pub async fn activity_fees(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ActivityFees>> {
    Ok(web::Json(fees::activity_fees(&state, &caller, path.into_inner()).await?))
}

/// Marks money the school received from the family (`payment`, at most what is owed) or paid back
/// to it (`refund`, at most what is owed back). There is no payment gateway.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    request_body = MarkFee,
    responses(
        (status = 200, body = FeeAccount),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: no such account", body = ErrorBody),
        (status = 422, description = "`validation_failed`: an amount beyond what is owed (`details.field` = `amount_fen`)", body = ErrorBody),
    )
)]
#[post("/afterschool/activities/{activity_id}/fees/{student_id}")]
pub async fn mark_fee(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<MarkFee>,
) -> ApiResult<web::Json<FeeAccount>> {
    let (activity_id, student_id) = path.into_inner();
    Ok(web::Json(fees::mark(&state, &caller, activity_id, student_id, body.into_inner()).await?))
}

/// Sets the share of a child's fees the school waives for the plan (减免, 0–100 %, with the
/// reason); seats held now are adjusted at once.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    request_body = SetFeeWaiver,
    responses(
        (status = 200, body = FeeWaiver),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: no such plan, or not a pupil of its school", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[put("/afterschool/plans/{plan_id}/fee-waivers/{student_id}")]
pub async fn set_fee_waiver(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<SetFeeWaiver>,
) -> ApiResult<web::Json<FeeWaiver>> {
    let (plan_id, student_id) = path.into_inner();
    Ok(web::Json(fees::set_waiver(&state, &caller, plan_id, student_id, body.into_inner()).await?))
}
