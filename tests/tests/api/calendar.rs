//! The school calendar over HTTP: a school admin defines a term with holidays and make-up days
//! (调休), who may read and change it, what is refused, and what the after-school service makes of
//! it (no session charged or called on a holiday; a make-up Saturday holds its weekday's session).

use jiaxiao_tests::world::{self, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

fn terms(school: Uuid) -> String {
    format!("/api/v1/schools/{school}/terms")
}

/// The autumn term 2026 with the National Day week off (1–7 October, a Thursday to a Wednesday),
/// Saturday 10 October following Thursday, and the test clock's week made special: Friday
/// 20 November off, Saturday 21 November following Friday.
fn autumn() -> Value {
    json!({
        "name": "2026学年第一学期",
        "starts_on": "2026-09-01",
        "ends_on": "2027-01-22",
        "holidays": [
            { "name": "国庆节", "from": "2026-10-01", "to": "2026-10-07" },
            { "name": "运动会补休", "from": "2026-11-20", "to": "2026-11-20" }
        ],
        "make_up_days": [
            { "date": "2026-10-10", "follows_weekday": 4, "name": "国庆调休" },
            { "date": "2026-11-21", "follows_weekday": 5 }
        ]
    })
}

/// Monday to Friday from 2026-09-01 to 2027-01-22, less the holidays' weekdays, plus make-ups.
fn autumn_school_days() -> u64 {
    use chrono::Datelike;
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"),
        chrono::NaiveDate::from_ymd_opt(2027, 1, 22).expect("date"),
    );
    let weekdays = from.iter_days().take_while(|d| *d <= to).filter(|d| d.weekday().number_from_monday() <= 5).count();
    // 1–7 October: Thursday 1, Friday 2, Monday 5, Tuesday 6, Wednesday 7; Friday 20 November.
    (weekdays - 5 - 1 + 2) as u64
}

async fn define(app: &TestApp, w: &World) -> Value {
    app.post(&terms(w.school_a1), Some(&w.admin_a1), autumn()).await.expect(201).body
}

#[tokio::test]
async fn a_school_admin_defines_a_term_and_its_school_reads_it_with_holidays_and_make_up_days() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let term = define(&app, &w).await;
    assert_eq!(term["name"], "2026学年第一学期");
    assert_eq!(term["school_days"].as_u64(), Some(autumn_school_days()));
    assert_eq!(term["holidays"][0], json!({ "name": "国庆节", "from": "2026-10-01", "to": "2026-10-07" }));
    assert_eq!(term["make_up_days"][0]["follows_weekday"], 4);

    // Staff, the school's families and its district's bureau read it.
    for reader in [&w.admin_a1, &w.teacher_a1_head, &w.g1, &w.g3, &w.bureau_a] {
        let list = app.get(&terms(w.school_a1), Some(reader)).await.expect(200);
        assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1), "{reader}");
        assert_eq!(list.body["items"][0]["id"], term["id"]);
    }
    // Another school's admin, another district's bureau, a family of another school: 404.
    for stranger in [&w.admin_b1, &w.bureau_b, &w.g4] {
        app.get(&terms(w.school_a1), Some(stranger)).await.expect(404);
    }
    app.get(&terms(w.school_a1), None).await.expect(401);
}

#[tokio::test]
async fn only_the_schools_admins_define_change_and_remove_terms() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    app.post(&terms(w.school_a1), Some(&w.teacher_a1_head), autumn()).await.expect(403);
    app.post(&terms(w.school_a1), Some(&w.g1), autumn()).await.expect(404);
    app.post(&terms(w.school_a1), Some(&w.admin_b1), autumn()).await.expect(404);
    app.post(&terms(w.school_a1), Some(&w.bureau_a), autumn()).await.expect(404);

    let term = define(&app, &w).await;
    let path = format!("{}/{}", terms(w.school_a1), id(&term["id"]));
    let mut changed = autumn();
    changed["ends_on"] = json!("2027-01-15");
    changed["holidays"] = json!([]);
    changed["make_up_days"] = json!([]);
    app.put(&path, Some(&w.teacher_a1_head), changed.clone()).await.expect(403);
    app.put(&path, Some(&w.admin_b1), changed.clone()).await.expect(404);
    // Another school's path with this term's id: not found.
    app.put(&format!("{}/{}", terms(w.school_a2), id(&term["id"])), Some(&w.admin_a2), changed.clone())
        .await
        .expect(404);
    let saved = app.put(&path, Some(&w.admin_a1), changed).await.expect(200);
    assert_eq!(saved.body["ends_on"], "2027-01-15");
    assert_eq!(saved.body["holidays"], json!([]));
    assert_eq!(saved.body["id"], term["id"]);

    app.delete(&path, Some(&w.teacher_a1_head)).await.expect(403);
    app.delete(&path, Some(&w.admin_a1)).await.expect(204);
    app.delete(&path, Some(&w.admin_a1)).await.expect(404);
    let list = app.get(&terms(w.school_a1), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(list.body["items"], json!([]));
}

