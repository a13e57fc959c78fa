//! The demo's supervision story for the bureau's dashboard: about three in four pupils stay for
//! the basic after-school service since the term began (most all five days); the district
//! tightened its junior cap to 80 minutes, and 第一初级中学's grade 9 gave 85 minutes of written homework on every school
//! day of the last three weeks (so it falls short, on the dashboard and in the bulletin); two
//! complaints in different states (one anonymous, forwarded and answered by the school; one
//! closed by the bureau); and the bulletin of the last half-month that ended. The past homework
//! is written as the service would have stored it under the national cap; the rest goes through
//! the services.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::access::Caller;
use crate::complaints::dto::{Close, FileComplaint, Forward, Respond};
use crate::complaints::model::{Category, Outcome};
use crate::homework::dto::HomeworkSettings;
use crate::homework::model::{Change, homework, revision};
use crate::org::model::{bureau_officer, class, guardian, guardianship, school, staff, student};
use crate::state::AppState;

fn err(what: &'static str) -> impl Fn(crate::error::ApiError) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo reporting, {what}: {e}")
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let (db, now) = (&state.db, state.clock.now());
    let Some(officer) = bureau_officer::Entity::find().one(db).await? else { return Ok(()) };
    let bureau = Caller { account_id: officer.account_id };
    let settings = HomeworkSettings { primary_cap_minutes: 60, junior_cap_minutes: 80 };
    crate::homework::publicity::set_settings(state, &bureau, officer.district_id, settings)
        .await
        .map_err(err("caps"))?;

    // Grade 9 of the junior school: today's two written items, again on each past school day at
    // 40 and 45 minutes (85: within the national 90, over the district's 80).
    let Some(junior) = school::Entity::find().filter(school::Column::Name.eq("示范区第一初级中学")).one(db).await?
    else {
        return Ok(());
    };
    let today = junior.local_date(now);
    let calendar = crate::calendar::service::calendar(db, junior.id, today - Duration::days(21), today)
        .await
        .map_err(err("calendar"))?;
    let past: Vec<_> =
        calendar.school_days(today - Duration::days(21), today - Duration::days(1)).map(|(d, _)| d).collect();
    let grade_nine = class::Entity::find()
        .filter(class::Column::SchoolId.eq(junior.id))
        .filter(class::Column::Grade.eq(9))
        .all(db)
        .await?;
    for c in &grade_nine {
        let written: Vec<homework::Model> = homework::Entity::find()
            .filter(homework::Column::ClassId.eq(c.id))
            .filter(homework::Column::Date.eq(today))
            .all(db)
            .await?
            .into_iter()
            .filter(|h| crate::homework::rules::counts_toward_cap(h.kind, h.tier, h.location))
            .collect();
        for date in &past {
            for (h, minutes) in written.iter().zip([40, 45]) {
                let posted_at = junior.day_starts(*date) + Duration::hours(8);
                let row = homework::Model {
                    id: Uuid::new_v4(),
                    date: *date,
                    estimated_minutes: minutes,
                    created_at: posted_at,
                    updated_at: posted_at,
                    ..h.clone()
                };
                homework::ActiveModel::from(row.clone()).insert(db).await?;
                revision::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    homework_id: Set(row.id),
                    revision: Set(1),
                    change: Set(Change::Posted),
                    editor_account_id: Set(row.teacher_account_id),
                    subject: Set(row.subject.clone()),
                    title: Set(row.title.clone()),
                    content: Set(row.content.clone()),
                    kind: Set(row.kind),
                    tier: Set(row.tier),
                    location: Set(row.location),
                    estimated_minutes: Set(row.estimated_minutes),
                    date: Set(row.date),
                    created_at: Set(posted_at),
                }
                .insert(db)
                .await?;
            }
        }
    }

    seed_basic_service(state).await?;

    // Two complaints: the printed parent's about 实验小学 (anonymous, forwarded, answered), and
    // another family's about the junior school (closed by the bureau).
    let mut filed = Vec::new();
    for (school_name, anonymous, category, text) in [
        ("示范区实验小学", true, Category::HomeworkBurden, "三年级有时晚上九点还在写作业，希望学校统筹各科作业量。"),
        ("示范区第一初级中学", false, Category::ExamRanking, "期中考试后班级群里发了全班成绩排名表。"),
    ] {
        let Some(s) = school::Entity::find().filter(school::Column::Name.eq(school_name)).one(db).await? else {
            continue;
        };
        let Some(pupil) = student::Entity::find()
            .filter(student::Column::SchoolId.eq(s.id))
            .order_by_asc(student::Column::StudentNo)
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(link) =
            guardianship::Entity::find().filter(guardianship::Column::StudentId.eq(pupil.id)).one(db).await?
        else {
            continue;
        };
        let Some(parent) = guardian::Entity::find_by_id(link.guardian_id).one(db).await? else { continue };
        let req = FileComplaint { student_id: pupil.id, category, text: text.into(), anonymous_to_school: anonymous };
        let c = crate::complaints::service::file(state, &Caller { account_id: parent.account_id }, req)
            .await
            .map_err(err("complaint"))?;
        filed.push((c.id, s.id));
    }
    if let [(answered, school_id), (closed, _)] = filed[..] {
        let forward =
            Forward { share_identity: false, note: Some("请核实三年级各科作业总量并回复。".into()) };
        crate::complaints::service::forward(state, &bureau, answered, forward).await.map_err(err("forward"))?;
        if let Some(admin) = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school_id))
            .filter(staff::Column::IsSchoolAdmin.eq(true))
            .one(db)
            .await?
        {
            let reply = Respond {
                text: "已核查：三年级各科作业由年级组统筹，每日书面作业控制在60分钟内。".into()
            };
            crate::complaints::service::respond(state, &Caller { account_id: admin.account_id }, answered, reply)
                .await
                .map_err(err("respond"))?;
        }
        let close = Close {
            outcome: Outcome::Substantiated,
            text: "情况属实，已责成学校整改并在家长会上说明。".into(),
        };
        crate::complaints::service::close(state, &bureau, closed, close).await.map_err(err("close"))?;
    }

    seed_mentoring_progress(state).await?;

    // The bulletin of the last half-month that ended, issued as the bureau's re-run issues it.
    let district = crate::org::repo::district(db, officer.district_id).await?;
    if let Some(district) = district {
        let (start, _) = crate::reporting::bulletin::last_ended(district.local_date(now));
        crate::reporting::service::bulletin::rerun(state, &bureau, district.id, start)
            .await
            .map_err(err("bulletin"))?;
    }
    Ok(())
}

