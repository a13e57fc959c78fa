//! `Idempotency-Key` on POST: a mobile client that retries a request (flaky network, app killed
//! mid-send) gets the first response again, and nothing is created twice.
//!
//! Keys are per account (the bearer token's subject), kept 24 hours. The same key with a
//! different request is refused (`422 idempotency_key_reused`); a retry while the first request
//! is still running waits for nothing and answers `409 idempotency_in_progress`. Responses of 5xx
//! are not kept, so a retry after a server error runs again. Applies to JSON (and empty) bodies.

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse, web};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::credentials::sha256_hex;
use crate::error::{ApiError, Message};
use crate::startup::AppState;

pub const HEADER: &str = "idempotency-key";
/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub fingerprint: String,
        pub status: Option<i16>,
        pub body: Option<String>,
        pub content_type: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn reject(error: ApiError) -> Result<ServiceResponse<BoxBody>, Error> {
    Err(error.into())
}

fn in_progress() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "idempotency_in_progress",
        Message::new(
            "相同 Idempotency-Key 的请求仍在处理中，请稍后重试。",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
        ),
    )
}

pub async fn idempotent(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(|k| k.trim().to_owned());
    let json_or_empty =
        req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(|ct| ct.contains("json"));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), true, true, Some(state)) =
        (key, req.method() == actix_web::http::Method::POST, json_or_empty, state)
    else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    if key.is_empty() || key.len() > 128 {
        return reject(ApiError::validation(
            "Idempotency-Key",
            "Idempotency-Key 须为 1 到 128 个字符。",
            "Idempotency-Key must be 1–128 characters.",
        ));
    }
    // Only authenticated requests are remembered: the key belongs to an account.
    let token =
        req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(claims) = token.and_then(|t| state.jwt.verify(t.trim(), state.clock.now())) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let account_id: Uuid = claims.sub;

    let mut req = req;
    let Ok(body) = req.extract::<Bytes>().await else {
        return reject(crate::http::payload::payload_too_large());
    };
    let fingerprint = sha256_hex(&format!("{} {}\n{}", req.method(), req.path(), String::from_utf8_lossy(&body)));
    req.set_payload(Payload::from(body));

    let now = state.clock.now();
    let existing =
        idempotency_key::Entity::find_by_id((account_id, key.clone())).one(&state.db).await.map_err(ApiError::from)?;
    match existing {
        Some(found) if found.created_at > now - Duration::hours(KEEP_HOURS) => {
            if found.fingerprint != fingerprint {
                return reject(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    Message::new(
                        "该 Idempotency-Key 已用于另一个请求。",
                        "This Idempotency-Key was used for a different request.",
                    ),
                ));
            }
            let Some(status) = found.status else { return reject(in_progress()) };
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
            idempotency_key::Entity::delete_by_id((account_id, key.clone()))
                .exec(&state.db)
                .await
                .map_err(ApiError::from)?;
        }
        None => {}
    }
    let claim = idempotency_key::ActiveModel {
        account_id: Set(account_id),
        key: Set(key.clone()),
        fingerprint: Set(fingerprint),
        status: Set(None),
        body: Set(None),
        content_type: Set(None),
        created_at: Set(now),
    }
    .insert(&state.db)
    .await;
    if claim.is_err() {
        return reject(in_progress()); // another request with this key got there first
    }

    let response = next.call(req).await;
    let response = match response {
        Ok(r) => r,
        Err(error) => {
            // Nothing to remember: free the key so the client can retry.
            let _ = idempotency_key::Entity::delete_by_id((account_id, key)).exec(&state.db).await;
            return Err(error);
        }
    };
    let status = response.status();
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (http_req, http_res) = response.into_parts();
    let (head, body) = http_res.into_parts();
    let bytes = to_bytes(body).await.unwrap_or_default();
    if status.is_server_error() {
        let _ = idempotency_key::Entity::delete_by_id((account_id, key)).exec(&state.db).await;
    } else {
        let _ = idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::Status, Expr::value(status.as_u16() as i16))
            .col_expr(idempotency_key::Column::Body, Expr::value(String::from_utf8_lossy(&bytes).into_owned()))
            .col_expr(idempotency_key::Column::ContentType, Expr::value(content_type))
            .filter(idempotency_key::Column::AccountId.eq(account_id))
            .filter(idempotency_key::Column::Key.eq(key))
            .exec(&state.db)
            .await;
    }
    Ok(ServiceResponse::new(http_req, head.set_body(BoxBody::new(bytes))))
}

/// Forgets keys older than a day (a scheduled job).
pub async fn forget_expired(state: &AppState) -> Result<u64, sea_orm::DbErr> {
    let cutoff = state.clock.now() - Duration::hours(KEEP_HOURS);
    Ok(idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(cutoff))
        .exec(&state.db)
        .await?
        .rows_affected)
}
