//! `POST /api/v1/policy/check`: lint a draft before sending. The same check runs on every send.

use actix_web::{post, web};

use super::dto::{CheckRequest, CheckResponse, violations_dto};
use super::{Field, check};
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};

/// Check a draft against the content rules (`HW_PARENT_BURDEN`, `HW_SELF_GRADING`,
/// `EXAM_NO_RANKING`). Answers every violation with its span, an explanation and a suggestion.
#[utoipa::path(
    tag = "policy",
    security(("bearer" = [])),
    request_body = CheckRequest,
    responses(
        (status = 200, body = CheckResponse),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: unknown channel or audience", body = ErrorBody),
    )
)]
#[post("/policy/check")]
pub async fn check_draft(_user: Caller, body: web::Json<CheckRequest>) -> ApiResult<web::Json<CheckResponse>> {
    let mut fields = Vec::new();
    if let Some(title) = &body.title {
        fields.push(Field { name: "title", text: title });
    }
    fields.push(Field { name: "text", text: &body.text });
    let violations = check(&fields, body.channel, body.audience);
    Ok(web::Json(CheckResponse { violations: violations_dto(&violations) }))
}
