//! HTTP endpoints of mentoring (全员导师制).

use actix_web::{HttpResponse, get, post, put, web};
use uuid::Uuid;

use super::dto::{
    AcceptVisit, AcknowledgeFeedback, AnswerChoice, ChildMentor, ChooseMentors, ConcernList, ConfirmVisit,
    CounterVisit, Coverage, Feedback, Ledger, MentorChoices, MentorHistory, MentorProfile, MentorRequest,
    MentorRequests, MentoringFigures, MentoringSettings, MentoringSettingsInput, Proposal, ProposalRequest,
    ProposeVisit, PublishAssignments, RaiseConcern, RecordTalk, SafeguardingStaff, StudentRecord, Talk, TaskView,
    Visit, VisitChange, VisitDone, VisitList, WaiveTask, WriteFeedback,
};
use super::model::Task;
use super::service;
use super::service::{choices, records, visits};
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// The school's mentoring setting (its staff).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = MentoringSettings),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/settings")]
pub async fn mentoring_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MentoringSettings>> {
    Ok(web::Json(service::settings(&state, &caller, path.into_inner()).await?))
}

/// A school admin sets mentoring up (一校一策): the grades taking part, the period, the cap of
/// mentees per mentor, the matching mode, and the home-visit buffer and daily limit.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = MentoringSettingsInput,
    responses(
        (status = 200, body = MentoringSettings),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/mentoring/settings")]
pub async fn set_mentoring_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<MentoringSettingsInput>,
) -> ApiResult<web::Json<MentoringSettings>> {
    Ok(web::Json(service::set_settings(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The system's matching proposal (nothing is saved): every student of the covered grades a
/// mentor under the cap, loads balanced, teachers of the student's class first, this period's
/// mentor and the admin's pins kept. The admin adjusts it and publishes.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = ProposalRequest,
    responses(
        (status = 200, body = Proposal),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a pin names a student outside the covered grades or a mentor who is not a teacher of the school (`details.student_id`, `details.mentor_id`)", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/mentoring/proposal")]
pub async fn propose(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ProposalRequest>,
) -> ApiResult<web::Json<Proposal>> {
    Ok(web::Json(service::propose(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// Publishes assignments: each student listed gets the mentor named (a change is kept in the
/// history, and the new mentor inherits the open tasks); the rest keep theirs. Refused unless
/// every covered student then has a mentor and no mentor is over the cap (`MT_COVERAGE`).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = PublishAssignments,
    responses(
        (status = 200, body = Coverage),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`mt_coverage` (`details.students_without_mentor`); `mentor_cap` (`details.mentor_id`, `mentees`, `cap`); `validation_failed`", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/mentoring/assignments")]
pub async fn publish_assignments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<PublishAssignments>,
) -> ApiResult<web::Json<Coverage>> {
    Ok(web::Json(service::publish(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// `MT_COVERAGE`: students of the covered grades without a mentor, teachers without mentees, and
/// each mentor's load (the school's admins).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = Coverage),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/coverage")]
pub async fn coverage(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<Coverage>> {
    Ok(web::Json(service::coverage(&state, &caller, path.into_inner()).await?))
}

/// Every mentor a student has had, the latest first (the school's admins).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = MentorHistory),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/students/{student_id}/history")]
pub async fn mentor_history(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<MentorHistory>> {
    let (school_id, student_id) = path.into_inner();
    Ok(web::Json(service::history(&state, &caller, school_id, student_id).await?))
}

/// A school admin waives one of a student's three tasks this period, with a reason.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("student_id" = Uuid, Path), ("task" = Task, Path)),
    request_body = WaiveTask,
    responses(
        (status = 200, body = TaskView),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: no such student or task this period", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: no reason", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/mentoring/students/{student_id}/tasks/{task}/waive")]
pub async fn waive_task(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Task)>,
    body: web::Json<WaiveTask>,
) -> ApiResult<web::Json<TaskView>> {
    let (school_id, student_id, task) = path.into_inner();
    Ok(web::Json(service::waive(&state, &caller, school_id, student_id, task, body.into_inner()).await?))
}

/// The calling mentor's students and what each still owes this period, the most urgent first
/// (`MT_THREE_TASKS`).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    responses((status = 200, body = Ledger))
)]
#[get("/mentoring/ledger")]
pub async fn ledger(state: web::Data<AppState>, caller: Caller) -> ApiResult<web::Json<Ledger>> {
    Ok(web::Json(service::ledger(&state, &caller).await?))
}

/// The child's mentor and the three tasks this period (the child's guardians).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ChildMentor),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/children/{student_id}/mentor")]
pub async fn child_mentor(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ChildMentor>> {
    Ok(web::Json(service::child_mentor(&state, &caller, path.into_inner()).await?))
}

/// The mentor proposes a home visit: the mode (home, school, video, phone), one to five windows
/// clear of the teachers' booked visits, and optionally a second teacher. The family is told.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    request_body = ProposeVisit,
    responses(
        (status = 201, body = Visit),
        (status = 403, description = "`forbidden`: staff of the school who are not the student's mentor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_conflict` (`details.teacher`, `details.conflict`); `visit_open` (`details.visit_id`); `mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: windows (1–5, in order, ≤ 4 h, ahead, apart) or the co-visitor", body = ErrorBody),
    )
)]
#[post("/mentoring/visits")]
pub async fn propose_visit(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ProposeVisit>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(visits::propose(&state, &caller, body.into_inner()).await?))
}

/// The caller's home visits: as mentor or co-visitor, and about their children (full guardians).
#[utoipa::path(tag = "mentoring", security(("bearer" = [])), responses((status = 200, body = VisitList)))]
#[get("/mentoring/visits")]
pub async fn visits_list(state: web::Data<AppState>, caller: Caller) -> ApiResult<web::Json<VisitList>> {
    Ok(web::Json(visits::list(&state, &caller).await?))
}

/// One home visit with its whole history (its teachers and the child's full guardians).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    responses((status = 200, body = Visit), (status = 404, description = "`not_found`", body = ErrorBody))
)]
#[get("/mentoring/visits/{visit_id}")]
pub async fn visit(state: web::Data<AppState>, caller: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::get(&state, &caller, path.into_inner()).await?))
}

/// The side the windows wait for accepts one by its start (the family gives the address of a
/// home visit). Two guardians accepting at once produce one booking.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = AcceptVisit,
    responses(
        (status = 200, body = Visit),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_conflict`; `visit_not_your_turn`; `visit_closed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not a window offered, or a home visit without an address", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/accept")]
pub async fn accept_visit(
    state: web::Data<AppState>,
    bookings: web::Data<visits::Bookings>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<AcceptVisit>,
) -> ApiResult<web::Json<Visit>> {
    let (state, bookings) = (state.into_inner(), bookings.into_inner());
    Ok(web::Json(visits::accept(state, bookings, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family proposes other windows; the mentor answers them.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = CounterVisit,
    responses(
        (status = 200, body = Visit),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_not_your_turn`; `visit_closed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: windows", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/counter")]
pub async fn counter_visit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CounterVisit>,
) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::counter(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family declines the visit with a reason (the mentor may offer another mode).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = VisitChange,
    responses(
        (status = 200, body = Visit),
        (status = 403, description = "`forbidden`: the visit's teachers (they cancel instead)", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_closed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: no reason, or no message within 2 hours of the start", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/decline")]
pub async fn decline_visit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<VisitChange>,
) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::decline(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The mentor or the family cancels with a reason (and a message within 2 hours of the start).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = VisitChange,
    responses(
        (status = 200, body = Visit),
        (status = 403, description = "`forbidden`: the co-visitor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_closed`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: no reason, or no message within 2 hours of the start", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/cancel")]
pub async fn cancel_visit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<VisitChange>,
) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::cancel(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The mentor records the visit done once it has begun (mode as held, duration); the family is
/// asked to confirm.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = VisitDone,
    responses(
        (status = 200, body = Visit),
        (status = 403, description = "`forbidden`: not the mentor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_closed`: not booked, or not begun", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/done")]
pub async fn visit_done(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<VisitDone>,
) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::done(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The family confirms the visit happened (the proof the bureau counts), or says it did not with a
/// reason (flagged to the school's admins).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("visit_id" = Uuid, Path)),
    request_body = ConfirmVisit,
    responses(
        (status = 200, body = Visit),
        (status = 403, description = "`forbidden`: the visit's teachers", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`visit_closed`: not recorded done", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a dispute without a reason", body = ErrorBody),
    )
)]
#[post("/mentoring/visits/{visit_id}/confirm")]
pub async fn confirm_visit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ConfirmVisit>,
) -> ApiResult<web::Json<Visit>> {
    Ok(web::Json(visits::confirm(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The mentor records a talk (交心谈话): date, topic, a summary for the family (content guard) and a
/// confidential note for the mentor and the safeguarding staff; `concern` raises it with them at once.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = RecordTalk,
    responses(
        (status = 201, body = Talk),
        (status = 403, description = "`forbidden`: staff who are not the student's mentor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`validation_failed`; a content rule (`exam_no_ranking`, `hw_parent_burden`…) or `content_needs_review` on the summary", body = ErrorBody),
    )
)]
#[post("/mentoring/students/{student_id}/talks")]
pub async fn record_talk(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<RecordTalk>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(records::record_talk(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The mentor writes the family a written feedback (成长寄语), through the content guard.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = WriteFeedback,
    responses(
        (status = 201, body = Feedback),
        (status = 403, description = "`forbidden`: staff who are not the student's mentor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
        (status = 422, description = "`validation_failed`; a content rule or `content_needs_review`", body = ErrorBody),
    )
)]
#[post("/mentoring/students/{student_id}/feedback")]
pub async fn write_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<WriteFeedback>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(records::write_feedback(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A student's mentoring record: the mentor and the safeguarding staff read confidential notes,
/// the child's guardians the summaries and feedback; other staff are refused.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = StudentRecord),
        (status = 403, description = "`forbidden`: staff who are neither the mentor nor safeguarding staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/mentoring/students/{student_id}/record")]
pub async fn student_record(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<StudentRecord>> {
    Ok(web::Json(records::record(&state, &caller, path.into_inner()).await?))
}

/// The mentor raises a concern with the school's safeguarding staff (at once; never the bureau).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = RaiseConcern,
    responses(
        (status = 204, description = "Raised"),
        (status = 403, description = "`forbidden`: staff who are not the student's mentor", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/mentoring/students/{student_id}/concerns")]
pub async fn raise_concern(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<RaiseConcern>,
) -> ApiResult<HttpResponse> {
    records::raise_concern(&state, &caller, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A full guardian acknowledges a written feedback, optionally answering the mentor.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path), ("feedback_id" = Uuid, Path)),
    request_body = AcknowledgeFeedback,
    responses(
        (status = 200, body = Feedback),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/children/{student_id}/mentor/feedback/{feedback_id}/acknowledge")]
pub async fn acknowledge_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AcknowledgeFeedback>,
) -> ApiResult<web::Json<Feedback>> {
    let (student_id, feedback_id) = path.into_inner();
    Ok(web::Json(records::acknowledge(&state, &caller, student_id, feedback_id, body.into_inner()).await?))
}

/// The school's concerns, the latest first (its safeguarding staff only).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = ConcernList),
        (status = 403, description = "`forbidden`: staff who are not safeguarding staff", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/concerns")]
pub async fn concerns(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ConcernList>> {
    Ok(web::Json(records::concerns(&state, &caller, path.into_inner()).await?))
}

/// The school's safeguarding staff (its admins).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = SafeguardingStaff),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/safeguarding")]
pub async fn safeguarding(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SafeguardingStaff>> {
    Ok(web::Json(records::safeguarding(&state, &caller, path.into_inner()).await?))
}

/// A school admin names the safeguarding staff: they read confidential notes and receive concerns
/// (the school's admins receive concerns while none are named).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = SafeguardingStaff,
    responses(
        (status = 200, body = SafeguardingStaff),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: someone who is not staff of the school", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/mentoring/safeguarding")]
pub async fn set_safeguarding(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<SafeguardingStaff>,
) -> ApiResult<web::Json<SafeguardingStaff>> {
    Ok(web::Json(records::set_safeguarding(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school's mentoring figures this period (its admins): completion of the three tasks per
/// mentor, class and grade, each task's statuses, visits by the mode they were held in, declined
/// and disputed visits. Figures only: no note, no address.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = MentoringFigures),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/figures")]
pub async fn mentoring_figures(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MentoringFigures>> {
    Ok(web::Json(service::school_figures(&state, &caller, path.into_inner()).await?))
}

/// A teacher of the school writes their short profile for families choosing a mentor.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = MentorProfile,
    responses(
        (status = 200, body = MentorProfile),
        (status = 403, description = "`forbidden`: staff who do not teach", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`; a content rule", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/mentoring/profile")]
pub async fn set_mentor_profile(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<MentorProfile>,
) -> ApiResult<web::Json<MentorProfile>> {
    Ok(web::Json(choices::set_profile(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school's mentors with their profiles and the family's ranked choice (two-way choice).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses((status = 200, body = MentorChoices), (status = 404, description = "`not_found`", body = ErrorBody))
)]
#[get("/children/{student_id}/mentor/choices")]
pub async fn mentor_choices(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MentorChoices>> {
    Ok(web::Json(choices::options(&state, &caller, path.into_inner()).await?))
}

/// A full guardian ranks up to three mentors (first first); the proposal gives each family its
/// choice rank by rank while the mentor is under the cap.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = ChooseMentors,
    responses(
        (status = 200, body = MentorChoices),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mentoring_not_two_way`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: more than three, twice, or not a teacher of the school", body = ErrorBody),
    )
)]
#[put("/children/{student_id}/mentor/choices")]
pub async fn choose_mentors(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ChooseMentors>,
) -> ApiResult<web::Json<MentorChoices>> {
    Ok(web::Json(choices::choose(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The families who chose the caller as their child's mentor at the school (two-way choice), with
/// the caller's answers and the room their cap leaves.
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = MentorRequests),
        (status = 403, description = "`forbidden`: staff who do not teach", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/mentoring/requests")]
pub async fn mentor_requests(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<MentorRequests>> {
    Ok(web::Json(choices::requests(&state, &caller, path.into_inner()).await?))
}

/// The chosen mentor accepts or declines a family's choice. Accepting counts against the school's
/// cap and is refused once another chosen mentor accepted the child; the family is told either
/// way, and the next proposal gives the child the mentor who accepted (declined: the next choice).
#[utoipa::path(
    tag = "mentoring",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    request_body = AnswerChoice,
    responses(
        (status = 200, body = MentorRequest),
        (status = 403, description = "`forbidden`: staff who do not teach", body = ErrorBody),
        (status = 404, description = "`not_found`: the family did not choose the caller", body = ErrorBody),
        (status = 409, description = "`mentoring_not_set`, `mentoring_not_two_way`, `mentor_choice_taken`", body = ErrorBody),
        (status = 422, description = "`mentor_cap`: the caller has accepted as many as the cap; `validation_failed`", body = ErrorBody),
    )
)]
#[put("/schools/{school_id}/mentoring/requests/{student_id}")]
pub async fn answer_mentor_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<AnswerChoice>,
) -> ApiResult<web::Json<MentorRequest>> {
    let (school_id, student_id) = path.into_inner();
    Ok(web::Json(choices::answer(&state, &caller, school_id, student_id, body.into_inner()).await?))
}
