//! Homework over HTTP: every rule blocked and allowed, the cap across subjects and teachers, the
//! stage systems, the family view and digest, edits and withdrawal, feedback, publicity, the
//! district's caps and refused-send counts, and who may do what.

use chrono::Duration;
use jiaxiao_tests::fakes::PushGatewayFake;
use jiaxiao_tests::world::{self, PASSWORD, STAFF_HEADER, STUDENT_HEADER, World};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with, spawn_app_with_mail_and_push};
use serde_json::Value;
use uuid::Uuid;

/// The test clock's day: Monday 2026-11-23 (16:00 in Shanghai).
const TODAY: &str = "2026-11-23";

/// The shared world plus: 李老师 teaches Chinese in A1 3-1; 周老师 is class teacher of A1 1-1 and
/// of A1 6-1; 钱老师 is class teacher of A2 6-1 (五四制: grade 6 is junior there); a second
/// family (g5, full) in A1 3-1.
struct Homework {
    w: World,
    chinese_a1_31: String,
    teacher_a1_low: String,
    teacher_a2: String,
    class_a1_11: Uuid,
    class_a1_61: Uuid,
    class_a2_61: Uuid,
    g5: String,
    s5: Uuid,
}

async fn class_of(app: &TestApp, admin: &str, school: Uuid, grade: i64, number: i64) -> Uuid {
    let reply = app.get(&format!("/api/v1/schools/{school}/classes"), Some(admin)).await.expect(200);
    let class = reply.body["items"]
        .as_array()
        .and_then(|items| items.iter().find(|c| c["grade"] == grade && c["number"] == number).cloned())
        .unwrap_or_else(|| panic!("class {grade}-{number} missing"));
    class["id"].as_str().and_then(|s| s.parse().ok()).expect("class id")
}

async fn homework_world(app: &TestApp) -> Homework {
    let w = world::build(app).await;
    let staff = format!(
        "{STAFF_HEADER}T1,王老师,13700000001,,teacher,3-1:head;3-1:math\nT2,赵老师,13700000002,,teacher,3-2:english\nT3,李老师,13700000005,,teacher,3-1:chinese\nT4,周老师,13700000006,,teacher,1-1:head;6-1:head\n"
    );
    let (_, tokens) = world::import_and_activate(app, &w.admin_a1, w.school_a1, "staff", &staff).await;
    let students = format!(
        "{STUDENT_HEADER}S1,张小一,3,1,张伟,13800000001,,父亲,full,李阿姨,13800000002,,其他,pickup\nS2,张小二,3,2,周敏,13800000003,,母亲,informational,张伟,13800000001,,父亲,full\nS5,刘小五,3,1,刘芳,13800000005,,母亲,full,,,,,\n"
    );
    let (_, families) = world::import_and_activate(app, &w.admin_a1, w.school_a1, "students", &students).await;
    let g5 = families["13800000005"].clone();
    let me = app.get("/api/v1/me", Some(&g5)).await.expect(200);
    let s5 = me.body["children"][0]["id"].as_str().and_then(|s| s.parse().ok()).expect("child id");
    Homework {
        chinese_a1_31: tokens["13700000005"].clone(),
        teacher_a1_low: tokens["13700000006"].clone(),
        teacher_a2: app.login("13700000003", PASSWORD).await,
        class_a1_11: class_of(app, &w.admin_a1, w.school_a1, 1, 1).await,
        class_a1_61: class_of(app, &w.admin_a1, w.school_a1, 6, 1).await,
        class_a2_61: class_of(app, &w.admin_a2, w.school_a2, 6, 1).await,
        g5,
        s5,
        w,
    }
}

fn homework(subject: &str, content: &str, kind: &str, tier: &str, minutes: i64, location: &str) -> Value {
    json!({
        "subject": subject, "title": format!("{subject}作业"), "content": content, "kind": kind, "tier": tier,
        "estimated_minutes": minutes, "location": location, "date": TODAY,
    })
}

fn written(subject: &str, minutes: i64) -> Value {
    homework(subject, "完成练习册第12页。", "written", "basic", minutes, "home")
}

fn post_path(class: Uuid) -> String {
    format!("/api/v1/classes/{class}/homework")
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

async fn budget(app: &TestApp, token: &str, class: Uuid) -> Value {
    app.get(&format!("/api/v1/classes/{class}/homework-budget?date={TODAY}"), Some(token)).await.expect(200).body
}

#[tokio::test]
async fn a_teacher_posts_homework_and_families_with_full_access_see_it_read_only() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 20)).await.expect(201);
    assert_eq!(posted.body["revision"], 1);
    assert_eq!(posted.body["counts_toward_cap"], true);
    assert_eq!(posted.body["teacher_name"], "王老师");

    let view = app.get(&format!("/api/v1/children/{}/homework?date={TODAY}", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(view.body["child"]["name"], "张小一");
    assert_eq!(view.body["written_minutes"], 20);
    let item = &view.body["items"][0];
    assert_eq!(item["subject"], "数学");
    assert_eq!(item["optional"], false);
    // Read-only: what the child has, and nothing for the guardian to check, grade or submit.
    let mut keys: Vec<&str> = item.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "content",
            "edited",
            "estimated_minutes",
            "id",
            "kind",
            "location",
            "optional",
            "reported_minutes",
            "subject",
            "teacher_name",
            "tier",
            "title"
        ]
    );
    // The inbox names the child.
    let inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    let first = &inbox.body["items"][0];
    assert_eq!(first["kind"], "homework");
    assert_eq!(first["children"][0]["name"], "张小一");
    assert_eq!(first["title"], format!("数学 · 数学作业 ({TODAY})"));

    // Pickup-only and other families see nothing; nor do informational links.
    app.get(&format!("/api/v1/children/{}/homework", w.s1), Some(&w.g2)).await.expect(404);
    app.get(&format!("/api/v1/children/{}/homework", w.s1), Some(&w.g4)).await.expect(404);
    app.post(&post_path(w.class_a1_32), Some(&w.teacher_a1_other), written("英语", 15)).await.expect(201);
    app.get(&format!("/api/v1/children/{}/homework", w.s2), Some(&w.g3)).await.expect(404);
    let g3_inbox = app.get("/api/v1/inbox", Some(&w.g3)).await.expect(200);
    assert!(g3_inbox.body["items"].as_array().expect("items").iter().all(|i| i["kind"] != "homework"));
}

