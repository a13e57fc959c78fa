//! Organisation errors and their answers.

use super::model::NAME_MAX_CHARS;
use crate::error::{ApiError, Code};
use crate::input::visible_text;

#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    #[error("a school with this name exists in the district")]
    SchoolExists,
    #[error("invalid login")]
    InvalidLogin { field: &'static str },
    #[error("name empty or too long")]
    InvalidName { field: &'static str },
    #[error("unknown time zone")]
    UnknownTimeZone,
    #[error("invalid cursor")]
    InvalidCursor,
}

impl From<OrgError> for ApiError {
    fn from(error: OrgError) -> Self {
        match error {
            OrgError::SchoolExists => ApiError::new(Code::SchoolExists),
            OrgError::InvalidLogin { field } => ApiError::validation(
                field,
                "须为 11 位手机号或电子邮箱。",
                "Must be an 11-digit mainland mobile number or an email address.",
            ),
            OrgError::InvalidName { field } => ApiError::validation(
                field,
                format!("名称不能为空，且不超过 {NAME_MAX_CHARS} 个字符。"),
                format!("Must not be blank and at most {NAME_MAX_CHARS} characters."),
            ),
            OrgError::UnknownTimeZone => ApiError::validation("time_zone", "未知的时区。", "Unknown time zone."),
            OrgError::InvalidCursor => ApiError::invalid_cursor(),
        }
    }
}

/// A name: not blank, at most [`NAME_MAX_CHARS`] characters; trimmed.
pub fn valid_name(raw: &str, field: &'static str) -> Result<String, OrgError> {
    visible_text(raw, NAME_MAX_CHARS).map(str::to_owned).ok_or(OrgError::InvalidName { field })
}
