//! Conversation use cases. Each takes the caller, asks `crate::access` for its part in the
//! conversation, checks the rules, and writes in one transaction: a message commits with its
//! inbox item and its delivery; the real-time wake-up follows the commit.

use std::collections::HashMap;

use uuid::Uuid;

use super::dto::{Attachment, Conversation, ConversationFilter, Message, Participant, StartConversation};
use super::error::ConversationError;
use super::model::{attachment, conversation};
use super::repo::{self, NewMessage, Scope};
use super::rules::{self, CoolingOff, MessageDraft};
use crate::access::{self, Caller, ConversationParticipant};
use crate::delivery::outbox::{self, Delivery, When};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::http::pagination::{Page, PageQuery, instant_key};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::org;
use crate::policy::{self, Audience, Channel, Field, RuleId};
use crate::state::AppState;

async fn load(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> ApiResult<conversation::Model> {
    repo::find(db, id).await?.ok_or_else(ApiError::not_found)
}

/// Opens (or finds) the conversation between a guardian and a teacher of their child.
pub async fn start(state: &AppState, user: &Caller, req: StartConversation) -> ApiResult<Conversation> {
    let db = &state.db;
    let parties = access::conversation_parties(db, user, req.student_id, req.with_account_id).await?;
    let txn = crate::infra::db::begin(db).await?;
    let c = repo::open(&txn, &parties, state.clock.now()).await?;
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
    let admin = match filter.school_id {
        Some(school_id) => Some(access::school_admin(db, user, school_id).await?),
        None => None,
    };
    let scope = admin.as_ref().map_or(Scope::Participant(user.account_id), Scope::School);
    let rows = repo::page(db, scope, page).await?;
    let items = describe(db, user, rows).await?;
    Ok(Page::from_rows(items, limit, |c| instant_key(c.last_message_at, c.id)))
}

/// Names, last message and unread counts for conversations, as `user` sees them.
async fn describe(
    db: &impl sea_orm::ConnectionTrait,
    user: &Caller,
    rows: Vec<conversation::Model>,
) -> ApiResult<Vec<Conversation>> {
    let students = org::repo::student_names(db, rows.iter().map(|c| c.student_id).collect()).await?;
    let guardian_names =
        org::repo::guardian_names_by_account(db, rows.iter().map(|c| c.guardian_account_id).collect()).await?;
    let staff_names: HashMap<Uuid, String> =
        org::repo::staff_names_by_account(db, rows.iter().map(|c| c.staff_account_id).collect())
            .await?
            .into_iter()
            .collect();
    let name = |names: &HashMap<Uuid, String>, id: Uuid| names.get(&id).cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let last = repo::last_message(db, c.id).await?;
        out.push(Conversation {
            id: c.id,
            school_id: c.school_id,
            student_id: c.student_id,
            student_name: name(&students, c.student_id),
            guardian: Participant {
                account_id: c.guardian_account_id,
                name: name(&guardian_names, c.guardian_account_id),
                role: "guardian",
            },
            teacher: Participant {
                account_id: c.staff_account_id,
                name: name(&staff_names, c.staff_account_id),
                role: "teacher",
            },
            last_message_at: c.last_message_at,
            last_message_preview: last.map(|m| rules::snippet(&m.body)),
            unread: repo::unread_count(db, c.id, user.account_id).await?,
            guardian_blocked_until: c.guardian_blocked_until,
        });
    }
    Ok(out)
}

/// Messages of a conversation, newest first: for its participants and the school's admins.
pub async fn messages(state: &AppState, user: &Caller, id: Uuid, page: &PageQuery) -> ApiResult<Page<Message>> {
    let db = &state.db;
    let c = load(db, id).await?;
    access::conversation_role(db, user, &c).await?;
    let limit = page.limit()?;
    let rows = repo::messages_page(db, id, page).await?;
    let names = repo::participant_names(db, &c).await?;
    let attachments = repo::attachments(db, rows.iter().filter_map(|m| m.attachment_id)).await?;
    let items = rows.into_iter().map(|m| Message::of(m, &names, &attachments)).collect();
    Ok(Page::from_rows(items, limit, |m| instant_key(m.created_at, m.id)))
}

