//! Idempotency keys, send rate limits and job locks.

use jiaxiao_tests::{Reply, TestApp, json, spawn_app, spawn_app_with, world};
use serde_json::Value;

async fn post_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> (Reply, bool) {
    let response = app
        .client
        .post(app.url("/api/v1/notices"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("sent");
    let replayed = response.headers().contains_key("idempotent-replayed");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (Reply { status, body, headers }, replayed)
}

#[tokio::test]
async fn a_retried_post_with_the_same_key_returns_the_first_response_and_creates_nothing_twice() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let body = json!({ "title": "明日停水", "body": "请备水。", "audience": {}, "response_mode": "read" });
    let (first, replayed) = post_with_key(&app, &w.admin_a1, "retry-1", &body).await;
    assert_eq!((first.status.as_u16(), replayed), (201, false));
    let (again, replayed) = post_with_key(&app, &w.admin_a1, "retry-1", &body).await;
    assert_eq!((again.status.as_u16(), replayed), (201, true));
    assert_eq!(again.body, first.body);
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert_eq!(inbox.body["items"].as_array().map(Vec::len), Some(1));

    // The same key for another request is refused; another key is another notice.
    let other = json!({ "title": "另一条", "body": "x", "audience": {}, "response_mode": "read" });
    assert_eq!(
        post_with_key(&app, &w.admin_a1, "retry-1", &other).await.0.expect(422).code(),
        "idempotency_key_reused"
    );
    assert_eq!(post_with_key(&app, &w.admin_a1, "retry-2", &other).await.0.status.as_u16(), 201);
    // Keys are per account: another sender's identical key is theirs alone.
    let teacher = json!({ "title": "班级通知", "body": "x", "audience": { "class_ids": [w.class_a1_31] }, "response_mode": "read" });
    assert_eq!(post_with_key(&app, &w.teacher_a1_head, "retry-1", &teacher).await.0.status.as_u16(), 201);
    // Client errors are remembered too: the retry gets the same answer.
    let invalid = json!({ "title": "", "body": "x", "audience": {}, "response_mode": "read" });
    let (refused, _) = post_with_key(&app, &w.admin_a1, "retry-3", &invalid).await;
    let (replay, replayed) = post_with_key(&app, &w.admin_a1, "retry-3", &invalid).await;
    assert_eq!((refused.status.as_u16(), replay.status.as_u16(), replayed), (422, 422, true));
}

#[tokio::test]
async fn sends_are_limited_per_person_and_per_school() {
    let app = spawn_app_with(|s| {
        s.sends_per_user_per_hour = 2;
        s.sends_per_school_per_hour = 3;
    })
    .await;
    let w = world::build(&app).await;
    let to_class =
        json!({ "title": "通知", "body": "x", "audience": { "class_ids": [w.class_a1_31] }, "response_mode": "read" });
    let to_school = json!({ "title": "通知", "body": "x", "audience": {}, "response_mode": "read" });
    app.post("/api/v1/notices", Some(&w.teacher_a1_head), to_class.clone()).await.expect(201);
    app.post("/api/v1/notices", Some(&w.teacher_a1_head), to_class.clone()).await.expect(201);
    assert_eq!(
        app.post("/api/v1/notices", Some(&w.teacher_a1_head), to_class).await.expect(429).code(),
        "rate_limited"
    );
    app.post("/api/v1/notices", Some(&w.admin_a1), to_school.clone()).await.expect(201);
    // The school's fourth send this hour, whoever sends it.
    app.post("/api/v1/notices", Some(&w.admin_a1), to_school.clone()).await.expect(429);
    // Another school has its own budget.
    app.post("/api/v1/notices", Some(&w.admin_b1), to_school).await.expect(201);
}

#[tokio::test]
#[ignore = "needs Redis: run by the PostgreSQL + Redis pass of .ci/run (--include-ignored)"]
async fn redis_pass_one_instance_takes_each_job_run() {
    jiaxiao_tests::require_redis();
    let app = spawn_app().await;
    let peer = app.spawn_peer().await;
    let period = std::time::Duration::from_secs(30);
    assert!(server::jobs::acquire_lock(&app.state, "jobs", period).await);
    assert!(!server::jobs::acquire_lock(&peer.state, "jobs", period).await, "the peer skips this period");
    assert!(!server::jobs::acquire_lock(&app.state, "jobs", period).await);
}

#[tokio::test]
async fn the_idempotency_middleware_answers_in_the_requests_language() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let body = json!({ "title": "通知", "body": "x", "audience": {}, "response_mode": "read" });
    let response = app
        .client
        .post(app.url("/api/v1/notices"))
        .bearer_auth(&w.admin_a1)
        .header("Idempotency-Key", "k".repeat(200))
        .header("Accept-Language", "en")
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["code"], "validation_failed");
    assert_eq!(error["message"], "Idempotency-Key must be 1–128 characters.");
}

