//! Why authentication failed, and how each reason is answered.

use crate::auth::credentials::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::error::{ApiError, Code, Message};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown login, wrong password, or an account not yet activated: one answer for all three,
    /// so sign-in never reveals which logins exist.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("invalid or expired activation code")]
    InvalidActivationCode,
    #[error("refresh token unknown, expired or revoked")]
    RefreshTokenInvalid,
    #[error("refresh token presented twice; session revoked")]
    RefreshTokenReused,
    #[error("password does not meet the policy")]
    /// `field` names the request field holding the password.
    WeakPassword { field: &'static str },
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::InvalidCredentials => ApiError::new(Code::InvalidCredentials),
            AuthError::InvalidActivationCode => ApiError::new(Code::InvalidActivationCode),
            AuthError::RefreshTokenInvalid => ApiError::new(Code::RefreshTokenInvalid),
            AuthError::RefreshTokenReused => ApiError::new(Code::RefreshTokenReused),
            AuthError::WeakPassword { field } => ApiError::new(Code::WeakPassword)
                .with_message(Message::new(
                    format!("密码长度须为 {MIN_PASSWORD_CHARS} 到 {MAX_PASSWORD_CHARS} 个字符。"),
                    format!("The password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long."),
                ))
                .with_details(serde_json::json!({ "field": field })),
        }
    }
}