/// Three in four pupils of each school opted in to the basic service from the first day of the
/// school's plan (one in seven of them for three days a week), chosen by a full guardian: written
/// as the service would have stored choices made before the term began.
async fn seed_basic_service(state: &AppState) -> anyhow::Result<()> {
    use crate::afterschool::model::basic_choice;
    use crate::org::model::AccessLevel;
    let (db, now) = (&state.db, state.clock.now());
    let guardian_accounts: std::collections::HashMap<Uuid, Uuid> =
        guardian::Entity::find().all(db).await?.into_iter().map(|g| (g.id, g.account_id)).collect();
    let mut chooser: std::collections::HashMap<Uuid, Uuid> = std::collections::HashMap::new();
    for link in
        guardianship::Entity::find().filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full)).all(db).await?
    {
        if let Some(account) = guardian_accounts.get(&link.guardian_id) {
            chooser.entry(link.student_id).or_insert(*account);
        }
    }
    for s in school::Entity::find().all(db).await? {
        let Some(plan) = crate::afterschool::repo::current_plan(db, s.id, s.local_date(now)).await? else { continue };
        let pupils = student::Entity::find()
            .filter(student::Column::SchoolId.eq(s.id))
            .order_by_asc(student::Column::StudentNo)
            .all(db)
            .await?;
        let rows: Vec<basic_choice::ActiveModel> = pupils
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 4 != 3)
            .filter_map(|(i, p)| {
                let chosen_by = *chooser.get(&p.id)?;
                Some(basic_choice::ActiveModel {
                    plan_id: Set(plan.id),
                    student_id: Set(p.id),
                    effective_from: Set(plan.term_start),
                    opted_in: Set(true),
                    weekdays: Set(if i % 7 == 0 { "1,2,4".into() } else { String::new() }),
                    chosen_by: Set(chosen_by),
                    created_at: Set(now),
                })
            })
            .collect();
        if !rows.is_empty() {
            basic_choice::Entity::insert_many(rows).exec_without_returning(db).await?;
        }
    }
    Ok(())
}

