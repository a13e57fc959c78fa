//! Offline sessions: the organiser (an admin of the running school) schedules them; families
//! register for a child (a seat, or the waiting list when full; a freed seat goes to the first in
//! line, who is told); attendance by check-in with the organiser's rotating code during the
//! session window, or marked by the organiser. Attendance earns the course's credits.

use uuid::Uuid;

use super::super::dto::{
    Attendance, CheckIn, CheckInCode, CreateSession, MarkAttendance, PLACE_MAX_CHARS, Register, Registration, Session,
    SessionList,
};
use super::super::model::{AttendanceMethod, Format, RegistrationStatus, Source, attendance, registration, session};
use super::super::repo;
use super::super::rules::{self, Window};
use super::{
    Earning, check_code, check_event_time, credit_family, family_child, grades_of, offered_at, required, school_of,
    wrong_format,
};
use crate::access::{self, Caller};
use crate::delivery::outbox;
use crate::error::{ApiError, ApiResult, Code};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::state::AppState;

async fn view(db: &impl sea_orm::ConnectionTrait, s: &session::Model) -> ApiResult<Session> {
    Ok(Session {
        id: s.id,
        course_id: s.course_id,
        school_id: s.school_id,
        start: s.starts_at,
        end: s.ends_at,
        place: s.place.clone(),
        capacity: s.capacity,
        registered: repo::count_registrations(db, s.id, RegistrationStatus::Registered).await?,
        waiting: repo::count_registrations(db, s.id, RegistrationStatus::Waiting).await?,
        attended: repo::count_attendance(db, s.id).await?,
    })
}

/// An admin of the running school schedules a session of an offline course in its catalogue.
pub async fn create_session(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    req: CreateSession,
) -> ApiResult<Session> {
    let now = state.clock.now();
    let place = required("place", &req.place, PLACE_MAX_CHARS)?;
    check_event_time(req.start, req.end, now)?;
    if !(1..=super::super::dto::MAX_CAPACITY).contains(&req.capacity) {
        return Err(ApiError::validation("capacity", "人数为 1–5000。", "Capacity is 1–5,000."));
    }
    let course = repo::course(&state.db, course_id).await?.ok_or_else(ApiError::not_found)?;
    let school_id = match (req.school_id, course.school_id) {
        (Some(s), _) | (None, Some(s)) => s,
        // A district course: the caller's own school (a teacher's answer is then the admin check's 403).
        (None, None) => match crate::org::repo::staff_of_account(&state.db, caller.account_id)
            .await?
            .iter()
            .map(|s| s.school_id)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [only] => *only,
            [] => return Err(ApiError::not_found()),
            _ => {
                return Err(ApiError::validation("school_id", "请指明由哪所学校举办。", "Name the school running it."));
            }
        },
    };
    access::school_admin(&state.db, caller, school_id).await?;
    let school = school_of(&state.db, school_id).await?;
    if !offered_at(&course, &school) {
        return Err(ApiError::not_found());
    }
    if course.format != Format::Offline {
        return Err(wrong_format(course.format));
    }
    let row = session::Model {
        id: Uuid::now_v7(),
        course_id,
        school_id,
        starts_at: req.start,
        ends_at: req.end,
        place,
        capacity: req.capacity,
        code_secret: format!("{:032x}", rand::random::<u128>()),
        created_by: caller.account_id,
        created_at: now,
        reminded_at: None,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::insert_session(&txn, row.clone()).await?;
    txn.commit().await?;
    view(&state.db, &row).await
}

/// A session a family may see: one of their child's school.
async fn session_for_child(
    state: &AppState,
    caller: &Caller,
    session_id: Uuid,
    student_id: Uuid,
) -> ApiResult<(session::Model, super::super::model::course::Model, access::PlacedChild, Vec<access::PlacedChild>)> {
    let (child, children) = family_child(&state.db, caller, student_id).await?;
    let session = repo::session(&state.db, session_id).await?.filter(|s| s.school_id == child.school_id);
    let session = session.ok_or_else(ApiError::not_found)?;
    let course = repo::course(&state.db, session.course_id).await?.ok_or_else(ApiError::not_found)?;
    if !rules::suits(&grades_of(&course), child.grade) {
        return Err(ApiError::new(Code::PsNotEligible));
    }
    Ok((session, course, child, children))
}

