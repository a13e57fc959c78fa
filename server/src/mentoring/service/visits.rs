//! Home visits (家访): the mentor proposes windows and a mode; the family (any full guardian)
//! accepts one, counter-proposes or declines; either side cancels (a change within two hours of
//! the start carries a message); the mentor records it done and the family confirms it — the
//! family's confirmation is the proof the bureau counts — or disputes it (flagged to the school's
//! admins). Bookings of one teacher take turns behind their staff row, so two guardians accepting
//! at once produce one booking and no teacher is double-booked; acceptances, the raced path, are
//! booked in batches per school (`accepts`). Every change is an event; the address is the
//! family's, per visit, seen by the visiting teachers, erased 7 days after.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::super::dto::{
    ADDRESS_MAX_CHARS, ConfirmVisit, CounterVisit, MAX_DURATION_MINUTES, MESSAGE_MAX_CHARS, MentorRef, ProposeVisit,
    REASON_MAX_CHARS, Visit, VisitChange, VisitDone, VisitEvent, VisitList, WindowInput,
};
use super::super::error::MentoringError;
use super::super::model::{
    Awaiting, Task, TaskStatus, VisitEventKind, VisitMode, VisitStatus, settings, visit, visit_event, visit_window,
};
use super::super::repo;
use super::super::rules::{self, Booked, BookingConflict, Reminder, Window, WindowProblem};
use super::{current_period, school_of, staff_names};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::infra::bus::Wake;
use crate::input::{optional_text, visible_text};
use crate::org::model::{AccessLevel, school};
use crate::state::AppState;

mod accepts;
pub use accepts::{Bookings, accept};

/// How the caller takes part in a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Mentor,
    CoVisitor,
    Family,
}

/// The caller's part in the visit, derived again on every call: its mentor while still the
/// child's mentor, its co-visitor while still staff of the school, or a full guardian of the
/// child. A mentor replaced by a reassignment, or a teacher who left, is no longer part of it;
/// anyone else gets 404.
async fn side(db: &impl ConnectionTrait, caller: &Caller, v: &visit::Model) -> ApiResult<Side> {
    let staff_here = || access::staff_member(db, caller, v.school_id);
    if v.mentor_account_id == caller.account_id
        && repo::mentor_of(db, v.student_id).await?.is_some_and(|a| a.mentor_account_id == caller.account_id)
        && staff_here().await.is_ok()
    {
        return Ok(Side::Mentor);
    }
    if v.co_visitor_account_id == Some(caller.account_id) && staff_here().await.is_ok() {
        return Ok(Side::CoVisitor);
    }
    if access::full_guardian_of(db, caller.account_id, v.student_id).await? {
        return Ok(Side::Family);
    }
    Err(ApiError::not_found())
}

fn closed(v: &visit::Model) -> ApiError {
    ApiError::new(Code::VisitClosed).with_details(serde_json::json!({ "status": v.status, "start": v.starts_at }))
}

fn windows_of_input(windows: &[WindowInput], now: DateTime<Utc>) -> ApiResult<Vec<Window>> {
    let parsed: Vec<Window> = windows.iter().map(|w| (w.start, w.end)).collect();
    let (zh, en) = match rules::check_windows(&parsed, now) {
        WindowProblem::None => return Ok(parsed),
        WindowProblem::TooMany => ("请提供 1–5 个时间段。", "Offer one to five windows."),
        WindowProblem::EndsBeforeStart => ("时间段的结束须晚于开始。", "A window must end after it starts."),
        WindowProblem::TooLong => ("每个时间段不超过 4 小时。", "A window lasts four hours at most."),
        WindowProblem::InThePast => ("时间段须在将来。", "Windows must be in the future."),
        WindowProblem::TooFar => ("时间段不超过一年之后。", "Windows are at most a year ahead."),
        WindowProblem::Overlapping => ("时间段之间不能重叠。", "Windows may not overlap."),
    };
    Err(ApiError::validation("windows", zh, en))
}

