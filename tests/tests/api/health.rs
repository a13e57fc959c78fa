use jiaxiao_tests::spawn_app;

#[tokio::test]
async fn liveness_answers_ok() {
    let app = spawn_app().await;
    let reply = app.get("/healthz", None).await.expect(200);
    assert_eq!(reply.body["status"], "ok");
}

#[tokio::test]
async fn readiness_reports_the_database_and_redis_in_use() {
    let app = spawn_app().await;
    let reply = app.get("/readyz", None).await.expect(200);
    assert_eq!(reply.body["status"], "ready");
    assert_eq!(reply.body["database"]["status"], "ok");
    let expected_backend = if app.is_postgres() { "postgresql" } else { "sqlite" };
    assert_eq!(reply.body["database"]["backend"], expected_backend);
    let redis_configured = std::env::var("TEST_REDIS_URL").is_ok_and(|u| !u.is_empty());
    assert_eq!(reply.body["redis"]["status"], if redis_configured { "ok" } else { "not_configured" });
}
