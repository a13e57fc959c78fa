//! Conversations between guardians and teachers: who may talk, read state, content rules,
//! cooling-off, attachments, safeguarding reads, and delivery in both directions.

use chrono::Duration;
use jiaxiao_tests::fakes::PushGatewayFake;
use jiaxiao_tests::world::{self, PASSWORD, World};
use jiaxiao_tests::{Reply, TestApp, json, spawn_app, spawn_app_with};

async fn account_id(app: &TestApp, token: &str) -> String {
    app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"].as_str().expect("id").to_owned()
}

async fn start(app: &TestApp, token: &str, student: uuid::Uuid, with: &str) -> Reply {
    app.post("/api/v1/conversations", Some(token), json!({ "student_id": student, "with_account_id": with })).await
}

async fn block(app: &TestApp, id: &str, token: &str, hours: i64) -> Reply {
    app.post(&format!("/api/v1/conversations/{id}/block"), Some(token), json!({ "hours": hours })).await
}

async fn upload(app: &TestApp, id: &str, token: &str, bytes: Vec<u8>) -> Reply {
    let path = format!("/api/v1/conversations/{id}/attachments?file_name=%E4%BD%9C%E4%B8%9A.png");
    app.post_raw(&path, Some(token), "application/octet-stream", bytes).await
}

/// g1 and the class teacher of 3-1 about S1: the conversation id.
async fn open(app: &TestApp, w: &World) -> String {
    let teacher = account_id(app, &w.teacher_a1_head).await;
    let reply = app
        .post("/api/v1/conversations", Some(&w.g1), json!({ "student_id": w.s1, "with_account_id": teacher }))
        .await
        .expect(200);
    reply.body["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn a_guardian_and_a_teacher_of_the_child_talk_with_read_state_and_one_inbox() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    assert_eq!(open(&app, &w).await, id, "one conversation per child, guardian and teacher");

    app.post(
        &format!("/api/v1/conversations/{id}/messages"),
        Some(&w.g1),
        json!({ "body": "王老师好，孩子今天发烧请假一天。" }),
    )
    .await
    .expect(201);
    let inbox = app.get("/api/v1/inbox", Some(&w.teacher_a1_head)).await.expect(200);
    let item = &inbox.body["items"][0];
    assert_eq!(item["kind"], "message");
    assert_eq!(item["title"], "张伟");
    assert_eq!(item["children"][0]["name"], "张小一");
    let list = app.get("/api/v1/conversations", Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(list.body["items"][0]["unread"], 1);
    assert_eq!(list.body["items"][0]["student_name"], "张小一");

    app.post(&format!("/api/v1/conversations/{id}/read"), Some(&w.teacher_a1_head), json!({})).await.expect(204);
    let list = app.get("/api/v1/conversations", Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(list.body["items"][0]["unread"], 0);
    let count = app.get("/api/v1/inbox/unread-count", Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(count.body["unread"], 0);

    app.clock.advance(Duration::minutes(3));
    app.post(
        &format!("/api/v1/conversations/{id}/messages"),
        Some(&w.teacher_a1_head),
        json!({ "body": "收到，祝早日康复。" }),
    )
    .await
    .expect(201);
    let messages = app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.g1)).await.expect(200);
    let bodies: Vec<&str> =
        messages.body["items"].as_array().expect("items").iter().map(|m| m["body"].as_str().unwrap_or("")).collect();
    assert_eq!(bodies, ["收到，祝早日康复。", "王老师好，孩子今天发烧请假一天。"]);
    assert_eq!(messages.body["items"][0]["sender_name"], "王老师");
}

#[tokio::test]
async fn only_a_childs_full_guardian_and_its_teachers_may_talk() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let head = account_id(&app, &w.teacher_a1_head).await;
    let other = account_id(&app, &w.teacher_a1_other).await;
    let outside = account_id(&app, &w.teacher_b1).await;
    let g4 = account_id(&app, &w.g4).await;
    start(&app, &w.g1, w.s1, &other).await.expect(404); // teaches 3-2, not 3-1
    start(&app, &w.g1, w.s1, &outside).await.expect(404);
    start(&app, &w.g2, w.s1, &head).await.expect(404); // pickup only
    start(&app, &w.g3, w.s2, &other).await.expect(404); // informational only
    start(&app, &w.teacher_a1_head, w.s1, &g4).await.expect(404);
    start(&app, &w.g4, w.s1, &head).await.expect(404);
    // A teacher may open it from their side too.
    let g1 = account_id(&app, &w.g1).await;
    start(&app, &w.teacher_a1_head, w.s1, &g1).await.expect(200);

    let id = open(&app, &w).await;
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(&w.g1), json!({ "body": "你好" })).await.expect(201);
    for stranger in [&w.g4, &w.g3, &w.teacher_a1_other, &w.admin_b1, &w.bureau_a] {
        app.get(&format!("/api/v1/conversations/{id}/messages"), Some(stranger)).await.expect(404);
        app.post(&format!("/api/v1/conversations/{id}/messages"), Some(stranger), json!({ "body": "x" }))
            .await
            .expect(404);
    }
    // The school's admin reads for safeguarding, but does not write.
    app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.admin_a1)).await.expect(200);
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(&w.admin_a1), json!({ "body": "x" }))
        .await
        .expect(403);
    let all = app.get(&format!("/api/v1/conversations?school_id={}", w.school_a1), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(1));
    app.get(&format!("/api/v1/conversations?school_id={}", w.school_a1), Some(&w.teacher_a1_head)).await.expect(403);
    app.get(&format!("/api/v1/conversations?school_id={}", w.school_a1), Some(&w.admin_b1)).await.expect(404);
}