fn address_of(raw: Option<&str>) -> ApiResult<Option<String>> {
    match raw {
        None => Ok(None),
        Some(text) => Ok(optional_text(text, ADDRESS_MAX_CHARS)
            .map_err(|_| {
                ApiError::validation("address", "地址不超过 200 字。", "The address takes 200 characters at most.")
            })?
            .map(str::to_owned)),
    }
}

fn reason_of(raw: &str) -> ApiResult<String> {
    visible_text(raw, REASON_MAX_CHARS).map(str::to_owned).ok_or_else(|| {
        ApiError::validation("reason", "请写明原因（不超过 200 字）。", "Say why (200 characters at most).")
    })
}

/// Moves the visit task of the visit's student and period, unless the school waived it or a visit
/// already completed it (only a dispute of that visit, `reopen`, takes a completion back).
async fn move_visit_task(
    db: &impl ConnectionTrait,
    v: &visit::Model,
    status: TaskStatus,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let reopen = status == TaskStatus::Pending && v.status == VisitStatus::Disputed;
    let kept: &[TaskStatus] = if reopen { &[TaskStatus::Waived] } else { &KEPT_BY_A_VISIT };
    repo::move_task_unless(db, (v.student_id, v.period_starts_on, Task::Visit), kept, status, reason, by, now).await?;
    Ok(())
}

/// What a visit's change leaves as it is: the school's waiver, and a completion.
const KEPT_BY_A_VISIT: [TaskStatus; 4] =
    [TaskStatus::Waived, TaskStatus::Done, TaskStatus::DoneOnline, TaskStatus::DoneAtSchool];

/// The family's address goes with the visit it was given for: erased when the visit is cancelled,
/// declined or disputed.
fn erase_address(v: &mut visit::Model, now: DateTime<Utc>) {
    if v.address.take().is_some() {
        v.address_erased_at = Some(now);
    }
}

/// The school's setting, with the staff rows of the visit's teachers locked: bookings of one teacher
/// take turns, those of different teachers run side by side.
async fn lock(db: &impl ConnectionTrait, school_id: Uuid, teachers: &[Uuid]) -> ApiResult<settings::Model> {
    let settings = repo::settings(db, school_id).await?.ok_or(MentoringError::NotSet)?;
    repo::lock_teachers(db, school_id, teachers).await?;
    Ok(settings)
}

async fn event(
    db: &impl ConnectionTrait,
    v: &visit::Model,
    by: Uuid,
    kind: VisitEventKind,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    repo::add_event(db, event_row(v, by, kind, reason, now)).await?;
    Ok(())
}

