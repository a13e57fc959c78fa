//! Notices: targeting, responses, receipts, scheduling, recall, content rules, denials.

use chrono::Duration;
use jiaxiao_tests::world;
use jiaxiao_tests::{Reply, TestApp, json, spawn_app};
use serde_json::Value;

async fn send(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post("/api/v1/notices", Some(token), body).await
}

fn notice(title: &str, audience: Value) -> Value {
    json!({ "title": title, "body": "请家长知悉。", "audience": audience, "response_mode": "read" })
}

/// The inbox of a token, as (title, children names).
async fn inbox(app: &TestApp, token: &str) -> Vec<(String, Vec<String>)> {
    let reply = app.get("/api/v1/inbox", Some(token)).await.expect(200);
    reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let children = i["children"]
                .as_array()
                .expect("children")
                .iter()
                .map(|c| c["name"].as_str().unwrap_or("").to_owned())
                .collect();
            (i["title"].as_str().unwrap_or("").to_owned(), children)
        })
        .collect()
}

async fn guardian_id_of_first_pupil(app: &TestApp, token: &str, class: uuid::Uuid) -> String {
    let students = app.get(&format!("/api/v1/classes/{class}/students"), Some(token)).await.expect(200);
    students.body["items"][0]["guardians"][0]["guardian_id"].as_str().expect("guardian id").to_owned()
}

#[tokio::test]
async fn a_school_wide_notice_reaches_each_family_once_naming_their_children() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let preview = app.post("/api/v1/notices/preview", Some(&w.admin_a1), json!({ "audience": {} })).await.expect(200);
    assert_eq!(preview.body["recipient_count"], 2, "g1 and the informational g3; never the pickup-only g2");
    assert_eq!(preview.body["child_count"], 2);
    let sent = send(&app, &w.admin_a1, notice("明日放学时间调整", json!({}))).await.expect(201);
    assert_eq!(sent.body["recipient_count"], 2);

    assert_eq!(
        inbox(&app, &w.g1).await,
        vec![("明日放学时间调整".to_owned(), vec!["张小一".to_owned(), "张小二".to_owned()])]
    );
    assert_eq!(inbox(&app, &w.g3).await, vec![("明日放学时间调整".to_owned(), vec!["张小二".to_owned()])]);
    assert!(inbox(&app, &w.g2).await.is_empty(), "pickup-only guardians receive nothing");
    assert!(inbox(&app, &w.g4).await.is_empty(), "another school's families receive nothing");
    assert!(inbox(&app, &w.teacher_a1_head).await.is_empty(), "family notices do not go to staff");
}

#[tokio::test]
async fn a_class_notice_reaches_only_full_guardians_of_that_class() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let audience = json!({ "class_ids": [w.class_a1_31] });
    let preview = app
        .post("/api/v1/notices/preview", Some(&w.teacher_a1_head), json!({ "audience": audience }))
        .await
        .expect(200);
    assert_eq!(preview.body["recipient_count"], 1);
    send(&app, &w.teacher_a1_head, notice("三年级一班：周五春游", audience)).await.expect(201);
    assert_eq!(inbox(&app, &w.g1).await, vec![("三年级一班：周五春游".to_owned(), vec!["张小一".to_owned()])]);
    assert!(inbox(&app, &w.g3).await.is_empty(), "informational guardians get school-wide notices only");
}