#[tokio::test]
async fn a_teachers_message_passes_the_content_rules() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    let path = format!("/api/v1/conversations/{id}/messages");
    let refused = app
        .post(&path, Some(&w.teacher_a1_head), json!({ "body": "这次数学测验孩子全班第3名，继续加油" }))
        .await
        .expect(422);
    assert_eq!(refused.code(), "exam_no_ranking");
    app.post(&path, Some(&w.teacher_a1_head), json!({ "body": "这次数学测验孩子的等级为优秀，继续加油" }))
        .await
        .expect(201);
    app.post(&path, Some(&w.teacher_a1_head), json!({ "body": "" })).await.expect(422);
    app.post(&path, Some(&w.teacher_a1_head), json!({ "body": "长".repeat(2_001) })).await.expect(422);
}

#[tokio::test]
async fn a_teacher_can_pause_a_guardian_for_a_cooling_off_period() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    block(&app, &id, &w.g1, 24).await.expect(403);
    block(&app, &id, &w.teacher_a1_head, 500).await.expect(422);
    let paused = block(&app, &id, &w.teacher_a1_head, 24).await.expect(200);
    assert!(paused.body["guardian_blocked_until"].is_string());
    let refused = app
        .post(&format!("/api/v1/conversations/{id}/messages"), Some(&w.g1), json!({ "body": "为什么？" }))
        .await
        .expect(403);
    assert_eq!(refused.code(), "conversation_paused");
    // The teacher may still write; after the period the guardian may too.
    app.post(
        &format!("/api/v1/conversations/{id}/messages"),
        Some(&w.teacher_a1_head),
        json!({ "body": "明天面谈。" }),
    )
    .await
    .expect(201);
    app.clock.advance(Duration::hours(25));
    let g1 = app.login("13800000001", PASSWORD).await;
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(&g1), json!({ "body": "好的。" })).await.expect(201);
}

