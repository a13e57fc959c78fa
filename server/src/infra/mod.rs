//! Infrastructure the domains share: database, Redis, rate limits, the clock.

pub mod clock;
pub mod db;
pub mod rate_limit;
pub mod redis;
