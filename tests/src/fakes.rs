//! Real network peers for delivery tests: an SMTP server (mailin-embedded) and a push gateway
//! (a small actix-web server speaking the gateway contract of `mobile-api-spec/push-gateway.md`).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use serde_json::{Value, json};

/// One email as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    /// The raw message (headers and body).
    pub data: String,
}

impl Mail {
    /// The decoded text body (lettre sends non-ASCII text as base64 or quoted-printable).
    pub fn body_text(&self) -> String {
        let (headers, body) = self.data.split_once("\r\n\r\n").unwrap_or((&self.data, ""));
        let headers = headers.to_ascii_lowercase();
        if headers.contains("content-transfer-encoding: base64") {
            use base64::Engine;
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_default();
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        if headers.contains("content-transfer-encoding: quoted-printable") {
            let joined = body.replace("=\r\n", "");
            let mut bytes = Vec::new();
            let raw = joined.as_bytes();
            let mut i = 0;
            while i < raw.len() {
                if raw[i] == b'='
                    && i + 2 < raw.len()
                    && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
                {
                    bytes.push(b);
                    i += 3;
                    continue;
                }
                bytes.push(raw[i]);
                i += 1;
            }
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        body.to_owned()
    }
}

#[derive(Clone)]
struct Recorder {
    mails: Arc<Mutex<Vec<Mail>>>,
    to: Vec<String>,
    buffer: Vec<u8>,
}

impl Handler for Recorder {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.buffer.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buffer.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mail = Mail { to: std::mem::take(&mut self.to), data: String::from_utf8_lossy(&self.buffer).into_owned() };
        self.mails.lock().unwrap_or_else(|e| e.into_inner()).push(mail);
        response::OK
    }
}

pub struct SmtpListener {
    /// `smtp://127.0.0.1:<port>` for the app's `smtp_url`.
    pub url: String,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpListener {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind SMTP");
        let port = listener.local_addr().expect("addr").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Recorder { mails: mails.clone(), to: Vec::new(), buffer: Vec::new() });
        server.with_name("smtp.test").with_ssl(SslConfig::None).expect("no TLS").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { url: format!("smtp://127.0.0.1:{port}"), mails }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[derive(Default)]
struct GatewayState {
    received: Vec<Value>,
    reject: HashSet<String>,
    fail_next: usize,
    /// Requests that arrived, answered or not.
    requests: usize,
    hanging: bool,
}

/// A push gateway that records what it is asked to send, and can refuse tokens or fail.
pub struct PushGatewayFake {
    pub url: String,
    state: Arc<Mutex<GatewayState>>,
}

async fn push(state: web::Data<Arc<Mutex<GatewayState>>>, body: web::Json<Value>) -> HttpResponse {
    let hanging = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.requests += 1;
        state.hanging
    };
    if hanging {
        // Longer than any client waits.
        tokio::time::sleep(std::time::Duration::from_secs(300)).await;
    }
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    if state.fail_next > 0 {
        state.fail_next -= 1;
        return HttpResponse::ServiceUnavailable().finish();
    }
    let rejected: Vec<String> = body["tokens"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["token"].as_str())
        .filter(|t| state.reject.contains(*t))
        .map(str::to_owned)
        .collect();
    state.received.push(body.into_inner());
    HttpResponse::Ok().json(json!({ "rejected_tokens": rejected }))
}

impl PushGatewayFake {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind gateway");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(GatewayState::default()));
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new().app_data(web::Data::new(shared.clone())).route("/v1/push", web::post().to(push))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Self { url: format!("http://127.0.0.1:{port}"), state }
    }

    /// Every push request received (successful ones), in order.
    pub fn received(&self) -> Vec<Value> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).received.clone()
    }

    /// The platform says this token is dead.
    pub fn reject_token(&self, token: &str) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).reject.insert(token.to_owned());
    }

    /// Requests take longer than any client waits (`false`: it answers again).
    pub fn hang(&self, hanging: bool) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).hanging = hanging;
    }

    /// How many requests arrived, answered or not.
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).requests
    }

    /// The next `n` requests fail with 503.
    pub fn fail_next(&self, n: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).fail_next = n;
    }
}

/// A TCP proxy to a real service that a test can cut, as an outage looks from the server. Cut
/// silent, open connections are dropped and new ones are accepted and left silent (the worst case:
/// no refusal, no answer); cut refusing (a service restarting), every connection is closed at
/// once; restored, it forwards again.
pub struct TcpProxy {
    pub port: u16,
    mode: tokio::sync::watch::Sender<Mode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Open,
    Silent,
    Refusing,
}

impl TcpProxy {
    pub async fn start(target: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("proxy listens");
        let port = listener.local_addr().expect("proxy address").port();
        let (mode, _) = tokio::sync::watch::channel(Mode::Open);
        let watch = mode.clone();
        let target = target.to_owned();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mut now = watch.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let mode = *now.borrow_and_update();
                    match mode {
                        Mode::Refusing => return,
                        // Held silent until the outage ends, then dropped.
                        Mode::Silent => {
                            let _ = now.wait_for(|m| *m == Mode::Open).await;
                            return;
                        }
                        Mode::Open => {}
                    }
                    let Ok(mut upstream) = tokio::net::TcpStream::connect(&target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {}
                        _ = now.wait_for(|m| *m != Mode::Open) => {}
                    }
                });
            }
        });
        Self { port, mode }
    }

    /// The service stops answering: connections hang.
    pub fn cut(&self) {
        self.mode.send_replace(Mode::Silent);
    }

    /// The service goes down (a restart): connections are closed at once.
    pub fn refuse(&self) {
        self.mode.send_replace(Mode::Refusing);
    }

    pub fn restore(&self) {
        self.mode.send_replace(Mode::Open);
    }
}
