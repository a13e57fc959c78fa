//! Wrong passwords, throttled the NIST SP 800-63B §5.2.2 way: failures count, successes never do,
//! and a run of failures slows the next attempt down before it is refused outright.
//!
//! Two budgets per account, both sliding windows (a failure counts for exactly one window after
//! it happened, so there is no boundary at which a burst is forgiven):
//! - **from one address**: a few free tries for typos, then delays that double (1 s, 2 s, 4 s … at
//!   most a minute) up to the per-login limit; a stranger who knows a parent's phone number and
//!   guesses from their own phone slows down and locks out only themselves. A success from that
//!   address clears it.
//! - **from everywhere**, ten times larger: bounds a guessing attack spread over many addresses.
//!   It does not apply to an address the account signed in from in the last 30 days, so a parent
//!   at home keeps signing in while strangers elsewhere spend it.
//!
//! Counted in Redis when configured (all instances share it; a Redis restart forgets the counts).

use std::net::IpAddr;

use crate::error::{ApiError, ApiResult};
use crate::infra::rate_limit::RecentFailures;
use crate::state::AppState;

/// Failures from one address before the delays start (typos, a caps-lock key).
pub const FREE_FAILURES: u32 = 3;
/// The longest delay between two attempts from one address.
pub const MAX_DELAY_SECS: u64 = 60;
/// How much larger the account's budget from everywhere is than from one address.
pub const EVERYWHERE_FACTOR: u32 = 10;
/// How long an address the account signed in from stays known.
pub const KNOWN_ADDRESS_SECS: u64 = 30 * 24 * 3600;

/// How one budget answers the failures it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures in a window that refuse the next attempt until the oldest slides out.
    pub limit: u32,
    pub window_secs: u64,
    /// Failures allowed without any delay.
    pub free: u32,
}

impl Throttle {
    /// Seconds the caller must wait before another attempt, or `None` when one is allowed now.
    pub fn wait(&self, recent: &RecentFailures, now_ms: i64) -> Option<u64> {
        let (Some(oldest), Some(newest)) = (recent.oldest_ms, recent.newest_ms) else { return None };
        let until = if recent.count >= self.limit {
            oldest + self.window_secs as i64 * 1_000
        } else if recent.count >= self.free {
            let doublings = (recent.count - self.free).min(16);
            newest + (1u64 << doublings).min(MAX_DELAY_SECS.min(self.window_secs)) as i64 * 1_000
        } else {
            return None;
        };
        // Rounded up: a client that waits what it is told is let in.
        (until > now_ms).then(|| ((until - now_ms + 999) / 1_000) as u64)
    }
}

/// Wrong passwords for one account, from one address and from everywhere.
pub struct FailureBudget {
    from_here: String,
    everywhere: String,
    known_address: String,
}

impl FailureBudget {
    /// `subject` is the account id when the login names one (so every spelling of it, phone or
    /// email, shares one budget), else the login as typed.
    pub fn new(subject: &str, ip: Option<IpAddr>) -> Self {
        let here = ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Self {
            from_here: format!("signin:{subject}:{here}"),
            everywhere: format!("signin:{subject}"),
            known_address: format!("signin-known:{subject}:{here}"),
        }
    }

    fn throttles(state: &AppState) -> (Throttle, Throttle) {
        let (limit, window_secs) = (state.settings.login_attempts_per_login, state.settings.login_window_secs);
        let from_here = Throttle { limit, window_secs, free: FREE_FAILURES };
        let everywhere_limit = limit.saturating_mul(EVERYWHERE_FACTOR);
        let everywhere = Throttle { limit: everywhere_limit, window_secs, free: everywhere_limit };
        (from_here, everywhere)
    }

    /// 429 with how long to wait, when either budget says so.
    pub async fn check(&self, state: &AppState) -> ApiResult<()> {
        let (from_here, everywhere) = Self::throttles(state);
        let (clock, limiter, now) = (state.clock.as_ref(), &state.limiter, state.clock.now().timestamp_millis());
        let mut wait =
            from_here.wait(&limiter.recent_failures(clock, &self.from_here, from_here.window_secs).await?, now);
        if wait.is_none() && !limiter.is_marked(clock, &self.known_address).await? {
            wait =
                everywhere.wait(&limiter.recent_failures(clock, &self.everywhere, everywhere.window_secs).await?, now);
        }
        match wait {
            Some(secs) => Err(ApiError::rate_limited(secs)),
            None => Ok(()),
        }
    }

    pub async fn failed(&self, state: &AppState) -> ApiResult<()> {
        let window = state.settings.login_window_secs;
        for key in [&self.from_here, &self.everywhere] {
            state.limiter.record_failure(state.clock.as_ref(), key, window).await?;
        }
        Ok(())
    }

    /// Clears this address's failures and remembers it as one the account signs in from.
    pub async fn succeeded(&self, state: &AppState) -> ApiResult<()> {
        state.limiter.clear_failures(&self.from_here).await?;
        Ok(state.limiter.mark(state.clock.as_ref(), &self.known_address, KNOWN_ADDRESS_SECS).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_ADDRESS: Throttle = Throttle { limit: 10, window_secs: 900, free: FREE_FAILURES };

    /// `count` failures, the first at `first_ms` and the last at `last_ms`.
    fn failures(count: u32, first_ms: i64, last_ms: i64) -> RecentFailures {
        RecentFailures { count, oldest_ms: Some(first_ms), newest_ms: Some(last_ms) }
    }

    #[test]
    fn typos_cost_nothing_then_each_failure_doubles_the_wait() {
        assert_eq!(PER_ADDRESS.wait(&RecentFailures::default(), 0), None);
        assert_eq!(PER_ADDRESS.wait(&failures(2, 0, 1_000), 1_000), None, "two typos: no wait");
        let waits: Vec<_> = (3..=9).map(|n| PER_ADDRESS.wait(&failures(n, 0, 10_000), 10_000)).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60].map(Some), "doubling, capped at a minute");
        assert_eq!(PER_ADDRESS.wait(&failures(5, 0, 10_000), 13_500), Some(1), "4 s after the last, 3.5 s of it gone");
        assert_eq!(PER_ADDRESS.wait(&failures(5, 0, 10_000), 14_000), None);
    }

    #[test]
    fn at_the_limit_the_wait_ends_when_the_oldest_failure_slides_out() {
        let at_limit = failures(10, 100_000, 400_000);
        assert_eq!(
            PER_ADDRESS.wait(&at_limit, 500_000),
            Some(500),
            "900 s after the first, not after the window boundary"
        );
        assert_eq!(PER_ADDRESS.wait(&at_limit, 1_000_000), None);
    }

    #[test]
    fn a_budget_without_free_failures_below_its_limit_never_delays() {
        let everywhere = Throttle { limit: 100, window_secs: 900, free: 100 };
        assert_eq!(everywhere.wait(&failures(99, 0, 1), 2), None);
        assert_eq!(everywhere.wait(&failures(100, 0, 1), 2), Some(900));
    }
}
