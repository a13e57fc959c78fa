//! The parent school over HTTP (issue 11): both catalogues, each format's completion rule (the
//! time floor and quiz online, the check-in window and code offline, the one-tap practice), the
//! waiting list, and the credit ledger (each event, reversal, correction with a reason, two
//! guardians earning for one child, two children sharing a course), with the denials.
//!
//! The test clock starts on Monday 2026-11-23 08:00 UTC (16:00 in the school); sessions run on
//! Wednesday 10:00–11:30 UTC.

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiaxiao_tests::world::{self, PASSWORD, STUDENT_HEADER, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

fn wed(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, h, m, 0).single().expect("instant")
}

async fn course(app: &TestApp, token: &str, body: Value) -> Uuid {
    id(&app.post("/api/v1/parent-school/courses", Some(token), body).await.expect(201).body["id"])
}

/// An offline course of the district for grade 3 and a session of it at A1 on Wednesday.
async fn offline_session(app: &TestApp, w: &World, capacity: i64) -> (Uuid, Uuid) {
    let course_id = course(
        app,
        &w.bureau_a,
        json!({ "title": "正面管教工作坊", "description": "面对面交流亲子沟通的方法。", "grades": [3],
                "topics": ["正面管教"], "credits": 2, "format": "offline" }),
    )
    .await;
    let session = app
        .post(
            &format!("/api/v1/parent-school/courses/{course_id}/sessions"),
            Some(&w.admin_a1),
            json!({ "start": wed(10, 0), "end": wed(11, 30), "place": "学校报告厅", "capacity": capacity }),
        )
        .await
        .expect(201);
    (course_id, id(&session.body["id"]))
}

async fn ledger(app: &TestApp, token: &str, student: Uuid) -> Value {
    app.get(&format!("/api/v1/children/{student}/parent-school"), Some(token)).await.expect(200).body
}

/// Moves the clock and signs everyone in again (tokens live 15 minutes).
async fn at(app: &TestApp, w: &mut World, instant: DateTime<Utc>) {
    app.clock.set(instant);
    w.g1 = app.login("13800000001", PASSWORD).await;
    w.g3 = app.login("13800000003", PASSWORD).await;
    w.g4 = app.login("13800000004", PASSWORD).await;
    w.admin_a1 = app.login("admin-a1@test.cn", PASSWORD).await;
    w.teacher_a1_head = app.login("13700000001", PASSWORD).await;
    w.teacher_a1_other = app.login("13700000002", PASSWORD).await;
    w.admin_b1 = app.login("admin-b1@test.cn", PASSWORD).await;
    w.bureau_a = app.login("bureau-a@test.cn", PASSWORD).await;
}

#[tokio::test]
async fn both_catalogues_reach_the_families_whose_child_they_suit_and_only_their_owners_write_them() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let district = course(
        &app,
        &w.bureau_a,
        json!({ "title": "幼小衔接家长课", "grades": [3, 4], "credits": 2, "format": "offline" }),
    )
    .await;
    let school = course(
        &app,
        &w.admin_a1,
        json!({ "title": "亲子共读一本书", "credits": 1, "format": "practice", "school_id": w.school_a1 }),
    )
    .await;
    let other_grade = course(
        &app,
        &w.bureau_a,
        json!({ "title": "青春期沟通", "grades": [7, 8], "credits": 1, "format": "offline" }),
    )
    .await;
    let other_school = course(
        &app,
        &w.admin_a2,
        json!({ "title": "五四制学校家长课", "credits": 1, "format": "practice", "school_id": w.school_a2 }),
    )
    .await;
    let other_district =
        course(&app, &w.bureau_b, json!({ "title": "乙区家长课", "credits": 1, "format": "practice" })).await;

    let listed = app.get(&format!("/api/v1/parent-school/courses?student_id={}", w.s1), Some(&w.g1)).await.expect(200);
    let ids: Vec<Uuid> = listed.body["items"].as_array().unwrap().iter().map(|c| id(&c["id"])).collect();
    assert!(ids.contains(&district) && ids.contains(&school), "{ids:?}");
    for absent in [other_grade, other_school, other_district] {
        assert!(!ids.contains(&absent), "{absent} should not be listed for S1");
    }
    let first = &listed.body["items"].as_array().unwrap().iter().find(|c| id(&c["id"]) == district).unwrap().clone();
    assert_eq!(first["owner"], "district");
    assert_eq!(first["earned"], false);

    // Staff see their school's and the district's; the bureau its district's.
    let staff = app
        .get(&format!("/api/v1/parent-school/courses?school_id={}", w.school_a1), Some(&w.teacher_a1_other))
        .await
        .expect(200);
    assert_eq!(staff.body["items"].as_array().unwrap().len(), 3, "two district courses and A1's own");
    let bureau = app.get("/api/v1/parent-school/courses", Some(&w.bureau_a)).await.expect(200);
    assert_eq!(bureau.body["items"].as_array().unwrap().len(), 2);

    // Denials: another family's child, an informational guardian, another school's staff.
    app.get(&format!("/api/v1/parent-school/courses?student_id={}", w.s4), Some(&w.g1)).await.expect(404);
    app.get(&format!("/api/v1/parent-school/courses?student_id={}", w.s2), Some(&w.g3)).await.expect(403);
    app.get(&format!("/api/v1/parent-school/courses?school_id={}", w.school_a1), Some(&w.admin_b1)).await.expect(404);
    app.get("/api/v1/parent-school/courses", Some(&w.g1)).await.expect(403);
    // Writing: only the bureau (district) and the school's admin (school).
    let body = json!({ "title": "x", "credits": 1, "format": "practice", "school_id": w.school_a1 });
    app.post("/api/v1/parent-school/courses", Some(&w.admin_b1), body.clone()).await.expect(404);
    app.post("/api/v1/parent-school/courses", Some(&w.teacher_a1_head), body).await.expect(403);
    let district_body = json!({ "title": "x", "credits": 1, "format": "practice" });
    app.post("/api/v1/parent-school/courses", Some(&w.admin_a1), district_body.clone()).await.expect(403);
    app.post("/api/v1/parent-school/courses", Some(&w.g1), district_body).await.expect(403);
    // A session of another school's course, or by a teacher, is refused.
    let sessions = format!("/api/v1/parent-school/courses/{other_school}/sessions");
    let session = json!({ "start": wed(10, 0), "end": wed(11, 0), "place": "礼堂", "capacity": 10 });
    app.post(&sessions, Some(&w.admin_a1), session.clone()).await.expect(404);
    app.post(&format!("/api/v1/parent-school/courses/{district}/sessions"), Some(&w.teacher_a1_head), session.clone())
        .await
        .expect(403);
    // Sessions are for offline courses.
    let wrong = app.post(&format!("/api/v1/parent-school/courses/{school}/sessions"), Some(&w.admin_a1), session).await;
    assert_eq!(wrong.expect(409).code(), "ps_wrong_format");
}

