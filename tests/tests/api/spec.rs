//! The committed OpenAPI document must be what the code generates. `UPDATE_SPEC=1 cargo test`
//! rewrites it after an intended API change.

use jiaxiao_tests::spawn_app;

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../mobile-api-spec/openapi.json")
}

#[test]
fn the_committed_api_document_matches_the_code() {
    let generated = server::startup::openapi_json();
    let path = committed_path();
    if std::env::var("UPDATE_SPEC").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write spec");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "mobile-api-spec/openapi.json is stale: run `UPDATE_SPEC=1 cargo test --workspace spec` and commit it"
    );
}

#[test]
fn every_operation_documents_its_errors_and_authenticated_ones_say_so() {
    let doc: serde_json::Value = serde_json::from_str(&server::startup::openapi_json()).expect("json");
    let public = [
        "/api/v1/auth/login",
        "/api/v1/auth/activate",
        "/api/v1/auth/refresh",
        // A parent-school certificate is checked by whoever holds its code (an employer, a school).
        "/api/v1/certificates/{code}",
        "/api/v1/certificates/{code}/print",
    ];
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            assert!(responses.keys().any(|s| s.starts_with('4')), "{method} {path} documents no 4xx answer");
            if !public.contains(&path.as_str()) {
                assert!(operation["security"].is_array(), "{method} {path} does not declare bearer security");
            }
        }
    }
}

#[tokio::test]
async fn the_server_serves_the_committed_document() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/openapi.json", None).await.expect(200);
    let committed = std::fs::read_to_string(committed_path()).expect("committed spec");
    let committed: serde_json::Value = serde_json::from_str(&committed).expect("json");
    assert_eq!(reply.body, committed, "the served document differs from mobile-api-spec/openapi.json");
}
