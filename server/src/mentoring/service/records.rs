//! What a mentor records, in three tiers of notes: a talk's summary shared with the family (it
//! passes the content guard), a confidential note only the mentor and the school's safeguarding
//! staff read (never exported, never the bureau's), and the family's own message back on a written
//! feedback. Talks and written feedback (成长寄语) complete their tasks; a concern reaches the
//! safeguarding staff at once (the school's admins when none are named).

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::super::dto::{
    AcknowledgeFeedback, Concern, ConcernList, Feedback, MentorRef, NOTE_MAX_CHARS, RaiseConcern, RecordTalk,
    SafeguardingStaff, StudentRecord, TEXT_MAX_CHARS, Talk, WriteFeedback,
};
use super::super::model::{Task, TaskStatus, concern, feedback, talk};
use super::super::repo;
use super::{current_period, school_of, staff_names, tell};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::infra::bus::Wake;
use crate::input::{optional_text, visible_text};
use crate::org::model::{school, student};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

/// The student, when the caller is their mentor now. Staff of the school who are not get 403;
/// anyone else 404.
async fn as_mentor(db: &impl ConnectionTrait, caller: &Caller, student_id: Uuid) -> ApiResult<student::Model> {
    let student = crate::org::repo::student(db, student_id).await?.ok_or_else(ApiError::not_found)?;
    access::staff_member(db, caller, student.school_id).await?;
    match repo::mentor_of(db, student_id).await? {
        Some(a) if a.mentor_account_id == caller.account_id => Ok(student),
        _ => Err(ApiError::forbidden()),
    }
}

fn text(field: &str, raw: &str, max: usize) -> ApiResult<Option<String>> {
    optional_text(raw, max)
        .map(|t| t.map(str::to_owned))
        .map_err(|_| ApiError::validation(field, format!("不超过 {max} 字。"), format!("{max} characters at most.")))
}

/// The content guard on what the family will read: a message to one family from the school.
async fn screened(
    state: &AppState,
    school: &school::Model,
    field: &'static str,
    body: &str,
    confirm: &[String],
) -> ApiResult<Vec<policy::RuleId>> {
    let confirmed = guard::confirmations(confirm)?;
    let found = policy::check(&[Field { name: field, text: body }], Channel::Message, Audience::OneFamily);
    let sender = guard::Sender { district_id: Some(school.district_id), school_id: Some(school.id) };
    Ok(guard::screen(&state.db, found, &confirmed, Channel::Message, sender, state.clock.now()).await?)
}

/// The school's safeguarding staff, or its admins when it named none (a concern is never lost).
async fn safeguarding_or_admins(db: &impl ConnectionTrait, school_id: Uuid) -> ApiResult<Vec<Uuid>> {
    let named = repo::safeguarding_staff(db, school_id).await?;
    if named.is_empty() { Ok(crate::org::repo::admin_accounts(db, vec![school_id]).await?) } else { Ok(named) }
}

/// Completes one of the student's tasks this period, unless the school waived it.
async fn complete(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    period: chrono::NaiveDate,
    task: Task,
    by: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if let Some(row) = repo::obligation(db, student_id, period, task).await?
        && row.status != TaskStatus::Waived
    {
        repo::set_status(db, row.id, TaskStatus::Done, None, by, now).await?;
    }
    Ok(())
}

async fn concern_row(
    db: &impl ConnectionTrait,
    school: &school::Model,
    student: &student::Model,
    by: Uuid,
    note: String,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    repo::add_concern(
        db,
        concern::Model {
            id: Uuid::now_v7(),
            school_id: school.id,
            student_id: student.id,
            raised_by: by,
            note,
            created_at: now,
        },
    )
    .await?;
    let to = safeguarding_or_admins(db, school.id).await?;
    // Urgent, through quiet hours; the item names the child, never the note.
    let title = format!("导师关切：{} / A mentor's concern: {}", student.name, student.name);
    tell(db, school, None, &to, title, "请在导师制页面查看。/ See mentoring concerns.".into(), true, now).await?;
    Ok(to)
}

