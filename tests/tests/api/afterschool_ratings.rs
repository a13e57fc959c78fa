//! Families' evaluation of after-school activities over HTTP (`AS_EVALUATION`): a guardian rates
//! an activity their child attends and re-rates it; the school's admins read the figures and the
//! comments (never who wrote them), the person in charge the figures of their activity; the
//! denials; and a comment the content rules refuse.

use jiaxiao_tests::world::{self, World};
use jiaxiao_tests::{TestApp, json, spawn_app};
use serde_json::Value;
use uuid::Uuid;

fn id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

async fn published_plan(app: &TestApp, admin: &str, school: Uuid) -> Uuid {
    let sessions: Vec<Value> =
        (1..=5).map(|d| json!({ "weekday": d, "kind": "basic", "start": "15:40", "end": "17:50" })).collect();
    let plan = app
        .post(
            &format!("/api/v1/schools/{school}/afterschool/plans"),
            Some(admin),
            json!({ "term_start": "2026-09-01", "term_end": "2027-01-20", "sessions": sessions }),
        )
        .await
        .expect(201);
    let plan_id = id(&plan.body["id"]);
    app.post(&format!("/api/v1/afterschool/plans/{plan_id}/publish"), Some(admin), json!({})).await.expect(200);
    plan_id
}

fn activity_body(name: &str, weekdays: [u8; 2]) -> Value {
    json!({
        "name": name, "category": "sports", "description": "基础与对抗", "weekdays": weekdays,
        "start": "16:00", "end": "17:30", "capacity": 20, "min_size": 0,
        "provider": { "kind": "school_teacher", "name": "王老师" },
        "fee": { "kind": "free" }, "allocation": "first_come",
    })
}

async fn activity(app: &TestApp, admin: &str, plan_id: Uuid, body: Value) -> Uuid {
    id(&app.post(&format!("/api/v1/afterschool/plans/{plan_id}/activities"), Some(admin), body).await.expect(201).body
        ["id"])
}

async fn enrol(app: &TestApp, token: &str, activity: Uuid, student: Uuid) {
    app.post(
        &format!("/api/v1/afterschool/activities/{activity}/enrolments"),
        Some(token),
        json!({ "student_id": student }),
    )
    .await
    .expect(201);
}

async fn account_id(app: &TestApp, token: &str) -> Uuid {
    id(&app.get("/api/v1/me", Some(token)).await.expect(200).body["account_id"])
}

fn rating_path(activity: Uuid, student: Uuid) -> String {
    format!("/api/v1/afterschool/activities/{activity}/ratings/{student}")
}

/// A published plan of A1 with football (run by `teacher_a1_head`, S1 and S2 enrolled) and chess
/// (nobody in charge, nobody enrolled): the plan and the two activities.
async fn rated_plan(app: &TestApp, w: &World) -> (Uuid, Uuid, Uuid) {
    let plan_id = published_plan(app, &w.admin_a1, w.school_a1).await;
    let mut body = activity_body("足球", [1, 3]);
    body["in_charge_account_id"] = json!(account_id(app, &w.teacher_a1_head).await);
    let football = activity(app, &w.admin_a1, plan_id, body).await;
    let chess = activity(app, &w.admin_a1, plan_id, activity_body("国际象棋", [2, 4])).await;
    enrol(app, &w.g1, football, w.s1).await;
    enrol(app, &w.g1, football, w.s2).await;
    (plan_id, football, chess)
}

fn item(ratings: &Value, activity: Uuid) -> Value {
    ratings["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| id(&i["activity_id"]) == activity)
        .unwrap_or_else(|| panic!("no {activity} in {ratings}"))
        .clone()
}

#[tokio::test]
async fn as_evaluation_a_guardian_rates_an_activity_and_a_new_rating_replaces_the_old() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (plan_id, football, _) = rated_plan(&app, &w).await;

    let first = app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 3 })).await.expect(200);
    assert_eq!(id(&first.body["activity_id"]), football);
    assert_eq!(id(&first.body["student_id"]), w.s1);
    assert_eq!(first.body["rating"], 3);
    assert_eq!(first.body["comment"], "");
    assert!(first.body["updated_at"].is_string());

    let again = app
        .put(
            &rating_path(football, w.s1),
            Some(&w.g1),
            json!({ "rating": 5, "comment": "  孩子很喜欢，教练很耐心。 " }),
        )
        .await
        .expect(200);
    assert_eq!(again.body["rating"], 5);
    assert_eq!(again.body["comment"], "孩子很喜欢，教练很耐心。");

    // One rating per child: the second replaced the first.
    let seen = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/ratings"), Some(&w.admin_a1)).await.expect(200);
    let football_seen = item(&seen.body, football);
    assert_eq!(football_seen["count"], 1);
    assert_eq!(football_seen["average"], 5.0);
    assert_eq!(football_seen["distribution"], json!([0, 0, 0, 0, 1]));
}

