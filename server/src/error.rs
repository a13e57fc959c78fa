//! The one error envelope of the API: `{"code", "message", "details", "request_id"}`.
//!
//! `code` is stable (clients switch on it); `message` follows `Accept-Language` (zh-CN by default,
//! English on request); `details` carries structured context (which field, which row, which
//! rule). Internal causes are logged with their whole chain and never serialised: a 5xx is a bug.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::i18n::{Lang, current_lang};
use crate::telemetry::current_request_id;

/// A message in both languages the product speaks.
#[derive(Debug, Clone)]
pub struct Message {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Message {
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self { zh: zh.into(), en: en.into() }
    }

    pub fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// What every failed request answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `invalid_credentials`, `not_found`, `roster_invalid`.
    #[schema(example = "validation_failed")]
    pub code: &'static str,
    /// Human-readable explanation in the language asked for by `Accept-Language`.
    pub message: String,
    /// Structured context; its shape depends on `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// The request's id, as in the `X-Request-Id` response header: quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "0b9c6f1e-5d2a-4c3b-9e8f-7a6b5c4d3e2f")]
    pub request_id: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Message,
    pub details: Option<Value>,
    /// The internal cause, logged and never shown.
    pub cause: Option<anyhow::Error>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message.en)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause:#}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: Message) -> Self {
        Self { status, code, message, details: None, cause: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", Message::new("请先登录。", "Sign in first."))
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            Message::new("您的角色无权执行此操作。", "Your role does not allow this action."),
        )
    }

    /// Also the answer for records that exist but are not the caller's: never reveal that another
    /// family's (or school's) record exists.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", Message::new("未找到。", "Not found."))
    }

    /// A field of the request is missing or malformed.
    pub fn validation(field: &str, zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Message::new(zh, en))
            .with_details(serde_json::json!({ "field": field }))
    }

    pub fn conflict(code: &'static str, message: Message) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            Message::new("尝试次数过多，请稍后再试。", "Too many attempts; try again later."),
        )
        .with_details(serde_json::json!({ "retry_after_secs": retry_after_secs }))
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            Message::new("服务器内部错误，我们已记录。", "Internal error; it has been logged."),
        );
        error.cause = Some(cause.into());
        error
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            tracing::error!(code = self.code, "request failed: {self}");
        }
        let body = ErrorBody {
            code: self.code,
            message: self.message.in_lang(current_lang()).to_owned(),
            details: self.details.clone(),
            request_id: current_request_id().map(|id| id.to_string()),
        };
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::TOO_MANY_REQUESTS
            && let Some(secs) = self.details.as_ref().and_then(|d| d["retry_after_secs"].as_u64())
        {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response.json(body)
    }
}

/// Database failures are bugs or outages, never the client's fault.
impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        ApiError::internal(error)
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(error: sea_orm::TransactionError<ApiError>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => ApiError::internal(db),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
