//! HTTP endpoints of conversations and attachments.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::dto::{Attachment, BlockRequest, Conversation, ConversationFilter, Message, SendMessage, StartConversation};
use super::rules::{CoolingOff, MessageDraft};
use super::service;
use crate::access::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::http::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Open (or find) the conversation with a teacher of the child (guardians) or a guardian of the
/// child (teachers).
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    request_body = StartConversation,
    responses(
        (status = 200, body = Conversation),
        (status = 404, description = "`not_found`: not the caller's child, or the other person is not its teacher or guardian", body = ErrorBody),
    )
)]
#[post("/conversations")]
pub async fn start(
    state: web::Data<AppState>,
    user: Caller,
    body: web::Json<StartConversation>,
) -> ApiResult<web::Json<Conversation>> {
    Ok(web::Json(service::start(&state, &user, body.into_inner()).await?))
}

/// The caller's conversations, most recent first (school admins: `?school_id=` for all of theirs).
#[utoipa::path(
    operation_id = "list_conversations",
    tag = "conversations",
    security(("bearer" = [])),
    params(ConversationFilter, PageQuery),
    responses(
        (status = 200, body = Page<Conversation>),
        (status = 403, description = "`forbidden`: `school_id` of a school the caller does not administer", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[get("/conversations")]
pub async fn list(
    state: web::Data<AppState>,
    user: Caller,
    filter: web::Query<ConversationFilter>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<Conversation>>> {
    Ok(web::Json(service::list(&state, &user, &filter, &page).await?))
}

/// Messages, newest first.
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    params(("conversation_id" = Uuid, Path), PageQuery),
    responses(
        (status = 200, body = Page<Message>),
        (status = 404, description = "`not_found`: not the caller's conversation", body = ErrorBody),
    )
)]
#[get("/conversations/{conversation_id}/messages")]
pub async fn messages(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    page: web::Query<PageQuery>,
) -> ApiResult<web::Json<Page<Message>>> {
    Ok(web::Json(service::messages(&state, &user, path.into_inner(), &page).await?))
}

/// Send a message. A teacher's message passes the content rules (422 with the rule's code).
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    params(("conversation_id" = Uuid, Path)),
    request_body = SendMessage,
    responses(
        (status = 201, body = Message),
        (status = 403, description = "`conversation_paused` (guardian in a cooling-off period) or `forbidden` (safeguarding readers)", body = ErrorBody),
        (status = 409, description = "`conversation_closed`: the other side no longer has the child in their care or class", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`, a content rule (`hw_parent_burden`…) with `details.violations`, or `content_needs_review` (held until reworded or sent again with `confirm_review`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
#[post("/conversations/{conversation_id}/messages")]
pub async fn send(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<SendMessage>,
) -> ApiResult<HttpResponse> {
    let draft = MessageDraft::parse(&body.body, body.attachment_id)?;
    let confirmed = crate::guard::confirmations(&body.confirm_review)?;
    Ok(HttpResponse::Created().json(service::send(&state, &user, path.into_inner(), draft, &confirmed).await?))
}

/// Mark the conversation read.
#[utoipa::path(
    operation_id = "mark_conversation_read",
    tag = "conversations",
    security(("bearer" = [])),
    params(("conversation_id" = Uuid, Path)),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
#[post("/conversations/{conversation_id}/read")]
pub async fn mark_read(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    service::mark_read(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Pause the guardian's messages for a cooling-off period (the teacher; `hours: 0` lifts it).
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    params(("conversation_id" = Uuid, Path)),
    request_body = BlockRequest,
    responses(
        (status = 200, body = Conversation),
        (status = 403, description = "`forbidden`: only the teacher of the conversation", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`validation_failed`: 0–168 hours", body = ErrorBody),
    )
)]
#[post("/conversations/{conversation_id}/block")]
pub async fn block(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    body: web::Json<BlockRequest>,
) -> ApiResult<web::Json<Conversation>> {
    let cooling_off = CoolingOff::parse(body.hours)?;
    Ok(web::Json(service::block(&state, &user, path.into_inner(), cooling_off).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as shown to the other participant.
    pub file_name: Option<String>,
}

/// Upload an attachment (image or PDF, raw body) to send in a message of this conversation.
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    params(("conversation_id" = Uuid, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes; its type is recognised from them"),
    responses(
        (status = 201, body = Attachment),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_attachment_type`: not an image or PDF", body = ErrorBody),
    )
)]
#[post("/conversations/{conversation_id}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    user: Caller,
    path: web::Path<Uuid>,
    query: web::Query<UploadQuery>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let limit = state.settings.max_attachment_bytes;
    let bytes = crate::http::payload::read_limited(body, limit).await?;
    let name = query.file_name.as_deref().unwrap_or("attachment");
    let saved = service::upload(&state, &user, path.into_inner(), name, &bytes).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Download an attachment (the conversation's participants and the school's admins).
#[utoipa::path(
    tag = "conversations",
    security(("bearer" = [])),
    params(("attachment_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "`not_found`: no such attachment, or not the caller's conversation", body = ErrorBody),
    )
)]
#[get("/attachments/{attachment_id}")]
pub async fn download(state: web::Data<AppState>, user: Caller, path: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let (attachment, bytes) = service::download(&state, &user, path.into_inner()).await?;
    Ok(crate::files::download(&attachment.file_name, attachment.content_type, bytes))
}
