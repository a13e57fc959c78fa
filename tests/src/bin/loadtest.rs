//! Load driver: builds a data set through the real HTTP API and prints figures for the README.
//!
//! `cargo run --release -p jiaxiao-tests --bin loadtest` (SQLite), or with
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379`
//! for PostgreSQL + Redis. Scenarios:
//! - `roster`: import 5,000 students with 10,000 guardians in one request, then re-import it.
//! - `me`: `GET /api/v1/me` for a guardian under concurrent load (throughput, p50/p99).
//!
//! Measurements, not assertions: nothing here fails because a number is slow.

use std::time::{Duration, Instant};

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{spawn_app, spawn_app_with};

const STUDENTS: usize = 5_000;

#[tokio::main]
async fn main() {
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) { "PostgreSQL" } else { "SQLite" };
    println!("backend: {backend}; cores: {}", std::thread::available_parallelism().map_or(0, |n| n.get()));
    roster().await;
    me().await;
}

async fn roster() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "压测区", "bureau@load.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "压测学校", "6-3", "admin@load.test").await;
    let rows: String = (0..STUDENTS)
        .map(|i| {
            format!(
                "S{i:06},学生{i},{},{},父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n",
                i % 9 + 1,
                (i / 9) % 12 + 1
            )
        })
        .collect();
    let csv = format!("{STUDENT_HEADER}{rows}");
    let path = format!("/api/v1/schools/{school}/roster/students");
    let started = Instant::now();
    let first = app.post_csv(&path, Some(&admin), &csv).await.expect(200);
    let first_elapsed = started.elapsed();
    let started = Instant::now();
    let second = app.post_csv(&path, Some(&admin), &csv).await.expect(200);
    let second_elapsed = started.elapsed();
    println!(
        "roster: {STUDENTS} students + {} guardian accounts ({} KiB CSV): first import {:.2} s, re-import (unchanged: {}) {:.2} s",
        first.body["accounts_created"],
        csv.len() / 1024,
        first_elapsed.as_secs_f64(),
        second.body["unchanged"],
        second_elapsed.as_secs_f64()
    );
}

async fn me() {
    // A generous per-IP limit: the load comes from one address.
    let app = spawn_app_with(|s| s.login_attempts_per_ip = 1_000_000).await;
    let w = world::build(&app).await;
    let token = w.g1.clone();
    let concurrency = 32;
    let per_task = 250;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = app.client.clone();
        let url = app.url("/api/v1/me");
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let t = Instant::now();
                let response = client.get(&url).bearer_auth(&token).send().await.expect("sent");
                assert!(response.status().is_success(), "status {}", response.status());
                let _ = response.bytes().await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "GET /me (guardian of 3 children, {concurrency} concurrent clients): {} requests in {:.2} s = {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
}
