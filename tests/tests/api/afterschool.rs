//! After-school service over HTTP: the plan rules, activities, first-come enrolment that never
//! oversells, the wait list, the voluntary basic session, the child's view, and the denials.

use jiaxiao_tests::world::{self, PASSWORD, STUDENT_HEADER, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn week(start: &str, end: &str) -> Vec<Value> {
    (1..=5).map(|d| json!({ "weekday": d, "kind": "basic", "start": start, "end": end })).collect()
}

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

async fn plan(app: &TestApp, admin: &str, school: Uuid, sessions: Vec<Value>) -> Value {
    app.post(
        &format!("/api/v1/schools/{school}/afterschool/plans"),
        Some(admin),
        json!({ "term_start": "2026-09-01", "term_end": "2027-01-20", "sessions": sessions }),
    )
    .await
    .expect(201)
    .body
}

async fn published_plan(app: &TestApp, admin: &str, school: Uuid) -> Uuid {
    let plan = plan(app, admin, school, week("15:40", "17:50")).await;
    let plan_id = id(&plan["id"]);
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(admin), json!({})).await.expect(200);
    plan_id
}

fn activity_body(name: &str, capacity: u32, allocation: &str) -> Value {
    json!({
        "name": name, "category": "sports", "description": "篮球基础与对抗", "weekdays": [1, 3],
        "start": "16:00", "end": "17:30", "capacity": capacity, "min_size": 0,
        "provider": { "kind": "school_teacher", "name": "王老师" },
        "fee": { "kind": "service_fee", "amount_fen": 30000 }, "allocation": allocation,
    })
}

async fn activity(app: &TestApp, admin: &str, plan_id: Uuid, body: Value) -> Uuid {
    id(&app.post(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(admin), body).await.expect(201).body
        ["id"])
}

async fn enrol(app: &TestApp, token: &str, activity: Uuid, student: Uuid) -> jiaxiao_tests::Reply {
    app.post(
        &format!("/api/v1/afterschool/activities/{activity}/enrolments"),
        Some(token),
        json!({ "student_id": student }),
    )
    .await
}

async fn seats_taken(app: &TestApp, admin: &str, plan_id: Uuid, activity: Uuid) -> u64 {
    let list = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(admin)).await.expect(200);
    let items = list.body["items"].as_array().expect("items");
    items.iter().find(|a| id(&a["id"]) == activity).expect("activity")["seats_taken"].as_u64().expect("count")
}

#[tokio::test]
async fn a_plan_that_breaks_the_rules_is_saved_as_a_draft_and_refused_at_publishing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Ends at 17:30 (off-work 17:30 + 20 min = 17:50 at the earliest) and has no Friday.
    let mut sessions = week("15:30", "17:30");
    sessions.pop();
    let draft = plan(&app, &w.admin_a1, w.school_a1, sessions).await;
    assert_eq!(draft["status"], "draft");
    let rules: Vec<&str> = draft["breaches"].as_array().unwrap().iter().map(|b| b["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"AS_END_TIME") && rules.contains(&"AS_5_PLUS_2"), "{rules:?}");

    let refused = app
        .post(
            &format!("/api/v1/afterschool/plans/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.admin_a1),
            json!({}),
        )
        .await
        .expect(422);
    assert_eq!(refused.code(), "as_end_time");
    assert_eq!(refused.body["details"]["rules"], json!(["AS_END_TIME", "AS_5_PLUS_2"]));
    let friday = refused.body["details"]["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["rule"] == "AS_5_PLUS_2")
        .unwrap()
        .clone();
    assert_eq!(friday["weekday"], 5);

    // Evening study for primary grades, and past 20:30.
    let mut evening = week("15:40", "17:50");
    evening.push(json!({ "weekday": 2, "kind": "evening", "start": "19:00", "end": "20:45", "grades": [5, 6] }));
    let draft = plan(&app, &w.admin_a1, w.school_a1, evening).await;
    let refused = app
        .post(
            &format!("/api/v1/afterschool/plans/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.admin_a1),
            json!({}),
        )
        .await
        .expect(422);
    assert_eq!(refused.code(), "as_evening_study");
    assert_eq!(refused.body["details"]["breaches"].as_array().unwrap().len(), 2);

    let good = plan(&app, &w.admin_a1, w.school_a1, week("15:40", "17:50")).await;
    assert!(good["breaches"].as_array().unwrap().is_empty());
    let published = app
        .post(
            &format!("/api/v1/afterschool/plans/{}/publish", good["id"].as_str().unwrap()),
            Some(&w.admin_a1),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(published.body["status"], "published");
    assert!(published.body["published_at"].is_string());
}

#[tokio::test]
async fn the_district_off_work_time_moves_the_end_time_rule() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let settings = format!("/api/v1/districts/{}/afterschool-settings", w.district_a);
    assert_eq!(app.get(&settings, Some(&w.bureau_a)).await.expect(200).body["off_work_time"], "17:30");
    let draft = plan(&app, &w.admin_a1, w.school_a1, week("15:40", "17:50")).await;
    assert!(draft["breaches"].as_array().unwrap().is_empty());

    app.put(&settings, Some(&w.bureau_a), json!({ "off_work_time": "18:00" })).await.expect(200);
    let again = app
        .get(&format!("/api/v1/afterschool/plans/{}", draft["id"].as_str().unwrap()), Some(&w.admin_a1))
        .await
        .expect(200);
    let breaches = again.body["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 5);
    assert!(breaches.iter().all(|b| b["rule"] == "AS_END_TIME"));

    // Another district's officer, a school admin, and a malformed time.
    app.put(&settings, Some(&w.bureau_b), json!({ "off_work_time": "18:00" })).await.expect(404);
    app.put(&settings, Some(&w.admin_a1), json!({ "off_work_time": "18:00" })).await.expect(403);
    let bad = app.put(&settings, Some(&w.bureau_a), json!({ "off_work_time": "6pm" })).await.expect(422);
    assert_eq!(bad.body["details"]["field"], "off_work_time");
}

#[tokio::test]
async fn only_the_schools_admin_plans_and_adds_activities() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let path = format!("/api/v1/schools/{}/afterschool/plans", w.school_a1);
    let body = json!({ "term_start": "2026-09-01", "term_end": "2027-01-20", "sessions": week("15:40", "17:50") });
    app.post(&path, Some(&w.teacher_a1_head), body.clone()).await.expect(403);
    app.post(&path, Some(&w.admin_b1), body.clone()).await.expect(404);
    app.post(&path, Some(&w.g1), body.clone()).await.expect(404);
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let activities = format!("/api/v1/afterschool/plans/{plan_id}/activities");
    app.post(&activities, Some(&w.teacher_a1_head), activity_body("篮球", 20, "first_come")).await.expect(403);
    app.post(&activities, Some(&w.admin_a2), activity_body("篮球", 20, "first_come")).await.expect(404);
    app.get(&format!("/api/v1/afterschool/plans/{plan_id}"), Some(&w.admin_b1)).await.expect(404);
    app.get(&activities, Some(&w.g4)).await.expect(404);
    app.get(&activities, Some(&w.g1)).await.expect(200);

    // Outside the sessions, a minimum above capacity, a paid activity without its amount.
    let mut outside = activity_body("篮球", 20, "first_come");
    outside["start"] = json!("15:00");
    assert_eq!(app.post(&activities, Some(&w.admin_a1), outside).await.expect(422).body["details"]["field"], "start");
    let mut too_small = activity_body("篮球", 20, "first_come");
    too_small["min_size"] = json!(21);
    assert_eq!(
        app.post(&activities, Some(&w.admin_a1), too_small).await.expect(422).body["details"]["field"],
        "min_size"
    );
    let mut unpaid = activity_body("篮球", 20, "first_come");
    unpaid["fee"] = json!({ "kind": "collected" });
    assert_eq!(
        app.post(&activities, Some(&w.admin_a1), unpaid).await.expect(422).body["details"]["field"],
        "fee.amount_fen"
    );
}

#[tokio::test]
async fn as_no_new_lessons_refuses_an_activity_that_teaches_ahead_and_the_bureau_counts_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let activities = format!("/api/v1/afterschool/plans/{plan_id}/activities");
    let mut ahead = activity_body("数学提高班", 20, "first_come");
    ahead["description"] = json!("利用课后服务时间讲授新课，提前学习下一单元。");
    let refused = app.post(&activities, Some(&w.admin_a1), ahead).await.expect(422);
    assert_eq!(refused.code(), "as_no_new_lessons");
    let violations = refused.body["details"]["violations"].as_array().expect("violations");
    assert!(
        violations.iter().all(|v| v["field"] == "description" && v["rule"] == "AS_NO_NEW_LESSONS"),
        "{violations:?}"
    );
    assert!(violations.iter().any(|v| v["excerpt"] == "讲授新课"), "{violations:?}");
    // The English name is judged too; a negation passes; nothing refused was stored.
    let mut english = activity_body("Extra maths lessons for the whole class", 20, "first_come");
    english["description"] = json!("Get ahead on the syllabus.");
    assert_eq!(app.post(&activities, Some(&w.admin_a1), english).await.expect(422).code(), "as_no_new_lessons");
    let mut fine = activity_body("作业辅导", 20, "first_come");
    fine["description"] = json!("老师辅导当天作业、答疑，不讲新课。");
    app.post(&activities, Some(&w.admin_a1), fine).await.expect(201);
    let list = app.get(&activities, Some(&w.admin_a1)).await.expect(200);
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1);
    // A refused activity from someone who may not add one is a 403, not a content answer.
    let mut ahead = activity_body("数学提高班", 20, "first_come");
    ahead["description"] = json!("讲授新课。");
    app.post(&activities, Some(&w.teacher_a1_head), ahead).await.expect(403);

    let checked = app
        .post(
            "/api/v1/policy/check",
            Some(&w.admin_a1),
            json!({ "text": "集体授课，预习下一课", "channel": "activity", "audience": "group" }),
        )
        .await
        .expect(200);
    assert_eq!(checked.body["violations"][0]["rule"], "AS_NO_NEW_LESSONS");
    let counts =
        app.get(&format!("/api/v1/districts/{}/blocked-sends", w.district_a), Some(&w.bureau_a)).await.expect(200);
    let items = counts.body["items"].as_array().expect("items");
    let blocked: i64 = items
        .iter()
        .filter(|i| i["rule"] == "AS_NO_NEW_LESSONS" && i["channel"] == "activity" && i["outcome"] == "blocked")
        .map(|i| i["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(blocked, 2, "{items:?}");
}

/// A school of `n` children in grade 3 class 1, all children of one guardian (so one token can
/// race for them all), plus one child with two full guardians.
pub(crate) async fn crowded_school(app: &TestApp, w: &World, n: usize) -> (String, Vec<Uuid>, (String, String, Uuid)) {
    let mut csv = STUDENT_HEADER.to_owned();
    for i in 0..n {
        csv.push_str(&format!("R{i:03},学生{i},3,1,刘强,13900000001,,父亲,full,,,,,\n"));
    }
    csv.push_str("T001,双亲孩,3,1,孙红,13900000002,,母亲,full,孙刚,13900000003,,父亲,full\n");
    let (_, tokens) = world::import_and_activate(app, &w.admin_a1, w.school_a1, "students", &csv).await;
    let many = tokens["13900000001"].clone();
    let children: Vec<Uuid> = world::children(app, &many).await.into_iter().map(|(_, id)| id).collect();
    let (mum, dad) = (tokens["13900000002"].clone(), tokens["13900000003"].clone());
    let shared = world::children(app, &mum).await[0].1;
    let _ = PASSWORD;
    (many, children, (mum, dad, shared))
}

#[tokio::test]
async fn fifty_concurrent_takers_of_the_last_seat_leave_one_enrolled_and_the_rest_waitlisted() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 51).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let basketball = activity(&app, &w.admin_a1, plan_id, activity_body("篮球", 2, "first_come")).await;
    assert_eq!(enrol(&app, &many, basketball, children[0]).await.expect(201).body["status"], "enrolled");

    let racers = children[1..51].iter().map(|child| enrol(&app, &many, basketball, *child));
    let replies = futures_util::future::join_all(racers).await;
    let mut enrolled = 0;
    let mut waitlisted = 0;
    for reply in replies {
        let reply = reply.expect(201);
        match reply.body["status"].as_str() {
            Some("enrolled") => enrolled += 1,
            Some("waitlisted") => waitlisted += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((enrolled, waitlisted), (1, 49));
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, basketball).await, 2);
}

#[tokio::test]
async fn two_guardians_enrolling_one_child_at_once_get_one_enrolment_and_one_seat() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (_, _, (mum, dad, child)) = crowded_school(&app, &w, 1).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let chess = activity(&app, &w.admin_a1, plan_id, activity_body("围棋", 10, "first_come")).await;
    let (a, b) = tokio::join!(enrol(&app, &mum, chess, child), enrol(&app, &dad, chess, child));
    let mut statuses = vec![a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 201]);
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, chess).await, 1);
}

