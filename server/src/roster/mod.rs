//! Roster import: school admins upload staff and student CSV files (UTF-8 or GBK); the import
//! upserts people, classes and guardian links all-or-nothing and reports what changed, with the
//! activation codes of new accounts (shown once). The same import runs from the command line
//! (`server import-roster`) for large files.

pub mod dto;
pub mod error;
pub mod handlers;
pub mod parse;
pub mod plan;
pub mod repo;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::import_staff).service(handlers::import_students);
}