#[tokio::test]
async fn only_a_teacher_of_the_class_may_post_and_only_the_subjects_they_teach() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let path = post_path(w.class_a1_31);
    // Staff of the school who do not teach the class: 403; admins too (they do not set homework).
    app.post(&path, Some(&w.teacher_a1_other), written("英语", 10)).await.expect(403);
    app.post(&path, Some(&w.admin_a1), written("数学", 10)).await.expect(403);
    // Another school's teacher, a guardian, a bureau officer: 404.
    app.post(&path, Some(&w.teacher_b1), written("数学", 10)).await.expect(404);
    app.post(&path, Some(&w.g1), written("数学", 10)).await.expect(404);
    app.post(&path, Some(&w.bureau_a), written("数学", 10)).await.expect(404);
    // A subject teacher posts only their subject; the class teacher any.
    app.post(&path, Some(&h.chinese_a1_31), written("数学", 10)).await.expect(403);
    app.post(&path, Some(&h.chinese_a1_31), written("语文", 10)).await.expect(201);
    app.post(&path, Some(&w.teacher_a1_head), written("科学", 10)).await.expect(201);
    // Nothing was posted by the refused attempts.
    let list = app.get(&format!("{path}?date={TODAY}"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(list.body["items"].as_array().expect("items").len(), 2);
    // Reading the class's homework and budget: its teachers and admins, not other staff.
    app.get(&format!("{path}?date={TODAY}"), Some(&w.teacher_a1_other)).await.expect(403);
    app.get(&format!("/api/v1/classes/{}/homework-budget", w.class_a1_31), Some(&w.teacher_b1)).await.expect(404);
    app.get(&format!("/api/v1/classes/{}/homework-budget", w.class_a1_31), Some(&w.g1)).await.expect(404);
}

#[tokio::test]
async fn bad_homework_input_gets_a_clear_validation_error() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let path = post_path(w.class_a1_31);
    let token = Some(w.teacher_a1_head.as_str());
    for (field, body) in [
        ("estimated_minutes", written("数学", 0)),
        ("estimated_minutes", written("数学", 181)),
        ("subject", written("", 10)),
        ("content", homework("数学", "   ", "written", "basic", 10, "home")),
        (
            "date",
            json!({ "subject": "数学", "title": "t", "content": "c", "kind": "written", "tier": "basic", "estimated_minutes": 10, "location": "home", "date": "2026-11-20" }),
        ),
    ] {
        let reply = app.post(&path, token, body).await.expect(422);
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.body["details"]["field"], field, "{}", reply.body);
    }
    let unknown_kind = json!({ "subject": "数学", "title": "t", "content": "c", "kind": "essay", "tier": "basic", "estimated_minutes": 10, "location": "home", "date": TODAY });
    assert_eq!(app.post(&path, token, unknown_kind).await.status, 422);
}

#[tokio::test]
async fn hw_parent_burden_and_hw_self_grading_refuse_a_post_store_nothing_and_are_counted() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let path = post_path(w.class_a1_31);
    let token = Some(w.teacher_a1_head.as_str());

    let burden = homework("数学", "完成练习册第12页，请家长检查并签字。", "written", "basic", 20, "home");
    let refused = app.post(&path, token, burden).await.expect(422);
    assert_eq!(refused.code(), "hw_parent_burden");
    let violations = refused.body["details"]["violations"].as_array().expect("violations");
    assert_eq!(violations[0]["field"], "content");
    assert_eq!(violations[0]["excerpt"], "检查");
    assert!(violations[0]["suggestion"].as_str().expect("suggestion").contains("无需"));

    let self_grading = homework("数学", "口算一页，对照答案自批自改。", "written", "basic", 20, "home");
    assert_eq!(app.post(&path, token, self_grading).await.expect(422).code(), "hw_self_grading");

    // Negated and non-homework requests go through.
    let fine = homework("数学", "完成练习册第12页，家长无需检查和签字。", "written", "basic", 20, "home");
    app.post(&path, token, fine).await.expect(201);
    let list = app.get(&format!("{path}?date={TODAY}"), token).await.expect(200);
    assert_eq!(list.body["items"].as_array().expect("items").len(), 1, "refused posts stored nothing");

    // The rule applies to notices too, and the draft check answers the same.
    let notice = json!({ "title": "作业提醒", "body": "请家长每天检查孩子的作业并签字。", "audience": { "class_ids": [w.class_a1_31] }, "response_mode": "read" });
    assert_eq!(app.post("/api/v1/notices", token, notice).await.expect(422).code(), "hw_parent_burden");
    let draft = json!({ "text": "请家长打印练习卷", "channel": "homework", "audience": "group" });
    let checked = app.post("/api/v1/policy/check", token, draft).await.expect(200);
    assert_eq!(checked.body["violations"][0]["rule"], "HW_PARENT_BURDEN");

    // The bureau sees counts by rule, channel, school and day — no text, no teacher.
    let counts =
        app.get(&format!("/api/v1/districts/{}/blocked-sends", w.district_a), Some(&w.bureau_a)).await.expect(200);
    let items = counts.body["items"].as_array().expect("items");
    let count = |rule: &str, channel: &str| {
        items
            .iter()
            .filter(|i| i["rule"] == rule && i["channel"] == channel)
            .map(|i| i["count"].as_i64().unwrap_or(0))
            .sum::<i64>()
    };
    assert_eq!(count("HW_PARENT_BURDEN", "homework"), 1);
    assert_eq!(count("HW_SELF_GRADING", "homework"), 1);
    assert_eq!(count("HW_PARENT_BURDEN", "notice"), 1);
    assert!(items.iter().all(|i| i["school_id"] == w.school_a1.to_string() && i["date"] == TODAY));
    let keys: Vec<&str> = items[0].as_object().expect("object").keys().map(String::as_str).collect();
    assert!(!keys.iter().any(|k| k.contains("text") || k.contains("teacher")), "{keys:?}");
    app.get(&format!("/api/v1/districts/{}/blocked-sends", w.district_a), Some(&w.bureau_b)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/blocked-sends", w.district_a), Some(&w.admin_a1)).await.expect(403);
}

