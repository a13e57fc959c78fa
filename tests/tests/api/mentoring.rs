//! Mentoring over HTTP (issue 10): the school's setting, the matching proposal with pins, the
//! publication under `MT_COVERAGE` (cap, coverage, history on reassignment), the ledger of
//! `MT_THREE_TASKS` as the mentor and the family see it, the admin's waiver, and every denial.
//!
//! World: school A1 has grade 3 with S1 (class 3-1, taught by `teacher_a1_head`, 王老师) and S2
//! (class 3-2, taught by `teacher_a1_other`, 赵老师).

use jiaxiao_tests::world::{self, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

fn path(school: Uuid, rest: &str) -> String {
    format!("/api/v1/schools/{school}/mentoring/{rest}")
}

async fn account_id(app: &TestApp, token: &str) -> Uuid {
    id(&app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"])
}

async fn set_up(app: &TestApp, w: &World, cap: u8) {
    app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), json!({ "grades": [3], "cap": cap })).await.expect(200);
}

fn pair(student: Uuid, mentor: Uuid) -> Value {
    json!({ "student_id": student, "mentor_id": mentor })
}

#[tokio::test]
async fn a_school_admin_sets_mentoring_up_and_its_staff_read_the_setting() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    app.get(&path(w.school_a1, "settings"), Some(&w.admin_a1)).await.expect(409);
    let body = json!({ "grades": [3, 4], "period": "year", "cap": 10, "mode": "two_way" });
    app.put(&path(w.school_a1, "settings"), Some(&w.teacher_a1_head), body.clone()).await.expect(403);
    for outsider in [&w.admin_b1, &w.g1, &w.bureau_a] {
        app.put(&path(w.school_a1, "settings"), Some(outsider), body.clone()).await.expect(404);
    }
    let saved = app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), body).await.expect(200);
    assert_eq!(saved.body["grades"], json!([3, 4]));
    assert_eq!((saved.body["cap"].as_u64(), saved.body["mode"].as_str()), (Some(10), Some("two_way")));
    assert_eq!(saved.body["visit_buffer_minutes"], 30, "the default buffer between visits");
    assert_eq!(saved.body["max_visits_per_day"], 3);
    // The test clock is 2026-11-23 and the school set no calendar: the default school year.
    assert_eq!(saved.body["current_period"]["starts_on"], "2026-09-01");
    assert_eq!(saved.body["current_period"]["ends_on"], "2027-08-31");

    let read = app.get(&path(w.school_a1, "settings"), Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(read.body["grades"], json!([3, 4]));
    app.get(&path(w.school_a1, "settings"), Some(&w.g1)).await.expect(404);

    for bad in [json!({ "grades": [] }), json!({ "grades": [3, 3] }), json!({ "grades": [3], "cap": 0 })] {
        let reply = app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), bad).await.expect(422);
        assert_eq!(reply.code(), "validation_failed");
    }
}

#[tokio::test]
async fn mt_coverage_the_proposal_gives_each_student_a_teacher_of_their_class_and_keeps_pins() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    app.post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({})).await.expect(409);
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);

    let proposal = app.post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({})).await.expect(200);
    let mentor_of = |p: &Value, student: Uuid| {
        let a = p["assignments"].as_array().unwrap().iter().find(|a| id(&a["student_id"]) == student).cloned();
        a.unwrap_or_else(|| panic!("{student} missing from {p}"))
    };
    let s1 = mentor_of(&proposal.body, w.s1);
    assert_eq!((id(&s1["mentor_id"]), s1["basis"].as_str()), (head, Some("teaches_student")));
    assert_eq!(s1["mentor_name"], "王老师");
    assert_eq!(s1["class"]["grade"], 3);
    assert_eq!(id(&mentor_of(&proposal.body, w.s2)["mentor_id"]), other);
    assert_eq!(proposal.body["students_without_mentor"], json!([]));

    // A pin (a special-needs student placed on purpose) comes first.
    let pinned = app
        .post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({ "pins": [pair(w.s1, other)] }))
        .await
        .expect(200);
    let s1 = mentor_of(&pinned.body, w.s1);
    assert_eq!((id(&s1["mentor_id"]), s1["basis"].as_str()), (other, Some("pinned")));

    // A cap too small for everyone leaves students without a mentor, listed.
    set_up(&app, &w, 1).await;
    let short = app
        .post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({ "pins": [pair(w.s1, other)] }))
        .await
        .expect(200);
    assert_eq!(short.body["assignments"].as_array().map(Vec::len), Some(2), "{}", short.body);
    assert_eq!(id(&mentor_of(&short.body, w.s2)["mentor_id"]), head, "the other teacher takes S2");

    // Pins outside the covered grades or naming someone who is not a teacher here: refused.
    let stranger = app
        .post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({ "pins": [pair(w.s3, head)] }))
        .await
        .expect(422);
    assert_eq!(stranger.body["details"]["field"], "student_id");
    let admin = account_id(&app, &w.admin_a1).await;
    let not_teacher = app
        .post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({ "pins": [pair(w.s1, admin)] }))
        .await
        .expect(422);
    assert_eq!(not_teacher.body["details"]["field"], "mentor_id");
}

