//! A small world for authorisation tests: two districts, three schools, teachers, and families —
//! one with children in two schools, one with only a pickup link, one informational.
//!
//! District A: school A1 (六三制; classes 3-1 and 3-2) and school A2 (五四制; class 6-1).
//! District B: school B1 (六三制; class 3-1).
//! - `g1` (full) has S1 in A1 3-1, S2 in A1 3-2 and S3 in A2 6-1.
//! - `g2` is S1's pickup-only guardian; `g3` is S2's informational guardian; `g4` has S4 in B1.
//! - `teacher_a1_head` is class teacher and maths teacher of A1 3-1; `teacher_a1_other` teaches
//!   English in A1 3-2 only; `teacher_b1` teaches in B1.

use serde_json::Value;
use uuid::Uuid;

use crate::{TestApp, json};

pub const PASSWORD: &str = "correct-horse-battery";

pub struct World {
    pub district_a: Uuid,
    pub district_b: Uuid,
    pub bureau_a: String,
    pub bureau_b: String,
    pub school_a1: Uuid,
    pub school_a2: Uuid,
    pub school_b1: Uuid,
    pub admin_a1: String,
    pub admin_a2: String,
    pub admin_b1: String,
    pub teacher_a1_head: String,
    pub teacher_a1_other: String,
    pub teacher_b1: String,
    pub class_a1_31: Uuid,
    pub class_a1_32: Uuid,
    pub class_b1_31: Uuid,
    pub s1: Uuid,
    pub s2: Uuid,
    pub s3: Uuid,
    pub s4: Uuid,
    pub g1: String,
    pub g2: String,
    pub g3: String,
    pub g4: String,
}

pub const STUDENT_HEADER: &str = "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian1_access,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation,guardian2_access\n";
pub const STAFF_HEADER: &str = "staff_no,name,phone,email,roles,classes\n";

