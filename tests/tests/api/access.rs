//! Authorisation: every denial, across two schools and two districts (see `world.rs`).

use jiaxiao_tests::world::{self, STUDENT_HEADER};
use jiaxiao_tests::{json, spawn_app};

#[tokio::test]
async fn a_guardian_sees_only_their_own_children() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // g1 sees three children in two schools of one district, from one account.
    let me = app.get("/api/v1/me", Some(&w.g1)).await.expect(200);
    assert_eq!(me.body["children"].as_array().map(Vec::len), Some(3));
    for child in [w.s1, w.s2, w.s3] {
        app.get(&format!("/api/v1/children/{child}"), Some(&w.g1)).await.expect(200);
    }
    // Another family's child, in the same school or another district: 404, never 403.
    for child in [w.s4] {
        assert_eq!(app.get(&format!("/api/v1/children/{child}"), Some(&w.g1)).await.expect(404).code(), "not_found");
    }
    for child in [w.s1, w.s2, w.s3] {
        app.get(&format!("/api/v1/children/{child}"), Some(&w.g4)).await.expect(404);
    }
    // A guardian is not staff: no class lists, no roster, no school list.
    app.get(&format!("/api/v1/classes/{}/students", w.class_a1_31), Some(&w.g1)).await.expect(404);
    app.get(&format!("/api/v1/schools/{}/classes", w.school_a1), Some(&w.g1)).await.expect(404);
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.g1), STUDENT_HEADER)
        .await
        .expect(404);
    app.get("/api/v1/schools", Some(&w.g1)).await.expect(403);
    // The school's profile is visible to its families, without head counts; not to others.
    let profile = app.get(&format!("/api/v1/schools/{}", w.school_a1), Some(&w.g1)).await.expect(200);
    assert!(profile.body["counts"].is_null());
    app.get(&format!("/api/v1/schools/{}", w.school_b1), Some(&w.g1)).await.expect(404);
}

#[tokio::test]
async fn a_pickup_only_guardian_sees_nothing_about_the_child() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let me = app.get("/api/v1/me", Some(&w.g2)).await.expect(200);
    assert_eq!(me.body["children"], json!([]));
    assert_eq!(me.body["roles"], json!([]));
    app.get(&format!("/api/v1/children/{}", w.s1), Some(&w.g2)).await.expect(404);
    app.get(&format!("/api/v1/schools/{}", w.school_a1), Some(&w.g2)).await.expect(404);
}

#[tokio::test]
async fn an_informational_guardian_sees_the_child_at_that_level() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let me = app.get("/api/v1/me", Some(&w.g3)).await.expect(200);
    assert_eq!(me.body["children"][0]["access_level"], "informational");
    let child = app.get(&format!("/api/v1/children/{}", w.s2), Some(&w.g3)).await.expect(200);
    assert_eq!(child.body["access_level"], "informational");
    app.get(&format!("/api/v1/children/{}", w.s1), Some(&w.g3)).await.expect(404);
}

#[tokio::test]
async fn a_teacher_sees_only_the_classes_they_teach() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let students =
        app.get(&format!("/api/v1/classes/{}/students", w.class_a1_31), Some(&w.teacher_a1_head)).await.expect(200);
    let first = &students.body["items"][0];
    assert_eq!(first["name"], "张小一");
    assert_eq!(first["guardians"][0]["phone_masked"], "138****0001", "phones are masked for staff");
    assert_eq!(first["guardians"][1]["access_level"], "pickup");
    // Another class of the same school: 403 (staff know it exists); another school's class: 404.
    assert_eq!(
        app.get(&format!("/api/v1/classes/{}/students", w.class_a1_32), Some(&w.teacher_a1_head))
            .await
            .expect(403)
            .code(),
        "forbidden"
    );
    app.get(&format!("/api/v1/classes/{}/students", w.class_b1_31), Some(&w.teacher_a1_head)).await.expect(404);
    app.get(&format!("/api/v1/classes/{}/students", w.class_a1_31), Some(&w.teacher_a1_other)).await.expect(403);
    // Staff see their own school's classes and profile with counts, not another school's.
    app.get(&format!("/api/v1/schools/{}/classes", w.school_a1), Some(&w.teacher_a1_other)).await.expect(200);
    let profile = app.get(&format!("/api/v1/schools/{}", w.school_a1), Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(profile.body["counts"]["students"], 2);
    app.get(&format!("/api/v1/schools/{}/classes", w.school_b1), Some(&w.teacher_a1_head)).await.expect(404);
    app.get(&format!("/api/v1/schools/{}", w.school_b1), Some(&w.teacher_a1_head)).await.expect(404);
    // A teacher is not a guardian of the pupils they teach.
    app.get(&format!("/api/v1/children/{}", w.s1), Some(&w.teacher_a1_head)).await.expect(404);
    // Teachers cannot import rosters or create schools.
    let reply = app
        .post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.teacher_a1_head), STUDENT_HEADER)
        .await;
    assert_eq!(reply.expect(403).code(), "forbidden");
    app.post(
        "/api/v1/schools",
        Some(&w.teacher_a1_head),
        json!({ "name": "X", "stage_system": "6-3", "admin_name": "A", "admin_login": "x@test.cn" }),
    )
    .await
    .expect(403);
}

