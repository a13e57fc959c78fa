//! Delivery of what lands in the inbox to people's phones and mailboxes: the transactional outbox
//! and its worker (retries, back-off, crash recovery), push through a gateway, email (SMTP, or
//! `.eml` files on the embedded default), quiet hours, devices and notification preferences.

pub mod digest;
pub mod dto;
pub mod email;
pub mod handlers;
pub mod limits;
pub mod model;
pub mod outbox;
pub mod quiet_hours;
pub mod service;
pub mod worker;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::register_device)
        .service(handlers::remove_device)
        .service(handlers::get_preferences)
        .service(handlers::put_preferences)
        .service(handlers::get_school_settings)
        .service(handlers::put_school_settings)
        .service(handlers::failed_deliveries);
}
