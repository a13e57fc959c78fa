//! The school calendar (校历): a school's terms with their holidays and make-up days (调休: a
//! weekend day following a weekday's timetable). The [`rules::Calendar`] it builds answers which
//! days are school days for every domain that counts them (after-school fees and roll calls,
//! mentoring periods); a school that never set one follows the plain weekday rule.

pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::terms)
        .service(handlers::define_term)
        .service(handlers::replace_term)
        .service(handlers::remove_term);
}