#[tokio::test]
async fn mt_coverage_publication_needs_every_covered_student_a_mentor_under_the_cap() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    set_up(&app, &w, 1).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    let publish = path(w.school_a1, "assignments");

    let partial = app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, head)] })).await.expect(422);
    assert_eq!(partial.code(), "mt_coverage");
    assert_eq!(partial.body["details"]["students_without_mentor"], json!([w.s2]));
    let crowded = app
        .put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, head), pair(w.s2, head)] }))
        .await
        .expect(422);
    assert_eq!(crowded.code(), "mentor_cap");
    assert_eq!((id(&crowded.body["details"]["mentor_id"]), crowded.body["details"]["cap"].as_u64()), (head, Some(1)));
    // Nothing was published by either.
    let coverage = app.get(&path(w.school_a1, "coverage"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(coverage.body["students_with_mentor"], 0);
    assert_eq!(coverage.body["students_without_mentor"].as_array().map(Vec::len), Some(2));

    let both = json!({ "assignments": [pair(w.s1, head), pair(w.s2, other)] });
    app.put(&publish, Some(&w.teacher_a1_head), both.clone()).await.expect(403);
    app.put(&publish, Some(&w.admin_b1), both.clone()).await.expect(404);
    let published = app.put(&publish, Some(&w.admin_a1), both).await.expect(200);
    assert_eq!(published.body["students_covered"], 2);
    assert_eq!(published.body["students_with_mentor"], 2);
    assert_eq!(published.body["students_without_mentor"], json!([]));
    assert_eq!(published.body["teachers_without_mentees"], json!([]));
    let loads = published.body["loads"].as_array().unwrap();
    assert!(loads.iter().all(|l| l["mentees"] == 1), "{loads:?}");

    // The coverage report is the school's admins' alone.
    app.get(&path(w.school_a1, "coverage"), Some(&w.teacher_a1_head)).await.expect(403);
    for outsider in [&w.admin_b1, &w.bureau_a, &w.g1] {
        app.get(&path(w.school_a1, "coverage"), Some(outsider)).await.expect(404);
    }
}

#[tokio::test]
async fn mt_three_tasks_the_mentor_sees_what_each_student_owes_and_the_family_sees_the_mentor() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    // Before publication: no mentor, nothing owed.
    let before = app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(before.body["mentor"], Value::Null);
    app.put(
        &path(w.school_a1, "assignments"),
        Some(&w.admin_a1),
        json!({ "assignments": [pair(w.s1, head), pair(w.s2, other)] }),
    )
    .await
    .expect(200);

    let ledger = app.get("/api/v1/mentoring/ledger", Some(&w.teacher_a1_head)).await.expect(200);
    let items = ledger.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!((id(&items[0]["student_id"]), items[0]["student_name"].as_str()), (w.s1, Some("张小一")));
    assert_eq!(items[0]["open"], 3);
    let tasks: Vec<(&str, &str)> = items[0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["task"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert_eq!(tasks, [("visit", "pending"), ("talk", "pending"), ("feedback", "pending")]);
    // Someone who mentors nobody has an empty ledger; a guardian too.
    assert_eq!(app.get("/api/v1/mentoring/ledger", Some(&w.teacher_b1)).await.expect(200).body["items"], json!([]));

    let family = app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(id(&family.body["mentor"]["account_id"]), head);
    assert_eq!(family.body["mentor"]["name"], "王老师");
    assert_eq!(family.body["tasks"].as_array().map(Vec::len), Some(3));
    // S2's full guardian sees S2's mentor; its informational guardian (school-wide notices only)
    // is refused, pickup-only adults and other families see nothing.
    let s2 = app.get(&format!("/api/v1/children/{}/mentor", w.s2), Some(&w.g1)).await.expect(200);
    assert_eq!(id(&s2.body["mentor"]["account_id"]), other);
    app.get(&format!("/api/v1/children/{}/mentor", w.s2), Some(&w.g3)).await.expect(403);
    app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.g2)).await.expect(404);
    app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.g4)).await.expect(404);
    app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.teacher_a1_head)).await.expect(404);
}

