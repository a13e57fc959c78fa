//! Notices (通知): school → families, bureau → schools' staff. Targeted by school, grade, class or
//! individual guardian; resolved once at send time into inbox items (one per account, naming the
//! children concerned); read, confirm (收到) or reply (a choice among options); receipts per class;
//! scheduled sending; recall within 24 hours. Content rules ([`crate::policy`]) apply before
//! anything is stored.

pub mod audience;
pub mod draft;
pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod receipts;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::preview)
        .service(handlers::create)
        .service(handlers::list_sent)
        .service(handlers::get)
        .service(handlers::mark_read)
        .service(handlers::confirm)
        .service(handlers::reply)
        .service(handlers::receipts)
        .service(handlers::recall)
        .service(handlers::remind);
}