#[tokio::test]
async fn senders_reach_only_their_own_families() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A teacher: not another class of the school (403), not another school's class (404), not grades.
    send(&app, &w.teacher_a1_head, notice("x", json!({ "class_ids": [w.class_a1_32] }))).await.expect(403);
    send(&app, &w.teacher_a1_head, notice("x", json!({ "class_ids": [w.class_b1_31] }))).await.expect(404);
    send(&app, &w.teacher_a1_head, notice("x", json!({ "grades": [3] }))).await.expect(403);
    send(&app, &w.teacher_a1_head, notice("x", json!({}))).await.expect(422);
    // An admin: not another school, not a family of another school.
    send(&app, &w.admin_a1, notice("x", json!({ "school_ids": [w.school_b1] }))).await.expect(404);
    let g4 = guardian_id_of_first_pupil(&app, &w.admin_b1, w.class_b1_31).await;
    send(&app, &w.admin_a1, notice("x", json!({ "guardian_ids": [g4] }))).await.expect(404);
    // Families send nothing; the bureau addresses schools only in its district.
    assert_eq!(send(&app, &w.g1, notice("x", json!({}))).await.expect(403).code(), "forbidden");
    send(&app, &w.bureau_a, notice("x", json!({ "school_ids": [w.school_b1] }))).await.expect(404);
    send(&app, &w.bureau_a, notice("x", json!({ "class_ids": [w.class_a1_31] }))).await.expect(422);
    // Urgent is for school admins.
    let mut urgent = notice("x", json!({ "class_ids": [w.class_a1_31] }));
    urgent["urgent"] = json!(true);
    send(&app, &w.teacher_a1_head, urgent).await.expect(403);
    assert!(inbox(&app, &w.g1).await.is_empty());
    assert!(inbox(&app, &w.g4).await.is_empty());
}

#[tokio::test]
async fn an_individual_guardian_can_be_addressed_within_reach() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let g1 = guardian_id_of_first_pupil(&app, &w.teacher_a1_head, w.class_a1_31).await;
    let sent = send(&app, &w.teacher_a1_head, notice("请来校一趟", json!({ "guardian_ids": [g1] }))).await.expect(201);
    // Named through the child in the teacher's class only.
    assert_eq!(inbox(&app, &w.g1).await, vec![("请来校一趟".to_owned(), vec!["张小一".to_owned()])]);
    // Taken off 3-1, the teacher still manages it: 张伟's other child is in 3-2, which he teaches.
    let receipts = format!("/api/v1/notices/{}/receipts", sent.body["id"].as_str().unwrap_or(""));
    world::head_teacher_off_3_1(&app, &w).await;
    app.get(&receipts, Some(&w.teacher_a1_head)).await.expect(200);
}

#[tokio::test]
async fn a_notice_to_named_guardians_is_managed_while_they_are_within_the_teachers_reach() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A family with its only child in 3-1.
    let students = format!(
        "{}S1,张小一,3,1,张伟,13800000001,,父亲,full,李阿姨,13800000002,,其他,pickup\nS2,张小二,3,2,周敏,13800000003,,母亲,informational,张伟,13800000001,,父亲,full\nS5,陈小五,3,1,陈静,13800000055,,母亲,full,,,,,\n",
        world::STUDENT_HEADER
    );
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.admin_a1), &students)
        .await
        .expect(200);
    let listed = app.get(&format!("/api/v1/classes/{}/students", w.class_a1_31), Some(&w.teacher_a1_head)).await;
    let pupils = listed.expect(200).body["items"].as_array().cloned().unwrap_or_default();
    let chen = pupils.iter().find(|p| p["name"] == "陈小五").expect("陈小五 in 3-1");
    let mother = chen["guardians"][0]["guardian_id"].as_str().expect("guardian id").to_owned();
    let sent =
        send(&app, &w.teacher_a1_head, notice("请来校一趟", json!({ "guardian_ids": [mother] }))).await.expect(201);
    let receipts = format!("/api/v1/notices/{}/receipts", sent.body["id"].as_str().unwrap_or(""));
    app.get(&receipts, Some(&w.teacher_a1_head)).await.expect(200);
    // Taken off 3-1 (he still teaches 3-2), he no longer reaches 陈静: her names and reminders are
    // no longer his; the school's admins keep them.
    world::head_teacher_off_3_1(&app, &w).await;
    app.get(&receipts, Some(&w.teacher_a1_head)).await.expect(404);
    app.get(&receipts, Some(&w.admin_a1)).await.expect(200);
}

