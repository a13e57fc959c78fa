//! The organisation: district (run by a bureau) → schools → classes; staff and what they teach;
//! students and their guardians; the caller's own profile (`/me`). Provisioning starts here: the
//! bootstrap command creates a district and its first officer, the bureau creates schools with
//! their first admin, and school admins import rosters ([`crate::roster`]).

pub mod audience;
pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
pub mod subject;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::me)
        .service(handlers::create_school)
        .service(handlers::list_schools)
        .service(handlers::get_school)
        .service(handlers::school_subjects)
        .service(handlers::list_classes)
        .service(handlers::list_class_students)
        .service(handlers::get_child)
        .service(handlers::district_overview);
}
