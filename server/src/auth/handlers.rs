//! HTTP endpoints of `/api/v1/auth`.

use actix_web::{HttpResponse, post, web};

use crate::auth::AuthUser;
use crate::auth::dto::{ActivateRequest, ChangePasswordRequest, LoginRequest, RefreshRequest, TokenPair};
use crate::auth::service;
use crate::error::{ApiResult, ErrorBody};
use crate::http::extractors::ClientIp;
use crate::state::AppState;

/// Sign in with a login (mobile number or email) and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords for this account from this address (or from everywhere), or too many attempts from this address", body = ErrorBody),
        (status = 503, description = "`busy` (every password check is in use) or `unavailable` (the shared limits cannot be checked): retry after `Retry-After`", body = ErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    ip: ClientIp,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<TokenPair>> {
    Ok(web::Json(service::login(&state, &body.login, &body.password, ip.0).await?))
}

/// Activate a provisioned account with its one-time code, set its password, and sign in.
#[utoipa::path(
    tag = "auth",
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "Activated and signed in", body = TokenPair),
        (status = 401, description = "`invalid_activation_code`", body = ErrorBody),
        (status = 422, description = "`weak_password`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
        (status = 503, description = "`busy` (every password check is in use) or `unavailable` (the shared limits cannot be checked): retry after `Retry-After`", body = ErrorBody),
    )
)]
#[post("/auth/activate")]
pub async fn activate(
    state: web::Data<AppState>,
    ip: ClientIp,
    body: web::Json<ActivateRequest>,
) -> ApiResult<web::Json<TokenPair>> {
    Ok(web::Json(service::activate(&state, &body.login, &body.code, &body.password, ip.0).await?))
}

/// Exchange a refresh token for a new token pair. The old refresh token stops working; presenting
/// it again signs the session out (`refresh_token_reused`).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenPair),
        (status = 401, description = "`refresh_token_invalid` or `refresh_token_reused`", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: web::Json<RefreshRequest>) -> ApiResult<web::Json<TokenPair>> {
    Ok(web::Json(service::refresh(&state, &body.refresh_token).await?))
}

/// Sign out this session: its access and refresh tokens stop working.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    service::logout(&state, &user).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change the password; every other session of the account is signed out.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "`unauthenticated` or `invalid_credentials` (wrong current password)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: wrong current passwords spend the account's sign-in failure budget", body = ErrorBody),
        (status = 503, description = "`busy` (every password check is in use) or `unavailable` (the shared limits cannot be checked): retry after `Retry-After`", body = ErrorBody),
        (status = 422, description = "`weak_password`", body = ErrorBody),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    ip: ClientIp,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    service::change_password(&state, &user, &body.current_password, &body.new_password, ip.0).await?;
    Ok(HttpResponse::NoContent().finish())
}
