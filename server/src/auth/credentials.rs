//! Secrets and identifiers: login normalisation, password hashing (argon2id), opaque tokens and
//! activation codes (random, stored as SHA-256), and the signed access token (JWT, HS256).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;

/// A sign-in identifier: a mainland mobile number or an email address, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Phone(String),
    Email(String),
}

impl Login {
    /// Accepts `138 0013 8000`, `+86-13800138000`, `Li.Ming@Example.cn`…; refuses anything else.
    pub fn parse(raw: &str) -> Option<Login> {
        let raw = raw.trim();
        if raw.contains('@') {
            let email = raw.to_lowercase();
            let (local, domain) = email.split_once('@')?;
            let valid = !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && email.len() <= 254
                && !email.chars().any(|c| c.is_whitespace() || c.is_control());
            return valid.then_some(Login::Email(email));
        }
        normalise_phone(raw).map(Login::Phone)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Login::Phone(p) | Login::Email(p) => p,
        }
    }
}

/// Canonical mainland mobile number: 11 digits starting with 1, country code and separators removed.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let valid = digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit());
    valid.then(|| digits.to_owned())
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

pub fn password_is_acceptable(password: &str) -> bool {
    let chars = password.chars().count();
    (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// Password hashing is deliberately slow (tens of milliseconds): run it off the async workers so a
/// burst of sign-ins does not stall every other request.
pub async fn hash_password_off_thread(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

/// Verifies against `stored`, or (when there is no account or no password yet) burns the same time
/// on a dummy hash so response times do not tell which logins exist. Off the async workers.
pub async fn verify_password_off_thread(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            dummy_verify(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash to burn the same time as a real verification when the login does not exist, so that
/// response times do not reveal which logins are registered.
fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get_or_init(|| hash_password("not-a-real-password").ok()) {
        let _ = verify_password(password, hash);
    }
}

/// An opaque 256-bit refresh token, URL-safe.
pub fn new_refresh_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Alphabet of activation codes: no 0/O, 1/I/L, so codes survive being read aloud or printed.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const ACTIVATION_CODE_LEN: usize = 10;

/// A one-time activation code (~49 bits), e.g. `K7M2QW9XRT`.
pub fn new_activation_code() -> String {
    let mut rng = rand::rng();
    (0..ACTIVATION_CODE_LEN).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// Codes are compared case-insensitively and without separators people type.
pub fn normalise_activation_code(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_and_bad_ones_refused() {
        assert_eq!(Login::parse("+86 138-0013-8000"), Some(Login::Phone("13800138000".into())));
        assert_eq!(Login::parse("13800138000"), Some(Login::Phone("13800138000".into())));
        assert_eq!(Login::parse("1380013800"), None);
        assert_eq!(Login::parse("23800138000"), None);
        assert_eq!(Login::parse("abc"), None);
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(Login::parse(" Li.Ming@Example.CN "), Some(Login::Email("li.ming@example.cn".into())));
        assert_eq!(Login::parse("no-domain@"), None);
        assert_eq!(Login::parse("a@b"), None);
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a phc string"));
    }

    #[test]
    fn activation_codes_are_unambiguous_and_normalise() {
        let code = new_activation_code();
        assert_eq!(code.len(), ACTIVATION_CODE_LEN);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalise_activation_code("k7m2-qw9x rt"), "K7M2QW9XRT");
    }
}