#[tokio::test]
async fn a_reassignment_keeps_the_history_and_the_new_mentor_inherits_the_open_tasks() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    let publish = path(w.school_a1, "assignments");
    app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, head), pair(w.s2, other)] }))
        .await
        .expect(200);

    // The admin waives S1's home visit (the family moved away), with a reason.
    let waive = path(w.school_a1, &format!("students/{}/tasks/visit/waive", w.s1));
    app.post(&waive, Some(&w.teacher_a1_head), json!({ "reason": "家庭搬迁" })).await.expect(403);
    app.post(&waive, Some(&w.admin_b1), json!({ "reason": "家庭搬迁" })).await.expect(404);
    assert_eq!(
        app.post(&waive, Some(&w.admin_a1), json!({ "reason": "  " })).await.expect(422).body["details"]["field"],
        "reason"
    );
    let waived = app.post(&waive, Some(&w.admin_a1), json!({ "reason": "家庭搬迁" })).await.expect(200);
    assert_eq!((waived.body["status"].as_str(), waived.body["reason"].as_str()), (Some("waived"), Some("家庭搬迁")));

    // Mid-period S1 moves to 赵老师: only S1 listed, S2 keeps theirs.
    let moved = app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, other)] })).await.expect(200);
    assert_eq!(moved.body["students_with_mentor"], 2);
    assert_eq!(
        app.get("/api/v1/mentoring/ledger", Some(&w.teacher_a1_head)).await.expect(200).body["items"],
        json!([])
    );
    let ledger = app.get("/api/v1/mentoring/ledger", Some(&w.teacher_a1_other)).await.expect(200);
    let items = ledger.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    // S2 owes three, S1 two (the visit stays waived): the more urgent first.
    assert_eq!((id(&items[0]["student_id"]), items[0]["open"].as_u64()), (w.s2, Some(3)));
    assert_eq!((id(&items[1]["student_id"]), items[1]["open"].as_u64()), (w.s1, Some(2)));
    assert_eq!(items[1]["tasks"][0]["status"], "waived");

    let history = path(w.school_a1, &format!("students/{}/history", w.s1));
    let seen = app.get(&history, Some(&w.admin_a1)).await.expect(200);
    let rows = seen.body["items"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((id(&rows[0]["mentor_id"]), rows[0]["ended_at"].is_null()), (other, true));
    assert_eq!((id(&rows[1]["mentor_id"]), rows[1]["ended_at"].is_string()), (head, true));
    app.get(&history, Some(&w.teacher_a1_other)).await.expect(403);
    app.get(&history, Some(&w.admin_b1)).await.expect(404);
    // Publishing the proposal with one adjustment: S2 to 王老师, everyone else as proposed (S1
    // keeps 赵老师, the mentor they have now).
    let adjusted = json!({ "from_proposal": true, "assignments": [pair(w.s2, head)] });
    app.put(&publish, Some(&w.admin_a1), adjusted).await.expect(200);
    let s2 = app.get(&format!("/api/v1/children/{}/mentor", w.s2), Some(&w.g1)).await.expect(200);
    assert_eq!(id(&s2.body["mentor"]["account_id"]), head);
    let s1 = app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(id(&s1.body["mentor"]["account_id"]), other);
    let empty = app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [] })).await.expect(422);
    assert_eq!(empty.body["details"]["field"], "assignments");
    // Publishing the same again changes nothing.
    app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, other)] })).await.expect(200);
    assert_eq!(app.get(&history, Some(&w.admin_a1)).await.expect(200).body["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_mentor_is_a_conversation_partner_of_the_family_while_mentoring_the_child() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    let open = json!({ "student_id": w.s1, "with_account_id": other });
    // 赵老师 does not teach S1's class: no conversation about S1 yet.
    app.post("/api/v1/conversations", Some(&w.g1), open.clone()).await.expect(404);
    let publish = path(w.school_a1, "assignments");
    app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, other), pair(w.s2, other)] }))
        .await
        .expect(200);
    // As S1's mentor, either side opens it, and both write.
    let conversation = app.post("/api/v1/conversations", Some(&w.g1), open).await.expect(200);
    let id = conversation.body["id"].as_str().expect("id").to_owned();
    let opened_by_mentor = app
        .post(
            "/api/v1/conversations",
            Some(&w.teacher_a1_other),
            json!({ "student_id": w.s1, "with_account_id": account_id(&app, &w.g1).await }),
        )
        .await
        .expect(200);
    assert_eq!(opened_by_mentor.body["id"].as_str(), Some(id.as_str()));
    let messages = format!("/api/v1/conversations/{id}/messages");
    app.post(&messages, Some(&w.g1), json!({ "body": "赵老师好，想约个时间聊聊孩子。" })).await.expect(201);
    app.post(&messages, Some(&w.teacher_a1_other), json!({ "body": "好的，周三下午可以。" })).await.expect(201);
    let list = app.get("/api/v1/conversations", Some(&w.teacher_a1_other)).await.expect(200);
    assert!(list.body["items"].as_array().unwrap().iter().any(|c| c["id"] == id.as_str()));
    // Reassigned to 王老师: the thread closes for 赵老师, and a message to them is not delivered.
    app.put(&publish, Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, head)] })).await.expect(200);
    app.get(&format!("/api/v1/conversations/{id}/messages"), Some(&w.teacher_a1_other)).await.expect(404);
    let list = app.get("/api/v1/conversations", Some(&w.teacher_a1_other)).await.expect(200);
    assert!(list.body["items"].as_array().unwrap().iter().all(|c| c["id"] != id.as_str()));
    let closed = app.post(&messages, Some(&w.g1), json!({ "body": "还在吗？" })).await;
    assert_eq!(closed.expect(409).code(), "conversation_closed");
}

