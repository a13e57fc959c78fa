//! The composition root: builds the state (database, Redis, keys, adapters), mounts every domain's
//! routes, starts the background workers and the server. Only `main.rs` and `lib.rs` import it.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde::Serialize;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::Settings;
use crate::error::ApiError;
use crate::http::allowed_methods::{self, AllowedMethods};
use crate::http::extractors::ClientIp;
use crate::http::{lang, payload, request_id};
use crate::infra::bus::Bus;
use crate::infra::clock::{Clock, SystemClock};
use crate::infra::jwt::JwtKeys;
use crate::infra::mailer::Mailer;
use crate::infra::push_gateway::PushGateway;
use crate::infra::rate_limit::RateLimiter;
use crate::infra::{db, redis as redis_infra};
use crate::state::AppState;

/// Connects to the database (running migrations) and Redis, loads the signing key and builds the
/// adapters: the whole `AppState`.
pub async fn build_state(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let jwt = JwtKeys::from_secret(&load_jwt_secret(&settings)?);
    let db = db::connect(&settings).await?;
    db::migrate(&db).await?;
    let redis = match settings.redis_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => Some(redis_infra::connect(url).await?),
        None => None,
    };
    let limiter = match &redis {
        Some(manager) => RateLimiter::Redis { manager: manager.clone(), prefix: settings.redis_key_prefix.clone() },
        None => RateLimiter::memory(),
    };
    let delivery_timeout = std::time::Duration::from_secs(settings.delivery_timeout_secs.max(1));
    let mailer = match settings.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => Mailer::smtp(url, delivery_timeout)?,
        None => Mailer::files(settings.data_dir.join("outbox"))?,
    };
    let push = match settings.push_gateway_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => Some(PushGateway::new(url, delivery_timeout)?),
        None => None,
    };
    let bus = match (&redis, settings.redis_url.as_deref()) {
        (Some(manager), Some(url)) => {
            let channel = format!("{}events", settings.redis_key_prefix);
            Bus::redis(url, manager.clone(), channel).await?
        }
        _ => Bus::in_process(),
    };
    Ok(AppState {
        db,
        mailer,
        bus,
        sessions: Default::default(),
        push,
        settings: Arc::new(settings),
        jwt,
        limiter,
        clock,
        redis,
        openapi_json: Arc::new(openapi_json()),
        shutdown: tokio::sync::watch::channel(false).0,
        session_live: crate::auth::extractor::session_live,
    })
}

/// The configured secret, or on the embedded default one generated into the data folder.
fn load_jwt_secret(settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = settings.jwt_secret.as_deref().filter(|s| !s.is_empty()) {
        anyhow::ensure!(secret.len() >= 32, "JIAXIAO_JWT_SECRET must be at least 32 bytes long");
        return Ok(secret.as_bytes().to_vec());
    }
    anyhow::ensure!(
        !settings.is_production(),
        "JIAXIAO_JWT_SECRET is required with PostgreSQL: every instance must sign with the same secret"
    );
    std::fs::create_dir_all(&settings.data_dir)?;
    let path = settings.data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= 32
    {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    let secret = crate::auth::credentials::new_refresh_token();
    std::fs::write(&path, &secret)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(secret.into_bytes())
}

/// Every `/api/v1` route, documented: the server and the OpenAPI document both come from here.
pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(crate::auth::routes)
            .configure(crate::org::routes)
            .configure(crate::guard::routes)
            .configure(crate::notices::routes)
            .configure(crate::inbox::routes)
            .configure(crate::delivery::routes)
            .configure(crate::realtime::routes)
            .configure(crate::conversations::routes)
            .configure(crate::homework::routes)
            .configure(crate::afterschool::routes)
            .configure(crate::calendar::routes)
            .configure(crate::mentoring::routes)
            .configure(crate::parent_school::routes)
            .configure(crate::complaints::routes)
            .configure(crate::reporting::routes)
            .configure(crate::roster::routes),
    );
}

/// The OpenAPI document, built from the same route table the server runs, with the limits each
/// domain enforces on its fields.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi_document_with_unapplied_limits().0
}