#[tokio::test]
async fn a_withdrawal_gives_the_seat_to_the_first_on_the_wait_list() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 3).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let art = activity(&app, &w.admin_a1, plan_id, activity_body("美术", 1, "first_come")).await;
    enrol(&app, &many, art, children[0]).await.expect(201);
    let second = enrol(&app, &many, art, children[1]).await.expect(201);
    assert_eq!(
        (second.body["status"].as_str(), second.body["waitlist_position"].as_u64()),
        (Some("waitlisted"), Some(0))
    );
    let third = enrol(&app, &many, art, children[2]).await.expect(201);
    assert_eq!(third.body["waitlist_position"], 1);
    // Enrolling again answers the same enrolment.
    let again = enrol(&app, &many, art, children[0]).await.expect(200);
    assert_eq!(again.body["status"], "enrolled");

    let left = app
        .delete(&format!("/api/v1/afterschool/activities/{art}/enrolments/{}", children[0]), Some(&many))
        .await
        .expect(200);
    assert_eq!(left.body["status"], "withdrawn");
    let view = app.get(&format!("/api/v1/children/{}/afterschool", children[1]), Some(&many)).await.expect(200);
    assert_eq!(view.body["activities"][0]["status"], "enrolled");
    // The promoted child is charged for the sessions left in the term (pro rata, less than all of it).
    let due = view.body["fees_due_fen"].as_i64().unwrap();
    assert!(0 < due && due < 30000, "{due}");
    assert_eq!(view.body["fees"][0]["entries"][0]["kind"], "charge");
    let third_view = app.get(&format!("/api/v1/children/{}/afterschool", children[2]), Some(&many)).await.expect(200);
    assert_eq!(third_view.body["activities"][0]["status"], "waitlisted");
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, art).await, 1);
}

#[tokio::test]
async fn lottery_activities_take_applications_with_ranks() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let robots = activity(&app, &w.admin_a1, plan_id, activity_body("机器人", 1, "lottery")).await;
    let reply = app
        .post(
            &format!("/api/v1/afterschool/activities/{robots}/enrolments"),
            Some(&w.g1),
            json!({ "student_id": w.s1, "rank": 1 }),
        )
        .await
        .expect(201);
    assert_eq!((reply.body["status"].as_str(), reply.body["rank"].as_u64()), (Some("applied"), Some(1)));
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, robots).await, 0);
}

