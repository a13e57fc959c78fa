//! Test harness: spawns the real server on a random port with a fresh database (a temporary
//! SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set) and, when
//! `TEST_REDIS_URL` is set, real Redis under a key prefix of its own. Tests drive it over HTTP.
//!
//! A service that was asked for and cannot be reached fails the test: nothing is skipped.

pub mod fakes;
pub mod world;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use server::infra::clock::FixedClock;
use server::{AppState, Application, Settings};
use uuid::Uuid;

pub use reqwest;
pub use serde_json::json;

/// The instant every test starts at: Monday 2026-11-23 16:00 in Shanghai.
pub fn start_of_test() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().expect("valid instant")
}

pub struct TestApp {
    pub address: String,
    /// The settings the app runs with (a peer instance reuses them).
    pub settings: Settings,
    pub client: reqwest::Client,
    pub clock: FixedClock,
    pub state: actix_web::web::Data<AppState>,
    /// The running server: stop it as SIGTERM would, and see it finish.
    pub server: RunningServer,
    _data_dir: tempfile::TempDir,
    postgres: Option<PostgresDatabase>,
}

/// A server started by a test.
pub struct RunningServer {
    stopper: server::startup::Stopper,
    finished: tokio::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>,
}

impl RunningServer {
    /// Stops it the graceful way and waits until it has finished serving.
    pub async fn stop(&self) {
        self.stopper.stop().await;
        if let Some(finished) = self.finished.lock().await.take() {
            let _ = finished.await;
        }
    }
}

/// A database created for one test, dropped when the test ends.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // `JIAXIAO_KEEP_TEST_DATABASE=1` keeps it, to look at a load run's data with `psql`.
        if std::env::var("JIAXIAO_KEEP_TEST_DATABASE").is_ok_and(|v| v == "1") {
            eprintln!("kept test database {}", self.name);
            return;
        }
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // The test's runtime is going away; drop the database from a runtime of our own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let db = Database::connect(&admin_url).await.ok()?;
                db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok()
            })
        })
        .join();
    }
}