/// The document, and the limits that name a field it does not have (a test keeps this empty).
pub fn openapi_document_with_unapplied_limits() -> (utoipa::openapi::OpenApi, Vec<String>) {
    let fields = [
        crate::auth::dto::LIMITS,
        crate::org::dto::LIMITS,
        crate::guard::dto::LIMITS,
        crate::notices::dto::LIMITS,
        crate::delivery::dto::LIMITS,
        crate::conversations::dto::LIMITS,
        crate::homework::dto::LIMITS,
        crate::afterschool::dto::LIMITS,
        crate::afterschool::summer::dto::LIMITS,
        crate::calendar::dto::LIMITS,
        crate::mentoring::dto::LIMITS,
        crate::mentoring::dto::VISIT_LIMITS,
        crate::mentoring::dto::RECORD_LIMITS,
        crate::mentoring::dto::CHOICE_LIMITS,
        crate::parent_school::dto::LIMITS,
        crate::complaints::dto::LIMITS,
        crate::reporting::dto::LIMITS,
    ]
    .concat();
    let params =
        [crate::http::pagination::LIMITS, crate::homework::dto::QUERY_LIMITS, crate::reporting::dto::QUERY_LIMITS]
            .concat();
    crate::http::openapi::document(api_routes, &fields, &params)
}

/// The document as committed in `mobile-api-spec/openapi.json`.
pub fn openapi_json() -> String {
    crate::http::openapi::to_committed_json(&openapi_document())
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let jobs_interval_secs = settings.jobs_interval_secs;
        let dashboard_refresh_secs = settings.dashboard_refresh_secs;
        let delivery_poll_millis = settings.delivery_poll_millis;
        let server_settings = settings.clone();
        let state = web::Data::new(build_state(settings, clock).await?);
        crate::telemetry::metrics::start();
        let server_state = state.clone();
        // The event streams' batched reader (a domain's, so not in the foundation's `AppState`).
        let stream_reader = web::Data::new(crate::realtime::reader::Reader::start(state.db.clone()));
        // Visit acceptances waiting for their teachers' next batch (mentoring's, likewise).
        let bookings = web::Data::new(crate::mentoring::service::visits::Bookings::default());
        let allowed = web::Data::new(AllowedMethods::from_document(&openapi_document(), UNDOCUMENTED_ROUTES));
        let server = HttpServer::new(move || {
            App::new()
                // Before the `/api/v1` scope, which would otherwise claim this path.
                .route("/api/v1/openapi.json", web::get().to(serve_openapi_json))
                .route("/", web::get().to(to_the_explorer))
                .route("/docs", web::get().to(to_the_explorer))
                .service(
                    utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                        .config(utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"])),
                )
                .into_utoipa_app()
                .configure(api_routes)
                .into_app()
                .app_data(server_state.clone())
                .app_data(stream_reader.clone())
                .app_data(bookings.clone())
                .app_data(allowed.clone())
                .app_data(payload::json_config())
                .app_data(payload::query_config())
                .app_data(payload::path_config())
                .route("/healthz", web::get().to(healthz))
                .route("/readyz", web::get().to(readyz))
                .route("/metrics", web::get().to(metrics))
                .configure(crate::reporting::page::routes)
                .default_service(web::to(allowed_methods::no_such_route))
                .wrap(from_fn(crate::http::json_numbers::integral_numbers_as_integers))
                .wrap(from_fn(crate::http::allowed_methods::refuse_unknown_query))
                .wrap(from_fn(crate::http::hygiene::refuse_unreadable_query))
                .wrap(from_fn(crate::http::idempotency::idempotent))
                // Inside the language, so an error it renders is in the caller's language.
                .wrap(from_fn(request_id::with_request_id))
                .wrap(from_fn(lang::with_request_lang))
        })
        .workers(workers(&server_settings))
        // Signals are ours (`run_until_stopped`): streams are told to end before the server
        // waits for open connections, so a stop never waits the grace out on idle streams.
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_GRACE_SECS)
        .listen(listener)?
        .run();
        if jobs_interval_secs > 0 {
            crate::jobs::spawn(state.clone(), std::time::Duration::from_secs(jobs_interval_secs));
            if dashboard_refresh_secs > 0 {
                crate::jobs::spawn_dashboard_refresh(
                    state.clone(),
                    std::time::Duration::from_secs(dashboard_refresh_secs),
                );
            }
        }
        if delivery_poll_millis > 0 {
            crate::delivery::worker::spawn(state.clone(), std::time::Duration::from_millis(delivery_poll_millis));
        }
        Ok(Self { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// What stops this server gracefully (a test's stand-in for SIGTERM).
    pub fn stopper(&self) -> Stopper {
        Stopper { handle: self.server.handle(), state: self.state.clone() }
    }

    /// Serves until SIGTERM or Ctrl-C, then stops gracefully (see [`Stopper::stop`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stopper = self.stopper();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            stopper.stop().await;
        });
        self.server.await
    }
}

/// At most this long between a stop and the process's exit: in-flight requests finish within it.
pub const SHUTDOWN_GRACE_SECS: u64 = 5;

/// Stops a server the graceful way.
#[derive(Clone)]
pub struct Stopper {
    handle: actix_web::dev::ServerHandle,
    state: web::Data<AppState>,
}

