//! Conversations (家校沟通): one-to-one threads between a guardian and a teacher of their child,
//! naming the child; text and attachments (images, PDF) stored under the data folder and served
//! only to the thread; read state per participant; a teacher may pause a guardian for a
//! cooling-off period; school admins may read their school's threads for safeguarding. Teachers'
//! messages pass the content rules; quiet hours hold notifications in both directions.

pub mod dto;
pub mod error;
pub mod handlers;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::start)
        .service(handlers::list)
        .service(handlers::messages)
        .service(handlers::send)
        .service(handlers::mark_read)
        .service(handlers::block)
        .service(handlers::upload)
        .service(handlers::download);
}
