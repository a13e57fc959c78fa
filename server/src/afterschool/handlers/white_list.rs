//! HTTP endpoints of the district's white list of outside institutions (`AS_PROVIDERS`).

use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::super::dto::{ListProvider, RenewProvider, WhiteList, WhiteListEntry};
use super::super::service::white_list;
use crate::access::{self, Caller};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// The district's white list with each entry's standing today: for its officers and the admins of
/// its schools (who name an entry for an institution's activity).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = WhiteList),
        (status = 404, description = "`not_found`: not an officer of the district or an admin of one of its schools", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/afterschool/providers")]
pub async fn list_providers(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<WhiteList>> {
    Ok(web::Json(white_list::list(&state, &caller, path.into_inner()).await?))
}

/// Lists an outside institution with its validity dates (bureau officers of the district).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    request_body = ListProvider,
    responses(
        (status = 201, body = WhiteListEntry),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`provider_already_listed`: `details.id` is the entry to renew", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[post("/districts/{district_id}/afterschool/providers")]
pub async fn add_provider(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ListProvider>,
) -> ApiResult<HttpResponse> {
    let officer = access::bureau_officer_of(&state.db, &caller, path.into_inner()).await?;
    Ok(HttpResponse::Created().json(white_list::add(&state, &officer, body.into_inner()).await?))
}

/// New validity dates for a listed institution (bureau officers of the district).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    request_body = RenewProvider,
    responses(
        (status = 200, body = WhiteListEntry),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`provider_removed`: list it again instead", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[put("/districts/{district_id}/afterschool/providers/{provider_id}")]
pub async fn renew_provider(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<RenewProvider>,
) -> ApiResult<web::Json<WhiteListEntry>> {
    let (district_id, provider_id) = path.into_inner();
    let officer = access::bureau_officer_of(&state.db, &caller, district_id).await?;
    Ok(web::Json(white_list::renew(&state, &officer, provider_id, body.into_inner()).await?))
}

/// Takes an institution off the list (the entry stays, marked removed); the admins of schools
/// running its activities are told at once. Removing it again answers the same entry.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("provider_id" = Uuid, Path)),
    responses(
        (status = 200, body = WhiteListEntry),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/districts/{district_id}/afterschool/providers/{provider_id}")]
pub async fn remove_provider(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<WhiteListEntry>> {
    let (district_id, provider_id) = path.into_inner();
    let officer = access::bureau_officer_of(&state.db, &caller, district_id).await?;
    Ok(web::Json(white_list::remove(&state, &officer, provider_id).await?))
}