#[tokio::test]
async fn a_notice_that_would_reach_no_one_is_refused_and_says_why() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // S2's guardian 周敏 is informational: notices to a guardian do not go to her.
    let students = app.get(&format!("/api/v1/classes/{}/students", w.class_a1_32), Some(&w.admin_a1)).await.expect(200);
    let guardians = students.body["items"][0]["guardians"].as_array().expect("guardians").clone();
    let informational =
        guardians.iter().find(|g| g["access_level"] == "informational").expect("周敏")["guardian_id"].clone();
    let reply =
        send(&app, &w.admin_a1, notice("请来校一趟", json!({ "guardian_ids": [informational] }))).await.expect(422);
    assert_eq!(reply.code(), "no_recipients");
    assert!(reply.body["message"].as_str().unwrap_or("").contains("没有任何接收人"));
    assert!(inbox(&app, &w.g3).await.is_empty());
}

#[tokio::test]
async fn a_bureau_notice_reaches_the_staff_of_its_district() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sent = send(&app, &w.bureau_a, notice("关于做好冬季安全工作的通知", json!({}))).await.expect(201);
    assert_eq!(sent.body["recipient_kind"], "staff");
    assert_eq!(sent.body["recipient_count"], 5, "two admins and three teachers in district A");
    assert_eq!(inbox(&app, &w.teacher_a1_other).await.len(), 1);
    assert_eq!(inbox(&app, &w.admin_a2).await.len(), 1);
    assert!(inbox(&app, &w.teacher_b1).await.is_empty());
    assert!(inbox(&app, &w.g1).await.is_empty());
    let id = sent.body["id"].as_str().expect("id");
    app.post(&format!("/api/v1/notices/{id}/read"), Some(&w.admin_a2), json!({})).await.expect(200);
    let receipts = app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.bureau_a)).await.expect(200);
    assert_eq!(receipts.body["read"], 1);
    assert_eq!(receipts.body["staff_unread"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn replies_and_confirmations_show_in_receipts_per_class() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let deadline = (app.clock_now() + Duration::days(2)).to_rfc3339();
    let body = json!({
        "title": "三年级亲子运动会报名", "body": "请选择是否参加。", "audience": { "grades": [3] },
        "response_mode": "reply", "options": ["参加", "不参加"], "deadline": deadline,
    });
    let sent = send(&app, &w.admin_a1, body).await.expect(201);
    let id = sent.body["id"].as_str().expect("id").to_owned();
    assert_eq!(sent.body["recipient_count"], 1, "g1 (two children in grade 3); g3 is informational");

    let path = |action: &str| format!("/api/v1/notices/{id}/{action}");
    assert_eq!(
        app.post(&path("reply"), Some(&w.g1), json!({ "option": "也许" })).await.expect(422).body["details"]["field"],
        "option"
    );
    assert_eq!(app.post(&path("confirm"), Some(&w.g1), json!({})).await.expect(409).code(), "wrong_response_mode");
    let mine = app.post(&path("reply"), Some(&w.g1), json!({ "option": "参加", "text": "爸爸陪同" })).await.expect(200);
    assert_eq!(mine.body["option"], "参加");
    assert!(mine.body["read_at"].is_string(), "answering reads it");
    // Someone it was not sent to cannot answer, and learns nothing.
    app.post(&path("reply"), Some(&w.g4), json!({ "option": "参加" })).await.expect(404);
    app.get(&format!("/api/v1/notices/{id}"), Some(&w.g4)).await.expect(404);

    let receipts = app.get(&path("receipts"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(receipts.body["responded"], 1);
    assert_eq!(receipts.body["replies"], json!([{ "option": "不参加", "count": 0 }, { "option": "参加", "count": 1 }]));
    let classes = receipts.body["classes"].as_array().expect("classes");
    assert_eq!(classes.len(), 2, "g1 counts in both of their children's classes");
    assert!(classes.iter().all(|c| c["recipients"] == 1 && c["responded"] == 1));

    // After the deadline, answers are closed.
    app.clock.advance(Duration::days(3));
    let g1 = app.login("13800000001", world::PASSWORD).await;
    assert_eq!(
        app.post(&path("reply"), Some(&g1), json!({ "option": "不参加" })).await.expect(409).code(),
        "deadline_passed"
    );
}

#[tokio::test]
async fn confirmations_and_unread_lists_name_the_family_and_child() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut body = notice("体检通知", json!({}));
    body["response_mode"] = json!("confirm");
    let id = send(&app, &w.admin_a1, body).await.expect(201).body["id"].as_str().expect("id").to_owned();
    app.post(&format!("/api/v1/notices/{id}/confirm"), Some(&w.g3), json!({})).await.expect(200);
    let receipts = app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!((receipts.body["read"].as_u64(), receipts.body["responded"].as_u64()), (Some(1), Some(1)));
    // A notice to several classes answers their counts; each class's names come on request.
    assert_eq!(receipts.body["names_included"], false);
    let class_id = |number: i64| {
        let classes = receipts.body["classes"].as_array().expect("classes");
        let class = classes.iter().find(|c| c["number"] == number).expect("class");
        assert_eq!(class["unread"], json!([]), "no names in the summary");
        class["class_id"].as_str().expect("class id").to_owned()
    };
    let names = |class_id: String| {
        let (app, id, admin) = (&app, &id, &w.admin_a1);
        async move {
            let path = format!("/api/v1/notices/{id}/receipts?class_id={class_id}");
            let reply = app.get(&path, Some(admin)).await.expect(200).body;
            assert_eq!(reply["names_included"], true);
            assert_eq!(reply["classes"].as_array().map(Vec::len), Some(1), "that class alone");
            reply["classes"][0].clone()
        }
    };
    let class_31 = names(class_id(1)).await;
    assert_eq!(class_31["unread"][0]["name"], "张伟");
    assert_eq!(class_31["unread"][0]["children"], json!(["张小一"]));
    let class_32 = names(class_id(2)).await;
    assert_eq!(class_32["responded_by"][0]["name"], "周敏", "g3 confirmed");
    assert_eq!(class_32["read_by"][0]["children"], json!(["张小二"]));
    // A class the notice did not reach names nothing.
    let elsewhere = format!("/api/v1/notices/{id}/receipts?class_id={}", uuid::Uuid::new_v4());
    app.get(&elsewhere, Some(&w.admin_a1)).await.expect(404);
    // Receipts are for the sender and the school's admins only.
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.g1)).await.expect(403);
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.teacher_a1_head)).await.expect(404);
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.admin_b1)).await.expect(404);
}

