//! Homework use cases: post, edit, withdraw (with history), the class's daily budget, the family
//! view and duration feedback. Every post and edit is judged by the content rules
//! ([`crate::policy`]) and the structural rules ([`super::rules`]) inside the transaction that
//! would store it; a refused attempt stores nothing and is counted for the bureau.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::dto::{
    ChildHomework, ClassBudget, DurationReport, EditHomework, FamilyHomework, FeedbackSummary, History, Homework,
    HomeworkList, PostHomework, ReportDuration, Revision,
};
use super::error::HomeworkError;
use super::model::{Change, feedback, homework, revision};
use super::repo;
use super::rules;
use crate::access::Caller;
use crate::access::{self, ClassStaff, ClassTeacher};
use crate::delivery::outbox::{self, Delivery};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::inbox::items::{self, Entry};
use crate::inbox::model::{ItemKind, inbox_item};
use crate::input::visible_text;
use crate::org::audience::{self, FamilyTarget, Target};
use crate::org::dto::ChildRef;
use crate::org::model::{AccessLevel, class, school};
use crate::policy::{self, Audience, Channel, Field, RuleId, Verdict};
use crate::state::AppState;

/// How far ahead homework may be posted, in days.
pub const MAX_DAYS_AHEAD: i64 = 30;
/// The estimates a teacher may give, in minutes.
pub const ESTIMATED_MINUTES: RangeInclusive<i32> = 1..=180;
/// The times a family may report, in minutes.
pub const REPORTED_MINUTES: RangeInclusive<i32> = 1..=300;
/// Longest subject, in characters.
pub const SUBJECT_MAX_CHARS: usize = 20;
/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 100;
/// Longest content, in characters.
pub const CONTENT_MAX_CHARS: usize = 2_000;

/// A post's fields, validated.
struct Draft {
    subject: String,
    title: String,
    content: String,
    kind: super::model::HomeworkKind,
    tier: super::model::Tier,
    location: super::model::Location,
    estimated_minutes: i32,
    date: NaiveDate,
    /// Rules the teacher confirmed after the guard held the post for review.
    confirmed: Vec<RuleId>,
}

/// Text a teacher typed: not blank, at most `max` characters as sent; trimmed.
fn text(value: &str, field: &'static str, max: usize) -> ApiResult<String> {
    visible_text(value, max).map(str::to_owned).ok_or_else(|| {
        ApiError::validation(
            field,
            format!("不能为空，且不超过 {max} 个字符。"),
            format!("Must not be blank and at most {max} characters."),
        )
    })
}

impl Draft {
    fn parse(req: PostHomework) -> ApiResult<Draft> {
        if !ESTIMATED_MINUTES.contains(&req.estimated_minutes) {
            let (least, most) = (ESTIMATED_MINUTES.start(), ESTIMATED_MINUTES.end());
            return Err(ApiError::validation(
                "estimated_minutes",
                format!("预计用时须为 {least} 到 {most} 分钟。"),
                format!("The estimate is {least} to {most} minutes."),
            ));
        }
        let confirmed = crate::guard::confirmations(&req.confirm_review)?;
        Ok(Draft {
            // One name per subject (`math`, `Maths` and 数学 are 数学), so budgets and publicity
            // count a subject once however the teacher wrote it.
            subject: crate::org::subject::name_of(&text(&req.subject, "subject", SUBJECT_MAX_CHARS)?),
            title: text(&req.title, "title", TITLE_MAX_CHARS)?,
            content: text(&req.content, "content", CONTENT_MAX_CHARS)?,
            kind: req.kind,
            tier: req.tier,
            location: req.location,
            estimated_minutes: req.estimated_minutes,
            date: req.date,
            confirmed,
        })
    }