/// The visit's change as its history keeps it.
fn event_row(
    v: &visit::Model,
    by: Uuid,
    kind: VisitEventKind,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> visit_event::Model {
    visit_event::Model {
        id: Uuid::now_v7(),
        visit_id: v.id,
        at: now,
        by_account_id: by,
        kind,
        reason,
        starts_at: v.starts_at,
    }
}

/// The full guardians of the visit's child.
async fn family_of(db: &impl ConnectionTrait, student_id: Uuid) -> ApiResult<Vec<Uuid>> {
    access::full_guardian_accounts(db, student_id).await
}

/// The teachers of the visit.
fn teachers_of(v: &visit::Model) -> Vec<Uuid> {
    let mut out = vec![v.mentor_account_id];
    out.extend(v.co_visitor_account_id);
    out
}

/// Who an item about the visit goes to: the family (the item concerns the child, and leaves the
/// inbox of a guardian who no longer cares for them) or staff.
#[derive(Debug, Clone)]
enum To {
    Family(Vec<Uuid>),
    Staff(Vec<Uuid>),
}

/// Tells them about the visit (an inbox item with push and email), urgent when asked (through
/// quiet hours): the accounts to wake.
async fn tell(
    db: &impl ConnectionTrait,
    school: &school::Model,
    v: &visit::Model,
    to: To,
    (title, body): (String, String),
    urgent: bool,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    let told = told(school, v, to, (title, body), urgent);
    let woken = told.accounts.clone();
    crate::delivery::outbox::tell_all(db, Some(school.id), vec![told], now).await?;
    Ok(woken)
}

/// What [`tell`] tells, for telling several at once.
fn told(
    school: &school::Model,
    v: &visit::Model,
    to: To,
    text: (String, String),
    urgent: bool,
) -> crate::delivery::outbox::Told {
    let (child, accounts) = match to {
        To::Family(accounts) => (Some(v.student_id), accounts),
        To::Staff(accounts) => (None, accounts),
    };
    super::told(school, child, accounts, text, urgent)
}

/// The instant as the school's clock shows it ("11月25日 18:00").
fn local(school: &school::Model, at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.with_timezone(&school.zone()).format("%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// What a window's check reads of the teachers' calendars: the day before its start to the day
/// after its end (a buffer is shorter than a day, and the daily limit counts one local day).
fn around(window: Window) -> (DateTime<Utc>, DateTime<Utc>) {
    (window.0 - Duration::days(1), window.1 + Duration::days(1))
}

/// Whether `window` fits the calendars of the visit's teachers (another visit of theirs within the
/// school's buffer, or their day's most home visits, refuse it).
async fn check_calendars(
    db: &impl ConnectionTrait,
    place: (&school::Model, &settings::Model),
    v: &visit::Model,
    window: Window,
) -> ApiResult<()> {
    let booked = repo::booked_of(db, &teachers_of(v), around(window)).await?;
    calendar_conflict(place, v, window, &booked.iter().collect::<Vec<_>>())
}

/// [`check_calendars`] on the teachers' booked visits around the window, already read (the
/// visit's own booking does not count).
fn calendar_conflict(
    (school, settings): (&school::Model, &settings::Model),
    v: &visit::Model,
    window: Window,
    booked: &[&visit::Model],
) -> ApiResult<()> {
    let (teachers, home, except) = (teachers_with_roles(v), v.mode == VisitMode::Home, v.id);
    let buffer = Duration::minutes(i64::from(settings.visit_buffer_minutes));
    let per_day = usize::try_from(settings.max_visits_per_day).unwrap_or(1);
    let day = school.local_date(window.0);
    for (teacher, role) in teachers {
        let theirs: Vec<Booked> = booked
            .iter()
            .filter(|b| b.id != except)
            .filter(|b| b.mentor_account_id == teacher || b.co_visitor_account_id == Some(teacher))
            .filter_map(|b| {
                let (start, end) = (b.starts_at?, b.ends_at?);
                Some(Booked {
                    visit: b.id,
                    window: (start, end),
                    local_date: school.local_date(start),
                    home: b.mode == VisitMode::Home,
                })
            })
            .collect();
        if let Some(conflict) = rules::booking_conflict(window, home, day, &theirs, buffer, per_day) {
            let details = match conflict {
                BookingConflict::DoubleBooked { with } => {
                    serde_json::json!({ "teacher": role, "conflict": "double_booked", "visit_id": with })
                }
                BookingConflict::DailyLimit { limit } => {
                    serde_json::json!({ "teacher": role, "conflict": "daily_limit", "limit": limit })
                }
            };
            return Err(ApiError::new(Code::VisitConflict).with_details(details));
        }
    }
    Ok(())
}

fn teachers_with_roles(v: &visit::Model) -> Vec<(Uuid, &'static str)> {
    let mut out = vec![(v.mentor_account_id, "mentor")];
    out.extend(v.co_visitor_account_id.map(|c| (c, "co_visitor")));
    out
}

/// The mentor proposes a visit: mode and windows (each clear of the teachers' booked visits).
pub async fn propose(state: &AppState, caller: &Caller, req: ProposeVisit) -> ApiResult<Visit> {
    let now = state.clock.now();
    let windows = windows_of_input(&req.windows, now)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let student = crate::org::repo::student(&txn, req.student_id).await?.ok_or_else(ApiError::not_found)?;
    let mentor = repo::mentor_of(&txn, student.id).await?;
    if mentor.as_ref().map(|m| m.mentor_account_id) != Some(caller.account_id) {
        // Staff of the school learn that they are not this student's mentor; anyone else nothing.
        access::staff_member(&txn, caller, student.school_id).await?;
        return Err(ApiError::forbidden());
    }
    access::staff_member(&txn, caller, student.school_id).await?;
    let teachers: Vec<Uuid> = std::iter::once(caller.account_id).chain(req.co_visitor_id).collect();
    let settings = lock(&txn, student.school_id, &teachers).await?;
    let school = school_of(&txn, student.school_id).await?;
    if let Some(open) = repo::open_visit_of(&txn, student.id).await? {
        return Err(ApiError::new(Code::VisitOpen).with_details(serde_json::json!({ "visit_id": open.id })));
    }
    if let Some(co) = req.co_visitor_id {
        let teachers = repo::teachers(&txn, school.id).await?;
        if co == caller.account_id || !teachers.iter().any(|t| t.0 == co) {
            return Err(ApiError::validation(
                "co_visitor_id",
                "同行老师须是本校另一位教师。",
                "The co-visitor must be another teacher of the school.",
            ));
        }
    }
    let period = current_period(&txn, &school, settings.period, now).await?;
    let row = visit::Model {
        id: Uuid::new_v4(),
        school_id: school.id,
        student_id: student.id,
        mentor_account_id: caller.account_id,
        co_visitor_account_id: req.co_visitor_id,
        mode: req.mode,
        status: VisitStatus::Proposed,
        awaiting: Awaiting::Family,
        starts_at: None,
        ends_at: None,
        address: None,
        address_erased_at: None,
        period_starts_on: period.starts_on,
        done_mode: None,
        duration_minutes: None,
        confirmed_at: None,
        reminded_day_before: false,
        reminded_hour_before: false,
        created_at: now,
        updated_at: now,
    };
    for window in &windows {
        check_calendars(&txn, (&school, &settings), &row, *window).await?;
    }
    repo::save_visit(&txn, row.clone(), true).await?;
    repo::set_windows(&txn, row.id, &windows).await?;
    event(&txn, &row, caller.account_id, VisitEventKind::Proposed, None, now).await?;
    let times: Vec<String> = windows.iter().map(|w| local(&school, Some(w.0))).collect();
    let family = To::Family(family_of(&txn, student.id).await?);
    let woken = tell(
        &txn,
        &school,
        &row,
        family,
        (
            format!("导师约家访：{} / Your child's mentor proposes a visit: {}", student.name, student.name),
            format!("可选时间 / Times: {}", times.join("，")),
        ),
        false,
        now,
    )
    .await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, row).await
}

/// Loads the visit behind its school's lock, with the caller's side.
async fn locked_visit(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    visit_id: Uuid,
) -> ApiResult<(visit::Model, Side, settings::Model, school::Model)> {
    let v = repo::visit(txn, visit_id).await?.ok_or_else(ApiError::not_found)?;
    side(txn, caller, &v).await?;
    relock(txn, caller, v).await
}

/// The visit (its caller's side already known) read again behind its teachers' lock.
async fn relock(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    v: visit::Model,
) -> ApiResult<(visit::Model, Side, settings::Model, school::Model)> {
    let visit_id = v.id;
    let settings = lock(txn, v.school_id, &teachers_of(&v)).await?;
    // Read again behind the lock: what another request just changed counts.
    let v = repo::visit(txn, visit_id).await?.ok_or_else(ApiError::not_found)?;
    let side = side(txn, caller, &v).await?;
    let school = school_of(txn, v.school_id).await?;
    Ok((v, side, settings, school))
}

fn answering_side(side: Side) -> Awaiting {
    match side {
        Side::Family => Awaiting::Family,
        Side::Mentor | Side::CoVisitor => Awaiting::Mentor,
    }
}

fn not_your_turn(v: &visit::Model) -> ApiError {
    ApiError::new(Code::VisitNotYourTurn).with_details(serde_json::json!({ "awaiting": v.awaiting }))
}

/// The offered window of the visit that starts at `start`.
fn window_at(windows: &[visit_window::Model], visit_id: Uuid, start: DateTime<Utc>) -> Option<Window> {
    windows.iter().find(|w| w.visit_id == visit_id && w.starts_at == start).map(|w| (w.starts_at, w.ends_at))
}

/// The family proposes other windows; the mentor answers them.
pub async fn counter(state: &AppState, caller: &Caller, visit_id: Uuid, req: CounterVisit) -> ApiResult<Visit> {
    let now = state.clock.now();
    let windows = windows_of_input(&req.windows, now)?;
    let address = address_of(req.address.as_deref())?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let (mut v, side, _, school) = locked_visit(&txn, caller, visit_id).await?;
    if v.status != VisitStatus::Proposed {
        return Err(closed(&v));
    }
    if side != Side::Family || v.awaiting != Awaiting::Family {
        return Err(not_your_turn(&v));
    }
    v.awaiting = Awaiting::Mentor;
    if address.is_some() && v.mode == VisitMode::Home {
        v.address = address;
    }
    if v.mode == VisitMode::Home && v.address.is_none() {
        return Err(ApiError::validation(
            "address",
            "上门家访请填写本次家访的地址（仅到访老师可见，家访 7 天后删除）。",
            "For a home visit, give the address for this visit (seen only by the visiting teachers, erased 7 days after).",
        ));
    }
    v.updated_at = now;
    repo::save_visit(&txn, v.clone(), false).await?;
    repo::set_windows(&txn, v.id, &windows).await?;
    event(&txn, &v, caller.account_id, VisitEventKind::CounterProposed, None, now).await?;
    let times: Vec<String> = windows.iter().map(|w| local(&school, Some(w.0))).collect();
    let woken = tell(
        &txn,
        &school,
        &v,
        To::Staff(teachers_of(&v)),
        ("家长提议了其他家访时间 / The family proposes other times".into(), times.join("，")),
        false,
        now,
    )
    .await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, v).await
}

/// Whether the visit may still be declined or cancelled: proposed, or booked and not yet begun (a
/// visit that took place is recorded done, or disputed by the family).
fn open_before_start(v: &visit::Model, now: DateTime<Utc>) -> bool {
    match v.status {
        VisitStatus::Proposed => true,
        VisitStatus::Booked => v.starts_at.is_some_and(|start| start > now),
        _ => false,
    }
}

/// Whether a change needs a message and carries one (within two hours of a booked start).
fn late_message(v: &visit::Model, req: &VisitChange, now: DateTime<Utc>) -> ApiResult<Option<String>> {
    let message = match req.message.as_deref() {
        Some(text) => optional_text(text, MESSAGE_MAX_CHARS)
            .map_err(|_| {
                ApiError::validation("message", "留言不超过 500 字。", "The message takes 500 characters at most.")
            })?
            .map(str::to_owned),
        None => None,
    };
    let late = v.status == VisitStatus::Booked && v.starts_at.is_some_and(|start| rules::late_change(now, start));
    if late && message.is_none() {
        return Err(ApiError::validation(
            "message",
            "距家访开始不到 2 小时，请给对方留言说明。",
            "The visit starts within two hours: leave the other side a message.",
        ));
    }
    Ok(message)
}

/// The family declines the visit with a reason; the mentor may offer another mode.
pub async fn decline(state: &AppState, caller: &Caller, visit_id: Uuid, req: VisitChange) -> ApiResult<Visit> {
    let now = state.clock.now();
    let reason = reason_of(&req.reason)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let (mut v, side, _, school) = locked_visit(&txn, caller, visit_id).await?;
    if side != Side::Family {
        return Err(ApiError::forbidden());
    }
    if !open_before_start(&v, now) {
        return Err(closed(&v));
    }
    let message = late_message(&v, &req, now)?;
    v.status = VisitStatus::Declined;
    erase_address(&mut v, now);
    v.updated_at = now;
    repo::save_visit(&txn, v.clone(), false).await?;
    event(&txn, &v, caller.account_id, VisitEventKind::Declined, Some(reason.clone()), now).await?;
    move_visit_task(&txn, &v, TaskStatus::Declined, Some(reason.clone()), caller.account_id, now).await?;
    let body = message.map_or(reason.clone(), |m| format!("{reason}\n{m}"));
    let woken = tell(
        &txn,
        &school,
        &v,
        To::Staff(teachers_of(&v)),
        ("家长婉拒了家访，可改用其他方式 / The family declined the visit: offer another mode".into(), body),
        false,
        now,
    )
    .await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, v).await
}