#[tokio::test]
async fn an_exam_ranking_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut body = notice("期中考试 班级排名", json!({ "class_ids": [w.class_a1_31] }));
    body["body"] = json!("张三 98分，李四 95分，王五 90分");
    let refused = send(&app, &w.teacher_a1_head, body).await.expect(422);
    assert_eq!(refused.code(), "exam_no_ranking");
    let violations = refused.body["details"]["violations"].as_array().expect("violations");
    assert_eq!(violations.len(), 2);
    assert_eq!(violations[0]["rule"], "EXAM_NO_RANKING");
    assert_eq!(violations[0]["field"], "body");
    assert_eq!(violations[1]["field"], "title");
    assert_eq!(violations[1]["excerpt"], "排名");
    assert!(!violations[1]["suggestion"].as_str().unwrap_or("").is_empty());
    assert!(inbox(&app, &w.g1).await.is_empty());
    let sent = app.get("/api/v1/notices", Some(&w.teacher_a1_head)).await.expect(200);
    assert_eq!(sent.body["items"], json!([]));
    // The same check is available before sending.
    let lint = app
        .post(
            "/api/v1/policy/check",
            Some(&w.teacher_a1_head),
            json!({ "text": "本次考试不排名", "channel": "notice", "audience": "group" }),
        )
        .await
        .expect(200);
    assert_eq!(lint.body["violations"], json!([]));
    let lint = app
        .post(
            "/api/v1/policy/check",
            Some(&w.teacher_a1_head),
            json!({ "text": "公布成绩排名", "channel": "notice", "audience": "group" }),
        )
        .await
        .expect(200);
    assert_eq!(lint.body["violations"][0]["code"], "exam_no_ranking");
}

