//! HTTP endpoints of extended care (延时托管, `AS_EXTENDED_CARE`): families apply and withdraw,
//! the school lists and decides.

use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use super::super::dto::{ApplyExtendedCare, DecideExtendedCare, ExtendedCare, ExtendedCareList};
use super::super::service::extended_care;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// A full guardian applies for extended care this term with a reason (201), or changes a pending
/// application; an approved one is answered as it stands (200).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = ApplyExtendedCare,
    responses(
        (status = 200, body = ExtendedCare),
        (status = 201, body = ExtendedCare),
        (status = 403, description = "`forbidden`: a guardian without full access", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`plan_not_published`: the school has no published plan", body = ErrorBody),
        (status = 422, description = "`as_extended_care` (no extended session for the child's grade on a day asked for, `details.weekdays`); `validation_failed`", body = ErrorBody),
    )
)]
#[post("/children/{student_id}/afterschool/extended-care")]
pub async fn apply_extended_care(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ApplyExtendedCare>,
) -> ApiResult<HttpResponse> {
    let (application, created) = extended_care::apply(&state, &caller, path.into_inner(), body.into_inner()).await?;
    Ok(if created { HttpResponse::Created() } else { HttpResponse::Ok() }.json(application))
}

/// The family withdraws its extended-care application.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ExtendedCare),
        (status = 403, description = "`forbidden`: a guardian without full access", body = ErrorBody),
        (status = 404, description = "`not_found`: no application", body = ErrorBody),
    )
)]
#[delete("/children/{student_id}/afterschool/extended-care")]
pub async fn withdraw_extended_care(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ExtendedCare>> {
    Ok(web::Json(extended_care::withdraw(&state, &caller, path.into_inner()).await?))
}

/// The plan's extended-care applications, pending first (its school's admins).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    responses(
        (status = 200, body = ExtendedCareList),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/afterschool/plans/{plan_id}/extended-care")]
pub async fn extended_care_applications(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ExtendedCareList>> {
    Ok(web::Json(extended_care::list_for_plan(&state, &caller, path.into_inner()).await?))
}

/// Approves or declines a child's application (a decline says why); the family is told at once.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    request_body = DecideExtendedCare,
    responses(
        (status = 200, body = ExtendedCare),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: no standing application", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a decline without a reason", body = ErrorBody),
    )
)]
#[post("/afterschool/plans/{plan_id}/extended-care/{student_id}/decision")]
pub async fn decide_extended_care(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<DecideExtendedCare>,
) -> ApiResult<web::Json<ExtendedCare>> {
    let (plan_id, student_id) = path.into_inner();
    Ok(web::Json(extended_care::decide(&state, &caller, plan_id, student_id, body.into_inner()).await?))
}