#[tokio::test]
async fn a_course_is_checked_field_by_field_and_its_texts_pass_the_content_guard() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let post = |body: Value| app.post("/api/v1/parent-school/courses", Some(&w.bureau_a), body);
    let online_without_link = post(json!({ "title": "线上课", "credits": 1, "format": "online" })).await;
    assert_eq!(online_without_link.expect(422).body["details"]["field"], "content_url");
    // Credit for a click is no credit: an online course takes time.
    let a_click =
        json!({ "title": "线上课", "credits": 1, "format": "online", "content_url": "https://v.example.cn/1" });
    assert_eq!(post(a_click).await.expect(422).body["details"]["field"], "min_minutes");
    let quiz_offline = json!({ "title": "线下课", "credits": 1, "format": "offline",
        "quiz": [{ "prompt": "?", "options": ["a", "b"], "answer": 0 }] });
    assert_eq!(post(quiz_offline).await.expect(422).body["details"]["field"], "quiz");
    let bad_answer = json!({ "title": "线上课", "credits": 1, "format": "online", "content_url": "https://v.example.cn/1", "min_minutes": 5,
        "quiz": [{ "prompt": "?", "options": ["a", "b"], "answer": 2 }] });
    assert_eq!(post(bad_answer).await.expect(422).body["details"]["field"], "quiz");
    assert_eq!(
        post(json!({ "title": "课", "credits": 0, "format": "practice" })).await.expect(422).body["details"]["field"],
        "credits"
    );
    assert_eq!(
        post(json!({ "title": "课", "credits": 1, "format": "practice", "grades": [10] })).await.expect(422).body["details"]
            ["field"],
        "grades"
    );
    // Homework for parents has no place in a parent-school course either.
    let burden = json!({ "title": "亲子阅读", "description": "请家长每天检查孩子作业并签字。", "credits": 1, "format": "practice" });
    let refused = post(burden).await.expect(422);
    assert!(["hw_self_grading", "hw_parent_burden"].contains(&refused.code()), "{}", refused.body);
}

#[tokio::test]
async fn offline_check_in_needs_the_window_the_current_code_and_a_child_the_course_suits() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (_, session) = offline_session(&app, &w, 50).await;
    let code_path = format!("/api/v1/parent-school/sessions/{session}/check-in-code");
    let check_in = format!("/api/v1/parent-school/sessions/{session}/check-in");
    app.get(&code_path, Some(&w.teacher_a1_head)).await.expect(403);
    app.get(&code_path, Some(&w.g1)).await.expect(404);
    app.get(&code_path, Some(&w.admin_b1)).await.expect(404);

    // Too early: the window opens 30 minutes before the start.
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(code["opens_at"], "2026-11-25T09:30:00Z");
    let early = app.post(&check_in, Some(&w.g1), json!({ "code": code["code"], "student_id": w.s1 })).await;
    assert_eq!(early.expect(409).body["details"]["opens_at"], "2026-11-25T09:30:00Z");

    at(&app, &mut w, wed(9, 50)).await;
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let refused = app.post(&check_in, Some(&w.g1), json!({ "code": wrong, "student_id": w.s1 })).await;
    assert_eq!(refused.expect(422).code(), "ps_wrong_code");
    // Not the caller's child; an informational guardian; a family of another school.
    app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s4 })).await.expect(404);
    app.post(&check_in, Some(&w.g3), json!({ "code": code, "student_id": w.s2 })).await.expect(403);
    app.post(&check_in, Some(&w.g4), json!({ "code": code, "student_id": w.s4 })).await.expect(404);

    // The right code: the attendance earns the course for both of 张伟's grade-3 children (one
    // family with two children in the school sits the course once).
    let done = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s1 })).await.expect(201);
    let credited: Vec<Uuid> = done.body["credited"].as_array().unwrap().iter().map(|c| id(&c["student_id"])).collect();
    assert_eq!(credited.len(), 2, "{}", done.body);
    assert!(credited.contains(&w.s1) && credited.contains(&w.s2));
    let again = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s2 })).await;
    assert_eq!(again.expect(409).code(), "ps_already_checked_in");

    let s1 = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(s1["credits"], 2);
    assert_eq!(s1["entries"][0]["source"], "offline");
    assert_eq!(s1["entries"][0]["course_title"], "正面管教工作坊");
    assert_eq!(s1["entries"][0]["earned_by_me"], true);

    // The code of two minutes ago no longer counts; after the end nothing does.
    app.clock.advance(Duration::minutes(2));
    let stale = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s2 })).await;
    assert_eq!(stale.expect(422).code(), "ps_wrong_code");
    // A code is not guessed from home: after five wrong ones the guardian waits, right code or not.
    for _ in 0..3 {
        app.post(&check_in, Some(&w.g1), json!({ "code": wrong, "student_id": w.s2 })).await.expect(422);
    }
    let fresh = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let waiting = app.post(&check_in, Some(&w.g1), json!({ "code": fresh, "student_id": w.s2 })).await.expect(429);
    assert!(waiting.body["details"]["retry_after_secs"].as_u64().unwrap() > 0);
    at(&app, &mut w, wed(11, 31)).await;
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let late = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s1 })).await;
    assert_eq!(late.expect(409).body["details"]["closed_at"], "2026-11-25T11:30:00Z");
}

#[tokio::test]
async fn two_guardians_earn_for_one_child_once_and_each_sees_their_own_history() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    // 周敏 (g3) becomes a full guardian of S2 beside 张伟 (g1).
    let students = format!(
        "{STUDENT_HEADER}S1,张小一,3,1,张伟,13800000001,,父亲,full,李阿姨,13800000002,,其他,pickup\nS2,张小二,3,2,周敏,13800000003,,母亲,full,张伟,13800000001,,父亲,full\n"
    );
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.admin_a1), &students)
        .await
        .expect(200);
    let (course_id, session) = offline_session(&app, &w, 50).await;
    at(&app, &mut w, wed(10, 5)).await;
    let code_path = format!("/api/v1/parent-school/sessions/{session}/check-in-code");
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let check_in = format!("/api/v1/parent-school/sessions/{session}/check-in");
    let mother = app.post(&check_in, Some(&w.g3), json!({ "code": code, "student_id": w.s2 })).await.expect(201);
    assert_eq!(mother.body["credited"], json!([{ "student_id": w.s2, "credits": 2 }]));
    // The father comes too: S2 already has the course, S1 earns it now.
    let father = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s1 })).await.expect(201);
    assert_eq!(father.body["credited"], json!([{ "student_id": w.s1, "credits": 2 }]));

    let by_mother = ledger(&app, &w.g3, w.s2).await;
    let by_father = ledger(&app, &w.g1, w.s2).await;
    assert_eq!(by_mother["credits"], 2);
    assert_eq!(by_mother["entries"].as_array().unwrap().len(), 1);
    assert_eq!(by_mother["entries"][0]["earned_by_me"], true);
    assert_eq!(by_father["entries"][0]["earned_by_me"], false);
    // The session counts two attendances.
    let sessions = app
        .get(
            &format!("/api/v1/parent-school/courses/{course_id}/sessions?school_id={}", w.school_a1),
            Some(&w.admin_a1),
        )
        .await
        .expect(200);
    assert_eq!(sessions.body["items"][0]["attended"], 2);
}

