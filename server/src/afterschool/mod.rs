//! After-school service (课后服务): the school's term plan of sessions per weekday, checked by
//! the `AS_*` rules in [`rules`] before it is published; the activities inside it with their
//! providers (the district's white list, `AS_PROVIDERS`), fees (a ledger of charges, waivers,
//! credits, payments and refunds) and seats; families' voluntary basic choice (愿留尽留, never
//! refused), extended-care applications and enrolment in activities (first-come without
//! overselling, or applications for a [`lottery`] under the school's rules), in an enrolment window
//! with an add/drop round, with a wait list; each day's roll (an absence without leave alerts the
//! family at once) and the release of each child to an adult on their pickup list (a child not
//! signed out is escalated to the school); families' ratings of activities ([`evaluation`]); what
//! a family sees of it; and summer care sites week by week ([`summer`]).

pub mod dto;
pub mod error;
pub mod evaluation;
pub mod handlers;
pub mod lottery;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
pub mod summer;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_plan)
        .service(handlers::plan)
        .service(handlers::publish)
        .service(handlers::set_enrolment_window)
        .service(handlers::set_lottery_rules)
        .service(handlers::add_activity)
        .service(handlers::activities)
        .service(handlers::draw)
        .service(handlers::enrol)
        .service(handlers::withdraw)
        .service(handlers::set_basic)
        .service(handlers::child)
        .service(handlers::district_settings)
        .service(handlers::set_district_settings)
        .service(handlers::roll)
        .service(handlers::sign_out)
        .service(handlers::leave)
        .service(handlers::pickup_code)
        .service(handlers::delegate)
        .service(handlers::walk_alone)
        .service(handlers::white_list::list_providers)
        .service(handlers::white_list::add_provider)
        .service(handlers::white_list::renew_provider)
        .service(handlers::white_list::remove_provider)
        .service(handlers::fees::activity_fees)
        .service(handlers::fees::mark_fee)
        .service(handlers::fees::set_fee_waiver)
        .service(handlers::extended_care::apply_extended_care)
        .service(handlers::extended_care::withdraw_extended_care)
        .service(handlers::extended_care::extended_care_applications)
        .service(handlers::extended_care::decide_extended_care)
        .service(handlers::ratings::rate_activity)
        .service(handlers::ratings::plan_ratings);
    summer::routes(cfg);
}
