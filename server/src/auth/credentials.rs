//! Secrets and identifiers: login normalisation, password hashing (argon2id), opaque tokens and
//! activation codes (random, stored as SHA-256), and the signed access token (JWT, HS256).

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::PasswordHash;
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

/// Fewer guesses than this (zxcvbn's estimate, log10) and a password is common or follows a
/// pattern guessers try first: `12345678`, `password`, `qwertyui`, a phone number, the login.
pub const MIN_GUESSES_LOG10: f64 = 6.0;

/// Why a new password is refused (NIST SP 800-63B §5.1.1.2: a length, and not a password that is
/// common, expected or already breached; no composition rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    Length,
    Blank,
    Guessable,
}

impl PasswordProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordProblem::Length => "length",
            PasswordProblem::Blank => "blank",
            PasswordProblem::Guessable => "guessable",
        }
    }
}

/// Checks a new password; `personal` are what a guesser knows of the person (login, name).
pub fn password_problem(password: &str, personal: &[&str]) -> Option<PasswordProblem> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Some(PasswordProblem::Length);
    }
    if password.chars().all(char::is_whitespace) {
        return Some(PasswordProblem::Blank);
    }
    // zxcvbn ships the frequency lists of leaked passwords, words and names, and scores keyboard
    // walks, sequences, repeats and dates; the person's own login and name count as known words.
    let guesses = zxcvbn::zxcvbn(password, personal).guesses_log10();
    (guesses < MIN_GUESSES_LOG10).then_some(PasswordProblem::Guessable)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    thread_local! {
        /// argon2's working memory (19 MiB with the default parameters), allocated once per
        /// thread and reused by every check on it instead of allocated and freed per check.
        static MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    MEMORY.with(|memory| verify_with(&mut memory.borrow_mut(), password, stored))
}

/// Recomputes the hash of `password` with `stored`'s algorithm, parameters and salt in `memory`,
/// and compares in constant time.
fn verify_with(memory: &mut Vec<argon2::Block>, password: &str, stored: &str) -> bool {
    use argon2::{Algorithm, Params, Version};
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::new(hash.algorithm.as_str()), Params::try_from(&hash)) else {
        return false;
    };
    let Ok(version) = hash.version.map_or(Ok(Version::default()), Version::try_from) else { return false };
    memory.resize(params.block_count(), argon2::Block::default());
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    argon.hash_password_into_with_memory(password.as_bytes(), salt.as_ref(), &mut out, &mut memory[..]).is_ok()
        && argon2::password_hash::phc::Output::new(&out).is_ok_and(|computed| computed == *expected)
}

/// Password work is refused for now: every hasher is busy and the queue is full. An answer of 503
/// with `Retry-After`, never a pile of 19 MiB allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every password hasher is busy")]
pub struct HashersBusy;

/// Hashes a new password on the hasher threads.
pub async fn hash_password_off_thread(password: String) -> Result<anyhow::Result<String>, HashersBusy> {
    hashers::run(move || hash_password(&password)).await
}

/// Verifies against `stored`, or (when there is no account or no password yet) burns the same time
/// on a dummy hash so response times do not tell which logins exist. On the hasher threads.
pub async fn verify_password_off_thread(password: String, stored: Option<String>) -> Result<bool, HashersBusy> {
    hashers::run(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            dummy_verify(&password);
            false
        }
    })
    .await
}

/// Password hashing is deliberately slow (tens of milliseconds) and takes 19 MiB (argon2id's
/// default): it runs on one thread per core, never on the async workers and never on the blocking
/// pool. On the blocking pool (up to 512 threads) an unauthenticated flood of wrong passwords ran
/// that many hashes at once, and each thread's allocator kept its 19 MiB: 6.97 GB RSS after 256
/// logins. Here at most one hash per core runs, each thread reuses its own memory, and a bounded
/// queue holds the rest briefly; beyond it the caller is told to come back ([`HashersBusy`]).
mod hashers {
    use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
    use std::sync::{Arc, Mutex, OnceLock};

    use super::HashersBusy;

    type Job = Box<dyn FnOnce() + Send>;

    /// Waiting jobs per hasher thread: under two seconds of work at ~25 ms a hash.
    const QUEUE_PER_THREAD: usize = 64;

    fn queue() -> &'static SyncSender<Job> {
        static QUEUE: OnceLock<SyncSender<Job>> = OnceLock::new();
        QUEUE.get_or_init(|| {
            let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
            let (send, receive) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
            let receive = Arc::new(Mutex::new(receive));
            for i in 0..threads {
                let receive = receive.clone();
                let spawned =
                    std::thread::Builder::new().name(format!("password-hasher-{i}")).spawn(move || work(&receive));
                if let Err(error) = spawned {
                    tracing::error!("cannot start a password hasher thread: {error}");
                }
            }
            send
        })
    }

    fn work(jobs: &Mutex<Receiver<Job>>) {
        loop {
            let job = match jobs.lock() {
                Ok(receiver) => receiver.recv(),
                Err(poisoned) => poisoned.into_inner().recv(),
            };
            match job {
                // A panic in one hash must not take the thread (and its share of the work) down.
                Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                Err(_) => return, // the process is ending
            }
        }
    }

    /// Runs `f` on a hasher thread and waits for it without blocking the async worker.
    pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, HashersBusy> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(f());
        });
        match queue().try_send(job) {
            Ok(()) => answer.await.map_err(|_| HashersBusy),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(HashersBusy),
        }
    }
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
    fn common_blank_and_personal_passwords_are_refused_and_passphrases_taken() {
        for weak in ["12345678", "password", "Password1", "qwertyuiop", "11111111", "iloveyou", "abcd1234"] {
            assert_eq!(password_problem(weak, &[]), Some(PasswordProblem::Guessable), "{weak}");
        }
        assert_eq!(password_problem("        ", &[]), Some(PasswordProblem::Blank));
        assert_eq!(password_problem("short", &[]), Some(PasswordProblem::Length));
        assert_eq!(password_problem("13800138000", &["13800138000"]), Some(PasswordProblem::Guessable), "the login");
        for fine in ["correct-horse-battery", "jiaxiao-demo", "brand-new-password", "我家孩子三年级了ok"] {
            assert_eq!(password_problem(fine, &["13800138000"]), None, "{fine}");
        }
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