#[tokio::test]
async fn registration_fills_the_seats_then_the_waiting_list_and_a_freed_seat_goes_to_the_first_in_line() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (course_id, session) = offline_session(&app, &w, 1).await;
    let registrations = format!("/api/v1/parent-school/sessions/{session}/registrations");
    let first = app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s1 })).await.expect(201);
    assert_eq!(first.body["status"], "registered");
    let second = app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s2 })).await.expect(201);
    assert_eq!(second.body["status"], "waiting");
    assert_eq!(second.body["position"], 1);
    // Registering again answers where the family stands.
    let again = app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s2 })).await.expect(201);
    assert_eq!((again.body["status"].clone(), again.body["position"].clone()), (json!("waiting"), json!(1)));
    app.post(&registrations, Some(&w.g3), json!({ "student_id": w.s2 })).await.expect(403);
    app.post(&registrations, Some(&w.g4), json!({ "student_id": w.s4 })).await.expect(404);
    app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s3 })).await.expect(404);

    let listed = app
        .get(&format!("/api/v1/parent-school/courses/{course_id}/sessions?student_id={}", w.s1), Some(&w.g1))
        .await
        .expect(200);
    let first_session = &listed.body["items"][0];
    assert_eq!((first_session["registered"].clone(), first_session["waiting"].clone()), (json!(1), json!(1)));

    // S1's seat is given up: S2, first in line, takes it and the family is told.
    app.delete(&format!("{registrations}/{}", w.s1), Some(&w.g1)).await.expect(200);
    app.delete(&format!("{registrations}/{}", w.s1), Some(&w.g1)).await.expect(404);
    let promoted = app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s2 })).await.expect(201);
    assert_eq!(promoted.body["status"], "registered");
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "parent_school"), "{}", inbox.body);

    // Once the session is over there is nothing to register for.
    at(&app, &mut w, wed(12, 0)).await;
    let over = app.post(&registrations, Some(&w.g1), json!({ "student_id": w.s1 })).await;
    assert_eq!(over.expect(409).code(), "ps_session_over");
}

#[tokio::test]
async fn an_online_course_completes_after_its_time_floor_with_every_answer_right() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let course_id = course(
        &app,
        &w.admin_a1,
        json!({ "title": "科学育儿：睡眠与作息", "credits": 1, "format": "online", "school_id": w.school_a1,
                "content_url": "https://video.example.cn/sleep", "min_minutes": 10,
                "quiz": [ { "prompt": "小学生每天建议睡眠多久？", "options": ["8小时", "10小时"], "answer": 1 },
                          { "prompt": "睡前宜做什么？", "options": ["亲子阅读", "刷手机"], "answer": 0 } ] }),
    )
    .await;
    let listed = app.get(&format!("/api/v1/parent-school/courses?student_id={}", w.s1), Some(&w.g1)).await.expect(200);
    assert!(!listed.body.to_string().contains("\"answer\""), "the answers are never shown: {}", listed.body);

    let complete = format!("/api/v1/parent-school/courses/{course_id}/completion");
    let right = json!({ "student_id": w.s1, "answers": [1, 0] });
    assert_eq!(app.post(&complete, Some(&w.g1), right.clone()).await.expect(409).code(), "ps_not_started");
    let start = format!("/api/v1/parent-school/courses/{course_id}/start");
    let started = app.post(&start, Some(&w.g1), json!({ "student_id": w.s1 })).await.expect(200);
    assert_eq!(started.body["completes_after"], "2026-11-23T08:10:00Z");
    let too_soon = app.post(&complete, Some(&w.g1), right.clone()).await.expect(422);
    assert_eq!(too_soon.code(), "ps_incomplete");
    assert_eq!(too_soon.body["details"]["remaining_secs"], 600);
    // Opening it again does not restart the clock.
    app.clock.advance(Duration::minutes(5));
    let reopened = app.post(&start, Some(&w.g1), json!({ "student_id": w.s1 })).await.expect(200);
    assert_eq!(reopened.body["started_at"], "2026-11-23T08:00:00Z");

    at(&app, &mut w, Utc.with_ymd_and_hms(2026, 11, 23, 8, 10, 0).single().unwrap()).await;
    let wrong = app.post(&complete, Some(&w.g1), json!({ "student_id": w.s1, "answers": [1, 1] })).await.expect(422);
    assert_eq!(wrong.body["details"]["wrong_questions"], json!([1]));
    let short = app.post(&complete, Some(&w.g1), json!({ "student_id": w.s1, "answers": [1] })).await.expect(422);
    assert_eq!(short.body["details"]["expected"], 2);
    let done = app.post(&complete, Some(&w.g1), right.clone()).await.expect(200);
    assert_eq!(done.body["credited"].as_array().unwrap().len(), 2, "both grade-3 children: {}", done.body);
    let twice = app.post(&complete, Some(&w.g1), right).await.expect(200);
    assert_eq!(twice.body["credited"], json!([]));
    assert_eq!(ledger(&app, &w.g1, w.s2).await["credits"], 1);
    // An online course is not checked into nor confirmed as practice.
    let practice = app
        .post(
            &format!("/api/v1/parent-school/courses/{course_id}/practice"),
            Some(&w.g1),
            json!({ "student_id": w.s1 }),
        )
        .await;
    assert_eq!(practice.expect(409).code(), "ps_wrong_format");
}