#[tokio::test]
async fn the_lottery_draws_seats_by_the_published_seed_and_wait_lists_the_rest_in_lottery_order() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 8).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let robots = activity(&app, &w.admin_a1, plan_id, activity_body("机器人", 3, "lottery")).await;
    for child in &children {
        assert_eq!(enrol(&app, &many, robots, *child).await.expect(201).body["status"], "applied");
    }
    let draw = format!("/api/v1/afterschool/plans/{plan_id}/draw");
    app.post(&draw, Some(&w.teacher_a1_head), json!({})).await.expect(403);
    app.post(&draw, Some(&w.admin_a2), json!({})).await.expect(404);
    app.post(&draw, Some(&many), json!({})).await.expect(404);
    assert_eq!(
        app.post(&draw, Some(&w.admin_a1), json!({ "seed": " " })).await.expect(422).body["details"]["field"],
        "seed"
    );
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, robots).await, 0, "nothing drawn yet");

    let seed = "家长委员会 2026-09-01";
    let drawn = app.post(&draw, Some(&w.admin_a1), json!({ "seed": seed })).await.expect(200);
    assert_eq!(drawn.body["seed"], seed);
    assert!(drawn.body["algorithm"].as_str().unwrap_or("").contains("SHA-256"));
    assert_eq!((drawn.body["applications"].as_u64(), drawn.body["enrolled"].as_u64()), (Some(8), Some(3)));
    assert_eq!(drawn.body["waitlisted"], 5);
    assert_eq!(seats_taken(&app, &w.admin_a1, plan_id, robots).await, 3);
    // Each child's family is told in its inbox.
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&many)).await.expect(200);
    let told = inbox.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["title"].as_str().is_some_and(|t| t.starts_with("课后服务抽签结果")))
        .count();
    assert_eq!(told, 8);
    // Anyone can redo it: the seats went to the three lowest published lottery numbers.
    let mut order = children.clone();
    order.sort_by_key(|child| server::afterschool::lottery::number(seed, *child));
    for (place, child) in order.iter().enumerate() {
        let status = enrol(&app, &many, robots, *child).await.expect(200).body["status"].clone();
        assert_eq!(status, if place < 3 { "enrolled" } else { "waitlisted" }, "lottery place {place}");
    }
    // A second draw has nothing left to draw; a freed seat goes to the best number waiting.
    let again = app.post(&draw, Some(&w.admin_a1), json!({})).await.expect(200);
    assert_eq!((again.body["applications"].as_u64(), again.body["enrolled"].as_u64()), (Some(0), Some(0)));
    assert_eq!(again.body["seed"].as_str().map(str::len), Some(32), "a seed made by the server");
    app.delete(&format!("/api/v1/afterschool/activities/{robots}/enrolments/{}", order[0]), Some(&many))
        .await
        .expect(200);
    assert_eq!(enrol(&app, &many, robots, order[3]).await.expect(200).body["status"], "enrolled");
    assert_eq!(enrol(&app, &many, robots, order[4]).await.expect(200).body["status"], "waitlisted");
}

#[tokio::test]
async fn enrolment_is_refused_to_everyone_but_a_full_guardian_of_an_eligible_child() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let draft = plan(&app, &w.admin_a1, w.school_a1, week("15:40", "17:50")).await;
    let in_draft = activity(&app, &w.admin_a1, id(&draft["id"]), activity_body("草稿活动", 5, "first_come")).await;
    // Families see nothing of a draft.
    enrol(&app, &w.g1, in_draft, w.s1).await.expect(404);
    app.get(&format!("/api/v1/afterschool/plans/{}/activities", draft["id"].as_str().unwrap()), Some(&w.g1))
        .await
        .expect(404);

    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let football = activity(&app, &w.admin_a1, plan_id, activity_body("足球", 5, "first_come")).await;
    enrol(&app, &w.g2, football, w.s1).await.expect(404); // a pickup link
    enrol(&app, &w.g3, football, w.s2).await.expect(403); // informational
    enrol(&app, &w.g4, football, w.s4).await.expect(404); // another school's activity
    enrol(&app, &w.g1, football, w.s4).await.expect(404); // another family's child
    enrol(&app, &w.teacher_a1_head, football, w.s1).await.expect(404);
    enrol(&app, &w.g1, football, w.s3).await.expect(404); // S3 is at school A2

    let mut older = activity_body("初中辩论", 5, "first_come");
    older["grades"] = json!([5, 6]);
    older["weekdays"] = json!([2]);
    let debate = activity(&app, &w.admin_a1, plan_id, older).await;
    let refused = enrol(&app, &w.g1, debate, w.s1).await.expect(422);
    assert_eq!((refused.code(), refused.body["details"]["grade"].as_u64()), ("not_eligible", Some(3)));

    // At most one activity per time slot.
    enrol(&app, &w.g1, football, w.s1).await.expect(201);
    let clash = activity(&app, &w.admin_a1, plan_id, activity_body("篮球", 5, "first_come")).await;
    let refused = enrol(&app, &w.g1, clash, w.s1).await.expect(409);
    assert_eq!(refused.code(), "time_slot_taken");
    assert_eq!(id(&refused.body["details"]["activity_id"]), football);
    app.delete(&format!("/api/v1/afterschool/activities/{football}/enrolments/{}", w.s1), Some(&w.g2))
        .await
        .expect(404);
}

#[tokio::test]
async fn the_basic_session_is_voluntary_and_a_change_applies_from_next_monday() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let basic = format!("/api/v1/children/{}/afterschool/basic", w.s1);
    let refused = app.put(&basic, Some(&w.g1), json!({ "opted_in": true })).await.expect(409);
    assert_eq!(refused.code(), "plan_not_published");
    published_plan(&app, &w.admin_a1, w.school_a1).await;

    // The test clock is Monday 2026-11-23: the choice applies from 2026-11-30.
    let chosen = app.put(&basic, Some(&w.g1), json!({ "opted_in": true, "weekdays": [1, 2, 4] })).await.expect(200);
    assert_eq!(chosen.body, json!({ "opted_in": true, "weekdays": [1, 2, 4], "effective_from": "2026-11-30" }));
    let view = app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g1)).await.expect(200);
    assert!(view.body["basic"].is_null());
    assert_eq!(view.body["basic_next"]["weekdays"], json!([1, 2, 4]));
    assert_eq!(view.body["sessions"].as_array().unwrap().len(), 5);
    let pickup: Vec<(&str, &str)> = view.body["pickup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["access_level"].as_str().unwrap()))
        .collect();
    assert!(pickup.contains(&("张伟", "full")) && pickup.contains(&("李阿姨", "pickup")), "{pickup:?}");

    // Changing again the same week replaces the pending choice.
    let all_week = app.put(&basic, Some(&w.g1), json!({ "opted_in": true })).await.expect(200);
    assert_eq!(all_week.body["weekdays"], json!([1, 2, 3, 4, 5]));

    app.put(&basic, Some(&w.g2), json!({ "opted_in": false })).await.expect(404);
    app.put(&format!("/api/v1/children/{}/afterschool/basic", w.s2), Some(&w.g3), json!({ "opted_in": false }))
        .await
        .expect(403);
    app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g4)).await.expect(404);
    let bad = app.put(&basic, Some(&w.g1), json!({ "opted_in": true, "weekdays": [6] })).await.expect(422);
    assert_eq!(bad.body["details"]["field"], "weekdays");
}

async fn account_id(app: &TestApp, token: &str) -> Uuid {
    id(&app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"])
}

/// A published plan with one Monday/Wednesday activity run by `teacher_a1_head`, with S1 enrolled.
async fn running_activity(app: &TestApp, w: &World) -> Uuid {
    let plan_id = published_plan(app, &w.admin_a1, w.school_a1).await;
    let mut body = activity_body("足球", 20, "first_come");
    body["in_charge_account_id"] = json!(account_id(app, &w.teacher_a1_head).await);
    let football = activity(app, &w.admin_a1, plan_id, body).await;
    enrol(app, &w.g1, football, w.s1).await.expect(201);
    football
}

#[tokio::test]
async fn an_absence_without_leave_alerts_the_full_guardians_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let football = running_activity(&app, &w).await;
    let roll = format!("/api/v1/afterschool/activities/{football}/roll");
    // The test clock is Monday 2026-11-23.
    let absent = json!({ "date": "2026-11-23", "entries": [{ "student_id": w.s1, "status": "absent" }] });
    app.post(&roll, Some(&w.teacher_a1_other), absent.clone()).await.expect(403);
    app.post(&roll, Some(&w.g1), absent.clone()).await.expect(404);
    app.post(&roll, Some(&w.admin_b1), absent.clone()).await.expect(404);

    let summary = app.post(&roll, Some(&w.teacher_a1_head), absent.clone()).await.expect(200);
    assert_eq!((summary.body["absent"].as_u64(), summary.body["alerted"].as_u64()), (Some(1), Some(1)));
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    let alert =
        inbox.body["items"].as_array().unwrap().iter().find(|i| i["kind"] == "afterschool").expect("alert").clone();
    assert_eq!(alert["urgent"], true);
    assert!(alert["title"].as_str().unwrap().contains("张小一"), "{alert}");
    // The pickup-only adult is not a full guardian: no alert.
    let pickup_inbox = app.get("/api/v1/inbox", Some(&w.g2)).await.expect(200);
    assert!(pickup_inbox.body["items"].as_array().unwrap().iter().all(|i| i["kind"] != "afterschool"));

    // A corrected roll the same day alerts nobody again.
    let again = app.post(&roll, Some(&w.teacher_a1_head), absent).await.expect(200);
    assert_eq!(again.body["alerted"], 0);

    // Not a meeting day (Tuesday), a day to come, a child not enrolled.
    let tuesday = json!({ "date": "2026-11-24", "entries": [] });
    assert_eq!(app.post(&roll, Some(&w.teacher_a1_head), tuesday).await.expect(422).body["details"]["field"], "date");
    let stranger = json!({ "date": "2026-11-23", "entries": [{ "student_id": w.s2, "status": "present" }] });
    let refused = app.post(&roll, Some(&w.teacher_a1_head), stranger).await.expect(422);
    assert_eq!(id(&refused.body["details"]["student_id"]), w.s2);
}

