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

/// The client's IP: the TCP peer, or, when the deployment says it sits behind its own proxies, the
/// address the outermost of them appended to `X-Forwarded-For` (see [`forwarded_client`]).
pub struct ClientIp(pub Option<IpAddr>);

/// The client address in an `X-Forwarded-For` value behind `hops` proxies of ours: the entry
/// `hops` from the right. Each proxy appends the address it received from, so everything left of
/// that entry was written by the client itself and could be anything (taking the leftmost let a
/// client pick a new address per request and walk round every per-address limit).
pub fn forwarded_client(header: &str, hops: usize) -> Option<IpAddr> {
    let entries: Vec<&str> = header.split(',').map(str::trim).collect();
    let index = entries.len().checked_sub(hops.max(1))?;
    entries[index].parse().ok()
}

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let hops =
            req.app_data::<web::Data<AppState>>().filter(|s| s.settings.trust_proxy).map(|s| s.settings.proxy_hops);
        let forwarded = hops.and_then(|hops| {
            // Several header lines are one list, in order.
            let joined = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
            forwarded_client(&joined.join(","), hops)
        });
        let ip = forwarded.or_else(|| req.peer_addr().map(|a| a.ip()));
        std::future::ready(Ok(ClientIp(ip)))
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;

    #[test]
    fn the_client_is_what_our_outermost_proxy_appended_not_what_the_client_wrote() {
        let ip = |s: &str| s.parse().ok();
        // The client wrote 1.2.3.4; our load balancer appended the real peer 203.0.113.9.
        assert_eq!(forwarded_client("1.2.3.4, 203.0.113.9", 1), ip("203.0.113.9"));
        assert_eq!(forwarded_client("1.2.3.4, 203.0.113.9, 10.0.0.2", 2), ip("203.0.113.9"), "a CDN, then the LB");
        assert_eq!(forwarded_client("203.0.113.9", 2), None, "fewer entries than our proxies: not trusted");
        assert_eq!(forwarded_client("not-an-ip", 1), None);
    }
}
