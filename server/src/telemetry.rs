//! Logs, the request id and metrics.
//!
//! Logs: `tracing` to stderr, filtered by `RUST_LOG` (default `info`), as text or as one JSON
//! object a line (`JIAXIAO_LOG_FORMAT=json`). Every line logged while a request is served carries
//! the request's span (`request_id`, method, route pattern; see [`crate::http::request_id`]).
//!
//! The request id is held in a task-local for the duration of a request, like the language in
//! [`crate::i18n`], so the error envelope names it without threading it through every signature.
//! Metrics live in [`metrics`].

pub mod metrics;

use std::sync::Arc;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The filter when `RUST_LOG` is unset.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Installs the global subscriber once, in `format`; later calls (tests spawn many apps) are no-ops.
pub fn init(format: LogFormat) {
    install(format, DEFAULT_FILTER);
}

/// Like [`init`] in text, with another filter when `RUST_LOG` is unset (tests log warnings only).
pub fn init_with_default(default_filter: &str) {
    install(LogFormat::Text, default_filter);
}

fn install(format: LogFormat, default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        // The request's fields at the top of each line, where log search finds them.
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
}

tokio::task_local! {
    static REQUEST_ID: Arc<str>;
}

/// The id of the request being served (none outside a request).
pub fn current_request_id() -> Option<Arc<str>> {
    REQUEST_ID.try_with(Arc::clone).ok()
}

/// Runs `future` as the request `id`.
pub async fn scope_request_id<F: std::future::Future>(id: Arc<str>, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}