#[tokio::test]
async fn leave_reported_ahead_turns_an_absence_into_leave_without_an_alert() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let football = running_activity(&app, &w).await;
    let leave = format!("/api/v1/children/{}/afterschool/leave", w.s1);
    app.put(&leave, Some(&w.g2), json!({ "date": "2026-11-23", "reason": "看牙" })).await.expect(404);
    app.put(&leave, Some(&w.g1), json!({ "date": "2026-11-20", "reason": "看牙" })).await.expect(422);
    app.put(&leave, Some(&w.g1), json!({ "date": "2026-11-23", "reason": "看牙" })).await.expect(200);
    let roll = json!({ "date": "2026-11-23", "entries": [{ "student_id": w.s1, "status": "absent" }] });
    let summary = app
        .post(&format!("/api/v1/afterschool/activities/{football}/roll"), Some(&w.teacher_a1_head), roll)
        .await
        .expect(200);
    assert_eq!(
        (summary.body["absent"].as_u64(), summary.body["leave"].as_u64(), summary.body["alerted"].as_u64()),
        (Some(0), Some(1), Some(0))
    );
    assert_eq!(summary.body["not_marked"], json!([]));
}

#[tokio::test]
async fn a_child_is_released_only_to_an_adult_on_the_pickup_list() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let football = running_activity(&app, &w).await;
    let sign_outs = format!("/api/v1/afterschool/activities/{football}/sign-outs");
    let codes = format!("/api/v1/children/{}/afterschool/pickup-codes", w.s1);

    // Nobody outside the family gets a code; a wrong code and an unconsented walk home are refused.
    app.post(&codes, Some(&w.g4), json!({})).await.expect(404);
    app.post(&codes, Some(&w.teacher_a1_head), json!({})).await.expect(404);
    let wrong = app
        .post(&sign_outs, Some(&w.teacher_a1_head), json!({ "student_id": w.s1, "pickup_code": "000000x" }))
        .await
        .expect(403);
    assert_eq!(wrong.code(), "pickup_not_authorised");
    let alone = app
        .post(&sign_outs, Some(&w.teacher_a1_head), json!({ "student_id": w.s1, "walk_alone": true }))
        .await
        .expect(403);
    assert_eq!(alone.code(), "pickup_not_authorised");
    app.post(&sign_outs, Some(&w.teacher_a1_head), json!({ "student_id": w.s1 })).await.expect(422);

    // The pickup-only adult (李阿姨) shows her code: released to her, once.
    let code = app.post(&codes, Some(&w.g2), json!({})).await.expect(200);
    let same = app.post(&codes, Some(&w.g2), json!({})).await.expect(200);
    assert_eq!(code.body["code"], same.body["code"]);
    let theirs = app.post(&codes, Some(&w.g1), json!({})).await.expect(200);
    assert_ne!(code.body["code"], theirs.body["code"]);
    app.post(&sign_outs, Some(&w.teacher_a1_other), json!({ "student_id": w.s1, "pickup_code": code.body["code"] }))
        .await
        .expect(403);
    let released = app
        .post(&sign_outs, Some(&w.teacher_a1_head), json!({ "student_id": w.s1, "pickup_code": code.body["code"] }))
        .await
        .expect(201);
    assert_eq!(
        (released.body["released_to"].as_str(), released.body["adult_name"].as_str()),
        (Some("guardian"), Some("李阿姨"))
    );
    let twice = app
        .post(&sign_outs, Some(&w.teacher_a1_head), json!({ "student_id": w.s1, "pickup_code": theirs.body["code"] }))
        .await
        .expect(409);
    assert_eq!((twice.code(), twice.body["details"]["adult_name"].as_str()), ("already_signed_out", Some("李阿姨")));
}

#[tokio::test]
async fn a_delegate_named_for_the_day_and_a_consented_walk_home_release_a_child() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 2).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let art = activity(&app, &w.admin_a1, plan_id, activity_body("美术", 5, "first_come")).await;
    enrol(&app, &many, art, children[0]).await.expect(201);
    enrol(&app, &many, art, children[1]).await.expect(201);
    let sign_outs = format!("/api/v1/afterschool/activities/{art}/sign-outs");

    let delegates = format!("/api/v1/children/{}/afterschool/delegates", children[0]);
    app.post(&delegates, Some(&w.g1), json!({ "date": "2026-11-23", "name": "邻居王阿姨", "phone": "13911112222" }))
        .await
        .expect(404);
    let bad = app
        .post(&delegates, Some(&many), json!({ "date": "2026-11-23", "name": "邻居王阿姨", "phone": "12345" }))
        .await
        .expect(422);
    assert_eq!(bad.body["details"]["field"], "phone");
    let code = app
        .post(&delegates, Some(&many), json!({ "date": "2026-11-23", "name": "邻居王阿姨", "phone": "13911112222" }))
        .await
        .expect(201);
    // The delegate's code is for that child only.
    app.post(&sign_outs, Some(&w.admin_a1), json!({ "student_id": children[1], "pickup_code": code.body["code"] }))
        .await
        .expect(403);
    let released = app
        .post(&sign_outs, Some(&w.admin_a1), json!({ "student_id": children[0], "pickup_code": code.body["code"] }))
        .await
        .expect(201);
    assert_eq!(
        (released.body["released_to"].as_str(), released.body["adult_name"].as_str()),
        (Some("delegate"), Some("邻居王阿姨"))
    );

    let consent = format!("/api/v1/children/{}/afterschool/walk-alone", children[1]);
    app.put(&consent, Some(&w.g2), json!({ "consent": true })).await.expect(404);
    app.put(&consent, Some(&many), json!({ "consent": true })).await.expect(200);
    let alone = app
        .post(&sign_outs, Some(&w.admin_a1), json!({ "student_id": children[1], "walk_alone": true }))
        .await
        .expect(201);
    assert_eq!(
        (alone.body["released_to"].as_str(), alone.body["verified_by"].as_str()),
        (Some("alone"), Some("walk_alone_consent"))
    );
}

fn institution_body(name: &str, white_list_id: Option<Uuid>) -> Value {
    let mut body = activity_body(name, 20, "first_come");
    body["provider"] = json!({ "kind": "institution", "white_list_id": white_list_id });
    body
}

