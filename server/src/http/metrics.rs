//! `GET /metrics` for operators, in Prometheus' text format: who may scrape, and what the
//! scrape measures on the spot besides the counters (the database pool). Mounted outside
//! `/api/v1` and absent from the OpenAPI document; the composition root adds the outbox.
//!
//! With `JIAXIAO_METRICS_TOKEN` set, a scrape needs `Authorization: Bearer <token>`; without it,
//! only loopback clients (127.0.0.0/8, ::1) may scrape. Anyone else gets `404 not_found`, the
//! answer for anything that does not exist, so the endpoint is not advertised.

use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::error::ApiError;
use crate::http::extractors::bearer_token;
use crate::infra::db;
use crate::state::AppState;
use crate::telemetry::metrics;

/// Whether `req` may read the metrics; `client` is the client's IP as [`super::extractors::ClientIp`] sees it.
pub fn authorize(req: &HttpRequest, client: Option<std::net::IpAddr>, settings: &Settings) -> Result<(), ApiError> {
    let allowed = match settings.metrics_token.as_deref().filter(|t| !t.is_empty()) {
        Some(expected) => bearer_token(req.headers()).is_some_and(|given| same_secret(given, expected)),
        None => client.is_some_and(|ip| ip.is_loopback()),
    };
    if allowed { Ok(()) } else { Err(ApiError::not_found()) }
}

/// Compares digests, so the time taken tells nothing about how much of the token was right.
fn same_secret(given: &str, expected: &str) -> bool {
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}

/// Measures the database pool and renders every metric.
pub fn render(state: &AppState) -> HttpResponse {
    let pool = db::pool_usage(&state.db);
    metrics::observe_db_pool(pool.size, pool.idle, state.settings.db_max_connections.max(1));
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics::render())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(token: Option<&str>) -> Settings {
        Settings { metrics_token: token.map(str::to_owned), ..Settings::default() }
    }

    fn request(authorization: Option<&str>) -> HttpRequest {
        let mut test = actix_web::test::TestRequest::get().uri("/metrics");
        if let Some(value) = authorization {
            test = test.insert_header(("authorization", value));
        }
        test.to_http_request()
    }

    #[test]
    fn without_a_token_only_loopback_clients_may_scrape() {
        let open = settings(None);
        assert!(authorize(&request(None), Some("127.0.0.1".parse().unwrap()), &open).is_ok());
        assert!(authorize(&request(None), Some("::1".parse().unwrap()), &open).is_ok());
        assert!(authorize(&request(None), Some("10.1.2.3".parse().unwrap()), &open).is_err());
        assert!(authorize(&request(None), None, &open).is_err());
    }

    #[test]
    fn with_a_token_only_its_bearer_may_scrape_wherever_it_is() {
        let closed = settings(Some("s3cret"));
        let outside = Some("10.1.2.3".parse().unwrap());
        assert!(authorize(&request(Some("Bearer s3cret")), outside, &closed).is_ok());
        assert!(authorize(&request(Some("Bearer wrong")), outside, &closed).is_err());
        assert!(authorize(&request(None), Some("127.0.0.1".parse().unwrap()), &closed).is_err());
    }
}
