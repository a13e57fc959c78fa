//! Summer care (暑期托管, `AS_SUMMER`): sites the bureau (community sites, for every child of the
//! district) or a school (its own children) publishes with weekly blocks of places; families take
//! a place week by week, first come, with a wait list; a week is given back free until it starts.

pub mod dto;
pub mod handlers;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_summer_site)
        .service(handlers::summer_sites)
        .service(handlers::child_summer)
        .service(handlers::summer_enrol)
        .service(handlers::summer_withdraw)
        .service(handlers::summer_roster);
}
