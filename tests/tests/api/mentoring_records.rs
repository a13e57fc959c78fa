//! Talks, written feedback and concerns over HTTP (issue 10): the three tiers of notes (a summary
//! the family reads, a confidential note for the mentor and the safeguarding staff, the family's own
//! message back), each reader allowed and each refused; feedback through the content guard; a
//! concern reaching the safeguarding staff at once; and the tasks they complete.

use jiaxiao_tests::world::{self, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

async fn account_id(app: &TestApp, token: &str) -> Uuid {
    id(&app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"])
}

/// `teacher_a1_head` mentors S1 and S2 in A1.
async fn mentored(app: &TestApp, w: &World) -> Uuid {
    app.put(
        &format!("/api/v1/schools/{}/mentoring/settings", w.school_a1),
        Some(&w.admin_a1),
        json!({ "grades": [3] }),
    )
    .await
    .expect(200);
    let head = account_id(app, &w.teacher_a1_head).await;
    let both = json!({ "assignments": [
        { "student_id": w.s1, "mentor_id": head }, { "student_id": w.s2, "mentor_id": head }
    ] });
    app.put(&format!("/api/v1/schools/{}/mentoring/assignments", w.school_a1), Some(&w.admin_a1), both)
        .await
        .expect(200);
    head
}

async fn status(app: &TestApp, token: &str, student: Uuid, task: &str) -> String {
    let view = app.get(&format!("/api/v1/children/{student}/mentor"), Some(token)).await.expect(200);
    let tasks = view.body["tasks"].as_array().expect("tasks");
    tasks.iter().find(|t| t["task"] == task).and_then(|t| t["status"].as_str()).expect("status").to_owned()
}

#[tokio::test]
async fn a_talks_summary_reaches_the_family_and_its_confidential_note_only_the_mentor_and_safeguarding() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w).await;
    let talks = format!("/api/v1/mentoring/students/{}/talks", w.s1);
    let talk = json!({
        "held_on": "2026-11-20", "topic": "emotion",
        "summary": "聊了最近的学习节奏，孩子状态不错。", "confidential_note": "提到和同桌有些矛盾，继续关注。"
    });
    app.post(&talks, Some(&w.teacher_a1_other), talk.clone()).await.expect(403);
    app.post(&talks, Some(&w.teacher_b1), talk.clone()).await.expect(404);
    app.post(&talks, Some(&w.g1), talk.clone()).await.expect(404);
    let future = json!({ "held_on": "2026-12-20", "topic": "study" });
    assert_eq!(
        app.post(&talks, Some(&w.teacher_a1_head), future).await.expect(422).body["details"]["field"],
        "held_on"
    );
    let recorded = app.post(&talks, Some(&w.teacher_a1_head), talk).await.expect(201);
    assert_eq!(recorded.body["confidential_note"], "提到和同桌有些矛盾，继续关注。");
    assert_eq!(status(&app, &w.g1, w.s1, "talk").await, "done");

    let record = format!("/api/v1/mentoring/students/{}/record", w.s1);
    // The mentor reads everything.
    let mentor_view = app.get(&record, Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(mentor_view.body["talks"][0]["confidential_note"], "提到和同桌有些矛盾，继续关注。");
    // The family reads the summary, never the note; the summary is in their inbox.
    let family_view = app.get(&record, Some(&w.g1)).await.expect(200);
    assert_eq!(family_view.body["talks"][0]["summary"], "聊了最近的学习节奏，孩子状态不错。");
    assert!(family_view.body["talks"][0]["confidential_note"].is_null());
    assert!(!family_view.body.to_string().contains("同桌"), "{}", family_view.body);
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "mentoring"));
    // Another teacher and the school's admin (not named for safeguarding) are refused; outsiders 404.
    app.get(&record, Some(&w.teacher_a1_other)).await.expect(403);
    app.get(&record, Some(&w.admin_a1)).await.expect(403);
    for outsider in [&w.bureau_a, &w.admin_b1, &w.g4, &w.g2] {
        app.get(&record, Some(outsider)).await.expect(404);
    }
    // Once named for safeguarding, the admin reads the note.
    let admin = account_id(&app, &w.admin_a1).await;
    let safeguarding = format!("/api/v1/schools/{}/mentoring/safeguarding", w.school_a1);
    app.put(&safeguarding, Some(&w.teacher_a1_head), json!({ "account_ids": [admin] })).await.expect(403);
    let stranger = account_id(&app, &w.teacher_b1).await;
    app.put(&safeguarding, Some(&w.admin_a1), json!({ "account_ids": [stranger] })).await.expect(422);
    app.put(&safeguarding, Some(&w.admin_a1), json!({ "account_ids": [admin] })).await.expect(200);
    let safeguarding_view = app.get(&record, Some(&w.admin_a1)).await.expect(200);
    assert_eq!(safeguarding_view.body["talks"][0]["confidential_note"], "提到和同桌有些矛盾，继续关注。");
}

