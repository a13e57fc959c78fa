//! Rate limits: fixed windows (sends, attempts per address), sliding failure logs (wrong
//! passwords: how many in the last window, and when the last one was) and marks that expire (an
//! address an account signed in from). In-process on one instance, Redis-backed (shared by every
//! instance) when Redis is configured. One interface, so callers never know which.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use redis::aio::ConnectionManager;

use crate::error::{ApiError, Code};
use crate::infra::clock::Clock;

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

/// Runs one Redis round trip (bounded by the connection's command timeout,
/// [`crate::infra::redis::COMMAND_TIMEOUT`]).
async fn bounded<T>(work: impl std::future::Future<Output = redis::RedisResult<T>>) -> Result<T, LimitsUnavailable> {
    work.await.map_err(|error| LimitsUnavailable(error.to_string()))
}

pub enum RateLimiter {
    Memory(Box<MemoryLimits>),
    Redis { manager: ConnectionManager, prefix: String },
}

/// The in-process store: each map is pruned when it grows past [`MEMORY_KEYS`].
#[derive(Default)]
pub struct MemoryLimits {
    windows: Mutex<HashMap<String, (i64, u32)>>,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
    marks: Mutex<HashMap<String, i64>>,
}

/// Keys an in-process map holds before it drops the expired ones.
const MEMORY_KEYS: usize = 100_000;
/// Failures one log keeps at most (a budget refuses long before).
const LOG_CAP: usize = 1_000;

/// Failures under one key within the last window (times in Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecentFailures {
    pub count: u32,
    pub oldest_ms: Option<i64>,
    pub newest_ms: Option<i64>,
}

