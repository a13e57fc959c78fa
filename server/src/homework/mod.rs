//! Homework (作业): teachers post it per class with its kind, tier (layered homework), estimated
//! minutes and where it is done; the server enforces the 双减 homework rules before storing it:
//!
//! - the words — `HW_PARENT_BURDEN`, `HW_SELF_GRADING`, `EXAM_NO_RANKING` — in [`crate::policy`];
//! - the structure — `HW_NO_WRITTEN_G12`, `HW_DAILY_CAP`, `HW_LAYERED` — in [`rules`].
//!
//! Families see their children's homework read-only and in the school's daily digest; they may
//! report how long it took. Schools publish the week's homework per grade (`HW_PUBLICITY`).

pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod monitor;
pub mod publicity;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::post_homework)
        .service(handlers::class_homework)
        .service(handlers::budget)
        .service(handlers::edit)
        .service(handlers::withdraw)
        .service(handlers::history)
        .service(handlers::mark_read)
        .service(handlers::report_duration)
        .service(handlers::child_homework)
        .service(handlers::school_publicity)
        .service(handlers::district_publicity)
        .service(handlers::school_feedback)
        .service(handlers::settings)
        .service(handlers::set_settings);
}
