//! HTTP endpoints of the after-school service: the school's plan and activities, families'
//! enrolment and basic choice, the child's view, and the district's off-work time.

use actix_web::{HttpResponse, delete, get, post, put, web};
use uuid::Uuid;

use super::dto::{
    Activity, ActivityList, BasicChoice, BasicStatus, ChildAfterschool, CreateActivity, CreatePlan, Delegate,
    DistrictSettings, DrawRequest, DrawResult, Enrol, Enrolment, EnrolmentWindow, Leave, LotteryRules, PickupCode,
    PickupCodeRequest, Plan, Roll, RollSummary, SignOut, SignOutRequest, WalkAlone,
};
use super::service;
use crate::access::{self, Caller};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

pub mod extended_care;
pub mod fees;
pub mod ratings;
pub mod white_list;

/// Saves the school's term plan as a draft. `breaches` lists the rules it breaks today
/// (`AS_5_PLUS_2`, `AS_END_TIME`, `AS_EVENING_STUDY`); a draft may break them, publishing may not.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body = CreatePlan,
    responses(
        (status = 201, body = Plan),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/afterschool/plans")]
pub async fn create_plan(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CreatePlan>,
) -> ApiResult<HttpResponse> {
    let admin = access::school_admin(&state.db, &caller, path.into_inner()).await?;
    Ok(HttpResponse::Created().json(service::create_plan(&state, &admin, body.into_inner()).await?))
}

/// A plan with the rules it breaks, for the school's staff.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    responses(
        (status = 200, body = Plan),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/afterschool/plans/{plan_id}")]
pub async fn plan(state: web::Data<AppState>, caller: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Plan>> {
    Ok(web::Json(service::plan(&state, &caller, path.into_inner()).await?))
}

/// Draws the plan's lottery activities (school admins): each application still waiting gets a
/// seat or a wait-list place, by the published algorithm and a seed, both in the answer so that the
/// school can publish them and anyone can redo the draw. Drawing again takes only new applications.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    request_body = DrawRequest,
    responses(
        (status = 200, body = DrawResult),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`plan_not_published`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a seed of 1–64 visible characters", body = ErrorBody),
    )
)]
#[post("/afterschool/plans/{plan_id}/draw")]
pub async fn draw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<DrawRequest>,
) -> ApiResult<web::Json<DrawResult>> {
    Ok(web::Json(service::draw(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// Publishes a plan that breaks no rule; otherwise 422 with every broken rule id
/// (`details.rules`) and each breach with its weekday and fix (`details.breaches`).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    responses(
        (status = 200, body = Plan),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`as_5_plus_2` / `as_end_time` / `as_evening_study` (the first broken rule) with `details.rules` and `details.breaches`", body = ErrorBody),
    )
)]
#[post("/afterschool/plans/{plan_id}/publish")]
pub async fn publish(state: web::Data<AppState>, caller: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<Plan>> {
    Ok(web::Json(service::publish(&state, &caller, path.into_inner()).await?))
}

/// Sets the plan's enrolment window (its school's admins): the first round, and optionally an
/// add/drop round for the seats left; refused once the first round has closed.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    request_body = EnrolmentWindow,
    responses(
        (status = 200, body = Plan),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`enrolment_closed`: the first round has closed", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[put("/afterschool/plans/{plan_id}/enrolment-window")]
pub async fn set_enrolment_window(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<EnrolmentWindow>,
) -> ApiResult<web::Json<Plan>> {
    let plan_id = path.into_inner();
    Ok(web::Json(service::enrolment_window::set_window(&state, &caller, plan_id, body.into_inner()).await?))
}

/// Sets the plan's lottery rules (its school's admins): children with none of last term's choices
/// first, siblings together, a weekly limit of elective sessions per child (first-come seats keep
/// it too). Refused once the first enrolment round has closed.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    request_body = LotteryRules,
    responses(
        (status = 200, body = Plan),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`enrolment_closed`: the first round has closed", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`", body = ErrorBody),
    )
)]
#[put("/afterschool/plans/{plan_id}/lottery-rules")]
pub async fn set_lottery_rules(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<LotteryRules>,
) -> ApiResult<web::Json<Plan>> {
    Ok(web::Json(service::lottery_rules::set(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// Adds an activity (课程/社团) inside the plan's sessions.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    request_body = CreateActivity,
    responses(
        (status = 201, body = Activity),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed` with `details.field`; `as_providers` (an institution not on the district's white list today, `details.standing`); `as_no_new_lessons`, `content_needs_review`", body = ErrorBody),
    )
)]
#[post("/afterschool/plans/{plan_id}/activities")]
pub async fn add_activity(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<CreateActivity>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(service::add_activity(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A plan's activities with the seats left: for the school's staff, and for its families once the
/// plan is published.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("plan_id" = Uuid, Path)),
    responses(
        (status = 200, body = ActivityList),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/afterschool/plans/{plan_id}/activities")]
pub async fn activities(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ActivityList>> {
    Ok(web::Json(service::activities(&state, &caller, path.into_inner()).await?))
}

/// A guardian with full access enrols their child: `enrolled` (a seat, first-come; never
/// oversold), `waitlisted` (full) or `applied` (lottery). 201 when this request enrolled; 200 with
/// the existing enrolment when the child already had one (another guardian was first).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path)),
    request_body = Enrol,
    responses(
        (status = 200, body = Enrolment),
        (status = 201, body = Enrolment),
        (status = 403, description = "`forbidden`: an informational guardian", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's child, another school's activity, or a plan not published", body = ErrorBody),
        (status = 409, description = "`activity_cancelled`; `time_slot_taken` with `details.activity_id`; `enrolment_not_open` (`details.opens_at`); `enrolment_closed` (rosters locked)", body = ErrorBody),
        (status = 422, description = "`not_eligible` (grade); `weekly_limit` (`details.limit`, `details.sessions`); `validation_failed`", body = ErrorBody),
    )
)]
#[post("/afterschool/activities/{activity_id}/enrolments")]
pub async fn enrol(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Enrol>,
) -> ApiResult<HttpResponse> {
    let (enrolment, created) = service::enrol(&state, &caller, path.into_inner(), body.into_inner()).await?;
    Ok(if created { HttpResponse::Created() } else { HttpResponse::Ok() }.json(enrolment))
}

/// Withdraws the child (退课); a freed seat goes to the first on the wait list.
#[utoipa::path(
    operation_id = "withdraw_enrolment",
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = Enrolment),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[delete("/afterschool/activities/{activity_id}/enrolments/{student_id}")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<Enrolment>> {
    let (activity_id, student_id) = path.into_inner();
    Ok(web::Json(service::withdraw(&state, &caller, activity_id, student_id).await?))
}

/// Opts the child in or out of the basic session (voluntary; never refused), from next Monday.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = BasicChoice,
    responses(
        (status = 200, body = BasicStatus),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`plan_not_published`: the school has no published plan", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[put("/children/{student_id}/afterschool/basic")]
pub async fn set_basic(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<BasicChoice>,
) -> ApiResult<web::Json<BasicStatus>> {
    Ok(web::Json(service::set_basic(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// What the child attends, when, the fees due, and who may collect them.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ChildAfterschool),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/children/{student_id}/afterschool")]
pub async fn child(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ChildAfterschool>> {
    Ok(web::Json(service::child(&state, &caller, path.into_inner()).await?))
}

/// The district's off-work time, for its officers.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = DistrictSettings),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/afterschool-settings")]
pub async fn district_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<DistrictSettings>> {
    let officer = access::bureau_officer_of(&state.db, &caller, path.into_inner()).await?;
    Ok(web::Json(service::district_settings(&state, &officer).await?))
}

/// Sets the district's local off-work time (default 17:30); `AS_END_TIME` follows it.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    request_body = DistrictSettings,
    responses(
        (status = 200, body = DistrictSettings),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[put("/districts/{district_id}/afterschool-settings")]
pub async fn set_district_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<DistrictSettings>,
) -> ApiResult<web::Json<DistrictSettings>> {
    let officer = access::bureau_officer_of(&state.db, &caller, path.into_inner()).await?;
    Ok(web::Json(service::set_district_settings(&state, &officer, body.into_inner()).await?))
}

/// Takes the day's roll of an activity in one request (the person in charge, or a school admin).
/// A child absent without leave sets off an urgent message to their full guardians.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path)),
    request_body = Roll,
    responses(
        (status = 200, body = RollSummary),
        (status = 403, description = "`forbidden`: staff not in charge of the activity", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a date the activity does not meet, or a child not enrolled (`details.student_id`)", body = ErrorBody),
    )
)]
#[post("/afterschool/activities/{activity_id}/roll")]
pub async fn roll(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Roll>,
) -> ApiResult<web::Json<RollSummary>> {
    Ok(web::Json(service::take_roll(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// Releases a child at the end of an activity: to the adult whose pickup code it is, or alone
/// with a guardian's standing consent. Anyone else is refused.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("activity_id" = Uuid, Path)),
    request_body = SignOutRequest,
    responses(
        (status = 201, body = SignOut),
        (status = 403, description = "`pickup_not_authorised`: no such code for the child today, or no walk-alone consent; `forbidden`: staff not in charge", body = ErrorBody),
        (status = 404, description = "`not_found`: unknown activity, or the child is not enrolled", body = ErrorBody),
        (status = 409, description = "`already_signed_out` with who and when", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/afterschool/activities/{activity_id}/sign-outs")]
pub async fn sign_out(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<SignOutRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::sign_out(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A full guardian reports an absence ahead (请假): the roll counts it as leave, no alert.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = Leave,
    responses(
        (status = 200, body = Leave),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[put("/children/{student_id}/afterschool/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Leave>,
) -> ApiResult<web::Json<Leave>> {
    Ok(web::Json(service::report_leave(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The caller's pickup code for the child and day, to show at the gate: any linked guardian,
/// `pickup` links included. The same code all day.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = PickupCodeRequest,
    responses(
        (status = 200, body = PickupCode),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/children/{student_id}/afterschool/pickup-codes")]
pub async fn pickup_code(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<PickupCodeRequest>,
) -> ApiResult<web::Json<PickupCode>> {
    Ok(web::Json(service::pickup_code(&state, &caller, path.into_inner(), body.into_inner().date).await?))
}

/// A full guardian names a one-time delegate for a day and gets the code to pass on.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = Delegate,
    responses(
        (status = 201, body = PickupCode),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/children/{student_id}/afterschool/delegates")]
pub async fn delegate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Delegate>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(service::add_delegate(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// A full guardian's standing consent that the child walks home alone.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    request_body = WalkAlone,
    responses(
        (status = 200, body = WalkAlone),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[put("/children/{student_id}/afterschool/walk-alone")]
pub async fn walk_alone(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<WalkAlone>,
) -> ApiResult<web::Json<WalkAlone>> {
    Ok(web::Json(service::set_walk_alone(&state, &caller, path.into_inner(), body.into_inner()).await?))
}
