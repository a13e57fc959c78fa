//! Input no field may carry, refused before any handler reads it, for every JSON body and query
//! string alike: the NUL character (PostgreSQL's text type cannot hold it, so it would be a 500
//! there and stored on SQLite: one answer on both backends instead), and dates with a signed year
//! (`-262143-01-01`, `+262142-01-01`): chrono parses them, the document's `format: date` and
//! `date-time` (RFC 3339: a four-digit year) do not allow them, and date arithmetic on them
//! overflows.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use serde_json::Value;

use crate::error::{ApiError, Code};

/// What makes a value unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    Nul,
    SignedYear,
}

impl Unreadable {
    fn explain(self) -> (&'static str, &'static str) {
        match self {
            Unreadable::Nul => {
                ("含有 NUL 字符（U+0000），请删除后重试。", "Contains a NUL character (U+0000): remove it.")
            }
            Unreadable::SignedYear => {
                ("日期须为 YYYY-MM-DD（四位年份）。", "Dates are YYYY-MM-DD with a four-digit year.")
            }
        }
    }
}

/// `-262143-01-01`, `+262142-01-01T00:00:00Z`: a whole value that is a date with a signed year.
fn is_signed_year_date(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['+', '-']) else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let tail = rest.as_bytes().get(digits..).unwrap_or_default();
    let two = |b: &[u8]| b.len() == 2 && b.iter().all(u8::is_ascii_digit);
    digits > 0
        && tail.len() >= 6
        && tail[0] == b'-'
        && two(&tail[1..3])
        && tail[3] == b'-'
        && two(&tail[4..6])
        && match tail.get(6) {
            None | Some(b'T' | b't') => true,
            // A space before a time (`… 08:00:00Z`) as chrono also reads it; a space before words
            // is text that starts with a date.
            Some(b' ') => tail.get(7..10).is_some_and(|t| two(&t[..2]) && t[2] == b':'),
            Some(_) => false,
        }
}

/// Why a single value is unreadable, if it is.
pub fn unreadable(value: &str) -> Option<Unreadable> {
    if value.contains('\0') {
        return Some(Unreadable::Nul);
    }
    is_signed_year_date(value).then_some(Unreadable::SignedYear)
}

/// The first unreadable string of a JSON value (keys included), with the field it sits in.
fn first_in_json(value: &Value, field: &str) -> Option<(String, Unreadable)> {
    match value {
        Value::String(s) => unreadable(s).map(|why| (field.to_owned(), why)),
        Value::Array(items) => items.iter().find_map(|item| first_in_json(item, field)),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(key, item)| unreadable(key).map(|why| (key.clone(), why)).or_else(|| first_in_json(item, key))),
        _ => None,
    }
}

/// A JSON body's first unreadable value as the 422 that refuses it; `None` for a clean body or
/// one that is not JSON (the extractor refuses that).
pub fn refuse_json(body: &[u8]) -> Option<ApiError> {
    let (field, why) = json_problem(body)?;
    let (zh, en) = why.explain();
    Some(ApiError::validation(&field, zh, en))
}

fn json_problem(body: &[u8]) -> Option<(String, Unreadable)> {
    // Fast path: a NUL can only be written as a `\u` escape in JSON, and a signed
    // year only right after a string's opening quote.
    let suspicious = body.windows(2).any(|w| matches!(w, [b'\\', b'u'] | [b'"', b'+'] | [b'"', b'-']));
    if !suspicious {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    first_in_json(&value, "body")
}

/// Refuses a query string with an unreadable parameter (400 `invalid_query`, naming it).
pub async fn refuse_unreadable_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !req.query_string().is_empty() {
        let pairs = actix_web::web::Query::<Vec<(String, String)>>::from_query(req.query_string());
        let found = pairs.ok().and_then(|pairs| {
            pairs
                .0
                .into_iter()
                .find_map(|(name, value)| unreadable(&name).or(unreadable(&value)).map(|why| (name, why)))
        });
        if let Some((name, why)) = found {
            let (zh, en) = why.explain();
            let error = ApiError::new(Code::InvalidQuery)
                .with_message(crate::error::Message::new(format!("{name}：{zh}"), format!("{name}: {en}")))
                .with_details(serde_json::json!({ "field": name }));
            return Ok(req.into_response(error.error_response()));
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_signed_years_are_unreadable() {
        assert_eq!(unreadable("请家长\u{0}签字"), Some(Unreadable::Nul));
        assert_eq!(unreadable("-262143-01-01"), Some(Unreadable::SignedYear));
        assert_eq!(unreadable("+262142-01-01T00:00:00Z"), Some(Unreadable::SignedYear));
        assert_eq!(unreadable("+262142-01-01 00:00:00Z"), Some(Unreadable::SignedYear));
    }

    #[test]
    fn what_people_write_stays_readable() {
        for text in
            ["第一行\n第二行\t缩进\r\n", "2026-12-03", "2026-12-03T08:00:00Z", "-2026-12-03 开家长会", "-5", "+86 138"]
        {
            assert_eq!(unreadable(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_json_body_names_the_field_that_holds_it() {
        let found = json_problem(br#"{"title": "ok", "audience": {"note": "a\u0000b"}}"#);
        assert_eq!(found, Some(("note".to_owned(), Unreadable::Nul)));
        let found = json_problem(br#"{"dates": ["2026-12-03", "-262143-01-01"]}"#);
        assert_eq!(found, Some(("dates".to_owned(), Unreadable::SignedYear)));
        assert_eq!(json_problem(br#"{"title": "\u4e2d\u6587", "minutes": -5}"#), None);
        assert_eq!(json_problem(br#"{"text": "a\\u0000 is how NUL is written"}"#), None, "an escaped backslash");
        assert_eq!(json_problem(b"{not json"), None);
    }
}
