//! The bureau's dashboard over HTTP (issue 12, first part): figures per school against a small
//! fixture, small cells suppressed with their complements, and nothing personal in any answer.

use chrono::Duration;
use jiaxiao_tests::world::{self, PASSWORD, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

/// A school of `n` students, one guardian each (not activated), in the bureau's district.
async fn school_of(app: &TestApp, bureau: &str, name: &str, admin: &str, n: usize, phone_prefix: &str) -> Uuid {
    let (school, admin_token) = world::create_school(app, bureau, name, "6-3", admin).await;
    let rows: String =
        (0..n).map(|i| format!("R{i:04},学生{i},4,1,家长{i},{phone_prefix}{i:04},,母亲,full,,,,,\n")).collect();
    app.post_csv(
        &format!("/api/v1/schools/{school}/roster/students"),
        Some(&admin_token),
        &format!("{STUDENT_HEADER}{rows}"),
    )
    .await
    .expect(200);
    school
}

fn school_row(section: &Value, school: Uuid) -> &Value {
    let schools = section["schools"].as_array().expect("schools");
    schools.iter().find(|s| s["school_id"] == school.to_string()).expect("the school's row")
}

/// Every key and string value of an answer, for the privacy walk.
fn walk(v: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k.clone());
                walk(v, keys, strings);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk(i, keys, strings)),
        Value::String(s) => strings.push(s.clone()),
        _ => {}
    }
}

#[tokio::test]
async fn the_dashboard_suppresses_small_schools_and_their_complements_and_shows_the_rest() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // District B: B1 has one family; B2 20, B3 25. B1 is hidden, and B2 (the smallest other) with
    // it, or B1 would be the district total minus B2 and B3.
    let b2 = school_of(&app, &w.bureau_b, "乙区第二小学", "admin-b2@test.cn", 20, "1390000").await;
    let b3 = school_of(&app, &w.bureau_b, "乙区第三小学", "admin-b3@test.cn", 25, "1391000").await;
    let dashboard =
        app.get(&format!("/api/v1/districts/{}/dashboard", w.district_b), Some(&w.bureau_b)).await.expect(200);
    let body = dashboard.body;
    let families = &body["parent_school"];
    assert_eq!(school_row(families, w.school_b1)["families"], json!({ "value": null, "suppressed": true }));
    assert_eq!(school_row(families, b2)["families"], json!({ "value": null, "suppressed": true }));
    assert_eq!(school_row(families, b3)["families"], json!({ "value": 25, "suppressed": false }));
    assert_eq!(families["families"]["value"], 46);
    // A share over a hidden count is hidden too, or 0 % of B2's guardians would tell B2 is 20.
    assert_eq!(school_row(&body["reach"], b2)["activated_percent"]["suppressed"], true);
    // Nobody took part yet: 0 of 25 is shown as a bound, not a figure, over so few families.
    assert_eq!(school_row(families, b3)["participation"]["bound"], "below5");
    // Reach: 25 guardians provisioned at B3, none activated.
    let reach = school_row(&body["reach"], b3);
    assert_eq!(reach["guardians"]["value"], 25);
    assert_eq!(reach["activated"], json!({ "value": 0, "suppressed": false }));
    // Areas a school has not set up say so per school; no complaint is a zero, not a secret.
    assert_eq!(school_row(&body["mentoring"], b3)["set_up"], false);
    assert_eq!(school_row(&body["afterschool"], b3)["plan_published"], false);
    assert_eq!(school_row(&body["complaints"], b3)["received"], json!({ "value": 0, "suppressed": false }));
    assert_eq!(body["k"], 10);
}

#[tokio::test]
async fn the_bureau_never_receives_a_name_an_id_of_a_family_or_a_text() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A district course is the bureau's own publication: its id and title may show.
    let course = app
        .post(
            "/api/v1/parent-school/courses",
            Some(&w.bureau_a),
            json!({ "title": "科学育儿", "credits": 1, "format": "practice", "grades": [3] }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dashboard =
        app.get(&format!("/api/v1/districts/{}/dashboard", w.district_a), Some(&w.bureau_a)).await.expect(200);
    assert_eq!(dashboard.body["parent_school"]["district_courses"][0]["course_id"], course);
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    walk(&dashboard.body, &mut keys, &mut strings);
    for key in &keys {
        let text = ["name", "text", "note", "phone", "email", "address", "comment", "body", "reason"];
        let id = key.ends_with("_id") && !["school_id", "district_id", "course_id"].contains(&key.as_str());
        let named = key.ends_with("_name") && key != "school_name";
        assert!(!text.contains(&key.as_str()) && !id && !named, "a personal field in the bureau's dashboard: {key}");
    }
    let schools = [w.school_a1.to_string(), w.school_a2.to_string(), w.district_a.to_string(), course];
    for s in &strings {
        if let Ok(id) = s.parse::<Uuid>() {
            assert!(schools.contains(&id.to_string()), "an id that is not a school's or the district's: {id}");
        }
        for child in ["张小一", "张小二", "张小三", "张伟", "周敏", "王老师", "赵老师"] {
            assert!(!s.contains(child), "a family's name: {s}");
        }
    }
    // The two small schools of district A are hidden, and so is the district's total of 3.
    assert_eq!(dashboard.body["parent_school"]["families"]["suppressed"], true);
}

#[tokio::test]
async fn only_the_districts_officers_read_its_dashboard() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let path = format!("/api/v1/districts/{}/dashboard", w.district_a);
    app.get(&path, Some(&w.bureau_b)).await.expect(404);
    app.get(&path, Some(&w.admin_a1)).await.expect(403);
    app.get(&path, Some(&w.teacher_a1_head)).await.expect(403);
    app.get(&path, Some(&w.g1)).await.expect(403);
    let half = app.get(&format!("{path}?from=2026-11-01"), Some(&w.bureau_a)).await.expect(422);
    assert_eq!(half.body["details"]["field"], "from");
}