#[tokio::test]
async fn a_scheduled_notice_goes_out_once_when_its_time_comes() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut body = notice("下周一升旗仪式", json!({}));
    body["send_at"] = json!((app.clock_now() + Duration::hours(1)).to_rfc3339());
    let scheduled = send(&app, &w.admin_a1, body).await.expect(201);
    assert!(scheduled.body["sent_at"].is_null());
    assert_eq!(scheduled.body["recipient_count"], 0);
    server::jobs::run_due(&app.state).await.expect("jobs");
    assert!(inbox(&app, &w.g1).await.is_empty(), "not before its time");
    app.clock.advance(Duration::hours(2));
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").notices_sent, 1);
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").notices_sent, 0);
    let (g1, admin) =
        (app.login("13800000001", world::PASSWORD).await, app.login("admin-a1@test.cn", world::PASSWORD).await);
    assert_eq!(inbox(&app, &g1).await.len(), 1);
    let id = scheduled.body["id"].as_str().expect("id");
    let now_sent = app.get(&format!("/api/v1/notices/{id}"), Some(&admin)).await.expect(200);
    assert_eq!(now_sent.body["recipient_count"], 2);
}

#[tokio::test]
async fn a_notice_can_be_recalled_within_a_day_and_recipients_see_it_recalled() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first = send(&app, &w.admin_a1, notice("错误的通知", json!({}))).await.expect(201).body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.post(&format!("/api/v1/notices/{first}/recall"), Some(&w.g1), json!({})).await.expect(403);
    app.post(&format!("/api/v1/notices/{first}/recall"), Some(&w.admin_b1), json!({})).await.expect(404);
    let recalled = app.post(&format!("/api/v1/notices/{first}/recall"), Some(&w.admin_a1), json!({})).await.expect(200);
    assert_eq!(recalled.body["recalled"], true);
    let seen = app.get(&format!("/api/v1/notices/{first}"), Some(&w.g1)).await.expect(200);
    assert_eq!(seen.body["recalled"], true);
    assert!(seen.body["body"].is_null());
    let items = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert_eq!(items.body["items"][0]["recalled"], true);
    assert_eq!(items.body["items"][0]["preview"], "");
    assert_eq!(app.post(&format!("/api/v1/notices/{first}/read"), Some(&w.g1), json!({})).await.status, 200);

    let second = send(&app, &w.admin_a1, notice("另一条通知", json!({}))).await.expect(201).body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.clock.advance(Duration::hours(25));
    let admin = app.login("admin-a1@test.cn", world::PASSWORD).await;
    let late = app.post(&format!("/api/v1/notices/{second}/recall"), Some(&admin), json!({})).await.expect(409);
    assert_eq!(late.code(), "recall_window_passed");
}

#[tokio::test]
async fn notices_validate_their_fields() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let base = notice("标题", json!({}));
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    for (body, field) in [
        (with("title", json!("")), "title"),
        (with("body", json!("x".repeat(5_001))), "body"),
        (with("options", json!(["a", "b"])), "options"),
        (
            json!({ "title": "t", "body": "b", "audience": {}, "response_mode": "reply", "options": ["只有一个"] }),
            "options",
        ),
        (with("deadline", json!((app.clock_now() - Duration::hours(1)).to_rfc3339())), "deadline"),
        (with("audience", json!({ "grades": [10] })), "audience.grades"),
    ] {
        let reply = send(&app, &w.admin_a1, body).await.expect(422);
        assert_eq!(reply.body["details"]["field"], field);
    }
    assert_eq!(
        send(&app, &w.admin_a1, with("response_mode", json!("sign"))).await.expect(422).code(),
        "validation_failed"
    );
}