#[tokio::test]
async fn attachments_are_typed_by_content_and_private_to_the_thread() {
    let app = spawn_app_with(|s| s.max_attachment_bytes = 4_096).await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    let png = b"\x89PNG\r\n\x1a\n fake image bytes".to_vec();
    let saved = upload(&app, &id, &w.g1, png.clone()).await.expect(201);
    assert_eq!(saved.body["content_type"], "image/png");
    assert_eq!(saved.body["file_name"], "作业.png");
    assert_eq!(
        upload(&app, &id, &w.g1, b"MZ\x90\x00 not an image".to_vec()).await.expect(415).code(),
        "unsupported_attachment_type"
    );
    assert_eq!(upload(&app, &id, &w.g1, vec![0u8; 5_000]).await.expect(413).code(), "payload_too_large");
    upload(&app, &id, &w.g4, png.clone()).await.expect(404);

    let attachment = saved.body["id"].as_str().expect("id");
    let sent = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            Some(&w.g1),
            json!({ "body": "", "attachment_id": attachment }),
        )
        .await
        .expect(201);
    assert_eq!(sent.body["attachment"]["id"], attachment);
    let download = |token: &str| {
        app.client.get(app.url(&format!("/api/v1/attachments/{attachment}"))).bearer_auth(token.to_owned()).send()
    };
    let got = download(&w.teacher_a1_head).await.expect("sent");
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.expect("bytes").to_vec(), png);
    assert_eq!(download(&w.g4).await.expect("sent").status(), 404);
    assert_eq!(download(&w.teacher_a1_other).await.expect("sent").status(), 404);
    assert_eq!(download(&w.admin_a1).await.expect("sent").status(), 200);
}

#[tokio::test]
async fn messages_are_pushed_and_quiet_hours_hold_them_in_both_directions() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let w = world::build(&app).await;
    app.post("/api/v1/devices", Some(&w.g1), json!({ "platform": "ios", "token": "guardian-phone" })).await.expect(201);
    app.post("/api/v1/devices", Some(&w.teacher_a1_head), json!({ "platform": "android", "token": "teacher-phone" }))
        .await
        .expect(201);
    let id = open(&app, &w).await;
    app.post(
        &format!("/api/v1/conversations/{id}/messages"),
        Some(&w.teacher_a1_head),
        json!({ "body": "明天带雨具。" }),
    )
    .await
    .expect(201);
    app.deliver().await;
    let pushes = gateway.received();
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0]["tokens"][0]["token"], "guardian-phone");
    assert_eq!(pushes[0]["data"]["kind"], "message");
    // 22:00 in Shanghai: the parent's message reaches the teacher's phone at 07:00.
    app.clock.advance(Duration::hours(6));
    let g1 = app.login("13800000001", PASSWORD).await;
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(&g1), json!({ "body": "好的，谢谢老师。" }))
        .await
        .expect(201);
    app.deliver().await;
    assert_eq!(gateway.received().len(), 1);
    app.clock.advance(Duration::hours(9));
    app.deliver().await;
    let pushes = gateway.received();
    assert_eq!(pushes.len(), 2);
    assert_eq!(pushes[1]["tokens"][0]["token"], "teacher-phone");
}

#[tokio::test]
async fn a_familys_message_reaches_the_teacher_within_the_schools_office_hours() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let w = world::build(&app).await;
    let settings = json!({ "quiet_start": "21:00", "quiet_end": "07:00", "office_hours_start": "08:00", "office_hours_end": "15:00", "digest_time": "17:00" });
    app.put(&format!("/api/v1/schools/{}/messaging-settings", w.school_a1), Some(&w.admin_a1), settings)
        .await
        .expect(200);
    app.post("/api/v1/devices", Some(&w.g1), json!({ "platform": "ios", "token": "guardian-phone" })).await.expect(201);
    app.post("/api/v1/devices", Some(&w.teacher_a1_head), json!({ "platform": "android", "token": "teacher-phone" }))
        .await
        .expect(201);
    let id = open(&app, &w).await;
    let messages = format!("/api/v1/conversations/{id}/messages");
    // 16:00, after office hours: the parent's message waits; the teacher's reply does not.
    app.post(&messages, Some(&w.g1), json!({ "body": "老师，孩子明天请假。" })).await.expect(201);
    app.post(&messages, Some(&w.teacher_a1_head), json!({ "body": "收到，注意休息。" })).await.expect(201);
    app.deliver().await;
    let tokens = |g: &PushGatewayFake| -> Vec<String> {
        g.received().iter().map(|p| p["tokens"][0]["token"].as_str().unwrap_or("").to_owned()).collect()
    };
    assert_eq!(tokens(&gateway), ["guardian-phone"]);
    app.clock.advance(Duration::hours(15)); // 07:00: quiet hours are over, office hours not yet begun
    app.deliver().await;
    assert_eq!(tokens(&gateway), ["guardian-phone"]);
    app.clock.advance(Duration::hours(1)); // 08:00
    app.deliver().await;
    assert_eq!(tokens(&gateway), ["guardian-phone", "teacher-phone"]);
}

