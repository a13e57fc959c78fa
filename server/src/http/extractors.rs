//! Request facts every domain may extract: the bearer token and the client's IP. The
//! authenticated caller itself is [`crate::access::Caller`].

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::ApiError;
use crate::state::AppState;

/// The bearer token of a request's `Authorization` header, if any. The one parser: the
/// authenticated-caller extractor and the idempotency middleware both read the token through it.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The client's IP: the TCP peer, or the first `X-Forwarded-For` hop when the deployment says it
/// sits behind its own proxy (a client could forge the header otherwise).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let trust_proxy = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.trust_proxy);
        let forwarded = trust_proxy
            .then(|| {
                req.headers()
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
                    .and_then(|v| v.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let ip = forwarded.or_else(|| req.peer_addr().map(|a| a.ip()));
        std::future::ready(Ok(ClientIp(ip)))
    }
}
