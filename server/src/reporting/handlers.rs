//! HTTP endpoints of the bureau's reporting.

use actix_web::{get, web};
use uuid::Uuid;

use super::dto::{DashboardQuery, DistrictDashboard};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// The district's dashboard (its bureau officers): one section per area, aggregates only; every
/// count of fewer than `k` people is `null` with `"suppressed": true` (with complementary cells),
/// shares near 0 or 100 % over few people are bounds. Sections not built yet say so.
#[utoipa::path(
    tag = "reporting",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), DashboardQuery),
    responses(
        (status = 200, body = DistrictDashboard),
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
) -> ApiResult<web::Json<DistrictDashboard>> {
    Ok(web::Json(service::dashboard(&state, &caller, path.into_inner(), query.into_inner()).await?))
}
