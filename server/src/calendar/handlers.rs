//! HTTP endpoints of the school calendar.

use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::dto::{Term, TermInput, TermList};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// The school's terms with their holidays and make-up days, the earliest first (its staff, its
/// district's officers and its pupils' families).
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = TermList),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/terms")]
pub async fn terms(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<TermList>> {
    Ok(web::Json(service::list(&state, &caller, path.into_inner()).await?))
}

/// A school admin defines a term: its dates, holidays and make-up days (调休). Every domain that
/// counts school days (after-school fees and roll calls, mentoring periods) follows it.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = TermInput,
    responses(
        (status = 201, body = Term),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`term_overlaps`: another term shares days with it (`details.term_id`)", body = ErrorBody),
        (status = 422, description = "`term_invalid` (`details.problem`); `validation_failed`", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/terms")]
pub async fn define_term(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<TermInput>,
) -> ApiResult<HttpResponse> {
    let term = service::define(&state, &caller, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(term))
}

/// A school admin changes a term: the whole term is replaced, holidays and make-up days included.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("term_id" = Uuid, Path)),
    request_body = TermInput,
    responses(
        (status = 200, body = Term),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`term_overlaps`: another term shares days with it (`details.term_id`)", body = ErrorBody),
        (status = 422, description = "`term_invalid` (`details.problem`); `validation_failed`", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/terms/{term_id}")]
pub async fn replace_term(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<TermInput>,
) -> ApiResult<web::Json<Term>> {
    let (school_id, term_id) = path.into_inner();
    Ok(web::Json(service::replace(&state, &caller, school_id, term_id, body.into_inner()).await?))
}

/// A school admin removes a term; its days follow the plain weekday rule again.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("term_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/schools/{school_id}/terms/{term_id}")]
pub async fn remove_term(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (school_id, term_id) = path.into_inner();
    service::remove(&state, &caller, school_id, term_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