impl Stopper {
    /// Ends every event stream (clients reconnect, to another instance, with `Last-Event-ID`),
    /// lets the background workers finish their current pass, stops accepting connections and
    /// waits for in-flight requests, at most [`SHUTDOWN_GRACE_SECS`].
    pub async fn stop(&self) {
        let _ = self.state.shutdown.send(true);
        self.handle.stop(true).await;
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// HTTP workers: `JIAXIAO_WORKERS`, or one per core (one in debug builds).
fn workers(settings: &Settings) -> usize {
    match settings.workers {
        0 if cfg!(debug_assertions) => 1,
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Routes served outside the OpenAPI document, with their methods (for `405`'s `Allow`).
const UNDOCUMENTED_ROUTES: &[(&str, &[&str])] = &[
    ("/", &["GET"]),
    ("/docs", &["GET"]),
    ("/healthz", &["GET"]),
    ("/readyz", &["GET"]),
    ("/metrics", &["GET"]),
    ("/api/v1/openapi.json", &["GET"]),
    ("/dashboard", &["GET"]),
    ("/dashboard/", &["GET"]),
    ("/dashboard/app.js", &["GET"]),
    ("/dashboard/app.css", &["GET"]),
    ("/dashboard/echarts.js", &["GET"]),
    ("/dashboard/ECHARTS-LICENSE", &["GET"]),
];

/// `/` and `/docs` lead to the API explorer (Swagger UI over `/api/v1/openapi.json`).
async fn to_the_explorer() -> HttpResponse {
    HttpResponse::Found().insert_header(("Location", "/docs/")).finish()
}

/// Liveness: the process answers.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

#[derive(Serialize)]
struct Readiness {
    status: &'static str,
    database: Check,
    redis: Check,
}

#[derive(Serialize)]
struct Check {
    status: &'static str,
    backend: &'static str,
}

/// Readiness: the database (and Redis, when configured) answer. 503 otherwise, so a load balancer
/// stops sending traffic here.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let database_ok = db::ping(&state.db).await;
    let redis = match &state.redis {
        None => Check { status: "not_configured", backend: "in-process" },
        Some(manager) => {
            let mut manager = manager.clone();
            let ok = redis_infra::ping(&mut manager).await.is_ok();
            Check { status: if ok { "ok" } else { "unreachable" }, backend: "redis" }
        }
    };
    // Real-time events from other instances stop while the bus's subscription is being remade.
    let redis = if redis.status == "ok" && !state.bus.is_subscribed() {
        Check { status: "resubscribing", backend: "redis" }
    } else {
        redis
    };
    let ready = database_ok && matches!(redis.status, "ok" | "not_configured");
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database: Check {
            status: if database_ok { "ok" } else { "unreachable" },
            backend: db::backend_name(&state.db),
        },
        redis,
    };
    if ready { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

/// Prometheus metrics for operators (README, "Observability"); the outbox is measured now.
async fn metrics(req: HttpRequest, client: ClientIp, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    crate::http::metrics::authorize(&req, client.0, &state.settings)?;
    let now = state.clock.now();
    match crate::delivery::outbox::backlog(&state.db, now).await {
        Ok(backlog) => {
            let waited = backlog.oldest_due_at.map_or(0, |at| (now - at).num_milliseconds().max(0));
            crate::telemetry::metrics::observe_outbox(backlog.due, waited as f64 / 1000.0);
        }
        // The rest still tells the operator something; /readyz reports the database.
        Err(error) => tracing::warn!("outbox backlog not measured: {error}"),
    }
    Ok(crate::http::metrics::render(&state))
}

async fn serve_openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(state.openapi_json.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_limit_names_a_field_of_the_document() {
        let (_, unapplied) = openapi_document_with_unapplied_limits();
        assert!(unapplied.is_empty(), "limits on fields the document lacks: {unapplied:?}");
    }

    #[test]
    fn postgres_without_a_jwt_secret_refuses_to_start() {
        let settings = Settings { database_url: Some("postgres://db.internal/jiaxiao".into()), ..Settings::default() };
        let error = load_jwt_secret(&settings).unwrap_err();
        assert!(error.to_string().contains("JIAXIAO_JWT_SECRET"));
        let short = Settings { jwt_secret: Some("too short".into()), ..settings };
        assert!(load_jwt_secret(&short).is_err());
    }

    #[test]
    fn the_embedded_default_generates_a_secret_once_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings { data_dir: dir.path().to_path_buf(), ..Settings::default() };
        let first = load_jwt_secret(&settings).unwrap();
        let second = load_jwt_secret(&settings).unwrap();
        assert!(first.len() >= 32);
        assert_eq!(first, second);
    }
}
