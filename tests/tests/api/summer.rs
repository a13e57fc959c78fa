//! Summer care over HTTP (issue 9, `AS_SUMMER`): sites published by the bureau (community, for
//! the whole district) and by a school (its own children), places taken week by week first come
//! with a wait list, one place a week per child, a week given back until it starts, and every
//! denial. The test clock is Monday 2026-11-23; the summer weeks are in July 2027.

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

use super::afterschool::crowded_school;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

fn site(school: Option<Uuid>, grades: Value, fee: i64, weeks: Value) -> Value {
    json!({ "school_id": school, "name": "暑期托管点", "address": "学校体育馆", "grades": grades,
            "start": "08:30", "end": "17:30", "fee_fen": fee, "weeks": weeks })
}

async fn publish(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/api/v1/summer/sites", Some(token), body).await.expect(201).body
}

async fn enrol(app: &TestApp, token: &str, week: &Value, student: Uuid) -> jiaxiao_tests::Reply {
    app.post(&format!("/api/v1/summer/weeks/{}/enrolments", id(week)), Some(token), json!({ "student_id": student }))
        .await
}

#[tokio::test]
async fn summer_sites_are_published_by_the_bureau_for_the_district_and_by_a_school_for_its_own() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let weeks = json!([{ "starts_on": "2027-07-12", "capacity": 2 }, { "starts_on": "2027-07-19", "capacity": 30 }]);
    let community = publish(&app, &w.bureau_a, site(None, json!([]), 20000, weeks.clone())).await;
    assert_eq!(
        (community["kind"].clone(), community["weeks"][0]["ends_on"].clone()),
        (json!("community"), json!("2027-07-16"))
    );
    let own = publish(&app, &w.admin_a1, site(Some(w.school_a1), json!([3, 3, 1]), 0, weeks.clone())).await;
    assert_eq!((own["kind"].clone(), own["grades"].clone()), (json!("school"), json!([1, 3])));

    // Who may publish: the school's admin for the school, an officer for the district.
    app.post("/api/v1/summer/sites", Some(&w.teacher_a1_head), site(Some(w.school_a1), json!([]), 0, weeks.clone()))
        .await
        .expect(403);
    for token in [&w.admin_a1, &w.g1] {
        app.post("/api/v1/summer/sites", Some(token), site(None, json!([]), 0, weeks.clone())).await.expect(403);
    }
    app.post("/api/v1/summer/sites", Some(&w.admin_b1), site(Some(w.school_a1), json!([]), 0, weeks.clone()))
        .await
        .expect(404);
    // AS_SUMMER: a working day of two hours or more, weeks starting on Mondays still ahead.
    let mut short = site(None, json!([]), 0, weeks.clone());
    short["end"] = json!("09:30");
    let refused = app.post("/api/v1/summer/sites", Some(&w.bureau_a), short).await.expect(422);
    assert_eq!(
        (refused.code(), refused.body["details"]["problems"].clone()),
        ("as_summer", json!([{ "problem": "hours" }]))
    );
    let odd = site(
        None,
        json!([]),
        0,
        json!([{ "starts_on": "2027-07-13", "capacity": 5 }, { "starts_on": "2026-11-16", "capacity": 5 }]),
    );
    let refused = app.post("/api/v1/summer/sites", Some(&w.bureau_a), odd).await.expect(422);
    assert_eq!(
        refused.body["details"]["problems"],
        json!([{ "problem": "not_monday", "week": "2027-07-13" }, { "problem": "past", "week": "2026-11-16" }])
    );
    let empty = app
        .post(
            "/api/v1/summer/sites",
            Some(&w.bureau_a),
            site(None, json!([]), 0, json!([{ "starts_on": "2027-07-12", "capacity": 0 }])),
        )
        .await;
    assert_eq!(empty.expect(422).body["details"]["field"], "capacity");
    let mut nameless = site(None, json!([]), 0, weeks.clone());
    nameless["name"] = json!(" ");
    assert_eq!(
        app.post("/api/v1/summer/sites", Some(&w.bureau_a), nameless).await.expect(422).body["details"]["field"],
        "name"
    );

    // The district's list: its officers and its schools' admins; numbers, never a child.
    let list = format!("/api/v1/districts/{}/summer/sites", w.district_a);
    for token in [&w.bureau_a, &w.admin_a1, &w.admin_a2] {
        assert_eq!(app.get(&list, Some(token)).await.expect(200).body["items"].as_array().unwrap().len(), 2);
    }
    for token in [&w.bureau_b, &w.admin_b1, &w.g1, &w.teacher_a1_head] {
        app.get(&list, Some(token)).await.expect(404);
    }

    // Families see what their child can take: S1 (A1, grade 3) both; S3 (A2, grade 6) the
    // community site only; S4 (district B) nothing; a pickup-only link is not shown the child at all.
    let sites_of = |token: String, student: Uuid| {
        let app = &app;
        async move {
            let view = app.get(&format!("/api/v1/children/{student}/summer"), Some(&token)).await.expect(200).body;
            view["sites"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    let mut s1 = sites_of(w.g1.clone(), w.s1).await;
    s1.sort();
    assert_eq!(s1, vec!["community", "school"]);
    assert_eq!(sites_of(w.g1.clone(), w.s3).await, vec!["community"]);
    assert!(sites_of(w.g4.clone(), w.s4).await.is_empty());
    assert_eq!(sites_of(w.g3.clone(), w.s2).await.len(), 2, "an informational guardian reads it");
    app.get(&format!("/api/v1/children/{}/summer", w.s1), Some(&w.g2)).await.expect(404);
    app.get(&format!("/api/v1/children/{}/summer", w.s4), Some(&w.g1)).await.expect(404);
}

#[tokio::test]
async fn a_child_takes_one_place_a_week_and_a_week_given_back_goes_to_the_first_in_line() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let one_week = json!([{ "starts_on": "2027-07-12", "capacity": 1 }]);
    let own = publish(&app, &w.admin_a1, site(Some(w.school_a1), json!([3]), 15000, one_week.clone())).await;
    let community = publish(&app, &w.bureau_a, site(None, json!([]), 0, one_week)).await;
    let (week, elsewhere) = (&own["weeks"][0]["id"], &community["weeks"][0]["id"]);

    let first = enrol(&app, &w.g1, week, w.s1).await.expect(201);
    assert_eq!(first.body["status"], "enrolled");
    assert_eq!(enrol(&app, &w.g1, week, w.s1).await.expect(200).body["id"], first.body["id"], "asked again");
    // One place a week: the community site the same week is refused while S1 holds this one.
    let twice = enrol(&app, &w.g1, elsewhere, w.s1).await.expect(409);
    assert_eq!((twice.code(), twice.body["details"]["week_id"].clone()), ("time_slot_taken", week.clone()));
    let second = enrol(&app, &w.g1, week, w.s2).await.expect(201);
    assert_eq!(
        (second.body["status"].clone(), second.body["waitlist_position"].clone()),
        (json!("waitlisted"), json!(0))
    );
    // Denials: an informational guardian, another district's family, a grade the site does not take.
    enrol(&app, &w.g3, week, w.s2).await.expect(403);
    enrol(&app, &w.g4, week, w.s4).await.expect(404);
    enrol(&app, &w.g4, elsewhere, w.s4).await.expect(404);
    assert_eq!(enrol(&app, &w.g1, week, w.s3).await.expect(404).code(), "not_found", "A2's child, A1's site");
    let grade_one = publish(
        &app,
        &w.admin_a1,
        site(Some(w.school_a1), json!([1]), 0, json!([{ "starts_on": "2027-07-19", "capacity": 5 }])),
    )
    .await;
    assert_eq!(enrol(&app, &w.g1, &grade_one["weeks"][0]["id"], w.s1).await.expect(422).code(), "not_eligible");

    // The family sees what it owes and why: one week at 150 yuan.
    let view = app.get(&format!("/api/v1/children/{}/summer", w.s1), Some(&w.g1)).await.expect(200).body;
    assert_eq!(view["owed_fen"], 15000);

    // S1 gives the week back: S2 is promoted and the family told; S1 owes nothing.
    let left =
        app.delete(&format!("/api/v1/summer/weeks/{}/enrolments/{}", id(week), w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(left.body["status"], "withdrawn");
    let s2 = app.get(&format!("/api/v1/children/{}/summer", w.s2), Some(&w.g1)).await.expect(200).body;
    let s2_week = s2["sites"].as_array().unwrap().iter().find(|s| s["kind"] == "school").unwrap()["weeks"][0].clone();
    assert_eq!((s2_week["status"].clone(), s2_week["places_left"].clone()), (json!("enrolled"), json!(0)));
    assert_eq!(
        app.get(&format!("/api/v1/children/{}/summer", w.s1), Some(&w.g1)).await.expect(200).body["owed_fen"],
        0
    );
    let inbox = app.get("/api/v1/inbox?limit=50", Some(&w.g1)).await.expect(200).body;
    assert!(inbox.to_string().contains("张小二暑期托管候补转正"), "{inbox}");
    // S1 may now take the community site that week.
    assert_eq!(enrol(&app, &w.g1, elsewhere, w.s1).await.expect(201).body["status"], "enrolled");

    // The school's admin reads who comes each week; nobody else, and no community site's roster.
    let roster = format!("/api/v1/summer/sites/{}/roster", id(&own["id"]));
    let read = app.get(&roster, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(read["weeks"][0]["enrolled"][0]["name"], "张小二");
    app.get(&roster, Some(&w.teacher_a1_head)).await.expect(403);
    for token in [&w.admin_b1, &w.bureau_a, &w.g1] {
        app.get(&roster, Some(token)).await.expect(404);
    }
    app.get(&format!("/api/v1/summer/sites/{}/roster", id(&community["id"])), Some(&w.bureau_a)).await.expect(404);

    // From its Monday the week is owed: nothing is taken or given back any more.
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2027-07-12T01:00:00Z").unwrap().to_utc());
    let g1 = app.login("13800000001", jiaxiao_tests::world::PASSWORD).await;
    let late = app.delete(&format!("/api/v1/summer/weeks/{}/enrolments/{}", id(elsewhere), w.s1), Some(&g1)).await;
    assert_eq!(late.expect(409).code(), "enrolment_closed");
    assert_eq!(enrol(&app, &g1, week, w.s1).await.expect(409).code(), "enrolment_closed");
}

#[tokio::test]
async fn a_waiting_child_who_moved_to_a_grade_the_site_does_not_take_is_passed_over() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let one_place = json!([{ "starts_on": "2027-07-12", "capacity": 1 }]);
    let grade_three = publish(&app, &w.admin_a1, site(Some(w.school_a1), json!([3]), 0, one_place)).await;
    let week = &grade_three["weeks"][0]["id"];
    // A third grade-3 child of another family, imported with the school's roster.
    let roster = |s2_class: &str| {
        format!(
            "{STUDENT_HEADER}S1,张小一,3,1,张伟,13800000001,,父亲,full,李阿姨,13800000002,,其他,pickup\n\
             S2,张小二,{s2_class},周敏,13800000003,,母亲,informational,张伟,13800000001,,父亲,full\n\
             S9,王小九,3,1,王芳,13900000009,,母亲,full,,,,,\n"
        )
    };
    let (_, tokens) = world::import_and_activate(&app, &w.admin_a1, w.school_a1, "students", &roster("3,2")).await;
    let wang = tokens["13900000009"].clone();
    let s9 = world::children(&app, &wang).await[0].1;
    assert_eq!(enrol(&app, &w.g1, week, w.s1).await.expect(201).body["status"], "enrolled");
    assert_eq!(enrol(&app, &w.g1, week, w.s2).await.expect(201).body["status"], "waitlisted");
    assert_eq!(enrol(&app, &wang, week, s9).await.expect(201).body["status"], "waitlisted");

    // S2, first in line, moves up to grade 4; when S1's place frees, S9 gets it and S2 keeps waiting.
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.admin_a1), &roster("4,1"))
        .await
        .expect(200);
    app.delete(&format!("/api/v1/summer/weeks/{}/enrolments/{}", id(week), w.s1), Some(&w.g1)).await.expect(200);
    let roster = app
        .get(&format!("/api/v1/summer/sites/{}/roster", id(&grade_three["id"])), Some(&w.admin_a1))
        .await
        .expect(200)
        .body;
    let names: Vec<&str> =
        roster["weeks"][0]["enrolled"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["王小九"], "{roster}");
    let mine = app.get(&format!("/api/v1/children/{s9}/summer"), Some(&wang)).await.expect(200).body;
    assert_eq!(mine["sites"][0]["weeks"][0]["status"], "enrolled", "{mine}");
}

#[tokio::test]
async fn thirty_takers_of_ten_places_leave_ten_enrolled_and_twenty_waiting() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (many, children, _) = crowded_school(&app, &w, 30).await;
    let body = site(Some(w.school_a1), json!([]), 0, json!([{ "starts_on": "2027-07-12", "capacity": 10 }]));
    let own = publish(&app, &w.admin_a1, body).await;
    let week = own["weeks"][0]["id"].clone();
    let replies = futures_util::future::join_all(children.iter().map(|child| enrol(&app, &many, &week, *child))).await;
    let enrolled = replies.iter().filter(|r| r.body["status"] == "enrolled").count();
    let waiting = replies.iter().filter(|r| r.body["status"] == "waitlisted").count();
    assert_eq!((enrolled, waiting), (10, 20));
    let list =
        app.get(&format!("/api/v1/districts/{}/summer/sites", w.district_a), Some(&w.admin_a1)).await.expect(200);
    let counted = &list.body["items"][0]["weeks"][0];
    assert_eq!((counted["enrolled"].clone(), counted["waitlisted"].clone()), (json!(10), json!(20)));
}
