//! HTTP endpoints of the parent school (家长学校).

use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::dto::{
    Attendance, Certificate, CertificateCheck, CertificateReason, CheckIn, CheckInCode, ChildLedger, CompleteCourse,
    Completion, ConfirmPractice, Course, CourseList, CourseRated, CourseReflections, CoursesQuery, CreateCourse,
    CreateMeeting, CreateSession, Entry, FiguresQuery, GraduationRule, GraduationRules, IssueCertificate, ManualEntry,
    MarkAttendance, Meeting, MeetingAttendance, MeetingList, ParentSchoolFigures, Progress, RateCourse, Register,
    Registration, ReverseEntry, Session, SessionList, SetGraduationRule, StartCourse,
};
use super::service::{self, figures, graduation, meetings, sessions};
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::org::model::Stage;
use crate::state::AppState;

/// A course for the catalogue (`PS_CONTENT`): a bureau officer's is a district course every school
/// may use; a school admin's (with `school_id`) the school's own. Texts pass the content guard.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    request_body = CreateCourse,
    responses(
        (status = 201, body = Course),
        (status = 403, description = "`forbidden`: neither a bureau officer nor the school's admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school", body = ErrorBody),
        (status = 422, description = "`validation_failed` (an online course needs `content_url`; only online courses have `min_minutes` and `quiz`); a content rule or `content_needs_review`", body = ErrorBody),
    )
)]
#[post("/parent-school/courses")]
pub async fn create_course(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateCourse>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create_course(&state, &caller, body.into_inner()).await?))
}

/// The course's owner changes it (the bureau a district course, the school's admin a school
/// course); its format stays, credits already earned stay as entered. The body is a whole course.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = CreateCourse,
    responses(
        (status = 200, body = Course),
        (status = 403, description = "`forbidden`: not the course's owner (a teacher, another kind of role)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such course, or another district's or school's", body = ErrorBody),
        (status = 409, description = "`ps_wrong_format`: the format cannot change", body = ErrorBody),
        (status = 422, description = "`validation_failed`; a content rule or `content_needs_review`", body = ErrorBody),
    )
)]
#[put("/parent-school/courses/{course_id}")]
pub async fn edit_course(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CreateCourse>,
) -> ApiResult<web::Json<Course>> {
    Ok(web::Json(service::edit_course(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The catalogue. `student_id`: what suits a family's child (with `earned`); `school_id`: a
/// school's staff see its courses and the district's; neither: a bureau officer's district courses.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(CoursesQuery),
    responses(
        (status = 200, body = CourseList),
        (status = 403, description = "`forbidden`: an informational guardian; no officer role", body = ErrorBody),
        (status = 404, description = "`not_found`: not your child or school", body = ErrorBody),
    )
)]
#[get("/parent-school/courses")]
pub async fn courses(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CoursesQuery>,
) -> ApiResult<web::Json<CourseList>> {
    Ok(web::Json(service::list_courses(&state, &caller, query.into_inner()).await?))
}

/// A course's sessions at a child's school (`student_id`) or at a school (`school_id`, its staff).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path), CoursesQuery),
    responses(
        (status = 200, body = SessionList),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: neither `student_id` nor `school_id`", body = ErrorBody),
    )
)]
#[get("/parent-school/courses/{course_id}/sessions")]
pub async fn course_sessions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<CoursesQuery>,
) -> ApiResult<web::Json<SessionList>> {
    Ok(web::Json(sessions::sessions_of_course(&state, &caller, path.into_inner(), query.into_inner()).await?))
}

