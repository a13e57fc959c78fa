//! The provisioning path end to end: bootstrap → create school → import roster → activate →
//! sign in → `/me`.

use jiaxiao_tests::world::{self, PASSWORD, STAFF_HEADER, STUDENT_HEADER};
use jiaxiao_tests::{json, spawn_app};

#[tokio::test]
async fn bootstrap_is_idempotent() {
    let app = spawn_app().await;
    let now = app.clock_now();
    let first =
        server::org::service::bootstrap(&app.state.db, now, "甲区", "bureau@test.cn", PASSWORD).await.expect("first");
    let second = server::org::service::bootstrap(&app.state.db, now, "甲区", "bureau@test.cn", "a-different-password")
        .await
        .expect("second");
    assert!(first.district_created && first.account_created && first.officer_created);
    assert!(!second.district_created && !second.account_created && !second.officer_created);
    assert_eq!(first.district.id, second.district.id);
    // The existing officer's password was left alone.
    app.login("bureau@test.cn", PASSWORD).await;
}

#[tokio::test]
async fn a_district_is_provisioned_from_bootstrap_to_a_parents_profile() {
    let app = spawn_app().await;
    let (district, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let me = app.get("/api/v1/me", Some(&bureau)).await.expect(200);
    assert_eq!(me.body["roles"], json!(["bureau_officer"]));
    assert_eq!(me.body["districts"][0]["id"], district.to_string());

    let (school, admin) = world::create_school(&app, &bureau, "甲区实验学校", "5-4", "admin@test.cn").await;
    let (staff_report, staff) = world::import_and_activate(
        &app,
        &admin,
        school,
        "staff",
        &format!("{STAFF_HEADER}T001,王老师,13700000001,wang@test.cn,teacher,6-1:head;6-1:math;5-2:math\nT002,李主任,13700000002,,school_admin;teacher,6-1:english\n"),
    )
    .await;
    assert_eq!(staff_report["created"], 2);
    assert_eq!(staff_report["classes_created"], 2);

    let (students_report, families) = world::import_and_activate(
        &app,
        &admin,
        school,
        "students",
        &format!("{STUDENT_HEADER}S001,刘小明,6,1,刘强,138-0000-0001,,爸爸,,王芳,13800000002,wf@test.cn,妈妈,\n"),
    )
    .await;
    assert_eq!(students_report["created"], 1);
    assert_eq!(students_report["accounts_created"], 2);

    // The guardian sees the child, its school, class and stage (grade 6 is junior in 五四制).
    let parent = &families["13800000001"];
    let me = app.get("/api/v1/me", Some(parent)).await.expect(200);
    assert_eq!(me.body["roles"], json!(["guardian"]));
    let child = &me.body["children"][0];
    assert_eq!(child["name"], "刘小明");
    assert_eq!(child["school_name"], "甲区实验学校");
    assert_eq!(child["grade"], 6);
    assert_eq!(child["stage"], "junior");
    assert_eq!(child["access_level"], "full");
    let child_id = child["id"].as_str().expect("id");
    let detail = app.get(&format!("/api/v1/children/{child_id}"), Some(parent)).await.expect(200);
    let teachers: Vec<&str> = detail.body["teachers"]
        .as_array()
        .expect("teachers")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(teachers[0], "王老师", "the class teacher comes first");
    assert!(teachers.contains(&"李主任"));

    // The teacher sees their classes and roles; the second staff member is also an admin.
    let me = app.get("/api/v1/me", Some(&staff["13700000001"])).await.expect(200);
    assert_eq!(me.body["roles"], json!(["teacher"]));
    let classes = me.body["staff"][0]["classes"].as_array().expect("classes");
    assert_eq!(classes.len(), 3);
    assert!(classes.iter().any(|c| c["role"] == "class_teacher" && c["grade"] == 6 && c["subject"].is_null()));
    let me = app.get("/api/v1/me", Some(&staff["13700000002"])).await.expect(200);
    assert_eq!(me.body["roles"], json!(["school_admin", "teacher"]));
    // The teacher can also sign in with their email.
    app.login("wang@test.cn", PASSWORD).await;

    // The bureau sees the school's figures, not its people.
    let overview = app.get(&format!("/api/v1/districts/{district}/overview"), Some(&bureau)).await.expect(200);
    assert_eq!(overview.body["students"], 1);
    assert_eq!(overview.body["junior_students"], 1);
    assert_eq!(overview.body["guardians"], 2);
    assert_eq!(overview.body["guardians_activated"], 2);
    assert_eq!(overview.body["per_school"][0]["staff"], 3, "two imported staff and the first admin");
    assert!(!overview.body.to_string().contains("刘小明"));
}

#[tokio::test]
async fn a_school_name_is_unique_within_its_district_only() {
    let app = spawn_app().await;
    let (_, bureau_a) = world::bootstrap_district(&app, "甲区", "a@test.cn").await;
    let (_, bureau_b) = world::bootstrap_district(&app, "乙区", "b@test.cn").await;
    let body = |login: &str| json!({ "name": "第一小学", "stage_system": "6-3", "admin_name": "管理员", "admin_login": login });
    app.post("/api/v1/schools", Some(&bureau_a), body("admin1@test.cn")).await.expect(201);
    let again = app.post("/api/v1/schools", Some(&bureau_a), body("admin2@test.cn")).await.expect(409);
    assert_eq!(again.code(), "school_exists");
    app.post("/api/v1/schools", Some(&bureau_b), body("admin3@test.cn")).await.expect(201);
}

#[tokio::test]
async fn creating_a_school_validates_its_fields() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "a@test.cn").await;
    let bad_login = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "一小", "stage_system": "6-3", "admin_name": "管理员", "admin_login": "12345" }),
        )
        .await
        .expect(422);
    assert_eq!(bad_login.body["details"]["field"], "admin_login");
    let blank = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "  ", "stage_system": "6-3", "admin_name": "管理员", "admin_login": "x@test.cn" }),
        )
        .await
        .expect(422);
    assert_eq!(blank.body["details"]["field"], "name");
    let zone = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "一小", "stage_system": "6-3", "admin_name": "管理员", "admin_login": "x@test.cn", "time_zone": "Mars/Olympus" }),
        )
        .await
        .expect(422);
    assert_eq!(zone.body["details"]["field"], "time_zone");
}

#[tokio::test]
async fn a_person_who_is_both_teacher_and_parent_has_one_account_with_both_roles() {
    let app = spawn_app().await;
    let (_, bureau) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (school, admin) = world::create_school(&app, &bureau, "一小", "6-3", "admin@test.cn").await;
    let (_, staff) = world::import_and_activate(
        &app,
        &admin,
        school,
        "staff",
        &format!("{STAFF_HEADER}T1,王老师,13700000001,,teacher,1-1:head\n"),
    )
    .await;
    let (report, new_accounts) = world::import_and_activate(
        &app,
        &admin,
        school,
        "students",
        &format!("{STUDENT_HEADER}S1,王小宝,2,1,王老师,13700000001,,母亲,,,,,,\n"),
    )
    .await;
    assert_eq!(report["accounts_created"], 0, "the teacher's account is reused");
    assert!(new_accounts.is_empty());
    let me = app.get("/api/v1/me", Some(&staff["13700000001"])).await.expect(200);
    assert_eq!(me.body["roles"], json!(["guardian", "teacher"]));
    assert_eq!(me.body["children"][0]["name"], "王小宝");
}
