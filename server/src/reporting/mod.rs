//! Reporting for the bureau (issue 12): aggregates only, every figure through [`suppression`]
//! before it leaves the server; reads, never writes. The district dashboard has one section per
//! area: reach, homework, after-school, mentoring, parent school and complaints. The half-monthly
//! bulletin ([`bulletin`], [`service::bulletin`]) measures each school against the district's
//! targets and is issued on the 1st and the 16th.

pub mod bulletin;
pub mod dto;
pub mod export;
pub mod handlers;
pub mod model;
pub mod page;
pub mod service;
pub mod suppression;
pub mod trends;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::district_dashboard)
        .service(handlers::school_dashboard)
        .service(handlers::district_trends)
        .service(handlers::school_trends)
        .service(handlers::reporting_settings)
        .service(handlers::set_reporting_settings)
        .service(handlers::district_bulletins)
        .service(handlers::district_bulletin)
        .service(handlers::rerun_bulletin)
        .service(handlers::school_bulletins)
        .service(handlers::school_bulletin);
}