#[tokio::test]
async fn as_providers_an_institution_runs_activities_only_while_its_district_lists_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let today = app.clock_now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let providers = format!("/api/v1/districts/{}/afterschool/providers", w.district_a);
    let listed = app
        .post(
            &providers,
            Some(&w.bureau_a),
            json!({ "name": "青少年科技中心", "credit_code": "91310000MA1FL0000X", "valid_from": day(-30), "valid_until": day(300) }),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(listed["standing"], "listed");
    let lapsed = app
        .post(
            &providers,
            Some(&w.bureau_a),
            json!({ "name": "旧机构", "valid_from": day(-300), "valid_until": day(-1) }),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(lapsed["standing"], "expired");
    // One institution, one entry: listing the same name again points at the entry to renew.
    let again = app
        .post(
            &providers,
            Some(&w.bureau_a),
            json!({ "name": "青少年科技中心", "valid_from": day(0), "valid_until": day(9) }),
        )
        .await
        .expect(409);
    assert_eq!(again.body["details"]["id"], listed["id"]);

    // The school admin reads the list and names an entry; nothing else will do.
    let seen = app.get(&providers, Some(&w.admin_a1)).await.expect(200);
    assert_eq!(seen.body["items"].as_array().unwrap().len(), 2);
    let adding = format!("/api/v1/afterschool/plans/{plan_id}/activities");
    let unnamed = app.post(&adding, Some(&w.admin_a1), institution_body("机器人", None)).await.expect(422);
    assert_eq!((unnamed.code(), &unnamed.body["details"]["standing"]), ("as_providers", &json!("not_listed")));
    let expired =
        app.post(&adding, Some(&w.admin_a1), institution_body("机器人", Some(id(&lapsed["id"])))).await.expect(422);
    assert_eq!(expired.body["details"]["standing"], "expired");
    let made = app
        .post(&adding, Some(&w.admin_a1), institution_body("机器人", Some(id(&listed["id"]))))
        .await
        .expect(201)
        .body;
    assert_eq!(made["provider"]["name"], "青少年科技中心");
    assert_eq!(made["provider_standing"], "listed");
    // Another district's entry is not this school's to name.
    let elsewhere = app
        .post(
            &format!("/api/v1/districts/{}/afterschool/providers", w.district_b),
            Some(&w.bureau_b),
            json!({ "name": "外区机构", "valid_from": day(-1), "valid_until": day(30) }),
        )
        .await
        .expect(201)
        .body;
    let foreign =
        app.post(&adding, Some(&w.admin_a1), institution_body("外区", Some(id(&elsewhere["id"])))).await.expect(422);
    assert_eq!(foreign.body["details"]["standing"], "not_listed");

    // Renewal moves the dates; removal flags the activity and tells the school's admins.
    let entry = format!("{providers}/{}", listed["id"].as_str().unwrap());
    let renewed = app
        .put(&entry, Some(&w.bureau_a), json!({ "valid_from": day(-30), "valid_until": day(600) }))
        .await
        .expect(200);
    assert_eq!(renewed.body["valid_until"], day(600));
    assert_eq!(renewed.body["activities"], 1);
    let removed = app.delete(&entry, Some(&w.bureau_a)).await.expect(200);
    assert_eq!(removed.body["standing"], "removed");
    let list = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(&w.admin_a1)).await.expect(200);
    let flagged = list.body["items"].as_array().unwrap().iter().find(|a| a["id"] == made["id"]).unwrap().clone();
    assert_eq!(flagged["provider_standing"], "removed");
    let inbox = app.get("/api/v1/inbox", Some(&w.admin_a1)).await.expect(200);
    let told =
        inbox.body["items"].as_array().unwrap().iter().find(|i| i["kind"] == "afterschool").expect("told").clone();
    assert!(told["title"].as_str().unwrap().contains("青少年科技中心"), "{told}");
    assert!(told["preview"].as_str().unwrap().contains("「机器人」"), "{told}");
    let renew_removed =
        app.put(&entry, Some(&w.bureau_a), json!({ "valid_from": day(0), "valid_until": day(9) })).await.expect(409);
    assert_eq!(renew_removed.code(), "provider_removed");
    let after = app.post(&adding, Some(&w.admin_a1), institution_body("机器人二", Some(id(&listed["id"])))).await;
    assert_eq!(after.expect(422).body["details"]["standing"], "removed");
}

#[tokio::test]
async fn only_the_districts_officers_keep_its_white_list_and_only_its_people_read_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let providers = format!("/api/v1/districts/{}/afterschool/providers", w.district_a);
    let body = json!({ "name": "某机构", "valid_from": "2026-09-01", "valid_until": "2027-08-31" });
    assert_eq!(app.post(&providers, Some(&w.admin_a1), body.clone()).await.expect(403).code(), "forbidden");
    assert_eq!(app.post(&providers, Some(&w.g1), body.clone()).await.expect(403).code(), "forbidden");
    app.post(&providers, Some(&w.bureau_b), body.clone()).await.expect(404);
    let entry = app.post(&providers, Some(&w.bureau_a), body).await.expect(201).body;
    let path = format!("{providers}/{}", entry["id"].as_str().unwrap());
    app.delete(&path, Some(&w.bureau_b)).await.expect(404);
    app.delete(&path, Some(&w.admin_a1)).await.expect(403);
    // Another district's officer, another district's admin, teachers and families do not read it.
    for token in [&w.bureau_b, &w.admin_b1, &w.teacher_a1_head, &w.g1] {
        app.get(&providers, Some(token)).await.expect(404);
    }
    app.get(&providers, Some(&w.admin_a2)).await.expect(200);
    // Dates in the wrong order, and a malformed credit code, are refused by field.
    let bad = app
        .post(
            &providers,
            Some(&w.bureau_a),
            json!({ "name": "另一机构", "valid_from": "2027-01-01", "valid_until": "2026-01-01" }),
        )
        .await
        .expect(422);
    assert_eq!(bad.body["details"]["field"], "valid_until");
    let code = app
        .post(
            &providers,
            Some(&w.bureau_a),
            json!({ "name": "另一机构", "credit_code": "abc", "valid_from": "2026-01-01", "valid_until": "2027-01-01" }),
        )
        .await
        .expect(422);
    assert_eq!(code.body["details"]["field"], "credit_code");
}

/// Mondays and Wednesdays from `from` to `to`, both included (counted here, not by the server).
fn mon_wed(from: chrono::NaiveDate, to: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| matches!(d.weekday(), chrono::Weekday::Mon | chrono::Weekday::Wed))
        .count() as i64
}

async fn fee_account(app: &TestApp, token: &str, student: Uuid, activity: Uuid) -> Value {
    let child = app.get(&format!("/api/v1/children/{student}/afterschool"), Some(token)).await.expect(200).body;
    let account = child["fees"].as_array().expect("fees").iter().find(|f| id(&f["activity_id"]) == activity).cloned();
    let account = account.unwrap_or_else(|| panic!("no account in {child}"));
    assert_eq!(child["fees_due_fen"], account["owed_fen"], "one paid activity: the total is its account");
    assert_eq!(child["refund_due_fen"], account["refund_due_fen"]);
    account
}

#[tokio::test]
async fn as_fees_a_family_sees_what_it_owes_and_why_and_a_withdrawal_credits_the_sessions_not_held() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    // ¥300 a term, Mondays and Wednesdays; the clock stands on a Monday in the middle of the term.
    let club = activity(&app, &w.admin_a1, plan_id, activity_body("篮球", 20, "first_come")).await;
    let today = app.clock_now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
    let (start, end) =
        (chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap());
    // 16:00 at the school: today's 16:00 session has begun, so the sessions ahead start on Wednesday.
    let (total, ahead) = (mon_wed(start, end), mon_wed(today + chrono::Duration::days(1), end));
    assert!(0 < ahead && ahead < total);
    let charged = (30_000 * ahead * 2 + total) / (total * 2);

    enrol(&app, &w.g1, club, w.s1).await.expect(201);
    let account = fee_account(&app, &w.g1, w.s1, club).await;
    assert_eq!((account["charged_fen"].as_i64(), account["owed_fen"].as_i64()), (Some(charged), Some(charged)));
    let line = &account["entries"][0];
    assert_eq!((line["kind"].as_str(), line["sessions"].as_i64()), (Some("charge"), Some(ahead)));
    assert!(line["reason"].as_str().unwrap().contains(&format!("{ahead}/{total}")), "{line}");

    // The school marks the payment: never more than is owed.
    let mark = format!("/api/v1/afterschool/activities/{club}/fees/{}", w.s1);
    let too_much = app.post(&mark, Some(&w.admin_a1), json!({ "kind": "payment", "amount_fen": charged + 1 })).await;
    assert_eq!(too_much.expect(422).body["details"]["field"], "amount_fen");
    let paid = app
        .post(&mark, Some(&w.admin_a1), json!({ "kind": "payment", "amount_fen": charged, "note": "收据 0042" }))
        .await
        .expect(200);
    assert_eq!((paid.body["owed_fen"].as_i64(), paid.body["paid_fen"].as_i64()), (Some(0), Some(charged)));

    // Withdrawal the same evening: every charged session is still ahead and comes back (the pro-rata
    // arithmetic for a later withdrawal is the refund rule's unit test).
    app.delete(&format!("/api/v1/afterschool/activities/{club}/enrolments/{}", w.s1), Some(&w.g1)).await.expect(200);
    let not_held = ahead;
    let credit = charged;
    let account = fee_account(&app, &w.g1, w.s1, club).await;
    assert_eq!(account["credited_fen"].as_i64(), Some(credit));
    assert_eq!((account["owed_fen"].as_i64(), account["refund_due_fen"].as_i64()), (Some(0), Some(credit)));
    assert_eq!(account["entries"][2]["kind"], "credit");
    assert_eq!(account["entries"][2]["sessions"].as_i64(), Some(not_held));
    app.post(&mark, Some(&w.admin_a1), json!({ "kind": "refund", "amount_fen": credit + 1 })).await.expect(422);
    let settled =
        app.post(&mark, Some(&w.admin_a1), json!({ "kind": "refund", "amount_fen": credit })).await.expect(200);
    assert_eq!((settled.body["owed_fen"].as_i64(), settled.body["refund_due_fen"].as_i64()), (Some(0), Some(0)));

    // A waiver (减免) set before the seat comes off the charge at once, with its reason.
    let waiver = format!("/api/v1/afterschool/plans/{plan_id}/fee-waivers/{}", w.s2);
    assert_eq!(
        app.put(&waiver, Some(&w.admin_a1), json!({ "percent": 50 })).await.expect(422).body["details"]["field"],
        "reason"
    );
    app.put(&waiver, Some(&w.admin_a1), json!({ "percent": 50, "reason": "低保家庭" })).await.expect(200);
    enrol(&app, &w.g1, club, w.s2).await.expect(201);
    let account = fee_account(&app, &w.g1, w.s2, club).await;
    let waived = (charged * 50 + 99) / 100;
    assert_eq!(account["waived_fen"].as_i64(), Some(waived));
    assert_eq!(account["owed_fen"].as_i64(), Some(charged - waived));
    assert!(account["entries"][1]["reason"].as_str().unwrap().contains("低保家庭"));
    // Raised to all of it: the seat held now is adjusted by the difference.
    app.put(&waiver, Some(&w.admin_a1), json!({ "percent": 100, "reason": "低保家庭" })).await.expect(200);
    assert_eq!(fee_account(&app, &w.g1, w.s2, club).await["owed_fen"].as_i64(), Some(0));

    // The school's list sums every account.
    let list = app.get(&format!("/api/v1/afterschool/activities/{club}/fees"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["charged_fen"].as_i64(), Some(2 * charged));
    assert_eq!(list.body["paid_fen"].as_i64(), Some(charged));
    assert_eq!(list.body["refunded_fen"].as_i64(), Some(credit));
    assert_eq!(list.body["owed_fen"].as_i64(), Some(0));
}

