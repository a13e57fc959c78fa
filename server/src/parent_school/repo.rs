//! Parent-school storage: courses, sessions, registrations, attendance, online progress and the
//! credit ledger. Generic over `ConnectionTrait` (a pool or a transaction); knows nothing of HTTP.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{
    RegistrationStatus, Source, attendance, certificate, course, entry, graduation_rule, meeting, meeting_attendance,
    progress, rating, reflection, registration, session,
};

pub async fn insert_course(db: &impl ConnectionTrait, row: course::Model) -> Result<(), DbErr> {
    course::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn update_course(db: &impl ConnectionTrait, row: course::Model) -> Result<(), DbErr> {
    course::Entity::update(row.into_active_model().reset_all()).exec(db).await?;
    Ok(())
}

pub async fn course(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<course::Model>, DbErr> {
    course::Entity::find_by_id(id).one(db).await
}

/// The catalogue a school's families see: the district's courses and the school's own, newest first.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    school_id: Option<Uuid>,
) -> Result<Vec<course::Model>, DbErr> {
    let mut owners = Condition::any().add(course::Column::SchoolId.is_null());
    if let Some(school_id) = school_id {
        owners = owners.add(course::Column::SchoolId.eq(school_id));
    }
    course::Entity::find()
        .filter(course::Column::DistrictId.eq(district_id))
        .filter(owners)
        .order_by_desc(course::Column::CreatedAt)
        .order_by_desc(course::Column::Id)
        .all(db)
        .await
}

pub async fn insert_session(db: &impl ConnectionTrait, row: session::Model) -> Result<(), DbErr> {
    session::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

/// The session's row, locked: registrations for one session take turns (seats are counted).
pub async fn lock_session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).lock_exclusive().one(db).await
}

pub async fn registration(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    student_id: Uuid,
) -> Result<Option<registration::Model>, DbErr> {
    registration::Entity::find()
        .filter(registration::Column::SessionId.eq(session_id))
        .filter(registration::Column::StudentId.eq(student_id))
        .one(db)
        .await
}

pub async fn count_registrations(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    status: RegistrationStatus,
) -> Result<i64, DbErr> {
    let n = registration::Entity::find()
        .filter(registration::Column::SessionId.eq(session_id))
        .filter(registration::Column::Status.eq(status))
        .count(db)
        .await?;
    Ok(n as i64)
}

/// Where a waiting registration stands in line (1: next).
pub async fn waiting_position(db: &impl ConnectionTrait, row: &registration::Model) -> Result<i64, DbErr> {
    let ahead = registration::Entity::find()
        .filter(registration::Column::SessionId.eq(row.session_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waiting))
        .filter(
            Condition::any().add(registration::Column::UpdatedAt.lt(row.updated_at)).add(
                Condition::all()
                    .add(registration::Column::UpdatedAt.eq(row.updated_at))
                    .add(registration::Column::Id.lt(row.id)),
            ),
        )
        .count(db)
        .await?;
    Ok(ahead as i64 + 1)
}

