//! Typed settings: defaults → optional TOML file → environment (`JIAXIAO_…`, plus the
//! conventional `DATABASE_URL` and `REDIS_URL`). Injected into [`crate::Application::build`];
//! never a global. The embedded default needs no configuration at all.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address to listen on (`JIAXIAO_LISTEN`).
    pub listen: String,
    /// Folder for the SQLite file, the generated JWT secret and (later) outbox files (`JIAXIAO_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…` (`DATABASE_URL`). Unset: `<data_dir>/jiaxiao.db`.
    pub database_url: Option<String>,
    /// Database pool size (`JIAXIAO_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// `redis://…` (`REDIS_URL`). Unset: in-process rate limits, bus and locks (one instance only).
    pub redis_url: Option<String>,
    /// Prefix of every Redis key, so several deployments (or test runs) can share one Redis.
    pub redis_key_prefix: String,
    /// HMAC secret for access tokens (`JIAXIAO_JWT_SECRET`), at least 32 bytes. Required on
    /// PostgreSQL (several instances must share it); on SQLite one is generated into the data folder.
    pub jwt_secret: Option<String>,
    /// Lifetime of an access token, seconds.
    pub access_token_ttl_secs: i64,
    /// Lifetime of a refresh token, days.
    pub refresh_token_ttl_days: i64,
    /// Lifetime of a one-time activation code, days.
    pub activation_code_ttl_days: i64,
    /// Wrong passwords allowed per account and client address in one window (ten times as many
    /// per account from all addresses); activation attempts per login.
    pub login_attempts_per_login: u32,
    /// Sign-in attempts allowed per client IP in one window.
    pub login_attempts_per_ip: u32,
    /// Length of the rate-limit window for sign-in and activation, seconds.
    pub login_window_secs: u64,
    /// HTTP worker threads; 0: one per core (one in debug builds).
    pub workers: usize,
    /// Trust `X-Forwarded-For` for the client IP (only behind your own load balancer).
    pub trust_proxy: bool,
    /// How many proxies of yours append to `X-Forwarded-For` (a load balancer: 1; a CDN in front
    /// of it: 2). The client is the address the outermost of them appended: that many entries
    /// from the right. Entries further left are the client's own writing and never trusted.
    pub proxy_hops: usize,
    /// Largest roster CSV accepted, bytes.
    pub max_csv_bytes: usize,
    /// How often scheduled jobs run, seconds; 0 disables them (tests run them by hand).
    pub jobs_interval_secs: u64,
    /// How often the district dashboards' default view is precomputed, seconds; a snapshot older
    /// than twice this is not served (the dashboard is computed live instead). 0: never.
    pub dashboard_refresh_secs: u64,
    /// How often the delivery worker looks for due deliveries, milliseconds; 0 disables it.
    pub delivery_poll_millis: u64,
    /// SMTP server (`smtp://host:25`, `smtps://user:pass@host:465`, lettre's URL form). Unset:
    /// emails are written as `.eml` files into `<data_dir>/outbox`.
    pub smtp_url: Option<String>,
    /// Sender of emails.
    pub mail_from: String,
    /// Base URL of the push gateway (see mobile-api-spec/push-gateway.md). Unset: no push.
    pub push_gateway_url: Option<String>,
    /// Seconds between keep-alive comments on an idle event stream: under the idle timeout of
    /// every proxy in front of the server; also how soon a client that went away is noticed.
    pub sse_heartbeat_secs: u64,
    /// How long one push or one email may take before it counts as failed (and is retried):
    /// a hanging gateway or SMTP server must not hold the delivery worker.
    pub delivery_timeout_secs: u64,
    /// Notices and messages one person may send per hour.
    pub sends_per_user_per_hour: u32,
    /// Notices and messages one school may send per hour, all senders together.
    pub sends_per_school_per_hour: u32,
    /// Where conversation attachments are stored (default `<data_dir>/attachments`).
    pub attachments_path: Option<std::path::PathBuf>,
    /// Largest attachment accepted, bytes.
    pub max_attachment_bytes: usize,
    /// Log lines as `text` (default) or `json`, one object a line (`JIAXIAO_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Bearer token `GET /metrics` requires (`JIAXIAO_METRICS_TOKEN`). Unset: `/metrics` answers
    /// loopback clients only. Either way anyone else gets a 404.
    pub metrics_token: Option<String>,
    /// Write the rows of a notice to thousands right after its answer (default). False leaves
    /// them to the jobs: tests use it to look at the moment in between.
    pub background_fan_out: bool,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line, for a log pipeline.
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            db_max_connections: 10,
            redis_url: None,
            redis_key_prefix: "jiaxiao:".into(),
            jwt_secret: None,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_days: 30,
            activation_code_ttl_days: 30,
            login_attempts_per_login: 10,
            login_attempts_per_ip: 100,
            login_window_secs: 15 * 60,
            workers: 0,
            trust_proxy: false,
            proxy_hops: 1,
            max_csv_bytes: 20 * 1024 * 1024,
            jobs_interval_secs: 10,
            dashboard_refresh_secs: 300,
            delivery_poll_millis: 1_000,
            smtp_url: None,
            mail_from: "家校 Jiaxiao <no-reply@jiaxiao.invalid>".into(),
            push_gateway_url: None,
            delivery_timeout_secs: 10,
            sse_heartbeat_secs: 15,
            sends_per_user_per_hour: 60,
            sends_per_school_per_hour: 600,
            attachments_path: None,
            max_attachment_bytes: 10 * 1024 * 1024,
            log_format: LogFormat::Text,
            metrics_token: None,
            background_fan_out: true,
        }
    }
}

impl Settings {
    /// Loads defaults, then `config_file` if given (or `jiaxiao.toml` in the working directory if
    /// present), then the environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(path) => {
                anyhow::ensure!(path.exists(), "config file {} does not exist", path.display());
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("jiaxiao.toml")),
        }
        let settings: Settings = figment
            .merge(Env::prefixed("JIAXIAO_"))
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .extract()?;
        Ok(settings)
    }

    /// The database URL in force: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("jiaxiao.db").display()),
        }
    }

    /// The attachments folder in force.
    pub fn attachments_dir(&self) -> PathBuf {
        self.attachments_path.clone().unwrap_or_else(|| self.data_dir.join("attachments"))
    }

    /// Production means a shared PostgreSQL: several instances, so secrets must be configured.
    pub fn is_production(&self) -> bool {
        self.effective_database_url().starts_with("postgres")
    }
}