#[tokio::test]
async fn the_dashboard_exports_each_table_as_csv_for_excel() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // With two schools, hiding B1 (one family) would hide B3 as its complement: B2 takes that part.
    school_of(&app, &w.bureau_b, "乙区第二小学", "admin-b2@test.cn", 20, "1390000").await;
    school_of(&app, &w.bureau_b, "乙区第三小学", "admin-b3@test.cn", 25, "1391000").await;
    let path = format!("/api/v1/districts/{}/dashboard", w.district_b);
    let response = app
        .client
        .get(app.url(&format!("{path}?format=csv&section=parent_school")))
        .bearer_auth(&w.bureau_b)
        .send()
        .await
        .unwrap();
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a BOM, so Excel reads UTF-8");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("学校,家庭数,参与家庭"), "{text}");
    // B1 (one family) and its complement B2 read "<10"; B3 shows its 25; the district row closes it.
    assert!(lines.iter().any(|l| l.starts_with("乙区第一小学,<10,")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("乙区第三小学,25,")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("乙区第二小学,<10,")), "{text}");
    assert!(lines.last().unwrap().starts_with("全区,46,"), "{text}");
    // Accept: text/csv works too (the reach table by default); the JSON stays the default.
    let by_header =
        app.client.get(app.url(&path)).bearer_auth(&w.bureau_b).header("Accept", "text/csv").send().await.unwrap();
    let text = by_header.text().await.unwrap();
    assert!(text.trim_start_matches('\u{feff}').starts_with("学校,家长账号数"), "{text}");
    app.get(&path, Some(&w.bureau_b)).await.expect(200);
    // The same denials as the JSON.
    let other = format!("/api/v1/districts/{}/dashboard?format=csv", w.district_a);
    app.get(&other, Some(&w.bureau_b)).await.expect(404);
}

fn homework(content: &str, minutes: i64, date: &str) -> Value {
    json!({
        "subject": "数学", "title": "数学作业", "content": content, "kind": "written", "tier": "basic",
        "estimated_minutes": minutes, "location": "home", "date": date,
    })
}

/// District A's bureau lowers the primary cap from 60 to 45 minutes (as a district may).
async fn tighten_primary_cap(app: &TestApp, w: &world::World) {
    let settings = format!("/api/v1/districts/{}/homework-settings", w.district_a);
    app.put(&settings, Some(&w.bureau_a), json!({ "primary_cap_minutes": 45, "junior_cap_minutes": 90 }))
        .await
        .expect(200);
}

fn english(minutes: i64, date: &str) -> Value {
    let mut body = homework("背诵第三单元单词。", minutes, date);
    body["subject"] = json!("英语");
    body["title"] = json!("英语作业");
    body
}