#[tokio::test]
async fn hw_no_written_g12_keeps_written_homework_at_school_in_grades_one_and_two() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let path = post_path(h.class_a1_11);
    let token = Some(h.teacher_a1_low.as_str());
    let refused = app.post(&path, token, written("语文", 10)).await.expect(422);
    assert_eq!(refused.code(), "hw_no_written_g12");
    app.post(&path, token, homework("语文", "在课后服务时间抄写生字。", "written", "basic", 15, "school"))
        .await
        .expect(201);
    app.post(&path, token, homework("语文", "和家人分享一个故事。", "oral", "basic", 10, "home")).await.expect(201);
    app.post(&path, token, homework("语文", "读绘本十分钟。", "reading", "basic", 10, "home")).await.expect(201);
    let b = budget(&app, &h.teacher_a1_low, h.class_a1_11).await;
    assert_eq!(b["written_at_home_allowed"], false);
    assert_eq!(b["used_minutes"], 0);
    // Grade 6 of the same teacher's school is not affected.
    app.post(&post_path(h.class_a1_61), token, written("语文", 10)).await.expect(201);
}

#[tokio::test]
async fn the_daily_cap_spans_subjects_and_teachers_and_optional_or_school_work_does_not_count() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let path = post_path(w.class_a1_31);
    let maths = app.post(&path, Some(&w.teacher_a1_head), written("数学", 35)).await.expect(201);
    app.post(&path, Some(&h.chinese_a1_31), written("语文", 25)).await.expect(201);

    // The grade team sees the same budget from either subject.
    for token in [&w.teacher_a1_head, &h.chinese_a1_31, &w.admin_a1] {
        let b = budget(&app, token, w.class_a1_31).await;
        assert_eq!(
            (b["cap_minutes"].as_i64(), b["used_minutes"].as_i64(), b["remaining_minutes"].as_i64()),
            (Some(60), Some(60), Some(0))
        );
        assert_eq!(b["stage"], "primary");
        assert_eq!(
            b["by_subject"],
            json!([{ "subject": "数学", "minutes": 35 }, { "subject": "语文", "minutes": 25 }])
        );
    }

    let over = app.post(&path, Some(&h.chinese_a1_31), written("语文", 10)).await.expect(422);
    assert_eq!(over.code(), "hw_daily_cap");
    assert_eq!(over.body["details"]["remaining_minutes"], 0);
    assert_eq!(over.body["details"]["by_subject"][0]["subject"], "数学");

    // Optional tier, at-school and non-written homework do not count.
    let optional = app
        .post(
            &path,
            Some(&h.chinese_a1_31),
            homework("语文", "选做：摘抄好词好句。", "written", "optional", 20, "home"),
        )
        .await
        .expect(201);
    assert_eq!(optional.body["counts_toward_cap"], false);
    app.post(&path, Some(&h.chinese_a1_31), homework("语文", "课后服务时完成。", "written", "basic", 20, "school"))
        .await
        .expect(201);
    app.post(&path, Some(&h.chinese_a1_31), homework("语文", "朗读课文。", "oral", "basic", 15, "home"))
        .await
        .expect(201);
    let family = app.get(&format!("/api/v1/children/{}/homework?date={TODAY}", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(family.body["written_minutes"], 60);
    assert!(family.body["items"].as_array().expect("items").iter().any(|i| i["optional"] == true));

    // Another day has its own budget; withdrawing frees minutes.
    let mut tomorrow = written("语文", 30);
    tomorrow["date"] = json!("2026-11-24");
    app.post(&path, Some(&h.chinese_a1_31), tomorrow).await.expect(201);
    app.post(&format!("/api/v1/homework/{}/withdraw", id_of(&maths.body)), Some(&w.teacher_a1_head), json!({}))
        .await
        .expect(200);
    assert_eq!(budget(&app, &w.teacher_a1_head, w.class_a1_31).await["remaining_minutes"], 35);
    app.post(&path, Some(&h.chinese_a1_31), written("语文", 10)).await.expect(201);
}

#[tokio::test]
async fn two_teachers_posting_at_once_cannot_both_take_the_last_minutes() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let path = post_path(w.class_a1_31);
    app.post(&path, Some(&w.teacher_a1_head), written("数学", 30)).await.expect(201);
    // 30 minutes left; two posts of 20 race for them.
    let (a, b) = tokio::join!(
        app.post(&path, Some(&w.teacher_a1_head), written("数学", 20)),
        app.post(&path, Some(&h.chinese_a1_31), written("语文", 20)),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422]);
    assert_eq!(budget(&app, &w.teacher_a1_head, w.class_a1_31).await["used_minutes"], 50);
}

