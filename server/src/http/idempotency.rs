//! `Idempotency-Key` on POST: a mobile client that retries a request (flaky network, app killed
//! mid-send) gets the first response again, and nothing is created twice.
//!
//! Keys are per account (the bearer token's subject), kept 24 hours. The same key with a
//! different request is refused (`422 idempotency_key_reused`); a retry while the first request
//! is still running waits for nothing and answers `409 idempotency_in_progress`. Responses of 5xx
//! are not kept, so a retry after a server error runs again. Applies to JSON (and empty) bodies.

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse, web};
use chrono::Duration;
use uuid::Uuid;

use crate::error::{ApiError, Code};
use crate::http::extractors::bearer_token;
use crate::infra::digest::sha256_hex;
use crate::infra::idempotency_store::{self as store, StoredResponse};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;
/// Paths whose answers are never remembered.
const SECRET_BEARING_PREFIX: &str = "/api/v1/auth/";
/// Longest key accepted (after trimming spaces), in bytes.
pub const MAX_KEY_LEN: usize = 128;

/// Answers with `error`, rendered here, inside the request's language (an `Err` would be rendered
/// after the language middleware has finished, always in zh-CN).
fn reject(req: ServiceRequest, error: ApiError) -> Result<ServiceResponse<BoxBody>, Error> {
    Ok(req.into_response(error.error_response()))
}

pub async fn idempotent(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(|k| k.trim().to_owned());
    let json_or_empty =
        req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(|ct| ct.contains("json"));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    // Sign-in answers carry secrets (token pairs) and have their own retry rules (a refresh token
    // works once): they are never stored here, in clear, to be replayed to whoever holds the key.
    let secret_bearing = req.path().starts_with(SECRET_BEARING_PREFIX);
    let (Some(key), true, true, false, Some(state)) =
        (key, req.method() == actix_web::http::Method::POST, json_or_empty, secret_bearing, state)
    else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return reject(
            req,
            ApiError::validation(
                "Idempotency-Key",
                "Idempotency-Key 须为 1 到 128 个字符。",
                "Idempotency-Key must be 1–128 characters.",
            ),
        );
    }
    // Only authenticated requests are remembered: the key belongs to an account.
    let Some(claims) = bearer_token(req.headers()).and_then(|t| state.jwt.verify(t, state.clock.now())) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let account_id: Uuid = claims.sub;
    // A signed-out (or otherwise ended) session gets nothing here, least of all a replay of an
    // answer it received while it was live.
    match (state.session_live)(&state, claims.sid, claims.sub).await {
        Ok(true) => {}
        Ok(false) => return reject(req, ApiError::unauthenticated()),
        Err(error) => return reject(req, ApiError::from(error)),
    }

    let mut req = req;
    let Ok(body) = req.extract::<Bytes>().await else {
        return reject(req, crate::http::payload::payload_too_large());
    };
    let fingerprint = sha256_hex(&format!("{} {}\n{}", req.method(), req.path(), String::from_utf8_lossy(&body)));
    req.set_payload(Payload::from(body));

    let now = state.clock.now();
    let existing = match store::find(&state.db, account_id, &key).await {
        Ok(existing) => existing,
        Err(error) => return reject(req, ApiError::from(error)),
    };
    match existing {
        Some(found) if found.created_at > now - Duration::hours(KEEP_HOURS) => {
            if found.fingerprint != fingerprint {
                return reject(req, ApiError::new(Code::IdempotencyKeyReused));
            }
            let Some(status) = found.status else { return reject(req, ApiError::new(Code::IdempotencyInProgress)) };
            let mut response = HttpResponse::build(StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK));
            if let Some(ct) = found.content_type {
                response.insert_header((CONTENT_TYPE, ct));
            }
            response.insert_header(("Idempotent-Replayed", "true"));
            let response = response.body(found.body.unwrap_or_default());
            return Ok(req.into_response(response));
        }
        Some(_) => {
            // Expired: forget it and treat the request as new.
            if let Err(error) = store::release(&state.db, account_id, &key).await {
                return reject(req, ApiError::from(error));
            }
        }
        None => {}
    }
    match store::claim(&state.db, account_id, &key, &fingerprint, now).await {
        Ok(true) => {}
        Ok(false) => return reject(req, ApiError::new(Code::IdempotencyInProgress)), // another request with this key got there first
        Err(error) => return reject(req, ApiError::from(error)),
    }

    let response = match next.call(req).await {
        Ok(r) => r,
        Err(error) => {
            // Nothing to remember: free the key so the client can retry.
            release_logged(&state, account_id, &key).await;
            return Err(error);
        }
    };
    let status = response.status();
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (http_req, http_res) = response.into_parts();
    let (head, body) = http_res.into_parts();
    let bytes = to_bytes(body).await.unwrap_or_default();
    if status.is_server_error() {
        release_logged(&state, account_id, &key).await;
    } else {
        let stored = StoredResponse { status: status.as_u16(), body: &bytes, content_type: content_type.as_deref() };
        if let Err(error) = store::complete(&state.db, account_id, &key, &stored).await {
            // The request has done its work: answer it. The key stays claimed, so a retry is told
            // the request is in progress (until the key expires) and never runs it a second time.
            tracing::error!(%account_id, status = status.as_u16(), "cannot remember the response of an Idempotency-Key: {error}");
        }
    }
    Ok(ServiceResponse::new(http_req, head.set_body(BoxBody::new(bytes))))
}

/// Frees a key after a failed request; a failure to do so is logged (the key then expires).
async fn release_logged(state: &AppState, account_id: Uuid, key: &str) {
    if let Err(error) = store::release(&state.db, account_id, key).await {
        tracing::error!(%account_id, "cannot free an Idempotency-Key after a failed request: {error}");
    }
}

/// Forgets keys older than a day (a scheduled job).
pub async fn forget_expired(state: &AppState) -> Result<u64, sea_orm::DbErr> {
    store::forget_older_than(&state.db, state.clock.now() - Duration::hours(KEEP_HOURS)).await
}
