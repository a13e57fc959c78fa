//! The demo's parent school: district courses of every format from the bureau, each school's own
//! courses, a session held two weeks ago that about half the families attended, an online course
//! many completed and a practice activity some confirmed (so ledgers and figures show a term of
//! credits), half the classes' parent meetings held, a session next week open for registration,
//! graduation rules and certificates for
//! the families who met them. Courses go through the service (and
//! the content guard); what happened in the past is written as the service would have.

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::access::{self, Caller};
use crate::org::model::Stage;
use crate::org::model::{AccessLevel, bureau_officer, guardian, guardianship, school, staff, student};
use crate::parent_school::dto::{
    CompleteCourse, ConfirmPractice, CreateCourse, CreateSession, IssueCertificate, QuestionInput, Register,
    SetGraduationRule,
};
use crate::parent_school::model::{
    AttendanceMethod, Format, MeetingScope, Source, attendance, meeting, progress, session,
};
use crate::parent_school::repo;
use crate::parent_school::service::{self as parent_school, Earning, graduation, sessions};
use crate::state::AppState;

fn course(title: &str, description: &str, format: Format, credits: i16, school_id: Option<Uuid>) -> CreateCourse {
    CreateCourse {
        title: title.into(),
        description: description.into(),
        grades: vec![],
        topics: vec![],
        credits,
        format,
        school_id,
        required: false,
        content_url: None,
        min_minutes: None,
        quiz: vec![],
        confirm_review: vec![],
    }
}

