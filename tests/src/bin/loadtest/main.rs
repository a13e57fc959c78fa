//! Load driver: builds a data set through the real HTTP API and prints figures for the README.
//!
//! `cargo run --release -p jiaxiao-tests --bin loadtest` (SQLite), or with
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379`
//! for PostgreSQL + Redis. Scenarios:
//! - `roster`: import 5,000 students with 10,000 guardians in one request, then re-import it.
//! - `me`: `GET /api/v1/me` for a guardian under concurrent load (throughput, p50/p99).
//! - `notice`: a school-wide notice to 50,000 guardians: POST latency (the notice commits; an
//!   audience this size is fanned out right after, in the background) and the time until every
//!   inbox shows it (its `sent_at`, set by the fan-out's commit), then `GET /api/v1/inbox` and
//!   mark-read under concurrent load.
//!
//! - `enrol`: the after-school enrolment rush: 3,000 guardians (one child each) take seats in 60
//!   first-come activities of 25 seats at once; throughput, p50/p99, and the seats taken counted
//!   back (it must equal the capacity: never oversold).
//!
//! - `lottery`: 2,500 children rank four of 200 lottery activities (10,000 applications through the
//!   API), then the school draws: the draw's answer time with everything it writes.
//!
//! - `roll`: the roll call of a 40-child activity, one request each (36 present, 2 absent, 2 on
//!   leave), taken 300 times by one client as a teacher's phone would: p50/p99.
//!
//! - `visits`: mentoring (issue 10): 20 mentors each offer the same 5 windows to 10 mentees' families
//!   (200 guardians), who all accept at once. Three races, each in its own school: one accept per
//!   family, two families to each window, as the app sends it (each family has opened the proposal,
//!   so the accepts come on open connections) and again with every accept on a new connection;
//!   then every family trying the windows in order until one is theirs (800 accepts). Bookings
//!   counted back (they must equal the windows: 100, no mentor double-booked), p50/p99 of the
//!   accepts and how busy the machine's CPU was meanwhile; after the first, one mentor's ledger of
//!   12 students read 300 times: p50/p99.
//!
//! - `parents`: the parent school (issue 11): a 3,000-family school; 600 guardians check in to one
//!   session at once with the organiser's code (attendances counted back: each once), p50/p99;
//!   then one family's ledger and graduation status with six years of entries (180), read 300
//!   times: p50/p99; then the school's figures: p50/max of 20 reads.
//!
//! - `dashboard`: the bureau (issue 12): a district of 100 schools and 100,000 students with a
//!   term of data; the district dashboard read 30 times (p50/p99) and the bulletin of a
//!   half-month computed (issued, then re-run). See `loadtest/dashboard.rs` for what is seeded how.
//!
//! - `crowd`: 10,000 guardians connected by SSE to a server process of its own: its memory, a class
//!   notice and a school-wide notice timed to the last stream; with Redis, on two instances too.
//!   See `loadtest/crowd.rs`.
//!
//! `loadtest notice sse` runs only the named scenarios.
//!
//! Measurements, not assertions: nothing here fails because a number is slow.

mod crowd;
mod dashboard;

use std::time::{Duration, Instant};

use jiaxiao_tests::spawn_app_with;
use jiaxiao_tests::world::{self, STUDENT_HEADER};

const STUDENTS: usize = 5_000;

/// An app for a load (logins unthrottled, a pool of 16), with a district and one school: the
/// school's id and its admin's token.
pub(crate) async fn load_school() -> (jiaxiao_tests::TestApp, uuid::Uuid, String) {
    let app = spawn_app_with(|s| {
        s.login_attempts_per_ip = 1_000_000;
        s.db_max_connections = 16;
    })
    .await;
    let (_, bureau) = world::bootstrap_district(&app, "压测区", "bureau@load.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "压测学校", "6-3", "admin@load.test").await;
    (app, school, admin)
}

/// A published after-school term plan of `school` (2026-09-01 to 2027-01-20) with a basic session
/// 15:40–`end` every weekday: its id.
pub(crate) async fn published_plan(app: &jiaxiao_tests::TestApp, school: uuid::Uuid, admin: &str, end: &str) -> String {
    use jiaxiao_tests::json;
    let sessions: Vec<serde_json::Value> =
        (1..=5).map(|d| json!({ "weekday": d, "kind": "basic", "start": "15:40", "end": end })).collect();
    let plan = app
        .post(
            &format!("/api/v1/schools/{school}/afterschool/plans"),
            Some(admin),
            json!({ "term_start": "2026-09-01", "term_end": "2027-01-20", "sessions": sessions }),
        )
        .await
        .expect(201);
    let plan_id = plan.body["id"].as_str().expect("plan id").to_owned();
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(admin), json!({})).await.expect(200);
    plan_id
}

/// Adds an activity (`body` as the API takes it) to the plan: its id.
pub(crate) async fn add_activity(
    app: &jiaxiao_tests::TestApp,
    admin: &str,
    plan_id: &str,
    body: serde_json::Value,
) -> String {
    let created =
        app.post(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(admin), body).await.expect(201);
    created.body["id"].as_str().expect("activity id").to_owned()
}

#[tokio::main]
async fn main() {
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) { "PostgreSQL" } else { "SQLite" };
    println!("backend: {backend}; cores: {}", std::thread::available_parallelism().map_or(0, |n| n.get()));
    // `loadtest notice sse` runs only those scenarios; no argument runs them all.
    let chosen: Vec<String> = std::env::args().skip(1).collect();
    let wanted = |name: &str| chosen.is_empty() || chosen.iter().any(|c| c == name);
    if wanted("roster") {
        roster().await;
    }
    if wanted("me") {
        me().await;
    }
    if wanted("notice") {
        notice().await;
    }
    if wanted("sse") {
        sse().await;
    }
    if chosen.first().is_some_and(|c| c == "crowd-server") {
        return crowd::serve().await; // the server process `crowd` starts
    }
    if wanted("crowd") {
        crowd::run().await;
    }
    if wanted("enrol") {
        enrol().await;
    }
    if wanted("lottery") {
        lottery().await;
    }
    if wanted("roll") {
        roll().await;
    }
    if wanted("visits") {
        visits().await;
    }
    if wanted("parents") {
        parents().await;
    }
    if wanted("dashboard") {
        dashboard::run().await;
    }
}

const PS_FAMILIES: usize = 3_000;
const PS_CHECKING_IN: usize = 600;
const PS_LEDGER_ENTRIES: usize = 180;

async fn parents() {
    use jiaxiao_tests::json;
    let app = spawn_app_with(|s| s.login_attempts_per_ip = 1_000_000).await;
    let (_, bureau) = world::bootstrap_district(&app, "家长学校区", "bureau@parents.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "家长学校压测校", "6-3", "admin@parents.test").await;
    // 3,000 children in grades 1–6, 10 classes a grade, one guardian each.
    let rows: String = (0..PS_FAMILIES)
        .map(|i| format!("P{i:06},学生{i},{},{},家长{i},137{i:08},,母亲,full,,,,,\n", i % 6 + 1, (i / 6) % 10 + 1))
        .collect();
    let imported = app
        .post_csv(
            &format!("/api/v1/schools/{school}/roster/students"),
            Some(&admin),
            &format!("{STUDENT_HEADER}{rows}"),
        )
        .await
        .expect(200);
    // The first 600 families activate their accounts (the rest never do: figures count them all).
    let mut tokens = Vec::new();
    for issued in imported.body["activation_codes"].as_array().expect("codes").iter().take(PS_CHECKING_IN) {
        let login = issued["login"].as_str().expect("login");
        tokens.push(app.activate(login, issued["code"].as_str().expect("code"), world::PASSWORD).await);
    }
    let mut children = Vec::new();
    for token in &tokens {
        children.push(world::children(&app, token).await[0].1);
    }
    let course = app
        .post(
            "/api/v1/parent-school/courses",
            Some(&bureau),
            json!({ "title": "正面管教工作坊", "credits": 2, "format": "offline" }),
        )
        .await
        .expect(201);
    let course_id = course.body["id"].as_str().expect("id").to_owned();
    // Two sessions starting in 20 minutes (check-in is open from 30 minutes before): the first
    // takes the 600 spread over 30 seconds as a session's doors see them, the second all at once.
    let pct = |l: &[Duration], p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1e3;
    for (label, spread) in [("over 30 s", Duration::from_secs(30)), ("at once", Duration::ZERO)] {
        let now = app.clock_now();
        let session = app
            .post(
                &format!("/api/v1/parent-school/courses/{course_id}/sessions"),
                Some(&admin),
                json!({ "start": now + chrono::Duration::minutes(20), "end": now + chrono::Duration::minutes(110),
                        "place": "报告厅", "capacity": 1000 }),
            )
            .await
            .expect(201);
        let session_id = session.body["id"].as_str().expect("id").to_owned();
        let code = app
            .get(&format!("/api/v1/parent-school/sessions/{session_id}/check-in-code"), Some(&admin))
            .await
            .expect(200)
            .body["code"]
            .as_str()
            .expect("code")
            .to_owned();
        let url = app.url(&format!("/api/v1/parent-school/sessions/{session_id}/check-in"));
        let began = Instant::now();
        let mut tasks = Vec::new();
        for (i, (token, child)) in tokens.iter().zip(&children).enumerate() {
            let (client, url, token) = (app.client.clone(), url.clone(), token.clone());
            let body = json!({ "code": code, "student_id": child });
            let delay = spread.mul_f64(i as f64 / PS_CHECKING_IN as f64);
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let t = Instant::now();
                let response = client.post(&url).bearer_auth(&token).json(&body).send().await.expect("sent");
                let status = response.status();
                let _ = response.bytes().await;
                assert!(status.is_success(), "check-in: status {status}");
                t.elapsed()
            }));
        }
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.push(task.await.expect("task"));
        }
        let wall = began.elapsed();
        latencies.sort();
        let listed = app
            .get(&format!("/api/v1/parent-school/courses/{course_id}/sessions?school_id={school}"), Some(&admin))
            .await
            .expect(200);
        let attended = listed.body["items"]
            .as_array()
            .and_then(|items| items.iter().find(|s| s["id"] == session_id.as_str()))
            .map_or(serde_json::Value::Null, |s| s["attended"].clone());
        println!(
            "parents: {PS_CHECKING_IN} guardians check in {label}: {attended} recorded (each once), in {:.2} s; p50 {:.1} ms, p99 {:.1} ms",
            wall.as_secs_f64(),
            pct(&latencies, 0.50),
            pct(&latencies, 0.99)
        );
    }

    // One family with six years of entries (30 a year) and a graduation rule to measure against.
    let credits = app.url(&format!("/api/v1/schools/{school}/parent-school/credits"));
    for k in 0..PS_LEDGER_ENTRIES {
        let body =
            json!({ "student_id": children[0], "credits": 1, "reason": format!("第 {} 学年活动 {k}", k / 30 + 1) });
        let response = app.client.post(&credits).bearer_auth(&admin).json(&body).send().await.expect("sent");
        assert!(response.status().is_success(), "credit: {}", response.status());
    }
    app.put(
        &format!("/api/v1/schools/{school}/parent-school/graduation-rules/primary"),
        Some(&admin),
        json!({ "credits": 24, "required_course_ids": [course_id] }),
    )
    .await
    .expect(200);
    let ledger = app.url(&format!("/api/v1/children/{}/parent-school", children[0]));
    let mut reads = Vec::with_capacity(LEDGER_READS);
    let mut entries = 0;
    for _ in 0..LEDGER_READS {
        let t = Instant::now();
        let response = app.client.get(&ledger).bearer_auth(&tokens[0]).send().await.expect("sent");
        assert!(response.status().is_success(), "ledger: status {}", response.status());
        let body: serde_json::Value = response.json().await.expect("json");
        reads.push(t.elapsed());
        entries = body["entries"].as_array().map_or(0, Vec::len);
    }
    reads.sort();
    println!(
        "parents: a family's ledger and graduation ({entries} entries), {LEDGER_READS} reads: p50 {:.1} ms, p99 {:.1} ms",
        pct(&reads, 0.50),
        pct(&reads, 0.99)
    );

    // Every other family of the school has an entry too (a credit the school awarded), so the
    // figures read a ledger row for each of the 3,000.
    let classes = app.get(&format!("/api/v1/schools/{school}/classes?limit=100"), Some(&admin)).await.expect(200);
    let mut awarded = 0;
    for class in classes.body["items"].as_array().expect("classes") {
        let mut cursor = String::new();
        loop {
            let page = app
                .get(
                    &format!("/api/v1/classes/{}/students?limit=100{cursor}", class["id"].as_str().expect("id")),
                    Some(&admin),
                )
                .await
                .expect(200);
            for student in page.body["items"].as_array().expect("students") {
                let body = json!({ "student_id": student["id"], "credits": 1, "reason": "家长志愿服务" });
                let response = app.client.post(&credits).bearer_auth(&admin).json(&body).send().await.expect("sent");
                assert!(response.status().is_success(), "credit: {}", response.status());
                awarded += 1;
            }
            match page.body["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => break,
            }
        }
    }
    println!("parents: {awarded} families awarded a credit by hand (the figures' data set)");

    // The school's figures over its 3,000 families.
    let figures = app.url(&format!("/api/v1/schools/{school}/parent-school/figures"));
    let mut reads = Vec::new();
    let mut families = serde_json::Value::Null;
    for _ in 0..20 {
        let t = Instant::now();
        let response = app.client.get(&figures).bearer_auth(&admin).send().await.expect("sent");
        assert!(response.status().is_success(), "figures: status {}", response.status());
        let body: serde_json::Value = response.json().await.expect("json");
        reads.push(t.elapsed());
        families = body["participation"]["families"].clone();
    }
    reads.sort();
    println!(
        "parents: school figures ({families} families), 20 reads: p50 {:.1} ms, max {:.1} ms",
        pct(&reads, 0.50),
        reads.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
}

const MENTORS: usize = 20;
const MENTEES_EACH: usize = 10;
const WINDOWS_EACH: usize = 5;
const LEDGER_READS: usize = 300;

/// The booking race, two ways. First as the issue puts it: 200 guardians accept at once, two
/// families to each of the 100 windows (20 mentors × 5), one accept each. Then harder: every
/// family tries the five windows in order until one holds (800 accepts, the later tries queued
/// behind the earlier ones). Each race has its own school; the mentor's ledger is read after the
/// first.
async fn visits() {
    visit_race(Race::OneTryEach, Connections::Open).await;
    visit_race(Race::OneTryEach, Connections::New).await;
    visit_race(Race::EveryWindowInOrder, Connections::Open).await;
}

#[derive(Clone, Copy, PartialEq)]
enum Race {
    OneTryEach,
    EveryWindowInOrder,
}

/// How the accepts reach the server.
#[derive(Clone, Copy, PartialEq)]
enum Connections {
    /// As the app sends them: each family first opens the proposal (`GET` the visit), then all
    /// accept at once, on the connections those opened (as a load balancer's, kept alive).
    Open,
    /// Every accept on a connection of its own, opened with it: 200 TCP handshakes in the burst.
    New,
}

async fn visit_race(race: Race, connections: Connections) {
    use jiaxiao_tests::json;
    // The server's default pool (the tests' own is smaller): more connections only add processes
    // contending for two cores, fewer leave them idle while a teacher's bookings take turns.
    let app = spawn_app_with(|s| {
        s.login_attempts_per_ip = 1_000_000;
        s.db_max_connections = server::config::Settings::default().db_max_connections;
    })
    .await;
    let (_, bureau) = world::bootstrap_district(&app, "家访区", "bureau@visits.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "家访学校", "6-3", "admin@visits.test").await;
    // Mentor m teaches class 7-(m+1) of 12 students: the proposal makes them theirs; 10 get a visit.
    let staff: String =
        (0..MENTORS).map(|m| format!("T{m:03},老师{m},136{m:08},,teacher,7-{}:head\n", m + 1)).collect();
    let (_, teachers) = world::import_and_activate(
        &app,
        &admin,
        school,
        "staff",
        &format!("staff_no,name,phone,email,roles,classes\n{staff}"),
    )
    .await;
    let rows: String = (0..MENTORS * 12)
        .map(|i| format!("V{i:06},学生{i},7,{},家长{i},135{i:08},,母亲,full,,,,,\n", (i % MENTORS) + 1))
        .collect();
    let (_, families) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let settings = json!({ "grades": [7], "cap": 12, "visit_buffer_minutes": 30, "max_visits_per_day": 10 });
    app.put(&format!("/api/v1/schools/{school}/mentoring/settings"), Some(&admin), settings).await.expect(200);
    app.put(&format!("/api/v1/schools/{school}/mentoring/assignments"), Some(&admin), json!({ "from_proposal": true }))
        .await
        .expect(200);
    // Each mentor offers each mentee the same five one-hour windows on Wednesday, 90 minutes apart.
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-25T01:00:00Z").expect("instant").to_utc();
    let windows: Vec<serde_json::Value> = (0..WINDOWS_EACH as i64)
        .map(|k| {
            let s = start + chrono::Duration::minutes(90 * k);
            json!({ "start": s, "end": s + chrono::Duration::minutes(60) })
        })
        .collect();
    let starts: Vec<serde_json::Value> = windows.iter().map(|w| w["start"].clone()).collect();
    // (student, visit, the windows its family tries, in order)
    let mut offers = Vec::new();
    for token in teachers.values() {
        let ledger = app.get("/api/v1/mentoring/ledger", Some(token)).await.expect(200);
        for (j, entry) in ledger.body["items"].as_array().expect("items").iter().take(MENTEES_EACH).enumerate() {
            let visit = app
                .post(
                    "/api/v1/mentoring/visits",
                    Some(token),
                    json!({ "student_id": entry["student_id"], "mode": "video", "windows": windows }),
                )
                .await
                .expect(201);
            let tries = match race {
                Race::OneTryEach => vec![starts[j % WINDOWS_EACH].clone()],
                Race::EveryWindowInOrder => starts.clone(),
            };
            offers.push((
                entry["student_id"].as_str().expect("id").to_owned(),
                visit.body["id"].as_str().expect("id").to_owned(),
                tries,
            ));
        }
    }
    // Whose child is whose: each guardian has one child.
    let mut guardian_of = std::collections::HashMap::new();
    for token in families.values() {
        for (_, child) in world::children(&app, token).await {
            guardian_of.insert(child.to_string(), token.clone());
        }
    }
    if connections == Connections::Open {
        let opened: Vec<_> = offers
            .iter()
            .filter_map(|(student, visit, _)| {
                let token = guardian_of.get(student)?.clone();
                let (client, url) = (app.client.clone(), app.url(&format!("/api/v1/mentoring/visits/{visit}")));
                Some(tokio::spawn(async move {
                    let response = client.get(&url).bearer_auth(&token).send().await.expect("sent");
                    assert!(response.status().is_success(), "open: status {}", response.status());
                    let _ = response.bytes().await;
                }))
            })
            .collect();
        for task in opened {
            task.await.expect("task");
        }
    }
    let cpu_before = cpu_ticks();
    let began = Instant::now();
    let mut tasks = Vec::new();
    for (student, visit, tries) in offers {
        let Some(token) = guardian_of.get(&student).cloned() else { continue };
        let (client, url) = (app.client.clone(), app.url(&format!("/api/v1/mentoring/visits/{visit}/accept")));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for s in tries {
                let t = Instant::now();
                let response =
                    client.post(&url).bearer_auth(&token).json(&json!({ "start": s })).send().await.expect("sent");
                let status = response.status();
                let _ = response.bytes().await;
                latencies.push(t.elapsed());
                assert!(status.is_success() || status.as_u16() == 409, "accept: status {status}");
                if status.is_success() {
                    return (true, latencies);
                }
            }
            (false, latencies)
        }));
    }
    let mut latencies = Vec::new();
    let mut booked = 0;
    for task in tasks {
        let (won, times) = task.await.expect("task");
        booked += usize::from(won);
        latencies.extend(times);
    }
    let wall = began.elapsed();
    let busy = busy_share(cpu_before, cpu_ticks());
    latencies.sort();
    let pct = |l: &[Duration], p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1e3;
    let how = match race {
        Race::OneTryEach => "one window each, two families to a window".to_owned(),
        Race::EveryWindowInOrder => format!("each trying the {WINDOWS_EACH} windows in order"),
    };
    let how = match connections {
        Connections::Open => format!("{how}, the proposal opened first"),
        Connections::New => format!("{how}, each accept on a new connection"),
    };
    println!(
        "visits: {} families of {MENTORS} mentors accepting at once, {how}: {booked} booked (windows: {}), {} accepts in {:.2} s (CPU busy {busy}); p50 {:.1} ms, p99 {:.1} ms",
        MENTORS * MENTEES_EACH,
        MENTORS * WINDOWS_EACH,
        latencies.len(),
        wall.as_secs_f64(),
        pct(&latencies, 0.50),
        pct(&latencies, 0.99)
    );
    if (race, connections) != (Race::OneTryEach, Connections::Open) {
        return;
    }
    // One mentor's ledger of 12 students.
    let token = teachers.values().next().expect("a mentor").clone();
    let url = app.url("/api/v1/mentoring/ledger");
    let mut reads = Vec::with_capacity(LEDGER_READS);
    let mut students = 0;
    for _ in 0..LEDGER_READS {
        let t = Instant::now();
        let response = app.client.get(&url).bearer_auth(&token).send().await.expect("sent");
        assert!(response.status().is_success(), "ledger: status {}", response.status());
        let body: serde_json::Value = response.json().await.expect("json");
        reads.push(t.elapsed());
        students = body["items"].as_array().map_or(0, Vec::len);
    }
    reads.sort();
    println!(
        "mentor's ledger ({students} students), {LEDGER_READS} reads, one client: p50 {:.1} ms, p99 {:.1} ms",
        pct(&reads, 0.50),
        pct(&reads, 0.99)
    );
}

/// The machine's CPU time so far (all cores, from `/proc/stat`): `(busy, total)` in clock ticks;
/// `None` off Linux.
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    let idle = fields.get(3)? + fields.get(4).unwrap_or(&0);
    let total: u64 = fields.iter().take(8).sum();
    Some((total - idle, total))
}

/// The share of the machine's CPU time that was busy between two readings ("93 %"), or "n/a":
/// tells a wait (a lock's queue, a round trip) from a lack of CPU.
fn busy_share(before: Option<(u64, u64)>, after: Option<(u64, u64)>) -> String {
    match (before, after) {
        (Some((b0, t0)), Some((b1, t1))) if t1 > t0 => format!("{} %", (b1 - b0) * 100 / (t1 - t0)),
        _ => "n/a".to_owned(),
    }
}

const ROLL_CHILDREN: usize = 40;
const ROLL_CALLS: usize = 300;

async fn roll() {
    use jiaxiao_tests::json;
    let app = spawn_app_with(|s| s.login_attempts_per_ip = 1_000_000).await;
    let (_, bureau) = world::bootstrap_district(&app, "点名区", "bureau@roll.test").await;
    let (school, admin) = world::create_school(&app, &bureau, "点名学校", "6-3", "admin@roll.test").await;
    let rows: String =
        (0..ROLL_CHILDREN).map(|i| format!("R{i:06},学生{i},3,1,家长{i},137{i:08},,母亲,full,,,,,\n")).collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let plan_id = published_plan(&app, school, &admin, "17:50").await;
    let body = json!({
        "name": "足球", "category": "sports", "weekdays": [1, 2, 3, 4, 5], "start": "16:00", "end": "17:30",
        "capacity": ROLL_CHILDREN, "provider": { "kind": "school_teacher" }, "fee": { "kind": "free" }, "allocation": "first_come",
    });
    let activity = add_activity(&app, &admin, &plan_id, body).await;
    let mut children = Vec::new();
    for token in tokens.values() {
        for (_, child) in world::children(&app, token).await {
            app.post(
                &format!("/api/v1/afterschool/activities/{activity}/enrolments"),
                Some(token),
                json!({ "student_id": child }),
            )
            .await
            .expect(201);
            children.push(child);
        }
    }
    let entries: Vec<serde_json::Value> = children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            let status = match i {
                0 | 1 => "absent",
                2 | 3 => "leave",
                _ => "present",
            };
            json!({ "student_id": child, "status": status })
        })
        .collect();
    // The test clock's day (a Monday); the same roll taken again is a corrected roll, the same work.
    let roll = json!({ "date": "2026-11-23", "entries": entries });
    let url = app.url(&format!("/api/v1/afterschool/activities/{activity}/roll"));
    let mut latencies = Vec::with_capacity(ROLL_CALLS);
    for _ in 0..ROLL_CALLS {
        let t = Instant::now();
        let response = app.client.post(&url).bearer_auth(&admin).json(&roll).send().await.expect("sent");
        assert!(response.status().is_success(), "roll: status {}", response.status());
        let _ = response.bytes().await;
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "roll call: {ROLL_CALLS} roll calls of a {}-child activity, one request each, one client: p50 {:.1} ms, p99 {:.1} ms",
        children.len(),
        pct(0.50),
        pct(0.99)
    );
}

const RUSH_GUARDIANS: usize = 3_000;
const RUSH_CHILDREN_EACH: usize = 1;
const RUSH_ACTIVITIES: usize = 60;
const RUSH_SEATS: usize = 25;

async fn enrol() {
    use jiaxiao_tests::json;
    let (app, school, admin) = load_school().await;
    let rows: String = (0..RUSH_GUARDIANS * RUSH_CHILDREN_EACH)
        .map(|i| {
            let g = i / RUSH_CHILDREN_EACH;
            format!("S{i:06},学生{i},{},{},家长{g},139{g:08},,父亲,full,,,,,\n", i % 6 + 1, (i / 6) % 10 + 1)
        })
        .collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let plan_id = published_plan(&app, school, &admin, "17:50").await;
    let mut activities = Vec::new();
    for n in 0..RUSH_ACTIVITIES {
        let body = json!({
            "name": format!("社团{n}"), "category": "club", "weekdays": [1 + (n % 5) as u8], "start": "16:00", "end": "17:30",
            "capacity": RUSH_SEATS, "provider": { "kind": "school_teacher" }, "fee": { "kind": "free" }, "allocation": "first_come",
        });
        activities.push(add_activity(&app, &admin, &plan_id, body).await);
    }
    // Each guardian's token with their children.
    let mut jobs = Vec::new();
    for token in tokens.values() {
        for (_, child) in world::children(&app, token).await {
            jobs.push((token.clone(), child));
        }
    }
    let concurrency = 64;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let client = app.client.clone();
        let mine: Vec<(String, String, uuid::Uuid)> = (worker..jobs.len())
            .step_by(concurrency)
            .map(|i| {
                let url =
                    app.url(&format!("/api/v1/afterschool/activities/{}/enrolments", activities[i % RUSH_ACTIVITIES]));
                (jobs[i].0.clone(), url, jobs[i].1)
            })
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::with_capacity(mine.len());
            for (token, url, child) in mine {
                let t = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "student_id": child }))
                    .send()
                    .await
                    .expect("sent");
                assert!(response.status().is_success(), "{url}: status {}", response.status());
                let body: serde_json::Value = response.json().await.expect("json");
                out.push((t.elapsed(), body["status"].as_str().unwrap_or("").to_owned()));
            }
            out
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.extend(task.await.expect("task"));
    }
    let elapsed = started.elapsed();
    let enrolled = results.iter().filter(|(_, s)| s == "enrolled").count();
    let waitlisted = results.iter().filter(|(_, s)| s == "waitlisted").count();
    let mut latencies: Vec<Duration> = results.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    let listed = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(&admin)).await.expect(200);
    let seats: u64 =
        listed.body["items"].as_array().expect("items").iter().map(|a| a["seats_taken"].as_u64().unwrap_or(0)).sum();
    println!(
        "enrolment rush: {} requests over {RUSH_ACTIVITIES} first-come activities of {RUSH_SEATS} seats, {concurrency} clients: {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms; enrolled {enrolled}, wait-listed {waitlisted}, seats taken {seats} of {}",
        results.len(),
        results.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        RUSH_ACTIVITIES * RUSH_SEATS
    );
}

const LOTTERY_CHILDREN: usize = 2_500;
const LOTTERY_CHOICES: usize = 4;
const LOTTERY_ACTIVITIES: usize = 200;

/// The elective lottery through the API: 2,500 children rank four of 200 lottery activities of
/// 30 seats (as `benches/afterschool_lottery.rs` does for the pure draw), then the school draws:
/// the draw's answer time, with every seat, wait-list place and family message written.
async fn lottery() {
    use jiaxiao_tests::json;
    let (app, school, admin) = load_school().await;
    let rows: String = (0..LOTTERY_CHILDREN)
        .map(|i| format!("L{i:06},学生{i},{},{},家长{i},136{i:08},,父亲,full,,,,,\n", i % 6 + 1, (i / 6) % 10 + 1))
        .collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let plan_id = published_plan(&app, school, &admin, "18:40").await;
    let mut activities = Vec::new();
    for n in 0..LOTTERY_ACTIVITIES {
        let (start, end) = [("16:00", "17:30"), ("16:30", "18:00"), ("17:00", "18:30")][n % 3];
        let body = json!({
            "name": format!("社团{n}"), "category": "club", "weekdays": [1 + (n % 5) as u8], "start": start, "end": end,
            "capacity": 30, "provider": { "kind": "school_teacher" }, "fee": { "kind": "free" }, "allocation": "lottery",
        });
        activities.push(add_activity(&app, &admin, &plan_id, body).await);
    }
    // Child c ranks activities (7c + 53k) mod 200, k = 0..3: four different weekdays, no clash.
    let mut jobs = Vec::new();
    for token in tokens.values() {
        for (_, child) in world::children(&app, token).await {
            jobs.push((token.clone(), child));
        }
    }
    let applications: Vec<(String, String, uuid::Uuid, usize)> = jobs
        .iter()
        .enumerate()
        .flat_map(|(c, (token, child))| {
            (0..LOTTERY_CHOICES).map(move |k| {
                let activity = (c * 7 + k * 53) % LOTTERY_ACTIVITIES;
                (token.clone(), activity, *child, k + 1)
            })
        })
        .map(|(token, activity, child, rank)| {
            (
                token,
                app.url(&format!("/api/v1/afterschool/activities/{}/enrolments", activities[activity])),
                child,
                rank,
            )
        })
        .collect();
    let concurrency = 64;
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let client = app.client.clone();
        let mine: Vec<_> = applications.iter().skip(worker).step_by(concurrency).cloned().collect();
        tasks.push(tokio::spawn(async move {
            for (token, url, child, rank) in mine {
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "student_id": child, "rank": rank }))
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(response.status().as_u16(), 201, "{url}: an application");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let started = Instant::now();
    let drawn = app
        .post(&format!("/api/v1/afterschool/plans/{plan_id}/draw"), Some(&admin), json!({ "seed": "loadtest" }))
        .await
        .expect(200);
    let took = started.elapsed();
    println!(
        "lottery: {} ranked applications of {} children for {LOTTERY_ACTIVITIES} activities of 30 seats: the draw answered in {:.0} ms; enrolled {}, wait-listed {} (each family told)",
        drawn.body["applications"],
        jobs.len(),
        took.as_secs_f64() * 1e3,
        drawn.body["enrolled"],
        drawn.body["waitlisted"]
    );
}

const SSE_STUDENTS: usize = 250;

/// A class notice to 500 guardians connected by SSE: time until every one has the event.
async fn sse() {
    let (app, school, admin) = load_school().await;
    let rows: String = (0..SSE_STUDENTS)
        .map(|i| format!("S{i:06},学生{i},5,1,父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n"))
        .collect();
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let class = app.get(&format!("/api/v1/schools/{school}/classes"), Some(&admin)).await.expect(200).body["items"][0]
        ["id"]
        .clone();
    let mut streams = Vec::new();
    for token in tokens.values() {
        streams.push(app.events(token, None).await);
    }
    let started = Instant::now();
    let waiting: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                stream.next_event(Duration::from_secs(30)).await.expect("event");
                started.elapsed()
            })
        })
        .collect();
    let body = serde_json::json!({ "title": "五年级一班：明天春游", "body": "请带水杯。", "audience": { "class_ids": [class] }, "response_mode": "read" });
    let sent = app.post("/api/v1/notices", Some(&admin), body).await.expect(201);
    let post = started.elapsed();
    let mut arrivals = Vec::new();
    for task in waiting {
        arrivals.push(task.await.expect("task"));
    }
    arrivals.sort();
    println!(
        "SSE: class notice to {} guardians, all {} connected: POST {:.0} ms; every stream had the event after {:.0} ms (median {:.0} ms)",
        sent.body["recipient_count"],
        arrivals.len(),
        post.as_secs_f64() * 1e3,
        arrivals.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        arrivals[arrivals.len() / 2].as_secs_f64() * 1e3
    );
}

async fn roster() {
    let app = spawn_app_with(|s| s.db_max_connections = 16).await;
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

/// Runs `requests` GETs (or POSTs) over `concurrency` clients; returns (req/s, p50 ms, p99 ms).
async fn hammer(
    app: &jiaxiao_tests::TestApp,
    tokens: &[String],
    path_of: impl Fn(usize) -> (bool, String),
    requests: usize,
    concurrency: usize,
) -> (f64, f64, f64) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let client = app.client.clone();
        let jobs: Vec<(String, bool, String)> = (worker..requests)
            .step_by(concurrency)
            .map(|i| {
                let (post, path) = path_of(i);
                (tokens[i % tokens.len()].clone(), post, app.url(&path))
            })
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(jobs.len());
            for (token, post, url) in jobs {
                let t = Instant::now();
                let request = if post { client.post(&url).json(&serde_json::json!({})) } else { client.get(&url) };
                let response = request.bearer_auth(&token).send().await.expect("sent");
                assert!(response.status().is_success(), "{url}: status {}", response.status());
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
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1e3;
    (latencies.len() as f64 / elapsed.as_secs_f64(), pct(0.50), pct(0.99))
}

const NOTICE_STUDENTS: usize = 25_000;

async fn notice() {
    let (app, school, admin) = load_school().await;
    let rows: String = (0..NOTICE_STUDENTS)
        .map(|i| {
            format!(
                "S{i:06},学生{i},{},{},父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n",
                i % 9 + 1,
                (i / 9) % 40 + 1
            )
        })
        .collect();
    let report = app
        .post_csv(
            &format!("/api/v1/schools/{school}/roster/students"),
            Some(&admin),
            &format!("{STUDENT_HEADER}{rows}"),
        )
        .await
        .expect(200);
    // Activate a sample of guardians to read their inboxes.
    let codes = report.body["activation_codes"].as_array().expect("codes");
    let mut tokens = Vec::new();
    for issued in codes.iter().step_by(codes.len() / 50) {
        tokens.push(
            app.activate(
                issued["login"].as_str().expect("login"),
                issued["code"].as_str().expect("code"),
                world::PASSWORD,
            )
            .await,
        );
    }
    let body = serde_json::json!({ "title": "全校安全教育通知", "body": "请家长提醒孩子注意冬季交通安全。", "audience": {}, "response_mode": "read" });
    let started = Instant::now();
    let sent = app.post("/api/v1/notices", Some(&admin), body).await.expect(201);
    let post_latency = started.elapsed();
    let id = sent.body["id"].as_str().expect("id").to_owned();
    assert!(sent.body["sent_at"].is_string(), "a school-wide notice is sent at its answer");
    // Every sampled guardian's inbox, read at once right after the answer, lists it: the school's
    // audience was committed with the notice (the inbox resolves it at each read).
    let answered = Instant::now();
    let reads = tokens.iter().map(|token| {
        let (client, url, token, id) =
            (app.client.clone(), app.url("/api/v1/inbox?limit=1"), token.clone(), id.clone());
        tokio::spawn(async move {
            let page: serde_json::Value =
                client.get(&url).bearer_auth(&token).send().await.expect("sent").json().await.expect("json");
            assert_eq!(page["items"][0]["ref_id"], id.as_str(), "a sampled guardian has it");
        })
    });
    for read in reads.collect::<Vec<_>>() {
        read.await.expect("inbox read");
    }
    let in_every_inbox = answered.elapsed();
    // Then each family's own row (read state, answers, receipts) is written in the background,
    // and push and email are queued.
    let notice_id: uuid::Uuid = id.parse().expect("uuid");
    loop {
        let audience =
            server::inbox::audiences::going_out(&app.state.db, server::inbox::items::ItemKind::Notice, notice_id)
                .await
                .expect("audience");
        if audience.is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rows_written = answered.elapsed();
    println!(
        "notice: school-wide to {} guardians ({} children): POST {:.0} ms; {} sampled inboxes (read at once) had it {:.0} ms after the answer; every family's own row written {:.0} ms after it",
        sent.body["recipient_count"],
        NOTICE_STUDENTS,
        post_latency.as_secs_f64() * 1e3,
        tokens.len(),
        in_every_inbox.as_secs_f64() * 1e3,
        rows_written.as_secs_f64() * 1e3
    );
    // Right after the rows are written, then settled: the first run shares the machine with the
    // statistics refresh (`ANALYZE`) and the autovacuum that 150,000 new rows start.
    let (rps, p50, p99) = hammer(&app, &tokens, |_| (false, "/api/v1/inbox".to_owned()), 6_000, 32).await;
    println!(
        "GET /inbox right after ({} guardians, 32 concurrent clients): {rps:.0} req/s; p50 {p50:.1} ms, p99 {p99:.1} ms",
        tokens.len()
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (rps, p50, p99) = hammer(&app, &tokens, |_| (false, "/api/v1/inbox".to_owned()), 6_000, 32).await;
    println!(
        "GET /inbox 10 s later ({} guardians, 32 concurrent clients): {rps:.0} req/s; p50 {p50:.1} ms, p99 {p99:.1} ms",
        tokens.len()
    );
    let (rps, p50, p99) = hammer(&app, &tokens, |_| (true, format!("/api/v1/notices/{id}/read")), 3_000, 32).await;
    println!("POST /notices/{{id}}/read (32 concurrent clients): {rps:.0} req/s; p50 {p50:.1} ms, p99 {p99:.1} ms");
}

async fn me() {
    // A generous per-IP limit: the load comes from one address.
    let app = spawn_app_with(|s| {
        s.login_attempts_per_ip = 1_000_000;
        s.db_max_connections = 16;
    })
    .await;
    let w = world::build(&app).await;
    let (rps, p50, p99) =
        hammer(&app, std::slice::from_ref(&w.g1), |_| (false, "/api/v1/me".to_owned()), 8_000, 32).await;
    println!(
        "GET /me (guardian of 3 children in 2 schools, 32 concurrent clients): {rps:.0} req/s; p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
}
