//! Why authentication failed, and how each reason is answered.

use crate::auth::credentials::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, PasswordProblem};
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
    WeakPassword { field: &'static str, problem: PasswordProblem },
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::InvalidCredentials => ApiError::new(Code::InvalidCredentials),
            AuthError::InvalidActivationCode => ApiError::new(Code::InvalidActivationCode),
            AuthError::RefreshTokenInvalid => ApiError::new(Code::RefreshTokenInvalid),
            AuthError::RefreshTokenReused => ApiError::new(Code::RefreshTokenReused),
            AuthError::WeakPassword { field, problem } => {
                let (zh, en) = match problem {
                    PasswordProblem::Length => (
                        format!("密码长度须为 {MIN_PASSWORD_CHARS} 到 {MAX_PASSWORD_CHARS} 个字符。"),
                        format!("The password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long."),
                    ),
                    PasswordProblem::Blank => ("密码不能全是空格。".to_owned(), "The password cannot be all spaces.".to_owned()),
                    PasswordProblem::Guessable => (
                        "这个密码太常见或太容易猜到（如 12345678、password、键盘连按、手机号），请换一个：几个词组成的长句最好记也最安全。".to_owned(),
                        "This password is too common or easy to guess (like 12345678, password, a keyboard walk or your phone number): choose another; a few words strung together are easiest to remember and hardest to guess.".to_owned(),
                    ),
                };
                ApiError::new(Code::WeakPassword)
                    .with_message(Message::new(zh, en))
                    .with_details(serde_json::json!({ "field": field, "reason": problem.as_str() }))
            }
        }
    }
}

impl From<crate::auth::credentials::HashersBusy> for ApiError {
    fn from(_: crate::auth::credentials::HashersBusy) -> Self {
        ApiError::busy(1)
    }
}