/// An admin of the running school schedules a session of an offline course.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = CreateSession,
    responses(
        (status = 201, body = Session),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the course, or not in the school's catalogue", body = ErrorBody),
        (status = 409, description = "`ps_wrong_format`: not an offline course", body = ErrorBody),
        (status = 422, description = "`validation_failed`: the start not ahead, the end not after it (12 hours at most)", body = ErrorBody),
    )
)]
#[post("/parent-school/courses/{course_id}/sessions")]
pub async fn create_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CreateSession>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(sessions::create_session(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A guardian opens an online course for a child: the time floor runs from the first opening.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = StartCourse,
    responses(
        (status = 200, body = Progress),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_wrong_format`: not an online course", body = ErrorBody),
        (status = 422, description = "`ps_not_eligible`: not for the child's grade", body = ErrorBody),
    )
)]
#[post("/parent-school/courses/{course_id}/start")]
pub async fn start_course(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<StartCourse>,
) -> ApiResult<web::Json<Progress>> {
    Ok(web::Json(service::start_course(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The guardian completes an online course: the time floor (measured by the server) and every
/// quiz answer right; the course's credits go to each of the guardian's children it suits.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = CompleteCourse,
    responses(
        (status = 200, body = Completion),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_not_started`; `ps_wrong_format`", body = ErrorBody),
        (status = 422, description = "`ps_incomplete` (`details.remaining_secs`, `details.expected`, `details.wrong_questions`); `ps_not_eligible`", body = ErrorBody),
    )
)]
#[post("/parent-school/courses/{course_id}/completion")]
pub async fn complete_course(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CompleteCourse>,
) -> ApiResult<web::Json<Completion>> {
    Ok(web::Json(service::complete_course(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family confirms a practice activity (亲子实践) done together: one tap.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = ConfirmPractice,
    responses(
        (status = 200, body = Completion),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_wrong_format`: not a practice activity", body = ErrorBody),
        (status = 422, description = "`ps_not_eligible`; `validation_failed`", body = ErrorBody),
    )
)]
#[post("/parent-school/courses/{course_id}/practice")]
pub async fn confirm_practice(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ConfirmPractice>,
) -> ApiResult<web::Json<Completion>> {
    Ok(web::Json(service::confirm_practice(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A full-access guardian registers for a session for one child: a seat, or the waiting list.
/// Registering again answers where the family stands.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("session_id" = Uuid, Path)),
    request_body = Register,
    responses(
        (status = 201, body = Registration),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not a session of the child's school", body = ErrorBody),
        (status = 409, description = "`ps_session_over`", body = ErrorBody),
        (status = 422, description = "`ps_not_eligible`: not for the child's grade", body = ErrorBody),
    )
)]
#[post("/parent-school/sessions/{session_id}/registrations")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Register>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(sessions::register(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family withdraws its registration; a seat it held goes to the first on the waiting list.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("session_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = Registration),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: no registration", body = ErrorBody),
        (status = 422, description = "`ps_not_eligible`", body = ErrorBody),
    )
)]
#[delete("/parent-school/sessions/{session_id}/registrations/{student_id}")]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<Registration>> {
    let (session_id, student_id) = path.into_inner();
    Ok(web::Json(sessions::cancel_registration(&state, &caller, session_id, student_id).await?))
}

/// The code the organiser shows (it changes every minute) and the window it is good for.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("session_id" = Uuid, Path)),
    responses(
        (status = 200, body = CheckInCode),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/parent-school/sessions/{session_id}/check-in-code")]
pub async fn check_in_code(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<CheckInCode>> {
    Ok(web::Json(sessions::check_in_code(&state, &caller, path.into_inner()).await?))
}

/// A guardian checks in with the code shown at the session (from 30 minutes before the start
/// until the end), once; the attendance earns the course for each of their children it suits.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("session_id" = Uuid, Path)),
    request_body = CheckIn,
    responses(
        (status = 201, body = Attendance),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not a session of the child's school", body = ErrorBody),
        (status = 409, description = "`ps_check_in_closed` (`details.opens_at` / `details.closed_at`); `ps_already_checked_in`", body = ErrorBody),
        (status = 422, description = "`ps_wrong_code`; `ps_not_eligible`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: five wrong codes in ten minutes (`details.retry_after_secs`)", body = ErrorBody),
    )
)]
#[post("/parent-school/sessions/{session_id}/check-in")]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CheckIn>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(sessions::check_in(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The organiser marks a guardian present (from the check-in window until a week after the end).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("session_id" = Uuid, Path)),
    request_body = MarkAttendance,
    responses(
        (status = 201, body = Attendance),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the session, or a student or guardian not of it", body = ErrorBody),
        (status = 409, description = "`ps_check_in_closed`; `ps_already_checked_in`", body = ErrorBody),
        (status = 422, description = "`ps_not_eligible`", body = ErrorBody),
    )
)]
#[post("/parent-school/sessions/{session_id}/attendance")]
pub async fn mark_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<MarkAttendance>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(sessions::mark_attendance(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family's parent-school ledger for a child (a full-access guardian; an admin of the school).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ChildLedger),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not your child", body = ErrorBody),
    )
)]
#[get("/children/{student_id}/parent-school")]
pub async fn child_parent_school(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ChildLedger>> {
    Ok(web::Json(service::child_ledger(&state, &caller, path.into_inner()).await?))
}

/// The school awards (positive) or corrects (negative) credits by hand, with a written reason.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = ManualEntry,
    responses(
        (status = 201, body = Entry),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school, the student or the course", body = ErrorBody),
        (status = 409, description = "`ps_already_earned`: an award naming a course the child has already earned", body = ErrorBody),
        (status = 422, description = "`validation_failed`: no reason, or 0 credits", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/credits")]
pub async fn manual_credit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ManualEntry>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(service::manual_entry(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school reverses one entry with a reason: a new entry; the old one stays.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("entry_id" = Uuid, Path)),
    request_body = ReverseEntry,
    responses(
        (status = 201, body = Entry),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_already_reversed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: no reason; a reversal cannot be reversed", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/credits/{entry_id}/reverse")]
pub async fn reverse_credit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<ReverseEntry>,
) -> ApiResult<HttpResponse> {
    let (school_id, entry_id) = path.into_inner();
    Ok(HttpResponse::Created()
        .json(service::reverse_entry(&state, &caller, school_id, entry_id, body.into_inner()).await?))
}

/// An admin sets the graduation rule of a stage (毕业制): credits over the child's years at the
/// school and required courses; each change is a new version (certificates keep theirs).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("stage" = Stage, Path)),
    request_body = SetGraduationRule,
    responses(
        (status = 200, body = GraduationRule),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a required course not in the school's catalogue", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/parent-school/graduation-rules/{stage}")]
pub async fn set_graduation_rule(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Stage)>,
    body: web::Json<SetGraduationRule>,
) -> ApiResult<web::Json<GraduationRule>> {
    let (school_id, stage) = path.into_inner();
    Ok(web::Json(graduation::set_rule(&state, &caller, school_id, stage, body.into_inner()).await?))
}

/// Every version of the school's graduation rules, newest first per stage (its staff).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = GraduationRules),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/parent-school/graduation-rules")]
pub async fn graduation_rules(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<GraduationRules>> {
    Ok(web::Json(graduation::rules_of(&state, &caller, path.into_inner()).await?))
}

/// The school issues a family's certificate for the child's stage: under the current rule when
/// it is met, else by decision with a written `reason`.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = IssueCertificate,
    responses(
        (status = 201, body = Certificate),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school or a student of it", body = ErrorBody),
        (status = 409, description = "`ps_certificate_exists` (`details.code`)", body = ErrorBody),
        (status = 422, description = "`ps_not_graduated` (what is missing) without a `reason`", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/certificates")]
pub async fn issue_certificate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<IssueCertificate>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(graduation::issue(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school revokes a certificate with its reason (the row stays; a check says `revoked`).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("certificate_id" = Uuid, Path)),
    request_body = CertificateReason,
    responses(
        (status = 200, body = Certificate),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_certificate_revoked`", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/certificates/{certificate_id}/revoke")]
pub async fn revoke_certificate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<CertificateReason>,
) -> ApiResult<web::Json<Certificate>> {
    let (school_id, certificate_id) = path.into_inner();
    Ok(web::Json(graduation::revoke(&state, &caller, school_id, certificate_id, body.into_inner()).await?))
}

/// The school re-issues a standing certificate: a new version with a new code; the old one
/// answers `superseded`.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("certificate_id" = Uuid, Path)),
    request_body = CertificateReason,
    responses(
        (status = 201, body = Certificate),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_certificate_revoked`: revoked or already re-issued", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/certificates/{certificate_id}/reissue")]
pub async fn reissue_certificate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<CertificateReason>,
) -> ApiResult<HttpResponse> {
    let (school_id, certificate_id) = path.into_inner();
    Ok(HttpResponse::Created()
        .json(graduation::reissue(&state, &caller, school_id, certificate_id, body.into_inner()).await?))
}

/// Public, no sign-in: checks a certificate by its code with the least data (school, stage, year,
/// the guardians' masked names, whether it stands). Never the child.
#[utoipa::path(
    tag = "parent_school",
    params(("code" = String, Path, description = "The 12-character code printed on the certificate")),
    responses(
        (status = 200, body = CertificateCheck),
        (status = 404, description = "`not_found`: no such certificate", body = ErrorBody),
    )
)]
#[get("/certificates/{code}")]
pub async fn verify_certificate(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> ApiResult<web::Json<CertificateCheck>> {
    Ok(web::Json(graduation::verify(&state, &path.into_inner()).await?))
}

/// Public: the certificate as a page that prints on A4 (the same minimal data as the check).
#[utoipa::path(
    tag = "parent_school",
    params(("code" = String, Path, description = "The 12-character code printed on the certificate")),
    responses(
        (status = 200, content_type = "text/html", body = String),
        (status = 404, description = "`not_found`: no such certificate", body = ErrorBody),
    )
)]
#[get("/certificates/{code}/print")]
pub async fn print_certificate(state: web::Data<AppState>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let check = graduation::verify(&state, &path.into_inner()).await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(super::print::page(&check)))
}

/// Schedules a parent meeting (家长会) and invites the families in scope at once: a class's by its
/// class teacher (班主任) or an admin; a grade's or the school's by an admin.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = CreateMeeting,
    responses(
        (status = 201, body = Meeting),
        (status = 403, description = "`forbidden`: not the class teacher nor an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school or the class", body = ErrorBody),
        (status = 422, description = "`validation_failed` (the class or grade the scope needs; the start ahead, the end after it); a content rule or `content_needs_review`", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/parent-school/meetings")]
pub async fn create_meeting(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CreateMeeting>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(meetings::create_meeting(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school's parent meetings, with how many guardians were invited and came (its staff).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = MeetingList),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/parent-school/meetings")]
pub async fn school_meetings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MeetingList>> {
    Ok(web::Json(meetings::meetings_of(&state, &caller, path.into_inner()).await?))
}

/// The code the meeting's organiser shows (its creator, or an admin).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("meeting_id" = Uuid, Path)),
    responses(
        (status = 200, body = CheckInCode),
        (status = 403, description = "`forbidden`: staff who do not organise it", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/parent-school/meetings/{meeting_id}/check-in-code")]
pub async fn meeting_check_in_code(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<CheckInCode>> {
    Ok(web::Json(meetings::check_in_code(&state, &caller, path.into_inner()).await?))
}

/// A guardian of a child in scope checks in with the code during the window (30 minutes before to
/// the end), once; attendance earns the meeting's credits, if any.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("meeting_id" = Uuid, Path)),
    request_body = CheckIn,
    responses(
        (status = 201, body = MeetingAttendance),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not a meeting of the child's class, grade or school", body = ErrorBody),
        (status = 409, description = "`ps_check_in_closed`; `ps_already_checked_in`", body = ErrorBody),
        (status = 422, description = "`ps_wrong_code`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: five wrong codes in ten minutes (`details.retry_after_secs`)", body = ErrorBody),
    )
)]
#[post("/parent-school/meetings/{meeting_id}/check-in")]
pub async fn meeting_check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CheckIn>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(meetings::check_in(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The organiser marks a guardian present (until a week after the meeting).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("meeting_id" = Uuid, Path)),
    request_body = MarkAttendance,
    responses(
        (status = 201, body = MeetingAttendance),
        (status = 403, description = "`forbidden`: staff who do not organise it", body = ErrorBody),
        (status = 404, description = "`not_found`: the meeting, or a student or guardian not in its scope", body = ErrorBody),
        (status = 409, description = "`ps_check_in_closed`; `ps_already_checked_in`", body = ErrorBody),
    )
)]
#[post("/parent-school/meetings/{meeting_id}/attendance")]
pub async fn mark_meeting_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<MarkAttendance>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(meetings::mark_attendance(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A guardian rates a course the family completed for the child (1–5; rating again changes it).
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("course_id" = Uuid, Path)),
    request_body = RateCourse,
    responses(
        (status = 200, body = CourseRated),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`ps_not_completed`", body = ErrorBody),
    )
)]
#[post("/parent-school/courses/{course_id}/rating")]
pub async fn rate_course(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<RateCourse>,
) -> ApiResult<web::Json<CourseRated>> {
    Ok(web::Json(figures::rate_course(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school's parent-school figures for a period (the current term by default; its admins):
/// participation per class and grade, credits distribution, graduation per stage, attendance per
/// session and meeting, meetings held per class, course ratings, the per-term duty. Aggregates only.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), FiguresQuery),
    responses(
        (status = 200, body = ParentSchoolFigures),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `from` without `to`, `to` before `from`, over 400 days", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/parent-school/figures")]
pub async fn parent_school_figures(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<FiguresQuery>,
) -> ApiResult<web::Json<ParentSchoolFigures>> {
    Ok(web::Json(figures::school_figures(&state, &caller, path.into_inner(), query.into_inner()).await?))
}

/// What the school's families wrote on one of its practice courses (its admins): each text with
/// the child's grade, never who wrote it.
#[utoipa::path(
    tag = "parent_school",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("course_id" = Uuid, Path)),
    responses(
        (status = 200, body = CourseReflections),
        (status = 403, description = "`forbidden`: staff who are not an admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school, or a course it does not offer", body = ErrorBody),
        (status = 409, description = "`ps_wrong_format`: not a practice course", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/parent-school/courses/{course_id}/reflections")]
pub async fn course_reflections(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<CourseReflections>> {
    let (school_id, course_id) = path.into_inner();
    Ok(web::Json(service::course_reflections(&state, &caller, school_id, course_id).await?))
}
