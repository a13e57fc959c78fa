//! Home visits over HTTP (issue 10): proposal, acceptance with the address, counter-proposal,
//! decline, cancellation (a message within two hours), conflicts with the buffer and the daily
//! limit, concurrent acceptances, completion with the family's confirmation or dispute, reminders
//! a day and an hour before, the address erased 7 days after, and every denial.
//!
//! The test clock is Monday 2026-11-23 08:00 UTC (16:00 in the school); visits are proposed for
//! Wednesday 25th. S1 and S2 both have `teacher_a1_head` (王老师) as mentor; `g1` is the full
//! guardian of both, `g2` S1's pickup-only adult, `g3` S2's informational guardian.

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiaxiao_tests::world::{self, PASSWORD, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

fn wed(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, h, m, 0).single().expect("instant")
}

fn window(start: DateTime<Utc>, minutes: i64) -> Value {
    json!({ "start": start, "end": start + Duration::minutes(minutes) })
}

async fn account_id(app: &TestApp, token: &str) -> Uuid {
    id(&app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"])
}

/// Mentoring set up in A1 with `teacher_a1_head` mentoring S1 and S2.
async fn mentored(app: &TestApp, w: &World, per_day: u8) -> Uuid {
    let settings = json!({ "grades": [3], "max_visits_per_day": per_day });
    app.put(&format!("/api/v1/schools/{}/mentoring/settings", w.school_a1), Some(&w.admin_a1), settings)
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

async fn propose(app: &TestApp, token: &str, student: Uuid, mode: &str, windows: Vec<Value>) -> jiaxiao_tests::Reply {
    app.post(
        "/api/v1/mentoring/visits",
        Some(token),
        json!({ "student_id": student, "mode": mode, "windows": windows }),
    )
    .await
}

fn visit_path(visit: Uuid, action: &str) -> String {
    format!("/api/v1/mentoring/visits/{visit}/{action}")
}

async fn task(app: &TestApp, token: &str, student: Uuid, task: &str) -> String {
    let view = app.get(&format!("/api/v1/children/{student}/mentor"), Some(token)).await.expect(200);
    let tasks = view.body["tasks"].as_array().expect("tasks");
    let t = tasks.iter().find(|t| t["task"] == task).cloned().expect("task");
    t["status"].as_str().expect("status").to_owned()
}

/// The visit proposed for S1 (Wednesday 18:00 or Thursday 18:00 local) and booked by `g1` for Wednesday.
async fn booked_visit(app: &TestApp, w: &World) -> Uuid {
    let windows = vec![window(wed(10, 0), 60), window(wed(10, 0) + Duration::days(1), 60)];
    let visit = id(&propose(app, &w.teacher_a1_head, w.s1, "home", windows).await.expect(201).body["id"]);
    app.post(&visit_path(visit, "accept"), Some(&w.g1), json!({ "start": wed(10, 0), "address": "幸福路 8 号 3 楼" }))
        .await
        .expect(200);
    visit
}

#[tokio::test]
async fn the_mentor_proposes_and_the_family_books_a_window_with_its_address() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    assert_eq!(task(&app, &w.g1, w.s1, "visit").await, "pending");
    let windows = vec![window(wed(10, 0), 60), window(wed(10, 0) + Duration::days(1), 60)];
    // Only the student's mentor proposes: another teacher of the school 403, outsiders 404.
    propose(&app, &w.teacher_a1_other, w.s1, "home", windows.clone()).await.expect(403);
    propose(&app, &w.teacher_b1, w.s1, "home", windows.clone()).await.expect(404);
    propose(&app, &w.g1, w.s1, "home", windows.clone()).await.expect(404);
    let past = propose(&app, &w.teacher_a1_head, w.s1, "home", vec![window(wed(10, 0) - Duration::days(3), 60)]);
    assert_eq!(past.await.expect(422).body["details"]["field"], "windows");

    let proposed = propose(&app, &w.teacher_a1_head, w.s1, "home", windows).await.expect(201);
    let visit = id(&proposed.body["id"]);
    assert_eq!(
        (proposed.body["status"].as_str(), proposed.body["awaiting"].as_str()),
        (Some("proposed"), Some("family"))
    );
    assert_eq!(proposed.body["windows"].as_array().map(Vec::len), Some(2));
    // The family hears of it.
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "mentoring"), "{}", inbox.body);

    // The mentor cannot answer their own windows; the pickup-only adult and other families see nothing.
    let own = app.post(&visit_path(visit, "accept"), Some(&w.teacher_a1_head), json!({ "start": wed(10, 0) })).await;
    assert_eq!(own.expect(409).code(), "visit_not_your_turn");
    app.post(&visit_path(visit, "accept"), Some(&w.g2), json!({ "start": wed(10, 0) })).await.expect(404);
    app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.g4)).await.expect(404);
    app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.teacher_a1_other)).await.expect(404);
    app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.admin_a1)).await.expect(404);
    // A time not offered, or a home visit without an address: refused.
    let accept = visit_path(visit, "accept");
    let other_time = app.post(&accept, Some(&w.g1), json!({ "start": wed(12, 0), "address": "x" })).await;
    assert_eq!(other_time.expect(422).body["details"]["field"], "start");
    let no_address = app.post(&visit_path(visit, "accept"), Some(&w.g1), json!({ "start": wed(10, 0) })).await;
    assert_eq!(no_address.expect(422).body["details"]["field"], "address");

    let booked = app
        .post(&visit_path(visit, "accept"), Some(&w.g1), json!({ "start": wed(10, 0), "address": "幸福路 8 号 3 楼" }))
        .await
        .expect(200);
    assert_eq!(booked.body["status"], "booked");
    assert_eq!(booked.body["start"].as_str().map(|s| s.parse::<DateTime<Utc>>().unwrap()), Some(wed(10, 0)));
    assert_eq!(task(&app, &w.g1, w.s1, "visit").await, "scheduled");
    // The visiting teacher sees the address; the history is kept.
    let seen = app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(seen.body["address"], "幸福路 8 号 3 楼");
    let kinds: Vec<&str> =
        seen.body["history"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["proposed", "accepted"]);
    assert_eq!(seen.body["history"][1]["by"], "family");
    // Both sides list it.
    for token in [&w.teacher_a1_head, &w.g1] {
        let list = app.get("/api/v1/mentoring/visits", Some(token)).await.expect(200);
        assert!(list.body["items"].as_array().unwrap().iter().any(|v| id(&v["id"]) == visit));
    }
    assert_eq!(app.get("/api/v1/mentoring/visits", Some(&w.g4)).await.expect(200).body["items"], json!([]));
}