#[tokio::test]
async fn the_cap_follows_each_schools_stage_system_and_the_districts_stricter_setting() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    // Grade 6 is primary in 六三制 (A1, cap 60) and junior in 五四制 (A2, cap 90).
    assert_eq!(
        app.post(&post_path(h.class_a1_61), Some(&h.teacher_a1_low), written("数学", 61)).await.expect(422).code(),
        "hw_daily_cap"
    );
    app.post(&post_path(h.class_a2_61), Some(&h.teacher_a2), written("数学", 61)).await.expect(201);
    let junior = budget(&app, &h.teacher_a2, h.class_a2_61).await;
    assert_eq!((junior["stage"].as_str(), junior["cap_minutes"].as_i64()), (Some("junior"), Some(90)));
    app.post(&post_path(h.class_a2_61), Some(&h.teacher_a2), written("语文", 30)).await.expect(422);

    // The bureau may tighten the caps, never loosen them.
    let settings = format!("/api/v1/districts/{}/homework-settings", w.district_a);
    assert_eq!(app.get(&settings, Some(&w.bureau_a)).await.expect(200).body["primary_cap_minutes"], 60);
    app.put(&settings, Some(&w.bureau_a), json!({ "primary_cap_minutes": 70, "junior_cap_minutes": 90 }))
        .await
        .expect(422);
    app.put(&settings, Some(&w.bureau_b), json!({ "primary_cap_minutes": 45, "junior_cap_minutes": 80 }))
        .await
        .expect(404);
    app.put(&settings, Some(&w.admin_a1), json!({ "primary_cap_minutes": 45, "junior_cap_minutes": 80 }))
        .await
        .expect(403);
    app.put(&settings, Some(&w.bureau_a), json!({ "primary_cap_minutes": 45, "junior_cap_minutes": 80 }))
        .await
        .expect(200);
    assert_eq!(
        app.post(&post_path(h.class_a1_61), Some(&h.teacher_a1_low), written("数学", 50)).await.expect(422).code(),
        "hw_daily_cap"
    );
    app.post(&post_path(h.class_a1_61), Some(&h.teacher_a1_low), written("数学", 45)).await.expect(201);
    // A2 already has 61 of a now-80 junior cap.
    assert_eq!(budget(&app, &h.teacher_a2, h.class_a2_61).await["remaining_minutes"], 19);
    // District B keeps the national caps.
    assert_eq!(budget(&app, &w.teacher_b1, w.class_b1_31).await["cap_minutes"], 60);
}

#[tokio::test]
async fn edits_are_judged_again_and_kept_in_the_history_and_withdrawal_reaches_families() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 20)).await.expect(201);
    let id = id_of(&posted.body);
    let item = format!("/api/v1/homework/{id}");
    app.post(&format!("{item}/read"), Some(&w.g1), json!({})).await.expect(204);
    app.post(&format!("{item}/read"), Some(&w.g4), json!({})).await.expect(404);
    let open = |body: &Value| {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["ref_id"] == id.as_str())
            .cloned()
            .expect("inbox item")
    };

    assert_eq!(
        app.patch(&item, Some(&w.teacher_a1_head), json!({ "content": "请家长批改后签字。" })).await.expect(422).code(),
        "hw_parent_burden"
    );
    assert_eq!(
        app.patch(&item, Some(&w.teacher_a1_head), json!({ "estimated_minutes": 61 })).await.expect(422).code(),
        "hw_daily_cap"
    );
    let edited = app
        .patch(&item, Some(&w.teacher_a1_head), json!({ "estimated_minutes": 60, "title": "口算" }))
        .await
        .expect(200);
    assert_eq!((edited.body["revision"].as_i64(), edited.body["title"].as_str()), (Some(2), Some("口算")));
    // A retried edit changes nothing: no new revision.
    let again = app
        .patch(&item, Some(&w.teacher_a1_head), json!({ "estimated_minutes": 60, "title": "口算" }))
        .await
        .expect(200);
    assert_eq!(again.body["revision"], 2);
    let family = app.get(&format!("/api/v1/children/{}/homework?date={TODAY}", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(family.body["items"][0]["edited"], true);
    assert_eq!(open(&app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200).body)["read"], false);

    // Only the author edits; other staff 403, families and other schools 404.
    app.patch(&item, Some(&h.chinese_a1_31), json!({ "title": "x" })).await.expect(403);
    app.patch(&item, Some(&w.admin_a1), json!({ "title": "x" })).await.expect(403);
    app.patch(&item, Some(&w.g1), json!({ "title": "x" })).await.expect(404);
    app.patch(&item, Some(&w.teacher_b1), json!({ "title": "x" })).await.expect(404);
    app.post(&format!("{item}/withdraw"), Some(&h.chinese_a1_31), json!({})).await.expect(403);

    // The school admin may withdraw it; then it is gone for families and marked in the inbox.
    app.post(&format!("{item}/withdraw"), Some(&w.admin_a1), json!({})).await.expect(200);
    app.post(&format!("{item}/withdraw"), Some(&w.teacher_a1_head), json!({})).await.expect(409);
    app.patch(&item, Some(&w.teacher_a1_head), json!({ "title": "again" })).await.expect(409);
    let family = app.get(&format!("/api/v1/children/{}/homework?date={TODAY}", w.s1), Some(&w.g1)).await.expect(200);
    assert!(family.body["items"].as_array().expect("items").is_empty());
    let inbox_item = open(&app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200).body);
    assert!(inbox_item["subject_id"].is_null(), "homework opens its ref_id");
    assert_eq!((inbox_item["recalled"].as_bool(), inbox_item["preview"].as_str()), (Some(true), Some("")));

    let history = app.get(&format!("{item}/history"), Some(&w.teacher_a1_head)).await.expect(200);
    let changes: Vec<&str> =
        history.body["items"].as_array().expect("items").iter().map(|r| r["change"].as_str().unwrap_or("")).collect();
    assert_eq!(changes, ["posted", "edited", "withdrawn"]);
    assert_eq!(history.body["items"][0]["estimated_minutes"], 20);
    app.get(&format!("{item}/history"), Some(&w.g1)).await.expect(404);
    app.get(&format!("{item}/history"), Some(&w.teacher_a1_other)).await.expect(403);
}

