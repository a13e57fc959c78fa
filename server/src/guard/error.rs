//! Why the guard refused: a send that broke content rules, or a count query out of range. The
//! one mapping to the API's answers.

use actix_web::http::StatusCode;

use super::dto::violations_dto;
use crate::error::{ApiError, Message};
use crate::policy::Violation;

#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    /// The text broke at least one content rule; nothing was stored or sent.
    #[error("refused by content rules")]
    Refused(Vec<Violation>),
    /// `from` after `to`, or more than a year between them.
    #[error("invalid date range")]
    InvalidRange,
}

impl From<GuardError> for ApiError {
    fn from(error: GuardError) -> Self {
        match error {
            // 422, the first rule's code, every violation listed.
            GuardError::Refused(violations) => {
                let Some(first) = violations.first() else {
                    return ApiError::internal(anyhow::anyhow!("a refusal without a violation"));
                };
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    first.rule.code(),
                    Message::new(
                        format!("{} 未发送。", first.explanation.zh),
                        format!("{} Nothing was sent.", first.explanation.en),
                    ),
                )
                .with_details(serde_json::json!({ "violations": violations_dto(&violations) }))
            }
            GuardError::InvalidRange => ApiError::validation(
                "from",
                "日期范围须在一年之内，且 from 不晚于 to。",
                "The range is at most a year, with from not after to.",
            ),
        }
    }
}
