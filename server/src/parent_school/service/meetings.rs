//! Parent meetings (家长会, `PS_COVERAGE`): a class teacher (班主任) schedules a meeting of their
//! class, an admin one of any class, a grade or the whole school; the families in scope are invited
//! through the inbox and the messaging outbox (quiet hours, digest) in the same transaction; a
//! guardian checks in with the organiser's rotating code during the window, or the organiser marks
//! them; attendance earns the meeting's credits, if any, for each of the guardian's children in scope.

use uuid::Uuid;

use super::super::dto::{
    CheckIn, CheckInCode, CreateMeeting, DESCRIPTION_MAX_CHARS, MAX_CREDITS, MarkAttendance, Meeting,
    MeetingAttendance, MeetingList, PLACE_MAX_CHARS, TITLE_MAX_CHARS,
};
use super::super::model::{AttendanceMethod, MeetingScope, Source, meeting, meeting_attendance};
use super::super::repo;
use super::super::rules::{self, Window};
use super::{
    Award, Earning, check_code, check_event_time, credit_children, family_child, optional, required, school_of,
};
use crate::access::{self, Caller, PlacedChild};
use crate::delivery::outbox::{self, Delivery, When};
use crate::error::{ApiError, ApiResult, Code};
use crate::guard;
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::org::audience::{FamilyTarget, Target, recipients};
use crate::org::model::{AccessLevel, FIRST_GRADE, LAST_GRADE};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

fn in_scope(m: &meeting::Model, child: &PlacedChild) -> bool {
    child.school_id == m.school_id
        && match m.scope {
            MeetingScope::School => true,
            MeetingScope::Grade => m.grade == Some(child.grade),
            MeetingScope::Class => m.class_id == Some(child.class_id),
        }
}

fn target(m: &meeting::Model) -> FamilyTarget {
    FamilyTarget {
        school_id: m.school_id,
        school_wide: m.scope == MeetingScope::School,
        grades: m.grade.into_iter().collect(),
        class_ids: m.class_id.into_iter().collect(),
        guardian_ids: vec![],
        guardian_classes: None,
    }
}

async fn view(db: &impl sea_orm::ConnectionTrait, m: &meeting::Model) -> ApiResult<Meeting> {
    Ok(Meeting {
        id: m.id,
        school_id: m.school_id,
        scope: m.scope,
        class_id: m.class_id,
        grade: m.grade,
        title: m.title.clone(),
        agenda: m.agenda.clone(),
        start: m.starts_at,
        end: m.ends_at,
        place: m.place.clone(),
        credits: m.credits,
        invited: items::count_recipients(db, ItemKind::ParentSchool, m.id).await? as i64,
        attended: repo::count_meeting_attendance(db, m.id).await?,
    })
}

