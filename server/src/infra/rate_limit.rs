//! Fixed-window rate limits: in-process on one instance, Redis-backed (shared by every instance)
//! when Redis is configured. One interface, so callers never know which.

use std::collections::HashMap;
use std::sync::Mutex;

use redis::aio::ConnectionManager;

use crate::error::{ApiError, Code};
use crate::infra::clock::Clock;

/// How long a limit check waits for Redis before the request is answered `503` instead: a
/// Redis outage must not hold every sign-in and send for the client library's many seconds.
pub const REDIS_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1_000);

/// The shared limits cannot be checked (Redis unreachable or too slow): the request is refused
/// with `503 unavailable` and `Retry-After` rather than let through unlimited.
#[derive(Debug, thiserror::Error)]
#[error("rate limits unavailable: {0}")]
pub struct LimitsUnavailable(String);

impl From<LimitsUnavailable> for ApiError {
    fn from(error: LimitsUnavailable) -> Self {
        tracing::warn!("{error}");
        ApiError::new(Code::Unavailable).with_details(serde_json::json!({ "retry_after_secs": 5 }))
    }
}

/// Runs one Redis round trip within [`REDIS_TIMEOUT`].
async fn bounded<T>(work: impl std::future::Future<Output = redis::RedisResult<T>>) -> Result<T, LimitsUnavailable> {
    match tokio::time::timeout(REDIS_TIMEOUT, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(LimitsUnavailable(error.to_string())),
        Err(_) => Err(LimitsUnavailable(format!("Redis did not answer within {REDIS_TIMEOUT:?}"))),
    }
}

pub enum RateLimiter {
    Memory(Mutex<HashMap<String, (i64, u32)>>),
    Redis { manager: ConnectionManager, prefix: String },
}

/// What a caller learns from one counted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit; the window ends in this many seconds.
    Limited {
        retry_after_secs: u64,
    },
}

impl RateLimiter {
    pub fn memory() -> Self {
        Self::Memory(Mutex::new(HashMap::new()))
    }

    /// Counts one attempt under `key` and says whether it is within `limit` per `window_secs`.
    pub async fn hit(
        &self,
        clock: &dyn Clock,
        key: &str,
        limit: u32,
        window_secs: u64,
    ) -> Result<Verdict, LimitsUnavailable> {
        self.count(clock, key, limit, window_secs, 1).await
    }

    /// Says whether `key` is already over `limit`, without counting an attempt (for budgets that
    /// count failures only: check first, count when it fails).
    pub async fn peek(
        &self,
        clock: &dyn Clock,
        key: &str,
        limit: u32,
        window_secs: u64,
    ) -> Result<Verdict, LimitsUnavailable> {
        self.count(clock, key, limit.saturating_sub(1), window_secs, 0).await
    }

    /// Forgets what `key` counted in the current window (a success clears its failures).
    pub async fn forget(&self, clock: &dyn Clock, key: &str, window_secs: u64) -> Result<(), LimitsUnavailable> {
        let window = clock.now().timestamp().div_euclid(window_secs.max(1) as i64);
        match self {
            RateLimiter::Memory(map) => {
                map.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let _: () =
                    bounded(redis::cmd("DEL").arg(format!("{prefix}rl:{key}:{window}")).query_async(&mut conn)).await?;
            }
        }
        Ok(())
    }

    async fn count(
        &self,
        clock: &dyn Clock,
        key: &str,
        limit: u32,
        window_secs: u64,
        add: u32,
    ) -> Result<Verdict, LimitsUnavailable> {
        let window_secs = window_secs.max(1);
        let now = clock.now().timestamp();
        let window = now.div_euclid(window_secs as i64);
        let retry_after_secs = ((window + 1) * window_secs as i64 - now).max(1) as u64;
        let count = match self {
            RateLimiter::Memory(map) => {
                let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
                if map.len() > 100_000 {
                    map.retain(|_, (w, _)| *w == window);
                }
                let entry = map.entry(key.to_owned()).or_insert((window, 0));
                if entry.0 != window {
                    *entry = (window, 0);
                }
                entry.1 += add;
                entry.1
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let redis_key = format!("{prefix}rl:{key}:{window}");
                if add == 0 {
                    let count: Option<u32> = bounded(redis::cmd("GET").arg(&redis_key).query_async(&mut conn)).await?;
                    count.unwrap_or(0)
                } else {
                    let (count,): (u32,) = bounded(
                        redis::pipe()
                            .atomic()
                            .incr(&redis_key, add)
                            .expire(&redis_key, window_secs as i64 + 1)
                            .ignore()
                            .query_async(&mut conn),
                    )
                    .await?;
                    count
                }
            }
        };
        Ok(if count > limit { Verdict::Limited { retry_after_secs } } else { Verdict::Allowed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::clock::FixedClock;

    #[tokio::test]
    async fn the_attempt_after_the_limit_is_refused_until_the_window_ends() {
        let clock = FixedClock::new(chrono::DateTime::from_timestamp(1_000_000_200, 0).unwrap());
        let limiter = RateLimiter::memory();
        for _ in 0..3 {
            assert_eq!(limiter.hit(&clock, "k", 3, 60).await.unwrap(), Verdict::Allowed);
        }
        assert!(matches!(limiter.hit(&clock, "k", 3, 60).await.unwrap(), Verdict::Limited { .. }));
        assert_eq!(limiter.hit(&clock, "other", 3, 60).await.unwrap(), Verdict::Allowed);
        clock.advance(chrono::Duration::seconds(60));
        assert_eq!(limiter.hit(&clock, "k", 3, 60).await.unwrap(), Verdict::Allowed);
    }

    #[tokio::test]
    async fn a_failure_budget_is_read_without_counting_and_cleared_by_a_success() {
        let clock = FixedClock::new(chrono::DateTime::from_timestamp(1_000_000_200, 0).unwrap());
        let limiter = RateLimiter::memory();
        for _ in 0..5 {
            assert_eq!(limiter.peek(&clock, "k", 3, 60).await.unwrap(), Verdict::Allowed, "peeking counts nothing");
        }
        for _ in 0..3 {
            limiter.hit(&clock, "k", 3, 60).await.unwrap();
        }
        assert!(matches!(limiter.peek(&clock, "k", 3, 60).await.unwrap(), Verdict::Limited { .. }), "3 failures of 3");
        limiter.forget(&clock, "k", 60).await.unwrap();
        assert_eq!(limiter.peek(&clock, "k", 3, 60).await.unwrap(), Verdict::Allowed);
    }
}