#[tokio::test]
async fn the_ledger_is_append_only_corrections_need_a_reason_and_a_reversal_is_a_new_entry() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let practice = course(
        &app,
        &w.admin_a1,
        json!({ "title": "周末亲子劳动", "credits": 3, "format": "practice", "school_id": w.school_a1, "grades": [3] }),
    )
    .await;
    let confirm = format!("/api/v1/parent-school/courses/{practice}/practice");
    app.post(&confirm, Some(&w.g3), json!({ "student_id": w.s2 })).await.expect(403);
    app.post(&confirm, Some(&w.g4), json!({ "student_id": w.s4 })).await.expect(404);
    let done = app
        .post(&confirm, Some(&w.g1), json!({ "student_id": w.s1, "reflection": "一起整理了书架。" }))
        .await
        .expect(200);
    assert_eq!(done.body["credited"].as_array().unwrap().len(), 2);

    let credits = format!("/api/v1/schools/{}/parent-school/credits", w.school_a1);
    let award = json!({ "student_id": w.s1, "credits": 2, "reason": "担任家长志愿者，协助组织运动会。" });
    app.post(&credits, Some(&w.teacher_a1_head), award.clone()).await.expect(403);
    app.post(&format!("/api/v1/schools/{}/parent-school/credits", w.school_b1), Some(&w.admin_b1), award.clone())
        .await
        .expect(404);
    let no_reason =
        app.post(&credits, Some(&w.admin_a1), json!({ "student_id": w.s1, "credits": 2, "reason": " " })).await;
    assert_eq!(no_reason.expect(422).body["details"]["field"], "reason");
    let zero = app.post(&credits, Some(&w.admin_a1), json!({ "student_id": w.s1, "credits": 0, "reason": "x" })).await;
    assert_eq!(zero.expect(422).body["details"]["field"], "credits");
    app.post(&credits, Some(&w.admin_a1), json!({ "student_id": w.s4, "credits": 1, "reason": "x" })).await.expect(404);
    let manual = app.post(&credits, Some(&w.admin_a1), award).await.expect(201);
    assert_eq!(manual.body["source"], "manual");

    // The practice entry was recorded by mistake: reversed with a reason, never edited.
    let before = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(before["credits"], 5);
    let practice_entry =
        before["entries"].as_array().unwrap().iter().find(|e| e["source"] == "practice").unwrap()["id"].clone();
    let reverse = format!("{credits}/{}/reverse", id(&practice_entry));
    app.post(&reverse, Some(&w.admin_a1), json!({ "reason": "" })).await.expect(422);
    let reversal =
        app.post(&reverse, Some(&w.admin_a1), json!({ "reason": "家庭确认时选错了孩子。" })).await.expect(201);
    assert_eq!(reversal.body["credits"], -3);
    assert_eq!(
        app.post(&reverse, Some(&w.admin_a1), json!({ "reason": "again" })).await.expect(409).code(),
        "ps_already_reversed"
    );
    let of_reversal = format!("{credits}/{}/reverse", id(&reversal.body["id"]));
    app.post(&of_reversal, Some(&w.admin_a1), json!({ "reason": "x" })).await.expect(422);
    app.post(
        &reverse.replace(&w.school_a1.to_string(), &w.school_b1.to_string()),
        Some(&w.admin_b1),
        json!({ "reason": "x" }),
    )
    .await
    .expect(404);

    let after = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(after["credits"], 2);
    let entries = after["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "nothing deleted: {after}");
    assert!(entries.iter().any(|e| e["id"] == practice_entry && e["reversed"] == true && e["credits"] == 3));
    assert!(entries.iter().any(|e| e["source"] == "reversal" && e["reason"] == "家庭确认时选错了孩子。"));
    // S2's share of the practice stands.
    assert_eq!(ledger(&app, &w.g1, w.s2).await["credits"], 3);
    // A genuine confirmation later earns it again for S1 (not twice for S2).
    let redone = app.post(&confirm, Some(&w.g1), json!({ "student_id": w.s1 })).await.expect(200);
    assert_eq!(redone.body["credited"], json!([{ "student_id": w.s1, "credits": 3 }]));
    assert_eq!(ledger(&app, &w.g1, w.s1).await["credits"], 5);
    // The school's admin reads the ledger to correct it; other staff, families and the bureau do not.
    assert_eq!(ledger(&app, &w.admin_a1, w.s1).await["credits"], 5);
    for outsider in [&w.teacher_a1_head, &w.g4, &w.bureau_a, &w.admin_b1] {
        app.get(&format!("/api/v1/children/{}/parent-school", w.s1), Some(outsider)).await.expect(404);
    }
    app.get(&format!("/api/v1/children/{}/parent-school", w.s2), Some(&w.g3)).await.expect(403);
}

