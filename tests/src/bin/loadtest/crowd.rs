//! `loadtest crowd` (issue 17, first step): 5,000 guardians hold event streams on one instance;
//! a class notice to 100 of them, then a school-wide notice to all 5,000, each timed from the
//! moment its `POST` answered to the last recipient's stream having it. Wake-ups are handed out by
//! account, so the class notice rings 100 streams, not 5,000.
//!
//! The driver and the server share the process (and the 2 cores): the memory figure is the whole
//! process's growth while the streams are held, client side included, so an upper bound for the
//! server's bytes per connection.

use std::time::{Duration, Instant};

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{EventStream, json};

/// 2,500 children in 50 classes of 50, two guardians each.
const CHILDREN: usize = 2_500;
const CLASS_SIZE: usize = 50;
const WAIT: Duration = Duration::from_secs(60);

/// The process's resident memory, in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Waits for one event on each stream; answers the streams back and when the last one had it.
async fn arrivals(streams: Vec<EventStream>, since: Instant) -> (Vec<EventStream>, Vec<Duration>) {
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                stream.next_event(WAIT).await.expect("an event");
                (stream, since.elapsed())
            })
        })
        .collect();
    let (mut back, mut times) = (Vec::new(), Vec::new());
    for task in tasks {
        let (stream, at) = task.await.expect("task");
        back.push(stream);
        times.push(at);
    }
    times.sort();
    (back, times)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub async fn run() {
    let (app, school, admin) = super::load_school().await;
    let rows: String = (0..CHILDREN)
        .map(|i| {
            format!("S{i:06},学生{i},5,{},父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n", i / CLASS_SIZE + 1)
        })
        .collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let classes = app.get(&format!("/api/v1/schools/{school}/classes"), Some(&admin)).await.expect(200);
    let first_class =
        classes.body["items"].as_array().expect("classes").iter().find(|c| c["number"] == 1).expect("class 5-1")["id"]
            .clone();

    let before = rss_kib();
    let (mut in_class, mut others) = (Vec::new(), Vec::new());
    let connecting = Instant::now();
    for (login, token) in &tokens {
        let child: usize = login[3..].parse().expect("a loadtest phone");
        let stream = app.events(token, None).await;
        if child < CLASS_SIZE { in_class.push(stream) } else { others.push(stream) }
    }
    let connected = in_class.len() + others.len();
    let held = rss_kib().saturating_sub(before);
    println!(
        "crowd: {connected} event streams opened in {:.1} s; process memory grew {:.0} MiB while they are held ({:.1} KiB per stream, client side included)",
        connecting.elapsed().as_secs_f64(),
        held as f64 / 1024.0,
        held as f64 / connected as f64
    );

    let notice = |title: &str, audience: serde_json::Value| json!({ "title": title, "body": "请家长知悉。", "audience": audience, "response_mode": "read" });
    let started = Instant::now();
    let sent = app
        .post("/api/v1/notices", Some(&admin), notice("五年级一班：明天春游", json!({ "class_ids": [first_class] })))
        .await
        .expect(201);
    let answered = Instant::now();
    let post = started.elapsed();
    let (in_class, times) = arrivals(in_class, answered).await;
    println!(
        "crowd: class notice to {} guardians while {connected} are connected: POST {:.0} ms; every recipient's stream had it {:.0} ms after the answer (median {:.0} ms)",
        sent.body["recipient_count"],
        ms(post),
        times.last().map_or(0.0, |d| ms(*d)),
        ms(times[times.len() / 2])
    );

    let mut everyone = in_class;
    everyone.extend(others);
    let started = Instant::now();
    let sent = app.post("/api/v1/notices", Some(&admin), notice("全校：冬季作息调整", json!({}))).await.expect(201);
    let answered = Instant::now();
    let post = started.elapsed();
    let (everyone, times) = arrivals(everyone, answered).await;
    println!(
        "crowd: school-wide notice to {} guardians, all connected: POST {:.0} ms; the last stream had it {:.0} ms after the answer (median {:.0} ms)",
        sent.body["recipient_count"],
        ms(post),
        times.last().map_or(0.0, |d| ms(*d)),
        ms(times[times.len() / 2])
    );
    drop(everyone);
}
