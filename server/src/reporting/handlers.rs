//! HTTP endpoints of the bureau's reporting.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use uuid::Uuid;

use super::dto::{
    Bulletin, BulletinList, DashboardQuery, DistrictDashboard, ExportFormat, ReportingSettings, Rerun, SchoolBulletin,
    SchoolBulletinList, TrendQuery, Trends,
};
use super::service::{Scope, bulletin, settings};
use super::{export, service};
use crate::access::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The district's dashboard (its bureau officers): one section per area, aggregates only; every
/// count of fewer than `k` people is `null` with `"suppressed": true` (with complementary cells),
/// shares near 0 or 100 % over few people are bounds. An area a school has not set up says so in
/// its row.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), DashboardQuery),
    responses(
        (status = 200, description = "The dashboard as JSON; with `format=csv` or `Accept: text/csv`, one `section` as UTF-8 CSV with a BOM and Chinese headers (suppressed cells read \"<10\")",
            content((DistrictDashboard = "application/json"), (String = "text/csv"))),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `from` without `to`, `to` before `from`, over 400 days", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/dashboard")]
pub async fn district_dashboard(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<DashboardQuery>,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    answer(&state, &caller, Scope::District(path.into_inner()), query.into_inner(), &request).await
}

/// One school's dashboard: the same sections with the school's row alone, for its district's
/// bureau officers and its own admins.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("school_id" = Uuid, Path), DashboardQuery),
    responses(
        (status = 200, description = "The school's dashboard as JSON, or one `section` as CSV",
            content((DistrictDashboard = "application/json"), (String = "text/csv"))),
        (status = 403, description = "`forbidden`: the school's staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: another district or school", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `from` without `to`, `to` before `from`, over 400 days", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/schools/{school_id}/dashboard")]
pub async fn school_dashboard(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DashboardQuery>,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (district_id, school_id) = path.into_inner();
    answer(&state, &caller, Scope::School { district_id, school_id }, query.into_inner(), &request).await
}

/// The district's period figures over the last weeks, half-months or months (its officers):
/// homework against the cap, complaints filed, refused sends; per school and whole, with the
/// schools ranked by their compliance with the cap.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), TrendQuery),
    responses(
        (status = 200, body = Trends),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `periods` outside 1–26", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/trends")]
pub async fn district_trends(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<TrendQuery>,
) -> ApiResult<web::Json<Trends>> {
    let scope = Scope::District(path.into_inner());
    Ok(web::Json(service::trends::trends(&state, &caller, scope, query.into_inner()).await?))
}

/// One school's trends, for its district's officers and its own admins.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("school_id" = Uuid, Path), TrendQuery),
    responses(
        (status = 200, body = Trends),
        (status = 403, description = "`forbidden`: the school's staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: another district or school", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `periods` outside 1–26", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/schools/{school_id}/trends")]
pub async fn school_trends(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<TrendQuery>,
) -> ApiResult<web::Json<Trends>> {
    let (district_id, school_id) = path.into_inner();
    let scope = Scope::School { district_id, school_id };
    Ok(web::Json(service::trends::trends(&state, &caller, scope, query.into_inner()).await?))
}

/// The dashboard as JSON, or one section as CSV when `format=csv` or `Accept: text/csv` asks.
async fn answer(
    state: &AppState,
    caller: &Caller,
    scope: Scope,
    query: DashboardQuery,
    request: &HttpRequest,
) -> ApiResult<HttpResponse> {
    let accepts_csv = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv") && !v.contains("application/json"));
    let csv = match query.format {
        Some(format) => format == ExportFormat::Csv,
        None => accepts_csv,
    };
    let section = query.section.unwrap_or_default();
    let dashboard = service::dashboard(state, caller, scope, query).await?;
    if !csv {
        return Ok(HttpResponse::Ok().json(dashboard));
    }
    let bytes = export::csv(&dashboard, section).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"dashboard.csv\""))
        .body(bytes))
}

/// The district's reporting settings: k, and the targets of its half-monthly bulletin (its
/// officers).
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = ReportingSettings),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/reporting-settings")]
pub async fn reporting_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<ReportingSettings>> {
    Ok(web::Json(settings::get(&state, &caller, path.into_inner()).await?))
}

/// The district's officers set k (the figures from now on) and the bulletin's targets (from the
/// next bulletin on).
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    request_body = ReportingSettings,
    responses(
        (status = 200, body = ReportingSettings),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
        (status = 422, description = "`validation_failed`: k outside 5–100, a percentage over 100", body = ErrorBody),
    )
)]
#[put("/districts/{district_id}/reporting-settings")]
pub async fn set_reporting_settings(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<ReportingSettings>,
) -> ApiResult<web::Json<ReportingSettings>> {
    Ok(web::Json(settings::set(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The district's half-monthly bulletins (专项督导半月通报), newest first.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path)),
    responses(
        (status = 200, body = BulletinList),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/bulletins")]
pub async fn district_bulletins(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<BulletinList>> {
    Ok(web::Json(bulletin::list(&state, &caller, path.into_inner()).await?))
}

/// One issued bulletin: every school with its figures and shortfalls.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("period_start" = NaiveDate, Path, description = "The half-month's first day (a 1st or a 16th)")),
    responses(
        (status = 200, body = Bulletin),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district, or not issued", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/bulletins/{period_start}")]
pub async fn district_bulletin(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, NaiveDate)>,
) -> ApiResult<web::Json<Bulletin>> {
    let (district_id, start) = path.into_inner();
    Ok(web::Json(bulletin::get(&state, &caller, district_id, start).await?))
}

/// The bureau re-runs the bulletin of a past half-month: computed again from the same history,
/// with whether it says what was issued (issued now, unannounced, if it never was).
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ("period_start" = NaiveDate, Path, description = "The half-month's first day (a 1st or a 16th)")),
    responses(
        (status = 200, body = Rerun),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not a 1st or a 16th, or the half-month has not ended", body = ErrorBody),
    )
)]
#[post("/districts/{district_id}/bulletins/{period_start}/rerun")]
pub async fn rerun_bulletin(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, NaiveDate)>,
) -> ApiResult<web::Json<Rerun>> {
    let (district_id, start) = path.into_inner();
    Ok(web::Json(bulletin::rerun(&state, &caller, district_id, start).await?))
}

/// The issued bulletins with a part for the school, newest first, with the school's own count of
/// shortfalls (its admins).
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    responses(
        (status = 200, body = SchoolBulletinList),
        (status = 403, description = "`forbidden`: staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: another school", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/bulletins")]
pub async fn school_bulletins(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<SchoolBulletinList>> {
    Ok(web::Json(bulletin::school_list(&state, &caller, path.into_inner()).await?))
}

/// The school's own part of an issued bulletin (its admins).
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ("period_start" = NaiveDate, Path, description = "The half-month's first day (a 1st or a 16th)")),
    responses(
        (status = 200, body = SchoolBulletin),
        (status = 403, description = "`forbidden`: staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: another school, or not issued", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/bulletins/{period_start}")]
pub async fn school_bulletin(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, NaiveDate)>,
) -> ApiResult<web::Json<SchoolBulletin>> {
    let (school_id, start) = path.into_inner();
    Ok(web::Json(bulletin::school_part(&state, &caller, school_id, start).await?))
}