#[tokio::test]
async fn a_notice_to_the_whole_school_is_in_every_inbox_at_its_answer_and_each_familys_rows_follow_once() {
    // The families' own rows are left to the jobs, to look at the moment in between.
    let app = jiaxiao_tests::spawn_app_with(|s| s.background_fan_out = false).await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (school, admin) = world::create_school(&app, &bureau, "大学校", "6-3", "admin@test.cn").await;
    // 1,000 pupils with two guardians each: 2,000 recipients, the background fan-out threshold.
    let rows: String = (0..1_000)
        .map(|i| {
            format!("S{i:04},学生{i},{},{},父亲{i},139{i:08},,父亲,,母亲{i},137{i:08},,母亲,\n", i % 6 + 1, i % 10 + 1)
        })
        .collect();
    let report = app
        .post_csv(
            &format!("/api/v1/schools/{school}/roster/students"),
            Some(&admin),
            &format!("{}{rows}", world::STUDENT_HEADER),
        )
        .await
        .expect(200);
    let codes = report.body["activation_codes"].as_array().expect("codes");
    let activate = |n: usize| {
        let code = &codes[n];
        app.activate(code["login"].as_str().expect("login"), code["code"].as_str().expect("code"), world::PASSWORD)
    };
    let (reader, answerer) = (activate(codes.len() - 1).await, activate(0).await);
    // A family of another school of the district.
    let (other_school, other_admin) = world::create_school(&app, &bureau, "小学校", "6-3", "other@test.cn").await;
    let (_, others) = world::import_and_activate(
        &app,
        &other_admin,
        other_school,
        "students",
        &format!("{}T0001,别校学生,3,1,别校家长,13600000099,,母亲,full,,,,,\n", world::STUDENT_HEADER),
    )
    .await;
    let outsider = others.values().next().expect("a family of the other school").clone();
    let mut stream = app.events(&reader, Some(0)).await;

    let sent = send(&app, &admin, notice("全校通知", json!({}))).await.expect(201);
    assert_eq!(sent.body["recipient_count"], 2_000);
    assert!(sent.body["sent_at"].is_string(), "sent at the answer: {}", sent.body);
    let id = sent.body["id"].as_str().expect("id").to_owned();

    // Before any family's own row is written, every inbox of the school lists it, counts it and
    // streams it; another school's family has nothing.
    let before = inbox(&app, &reader).await;
    assert_eq!(before.iter().map(|(title, _)| title.as_str()).collect::<Vec<_>>(), ["全校通知"]);
    let (ids, unread, _) = listed(&app, &reader).await;
    assert_eq!((ids, unread), (vec![id.clone()], Some(1)));
    let event = stream.next_event(std::time::Duration::from_secs(10)).await.expect("an inbox event");
    assert_eq!(event.data["ref_id"], id.as_str());
    let page = app.get("/api/v1/inbox", Some(&reader)).await.expect(200);
    let seq = page.body["items"][0]["seq"].as_i64().expect("seq");
    assert_eq!(event.id, seq, "the stream and the list place it at one position");
    assert_eq!(page.body["items"][0]["children"].as_array().map(Vec::len), Some(1), "{}", page.body);
    assert!(inbox(&app, &outsider).await.is_empty(), "another school's family");
    app.get(&format!("/api/v1/notices/{id}"), Some(&outsider)).await.expect(404);
    // A family that opens it first gets its row at once.
    app.post(&format!("/api/v1/notices/{id}/read"), Some(&answerer), json!({})).await.expect(200);
    let (_, unread, _) = listed(&app, &answerer).await;
    assert_eq!(unread, Some(0));

    // The jobs write every other family's row, once, and only once however often they run.
    assert_eq!(app.run_jobs().await.audiences_expanded, 1);
    assert_eq!(app.run_jobs().await.audiences_expanded, 0);
    let after = app.get("/api/v1/inbox", Some(&reader)).await.expect(200);
    let items = after.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "listed once: {}", after.body);
    assert_eq!((items[0]["ref_id"].as_str(), items[0]["read"].as_bool()), (Some(id.as_str()), Some(false)));
    assert!(items[0]["seq"].as_i64() > Some(seq), "the family's own row, written after the audience");
    assert!(stream.next_event(std::time::Duration::from_millis(300)).await.is_none(), "nothing streamed twice");
    // A stream resuming from before the notice gets it once, from the family's own row.
    let mut resumed = app.events(&reader, Some(0)).await;
    let again = resumed.next_event(std::time::Duration::from_secs(10)).await.expect("the notice");
    assert_eq!((again.data["ref_id"].as_str(), again.id), (Some(id.as_str()), items[0]["seq"].as_i64().expect("seq")));
    assert!(resumed.next_event(std::time::Duration::from_millis(300)).await.is_none(), "once");
    let (_, unread, _) = listed(&app, &answerer).await;
    assert_eq!(unread, Some(0), "the early read stands");
    let receipts = app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&admin)).await.expect(200);
    assert_eq!(receipts.body["recipient_count"], 2_000, "{}", receipts.body);
    assert_eq!(receipts.body["read"], 1, "{}", receipts.body);
    // Receipts asked for while a notice is going out write its rows first, and count them all.
    let second = send(&app, &admin, notice("全校通知二", json!({}))).await.expect(201);
    let second = second.body["id"].as_str().expect("id").to_owned();
    let receipts = app.get(&format!("/api/v1/notices/{second}/receipts"), Some(&admin)).await.expect(200);
    assert_eq!(
        (receipts.body["recipient_count"].as_u64(), receipts.body["unread"].as_u64()),
        (Some(2_000), Some(2_000))
    );
    assert_eq!(app.run_jobs().await.audiences_expanded, 0, "the receipts finished it");
    // A family that joins the school afterwards was not a recipient.
    let (_, late) = world::import_and_activate(
        &app,
        &admin,
        school,
        "students",
        &format!("{}L0001,新生,3,1,新家长,13600000098,,母亲,full,,,,,\n", world::STUDENT_HEADER),
    )
    .await;
    assert!(inbox(&app, late.values().next().expect("the new family")).await.is_empty());
}