/// The test's own database URL, creating the PostgreSQL database if one is asked for.
async fn test_database(data_dir: &std::path::Path) -> (Option<String>, Option<PostgresDatabase>) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        None => (Some(format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display())), None),
        Some(admin_url) => {
            let name = format!("jiaxiao_test_{}", Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let prefix = &base[..base.rfind('/').expect("TEST_DATABASE_URL has a database path")];
            (Some(format!("{prefix}/{name}")), Some(PostgresDatabase { admin_url, name }))
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// An app that emails through a real SMTP listener and pushes through a local gateway, both
/// started for the test.
pub async fn spawn_app_with_mail_and_push() -> (TestApp, fakes::SmtpListener, fakes::PushGatewayFake) {
    let smtp = fakes::SmtpListener::start();
    let gateway = fakes::PushGatewayFake::start();
    let (smtp_url, gateway_url) = (smtp.url.clone(), gateway.url.clone());
    let app = spawn_app_with(move |s| {
        s.smtp_url = Some(smtp_url);
        s.push_gateway_url = Some(gateway_url);
    })
    .await;
    (app, smtp, gateway)
}

/// Spawns the app after `customise` adjusts its settings (limits, lifetimes…).
/// For tests that only mean something across instances sharing Redis: they are `#[ignore]`d on
/// the embedded default and run by the Redis pass of `.ci/run`, where a missing Redis fails them.
pub fn require_redis() {
    assert!(
        std::env::var("TEST_REDIS_URL").is_ok_and(|u| !u.is_empty()),
        "this test needs TEST_REDIS_URL (it runs in the PostgreSQL + Redis pass of .ci/run)"
    );
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    server::telemetry::init_with_default("warn");
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (database_url, postgres) = test_database(data_dir.path()).await;
    let mut settings = Settings {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        database_url,
        db_max_connections: 5,
        jwt_secret: Some("test-secret-test-secret-test-secret-0123".into()),
        // Background loops off: tests run jobs and the delivery worker themselves, deterministically.
        jobs_interval_secs: 0,
        delivery_poll_millis: 0,
        ..Settings::default()
    };
    if let Some(redis_url) = std::env::var("TEST_REDIS_URL").ok().filter(|u| !u.is_empty()) {
        settings.redis_url = Some(redis_url);
        settings.redis_key_prefix = format!("jiaxiao-test:{}:", Uuid::new_v4().simple());
    }
    customise(&mut settings);
    let clock = FixedClock::new(start_of_test());
    let (address, state, server) = start(settings.clone(), clock.clone()).await;
    TestApp { address, settings, client: client(), clock, state, server, _data_dir: data_dir, postgres }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).build().expect("client")
}

async fn start(settings: Settings, clock: FixedClock) -> (String, actix_web::web::Data<AppState>, RunningServer) {
    let app = Application::build_with_clock(settings, Arc::new(clock))
        .await
        .unwrap_or_else(|e| panic!("the app failed to start: {e:#}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let stopper = app.stopper();
    let finished = tokio::spawn(app.run_until_stopped());
    (address, state, RunningServer { stopper, finished: tokio::sync::Mutex::new(Some(finished)) })
}

/// A response: status and JSON body (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The reply to a request built by hand on `app.client` (extra headers, raw bodies).
    pub async fn from_response(response: reqwest::Response) -> Self {
        Self::from(response).await
    }

    async fn from(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, headers }
    }

    /// The stable error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        self
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    fn authorised(&self, builder: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
        match token {
            Some(t) => builder.bearer_auth(t),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let request = self.authorised(self.client.get(self.url(path)), token);
        Reply::from(request.send().await.expect("request sent")).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let request = self.authorised(self.client.post(self.url(path)).json(&body), token);
        Reply::from(request.send().await.expect("request sent")).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let request = self.authorised(self.client.patch(self.url(path)).json(&body), token);
        Reply::from(request.send().await.expect("request sent")).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let request = self.authorised(self.client.put(self.url(path)).json(&body), token);
        Reply::from(request.send().await.expect("request sent")).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        let request = self.authorised(self.client.delete(self.url(path)), token);
        Reply::from(request.send().await.expect("request sent")).await
    }

    /// POSTs raw bytes with a content type: for CSV uploads and malformed bodies.
    pub async fn post_raw(&self, path: &str, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Reply {
        let request =
            self.authorised(self.client.post(self.url(path)), token).header("content-type", content_type).body(body);
        Reply::from(request.send().await.expect("request sent")).await
    }

    pub async fn post_csv(&self, path: &str, token: Option<&str>, csv: &str) -> Reply {
        self.post_raw(path, token, "text/csv", csv.as_bytes().to_vec()).await
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let reply =
            self.post("/api/v1/auth/login", None, json!({ "login": login, "password": password })).await.expect(200);
        reply.body["access_token"].as_str().expect("access token").to_owned()
    }

    /// Activates an account with its code and returns the access token.
    pub async fn activate(&self, login: &str, code: &str, password: &str) -> String {
        let reply = self
            .post("/api/v1/auth/activate", None, json!({ "login": login, "code": code, "password": password }))
            .await
            .expect(200);
        reply.body["access_token"].as_str().expect("access token").to_owned()
    }
}

impl TestApp {
    /// The app's (fixed) current time.
    pub fn clock_now(&self) -> DateTime<Utc> {
        use server::infra::clock::Clock;
        self.clock.now()
    }
}

impl TestApp {
    /// Runs the delivery worker until the outbox has nothing due.
    pub async fn deliver(&self) -> server::delivery::worker::Pass {
        let mut total = server::delivery::worker::Pass::default();
        loop {
            let pass = server::delivery::worker::run_once(&self.state, 100, None).await.expect("worker");
            total.claimed += pass.claimed;
            total.delivered += pass.delivered;
            total.retried += pass.retried;
            total.held += pass.held;
            total.failed += pass.failed;
            if pass.claimed == 0 {
                return total;
            }
        }
    }

    /// Runs every scheduled job once.
    pub async fn run_jobs(&self) -> server::jobs::JobReport {
        server::jobs::run_due(&self.state).await.expect("jobs")
    }
}

impl TestApp {
    /// A second server instance sharing this one's database, Redis and clock: a load-balanced peer.
    pub async fn spawn_peer(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings { data_dir: data_dir.path().to_path_buf(), ..self.settings.clone() };
        let (address, state, server) = start(settings.clone(), self.clock.clone()).await;
        TestApp {
            address,
            settings,
            client: client(),
            clock: self.clock.clone(),
            state,
            server,
            _data_dir: data_dir,
            postgres: None,
        }
    }

    /// Opens the real-time stream (`GET /api/v1/events`), optionally resuming after an event id.
    pub async fn events(&self, token: &str, last_event_id: Option<i64>) -> EventStream {
        EventStream::open(&reqwest::Client::new(), &self.address, token, last_event_id).await
    }
}

/// The client side of a Server-Sent Events stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    /// The `ready` event the stream opened with (its starting position).
    pub ready: Option<Event>,
}

/// One SSE event: its type, id and JSON data.
#[derive(Debug)]
pub struct Event {
    pub kind: String,
    pub id: i64,
    pub data: Value,
}

impl EventStream {
    /// Opens `GET /api/v1/events` on the server at `address` (`http://host:port`) with `client`,
    /// optionally resuming after an event id, and reads its `ready` event.
    pub async fn open(client: &reqwest::Client, address: &str, token: &str, last_event_id: Option<i64>) -> EventStream {
        let mut request = client.get(format!("{address}/api/v1/events")).bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("events request");
        assert_eq!(response.status().as_u16(), 200, "events stream refused");
        let mut stream = EventStream { response, buffer: String::new(), ready: None };
        let ready = stream.next_event(std::time::Duration::from_secs(10)).await.expect("a ready event first");
        assert_eq!(ready.kind, "ready", "the stream opens with its starting position");
        stream.ready = Some(ready);
        stream
    }

    /// Whether the server ends the stream within `wait` (events and comments meanwhile skipped).
    pub async fn ends_within(&mut self, wait: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return false,                   // still open
                Ok(Ok(Some(_))) => continue,              // an event or a keep-alive
                Ok(Ok(None)) | Ok(Err(_)) => return true, // closed by the server
            }
        }
    }

    /// The next event (comments skipped), or `None` if none arrives within `wait`.
    pub async fn next_event(&mut self, wait: std::time::Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = None;
                let mut kind = String::from("message");
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        kind = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = serde_json::from_str(v).ok();
                    }
                }
                if let (Some(id), Some(data)) = (id, data) {
                    return Some(Event { kind, id, data });
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.ok()?.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}
