//! Conversation queries: conversations, messages, attachments, read markers, and the names the
//! threads show. Generic over [`ConnectionTrait`] so they run in a pool or a transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use super::model::{attachment, conversation, conversation_read, message};
use crate::access::{ConversationParties, SchoolAdmin};
use crate::auth::model::account;
use crate::error::ApiResult;
use crate::http::pagination::PageQuery;
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::org::model::{guardian, school, staff};

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<conversation::Model>, DbErr> {
    conversation::Entity::find_by_id(id).one(db).await
}

/// The conversation of these parties, opened now if there was none. Two callers opening it at
/// once get the same row: the unique (student, guardian, staff) index settles the race.
pub async fn open(
    db: &impl ConnectionTrait,
    parties: &ConversationParties,
    now: DateTime<Utc>,
) -> Result<conversation::Model, DbErr> {
    let row = conversation::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(parties.school_id),
        student_id: Set(parties.student_id),
        guardian_account_id: Set(parties.guardian_account_id),
        staff_account_id: Set(parties.staff_account_id),
        created_at: Set(now),
        last_message_at: Set(now),
        guardian_blocked_until: Set(None),
    };
    conversation::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                conversation::Column::StudentId,
                conversation::Column::GuardianAccountId,
                conversation::Column::StaffAccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    conversation::Entity::find()
        .filter(conversation::Column::StudentId.eq(parties.student_id))
        .filter(conversation::Column::GuardianAccountId.eq(parties.guardian_account_id))
        .filter(conversation::Column::StaffAccountId.eq(parties.staff_account_id))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the conversation just opened".into()))
}

/// Whose conversations a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The ones the account takes part in.
    Participant(Uuid),
    /// Every conversation of the admin's school (safeguarding).
    School(&'a SchoolAdmin),
}

/// One page of conversations, most recent first.
pub async fn page(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    page: &PageQuery,
) -> ApiResult<Vec<conversation::Model>> {
    let query = conversation::Entity::find().filter(match scope {
        Scope::School(admin) => Condition::all().add(conversation::Column::SchoolId.eq(admin.school_id())),
        // Only the conversations whose relationship still holds (see `access`).
        Scope::Participant(account_id) => crate::access::live_conversations_of(account_id),
    });
    Ok(page.newest_first(query, conversation::Column::LastMessageAt, conversation::Column::Id)?.all(db).await?)
}

/// One page of a conversation's messages, newest first.
pub async fn messages_page(
    db: &impl ConnectionTrait,
    conversation_id: Uuid,
    page: &PageQuery,
) -> ApiResult<Vec<message::Model>> {
    let query = message::Entity::find().filter(message::Column::ConversationId.eq(conversation_id));
    Ok(page.newest_first(query, message::Column::CreatedAt, message::Column::Id)?.all(db).await?)
}

/// The two participants' names, as the conversation's school knows them.
pub async fn participant_names(
    db: &impl ConnectionTrait,
    c: &conversation::Model,
) -> Result<HashMap<Uuid, String>, DbErr> {
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

/// A sender's name: as a school knows them (staff, else guardian), else the account's.
pub async fn sender_name(db: &impl ConnectionTrait, account_id: Uuid) -> Result<String, DbErr> {
    if let Some(s) = staff::Entity::find().filter(staff::Column::AccountId.eq(account_id)).one(db).await? {
        return Ok(s.name);
    }
    if let Some(g) = guardian::Entity::find().filter(guardian::Column::AccountId.eq(account_id)).one(db).await? {
        return Ok(g.name);
    }
    Ok(account::Entity::find_by_id(account_id).one(db).await?.map(|a| a.display_name).unwrap_or_default())
}

pub async fn last_message(db: &impl ConnectionTrait, conversation_id: Uuid) -> Result<Option<message::Model>, DbErr> {
    message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .order_by_desc(message::Column::CreatedAt)
        .one(db)
        .await
}

/// Messages from the other participant `account_id` has not read.
pub async fn unread_count(db: &impl ConnectionTrait, conversation_id: Uuid, account_id: Uuid) -> Result<u64, DbErr> {
    let read_at =
        conversation_read::Entity::find_by_id((conversation_id, account_id)).one(db).await?.map(|r| r.last_read_at);
    let mut unread = message::Entity::find()
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::SenderAccountId.ne(account_id));
    if let Some(read_at) = read_at {
        unread = unread.filter(message::Column::CreatedAt.gt(read_at));
    }
    unread.count(db).await
}

