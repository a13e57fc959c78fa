//! HTTP endpoints of summer care (`AS_SUMMER`).

use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use super::dto::{
    ChildSummer, CreateSummerSite, SummerEnrol, SummerEnrolment, SummerRoster, SummerSite, SummerSiteList,
};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Publishes a summer care site: a bureau officer's community site for every child of the
/// district (no `school_id`), or a school admin's for the school's children.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    request_body = CreateSummerSite,
    responses(
        (status = 201, body = SummerSite),
        (status = 403, description = "`forbidden`: neither a bureau officer nor the school's admin", body = ErrorBody),
        (status = 404, description = "`not_found`: the school", body = ErrorBody),
        (status = 422, description = "`as_summer` (hours, weeks: `details.problems`); `validation_failed`", body = ErrorBody),
    )
)]
#[post("/summer/sites")]
pub async fn create_summer_site(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateSummerSite>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create_site(&state, &caller, body.into_inner()).await?))
}

/// The district's summer care sites with places taken and waiting per week (its bureau officers
/// and the admins of its schools; numbers only).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = SummerSiteList),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`: not your district", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/summer/sites")]
pub async fn summer_sites(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SummerSiteList>> {
    Ok(web::Json(service::sites_of_district(&state, &caller, path.into_inner()).await?))
}

/// The summer care a child can take, where the child stands each week and what the family owes
/// (the child's guardians, not `pickup` links).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = ChildSummer),
        (status = 404, description = "`not_found`: not your child (a pickup-only link included)", body = ErrorBody),
    )
)]
#[get("/children/{student_id}/summer")]
pub async fn child_summer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ChildSummer>> {
    Ok(web::Json(service::child(&state, &caller, path.into_inner()).await?))
}

/// A full guardian takes a place for the child in a week (201: `enrolled`, or `waitlisted` when
/// full); asking again answers the child's place (200).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("week_id" = Uuid, Path)),
    request_body = SummerEnrol,
    responses(
        (status = 200, body = SummerEnrolment),
        (status = 201, body = SummerEnrolment),
        (status = 403, description = "`forbidden`: a guardian without full access", body = ErrorBody),
        (status = 404, description = "`not_found`: the week, or a site not for the child's district or school", body = ErrorBody),
        (status = 409, description = "`enrolment_closed`: the week has started; `time_slot_taken`: a place at another site that week (`details.week_id`)", body = ErrorBody),
        (status = 422, description = "`not_eligible`: a grade the site does not take", body = ErrorBody),
    )
)]
#[post("/summer/weeks/{week_id}/enrolments")]
pub async fn summer_enrol(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<SummerEnrol>,
) -> ApiResult<HttpResponse> {
    let (enrolment, created) = service::enrol(&state, &caller, path.into_inner(), body.into_inner()).await?;
    Ok(if created { HttpResponse::Created() } else { HttpResponse::Ok() }.json(enrolment))
}

/// A full guardian gives a week back before it starts; the first in line takes the place.
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("week_id" = Uuid, Path), ("student_id" = Uuid, Path)),
    responses(
        (status = 200, body = SummerEnrolment),
        (status = 403, description = "`forbidden`: a guardian without full access", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`enrolment_closed`: the week has started (it is owed)", body = ErrorBody),
        (status = 422, description = "`not_eligible`: a grade the site does not take", body = ErrorBody),
    )
)]
#[delete("/summer/weeks/{week_id}/enrolments/{student_id}")]
pub async fn summer_withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<SummerEnrolment>> {
    let (week_id, student_id) = path.into_inner();
    Ok(web::Json(service::withdraw(&state, &caller, week_id, student_id).await?))
}

/// Who has a place each week at a school's site (its admins).
#[utoipa::path(
    tag = "afterschool",
    security(("bearer" = [])),
    params(("site_id" = Uuid, Path)),
    responses(
        (status = 200, body = SummerRoster),
        (status = 403, description = "`forbidden`: staff who are not the school's admins", body = ErrorBody),
        (status = 404, description = "`not_found`: the site, or a community site (its roster is not given out)", body = ErrorBody),
    )
)]
#[get("/summer/sites/{site_id}/roster")]
pub async fn summer_roster(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SummerRoster>> {
    Ok(web::Json(service::roster(&state, &caller, path.into_inner()).await?))
}