#[tokio::test]
async fn two_way_choice_families_rank_mentors_and_the_proposal_honours_it_under_the_cap() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    let choices = format!("/api/v1/children/{}/mentor/choices", w.s1);
    // In assignment mode families do not choose.
    set_up(&app, &w, 12).await;
    assert_eq!(
        app.put(&choices, Some(&w.g1), json!({ "mentor_ids": [other] })).await.expect(409).code(),
        "mentoring_not_two_way"
    );
    assert_eq!(app.get(&choices, Some(&w.g1)).await.expect(200).body["open"], false);

    app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), json!({ "grades": [3], "mode": "two_way", "cap": 1 }))
        .await
        .expect(200);
    // Teachers write a profile (through the content guard); staff who do not teach cannot.
    let profile = path(w.school_a1, "profile");
    app.put(&profile, Some(&w.teacher_a1_other), json!({ "profile": "英语老师，喜欢和孩子聊阅读与成长。" }))
        .await
        .expect(200);
    let refused = app.put(&profile, Some(&w.teacher_a1_head), json!({ "profile": "请家长每天检查作业并签字。" })).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    app.put(&profile, Some(&w.admin_a1), json!({ "profile": "校长" })).await.expect(403);

    let listed = app.get(&choices, Some(&w.g1)).await.expect(200);
    assert_eq!(listed.body["open"], true);
    let mentors = listed.body["mentors"].as_array().unwrap();
    assert_eq!(mentors.len(), 2);
    let zhao = mentors.iter().find(|m| id(&m["account_id"]) == other).unwrap();
    assert_eq!(zhao["profile"], "英语老师，喜欢和孩子聊阅读与成长。");

    // S1's class teacher is 王老师, but the family ranks 赵老师 first.
    app.put(&choices, Some(&w.g3), json!({ "mentor_ids": [other] })).await.expect(404);
    app.put(&format!("/api/v1/children/{}/mentor/choices", w.s2), Some(&w.g3), json!({ "mentor_ids": [other] }))
        .await
        .expect(403);
    app.put(&choices, Some(&w.g2), json!({ "mentor_ids": [other] })).await.expect(404);
    let stranger = account_id(&app, &w.teacher_b1).await;
    app.put(&choices, Some(&w.g1), json!({ "mentor_ids": [stranger] })).await.expect(422);
    app.put(&choices, Some(&w.g1), json!({ "mentor_ids": [other, other] })).await.expect(422);
    let chosen = app.put(&choices, Some(&w.g1), json!({ "mentor_ids": [other, head] })).await.expect(200);
    assert_eq!(chosen.body["choices"], json!([other, head]));
    // S2's family also ranks 赵老师 first; with a cap of 1, whichever comes first in the school's
    // order gets them, and the other the next choice or the proposal: both under the cap.
    app.put(&format!("/api/v1/children/{}/mentor/choices", w.s2), Some(&w.g1), json!({ "mentor_ids": [other] }))
        .await
        .expect(200);
    let proposal = app.post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({})).await.expect(200);
    let of = |student: Uuid| {
        proposal.body["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| id(&a["student_id"]) == student)
            .cloned()
            .unwrap()
    };
    let (s1, s2) = (of(w.s1), of(w.s2));
    assert_eq!(s1["basis"], "chosen", "S1 gets one of its two choices: {s1}");
    assert_ne!(id(&s1["mentor_id"]), id(&s2["mentor_id"]), "a cap of 1 each");
    let zhao_takes = if id(&s1["mentor_id"]) == other { &s1 } else { &s2 };
    assert_eq!(zhao_takes["basis"], "chosen");
}

