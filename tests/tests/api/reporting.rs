//! The bureau's dashboard over HTTP (issue 12, first part): figures per school against a small
//! fixture, small cells suppressed with their complements, and nothing personal in any answer.

use jiaxiao_tests::world::{self, STUDENT_HEADER};
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
    // Nobody took part yet: 0 of 25 is shown as a bound, not a figure, over so few families.
    assert_eq!(school_row(families, b3)["participation"]["bound"], "below5");
    // Reach: 25 guardians provisioned at B3, none activated.
    let reach = school_row(&body["reach"], b3);
    assert_eq!(reach["guardians"]["value"], 25);
    assert_eq!(reach["activated"], json!({ "value": 0, "suppressed": false }));
    // Sections not built yet say so.
    assert_eq!(school_row(&body["mentoring"], b3)["set_up"], false);
    for pending in ["homework", "afterschool", "complaints"] {
        assert_eq!(body[pending]["available"], false, "{pending}");
    }
    assert_eq!(body["k"], 10);
}

#[tokio::test]
async fn the_bureau_never_receives_a_name_an_id_of_a_family_or_a_text() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let dashboard =
        app.get(&format!("/api/v1/districts/{}/dashboard", w.district_a), Some(&w.bureau_a)).await.expect(200);
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    walk(&dashboard.body, &mut keys, &mut strings);
    for key in &keys {
        let text = ["name", "text", "note", "phone", "email", "address", "comment", "body", "reason"];
        let id = key.ends_with("_id") && key != "school_id" && key != "district_id";
        let named = key.ends_with("_name") && key != "school_name";
        assert!(!text.contains(&key.as_str()) && !id && !named, "a personal field in the bureau's dashboard: {key}");
    }
    let schools = [w.school_a1.to_string(), w.school_a2.to_string(), w.district_a.to_string()];
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
