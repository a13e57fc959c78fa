//! `GET /api/v1/events`: Server-Sent Events of the caller's new inbox items.
//!
//! The first event is `event: ready` with the position the stream starts after (`id` and
//! `data: {"seq"}`); then each is `id: <seq>`, `event: inbox`, `data: {"seq", "kind", "ref_id",
//! "created_at"}`.
//! The event id is the inbox item's `seq`: a client that reconnects with `Last-Event-ID` first
//! receives every item after it, then live ones. A comment line every 15 seconds keeps proxies
//! from closing an idle stream. A stream ends when its session does (sign-out, a password change
//! on another device, a replayed refresh token): the bus tells every instance.

use std::collections::VecDeque;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use uuid::Uuid;

use super::reader::{PAGE, Reader};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::infra::bus::Subscription;
use crate::state::AppState;
use crate::telemetry::metrics::SseConnection;

/// The first event of every stream: where it starts. Its id is the position, so a client that
/// reconnects before any inbox event arrived still resumes from here (`Last-Event-ID`) instead of
/// "from now", and misses nothing that came in between.
fn ready_frame(last: i64) -> Bytes {
    Bytes::from(format!("id: {last}\nevent: ready\ndata: {{\"seq\":{last}}}\n\n"))
}

/// One event of the stream as an EventSource client reads it (the document's description of each
/// event; the server writes them as text in `next_frame`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct StreamEvent {
    /// The inbox item's `seq`: send it back as `Last-Event-ID` to resume after it.
    #[schema(example = "42")]
    id: String,
    /// `ready` first (the stream's starting position), then `inbox` for each new item.
    #[schema(example = "inbox")]
    event: String,
    /// JSON: for `inbox`, `{"seq", "kind", "ref_id", "created_at"}` of the new item; for `ready`,
    /// `{"seq"}` of the position the stream starts after.
    data: String,
}

#[derive(Serialize)]
struct Event {
    seq: i64,
    kind: String,
    ref_id: Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
}

struct Stream {
    reader: web::Data<Reader>,
    account: Uuid,
    last: i64,
    /// Rung when items may exist for the account; marked ended when the stream's session ends.
    wakes: Subscription,
    pending: VecDeque<Bytes>,
    heartbeat: tokio::time::Interval,
    /// Read the database before waiting (backlog after `Last-Event-ID`).
    catch_up: bool,
    /// Turns true when the server shuts down: the stream ends, the client reconnects.
    shutdown: tokio::sync::watch::Receiver<bool>,
    /// Counts the stream as open until it is dropped.
    _open: SseConnection,
}

impl Stream {
    /// New items after `last`, as SSE frames.
    async fn read_new(&mut self) -> Result<(), sea_orm::DbErr> {
        loop {
            let items = self.reader.items_after(self.account, self.last).await?;
            let full = items.len() as u64 == PAGE;
            for item in items {
                self.last = item.seq;
                let event = Event { seq: item.seq, kind: item.kind, ref_id: item.ref_id, created_at: item.created_at };
                let data = serde_json::to_string(&event).unwrap_or_default();
                self.pending.push_back(Bytes::from(format!("id: {}\nevent: inbox\ndata: {data}\n\n", event.seq)));
            }
            if !full {
                return Ok(());
            }
        }
    }

    async fn next_frame(mut self) -> Option<(Result<Bytes, actix_web::Error>, Self)> {
        loop {
            if let Some(frame) = self.pending.pop_front() {
                return Some((Ok(frame), self));
            }
            if self.catch_up {
                self.catch_up = false;
                if let Err(error) = self.read_new().await {
                    tracing::warn!("event stream read failed: {error}");
                    return None; // the client reconnects with Last-Event-ID and misses nothing
                }
                continue;
            }
            if *self.shutdown.borrow() {
                return None;
            }
            tokio::select! {
                _ = self.shutdown.changed() => return None,
                ended = self.wakes.rung() => {
                    if ended {
                        return None;
                    }
                    self.catch_up = true;
                }
                _ = self.heartbeat.tick() => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), self)),
            }
        }
    }
}

/// A stream of the caller's new inbox items (Server-Sent Events). Reconnect with `Last-Event-ID`
/// (or `?last_event_id=`) to resume; without it the stream starts from now.
#[utoipa::path(
    tag = "inbox",
    security(("bearer" = [])),
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "The last `seq` received; events after it are sent first"),
        ("last_event_id" = Option<i64>, Query, description = "Same, for clients that cannot set headers"),
    ),
    responses(
        (status = 200, description = "`text/event-stream` of `inbox` events (the schema describes one event)", content_type = "text/event-stream", body = StreamEvent),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: Last-Event-ID is not a number", body = ErrorBody),
    )
)]
#[get("/events")]
pub async fn events(
    state: web::Data<AppState>,
    reader: web::Data<Reader>,
    user: AuthUser,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let from_header = req.headers().get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let from_query = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("last_event_id").cloned());
    // Each one given must be a number, as the document says, even when the header wins.
    let parse = |field: &'static str, v: Option<String>| {
        v.map(|v| v.parse::<i64>()).transpose().map_err(|_| {
            ApiError::validation(field, format!("{field} 须为数字。"), format!("{field} must be a number."))
        })
    };
    let from_header = parse("Last-Event-ID", from_header)?;
    let from_query = parse("last_event_id", from_query)?;
    let resume = from_header.or(from_query);
    // Subscribe before reading the starting point, so nothing committed in between is missed.
    let wakes = state.bus.subscribe(user.account_id, user.session_id);
    let last = match resume {
        Some(seq) => seq,
        None => crate::inbox::service::latest_seq(&state, user.account_id).await?,
    };
    // Keeps proxies from closing an idle stream, and finds a client that went away: a write to
    // it fails, and the stream is dropped with its subscription.
    let mut heartbeat = tokio::time::interval(Duration::from_secs(state.settings.sse_heartbeat_secs.max(1)));
    heartbeat.reset(); // the first tick after one interval, not at once
    let stream = Stream {
        reader,
        account: user.account_id,
        last,
        wakes,
        pending: VecDeque::from([ready_frame(last)]),
        heartbeat,
        catch_up: resume.is_some(),
        shutdown: state.shutdown.subscribe(),
        _open: SseConnection::open(),
    };
    let body = futures_util::stream::unfold(stream, Stream::next_frame);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}