/// The mentor records a talk: the talk task is done; the summary (if any) goes to the family.
pub async fn record_talk(state: &AppState, caller: &Caller, student_id: Uuid, req: RecordTalk) -> ApiResult<Talk> {
    let now = state.clock.now();
    let summary = text("summary", &req.summary, TEXT_MAX_CHARS)?;
    let note = text("confidential_note", &req.confidential_note, NOTE_MAX_CHARS)?;
    if req.concern && note.is_none() {
        return Err(ApiError::validation(
            "confidential_note",
            "提出关切时请写明保密记录。",
            "A concern needs its confidential note.",
        ));
    }
    let student = as_mentor(&state.db, caller, student_id).await?;
    let school = school_of(&state.db, student.school_id).await?;
    if req.held_on > school.local_date(now) {
        return Err(ApiError::validation("held_on", "谈话日期不能在将来。", "The talk cannot be in the future."));
    }
    let reviewed = match &summary {
        Some(body) => screened(state, &school, "summary", body, &req.confirm_review).await?,
        None => Vec::new(),
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    let settings = repo::settings(&txn, school.id).await?.ok_or(super::super::error::MentoringError::NotSet)?;
    let period = current_period(&txn, &school, settings.period, now).await?;
    let row = talk::Model {
        id: Uuid::now_v7(),
        school_id: school.id,
        student_id,
        mentor_account_id: caller.account_id,
        held_on: req.held_on,
        topic: req.topic,
        summary: summary.clone(),
        confidential_note: note.clone(),
        period_starts_on: period.starts_on,
        created_at: now,
    };
    repo::add_talk(&txn, row.clone()).await?;
    complete(&txn, student_id, period.starts_on, Task::Talk, caller.account_id, now).await?;
    let mut woken = Vec::new();
    if let Some(body) = &summary {
        let family = access::full_guardian_accounts(&txn, student_id).await?;
        let title = format!("导师谈话小结：{} / A talk with your child's mentor", student.name);
        tell(&txn, &school, Some(student_id), &family, title, body.clone(), false, now).await?;
        woken.extend(family);
    }
    if req.concern {
        woken.extend(concern_row(&txn, &school, &student, caller.account_id, note.unwrap_or_default(), now).await?);
    }
    let sender = guard::Sender { district_id: Some(school.district_id), school_id: Some(school.id) };
    guard::count_reviewed(&txn, &reviewed, Channel::Message, sender, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    Ok(talk_view(&row, true))
}

fn talk_view(row: &talk::Model, confidential: bool) -> Talk {
    Talk {
        id: row.id,
        student_id: row.student_id,
        held_on: row.held_on,
        topic: row.topic,
        summary: row.summary.clone(),
        confidential_note: if confidential { row.confidential_note.clone() } else { None },
        created_at: row.created_at,
    }
}

/// The mentor writes the family a feedback: the feedback task is done and the family told.
pub async fn write_feedback(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    req: WriteFeedback,
) -> ApiResult<Feedback> {
    let now = state.clock.now();
    let body = visible_text(&req.body, TEXT_MAX_CHARS).map(str::to_owned).ok_or_else(|| {
        ApiError::validation("body", "请填写寄语（不超过 1000 字）。", "Write the feedback (1,000 characters at most).")
    })?;
    let student = as_mentor(&state.db, caller, student_id).await?;
    let school = school_of(&state.db, student.school_id).await?;
    let reviewed = screened(state, &school, "body", &body, &req.confirm_review).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let settings = repo::settings(&txn, school.id).await?.ok_or(super::super::error::MentoringError::NotSet)?;
    let period = current_period(&txn, &school, settings.period, now).await?;
    let row = feedback::Model {
        id: Uuid::now_v7(),
        school_id: school.id,
        student_id,
        mentor_account_id: caller.account_id,
        body: body.clone(),
        period_starts_on: period.starts_on,
        created_at: now,
        acknowledged_at: None,
        acknowledged_by: None,
        family_message: None,
    };
    repo::add_feedback(&txn, row.clone()).await?;
    complete(&txn, student_id, period.starts_on, Task::Feedback, caller.account_id, now).await?;
    let family = access::full_guardian_accounts(&txn, student_id).await?;
    let title = format!("导师寄语：{} / A written feedback from your child's mentor", student.name);
    tell(&txn, &school, Some(student_id), &family, title, body, false, now).await?;
    let sender = guard::Sender { district_id: Some(school.district_id), school_id: Some(school.id) };
    guard::count_reviewed(&txn, &reviewed, Channel::Message, sender, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(family))).await;
    let names = staff_names(&state.db, vec![caller.account_id]).await?;
    Ok(feedback_view(&row, &names))
}

fn feedback_view(row: &feedback::Model, names: &std::collections::HashMap<Uuid, String>) -> Feedback {
    Feedback {
        id: row.id,
        student_id: row.student_id,
        mentor: MentorRef {
            account_id: row.mentor_account_id,
            name: names.get(&row.mentor_account_id).cloned().unwrap_or_default(),
        },
        body: row.body.clone(),
        created_at: row.created_at,
        acknowledged_at: row.acknowledged_at,
        family_message: row.family_message.clone(),
    }
}

/// A full guardian acknowledges a feedback, optionally answering; the mentor is told.
pub async fn acknowledge(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    feedback_id: Uuid,
    req: AcknowledgeFeedback,
) -> ApiResult<Feedback> {
    let now = state.clock.now();
    let message = text("message", &req.message, TEXT_MAX_CHARS)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let mut row = repo::feedback(&txn, feedback_id)
        .await?
        .filter(|f| f.student_id == student_id)
        .ok_or_else(ApiError::not_found)?;
    row.acknowledged_at = Some(now);
    row.acknowledged_by = Some(caller.account_id);
    if message.is_some() {
        row.family_message = message.clone();
    }
    repo::save_feedback_ack(&txn, &row).await?;
    let school = school_of(&txn, guardian.student.school_id).await?;
    let title = format!("家长已阅寄语：{} / The family read your feedback", guardian.student.name);
    tell(&txn, &school, None, &[row.mentor_account_id], title, message.unwrap_or_default(), false, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(vec![row.mentor_account_id]))).await;
    let names = staff_names(&state.db, vec![row.mentor_account_id]).await?;
    Ok(feedback_view(&row, &names))
}