#[tokio::test]
async fn only_the_schools_admins_keep_the_fee_ledger() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let club = activity(&app, &w.admin_a1, plan_id, activity_body("篮球", 20, "first_come")).await;
    enrol(&app, &w.g1, club, w.s1).await.expect(201);
    let fees = format!("/api/v1/afterschool/activities/{club}/fees");
    let mark = format!("{fees}/{}", w.s1);
    let pay = json!({ "kind": "payment", "amount_fen": 100 });
    app.get(&fees, Some(&w.teacher_a1_head)).await.expect(403);
    app.post(&mark, Some(&w.teacher_a1_head), pay.clone()).await.expect(403);
    for token in [&w.g1, &w.admin_a2, &w.admin_b1, &w.bureau_a] {
        app.get(&fees, Some(token)).await.expect(404);
        app.post(&mark, Some(token), pay.clone()).await.expect(404);
    }
    // No account, no payment: a child of the school who never took a seat.
    app.post(&format!("{fees}/{}", w.s2), Some(&w.admin_a1), pay).await.expect(404);
    // A waiver is for a pupil of the plan's school, set by its admin.
    let waiver = |student: Uuid| format!("/api/v1/afterschool/plans/{plan_id}/fee-waivers/{student}");
    let body = json!({ "percent": 20, "reason": "困难家庭" });
    app.put(&waiver(w.s4), Some(&w.admin_a1), body.clone()).await.expect(404);
    app.put(&waiver(w.s1), Some(&w.teacher_a1_head), body.clone()).await.expect(403);
    app.put(&waiver(w.s1), Some(&w.g1), body.clone()).await.expect(404);
    // The family reads its account; the pickup-only guardian does not.
    app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g2)).await.expect(404);
}

#[tokio::test]
async fn the_enrolment_window_draws_cancels_small_activities_opens_add_drop_and_locks() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let lottery = activity(&app, &w.admin_a1, plan_id, activity_body("机器人", 20, "lottery")).await;
    let mut small = activity_body("围棋", 20, "first_come");
    small["weekdays"] = json!([2]);
    small["min_size"] = json!(2);
    let small = activity(&app, &w.admin_a1, plan_id, small).await;
    let now = app.clock_now();
    // Steps of four minutes: the whole story fits in the sign-ins' 15-minute access tokens.
    let step = |n: i64| (now + chrono::Duration::minutes(4 * n)).to_rfc3339();
    let window = format!("/api/v1/afterschool/plans/{plan_id}/enrolment-window");

    // Not open yet: nobody enrols.
    let set = app
        .put(
            &window,
            Some(&w.admin_a1),
            json!({ "opens_at": step(1), "closes_at": step(2), "add_drop_closes_at": step(3) }),
        )
        .await
        .expect(200);
    assert_eq!(set.body["enrolment"]["phase"], "not_open");
    let early = enrol(&app, &w.g1, small, w.s1).await.expect(409);
    assert_eq!(
        (early.code(), &early.body["details"]["opens_at"]),
        ("enrolment_not_open", &set.body["enrolment"]["opens_at"])
    );

    // The first round: a seat in the small club, an application for the lottery.
    app.clock.advance(chrono::Duration::minutes(4));
    assert_eq!(enrol(&app, &w.g1, small, w.s1).await.expect(201).body["status"], "enrolled");
    assert_eq!(enrol(&app, &w.g1, lottery, w.s2).await.expect(201).body["status"], "applied");

    // The close: the draw gives the application its seat; the club (1 of at least 2) is cancelled.
    app.clock.advance(chrono::Duration::minutes(4));
    assert_eq!(enrol(&app, &w.g1, lottery, w.s1).await.expect(409).code(), "enrolment_not_open", "the draw first");
    assert_eq!(app.run_jobs().await.enrolment_rounds_closed, 1);
    assert_eq!(app.run_jobs().await.enrolment_rounds_closed, 0, "once");
    let s2 = app.get(&format!("/api/v1/children/{}/afterschool", w.s2), Some(&w.g1)).await.expect(200).body;
    assert_eq!(s2["activities"][0]["status"], "enrolled");
    let s1 = app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g1)).await.expect(200).body;
    assert!(s1["activities"].as_array().unwrap().is_empty(), "{s1}");
    assert_eq!(s1["fees_due_fen"], 0, "a cancelled activity costs nothing");
    assert_eq!(s1["fees"][0]["entries"][1]["kind"], "credit");
    assert_eq!(s1["fees"][0]["credited_fen"], s1["fees"][0]["charged_fen"]);
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&w.g1)).await.expect(200).body;
    let cancelled = inbox["items"].as_array().unwrap().iter().find(|i| i["title"].as_str().unwrap().contains("围棋"));
    assert!(cancelled.is_some(), "{inbox}");
    let plan = app.get(&format!("/api/v1/afterschool/plans/{plan_id}"), Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(plan["enrolment"]["phase"], "add_drop");
    assert!(plan["enrolment"]["closed_at"].is_string());
    assert_eq!(enrol(&app, &w.g1, small, w.s1).await.expect(409).code(), "activity_cancelled");

    // Add/drop: the lottery activity's seats left go first-come.
    assert_eq!(enrol(&app, &w.g1, lottery, w.s1).await.expect(201).body["status"], "enrolled");
    app.put(&window, Some(&w.admin_a1), json!({ "opens_at": step(5), "closes_at": step(6) })).await.expect(409);

    // Locked: no new enrolment; leaving stays possible (the service is voluntary).
    app.clock.advance(chrono::Duration::minutes(4));
    let again = enrol(&app, &w.g1, lottery, w.s2).await.expect(200);
    assert_eq!(again.body["status"], "enrolled", "an existing enrolment is still answered");
    app.delete(&format!("/api/v1/afterschool/activities/{lottery}/enrolments/{}", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(enrol(&app, &w.g1, lottery, w.s1).await.expect(409).code(), "enrolment_closed");
}

#[tokio::test]
async fn only_the_schools_admin_sets_a_sensible_enrolment_window() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let window = format!("/api/v1/afterschool/plans/{plan_id}/enrolment-window");
    let now = app.clock_now();
    let hours = |h: i64| (now + chrono::Duration::hours(h)).to_rfc3339();
    let body = json!({ "opens_at": hours(1), "closes_at": hours(2) });
    app.put(&window, Some(&w.teacher_a1_head), body.clone()).await.expect(403);
    for token in [&w.admin_a2, &w.g1, &w.bureau_a] {
        app.put(&window, Some(token), body.clone()).await.expect(404);
    }
    let backwards = app.put(&window, Some(&w.admin_a1), json!({ "opens_at": hours(2), "closes_at": hours(1) })).await;
    assert_eq!(backwards.expect(422).body["details"]["field"], "closes_at");
    let add_drop = json!({ "opens_at": hours(1), "closes_at": hours(3), "add_drop_closes_at": hours(2) });
    assert_eq!(
        app.put(&window, Some(&w.admin_a1), add_drop).await.expect(422).body["details"]["field"],
        "add_drop_closes_at"
    );
    for bad in [0, 169] {
        let offer = json!({ "opens_at": hours(1), "closes_at": hours(2), "decline_hours": bad });
        assert_eq!(
            app.put(&window, Some(&w.admin_a1), offer).await.expect(422).body["details"]["field"],
            "decline_hours"
        );
    }
    let after_term = json!({ "opens_at": hours(1), "closes_at": "2027-03-01T00:00:00Z" });
    assert_eq!(app.put(&window, Some(&w.admin_a1), after_term).await.expect(422).body["details"]["field"], "closes_at");
    // Without a window the plan is open, as before.
    let plan = app.get(&format!("/api/v1/afterschool/plans/{plan_id}"), Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(plan["enrolment"]["phase"], "open");
}

#[tokio::test]
async fn as_extended_care_a_family_applies_with_a_reason_and_the_school_answers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Extended care Monday to Thursday until 19:00; none on Friday.
    let mut sessions = week("15:40", "17:50");
    sessions.extend((1..=4).map(|d| json!({ "weekday": d, "kind": "extended", "start": "17:50", "end": "19:00" })));
    let plan_id = id(&plan(&app, &w.admin_a1, w.school_a1, sessions).await["id"]);
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(&w.admin_a1), json!({})).await.expect(200);
    let apply = format!("/api/v1/children/{}/afterschool/extended-care", w.s1);

    let friday = app.post(&apply, Some(&w.g1), json!({ "reason": "父母均加班", "weekdays": [4, 5] })).await.expect(422);
    assert_eq!((friday.code(), &friday.body["details"]["weekdays"]), ("as_extended_care", &json!([4, 5])));
    app.post(&apply, Some(&w.g1), json!({ "reason": "父母均加班" })).await.expect(422);
    app.post(&apply, Some(&w.g1), json!({ "reason": " ", "weekdays": [1] })).await.expect(422);
    app.post(&apply, Some(&w.g2), json!({ "reason": "接送人", "weekdays": [1] })).await.expect(404);
    let applied =
        app.post(&apply, Some(&w.g1), json!({ "reason": "父母均加班", "weekdays": [1, 2, 3, 4] })).await.expect(201);
    assert_eq!(applied.body["status"], "applied");

    let list = format!("/api/v1/afterschool/plans/{plan_id}/extended-care");
    let pending = app.get(&list, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(pending["items"][0]["reason"], "父母均加班");
    assert_eq!(pending["items"][0]["weekdays"], json!([1, 2, 3, 4]));
    app.get(&list, Some(&w.teacher_a1_head)).await.expect(403);
    app.get(&list, Some(&w.g1)).await.expect(404);

    let decide = format!("/api/v1/afterschool/plans/{plan_id}/extended-care/{}/decision", w.s1);
    app.post(&decide, Some(&w.admin_a1), json!({ "approve": false })).await.expect(422);
    app.post(&decide, Some(&w.teacher_a1_head), json!({ "approve": true })).await.expect(403);
    app.post(&decide, Some(&w.admin_a2), json!({ "approve": true })).await.expect(404);
    let declined = app
        .post(&decide, Some(&w.admin_a1), json!({ "approve": false, "reason": "请先提供单位证明" }))
        .await
        .expect(200);
    assert_eq!(declined.body["status"], "declined");
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&w.g1)).await.expect(200).body;
    let told = inbox["items"].as_array().unwrap().iter().find(|i| i["title"].as_str().unwrap().contains("延时托管"));
    assert!(told.is_some_and(|t| t["preview"].as_str().unwrap().contains("未获批准")), "{inbox}");

    // Applying again puts it back before the school, which approves it.
    let again = app.post(&apply, Some(&w.g1), json!({ "reason": "附单位证明", "weekdays": [1, 3] })).await.expect(200);
    assert_eq!(again.body["status"], "applied");
    app.post(&decide, Some(&w.admin_a1), json!({ "approve": true })).await.expect(200);
    let child = app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g1)).await.expect(200).body;
    assert_eq!(child["extended_care"]["status"], "approved");
    assert_eq!(child["extended_care"]["weekdays"], json!([1, 3]));
    let kept = app.post(&apply, Some(&w.g1), json!({ "reason": "再次申请", "weekdays": [2] })).await.expect(200);
    assert_eq!((kept.body["status"].as_str(), &kept.body["weekdays"]), (Some("approved"), &json!([1, 3])));

    // Withdrawn: nothing left for the school to decide.
    app.delete(&apply, Some(&w.g2)).await.expect(404);
    assert_eq!(app.delete(&apply, Some(&w.g1)).await.expect(200).body["status"], "withdrawn");
    app.post(&decide, Some(&w.admin_a1), json!({ "approve": true })).await.expect(404);
}

