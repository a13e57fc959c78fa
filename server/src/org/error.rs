//! Organisation errors and their answers.

use crate::error::{ApiError, Code};

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
            OrgError::InvalidName { field } => {
                ApiError::validation(field, "名称不能为空，且不超过 100 个字符。", "Must be 1–100 characters.")
            }
            OrgError::UnknownTimeZone => ApiError::validation("time_zone", "未知的时区。", "Unknown time zone."),
            OrgError::InvalidCursor => ApiError::invalid_cursor(),
        }
    }
}

/// A trimmed name of 1–100 characters.
pub fn valid_name(raw: &str, field: &'static str) -> Result<String, OrgError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OrgError::InvalidName { field });
    }
    Ok(name.to_owned())
}
