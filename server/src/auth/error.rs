//! Why authentication failed, and how each reason is answered.

use actix_web::http::StatusCode;

use crate::auth::credentials::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::error::{ApiError, Message};

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
    WeakPassword,
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        let unauthorized = StatusCode::UNAUTHORIZED;
        match error {
            AuthError::InvalidCredentials => ApiError::new(
                unauthorized,
                "invalid_credentials",
                Message::new("账号或密码错误。", "The login or password is wrong."),
            ),
            AuthError::InvalidActivationCode => ApiError::new(
                unauthorized,
                "invalid_activation_code",
                Message::new(
                    "激活码无效或已过期，请联系学校重新获取。",
                    "The activation code is invalid or expired; ask the school for a new one.",
                ),
            ),
            AuthError::RefreshTokenInvalid => ApiError::new(
                unauthorized,
                "refresh_token_invalid",
                Message::new("登录已失效，请重新登录。", "The session has ended; sign in again."),
            ),
            AuthError::RefreshTokenReused => ApiError::new(
                unauthorized,
                "refresh_token_reused",
                Message::new(
                    "检测到刷新令牌被重复使用，为安全起见该设备已退出登录，请重新登录。",
                    "A refresh token was used twice; for safety this session was signed out. Sign in again.",
                ),
            ),
            AuthError::WeakPassword => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "weak_password",
                Message::new(
                    format!("密码长度须为 {MIN_PASSWORD_CHARS} 到 {MAX_PASSWORD_CHARS} 个字符。"),
                    format!("The password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long."),
                ),
            )
            .with_details(serde_json::json!({ "field": "password" })),
        }
    }
}
