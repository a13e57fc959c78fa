//! The parent school (家长学校, `PS_*`): the bureau's district courses and each school's own
//! (`PS_CONTENT`) in online, offline and practice formats; offline sessions with registration, a
//! waiting list and check-in by the organiser's rotating code; online completion by a time floor
//! the server measures and a quiz; and the family's credit ledger (`PS_CREDITS`), append-only, one
//! entry per typed and evidenced event, reversed by a new entry and never edited. Credit is
//! recognition, never a gate: nothing a child gets depends on it.

pub mod dto;
pub mod figures;
pub mod handlers;
pub mod model;
pub mod print;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_course)
        .service(handlers::courses)
        .service(handlers::edit_course)
        .service(handlers::course_sessions)
        .service(handlers::create_session)
        .service(handlers::start_course)
        .service(handlers::complete_course)
        .service(handlers::confirm_practice)
        .service(handlers::register)
        .service(handlers::cancel_registration)
        .service(handlers::check_in_code)
        .service(handlers::check_in)
        .service(handlers::mark_attendance)
        .service(handlers::child_parent_school)
        .service(handlers::manual_credit)
        .service(handlers::reverse_credit)
        .service(handlers::set_graduation_rule)
        .service(handlers::graduation_rules)
        .service(handlers::issue_certificate)
        .service(handlers::revoke_certificate)
        .service(handlers::reissue_certificate)
        .service(handlers::verify_certificate)
        .service(handlers::print_certificate)
        .service(handlers::create_meeting)
        .service(handlers::school_meetings)
        .service(handlers::meeting_check_in_code)
        .service(handlers::meeting_check_in)
        .service(handlers::mark_meeting_attendance)
        .service(handlers::rate_course)
        .service(handlers::course_reflections)
        .service(handlers::parent_school_figures);
}
