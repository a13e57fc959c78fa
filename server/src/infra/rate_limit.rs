//! Fixed-window rate limits: in-process on one instance, Redis-backed (shared by every instance)
//! when Redis is configured. One interface, so callers never know which.

use std::collections::HashMap;
use std::sync::Mutex;

use redis::aio::ConnectionManager;

use crate::infra::clock::Clock;

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
    pub async fn hit(&self, clock: &dyn Clock, key: &str, limit: u32, window_secs: u64) -> anyhow::Result<Verdict> {
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
                entry.1 += 1;
                entry.1
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let redis_key = format!("{prefix}rl:{key}:{window}");
                let (count,): (u32,) = redis::pipe()
                    .atomic()
                    .incr(&redis_key, 1)
                    .expire(&redis_key, window_secs as i64 + 1)
                    .ignore()
                    .query_async(&mut conn)
                    .await?;
                count
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
}