#[tokio::test]
async fn duration_feedback_reaches_teachers_per_item_and_the_school_per_class() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 30)).await.expect(201);
    let feedback = format!("/api/v1/homework/{}/feedback", id_of(&posted.body));
    app.post(&feedback, Some(&w.g1), json!({ "student_id": w.s1, "minutes": 50 })).await.expect(200);
    // A second report replaces the first.
    app.post(&feedback, Some(&w.g1), json!({ "student_id": w.s1, "minutes": 40 })).await.expect(200);
    app.post(&feedback, Some(&h.g5), json!({ "student_id": h.s5, "minutes": 50 })).await.expect(200);
    // Not one's child, not the child's class, pickup links, bad minutes.
    app.post(&feedback, Some(&w.g4), json!({ "student_id": w.s4, "minutes": 10 })).await.expect(404);
    app.post(&feedback, Some(&w.g1), json!({ "student_id": h.s5, "minutes": 10 })).await.expect(404);
    app.post(&feedback, Some(&w.g1), json!({ "student_id": w.s2, "minutes": 10 })).await.expect(404);
    app.post(&feedback, Some(&w.g2), json!({ "student_id": w.s1, "minutes": 10 })).await.expect(404);
    app.post(&feedback, Some(&w.g1), json!({ "student_id": w.s1, "minutes": 0 })).await.expect(422);

    let family = app.get(&format!("/api/v1/children/{}/homework?date={TODAY}", w.s1), Some(&w.g1)).await.expect(200);
    assert_eq!(family.body["items"][0]["reported_minutes"], 40);
    let list =
        app.get(&format!("{}?date={TODAY}", post_path(w.class_a1_31)), Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(list.body["items"][0]["feedback"], json!({ "report_count": 2, "average_minutes": 45.0 }));

    let school = format!("/api/v1/schools/{}/homework-feedback?week=2026-W48", w.school_a1);
    let per_class = app.get(&school, Some(&w.admin_a1)).await.expect(200);
    let row = per_class.body["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .find(|c| c["class_id"] == w.class_a1_31.to_string())
        .cloned()
        .expect("3-1");
    assert_eq!(
        (row["estimated_minutes"].as_i64(), row["reported_minutes"].as_f64(), row["reports"].as_i64()),
        (Some(30), Some(45.0), Some(2))
    );
    // Two reports are two families' answers: the class's own teacher sees them, a colleague who
    // does not teach 3-1 sees the counts but not the minutes.
    let cell = |reply: &jiaxiao_tests::Reply| {
        let rows = reply.body["classes"].as_array().expect("classes").clone();
        rows.into_iter().find(|c| c["class_id"] == w.class_a1_31.to_string()).expect("3-1")
    };
    let own = app.get(&school, Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(cell(&own)["reported_minutes"], 45.0);
    let colleague = app.get(&school, Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(
        (cell(&colleague)["reported_minutes"].clone(), cell(&colleague)["reports"].clone()),
        (Value::Null, json!(2))
    );
    app.get(&school, Some(&w.g1)).await.expect(404);
    app.get(&school, Some(&w.admin_b1)).await.expect(404);
}

#[tokio::test]
async fn publicity_shows_each_grade_to_the_schools_families_staff_and_bureau_only() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 30)).await.expect(201);
    app.post(
        &post_path(w.class_a1_32),
        Some(&w.teacher_a1_other),
        homework("英语", "跟读课文。", "oral", "basic", 20, "home"),
    )
    .await
    .expect(201);
    let path = format!("/api/v1/schools/{}/homework-publicity?week=2026-W48", w.school_a1);
    let publicity = app.get(&path, Some(&w.g1)).await.expect(200);
    assert_eq!(
        (publicity.body["from"].as_str(), publicity.body["to"].as_str()),
        (Some("2026-11-23"), Some("2026-11-29"))
    );
    let grade3 = publicity.body["grades"]
        .as_array()
        .expect("grades")
        .iter()
        .find(|g| g["grade"] == 3)
        .cloned()
        .expect("grade 3");
    assert_eq!(grade3["classes"], 2);
    // 30 written minutes over 2 classes × 5 school days.
    assert_eq!(grade3["average_daily_written_minutes"], 3.0);
    assert_eq!(
        grade3["by_subject"],
        json!([{ "name": "数学", "minutes": 30, "items": 1 }, { "name": "英语", "minutes": 20, "items": 1 }])
    );
    assert_eq!(
        grade3["by_kind"],
        json!([{ "name": "written", "minutes": 30, "items": 1 }, { "name": "oral", "minutes": 20, "items": 1 }])
    );
    assert_eq!(grade3["cap_minutes"], 60);

    app.get(&path, Some(&w.admin_a1)).await.expect(200);
    app.get(&path, Some(&w.teacher_a1_other)).await.expect(200);
    app.get(&path, Some(&w.bureau_a)).await.expect(200);
    app.get(&path, Some(&w.bureau_b)).await.expect(404);
    app.get(&path, Some(&w.g4)).await.expect(404);
    app.get(&path, Some(&w.teacher_b1)).await.expect(404);
    // The bureau sees every school of its district in one call, and only its district.
    let district = format!("/api/v1/districts/{}/homework-publicity?week=2026-W48", w.district_a);
    let all = app.get(&district, Some(&w.bureau_a)).await.expect(200);
    let schools: Vec<&str> = all.body["schools"]
        .as_array()
        .expect("schools")
        .iter()
        .map(|s| s["school_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(schools.len(), 2);
    assert!(schools.contains(&w.school_a1.to_string().as_str()) && schools.contains(&w.school_a2.to_string().as_str()));
    let a1 = all.body["schools"]
        .as_array()
        .expect("schools")
        .iter()
        .find(|s| s["school_id"] == w.school_a1.to_string())
        .cloned()
        .expect("A1");
    assert_eq!(a1["grades"], publicity.body["grades"]);
    app.get(&district, Some(&w.bureau_b)).await.expect(404);
    app.get(&district, Some(&w.admin_a1)).await.expect(403);
    app.get(&district, Some(&w.g1)).await.expect(403);
    let bad_week = format!("/api/v1/schools/{}/homework-publicity?week=48", w.school_a1);
    assert_eq!(app.get(&bad_week, Some(&w.admin_a1)).await.expect(422).code(), "validation_failed");
}

/// A school whose families have emails and devices: (class teacher of 4-1, the class, the admin,
/// the school).
async fn mailed_school(app: &TestApp, families: usize) -> (String, Uuid, String, Uuid) {
    let (_, bureau) = world::bootstrap_district(app, "甲区", "bureau@test.cn").await;
    let (school, admin) = world::create_school(app, &bureau, "一小", "6-3", "admin@test.cn").await;
    let staff = format!("{STAFF_HEADER}T1,王老师,13700000001,,teacher,4-1:head\n");
    let (_, teachers) = world::import_and_activate(app, &admin, school, "staff", &staff).await;
    let rows: String = (0..families)
        .map(|i| format!("S{i},孩子{i},4,1,家长{i},1380000{i:04},parent{i}@test.cn,母亲,,,,,,\n"))
        .collect();
    let (_, tokens) =
        world::import_and_activate(app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    for i in 0..families {
        let token = &tokens[&format!("1380000{i:04}")];
        app.post("/api/v1/devices", Some(token), json!({ "platform": "android", "token": format!("device-{i}") }))
            .await
            .expect(201);
    }
    let class = class_of(app, &admin, school, 4, 1).await;
    (teachers["13700000001"].clone(), class, admin, school)
}

#[tokio::test]
async fn families_get_the_days_homework_in_one_digest_at_the_school_time() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let (teacher, class, _, _) = mailed_school(&app, 2).await;
    // 16:00: three posts, one withdrawn before the digest.
    app.post(&post_path(class), Some(&teacher), written("数学", 20)).await.expect(201);
    app.post(&post_path(class), Some(&teacher), homework("语文", "背诵古诗。", "oral", "basic", 10, "home"))
        .await
        .expect(201);
    let dropped = app.post(&post_path(class), Some(&teacher), written("科学", 10)).await.expect(201);
    app.post(&format!("/api/v1/homework/{}/withdraw", id_of(&dropped.body)), Some(&teacher), json!({}))
        .await
        .expect(200);
    app.deliver().await;
    assert!(smtp.mails().is_empty() && gateway.received().is_empty(), "nothing before the digest time");

    app.clock.advance(Duration::hours(1)); // 17:00 Shanghai
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "one digest email per family");
    let body = mails[0].body_text();
    assert!(body.contains("数学 · 数学作业") && body.contains("语文 · 语文作业"), "{body}");
    assert!(!body.contains("科学"), "a withdrawn item is left out");
    assert_eq!(gateway.received().len(), 2, "one digest push per family");
    app.clock.advance(Duration::hours(1));
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 2, "nothing is sent twice");
}

