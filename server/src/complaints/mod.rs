//! Complaints (监管举报, issue 12): the supervision channel from families to the district's bureau.
//! A guardian files about their child's school (optionally anonymous to the school); the bureau
//! forwards it to the school or handles it itself; the school responds; the bureau closes it with
//! an outcome. Each holder has three school days ([`rules`]), and is reminded once when they pass.
//! Nothing is ever deleted: every step is an event in the complaint's history. The family may add
//! photos or PDFs, stored without their metadata and named neutrally for a school that may not know
//! the family.

pub mod dto;
pub mod handlers;
pub mod model;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::file_complaint)
        .service(handlers::my_complaints)
        .service(handlers::complaint)
        .service(handlers::attach_to_complaint)
        .service(handlers::complaint_attachment)
        .service(handlers::forward_complaint)
        .service(handlers::respond_to_complaint)
        .service(handlers::close_complaint)
        .service(handlers::district_complaints)
        .service(handlers::school_complaints);
}
