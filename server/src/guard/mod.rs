//! The guard at every sender's door: runs the 双减 content policy ([`crate::policy`], pure) for
//! notices, messages and homework, counts the sends it refused (rule, channel, school, local
//! date — never the text or who wrote it), maps a refusal to its API answer, and serves the
//! endpoints around them: the draft check (`POST /policy/check`) and the bureau's refused-send
//! counts (`GET /districts/{id}/blocked-sends`).

pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod repo;
pub mod service;

pub use error::GuardError;
pub use service::{Sender, confirmations, count_refusal, count_reviewed, refuse, screen};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::check_draft).service(handlers::blocked_sends);
}