/// The mentor or the family cancels with a reason (a message too, within two hours of the start);
/// the visit task is owed again.
pub async fn cancel(state: &AppState, caller: &Caller, visit_id: Uuid, req: VisitChange) -> ApiResult<Visit> {
    let now = state.clock.now();
    let reason = reason_of(&req.reason)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let (mut v, side, _, school) = locked_visit(&txn, caller, visit_id).await?;
    if side == Side::CoVisitor {
        return Err(ApiError::forbidden());
    }
    if !open_before_start(&v, now) {
        return Err(closed(&v));
    }
    let message = late_message(&v, &req, now)?;
    let late = message.is_some();
    let was_booked = v.status == VisitStatus::Booked;
    v.status = VisitStatus::Cancelled;
    erase_address(&mut v, now);
    v.updated_at = now;
    repo::save_visit(&txn, v.clone(), false).await?;
    event(&txn, &v, caller.account_id, VisitEventKind::Cancelled, Some(reason.clone()), now).await?;
    if was_booked {
        move_visit_task(&txn, &v, TaskStatus::Pending, None, caller.account_id, now).await?;
    }
    let to = if side == Side::Family {
        To::Staff(teachers_of(&v))
    } else {
        To::Family(family_of(&txn, v.student_id).await?)
    };
    let when = local(&school, v.starts_at);
    let body = message.map_or(reason.clone(), |m| format!("{reason}\n{m}"));
    // A late cancellation reaches the other side at once, through quiet hours.
    let woken =
        tell(&txn, &school, &v, to, (format!("家访已取消 {when} / Visit cancelled {when}"), body), late, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, v).await
}

