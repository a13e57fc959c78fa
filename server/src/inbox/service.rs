//! Inbox reads.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::dto::{InboxItem, InboxQuery, UnreadCount};
use super::model::{ItemKind, inbox_item, inbox_item_child};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::homework::model::homework;
use crate::http::pagination::{Page, PageQuery};
use crate::notices::dto::ChildRef;
use crate::notices::model::{ResponseMode, notice};
use crate::org::model::student;
use crate::state::AppState;

const PREVIEW_CHARS: usize = 80;

pub async fn list(
    state: &AppState,
    user: &AuthUser,
    filter: &InboxQuery,
    page: &PageQuery,
) -> ApiResult<Page<InboxItem>> {
    let db = &state.db;
    let limit = page.limit()?;
    let mut query = inbox_item::Entity::find().filter(inbox_item::Column::AccountId.eq(user.account_id));
    if filter.unread {
        query = query.filter(inbox_item::Column::ReadAt.is_null());
    }
    if let Some(after) = page.after()? {
        let seq: i64 =
            after.parse().map_err(|_| ApiError::validation("cursor", "cursor 无效。", "cursor is invalid."))?;
        query = query.filter(inbox_item::Column::Seq.lt(seq));
    }
    let items = query.order_by_desc(inbox_item::Column::Seq).limit(limit + 1).all(db).await?;

    if items.is_empty() {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    }
    let ids_of =
        |kind: ItemKind| items.iter().filter(|i| i.kind == kind.as_str()).map(|i| i.ref_id).collect::<Vec<Uuid>>();
    // One query per kind present on the page, and none for a kind that is not.
    let notice_ids = ids_of(ItemKind::Notice);
    let notices: HashMap<Uuid, notice::Model> = if notice_ids.is_empty() {
        HashMap::new()
    } else {
        notice::Entity::find()
            .filter(notice::Column::Id.is_in(notice_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect()
    };
    let messages = crate::conversations::service::summaries(db, ids_of(ItemKind::Message)).await?;
    let homework_ids = ids_of(ItemKind::Homework);
    let homework: HashMap<Uuid, homework::Model> = if homework_ids.is_empty() {
        HashMap::new()
    } else {
        homework::Entity::find()
            .filter(homework::Column::Id.is_in(homework_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|h| (h.id, h))
            .collect()
    };
    // The children each item concerns, with their names, in one join.
    let child_rows: Vec<(String, Uuid, Uuid, String)> = inbox_item_child::Entity::find()
        .select_only()
        .column(inbox_item_child::Column::Kind)
        .column(inbox_item_child::Column::RefId)
        .column(inbox_item_child::Column::StudentId)
        .column_as(student::Column::Name, "name")
        .join(
            sea_orm::JoinType::InnerJoin,
            inbox_item_child::Entity::belongs_to(student::Entity)
                .from(inbox_item_child::Column::StudentId)
                .to(student::Column::Id)
                .into(),
        )
        .filter(inbox_item_child::Column::AccountId.eq(user.account_id))
        .filter(inbox_item_child::Column::RefId.is_in(items.iter().map(|i| i.ref_id)))
        .into_tuple()
        .all(db)
        .await?;

    let rows: Vec<InboxItem> = items
        .into_iter()
        .filter_map(|item| {
            let kind = ItemKind::parse(&item.kind)?;
            let mut children: Vec<ChildRef> = child_rows
                .iter()
                .filter(|(kind, ref_id, _, _)| *ref_id == item.ref_id && *kind == item.kind)
                .map(|(_, _, id, name)| ChildRef { id: *id, name: name.clone() })
                .collect();
            children.sort_by(|a, b| a.name.cmp(&b.name));
            let (title, preview, sender_name, urgent, recalled, awaiting_response) = match kind {
                ItemKind::Notice => {
                    let n = notices.get(&item.ref_id)?;
                    let recalled = n.recalled_at.is_some();
                    (
                        n.title.clone(),
                        if recalled { String::new() } else { n.body.chars().take(PREVIEW_CHARS).collect() },
                        n.sender_name.clone(),
                        n.urgent,
                        recalled,
                        !recalled && n.response_mode != ResponseMode::Read && item.responded_at.is_none(),
                    )
                }
                ItemKind::Message => {
                    let m = messages.get(&item.ref_id)?;
                    (m.sender_name.clone(), m.preview.clone(), m.sender_name.clone(), false, false, false)
                }
                ItemKind::Homework => {
                    let h = homework.get(&item.ref_id)?;
                    let withdrawn = h.withdrawn_at.is_some();
                    (
                        crate::homework::service::headline(h),
                        if withdrawn { String::new() } else { h.content.chars().take(PREVIEW_CHARS).collect() },
                        h.teacher_name.clone(),
                        false,
                        withdrawn,
                        false,
                    )
                }
            };
            Some(InboxItem {
                seq: item.seq,
                kind,
                ref_id: item.ref_id,
                created_at: item.created_at,
                read: item.read_at.is_some(),
                title,
                preview,
                sender_name,
                urgent,
                recalled,
                awaiting_response,
                children,
            })
        })
        .collect();
    Ok(Page::from_rows(rows, limit, |i| i.seq.to_string()))
}

pub async fn unread_count(state: &AppState, user: &AuthUser) -> ApiResult<UnreadCount> {
    let db = &state.db;
    let unread = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(inbox_item::Column::ReadAt.is_null())
        .count(db)
        .await?;
    let awaiting_notices = notice::Entity::find()
        .select_only()
        .column(notice::Column::Id)
        .filter(notice::Column::ResponseMode.ne(ResponseMode::Read))
        .filter(notice::Column::RecalledAt.is_null())
        .into_query();
    let awaiting_response = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(inbox_item::Column::Kind.eq(ItemKind::Notice.as_str()))
        .filter(inbox_item::Column::RespondedAt.is_null())
        .filter(inbox_item::Column::RefId.in_subquery(awaiting_notices))
        .count(db)
        .await?;
    Ok(UnreadCount { unread, awaiting_response })
}
