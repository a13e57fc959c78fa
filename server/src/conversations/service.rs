//! Conversation use cases. A message commits with its inbox item and its delivery; the real-time
//! wake-up follows the commit.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use super::dto::{Attachment, Conversation, ConversationFilter, Message, Participant, SendMessage, StartConversation};
use super::files;
use super::model::{attachment, conversation, conversation_read, message};
use crate::access::Caller;
use crate::access::{self, ConversationRole};
use crate::auth::model::account;
use crate::delivery::outbox::{self, Delivery, When};
use crate::error::{ApiError, ApiResult, Message as Text};
use crate::guard;
use crate::http::pagination::{Page, PageQuery, instant_key};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::org::model::{guardian, staff, student};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

pub const MAX_BODY_CHARS: usize = 2_000;
pub const MAX_BLOCK_HOURS: i64 = 168;

async fn load(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<conversation::Model> {
    conversation::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)
}

async fn role(db: &impl ConnectionTrait, user: &Caller, c: &conversation::Model) -> ApiResult<ConversationRole> {
    access::conversation_role(db, user, c.school_id, c.guardian_account_id, c.staff_account_id).await
}

/// Opens (or finds) the conversation between a guardian and a teacher of their child.
pub async fn start(state: &AppState, user: &Caller, req: StartConversation) -> ApiResult<Conversation> {
    let db = &state.db;
    let student = student::Entity::find_by_id(req.student_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let (guardian_account, staff_account) = if access::full_guardian_of(db, user.account_id, student.id).await? {
        if !access::teaches_student(db, req.with_account_id, &student).await? {
            return Err(ApiError::not_found());
        }
        (user.account_id, req.with_account_id)
    } else if access::teaches_student(db, user.account_id, &student).await? {
        if !access::full_guardian_of(db, req.with_account_id, student.id).await? {
            return Err(ApiError::not_found());
        }
        (req.with_account_id, user.account_id)
    } else {
        return Err(ApiError::not_found());
    };
    let now = state.clock.now();
    let txn = crate::infra::db::begin(db).await?;
    let existing = conversation::Entity::find()
        .filter(conversation::Column::StudentId.eq(student.id))
        .filter(conversation::Column::GuardianAccountId.eq(guardian_account))
        .filter(conversation::Column::StaffAccountId.eq(staff_account))
        .one(&txn)
        .await?;
    let c = match existing {
        Some(c) => c,
        None => {
            conversation::ActiveModel {
                id: Set(Uuid::new_v4()),
                school_id: Set(student.school_id),
                student_id: Set(student.id),
                guardian_account_id: Set(guardian_account),
                staff_account_id: Set(staff_account),
                created_at: Set(now),
                last_message_at: Set(now),
                guardian_blocked_until: Set(None),
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    Ok(describe(db, user, vec![c]).await?.remove(0))
}

/// Conversations the caller takes part in, most recent first; a school admin may ask for all of
/// their school's (`school_id`).
pub async fn list(
    state: &AppState,
    user: &Caller,
    filter: &ConversationFilter,
    page: &PageQuery,
) -> ApiResult<Page<Conversation>> {
    let db = &state.db;
    let limit = page.limit()?;
    let mut query = conversation::Entity::find();
    query = match filter.school_id {
        Some(school_id) => {
            access::school_admin(db, user, school_id).await?;
            query.filter(conversation::Column::SchoolId.eq(school_id))
        }
        None => query.filter(
            Condition::any()
                .add(conversation::Column::GuardianAccountId.eq(user.account_id))
                .add(conversation::Column::StaffAccountId.eq(user.account_id)),
        ),
    };
    if let Some(older) = page.older_than(conversation::Column::LastMessageAt, conversation::Column::Id)? {
        query = query.filter(older);
    }
    let rows = query
        .order_by_desc(conversation::Column::LastMessageAt)
        .order_by_desc(conversation::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let items = describe(db, user, rows).await?;
    Ok(Page::from_rows(items, limit, |c| instant_key(c.last_message_at, c.id)))
}

/// Names, last message and unread counts for conversations, as `user` sees them.
async fn describe(
    db: &impl ConnectionTrait,
    user: &Caller,
    rows: Vec<conversation::Model>,
) -> ApiResult<Vec<Conversation>> {
    let students: HashMap<Uuid, String> = student::Entity::find()
        .filter(student::Column::Id.is_in(rows.iter().map(|c| c.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let guardian_names: HashMap<Uuid, String> = guardian::Entity::find()
        .filter(guardian::Column::AccountId.is_in(rows.iter().map(|c| c.guardian_account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.account_id, g.name))
        .collect();
    let staff_names: HashMap<Uuid, String> = staff::Entity::find()
        .filter(staff::Column::AccountId.is_in(rows.iter().map(|c| c.staff_account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.account_id, s.name))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let last = message::Entity::find()
            .filter(message::Column::ConversationId.eq(c.id))
            .order_by_desc(message::Column::CreatedAt)
            .one(db)
            .await?;
        let read_at =
            conversation_read::Entity::find_by_id((c.id, user.account_id)).one(db).await?.map(|r| r.last_read_at);
        let mut unread = message::Entity::find()
            .filter(message::Column::ConversationId.eq(c.id))
            .filter(message::Column::SenderAccountId.ne(user.account_id));
        if let Some(read_at) = read_at {
            unread = unread.filter(message::Column::CreatedAt.gt(read_at));
        }
        out.push(Conversation {
            id: c.id,
            school_id: c.school_id,
            student_id: c.student_id,
            student_name: students.get(&c.student_id).cloned().unwrap_or_default(),
            guardian: Participant {
                account_id: c.guardian_account_id,
                name: guardian_names.get(&c.guardian_account_id).cloned().unwrap_or_default(),
                role: "guardian",
            },
            teacher: Participant {
                account_id: c.staff_account_id,
                name: staff_names.get(&c.staff_account_id).cloned().unwrap_or_default(),
                role: "teacher",
            },
            last_message_at: c.last_message_at,
            last_message_preview: last.map(|m| m.body.chars().take(80).collect()),
            unread: unread.count(db).await?,
            guardian_blocked_until: c.guardian_blocked_until,
        });
    }
    Ok(out)
}

/// Messages of a conversation, newest first: for its participants and the school's admins.
pub async fn messages(state: &AppState, user: &Caller, id: Uuid, page: &PageQuery) -> ApiResult<Page<Message>> {
    let db = &state.db;
    let c = load(db, id).await?;
    role(db, user, &c).await?;
    let limit = page.limit()?;
    let mut query = message::Entity::find().filter(message::Column::ConversationId.eq(id));
    if let Some(older) = page.older_than(message::Column::CreatedAt, message::Column::Id)? {
        query = query.filter(older);
    }
    let rows = query
        .order_by_desc(message::Column::CreatedAt)
        .order_by_desc(message::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let names = participant_names(db, &c).await?;
    let attachments: HashMap<Uuid, attachment::Model> = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(rows.iter().filter_map(|m| m.attachment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let items = rows.into_iter().map(|m| to_dto(m, &names, &attachments)).collect();
    Ok(Page::from_rows(items, limit, |m| instant_key(m.created_at, m.id)))
}

async fn participant_names(db: &impl ConnectionTrait, c: &conversation::Model) -> ApiResult<HashMap<Uuid, String>> {
    let mut names = HashMap::new();
    if let Some(g) =
        guardian::Entity::find().filter(guardian::Column::AccountId.eq(c.guardian_account_id)).one(db).await?
    {
        names.insert(g.account_id, g.name);
    }
    if let Some(s) = staff::Entity::find()
        .filter(staff::Column::AccountId.eq(c.staff_account_id))
        .filter(staff::Column::SchoolId.eq(c.school_id))
        .one(db)
        .await?
    {
        names.insert(s.account_id, s.name);
    }
    Ok(names)
}

fn to_dto(m: message::Model, names: &HashMap<Uuid, String>, attachments: &HashMap<Uuid, attachment::Model>) -> Message {
    Message {
        id: m.id,
        sender_name: names.get(&m.sender_account_id).cloned().unwrap_or_default(),
        sender_account_id: m.sender_account_id,
        body: m.body,
        attachment: m.attachment_id.and_then(|a| attachments.get(&a)).map(attachment_dto),
        created_at: m.created_at,
    }
}

fn attachment_dto(a: &attachment::Model) -> Attachment {
    Attachment {
        id: a.id,
        file_name: a.file_name.clone(),
        content_type: a.content_type.clone(),
        size_bytes: a.size_bytes,
    }
}

fn paused(until: DateTime<Utc>) -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::FORBIDDEN,
        "conversation_paused",
        Text::new("老师暂停了此对话，请稍后再发送。", "The teacher has paused this conversation; write again later."),
    )
    .with_details(serde_json::json!({ "until": until }))
}

/// Sends a message: checked against the content rules when a teacher writes to a family; lands
/// in the other participant's inbox and outbox in the same transaction.
pub async fn send(state: &AppState, user: &Caller, id: Uuid, req: SendMessage) -> ApiResult<Message> {
    let now = state.clock.now();
    let body = req.body.trim().to_owned();
    if body.chars().count() > MAX_BODY_CHARS || (body.is_empty() && req.attachment_id.is_none()) {
        return Err(ApiError::validation(
            "body",
            "消息须为 1 到 2000 个字符（或带附件）。",
            "A message is 1–2,000 characters (or an attachment).",
        ));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = load(&txn, id).await?;
    let my_role = role(&txn, user, &c).await?;
    match my_role {
        ConversationRole::SafeguardingAdmin => return Err(ApiError::forbidden()),
        ConversationRole::Guardian => {
            if let Some(until) = c.guardian_blocked_until.filter(|u| *u > now) {
                return Err(paused(until));
            }
        }
        ConversationRole::Teacher => {
            let violations =
                policy::check(&[Field { name: "body", text: &body }], Channel::Message, Audience::OneFamily);
            if !violations.is_empty() {
                drop(txn); // nothing stored; the refusal is counted in its own transaction
                let district_id = crate::org::model::school::Entity::find_by_id(c.school_id)
                    .one(&state.db)
                    .await?
                    .map(|s| s.district_id);
                let sender = guard::Sender { district_id, school_id: Some(c.school_id) };
                return Err(guard::refuse(&state.db, &violations, Channel::Message, sender, now).await.into());
            }
        }
    }
    let attachment = match req.attachment_id {
        Some(aid) => Some(
            attachment::Entity::find_by_id(aid)
                .filter(attachment::Column::ConversationId.eq(c.id))
                .filter(attachment::Column::UploaderAccountId.eq(user.account_id))
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    ApiError::validation("attachment_id", "附件不存在。", "No such attachment in this conversation.")
                })?,
        ),
        None => None,
    };
    crate::delivery::limits::check_send(state, user, Some(c.school_id)).await?;
    let saved = message::ActiveModel {
        id: Set(Uuid::new_v4()),
        conversation_id: Set(c.id),
        sender_account_id: Set(user.account_id),
        body: Set(body),
        attachment_id: Set(attachment.as_ref().map(|a| a.id)),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let peer = c.peer_of(user.account_id);
    let sender_name =
        summaries(&txn, vec![saved.id]).await?.remove(&saved.id).map(|m| m.sender_name).unwrap_or_default();
    let entry = items::Entry {
        kind: ItemKind::Message,
        ref_id: saved.id,
        title: sender_name.clone(),
        body: preview(&saved.body),
        sender_name,
        urgent: false,
        needs_response: false,
    };
    items::publish(&txn, entry, now).await?;
    items::deliver_to(&txn, peer, ItemKind::Message, saved.id, Some(c.student_id), now).await?;
    // Quiet hours apply both ways: a parent's late message waits for the teacher's morning too,
    // and for the teacher's office hours when the school set them.
    let after = match my_role {
        ConversationRole::Guardian => outbox::deliver_to_staff_after(&txn, c.school_id, now).await?,
        _ => outbox::deliver_after(&txn, Some(c.school_id), false, now).await?,
    };
    outbox::enqueue(&txn, Delivery::of(ItemKind::Message, saved.id, When::At(after)), now).await?;
    let mut active = c.clone().into_active_model();
    active.last_message_at = Set(now);
    active.update(&txn).await?;
    mark_read_in(&txn, user, &c, now).await?;
    txn.commit().await?;
    state.bus.publish(Wake { accounts: Some(vec![peer]) }).await;
    let names = participant_names(&state.db, &c).await?;
    let attachments = attachment.into_iter().map(|a| (a.id, a)).collect();
    Ok(to_dto(saved, &names, &attachments))
}

async fn mark_read_in(
    db: &impl ConnectionTrait,
    user: &Caller,
    c: &conversation::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let marker = conversation_read::ActiveModel {
        conversation_id: Set(c.id),
        account_id: Set(user.account_id),
        last_read_at: Set(now),
    };
    match conversation_read::Entity::find_by_id((c.id, user.account_id)).one(db).await? {
        Some(_) => marker.update(db).await?,
        None => marker.insert(db).await?,
    };
    let of_conversation = message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::ConversationId.eq(c.id))
        .into_query();
    items::mark_read(db, user.account_id, ItemKind::Message, of_conversation, now).await?;
    Ok(())
}

/// Marks everything in the conversation read for the caller (a participant).
pub async fn mark_read(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = load(&txn, id).await?;
    if role(&txn, user, &c).await? == ConversationRole::SafeguardingAdmin {
        return Err(ApiError::forbidden());
    }
    mark_read_in(&txn, user, &c, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The teacher pauses the guardian's messages for a cooling-off period (0 hours lifts it).
pub async fn block(state: &AppState, user: &Caller, id: Uuid, hours: i64) -> ApiResult<Conversation> {
    if !(0..=MAX_BLOCK_HOURS).contains(&hours) {
        return Err(ApiError::validation("hours", "暂停时长须为 0 到 168 小时。", "hours must be 0 to 168."));
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = load(&txn, id).await?;
    match role(&txn, user, &c).await? {
        ConversationRole::Teacher => {}
        _ => return Err(ApiError::forbidden()),
    }
    let mut active = c.into_active_model();
    active.guardian_blocked_until = Set((hours > 0).then(|| now + Duration::hours(hours)));
    let c = active.update(&txn).await?;
    txn.commit().await?;
    Ok(describe(&state.db, user, vec![c]).await?.remove(0))
}

/// Stores an attachment for a later message. The type comes from the bytes, not the client.
pub async fn upload(state: &AppState, user: &Caller, id: Uuid, file_name: &str, bytes: &[u8]) -> ApiResult<Attachment> {
    let c = load(&state.db, id).await?;
    if role(&state.db, user, &c).await? == ConversationRole::SafeguardingAdmin {
        return Err(ApiError::forbidden());
    }
    let content_type = files::sniff(bytes).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_attachment_type",
            Text::new(
                "附件须为图片（PNG、JPEG、GIF、WebP）或 PDF。",
                "Attachments must be images (PNG, JPEG, GIF, WebP) or PDF.",
            ),
        )
    })?;
    let attachment_id = Uuid::new_v4();
    let relative = format!("{}/{}", c.id, attachment_id);
    let path = state.settings.attachments_dir().join(&relative);
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder).await.map_err(ApiError::internal)?;
    }
    tokio::fs::write(&path, bytes).await.map_err(ApiError::internal)?;
    let saved = attachment::ActiveModel {
        id: Set(attachment_id),
        conversation_id: Set(c.id),
        uploader_account_id: Set(user.account_id),
        file_name: Set(files::clean_file_name(file_name)),
        content_type: Set(content_type.into()),
        size_bytes: Set(bytes.len() as i64),
        storage_path: Set(relative),
        created_at: Set(state.clock.now()),
    }
    .insert(&state.db)
    .await;
    match saved {
        Ok(a) => Ok(attachment_dto(&a)),
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await; // no orphan file without its row
            Err(error.into())
        }
    }
}

/// An attachment's bytes, for the conversation's participants and the school's admins only.
pub async fn download(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<(attachment::Model, Vec<u8>)> {
    let a = attachment::Entity::find_by_id(id).one(&state.db).await?.ok_or_else(ApiError::not_found)?;
    let c = load(&state.db, a.conversation_id).await?;
    role(&state.db, user, &c).await?;
    let bytes =
        tokio::fs::read(state.settings.attachments_dir().join(&a.storage_path)).await.map_err(ApiError::internal)?;
    Ok((a, bytes))
}

/// How a message shows in an inbox or a notification.
#[derive(Debug, Clone)]
pub struct MessageSummary {
    pub sender_name: String,
    pub preview: String,
}

/// How a message shows in an inbox, a push or an email: its start, or that it is an attachment.
fn preview(body: &str) -> String {
    if body.is_empty() { "[附件]".to_owned() } else { body.chars().take(80).collect() }
}

/// Summaries of messages by id, in a fixed number of queries.
pub async fn summaries(db: &impl ConnectionTrait, message_ids: Vec<Uuid>) -> ApiResult<HashMap<Uuid, MessageSummary>> {
    if message_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let messages = message::Entity::find().filter(message::Column::Id.is_in(message_ids)).all(db).await?;
    let senders: Vec<Uuid> = messages.iter().map(|m| m.sender_account_id).collect();
    let mut names: HashMap<Uuid, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(senders.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    // Staff and guardians are named as the school knows them.
    for g in guardian::Entity::find().filter(guardian::Column::AccountId.is_in(senders.clone())).all(db).await? {
        names.insert(g.account_id, g.name);
    }
    for s in staff::Entity::find().filter(staff::Column::AccountId.is_in(senders)).all(db).await? {
        names.insert(s.account_id, s.name);
    }
    Ok(messages
        .into_iter()
        .map(|m| {
            let preview = preview(&m.body);
            (
                m.id,
                MessageSummary { sender_name: names.get(&m.sender_account_id).cloned().unwrap_or_default(), preview },
            )
        })
        .collect())
}