/// The mentor records the visit done (once it has begun): the task is done in the mode it was held
/// in, and the family is asked to confirm.
pub async fn done(state: &AppState, caller: &Caller, visit_id: Uuid, req: VisitDone) -> ApiResult<Visit> {
    let now = state.clock.now();
    if req.duration_minutes == 0 || req.duration_minutes > MAX_DURATION_MINUTES {
        return Err(ApiError::validation(
            "duration_minutes",
            "时长为 1–480 分钟。",
            "The duration is 1 to 480 minutes.",
        ));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let (mut v, side, _, school) = locked_visit(&txn, caller, visit_id).await?;
    if side != Side::Mentor {
        return Err(ApiError::forbidden());
    }
    if v.status != VisitStatus::Booked || v.starts_at.is_none_or(|start| start > now) {
        return Err(closed(&v));
    }
    let mode = req.mode.unwrap_or(v.mode);
    v.status = VisitStatus::Done;
    v.done_mode = Some(mode);
    v.duration_minutes = i16::try_from(req.duration_minutes).ok();
    v.updated_at = now;
    repo::save_visit(&txn, v.clone(), false).await?;
    event(&txn, &v, caller.account_id, VisitEventKind::Done, None, now).await?;
    move_visit_task(&txn, &v, mode.done_status(), None, caller.account_id, now).await?;
    let family = To::Family(family_of(&txn, v.student_id).await?);
    let woken = tell(
        &txn,
        &school,
        &v,
        family,
        ("请确认家访已进行 / Please confirm the visit took place".into(), String::new()),
        false,
        now,
    )
    .await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, v).await
}

