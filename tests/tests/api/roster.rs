//! Roster import: upserts, idempotence, all-or-nothing, encodings, size, authorisation.

use jiaxiao_tests::world::{self, STAFF_HEADER, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with};
use uuid::Uuid;

async fn school(app: &TestApp) -> (Uuid, String) {
    let (_, bureau) = world::bootstrap_district(app, "甲区", "bureau@test.cn").await;
    world::create_school(app, &bureau, "一小", "6-3", "admin@test.cn").await
}

fn students_csv(rows: &[&str]) -> String {
    format!("{STUDENT_HEADER}{}\n", rows.join("\n"))
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let csv = students_csv(&[
        "S1,甲,3,1,父甲,13800000001,,父亲,,母甲,13800000002,,母亲,",
        "S2,乙,3,1,父乙,13800000003,,父亲,,,,,,",
        "S3,丙,4,2,父甲,13800000001,,父亲,,,,,,",
    ]);
    let path = format!("/api/v1/schools/{school}/roster/students");
    let first = app.post_csv(&path, Some(&admin), &csv).await.expect(200);
    assert_eq!((first.body["created"].as_u64(), first.body["accounts_created"].as_u64()), (Some(3), Some(3)));
    assert_eq!(
        first.body["activation_codes"].as_array().map(Vec::len),
        Some(3),
        "a sibling's guardian gets one account"
    );
    assert_eq!(first.body["classes_created"], 2);
    let second = app.post_csv(&path, Some(&admin), &csv).await.expect(200);
    assert_eq!(second.body["created"], 0);
    assert_eq!(second.body["updated"], 0);
    assert_eq!(second.body["unchanged"], 3);
    assert_eq!(second.body["accounts_created"], 0);
    assert_eq!(second.body["classes_created"], 0);
    assert_eq!(second.body["activation_codes"].as_array().map(Vec::len), Some(0));

    let staff = format!("{STAFF_HEADER}T1,王老师,13700000001,,teacher,3-1:head;3-1:math\n");
    let path = format!("/api/v1/schools/{school}/roster/staff");
    assert_eq!(app.post_csv(&path, Some(&admin), &staff).await.expect(200).body["created"], 1);
    let again = app.post_csv(&path, Some(&admin), &staff).await.expect(200);
    assert_eq!(
        (again.body["created"].as_u64(), again.body["updated"].as_u64(), again.body["unchanged"].as_u64()),
        (Some(0), Some(0), Some(1))
    );
}