    fn same_as(&self, h: &homework::Model) -> bool {
        (
            &self.subject,
            &self.title,
            &self.content,
            self.kind,
            self.tier,
            self.location,
            self.estimated_minutes,
            self.date,
        ) == (
            // A row stored before subjects had one name (`math`) is the same subject as 数学.
            &crate::org::subject::name_of(&h.subject),
            &h.title,
            &h.content,
            h.kind,
            h.tier,
            h.location,
            h.estimated_minutes,
            h.date,
        )
    }

    fn counts_toward_cap(&self) -> bool {
        rules::counts_toward_cap(self.kind, self.tier, self.location)
    }
}

/// Today at the school.
fn today(school: &school::Model, now: DateTime<Utc>) -> NaiveDate {
    school.local_date(now)
}

async fn school_of(db: &impl ConnectionTrait, school_id: Uuid) -> ApiResult<school::Model> {
    school::Entity::find_by_id(school_id).one(db).await?.ok_or_else(ApiError::not_found)
}

fn check_date(school: &school::Model, date: NaiveDate, now: DateTime<Utc>) -> ApiResult<()> {
    let today = today(school, now);
    if date < today || date > today + Duration::days(MAX_DAYS_AHEAD) {
        return Err(ApiError::validation(
            "date",
            format!("日期须在今天（{today}）到 {MAX_DAYS_AHEAD} 天之后之间。"),
            format!("The date must be between today ({today}) and {MAX_DAYS_AHEAD} days ahead."),
        ));
    }
    Ok(())
}

/// Judges a draft against every homework rule. Runs inside the transaction that would store it,
/// after the class row is locked, so the budget it reads is the one the post lands in. Passes
/// with the rules the teacher confirmed after review (counted with the post).
async fn judge(
    db: &impl ConnectionTrait,
    school: &school::Model,
    class: &class::Model,
    draft: &Draft,
    except: Option<Uuid>,
) -> ApiResult<Result<Vec<RuleId>, HomeworkError>> {
    let fields = [
        Field { name: "subject", text: &draft.subject },
        Field { name: "title", text: &draft.title },
        Field { name: "content", text: &draft.content },
    ];
    let reviewed = match policy::verdict(policy::check(&fields, Channel::Homework, Audience::Group), &draft.confirmed) {
        Verdict::Send { reviewed } => reviewed,
        Verdict::Refuse(violations) => return Ok(Err(HomeworkError::Content(violations))),
        Verdict::Hold(violations) => return Ok(Err(HomeworkError::Held(violations))),
    };
    if rules::breaks_no_written_g12(class.grade, draft.kind, draft.location) {
        return Ok(Err(HomeworkError::NoWrittenG12 { grade: class.grade }));
    }
    if draft.counts_toward_cap() {
        let cap = repo::caps(db, school.district_id).await?.for_stage(school.stage_system.stage_of(class.grade));
        let budget = repo::day_budget(db, class.id, draft.date, cap, except).await?;
        if !budget.admits(draft.estimated_minutes) {
            return Ok(Err(HomeworkError::DailyCap { budget, date: draft.date, requested: draft.estimated_minutes }));
        }
    }
    Ok(Ok(reviewed))
}

/// Counts a refused attempt and answers it. The transaction was dropped: nothing was stored.
async fn refuse(state: &AppState, school: &school::Model, blocked: HomeworkError, now: DateTime<Utc>) -> ApiError {
    guard::count_refusal(&state.db, &blocked.rules(), Channel::Homework, guard_sender(school), now).await;
    blocked.into()
}

/// The school, as the guard counts it.
fn guard_sender(school: &school::Model) -> guard::Sender {
    guard::Sender { district_id: Some(school.district_id), school_id: Some(school.id) }
}

fn record_revision(h: &homework::Model, change: Change, editor: Uuid, now: DateTime<Utc>) -> revision::ActiveModel {
    revision::ActiveModel {
        id: Set(Uuid::new_v4()),
        homework_id: Set(h.id),
        revision: Set(h.revision),
        change: Set(change),
        editor_account_id: Set(editor),
        subject: Set(h.subject.clone()),
        title: Set(h.title.clone()),
        content: Set(h.content.clone()),
        kind: Set(h.kind),
        tier: Set(h.tier),
        location: Set(h.location),
        estimated_minutes: Set(h.estimated_minutes),
        date: Set(h.date),
        created_at: Set(now),
    }
}

