//! `loadtest crowd` (issue 17): 10,000 guardians hold event streams on one instance; a class
//! notice to 100 of them, then a school-wide notice to all, each timed from the moment its `POST`
//! answered to the last recipient's stream having it. With Redis (`TEST_REDIS_URL`), the same
//! again with the streams split across two instances that share the database and Redis.
//!
//! Three processes: `loadtest crowd-server` builds the school through the API (and keeps its
//! database alive); the measured instances are the real `server` binary, started fresh on that
//! database, so that their resident memory is a server's that took the streams and nothing else;
//! this driver holds the client side. Each process then stays within its open-file limit (every
//! stream is one socket on each side). Build both binaries first:
//! `cargo build --release -p server -p jiaxiao-tests --bin server --bin loadtest`.
//! `CROWD_CHILDREN` (default 5,000, two guardians each) sets the size. Then nothing lost on
//! reconnect under that load: 2,000 streams drop while a notice goes out and resume with
//! `Last-Event-ID`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{EventStream, json};
use serde_json::Value;

const CLASS_SIZE: usize = 50;
const CLASSES_PER_GRADE: usize = 20;
const WAIT: Duration = Duration::from_secs(60);
/// What the server process prints (on stdout, among its logs) when the school is ready.
const SETUP: &str = "crowd-setup: ";

fn children() -> usize {
    std::env::var("CROWD_CHILDREN").ok().and_then(|n| n.parse().ok()).unwrap_or(5_000)
}

/// The setup side: a school of `CROWD_CHILDREN` children with two signed-in guardians each, made
/// on the real clock (so that the tokens hold on a fresh instance for hours). Prints its settings
/// and the tokens, then keeps the database until the driver closes this process's stdin.
pub async fn serve() {
    let app = jiaxiao_tests::spawn_app_with(|s| {
        s.login_attempts_per_ip = 1_000_000;
        s.db_max_connections = 16;
        s.access_token_ttl_secs = 6 * 3600;
    })
    .await;
    app.clock.set(chrono::Utc::now());
    let (_, bureau) = world::bootstrap_district(&app, "压测区", "bureau@load.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "压测学校", "6-3", "admin@load.test").await;
    let rows: String = (0..children())
        .map(|i| {
            let class = i / CLASS_SIZE;
            let (grade, number) = (class / CLASSES_PER_GRADE + 1, class % CLASSES_PER_GRADE + 1);
            format!("S{i:06},学生{i},{grade},{number},父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n")
        })
        .collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let classes = app.get(&format!("/api/v1/schools/{school}/classes"), Some(&admin)).await.expect(200);
    let first_class = classes.body["items"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["grade"] == 1 && c["number"] == 1)
        .expect("class 1-1")["id"]
        .clone();
    let setup = json!({
        "settings": serde_json::to_value(&app.settings).expect("settings"),
        "admin": admin,
        "class": first_class,
        "tokens": tokens,
    });
    println!("{SETUP}{setup}");
    let _ = std::io::stdout().flush();
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().read(&mut [0u8; 1])).await;
}

/// The server process's resident memory, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Waits for one event on each stream; answers the streams back, the ref_id each had first, and
/// when the last one had it.
async fn arrivals(streams: Vec<EventStream>, since: Instant) -> (Vec<EventStream>, Vec<Value>, Vec<Duration>) {
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                let event = stream.next_event(WAIT).await.expect("an event");
                (stream, event.data["ref_id"].clone(), since.elapsed())
            })
        })
        .collect();
    let (mut back, mut refs, mut times) = (Vec::new(), Vec::new(), Vec::new());
    for task in tasks {
        let (stream, seen, at) = task.await.expect("task");
        back.push(stream);
        refs.push(seen);
        times.push(at);
    }
    times.sort();
    (back, refs, times)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A child process that stops when its stdin closes (or is killed when dropped).
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `loadtest crowd-server` and waits for its school.
fn set_up() -> (Process, Value) {
    let exe = std::env::current_exe().expect("the driver's own path");
    let mut process = Command::new(exe)
        .arg("crowd-server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the setup process starts");
    let mut lines = BufReader::new(process.stdout.take().expect("stdout")).lines();
    let setup = loop {
        let line = lines.next().expect("the setup process printed its setup").expect("a line");
        if let Some(json) = line.strip_prefix(SETUP) {
            break serde_json::from_str(json).expect("setup json");
        }
        eprintln!("{line}");
    };
    // Keep its logs flowing, so that a full pipe never stalls it.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(|l| eprintln!("{l}")));
    (Process(process), setup)
}