#[tokio::test]
async fn a_reimport_moves_students_and_replaces_guardian_links() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let path = format!("/api/v1/schools/{school}/roster/students");
    let (_, families) = world::import_and_activate(
        &app,
        &admin,
        school,
        "students",
        &students_csv(&["S1,甲,3,1,父甲,13800000001,,父亲,,母甲,13800000002,,母亲,"]),
    )
    .await;
    // The child moves to 3-2 and the mother's link becomes pickup-only; the father is removed.
    let moved = students_csv(&["S1,甲,3,2,母甲,13800000002,,母亲,pickup,,,,,"]);
    let reply = app.post_csv(&path, Some(&admin), &moved).await.expect(200);
    assert_eq!(reply.body["updated"], 1);
    let father = app.get("/api/v1/me", Some(&families["13800000001"])).await.expect(200);
    assert_eq!(father.body["children"].as_array().map(Vec::len), Some(0));
    let mother = app.get("/api/v1/me", Some(&families["13800000002"])).await.expect(200);
    assert_eq!(mother.body["children"].as_array().map(Vec::len), Some(0), "pickup links show nothing");
    let classes = app.get(&format!("/api/v1/schools/{school}/classes"), Some(&admin)).await.expect(200);
    let counts: Vec<(i64, i64)> = classes.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| (c["number"].as_i64().unwrap_or(0), c["student_count"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(counts, vec![(1, 0), (2, 1)]);
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_lists_every_problem() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let csv = students_csv(&[
        "S1,甲,3,1,父甲,13800000001,,父亲,,,,,,",
        "S2,乙,10,1,父乙,12345,,舅舅,,,,,,",
        "S1,丙,3,1,,,,,,,,,,",
    ]);
    let reply =
        app.post_csv(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), &csv).await.expect(422);
    assert_eq!(reply.code(), "roster_invalid");
    let problems = reply.body["details"]["problems"].as_array().expect("problems");
    let found: Vec<(u64, &str, &str)> = problems
        .iter()
        .map(|p| (p["row"].as_u64().unwrap_or(0), p["column"].as_str().unwrap_or(""), p["code"].as_str().unwrap_or("")))
        .collect();
    for expected in [
        (3, "grade", "invalid_grade"),
        (3, "guardian1_phone", "invalid_phone"),
        (3, "guardian1_relation", "invalid_relation"),
        (4, "guardian1_name", "missing_value"),
        (4, "student_no", "duplicate_student_no"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(problems.iter().all(|p| !p["message"].as_str().unwrap_or("").is_empty()));
    // Nothing was written, not even the good first row.
    let classes = app.get(&format!("/api/v1/schools/{school}/classes"), Some(&admin)).await.expect(200);
    assert_eq!(classes.body["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_file_wrong_throughout_lists_its_first_hundred_problems_and_counts_them_all() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    // 3,000 rows, each with a bad grade and no guardian (name and phone missing): 9,000 problems.
    let rows: Vec<String> = (0..3000).map(|i| format!("S{i},孩子{i},12,1,,,,,,,,,,")).collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let reply = app
        .post_csv(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), &students_csv(&rows))
        .await
        .expect(422);
    let details = &reply.body["details"];
    assert_eq!(details["problems"].as_array().map(Vec::len), Some(100));
    assert_eq!(details["problems"][0]["row"], 2, "in file order");
    assert_eq!(details["problem_count"], 9000);
    assert_eq!(details["counts_by_code"], json!({ "invalid_grade": 3000, "missing_value": 6000 }));
    assert!(reply.body.to_string().len() < 40_000, "a few KB, not megabytes");
}

#[tokio::test]
async fn a_second_guardian_s_email_taken_by_another_account_is_reported_on_guardian2_email() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    // admin@test.cn is the school admin's login: the mother cannot have it.
    let csv = students_csv(&["S1,甲,3,1,父甲,13800000001,,父亲,,母甲,13800000002,admin@test.cn,母亲,"]);
    let reply =
        app.post_csv(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), &csv).await.expect(200);
    assert_eq!(reply.body["created"], 1);
    let warnings = reply.body["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["row"], 2);
    assert_eq!(warnings[0]["column"], "guardian2_email");
    assert_eq!(warnings[0]["code"], "email_taken");
}

#[tokio::test]
async fn a_gbk_file_saved_by_excel_is_imported() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let csv = students_csv(&["S1,欧阳娜娜,1,1,欧阳建国,13800000001,,爷爷,,,,,,"]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let reply = app
        .post_raw(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), "text/csv", gbk.into_owned())
        .await
        .expect(200);
    assert_eq!(reply.body["created"], 1);
    let code = &reply.body["activation_codes"][0];
    assert_eq!(code["name"], "欧阳建国");
    let token = app.activate("13800000001", code["code"].as_str().expect("code"), world::PASSWORD).await;
    let me = app.get("/api/v1/me", Some(&token)).await.expect(200);
    assert_eq!(me.body["children"][0]["name"], "欧阳娜娜");
}

#[tokio::test]
async fn bytes_that_are_neither_utf8_nor_gbk_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let reply = app
        .post_raw(
            &format!("/api/v1/schools/{school}/roster/students"),
            Some(&admin),
            "text/csv",
            vec![0xff, 0xfe, 0xfd, 0x80],
        )
        .await
        .expect(422);
    assert_eq!(reply.body["details"]["problems"][0]["code"], "bad_encoding");
}

#[tokio::test]
async fn a_roster_must_be_csv_and_not_too_large() {
    let app = spawn_app_with(|s| s.max_csv_bytes = 1024).await;
    let (school, admin) = school(&app).await;
    let path = format!("/api/v1/schools/{school}/roster/students");
    let reply = app.post_raw(&path, Some(&admin), "application/json", b"{}".to_vec()).await.expect(415);
    assert_eq!(reply.code(), "unsupported_media_type");
    let big = students_csv(&vec!["S1,甲,3,1,父甲,13800000001,,父亲,,,,,,"; 50]);
    assert_eq!(app.post_csv(&path, Some(&admin), &big).await.expect(413).code(), "payload_too_large");
}

#[tokio::test]
async fn a_staff_roster_adopts_the_first_admin_and_never_demotes_an_admin() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    // The first admin appears in the roster under their real staff number, as a teacher only.
    let csv = format!("{STAFF_HEADER}A01,一小管理员,,admin@test.cn,teacher,1-1:music\n");
    let reply = app.post_csv(&format!("/api/v1/schools/{school}/roster/staff"), Some(&admin), &csv).await.expect(200);
    assert_eq!(reply.body["created"], 0);
    assert_eq!(reply.body["updated"], 1);
    let me = app.get("/api/v1/me", Some(&admin)).await.expect(200);
    assert_eq!(me.body["roles"], serde_json::json!(["school_admin", "teacher"]));
    assert_eq!(me.body["staff"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn thousands_of_students_import_in_one_request() {
    let app = spawn_app().await;
    let (school, admin) = school(&app).await;
    let rows: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                "S{i:05},学生{i},{},{},家长{i},139{:08},,父亲,,家长乙{i},137{:08},,母亲,",
                i % 9 + 1,
                i % 4 + 1,
                i,
                i
            )
        })
        .collect();
    let csv = format!("{STUDENT_HEADER}{}\n", rows.join("\n"));
    let reply =
        app.post_csv(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), &csv).await.expect(200);
    assert_eq!(reply.body["created"], 2_000);
    assert_eq!(reply.body["accounts_created"], 4_000);
    assert_eq!(reply.body["classes_created"], 36);
    let again =
        app.post_csv(&format!("/api/v1/schools/{school}/roster/students"), Some(&admin), &csv).await.expect(200);
    assert_eq!(again.body["unchanged"], 2_000);
}
