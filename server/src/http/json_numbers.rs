//! JSON has one kind of number: `30.0` and `30` are the same value, and JSON Schema calls both an
//! integer. serde refuses `30.0` for an integer field, so a JSON body's integral numbers written
//! with a fraction or an exponent are rewritten as integers before any handler reads it. Clients
//! in languages without an integer type (JavaScript's `JSON.stringify(30.0)` aside, some encoders
//! write `3e1`) then get the answer the document promises instead of a 422.

use actix_web::Error;
use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};

use crate::http::payload::{JSON_LIMIT_BYTES, read_limited};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use serde_json::{Number, Value};

/// Largest integer a JSON number can carry exactly in the clients that write floats (2^53).
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

pub async fn integral_numbers_as_integers(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let json = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.contains("json"));
    // A body announced as larger than any JSON body taken is left to the JSON extractor, which
    // refuses it (413) without reading it.
    let announced =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if json && announced.is_none_or(|n| n <= JSON_LIMIT_BYTES) {
        let payload = req.extract::<actix_web::web::Payload>().await?;
        let body = match read_limited(payload, JSON_LIMIT_BYTES).await {
            Ok(body) => body.freeze(),
            Err(error) => return Ok(req.into_response(error.error_response())),
        };
        // The body is read here once, so the input no field may carry is refused here too.
        if let Some(refused) = crate::http::hygiene::refuse_json(&body) {
            return Ok(req.into_response(refused.error_response()));
        }
        let body = rewrite(&body).map_or(body, Bytes::from);
        req.set_payload(Payload::from(body));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// The body with integral floats as integers, when it is JSON holding any; `None` to keep it.
fn rewrite(body: &[u8]) -> Option<Vec<u8>> {
    // Fast path: a float has a digit right before its '.' or exponent; most bodies have none.
    if !body.windows(2).any(|w| w[0].is_ascii_digit() && matches!(w[1], b'.' | b'e' | b'E')) {
        return None;
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    integral_to_integer(&mut value).then(|| serde_json::to_vec(&value).ok()).flatten()
}

/// Rewrites every integral float in `value`; answers whether anything changed.
fn integral_to_integer(value: &mut Value) -> bool {
    match value {
        Value::Number(n) if n.is_f64() => {
            let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= EXACT_INTEGER) else { return false };
            *n = Number::from(f as i64);
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |changed, item| integral_to_integer(item) | changed),
        Value::Object(fields) => fields.values_mut().fold(false, |changed, item| integral_to_integer(item) | changed),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(body: &str) -> Option<String> {
        rewrite(body.as_bytes()).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn integral_floats_become_integers_everywhere_in_the_body() {
        assert_eq!(rewritten(r#"{"minutes": 30.0}"#).as_deref(), Some(r#"{"minutes":30}"#));
        assert_eq!(rewritten(r#"{"a": [1e2, {"b": -2.0}]}"#).as_deref(), Some(r#"{"a":[100,{"b":-2}]}"#));
    }

    #[test]
    fn other_bodies_are_left_as_sent() {
        assert_eq!(rewritten(r#"{"minutes": 30}"#), None);
        assert_eq!(rewritten(r#"{"ratio": 0.5}"#), None);
        assert_eq!(rewritten(r#"{"title": "v1.0"}"#), None);
        assert_eq!(rewritten(r#"{"broken": 1.0"#), None, "invalid JSON is for the extractor to refuse");
        assert_eq!(rewritten(r#"{"huge": 1e300}"#), None);
    }
}
