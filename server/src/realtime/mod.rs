//! The real-time stream: `GET /api/v1/events` (Server-Sent Events) announces new inbox items as
//! they are committed, with `Last-Event-ID` resume so a reconnecting client misses nothing.

pub mod handlers;
pub mod reader;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::events);
}