#[tokio::test]
async fn mentors_with_open_tasks_are_reminded_four_weeks_and_one_week_before_the_term_ends() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // The school's term ends on 15 December: 22 days after the test clock's Monday 23 November.
    let term = json!({ "name": "秋季学期", "starts_on": "2026-09-01", "ends_on": "2026-12-15" });
    app.post(&format!("/api/v1/schools/{}/terms", w.school_a1), Some(&w.admin_a1), term).await.expect(201);
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    app.put(
        &path(w.school_a1, "assignments"),
        Some(&w.admin_a1),
        json!({ "assignments": [pair(w.s1, head), pair(w.s2, other)] }),
    )
    .await
    .expect(200);
    let settings = app.get(&path(w.school_a1, "settings"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(settings.body["current_period"]["ends_on"], "2026-12-15", "the period is the school's term");
    // S2's three tasks are waived: 赵老师 owes nothing and is not reminded.
    for task in ["visit", "talk", "feedback"] {
        app.post(
            &path(w.school_a1, &format!("students/{}/tasks/{task}/waive", w.s2)),
            Some(&w.admin_a1),
            json!({ "reason": "长期病假" }),
        )
        .await
        .expect(200);
    }
    assert_eq!(app.run_jobs().await.mentor_reminders, 1, "the four-week reminder, to 王老师 only");
    assert_eq!(app.run_jobs().await.mentor_reminders, 0, "once");
    let inbox = app.get("/api/v1/inbox", Some(&w.teacher_a1_head)).await.expect(200);
    let reminder = inbox.body["items"].as_array().unwrap().iter().find(|i| i["kind"] == "mentoring").cloned().unwrap();
    assert!(reminder["title"].as_str().unwrap().contains("1 位学生尚有 3 项"), "{reminder}");
    let quiet = app.get("/api/v1/inbox", Some(&w.teacher_a1_other)).await.expect(200);
    assert!(quiet.body["items"].as_array().unwrap().iter().all(|i| i["kind"] != "mentoring"));
    // A week before the end, the second reminder.
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-12-09T02:00:00Z").unwrap().to_utc());
    assert_eq!(app.run_jobs().await.mentor_reminders, 1);
    assert_eq!(app.run_jobs().await.mentor_reminders, 0);
}

#[tokio::test]
async fn a_new_term_opens_the_three_tasks_again_without_a_new_publication() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let terms = format!("/api/v1/schools/{}/terms", w.school_a1);
    for (name, from, to) in [("秋季学期", "2026-09-01", "2027-01-22"), ("春季学期", "2027-02-22", "2027-07-02")]
    {
        app.post(&terms, Some(&w.admin_a1), json!({ "name": name, "starts_on": from, "ends_on": to }))
            .await
            .expect(201);
    }
    set_up(&app, &w, 12).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    app.put(
        &path(w.school_a1, "assignments"),
        Some(&w.admin_a1),
        json!({ "assignments": [pair(w.s1, head), pair(w.s2, other)] }),
    )
    .await
    .expect(200);
    app.post(
        &path(w.school_a1, &format!("students/{}/tasks/visit/waive", w.s1)),
        Some(&w.admin_a1),
        json!({ "reason": "搬迁" }),
    )
    .await
    .expect(200);
    assert_eq!(app.run_jobs().await.mentoring_students_opened, 0, "the autumn term is open already");

    // The spring term begins: its tasks open for every mentored student, once.
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2027-02-23T02:00:00Z").unwrap().to_utc());
    assert_eq!(app.run_jobs().await.mentoring_students_opened, 2);
    assert_eq!(app.run_jobs().await.mentoring_students_opened, 0);
    let teacher = app.login("13700000001", world::PASSWORD).await;
    let ledger = app.get("/api/v1/mentoring/ledger", Some(&teacher)).await.expect(200);
    let s1 = &ledger.body["items"][0];
    assert_eq!((id(&s1["student_id"]), s1["open"].as_u64()), (w.s1, Some(3)), "last term's waiver does not carry over");
    let guardian = app.login("13800000001", world::PASSWORD).await;
    let family = app.get(&format!("/api/v1/children/{}/mentor", w.s1), Some(&guardian)).await.expect(200);
    assert_eq!(family.body["period"]["starts_on"], "2027-02-22");
}

