//! Why a notice action was refused.

use crate::error::{ApiError, Code};

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
    #[error("the audience reaches no one")]
    NoRecipients,
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
        match error {
            NoticeError::Invalid { field, zh, en } => ApiError::validation(field, zh, en),
            NoticeError::Recalled => ApiError::new(Code::NoticeRecalled),
            NoticeError::DeadlinePassed => ApiError::new(Code::DeadlinePassed),
            NoticeError::WrongResponseMode => ApiError::new(Code::WrongResponseMode),
            NoticeError::RecallWindowPassed => ApiError::new(Code::RecallWindowPassed),
            NoticeError::RemindTooSoon { retry_after_secs } => ApiError::new(Code::RemindTooSoon)
                .with_details(serde_json::json!({ "retry_after_secs": retry_after_secs })),
            NoticeError::NotSentYet => ApiError::new(Code::NotSentYet),
            NoticeError::NoRecipients => ApiError::new(Code::NoRecipients),
        }
    }
}
