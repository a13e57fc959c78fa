//! `loadtest dashboard` (issue 12): a district of 100 schools and 100,000 students with a term of
//! data, then the bureau's dashboard and the half-monthly bulletin timed over HTTP.
//!
//! What an admin or the bureau does once is done through the API (schools, rosters, staff, the
//! after-school plan and its activities, mentoring's publication, a parent-school course,
//! complaints). What families and teachers do every day for a term — 300,000 homework items, their
//! families' duration reports, the basic-service choices, 600,000 roll entries, parent-school
//! completions — is written straight into the tables in the shape the API writes it: posting it
//! item by item would take hours, and the dashboard only reads it.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc, Weekday};
use jiaxiao_tests::world::{self, STAFF_HEADER, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app_with};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use server::afterschool::model as after;
use server::homework::model as hw;
use server::org::model::{class, student};
use server::parent_school::model as ps;
use uuid::Uuid;

const SCHOOLS: usize = 100;
const STUDENTS_PER_SCHOOL: usize = 1_000;
/// Grades 1–9, three classes each (27 classes of about 37).
const CLASSES_PER_GRADE: usize = 3;
const TEACHERS_PER_SCHOOL: usize = 30;
const ACTIVITIES_PER_SCHOOL: usize = 10;
const SEATS: usize = 25;
/// Families of a class reporting how long each written item took.
const REPORTERS_PER_ITEM: usize = 3;
/// Reads of the default view (served from the snapshot), and of a period asked for (computed).
const READS: usize = 100;
const LIVE_READS: usize = 10;

fn uuid(v: &serde_json::Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// Writes rows in batches small enough for either database's bind-parameter limit.
async fn insert_all<A>(db: &sea_orm::DatabaseConnection, rows: Vec<A>)
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(1_000).collect();
        <A::Entity as EntityTrait>::insert_many(batch).exec_without_returning(db).await.expect("bulk insert");
    }
}

/// Monday to Friday from the term's first day to today.
fn weekdays(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).collect()
}