#[tokio::test]
async fn chosen_mentors_accept_within_their_cap_or_decline_and_the_proposal_follows_their_answers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    let requests = path(w.school_a1, "requests");
    // Before the school sets mentoring up there is nothing to answer.
    app.get(&requests, Some(&w.teacher_a1_other)).await.expect(409);
    app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), json!({ "grades": [3], "mode": "two_way", "cap": 1 }))
        .await
        .expect(200);
    let empty = app.get(&requests, Some(&w.teacher_a1_other)).await.expect(200).body;
    assert_eq!(
        (empty["cap"].as_u64(), empty["accepted"].as_u64(), empty["items"].clone()),
        (Some(1), Some(0), json!([]))
    );

    // S1's family ranks 赵老师 then 王老师; S2's family 赵老师 alone.
    let choices = |student: Uuid| format!("/api/v1/children/{student}/mentor/choices");
    app.put(&choices(w.s1), Some(&w.g1), json!({ "mentor_ids": [other, head] })).await.expect(200);
    app.put(&choices(w.s2), Some(&w.g1), json!({ "mentor_ids": [other] })).await.expect(200);
    let listed = app.get(&requests, Some(&w.teacher_a1_other)).await.expect(200).body;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["rank"] == 1 && i["answer"].is_null() && i["grade"] == 3));
    let inbox_before = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200).body["items"].as_array().unwrap().len();

    // 赵老师 accepts S1; with a cap of 1, not S2 as well.
    let answer = |student: Uuid| format!("{requests}/{student}");
    let accepted = app.put(&answer(w.s1), Some(&w.teacher_a1_other), json!({ "answer": "accepted" })).await.expect(200);
    assert_eq!(
        (accepted.body["answer"].as_str(), accepted.body["accepted_elsewhere"].as_bool()),
        (Some("accepted"), Some(false))
    );
    let over = app.put(&answer(w.s2), Some(&w.teacher_a1_other), json!({ "answer": "accepted" })).await.expect(422);
    assert_eq!((over.code(), over.body["details"]["cap"].as_u64()), ("mentor_cap", Some(1)));
    // 王老师, S1's second choice, cannot take S1 now; S2's family did not choose 王老师.
    let taken = app.put(&answer(w.s1), Some(&w.teacher_a1_head), json!({ "answer": "accepted" })).await.expect(409);
    assert_eq!(taken.code(), "mentor_choice_taken");
    let head_view = app.get(&requests, Some(&w.teacher_a1_head)).await.expect(200).body;
    assert_eq!(head_view["items"][0]["accepted_elsewhere"], true);
    app.put(&answer(w.s2), Some(&w.teacher_a1_head), json!({ "answer": "accepted" })).await.expect(404);
    // 赵老师 declines S2: the family reads both answers and was told of each.
    app.put(&answer(w.s2), Some(&w.teacher_a1_other), json!({ "answer": "declined" })).await.expect(200);
    let s2_view = app.get(&choices(w.s2), Some(&w.g1)).await.expect(200).body;
    assert_eq!(s2_view["answers"], json!([{ "mentor_id": other, "answer": "declined" }]));
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200).body;
    assert_eq!(inbox["items"].as_array().unwrap().len(), inbox_before + 2);
    // Answering the same again changes nothing and tells nobody twice.
    app.put(&answer(w.s2), Some(&w.teacher_a1_other), json!({ "answer": "declined" })).await.expect(200);
    assert_eq!(
        app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200).body["items"].as_array().unwrap().len(),
        inbox_before + 2
    );
    // Re-ranking keeps an answer: S1's family puts 王老师 first; 赵老师's acceptance stands.
    let reranked = app.put(&choices(w.s1), Some(&w.g1), json!({ "mentor_ids": [head, other] })).await.expect(200);
    assert_eq!(reranked.body["answers"], json!([{ "mentor_id": other, "answer": "accepted" }]));

    // The proposal: S1 goes to 赵老师, who accepted; S2 not (declined), so to 王老师.
    let proposal = app.post(&path(w.school_a1, "proposal"), Some(&w.admin_a1), json!({})).await.expect(200);
    let of = |student: Uuid| {
        proposal.body["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| id(&a["student_id"]) == student)
            .cloned()
            .unwrap()
    };
    assert_eq!((id(&of(w.s1)["mentor_id"]), of(w.s1)["basis"].as_str()), (other, Some("accepted")));
    assert_eq!(id(&of(w.s2)["mentor_id"]), head);

    // Denials: staff who do not teach, another school's teacher, a family, a bad answer.
    app.get(&requests, Some(&w.admin_a1)).await.expect(403);
    app.put(&answer(w.s1), Some(&w.admin_a1), json!({ "answer": "declined" })).await.expect(403);
    app.get(&requests, Some(&w.teacher_b1)).await.expect(404);
    app.get(&requests, Some(&w.g1)).await.expect(404);
    app.put(&answer(w.s1), Some(&w.teacher_a1_other), json!({ "answer": "maybe" })).await.expect(422);
    // Assignment mode takes no answers.
    app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), json!({ "grades": [3], "mode": "assign", "cap": 1 }))
        .await
        .expect(200);
    let closed = app.put(&answer(w.s1), Some(&w.teacher_a1_other), json!({ "answer": "declined" })).await.expect(409);
    assert_eq!(closed.code(), "mentoring_not_two_way");
}