#[tokio::test]
async fn the_family_counter_proposes_and_the_mentor_accepts_or_the_family_declines() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit =
        id(&propose(&app, &w.teacher_a1_head, w.s1, "home", vec![window(wed(10, 0), 60)]).await.expect(201).body["id"]);
    let counter = json!({ "windows": [window(wed(11, 30), 60)], "address": "幸福路 8 号" });
    app.post(&visit_path(visit, "counter"), Some(&w.teacher_a1_head), counter.clone()).await.expect(409);
    let countered = app.post(&visit_path(visit, "counter"), Some(&w.g1), counter).await.expect(200);
    assert_eq!(countered.body["awaiting"], "mentor");
    // Now the family waits for the mentor.
    let early = app.post(&visit_path(visit, "accept"), Some(&w.g1), json!({ "start": wed(11, 30) })).await;
    assert_eq!(early.expect(409).code(), "visit_not_your_turn");
    let booked = app
        .post(&visit_path(visit, "accept"), Some(&w.teacher_a1_head), json!({ "start": wed(11, 30) }))
        .await
        .expect(200);
    assert_eq!(booked.body["status"], "booked");
    assert_eq!(booked.body["address"], "幸福路 8 号");

    // S2's family declines a home visit; the mentor then offers a video call.
    let s2_visit =
        id(&propose(&app, &w.teacher_a1_head, w.s2, "home", vec![window(wed(13, 0), 60)]).await.expect(201).body["id"]);
    app.post(&visit_path(s2_visit, "decline"), Some(&w.g3), json!({ "reason": "不方便" })).await.expect(404);
    app.post(&visit_path(s2_visit, "decline"), Some(&w.teacher_a1_head), json!({ "reason": "x" })).await.expect(403);
    assert_eq!(
        app.post(&visit_path(s2_visit, "decline"), Some(&w.g1), json!({ "reason": " " })).await.expect(422).body["details"]
            ["field"],
        "reason"
    );
    let declined =
        app.post(&visit_path(s2_visit, "decline"), Some(&w.g1), json!({ "reason": "家中不便接待" })).await.expect(200);
    assert_eq!(declined.body["status"], "declined");
    assert_eq!(task(&app, &w.g1, w.s2, "visit").await, "declined");
    let again = app.post(&visit_path(s2_visit, "accept"), Some(&w.g1), json!({ "start": wed(13, 0) })).await;
    assert_eq!(again.expect(409).code(), "visit_closed");
    propose(&app, &w.teacher_a1_head, w.s2, "video", vec![window(wed(13, 0), 45)]).await.expect(201);
}