#[tokio::test]
async fn a_key_sent_with_a_lower_case_bearer_scheme_is_remembered_too() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let body = json!({ "title": "通知", "body": "x", "audience": {}, "response_mode": "read" });
    let send = || async {
        let response = app
            .client
            .post(app.url("/api/v1/notices"))
            .header("Authorization", format!("bearer {}", w.admin_a1))
            .header("Idempotency-Key", "lower-case-scheme")
            .json(&body)
            .send()
            .await
            .expect("sent");
        (response.status().as_u16(), response.headers().contains_key("idempotent-replayed"))
    };
    assert_eq!(send().await, (201, false));
    assert_eq!(send().await, (201, true), "the retry is a replay, not a second notice");
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert_eq!(inbox.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn when_a_response_cannot_be_remembered_a_retry_never_runs_the_request_again() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Make storing the answer fail, as a database hiccup after the request's own commit would.
    let refuse_updates = if app.is_postgres() {
        "CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse_store BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_update();"
    } else {
        "CREATE TRIGGER refuse_store BEFORE UPDATE ON idempotency_keys BEGIN SELECT RAISE(FAIL, 'refused by the test'); END;"
    };
    app.state.db.execute_unprepared(refuse_updates).await.expect("trigger");
    let body = json!({ "title": "明日停水", "body": "请备水。", "audience": {}, "response_mode": "read" });
    let (first, _) = post_with_key(&app, &w.admin_a1, "unstored", &body).await;
    assert_eq!(first.status.as_u16(), 201, "the request did its work and is answered");
    let (retry, replayed) = post_with_key(&app, &w.admin_a1, "unstored", &body).await;
    assert_eq!((retry.expect(409).code(), replayed), ("idempotency_in_progress", false));
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert_eq!(inbox.body["items"].as_array().map(Vec::len), Some(1), "one notice, not two");
}

#[tokio::test]
async fn sign_in_answers_are_never_stored_or_replayed() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let pair = app
        .post("/api/v1/auth/login", None, json!({ "login": "bureau-a@test.cn", "password": world::PASSWORD }))
        .await
        .expect(200);
    let refresh = |key: &str| {
        let request =
            app.client.post(app.url("/api/v1/auth/refresh")).bearer_auth(&w.bureau_a).header("Idempotency-Key", key);
        request.json(&json!({ "refresh_token": pair.body["refresh_token"] })).send()
    };
    let first = refresh("refresh-1").await.expect("sent");
    assert_eq!(first.status().as_u16(), 200);
    let first: serde_json::Value = first.json().await.expect("json");
    // A replay would hand the same token pair out again (it was kept in clear); the refresh
    // token's own rules answer instead (a retry within seconds: a new pair of the same session).
    let second = refresh("refresh-1").await.expect("sent");
    assert!(!second.headers().contains_key("idempotent-replayed"));
    let second: serde_json::Value = second.json().await.expect("json");
    assert_ne!(second["refresh_token"], first["refresh_token"]);
}

#[tokio::test]
async fn a_signed_out_session_gets_no_replay() {
    let app = spawn_app().await;
    world::build(&app).await;
    let token = app.login("admin-a1@test.cn", world::PASSWORD).await;
    let body = json!({ "title": "停水", "body": "请备水。", "audience": {}, "response_mode": "read" });
    assert_eq!(post_with_key(&app, &token, "after-logout", &body).await.0.status.as_u16(), 201);
    app.post("/api/v1/auth/logout", Some(&token), json!({})).await.expect(204);
    // The access token has not expired yet, but its session has: no replay of the notice.
    let (reply, replayed) = post_with_key(&app, &token, "after-logout", &body).await;
    assert_eq!((reply.status.as_u16(), replayed), (401, false));
}