#[tokio::test]
async fn a_mentors_pinned_students_count_against_the_cap_when_they_accept() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (head, other) = (account_id(&app, &w.teacher_a1_head).await, account_id(&app, &w.teacher_a1_other).await);
    app.put(&path(w.school_a1, "settings"), Some(&w.admin_a1), json!({ "grades": [3], "mode": "two_way", "cap": 1 }))
        .await
        .expect(200);
    // The admin places S2 with 赵老师 on purpose (a pin), S1 with 王老师.
    let pinned = json!({ "student_id": w.s2, "mentor_id": other, "pinned": true });
    app.put(&path(w.school_a1, "assignments"), Some(&w.admin_a1), json!({ "assignments": [pair(w.s1, head), pinned] }))
        .await
        .expect(200);
    // S1's family chooses 赵老师, whose one place the pin already takes.
    app.put(&format!("/api/v1/children/{}/mentor/choices", w.s1), Some(&w.g1), json!({ "mentor_ids": [other] }))
        .await
        .expect(200);
    let answer = format!("{}/{}", path(w.school_a1, "requests"), w.s1);
    let full = app.put(&answer, Some(&w.teacher_a1_other), json!({ "answer": "accepted" })).await.expect(422);
    assert_eq!((full.code(), full.body["details"]["mentees"].as_u64()), ("mentor_cap", Some(2)));
    // Declining is always possible.
    app.put(&answer, Some(&w.teacher_a1_other), json!({ "answer": "declined" })).await.expect(200);
}