/// Who reads a student's record, and how much.
enum Reader {
    /// The mentor now, or the school's safeguarding staff: everything.
    Confidential,
    /// The child's full guardians: summaries and feedback, never the confidential note.
    Family,
}

async fn reader(db: &impl ConnectionTrait, caller: &Caller, student: &student::Model) -> ApiResult<Reader> {
    if access::full_guardian_of(db, caller.account_id, student.id).await? {
        return Ok(Reader::Family);
    }
    access::staff_member(db, caller, student.school_id).await?;
    let mentor = repo::mentor_of(db, student.id).await?.is_some_and(|a| a.mentor_account_id == caller.account_id);
    if mentor || repo::safeguarding_staff(db, student.school_id).await?.contains(&caller.account_id) {
        return Ok(Reader::Confidential);
    }
    // Other staff, admins included, do not read a student's mentoring notes.
    Err(ApiError::forbidden())
}

/// A student's record for the reader: the mentor and safeguarding staff see confidential notes,
/// the family summaries and feedback.
pub async fn record(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<StudentRecord> {
    let db = &state.db;
    let student = crate::org::repo::student(db, student_id).await?.ok_or_else(ApiError::not_found)?;
    let reader = reader(db, caller, &student).await?;
    let talks = repo::talks_of(db, student_id).await?;
    let feedback = repo::feedback_of(db, student_id).await?;
    let names = staff_names(db, feedback.iter().map(|f| f.mentor_account_id).collect()).await?;
    let talks = match reader {
        Reader::Confidential => talks.iter().map(|t| talk_view(t, true)).collect(),
        Reader::Family => talks.iter().filter(|t| t.summary.is_some()).map(|t| talk_view(t, false)).collect(),
    };
    Ok(StudentRecord { student_id, talks, feedback: feedback.iter().map(|f| feedback_view(f, &names)).collect() })
}

/// The mentor raises a concern with the school's safeguarding staff (at once, urgent).
pub async fn raise_concern(state: &AppState, caller: &Caller, student_id: Uuid, req: RaiseConcern) -> ApiResult<()> {
    let now = state.clock.now();
    let note = visible_text(&req.note, NOTE_MAX_CHARS).map(str::to_owned).ok_or_else(|| {
        ApiError::validation(
            "note",
            "请写明关切（不超过 2000 字）。",
            "Describe the concern (2,000 characters at most).",
        )
    })?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let student = as_mentor(&txn, caller, student_id).await?;
    let school = school_of(&txn, student.school_id).await?;
    let woken = concern_row(&txn, &school, &student, caller.account_id, note, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    Ok(())
}

/// The school's concerns, the latest first (its safeguarding staff only; its admins while none are
/// named, as they receive them then).
pub async fn concerns(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<ConcernList> {
    let db = &state.db;
    access::staff_member(db, caller, school_id).await?;
    if !safeguarding_or_admins(db, school_id).await?.contains(&caller.account_id) {
        return Err(ApiError::forbidden());
    }
    let rows = repo::concerns_of(db, school_id).await?;
    let names = staff_names(db, rows.iter().map(|r| r.raised_by).collect()).await?;
    let students = crate::org::repo::student_names(db, rows.iter().map(|r| r.student_id).collect()).await?;
    Ok(ConcernList {
        items: rows
            .into_iter()
            .map(|r| Concern {
                id: r.id,
                student_id: r.student_id,
                student_name: students.get(&r.student_id).cloned().unwrap_or_default(),
                raised_by: MentorRef {
                    account_id: r.raised_by,
                    name: names.get(&r.raised_by).cloned().unwrap_or_default(),
                },
                note: r.note,
                created_at: r.created_at,
            })
            .collect(),
    })
}

/// A school admin names the safeguarding staff (staff of the school).
pub async fn set_safeguarding(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: SafeguardingStaff,
) -> ApiResult<SafeguardingStaff> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    // Two admins naming safeguarding staff at once take turns.
    crate::org::repo::lock_school(&txn, school_id).await?;
    for account in &req.account_ids {
        if access::staff_member(&txn, &Caller { account_id: *account }, school_id).await.is_err() {
            return Err(ApiError::validation(
                "account_ids",
                "只能指定本校教职工。",
                "Only staff of the school can be named.",
            )
            .with_details(serde_json::json!({ "field": "account_ids", "account_id": account })));
        }
    }
    let mut ids = req.account_ids;
    ids.sort_unstable();
    ids.dedup();
    repo::set_safeguarding_staff(&txn, school_id, &ids, now).await?;
    txn.commit().await?;
    Ok(SafeguardingStaff { account_ids: ids })
}

/// The school's safeguarding staff (its admins).
pub async fn safeguarding(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<SafeguardingStaff> {
    access::school_admin(&state.db, caller, school_id).await?;
    Ok(SafeguardingStaff { account_ids: repo::safeguarding_staff(&state.db, school_id).await? })
}
