//! Mentoring (全员导师制): every student of the grades a school covers has a mentor and every
//! teacher may be one. The school's setting (一校一策), the [`matching`] proposal and its
//! publication under `MT_COVERAGE` (history kept on reassignment), and the obligation ledger of
//! `MT_THREE_TASKS` (a home visit, a talk and a written feedback per student and period), which
//! belongs to the student so that a new mentor inherits what is open; home visits booked with the
//! family ([`service::visits`]); talks, written feedback and concerns with notes in three tiers
//! ([`service::records`]).

pub mod dto;
pub mod error;
pub mod figures;
pub mod handlers;
pub mod matching;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::mentoring_settings)
        .service(handlers::set_mentoring_settings)
        .service(handlers::propose)
        .service(handlers::publish_assignments)
        .service(handlers::coverage)
        .service(handlers::mentor_history)
        .service(handlers::waive_task)
        .service(handlers::ledger)
        .service(handlers::child_mentor)
        .service(handlers::propose_visit)
        .service(handlers::visits_list)
        .service(handlers::visit)
        .service(handlers::accept_visit)
        .service(handlers::counter_visit)
        .service(handlers::decline_visit)
        .service(handlers::cancel_visit)
        .service(handlers::visit_done)
        .service(handlers::confirm_visit)
        .service(handlers::record_talk)
        .service(handlers::write_feedback)
        .service(handlers::student_record)
        .service(handlers::raise_concern)
        .service(handlers::acknowledge_feedback)
        .service(handlers::concerns)
        .service(handlers::safeguarding)
        .service(handlers::set_safeguarding)
        .service(handlers::mentoring_figures)
        .service(handlers::set_mentor_profile)
        .service(handlers::mentor_choices)
        .service(handlers::choose_mentors)
        .service(handlers::mentor_requests)
        .service(handlers::answer_mentor_request);
}
