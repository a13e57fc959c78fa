//! What the API document promises, kept by the server: a wrong method on a known path, the API
//! explorer, integral numbers, and the field limits the document states.

use jiaxiao_tests::{json, spawn_app, world};

#[tokio::test]
async fn a_method_a_known_path_does_not_take_is_405_with_allow() {
    let app = spawn_app().await;
    let reply = app.delete("/api/v1/notices", None).await.expect(405);
    assert_eq!(reply.code(), "method_not_allowed");
    assert_eq!(reply.headers["allow"], "GET, POST");
    assert_eq!(reply.body["details"]["allow"], json!(["GET", "POST"]));

    // `/notices/preview` takes POST; a GET reaches the `/notices/{notice_id}` template, whose id
    // does not parse: still a method the path does not take, not a missing notice.
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let reply = app.get("/api/v1/notices/preview", Some(&bureau)).await.expect(405);
    assert_eq!(reply.headers["allow"], "POST");

    let reply = app.post("/api/v1/healthz", None, json!({})).await.expect(404);
    assert_eq!(reply.code(), "no_such_route");
    let reply = app.post("/healthz", None, json!({})).await.expect(405);
    assert_eq!(reply.headers["allow"], "GET");
}

#[tokio::test]
async fn the_api_explorer_is_served_offline_and_the_root_leads_there() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let root = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), 302);
    assert_eq!(root.headers()["location"], "/docs/");

    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"), "the explorer's page");
    let config = app.client.get(app.url("/docs/swagger-initializer.js")).send().await.unwrap();
    assert_eq!(config.status(), 200);
    assert!(config.text().await.unwrap().contains("/api/v1/openapi.json"), "the explorer reads our document");
    let bundle = app.client.get(app.url("/docs/swagger-ui-bundle.js")).send().await.unwrap();
    assert_eq!(bundle.status(), 200, "the explorer's script is served by the server itself");
}

#[tokio::test]
async fn an_integral_number_written_with_a_fraction_is_an_integer() {
    let app = spawn_app().await;
    let (district, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let path = format!("/api/v1/districts/{district}/homework-settings");
    let reply = app.put(&path, Some(&bureau), json!({ "primary_cap_minutes": 45.0, "junior_cap_minutes": 9e1 })).await;
    let reply = reply.expect(200);
    assert_eq!(reply.body["primary_cap_minutes"], 45);
    assert_eq!(reply.body["junior_cap_minutes"], 90);
    let reply = app.put(&path, Some(&bureau), json!({ "primary_cap_minutes": 45.5, "junior_cap_minutes": 90 })).await;
    assert_eq!(reply.expect(422).code(), "validation_failed");
}

#[tokio::test]
async fn text_limits_count_what_was_sent_as_the_document_states() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let document = app.get("/api/v1/openapi.json", None).await.expect(200).body;
    let name = &document["components"]["schemas"]["CreateSchoolRequest"]["properties"]["name"];
    let max = name["maxLength"].as_u64().expect("the document states the name's limit") as usize;
    assert_eq!(max, server::org::model::NAME_MAX_CHARS);
    assert_eq!(name["pattern"], server::input::NOT_BLANK);

    let school = |name: String| json!({ "name": name, "stage_system": "6-3", "admin_name": "王老师", "admin_login": "a@test.cn" });
    let padded = format!(" {} ", "校".repeat(max - 1));
    let reply = app.post("/api/v1/schools", Some(&bureau), school(padded)).await.expect(422);
    assert_eq!(reply.body["details"]["field"], "name", "blanks sent count against the limit");
    let reply = app.post("/api/v1/schools", Some(&bureau), school("\u{3000} ".into())).await.expect(422);
    assert_eq!(reply.body["details"]["field"], "name", "a blank name is refused");
    let reply = app.post("/api/v1/schools", Some(&bureau), school(format!(" {} ", "校".repeat(max - 2)))).await;
    assert_eq!(reply.expect(201).body["school"]["name"], "校".repeat(max - 2), "stored without the blanks");
}

#[tokio::test]
async fn optional_parameters_are_never_null_in_the_document() {
    let document: serde_json::Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let types = &parameter["schema"]["type"];
                assert!(
                    !types.as_array().is_some_and(|t| t.contains(&json!("null"))),
                    "{method} {path} parameter {} may be null",
                    parameter["name"]
                );
            }
        }
    }
}