pub async fn run() {
    let app = spawn_app_with(|s| {
        s.login_attempts_per_ip = 1_000_000;
        s.db_max_connections = 10;
    })
    .await;
    let began = Instant::now();
    let (district, bureau) = world::bootstrap_district(&app, "督导压测区", "bureau@dashboard.test").await;
    let course = app
        .post(
            "/api/v1/parent-school/courses",
            Some(&bureau),
            json!({ "title": "家庭教育促进法解读", "credits": 1, "format": "online", "content_url": "https://example.cn/course/1", "min_minutes": 20 }),
        )
        .await
        .expect(201);
    let course_id = uuid(&course.body["id"]);
    let today = app.clock_now();
    let term = weekdays(NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"), today.date_naive());
    let mut rows = Rows::default();
    for s in 0..SCHOOLS {
        seed_school(&app, &bureau, s, course_id, &term, &mut rows).await;
        if rows.len() > 200_000 || s + 1 == SCHOOLS {
            rows.flush(&app.state.db).await;
        }
        if s % 10 == 9 {
            println!("dashboard: {} schools seeded in {:.0} s", s + 1, began.elapsed().as_secs_f64());
        }
    }
    if app.state.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // What autovacuum does after a bulk load: the planner's statistics of the new rows.
        use sea_orm::ConnectionTrait;
        app.state.db.execute_unprepared("ANALYZE").await.expect("analyze");
    }
    println!(
        "dashboard: {SCHOOLS} schools, {} students, {} homework items, {} duration reports, {} roll entries; seeded in {:.0} s",
        SCHOOLS * STUDENTS_PER_SCHOOL,
        rows.homework_total,
        rows.feedback_total,
        rows.roll_total,
        began.elapsed().as_secs_f64()
    );

    // The bureau signs in again (the seed outlives a token).
    let bureau = app.login("bureau@dashboard.test", world::PASSWORD).await;
    let pct = |l: &[Duration], p: f64| l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1e3;
    let base = app.url(&format!("/api/v1/districts/{district}/dashboard"));
    let read = |url: String| {
        let (client, bureau) = (app.client.clone(), bureau.clone());
        async move {
            let t = Instant::now();
            let response = client.get(&url).bearer_auth(&bureau).send().await.expect("sent");
            assert!(response.status().is_success(), "dashboard: status {}", response.status());
            let body: serde_json::Value = response.json().await.expect("json");
            (t.elapsed(), body)
        }
    };
    let shown = |body: &serde_json::Value| {
        json!({
            "class_days": body["homework"]["class_days"], "within_cap_percent": body["homework"]["within_cap_percent"],
            "in_basic": body["afterschool"]["in_basic"], "mentoring_coverage": body["mentoring"]["coverage"],
            "parent_school": body["parent_school"]["participation"], "complaints": body["complaints"]["received"],
        })
    };

    // Computed at the request: the term so far asked for as a period (never precomputed).
    let term_so_far = format!("{base}?from={}&to={}", term[0], today.date_naive());
    let mut live = Vec::new();
    for _ in 0..LIVE_READS {
        live.push(read(term_so_far.clone()).await.0);
    }
    live.sort();
    println!(
        "dashboard: computed at the request (the term as a period), {LIVE_READS} reads: p50 {:.0} ms, p99 {:.0} ms",
        pct(&live, 0.50),
        pct(&live, 0.99)
    );

    // What the refresh job does every `dashboard_refresh_secs`, then the default view served from it.
    let t = Instant::now();
    assert!(server::reporting::service::snapshot::refresh(&app.state, district).await.expect("refresh"));
    println!("dashboard: snapshot of the district's default view refreshed in {:.2} s", t.elapsed().as_secs_f64());
    let mut reads = Vec::new();
    let mut last = serde_json::Value::Null;
    for _ in 0..READS {
        let (took, body) = read(base.clone()).await;
        reads.push(took);
        last = body;
    }
    reads.sort();
    println!(
        "dashboard: district dashboard of {SCHOOLS} schools (default view, from the snapshot as of {}), {READS} reads: p50 {:.0} ms, p99 {:.0} ms (figures: {})",
        last["as_of"],
        pct(&reads, 0.50),
        pct(&reads, 0.99),
        shown(&last)
    );

    // The bulletin of the last half-month that ended (1–15 November), computed by a re-run: the
    // first run issues it, the second computes it again and compares.
    let rerun = app.url(&format!("/api/v1/districts/{district}/bulletins/2026-11-01/rerun"));
    for label in ["first run (issues it)", "re-run"] {
        let t = Instant::now();
        let response = app.client.post(&rerun).bearer_auth(&bureau).json(&json!({})).send().await.expect("sent");
        assert!(response.status().is_success(), "bulletin: status {}", response.status());
        let body: serde_json::Value = response.json().await.expect("json");
        println!(
            "dashboard: bulletin 2026-11-01, {label}: {:.2} s (same as issued: {}, schools short: {})",
            t.elapsed().as_secs_f64(),
            body["same_as_issued"],
            body["bulletin"]["schools_short"]
        );
    }
    if std::env::var("LOADTEST_KEEP").is_ok_and(|v| v == "1") {
        // For looking at query plans afterwards: the database outlives the run (drop it by hand).
        println!("dashboard: database kept: {:?}", app.settings.database_url);
        std::mem::forget(app);
    }
}

/// The rows a term leaves behind, collected across schools and written in bulk.
#[derive(Default)]
struct Rows {
    homework: Vec<hw::homework::ActiveModel>,
    feedback: Vec<hw::feedback::ActiveModel>,
    choices: Vec<after::basic_choice::ActiveModel>,
    enrolments: Vec<after::enrolment::ActiveModel>,
    roll: Vec<after::attendance::ActiveModel>,
    entries: Vec<ps::entry::ActiveModel>,
    homework_total: usize,
    feedback_total: usize,
    roll_total: usize,
}

impl Rows {
    fn len(&self) -> usize {
        self.homework.len() + self.feedback.len() + self.roll.len()
    }

    async fn flush(&mut self, db: &sea_orm::DatabaseConnection) {
        self.homework_total += self.homework.len();
        self.feedback_total += self.feedback.len();
        self.roll_total += self.roll.len();
        insert_all(db, std::mem::take(&mut self.homework)).await;
        insert_all(db, std::mem::take(&mut self.feedback)).await;
        insert_all(db, std::mem::take(&mut self.choices)).await;
        insert_all(db, std::mem::take(&mut self.enrolments)).await;
        insert_all(db, std::mem::take(&mut self.roll)).await;
        insert_all(db, std::mem::take(&mut self.entries)).await;
    }
}

