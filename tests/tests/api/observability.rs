//! Observability: a request id on every answer (and in every error envelope), and `/metrics` in
//! Prometheus' text format for operators — loopback only, or only with the configured token.
//!
//! Metrics are process-wide and the tests of this binary run side by side, so counters are
//! checked as "at least", gauges only for being there (another app may be scraped in between).

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with, spawn_app_with_mail_and_push};
use uuid::Uuid;

fn request_id(reply: &jiaxiao_tests::Reply) -> String {
    reply.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

async fn get_with_id(app: &TestApp, path: &str, id: &str) -> jiaxiao_tests::Reply {
    let response = app.client.get(app.url(path)).header("X-Request-Id", id).send().await.expect("sent");
    jiaxiao_tests::Reply::from_response(response).await
}

/// The scrape's text, asserting a 200 in Prometheus' format.
async fn scrape(app: &TestApp, token: Option<&str>) -> String {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap_or_default().to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    response.text().await.expect("text")
}

/// The value of the sample named `series` (name and labels, in the exporter's order).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let (name, value) = line.rsplit_once(' ')?;
        (name == series).then(|| value.parse().ok()).flatten()
    })
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_sane_supplied_one_is_echoed() {
    let app = spawn_app().await;
    let generated = request_id(&app.get("/healthz", None).await.expect(200));
    assert!(Uuid::parse_str(&generated).is_ok(), "a new id is a UUID: {generated:?}");
    let other = request_id(&app.get("/healthz", None).await);
    assert_ne!(generated, other, "one id per request");

    let echoed = get_with_id(&app, "/healthz", "mobile-42_retry.1").await.expect(200);
    assert_eq!(request_id(&echoed), "mobile-42_retry.1");
    for odd in ["has space", "semi;colon", &"x".repeat(65)] {
        let replaced = request_id(&get_with_id(&app, "/readyz", odd).await);
        assert!(Uuid::parse_str(&replaced).is_ok(), "{odd:?} is replaced by a UUID, got {replaced:?}");
    }
}

#[tokio::test]
async fn an_error_envelope_names_the_request_id_of_its_answer() {
    let app = spawn_app().await;
    let unauthenticated = get_with_id(&app, "/api/v1/me", "trace-me-401").await.expect(401);
    assert_eq!(unauthenticated.body["request_id"], "trace-me-401");
    let no_route = app.get("/api/v1/no-such-thing", None).await.expect(404);
    assert_eq!(no_route.code(), "no_such_route");
    assert_eq!(no_route.body["request_id"], request_id(&no_route).as_str());
    // An error of the body parser, in English when asked: both the language and the id hold.
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Accept-Language", "en")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    let bad_json = jiaxiao_tests::Reply::from_response(response).await.expect(400);
    assert_eq!(bad_json.body["request_id"], request_id(&bad_json).as_str());
    assert_eq!(bad_json.body["message"], "The body is not valid JSON.");
}

#[tokio::test]
async fn metrics_from_loopback_count_requests_by_route_pattern_and_show_sse_and_the_outbox() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let notice = app
        .post(
            "/api/v1/notices",
            Some(&w.admin_a1),
            json!({ "title": "运动会", "body": "周五运动会。", "audience": {}, "response_mode": "read" }),
        )
        .await
        .expect(201);
    let id = notice.body["id"].as_str().expect("notice id").to_owned();
    app.get(&format!("/api/v1/notices/{id}"), Some(&w.admin_a1)).await.expect(200);
    app.get(&format!("/api/v1/notices/{}", Uuid::new_v4()), Some(&w.admin_a1)).await.expect(404);
    let _stream = app.events(&w.g1, None).await;

    let text = scrape(&app, None).await;
    let route = "/api/v1/notices/{notice_id}";
    for status in [200, 404] {
        let series = format!(r#"jiaxiao_http_requests_total{{method="GET",route="{route}",status="{status}"}}"#);
        assert!(sample(&text, &series).is_some_and(|n| n >= 1.0), "{series} counted in:\n{text}");
    }
    assert!(text.contains(&format!(r#"jiaxiao_http_request_duration_seconds_bucket{{method="GET",route="{route}""#)));
    assert!(!text.contains(&id), "a route is labelled by its pattern, never by a raw path");
    assert!(sample(&text, "jiaxiao_sse_connections").is_some_and(|n| n >= 1.0), "our stream is open:\n{text}");
    assert!(sample(&text, "jiaxiao_outbox_due").is_some(), "{text}");
    assert!(sample(&text, "jiaxiao_outbox_oldest_due_age_seconds").is_some(), "{text}");
    assert!(sample(&text, r#"jiaxiao_db_pool_connections{state="idle"}"#).is_some(), "{text}");
    assert!(sample(&text, "jiaxiao_db_pool_max_connections").is_some(), "{text}");
}

#[tokio::test]
async fn metrics_count_push_and_email_results_by_channel() {
    let (app, _smtp, gateway) = spawn_app_with_mail_and_push().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (school, admin) = world::create_school(&app, &bureau, "一小", "6-3", "admin@test.cn").await;
    let rows = "S0,孩子,4,1,家长,13800000000,parent@test.cn,母亲,,,,,,\n";
    let (_, tokens) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let guardian = tokens["13800000000"].clone();
    app.post("/api/v1/devices", Some(&guardian), json!({ "platform": "android", "token": "device-0" }))
        .await
        .expect(201);
    let notice = json!({ "title": "家长会", "body": "明天下午两点。", "audience": {}, "response_mode": "read" });
    app.post("/api/v1/notices", Some(&admin), notice).await.expect(201);
    gateway.fail_next(1);
    app.deliver().await; // the push fails and is retried later
    let text = scrape(&app, None).await;
    let failed = r#"jiaxiao_deliveries_total{channel="push",result="failed"}"#;
    assert!(sample(&text, failed).is_some_and(|n| n >= 1.0), "{failed} in:\n{text}");

    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(app.deliver().await.delivered, 1);
    let text = scrape(&app, None).await;
    for channel in ["push", "email"] {
        let sent = format!(r#"jiaxiao_deliveries_total{{channel="{channel}",result="sent"}}"#);
        assert!(sample(&text, &sent).is_some_and(|n| n >= 1.0), "{sent} in:\n{text}");
    }
}

#[tokio::test]
async fn with_a_metrics_token_a_scrape_without_it_is_not_found_and_with_it_succeeds() {
    let app = spawn_app_with(|s| s.metrics_token = Some("scrape-secret-0123456789".into())).await;
    let missing = app.get("/metrics", None).await.expect(404);
    assert_eq!(missing.code(), "not_found");
    assert_eq!(missing.body["request_id"], request_id(&missing).as_str());
    app.get("/metrics", Some("wrong-secret")).await.expect(404);
    let text = scrape(&app, Some("scrape-secret-0123456789")).await;
    assert!(text.contains("jiaxiao_http_requests_total"), "{text}");
}

#[tokio::test]
async fn without_a_token_a_client_beyond_loopback_is_not_shown_the_metrics() {
    // Behind the deployment's own proxy the client is the forwarded address, not the proxy.
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let response =
        app.client.get(app.url("/metrics")).header("X-Forwarded-For", "203.0.113.7").send().await.expect("sent");
    let outside = jiaxiao_tests::Reply::from_response(response).await.expect(404);
    assert_eq!(outside.code(), "not_found");
    scrape(&app, None).await; // the proxy itself, on loopback, still may
}
