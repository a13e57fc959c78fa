//! Request ids and the request's trace. Every request gets an id — the client's `X-Request-Id`
//! when it is a sane token (at most 64 of `A-Z a-z 0-9 - _ .`), otherwise a new UUID — answered in
//! `X-Request-Id`, named in the error envelope (through [`crate::telemetry::current_request_id`])
//! and carried by the request's span, so every log line of the request names it. The same
//! middleware writes the access log line and counts the request by route pattern and status.

use std::sync::Arc;
use std::time::Instant;

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;
use uuid::Uuid;

use crate::telemetry::{metrics, scope_request_id};

pub const HEADER: &str = "x-request-id";
/// Longest client-supplied id kept.
pub const MAX_LEN: usize = 64;
/// The route label of requests no route matched (a raw path would make a label per URL).
const UNMATCHED: &str = "unmatched";

/// The client's id if it is a sane token, else a new one.
pub fn accept_or_generate(supplied: Option<&str>) -> String {
    match supplied {
        Some(id) if is_sane(id) => id.to_owned(),
        _ => Uuid::new_v4().to_string(),
    }
}

fn is_sane(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Middleware: runs the rest of the request inside its id and span. Handlers' and extractors'
/// errors are rendered inside both, so their envelope names the id. (An `Err` from an inner
/// middleware would be rendered by actix after this one; the inner middlewares answer with
/// responses instead, see `idempotency::reject`.)
pub async fn with_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id: Arc<str> = accept_or_generate(req.headers().get(HEADER).and_then(|v| v.to_str().ok())).into();
    let method = req.method().clone();
    let route = req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned());
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    // The request must not be cloned here: routing needs it unshared.
    let started = Instant::now();
    let mut response =
        scope_request_id(id.clone(), next.call(req)).instrument(span.clone()).await?.map_into_boxed_body();
    let elapsed = started.elapsed();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HeaderName::from_static(HEADER), value);
    }
    let status = response.status().as_u16();
    metrics::record_request(method.as_str(), &route, status, elapsed);
    span.in_scope(|| tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request answered"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_client_id_is_kept() {
        assert_eq!(accept_or_generate(Some("req-42_a.b")), "req-42_a.b");
        let longest = "a".repeat(MAX_LEN);
        assert_eq!(accept_or_generate(Some(&longest)), longest);
    }

    #[test]
    fn an_odd_client_id_is_replaced_by_a_uuid() {
        for odd in ["", "has space", "semi;colon", "新", &"a".repeat(MAX_LEN + 1)] {
            let id = accept_or_generate(Some(odd));
            assert_ne!(id, odd);
            assert!(Uuid::parse_str(&id).is_ok());
        }
        assert!(Uuid::parse_str(&accept_or_generate(None)).is_ok());
    }
}