#[tokio::test]
async fn graduation_follows_a_versioned_rule_and_certificates_verify_publicly_with_the_least_data() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let required = course(
        &app,
        &w.admin_a1,
        json!({ "title": "亲子运动会", "credits": 3, "format": "practice", "school_id": w.school_a1, "required": true }),
    )
    .await;
    let reading = course(&app, &w.bureau_a, json!({ "title": "亲子共读", "credits": 2, "format": "practice" })).await;
    let elsewhere = course(
        &app,
        &w.admin_a2,
        json!({ "title": "五四制学校课程", "credits": 1, "format": "practice", "school_id": w.school_a2 }),
    )
    .await;
    let rules = format!("/api/v1/schools/{}/parent-school/graduation-rules", w.school_a1);
    let rule = json!({ "credits": 4, "required_course_ids": [required] });
    app.put(&format!("{rules}/primary"), Some(&w.teacher_a1_head), rule.clone()).await.expect(403);
    app.put(
        &format!("/api/v1/schools/{}/parent-school/graduation-rules/primary", w.school_b1),
        Some(&w.admin_a1),
        rule.clone(),
    )
    .await
    .expect(404);
    let foreign = json!({ "credits": 4, "required_course_ids": [elsewhere] });
    assert_eq!(
        app.put(&format!("{rules}/primary"), Some(&w.admin_a1), foreign).await.expect(422).body["details"]["field"],
        "required_course_ids"
    );
    let v1 = app.put(&format!("{rules}/primary"), Some(&w.admin_a1), rule).await.expect(200);
    assert_eq!(v1.body["version"], 1);
    assert_eq!(v1.body["required_courses"][0]["title"], "亲子运动会");

    let standing = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(standing["graduation"]["met"], false);
    assert_eq!(standing["graduation"]["required_courses"][0]["earned"], false);
    assert_eq!(standing["certificates"], json!([]));
    let certificates = format!("/api/v1/schools/{}/parent-school/certificates", w.school_a1);
    let early = app.post(&certificates, Some(&w.admin_a1), json!({ "student_id": w.s1 })).await.expect(422);
    assert_eq!(early.code(), "ps_not_graduated");
    assert_eq!(early.body["details"]["missing_courses"], json!([required]));

    // The family does the required activity and reads a book together: 5 credits, rule met.
    for course_id in [required, reading] {
        app.post(
            &format!("/api/v1/parent-school/courses/{course_id}/practice"),
            Some(&w.g1),
            json!({ "student_id": w.s1 }),
        )
        .await
        .expect(200);
    }
    assert_eq!(ledger(&app, &w.g1, w.s1).await["graduation"]["met"], true);
    app.post(&certificates, Some(&w.teacher_a1_head), json!({ "student_id": w.s1 })).await.expect(403);
    app.post(&certificates, Some(&w.g1), json!({ "student_id": w.s1 })).await.expect(404);
    let issued = app.post(&certificates, Some(&w.admin_a1), json!({ "student_id": w.s1 })).await.expect(201);
    assert_eq!((issued.body["rule_version"].clone(), issued.body["status"].clone()), (json!(1), json!("valid")));
    let code = issued.body["code"].as_str().unwrap().to_owned();
    let again = app.post(&certificates, Some(&w.admin_a1), json!({ "student_id": w.s1 })).await.expect(409);
    assert_eq!(again.body["details"]["code"], code);

    // Anyone with the code checks it without signing in, and learns the least: never the child.
    let check = app.get(&format!("/api/v1/certificates/{}", code.to_lowercase()), None).await.expect(200);
    assert_eq!(check.body["school_name"], "甲区第一小学");
    assert_eq!(check.body["guardian_names_masked"], "张*");
    assert_eq!(check.body["stage"], "primary");
    for private in ["张小一", "张伟", "student_id", "credits", w.s1.to_string().as_str()] {
        assert!(!check.body.to_string().contains(private), "{private} in {}", check.body);
    }
    let page = app.client.get(app.url(&format!("/api/v1/certificates/{code}/print"))).send().await.unwrap();
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("结业证书") && html.contains(&code) && !html.contains("张小一"), "{html}");
    app.get("/api/v1/certificates/ZZZZZZZZZZZZ", None).await.expect(404);

    // A stricter rule is a new version: the certificate keeps its own.
    let v2 = app.put(&format!("{rules}/primary"), Some(&w.admin_a1), json!({ "credits": 10 })).await.expect(200);
    assert_eq!(v2.body["version"], 2);
    let after = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(
        (after["graduation"]["rule_version"].clone(), after["graduation"]["met"].clone()),
        (json!(2), json!(false))
    );
    assert_eq!(
        (after["certificates"][0]["rule_version"].clone(), after["certificates"][0]["status"].clone()),
        (json!(1), json!("valid"))
    );
    let versions = app.get(&rules, Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(versions.body["items"].as_array().unwrap().len(), 2);

    // Re-issue: a new version and code; the old code answers `superseded`.
    let certificate_id = id(&issued.body["id"]);
    let reissue = format!("{certificates}/{certificate_id}/reissue");
    app.post(&reissue, Some(&w.admin_a1), json!({ "reason": "" })).await.expect(422);
    let second = app.post(&reissue, Some(&w.admin_a1), json!({ "reason": "原证书遗失，补发。" })).await.expect(201);
    assert_eq!(second.body["version"], 2);
    assert_ne!(second.body["code"], code);
    assert_eq!(app.get(&format!("/api/v1/certificates/{code}"), None).await.expect(200).body["status"], "superseded");
    assert_eq!(
        app.post(&reissue, Some(&w.admin_a1), json!({ "reason": "x" })).await.expect(409).code(),
        "ps_certificate_revoked"
    );

    // Revocation: a date and a reason; the check says so.
    let revoke = format!("{certificates}/{}/revoke", id(&second.body["id"]));
    app.post(&revoke, Some(&w.admin_b1), json!({ "reason": "x" })).await.expect(404);
    let revoked =
        app.post(&revoke, Some(&w.admin_a1), json!({ "reason": "学分记录有误，核实后重新颁发。" })).await.expect(200);
    assert_eq!(revoked.body["status"], "revoked");
    let new_code = second.body["code"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/certificates/{new_code}"), None).await.expect(200).body["status"], "revoked");
    assert_eq!(
        app.post(&revoke, Some(&w.admin_a1), json!({ "reason": "x" })).await.expect(409).code(),
        "ps_certificate_revoked"
    );

    // By the school's decision, with its reason, for a family that does not meet the rule.
    let decided = app
        .post(
            &certificates,
            Some(&w.admin_a1),
            json!({ "student_id": w.s2, "reason": "长期担任家委会成员，经校务会决定。" }),
        )
        .await
        .expect(201);
    assert!(decided.body["rule_version"].is_null());
    assert_eq!(decided.body["reason"], "长期担任家委会成员，经校务会决定。");
}

#[tokio::test]
async fn parent_meetings_invite_the_families_in_scope_and_attendance_earns_their_credits() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let meetings = format!("/api/v1/schools/{}/parent-school/meetings", w.school_a1);
    let class_meeting = |class: Uuid| {
        json!({ "scope": "class", "class_id": class, "title": "三年级一班家长会", "agenda": "本学期学习与生活安排。",
                "start": wed(10, 0), "end": wed(11, 0), "place": "三（1）班教室", "credits": 1 })
    };
    // The class teacher (班主任) of 3-1 schedules its meeting; a subject teacher of 3-2 may not.
    app.post(&meetings, Some(&w.teacher_a1_other), class_meeting(w.class_a1_32)).await.expect(403);
    app.post(&meetings, Some(&w.admin_b1), class_meeting(w.class_a1_31)).await.expect(404);
    app.post(
        &meetings,
        Some(&w.teacher_a1_head),
        json!({ "scope": "grade", "grade": 3, "title": "三年级家长会",
        "start": wed(10, 0), "end": wed(11, 0), "place": "礼堂" }),
    )
    .await
    .expect(403);
    let no_class =
        json!({ "scope": "class", "title": "家长会", "start": wed(10, 0), "end": wed(11, 0), "place": "教室" });
    assert_eq!(app.post(&meetings, Some(&w.admin_a1), no_class).await.expect(422).body["details"]["field"], "class_id");
    let class = app.post(&meetings, Some(&w.teacher_a1_head), class_meeting(w.class_a1_31)).await.expect(201);
    assert_eq!(class.body["invited"], 1, "张伟 only: 李阿姨 is pickup-only");
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "parent_school"), "{}", inbox.body);
    let school_wide = app
        .post(
            &meetings,
            Some(&w.admin_a1),
            json!({ "scope": "school", "title": "全校家长会", "start": wed(10, 0),
            "end": wed(11, 0), "place": "操场" }),
        )
        .await
        .expect(201);
    assert_eq!(school_wide.body["invited"], 2, "informational guardians hear of school-wide meetings");

    let meeting_id = id(&class.body["id"]);
    let code_path = format!("/api/v1/parent-school/meetings/{meeting_id}/check-in-code");
    app.get(&code_path, Some(&w.teacher_a1_other)).await.expect(403);
    app.get(&code_path, Some(&w.g1)).await.expect(404);
    at(&app, &mut w, wed(10, 10)).await;
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let check_in = format!("/api/v1/parent-school/meetings/{meeting_id}/check-in");
    // S2 is in 3-2: not this meeting's family through S2; S4's family is of another school.
    app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s2 })).await.expect(404);
    app.post(&check_in, Some(&w.g4), json!({ "code": code, "student_id": w.s4 })).await.expect(404);
    let came = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s1 })).await.expect(201);
    assert_eq!(came.body["credited"], json!([{ "student_id": w.s1, "credits": 1 }]));
    let twice = app.post(&check_in, Some(&w.g1), json!({ "code": code, "student_id": w.s1 })).await;
    assert_eq!(twice.expect(409).code(), "ps_already_checked_in");
    let s1 = ledger(&app, &w.g1, w.s1).await;
    assert_eq!((s1["credits"].clone(), s1["entries"][0]["source"].clone()), (json!(1), json!("meeting")));

    // The school-wide meeting gives no credits; its organiser marks 周敏 (informational) out: only
    // full guardians attend for a child.
    let whole = id(&school_wide.body["id"]);
    let mark = format!("/api/v1/parent-school/meetings/{whole}/attendance");
    app.post(&mark, Some(&w.teacher_a1_head), json!({ "student_id": w.s1 })).await.expect(403);
    let marked = app.post(&mark, Some(&w.admin_a1), json!({ "student_id": w.s2 })).await.expect(201);
    assert_eq!(marked.body["credited"], json!([]));
    let listed = app.get(&meetings, Some(&w.teacher_a1_other)).await.expect(200);
    let attended: Vec<i64> =
        listed.body["items"].as_array().unwrap().iter().map(|m| m["attended"].as_i64().unwrap()).collect();
    assert_eq!(attended, vec![1, 1]);
    app.get(&meetings, Some(&w.g1)).await.expect(404);
}