impl RecentFailures {
    fn of(times: impl Iterator<Item = i64>) -> Self {
        times.fold(Self::default(), |seen, at| Self {
            count: seen.count + 1,
            oldest_ms: Some(seen.oldest_ms.map_or(at, |o| o.min(at))),
            newest_ms: Some(seen.newest_ms.map_or(at, |n| n.max(at))),
        })
    }
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
        Self::Memory(Box::default())
    }

    /// Counts one attempt under `key` and says whether it is within `limit` per `window_secs`.
    pub async fn hit(
        &self,
        clock: &dyn Clock,
        key: &str,
        limit: u32,
        window_secs: u64,
    ) -> Result<Verdict, LimitsUnavailable> {
        let window_secs = window_secs.max(1);
        let now = clock.now().timestamp();
        let window = now.div_euclid(window_secs as i64);
        let retry_after_secs = ((window + 1) * window_secs as i64 - now).max(1) as u64;
        let count = match self {
            RateLimiter::Memory(memory) => {
                let mut map = memory.windows.lock().unwrap_or_else(|e| e.into_inner());
                if map.len() > MEMORY_KEYS {
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
                let (count,): (u32,) = bounded(
                    redis::pipe()
                        .atomic()
                        .incr(&redis_key, 1)
                        .expire(&redis_key, window_secs as i64 + 1)
                        .ignore()
                        .query_async(&mut conn),
                )
                .await?;
                count
            }
        };
        Ok(if count > limit { Verdict::Limited { retry_after_secs } } else { Verdict::Allowed })
    }

    /// The failures logged under `key` in the last `window_secs` (a sliding window: each failure
    /// counts for exactly `window_secs` after it happened).
    pub async fn recent_failures(
        &self,
        clock: &dyn Clock,
        key: &str,
        window_secs: u64,
    ) -> Result<RecentFailures, LimitsUnavailable> {
        let now = clock.now().timestamp_millis();
        let since = now - window_secs as i64 * 1_000;
        match self {
            RateLimiter::Memory(memory) => {
                let map = memory.failures.lock().unwrap_or_else(|e| e.into_inner());
                Ok(RecentFailures::of(map.get(key).into_iter().flatten().copied().filter(|at| *at > since)))
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let times: Vec<(String, f64)> = bounded(
                    redis::cmd("ZRANGE")
                        .arg(format!("{prefix}fail:{key}"))
                        .arg(format!("({since}"))
                        .arg("+inf")
                        .arg("BYSCORE")
                        .arg("WITHSCORES")
                        .query_async(&mut conn),
                )
                .await?;
                Ok(RecentFailures::of(times.into_iter().map(|(_, at)| at as i64)))
            }
        }
    }

    /// Logs one failure under `key`, kept for `window_secs`.
    pub async fn record_failure(
        &self,
        clock: &dyn Clock,
        key: &str,
        window_secs: u64,
    ) -> Result<(), LimitsUnavailable> {
        let now = clock.now().timestamp_millis();
        let since = now - window_secs as i64 * 1_000;
        match self {
            RateLimiter::Memory(memory) => {
                let mut map = memory.failures.lock().unwrap_or_else(|e| e.into_inner());
                if map.len() > MEMORY_KEYS {
                    map.retain(|_, log| log.back().is_some_and(|at| *at > since));
                }
                let log = map.entry(key.to_owned()).or_default();
                while log.front().is_some_and(|at| *at <= since) || log.len() >= LOG_CAP {
                    log.pop_front();
                }
                log.push_back(now);
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let redis_key = format!("{prefix}fail:{key}");
                // Members are unique so that two failures in the same millisecond both count.
                let member = format!("{now}:{}", uuid::Uuid::new_v4().simple());
                let _: () = bounded(
                    redis::pipe()
                        .atomic()
                        .cmd("ZREMRANGEBYSCORE")
                        .arg(&redis_key)
                        .arg("-inf")
                        .arg(since)
                        .ignore()
                        .zadd(&redis_key, member, now)
                        .ignore()
                        .pexpire(&redis_key, window_secs as i64 * 1_000)
                        .ignore()
                        .query_async(&mut conn),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Forgets the failures logged under `key` (a success clears them).
    pub async fn clear_failures(&self, key: &str) -> Result<(), LimitsUnavailable> {
        match self {
            RateLimiter::Memory(memory) => {
                memory.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let _: () =
                    bounded(redis::cmd("DEL").arg(format!("{prefix}fail:{key}")).query_async(&mut conn)).await?;
            }
        }
        Ok(())
    }

    /// Marks `key` for `ttl_secs` (an address an account signed in from).
    pub async fn mark(&self, clock: &dyn Clock, key: &str, ttl_secs: u64) -> Result<(), LimitsUnavailable> {
        let now = clock.now().timestamp();
        match self {
            RateLimiter::Memory(memory) => {
                let mut map = memory.marks.lock().unwrap_or_else(|e| e.into_inner());
                if map.len() > MEMORY_KEYS {
                    map.retain(|_, until| *until > now);
                }
                map.insert(key.to_owned(), now + ttl_secs as i64);
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let _: () = bounded(
                    redis::cmd("SET")
                        .arg(format!("{prefix}mark:{key}"))
                        .arg(1)
                        .arg("EX")
                        .arg(ttl_secs.max(1))
                        .query_async(&mut conn),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Whether `key` carries a mark that has not expired.
    pub async fn is_marked(&self, clock: &dyn Clock, key: &str) -> Result<bool, LimitsUnavailable> {
        match self {
            RateLimiter::Memory(memory) => {
                let map = memory.marks.lock().unwrap_or_else(|e| e.into_inner());
                Ok(map.get(key).is_some_and(|until| *until > clock.now().timestamp()))
            }
            RateLimiter::Redis { manager, prefix } => {
                let mut conn = manager.clone();
                let found: u32 =
                    bounded(redis::cmd("EXISTS").arg(format!("{prefix}mark:{key}")).query_async(&mut conn)).await?;
                Ok(found > 0)
            }
        }
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
    async fn a_failure_counts_for_exactly_one_window_after_it_happened() {
        let clock = FixedClock::new(chrono::DateTime::from_timestamp(1_000_000_200, 0).unwrap());
        let limiter = RateLimiter::memory();
        limiter.record_failure(&clock, "k", 60).await.unwrap();
        clock.advance(chrono::Duration::seconds(40));
        limiter.record_failure(&clock, "k", 60).await.unwrap();
        let both = limiter.recent_failures(&clock, "k", 60).await.unwrap();
        assert_eq!(both.count, 2);
        assert_eq!(both.newest_ms.unwrap() - both.oldest_ms.unwrap(), 40_000);
        // A fixed window would have forgotten both at the boundary; a sliding one drops the first
        // exactly 60 s after it, and keeps the second.
        clock.advance(chrono::Duration::seconds(20));
        assert_eq!(limiter.recent_failures(&clock, "k", 60).await.unwrap().count, 1);
        limiter.clear_failures("k").await.unwrap();
        assert_eq!(limiter.recent_failures(&clock, "k", 60).await.unwrap(), RecentFailures::default());
    }

    #[tokio::test]
    async fn a_mark_lasts_until_its_time_to_live_ends() {
        let clock = FixedClock::new(chrono::DateTime::from_timestamp(1_000_000_200, 0).unwrap());
        let limiter = RateLimiter::memory();
        assert!(!limiter.is_marked(&clock, "k").await.unwrap());
        limiter.mark(&clock, "k", 60).await.unwrap();
        assert!(limiter.is_marked(&clock, "k").await.unwrap());
        clock.advance(chrono::Duration::seconds(60));
        assert!(!limiter.is_marked(&clock, "k").await.unwrap());
    }
}