#[tokio::test]
async fn the_homework_section_counts_class_days_against_the_districts_cap_today() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Monday 23 November: A1's 3-1 gets 50 minutes, 3-2 20; Tuesday 3-1 gets 30. One family reports.
    let (a31, a32) = (w.class_a1_31, w.class_a1_32);
    let monday = app
        .post(
            &format!("/api/v1/classes/{a31}/homework"),
            Some(&w.teacher_a1_head),
            homework("练习册第12页。", 50, "2026-11-23"),
        )
        .await
        .expect(201);
    app.post(&format!("/api/v1/classes/{a32}/homework"), Some(&w.teacher_a1_other), english(20, "2026-11-23"))
        .await
        .expect(201);
    app.post(
        &format!("/api/v1/classes/{a31}/homework"),
        Some(&w.teacher_a1_head),
        homework("练习册第13页。", 30, "2026-11-24"),
    )
    .await
    .expect(201);
    let feedback = format!("/api/v1/homework/{}/feedback", monday.body["id"].as_str().unwrap());
    app.post(&feedback, Some(&w.g1), json!({ "student_id": w.s1, "minutes": 70 })).await.expect(200);
    // A refused send is counted for the school, by rule and channel.
    let burden = homework("完成练习册，请家长检查并签字。", 20, "2026-11-24");
    app.post(&format!("/api/v1/classes/{a31}/homework"), Some(&w.teacher_a1_head), burden).await.expect(422);
    // The bureau tightens the primary cap to 45: Monday's 50 minutes in 3-1 are now over it.
    tighten_primary_cap(&app, &w).await;

    // Wednesday evening: the week so far is three school days, for two classes six class-days.
    app.clock.advance(Duration::days(2));
    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let path = format!("/api/v1/districts/{}/dashboard?from=2026-11-23&to=2026-11-27", w.district_a);
    let body = app.get(&path, Some(&bureau)).await.expect(200).body;
    let section = &body["homework"];
    assert_eq!(section["available"], true);
    let a1 = school_row(section, w.school_a1);
    assert_eq!((a1["from"].as_str(), a1["to"].as_str()), (Some("2026-11-23"), Some("2026-11-25")));
    assert_eq!((a1["class_days"].as_u64(), a1["over_cap_class_days"].as_u64()), (Some(6), Some(1)));
    assert_eq!(a1["within_cap_percent"], 83.3);
    assert_eq!(a1["refused_sends"], 1);
    let grade = &a1["grades"][0];
    assert_eq!((grade["grade"].as_i64(), grade["cap_minutes"].as_i64()), (Some(3), Some(45)));
    // 100 minutes over six class-days.
    assert_eq!(grade["average_daily_written_minutes"], 16.7);
    assert!(grade["class_days_with_written"].is_null(), "grade 3 is not under HW_NO_WRITTEN_G12");
    // One family's report is one family: hidden, and the averages with it.
    assert_eq!(grade["reports"], json!({ "value": null, "suppressed": true }));
    assert!(grade["reported_average_minutes"].is_null() && grade["estimated_average_minutes"].is_null());
    // A1 is over the 5 % tolerance; the district line adds A2's class-days, all within the cap.
    assert_eq!(section["schools_over_cap"], 1);
    let refused: Vec<(&str, &str, u64)> = section["refused_sends"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap(), r["channel"].as_str().unwrap(), r["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(refused, vec![("HW_PARENT_BURDEN", "homework", 1)]);

    // The CSV has one line per school and grade.
    let csv = app
        .client
        .get(app.url(&format!("{path}&format=csv&section=homework")))
        .bearer_auth(&bureau)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().any(|l| l.starts_with("甲区第一小学,3,小学,45,6,16.7,83.3,,<10,,")), "{csv}");
}