#[tokio::test]
async fn as_evaluation_the_school_admin_reads_averages_spread_and_comments_without_names() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (plan_id, football, chess) = rated_plan(&app, &w).await;
    app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 5, "comment": "孩子很喜欢。" }))
        .await
        .expect(200);
    app.put(&rating_path(football, w.s2), Some(&w.g1), json!({ "rating": 4, "comment": "   " })).await.expect(200);

    let seen = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/ratings"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(id(&seen.body["plan_id"]), plan_id);
    let football_seen = item(&seen.body, football);
    assert_eq!(football_seen["name"], "足球");
    assert_eq!(football_seen["count"], 2);
    assert_eq!(football_seen["average"], 4.5);
    assert_eq!(football_seen["distribution"], json!([0, 0, 0, 1, 1]));
    // Only the comment written, with its rating and time: nobody's name or id.
    let comments = football_seen["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 1, "{comments:?}");
    let keys: Vec<&str> = comments[0].as_object().expect("comment").keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert_eq!(comments[0]["rating"], 5);
    assert_eq!(comments[0]["comment"], "孩子很喜欢。");
    assert!(comments[0]["updated_at"].is_string());
    let text = seen.body.to_string();
    for who in [w.s1.to_string(), w.s2.to_string(), "张小一".to_owned(), "张伟".to_owned()] {
        assert!(!text.contains(&who), "{who} in {text}");
    }

    // An activity nobody rated yet: no average.
    let chess_seen = item(&seen.body, chess);
    assert_eq!(chess_seen["count"], 0);
    assert_eq!(chess_seen["average"], Value::Null);
    assert_eq!(chess_seen["distribution"], json!([0, 0, 0, 0, 0]));
}

#[tokio::test]
async fn as_evaluation_the_person_in_charge_reads_the_average_but_no_comments_and_other_teachers_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (plan_id, football, _) = rated_plan(&app, &w).await;
    app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 4, "comment": "很好。" })).await.expect(200);
    app.put(&rating_path(football, w.s2), Some(&w.g1), json!({ "rating": 3 })).await.expect(200);
    let ratings = format!("/api/v1/afterschool/plans/{plan_id}/ratings");

    let in_charge = app.get(&ratings, Some(&w.teacher_a1_head)).await.expect(200);
    let items = in_charge.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "only the activity they run: {items:?}");
    assert_eq!(id(&items[0]["activity_id"]), football);
    assert_eq!(items[0]["count"], 2);
    assert_eq!(items[0]["average"], 3.5);
    assert_eq!(items[0]["distribution"], json!([0, 0, 1, 1, 0]));
    assert_eq!(items[0]["comments"], json!([]));

    let other = app.get(&ratings, Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(other.body["items"], json!([]));
}

#[tokio::test]
async fn as_evaluation_only_a_full_guardian_of_a_child_with_a_seat_rates() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (_, football, chess) = rated_plan(&app, &w).await;
    let body = json!({ "rating": 4 });

    // The pickup-only adult: not a guardian who sees the child at all.
    app.put(&rating_path(football, w.s1), Some(&w.g2), body.clone()).await.expect(404);
    // An informational guardian sees the child but does not act for the family.
    let informational = app.put(&rating_path(football, w.s2), Some(&w.g3), body.clone()).await.expect(403);
    assert_eq!(informational.code(), "forbidden");
    // Another family's child; staff; the bureau.
    app.put(&rating_path(football, w.s1), Some(&w.g4), body.clone()).await.expect(404);
    app.put(&rating_path(football, w.s1), Some(&w.admin_a1), body.clone()).await.expect(404);
    app.put(&rating_path(football, w.s1), Some(&w.bureau_a), body.clone()).await.expect(404);
    // Another school's activity for the guardian's child there (S3 is in A2).
    app.put(&rating_path(football, w.s3), Some(&w.g1), body.clone()).await.expect(404);
    // No such activity.
    app.put(&rating_path(Uuid::new_v4(), w.s1), Some(&w.g1), body.clone()).await.expect(404);

    // An activity of the child's school the child has no seat in.
    let no_seat = app.put(&rating_path(chess, w.s1), Some(&w.g1), body.clone()).await.expect(422);
    assert_eq!(no_seat.code(), "validation_failed");
    assert_eq!(no_seat.body["details"]["field"], "student_id");

    // Off the scale, or a comment too long.
    for rating in [0, 6] {
        let off = app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": rating })).await.expect(422);
        assert_eq!(off.body["details"]["field"], "rating");
    }
    let long = app
        .put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 4, "comment": "好".repeat(501) }))
        .await
        .expect(422);
    assert_eq!(long.body["details"]["field"], "comment");
    app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 4, "comment": "好".repeat(500) }))
        .await
        .expect(200);
}

#[tokio::test]
async fn as_evaluation_ratings_are_for_the_school_alone() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (plan_id, football, _) = rated_plan(&app, &w).await;
    app.put(&rating_path(football, w.s1), Some(&w.g1), json!({ "rating": 4 })).await.expect(200);
    let ratings = format!("/api/v1/afterschool/plans/{plan_id}/ratings");

    for outsider in [&w.g1, &w.g2, &w.g3, &w.bureau_a, &w.admin_a2, &w.admin_b1, &w.teacher_b1] {
        let refused = app.get(&ratings, Some(outsider)).await.expect(404);
        assert_eq!(refused.code(), "not_found");
    }
    app.get(&format!("/api/v1/afterschool/plans/{}/ratings", Uuid::new_v4()), Some(&w.admin_a1)).await.expect(404);
}

#[tokio::test]
async fn as_evaluation_a_comment_asking_parents_to_grade_homework_is_refused_by_the_content_guard() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (plan_id, football, _) = rated_plan(&app, &w).await;

    let refused = app
        .put(
            &rating_path(football, w.s1),
            Some(&w.g1),
            json!({ "rating": 2, "comment": "托管班老师说，请家长每天检查孩子的作业完成情况。" }),
        )
        .await
        .expect(422);
    assert_eq!(refused.code(), "hw_parent_burden");

    // Nothing was saved.
    let seen = app.get(&format!("/api/v1/afterschool/plans/{plan_id}/ratings"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(item(&seen.body, football)["count"], 0);
}