#[tokio::test]
async fn a_child_present_and_not_signed_out_after_the_session_is_escalated_to_the_school_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let football = running_activity(&app, &w).await; // Mondays and Wednesdays, 16:00-17:30
    let roll = format!("/api/v1/afterschool/activities/{football}/roll");
    let present = |date: &str| json!({ "date": date, "entries": [{ "student_id": w.s1, "status": "present" }] });
    app.put(&format!("/api/v1/children/{}/afterschool/walk-alone", w.s1), Some(&w.g1), json!({ "consent": true }))
        .await
        .expect(200);
    // Last Monday: present, never signed out. Last Wednesday: present and walked home. Today
    // (Monday 16:00 at the school): present, the session still running.
    for date in ["2026-11-16", "2026-11-18", "2026-11-23"] {
        app.post(&roll, Some(&w.teacher_a1_head), present(date)).await.expect(200);
    }
    app.post(
        &format!("/api/v1/afterschool/activities/{football}/sign-outs"),
        Some(&w.teacher_a1_head),
        json!({ "student_id": w.s1, "date": "2026-11-18", "walk_alone": true }),
    )
    .await
    .expect(201);

    assert_eq!(app.run_jobs().await.children_not_signed_out, 1);
    assert_eq!(app.run_jobs().await.children_not_signed_out, 0, "told once");
    for token in [&w.admin_a1, &w.teacher_a1_head] {
        let inbox = app.get("/api/v1/inbox?limit=50", Some(token)).await.expect(200).body;
        let items = inbox["items"].as_array().unwrap();
        let told: Vec<&Value> = items.iter().filter(|i| i["title"].as_str().unwrap().contains("未签退")).collect();
        assert_eq!(told.len(), 1, "{inbox}");
        assert!(told[0]["title"].as_str().unwrap().contains("2026-11-16"));
        assert!(told[0]["preview"].as_str().unwrap().contains("张小一"));
        assert_eq!(told[0]["urgent"], true);
    }
    // Nobody else hears of it: not the other school's admin, not a teacher who does not run it.
    for token in [&w.admin_a2, &w.teacher_a1_other] {
        let inbox = app.get("/api/v1/inbox?limit=50", Some(token)).await.expect(200).body;
        assert!(inbox["items"].as_array().unwrap().iter().all(|i| !i["title"].as_str().unwrap().contains("未签退")));
    }
}

