//! HTTP endpoints for devices, notification preferences and school messaging settings.

use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::dto::{Device, FailedDelivery, Preferences, RegisterDevice, SchoolSettings};
use super::service;
use crate::access;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::http::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Register this device's push token (again after the platform rotates it).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    request_body = RegisterDevice,
    responses(
        (status = 201, body = Device),
        (status = 422, description = "`validation_failed`: empty or oversized token, unknown platform", body = ErrorBody),
    )
)]
#[post("/devices")]
pub async fn register_device(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<RegisterDevice>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::register_device(&state, &user, body.into_inner()).await?))
}

/// Forget one of the caller's devices (sign-out on that phone).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    params(("device_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "`not_found`: not the caller's device", body = ErrorBody),
    )
)]
#[delete("/devices/{device_id}")]
pub async fn remove_device(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    service::remove_device(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's notification preferences (defaults: Chinese, push and email for everything).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Preferences),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    )
)]
#[get("/me/preferences")]
pub async fn get_preferences(state: web::Data<AppState>, user: Caller) -> ApiResult<web::Json<Preferences>> {
    Ok(web::Json(service::preferences(&state, &user).await?))
}

/// Replace the caller's notification preferences.
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    request_body = Preferences,
    responses(
        (status = 200, body = Preferences),
        (status = 422, description = "`validation_failed`: unknown locale or kind", body = ErrorBody),
    )
)]
#[put("/me/preferences")]
pub async fn put_preferences(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<Preferences>,
) -> ApiResult<web::Json<Preferences>> {
    Ok(web::Json(service::set_preferences(&state, &user, body.into_inner()).await?))
}

/// A school's messaging settings: quiet hours, office hours, digest time (its staff).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = SchoolSettings),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/messaging-settings")]
pub async fn get_school_settings(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SchoolSettings>> {
    let member = access::staff_member(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::school_settings(&state, &member).await?))
}

/// Set a school's messaging settings (its admins).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = SchoolSettings,
    responses(
        (status = 200, body = SchoolSettings),
        (status = 403, description = "`forbidden`: staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
        (status = 422, description = "`validation_failed`: times are HH:MM", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/messaging-settings")]
pub async fn put_school_settings(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<SchoolSettings>,
) -> ApiResult<web::Json<SchoolSettings>> {
    let admin = access::school_admin(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::set_school_settings(&state, &admin, body.into_inner()).await?))
}

/// What finally failed to reach the school's families by push or email, after a day of retries
/// (its admins: someone can phone the family; the items are still in their inboxes).
#[utoipa::path(
    tag = "delivery",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, body = Page<FailedDelivery>),
        (status = 403, description = "`forbidden`: staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
        (status = 422, description = "`validation_failed`: bad cursor or limit", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/failed-deliveries")]
pub async fn failed_deliveries(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<FailedDelivery>>> {
    let admin = access::school_admin(&state.db, &user, path.into_inner()).await?;
    Ok(web::Json(service::failed_deliveries(&state, &admin, &page).await?))
}