fn uuid(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// Creates a district with its officer (the `server bootstrap` path) and signs the officer in.
pub async fn bootstrap_district(app: &TestApp, name: &str, login: &str) -> (Uuid, String) {
    let outcome = server::org::service::bootstrap(&app.state.db, app.clock_now(), name, login, PASSWORD)
        .await
        .expect("bootstrap");
    (outcome.district.id, app.login(login, PASSWORD).await)
}

/// Creates a school as the bureau, activates its admin, and returns (school id, admin token).
pub async fn create_school(
    app: &TestApp,
    bureau: &str,
    name: &str,
    stage_system: &str,
    admin_login: &str,
) -> (Uuid, String) {
    let reply = app
        .post(
            "/api/v1/schools",
            Some(bureau),
            json!({ "name": name, "stage_system": stage_system, "admin_name": format!("{name}管理员"), "admin_login": admin_login }),
        )
        .await
        .expect(201);
    let code = reply.body["admin"]["activation_code"].as_str().expect("activation code").to_owned();
    let token = app.activate(admin_login, &code, PASSWORD).await;
    (uuid(&reply.body["school"]["id"]), token)
}

/// Imports a roster and activates every new account; returns the report and tokens by login.
pub async fn import_and_activate(
    app: &TestApp,
    admin: &str,
    school: Uuid,
    kind: &str,
    csv: &str,
) -> (Value, std::collections::HashMap<String, String>) {
    let reply = app.post_csv(&format!("/api/v1/schools/{school}/roster/{kind}"), Some(admin), csv).await.expect(200);
    let mut tokens = std::collections::HashMap::new();
    for issued in reply.body["activation_codes"].as_array().expect("codes") {
        let login = issued["login"].as_str().expect("login").to_owned();
        let token = app.activate(&login, issued["code"].as_str().expect("code"), PASSWORD).await;
        tokens.insert(login, token);
    }
    (reply.body, tokens)
}

async fn class_id(app: &TestApp, admin: &str, school: Uuid, grade: i64, number: i64) -> Uuid {
    let reply = app.get(&format!("/api/v1/schools/{school}/classes"), Some(admin)).await.expect(200);
    let items = reply.body["items"].as_array().expect("items");
    let class = items
        .iter()
        .find(|c| c["grade"] == grade && c["number"] == number)
        .unwrap_or_else(|| panic!("class {grade}-{number} missing"));
    uuid(&class["id"])
}

pub async fn children(app: &TestApp, token: &str) -> Vec<(String, Uuid)> {
    let me = app.get("/api/v1/me", Some(token)).await.expect(200);
    me.body["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or("").to_owned(), uuid(&c["id"])))
        .collect()
}

pub async fn build(app: &TestApp) -> World {
    let (district_a, bureau_a) = bootstrap_district(app, "甲区", "bureau-a@test.cn").await;
    let (district_b, bureau_b) = bootstrap_district(app, "乙区", "bureau-b@test.cn").await;
    let (school_a1, admin_a1) = create_school(app, &bureau_a, "甲区第一小学", "6-3", "admin-a1@test.cn").await;
    let (school_a2, admin_a2) = create_school(app, &bureau_a, "甲区五四制学校", "5-4", "admin-a2@test.cn").await;
    let (school_b1, admin_b1) = create_school(app, &bureau_b, "乙区第一小学", "6-3", "admin-b1@test.cn").await;

    let (_, staff_a1) = import_and_activate(
        app,
        &admin_a1,
        school_a1,
        "staff",
        &format!("{STAFF_HEADER}T1,王老师,13700000001,,teacher,3-1:head;3-1:math\nT2,赵老师,13700000002,,teacher,3-2:english\n"),
    )
    .await;
    let (_, staff_a2) = import_and_activate(
        app,
        &admin_a2,
        school_a2,
        "staff",
        &format!("{STAFF_HEADER}T1,钱老师,13700000003,,teacher,6-1:head\n"),
    )
    .await;
    let (_, staff_b1) = import_and_activate(
        app,
        &admin_b1,
        school_b1,
        "staff",
        &format!("{STAFF_HEADER}T1,孙老师,13700000004,,teacher,3-1:head\n"),
    )
    .await;
    let _ = staff_a2;

    let (_, families_a1) = import_and_activate(
        app,
        &admin_a1,
        school_a1,
        "students",
        &format!(
            "{STUDENT_HEADER}S1,张小一,3,1,张伟,13800000001,,父亲,full,李阿姨,13800000002,,其他,pickup\nS2,张小二,3,2,周敏,13800000003,,母亲,informational,张伟,13800000001,,父亲,full\n"
        ),
    )
    .await;
    let (_, _) = import_and_activate(
        app,
        &admin_a2,
        school_a2,
        "students",
        &format!("{STUDENT_HEADER}S1,张小三,6,1,张伟,13800000001,,父亲,,,,,,\n"),
    )
    .await;
    let (_, families_b1) = import_and_activate(
        app,
        &admin_b1,
        school_b1,
        "students",
        &format!("{STUDENT_HEADER}S1,陈小四,3,1,陈刚,13800000004,,父亲,,,,,,\n"),
    )
    .await;

    let g1 = families_a1["13800000001"].clone();
    let g2 = families_a1["13800000002"].clone();
    let g3 = families_a1["13800000003"].clone();
    let g4 = families_b1["13800000004"].clone();
    let g1_children = children(app, &g1).await;
    let find = |name: &str| {
        g1_children.iter().find(|(n, _)| n == name).map(|(_, id)| *id).unwrap_or_else(|| panic!("{name} missing"))
    };
    let s4 = children(app, &g4).await[0].1;
    World {
        district_a,
        district_b,
        class_a1_31: class_id(app, &admin_a1, school_a1, 3, 1).await,
        class_a1_32: class_id(app, &admin_a1, school_a1, 3, 2).await,
        class_b1_31: class_id(app, &admin_b1, school_b1, 3, 1).await,
        bureau_a,
        bureau_b,
        school_a1,
        school_a2,
        school_b1,
        admin_a1,
        admin_a2,
        admin_b1,
        teacher_a1_head: staff_a1["13700000001"].clone(),
        teacher_a1_other: staff_a1["13700000002"].clone(),
        teacher_b1: staff_b1["13700000004"].clone(),
        s1: find("张小一"),
        s2: find("张小二"),
        s3: find("张小三"),
        s4,
        g1,
        g2,
        g3,
        g4,
    }
}

/// A custody change by roster re-import: 张伟 (`g1`) becomes pickup-only for S1; S2 is unchanged.
pub async fn custody_change_for_s1(app: &TestApp, w: &World) {
    let students = format!(
        "{STUDENT_HEADER}S1,张小一,3,1,张伟,13800000001,,父亲,pickup,李阿姨,13800000002,,其他,pickup\nS2,张小二,3,2,周敏,13800000003,,母亲,informational,张伟,13800000001,,父亲,full\n"
    );
    app.post_csv(&format!("/api/v1/schools/{}/roster/students", w.school_a1), Some(&w.admin_a1), &students)
        .await
        .expect(200);
}

/// A staff re-import takes 王老师 (`teacher_a1_head`) off 3-1: he teaches 3-2 maths only.
pub async fn head_teacher_off_3_1(app: &TestApp, w: &World) {
    let staff = format!("{STAFF_HEADER}T1,王老师,13700000001,,teacher,3-2:math\n");
    app.post_csv(&format!("/api/v1/schools/{}/roster/staff", w.school_a1), Some(&w.admin_a1), &staff).await.expect(200);
}