#[tokio::test]
async fn a_term_that_breaks_the_calendar_rules_or_overlaps_another_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let refused = |mut body: Value, key: &str, value: Value| {
        body[key] = value;
        body
    };
    let cases = [
        (refused(autumn(), "ends_on", json!("2026-08-01")), "ends_before_start"),
        (refused(autumn(), "ends_on", json!("2027-07-01")), "too_long"),
        (
            refused(autumn(), "make_up_days", json!([{ "date": "2026-10-12", "follows_weekday": 1 }])),
            "make_up_on_weekday",
        ),
        (
            refused(autumn(), "make_up_days", json!([{ "date": "2026-10-03", "follows_weekday": 1 }])),
            "make_up_on_holiday",
        ),
        (
            refused(autumn(), "holidays", json!([{ "name": "寒假", "from": "2027-01-18", "to": "2027-02-20" }])),
            "holiday_outside_term",
        ),
        (
            refused(
                autumn(),
                "holidays",
                json!([
                    { "name": "甲", "from": "2026-11-02", "to": "2026-11-04" },
                    { "name": "乙", "from": "2026-11-04", "to": "2026-11-05" }
                ]),
            ),
            "holidays_overlap",
        ),
    ];
    for (body, problem) in cases {
        let reply = app.post(&terms(w.school_a1), Some(&w.admin_a1), body).await.expect(422);
        assert_eq!(reply.code(), "term_invalid");
        assert_eq!(reply.body["details"]["problem"], problem, "{}", reply.body);
    }
    let blank = app.post(&terms(w.school_a1), Some(&w.admin_a1), refused(autumn(), "name", json!("  "))).await;
    assert_eq!(blank.expect(422).body["details"]["field"], "name");
    // Nothing was saved by any of them.
    let list = app.get(&terms(w.school_a1), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(list.body["items"], json!([]));

    let first = define(&app, &w).await;
    let mut spring = autumn();
    spring["name"] = json!("第二学期");
    spring["starts_on"] = json!("2027-01-20");
    spring["ends_on"] = json!("2027-06-30");
    spring["holidays"] = json!([]);
    spring["make_up_days"] = json!([]);
    let overlap = app.post(&terms(w.school_a1), Some(&w.admin_a1), spring.clone()).await.expect(409);
    assert_eq!(overlap.code(), "term_overlaps");
    assert_eq!(overlap.body["details"]["term_id"], first["id"]);
    // Another school's terms are its own business.
    app.post(&terms(w.school_a2), Some(&w.admin_a2), spring.clone()).await.expect(201);
    spring["starts_on"] = json!("2027-02-22");
    app.post(&terms(w.school_a1), Some(&w.admin_a1), spring).await.expect(201);
}

async fn fridays_club(app: &TestApp, w: &World, fee: Value) -> Uuid {
    let sessions: Vec<Value> =
        (1..=5).map(|d| json!({ "weekday": d, "kind": "basic", "start": "15:40", "end": "17:50" })).collect();
    let plan = app
        .post(
            &format!("/api/v1/schools/{}/afterschool/plans", w.school_a1),
            Some(&w.admin_a1),
            json!({ "term_start": "2026-09-01", "term_end": "2027-01-22", "sessions": sessions }),
        )
        .await
        .expect(201);
    let plan_id = id(&plan.body["id"]);
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(&w.admin_a1), json!({})).await.expect(200);
    let me = app.get("/api/v1/me", Some(&w.teacher_a1_head)).await.expect(200);
    let body = json!({
        "name": "周五篮球", "category": "sports", "description": "篮球基础", "weekdays": [5],
        "start": "16:00", "end": "17:30", "capacity": 20, "min_size": 0,
        "provider": { "kind": "school_teacher", "name": "王老师" }, "fee": fee, "allocation": "first_come",
        "in_charge_account_id": me.body["account_id"],
    });
    let club = app.post(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(&w.admin_a1), body).await;
    let club = id(&club.expect(201).body["id"]);
    app.post(&format!("/api/v1/afterschool/activities/{club}/enrolments"), Some(&w.g1), json!({ "student_id": w.s1 }))
        .await
        .expect(201);
    club
}

#[tokio::test]
async fn no_after_school_session_on_a_holiday_and_a_make_up_saturday_holds_its_weekdays_session() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    define(&app, &w).await;
    let club = fridays_club(&app, &w, json!({ "kind": "free" })).await;
    let roll = format!("/api/v1/afterschool/activities/{club}/roll");
    let present = |date: &str| json!({ "date": date, "entries": [{ "student_id": w.s1, "status": "present" }] });
    // Friday 20 November is a holiday: no roll to call. Saturday 21 November follows Friday.
    let holiday = app.post(&roll, Some(&w.teacher_a1_head), present("2026-11-20")).await.expect(422);
    assert_eq!(holiday.body["details"]["field"], "date");
    app.post(&roll, Some(&w.teacher_a1_head), present("2026-11-21")).await.expect(200);
    // An ordinary Friday.
    app.post(&roll, Some(&w.teacher_a1_head), present("2026-11-13")).await.expect(200);
}

#[tokio::test]
async fn a_per_session_fee_charges_the_calendars_school_days_not_the_holidays() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // The clock is Monday 23 November: the Fridays ahead to 22 January are 9. The calendar takes
    // two of them off (1 and 8 January) and makes Sunday 27 December follow Friday.
    let mut term = autumn();
    term["holidays"] = json!([
        { "name": "元旦", "from": "2027-01-01", "to": "2027-01-01" },
        { "name": "校庆", "from": "2027-01-08", "to": "2027-01-08" }
    ]);
    term["make_up_days"] = json!([{ "date": "2026-12-27", "follows_weekday": 5, "name": "调休" }]);
    app.post(&terms(w.school_a1), Some(&w.admin_a1), term).await.expect(201);
    let club = fridays_club(&app, &w, json!({ "kind": "service_fee", "amount_fen": 1000, "per": "session" })).await;
    let child = app.get(&format!("/api/v1/children/{}/afterschool", w.s1), Some(&w.g1)).await.expect(200).body;
    let account = child["fees"].as_array().unwrap().iter().find(|f| id(&f["activity_id"]) == club).cloned().unwrap();
    // 9 Fridays, less two holidays, plus the make-up Sunday.
    assert_eq!(account["entries"][0]["sessions"], 8);
    assert_eq!(account["charged_fen"], 8 * 1000);
}
