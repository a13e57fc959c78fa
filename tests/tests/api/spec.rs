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

/// An operation id is what clients generate a method from, and schemathesis selects operations by
/// it: two handlers of the same name would be one method and one selection.
#[test]
fn every_operation_has_its_own_id() {
    let doc: serde_json::Value = serde_json::from_str(&server::startup::openapi_json()).expect("json");
    let mut seen = std::collections::HashMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no id"));
            if let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("operation id {id} names both {other} and {method} {path}");
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

/// utoipa names a component after its type and silently keeps one of two types of the same name,
/// so a response would be documented with another domain's schema: every schema type is named once.
#[test]
fn every_schema_type_has_its_own_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let derive = regex::Regex::new(
        // The derive, then any attributes and comments, then the type.
        r"#\[derive\([^\]]*\b(ToSchema|IntoParams)\b[^\]]*\)\]((?:\s*(?://[^\n]*|#\[[^\]]*\]))*)\s*pub (struct|enum) (\w+)",
    )
    .expect("regex");
    // `#[schema(as = Name)]` names the component instead.
    let renamed = regex::Regex::new(r"schema\(as = (\w+)\)").expect("regex");
    let mut seen: std::collections::HashMap<String, std::path::PathBuf> = std::collections::HashMap::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                for found in derive.captures_iter(&text) {
                    let name = renamed.captures(&found[2]).map_or_else(|| found[4].to_owned(), |r| r[1].to_owned());
                    if let Some(other) = seen.insert(name.clone(), path.clone()) {
                        panic!("schema type {name} is defined in {} and {}", other.display(), path.display());
                    }
                }
            }
        }
    }
    assert!(seen.len() > 100, "found only {} schema types", seen.len());
}

/// Every `$ref` of the document names a schema it defines (a type used only in a query parameter
/// is not collected by itself: schemathesis then skips the parameter's schema).
#[test]
fn every_reference_resolves() {
    let doc: serde_json::Value = serde_json::from_str(&server::startup::openapi_json()).expect("json");
    let defined = doc["components"]["schemas"].as_object().expect("schemas");
    let text = doc.to_string();
    let refs = regex::Regex::new(r"#/components/schemas/([A-Za-z0-9_]+)").expect("regex");
    for found in refs.captures_iter(&text) {
        assert!(defined.contains_key(&found[1]), "{} is referenced but not defined", &found[1]);
    }
}
