//! The one inbox: everything addressed to the caller — notices now; messages, homework, enrolment,
//! visits and courses as their issues land — newest first, across all of a family's children and
//! schools, with read state and the children each item concerns.

pub mod audiences;
pub mod dto;
pub mod handlers;
pub mod items;
pub mod model;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list).service(handlers::unread_count);
}