/// The family confirms the visit happened (one tap), or disputes it with a reason: a disputed
/// visit is flagged to the school's admins and the visit task is owed again.
pub async fn confirm(state: &AppState, caller: &Caller, visit_id: Uuid, req: ConfirmVisit) -> ApiResult<Visit> {
    let now = state.clock.now();
    let reason = if req.happened { None } else { Some(reason_of(req.reason.as_deref().unwrap_or(""))?) };
    let txn = crate::infra::db::begin(&state.db).await?;
    let (mut v, side, _, school) = locked_visit(&txn, caller, visit_id).await?;
    if side != Side::Family {
        return Err(ApiError::forbidden());
    }
    let settled = if req.happened { VisitStatus::Confirmed } else { VisitStatus::Disputed };
    if v.status == settled {
        txn.commit().await?;
        return view(&state.db, caller, v).await;
    }
    if v.status != VisitStatus::Done {
        return Err(closed(&v));
    }
    v.status = settled;
    v.updated_at = now;
    let woken = if req.happened {
        v.confirmed_at = Some(now);
        repo::save_visit(&txn, v.clone(), false).await?;
        event(&txn, &v, caller.account_id, VisitEventKind::Confirmed, None, now).await?;
        Vec::new()
    } else {
        erase_address(&mut v, now);
        repo::save_visit(&txn, v.clone(), false).await?;
        event(&txn, &v, caller.account_id, VisitEventKind::Disputed, reason.clone(), now).await?;
        move_visit_task(&txn, &v, TaskStatus::Pending, reason.clone(), caller.account_id, now).await?;
        let admins = crate::org::repo::admin_accounts(&txn, vec![school.id]).await?;
        tell(
            &txn,
            &school,
            &v,
            To::Staff(admins),
            (
                "家长表示家访未进行，请核实 / A family says a recorded visit did not happen".into(),
                reason.unwrap_or_default(),
            ),
            false,
            now,
        )
        .await?
    };
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(woken))).await;
    view(&state.db, caller, v).await
}

