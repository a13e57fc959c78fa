//! Body and parameter parsing configuration: every parse failure becomes the error envelope with
//! a 4xx status and the parser's explanation in `details`.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, Code, Message};
use crate::http::allowed_methods;

/// Largest JSON body accepted.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT_BYTES).error_handler(|error, _req: &HttpRequest| {
        let api = match &error {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => payload_too_large(),
            JsonPayloadError::ContentType => ApiError::new(Code::UnsupportedMediaType),
            JsonPayloadError::Deserialize(e) if e.is_data() => {
                ApiError::new(Code::ValidationFailed).with_details(serde_json::json!({ "reason": e.to_string() }))
            }
            other => ApiError::new(Code::InvalidJson).with_details(serde_json::json!({ "reason": other.to_string() })),
        };
        api.into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _req| {
        ApiError::new(Code::InvalidQuery).with_details(serde_json::json!({ "reason": error.to_string() })).into()
    })
}

/// A path that does not parse (say, an id that is not a UUID) names nothing that exists; unless
/// it is a literal route taken by a template with another method (`GET /notices/preview` reached
/// `GET /notices/{notice_id}`): that is a method the path does not take.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_error: PathError, req| match allowed_methods::wrong_method(req) {
        Some(response) => actix_web::error::InternalError::from_response("method not allowed", response).into(),
        None => ApiError::not_found().into(),
    })
}

pub fn payload_too_large() -> ApiError {
    ApiError::new(Code::PayloadTooLarge)
}

/// A raw upload whose `Content-Type` is not `expected` (say, a roster that is not CSV).
pub fn unsupported_media_type(message: Message) -> ApiError {
    ApiError::new(Code::UnsupportedMediaType).with_message(message)
}

/// Reads a raw body of at most `limit` bytes (CSV rosters, attachments).
pub async fn read_limited(mut body: web::Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(Code::InvalidBody).with_details(serde_json::json!({ "reason": e.to_string() }))
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(payload_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
