//! Why a notice action was refused.

use actix_web::http::StatusCode;

use crate::error::{ApiError, Message};

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("invalid notice field {field}")]
    Invalid { field: &'static str, zh: String, en: String },
    #[error("the notice was recalled")]
    Recalled,
    #[error("the deadline has passed")]
    DeadlinePassed,
    #[error("the notice does not take this kind of answer")]
    WrongResponseMode,
    #[error("recall window passed")]
    RecallWindowPassed,
    #[error("not sent yet")]
    NotSentYet,
    #[error("reminded less than six hours ago")]
    RemindTooSoon { retry_after_secs: i64 },
}

impl NoticeError {
    pub fn invalid(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        NoticeError::Invalid { field, zh: zh.into(), en: en.into() }
    }
}

impl From<NoticeError> for ApiError {
    fn from(error: NoticeError) -> Self {
        let conflict = StatusCode::CONFLICT;
        match error {
            NoticeError::Invalid { field, zh, en } => ApiError::validation(field, zh, en),
            NoticeError::Recalled => ApiError::new(
                conflict,
                "notice_recalled",
                Message::new("该通知已被撤回。", "This notice was recalled."),
            ),
            NoticeError::DeadlinePassed => ApiError::new(
                conflict,
                "deadline_passed",
                Message::new("已过回复截止时间。", "The deadline for answers has passed."),
            ),
            NoticeError::WrongResponseMode => ApiError::new(
                conflict,
                "wrong_response_mode",
                Message::new("该通知不需要这种回复。", "This notice does not take this kind of answer."),
            ),
            NoticeError::RecallWindowPassed => ApiError::new(
                conflict,
                "recall_window_passed",
                Message::new(
                    "通知发出已超过 24 小时，不能撤回。",
                    "A notice can be recalled only within 24 hours of sending.",
                ),
            ),
            NoticeError::RemindTooSoon { retry_after_secs } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "remind_too_soon",
                Message::new("每条通知 6 小时内只能提醒一次。", "A notice can be reminded at most once every 6 hours."),
            )
            .with_details(serde_json::json!({ "retry_after_secs": retry_after_secs })),
            NoticeError::NotSentYet => ApiError::new(
                conflict,
                "not_sent_yet",
                Message::new("该通知尚未发出。", "This notice has not been sent yet."),
            ),
        }
    }
}
