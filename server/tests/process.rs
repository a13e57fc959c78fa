//! Tests that need a process of their own:
//! - a flood of wrong passwords, so that its memory is measured alone (issue 16: 256
//!   wrong-password logins took the server from 64 MB to 6.97 GB on the blocking pool, each of
//!   up to 512 threads keeping argon2's 19 MiB);
//! - the `server` binary killed with SIGKILL while it fans a school-wide notice out, and started
//!   again on the same database: every family has the notice once, or nobody has it.

use server::auth::credentials::{hash_password, verify_password_off_thread};

/// The process's resident memory, from /proc (Linux).
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().strip_suffix("kB"));
    kb.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0) * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_concurrent_wrong_passwords_run_one_hash_per_core_in_under_300_mb() {
    let stored = hash_password("the right passphrase").expect("hash");
    let checks = (0..300).map(|_| verify_password_off_thread("a wrong guess".into(), Some(stored.clone())));
    let results = futures_util::future::join_all(checks).await;
    assert!(results.iter().all(|r| *r != Ok(true)));
    let checked = results.iter().filter(|r| r.is_ok()).count();
    assert!(checked >= 100, "the queue takes a burst: {checked} of 300 checked");
    assert!(checked < 300, "beyond the queue the caller is told to come back (503 busy)");
    let rss = rss_bytes();
    eprintln!("{checked} of 300 checked, the rest told to come back; resident memory {} MiB", rss >> 20);
    assert!(rss > 0 && rss < 300 << 20, "resident memory {} MiB", rss >> 20);
    // Once the flood has passed, checks are taken again.
    assert_eq!(verify_password_off_thread("the right passphrase".into(), Some(stored)).await, Ok(true));
}

/// A fresh database for one test: a SQLite file in `dir`, or a new PostgreSQL database when
/// `TEST_DATABASE_URL` is set (dropped by [`Database::drop`]).
struct TestDatabase {
    url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    async fn create(dir: &std::path::Path) -> Self {
        use sea_orm::ConnectionTrait;
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            None => Self { url: format!("sqlite://{}?mode=rwc", dir.join("kill.db").display()), postgres: None },
            Some(admin_url) => {
                let name = format!("jiaxiao_test_kill_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(&admin_url).await.expect("TEST_DATABASE_URL reachable");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create database");
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let url = format!("{}/{name}", &base[..base.rfind('/').expect("a database path")]);
                Self { url, postgres: Some((admin_url, name)) }
            }
        }
    }

    async fn drop_database(&self) {
        use sea_orm::ConnectionTrait;
        if let Some((admin_url, name)) = &self.postgres {
            let admin = sea_orm::Database::connect(admin_url).await.expect("TEST_DATABASE_URL reachable");
            let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        }
    }
}

/// The `server` binary serving `database_url`, with its own port and data folder.
struct Instance {
    child: std::process::Child,
    base: String,
}

