//! Infrastructure the domains share, knowing no domain: database, Redis, rate limits, the clock,
//! and the adapters to the outside world (mail transport, push gateway, real-time bus, token
//! signing).

pub mod bus;
pub mod clock;
pub mod db;
pub mod digest;
pub mod idempotency_store;
pub mod jwt;
pub mod mailer;
pub mod push_gateway;
pub mod rate_limit;
pub mod redis;
pub mod session_cache;
