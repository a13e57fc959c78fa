//! HTTP endpoints of the bureau's reporting.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use uuid::Uuid;

use super::dto::{DashboardQuery, DistrictDashboard, ExportFormat};
use super::{export, service};
use crate::access::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The district's dashboard (its bureau officers): one section per area, aggregates only; every
/// count of fewer than `k` people is `null` with `"suppressed": true` (with complementary cells),
/// shares near 0 or 100 % over few people are bounds. Sections not built yet say so.
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
    let query = query.into_inner();
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
    let dashboard = service::dashboard(&state, &caller, path.into_inner(), query).await?;
    if !csv {
        return Ok(HttpResponse::Ok().json(dashboard));
    }
    let bytes = export::csv(&dashboard, section).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"dashboard.csv\""))
        .body(bytes))
}