/// Schedules a meeting and invites the families in scope at once.
pub async fn create_meeting(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: CreateMeeting,
) -> ApiResult<Meeting> {
    let now = state.clock.now();
    let title = required("title", &req.title, TITLE_MAX_CHARS)?;
    let agenda = optional("agenda", &req.agenda, DESCRIPTION_MAX_CHARS)?.unwrap_or_default();
    let place = required("place", &req.place, PLACE_MAX_CHARS)?;
    check_event_time(req.start, req.end, now)?;
    if !(0..=MAX_CREDITS).contains(&req.credits) {
        return Err(ApiError::validation("credits", "学分为 0–20。", "Credits are 0–20."));
    }
    let (class_id, grade) = match req.scope {
        MeetingScope::Class => {
            let class_id = req.class_id.ok_or_else(|| {
                ApiError::validation("class_id", "班级家长会须指明班级。", "A class meeting names its class.")
            })?;
            let class = crate::org::repo::classes_by_id(&state.db, vec![class_id]).await?;
            let class = class.get(&class_id).filter(|c| c.school_id == school_id).ok_or_else(ApiError::not_found)?;
            // The class teacher (班主任) of the class, or an admin of the school.
            if !access::administers(&state.db, caller, school_id).await? {
                let teacher = access::class_teacher(&state.db, caller, class_id).await?;
                if !teacher.is_class_teacher {
                    return Err(ApiError::forbidden());
                }
            }
            (Some(class_id), Some(class.grade))
        }
        MeetingScope::Grade => {
            let grade = req.grade.filter(|g| (FIRST_GRADE..=LAST_GRADE).contains(g)).ok_or_else(|| {
                ApiError::validation("grade", "年级家长会须指明年级（1–9）。", "A grade meeting names its grade (1–9).")
            })?;
            access::school_admin(&state.db, caller, school_id).await?;
            (None, Some(grade))
        }
        MeetingScope::School => {
            access::school_admin(&state.db, caller, school_id).await?;
            (None, None)
        }
    };
    let school = school_of(&state.db, school_id).await?;
    let fields = [Field { name: "title", text: &title }, Field { name: "agenda", text: &agenda }];
    let found = policy::check(&fields, Channel::Notice, Audience::Group);
    let sender = guard::Sender { district_id: Some(school.district_id), school_id: Some(school_id) };
    let confirmed = guard::confirmations(&req.confirm_review)?;
    let reviewed = guard::screen(&state.db, found, &confirmed, Channel::Notice, sender, now).await?;
    let row = meeting::Model {
        id: Uuid::now_v7(),
        school_id,
        scope: req.scope,
        class_id,
        grade: if req.scope == MeetingScope::Grade { grade } else { None },
        title: title.clone(),
        agenda: agenda.clone(),
        starts_at: req.start,
        ends_at: req.end,
        place: place.clone(),
        credits: req.credits,
        code_secret: format!("{:032x}", rand::random::<u128>()),
        created_by: caller.account_id,
        created_at: now,
        reminded_at: None,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::insert_meeting(&txn, row.clone()).await?;
    let when = req.start.with_timezone(&school.zone()).format("%Y-%m-%d %H:%M").to_string();
    let entry = items::Entry {
        kind: ItemKind::ParentSchool,
        ref_id: row.id,
        title: format!("家长会：{title} / Parent meeting"),
        body: format!("{when}，{place}。{agenda}"),
        sender_name: school.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    items::publish(&txn, entry, now).await?;
    items::fan_out(&txn, ItemKind::ParentSchool, row.id, recipients(&Target::Families(target(&row))), now).await?;
    outbox::enqueue(&txn, Delivery::of(ItemKind::ParentSchool, row.id, Some(school_id), When::At(now)), now).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Notice, sender, now).await?;
    let invited = items::recipients_of(&txn, ItemKind::ParentSchool, row.id).await?;
    txn.commit().await?;
    state.bus.publish(Wake::items(Some(invited))).await;
    view(&state.db, &row).await
}

/// The school's meetings with invitations and attendance counts (its staff).
pub async fn meetings_of(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<MeetingList> {
    access::staff_member(&state.db, caller, school_id).await?;
    let mut items = Vec::new();
    for m in repo::meetings_of(&state.db, school_id).await? {
        items.push(view(&state.db, &m).await?);
    }
    Ok(MeetingList { items })
}

/// The meeting, when the caller organises it: its creator while still staff of the school, or an
/// admin of the school.
async fn organised(state: &AppState, caller: &Caller, meeting_id: Uuid) -> ApiResult<meeting::Model> {
    let m = repo::meeting(&state.db, meeting_id).await?.ok_or_else(ApiError::not_found)?;
    let staff = access::staff_member(&state.db, caller, m.school_id).await?;
    if m.created_by != caller.account_id && !staff.staff.is_school_admin {
        return Err(ApiError::forbidden());
    }
    Ok(m)
}

/// The code the organiser shows.
pub async fn check_in_code(state: &AppState, caller: &Caller, meeting_id: Uuid) -> ApiResult<CheckInCode> {
    let m = organised(state, caller, meeting_id).await?;
    let (code, valid_until) = rules::check_in_code(&m.code_secret, m.id, state.clock.now());
    Ok(CheckInCode { code, valid_until, opens_at: m.starts_at - rules::CHECK_IN_OPENS_BEFORE, closes_at: m.ends_at })
}

/// A full guardian of a child in scope checks in with the code during the window.
pub async fn check_in(
    state: &AppState,
    caller: &Caller,
    meeting_id: Uuid,
    req: CheckIn,
) -> ApiResult<MeetingAttendance> {
    let now = state.clock.now();
    let (child, children) = family_child(&state.db, caller, req.student_id).await?;
    let m =
        repo::meeting(&state.db, meeting_id).await?.filter(|m| in_scope(m, &child)).ok_or_else(ApiError::not_found)?;
    match rules::check_in_window(m.starts_at, m.ends_at, now) {
        Window::Open => {}
        closed => return Err(super::sessions::window_closed(closed)),
    }
    check_code(state, caller, &format!("meeting:{}", m.id), &m.code_secret, m.id, &req.code).await?;
    record(state, &m, caller.account_id, child.id, &children, AttendanceMethod::Code, caller.account_id).await
}

async fn record(
    state: &AppState,
    m: &meeting::Model,
    guardian: Uuid,
    student_id: Uuid,
    children: &[PlacedChild],
    method: AttendanceMethod,
    recorded_by: Uuid,
) -> ApiResult<MeetingAttendance> {
    let now = state.clock.now();
    let row = meeting_attendance::Model {
        id: Uuid::now_v7(),
        meeting_id: m.id,
        guardian_account_id: guardian,
        student_id,
        method,
        recorded_by,
        created_at: now,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    if !repo::insert_meeting_attendance_if_absent(&txn, row.clone()).await? {
        return Err(ApiError::new(Code::PsAlreadyCheckedIn));
    }
    let credited = if m.credits > 0 {
        let in_scope: Vec<&PlacedChild> =
            children.iter().filter(|c| c.access_level == AccessLevel::Full && in_scope(m, c)).collect();
        let award = Award { course_id: None, credits: m.credits, key: format!("meeting:{}", m.id) };
        let earning =
            Earning { guardian, children, source: Source::Meeting, evidence: format!("meeting_attendance:{}", row.id) };
        credit_children(&txn, m.school_id, &in_scope, award, earning, now).await?
    } else {
        Vec::new()
    };
    txn.commit().await?;
    Ok(MeetingAttendance { id: row.id, meeting_id: m.id, student_id, method, credited, created_at: now })
}

/// The organiser marks a guardian of a child in scope present (until a week after the meeting).
pub async fn mark_attendance(
    state: &AppState,
    caller: &Caller,
    meeting_id: Uuid,
    req: MarkAttendance,
) -> ApiResult<MeetingAttendance> {
    let now = state.clock.now();
    let m = organised(state, caller, meeting_id).await?;
    match rules::marking_window(m.starts_at, m.ends_at, now) {
        Window::Open => {}
        closed => return Err(super::sessions::window_closed(closed)),
    }
    let guardian = super::sessions::full_guardian(state, req.student_id, m.school_id, req.guardian_id).await?;
    let children = access::guardian_children_placed(&state.db, &Caller { account_id: guardian }).await?;
    let child = children.iter().find(|c| c.id == req.student_id && in_scope(&m, c)).ok_or_else(ApiError::not_found)?;
    record(state, &m, guardian, child.id, &children, AttendanceMethod::Marked, caller.account_id).await
}

/// Reminds the families invited to a meeting the day before it, through the inbox and the outbox
/// as the invitation went, once. Answers the accounts told (none: another run claimed it).
pub(crate) async fn remind(
    txn: &impl sea_orm::ConnectionTrait,
    m: &meeting::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Option<Vec<Uuid>>> {
    if !repo::claim_meeting_reminder(txn, m.id, now).await? {
        return Ok(None);
    }
    let school = school_of(txn, m.school_id).await?;
    let when = m.starts_at.with_timezone(&school.zone()).format("%Y-%m-%d %H:%M").to_string();
    let id = Uuid::new_v4();
    let entry = items::Entry {
        kind: ItemKind::ParentSchool,
        ref_id: id,
        title: format!("家长会明日提醒：{} / Parent meeting tomorrow", m.title),
        body: format!("{when}，{}。", m.place),
        sender_name: school.name.clone(),
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    items::publish(txn, entry, now).await?;
    items::fan_out(txn, ItemKind::ParentSchool, id, recipients(&Target::Families(target(m))), now).await?;
    outbox::enqueue(txn, Delivery::of(ItemKind::ParentSchool, id, Some(m.school_id), When::At(now)), now).await?;
    Ok(Some(items::recipients_of(txn, ItemKind::ParentSchool, id).await?))
}