async fn registration_view(db: &impl sea_orm::ConnectionTrait, row: &registration::Model) -> ApiResult<Registration> {
    let position = match row.status {
        RegistrationStatus::Waiting => Some(repo::waiting_position(db, row).await?),
        _ => None,
    };
    Ok(Registration {
        id: row.id,
        session_id: row.session_id,
        student_id: row.student_id,
        status: row.status,
        position,
    })
}

/// A full-access guardian registers the family for a session (one seat per child): a seat while
/// there is one, else the waiting list. Registering again answers where the family stands.
pub async fn register(state: &AppState, caller: &Caller, session_id: Uuid, req: Register) -> ApiResult<Registration> {
    let now = state.clock.now();
    let (session, _, child, _) = session_for_child(state, caller, session_id, req.student_id).await?;
    if now > session.ends_at {
        return Err(ApiError::new(Code::PsSessionOver));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::lock_session(&txn, session_id).await?;
    let existing = repo::registration(&txn, session_id, child.id).await?;
    if let Some(row) = &existing
        && row.status != RegistrationStatus::Cancelled
    {
        let answer = registration_view(&txn, row).await?;
        txn.commit().await?;
        return Ok(answer);
    }
    let taken = repo::count_registrations(&txn, session_id, RegistrationStatus::Registered).await?;
    let status =
        if taken < i64::from(session.capacity) { RegistrationStatus::Registered } else { RegistrationStatus::Waiting };
    let row = match existing {
        Some(old) => {
            repo::set_registration_status(&txn, old.id, status, now).await?;
            registration::Model { status, updated_at: now, ..old }
        }
        None => {
            let row = registration::Model {
                id: Uuid::now_v7(),
                session_id,
                student_id: child.id,
                registered_by: caller.account_id,
                status,
                created_at: now,
                updated_at: now,
            };
            repo::insert_registration(&txn, row.clone()).await?;
            row
        }
    };
    let answer = registration_view(&txn, &row).await?;
    txn.commit().await?;
    Ok(answer)
}

/// The family withdraws; a seat it held goes to the first in line, whose family is told.
pub async fn cancel_registration(
    state: &AppState,
    caller: &Caller,
    session_id: Uuid,
    student_id: Uuid,
) -> ApiResult<Registration> {
    let now = state.clock.now();
    let (session, course, child, _) = session_for_child(state, caller, session_id, student_id).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::lock_session(&txn, session_id).await?;
    let row = repo::registration(&txn, session_id, child.id)
        .await?
        .filter(|r| r.status != RegistrationStatus::Cancelled)
        .ok_or_else(ApiError::not_found)?;
    repo::set_registration_status(&txn, row.id, RegistrationStatus::Cancelled, now).await?;
    let mut told = Vec::new();
    if row.status == RegistrationStatus::Registered
        && now < session.ends_at
        && let Some(next) = repo::first_waiting(&txn, session_id).await?
    {
        repo::set_registration_status(&txn, next.id, RegistrationStatus::Registered, now).await?;
        let family = access::full_guardian_accounts(&txn, next.student_id).await?;
        let school = school_of(&txn, session.school_id).await?;
        let when = session.starts_at.with_timezone(&school.zone()).format("%Y-%m-%d %H:%M").to_string();
        let entry = items::Entry {
            kind: ItemKind::ParentSchool,
            ref_id: Uuid::new_v4(),
            title: format!("家长学校：您已从候补转为正式报名 / A seat for you: {}", course.title),
            body: format!(
                "「{}」{when}，{}。/ {}, {when}, {}.",
                course.title, session.place, course.title, session.place
            ),
            sender_name: school.name.clone(),
            urgent: false,
            needs_response: false,
            subject_id: None,
        };
        outbox::tell(&txn, Some(school.id), Some(next.student_id), &family, entry, now).await?;
        told = family;
    }
    txn.commit().await?;
    if !told.is_empty() {
        state.bus.publish(Wake::items(Some(told))).await;
    }
    Ok(Registration {
        id: row.id,
        session_id,
        student_id: child.id,
        status: RegistrationStatus::Cancelled,
        position: None,
    })
}

/// The code the organiser shows, and the window it is good for. Only an admin of the running school.
pub async fn check_in_code(state: &AppState, caller: &Caller, session_id: Uuid) -> ApiResult<CheckInCode> {
    let session = repo::session(&state.db, session_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_admin(&state.db, caller, session.school_id).await?;
    let (code, valid_until) = rules::check_in_code(&session.code_secret, session.id, state.clock.now());
    Ok(CheckInCode {
        code,
        valid_until,
        opens_at: session.starts_at - rules::CHECK_IN_OPENS_BEFORE,
        closes_at: session.ends_at,
    })
}

pub(super) fn window_closed(window: Window) -> ApiError {
    let details = match window {
        Window::NotYet { opens_at } => serde_json::json!({ "opens_at": opens_at }),
        Window::Closed { closed_at } => serde_json::json!({ "closed_at": closed_at }),
        Window::Open => serde_json::json!({}),
    };
    ApiError::new(Code::PsCheckInClosed).with_details(details)
}

/// A guardian checks in with the code shown at the session, during its window, for a child the
/// course suits (registered or not: an eligible family that turns up is welcome). Once per
/// guardian and session; the attendance earns the course for each of the guardian's children it
/// suits at the school.
pub async fn check_in(state: &AppState, caller: &Caller, session_id: Uuid, req: CheckIn) -> ApiResult<Attendance> {
    let now = state.clock.now();
    let (session, course, child, children) = session_for_child(state, caller, session_id, req.student_id).await?;
    match rules::check_in_window(session.starts_at, session.ends_at, now) {
        Window::Open => {}
        closed => return Err(window_closed(closed)),
    }
    check_code(state, caller, &format!("session:{}", session.id), &session.code_secret, session.id, &req.code).await?;
    let attendee = Attendee { guardian: caller.account_id, student_id: child.id, children: &children };
    record(state, &session, &course, attendee, AttendanceMethod::Code, caller.account_id).await
}

/// Who attended: a guardian, the child named, and all their children (for shared credits).
struct Attendee<'a> {
    guardian: Uuid,
    student_id: Uuid,
    children: &'a [access::PlacedChild],
}

async fn record(
    state: &AppState,
    session: &session::Model,
    course: &super::super::model::course::Model,
    attendee: Attendee<'_>,
    method: AttendanceMethod,
    recorded_by: Uuid,
) -> ApiResult<Attendance> {
    let now = state.clock.now();
    let Attendee { guardian: guardian_account, student_id, children } = attendee;
    let row = attendance::Model {
        id: Uuid::now_v7(),
        session_id: session.id,
        guardian_account_id: guardian_account,
        student_id,
        method,
        recorded_by,
        created_at: now,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    if !repo::insert_attendance_if_absent(&txn, row.clone()).await? {
        return Err(ApiError::new(Code::PsAlreadyCheckedIn));
    }
    let earning = Earning {
        guardian: guardian_account,
        children,
        source: Source::Offline,
        evidence: format!("attendance:{}", row.id),
    };
    let credited = credit_family(&txn, course, session.school_id, earning, now).await?;
    txn.commit().await?;
    Ok(Attendance { id: row.id, session_id: session.id, student_id, method, credited, created_at: now })
}

/// The organiser marks a guardian present (from the window's opening until a week after the end).
pub async fn mark_attendance(
    state: &AppState,
    caller: &Caller,
    session_id: Uuid,
    req: MarkAttendance,
) -> ApiResult<Attendance> {
    let now = state.clock.now();
    let session = repo::session(&state.db, session_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_admin(&state.db, caller, session.school_id).await?;
    match rules::marking_window(session.starts_at, session.ends_at, now) {
        Window::Open => {}
        closed => return Err(window_closed(closed)),
    }
    let guardian = full_guardian(state, req.student_id, session.school_id, req.guardian_id).await?;
    let course = repo::course(&state.db, session.course_id).await?.ok_or_else(ApiError::not_found)?;
    let children = access::guardian_children_placed(&state.db, &Caller { account_id: guardian }).await?;
    let child = children.iter().find(|c| c.id == req.student_id).ok_or_else(ApiError::not_found)?;
    if !rules::suits(&grades_of(&course), child.grade) {
        return Err(ApiError::new(Code::PsNotEligible));
    }
    let attendee = Attendee { guardian, student_id: child.id, children: &children };
    record(state, &session, &course, attendee, AttendanceMethod::Marked, caller.account_id).await
}

/// A course's sessions: for a family's child (the sessions of the child's school), or for staff
/// of a school (its sessions).
pub async fn sessions_of_course(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    query: super::super::dto::CoursesQuery,
) -> ApiResult<SessionList> {
    let db = &state.db;
    let course = repo::course(db, course_id).await?.ok_or_else(ApiError::not_found)?;
    let school_id = match (query.student_id, query.school_id) {
        (Some(student_id), _) => family_child(db, caller, student_id).await?.0.school_id,
        (None, Some(school_id)) => {
            access::staff_member(db, caller, school_id).await?;
            school_id
        }
        (None, None) => {
            return Err(ApiError::validation("student_id", "请指明孩子或学校。", "Name a child or a school."));
        }
    };
    let school = school_of(db, school_id).await?;
    if !offered_at(&course, &school) {
        return Err(ApiError::not_found());
    }
    let mut out = Vec::new();
    for s in repo::sessions_of(db, course_id, school_id).await? {
        out.push(view(db, &s).await?);
    }
    Ok(SessionList { items: out })
}

/// The guardian an organiser marks present: the one named (a full guardian of the student), or the
/// student's first full guardian; the student must be of `school_id`.
pub(super) async fn full_guardian(
    state: &AppState,
    student_id: Uuid,
    school_id: Uuid,
    named: Option<Uuid>,
) -> ApiResult<Uuid> {
    let student = crate::org::repo::student(&state.db, student_id)
        .await?
        .filter(|s| s.school_id == school_id)
        .ok_or_else(ApiError::not_found)?;
    let full = access::full_guardian_accounts(&state.db, student.id).await?;
    match named {
        Some(g) if full.contains(&g) => Ok(g),
        Some(_) => Err(ApiError::not_found()),
        None => full.first().copied().ok_or_else(ApiError::not_found),
    }
}

/// Reminds the families holding a seat at a session the day before it (waiting families are not
/// reminded of what they have no seat at), once. Answers the accounts told (none: another run claimed
/// it).
pub(crate) async fn remind(
    txn: &impl sea_orm::ConnectionTrait,
    s: &session::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Option<Vec<Uuid>>> {
    if !repo::claim_session_reminder(txn, s.id, now).await? {
        return Ok(None);
    }
    let mut accounts = Vec::new();
    for student in repo::registered_students(txn, s.id).await? {
        accounts.extend(access::full_guardian_accounts(txn, student).await?);
    }
    accounts.sort_unstable();
    accounts.dedup();
    if accounts.is_empty() {
        return Ok(Some(accounts));
    }
    let school = school_of(txn, s.school_id).await?;
    let title = repo::course(txn, s.course_id).await?.map(|c| c.title).unwrap_or_default();
    let when = s.starts_at.with_timezone(&school.zone()).format("%Y-%m-%d %H:%M").to_string();
    let entry = items::Entry {
        kind: ItemKind::ParentSchool,
        ref_id: Uuid::new_v4(),
        title: format!("家长学校明日提醒：{title} / Tomorrow: {title}"),
        body: format!(
            "{when}，{}。签到码由现场老师出示。/ {when}, {}. The organiser shows the check-in code.",
            s.place, s.place
        ),
        sender_name: school.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    outbox::tell(txn, Some(school.id), None, &accounts, entry, now).await?;
    Ok(Some(accounts))
}