#[tokio::test]
async fn a_digest_time_inside_quiet_hours_waits_for_the_morning() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let (teacher, class, admin, school) = mailed_school(&app, 1).await;
    let settings = json!({ "quiet_start": "21:00", "quiet_end": "07:00", "digest_time": "22:00" });
    app.put(&format!("/api/v1/schools/{school}/messaging-settings"), Some(&admin), settings).await.expect(200);
    app.post(&post_path(class), Some(&teacher), written("数学", 20)).await.expect(201);
    app.clock.advance(Duration::hours(6)); // 22:00
    app.deliver().await;
    assert!(gateway.received().is_empty(), "never during quiet hours");
    app.clock.advance(Duration::hours(9)); // 07:00 the next morning
    app.deliver().await;
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn a_family_that_turned_homework_push_off_gets_the_digest_by_email_only() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let (teacher, class, _, _) = mailed_school(&app, 1).await;
    let guardian = app.login("13800000000", PASSWORD).await;
    let prefs = json!({ "locale": "zh-CN", "push_kinds": ["notice", "message"], "email_kinds": ["notice", "message", "homework"], "daily_digest": false });
    app.put("/api/v1/me/preferences", Some(&guardian), prefs).await.expect(200);
    app.post(&post_path(class), Some(&teacher), written("数学", 20)).await.expect(201);
    app.clock.advance(Duration::hours(1));
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 1);
    assert!(gateway.received().is_empty(), "homework is not pushed to a family that turned it off");
}

#[tokio::test]
async fn homework_reaches_families_on_its_own_day_and_a_late_post_at_once() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let (teacher, class, _, _) = mailed_school(&app, 1).await;
    // Monday 16:00: homework for Tuesday arrives with Tuesday's digest, not Monday's.
    let mut tuesday = written("数学", 20);
    tuesday["date"] = json!("2026-11-24");
    app.post(&post_path(class), Some(&teacher), tuesday).await.expect(201);
    app.clock.advance(Duration::hours(1)); // Monday 17:00
    app.deliver().await;
    assert!(gateway.received().is_empty());
    app.clock.advance(Duration::hours(24)); // Tuesday 17:00
    app.deliver().await;
    assert_eq!(gateway.received().len(), 1);
    // Tuesday 18:00: homework for today, posted after the digest, goes at once.
    app.clock.advance(Duration::hours(1));
    let teacher = app.login("13700000001", PASSWORD).await;
    let mut late = written("语文", 20);
    late["date"] = json!("2026-11-24");
    app.post(&post_path(class), Some(&teacher), late).await.expect(201);
    app.deliver().await;
    assert_eq!(gateway.received().len(), 2);
}

/// One district, two schools, one family with a child in each (guardian 13800000000 with a
/// device): the teacher of 4-1 and the class in each school, and the admins.
async fn family_in_two_schools(app: &TestApp) -> (Vec<String>, Vec<Uuid>, Vec<(String, Uuid)>) {
    let (_, bureau) = world::bootstrap_district(app, "甲区", "bureau@test.cn").await;
    let (mut teachers, mut classes, mut admins) = (Vec::new(), Vec::new(), Vec::new());
    for (i, name) in ["一小", "二小"].into_iter().enumerate() {
        let (school, admin) = world::create_school(app, &bureau, name, "6-3", &format!("admin{i}@test.cn")).await;
        let phone = format!("1370000000{i}");
        let staff = format!("{STAFF_HEADER}T{i},王老师{i},{phone},,teacher,4-1:head\n");
        let (_, staff_tokens) = world::import_and_activate(app, &admin, school, "staff", &staff).await;
        let pupils = format!("{STUDENT_HEADER}S{i},孩子{i},4,1,家长,13800000000,parent0@test.cn,母亲,,,,,,\n");
        world::import_and_activate(app, &admin, school, "students", &pupils).await;
        teachers.push(staff_tokens[&phone].clone());
        classes.push(class_of(app, &admin, school, 4, 1).await);
        admins.push((admin, school));
    }
    let guardian = app.login("13800000000", PASSWORD).await;
    app.post("/api/v1/devices", Some(&guardian), json!({ "platform": "ios", "token": "family-phone" }))
        .await
        .expect(201);
    (teachers, classes, admins)
}