/// One visit, for its participants.
pub async fn get(state: &AppState, caller: &Caller, visit_id: Uuid) -> ApiResult<Visit> {
    let v = repo::visit(&state.db, visit_id).await?.ok_or_else(ApiError::not_found)?;
    side(&state.db, caller, &v).await?;
    view(&state.db, caller, v).await
}

/// The caller's visits: as mentor or co-visitor, and about the children they are a full guardian of.
pub async fn list(state: &AppState, caller: &Caller) -> ApiResult<VisitList> {
    let db = &state.db;
    let children: Vec<Uuid> = access::guardian_children(db, caller)
        .await?
        .into_iter()
        .filter(|(_, _, level)| *level == AccessLevel::Full)
        .map(|(_, child, _)| child.id)
        .collect();
    let rows = repo::visits_of(db, caller.account_id, children).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        // A replaced mentor, or a co-visitor who left the school, no longer sees the visit.
        if side(db, caller, &row).await.is_ok() {
            items.push(view(db, caller, row).await?);
        }
    }
    Ok(VisitList { items })
}

async fn view(db: &impl ConnectionTrait, caller: &Caller, v: visit::Model) -> ApiResult<Visit> {
    let windows = repo::windows_of(db, vec![v.id]).await?;
    // The address is for the visiting teachers alone: anyone else sees the rest as the family.
    let side = side(db, caller, &v).await.unwrap_or(Side::Family);
    view_as(db, side, v, windows).await
}

/// The visit as a party to it sees it (its windows already read).
async fn view_as(
    db: &impl ConnectionTrait,
    side: Side,
    v: visit::Model,
    windows: Vec<visit_window::Model>,
) -> ApiResult<Visit> {
    let events = repo::events_of(db, vec![v.id]).await?;
    let names: HashMap<Uuid, String> = staff_names(db, teachers_of(&v)).await?;
    let student = crate::org::repo::student(db, v.student_id).await?;
    let family: Vec<Uuid> = family_of(db, v.student_id).await?;
    let student_name = student.map(|s| s.name).unwrap_or_default();
    Ok(visit_view(side, v, &windows, Shown { events: &events, names: &names, student_name, family: &family }))
}

