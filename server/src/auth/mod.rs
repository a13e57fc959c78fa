//! Authentication: one-time activation of provisioned accounts, sign-in with rate limits,
//! short-lived access tokens (JWT) with rotating refresh tokens (reuse revokes the whole session),
//! sign-out and password change (which revokes the other sessions).
//!
//! Accounts are never self-registered: the bureau, school admins and roster imports create them
//! (see [`crate::org`] and [`crate::roster`]).

pub mod credentials;
pub mod dto;
pub mod error;
pub mod extractor;
pub mod handlers;
pub mod model;
pub mod provisioning;
pub mod repo;
pub mod service;
pub mod throttle;

pub use extractor::AuthUser;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::login)
        .service(handlers::activate)
        .service(handlers::refresh)
        .service(handlers::logout)
        .service(handlers::change_password);
}