#[tokio::test]
async fn no_teacher_is_double_booked_the_buffer_and_the_daily_limit_hold() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 1).await;
    booked_visit(&app, &w).await; // Wednesday 10:00–11:00 UTC, a home visit.
    // 15 minutes after it ends is inside the 30-minute buffer.
    let close = propose(&app, &w.teacher_a1_head, w.s2, "video", vec![window(wed(11, 15), 30)]).await.expect(409);
    assert_eq!(close.code(), "visit_conflict");
    assert_eq!(
        (close.body["details"]["teacher"].as_str(), close.body["details"]["conflict"].as_str()),
        (Some("mentor"), Some("double_booked"))
    );
    // A second home visit that day is over the school's limit of one; a phone call is not.
    let second_home = propose(&app, &w.teacher_a1_head, w.s2, "home", vec![window(wed(13, 0), 60)]).await.expect(409);
    assert_eq!(second_home.body["details"]["conflict"], "daily_limit");
    let call = propose(&app, &w.teacher_a1_head, w.s2, "phone", vec![window(wed(13, 0), 30)]).await.expect(201);
    app.post(
        &visit_path(id(&call.body["id"]), "cancel"),
        Some(&w.teacher_a1_head),
        json!({ "reason": "改为到校面谈" }),
    )
    .await
    .expect(200);
    // A co-visitor's calendar counts too: they must be another teacher of the school.
    let stranger = account_id(&app, &w.teacher_b1).await;
    let bad_co =
        json!({ "student_id": w.s2, "mode": "school", "windows": [window(wed(16, 0), 60)], "co_visitor_id": stranger });
    let refused = app.post("/api/v1/mentoring/visits", Some(&w.teacher_a1_head), bad_co).await.expect(422);
    assert_eq!(refused.body["details"]["field"], "co_visitor_id");
    let other = account_id(&app, &w.teacher_a1_other).await;
    let with_co =
        json!({ "student_id": w.s2, "mode": "school", "windows": [window(wed(15, 0), 60)], "co_visitor_id": other });
    let shared = app.post("/api/v1/mentoring/visits", Some(&w.teacher_a1_head), with_co).await.expect(201);
    assert_eq!(id(&shared.body["co_visitor"]["account_id"]), other);
}

#[tokio::test]
async fn two_acceptances_at_once_make_one_booking() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = id(&propose(&app, &w.teacher_a1_head, w.s1, "video", vec![window(wed(10, 0), 60)])
        .await
        .expect(201)
        .body["id"]);
    let accept = json!({ "start": wed(10, 0) });
    let path = visit_path(visit, "accept");
    let (a, b) =
        tokio::join!(app.post(&path, Some(&w.g1), accept.clone()), app.post(&path, Some(&w.g1), accept.clone()));
    a.expect(200);
    b.expect(200);
    let seen = app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.g1)).await.expect(200);
    let accepted = seen.body["history"].as_array().unwrap().iter().filter(|e| e["kind"] == "accepted").count();
    assert_eq!(accepted, 1, "{}", seen.body);
}

