//! The README's first command seeds the demo district through the real services: this keeps it
//! working on both backends.

use jiaxiao_tests::{TestApp, spawn_app};

async fn sign_in(app: &TestApp, login: &str) -> String {
    app.login(login, server::demo::PASSWORD).await
}

#[tokio::test]
async fn the_demo_seeds_every_domain_once_and_signs_in_each_role() {
    let app = spawn_app().await;
    let demo = server::demo::seed(&app.state).await.expect("demo seed");
    assert!(demo.seeded_now && !demo.logins.is_empty());
    // A second start finds the district, seeds nothing again and says so.
    let again = server::demo::seed(&app.state).await.expect("second seed");
    assert!(!again.seeded_now);
    assert_eq!(demo.logins.len(), again.logins.len());

    let bureau = sign_in(&app, server::demo::BUREAU_LOGIN).await;
    let me = app.get("/api/v1/me", Some(&bureau)).await.expect(200);
    assert_eq!(me.body["districts"].as_array().map(Vec::len), Some(1));

    let schools = app.get("/api/v1/schools", Some(&bureau)).await.expect(200);
    let school_count = schools.body["items"].as_array().expect("schools").len();
    assert!(school_count > 0);

    // Every school has a published after-school plan (the first also a draft breaking AS_END_TIME),
    // and its basketball club filled its 3 seats with 2 more on the wait list.
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::afterschool::model::{EnrolmentStatus, PlanStatus, enrolment, plan};
    let db = &app.state.db;
    let published =
        plan::Entity::find().filter(plan::Column::Status.eq(PlanStatus::Published)).count(db).await.unwrap();
    let drafts = plan::Entity::find().filter(plan::Column::Status.eq(PlanStatus::Draft)).count(db).await.unwrap();
    assert_eq!((published as usize, drafts), (school_count, 1));
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .count(db)
        .await
        .unwrap();
    let waiting = enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .count(db)
        .await
        .unwrap();
    // Per school: the club (3 seats, 5 tried) and the drawn lottery activity (3 seats, the next 5
    // applied; the village teaching point of eight pupils has only 3 more families, all seated).
    assert_eq!((enrolled as usize, waiting as usize), (6 * school_count, 4 * school_count - 2));
    // Last week's roll calls and sign-outs, in every school's club.
    use server::afterschool::model::{attendance, sign_out};
    let marked = attendance::Entity::find().count(db).await.unwrap() as usize;
    let released = sign_out::Entity::find().count(db).await.unwrap() as usize;
    assert!(marked >= 3 * 3 * school_count, "{marked} roll marks");
    assert_eq!(released + school_count, marked, "everyone present was signed out; one on leave per school");

    // Every student of every school has a mentor, with the three tasks of the period open.
    use server::mentoring::model::{assignment, obligation};
    use server::org::model::student;
    let students = student::Entity::find().count(db).await.unwrap();
    let mentored = assignment::Entity::find().filter(assignment::Column::EndedAt.is_null()).count(db).await.unwrap();
    assert_eq!(mentored, students);
    assert_eq!(obligation::Entity::find().count(db).await.unwrap(), 3 * students);
    // One school runs two-way choice, and some of its families ranked a mentor.
    use server::mentoring::model::{MatchMode, choice, settings};
    let two_way =
        settings::Entity::find().filter(settings::Column::Mode.eq(MatchMode::TwoWay)).count(db).await.unwrap();
    assert_eq!(two_way, 1);
    assert!(choice::Entity::find().count(db).await.unwrap() > 0);

    // The parent school: district and school courses of every format; a past session many
    // families attended; credits from every kind of event; a session ahead with registrations.
    use server::parent_school::model::{Format, Source, attendance as ps_attendance, course, entry, registration};
    for format in [Format::Online, Format::Offline, Format::Practice] {
        assert!(course::Entity::find().filter(course::Column::Format.eq(format)).count(db).await.unwrap() > 0);
    }
    assert!(ps_attendance::Entity::find().count(db).await.unwrap() as usize >= 20 * school_count);
    for source in [Source::Offline, Source::Online, Source::Practice] {
        assert!(
            entry::Entity::find().filter(entry::Column::Source.eq(source)).count(db).await.unwrap() > 0,
            "{source:?}"
        );
    }
    assert!(registration::Entity::find().count(db).await.unwrap() > 0);
    // Some families graduated: their certificates verify publicly by code.
    use server::parent_school::model::certificate;
    let issued = certificate::Entity::find().all(db).await.unwrap();
    assert!(!issued.is_empty(), "no demo certificate");
    app.get(&format!("/api/v1/certificates/{}", issued[0].code), None).await.expect(200);

    // The bureau's dashboard shows every area: the junior school's grade 9 over the district's
    // tightened cap, the village teaching point's eight families suppressed, two complaints in
    // different states, and a bulletin naming the junior school's homework and the village point's mentors.
    let district = me.body["districts"][0]["id"].as_str().expect("district").to_owned();
    let dashboard = app.get(&format!("/api/v1/districts/{district}/dashboard"), Some(&bureau)).await.expect(200).body;
    let row = |section: &str, name: &str| {
        dashboard[section]["schools"].as_array().expect("schools").iter().find(|s| s["school_name"] == name).cloned()
    };
    let junior = row("homework", "示范区第一初级中学").expect("junior school");
    assert!(junior["over_cap_class_days"].as_u64().unwrap() > 0, "{junior}");
    assert_eq!(dashboard["homework"]["schools_over_cap"], 1);
    let village = row("parent_school", "示范区青山村教学点").expect("village school");
    assert_eq!(village["families"]["suppressed"], true);
    assert_eq!(dashboard["afterschool"]["schools_with_plan"].as_u64(), Some(school_count as u64));
    // About three in four pupils stay for the basic service, most of them all five days.
    let basic = dashboard["afterschool"]["basic_percent"]["value"].as_f64().expect("a district share");
    assert!((70.0..80.0).contains(&basic), "{basic}");
    let five = dashboard["afterschool"]["all_five_days_percent"]["value"].as_f64().expect("a district share");
    assert!((80.0..90.0).contains(&five), "{five}");
    let complaints = app.get(&format!("/api/v1/districts/{district}/complaints"), Some(&bureau)).await.expect(200);
    let mut states: Vec<&str> =
        complaints.body["items"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    states.sort_unstable();
    assert_eq!(states, vec!["closed", "responded"]);
    let bulletins = app.get(&format!("/api/v1/districts/{district}/bulletins"), Some(&bureau)).await.expect(200);
    let start = bulletins.body["items"][0]["period_start"].as_str().expect("a past bulletin").to_owned();
    let bulletin = app.get(&format!("/api/v1/districts/{district}/bulletins/{start}"), Some(&bureau)).await.expect(200);
    let short_of = |kind: &str| -> Vec<String> {
        bulletin.body["schools"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["shortfalls"].as_array().unwrap().iter().any(|f| f["kind"] == kind))
            .map(|s| s["school_name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(short_of("homework_over_cap"), vec!["示范区第一初级中学"]);
    // The mentors of every school but the village point are on schedule.
    assert_eq!(short_of("mentoring_behind"), vec!["示范区青山村教学点"]);
}

/// README's walkthrough, step by step, with the printed logins and the API alone: the printed
/// teacher teaches the printed parent's child, so they can talk, share a notice, see homework and
/// hand the child over after school.
#[tokio::test]
async fn the_readme_walkthrough_works_with_the_printed_logins() {
    use jiaxiao_tests::json;
    let app = spawn_app().await;
    server::demo::seed(&app.state).await.expect("demo seed");
    let parent = sign_in(&app, "parent@demo.jiaxiao.cn").await;
    let teacher = sign_in(&app, "teacher@demo.jiaxiao.cn").await;

    // 1. The parent sees two children; the first is in the teacher's class.
    let me = app.get("/api/v1/me", Some(&parent)).await.expect(200).body;
    assert_eq!(me["display_name"], "李强");
    let children = me["children"].as_array().expect("children").clone();
    assert_eq!(children.len(), 2);
    let child = children.iter().find(|c| c["name"] == "李子涵").expect("李子涵").clone();
    let (child_id, class_id) =
        (child["id"].as_str().unwrap().to_owned(), child["class_id"].as_str().unwrap().to_owned());
    let taught = app.get("/api/v1/me", Some(&teacher)).await.expect(200).body;
    let classes: Vec<&str> =
        taught["staff"][0]["classes"].as_array().unwrap().iter().filter_map(|c| c["class_id"].as_str()).collect();
    assert!(classes.contains(&class_id.as_str()), "the printed teacher teaches the printed child");

    // 2. The parent writes to the class teacher, found in the child view.
    let view = app.get(&format!("/api/v1/children/{child_id}"), Some(&parent)).await.expect(200).body;
    let class_teacher =
        view["teachers"].as_array().unwrap().iter().find(|t| t["role"] == "class_teacher").unwrap().clone();
    assert_eq!(class_teacher["account_id"], taught["account_id"]);
    let start = json!({ "student_id": child_id, "with_account_id": class_teacher["account_id"] });
    let conversation = app.post("/api/v1/conversations", Some(&parent), start).await.expect(200).body;
    let conversation_id = conversation["id"].as_str().unwrap();
    let path = format!("/api/v1/conversations/{conversation_id}/messages");
    app.post(&path, Some(&parent), json!({ "body": "陈老师好，孩子明天请假半天。" })).await.expect(201);

    // 3. The teacher finds it, answers, and reaches the same conversation from the class list.
    let list = app.get("/api/v1/conversations", Some(&teacher)).await.expect(200).body;
    assert!(list["items"].as_array().unwrap().iter().any(|c| c["id"] == conversation["id"]));
    app.post(&path, Some(&teacher), json!({ "body": "收到，谢谢告知。" })).await.expect(201);
    let students = app.get(&format!("/api/v1/classes/{class_id}/students"), Some(&teacher)).await.expect(200).body;
    let row = students["items"].as_array().unwrap().iter().find(|s| s["id"] == child["id"]).expect("the child").clone();
    let father =
        row["guardians"].as_array().unwrap().iter().find(|g| g["account_id"] == me["account_id"]).expect("李强");
    let again = json!({ "student_id": child_id, "with_account_id": father["account_id"] });
    let same = app.post("/api/v1/conversations", Some(&teacher), again).await.expect(200).body;
    assert_eq!(same["id"], conversation["id"]);

    // 4. The teacher's class notice reaches the parent's inbox; the parent confirms it.
    let notice = json!({ "title": "周五春游", "body": "请穿运动鞋，自带水杯。", "audience": { "class_ids": [class_id] }, "response_mode": "confirm" });
    let sent = app.post("/api/v1/notices", Some(&teacher), notice).await.expect(201).body;
    let inbox = app.get("/api/v1/inbox", Some(&parent)).await.expect(200).body;
    assert!(inbox["items"].as_array().unwrap().iter().any(|i| i["ref_id"] == sent["id"]));
    app.post(&format!("/api/v1/notices/{}/confirm", sent["id"].as_str().unwrap()), Some(&parent), json!({}))
        .await
        .expect(200);

    // 5. Today's homework, which the parent only sees (nothing to check or sign).
    let homework = app.get(&format!("/api/v1/children/{child_id}/homework"), Some(&parent)).await.expect(200).body;
    assert!(!homework["items"].as_array().unwrap().is_empty(), "the seeded homework of 3年级1班");

    // 6. After school: the child is in the basketball club the teacher runs; the parent shows a
    //    pickup code and the teacher releases the child to it.
    let after = app.get(&format!("/api/v1/children/{child_id}/afterschool"), Some(&parent)).await.expect(200).body;
    let club = after["activities"].as_array().unwrap().iter().find(|a| a["name"] == "篮球社").expect("篮球社").clone();
    assert_eq!(club["status"], "enrolled");
    let code =
        app.post(&format!("/api/v1/children/{child_id}/afterschool/pickup-codes"), Some(&parent), json!({})).await;
    let code = code.expect(200).body["code"].as_str().unwrap().to_owned();
    let sign_out = json!({ "student_id": child_id, "pickup_code": code });
    let path = format!("/api/v1/afterschool/activities/{}/sign-outs", club["activity_id"].as_str().unwrap());
    app.post(&path, Some(&teacher), sign_out).await.expect(201);
}