#[tokio::test]
async fn a_written_feedback_passes_the_guard_and_the_family_acknowledges_and_answers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let head = mentored(&app, &w).await;
    let feedback = format!("/api/v1/mentoring/students/{}/feedback", w.s1);
    let ranking = json!({ "body": "这次期中考试孩子全班排名第3，请家长每晚检查作业并签字。" });
    let refused = app.post(&feedback, Some(&w.teacher_a1_head), ranking).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(status(&app, &w.g1, w.s1, "feedback").await, "pending", "a refused feedback completes nothing");
    app.post(&feedback, Some(&w.teacher_a1_other), json!({ "body": "继续加油！" })).await.expect(403);

    let written = app
        .post(&feedback, Some(&w.teacher_a1_head), json!({ "body": "小一这学期进步很大，乐于助人，继续加油！" }))
        .await
        .expect(201);
    assert_eq!(id(&written.body["mentor"]["account_id"]), head);
    assert_eq!(status(&app, &w.g1, w.s1, "feedback").await, "done");
    let feedback_id = id(&written.body["id"]);

    let ack = format!("/api/v1/children/{}/mentor/feedback/{feedback_id}/acknowledge", w.s1);
    app.post(&ack, Some(&w.g2), json!({})).await.expect(404);
    app.post(&ack, Some(&w.g4), json!({})).await.expect(404);
    // Another child's path with this feedback's id: not found.
    app.post(&format!("/api/v1/children/{}/mentor/feedback/{feedback_id}/acknowledge", w.s2), Some(&w.g1), json!({}))
        .await
        .expect(404);
    let acked = app.post(&ack, Some(&w.g1), json!({ "message": "谢谢老师的鼓励！" })).await.expect(200);
    assert!(acked.body["acknowledged_at"].is_string());
    assert_eq!(acked.body["family_message"], "谢谢老师的鼓励！");
    // The mentor reads the family's message in the record and is told.
    let record = app.get(&format!("/api/v1/mentoring/students/{}/record", w.s1), Some(&w.teacher_a1_head)).await;
    assert_eq!(record.expect(200).body["feedback"][0]["family_message"], "谢谢老师的鼓励！");
    let inbox = app.get("/api/v1/inbox", Some(&w.teacher_a1_head)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "mentoring"));
}

#[tokio::test]
async fn a_concern_reaches_the_safeguarding_staff_at_once_and_only_them() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w).await;
    let other = account_id(&app, &w.teacher_a1_other).await;
    app.put(
        &format!("/api/v1/schools/{}/mentoring/safeguarding", w.school_a1),
        Some(&w.admin_a1),
        json!({ "account_ids": [other] }),
    )
    .await
    .expect(200);
    let concerns = format!("/api/v1/mentoring/students/{}/concerns", w.s2);
    app.post(&concerns, Some(&w.teacher_a1_other), json!({ "note": "x" })).await.expect(403);
    app.post(&concerns, Some(&w.teacher_a1_head), json!({ "note": " " })).await.expect(422);
    app.post(&concerns, Some(&w.teacher_a1_head), json!({ "note": "孩子最近情绪低落，提到家里有变故。" }))
        .await
        .expect(204);
    // A talk can raise one too (it needs its confidential note).
    let talk = json!({ "held_on": "2026-11-23", "topic": "family", "concern": true });
    let talks = format!("/api/v1/mentoring/students/{}/talks", w.s2);
    app.post(&talks, Some(&w.teacher_a1_head), talk).await.expect(422);
    let talk = json!({ "held_on": "2026-11-23", "topic": "family", "concern": true, "confidential_note": "再次谈话，需要心理老师介入。" });
    app.post(&talks, Some(&w.teacher_a1_head), talk).await.expect(201);

    let inbox = app.get("/api/v1/inbox", Some(&w.teacher_a1_other)).await.expect(200);
    let urgent =
        inbox.body["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "mentoring" && i["urgent"] == true);
    assert_eq!(urgent.count(), 2, "{}", inbox.body);
    let list_path = format!("/api/v1/schools/{}/mentoring/concerns", w.school_a1);
    let list = app.get(&list_path, Some(&w.teacher_a1_other)).await.expect(200);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["note"], "孩子最近情绪低落，提到家里有变故。");
    // The admin (not named), the mentor, the family and the bureau never read them.
    for refused in [&w.admin_a1, &w.teacher_a1_head] {
        app.get(&list_path, Some(refused)).await.expect(403);
    }
    for outsider in [&w.g1, &w.bureau_a, &w.admin_b1] {
        app.get(&list_path, Some(outsider)).await.expect(404);
    }
    // The family's inbox never hears of a concern.
    let family = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert!(!family.body.to_string().contains("关切"), "{}", family.body);
}