#[tokio::test]
async fn a_family_in_two_schools_gets_one_digest_at_the_earliest_school_time_or_its_own() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let (teachers, classes, admins) = family_in_two_schools(&app).await;
    // The second school sends its digest at 18:00; the first keeps the default 17:00.
    let settings = json!({ "quiet_start": "21:00", "quiet_end": "07:00", "digest_time": "18:00" });
    let (admin, school) = &admins[1];
    app.put(&format!("/api/v1/schools/{school}/messaging-settings"), Some(admin), settings).await.expect(200);
    let guardian = app.login("13800000000", PASSWORD).await;
    let prefs = app.get("/api/v1/me/preferences", Some(&guardian)).await.expect(200);
    assert_eq!(prefs.body["digest_time"], Value::Null);
    assert_eq!(prefs.body["digest_time_in_effect"], "17:00", "the earliest of the children's schools");

    // Monday 16:00: homework from both schools.
    app.post(&post_path(classes[0]), Some(&teachers[0]), written("数学", 20)).await.expect(201);
    app.post(&post_path(classes[1]), Some(&teachers[1]), written("语文", 20)).await.expect(201);
    app.deliver().await;
    assert!(smtp.mails().is_empty());
    app.clock.advance(Duration::hours(1)); // 17:00
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "one digest for the family, not one per school");
    let body = mails[0].body_text();
    assert!(body.contains("数学 · 数学作业") && body.contains("语文 · 语文作业"), "{body}");
    assert_eq!(gateway.received().len(), 1);
    app.clock.advance(Duration::hours(1)); // 18:00, the second school's time
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 1, "nothing is left for the second school's time");

    // The family chooses 19:30.
    let guardian = app.login("13800000000", PASSWORD).await;
    let chosen = json!({ "locale": "zh-CN", "push_kinds": ["homework"], "email_kinds": ["homework"], "daily_digest": false, "digest_time": "19:30" });
    let set = app.put("/api/v1/me/preferences", Some(&guardian), chosen).await.expect(200);
    assert_eq!(set.body["digest_time_in_effect"], "19:30");
    let bad =
        json!({ "locale": "zh-CN", "push_kinds": [], "email_kinds": [], "daily_digest": false, "digest_time": "7pm" });
    let refused = app.put("/api/v1/me/preferences", Some(&guardian), bad).await.expect(422);
    assert_eq!(refused.body["details"]["field"], "digest_time");
    app.clock.advance(Duration::hours(22)); // Tuesday 16:00
    for (i, subject) in ["科学", "英语"].into_iter().enumerate() {
        let teacher = app.login(&format!("1370000000{i}"), PASSWORD).await;
        let mut item = written(subject, 20);
        item["date"] = json!("2026-11-24");
        app.post(&post_path(classes[i]), Some(&teacher), item).await.expect(201);
    }
    app.clock.advance(Duration::hours(2)); // 18:00: both schools' times have passed
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 1, "the family's own time holds");
    app.clock.advance(Duration::minutes(90)); // 19:30
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2);
    let body = mails[1].body_text();
    assert!(body.contains("科学") && body.contains("英语"), "{body}");
    assert_eq!(gateway.received().len(), 2);
}

#[tokio::test]
async fn malformed_homework_requests_get_a_4xx_and_other_districts_settings_stay_hidden() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 20)).await.expect(201);
    let item = format!("/api/v1/homework/{}", id_of(&posted.body));
    for (path, token) in [
        (format!("{}?date=tomorrow", post_path(w.class_a1_31)), &w.teacher_a1_head),
        (format!("/api/v1/classes/{}/homework-budget?date=2026-13-40", w.class_a1_31), &w.teacher_a1_head),
        (format!("/api/v1/children/{}/homework?date=x", w.s1), &w.g1),
        (format!("/api/v1/schools/{}/homework-feedback?week=W48", w.school_a1), &w.admin_a1),
        (format!("/api/v1/districts/{}/homework-publicity?week=2026-W99", w.district_a), &w.bureau_a),
        (format!("/api/v1/districts/{}/blocked-sends?from=2026-11-23&to=2026-11-01", w.district_a), &w.bureau_a),
        (format!("/api/v1/districts/{}/blocked-sends?from=yesterday", w.district_a), &w.bureau_a),
        ("/api/v1/homework/not-a-uuid/history".to_owned(), &w.teacher_a1_head),
    ] {
        let reply = app.get(&path, Some(token)).await;
        assert!(reply.status.is_client_error(), "{path}: {} {}", reply.status, reply.body);
    }
    let reply = app.patch(&item, Some(&w.teacher_a1_head), json!({ "estimated_minutes": 0 })).await.expect(422);
    assert_eq!(reply.body["details"]["field"], "estimated_minutes");
    assert_eq!(app.patch(&item, Some(&w.teacher_a1_head), json!({ "kind": "essay" })).await.status, 422);
    let garbled = app
        .client
        .patch(app.url(&item))
        .bearer_auth(&w.teacher_a1_head)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert!(garbled.status().is_client_error(), "{}", garbled.status());
    app.post("/api/v1/homework/not-a-uuid/feedback", Some(&w.g1), json!({ "student_id": w.s1, "minutes": 10 }))
        .await
        .expect(404);
    let settings = format!("/api/v1/districts/{}/homework-settings", w.district_a);
    app.get(&settings, Some(&w.bureau_b)).await.expect(404);
    app.get(&settings, Some(&w.teacher_a1_head)).await.expect(403);
}

