//! The one inbox: order, pagination, read state, unread counts.

use jiaxiao_tests::world;
use jiaxiao_tests::{json, spawn_app};

#[tokio::test]
async fn the_inbox_lists_newest_first_pages_and_counts_unread() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut ids = Vec::new();
    for (i, mode) in ["read", "confirm", "read"].iter().enumerate() {
        let body = json!({ "title": format!("通知{i}"), "body": "内容", "audience": {}, "response_mode": mode });
        ids.push(
            app.post("/api/v1/notices", Some(&w.admin_a1), body).await.expect(201).body["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    let count = app.get("/api/v1/inbox/unread-count", Some(&w.g1)).await.expect(200);
    assert_eq!(count.body, json!({ "unread": 3, "awaiting_response": 1 }));

    let first = app.get("/api/v1/inbox?limit=2", Some(&w.g1)).await.expect(200);
    let titles: Vec<&str> =
        first.body["items"].as_array().expect("items").iter().map(|i| i["title"].as_str().unwrap_or("")).collect();
    assert_eq!(titles, ["通知2", "通知1"]);
    assert_eq!(first.body["items"][1]["awaiting_response"], true);
    let cursor = first.body["next_cursor"].as_str().expect("more");
    let rest = app.get(&format!("/api/v1/inbox?limit=2&cursor={cursor}"), Some(&w.g1)).await.expect(200);
    assert_eq!(rest.body["items"][0]["title"], "通知0");
    assert!(rest.body["next_cursor"].is_null());

    app.post(&format!("/api/v1/notices/{}/read", ids[0]), Some(&w.g1), json!({})).await.expect(200);
    app.post(&format!("/api/v1/notices/{}/confirm", ids[1]), Some(&w.g1), json!({})).await.expect(200);
    let count = app.get("/api/v1/inbox/unread-count", Some(&w.g1)).await.expect(200);
    assert_eq!(count.body, json!({ "unread": 1, "awaiting_response": 0 }));
    let unread = app.get("/api/v1/inbox?unread=true", Some(&w.g1)).await.expect(200);
    assert_eq!(unread.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(unread.body["items"][0]["title"], "通知2");
    // Each inbox is its owner's: g3 reads nothing of g1's state.
    let g3 = app.get("/api/v1/inbox/unread-count", Some(&w.g3)).await.expect(200);
    assert_eq!(g3.body["unread"], 3);
}

#[tokio::test]
async fn the_inbox_needs_a_signed_in_caller_and_a_valid_cursor() {
    let app = spawn_app().await;
    app.get("/api/v1/inbox", None).await.expect(401);
    let w = world::build(&app).await;
    app.get("/api/v1/inbox?cursor=bm90LWEtbnVtYmVy", Some(&w.g1)).await.expect(422);
    app.get("/api/v1/inbox?limit=1000", Some(&w.g1)).await.expect(422);
}

#[tokio::test]
async fn concurrent_writes_queue_instead_of_failing() {
    // On SQLite a read-then-write transaction that loses the race for the write lock used to fail
    // with "database is locked"; writes take the lock up front now.
    let app = std::sync::Arc::new(spawn_app().await);
    let w = world::build(&app).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let body = json!({ "title": format!("通知{i}"), "body": "内容", "audience": {}, "response_mode": "confirm" });
        ids.push(
            app.post("/api/v1/notices", Some(&w.admin_a1), body).await.expect(201).body["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    let mut tasks = Vec::new();
    for round in 0..10 {
        for (token, id) in [(&w.g1, &ids[round % 4]), (&w.g3, &ids[(round + 1) % 4])] {
            let (app, token, id) = (app.clone(), token.clone(), id.clone());
            tasks.push(tokio::spawn(async move {
                let read =
                    app.post(&format!("/api/v1/notices/{id}/read"), Some(&token), json!({})).await.status.as_u16();
                let confirm =
                    app.post(&format!("/api/v1/notices/{id}/confirm"), Some(&token), json!({})).await.status.as_u16();
                (read, confirm)
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), (200, 200));
    }
}
