//! `AppState`: what every request handler and background task may use — settings, database,
//! Redis, the adapters to the outside world, signing keys and the clock. It knows no domain;
//! [`crate::startup`] builds it.

use std::sync::Arc;

use redis::aio::ConnectionManager;
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::infra::bus::Bus;
use crate::infra::clock::Clock;
use crate::infra::jwt::JwtKeys;
use crate::infra::mailer::Mailer;
use crate::infra::push_gateway::PushGateway;
use crate::infra::rate_limit::RateLimiter;
use crate::infra::session_cache::SessionCache;

/// Everything a request handler may need, shared by all workers.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub jwt: JwtKeys,
    pub limiter: RateLimiter,
    pub clock: Arc<dyn Clock>,
    pub redis: Option<ConnectionManager>,
    /// The OpenAPI document, rendered once.
    pub openapi_json: Arc<String>,
    pub mailer: Mailer,
    /// Sessions recently seen live (saves a query per request).
    pub sessions: SessionCache,
    /// Real-time wake-ups: in-process, or across instances through Redis.
    pub bus: Bus,
    pub push: Option<PushGateway>,
    /// Turns true once when the server starts shutting down: event streams end (clients reconnect
    /// elsewhere with `Last-Event-ID`) and background workers stop after their current pass.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    /// Whether a session is still live (signed out, revoked, password changed elsewhere: not).
    /// Set by the composition root to the auth domain's check, so that plumbing which imports no
    /// domain (the idempotency layer) can ask it too.
    pub session_live: SessionCheck,
}

/// See [`AppState::session_live`]: `(state, session_id, account_id)`.
pub type SessionCheck = for<'a> fn(
    &'a AppState,
    uuid::Uuid,
    uuid::Uuid,
) -> futures_util::future::BoxFuture<'a, Result<bool, sea_orm::DbErr>>;

impl AppState {
    /// Whether shutdown has begun.
    pub fn shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }
}
