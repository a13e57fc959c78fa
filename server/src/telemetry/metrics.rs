//! Prometheus metrics: the process-wide recorder of the `metrics` facade, the name of every
//! metric, and the few helpers code records through (so names and labels stay in one place).
//!
//! Labels are bounded: routes are patterns (`/api/v1/notices/{id}`, never a raw path), channels
//! and results are fixed words. Gauges of the outbox and the database pool are measured when
//! `/metrics` is scraped, not on a timer.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests answered, by `method`, `route` (pattern) and `status`.
pub const HTTP_REQUESTS: &str = "jiaxiao_http_requests_total";
/// Time to the response head, by `method`, `route` and `status` (a histogram).
pub const HTTP_DURATION: &str = "jiaxiao_http_request_duration_seconds";
/// Sends to the outside world, by `channel` (`push`, `email`) and `result` (`sent`, `failed`).
pub const DELIVERIES: &str = "jiaxiao_deliveries_total";
/// Deliveries given up after the last attempt.
pub const DELIVERIES_ABANDONED: &str = "jiaxiao_deliveries_abandoned_total";
/// Open Server-Sent Events streams.
pub const SSE_CONNECTIONS: &str = "jiaxiao_sse_connections";
/// Deliveries due now and not yet sent.
pub const OUTBOX_DUE: &str = "jiaxiao_outbox_due";
/// How long the oldest due delivery has been waiting, seconds (0 when none is due).
pub const OUTBOX_OLDEST_DUE_AGE: &str = "jiaxiao_outbox_oldest_due_age_seconds";
/// Database pool connections, by `state` (`in_use`, `idle`).
pub const DB_POOL_CONNECTIONS: &str = "jiaxiao_db_pool_connections";
/// The largest the database pool may grow.
pub const DB_POOL_MAX: &str = "jiaxiao_db_pool_max_connections";

/// Latency buckets, seconds: from a cached read to a slow import.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The recorder, installed on first use (one per process: tests spawn many apps in one).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), LATENCY_BUCKETS) {
            Ok(with_buckets) => with_buckets,
            Err(error) => {
                tracing::warn!("latency buckets refused ({error}); latencies render as summaries");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if let Err(error) = ::metrics::set_global_recorder(recorder) {
            tracing::warn!("another metrics recorder is installed; /metrics stays empty: {error}");
        }
        describe();
        handle
    })
}

fn describe() {
    use ::metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(HTTP_REQUESTS, "Requests answered, by method, route pattern and status.");
    describe_histogram!(HTTP_DURATION, ::metrics::Unit::Seconds, "Time to the response head.");
    describe_counter!(DELIVERIES, "Push and email sends, by channel and result.");
    describe_counter!(DELIVERIES_ABANDONED, "Deliveries given up after the last attempt.");
    describe_gauge!(SSE_CONNECTIONS, "Open Server-Sent Events streams.");
    describe_gauge!(OUTBOX_DUE, "Deliveries due now and not yet sent.");
    describe_gauge!(OUTBOX_OLDEST_DUE_AGE, ::metrics::Unit::Seconds, "Wait of the oldest due delivery.");
    describe_gauge!(DB_POOL_CONNECTIONS, "Database pool connections, by state.");
    describe_gauge!(DB_POOL_MAX, "The largest the database pool may grow.");
}

/// Installs the recorder and keeps its histograms from growing between scrapes (the exporter
/// leaves that to its owner when it runs no listener of its own). Runs until the runtime stops.
pub fn start() {
    let handle = handle();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(5));
        loop {
            ticker.tick().await;
            handle.run_upkeep();
        }
    });
}

/// The metrics in Prometheus' text exposition format.
pub fn render() -> String {
    handle().render()
}

/// Counts one answered request.
pub fn record_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let labels = [("method", method.to_owned()), ("route", route.to_owned()), ("status", status.to_string())];
    ::metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    ::metrics::histogram!(HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// Counts one send on `channel` (`push` or `email`) by its result, and hands the result back:
/// `gateway.send(&request).await` becomes `count_send("push", gateway.send(&request).await)`.
pub fn count_send<T, E>(channel: &'static str, result: Result<T, E>) -> Result<T, E> {
    let outcome = if result.is_ok() { "sent" } else { "failed" };
    ::metrics::counter!(DELIVERIES, "channel" => channel, "result" => outcome).increment(1);
    result
}

/// Counts a delivery given up.
pub fn count_abandoned() {
    ::metrics::counter!(DELIVERIES_ABANDONED).increment(1);
}

/// The outbox as measured now.
pub fn observe_outbox(due: u64, oldest_due_age_secs: f64) {
    ::metrics::gauge!(OUTBOX_DUE).set(due as f64);
    ::metrics::gauge!(OUTBOX_OLDEST_DUE_AGE).set(oldest_due_age_secs);
}

/// The database pool as measured now.
pub fn observe_db_pool(size: u32, idle: usize, max: u32) {
    let in_use = f64::from(size) - idle as f64;
    ::metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set(in_use.max(0.0));
    ::metrics::gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(idle as f64);
    ::metrics::gauge!(DB_POOL_MAX).set(f64::from(max));
}

/// One open Server-Sent Events stream, counted while it lives: keep it in the stream, so the
/// gauge goes down however the stream ends (client gone, server stopping).
pub struct SseConnection(());

impl SseConnection {
    pub fn open() -> Self {
        ::metrics::gauge!(SSE_CONNECTIONS).increment(1.0);
        Self(())
    }
}

impl Drop for SseConnection {
    fn drop(&mut self) {
        ::metrics::gauge!(SSE_CONNECTIONS).decrement(1.0);
    }
}