fn err(what: &'static str) -> impl Fn(crate::error::ApiError) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo parent school, {what}: {e}")
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let (db, now) = (&state.db, state.clock.now());
    let Some(officer) = bureau_officer::Entity::find().one(db).await? else { return Ok(()) };
    let bureau = Caller { account_id: officer.account_id };
    let mut workshop = course(
        "正面管教：温和而坚定",
        "用鼓励代替说教，帮助家长建立和善而坚定的亲子关系，缓解育儿焦虑。",
        Format::Offline,
        2,
        None,
    );
    workshop.topics = vec!["正面管教".into(), "缓解焦虑".into()];
    workshop.required = true;
    let workshop = parent_school::create_course(state, &bureau, workshop).await.map_err(err("workshop"))?;
    let mut sleep =
        course("科学育儿：睡眠与作息", "了解中小学生的睡眠需要，和孩子一起安排规律作息。", Format::Online, 1, None);
    sleep.topics = vec!["科学育儿".into()];
    sleep.content_url = Some("https://edu.example.cn/parent-school/sleep".into());
    sleep.min_minutes = Some(10);
    sleep.quiz = vec![
        QuestionInput {
            prompt: "小学生每天建议睡眠多长时间？".into(),
            options: vec!["8 小时".into(), "10 小时".into()],
            answer: 1,
        },
        QuestionInput {
            prompt: "睡前更适合做什么？".into(),
            options: vec!["亲子阅读".into(), "看短视频".into()],
            answer: 0,
        },
    ];
    let sleep = parent_school::create_course(state, &bureau, sleep).await.map_err(err("online course"))?;
    let mut reading = course("亲子共读一本书", "和孩子一起读完一本书，聊聊最喜欢的一段。", Format::Practice, 1, None);
    reading.topics = vec!["亲子沟通".into()];
    let reading = parent_school::create_course(state, &bureau, reading).await.map_err(err("practice"))?;

    for school in school::Entity::find().order_by_asc(school::Column::Name).all(db).await? {
        let Some(admin) = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school.id))
            .filter(staff::Column::IsSchoolAdmin.eq(true))
            .one(db)
            .await?
        else {
            continue;
        };
        let admin = Caller { account_id: admin.account_id };
        let open_day = course(
            "家长开放日：走进课堂",
            "了解孩子在校的一天，与老师面对面交流。",
            Format::Offline,
            1,
            Some(school.id),
        );
        let open_day = parent_school::create_course(state, &admin, open_day).await.map_err(err("school course"))?;
        // Next week's session, open for registration.
        let next = CreateSession {
            start: now + Duration::days(7),
            end: now + Duration::days(7) + Duration::minutes(90),
            place: "学校报告厅".into(),
            capacity: 60,
            school_id: Some(school.id),
        };
        let upcoming = sessions::create_session(state, &admin, open_day.id, next).await.map_err(err("session"))?;
        // Two weeks ago: the district workshop, held at the school.
        let held = session::Model {
            id: Uuid::now_v7(),
            course_id: workshop.id,
            school_id: school.id,
            starts_at: now - Duration::days(14),
            ends_at: now - Duration::days(14) + Duration::minutes(90),
            place: "学校报告厅".into(),
            capacity: 300,
            code_secret: format!("{:032x}", rand::random::<u128>()),
            created_by: admin.account_id,
            created_at: now - Duration::days(21),
            reminded_at: None,
        };
        repo::insert_session(db, held.clone()).await?;
        // Ten days ago: the parent meetings of every other class (the rest have not held theirs
        // yet, so the dashboard shows classes still to reach).
        let classes = crate::org::repo::classes_of_schools(db, vec![school.id]).await?;
        for class in classes.iter().step_by(2) {
            let starts_at = now - Duration::days(10);
            let row = meeting::Model {
                id: Uuid::now_v7(),
                school_id: school.id,
                scope: MeetingScope::Class,
                class_id: Some(class.id),
                grade: None,
                title: format!("{}年级{}班家长会", class.grade, class.number),
                agenda: "本学期学习与生活安排，家校沟通的方式。".into(),
                starts_at,
                ends_at: starts_at + Duration::minutes(60),
                place: "本班教室".into(),
                credits: 0,
                code_secret: format!("{:032x}", rand::random::<u128>()),
                created_by: admin.account_id,
                created_at: starts_at - Duration::days(7),
                reminded_at: None,
            };
            repo::insert_meeting(db, row).await?;
        }

        let pupils = student::Entity::find()
            .filter(student::Column::SchoolId.eq(school.id))
            .order_by_asc(student::Column::StudentNo)
            .all(db)
            .await?;
        let ids: Vec<Uuid> = pupils.iter().map(|s| s.id).collect();
        let links = guardianship::Entity::find()
            .filter(guardianship::Column::StudentId.is_in(ids))
            .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
            .all(db)
            .await?;
        let mut seen = std::collections::HashSet::new();
        for (n, link) in links.iter().enumerate() {
            if !seen.insert(link.guardian_id) {
                continue;
            }
            let Some(parent) = guardian::Entity::find_by_id(link.guardian_id).one(db).await? else { continue };
            let caller = Caller { account_id: parent.account_id };
            let children = access::guardian_children_placed(db, &caller).await?;
            let txn = crate::infra::db::begin(db).await?;
            if n % 2 == 0 {
                let row = attendance::Model {
                    id: Uuid::now_v7(),
                    session_id: held.id,
                    guardian_account_id: parent.account_id,
                    student_id: link.student_id,
                    method: if n % 6 == 0 { AttendanceMethod::Marked } else { AttendanceMethod::Code },
                    recorded_by: if n % 6 == 0 { admin.account_id } else { parent.account_id },
                    created_at: held.starts_at + Duration::minutes(5),
                };
                repo::insert_attendance_if_absent(&txn, row.clone()).await?;
                let workshop_row = repo::course(&txn, workshop.id).await?.ok_or_else(|| anyhow::anyhow!("workshop"))?;
                let earning = Earning {
                    guardian: parent.account_id,
                    children: &children,
                    source: Source::Offline,
                    evidence: format!("attendance:{}", row.id),
                };
                parent_school::credit_family(&txn, &workshop_row, school.id, earning, held.starts_at)
                    .await
                    .map_err(err("attendance"))?;
            }
            if n % 3 == 0 {
                let started = progress::Model {
                    id: Uuid::now_v7(),
                    course_id: sleep.id,
                    guardian_account_id: parent.account_id,
                    student_id: link.student_id,
                    started_at: now - Duration::days(3),
                    completed_at: None,
                };
                repo::start_progress(&txn, started).await?;
            }
            txn.commit().await?;
            if n % 3 == 0 {
                let answers = CompleteCourse { student_id: link.student_id, answers: vec![1, 0] };
                parent_school::complete_course(state, &caller, sleep.id, answers).await.map_err(err("online"))?;
            }
            if n % 5 == 0 {
                let done = ConfirmPractice {
                    student_id: link.student_id,
                    reflection: "一起读完了《夏洛的网》。".into(),
                };
                parent_school::confirm_practice(state, &caller, reading.id, done).await.map_err(err("practice"))?;
            }
            if n % 7 == 0 {
                sessions::register(state, &caller, upcoming.id, Register { student_id: link.student_id })
                    .await
                    .map_err(err("registration"))?;
            }
        }
        // The school's graduation rule for each stage (3 credits including the workshop), and
        // certificates for the families of its first 60 children who meet it: they verify by code.
        for stage in [Stage::Primary, Stage::Junior] {
            let rule = SetGraduationRule { credits: 3, required_course_ids: vec![workshop.id] };
            graduation::set_rule(state, &admin, school.id, stage, rule).await.map_err(err("graduation rule"))?;
        }
        for pupil in pupils.iter().take(60) {
            let issue = IssueCertificate { student_id: pupil.id, reason: String::new() };
            match graduation::issue(state, &admin, school.id, issue).await {
                Ok(_) => {}
                Err(e) if e.code == crate::error::Code::PsNotGraduated => {}
                Err(e) => return Err(err("certificate")(e)),
            }
        }
    }
    Ok(())
}