/// Sends a message: checked against the content rules when a teacher writes to a family; lands
/// in the other participant's inbox and outbox in the same transaction.
///
/// `confirmed`: the rules the teacher confirmed after the guard held this message for review.
pub async fn send(
    state: &AppState,
    user: &Caller,
    id: Uuid,
    draft: MessageDraft,
    confirmed: &[RuleId],
) -> ApiResult<Message> {
    let now = state.clock.now();
    let db = &state.db;
    let c = load(db, id).await?;
    let writer = access::conversation_participant(db, user, &c).await?;
    rules::may_send(writer, c.guardian_blocked_until, now)?;
    if !access::conversation_peer_present(db, writer, &c).await? {
        return Err(ConversationError::Closed.into());
    }
    // The rules the teacher confirmed after review, to count with the message.
    let mut reviewed: Option<(guard::Sender, Vec<RuleId>)> = None;
    if writer == ConversationParticipant::Teacher {
        let violations =
            policy::check(&[Field { name: "body", text: draft.body() }], Channel::Message, Audience::OneFamily);
        if !violations.is_empty() {
            // Refused or held: nothing is stored; a refusal is counted in its own write.
            let sender =
                guard::Sender { district_id: repo::district_of(db, c.school_id).await?, school_id: Some(c.school_id) };
            let rules = guard::screen(db, violations, confirmed, Channel::Message, sender, now).await?;
            reviewed = Some((sender, rules));
        }
    }
    let attachment = match draft.attachment_id() {
        Some(aid) => Some(
            repo::uploaded_attachment(db, aid, c.id, user.account_id)
                .await?
                .ok_or(ConversationError::UnknownAttachment)?,
        ),
        None => None,
    };
    // Counted before the transaction opens: no Redis round trip while it holds its locks.
    crate::delivery::limits::check_send(state, user, Some(c.school_id)).await?;

    let txn = crate::infra::db::begin(db).await?;
    if let Some((sender, rules)) = &reviewed {
        guard::count_reviewed(&txn, rules, Channel::Message, *sender, now).await?;
    }
    let new = NewMessage {
        conversation_id: c.id,
        sender_account_id: user.account_id,
        body: draft.into_body(),
        attachment_id: attachment.as_ref().map(|a| a.id),
    };
    let saved = repo::insert_message(&txn, new, now).await?;
    let peer = c.peer_of(user.account_id);
    let sender_name = repo::sender_name(&txn, user.account_id).await?;
    let entry = items::Entry {
        kind: ItemKind::Message,
        ref_id: saved.id,
        title: sender_name.clone(),
        body: rules::preview(&saved.body),
        sender_name,
        urgent: false,
        needs_response: false,
        subject_id: None,
    };
    items::publish(&txn, entry, now).await?;
    items::deliver_to(&txn, peer, ItemKind::Message, saved.id, Some(c.student_id), now).await?;
    // Quiet hours apply both ways: a parent's late message waits for the teacher's morning too,
    // and for the teacher's office hours when the school set them.
    let after = match writer {
        ConversationParticipant::Guardian => outbox::deliver_to_staff_after(&txn, c.school_id, now).await?,
        ConversationParticipant::Teacher => outbox::deliver_after(&txn, Some(c.school_id), false, now).await?,
    };
    outbox::enqueue(&txn, Delivery::of(ItemKind::Message, saved.id, Some(c.school_id), When::At(after)), now).await?;
    repo::mark_read(&txn, c.id, user.account_id, now).await?;
    txn.commit().await?;

    state.bus.publish(Wake::items(Some(vec![peer]))).await;
    let names = repo::participant_names(db, &c).await?;
    let attachments = attachment.into_iter().map(|a| (a.id, a)).collect();
    Ok(Message::of(saved, &names, &attachments))
}

/// Marks everything in the conversation read for the caller (a participant).
pub async fn mark_read(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = load(&txn, id).await?;
    access::conversation_participant(&txn, user, &c).await?;
    repo::mark_read(&txn, c.id, user.account_id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The teacher pauses the guardian's messages for a cooling-off period (none lifts it).
pub async fn block(state: &AppState, user: &Caller, id: Uuid, cooling_off: CoolingOff) -> ApiResult<Conversation> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = load(&txn, id).await?;
    access::conversation_teacher(&txn, user, &c).await?;
    let c = repo::set_guardian_blocked_until(&txn, c, cooling_off.until(now)).await?;
    txn.commit().await?;
    Ok(describe(&state.db, user, vec![c]).await?.remove(0))
}

/// Stores an attachment for a later message. The type comes from the bytes, not the client.
pub async fn upload(state: &AppState, user: &Caller, id: Uuid, file_name: &str, bytes: &[u8]) -> ApiResult<Attachment> {
    let db = &state.db;
    let c = load(db, id).await?;
    access::conversation_participant(db, user, &c).await?;
    let content_type = rules::attachment_type(bytes)?;
    let attachment_id = Uuid::new_v4();
    let relative = format!("{}/{}", c.id, attachment_id);
    let path = state.settings.attachments_dir().join(&relative);
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder).await.map_err(ApiError::internal)?;
    }
    tokio::fs::write(&path, bytes).await.map_err(ApiError::internal)?;
    let row = attachment::Model {
        id: attachment_id,
        conversation_id: c.id,
        uploader_account_id: user.account_id,
        file_name: crate::files::clean_file_name(file_name),
        content_type: content_type.into(),
        size_bytes: bytes.len() as i64,
        storage_path: relative,
        created_at: state.clock.now(),
    };
    match repo::insert_attachment(db, row).await {
        Ok(a) => Ok(Attachment::from(&a)),
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await; // no orphan file without its row
            Err(error.into())
        }
    }
}

/// An attachment's bytes, for the conversation's participants and the school's admins only.
pub async fn download(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<(attachment::Model, Vec<u8>)> {
    let db = &state.db;
    let a = repo::find_attachment(db, id).await?.ok_or_else(ApiError::not_found)?;
    let c = load(db, a.conversation_id).await?;
    access::conversation_role(db, user, &c).await?;
    let bytes =
        tokio::fs::read(state.settings.attachments_dir().join(&a.storage_path)).await.map_err(ApiError::internal)?;
    Ok((a, bytes))
}
