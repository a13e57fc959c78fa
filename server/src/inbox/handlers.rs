//! HTTP endpoints of `/api/v1/inbox`.

use actix_web::{get, web};

use super::dto::{InboxItem, InboxQuery, UnreadCount};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::http::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Everything addressed to the caller, newest first, across all children and schools.
#[utoipa::path(
    operation_id = "list_inbox",
    tag = "inbox",
    security(("bearer" = [])),
    params(InboxQuery, PageQuery),
    responses(
        (status = 200, body = Page<InboxItem>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: bad cursor or limit", body = ErrorBody),
    )
)]
#[get("/inbox")]
pub async fn list(
    state: web::Data<AppState>,
    user: Caller,
    filter: web::Query<InboxQuery>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<InboxItem>>> {
    Ok(web::Json(service::list(&state, &user, &filter, &page).await?))
}

/// How many inbox items are unread (for the app badge).
#[utoipa::path(
    tag = "inbox",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UnreadCount),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    )
)]
#[get("/inbox/unread-count")]
pub async fn unread_count(state: web::Data<AppState>, user: Caller) -> ApiResult<web::Json<UnreadCount>> {
    Ok(web::Json(service::unread_count(&state, &user).await?))
}