/// The first in line on the waiting list.
pub async fn first_waiting(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Option<registration::Model>, DbErr> {
    registration::Entity::find()
        .filter(registration::Column::SessionId.eq(session_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waiting))
        .order_by_asc(registration::Column::UpdatedAt)
        .order_by_asc(registration::Column::Id)
        .one(db)
        .await
}

pub async fn insert_registration(db: &impl ConnectionTrait, row: registration::Model) -> Result<(), DbErr> {
    registration::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn set_registration_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: RegistrationStatus,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::value(status))
        .col_expr(registration::Column::UpdatedAt, Expr::value(now))
        .filter(registration::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records an attendance unless the guardian already has one for the session; `true` when new.
pub async fn insert_attendance_if_absent(db: &impl ConnectionTrait, row: attendance::Model) -> Result<bool, DbErr> {
    let inserted = attendance::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([attendance::Column::SessionId, attendance::Column::GuardianAccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn count_attendance(db: &impl ConnectionTrait, session_id: Uuid) -> Result<i64, DbErr> {
    Ok(attendance::Entity::find().filter(attendance::Column::SessionId.eq(session_id)).count(db).await? as i64)
}

pub async fn progress(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    guardian_account_id: Uuid,
) -> Result<Option<progress::Model>, DbErr> {
    progress::Entity::find()
        .filter(progress::Column::CourseId.eq(course_id))
        .filter(progress::Column::GuardianAccountId.eq(guardian_account_id))
        .one(db)
        .await
}

/// Starts the guardian's clock on a course unless it runs already (a second open keeps the first
/// start, so reopening never resets the time floor).
pub async fn start_progress(db: &impl ConnectionTrait, row: progress::Model) -> Result<(), DbErr> {
    progress::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([progress::Column::CourseId, progress::Column::GuardianAccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn complete_progress(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    progress::Entity::update_many()
        .col_expr(progress::Column::CompletedAt, Expr::value(now))
        .filter(progress::Column::Id.eq(id))
        .filter(progress::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Appends a ledger entry; one with a `once_key` the child already has is not added (`false`).
pub async fn append_entry(db: &impl ConnectionTrait, row: entry::Model) -> Result<bool, DbErr> {
    let inserted = entry::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::columns([entry::Column::StudentId, entry::Column::OnceKey]).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn entry(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entry::Model>, DbErr> {
    entry::Entity::find_by_id(id).one(db).await
}

/// A child's entries at one school, newest first.
pub async fn entries(db: &impl ConnectionTrait, student_id: Uuid, school_id: Uuid) -> Result<Vec<entry::Model>, DbErr> {
    entry::Entity::find()
        .filter(entry::Column::StudentId.eq(student_id))
        .filter(entry::Column::SchoolId.eq(school_id))
        .order_by_desc(entry::Column::CreatedAt)
        .order_by_desc(entry::Column::Id)
        .all(db)
        .await
}

/// The courses a child has earned at a school (in one stage, if named) and which still stand
/// (not reversed). A manual award naming a course counts as earning it.
pub async fn earned_courses(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    school_id: Uuid,
    stage: Option<&str>,
) -> Result<HashSet<Uuid>, DbErr> {
    let mut query = entry::Entity::find()
        .filter(entry::Column::StudentId.eq(student_id))
        .filter(entry::Column::SchoolId.eq(school_id))
        .filter(entry::Column::CourseId.is_not_null());
    if let Some(stage) = stage {
        query = query.filter(entry::Column::Stage.eq(stage));
    }
    let rows = query.all(db).await?;
    let reversed: HashSet<Uuid> = rows.iter().filter_map(|e| e.reverses).collect();
    Ok(rows
        .into_iter()
        .filter(|e| e.source != Source::Reversal && e.credits > 0 && !reversed.contains(&e.id))
        .filter_map(|e| e.course_id)
        .collect())
}

/// How many of the child's earnings under `key` (`course:<id>`) were reversed: the generation the
/// next earning takes.
pub async fn reversed_earnings(db: &impl ConnectionTrait, student_id: Uuid, key: &str) -> Result<i64, DbErr> {
    let earned: Vec<Uuid> = entry::Entity::find()
        .select_only()
        .column(entry::Column::Id)
        .filter(entry::Column::StudentId.eq(student_id))
        .filter(entry::Column::OnceKey.starts_with(format!("{key}#")))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    if earned.is_empty() {
        return Ok(0);
    }
    let reversed = entry::Entity::find()
        .filter(entry::Column::StudentId.eq(student_id))
        .filter(entry::Column::Reverses.is_in(earned))
        .count(db)
        .await?;
    Ok(reversed as i64)
}

pub async fn courses_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<course::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    course::Entity::find().filter(course::Column::Id.is_in(ids)).all(db).await
}

pub async fn course_titles(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Title)
        .filter(course::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// A course's sessions at one school, soonest first.
pub async fn sessions_of(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    school_id: Uuid,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::CourseId.eq(course_id))
        .filter(session::Column::SchoolId.eq(school_id))
        .order_by_asc(session::Column::StartsAt)
        .order_by_asc(session::Column::Id)
        .all(db)
        .await
}

/// The school's rules, newest version first (of each stage).
pub async fn graduation_rules(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<Vec<graduation_rule::Model>, DbErr> {
    graduation_rule::Entity::find()
        .filter(graduation_rule::Column::SchoolId.eq(school_id))
        .order_by_asc(graduation_rule::Column::Stage)
        .order_by_desc(graduation_rule::Column::Version)
        .all(db)
        .await
}

/// The current rule of a stage: its newest version.
pub async fn current_rule(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    stage: &str,
) -> Result<Option<graduation_rule::Model>, DbErr> {
    graduation_rule::Entity::find()
        .filter(graduation_rule::Column::SchoolId.eq(school_id))
        .filter(graduation_rule::Column::Stage.eq(stage))
        .order_by_desc(graduation_rule::Column::Version)
        .one(db)
        .await
}

pub async fn rule(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<graduation_rule::Model>, DbErr> {
    graduation_rule::Entity::find_by_id(id).one(db).await
}

pub async fn insert_rule(db: &impl ConnectionTrait, row: graduation_rule::Model) -> Result<(), DbErr> {
    graduation_rule::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn insert_certificate(db: &impl ConnectionTrait, row: certificate::Model) -> Result<(), DbErr> {
    certificate::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn certificate(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<certificate::Model>, DbErr> {
    certificate::Entity::find_by_id(id).one(db).await
}

pub async fn certificate_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<certificate::Model>, DbErr> {
    certificate::Entity::find().filter(certificate::Column::Code.eq(code)).one(db).await
}

/// A child's certificates, newest version first.
pub async fn certificates_of(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Vec<certificate::Model>, DbErr> {
    certificate::Entity::find()
        .filter(certificate::Column::StudentId.eq(student_id))
        .order_by_desc(certificate::Column::IssuedAt)
        .order_by_desc(certificate::Column::Version)
        .all(db)
        .await
}

/// Whether a newer version re-issues this certificate.
pub async fn superseded(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(certificate::Entity::find().filter(certificate::Column::Supersedes.eq(id)).count(db).await? > 0)
}

/// Revokes a certificate unless it is already revoked; `false` when it was.
pub async fn revoke_certificate(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = certificate::Entity::update_many()
        .col_expr(certificate::Column::RevokedAt, Expr::value(now))
        .col_expr(certificate::Column::RevokeReason, Expr::value(reason))
        .filter(certificate::Column::Id.eq(id))
        .filter(certificate::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn insert_meeting(db: &impl ConnectionTrait, row: meeting::Model) -> Result<(), DbErr> {
    meeting::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn meeting(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<meeting::Model>, DbErr> {
    meeting::Entity::find_by_id(id).one(db).await
}

/// A school's meetings, latest first.
pub async fn meetings_of(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::SchoolId.eq(school_id))
        .order_by_desc(meeting::Column::StartsAt)
        .order_by_desc(meeting::Column::Id)
        .all(db)
        .await
}

/// Records a meeting attendance unless the guardian has one; `true` when new.
pub async fn insert_meeting_attendance_if_absent(
    db: &impl ConnectionTrait,
    row: meeting_attendance::Model,
) -> Result<bool, DbErr> {
    let inserted = meeting_attendance::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([meeting_attendance::Column::MeetingId, meeting_attendance::Column::GuardianAccountId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn count_meeting_attendance(db: &impl ConnectionTrait, meeting_id: Uuid) -> Result<i64, DbErr> {
    Ok(meeting_attendance::Entity::find().filter(meeting_attendance::Column::MeetingId.eq(meeting_id)).count(db).await?
        as i64)
}

/// Every student of the school with their class and grade: `(student, class, grade)`.
pub async fn students_placed(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<(Uuid, Uuid, i16)>, DbErr> {
    use crate::org::model::{class, student};
    student::Entity::find()
        .select_only()
        .column(student::Column::Id)
        .column(student::Column::ClassId)
        .column_as(class::Column::Grade, "grade")
        .join(
            sea_orm::JoinType::InnerJoin,
            student::Entity::belongs_to(class::Entity).from(student::Column::ClassId).to(class::Column::Id).into(),
        )
        .filter(student::Column::SchoolId.eq(school_id))
        .into_tuple::<(Uuid, Uuid, i16)>()
        .all(db)
        .await
}

/// Every family's balance at the school (of one stage, if named): `(student, credits)`.
pub async fn balances(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    stage: Option<&str>,
) -> Result<HashMap<Uuid, i64>, DbErr> {
    let mut query = entry::Entity::find()
        .select_only()
        .column(entry::Column::StudentId)
        .column_as(Expr::col(entry::Column::Credits).sum(), "credits")
        .filter(entry::Column::SchoolId.eq(school_id));
    if let Some(stage) = stage {
        query = query.filter(entry::Column::Stage.eq(stage));
    }
    let rows: Vec<(Uuid, Option<i64>)> =
        query.group_by(entry::Column::StudentId).into_tuple::<(Uuid, Option<i64>)>().all(db).await?;
    Ok(rows.into_iter().map(|(s, c)| (s, c.unwrap_or(0))).collect())
}

/// Entries of the school that still stand (never reversed), from `since` to before `until`, of these
/// sources (all when empty): `(student, course, source, stage)`.
pub async fn standing_entries(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    sources: &[Source],
) -> Result<Vec<(Uuid, Option<Uuid>, Source, String)>, DbErr> {
    use sea_orm::sea_query::Query;
    let reversed = Query::select()
        .column(entry::Column::Reverses)
        .from(entry::Entity)
        .and_where(Expr::col(entry::Column::SchoolId).eq(school_id))
        .and_where(Expr::col(entry::Column::Reverses).is_not_null())
        .to_owned();
    let mut query = entry::Entity::find()
        .select_only()
        .column(entry::Column::StudentId)
        .column(entry::Column::CourseId)
        .column(entry::Column::Source)
        .column(entry::Column::Stage)
        .filter(entry::Column::SchoolId.eq(school_id))
        .filter(entry::Column::CreatedAt.gte(since))
        .filter(entry::Column::CreatedAt.lt(until))
        .filter(entry::Column::Credits.gt(0))
        .filter(entry::Column::Id.not_in_subquery(reversed));
    if !sources.is_empty() {
        query = query.filter(entry::Column::Source.is_in(sources.to_vec()));
    }
    query.into_tuple::<(Uuid, Option<Uuid>, Source, String)>().all(db).await
}

/// The school's offline sessions starting in the period, soonest first.
pub async fn sessions_between(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::SchoolId.eq(school_id))
        .filter(session::Column::StartsAt.gte(since))
        .filter(session::Column::StartsAt.lt(until))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await
}

/// The school's meetings starting in the period, soonest first.
pub async fn meetings_between(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::SchoolId.eq(school_id))
        .filter(meeting::Column::StartsAt.gte(since))
        .filter(meeting::Column::StartsAt.lt(until))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await
}

/// Ratings given for the school's families: `(course, count, average)`.
pub async fn ratings_of_school(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<Vec<(Uuid, i64, Option<f64>)>, DbErr> {
    let rows: Vec<(Uuid, i64, Option<i64>)> = rating::Entity::find()
        .select_only()
        .column(rating::Column::CourseId)
        .column_as(Expr::col(rating::Column::Id).count(), "n")
        .column_as(Expr::col(rating::Column::Rating).sum(), "total")
        .filter(rating::Column::SchoolId.eq(school_id))
        .group_by(rating::Column::CourseId)
        .into_tuple::<(Uuid, i64, Option<i64>)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(c, n, total)| (c, n, total.filter(|_| n > 0).map(|t| (t as f64 * 10.0 / n as f64).round() / 10.0)))
        .collect())
}

/// Rates a course (one rating per guardian and course: rating again replaces it).
pub async fn upsert_rating(db: &impl ConnectionTrait, row: rating::Model) -> Result<(), DbErr> {
    rating::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([rating::Column::CourseId, rating::Column::GuardianAccountId])
                .update_columns([rating::Column::Rating, rating::Column::RatedAt, rating::Column::SchoolId])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Keeps a guardian's reflection on a practice course for a child (a rewrite replaces it).
pub async fn upsert_reflection(db: &impl ConnectionTrait, row: reflection::Model) -> Result<(), DbErr> {
    reflection::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([
                reflection::Column::CourseId,
                reflection::Column::StudentId,
                reflection::Column::GuardianAccountId,
            ])
            .update_columns([reflection::Column::Text, reflection::Column::WrittenAt])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The reflections written for a child at a school, newest first.
pub async fn reflections_of_child(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    school_id: Uuid,
) -> Result<Vec<reflection::Model>, DbErr> {
    reflection::Entity::find()
        .filter(reflection::Column::StudentId.eq(student_id))
        .filter(reflection::Column::SchoolId.eq(school_id))
        .order_by_desc(reflection::Column::WrittenAt)
        .order_by_desc(reflection::Column::Id)
        .all(db)
        .await
}

/// The reflections a school's families wrote on one practice course, newest first.
pub async fn reflections_of_course(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    course_id: Uuid,
) -> Result<Vec<reflection::Model>, DbErr> {
    reflection::Entity::find()
        .filter(reflection::Column::SchoolId.eq(school_id))
        .filter(reflection::Column::CourseId.eq(course_id))
        .order_by_desc(reflection::Column::WrittenAt)
        .order_by_desc(reflection::Column::Id)
        .all(db)
        .await
}

/// Schools that have set a graduation rule.
pub async fn schools_with_rules(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
    graduation_rule::Entity::find()
        .select_only()
        .column(graduation_rule::Column::SchoolId)
        .distinct()
        .into_tuple::<Uuid>()
        .all(db)
        .await
}

/// The school's students in these grades.
pub async fn students_in_grades(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    grades: &[i16],
) -> Result<Vec<crate::org::model::student::Model>, DbErr> {
    use crate::org::model::{class, student};
    let classes: Vec<Uuid> = class::Entity::find()
        .select_only()
        .column(class::Column::Id)
        .filter(class::Column::SchoolId.eq(school_id))
        .filter(class::Column::Grade.is_in(grades.to_vec()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    if classes.is_empty() {
        return Ok(Vec::new());
    }
    student::Entity::find().filter(student::Column::ClassId.is_in(classes)).all(db).await
}

/// Students placed in a class, per school (each is one family of the parent school's figures).
pub async fn placed_counts(db: &impl ConnectionTrait, school_ids: Vec<Uuid>) -> Result<HashMap<Uuid, u64>, DbErr> {
    use crate::org::model::{class, student};
    let rows: Vec<(Uuid, i64)> = student::Entity::find()
        .select_only()
        .column(student::Column::SchoolId)
        .column_as(Expr::col((student::Entity, student::Column::Id)).count(), "students")
        .join(
            sea_orm::JoinType::InnerJoin,
            student::Entity::belongs_to(class::Entity).from(student::Column::ClassId).to(class::Column::Id).into(),
        )
        .filter(student::Column::SchoolId.is_in(school_ids))
        .group_by(student::Column::SchoolId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(school, n)| (school, u64::try_from(n).unwrap_or(0))).collect())
}

/// Standing credit entries of these sources at these schools in `[since, until)`, as
/// `(school, student, created_at)`, of the students placed at the school now (as the
/// participation figures count them): a reversed entry and its reversal are left out.
pub async fn standing_entries_of_schools(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
    sources: &[Source],
) -> Result<Vec<(Uuid, Uuid, DateTime<Utc>)>, DbErr> {
    use sea_orm::sea_query::Query;
    let reversed = Query::select()
        .column(entry::Column::Reverses)
        .from(entry::Entity)
        .and_where(Expr::col(entry::Column::SchoolId).is_in(school_ids.clone()))
        .and_where(Expr::col(entry::Column::Reverses).is_not_null())
        .to_owned();
    use crate::org::model::{class, student};
    entry::Entity::find()
        .select_only()
        .column(entry::Column::SchoolId)
        .column(entry::Column::StudentId)
        .column(entry::Column::CreatedAt)
        .join(
            sea_orm::JoinType::InnerJoin,
            entry::Entity::belongs_to(student::Entity).from(entry::Column::StudentId).to(student::Column::Id).into(),
        )
        .join(
            sea_orm::JoinType::InnerJoin,
            student::Entity::belongs_to(class::Entity).from(student::Column::ClassId).to(class::Column::Id).into(),
        )
        .filter(
            Expr::col((student::Entity, student::Column::SchoolId)).equals((entry::Entity, entry::Column::SchoolId)),
        )
        .filter(entry::Column::SchoolId.is_in(school_ids))
        .filter(entry::Column::CreatedAt.gte(since))
        .filter(entry::Column::CreatedAt.lt(until))
        .filter(entry::Column::Credits.gt(0))
        .filter(entry::Column::Source.is_in(sources.to_vec()))
        .filter(entry::Column::Id.not_in_subquery(reversed))
        .into_tuple()
        .all(db)
        .await
}

/// Sessions starting within `(now, until]` whose reminder has not gone out.
pub async fn sessions_to_remind(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::StartsAt.gt(now))
        .filter(session::Column::StartsAt.lte(until))
        .filter(session::Column::RemindedAt.is_null())
        .all(db)
        .await
}

/// Meetings starting within `(now, until]` whose reminder has not gone out.
pub async fn meetings_to_remind(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::StartsAt.gt(now))
        .filter(meeting::Column::StartsAt.lte(until))
        .filter(meeting::Column::RemindedAt.is_null())
        .all(db)
        .await
}

/// Claims a session's reminder: true for the one transaction that gets it.
pub async fn claim_session_reminder(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let claimed = session::Entity::update_many()
        .col_expr(session::Column::RemindedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RemindedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Claims a meeting's reminder: true for the one transaction that gets it.
pub async fn claim_meeting_reminder(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let claimed = meeting::Entity::update_many()
        .col_expr(meeting::Column::RemindedAt, Expr::value(now))
        .filter(meeting::Column::Id.eq(id))
        .filter(meeting::Column::RemindedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// The children holding a seat at a session (not waiting, not cancelled).
pub async fn registered_students(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    registration::Entity::find()
        .select_only()
        .column(registration::Column::StudentId)
        .filter(registration::Column::SessionId.eq(session_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Registered))
        .into_tuple::<Uuid>()
        .all(db)
        .await
}