/// The caller as a teacher of the class who may set homework in `subject`.
async fn teacher_of(
    db: &impl ConnectionTrait,
    user: &Caller,
    class_id: Uuid,
    subject: &str,
) -> ApiResult<ClassTeacher> {
    let teacher = access::class_teacher(db, user, class_id).await?;
    if !teacher.teaches(subject) {
        return Err(ApiError::forbidden().with_details(serde_json::json!({ "field": "subject", "subject": subject })));
    }
    Ok(teacher)
}

/// The staff view of an item, with families' reports on it.
async fn with_feedback(db: &impl ConnectionTrait, h: homework::Model) -> ApiResult<Homework> {
    let id = h.id;
    let totals = repo::feedback_totals(db, vec![id]).await?;
    Ok(to_dto(h, totals.get(&id).copied()))
}

/// A teacher of the class posts homework. Families' guardians (full access) get it in their inbox
/// at once and in the school's daily homework digest by push and email — never in quiet hours.
pub async fn post(state: &AppState, user: &Caller, class_id: Uuid, req: PostHomework) -> ApiResult<Homework> {
    let now = state.clock.now();
    let draft = Draft::parse(req)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let teacher = teacher_of(&txn, user, class_id, &draft.subject).await?;
    let class = repo::lock_class(&txn, class_id).await?.ok_or_else(ApiError::not_found)?;
    let school = school_of(&txn, class.school_id).await?;
    check_date(&school, draft.date, now)?;
    let reviewed = match judge(&txn, &school, &class, &draft, None).await? {
        Ok(reviewed) => reviewed,
        Err(blocked) => {
            drop(txn);
            return Err(refuse(state, &school, blocked, now).await);
        }
    };
    guard::count_reviewed(&txn, &reviewed, Channel::Homework, guard_sender(&school), now).await?;
    let saved = homework::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(school.id),
        class_id: Set(class.id),
        teacher_account_id: Set(user.account_id),
        teacher_name: Set(teacher.staff.name.clone()),
        subject: Set(draft.subject),
        title: Set(draft.title),
        content: Set(draft.content),
        kind: Set(draft.kind),
        tier: Set(draft.tier),
        location: Set(draft.location),
        estimated_minutes: Set(draft.estimated_minutes),
        date: Set(draft.date),
        revision: Set(1),
        withdrawn_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    record_revision(&saved, Change::Posted, user.account_id, now).insert(&txn).await?;
    // Full-access guardians of the class's pupils; informational and pickup links get no homework.
    let target = Target::Families(FamilyTarget {
        school_id: school.id,
        school_wide: false,
        grades: Vec::new(),
        class_ids: vec![class.id],
        guardian_ids: Vec::new(),
        guardian_classes: None,
    });
    items::publish(&txn, entry(&saved), now).await?;
    items::fan_out(&txn, ItemKind::Homework, saved.id, audience::recipients(&target), now).await?;
    // In each family's digest of the homework's day (one per family across schools), or at once.
    let when = outbox::homework_delivery(&txn, &school, saved.date, now).await?;
    outbox::enqueue(&txn, Delivery::of(ItemKind::Homework, saved.id, Some(school.id), when), now).await?;
    txn.commit().await?;
    Ok(to_dto(saved, None))
}

/// Loads an item for its author (and, with `admins_too`, its school's admins), or says who may not
/// change it: staff who can see the class 403, anyone else 404.
async fn changeable(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: Uuid,
    admins_too: bool,
) -> ApiResult<homework::Model> {
    let h = homework::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    if h.teacher_account_id == user.account_id || (admins_too && access::administers(db, user, h.school_id).await?) {
        return Ok(h);
    }
    access::class_staff(db, user, h.class_id).await?;
    Err(ApiError::forbidden())
}

