//! Reporting for the bureau (issue 12): aggregates only, every figure through [`suppression`]
//! before it leaves the server; reads, never writes. The district dashboard has one section per
//! area: reach, homework, after-school, mentoring, parent school and complaints.

pub mod dto;
pub mod export;
pub mod handlers;
pub mod service;
pub mod suppression;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::district_dashboard);
}