/// Acceptances of one mentor's visits arriving together are booked together (one batch per
/// instance, in arrival order) and across instances the teachers' lock decides: either way the
/// outcome is the one a queue of single acceptances would give.
#[tokio::test]
async fn families_racing_for_a_mentors_window_on_two_instances_book_it_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let peer = app.spawn_peer().await;
    let windows = || vec![window(wed(10, 0), 60), window(wed(12, 0), 60)];
    let v1 = id(&propose(&app, &w.teacher_a1_head, w.s1, "video", windows()).await.expect(201).body["id"]);
    let v2 = id(&propose(&app, &w.teacher_a1_head, w.s2, "video", windows()).await.expect(201).body["id"]);
    let ten = json!({ "start": wed(10, 0) });
    // Each visit's family taps 10:00 twice, on each instance; S1's pickup adult and S2's
    // informational guardian try too.
    let (p1, p2) = (visit_path(v1, "accept"), visit_path(v2, "accept"));
    let (a1, a2, b1, b2, pickup, informational) = tokio::join!(
        app.post(&p1, Some(&w.g1), ten.clone()),
        peer.post(&p1, Some(&w.g1), ten.clone()),
        app.post(&p2, Some(&w.g1), ten.clone()),
        peer.post(&p2, Some(&w.g1), ten.clone()),
        app.post(&p1, Some(&w.g2), ten.clone()),
        peer.post(&p2, Some(&w.g3), ten.clone()),
    );
    pickup.expect(404);
    informational.expect(404);
    // One visit has 10:00: both its taps answer the booking. Both taps of the other are refused
    // and name the visit that holds the mentor.
    let taps = [(v1, a1), (v1, a2), (v2, b1), (v2, b2)];
    let winner = taps.iter().find(|(_, r)| r.status == 200).map(|(v, _)| *v).expect("a booking");
    let loser = if winner == v1 { v2 } else { v1 };
    let at =
        |r: &jiaxiao_tests::Reply, field: &str| r.body[field].as_str().and_then(|s| s.parse::<DateTime<Utc>>().ok());
    for (visit, reply) in &taps {
        if *visit == winner {
            assert_eq!((reply.status.as_u16(), reply.body["status"].as_str()), (200, Some("booked")), "{}", reply.body);
            assert_eq!(at(reply, "start"), Some(wed(10, 0)));
        } else {
            assert_eq!((reply.status.as_u16(), reply.code()), (409, "visit_conflict"), "{}", reply.body);
            assert_eq!(reply.body["details"]["conflict"], "double_booked");
            assert_eq!(id(&reply.body["details"]["visit_id"]), winner);
        }
    }
    // The other family takes the second window; each visit was accepted once.
    let noon = app.post(&visit_path(loser, "accept"), Some(&w.g1), json!({ "start": wed(12, 0) })).await.expect(200);
    assert_eq!(at(&noon, "start"), Some(wed(12, 0)));
    for visit in [v1, v2] {
        let seen = peer.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&w.g1)).await.expect(200);
        let accepted = seen.body["history"].as_array().unwrap().iter().filter(|e| e["kind"] == "accepted").count();
        assert_eq!((seen.body["status"].as_str(), accepted), (Some("booked"), 1), "{}", seen.body);
    }
    assert_eq!(task(&app, &w.g1, w.s1, "visit").await, "scheduled");
    assert_eq!(task(&app, &w.g1, w.s2, "visit").await, "scheduled");
}

#[tokio::test]
async fn a_late_cancellation_needs_a_message_and_reaches_the_family_at_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = booked_visit(&app, &w).await;
    // Wednesday 08:30, 90 minutes before the start.
    app.clock.set(wed(8, 30));
    let teacher = app.login("13700000001", PASSWORD).await;
    let guardian = app.login("13800000001", PASSWORD).await;
    let silent = app.post(&visit_path(visit, "cancel"), Some(&teacher), json!({ "reason": "临时开会" })).await;
    assert_eq!(silent.expect(422).body["details"]["field"], "message");
    let cancelled = app
        .post(
            &visit_path(visit, "cancel"),
            Some(&teacher),
            json!({ "reason": "临时开会", "message": "非常抱歉，改天再约。" }),
        )
        .await
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(task(&app, &guardian, w.s1, "visit").await, "pending");
    let inbox = app.get("/api/v1/inbox", Some(&guardian)).await.expect(200);
    let late = inbox.body["items"].as_array().unwrap().iter().find(|i| i["kind"] == "mentoring" && i["urgent"] == true);
    assert!(late.is_some(), "{}", inbox.body);
    let twice = app.post(&visit_path(visit, "cancel"), Some(&teacher), json!({ "reason": "x", "message": "y" })).await;
    assert_eq!(twice.expect(409).code(), "visit_closed");
}