fn withdrawn() -> ApiError {
    HomeworkError::Withdrawn.into()
}

/// The author edits an item: the given fields replace the current ones, every rule is judged
/// again (the item's own minutes leave the budget first), and families see it as unread again.
pub async fn edit(state: &AppState, user: &Caller, id: Uuid, req: EditHomework) -> ApiResult<Homework> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let current = changeable(&txn, user, id, false).await?;
    if current.withdrawn_at.is_some() {
        return Err(withdrawn());
    }
    let draft = Draft::parse(PostHomework {
        subject: req.subject.unwrap_or_else(|| current.subject.clone()),
        title: req.title.unwrap_or_else(|| current.title.clone()),
        content: req.content.unwrap_or_else(|| current.content.clone()),
        kind: req.kind.unwrap_or(current.kind),
        tier: req.tier.unwrap_or(current.tier),
        estimated_minutes: req.estimated_minutes.unwrap_or(current.estimated_minutes),
        location: req.location.unwrap_or(current.location),
        date: req.date.unwrap_or(current.date),
        confirm_review: req.confirm_review,
    })?;
    teacher_of(&txn, user, current.class_id, &draft.subject).await?;
    if draft.same_as(&current) {
        // A retried or empty edit: no new revision, families are not told again.
        return with_feedback(&txn, current).await;
    }
    let class = repo::lock_class(&txn, current.class_id).await?.ok_or_else(ApiError::not_found)?;
    let school = school_of(&txn, class.school_id).await?;
    if draft.date != current.date {
        check_date(&school, draft.date, now)?;
    }
    let reviewed = match judge(&txn, &school, &class, &draft, Some(id)).await? {
        Ok(reviewed) => reviewed,
        Err(blocked) => {
            drop(txn);
            return Err(refuse(state, &school, blocked, now).await);
        }
    };
    guard::count_reviewed(&txn, &reviewed, Channel::Homework, guard_sender(&school), now).await?;
    let mut active = current.clone().into_active_model();
    active.subject = Set(draft.subject);
    active.title = Set(draft.title);
    active.content = Set(draft.content);
    active.kind = Set(draft.kind);
    active.tier = Set(draft.tier);
    active.location = Set(draft.location);
    active.estimated_minutes = Set(draft.estimated_minutes);
    active.date = Set(draft.date);
    active.revision = Set(current.revision + 1);
    active.updated_at = Set(now);
    let saved = active.update(&txn).await?;
    record_revision(&saved, Change::Edited, user.account_id, now).insert(&txn).await?;
    items::publish(&txn, entry(&saved), now).await?;
    items::mark_unread_for_all(&txn, ItemKind::Homework, id).await?;
    let saved = with_feedback(&txn, saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The author, or an admin of the school, withdraws an item: families then see it as withdrawn,
/// and a digest not yet sent leaves it out.
pub async fn withdraw(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Homework> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let current = changeable(&txn, user, id, true).await?;
    if current.withdrawn_at.is_some() {
        return Err(withdrawn());
    }
    let mut active = current.clone().into_active_model();
    active.withdrawn_at = Set(Some(now));
    active.revision = Set(current.revision + 1);
    active.updated_at = Set(now);
    let saved = active.update(&txn).await?;
    record_revision(&saved, Change::Withdrawn, user.account_id, now).insert(&txn).await?;
    items::withdraw(&txn, ItemKind::Homework, id, now).await?;
    let saved = with_feedback(&txn, saved).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Every revision of an item, oldest first, for staff who can see its class.
pub async fn history(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<History> {
    let db = &state.db;
    let h = homework::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    access::class_staff(db, user, h.class_id).await?;
    let items = revision::Entity::find()
        .filter(revision::Column::HomeworkId.eq(id))
        .order_by_asc(revision::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Revision {
            revision: r.revision,
            change: r.change,
            subject: r.subject,
            title: r.title,
            content: r.content,
            kind: r.kind,
            tier: r.tier,
            location: r.location,
            estimated_minutes: r.estimated_minutes,
            date: r.date,
            created_at: r.created_at,
        })
        .collect();
    Ok(History { items })
}

/// A class its staff may see, its school, and the day asked for (today at the school by default).
async fn class_day(
    state: &AppState,
    user: &Caller,
    class_id: Uuid,
    date: Option<NaiveDate>,
) -> ApiResult<(class::Model, school::Model, NaiveDate)> {
    let ClassStaff { class, .. } = access::class_staff(&state.db, user, class_id).await?;
    let school = school_of(&state.db, class.school_id).await?;
    let date = date.unwrap_or_else(|| today(&school, state.clock.now()));
    Ok((class, school, date))
}

/// A class's homework for a day, as its teachers and the school's admins see it: estimates next
/// to what families reported.
pub async fn of_class(
    state: &AppState,
    user: &Caller,
    class_id: Uuid,
    date: Option<NaiveDate>,
) -> ApiResult<HomeworkList> {
    let db = &state.db;
    let (class, _, date) = class_day(state, user, class_id, date).await?;
    let items = repo::of_class_on(db, class.id, date).await?;
    let totals = repo::feedback_totals(db, items.iter().map(|h| h.id).collect()).await?;
    Ok(HomeworkList {
        items: items
            .into_iter()
            .map(|h| {
                let t = totals.get(&h.id).copied();
                to_dto(h, t)
            })
            .collect(),
    })
}

/// `GET /classes/{id}/homework-budget`: what is left of the day's cap, and which subjects used it.
pub async fn budget(
    state: &AppState,
    user: &Caller,
    class_id: Uuid,
    date: Option<NaiveDate>,
) -> ApiResult<ClassBudget> {
    let db = &state.db;
    let (class, school, date) = class_day(state, user, class_id, date).await?;
    let stage = school.stage_system.stage_of(class.grade);
    let cap = repo::caps(db, school.district_id).await?.for_stage(stage);
    let budget = repo::day_budget(db, class.id, date, cap, None).await?;
    Ok(ClassBudget {
        class_id: class.id,
        date,
        grade: class.grade,
        stage,
        written_at_home_allowed: !rules::breaks_no_written_g12(
            class.grade,
            super::model::HomeworkKind::Written,
            super::model::Location::Home,
        ),
        budget,
    })
}

/// A child's homework for a day, for a guardian with full access: read-only.
pub async fn of_child(
    state: &AppState,
    user: &Caller,
    student_id: Uuid,
    date: Option<NaiveDate>,
) -> ApiResult<ChildHomework> {
    let db = &state.db;
    let link = access::guardian_of(db, user, student_id).await?;
    if link.access_level != AccessLevel::Full {
        return Err(ApiError::not_found()); // informational links receive school-wide notices only
    }
    let school = school_of(db, link.student.school_id).await?;
    let date = date.unwrap_or_else(|| today(&school, state.clock.now()));
    let items: Vec<homework::Model> = repo::of_class_on(db, link.student.class_id, date)
        .await?
        .into_iter()
        .filter(|h| h.withdrawn_at.is_none())
        .collect();
    let reported: std::collections::HashMap<Uuid, i32> = feedback::Entity::find()
        .filter(feedback::Column::StudentId.eq(student_id))
        .filter(feedback::Column::HomeworkId.is_in(items.iter().map(|h| h.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.homework_id, f.minutes))
        .collect();
    let written_minutes = items
        .iter()
        .filter(|h| rules::counts_toward_cap(h.kind, h.tier, h.location))
        .map(|h| h.estimated_minutes)
        .sum();
    Ok(ChildHomework {
        child: ChildRef { id: link.student.id, name: link.student.name },
        date,
        written_minutes,
        items: items
            .into_iter()
            .map(|h| FamilyHomework {
                reported_minutes: reported.get(&h.id).copied(),
                optional: h.tier == super::model::Tier::Optional,
                edited: h.revision > 1,
                id: h.id,
                subject: h.subject,
                title: h.title,
                content: h.content,
                kind: h.kind,
                tier: h.tier,
                location: h.location,
                estimated_minutes: h.estimated_minutes,
                teacher_name: h.teacher_name,
            })
            .collect(),
    })
}

/// A guardian marks the homework item in their inbox read (as opening a notice does).
pub async fn mark_read(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<()> {
    let txn = crate::infra::db::begin(&state.db).await?;
    let item = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(inbox_item::Column::Kind.eq(ItemKind::Homework.as_str()))
        .filter(inbox_item::Column::RefId.eq(id))
        .one(&txn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if item.read_at.is_none() {
        let mut active = item.into_active_model();
        active.read_at = Set(Some(state.clock.now()));
        active.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A guardian (full access) reports how long an item took their child; a second report replaces
/// the first.
pub async fn report_duration(
    state: &AppState,
    user: &Caller,
    id: Uuid,
    req: ReportDuration,
) -> ApiResult<DurationReport> {
    let now = state.clock.now();
    if !REPORTED_MINUTES.contains(&req.minutes) {
        let (least, most) = (REPORTED_MINUTES.start(), REPORTED_MINUTES.end());
        return Err(ApiError::validation(
            "minutes",
            format!("用时须为 {least} 到 {most} 分钟。"),
            format!("Minutes are {least} to {most}."),
        ));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let link = access::guardian_of(&txn, user, req.student_id).await?;
    let h = homework::Entity::find_by_id(id).one(&txn).await?.ok_or_else(ApiError::not_found)?;
    if link.access_level != AccessLevel::Full || h.class_id != link.student.class_id {
        return Err(ApiError::not_found());
    }
    if h.withdrawn_at.is_some() {
        return Err(withdrawn());
    }
    let row = feedback::ActiveModel {
        homework_id: Set(id),
        student_id: Set(req.student_id),
        reporter_account_id: Set(user.account_id),
        minutes: Set(req.minutes),
        reported_at: Set(now),
    };
    repo::save_feedback(&txn, row).await?;
    txn.commit().await?;
    Ok(DurationReport { homework_id: id, student_id: req.student_id, minutes: req.minutes, reported_at: now })
}

/// How an item is titled in inboxes, pushes and digests: "数学 · 口算练习 (2026-11-23)".
pub fn headline(h: &homework::Model) -> String {
    format!("{} · {} ({})", h.subject, h.title, h.date)
}

/// What the inbox, a push and an email say about an item.
fn entry(h: &homework::Model) -> Entry {
    Entry {
        kind: ItemKind::Homework,
        ref_id: h.id,
        title: headline(h),
        body: h.content.clone(),
        sender_name: h.teacher_name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    }
}

pub fn to_dto(h: homework::Model, feedback: Option<(i64, i64)>) -> Homework {
    let (count, total) = feedback.unwrap_or((0, 0));
    Homework {
        counts_toward_cap: rules::counts_toward_cap(h.kind, h.tier, h.location),
        feedback: FeedbackSummary {
            report_count: u32::try_from(count).unwrap_or(u32::MAX),
            average_minutes: (count > 0).then(|| (total as f64 / count as f64 * 10.0).round() / 10.0),
        },
        id: h.id,
        class_id: h.class_id,
        subject: h.subject,
        title: h.title,
        content: h.content,
        kind: h.kind,
        tier: h.tier,
        location: h.location,
        estimated_minutes: h.estimated_minutes,
        date: h.date,
        teacher_name: h.teacher_name,
        revision: h.revision,
        withdrawn_at: h.withdrawn_at,
        created_at: h.created_at,
        updated_at: h.updated_at,
    }
}