#[tokio::test]
async fn school_figures_count_participation_attendance_ratings_and_the_schools_duty() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (_, session) = offline_session(&app, &w, 50).await;
    let practice = course(
        &app,
        &w.admin_a1,
        json!({ "title": "家务小能手", "credits": 1, "format": "practice", "school_id": w.school_a1 }),
    )
    .await;
    let rate = format!("/api/v1/parent-school/courses/{practice}/rating");
    let not_yet = app.post(&rate, Some(&w.g1), json!({ "student_id": w.s1, "rating": 5 })).await.expect(409);
    assert_eq!(not_yet.code(), "ps_not_completed");
    app.post(&format!("/api/v1/parent-school/courses/{practice}/practice"), Some(&w.g1), json!({ "student_id": w.s1 }))
        .await
        .expect(200);
    app.post(&rate, Some(&w.g1), json!({ "student_id": w.s1, "rating": 5 })).await.expect(200);
    app.post(&rate, Some(&w.g1), json!({ "student_id": w.s1, "rating": 4 })).await.expect(200);
    app.post(&rate, Some(&w.g3), json!({ "student_id": w.s2, "rating": 1 })).await.expect(403);

    let figures = format!("/api/v1/schools/{}/parent-school/figures", w.school_a1);
    let before = app.get(&figures, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(before["duty"]["met"], false, "no guidance session held yet: {before}");

    at(&app, &mut w, wed(10, 5)).await;
    let code_path = format!("/api/v1/parent-school/sessions/{session}/check-in-code");
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/parent-school/sessions/{session}/check-in"),
        Some(&w.g1),
        json!({ "code": code, "student_id": w.s1 }),
    )
    .await
    .expect(201);
    at(&app, &mut w, wed(12, 0)).await;
    let report = app.get(&figures, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(report["participation"], json!({ "families": 2, "took_part": 2, "percent": 100.0 }));
    assert_eq!(report["classes"].as_array().unwrap().len(), 2);
    assert_eq!(report["grades"][0]["grade"], 3);
    assert_eq!(report["sessions"][0]["attended"], 1);
    assert_eq!(report["duty"], json!({ "guidance_held": 1, "practice_confirmations": 2, "met": true }));
    // Both children have 1 (practice) + 2 (workshop) = 3 credits.
    let bucket = report["credits_distribution"].as_array().unwrap().iter().find(|b| b["from"] == 3).unwrap().clone();
    assert_eq!(bucket["families"], 2);
    assert_eq!(
        report["ratings"],
        json!([{ "course_id": practice, "title": "家务小能手", "ratings": 1, "average": 4.0 }])
    );
    assert!(!report.to_string().contains("张小一"), "figures name no family: {report}");

    // Admins only; a bad period is refused.
    app.get(&figures, Some(&w.teacher_a1_head)).await.expect(403);
    for outsider in [&w.admin_b1, &w.g1, &w.bureau_a] {
        app.get(&figures, Some(outsider)).await.expect(404);
    }
    let backwards = app.get(&format!("{figures}?from=2026-12-01&to=2026-11-01"), Some(&w.admin_a1)).await;
    assert_eq!(backwards.expect(422).body["details"]["field"], "to");
}

#[tokio::test]
async fn only_a_courses_owner_edits_it_and_its_format_stays() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let body =
        |title: &str, format: &str| json!({ "title": title, "credits": 2, "format": format, "school_id": w.school_a1 });
    let school_course = course(&app, &w.admin_a1, body("亲子共读", "practice")).await;
    let district_course =
        course(&app, &w.bureau_a, json!({ "title": "区级家长课", "credits": 1, "format": "offline" })).await;
    let school_path = format!("/api/v1/parent-school/courses/{school_course}");
    // Another school's admin, a teacher, a family, the bureau of another district: refused.
    app.put(&school_path, Some(&w.admin_b1), body("改名", "practice")).await.expect(404);
    app.put(&school_path, Some(&w.admin_a2), body("改名", "practice")).await.expect(404);
    app.put(&school_path, Some(&w.teacher_a1_head), body("改名", "practice")).await.expect(403);
    app.put(&school_path, Some(&w.g1), body("改名", "practice")).await.expect(404);
    let district_path = format!("/api/v1/parent-school/courses/{district_course}");
    let district_body = json!({ "title": "区级家长课（修订）", "credits": 1, "format": "offline" });
    app.put(&district_path, Some(&w.bureau_b), district_body.clone()).await.expect(404);
    app.put(&district_path, Some(&w.admin_a1), district_body.clone()).await.expect(403);
    // The owners edit; the format stays.
    let edited = app.put(&school_path, Some(&w.admin_a1), body("亲子共读一本书", "practice")).await.expect(200);
    assert_eq!(edited.body["title"], "亲子共读一本书");
    assert_eq!(
        app.put(&school_path, Some(&w.admin_a1), body("x", "offline")).await.expect(409).code(),
        "ps_wrong_format"
    );
    assert_eq!(
        app.put(&district_path, Some(&w.bureau_a), district_body).await.expect(200).body["title"],
        "区级家长课（修订）"
    );
    let listed = app.get(&format!("/api/v1/parent-school/courses?student_id={}", w.s1), Some(&w.g1)).await.expect(200);
    assert!(listed.body.to_string().contains("亲子共读一本书"));
}