#[tokio::test]
async fn the_mentor_records_it_done_and_the_familys_confirmation_is_the_proof() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = booked_visit(&app, &w).await;
    let early = app.post(&visit_path(visit, "done"), Some(&w.teacher_a1_head), json!({ "duration_minutes": 50 })).await;
    assert_eq!(early.expect(409).code(), "visit_closed", "not begun yet");
    app.clock.set(wed(11, 0));
    let teacher = app.login("13700000001", PASSWORD).await;
    let guardian = app.login("13800000001", PASSWORD).await;
    app.post(&visit_path(visit, "confirm"), Some(&guardian), json!({})).await.expect(409);
    app.post(&visit_path(visit, "done"), Some(&guardian), json!({ "duration_minutes": 50 })).await.expect(403);
    let done =
        app.post(&visit_path(visit, "done"), Some(&teacher), json!({ "duration_minutes": 50 })).await.expect(200);
    assert_eq!((done.body["status"].as_str(), done.body["duration_minutes"].as_u64()), (Some("done"), Some(50)));
    assert_eq!(task(&app, &guardian, w.s1, "visit").await, "done");
    app.post(&visit_path(visit, "confirm"), Some(&teacher), json!({})).await.expect(403);
    let confirmed = app.post(&visit_path(visit, "confirm"), Some(&guardian), json!({})).await.expect(200);
    assert_eq!(confirmed.body["status"], "confirmed");
    assert!(confirmed.body["confirmed_at"].is_string());
    // A second tap changes nothing.
    app.post(&visit_path(visit, "confirm"), Some(&guardian), json!({})).await.expect(200);

    // The school's figures: one home visit held and confirmed; one task of six completed.
    let figures_path = format!("/api/v1/schools/{}/mentoring/figures", w.school_a1);
    app.get(&figures_path, Some(&teacher)).await.expect(403);
    let admin = app.login("admin-a1@test.cn", PASSWORD).await;
    let figures = app.get(&figures_path, Some(&admin)).await.expect(200);
    assert_eq!(
        (figures.body["visits"]["home"].as_u64(), figures.body["visits"]["confirmed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (figures.body["school"]["completed"].as_u64(), figures.body["school"]["owed"].as_u64()),
        (Some(1), Some(6))
    );
    assert_eq!(figures.body["school"]["percent"], 16.7);
    assert_eq!(figures.body["mentors"].as_array().map(Vec::len), Some(1));
    assert_eq!(figures.body["grades"][0]["grade"], 3);
    let visit_task = figures.body["tasks"].as_array().unwrap().iter().find(|t| t["task"] == "visit").cloned().unwrap();
    assert_eq!((visit_task["done"].as_u64(), visit_task["pending"].as_u64()), (Some(1), Some(1)));
    assert!(!figures.body.to_string().contains("幸福路"), "no address in the figures");
}

#[tokio::test]
async fn a_disputed_visit_is_flagged_to_the_school_and_owed_again() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = booked_visit(&app, &w).await;
    app.clock.set(wed(11, 0));
    let teacher = app.login("13700000001", PASSWORD).await;
    let guardian = app.login("13800000001", PASSWORD).await;
    let admin = app.login("admin-a1@test.cn", PASSWORD).await;
    // Held as a video call in the end.
    let done = json!({ "duration_minutes": 30, "mode": "video" });
    app.post(&visit_path(visit, "done"), Some(&teacher), done).await.expect(200);
    assert_eq!(task(&app, &guardian, w.s1, "visit").await, "done_online");
    let no_reason = app.post(&visit_path(visit, "confirm"), Some(&guardian), json!({ "happened": false })).await;
    assert_eq!(no_reason.expect(422).body["details"]["field"], "reason");
    let disputed = app
        .post(&visit_path(visit, "confirm"), Some(&guardian), json!({ "happened": false, "reason": "老师没有来" }))
        .await
        .expect(200);
    assert_eq!(disputed.body["status"], "disputed");
    assert_eq!(task(&app, &guardian, w.s1, "visit").await, "pending");
    let inbox = app.get("/api/v1/inbox", Some(&admin)).await.expect(200);
    assert!(inbox.body["items"].as_array().unwrap().iter().any(|i| i["kind"] == "mentoring"), "{}", inbox.body);
}