#[tokio::test]
async fn the_schools_lottery_rules_are_kept_by_the_draw_and_the_weekly_limit_by_first_come_seats() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let rules = format!("/api/v1/afterschool/plans/{plan_id}/lottery-rules");
    let body = json!({ "weekly_limit": 2, "siblings_together": true, "none_last_term_first": true });
    app.put(&rules, Some(&w.teacher_a1_head), body.clone()).await.expect(403);
    app.put(&rules, Some(&w.admin_a2), body.clone()).await.expect(404);
    app.put(&rules, Some(&w.g1), body.clone()).await.expect(404);
    assert_eq!(
        app.put(&rules, Some(&w.admin_a1), json!({ "weekly_limit": 0 })).await.expect(422).body["details"]["field"],
        "weekly_limit"
    );
    let set = app.put(&rules, Some(&w.admin_a1), body).await.expect(200);
    assert_eq!(set.body["lottery_rules"]["weekly_limit"], 2);

    // First come: Monday and Wednesday make two sessions; a Tuesday club would make three.
    let two_days = activity(&app, &w.admin_a1, plan_id, activity_body("篮球", 20, "first_come")).await;
    let mut tuesday = activity_body("合唱", 20, "first_come");
    tuesday["weekdays"] = json!([2]);
    let tuesday = activity(&app, &w.admin_a1, plan_id, tuesday).await;
    enrol(&app, &w.g1, two_days, w.s1).await.expect(201);
    let over = enrol(&app, &w.g1, tuesday, w.s1).await.expect(422);
    assert_eq!((over.code(), &over.body["details"]), ("weekly_limit", &json!({ "limit": 2, "sessions": 3 })));

    // The draw: S2 ranks a two-day and a one-day activity; the limit admits the first only, and
    // the record states the rules with the seed.
    let mut friday = activity_body("围棋", 20, "lottery");
    friday["weekdays"] = json!([5]);
    let friday = activity(&app, &w.admin_a1, plan_id, friday).await;
    let mut thursday_twice = activity_body("机器人", 20, "lottery");
    thursday_twice["weekdays"] = json!([3, 4]);
    let thursday_twice = activity(&app, &w.admin_a1, plan_id, thursday_twice).await;
    for (activity, rank) in [(thursday_twice, 1), (friday, 2)] {
        app.post(
            &format!("/api/v1/afterschool/activities/{activity}/enrolments"),
            Some(&w.g1),
            json!({ "student_id": w.s2, "rank": rank }),
        )
        .await
        .expect(201);
    }
    let drawn = app
        .post(&format!("/api/v1/afterschool/plans/{plan_id}/draw"), Some(&w.admin_a1), json!({ "seed": "公开种子" }))
        .await
        .expect(200);
    assert_eq!((drawn.body["enrolled"].as_u64(), drawn.body["waitlisted"].as_u64()), (Some(1), Some(1)));
    let algorithm = drawn.body["algorithm"].as_str().unwrap();
    assert!(algorithm.contains("at most 2 sessions a week") && algorithm.contains("siblings together"), "{algorithm}");
    let child = app.get(&format!("/api/v1/children/{}/afterschool", w.s2), Some(&w.g1)).await.expect(200).body;
    let status = |id: Uuid| {
        child["activities"].as_array().unwrap().iter().find(|a| a["activity_id"] == json!(id)).unwrap()["status"]
            .clone()
    };
    assert_eq!((status(thursday_twice), status(friday)), (json!("enrolled"), json!("waitlisted")));
}

#[tokio::test]
async fn a_freed_seat_goes_to_the_first_in_line_who_can_take_it_and_the_family_is_told() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 3).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    // One seat on Mondays and Wednesdays; the first child holds it, two wait.
    let art = activity(&app, &w.admin_a1, plan_id, activity_body("美术", 1, "first_come")).await;
    for child in &children {
        enrol(&app, &many, art, *child).await.expect(201);
    }
    // The first in line takes a Tuesday seat; then the school sets a weekly limit of two sessions:
    // Monday and Wednesday on top of Tuesday would make three.
    let mut tuesday = activity_body("合唱", 20, "first_come");
    tuesday["weekdays"] = json!([2]);
    let tuesday = activity(&app, &w.admin_a1, plan_id, tuesday).await;
    enrol(&app, &many, tuesday, children[1]).await.expect(201);
    app.put(
        &format!("/api/v1/afterschool/plans/{plan_id}/lottery-rules"),
        Some(&w.admin_a1),
        json!({ "weekly_limit": 2 }),
    )
    .await
    .expect(200);

    app.delete(&format!("/api/v1/afterschool/activities/{art}/enrolments/{}", children[0]), Some(&many))
        .await
        .expect(200);
    let status = |child: Uuid| {
        let app = &app;
        let many = many.clone();
        async move {
            let view = app.get(&format!("/api/v1/children/{child}/afterschool"), Some(&many)).await.expect(200).body;
            view["activities"].as_array().unwrap().iter().find(|a| a["activity_id"] == json!(art)).unwrap()["status"]
                .clone()
        }
    };
    assert_eq!(status(children[1]).await, "waitlisted", "over the limit: passed over, keeps its place");
    assert_eq!(status(children[2]).await, "enrolled");
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&many)).await.expect(200).body;
    let told: Vec<&Value> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"].as_str().unwrap().contains("候补转正"))
        .collect();
    assert_eq!(told.len(), 1, "{inbox}");
    assert!(told[0]["title"].as_str().unwrap().contains("学生2"));
}

#[tokio::test]
async fn a_promoted_family_may_give_the_seat_back_within_the_offer_with_everything_refunded() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 3).await;
    let plan_id = published_plan(&app, &w.admin_a1, w.school_a1).await;
    let now = app.clock_now();
    let hours = |h: i64| (now + chrono::Duration::hours(h)).to_rfc3339();
    let window = json!({ "opens_at": hours(-1), "closes_at": hours(24 * 14), "decline_hours": 24 });
    let plan = app
        .put(&format!("/api/v1/afterschool/plans/{plan_id}/enrolment-window"), Some(&w.admin_a1), window)
        .await
        .expect(200)
        .body;
    assert_eq!(plan["enrolment"]["decline_hours"], 24);
    let art = activity(&app, &w.admin_a1, plan_id, activity_body("美术", 1, "first_come")).await;
    for child in &children {
        enrol(&app, &many, art, *child).await.expect(201);
    }
    let seat = |child: Uuid| {
        let (app, many) = (&app, many.clone());
        async move {
            let view = app.get(&format!("/api/v1/children/{child}/afterschool"), Some(&many)).await.expect(200).body;
            let activity =
                view["activities"].as_array().unwrap().iter().find(|a| a["activity_id"] == json!(art)).cloned();
            (activity.unwrap_or(Value::Null), view["fees_due_fen"].as_i64().unwrap())
        }
    };
    // A seat the child took at once has no offer to decline.
    assert_eq!(seat(children[0]).await.0["decline_by"], Value::Null);

    // The first child leaves: the second is promoted, charged, and told until when giving the seat
    // back costs nothing (the school's 24 hours, in the school's time).
    let withdraw = |child: Uuid, token: String| {
        let app = &app;
        async move {
            app.delete(&format!("/api/v1/afterschool/activities/{art}/enrolments/{child}"), Some(&token))
                .await
                .expect(200)
        }
    };
    withdraw(children[0], many.clone()).await;
    let (promoted, due) = seat(children[1]).await;
    let until = (now + chrono::Duration::hours(24)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!((promoted["status"].clone(), promoted["decline_by"].clone()), (json!("enrolled"), json!(until)));
    assert!(due > 0);
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&many)).await.expect(200).body;
    let told =
        inbox["items"].as_array().unwrap().iter().find(|i| i["title"].as_str().unwrap().contains("学生1候补转正"));
    let told = told.unwrap_or_else(|| panic!("{inbox}"));
    assert!(told["preview"].as_str().unwrap().contains("2026-11-24 16:00 前"), "{told}");

    // Given back within the offer: everything charged comes off, and the third child is promoted.
    let left = withdraw(children[1], many.clone()).await;
    assert_eq!((left.body["status"].clone(), left.body["decline_by"].clone()), (json!("withdrawn"), Value::Null));
    let account = fee_account(&app, &many, children[1], art).await;
    assert_eq!(account["owed_fen"], 0, "{account}");
    assert!(account["entries"].to_string().contains("按时放弃"), "{account}");
    assert_eq!(seat(children[2]).await.0["status"], "enrolled");
    let asked_again = enrol(&app, &many, art, children[2]).await.expect(200).body;
    assert!(asked_again["decline_by"].is_string(), "the offer stands: {asked_again}");

    // After the offer's end the seat is simply the child's: a withdrawal on Thursday refunds the
    // sessions not held (Wednesday's was), and the child's view no longer offers a free decline.
    app.clock.advance(chrono::Duration::hours(73));
    let many = app.login("13900000001", PASSWORD).await;
    let (held, due) = {
        let view =
            app.get(&format!("/api/v1/children/{}/afterschool", children[2]), Some(&many)).await.expect(200).body;
        (view["activities"][0].clone(), view["fees_due_fen"].as_i64().unwrap())
    };
    assert_eq!(held["decline_by"], Value::Null);
    let asked_again = enrol(&app, &many, art, children[2]).await.expect(200).body;
    assert_eq!(asked_again["decline_by"], Value::Null, "an offer that has passed is not shown: {asked_again}");
    withdraw(children[2], many.clone()).await;
    let account = fee_account(&app, &many, children[2], art).await;
    let owed = account["owed_fen"].as_i64().unwrap();
    assert!(0 < owed && owed < due, "pro rata after the offer: {owed} of {due}");
}