/// Marks the conversation read for `account_id` up to `now`, its inbox items with it. One upsert:
/// two requests marking it at once both succeed.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    conversation_id: Uuid,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let marker = conversation_read::ActiveModel {
        conversation_id: Set(conversation_id),
        account_id: Set(account_id),
        last_read_at: Set(now),
    };
    conversation_read::Entity::insert(marker)
        .on_conflict(
            OnConflict::columns([conversation_read::Column::ConversationId, conversation_read::Column::AccountId])
                .update_column(conversation_read::Column::LastReadAt)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let of_conversation = message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::ConversationId.eq(conversation_id))
        .into_query();
    items::mark_read(db, account_id, ItemKind::Message, of_conversation, now).await?;
    Ok(())
}

/// A message to store.
pub struct NewMessage {
    pub conversation_id: Uuid,
    pub sender_account_id: Uuid,
    pub body: String,
    pub attachment_id: Option<Uuid>,
}

/// Stores a message and makes it the conversation's latest.
pub async fn insert_message(
    db: &impl ConnectionTrait,
    new: NewMessage,
    now: DateTime<Utc>,
) -> Result<message::Model, DbErr> {
    let saved = message::ActiveModel {
        id: Set(Uuid::new_v4()),
        conversation_id: Set(new.conversation_id),
        sender_account_id: Set(new.sender_account_id),
        body: Set(new.body),
        attachment_id: Set(new.attachment_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    conversation::Entity::update_many()
        .col_expr(conversation::Column::LastMessageAt, Expr::value(now))
        .filter(conversation::Column::Id.eq(new.conversation_id))
        .exec(db)
        .await?;
    Ok(saved)
}

/// Pauses the conversation's guardian until `until` (none lifts the pause).
pub async fn set_guardian_blocked_until(
    db: &impl ConnectionTrait,
    c: conversation::Model,
    until: Option<DateTime<Utc>>,
) -> Result<conversation::Model, DbErr> {
    let mut active = c.into_active_model();
    active.guardian_blocked_until = Set(until);
    active.update(db).await
}

pub async fn find_attachment(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(db).await
}

/// An attachment `uploader` put into this conversation (the only ones they may send).
pub async fn uploaded_attachment(
    db: &impl ConnectionTrait,
    id: Uuid,
    conversation_id: Uuid,
    uploader_account_id: Uuid,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id)
        .filter(attachment::Column::ConversationId.eq(conversation_id))
        .filter(attachment::Column::UploaderAccountId.eq(uploader_account_id))
        .one(db)
        .await
}

/// Attachments by id.
pub async fn attachments(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, attachment::Model>, DbErr> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

pub async fn insert_attachment(db: &impl ConnectionTrait, row: attachment::Model) -> Result<attachment::Model, DbErr> {
    attachment::ActiveModel {
        id: Set(row.id),
        conversation_id: Set(row.conversation_id),
        uploader_account_id: Set(row.uploader_account_id),
        file_name: Set(row.file_name),
        content_type: Set(row.content_type),
        size_bytes: Set(row.size_bytes),
        storage_path: Set(row.storage_path),
        created_at: Set(row.created_at),
    }
    .insert(db)
    .await
}

/// The district of a school (a refusal is counted by district).
pub async fn district_of(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(school::Entity::find_by_id(school_id).one(db).await?.map(|s| s.district_id))
}