/// The ref ids in the first page of the caller's inbox, and its unread and awaiting-response counts.
async fn listed(app: &jiaxiao_tests::TestApp, token: &str) -> (Vec<String>, Option<u64>, Option<u64>) {
    let page = app.get("/api/v1/inbox", Some(token)).await.expect(200);
    let items = page.body["items"].as_array().cloned().unwrap_or_default();
    let ids = items.iter().filter_map(|i| i["ref_id"].as_str().map(str::to_owned)).collect();
    let counts = app.get("/api/v1/inbox/unread-count", Some(token)).await.expect(200);
    (ids, counts.body["unread"].as_u64(), counts.body["awaiting_response"].as_u64())
}

#[tokio::test]
async fn notices_stand_on_the_relationship_they_came_through_at_every_read() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut confirm = notice("春游回执", json!({ "class_ids": [w.class_a1_31] }));
    confirm["response_mode"] = json!("confirm");
    let sent = send(&app, &w.teacher_a1_head, confirm).await.expect(201);
    let id = sent.body["id"].as_str().expect("id").to_owned();
    let about_s2 =
        send(&app, &w.admin_a1, notice("三二班通知", json!({ "class_ids": [w.class_a1_32] }))).await.expect(201);
    app.get(&format!("/api/v1/notices/{id}"), Some(&w.g1)).await.expect(200);
    let (ids, unread, awaiting) = listed(&app, &w.g1).await;
    assert!(ids.contains(&id) && ids.contains(&about_s2.body["id"].as_str().unwrap_or("").to_owned()));
    // A custody change: 张伟 becomes pickup-only for S1, the only child the notice is about.
    world::custody_change_for_s1(&app, &w).await;
    app.get(&format!("/api/v1/notices/{id}"), Some(&w.g1)).await.expect(404);
    // It leaves his inbox list and its counts; the notice about S2, whom he still cares for, stays.
    let (after, unread_after, awaiting_after) = listed(&app, &w.g1).await;
    assert!(!after.contains(&id), "the notice about S1 is no longer listed");
    assert!(after.contains(&about_s2.body["id"].as_str().unwrap_or("").to_owned()));
    assert_eq!(unread_after, unread.map(|n| n - 1));
    assert_eq!(awaiting_after, awaiting.map(|n| n - 1), "nothing left to confirm for a child he no longer cares for");
    app.post(&format!("/api/v1/notices/{id}/confirm"), Some(&w.g1), json!({})).await.expect(404);
    // The teacher taken off 3-1 no longer reads its families' receipts nor reminds them.
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.teacher_a1_head)).await.expect(200);
    world::head_teacher_off_3_1(&app, &w).await;
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.teacher_a1_head)).await.expect(404);
    app.post(&format!("/api/v1/notices/{id}/remind"), Some(&w.teacher_a1_head), json!({})).await.expect(404);
    // The school's admins still manage it.
    app.get(&format!("/api/v1/notices/{id}/receipts"), Some(&w.admin_a1)).await.expect(200);
}
