//! HTTP endpoints for homework, its budget, families' view and feedback, publicity and the
//! district's settings (its refused-send counts are [`crate::guard`]'s).

use actix_web::{HttpResponse, get, patch, post, put, web};
use uuid::Uuid;

use super::dto::{
    ChildHomework, ClassBudget, DateQuery, DistrictPublicity, DurationReport, EditHomework, History, Homework,
    HomeworkList, HomeworkSettings, PostHomework, Publicity, ReportDuration, SchoolFeedback, WeekQuery,
};
use super::{publicity, service};
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Post homework to a class the caller teaches. Judged by `HW_PARENT_BURDEN`, `HW_SELF_GRADING`,
/// `EXAM_NO_RANKING` (the text), `HW_NO_WRITTEN_G12` and `HW_DAILY_CAP`; a refusal stores nothing
/// and is counted (rule, school, date) for the bureau.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    request_body = PostHomework,
    responses(
        (status = 201, body = Homework),
        (status = 403, description = "`forbidden`: not a teacher of the class, or not a subject they teach there", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`; `hw_parent_burden` / `hw_self_grading` / `exam_no_ranking` with `details.violations`; `content_needs_review` (held until reworded or sent again with `confirm_review`); `hw_no_written_g12`; `hw_daily_cap` with the remaining budget and `details.by_subject`", body = ErrorBody),
    )
)]
#[post("/classes/{class_id}/homework")]
pub async fn post_homework(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<PostHomework>,
) -> ApiResult<HttpResponse> {
    let saved = service::post(&state, &user, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// A class's homework for a day, with each item's estimate next to families' reported average.
/// For the class's teachers and the school's admins.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), DateQuery),
    responses(
        (status = 200, body = HomeworkList),
        (status = 403, description = "`forbidden`: staff of the school who do not teach the class", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/classes/{class_id}/homework")]
pub async fn class_homework(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<DateQuery>,
) -> ApiResult<web::Json<HomeworkList>> {
    Ok(web::Json(service::of_class(&state, &user, path.into_inner(), query.date).await?))
}

/// What is left of the class's daily written-homework cap (`HW_DAILY_CAP`) and which subjects
/// used it, so the grade team coordinates across subjects.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), DateQuery),
    responses(
        (status = 200, body = ClassBudget),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/classes/{class_id}/homework-budget")]
pub async fn budget(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<DateQuery>,
) -> ApiResult<web::Json<ClassBudget>> {
    Ok(web::Json(service::budget(&state, &user, path.into_inner(), query.date).await?))
}

/// The author edits homework: the rules are judged again and families see it as unread again.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = EditHomework,
    responses(
        (status = 200, body = Homework),
        (status = 403, description = "`forbidden`: not the author", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`homework_withdrawn`", body = ErrorBody),
        (status = 422, description = "as for posting", body = ErrorBody),
    )
)]
#[patch("/homework/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<EditHomework>,
) -> ApiResult<web::Json<Homework>> {
    Ok(web::Json(service::edit(&state, &user, path.into_inner(), body.into_inner()).await?))
}

/// Withdraw homework (its author or a school admin). Kept in the history.
#[utoipa::path(
    operation_id = "withdraw_homework",
    tag = "homework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Homework),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`homework_withdrawn`: already withdrawn", body = ErrorBody),
    )
)]
#[post("/homework/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<Homework>> {
    Ok(web::Json(service::withdraw(&state, &user, path.into_inner()).await?))
}

/// Mark a homework item in the caller's inbox read.
#[utoipa::path(
    operation_id = "mark_homework_read",
    tag = "homework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "`not_found`: not in the caller's inbox", body = ErrorBody),
    )
)]
#[post("/homework/{id}/read")]
pub async fn mark_read(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    service::mark_read(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every revision of a homework item, oldest first (staff who can see the class).
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = History),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/homework/{id}/history")]
pub async fn history(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<web::Json<History>> {
    Ok(web::Json(service::history(&state, &user, path.into_inner()).await?))
}

/// Report how long a homework item actually took a child (guardians with full access). A second
/// report replaces the first.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ReportDuration,
    responses(
        (status = 200, body = DurationReport),
        (status = 404, description = "`not_found`: not the caller's child, or not the child's class", body = ErrorBody),
        (status = 409, description = "`homework_withdrawn`", body = ErrorBody),
        (status = 422, description = "`validation_failed`", body = ErrorBody),
    )
)]
#[post("/homework/{id}/feedback")]
pub async fn report_duration(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ReportDuration>,
) -> ApiResult<web::Json<DurationReport>> {
    Ok(web::Json(service::report_duration(&state, &user, path.into_inner(), body.into_inner()).await?))
}

/// A child's homework for a day — read-only: nothing here asks the guardian to check, grade or
/// submit. Guardians with full access only.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("child_id" = Uuid, Path), DateQuery),
    responses(
        (status = 200, body = ChildHomework),
        (status = 404, description = "`not_found`: not the caller's child (or an informational / pickup link)", body = ErrorBody),
    )
)]
#[get("/children/{child_id}/homework")]
pub async fn child_homework(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<DateQuery>,
) -> ApiResult<web::Json<ChildHomework>> {
    Ok(web::Json(service::of_child(&state, &user, path.into_inner(), query.date).await?))
}

/// `HW_PUBLICITY`: per grade, the week's average daily written minutes and its composition by
/// subject and kind. For the school's staff and families, and its district's bureau.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), WeekQuery),
    responses(
        (status = 200, body = Publicity),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: bad week", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/homework-publicity")]
pub async fn school_publicity(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<WeekQuery>,
) -> ApiResult<web::Json<Publicity>> {
    Ok(web::Json(publicity::publicity(&state, &user, path.into_inner(), query.week.as_deref()).await?))
}

/// `HW_PUBLICITY` for every school of the district (its bureau officers).
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), WeekQuery),
    responses(
        (status = 200, body = DistrictPublicity),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
        (status = 422, description = "`validation_failed`: bad week", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/homework-publicity")]
pub async fn district_publicity(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<WeekQuery>,
) -> ApiResult<web::Json<DistrictPublicity>> {
    Ok(web::Json(publicity::district_publicity(&state, &user, path.into_inner(), query.week.as_deref()).await?))
}

/// Estimate vs reported time per class over a week, for the school's staff.
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), WeekQuery),
    responses(
        (status = 200, body = SchoolFeedback),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: bad week", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/homework-feedback")]
pub async fn school_feedback(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<WeekQuery>,
) -> ApiResult<web::Json<SchoolFeedback>> {
    Ok(web::Json(publicity::school_feedback(&state, &user, path.into_inner(), query.week.as_deref()).await?))
}

/// The district's daily caps for written homework (bureau officers of the district).
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = HomeworkSettings),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/homework-settings")]
pub async fn settings(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<HomeworkSettings>> {
    Ok(web::Json(publicity::settings(&state, &user, path.into_inner()).await?))
}

/// Set stricter daily caps for the district (never above the national caps).
#[utoipa::path(
    tag = "homework",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    request_body = HomeworkSettings,
    responses(
        (status = 200, body = HomeworkSettings),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a cap out of its range", body = ErrorBody),
    )
)]
#[put("/districts/{district_id}/homework-settings")]
pub async fn set_settings(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<HomeworkSettings>,
) -> ApiResult<web::Json<HomeworkSettings>> {
    Ok(web::Json(publicity::set_settings(&state, &user, path.into_inner(), body.into_inner()).await?))
}
