//! Seek pagination: `?cursor=&limit=` in, `{"items": [...], "next_cursor": ...}` out.
//!
//! A cursor is an opaque, URL-safe encoding of the sort key of the last item returned; the next
//! page starts strictly after it, so inserts between calls never duplicate or skip items.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::constraints::{ParamRule, Rule};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// The page parameters' limits, for the API document.
pub const LIMITS: &[ParamRule] = &[ParamRule { name: "limit", rule: Rule::Range { min: 1, max: MAX_LIMIT as i64 } }];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page; omit for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u64>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::validation(
                "limit",
                format!("limit 须在 1 到 {MAX_LIMIT} 之间。"),
                format!("limit must be between 1 and {MAX_LIMIT}."),
            )),
        }
    }

    /// The decoded sort key the page starts after.
    pub fn after(&self) -> Result<Option<String>, ApiError> {
        let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) else { return Ok(None) };
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(Some)
            .ok_or_else(ApiError::invalid_cursor)
    }
}

/// The sort key of lists ordered newest first by (instant, id): `"<rfc3339 µs>|<uuid>"`.
pub fn instant_key(at: DateTime<Utc>, id: Uuid) -> String {
    format!("{}|{id}", at.to_rfc3339_opts(SecondsFormat::Micros, true))
}

/// Reads back an [`instant_key`] from a decoded cursor.
fn parse_instant_key(raw: &str) -> Result<(DateTime<Utc>, Uuid), ApiError> {
    raw.split_once('|')
        .and_then(|(t, id)| Some((DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc), id.parse().ok()?)))
        .ok_or_else(ApiError::invalid_cursor)
}

impl PageQuery {
    /// For lists ordered newest first by (`instant`, `id`) with [`instant_key`] cursors: the
    /// condition selecting rows strictly after the cursor, if one was given.
    pub fn older_than<C: ColumnTrait>(&self, instant: C, id: C) -> Result<Option<Condition>, ApiError> {
        let Some(after) = self.after()? else { return Ok(None) };
        let (at, last) = parse_instant_key(&after)?;
        Ok(Some(Condition::any().add(instant.lt(at)).add(Condition::all().add(instant.eq(at)).add(id.lt(last)))))
    }

    /// One page of `query` newest first by (`instant`, `id`), after the cursor: the rows to fetch
    /// (`limit + 1`, see [`Page::from_rows`]).
    pub fn newest_first<E: EntityTrait>(
        &self,
        mut query: Select<E>,
        instant: E::Column,
        id: E::Column,
    ) -> Result<Select<E>, ApiError> {
        if let Some(older) = self.older_than(instant, id)? {
            query = query.filter(older);
        }
        Ok(query.order_by_desc(instant).order_by_desc(id).limit(self.limit()? + 1))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows: the extra row only says there is more.
    pub fn from_rows(mut rows: Vec<T>, limit: u64, key: impl Fn(&T) -> String) -> Self {
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(|last| URL_SAFE_NO_PAD.encode(key(last))) } else { None };
        Page { items: rows, next_cursor }
    }
}