#[tokio::test]
async fn the_afterschool_section_shows_each_plan_against_todays_rules_and_who_takes_part() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A third school of twelve families, each with a guardian who signs in.
    let (school, admin) = world::create_school(&app, &w.bureau_a, "甲区第三小学", "6-3", "admin-a3@test.cn").await;
    let rows: String =
        (0..12).map(|i| format!("R{i:04},学生{i},4,1,家长{i},1392000{i:04},,母亲,full,,,,,\n")).collect();
    let (_, families) =
        world::import_and_activate(&app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let sessions: Vec<Value> =
        (1..=5).map(|d| json!({ "weekday": d, "kind": "basic", "start": "15:40", "end": "17:50" })).collect();
    let plan = app
        .post(
            &format!("/api/v1/schools/{school}/afterschool/plans"),
            Some(&admin),
            json!({ "term_start": "2026-09-01", "term_end": "2027-01-20", "sessions": sessions }),
        )
        .await
        .expect(201)
        .body;
    let plan_id = plan["id"].as_str().unwrap().to_owned();
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(&admin), json!({})).await.expect(200);
    let football = app
        .post(
            &format!("/api/v1/afterschool/plans/{plan_id}/activities"),
            Some(&admin),
            json!({
                "name": "足球", "category": "sports", "description": "足球基础与对抗", "weekdays": [1, 3],
                "start": "16:00", "end": "17:30", "capacity": 20, "min_size": 0,
                "provider": { "kind": "school_teacher", "name": "王老师" },
                "fee": { "kind": "free" }, "allocation": "first_come",
            }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Eleven families opt in (ten all week, one three days), one does not; three children play football.
    for i in 0..12 {
        let token = &families[&format!("1392000{i:04}")];
        let child = world::children(&app, token).await[0].1;
        let basic = format!("/api/v1/children/{child}/afterschool/basic");
        let choice = match i {
            0..=9 => json!({ "opted_in": true }),
            10 => json!({ "opted_in": true, "weekdays": [1, 2, 4] }),
            _ => json!({ "opted_in": false }),
        };
        app.put(&basic, Some(token), choice).await.expect(200);
        if i < 3 {
            app.post(
                &format!("/api/v1/afterschool/activities/{football}/enrolments"),
                Some(token),
                json!({ "student_id": child }),
            )
            .await
            .expect(201);
        }
    }

    // The choices apply from next Monday.
    app.clock.advance(Duration::days(7));
    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let path = format!("/api/v1/districts/{}/dashboard", w.district_a);
    let body = app.get(&path, Some(&bureau)).await.expect(200).body;
    let section = &body["afterschool"];
    let row = school_row(section, school);
    assert_eq!(row["plan_published"], true);
    assert_eq!(row["breaches"], json!([]));
    assert_eq!(row["students"], json!({ "value": 12, "suppressed": false }));
    assert_eq!(row["in_basic"], json!({ "value": 11, "suppressed": false }));
    assert_eq!(row["basic_percent"]["value"], 91.7);
    assert_eq!(row["all_five_days_percent"]["value"], 90.9, "{row}");
    // Three children in electives: too few to show.
    assert_eq!(row["in_electives"], json!({ "value": null, "suppressed": true }));
    assert_eq!(row["electives_percent"]["suppressed"], true);
    assert_eq!(row["by_category"], json!([{ "category": "sports", "activities": 1 }]));
    assert_eq!(row["by_provider"], json!([{ "provider": "school_teacher", "activities": 1 }]));
    assert_eq!(school_row(section, w.school_a1)["plan_published"], false);
    assert_eq!((section["schools_with_plan"].as_u64(), section["schools_compliant"].as_u64()), (Some(1), Some(1)));

    // The district moves its off-work time to 18:00: the published plan now ends too early.
    let settings = format!("/api/v1/districts/{}/afterschool-settings", w.district_a);
    app.put(&settings, Some(&bureau), json!({ "off_work_time": "18:00" })).await.expect(200);
    let body = app.get(&path, Some(&bureau)).await.expect(200).body;
    assert_eq!(school_row(&body["afterschool"], school)["breaches"], json!(["AS_END_TIME"]));
    assert_eq!(body["afterschool"]["schools_compliant"], 0);
}

#[tokio::test]
async fn the_half_monthly_bulletin_names_each_schools_shortfalls_once_and_a_rerun_finds_the_same() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A1's 3-1 gets 50 minutes on Monday 23 and Tuesday 24 November; the bureau then tightens the
    // cap to 45: two of A1's 22 class-days of 16–30 November are over it (9.1 %, target 5 %).
    for date in ["2026-11-23", "2026-11-24"] {
        app.post(
            &format!("/api/v1/classes/{}/homework", w.class_a1_31),
            Some(&w.teacher_a1_head),
            homework("练习册。", 50, date),
        )
        .await
        .expect(201);
    }
    tighten_primary_cap(&app, &w).await;
    // A complaint the bureau forwards to A1 at once, which A1 leaves unanswered past Thursday 26;
    // another the bureau itself leaves lying (its delay, not the school's: not counted).
    let complaint = json!({ "student_id": w.s1, "category": "homework_burden", "text": "作业太多。" });
    let forwarded = app.post("/api/v1/complaints", Some(&w.g1), complaint.clone()).await.expect(201);
    let forward = format!("/api/v1/complaints/{}/forward", forwarded.body["id"].as_str().unwrap());
    app.post(&forward, Some(&w.bureau_a), json!({})).await.expect(200);
    app.post("/api/v1/complaints", Some(&w.g1), complaint).await.expect(201);
    let settings = format!("/api/v1/districts/{}/reporting-settings", w.district_a);
    let defaults =
        json!({ "k": 10, "homework_over_cap_percent": 5, "complaints_overdue": 0, "mentoring_behind_points": 25 });
    assert_eq!(app.get(&settings, Some(&w.bureau_a)).await.expect(200).body, defaults);
    let over =
        json!({ "k": 10, "homework_over_cap_percent": 101, "complaints_overdue": 0, "mentoring_behind_points": 25 });
    app.put(&settings, Some(&w.bureau_a), over).await.expect(422);
    app.put(&settings, Some(&w.admin_a1), defaults).await.expect(403);

    // Friday 27: the reminder goes out; no bulletin of 1–15 November, before the districts existed.
    app.clock.advance(Duration::days(4));
    let jobs = server::jobs::run_due(&app.state).await.expect("jobs");
    assert_eq!((jobs.complaint_reminders, jobs.bulletins_issued), (2, 0));
    // Tuesday 1 December: the bulletin of 16–30 November, once.
    app.clock.advance(Duration::days(4));
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").bulletins_issued, 2);
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").bulletins_issued, 0);

    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let list = app.get(&format!("/api/v1/districts/{}/bulletins", w.district_a), Some(&bureau)).await.expect(200);
    let starts: Vec<&str> =
        list.body["items"].as_array().unwrap().iter().map(|i| i["period_start"].as_str().unwrap()).collect();
    assert_eq!(starts, vec!["2026-11-16"]);
    let path = format!("/api/v1/districts/{}/bulletins/2026-11-16", w.district_a);
    let issued = app.get(&path, Some(&bureau)).await.expect(200).body;
    assert_eq!(issued["period_end"], "2026-11-30");
    assert_eq!(issued["schools_short"], 2, "A1 on three counts, A2 without an after-school plan");
    let a1 = school_row(&issued, w.school_a1);
    assert_eq!((a1["school_days"].as_u64(), a1["class_days"].as_u64()), (Some(11), Some(22)));
    assert_eq!(a1["over_cap_percent"], 9.1);
    assert_eq!(a1["complaints_overdue"], 1);
    let kinds: Vec<&str> = a1["shortfalls"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["homework_over_cap", "no_afterschool_plan", "complaints_overdue"]);
    assert_eq!(a1["shortfalls"][0]["figure"], 9.1);
    assert_eq!(a1["shortfalls"][0]["target"], 5.0);
    // The half-month before, re-run by the bureau: no homework yet, no overdue complaint; only the
    // missing plans.
    let first_half = format!("/api/v1/districts/{}/bulletins/2026-11-01", w.district_a);
    app.get(&first_half, Some(&bureau)).await.expect(404);
    let earlier =
        app.post(&format!("{first_half}/rerun"), Some(&bureau), json!({})).await.expect(200).body["bulletin"].clone();
    let kinds: Vec<&str> = school_row(&earlier, w.school_a1)["shortfalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["no_afterschool_plan"]);

    // A re-run says the same.
    let rerun = app.post(&format!("{path}/rerun"), Some(&bureau), json!({})).await.expect(200);
    assert_eq!(rerun.body["same_as_issued"], true);
    assert_eq!(rerun.body["bulletin"]["schools"], issued["schools"]);
    // A half-month that never had one is issued by its re-run; odd dates and the current one are refused.
    let october = format!("/api/v1/districts/{}/bulletins/2026-10-16", w.district_a);
    app.get(&october, Some(&bureau)).await.expect(404);
    assert_eq!(
        app.post(&format!("{october}/rerun"), Some(&bureau), json!({})).await.expect(200).body["same_as_issued"],
        true
    );
    app.get(&october, Some(&bureau)).await.expect(200);
    for bad in ["2026-11-17", "2026-12-01"] {
        let rerun = format!("/api/v1/districts/{}/bulletins/{bad}/rerun", w.district_a);
        let refused = app.post(&rerun, Some(&bureau), json!({})).await.expect(422);
        assert_eq!(refused.body["details"]["field"], "period_start");
    }

    // Each school's admins get their own part, and only theirs.
    let admin = app.login("admin-a1@test.cn", PASSWORD).await;
    let part =
        app.get(&format!("/api/v1/schools/{}/bulletins/2026-11-16", w.school_a1), Some(&admin)).await.expect(200);
    assert_eq!(part.body["shortfalls"].as_array().unwrap().len(), 3);
    let listed = app.get(&format!("/api/v1/schools/{}/bulletins", w.school_a1), Some(&admin)).await.expect(200);
    assert_eq!(listed.body["items"][0]["period_start"], "2026-11-16");
    assert_eq!(listed.body["items"][0]["shortfalls"], 3);
    assert!(listed.body["items"][0].get("schools_short").is_none(), "a school sees its own part only");
    let inbox = app.get("/api/v1/inbox", Some(&admin)).await.expect(200);
    let titles: Vec<&str> = inbox.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "bulletin")
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"半月通报（2026-11-16 至 2026-11-30）：本校 3 项未达标"), "{titles:?}");
    let other_admin = app.login("admin-a2@test.cn", PASSWORD).await;
    app.get(&format!("/api/v1/schools/{}/bulletins/2026-11-16", w.school_a1), Some(&other_admin)).await.expect(404);
    app.get(&format!("/api/v1/schools/{}/bulletins", w.school_a1), Some(&other_admin)).await.expect(404);
    let bureau_b = app.login("bureau-b@test.cn", PASSWORD).await;
    app.get(&path, Some(&bureau_b)).await.expect(404);
    app.get(&path, Some(&admin)).await.expect(403);
    let officer_inbox = app.get("/api/v1/inbox", Some(&bureau)).await.expect(200);
    assert!(
        officer_inbox.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "bulletin" && i["title"] == "半月通报（2026-11-16 至 2026-11-30）：2 所学校未达标")
    );
}

