//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests spawn many apps) are no-ops.
pub fn init() {
    init_with_default("info,sqlx=warn,sea_orm=warn");
}

/// Like [`init`], with another filter when `RUST_LOG` is unset (tests log warnings only).
pub fn init_with_default(default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}