#[tokio::test]
async fn a_school_admin_manages_only_their_school() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Their own school: every class, every class's students.
    app.get(&format!("/api/v1/classes/{}/students", w.class_a1_32), Some(&w.admin_a1)).await.expect(200);
    // Another school, same district or not: 404 everywhere.
    for school in [w.school_a2, w.school_b1] {
        app.get(&format!("/api/v1/schools/{school}/classes"), Some(&w.admin_a1)).await.expect(404);
        app.get(&format!("/api/v1/schools/{school}"), Some(&w.admin_a1)).await.expect(404);
        app.post_csv(&format!("/api/v1/schools/{school}/roster/staff"), Some(&w.admin_a1), world::STAFF_HEADER)
            .await
            .expect(404);
    }
    app.get(&format!("/api/v1/classes/{}/students", w.class_b1_31), Some(&w.admin_a1)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/overview", w.district_a), Some(&w.admin_a1)).await.expect(403);
    let schools = app.get("/api/v1/schools", Some(&w.admin_a1)).await.expect(200);
    assert_eq!(schools.body["items"].as_array().map(Vec::len), Some(1));
    let _ = (&w.admin_a2, &w.admin_b1);
}

#[tokio::test]
async fn the_bureau_sees_only_aggregates_of_its_own_district() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let overview =
        app.get(&format!("/api/v1/districts/{}/overview", w.district_a), Some(&w.bureau_a)).await.expect(200);
    assert_eq!(overview.body["schools"], 2);
    assert_eq!(overview.body["students"], 3);
    assert_eq!(overview.body["guardians"], 3, "g1 counts once across two schools");
    // The other district's figures: 404.
    app.get(&format!("/api/v1/districts/{}/overview", w.district_b), Some(&w.bureau_a)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/overview", w.district_a), Some(&w.bureau_b)).await.expect(404);
    // Its schools' profiles with counts; never their people.
    app.get(&format!("/api/v1/schools/{}", w.school_a2), Some(&w.bureau_a)).await.expect(200);
    app.get(&format!("/api/v1/schools/{}", w.school_b1), Some(&w.bureau_a)).await.expect(404);
    app.get(&format!("/api/v1/schools/{}/classes", w.school_a1), Some(&w.bureau_a)).await.expect(404);
    app.get(&format!("/api/v1/classes/{}/students", w.class_a1_31), Some(&w.bureau_a)).await.expect(404);
    app.get(&format!("/api/v1/children/{}", w.s1), Some(&w.bureau_a)).await.expect(404);
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.bureau_a), STUDENT_HEADER)
        .await
        .expect(404);
    // Its school list is its district's, paginated.
    let page = app.get("/api/v1/schools?limit=1", Some(&w.bureau_a)).await.expect(200);
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(1));
    let cursor = page.body["next_cursor"].as_str().expect("a second page").to_owned();
    let rest = app.get(&format!("/api/v1/schools?limit=1&cursor={cursor}"), Some(&w.bureau_a)).await.expect(200);
    assert_eq!(rest.body["items"].as_array().map(Vec::len), Some(1));
    assert!(rest.body["next_cursor"].is_null());
    assert_ne!(page.body["items"][0]["id"], rest.body["items"][0]["id"]);
    // A bureau cannot create a school in another district.
    let reply = app
        .post(
            "/api/v1/schools",
            Some(&w.bureau_a),
            json!({ "name": "越界小学", "stage_system": "6-3", "admin_name": "A", "admin_login": "x@test.cn", "district_id": w.district_b }),
        )
        .await;
    reply.expect(404);
}

#[tokio::test]
async fn class_lists_paginate_by_student_number() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let rows: String = (1..=5).map(|i| format!("N{i},学生{i},3,1,家长{i},1360000000{i},,父亲,,,,,,\n")).collect();
    app.post_csv(
        &format!("/api/v1/schools/{}/roster/students", w.school_a1),
        Some(&w.admin_a1),
        &format!("{STUDENT_HEADER}{rows}"),
    )
    .await
    .expect(200);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/classes/{}/students?limit=2&cursor={c}", w.class_a1_31),
            None => format!("/api/v1/classes/{}/students?limit=2", w.class_a1_31),
        };
        let page = app.get(&path, Some(&w.teacher_a1_head)).await.expect(200);
        seen.extend(
            page.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|s| s["student_no"].as_str().unwrap_or("").to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    // Imports add and update students but never delete them: S1 from the world stays in 3-1.
    assert_eq!(seen, vec!["N1", "N2", "N3", "N4", "N5", "S1"]);
}
