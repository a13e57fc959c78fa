//! Signing and verifying access tokens (HS256 JWT). Which session a token names, and whether it
//! is still live, is the auth domain's business.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Claims of an access token. `sid` names the session, so revoking a session ends its access
/// tokens too (checked on every request, through a 5-second per-instance cache: see
/// `infra::session_cache`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)?)
    }

    /// Verifies the signature; expiry is checked against the injected clock, not the system's.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok()?.claims;
        (claims.exp > now.timestamp()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_or_forged_tokens_are_refused() {
        let keys = JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let now = Utc::now();
        let claims =
            Claims { sub: Uuid::new_v4(), sid: Uuid::new_v4(), iat: now.timestamp(), exp: now.timestamp() + 60 };
        let token = keys.sign(&claims).unwrap();
        assert!(keys.verify(&token, now).is_some());
        assert!(keys.verify(&token, now + chrono::Duration::seconds(61)).is_none());
        let other = JwtKeys::from_secret(b"another secret of at least 32 bytes!!");
        assert!(other.verify(&token, now).is_none());
    }
}