#[tokio::test]
async fn reminders_come_a_day_and_an_hour_before_and_the_address_is_erased_a_week_after() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = booked_visit(&app, &w).await;
    assert_eq!(app.run_jobs().await.visit_reminders, 0, "two days ahead");
    app.clock.set(wed(10, 0) - Duration::hours(23));
    assert_eq!(app.run_jobs().await.visit_reminders, 1);
    assert_eq!(app.run_jobs().await.visit_reminders, 0, "once");
    app.clock.set(wed(9, 10));
    assert_eq!(app.run_jobs().await.visit_reminders, 1, "the hour-before one");
    let guardian = app.login("13800000001", PASSWORD).await;
    let inbox = app.get("/api/v1/inbox", Some(&guardian)).await.expect(200);
    let reminders = inbox.body["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "mentoring").count();
    assert!(reminders >= 2, "{}", inbox.body);
    let teacher = app.login("13700000001", PASSWORD).await;
    let inbox = app.get("/api/v1/inbox", Some(&teacher)).await.expect(200);
    let urgent =
        inbox.body["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "mentoring" && i["urgent"] == true);
    assert_eq!(urgent.count(), 1, "the mentor's hour-before reminder: {}", inbox.body);

    app.clock.set(wed(11, 0));
    let teacher = app.login("13700000001", PASSWORD).await;
    app.post(&visit_path(visit, "done"), Some(&teacher), json!({ "duration_minutes": 60 })).await.expect(200);
    app.clock.set(wed(11, 0) + Duration::days(7) - Duration::minutes(1));
    assert_eq!(app.run_jobs().await.visit_addresses_erased, 0);
    app.clock.set(wed(11, 0) + Duration::days(7));
    assert_eq!(app.run_jobs().await.visit_addresses_erased, 1);
    let teacher = app.login("13700000001", PASSWORD).await;
    let seen = app.get(&format!("/api/v1/mentoring/visits/{visit}"), Some(&teacher)).await.expect(200);
    assert_eq!((seen.body["address"].is_null(), seen.body["address_erased"].as_bool()), (true, Some(true)));
}

#[tokio::test]
async fn the_address_is_the_teachers_alone_and_a_replaced_mentor_leaves_the_visit() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    mentored(&app, &w, 3).await;
    let visit = booked_visit(&app, &w).await;
    let path = format!("/api/v1/mentoring/visits/{visit}");
    let family = app.get(&path, Some(&w.g1)).await.expect(200);
    assert!(family.body["address"].is_null(), "the family gave it; only the visiting teachers read it back");
    assert_eq!(app.get(&path, Some(&w.teacher_a1_head)).await.expect(200).body["address"], "幸福路 8 号 3 楼");
    // One open visit per student at a time.
    let second = propose(&app, &w.teacher_a1_head, w.s1, "video", vec![window(wed(14, 0), 30)]).await.expect(409);
    assert_eq!((second.code(), id(&second.body["details"]["visit_id"])), ("visit_open", visit));

    // S1 moves to 赵老师: 王老师 no longer sees or changes the visit.
    let other = account_id(&app, &w.teacher_a1_other).await;
    app.put(
        &format!("/api/v1/schools/{}/mentoring/assignments", w.school_a1),
        Some(&w.admin_a1),
        json!({ "assignments": [{ "student_id": w.s1, "mentor_id": other }] }),
    )
    .await
    .expect(200);
    app.get(&path, Some(&w.teacher_a1_head)).await.expect(404);
    let cancel = json!({ "reason": "换导师" });
    app.post(&visit_path(visit, "cancel"), Some(&w.teacher_a1_head), cancel.clone()).await.expect(404);
    let list = app.get("/api/v1/mentoring/visits", Some(&w.teacher_a1_head)).await.expect(200);
    assert!(list.body["items"].as_array().unwrap().iter().all(|v| id(&v["id"]) != visit));

    // Once begun, a visit is neither cancelled nor declined (it is recorded done, or disputed).
    app.clock.set(wed(10, 30));
    let guardian = app.login("13800000001", PASSWORD).await;
    let late = app.post(&visit_path(visit, "cancel"), Some(&guardian), json!({ "reason": "x", "message": "y" })).await;
    assert_eq!(late.expect(409).code(), "visit_closed");
    // The family cancels before it begins: the address goes at once.
    app.clock.set(wed(7, 0));
    let guardian = app.login("13800000001", PASSWORD).await;
    app.post(&visit_path(visit, "cancel"), Some(&guardian), cancel).await.expect(200);
    let erased = app.get(&path, Some(&guardian)).await.expect(200);
    assert_eq!(erased.body["address_erased"], true);
}