impl Instance {
    async fn start(database_url: &str, data_dir: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .env("JIAXIAO_LISTEN", format!("127.0.0.1:{port}"))
            .env("JIAXIAO_DATABASE_URL", database_url)
            .env("JIAXIAO_DATA_DIR", data_dir)
            .env("JIAXIAO_JWT_SECRET", "kill-test-secret-kill-test-secret-0123")
            // The outbox is counted, not drained.
            .env("JIAXIAO_DELIVERY_POLL_MILLIS", "0")
            // A fan-out the kill interrupted is finished by the scheduled job after the restart.
            .env("JIAXIAO_JOBS_INTERVAL_SECS", "1")
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let instance = Self { child, base: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(format!("{}/readyz", instance.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return instance;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the server did not become ready");
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }
}

/// Sends `request` and returns its JSON answer, which must be a success.
async fn call(request: reqwest::RequestBuilder) -> serde_json::Value {
    let response = request.send().await.expect("answered");
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// How many inbox items and deliveries each notice has, and how many accounts hold it.
async fn fan_out_of(database_url: &str) -> Vec<(String, usize, usize, usize)> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::delivery::model::delivery;
    use server::inbox::model::inbox_item;
    let db = sea_orm::Database::connect(database_url).await.expect("database");
    let mut out = Vec::new();
    for notice in server::notices::model::notice::Entity::find().all(&db).await.expect("notices") {
        let items = inbox_item::Entity::find()
            .filter(inbox_item::Column::Kind.eq("notice"))
            .filter(inbox_item::Column::RefId.eq(notice.id))
            .all(&db)
            .await
            .expect("items");
        let mut holders: Vec<_> = items.iter().map(|i| i.account_id).collect();
        holders.sort_unstable();
        holders.dedup();
        let deliveries = delivery::Entity::find()
            .filter(delivery::Column::Kind.eq("notice"))
            .filter(delivery::Column::RefId.eq(notice.id))
            .count(&db)
            .await
            .expect("deliveries") as usize;
        out.push((notice.title, items.len(), holders.len(), deliveries));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_during_a_large_fan_out_loses_nothing_and_duplicates_nothing() {
    const FAMILIES: usize = 3_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(dir.path()).await;
    let client = reqwest::Client::new();

    // A district, a school and 3,000 families, set up through the binary itself.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["bootstrap", "--district", "甲区", "--login", "bureau@test.cn", "--password", "kill-test-passphrase"])
        .env("JIAXIAO_DATABASE_URL", &database.url)
        .env("JIAXIAO_DATA_DIR", dir.path())
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("bootstrap runs");
    assert!(status.success());
    let server = Instance::start(&database.url, dir.path()).await;
    let sign_in = |base: &str, login: &str| {
        let body = serde_json::json!({ "login": login, "password": "kill-test-passphrase" });
        client.post(format!("{base}/api/v1/auth/login")).json(&body)
    };
    let bureau =
        call(sign_in(&server.base, "bureau@test.cn")).await["access_token"].as_str().unwrap_or_default().to_owned();
    let school = serde_json::json!({ "name": "一小", "stage_system": "6-3", "admin_name": "管理员", "admin_login": "admin@test.cn" });
    let created = call(client.post(format!("{}/api/v1/schools", server.base)).bearer_auth(&bureau).json(&school)).await;
    let school_id = created["school"]["id"].as_str().unwrap_or_default().to_owned();
    let code = created["admin"]["activation_code"].as_str().unwrap_or_default();
    let activate = serde_json::json!({ "login": "admin@test.cn", "code": code, "password": "kill-test-passphrase" });
    call(client.post(format!("{}/api/v1/auth/activate", server.base)).json(&activate)).await;
    let admin =
        call(sign_in(&server.base, "admin@test.cn")).await["access_token"].as_str().unwrap_or_default().to_owned();
    let mut csv = String::from(
        "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian1_access,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation,guardian2_access\n",
    );
    for i in 0..FAMILIES {
        csv.push_str(&format!("S{i},孩子{i},{},{},家长{i},139{i:08},,母亲,full,,,,,\n", 1 + i % 6, 1 + i % 10));
    }
    let roster = client
        .post(format!("{}/api/v1/schools/{school_id}/roster/students", server.base))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv);
    call(roster).await;

    // How long a school-wide notice takes to answer here, so that the kills fall inside it.
    let notice = |title: &str| serde_json::json!({ "title": title, "body": "明天停课。", "audience": {}, "response_mode": "read" });
    let started = std::time::Instant::now();
    let first = client.post(format!("{}/api/v1/notices", server.base)).bearer_auth(&admin).json(&notice("全校通知"));
    call(first).await;
    let took = started.elapsed();
    let mut answered = vec!["全校通知".to_owned()];

    // A notice this large answers first and fans out in the background. Four kills: halfway to
    // the answer, and 0, 30 and 100 ms after it (inside the fan-out); a restart after each.
    let mut server = server;
    let mut interrupted = 0;
    for (round, after_answer_ms) in [None, Some(0u64), Some(30), Some(100)].into_iter().enumerate() {
        let admin =
            call(sign_in(&server.base, "admin@test.cn")).await["access_token"].as_str().unwrap_or_default().to_owned();
        let title = format!("全校通知 {round}");
        let post = client.post(format!("{}/api/v1/notices", server.base)).bearer_auth(&admin).json(&notice(&title));
        match after_answer_ms {
            None => {
                let posting = tokio::spawn(post.send());
                tokio::time::sleep(took / 2).await;
                server.kill();
                if posting.await.is_ok_and(|r| r.is_ok_and(|r| r.status().is_success())) {
                    answered.push(title);
                }
            }
            Some(ms) => {
                call(post).await;
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                server.kill();
                if fan_out_of(&database.url).await.iter().any(|(t, items, ..)| *t == title && *items < FAMILIES) {
                    interrupted += 1;
                }
                answered.push(title);
            }
        }
        server = Instance::start(&database.url, dir.path()).await;
    }
    // What the kills interrupted, the restarted server finishes by itself (the notice was stored
    // as due; the scheduled job sends it): wait for every notice to be sent.
    let mut fan_out = fan_out_of(&database.url).await;
    for _ in 0..100 {
        if fan_out.iter().all(|(_, items, ..)| *items == FAMILIES) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        fan_out = fan_out_of(&database.url).await;
    }
    server.kill();
    eprintln!(
        "a notice took {took:?} to answer; {interrupted} kills fell inside a fan-out; after the restarts: {fan_out:?}; answered 201: {answered:?}"
    );
    for title in &answered {
        assert!(fan_out.iter().any(|(t, ..)| t == title), "{title} was answered 201, so it is there");
    }
    for (notice, items, holders, deliveries) in &fan_out {
        assert_eq!(
            (*items, *holders, *deliveries),
            (FAMILIES, FAMILIES, FAMILIES),
            "notice {notice}: every family once, one delivery each"
        );
    }
    database.drop_database().await;
}