/// Mentors' progress since the term began: in every school but the village teaching point, two in
/// three mentored students have had their talk and their written feedback, spread over the school
/// days of the last five weeks; the village point's mentors have done nothing yet (so it falls
/// behind, on the dashboard and in the bulletin). Written as the mentoring service stores a talk
/// recorded without a summary and a feedback the family has not yet read.
async fn seed_mentoring_progress(state: &AppState) -> anyhow::Result<()> {
    use crate::mentoring::model::{TalkTopic, Task, TaskStatus, assignment, feedback, obligation, talk};
    let (db, now) = (&state.db, state.clock.now());
    for s in school::Entity::find().all(db).await? {
        if s.name == "示范区青山村教学点" {
            continue;
        }
        let today = s.local_date(now);
        let from = today - Duration::days(35);
        let calendar = crate::calendar::service::calendar(db, s.id, from, today).await.map_err(err("calendar"))?;
        let days: Vec<_> = calendar.school_days(from, today - Duration::days(1)).map(|(d, _)| d).collect();
        if days.is_empty() {
            continue;
        }
        let mentored = assignment::Entity::find()
            .filter(assignment::Column::SchoolId.eq(s.id))
            .filter(assignment::Column::EndedAt.is_null())
            .order_by_asc(assignment::Column::StudentId)
            .all(db)
            .await?;
        for (n, a) in mentored.iter().enumerate().filter(|(n, _)| n % 3 != 2) {
            let held_on = days[n % days.len()];
            let at = s.day_starts(held_on) + Duration::hours(17);
            let owed = obligation::Entity::find()
                .filter(obligation::Column::StudentId.eq(a.student_id))
                .filter(obligation::Column::PeriodStartsOn.lte(held_on))
                .filter(obligation::Column::PeriodEndsOn.gte(held_on))
                .filter(obligation::Column::Task.is_in([Task::Talk, Task::Feedback]))
                .all(db)
                .await?;
            let Some(period_starts_on) = owed.first().map(|o| o.period_starts_on) else { continue };
            talk::ActiveModel::from(talk::Model {
                id: Uuid::now_v7(),
                school_id: s.id,
                student_id: a.student_id,
                mentor_account_id: a.mentor_account_id,
                held_on,
                topic: [TalkTopic::Study, TalkTopic::Emotion, TalkTopic::Peers][n % 3],
                summary: None,
                confidential_note: None,
                period_starts_on,
                created_at: at,
            })
            .insert(db)
            .await?;
            feedback::ActiveModel::from(feedback::Model {
                id: Uuid::now_v7(),
                school_id: s.id,
                student_id: a.student_id,
                mentor_account_id: a.mentor_account_id,
                body: "这学期学习更主动了，和同学相处融洽，继续保持好的作息。".into(),
                period_starts_on,
                created_at: at,
                acknowledged_at: None,
                acknowledged_by: None,
                family_message: None,
            })
            .insert(db)
            .await?;
            for o in owed {
                let mut o: obligation::ActiveModel = o.into();
                o.status = Set(TaskStatus::Done);
                o.updated_at = Set(at);
                o.updated_by = Set(Some(a.mentor_account_id));
                o.update(db).await?;
            }
        }
    }
    Ok(())
}