/// What a visit's view shows besides its row and windows, read for it (or for a batch of visits).
struct Shown<'a> {
    /// Its history, the oldest first (events of other visits are left out).
    events: &'a [visit_event::Model],
    /// The teachers' names.
    names: &'a HashMap<Uuid, String>,
    student_name: String,
    /// The child's full guardians: whose changes the history shows as the family's.
    family: &'a [Uuid],
}

/// The visit as `side` sees it: the address is for the visiting teachers alone.
fn visit_view(side: Side, v: visit::Model, windows: &[visit_window::Model], shown: Shown<'_>) -> Visit {
    let by = |account: Uuid| {
        if account == v.mentor_account_id {
            "mentor"
        } else if Some(account) == v.co_visitor_account_id {
            "co_visitor"
        } else if shown.family.contains(&account) {
            "family"
        } else {
            "school"
        }
    };
    let teacher = matches!(side, Side::Mentor | Side::CoVisitor);
    let name = |id: Uuid| shown.names.get(&id).cloned().unwrap_or_default();
    Visit {
        id: v.id,
        student_id: v.student_id,
        student_name: shown.student_name,
        mentor: MentorRef { account_id: v.mentor_account_id, name: name(v.mentor_account_id) },
        co_visitor: v.co_visitor_account_id.map(|id| MentorRef { account_id: id, name: name(id) }),
        mode: v.mode,
        status: v.status,
        awaiting: v.awaiting,
        windows: windows
            .iter()
            .filter(|w| w.visit_id == v.id)
            .map(|w| WindowInput { start: w.starts_at, end: w.ends_at })
            .collect(),
        start: v.starts_at,
        end: v.ends_at,
        address: if teacher { v.address.clone() } else { None },
        address_erased: v.address_erased_at.is_some(),
        done_mode: v.done_mode,
        duration_minutes: v.duration_minutes.and_then(|d| u16::try_from(d).ok()),
        confirmed_at: v.confirmed_at,
        history: shown
            .events
            .iter()
            .filter(|e| e.visit_id == v.id)
            .map(|e| VisitEvent {
                kind: e.kind,
                at: e.at,
                by: by(e.by_account_id).to_owned(),
                reason: e.reason.clone(),
                start: e.starts_at,
            })
            .collect(),
    }
}

/// What the visit jobs did in one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct VisitJobs {
    pub reminders: u32,
    pub addresses_erased: u64,
}

/// Reminds the teachers and the family of booked visits a day and an hour before (the hour-before
/// one through quiet hours), each once; erases addresses 7 days after their visit.
pub async fn remind_and_erase(state: &AppState) -> ApiResult<VisitJobs> {
    let now = state.clock.now();
    let mut report = VisitJobs::default();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut woken = Vec::new();
    for v in repo::visits_to_remind(&txn, now, now + Duration::hours(24)).await? {
        let Some(start) = v.starts_at else { continue };
        let Some(reminder) = rules::reminder_due(now, start, v.reminded_day_before, v.reminded_hour_before) else {
            continue;
        };
        // Claimed by a conditional update: a visit cancelled meanwhile, or reminded by another
        // instance, is left alone (the row is never written back whole).
        if !repo::mark_reminded(&txn, v.id, reminder == Reminder::HourBefore).await? {
            continue;
        }
        let school = school_of(&txn, v.school_id).await?;
        let when = local(&school, Some(start));
        let (title, urgent) = match reminder {
            Reminder::DayBefore => (format!("明天家访提醒 {when} / Visit tomorrow: {when}"), false),
            Reminder::HourBefore => (format!("家访 1 小时后开始 {when} / Visit in an hour: {when}"), true),
        };
        let family = To::Family(family_of(&txn, v.student_id).await?);
        for to in [To::Staff(teachers_of(&v)), family] {
            woken.extend(tell(&txn, &school, &v, to, (title.clone(), String::new()), urgent, now).await?);
        }
        report.reminders += 1;
    }
    report.addresses_erased = repo::erase_addresses(&txn, now - rules::ADDRESS_KEPT, now).await?;
    txn.commit().await?;
    woken.sort_unstable();
    woken.dedup();
    state.bus.publish(Wake::items(Some(woken))).await;
    Ok(report)
}