#[tokio::test]
async fn at_the_end_of_the_school_year_families_meeting_the_rule_get_their_certificate_once() {
    use sea_orm::EntityTrait;
    use server::parent_school::model::certificate;
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (school, admin) = world::create_school(&app, &w.bureau_a, "甲区第三小学", "6-3", "admin-a3@test.cn").await;
    // One family: a child finishing primary (grade 6) and a younger one (grade 5).
    let (_, families) = world::import_and_activate(
        &app,
        &admin,
        school,
        "students",
        &format!("{STUDENT_HEADER}G6,王大宝,6,1,王芳,13800000077,,母亲,full,,,,,\nG5,王小宝,5,1,王芳,13800000077,,母亲,full,,,,,\n"),
    )
    .await;
    let mother = families["13800000077"].clone();
    let children = world::children(&app, &mother).await;
    let practice =
        course(&app, &admin, json!({ "title": "亲子劳动", "credits": 2, "format": "practice", "school_id": school }))
            .await;
    app.put(
        &format!("/api/v1/schools/{school}/parent-school/graduation-rules/primary"),
        Some(&admin),
        json!({ "credits": 2 }),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/parent-school/courses/{practice}/practice"),
        Some(&mother),
        json!({ "student_id": children[0].1 }),
    )
    .await
    .expect(200);
    // In November nothing is issued; in the school year's last two weeks the grade-6 family's is.
    assert_eq!(app.run_jobs().await.certificates_issued, 0);
    app.clock.set(Utc.with_ymd_and_hms(2027, 8, 20, 8, 0, 0).single().unwrap());
    assert_eq!(app.run_jobs().await.certificates_issued, 1);
    assert_eq!(app.run_jobs().await.certificates_issued, 0, "never twice");
    let issued = certificate::Entity::find().all(&app.state.db).await.unwrap();
    let big = children.iter().find(|(name, _)| name == "王大宝").unwrap().1;
    assert_eq!(issued.len(), 1);
    assert_eq!((issued[0].student_id, issued[0].rule_version), (big, Some(1)));
    app.get(&format!("/api/v1/certificates/{}", issued[0].code), None).await.expect(200);
}

#[tokio::test]
async fn a_practice_reflection_is_kept_for_the_family_and_read_by_the_school_without_names() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let practice = course(
        &app,
        &w.admin_a1,
        json!({ "title": "周末亲子阅读", "credits": 1, "format": "practice", "school_id": w.school_a1, "grades": [3] }),
    )
    .await;
    let confirm = format!("/api/v1/parent-school/courses/{practice}/practice");
    let too_long = "很".repeat(501);
    let refused = app.post(&confirm, Some(&w.g1), json!({ "student_id": w.s1, "reflection": too_long })).await;
    assert_eq!(refused.expect(422).body["details"]["field"], "reflection");
    app.post(&confirm, Some(&w.g1), json!({ "student_id": w.s1, "reflection": "一起读了《夏洛的网》。" }))
        .await
        .expect(200);
    // A second confirmation earns nothing more, but the guardian's words are theirs to rewrite.
    let again = app
        .post(&confirm, Some(&w.g1), json!({ "student_id": w.s1, "reflection": "一起读完了《夏洛的网》，聊了友谊。" }))
        .await
        .expect(200);
    assert_eq!(again.body["credited"], json!([]));
    let s1 = ledger(&app, &w.g1, w.s1).await;
    assert_eq!(
        s1["reflections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["text"].clone(), r["course_title"].clone(), r["written_by_me"].clone()))
            .collect::<Vec<_>>(),
        vec![(json!("一起读完了《夏洛的网》，聊了友谊。"), json!("周末亲子阅读"), json!(true))]
    );
    // Written for S1: S2's ledger has its credit but not S1's reflection.
    let s2 = ledger(&app, &w.g1, w.s2).await;
    assert_eq!((s2["credits"].clone(), s2["reflections"].clone()), (json!(1), json!([])));
    // The school's admin reads the ledger to correct it, without the family's words: those the
    // school reads by course, never tied to a child.
    assert_eq!(ledger(&app, &w.admin_a1, w.s1).await["reflections"], json!([]));

    // The school reads what its families wrote on the course: the words and the grade, no name.
    let path = format!("/api/v1/schools/{}/parent-school/courses/{practice}/reflections", w.school_a1);
    let read = app.get(&path, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(read["title"], "周末亲子阅读");
    assert_eq!(
        read["items"],
        json!([{ "grade": 3, "text": "一起读完了《夏洛的网》，聊了友谊。",
        "written_at": read["items"][0]["written_at"] }])
    );
    assert!(!read.to_string().contains("张"), "no name: {read}");
    app.get(&path, Some(&w.teacher_a1_head)).await.expect(403);
    for outsider in [&w.g1, &w.bureau_a] {
        app.get(&path, Some(outsider)).await.expect(404);
    }
    app.get(
        &format!("/api/v1/schools/{}/parent-school/courses/{practice}/reflections", w.school_b1),
        Some(&w.admin_b1),
    )
    .await
    .expect(404);
    let (offline, _) = offline_session(&app, &w, 10).await;
    let not_practice = format!("/api/v1/schools/{}/parent-school/courses/{offline}/reflections", w.school_a1);
    assert_eq!(app.get(&not_practice, Some(&w.admin_a1)).await.expect(409).code(), "ps_wrong_format");
}

#[tokio::test]
async fn an_award_naming_a_course_stands_for_earning_it_once() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (course_id, session) = offline_session(&app, &w, 50).await;
    // 张伟 attended with S1 but the check-in failed: the school awards the course by hand.
    let credits = format!("/api/v1/schools/{}/parent-school/credits", w.school_a1);
    let award =
        json!({ "student_id": w.s1, "credits": 2, "course_id": course_id, "reason": "现场签到失败，经核实已参加。" });
    app.post(&credits, Some(&w.admin_a1), award.clone()).await.expect(201);
    let twice = app.post(&credits, Some(&w.admin_a1), award.clone()).await.expect(409);
    assert_eq!((twice.code(), twice.body["details"]["course_id"].clone()), ("ps_already_earned", json!(course_id)));
    // A correction naming the course is no earning: it takes no key and stands.
    app.post(
        &credits,
        Some(&w.admin_a1),
        json!({ "student_id": w.s1, "credits": -1, "course_id": course_id, "reason": "早退一半，学分减半。" }),
    )
    .await
    .expect(201);

    // The family checks in at the session after all: S2 earns it, S1 nothing more.
    at(&app, &mut w, wed(10, 5)).await;
    let code_path = format!("/api/v1/parent-school/sessions/{session}/check-in-code");
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    let came = app
        .post(
            &format!("/api/v1/parent-school/sessions/{session}/check-in"),
            Some(&w.g1),
            json!({ "code": code, "student_id": w.s1 }),
        )
        .await
        .expect(201);
    assert_eq!(came.body["credited"], json!([{ "student_id": w.s2, "credits": 2 }]));
    assert_eq!(ledger(&app, &w.g1, w.s1).await["credits"], 1);

    // Reversing the award gives the course back to genuine events, and a new award may name it.
    let s1 = ledger(&app, &w.admin_a1, w.s1).await;
    let manual = s1["entries"].as_array().unwrap().iter().find(|e| e["credits"] == 2).unwrap()["id"].clone();
    app.post(&format!("{credits}/{}/reverse", id(&manual)), Some(&w.admin_a1), json!({ "reason": "重复发放。" }))
        .await
        .expect(201);
    app.post(&credits, Some(&w.admin_a1), award).await.expect(201);
    assert_eq!(ledger(&app, &w.g1, w.s1).await["credits"], 1);
}