async fn seed_school(app: &TestApp, bureau: &str, s: usize, course_id: Uuid, term: &[NaiveDate], rows: &mut Rows) {
    let db = &app.state.db;
    let (school, admin) =
        world::create_school(app, bureau, &format!("压测第{s}学校"), "6-3", &format!("admin@s{s}.dashboard.test"))
            .await;
    // Teachers: the first 27 are each head teacher of a class.
    let staff: String = (0..TEACHERS_PER_SCHOOL)
        .map(|t| {
            let class = if t < 9 * CLASSES_PER_GRADE {
                format!("{}-{}:head", t / CLASSES_PER_GRADE + 1, t % CLASSES_PER_GRADE + 1)
            } else {
                String::new()
            };
            format!("T{t},老师{s}x{t},139{:08},,teacher,{class}\n", s * 100 + t)
        })
        .collect();
    app.post_csv(&format!("/api/v1/schools/{school}/roster/staff"), Some(&admin), &format!("{STAFF_HEADER}{staff}"))
        .await
        .expect(200);
    let students: String = (0..STUDENTS_PER_SCHOOL)
        .map(|n| {
            let (grade, number) = (n % 9 + 1, (n / 9) % CLASSES_PER_GRADE + 1);
            let global = s * STUDENTS_PER_SCHOOL + n;
            format!("S{n:04},学生{global},{grade},{number},家长{global},137{global:08},,母亲,full,,,,,\n")
        })
        .collect();
    let imported = app
        .post_csv(
            &format!("/api/v1/schools/{school}/roster/students"),
            Some(&admin),
            &format!("{STUDENT_HEADER}{students}"),
        )
        .await
        .expect(200);

    // Mentoring for the junior grades, published from the proposal.
    let mentoring = |rest: &str| format!("/api/v1/schools/{school}/mentoring/{rest}");
    app.put(&mentoring("settings"), Some(&admin), json!({ "grades": [7, 8, 9], "cap": 15 })).await.expect(200);
    app.put(&mentoring("assignments"), Some(&admin), json!({ "from_proposal": true })).await.expect(200);

    // The after-school plan (five days, 15:40–17:50), published, with ten elective activities.
    let plan = super::published_plan(app, school, &admin, "17:50").await;
    let plan_id: Uuid = plan.parse().expect("plan id");
    let categories = ["homework_guidance", "science", "sports", "arts", "labour", "reading", "interest_group", "club"];
    let mut activities = Vec::new();
    for a in 0..ACTIVITIES_PER_SCHOOL {
        let days = if a % 2 == 0 { [1, 3] } else { [2, 4] };
        let body = json!({
            "name": format!("活动{a}"), "category": categories[a % categories.len()], "description": "兴趣拓展与练习",
            "weekdays": days, "start": "16:00", "end": "17:30", "capacity": SEATS, "min_size": 0,
            "provider": { "kind": "school_teacher", "name": "本校教师" },
            "fee": { "kind": "service_fee", "amount_fen": 0 }, "allocation": "first_come",
        });
        let made = super::add_activity(app, &admin, &plan, body).await;
        activities.push((made.parse::<Uuid>().expect("activity id"), days));
    }

    // The term's rows, in the shape the API writes them.
    let classes: Vec<class::Model> =
        class::Entity::find().filter(class::Column::SchoolId.eq(school)).all(db).await.expect("classes");
    let pupils: Vec<student::Model> =
        student::Entity::find().filter(student::Column::SchoolId.eq(school)).all(db).await.expect("students");
    let admin_id = uuid(&app.get("/api/v1/me", Some(&admin)).await.expect(200).body["account_id"]);
    let now = Utc::now();
    for (c, class) in classes.iter().enumerate() {
        let in_class: Vec<&student::Model> = pupils.iter().filter(|p| p.class_id == class.id).collect();
        for (d, date) in term.iter().enumerate() {
            // Written work from grade 3: most days under the cap, one school in ten often over it.
            let heavy = s % 10 == 3 && d % 3 == 0;
            let written = match class.grade {
                1 | 2 => None,
                3..=6 => Some(if heavy { 75 } else { 30 + ((c + d) % 4) as i32 * 10 }),
                _ => Some(if heavy { 110 } else { 50 + ((c + d) % 4) as i32 * 10 }),
            };
            let mut items = vec![(hw::HomeworkKind::Reading, 20)];
            if let Some(minutes) = written {
                items.push((hw::HomeworkKind::Written, minutes));
            }
            for (kind, minutes) in items {
                let id = Uuid::now_v7();
                rows.homework.push(
                    hw::homework::Model {
                        id,
                        school_id: school,
                        class_id: class.id,
                        teacher_account_id: admin_id,
                        teacher_name: "语文老师".into(),
                        subject: "语文".into(),
                        title: "今日作业".into(),
                        content: "完成课本练习".into(),
                        kind,
                        tier: hw::Tier::Basic,
                        location: hw::Location::Home,
                        estimated_minutes: minutes,
                        date: *date,
                        revision: 1,
                        withdrawn_at: None,
                        created_at: now,
                        updated_at: now,
                    }
                    .into_active_model(),
                );
                if kind == hw::HomeworkKind::Written {
                    for p in in_class.iter().skip(d % 7).take(REPORTERS_PER_ITEM) {
                        rows.feedback.push(
                            hw::feedback::Model {
                                homework_id: id,
                                student_id: p.id,
                                reporter_account_id: admin_id,
                                minutes: minutes + (p.student_no.len() as i32 % 3) * 5,
                                reported_at: now,
                            }
                            .into_active_model(),
                        );
                    }
                }
            }
        }
    }
    let first = term.first().copied().unwrap_or_default();
    for (n, p) in pupils.iter().enumerate() {
        // Three in four in the basic service, most of them all five days.
        if n % 4 != 0 {
            rows.choices.push(
                after::basic_choice::Model {
                    plan_id,
                    student_id: p.id,
                    effective_from: first,
                    opted_in: true,
                    weekdays: if n % 5 == 0 { "1,3,5".into() } else { String::new() },
                    chosen_by: admin_id,
                    created_at: now,
                }
                .into_active_model(),
            );
        }
        // Two in five families completed the district's online course.
        if n % 5 < 2 {
            rows.entries.push(
                ps::entry::Model {
                    id: Uuid::now_v7(),
                    school_id: school,
                    student_id: p.id,
                    stage: if n % 9 < 6 { "primary".into() } else { "junior".into() },
                    course_id: Some(course_id),
                    source: ps::Source::Online,
                    evidence: format!("online:{course_id}"),
                    credits: 1,
                    reason: None,
                    earned_by: Some(admin_id),
                    recorded_by: admin_id,
                    reverses: None,
                    once_key: Some(format!("course:{course_id}#0")),
                    created_at: now,
                }
                .into_active_model(),
            );
        }
    }
    for (a, (activity, days)) in activities.iter().enumerate() {
        let seated: Vec<&student::Model> = pupils.iter().skip(a * SEATS).take(SEATS).collect();
        for p in &seated {
            rows.enrolments.push(
                after::enrolment::Model {
                    id: Uuid::now_v7(),
                    activity_id: *activity,
                    student_id: p.id,
                    status: after::EnrolmentStatus::Enrolled,
                    choice_rank: None,
                    ticket: 0,
                    requested_by: admin_id,
                    created_at: now,
                    updated_at: now,
                    decline_by: None,
                }
                .into_active_model(),
            );
        }
        for date in term.iter().filter(|d| days.contains(&d.weekday().number_from_monday())) {
            for (i, p) in seated.iter().enumerate() {
                let status = match (i + date.day() as usize) % 20 {
                    0 => after::RollStatus::Absent,
                    1 => after::RollStatus::Leave,
                    _ => after::RollStatus::Present,
                };
                rows.roll.push(
                    after::attendance::Model {
                        activity_id: *activity,
                        date: *date,
                        student_id: p.id,
                        status,
                        recorded_by: admin_id,
                        recorded_at: now,
                        alerted: false,
                        escalated: false,
                    }
                    .into_active_model(),
                );
            }
        }
    }
    // In every other school a family signs in and files two complaints.
    if s.is_multiple_of(2) {
        let issued = &imported.body["activation_codes"][0];
        let token = app
            .activate(issued["login"].as_str().expect("login"), issued["code"].as_str().expect("code"), world::PASSWORD)
            .await;
        let child = world::children(app, &token).await[0].1;
        for category in ["homework_burden", "exam_ranking"] {
            app.post(
                "/api/v1/complaints",
                Some(&token),
                json!({ "student_id": child, "category": category, "text": "作业太多，孩子每天写到很晚。", "anonymous_to_school": true }),
            )
            .await
            .expect(201);
        }
    }
}
