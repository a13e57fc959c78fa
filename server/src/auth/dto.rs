//! Request and response bodies of the auth endpoints.

use super::credentials::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::http::constraints::{FieldRule, Rule};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Mobile number (e.g. `13800138000`, `+86 138 0013 8000`) or email address.
    #[schema(example = "13800138000")]
    pub login: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivateRequest {
    /// The login the code was issued for.
    pub login: String,
    /// The one-time activation code from the school or bureau (case and dashes ignored).
    #[schema(example = "K7M2QW9XRT")]
    pub code: String,
    /// The password to set: 8–128 characters.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from the last sign-in or refresh. Each one works once.
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 8–128 characters.
    pub new_password: String,
}

/// Tokens for a signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Opaque; exchange at `/api/v1/auth/refresh` for a new pair. Single use: store the new one.
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

/// The limits the service enforces on these requests, for the API document.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("ActivateRequest", "password", PASSWORD),
    FieldRule::new("ChangePasswordRequest", "new_password", PASSWORD),
];

/// A new password's length (`credentials::password_problem` also refuses blank and guessable ones).
const PASSWORD: Rule = Rule::Chars { min: MIN_PASSWORD_CHARS, max: MAX_PASSWORD_CHARS };