#[tokio::test]
async fn the_bureau_sees_how_the_district_catalogue_is_used_and_meetings_per_class() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (course_id, session) = offline_session(&app, &w, 50).await;
    let unused = course(
        &app,
        &w.bureau_a,
        json!({ "title": "青春期沟通", "credits": 1, "format": "online", "grades": [7, 8, 9], "content_url": "https://example.cn/v", "min_minutes": 20 }),
    )
    .await;
    let own = course(
        &app,
        &w.admin_a1,
        json!({ "title": "家务小能手", "credits": 1, "format": "practice", "school_id": w.school_a1 }),
    )
    .await;
    app.post(&format!("/api/v1/parent-school/courses/{own}/practice"), Some(&w.g1), json!({ "student_id": w.s1 }))
        .await
        .expect(200);
    let meetings = format!("/api/v1/schools/{}/parent-school/meetings", w.school_a1);
    app.post(
        &meetings,
        Some(&w.teacher_a1_head),
        json!({ "scope": "class", "class_id": w.class_a1_31, "title": "三年级一班家长会", "agenda": "本学期安排。",
                "start": wed(10, 0), "end": wed(11, 0), "place": "教室" }),
    )
    .await
    .expect(201);
    at(&app, &mut w, wed(10, 5)).await;
    let code_path = format!("/api/v1/parent-school/sessions/{session}/check-in-code");
    let code = app.get(&code_path, Some(&w.admin_a1)).await.expect(200).body["code"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/parent-school/sessions/{session}/check-in"),
        Some(&w.g1),
        json!({ "code": code, "student_id": w.s1 }),
    )
    .await
    .expect(201);
    at(&app, &mut w, wed(12, 0)).await;

    // The school's figures: each course's use, and the meetings that reached each class.
    let figures = app
        .get(&format!("/api/v1/schools/{}/parent-school/figures", w.school_a1), Some(&w.admin_a1))
        .await
        .expect(200)
        .body;
    let used: Vec<(Value, Value, Value, Value)> = figures["courses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["course_id"].clone(), c["owner"].clone(), c["families"].clone(), c["sessions_held"].clone()))
        .collect();
    assert_eq!(
        used,
        vec![
            (json!(course_id), json!("district"), json!(2), json!(1)),
            (json!(own), json!("school"), json!(2), json!(0)),
        ]
    );
    let reaching: Vec<(i64, i64)> = figures["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["number"].as_i64().unwrap(), c["meetings_reaching"].as_i64().unwrap()))
        .collect();
    assert_eq!(reaching, vec![(1, 1), (2, 0)]);

    // The bureau: classes reached per school, and the district catalogue with its use (2 families
    // is under k: hidden), the unused course listed with nothing, the school's own course absent.
    let dashboard =
        app.get(&format!("/api/v1/districts/{}/dashboard", w.district_a), Some(&w.bureau_a)).await.expect(200).body;
    let section = &dashboard["parent_school"];
    let a1 = section["schools"].as_array().unwrap().iter().find(|s| s["school_id"] == json!(w.school_a1)).unwrap();
    assert_eq!(
        (a1["classes"].clone(), a1["classes_with_meeting"].clone(), a1["meetings_per_class"].clone()),
        (json!(2), json!(1), json!(0.5))
    );
    assert_eq!(
        section["district_courses"],
        json!([
            { "course_id": course_id, "title": "正面管教工作坊", "format": "offline", "schools_using": 1,
              "families": { "value": null, "suppressed": true }, "sessions_held": 1 },
            { "course_id": unused, "title": "青春期沟通", "format": "online", "schools_using": 0,
              "families": { "value": 0, "suppressed": false }, "sessions_held": 0 },
        ])
    );
    // A school admin reading the dashboard sees its own row and no district-wide course counts.
    let mine = app
        .get(&format!("/api/v1/districts/{}/schools/{}/dashboard", w.district_a, w.school_a1), Some(&w.admin_a1))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["parent_school"]["district_courses"], json!([]));
    assert_eq!(mine["parent_school"]["schools"][0]["classes_with_meeting"], 1);
}

#[tokio::test]
async fn families_are_reminded_the_day_before_of_their_seat_and_their_meeting_once() {
    let app = spawn_app().await;
    let mut w = world::build(&app).await;
    let (_, session) = offline_session(&app, &w, 50).await;
    app.post(
        &format!("/api/v1/parent-school/sessions/{session}/registrations"),
        Some(&w.g1),
        json!({ "student_id": w.s1 }),
    )
    .await
    .expect(201);
    let meetings = format!("/api/v1/schools/{}/parent-school/meetings", w.school_a1);
    let class_meeting = json!({ "scope": "class", "class_id": w.class_a1_31, "title": "三年级一班家长会",
        "agenda": "本学期安排。", "start": wed(10, 0), "end": wed(11, 0), "place": "三（1）班教室" });
    app.post(&meetings, Some(&w.teacher_a1_head), class_meeting).await.expect(201);
    let reminders = |inbox: &Value| -> Vec<String> {
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .filter(|t| t.contains("明日提醒"))
            .collect()
    };
    assert_eq!(app.run_jobs().await.parent_school_reminders, 0, "two days ahead: not yet");

    // Tuesday 10:30 UTC, within a day of both.
    at(&app, &mut w, Utc.with_ymd_and_hms(2026, 11, 24, 10, 30, 0).single().unwrap()).await;
    // Announced this late for Wednesday, a meeting is not reminded (its invitation just went out).
    app.post(
        &meetings,
        Some(&w.admin_a1),
        json!({ "scope": "school", "title": "临时全校家长会", "start": wed(10, 0), "end": wed(11, 0), "place": "操场" }),
    )
    .await
    .expect(201);
    assert_eq!(app.run_jobs().await.parent_school_reminders, 2);
    assert_eq!(app.run_jobs().await.parent_school_reminders, 0, "once");
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&w.g1)).await.expect(200).body;
    let mut told = reminders(&inbox);
    told.sort();
    assert_eq!(
        told,
        vec![
            "家长会明日提醒：三年级一班家长会 / Parent meeting tomorrow",
            "家长学校明日提醒：正面管教工作坊 / Tomorrow: 正面管教工作坊"
        ]
    );
    // 周敏 (informational guardian of S2) holds no seat and is not invited to 3-1's meeting.
    assert!(reminders(&app.get("/api/v1/inbox?limit=50", Some(&w.g3)).await.expect(200).body).is_empty());
}
