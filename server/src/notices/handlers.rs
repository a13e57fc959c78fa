//! HTTP endpoints of `/api/v1/notices`.

use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use super::dto::{
    CreateNoticeRequest, MyResponse, Notice, Preview, PreviewRequest, Receipts, ReceiptsQuery, Reminded, ReplyRequest,
};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::http::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Count who a notice would reach, before sending it.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    request_body = PreviewRequest,
    responses(
        (status = 200, body = Preview),
        (status = 403, description = "`forbidden`: the audience is beyond the caller's reach", body = ErrorBody),
        (status = 404, description = "`not_found`: a school, class or guardian that is not the caller's", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/notices/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<PreviewRequest>,
) -> ApiResult<web::Json<Preview>> {
    Ok(web::Json(service::preview(&state, &user, &body).await?))
}

/// Send a notice (now, or at `send_at`). Checked against the content rules first: a blocked
/// notice answers 422 with the rule's code (e.g. `exam_no_ranking`) and nothing is stored.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    request_body = CreateNoticeRequest,
    responses(
        (status = 201, description = "Sent (`sent_at` set); or, for 2,000 recipients or more, committed and being delivered to every inbox right after this answer (`sent_at` follows within seconds); or scheduled (`send_at`). `recipient_count` says how many it reaches", body = Notice),
        (status = 403, description = "`forbidden`: beyond the caller's reach, or `urgent` from a non-admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`, or a content rule such as `exam_no_ranking` with `details.violations`; `content_needs_review`: held until reworded or sent again with `confirm_review`", body = ErrorBody),
    )
)]
#[post("/notices")]
pub async fn create(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<CreateNoticeRequest>,
) -> ApiResult<HttpResponse> {
    let notice = service::create(&state.into_inner(), &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(notice))
}

/// Notices the caller sent (school admins: all of their school's), newest first.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = Page<Notice>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    )
)]
#[get("/notices")]
pub async fn list_sent(
    state: web::Data<AppState>,
    user: Caller,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<Notice>>> {
    Ok(web::Json(service::list_sent(&state, &user, &page).await?))
}

/// One notice: for a recipient with the children it concerns and their own answer.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    responses(
        (status = 200, body = Notice),
        (status = 404, description = "`not_found`: not addressed to the caller", body = ErrorBody),
    )
)]
#[get("/notices/{notice_id}")]
pub async fn get(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Notice>> {
    Ok(web::Json(service::view(&state, &user, path.into_inner()).await?))
}

/// Mark a received notice read (opening it).
#[utoipa::path(
    operation_id = "mark_notice_read",
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    responses(
        (status = 200, body = MyResponse),
        (status = 404, description = "`not_found`: not addressed to the caller", body = ErrorBody),
    )
)]
#[post("/notices/{notice_id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MyResponse>> {
    Ok(web::Json(service::mark_read(&state, &user, path.into_inner()).await?))
}

/// Confirm (收到) a `confirm` notice.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    responses(
        (status = 200, body = MyResponse),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`wrong_response_mode`, `deadline_passed` or `notice_recalled`", body = ErrorBody),
    )
)]
#[post("/notices/{notice_id}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MyResponse>> {
    Ok(web::Json(service::confirm(&state, &user, path.into_inner()).await?))
}

/// Reply to a `reply` notice with one of its options (again to change the answer).
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    request_body = ReplyRequest,
    responses(
        (status = 200, body = MyResponse),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`wrong_response_mode`, `deadline_passed` or `notice_recalled`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not one of the options, or text too long", body = ErrorBody),
    )
)]
#[post("/notices/{notice_id}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ReplyRequest>,
) -> ApiResult<web::Json<MyResponse>> {
    Ok(web::Json(service::reply(&state, &user, path.into_inner(), body.into_inner()).await?))
}

/// Receipts: read / unread / confirmed / not confirmed, per class (sender and school admins).
/// A notice to several classes answers each class's counts; `?class_id=` adds that class's names.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path), ReceiptsQuery),
    responses(
        (status = 200, body = Receipts),
        (status = 403, description = "`forbidden`: a recipient, not a manager", body = ErrorBody),
        (status = 404, description = "`not_found`: the notice, or a `class_id` it did not reach", body = ErrorBody),
    )
)]
#[get("/notices/{notice_id}/receipts")]
pub async fn receipts(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<ReceiptsQuery>,
) -> ApiResult<web::Json<Receipts>> {
    Ok(web::Json(service::receipts(&state, &user, path.into_inner(), query.class_id).await?))
}

/// Recall a notice within 24 hours of sending; recipients then see it as recalled.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    responses(
        (status = 200, body = Notice),
        (status = 403, description = "`forbidden`: a recipient, not a manager", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`recall_window_passed` or `notice_recalled`", body = ErrorBody),
    )
)]
#[post("/notices/{notice_id}/recall")]
pub async fn recall(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Notice>> {
    Ok(web::Json(service::recall(&state, &user, path.into_inner()).await?))
}

/// Remind everyone who has not read (or, for confirm and reply notices, answered); at most once
/// per 6 hours per notice. Reminders respect quiet hours.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = [])),
    params(("notice_id" = Uuid, Path)),
    responses(
        (status = 200, body = Reminded),
        (status = 403, description = "`forbidden`: a recipient, not a manager", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`notice_recalled` or `not_sent_yet`", body = ErrorBody),
        (status = 429, description = "`remind_too_soon`, with `Retry-After`", body = ErrorBody),
    )
)]
#[post("/notices/{notice_id}/remind")]
pub async fn remind(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Reminded>> {
    Ok(web::Json(service::remind(&state, &user, path.into_inner()).await?))
}