/// A `server` instance of its own, on the setup's database (and Redis), as production runs it:
/// its settings through `JIAXIAO_*` variables, the real clock.
struct Instance {
    process: Process,
    address: String,
}

impl Instance {
    async fn start(settings: &Value) -> Self {
        let exe = std::env::current_exe().expect("the driver's own path").with_file_name("server");
        assert!(exe.exists(), "build the server binary too: cargo build --release -p server --bin server");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
        let mut command = Command::new(exe);
        command
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::from(std::io::stderr()))
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL");
        for (key, value) in settings.as_object().expect("settings") {
            let value = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => continue, // unset
            };
            command.env(format!("JIAXIAO_{}", key.to_uppercase()), value);
        }
        command.env("JIAXIAO_LISTEN", format!("127.0.0.1:{port}")).env("JIAXIAO_LOG_FORMAT", "text");
        let process = Process(command.spawn().expect("the server starts"));
        let address = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client.get(format!("{address}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                return Self { process, address };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not become ready at {address}");
    }

    fn rss_kib(&self) -> u64 {
        rss_kib(self.process.0.id())
    }

    /// The event streams it holds open (`/metrics`, which answers loopback).
    async fn open_streams(&self, client: &reqwest::Client) -> Option<u64> {
        let text = client.get(format!("{}/metrics", self.address)).send().await.ok()?.text().await.ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix("jiaxiao_sse_connections "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v as u64)
    }

    /// Waits until the streams a driver dropped are released (noticed at their next heartbeat).
    async fn drained(&self, client: &reqwest::Client) {
        let since = Instant::now();
        while since.elapsed() < Duration::from_secs(60) && self.open_streams(client).await.is_some_and(|n| n > 0) {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        println!(
            "crowd: the dropped streams were released {:.0} s after the driver closed them",
            since.elapsed().as_secs_f64()
        );
    }
}

/// Streams for every guardian, placed on the addresses in turn; those of the first class apart.
async fn connect(
    client: &reqwest::Client,
    tokens: &[(String, String)],
    addresses: &[String],
) -> (Vec<EventStream>, Vec<EventStream>) {
    let (mut in_class, mut others) = (Vec::new(), Vec::new());
    for (n, (login, token)) in tokens.iter().enumerate() {
        let child: usize = login[3..].parse().expect("a loadtest phone");
        let stream = EventStream::open(client, &addresses[n % addresses.len()], token, None).await;
        if child < CLASS_SIZE { in_class.push(stream) } else { others.push(stream) }
    }
    (in_class, others)
}

/// The school's admin posts a notice to `audience` at `address`: its answer.
async fn post_notice(client: &reqwest::Client, setup: &Value, address: &str, title: &str, audience: Value) -> Value {
    let admin = setup["admin"].as_str().expect("admin");
    let body = json!({ "title": title, "body": "请家长知悉。", "audience": audience, "response_mode": "read" });
    let response =
        client.post(format!("{address}/api/v1/notices")).bearer_auth(admin).json(&body).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 201, "notice");
    response.json().await.expect("json")
}

/// A class notice, then a school-wide one (posted to `address`), timed on the connected streams.
async fn notices(
    client: &reqwest::Client,
    setup: &Value,
    address: &str,
    in_class: Vec<EventStream>,
    others: Vec<EventStream>,
    label: &str,
) {
    let post = |title: &'static str, audience: Value| post_notice(client, setup, address, title, audience);
    let connected = in_class.len() + others.len();

    let started = Instant::now();
    let sent = post("一年级一班：明天春游", json!({ "class_ids": [setup["class"]] })).await;
    let answered = Instant::now();
    let (in_class, _, times) = arrivals(in_class, answered).await;
    println!(
        "crowd{label}: class notice to {} guardians while {connected} are connected: POST {:.0} ms; every recipient's stream had it {:.0} ms after the answer (median {:.0} ms)",
        sent["recipient_count"],
        ms(answered - started),
        times.last().map_or(0.0, |d| ms(*d)),
        ms(times[times.len() / 2])
    );

    let others_count = others.len();
    let mut everyone = in_class;
    everyone.extend(others);
    let started = Instant::now();
    let sent = post("全校：冬季作息调整", json!({})).await;
    let answered = Instant::now();
    let (everyone, refs, times) = arrivals(everyone, answered).await;
    // Each stream's first event must be this notice: nobody outside the class had the class's.
    let strays = refs.iter().filter(|r| **r != sent["id"]).count();
    println!(
        "crowd{label}: school-wide notice to {} guardians, all connected: POST {:.0} ms; the last stream had it {:.0} ms after the answer (median {:.0} ms); streams outside the class that had the class notice: {strays} of {others_count}",
        sent["recipient_count"],
        ms(answered - started),
        times.last().map_or(0.0, |d| ms(*d)),
        ms(times[times.len() / 2])
    );
    drop(everyone);
}

