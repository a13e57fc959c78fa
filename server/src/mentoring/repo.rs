//! Mentoring storage.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    UpdateMany, sea_query::OnConflict,
};
use uuid::Uuid;

use super::model::{Task, TaskStatus, assignment, obligation, settings};
use crate::org::model::{class, staff, student, teaching_assignment};

pub async fn settings(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Option<settings::Model>, DbErr> {
    settings::Entity::find_by_id(school_id).one(db).await
}

/// The school's mentoring setting with the school, in one read (`None` without a setting).
pub async fn settings_with_school(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<Option<(settings::Model, crate::org::model::school::Model)>, DbErr> {
    let found =
        settings::Entity::find_by_id(school_id).find_also_related(crate::org::model::school::Entity).one(db).await?;
    Ok(found.and_then(|(settings, school)| Some((settings, school?))))
}

/// Locks the school's mentoring setting until the transaction ends: publications of one school
/// take turns, so two admins cannot both pass the coverage and cap checks on stale facts.
pub async fn lock_settings(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Option<settings::Model>, DbErr> {
    settings::Entity::find_by_id(school_id).lock_exclusive().one(db).await
}

/// Locks the staff rows of these teachers in the school until the transaction ends, always in the
/// same order (so two bookings that share a teacher cannot deadlock): a teacher's bookings take turns.
pub async fn lock_teachers(db: &impl ConnectionTrait, school_id: Uuid, accounts: &[Uuid]) -> Result<(), DbErr> {
    staff::Entity::find()
        .filter(staff::Column::SchoolId.eq(school_id))
        .filter(staff::Column::AccountId.is_in(accounts.to_vec()))
        .order_by_asc(staff::Column::AccountId)
        .lock_exclusive()
        .all(db)
        .await?;
    Ok(())
}

pub async fn save_settings(db: &impl ConnectionTrait, row: settings::Model) -> Result<(), DbErr> {
    let active = settings::ActiveModel {
        school_id: Set(row.school_id),
        grades: Set(row.grades),
        period: Set(row.period),
        cap: Set(row.cap),
        mode: Set(row.mode),
        visit_buffer_minutes: Set(row.visit_buffer_minutes),
        max_visits_per_day: Set(row.max_visits_per_day),
        updated_at: Set(row.updated_at),
        updated_by: Set(row.updated_by),
    };
    settings::Entity::insert(active)
        .on_conflict(
            OnConflict::column(settings::Column::SchoolId)
                .update_columns([
                    settings::Column::Grades,
                    settings::Column::Period,
                    settings::Column::Cap,
                    settings::Column::Mode,
                    settings::Column::VisitBufferMinutes,
                    settings::Column::MaxVisitsPerDay,
                    settings::Column::UpdatedAt,
                    settings::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The school's classes of these grades.
pub async fn classes_of_grades(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    grades: &[u8],
) -> Result<Vec<class::Model>, DbErr> {
    let grades: Vec<i16> = grades.iter().map(|g| i16::from(*g)).collect();
    class::Entity::find()
        .filter(class::Column::SchoolId.eq(school_id))
        .filter(class::Column::Grade.is_in(grades))
        .all(db)
        .await
}

/// The students of these classes.
pub async fn students_of_classes(
    db: &impl ConnectionTrait,
    class_ids: Vec<Uuid>,
) -> Result<Vec<student::Model>, DbErr> {
    if class_ids.is_empty() {
        return Ok(Vec::new());
    }
    student::Entity::find().filter(student::Column::ClassId.is_in(class_ids)).all(db).await
}

/// The school's teachers, each with the classes they teach: `(account id, name, classes)`.
pub async fn teachers(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<(Uuid, String, Vec<Uuid>)>, DbErr> {
    let staff = staff::Entity::find()
        .filter(staff::Column::SchoolId.eq(school_id))
        .filter(staff::Column::IsTeacher.eq(true))
        .order_by_asc(staff::Column::StaffNo)
        .all(db)
        .await?;
    let teaching = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.is_in(staff.iter().map(|s| s.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let mut classes: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for t in teaching {
        let list = classes.entry(t.staff_id).or_default();
        if !list.contains(&t.class_id) {
            list.push(t.class_id);
        }
    }
    Ok(staff.into_iter().map(|s| (s.account_id, s.name, classes.remove(&s.id).unwrap_or_default())).collect())
}

/// The school's standing assignments (one per student).
pub async fn current_assignments(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<assignment::Model>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::SchoolId.eq(school_id))
        .filter(assignment::Column::EndedAt.is_null())
        .all(db)
        .await
}

/// A mentor's standing assignments, in every school.
pub async fn mentees_of(db: &impl ConnectionTrait, mentor_account_id: Uuid) -> Result<Vec<assignment::Model>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::MentorAccountId.eq(mentor_account_id))
        .filter(assignment::Column::EndedAt.is_null())
        .all(db)
        .await
}

/// A student's standing assignment.
pub async fn mentor_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Option<assignment::Model>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::StudentId.eq(student_id))
        .filter(assignment::Column::EndedAt.is_null())
        .one(db)
        .await
}

/// Every assignment a student has had, the latest first.
pub async fn history_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Vec<assignment::Model>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::StudentId.eq(student_id))
        .order_by_desc(assignment::Column::AssignedAt)
        .order_by_desc(assignment::Column::EndedAt)
        .all(db)
        .await
}

/// Ends these assignments at `now` (the history keeps them).
pub async fn end_assignments(db: &impl ConnectionTrait, ids: Vec<Uuid>, now: DateTime<Utc>) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    assignment::Entity::update_many()
        .col_expr(assignment::Column::EndedAt, Expr::value(now))
        .filter(assignment::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn insert_assignments(db: &impl ConnectionTrait, rows: Vec<assignment::Model>) -> Result<(), DbErr> {
    for chunk in rows.chunks(500) {
        let active = chunk.iter().map(|r| assignment::ActiveModel {
            id: Set(r.id),
            school_id: Set(r.school_id),
            student_id: Set(r.student_id),
            mentor_account_id: Set(r.mentor_account_id),
            pinned: Set(r.pinned),
            assigned_at: Set(r.assigned_at),
            assigned_by: Set(r.assigned_by),
            ended_at: Set(r.ended_at),
        });
        assignment::Entity::insert_many(active).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Changes only whether a standing assignment is pinned.
pub async fn set_pinned(db: &impl ConnectionTrait, id: Uuid, pinned: bool) -> Result<(), DbErr> {
    assignment::Entity::update_many()
        .col_expr(assignment::Column::Pinned, Expr::value(pinned))
        .filter(assignment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The obligations of these students in the period starting on `period_starts_on`.
pub async fn obligations(
    db: &impl ConnectionTrait,
    student_ids: Vec<Uuid>,
    period_starts_on: NaiveDate,
) -> Result<Vec<obligation::Model>, DbErr> {
    let mut rows = Vec::new();
    for chunk in student_ids.chunks(500) {
        rows.extend(
            obligation::Entity::find()
                .filter(obligation::Column::StudentId.is_in(chunk.to_vec()))
                .filter(obligation::Column::PeriodStartsOn.eq(period_starts_on))
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// How many tasks a school's period has (none: the period was never opened).
pub async fn count_obligations(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    period_starts_on: NaiveDate,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    obligation::Entity::find()
        .filter(obligation::Column::SchoolId.eq(school_id))
        .filter(obligation::Column::PeriodStartsOn.eq(period_starts_on))
        .count(db)
        .await
}

/// Opens the three tasks of the period for each student who has none yet (a student already in
/// the ledger keeps theirs, whatever their status: the new mentor inherits them).
pub async fn open_obligations(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    students: &[Uuid],
    period: (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows: Vec<obligation::ActiveModel> = students
        .iter()
        .flat_map(|student| {
            Task::ALL.into_iter().map(move |task| obligation::ActiveModel {
                id: Set(Uuid::new_v4()),
                school_id: Set(school_id),
                student_id: Set(*student),
                period_starts_on: Set(period.0),
                period_ends_on: Set(period.1),
                task: Set(task),
                status: Set(TaskStatus::Pending),
                reason: Set(None),
                updated_at: Set(now),
                updated_by: Set(None),
            })
        })
        .collect();
    for chunk in rows.chunks(300) {
        obligation::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    obligation::Column::StudentId,
                    obligation::Column::PeriodStartsOn,
                    obligation::Column::Task,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// One task of a student in a period.
pub async fn obligation(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    period_starts_on: NaiveDate,
    task: Task,
) -> Result<Option<obligation::Model>, DbErr> {
    obligation::Entity::find()
        .filter(obligation::Column::StudentId.eq(student_id))
        .filter(obligation::Column::PeriodStartsOn.eq(period_starts_on))
        .filter(obligation::Column::Task.eq(task))
        .one(db)
        .await
}

/// The update that moves tasks to `status`, with its reason, who and when: the rows are filtered
/// by the caller.
fn moved_to(
    status: TaskStatus,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> UpdateMany<obligation::Entity> {
    obligation::Entity::update_many()
        .col_expr(obligation::Column::Status, Expr::value(status))
        .col_expr(obligation::Column::Reason, Expr::value(reason))
        .col_expr(obligation::Column::UpdatedBy, Expr::value(Some(by)))
        .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
}

/// Sets a task's status (and its reason).
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: TaskStatus,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    moved_to(status, reason, by, now).filter(obligation::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// Moves one task of a student in a period (`(student, period's first day, task)`) to `status`,
/// unless it stands at one of `kept`: one conditional statement.
pub async fn move_task_unless(
    db: &impl ConnectionTrait,
    (student_id, period_starts_on, task): (Uuid, NaiveDate, Task),
    kept: &[TaskStatus],
    status: TaskStatus,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    moved_to(status, reason, by, now)
        .filter(obligation::Column::StudentId.eq(student_id))
        .filter(obligation::Column::PeriodStartsOn.eq(period_starts_on))
        .filter(obligation::Column::Task.eq(task))
        .filter(obligation::Column::Status.is_not_in(kept.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

// ── Home visits ──────────────────────────────────────────────────────────────────────────────

use super::model::{VisitStatus, visit, visit_event, visit_window};

pub async fn visit(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<visit::Model>, DbErr> {
    visit::Entity::find_by_id(id).one(db).await
}

/// The student's proposed or booked visit, if any.
pub async fn open_visit_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Option<visit::Model>, DbErr> {
    visit::Entity::find()
        .filter(visit::Column::StudentId.eq(student_id))
        .filter(visit::Column::Status.is_in([VisitStatus::Proposed, VisitStatus::Booked]))
        .one(db)
        .await
}

pub async fn save_visit(db: &impl ConnectionTrait, row: visit::Model, new: bool) -> Result<(), DbErr> {
    let active = visit::ActiveModel {
        id: Set(row.id),
        school_id: Set(row.school_id),
        student_id: Set(row.student_id),
        mentor_account_id: Set(row.mentor_account_id),
        co_visitor_account_id: Set(row.co_visitor_account_id),
        mode: Set(row.mode),
        status: Set(row.status),
        awaiting: Set(row.awaiting),
        starts_at: Set(row.starts_at),
        ends_at: Set(row.ends_at),
        address: Set(row.address),
        address_erased_at: Set(row.address_erased_at),
        period_starts_on: Set(row.period_starts_on),
        done_mode: Set(row.done_mode),
        duration_minutes: Set(row.duration_minutes),
        confirmed_at: Set(row.confirmed_at),
        reminded_day_before: Set(row.reminded_day_before),
        reminded_hour_before: Set(row.reminded_hour_before),
        created_at: Set(row.created_at),
        updated_at: Set(row.updated_at),
    };
    if new {
        visit::Entity::insert(active).exec_without_returning(db).await?;
    } else {
        visit::Entity::update(active).exec(db).await?;
    }
    Ok(())
}

/// Replaces a visit's windows.
pub async fn set_windows(
    db: &impl ConnectionTrait,
    visit_id: Uuid,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<(), DbErr> {
    visit_window::Entity::delete_many().filter(visit_window::Column::VisitId.eq(visit_id)).exec(db).await?;
    let rows = windows.iter().map(|(start, end)| visit_window::ActiveModel {
        id: Set(Uuid::new_v4()),
        visit_id: Set(visit_id),
        starts_at: Set(*start),
        ends_at: Set(*end),
    });
    visit_window::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

pub async fn windows_of(db: &impl ConnectionTrait, visit_ids: Vec<Uuid>) -> Result<Vec<visit_window::Model>, DbErr> {
    if visit_ids.is_empty() {
        return Ok(Vec::new());
    }
    visit_window::Entity::find()
        .filter(visit_window::Column::VisitId.is_in(visit_ids))
        .order_by_asc(visit_window::Column::StartsAt)
        .all(db)
        .await
}

pub async fn add_event(db: &impl ConnectionTrait, row: visit_event::Model) -> Result<(), DbErr> {
    add_events(db, vec![row]).await
}

/// Several visits' events in one statement.
pub async fn add_events(db: &impl ConnectionTrait, rows: Vec<visit_event::Model>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    visit_event::Entity::insert_many(rows.into_iter().map(|row| visit_event::ActiveModel {
        id: Set(row.id),
        visit_id: Set(row.visit_id),
        at: Set(row.at),
        by_account_id: Set(row.by_account_id),
        kind: Set(row.kind),
        reason: Set(row.reason),
        starts_at: Set(row.starts_at),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn events_of(db: &impl ConnectionTrait, visit_ids: Vec<Uuid>) -> Result<Vec<visit_event::Model>, DbErr> {
    if visit_ids.is_empty() {
        return Ok(Vec::new());
    }
    visit_event::Entity::find()
        .filter(visit_event::Column::VisitId.is_in(visit_ids))
        .order_by_asc(visit_event::Column::At)
        .order_by_asc(visit_event::Column::Id)
        .all(db)
        .await
}

/// Whether a visit takes one of these teachers (as mentor or co-visitor), booked, somewhere
/// between `from` and `to`.
fn booked_between(teachers: &[Uuid], from: DateTime<Utc>, to: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(visit::Column::Status.eq(VisitStatus::Booked))
        .add(
            sea_orm::Condition::any()
                .add(visit::Column::MentorAccountId.is_in(teachers.iter().copied()))
                .add(visit::Column::CoVisitorAccountId.is_in(teachers.iter().copied())),
        )
        .add(visit::Column::StartsAt.lt(to))
        .add(visit::Column::EndsAt.gt(from))
}

/// The booked visits of these teachers (as mentor or co-visitor) from `from` to `to`.
pub async fn booked_of(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<visit::Model>, DbErr> {
    visit::Entity::find().filter(booked_between(teachers, from, to)).all(db).await
}

/// These visits, and the booked visits of these teachers from `from` to `to`, in one read: what
/// a batch of acceptances reads behind the teachers' lock.
pub async fn visits_and_booked(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    teachers: &[Uuid],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<visit::Model>, DbErr> {
    visit::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(visit::Column::Id.is_in(ids.iter().copied()))
                .add(booked_between(teachers, from, to)),
        )
        .all(db)
        .await
}

/// The visits an account takes part in as mentor or co-visitor, or about these children.
pub async fn visits_of(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    children: Vec<Uuid>,
) -> Result<Vec<visit::Model>, DbErr> {
    let mut any = sea_orm::Condition::any()
        .add(visit::Column::MentorAccountId.eq(account_id))
        .add(visit::Column::CoVisitorAccountId.eq(account_id));
    if !children.is_empty() {
        any = any.add(visit::Column::StudentId.is_in(children));
    }
    visit::Entity::find().filter(any).order_by_desc(visit::Column::CreatedAt).limit(200).all(db).await
}

/// Booked visits starting before `until` whose reminders are not all sent.
pub async fn visits_to_remind(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<visit::Model>, DbErr> {
    visit::Entity::find()
        .filter(visit::Column::Status.eq(VisitStatus::Booked))
        .filter(visit::Column::StartsAt.gt(now))
        .filter(visit::Column::StartsAt.lte(until))
        .filter(visit::Column::RemindedHourBefore.eq(false))
        .all(db)
        .await
}

/// Marks a booked visit's reminder sent unless it was (or the visit changed meanwhile): `true`
/// when this call marked it, so each reminder goes out once.
pub async fn mark_reminded(db: &impl ConnectionTrait, id: Uuid, hour_before: bool) -> Result<bool, DbErr> {
    let mut update = visit::Entity::update_many()
        .col_expr(visit::Column::RemindedDayBefore, Expr::value(true))
        .filter(visit::Column::Id.eq(id))
        .filter(visit::Column::Status.eq(VisitStatus::Booked));
    update = if hour_before {
        update
            .col_expr(visit::Column::RemindedHourBefore, Expr::value(true))
            .filter(visit::Column::RemindedHourBefore.eq(false))
    } else {
        update.filter(visit::Column::RemindedDayBefore.eq(false))
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Erases the addresses of visits that ended before `before`; how many.
pub async fn erase_addresses(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let erased = visit::Entity::update_many()
        .col_expr(visit::Column::Address, Expr::value(Option::<String>::None))
        .col_expr(visit::Column::AddressErasedAt, Expr::value(Some(now)))
        .filter(visit::Column::Address.is_not_null())
        .filter(
            // 7 days after the visit; or, for a visit never booked, 7 days after its last change.
            sea_orm::Condition::any().add(visit::Column::EndsAt.lte(before)).add(
                sea_orm::Condition::all()
                    .add(visit::Column::EndsAt.is_null())
                    .add(visit::Column::UpdatedAt.lte(before)),
            ),
        )
        .exec(db)
        .await?;
    Ok(erased.rows_affected)
}

// ── Talks, feedback, concerns ────────────────────────────────────────────────────────────────

use super::model::{concern, feedback, safeguarding, talk};

pub async fn add_talk(db: &impl ConnectionTrait, row: talk::Model) -> Result<(), DbErr> {
    talk::Entity::insert(sea_orm::IntoActiveModel::into_active_model(row)).exec_without_returning(db).await?;
    Ok(())
}

pub async fn talks_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Vec<talk::Model>, DbErr> {
    talk::Entity::find()
        .filter(talk::Column::StudentId.eq(student_id))
        .order_by_desc(talk::Column::HeldOn)
        .order_by_desc(talk::Column::Id)
        .all(db)
        .await
}

pub async fn add_feedback(db: &impl ConnectionTrait, row: feedback::Model) -> Result<(), DbErr> {
    feedback::Entity::insert(sea_orm::IntoActiveModel::into_active_model(row)).exec_without_returning(db).await?;
    Ok(())
}

pub async fn feedback(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<feedback::Model>, DbErr> {
    feedback::Entity::find_by_id(id).one(db).await
}

pub async fn feedback_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Vec<feedback::Model>, DbErr> {
    feedback::Entity::find()
        .filter(feedback::Column::StudentId.eq(student_id))
        .order_by_desc(feedback::Column::Id)
        .all(db)
        .await
}

pub async fn save_feedback_ack(db: &impl ConnectionTrait, row: &feedback::Model) -> Result<(), DbErr> {
    feedback::Entity::update_many()
        .col_expr(feedback::Column::AcknowledgedAt, Expr::value(row.acknowledged_at))
        .col_expr(feedback::Column::AcknowledgedBy, Expr::value(row.acknowledged_by))
        .col_expr(feedback::Column::FamilyMessage, Expr::value(row.family_message.clone()))
        .filter(feedback::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn add_concern(db: &impl ConnectionTrait, row: concern::Model) -> Result<(), DbErr> {
    concern::Entity::insert(sea_orm::IntoActiveModel::into_active_model(row)).exec_without_returning(db).await?;
    Ok(())
}

pub async fn concerns_of(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<concern::Model>, DbErr> {
    concern::Entity::find()
        .filter(concern::Column::SchoolId.eq(school_id))
        .order_by_desc(concern::Column::Id)
        .limit(500)
        .all(db)
        .await
}

pub async fn safeguarding_staff(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(safeguarding::Entity::find()
        .filter(safeguarding::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.account_id)
        .collect())
}

/// Replaces the school's safeguarding staff.
pub async fn set_safeguarding_staff(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    accounts: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    safeguarding::Entity::delete_many().filter(safeguarding::Column::SchoolId.eq(school_id)).exec(db).await?;
    if accounts.is_empty() {
        return Ok(());
    }
    let rows = accounts.iter().map(|a| safeguarding::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(school_id),
        account_id: Set(*a),
        created_at: Set(now),
    });
    safeguarding::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// The visits of a school's period, as `(status, mode, mode held in)`.
pub async fn visit_modes(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    period_starts_on: NaiveDate,
) -> Result<Vec<(VisitStatus, super::model::VisitMode, Option<super::model::VisitMode>)>, DbErr> {
    Ok(visit::Entity::find()
        .filter(visit::Column::SchoolId.eq(school_id))
        .filter(visit::Column::PeriodStartsOn.eq(period_starts_on))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.status, v.mode, v.done_mode))
        .collect())
}

// ── Two-way choice ───────────────────────────────────────────────────────────────────────────

use super::model::{ChoiceAnswer, choice, profile};

pub async fn profiles(db: &impl ConnectionTrait, school_id: Uuid) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(profile::Entity::find()
        .filter(profile::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.account_id, p.profile))
        .collect())
}

pub async fn save_profile(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    account_id: Uuid,
    text: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    profile::Entity::insert(profile::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(school_id),
        account_id: Set(account_id),
        profile: Set(text),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([profile::Column::SchoolId, profile::Column::AccountId])
            .update_columns([profile::Column::Profile, profile::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Each student's ranked choices in a school, student → mentors in rank order.
/// The school's two-way choices as the proposal reads them: each student's ranked mentors that
/// did not decline, and the mentor who accepted the student, if one did.
pub async fn choices_of_school(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<(HashMap<Uuid, Vec<Uuid>>, HashMap<Uuid, Uuid>), DbErr> {
    let rows = choice::Entity::find()
        .filter(choice::Column::SchoolId.eq(school_id))
        .order_by_asc(choice::Column::StudentId)
        .order_by_asc(choice::Column::Rank)
        .all(db)
        .await?;
    let (mut ranked, mut accepted): (HashMap<Uuid, Vec<Uuid>>, HashMap<Uuid, Uuid>) = Default::default();
    for r in rows {
        match r.answer {
            Some(ChoiceAnswer::Declined) => {}
            Some(ChoiceAnswer::Accepted) => {
                accepted.insert(r.student_id, r.mentor_account_id);
                ranked.entry(r.student_id).or_default().push(r.mentor_account_id);
            }
            None => ranked.entry(r.student_id).or_default().push(r.mentor_account_id),
        }
    }
    Ok((ranked, accepted))
}

/// A student's choices, first first.
pub async fn choices_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Vec<choice::Model>, DbErr> {
    choice::Entity::find()
        .filter(choice::Column::StudentId.eq(student_id))
        .order_by_asc(choice::Column::Rank)
        .all(db)
        .await
}

/// The choices naming this mentor at the school, by rank then time.
pub async fn choices_of_mentor(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    mentor: Uuid,
) -> Result<Vec<choice::Model>, DbErr> {
    choice::Entity::find()
        .filter(choice::Column::SchoolId.eq(school_id))
        .filter(choice::Column::MentorAccountId.eq(mentor))
        .order_by_asc(choice::Column::Rank)
        .order_by_asc(choice::Column::CreatedAt)
        .all(db)
        .await
}

/// Replaces a student's choices. A mentor the family keeps keeps their answer (re-ranking is not
/// choosing anew); a mentor dropped loses it.
pub async fn set_choices(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    student_id: Uuid,
    mentors: &[Uuid],
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let answered: HashMap<Uuid, (Option<ChoiceAnswer>, Option<DateTime<Utc>>)> = choices_of(db, student_id)
        .await?
        .into_iter()
        .map(|c| (c.mentor_account_id, (c.answer, c.answered_at)))
        .collect();
    choice::Entity::delete_many().filter(choice::Column::StudentId.eq(student_id)).exec(db).await?;
    if mentors.is_empty() {
        return Ok(());
    }
    let rows = mentors.iter().enumerate().map(|(i, m)| {
        let (answer, answered_at) = answered.get(m).copied().unwrap_or_default();
        choice::ActiveModel {
            id: Set(Uuid::new_v4()),
            school_id: Set(school_id),
            student_id: Set(student_id),
            rank: Set(i as i16 + 1),
            mentor_account_id: Set(*m),
            chosen_by: Set(by),
            created_at: Set(now),
            answer: Set(answer),
            answered_at: Set(answered_at),
        }
    });
    choice::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Records the mentor's answer to one choice.
pub async fn answer_choice(
    db: &impl ConnectionTrait,
    id: Uuid,
    answer: ChoiceAnswer,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    choice::Entity::update_many()
        .col_expr(choice::Column::Answer, Expr::value(answer))
        .col_expr(choice::Column::AnsweredAt, Expr::value(now))
        .filter(choice::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a period reminder unless it was sent: `true` when this call records it.
pub async fn claim_period_reminder(
    db: &impl ConnectionTrait,
    row: super::model::period_reminder::Model,
) -> Result<bool, DbErr> {
    use super::model::period_reminder;
    let inserted = period_reminder::Entity::insert(sea_orm::IntoActiveModel::into_active_model(row))
        .on_conflict(
            OnConflict::columns([
                period_reminder::Column::MentorAccountId,
                period_reminder::Column::SchoolId,
                period_reminder::Column::PeriodStartsOn,
                period_reminder::Column::DaysBefore,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// Every school's mentoring setting.
pub async fn all_settings(db: &impl ConnectionTrait) -> Result<Vec<settings::Model>, DbErr> {
    settings::Entity::find().all(db).await
}

/// The school's obligations of the period that covers `date`.
pub async fn obligations_covering(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<obligation::Model>, DbErr> {
    obligation::Entity::find()
        .filter(obligation::Column::SchoolId.eq(school_id))
        .filter(obligation::Column::PeriodStartsOn.lte(date))
        .filter(obligation::Column::PeriodEndsOn.gte(date))
        .all(db)
        .await
}