#[tokio::test]
async fn a_refusal_and_a_post_at_the_same_instant_land_on_the_school_s_local_date() {
    let app = spawn_app().await;
    // 17:30 UTC: 23:30 on Monday in Urumqi (UTC+6), already Tuesday 01:30 in Shanghai.
    app.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 17, 30, 0).single().expect("instant"));
    let (district, bureau) = world::bootstrap_district(&app, "丙区", "bureau-c@test.cn").await;
    let created = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "乌鲁木齐一小", "stage_system": "6-3", "admin_name": "管理员", "admin_login": "admin-u@test.cn", "time_zone": "Asia/Urumqi" }),
        )
        .await
        .expect(201);
    let school: Uuid = created.body["school"]["id"].as_str().and_then(|s| s.parse().ok()).expect("school id");
    let code = created.body["admin"]["activation_code"].as_str().expect("code").to_owned();
    let admin = app.activate("admin-u@test.cn", &code, PASSWORD).await;
    let staff = format!("{STAFF_HEADER}T1,马老师,13700000009,,teacher,3-1:head;3-1:math\n");
    let (_, tokens) = world::import_and_activate(&app, &admin, school, "staff", &staff).await;
    let teacher = tokens["13700000009"].clone();
    let class = class_of(&app, &admin, school, 3, 1).await;

    let burden = homework("数学", "完成练习册第12页，请家长检查并签字。", "written", "basic", 20, "home");
    app.post(&post_path(class), Some(&teacher), burden).await.expect(422);
    let posted = app.post(&post_path(class), Some(&teacher), written("数学", 20)).await.expect(201);
    assert_eq!(posted.body["date"], TODAY, "today at the school is still Monday");

    let counts = app
        .get(&format!("/api/v1/districts/{district}/blocked-sends?from=2026-11-22&to=2026-11-24"), Some(&bureau))
        .await
        .expect(200);
    let items = counts.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["rule"], "HW_PARENT_BURDEN");
    assert_eq!(items[0]["date"], posted.body["date"], "the refusal is counted on the homework's day");
}

#[tokio::test]
async fn two_identical_reports_at_once_leave_one_report_and_no_error() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 30)).await.expect(201);
    let feedback = format!("/api/v1/homework/{}/feedback", id_of(&posted.body));
    let report = json!({ "student_id": w.s1, "minutes": 35 });
    let (first, second) = tokio::join!(
        app.post(&feedback, Some(&w.g1), report.clone()),
        app.post(&feedback, Some(&w.g1), report.clone()),
    );
    first.expect(200);
    second.expect(200);
    let list =
        app.get(&format!("{}?date={TODAY}", post_path(w.class_a1_31)), Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(list.body["items"][0]["feedback"], json!({ "report_count": 1, "average_minutes": 35.0 }));
}

#[tokio::test]
async fn every_spelling_of_a_subject_is_one_subject_in_the_budget() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    // The roster says `3-1:math`; the teacher writes Maths once and 数学 once.
    let posted = app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("Maths", 10)).await.expect(201);
    assert_eq!(posted.body["subject"], "数学", "stored and shown by its one name");
    app.post(&post_path(w.class_a1_31), Some(&w.teacher_a1_head), written("数学", 15)).await.expect(201);
    let budget = budget(&app, &w.teacher_a1_head, w.class_a1_31).await;
    assert_eq!(budget["by_subject"], json!([{ "subject": "数学", "minutes": 25 }]));
    // /me names the subject a teacher teaches by its code and its name.
    let me = app.get("/api/v1/me", Some(&w.teacher_a1_head)).await.expect(200).body;
    let roles = me["staff"][0]["classes"].as_array().expect("classes");
    let maths = roles.iter().find(|r| r["subject"] == "math").expect("the maths role");
    assert_eq!(maths["subject_name"], "数学");
}

#[tokio::test]
async fn a_schools_subjects_are_one_list_of_codes_and_names_for_its_readers_only() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    // The school's own subject, spelt two ways in two classes; maths written its Chinese way.
    let staff = format!("{STAFF_HEADER}T9,孔老师,13700000009,,teacher,3-1:书法;3-2: 书法 ;6-1:数学\n");
    world::import_and_activate(&app, &w.admin_a1, w.school_a1, "staff", &staff).await;
    let path = format!("/api/v1/schools/{}/subjects", w.school_a1);
    let list = app.get(&path, Some(&w.teacher_a1_other)).await.expect(200).body;
    let items = list["items"].as_array().expect("items");
    let codes: Vec<&str> = items.iter().map(|s| s["code"].as_str().unwrap_or("")).collect();
    assert_eq!(codes, ["chinese", "math", "english", "书法"], "the curriculum's order, then the school's own");
    let maths = &items[1];
    assert_eq!((maths["name"].as_str(), maths["class_count"].as_u64()), (Some("数学"), Some(2)), "3-1 and 6-1");
    assert_eq!(items[3]["national"], false);
    assert_eq!(items[3]["class_count"], 2, "two spellings of 书法 are one subject");
    // Its bureau and its pupils' guardians read it too; another district's bureau and another
    // school's admin get 404.
    app.get(&path, Some(&w.bureau_a)).await.expect(200);
    app.get(&path, Some(&w.g1)).await.expect(200);
    app.get(&path, Some(&w.bureau_b)).await.expect(404);
    app.get(&path, Some(&w.admin_a2)).await.expect(404);
    app.get(&path, None).await.expect(401);
}

#[tokio::test]
async fn invisible_characters_do_not_get_a_parent_burden_past_the_rules() {
    let app = spawn_app().await;
    let h = homework_world(&app).await;
    let w = &h.w;
    let token = Some(w.teacher_a1_head.as_str());
    // Zero-width spaces, a word joiner and a soft hyphen inside the words the rule reads.
    let hidden = "请家长检\u{200b}查作业并签\u{200b}字，错题由家\u{2060}长批\u{00ad}改。";
    let draft = json!({ "text": hidden, "channel": "homework", "audience": "group" });
    let checked = app.post("/api/v1/policy/check", token, draft).await.expect(200);
    assert_eq!(checked.body["violations"][0]["rule"], "HW_PARENT_BURDEN", "{}", checked.body);
    let post = homework("数学", hidden, "written", "basic", 20, "home");
    let refused = app.post(&post_path(w.class_a1_31), token, post).await.expect(422);
    assert_eq!(refused.code(), "hw_parent_burden");
    let notice = json!({ "title": "作业提醒", "body": hidden, "audience": { "class_ids": [w.class_a1_31] }, "response_mode": "read" });
    assert_eq!(app.post("/api/v1/notices", token, notice).await.expect(422).code(), "hw_parent_burden");
}