/// Streams dropped with a notice going out while they are away.
const DROPPED: usize = 2_000;

/// Nothing lost on reconnect, under load: every guardian connects; 2,000 drop; a school-wide
/// notice goes out; the 2,000 come back with `Last-Event-ID` (their stream's starting position, as
/// an EventSource sends it) and each must have the notice first, once.
async fn resume(client: &reqwest::Client, setup: &Value, address: &str, tokens: &[(String, String)]) {
    let mut streams = Vec::with_capacity(tokens.len());
    for (_, token) in tokens {
        streams.push(EventStream::open(client, address, token, None).await);
    }
    let dropped: Vec<i64> = streams.drain(..DROPPED).map(|s| s.ready.as_ref().expect("ready").id).collect::<Vec<_>>();
    let sent = post_notice(client, setup, address, "全校：断线期间的通知", json!({})).await;
    let answered = Instant::now();
    let (streams, _, times) = arrivals(streams, answered).await;
    let reconnecting = Instant::now();
    let mut back = Vec::with_capacity(DROPPED);
    for ((_, token), last) in tokens.iter().zip(&dropped) {
        back.push(EventStream::open(client, address, token, Some(*last)).await);
    }
    let reconnected = reconnecting.elapsed();
    let (back, refs, _) = arrivals(back, Instant::now()).await;
    let had_it = refs.iter().filter(|r| **r == sent["id"]).count();
    println!(
        "crowd: {DROPPED} of {} streams dropped while a school-wide notice went out: the {} connected had it {:.0} ms after the answer; the {DROPPED} came back with Last-Event-ID in {:.1} s and {had_it} of {DROPPED} had it first on resuming",
        tokens.len(),
        streams.len(),
        times.last().map_or(0.0, |d| ms(*d)),
        reconnected.as_secs_f64()
    );
    drop((streams, back));
}

pub async fn run() {
    let started = Instant::now();
    let (_setup_process, setup) = set_up();
    let mut tokens: Vec<(String, String)> = setup["tokens"]
        .as_object()
        .expect("tokens")
        .iter()
        .map(|(login, token)| (login.clone(), token.as_str().expect("token").to_owned()))
        .collect();
    tokens.sort();
    println!("crowd: {} guardians signed in ({:.0} s to set up)", tokens.len(), started.elapsed().as_secs_f64());
    let client = reqwest::Client::new();

    let instance = Instance::start(&setup["settings"]).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = instance.rss_kib();
    let connecting = Instant::now();
    let (in_class, others) = connect(&client, &tokens, std::slice::from_ref(&instance.address)).await;
    let connected = in_class.len() + others.len();
    tokio::time::sleep(Duration::from_secs(2)).await; // let the server settle before reading its memory
    let after = instance.rss_kib();
    println!(
        "crowd: {connected} event streams opened in {:.1} s on one fresh instance; its resident memory {:.0} MiB before, {:.0} MiB with them held ({:.1} KiB per stream)",
        connecting.elapsed().as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / connected as f64
    );
    notices(&client, &setup, &instance.address, in_class, others, "").await;
    instance.drained(&client).await;
    resume(&client, &setup, &instance.address, &tokens).await;

    if setup["settings"]["redis_url"].is_string() {
        instance.drained(&client).await;
        let peer = Instance::start(&setup["settings"]).await;
        let addresses = [instance.address.clone(), peer.address.clone()];
        let (in_class, others) = connect(&client, &tokens, &addresses).await;
        println!(
            "crowd (two instances): {} streams split evenly over two server processes, wake-ups through Redis; notices posted to the first",
            in_class.len() + others.len()
        );
        notices(&client, &setup, &instance.address, in_class, others, " (two instances)").await;
    }
}