#[tokio::test]
async fn a_school_admin_reads_its_own_schools_dashboard_and_the_district_sets_its_k() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let b2 = school_of(&app, &w.bureau_b, "乙区第二小学", "admin-b2@test.cn", 15, "1390000").await;
    let b3 = school_of(&app, &w.bureau_b, "乙区第三小学", "admin-b3@test.cn", 25, "1391000").await;
    let admin_b3 = app.login("admin-b3@test.cn", PASSWORD).await;
    let own = format!("/api/v1/districts/{}/schools/{b3}/dashboard", w.district_b);
    let body = app.get(&own, Some(&admin_b3)).await.expect(200).body;
    for section in ["reach", "homework", "afterschool", "mentoring", "parent_school", "complaints"] {
        let rows = body[section]["schools"].as_array().expect("schools");
        assert_eq!(rows.len(), 1, "{section}");
        assert_eq!(rows[0]["school_id"], b3.to_string(), "{section}");
    }
    assert_eq!(body["reach"]["guardians"]["value"], 25);
    // One school's dashboard hides what the district's hides: B2's 15 is the complement of B1's 1
    // there, so it stays hidden here too (else B1 would be the district's total minus the rest).
    let b2_view = format!("/api/v1/districts/{}/schools/{b2}/dashboard", w.district_b);
    let b2_body = app.get(&b2_view, Some(&w.bureau_b)).await.expect(200).body;
    assert_eq!(b2_body["reach"]["schools"][0]["guardians"]["suppressed"], true);
    assert_eq!(b2_body["reach"]["guardians"], b2_body["reach"]["schools"][0]["guardians"], "the whole is the school");
    // The bureau reads any school's; the school's admin no other school's; staff and families none.
    app.get(&own, Some(&w.bureau_b)).await.expect(200);
    app.get(&format!("/api/v1/districts/{}/schools/{b2}/dashboard", w.district_b), Some(&admin_b3)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/schools/{b3}/dashboard", w.district_a), Some(&w.bureau_a)).await.expect(404);
    app.get(&own, Some(&w.bureau_a)).await.expect(404);
    app.get(&own, Some(&w.teacher_b1)).await.expect(404);
    app.get(&own, Some(&w.g4)).await.expect(404);
    let b1_teacher = format!("/api/v1/districts/{}/schools/{}/dashboard", w.district_b, w.school_b1);
    app.get(&b1_teacher, Some(&w.teacher_b1)).await.expect(403);

    // The district raises k to 20: B2's 15 families are hidden now, B3's 25 still shown.
    let settings = format!("/api/v1/districts/{}/reporting-settings", w.district_b);
    let raised =
        json!({ "k": 20, "homework_over_cap_percent": 5, "complaints_overdue": 0, "mentoring_behind_points": 25 });
    app.put(&settings, Some(&w.bureau_b), raised).await.expect(200);
    let district = app.get(&format!("/api/v1/districts/{}/dashboard", w.district_b), Some(&w.bureau_b)).await;
    let district = district.expect(200).body;
    assert_eq!(district["k"], 20);
    assert_eq!(school_row(&district["reach"], b2)["guardians"]["suppressed"], true);
    assert_eq!(school_row(&district["reach"], b3)["guardians"]["value"], 25);
    // Never below 5: a figure of fewer people points at a person.
    let low = json!({ "k": 4, "homework_over_cap_percent": 5, "complaints_overdue": 0, "mentoring_behind_points": 25 });
    assert_eq!(app.put(&settings, Some(&w.bureau_b), low).await.expect(422).body["details"]["field"], "k");
    app.put(
        &settings,
        Some(&w.bureau_a),
        json!({ "k": 20, "homework_over_cap_percent": 5, "complaints_overdue": 0, "mentoring_behind_points": 25 }),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn the_dashboard_page_is_served_from_the_binary_with_a_strict_policy() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let moved = client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(moved.status(), 302);
    assert_eq!(moved.headers()["location"], "/dashboard/");
    for (path, kind, needle) in [
        ("/dashboard/", "text/html", "/dashboard/app.js"),
        ("/dashboard/app.js", "text/javascript", "/districts/"),
        ("/dashboard/app.css", "text/css", "td.bad"),
        ("/dashboard/echarts.js", "text/javascript", "Apache"),
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with(kind), "{path}");
        assert!(response.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'self'"));
        assert!(response.text().await.unwrap().contains(needle), "{path}");
    }
    let wrong = client.post(app.url("/dashboard/")).send().await.unwrap();
    assert_eq!(wrong.status(), 405);
}

#[tokio::test]
async fn trends_follow_homework_and_complaints_week_by_week_and_rank_schools_by_compliance() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let a31 = w.class_a1_31;
    app.post(
        &format!("/api/v1/classes/{a31}/homework"),
        Some(&w.teacher_a1_head),
        homework("练习册。", 50, "2026-11-23"),
    )
    .await
    .expect(201);
    let burden = homework("完成练习册，请家长检查并签字。", 20, "2026-11-24");
    app.post(&format!("/api/v1/classes/{a31}/homework"), Some(&w.teacher_a1_head), burden).await.expect(422);
    tighten_primary_cap(&app, &w).await;
    app.post(
        "/api/v1/complaints",
        Some(&w.g1),
        json!({ "student_id": w.s1, "category": "homework_burden", "text": "作业太多。" }),
    )
    .await
    .expect(201);
    // Wednesday 25 November: three weeks, the last from Monday to today.
    app.clock.advance(Duration::days(2));
    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let path = format!("/api/v1/districts/{}/trends?period=week&periods=3", w.district_a);
    let body = app.get(&path, Some(&bureau)).await.expect(200).body;
    let periods: Vec<(&str, &str)> = body["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["from"].as_str().unwrap(), p["to"].as_str().unwrap()))
        .collect();
    assert_eq!(periods, vec![("2026-11-09", "2026-11-15"), ("2026-11-16", "2026-11-22"), ("2026-11-23", "2026-11-25")]);
    let a1 = school_row(&body, w.school_a1);
    // Two classes: ten class-days a full week, six this week, one of them over the cap.
    assert_eq!(a1["homework_within_cap_percent"], json!([100.0, 100.0, 83.3]));
    assert_eq!(a1["over_cap_class_days"], json!([0, 0, 1]));
    // One complaint is one family: hidden.
    assert_eq!(a1["complaints_received"][2], json!({ "value": null, "suppressed": true }));
    assert_eq!(a1["complaints_received"][0], json!({ "value": 0, "suppressed": false }));
    assert_eq!(body["refused_sends"], json!([0, 0, 1]));
    // A1 is the least compliant this week.
    assert_eq!(body["ranking"][0], w.school_a1.to_string());

    // The school's own trend, for its admin; the denials.
    let admin = app.login("admin-a1@test.cn", PASSWORD).await;
    let own = format!("/api/v1/districts/{}/schools/{}/trends?periods=2", w.district_a, w.school_a1);
    let mine = app.get(&own, Some(&admin)).await.expect(200).body;
    assert_eq!(mine["schools"].as_array().unwrap().len(), 1);
    assert_eq!(mine["period"], "week");
    let other = format!("/api/v1/districts/{}/schools/{}/trends", w.district_a, w.school_a2);
    app.get(&other, Some(&admin)).await.expect(404);
    let bureau_b = app.login("bureau-b@test.cn", PASSWORD).await;
    app.get(&path, Some(&bureau_b)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/trends", w.district_a), Some(&admin)).await.expect(403);
    for bad in ["0", "27"] {
        let reply = app.get(&format!("/api/v1/districts/{}/trends?periods={bad}", w.district_a), Some(&bureau)).await;
        assert_eq!(reply.expect(422).body["details"]["field"], "periods");
    }
    let months = format!("/api/v1/districts/{}/trends?period=month&periods=2", w.district_a);
    let months = app.get(&months, Some(&bureau)).await.expect(200).body;
    assert_eq!(months["periods"][1], json!({ "from": "2026-11-01", "to": "2026-11-25" }));
}

fn as_of(body: &Value) -> chrono::DateTime<chrono::Utc> {
    body["as_of"].as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("as_of: {}", body["as_of"]))
}

#[tokio::test]
async fn the_default_view_is_served_from_the_snapshot_while_fresh_and_complaints_are_counted_live() {
    use server::reporting::service::snapshot;
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let path = format!("/api/v1/districts/{}/dashboard", w.district_a);
    // Nothing precomputed yet: computed at the request.
    let live = app.get(&path, Some(&w.bureau_a)).await.expect(200).body;
    assert_eq!(as_of(&live), app.clock_now());
    // The refresh job stores each district with schools (A and B).
    assert_eq!(snapshot::refresh_all(&app.state).await.expect("refresh"), 2);
    let refreshed_at = app.clock_now();

    // A minute later a teacher posts 50 minutes of written homework and a family files a complaint.
    app.clock.advance(Duration::minutes(1));
    app.post(
        &format!("/api/v1/classes/{}/homework", w.class_a1_31),
        Some(&w.teacher_a1_head),
        homework("练习册第12页。", 50, "2026-11-23"),
    )
    .await
    .expect(201);
    let complaint = json!({ "student_id": w.s1, "category": "homework_burden", "text": "作业太多。", "anonymous_to_school": false });
    app.post("/api/v1/complaints", Some(&w.g1), complaint).await.expect(201);
    let served = app.get(&path, Some(&w.bureau_a)).await.expect(200).body;
    assert_eq!(as_of(&served), refreshed_at, "the snapshot is served, saying when it was computed");
    for section in ["reach", "homework", "afterschool", "mentoring", "parent_school"] {
        assert_eq!(served[section], live[section], "{section} as precomputed");
    }
    // Complaints are counted now: the one complaint is there (hidden, one family is under k).
    assert_eq!(school_row(&live["complaints"], w.school_a1)["received"], json!({ "value": 0, "suppressed": false }));
    assert_eq!(
        school_row(&served["complaints"], w.school_a1)["received"],
        json!({ "value": null, "suppressed": true })
    );
    // A period asked for is computed at the request: the new homework is in it.
    let asked = app.get(&format!("{path}?from=2026-11-23&to=2026-11-23"), Some(&w.bureau_a)).await.expect(200).body;
    assert_eq!(as_of(&asked), app.clock_now());
    let minutes =
        |body: &Value| school_row(&body["homework"], w.school_a1)["grades"][0]["average_daily_written_minutes"].clone();
    assert_ne!(minutes(&asked), minutes(&served));
    // A school admin's view is narrowed from the same snapshot.
    let own = format!("/api/v1/districts/{}/schools/{}/dashboard", w.district_a, w.school_a1);
    let admin_view = app.get(&own, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(as_of(&admin_view), refreshed_at);
    assert_eq!(admin_view["reach"]["schools"][0], school_row(&served["reach"], w.school_a1).clone());

    // Twice the refresh interval later (300 s in tests, the default) it is too old: computed live.
    app.clock.advance(Duration::seconds(2 * 300));
    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let stale = app.get(&path, Some(&bureau)).await.expect(200).body;
    assert_eq!(as_of(&stale), app.clock_now());
    assert_ne!(stale["homework"], live["homework"], "the live view has the new homework");
    // The next refresh stores what a live read shows.
    snapshot::refresh_all(&app.state).await.expect("refresh");
    let again = app.get(&path, Some(&bureau)).await.expect(200).body;
    for section in ["reach", "homework", "afterschool", "mentoring", "parent_school", "complaints"] {
        assert_eq!(again[section], stale[section], "{section} after the refresh");
    }

    // New settings drop the snapshot: the next read is computed under the new k.
    app.clock.advance(Duration::seconds(1));
    let settings = format!("/api/v1/districts/{}/reporting-settings", w.district_a);
    let raised =
        json!({ "k": 20, "homework_over_cap_percent": 5, "complaints_overdue": 0, "mentoring_behind_points": 25 });
    app.put(&settings, Some(&bureau), raised).await.expect(200);
    let under_new_k = app.get(&path, Some(&bureau)).await.expect(200).body;
    assert_eq!((under_new_k["k"].as_u64(), as_of(&under_new_k)), (Some(20), app.clock_now()));
    // … and so does a new school: the district's list is not the snapshot's any more.
    snapshot::refresh_all(&app.state).await.expect("refresh");
    app.clock.advance(Duration::seconds(1));
    school_of(&app, &bureau, "甲区第三小学", "admin-a3@test.cn", 12, "1392000").await;
    let with_new_school = app.get(&path, Some(&bureau)).await.expect(200).body;
    assert_eq!(as_of(&with_new_school), app.clock_now());
    assert_eq!(with_new_school["reach"]["schools"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn trends_follow_parent_school_participation_period_by_period() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::org::model::student;
    use server::parent_school::model::{Source, entry};
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // District B: B1 has one family (hidden), B2 20 (hidden with it, its complement), B3 30.
    school_of(&app, &w.bureau_b, "乙区第二小学", "admin-b2@test.cn", 20, "1390000").await;
    let b3 = school_of(&app, &w.bureau_b, "乙区第三小学", "admin-b3@test.cn", 30, "1391000").await;
    let families: Vec<uuid::Uuid> = student::Entity::find()
        .filter(student::Column::SchoolId.eq(b3))
        .all(&app.state.db)
        .await
        .expect("students")
        .into_iter()
        .map(|s| s.id)
        .collect();
    // The ledger as the parent school writes it: 12 families complete an online course in the
    // week of 9 November (one of them twice), 15 confirm a practice this week; in the week of 16
    // November one entry is made and reversed, which is no participation.
    let entry = |student: uuid::Uuid, at: &str, credits: i16, reverses: Option<uuid::Uuid>| entry::Model {
        id: uuid::Uuid::now_v7(),
        school_id: b3,
        student_id: student,
        stage: "primary".into(),
        course_id: None,
        source: if at.starts_with("2026-11-2") { Source::Practice } else { Source::Online },
        evidence: "test".into(),
        credits,
        reason: None,
        earned_by: None,
        recorded_by: uuid::Uuid::nil(),
        reverses,
        once_key: None,
        created_at: at.parse().expect("instant"),
    };
    let mut rows: Vec<entry::Model> =
        families[..12].iter().map(|s| entry(*s, "2026-11-10T02:00:00Z", 1, None)).collect();
    rows.push(entry(families[0], "2026-11-12T02:00:00Z", 1, None));
    rows.extend(families[..15].iter().map(|s| entry(*s, "2026-11-23T03:00:00Z", 1, None)));
    let mistaken = entry(families[20], "2026-11-17T02:00:00Z", 1, None);
    rows.push(entry(families[20], "2026-11-17T03:00:00Z", -1, Some(mistaken.id)));
    rows.push(mistaken);
    entry::Entity::insert_many(rows.into_iter().map(entry::ActiveModel::from))
        .exec_without_returning(&app.state.db)
        .await
        .expect("ledger");

    app.clock.advance(Duration::days(2));
    let bureau = app.login("bureau-b@test.cn", PASSWORD).await;
    let path = format!("/api/v1/districts/{}/trends?period=week&periods=3", w.district_b);
    let body = app.get(&path, Some(&bureau)).await.expect(200).body;
    let b3_row = school_row(&body, b3);
    let shown: Vec<Value> = b3_row["parent_school_participation"]
        .as_array()
        .expect("per period")
        .iter()
        .map(|p| if p["bound"].is_null() { p["value"].clone() } else { p["bound"].clone() })
        .collect();
    // 12 of 30, none (0 of 30 over so few families is a bound), 15 of 30.
    assert_eq!(shown, vec![json!(40.0), json!("below5"), json!(50.0)]);
    let b1_row = school_row(&body, w.school_b1);
    assert!(b1_row["parent_school_participation"].as_array().unwrap().iter().all(|p| p["suppressed"] == true));
    // The district: 12 and 15 of 51 families.
    let whole: Vec<Value> =
        body["parent_school_participation"].as_array().unwrap().iter().map(|p| p["value"].clone()).collect();
    assert_eq!(whole, vec![json!(23.5), Value::Null, json!(29.4)]);
    // The school's own trend is its row.
    let admin = app.login("admin-b3@test.cn", PASSWORD).await;
    let own = format!("/api/v1/districts/{}/schools/{b3}/trends?period=week&periods=3", w.district_b);
    let mine = app.get(&own, Some(&admin)).await.expect(200).body;
    assert_eq!(mine["parent_school_participation"], b3_row["parent_school_participation"]);
}
