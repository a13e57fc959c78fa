//! Response language: `Accept-Language` picks zh-CN (default) or English for every message of
//! the request (see [`crate::i18n`]).

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::i18n::{negotiate, scope};

/// Middleware: runs the rest of the request inside the negotiated language.
pub async fn with_request_lang(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let lang = negotiate(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    scope(lang, next.call(req)).await
}
