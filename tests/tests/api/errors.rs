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
