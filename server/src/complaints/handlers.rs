//! HTTP endpoints of complaints (监管举报).

use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use super::dto::{
    AttachmentQuery, Close, Complaint, ComplaintAttachment, ComplaintList, FileComplaint, Forward, ListQuery, Respond,
};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// A guardian files a complaint about their child's school with the district's bureau; with
/// `anonymous_to_school` the school never learns who filed it. Due for a first step within three
/// school days.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    request_body = FileComplaint,
    responses(
        (status = 201, body = Complaint),
        (status = 404, description = "`not_found`: not your child (a pickup-only adult included)", body = ErrorBody),
        (status = 422, description = "`validation_failed`: empty or too long text", body = ErrorBody),
    )
)]
#[post("/complaints")]
pub async fn file_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<FileComplaint>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::file(&state, &caller, body.into_inner()).await?))
}

/// The complaints the caller filed, newest first.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = ComplaintList))
)]
#[get("/complaints")]
pub async fn my_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<ComplaintList>> {
    Ok(web::Json(service::mine(&state, &caller, query.status).await?))
}

/// One complaint with its history: for the family that filed it, the district's officers (with
/// the family), and the school's admins once it was forwarded to them (with the family only when
/// it was not anonymous and the bureau shared it).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path)),
    responses(
        (status = 200, body = Complaint),
        (status = 404, description = "`not_found`: no such complaint, or not yours to read", body = ErrorBody),
    )
)]
#[get("/complaints/{complaint_id}")]
pub async fn complaint(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<web::Json<Complaint>> {
    Ok(web::Json(service::get(&state, &caller, path.into_inner()).await?))
}

/// The family adds a photo or PDF (raw body, at most 5 per complaint) to its complaint while it is
/// open. A photo is stored without its metadata (EXIF/XMP: where and when it was taken, the
/// camera), so an anonymous family is not found by it; the school, when it may not know the
/// family, sees the file as "附件1.jpg".
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes; its type is recognised from them"),
    responses(
        (status = 201, body = ComplaintAttachment),
        (status = 403, description = "`forbidden`: the bureau or the school (only the family adds files)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such complaint, or not yours to read", body = ErrorBody),
        (status = 409, description = "`complaint_state`: the complaint is closed", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_attachment_type`: not an image or PDF", body = ErrorBody),
        (status = 422, description = "`validation_failed`: the image's container does not parse, or the complaint has 5 files", body = ErrorBody),
    )
)]
#[post("/complaints/{complaint_id}/attachments")]
pub async fn attach_to_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<AttachmentQuery>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let bytes = crate::http::payload::read_limited(body, state.settings.max_attachment_bytes).await?;
    let name = query.file_name.as_deref().unwrap_or("attachment");
    let saved = service::attach(&state, &caller, path.into_inner(), name, &bytes).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// One of a complaint's files, for whoever may read the complaint.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "`not_found`: no such file or complaint, or not yours to read", body = ErrorBody),
    )
)]
#[get("/complaints/{complaint_id}/attachments/{attachment_id}")]
pub async fn complaint_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (complaint_id, attachment_id) = path.into_inner();
    let (name, content_type, bytes) = service::attachment_file(&state, &caller, complaint_id, attachment_id).await?;
    Ok(crate::files::download(&name, content_type, bytes))
}

/// The bureau forwards a received complaint to the school, which then has three school days to
/// respond.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path)),
    request_body = Forward,
    responses(
        (status = 200, body = Complaint),
        (status = 403, description = "`forbidden`: not the district's officer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`complaint_state`: already forwarded or closed", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `share_identity` for an anonymous complaint; note too long", body = ErrorBody),
    )
)]
#[post("/complaints/{complaint_id}/forward")]
pub async fn forward_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Forward>,
) -> ApiResult<web::Json<Complaint>> {
    Ok(web::Json(service::forward(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The school's admin responds to a complaint forwarded to it.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path)),
    request_body = Respond,
    responses(
        (status = 200, body = Complaint),
        (status = 403, description = "`forbidden`: not the school's admin", body = ErrorBody),
        (status = 404, description = "`not_found`: no such complaint, or not forwarded to your school", body = ErrorBody),
        (status = 409, description = "`complaint_state`: already responded or closed", body = ErrorBody),
        (status = 422, description = "`validation_failed`: empty or too long text", body = ErrorBody),
    )
)]
#[post("/complaints/{complaint_id}/respond")]
pub async fn respond_to_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Respond>,
) -> ApiResult<web::Json<Complaint>> {
    Ok(web::Json(service::respond(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// The bureau closes a complaint with its outcome (from any open status); final.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("complaint_id" = Uuid, Path)),
    request_body = Close,
    responses(
        (status = 200, body = Complaint),
        (status = 403, description = "`forbidden`: not the district's officer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`complaint_state`: already closed", body = ErrorBody),
        (status = 422, description = "`validation_failed`: empty or too long text", body = ErrorBody),
    )
)]
#[post("/complaints/{complaint_id}/close")]
pub async fn close_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    body: web::Json<Close>,
) -> ApiResult<web::Json<Complaint>> {
    Ok(web::Json(service::close(&state, &caller, path.into_inner(), body.into_inner()).await?))
}

/// Every complaint of the district, newest first (its officers): no text, no family.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("district_id" = Uuid, Path), ListQuery),
    responses(
        (status = 200, body = ComplaintList),
        (status = 403, description = "`forbidden`: not a bureau officer", body = ErrorBody),
        (status = 404, description = "`not_found`: another district", body = ErrorBody),
    )
)]
#[get("/districts/{district_id}/complaints")]
pub async fn district_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<ComplaintList>> {
    Ok(web::Json(service::of_district(&state, &caller, path.into_inner(), query.status).await?))
}

/// The complaints the bureau forwarded to the school (its admins); no others.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("school_id" = Uuid, Path), ListQuery),
    responses(
        (status = 200, body = ComplaintList),
        (status = 403, description = "`forbidden`: staff who are not admins", body = ErrorBody),
        (status = 404, description = "`not_found`: another school", body = ErrorBody),
    )
)]
#[get("/schools/{school_id}/complaints")]
pub async fn school_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<ComplaintList>> {
    Ok(web::Json(service::of_school(&state, &caller, path.into_inner(), query.status).await?))
}
