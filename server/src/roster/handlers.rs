//! HTTP endpoints of roster import. Bodies are raw CSV (`text/csv`).

use actix_web::{HttpRequest, post, web};
use uuid::Uuid;

use crate::access;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody, Message};
use crate::http::payload;
use crate::roster::dto::{ImportReport, RosterKind};
use crate::roster::service::{self, ImportOptions, ImportTarget, NoProgress};
use crate::state::AppState;

/// Import or update the school's staff: `staff_no,name,phone,email,roles,classes`.
#[utoipa::path(
    tag = "roster",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 or GBK CSV with a header row"),
    responses(
        (status = 200, body = ImportReport),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "`roster_invalid`: `details.problems` lists the first 100 problems in file order, `details.problem_count` how many there are and `details.counts_by_code` how many of each kind", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/roster/staff")]
pub async fn import_staff(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    req: HttpRequest,
    body: web::Payload,
) -> ApiResult<web::Json<ImportReport>> {
    import(state, user, path.into_inner(), req, body, RosterKind::Staff).await
}

/// Import or update the school's students and their guardians:
/// `student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,
/// guardian2_name,guardian2_phone,guardian2_email,guardian2_relation` (optional
/// `guardian1_access`, `guardian2_access`: `full`, `informational`, `pickup`).
#[utoipa::path(
    tag = "roster",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path)),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 or GBK CSV with a header row"),
    responses(
        (status = 200, body = ImportReport),
        (status = 403, description = "`forbidden`: staff who are not school admins", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's school", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`", body = ErrorBody),
        (status = 422, description = "`roster_invalid`: `details.problems` lists the first 100 problems in file order, `details.problem_count` how many there are and `details.counts_by_code` how many of each kind", body = ErrorBody),
    )
)]
#[post("/schools/{school_id}/roster/students")]
pub async fn import_students(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    req: HttpRequest,
    body: web::Payload,
) -> ApiResult<web::Json<ImportReport>> {
    import(state, user, path.into_inner(), req, body, RosterKind::Students).await
}

async fn import(
    state: web::Data<AppState>,
    user: Caller,
    school_id: Uuid,
    req: HttpRequest,
    body: web::Payload,
    kind: RosterKind,
) -> ApiResult<web::Json<ImportReport>> {
    let admin = access::school_admin(&state.db, &user, school_id).await?;
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !matches!(essence.as_str(), "text/csv" | "text/plain" | "application/csv" | "application/vnd.ms-excel") {
        return Err(payload::unsupported_media_type(Message::new(
            "请上传 CSV 文件（Content-Type: text/csv）。",
            "Upload a CSV file (Content-Type: text/csv).",
        )));
    }
    let limit = state.settings.max_csv_bytes;
    let bytes = payload::read_limited(body, limit).await?;
    let options =
        ImportOptions { now: state.clock.now(), activation_code_ttl_days: state.settings.activation_code_ttl_days };
    let report = service::import(&state.db, ImportTarget::from(&admin), kind, &bytes, &options, &NoProgress).await?;
    Ok(web::Json(report))
}