#[tokio::test]
async fn marking_a_conversation_read_twice_at_once_succeeds_both_times() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(&w.g1), json!({ "body": "老师好" }))
        .await
        .expect(201);
    // Neither has a read marker yet: both requests race to write the first one.
    let path = format!("/api/v1/conversations/{id}/read");
    let (a, b) = tokio::join!(
        app.post(&path, Some(&w.teacher_a1_head), json!({})),
        app.post(&path, Some(&w.teacher_a1_head), json!({})),
    );
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (204, 204));
    let list = app.get("/api/v1/conversations", Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(list.body["items"][0]["unread"], 0);
}

#[tokio::test]
async fn opening_the_same_conversation_twice_at_once_gives_one_conversation() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let teacher = account_id(&app, &w.teacher_a1_head).await;
    let (a, b) = tokio::join!(start(&app, &w.g1, w.s1, &teacher), start(&app, &w.g1, w.s1, &teacher));
    let (a, b) = (a.expect(200), b.expect(200));
    assert_eq!(a.body["id"], b.body["id"]);
    let list = app.get("/api/v1/conversations", Some(&w.g1)).await.expect(200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
}

async fn post_message(app: &TestApp, id: &str, token: &str, body: &str) -> Reply {
    app.post(&format!("/api/v1/conversations/{id}/messages"), Some(token), json!({ "body": body })).await
}

async fn listed(app: &TestApp, token: &str, id: &str) -> bool {
    let list = app.get("/api/v1/conversations", Some(token)).await.expect(200);
    list.body["items"].as_array().expect("items").iter().any(|c| c["id"] == id)
}

#[tokio::test]
async fn a_guardian_removed_from_the_child_loses_the_thread_both_ways_and_the_school_keeps_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    post_message(&app, &id, &w.teacher_a1_head, "张小一今天表现很好。").await.expect(201);
    let attachment = upload(&app, &id, &w.g1, b"%PDF-1.4 custody papers".to_vec()).await.expect(201);
    let attachment = attachment.body["id"].as_str().expect("attachment id").to_owned();
    // A roster re-import makes 张伟 pickup-only for S1 (a custody change); S2 is unchanged.
    world::custody_change_for_s1(&app, &w).await;
    // The former guardian: not listed, not readable, no attachment, no sending.
    assert!(!listed(&app, &w.g1, &id).await);
    app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.g1)).await.expect(404);
    app.get(&format!("/api/v1/attachments/{attachment}"), Some(&w.g1)).await.expect(404);
    post_message(&app, &id, &w.g1, "我还能看到吗？").await.expect(404);
    // The teacher keeps the history but cannot write to someone no longer caring for the child.
    assert!(listed(&app, &w.teacher_a1_head, &id).await);
    let closed = post_message(&app, &id, &w.teacher_a1_head, "明天的作业是……").await.expect(409);
    assert_eq!(closed.code(), "conversation_closed");
    // The school's safeguarding staff read everything, the attachment included.
    let history = app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(1));
    app.get(&format!("/api/v1/attachments/{attachment}"), Some(&w.admin_a1)).await.expect(200);
}

#[tokio::test]
async fn a_teacher_taken_off_the_class_loses_its_threads_and_cannot_pause_a_parent() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = open(&app, &w).await;
    post_message(&app, &id, &w.g1, "王老师好。").await.expect(201);
    // 王老师 now teaches 3-2 only.
    world::head_teacher_off_3_1(&app, &w).await;
    assert!(!listed(&app, &w.teacher_a1_head, &id).await);
    app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.teacher_a1_head)).await.expect(404);
    block(&app, &id, &w.teacher_a1_head, 168).await.expect(404);
    post_message(&app, &id, &w.teacher_a1_head, "还在吗").await.expect(404);
    // The family keeps its history and is told the thread is closed rather than writing into a void.
    assert!(listed(&app, &w.g1, &id).await);
    assert_eq!(post_message(&app, &id, &w.g1, "老师？").await.expect(409).code(), "conversation_closed");
}
