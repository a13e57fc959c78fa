//! Bad input gets a 4xx with a stable code and a message in the caller's language; never a 5xx.

use jiaxiao_tests::world::{self, PASSWORD};
use jiaxiao_tests::{json, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_with_the_envelope() {
    let app = spawn_app().await;
    let reply =
        app.post_raw("/api/v1/auth/login", None, "application/json", b"{\"login\": ".to_vec()).await.expect(400);
    assert_eq!(reply.code(), "invalid_json");
    assert!(!reply.body["message"].as_str().unwrap_or("").is_empty());
}

#[tokio::test]
async fn wrong_types_and_missing_fields_are_422() {
    let app = spawn_app().await;
    let reply = app.post("/api/v1/auth/login", None, json!({ "login": 42, "password": [] })).await.expect(422);
    assert_eq!(reply.code(), "validation_failed");
    let reply = app.post("/api/v1/auth/login", None, json!({ "login": "13800000000" })).await.expect(422);
    assert!(reply.body["details"]["reason"].as_str().unwrap_or("").contains("password"));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let reply = app.post_raw("/api/v1/auth/login", None, "text/plain", b"login=x".to_vec()).await.expect(415);
    assert_eq!(reply.code(), "unsupported_media_type");
}

#[tokio::test]
async fn a_huge_body_is_413() {
    let app = spawn_app().await;
    let huge = format!("{{\"login\": \"{}\", \"password\": \"x\"}}", "a".repeat(200 * 1024));
    let reply = app.post_raw("/api/v1/auth/login", None, "application/json", huge.into_bytes()).await.expect(413);
    assert_eq!(reply.code(), "payload_too_large");
}

#[tokio::test]
async fn unknown_enum_values_are_422_not_500() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let reply = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "X", "stage_system": "7-2", "admin_name": "A", "admin_login": "a@test.cn" }),
        )
        .await
        .expect(422);
    assert_eq!(reply.code(), "validation_failed");
}

#[tokio::test]
async fn a_path_id_that_is_not_a_uuid_is_404() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let reply = app.get("/api/v1/schools/not-a-uuid", Some(&bureau)).await.expect(404);
    assert_eq!(reply.code(), "not_found");
}

#[tokio::test]
async fn unknown_routes_are_404_with_the_envelope() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/no/such/thing", None).await.expect(404);
    assert_eq!(reply.code(), "no_such_route");
}

#[tokio::test]
async fn messages_follow_accept_language() {
    let app = spawn_app().await;
    let body = json!({ "login": "13800000000", "password": PASSWORD });
    let zh = app.post("/api/v1/auth/login", None, body.clone()).await.expect(401);
    let en = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .json(&body)
        .send()
        .await
        .expect("sent");
    let en: serde_json::Value = en.json().await.expect("json");
    assert_eq!(zh.code(), "invalid_credentials");
    assert_eq!(en["code"], "invalid_credentials");
    assert!(zh.body["message"].as_str().unwrap_or("").contains("密码"));
    assert!(en["message"].as_str().unwrap_or("").contains("password"));
}

#[tokio::test]
async fn bad_query_parameters_are_400_or_422() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    app.get("/api/v1/schools?limit=abc", Some(&bureau)).await.expect(400);
    let reply = app.get("/api/v1/schools?limit=0", Some(&bureau)).await.expect(422);
    assert_eq!(reply.body["details"]["field"], "limit");
    let reply = app.get("/api/v1/schools?cursor=%%%", Some(&bureau)).await;
    assert!(reply.status.is_client_error(), "{}", reply.body);
}

#[tokio::test]
async fn a_nul_character_is_a_422_naming_the_field_on_every_backend() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let school =
        json!({ "name": "实验\u{0}小学", "stage_system": "6-3", "admin_name": "A", "admin_login": "a@test.cn" });
    let notice = json!({ "title": "家长会\u{0}", "body": "明天下午两点。", "audience": {}, "response_mode": "read" });
    let homework = json!({
        "subject": "数学", "title": "口算", "content": "完成\u{0}练习册", "kind": "written", "tier": "basic",
        "estimated_minutes": 10, "location": "home", "date": "2026-11-23",
    });
    let teacher = app.get("/api/v1/me", Some(&w.teacher_a1_head)).await.expect(200).body["account_id"].clone();
    let conversation = app
        .post("/api/v1/conversations", Some(&w.g1), json!({ "student_id": w.s1, "with_account_id": teacher }))
        .await
        .expect(200);
    let messages = format!("/api/v1/conversations/{}/messages", conversation.body["id"].as_str().expect("id"));
    for (path, token, body, field) in [
        ("/api/v1/schools".to_owned(), &w.bureau_a, school, "name"),
        ("/api/v1/notices".to_owned(), &w.admin_a1, notice, "title"),
        (format!("/api/v1/classes/{}/homework", w.class_a1_31), &w.teacher_a1_head, homework, "content"),
        (messages.clone(), &w.g1, json!({ "body": "老师好\u{0}" }), "body"),
    ] {
        let reply = app.post(&path, Some(token), body).await.expect(422);
        assert_eq!(
            (reply.code(), reply.body["details"]["field"].as_str()),
            ("validation_failed", Some(field)),
            "{path}"
        );
    }
    // Nothing was stored: the conversation has no message.
    let list = app.get(&messages, Some(&w.g1)).await.expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn dates_outside_four_digit_years_are_refused_not_a_panic_or_a_500() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    for (path, token) in [
        (format!("/api/v1/districts/{}/blocked-sends?to=-262143-01-01", w.district_a), &w.bureau_a),
        (format!("/api/v1/classes/{}/homework?date=-262143-01-01", w.class_a1_31), &w.teacher_a1_head),
        (format!("/api/v1/classes/{}/homework-budget?date=%2B262142-01-01", w.class_a1_31), &w.teacher_a1_head),
        (format!("/api/v1/children/{}/homework?date=-262143-01-01", w.s1), &w.g1),
        (format!("/api/v1/children/{}/homework?date=ok%00", w.s1), &w.g1),
    ] {
        let reply = app.get(&path, Some(token)).await.expect(400);
        assert_eq!(reply.code(), "invalid_query", "{path}");
    }
    let scheduled = json!({
        "title": "远期通知", "body": "x", "audience": {}, "response_mode": "read", "send_at": "+262142-01-01T00:00:00Z",
    });
    let reply = app.post("/api/v1/notices", Some(&w.admin_a1), scheduled).await.expect(422);
    assert_eq!(reply.body["details"]["field"], "send_at");
}

#[tokio::test]
async fn a_query_parameter_the_operation_does_not_take_is_refused_by_name() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let typo = app.get("/api/v1/notices?curser=abc", Some(&w.g1)).await.expect(400);
    assert_eq!(typo.code(), "invalid_query");
    assert_eq!(typo.body["details"]["field"], "curser");
    // The parameters it does take still work.
    app.get("/api/v1/notices?limit=5", Some(&w.g1)).await.expect(200);
}
