//! Body and parameter parsing configuration: every parse failure becomes the error envelope with
//! a 4xx status and the parser's explanation in `details`.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, Message};

/// Largest JSON body accepted.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT_BYTES).error_handler(|error, _req: &HttpRequest| {
        let api = match &error {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => payload_too_large(),
            JsonPayloadError::ContentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                Message::new(
                    "请求体须为 JSON（Content-Type: application/json）。",
                    "The body must be JSON (Content-Type: application/json).",
                ),
            ),
            JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                Message::new("请求字段缺失或类型错误。", "A field is missing or has the wrong type."),
            )
            .with_details(serde_json::json!({ "reason": e.to_string() })),
            other => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                Message::new("请求体不是有效的 JSON。", "The body is not valid JSON."),
            )
            .with_details(serde_json::json!({ "reason": other.to_string() })),
        };
        api.into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _req| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            Message::new("查询参数无效。", "A query parameter is invalid."),
        )
        .with_details(serde_json::json!({ "reason": error.to_string() }))
        .into()
    })
}

/// A path that does not parse (say, an id that is not a UUID) names nothing that exists.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_error: PathError, _req| ApiError::not_found().into())
}

pub fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        Message::new("请求体过大。", "The request body is too large."),
    )
}

/// Answer for routes that do not exist.
pub async fn no_such_route() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_route", Message::new("没有这个接口。", "No such endpoint.")))
}

/// Reads a raw body of at most `limit` bytes (CSV rosters, attachments).
pub async fn read_limited(mut body: web::Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                Message::new("请求体读取失败。", "The body could not be read."),
            )
            .with_details(serde_json::json!({ "reason": e.to_string() }))
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(payload_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
