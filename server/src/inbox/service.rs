//! Inbox reads.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use super::dto::{InboxItem, InboxQuery, UnreadCount};
use super::model::{ItemKind, inbox_entry, inbox_item, inbox_item_child};
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Page, PageQuery};
use crate::org::dto::ChildRef;
use crate::org::model::student;
use crate::state::AppState;

const PREVIEW_CHARS: usize = 80;

pub async fn list(
    state: &AppState,
    user: &Caller,
    filter: &InboxQuery,
    page: &PageQuery,
) -> ApiResult<Page<InboxItem>> {
    let db = &state.db;
    let limit = page.limit()?;
    let mut query = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(still_concerns(user.account_id));
    if filter.unread {
        query = query.filter(inbox_item::Column::ReadAt.is_null());
    }
    if let Some(after) = page.after()? {
        let seq: i64 = after.parse().map_err(|_| ApiError::invalid_cursor())?;
        query = query.filter(inbox_item::Column::Seq.lt(seq));
    }
    let items = query.order_by_desc(inbox_item::Column::Seq).limit(limit + 1).all(db).await?;

    if items.is_empty() {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    }
    // What each item says, in one query.
    let entries: HashMap<(String, Uuid), inbox_entry::Model> = inbox_entry::Entity::find()
        .filter(inbox_entry::Column::RefId.is_in(items.iter().map(|i| i.ref_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| ((e.kind.clone(), e.ref_id), e))
        .collect();
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
            let entry = entries.get(&(item.kind.clone(), item.ref_id))?;
            let recalled = entry.withdrawn;
            Some(InboxItem {
                seq: item.seq,
                kind,
                ref_id: item.ref_id,
                subject_id: entry.subject_id,
                created_at: item.created_at,
                read: item.read_at.is_some(),
                title: entry.title.clone(),
                preview: if recalled { String::new() } else { entry.body.chars().take(PREVIEW_CHARS).collect() },
                sender_name: entry.sender_name.clone(),
                urgent: entry.urgent,
                recalled,
                awaiting_response: !recalled && entry.needs_response && item.responded_at.is_none(),
                children,
            })
        })
        .collect();
    Ok(Page::from_rows(rows, limit, |i| i.seq.to_string()))
}

pub async fn unread_count(state: &AppState, user: &Caller) -> ApiResult<UnreadCount> {
    let db = &state.db;
    let unread = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(still_concerns(user.account_id))
        .filter(inbox_item::Column::ReadAt.is_null())
        .count(db)
        .await?;
    let awaiting = inbox_entry::Entity::find()
        .select_only()
        .column(inbox_entry::Column::RefId)
        .filter(inbox_entry::Column::NeedsResponse.eq(true))
        .filter(inbox_entry::Column::Withdrawn.eq(false))
        .into_query();
    let awaiting_response = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(still_concerns(user.account_id))
        .filter(inbox_item::Column::RespondedAt.is_null())
        .filter(inbox_item::Column::RefId.in_subquery(awaiting))
        .count(db)
        .await?;
    Ok(UnreadCount { unread, awaiting_response })
}

/// The items a family received about its children (notices, homework, after-school news) stay in
/// its inbox while the account still cares for one of those children (a link that is not
/// pickup-only): a custody change takes them out of the list and the counts, as it closes them
/// to reading (`access::cares_for_any`). Items about no child, and messages (their conversation
/// decides, and the teacher's copy names the child too), are always listed.
fn still_concerns(account_id: Uuid) -> Condition {
    use sea_orm::ActiveEnum;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};

    use crate::org::model::{AccessLevel, guardian, guardianship};
    let children = || {
        Query::select()
            .expr(Expr::val(1))
            .from(inbox_item_child::Entity)
            .and_where(Expr::col((inbox_item_child::Entity, inbox_item_child::Column::AccountId)).eq(account_id))
            .and_where(
                Expr::col((inbox_item_child::Entity, inbox_item_child::Column::Kind))
                    .equals((inbox_item::Entity, inbox_item::Column::Kind)),
            )
            .and_where(
                Expr::col((inbox_item_child::Entity, inbox_item_child::Column::RefId))
                    .equals((inbox_item::Entity, inbox_item::Column::RefId)),
            )
            .to_owned()
    };
    let cared_for = children()
        .inner_join(
            guardianship::Entity,
            Expr::col((guardianship::Entity, guardianship::Column::StudentId))
                .equals((inbox_item_child::Entity, inbox_item_child::Column::StudentId)),
        )
        .inner_join(
            guardian::Entity,
            Expr::col((guardian::Entity, guardian::Column::Id))
                .equals((guardianship::Entity, guardianship::Column::GuardianId)),
        )
        .and_where(Expr::col((guardian::Entity, guardian::Column::AccountId)).eq(account_id))
        .and_where(
            Expr::col((guardianship::Entity, guardianship::Column::AccessLevel)).ne(AccessLevel::Pickup.to_value()),
        )
        .to_owned();
    Condition::any()
        .add(inbox_item::Column::Kind.eq(ItemKind::Message.as_str()))
        .add(Expr::exists(children()).not())
        .add(Expr::exists(cared_for))
}

/// The inbox items after each of many `(account, after)` positions, in one query: up to `limit`
/// items each, in `seq` order, answered in the order asked (an account asked twice, for two streams at two
/// positions, gets two answers). The positions ride in a `VALUES` list joined to the inbox, which
/// both backends plan as one index probe per position.
pub async fn items_after_each(
    db: &impl ConnectionTrait,
    positions: &[(Uuid, i64)],
    limit: u64,
) -> Result<Vec<Vec<inbox_item::Model>>, DbErr> {
    use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
    let mut answers: Vec<Vec<inbox_item::Model>> = vec![Vec::new(); positions.len()];
    if positions.is_empty() {
        return Ok(answers);
    }
    let backend = db.get_database_backend();
    // PostgreSQL cannot infer a VALUES list's types from its use: cast each parameter. SQLite
    // would read the casts as numeric affinity, so it gets bare placeholders.
    let row = |n: usize| match backend {
        DbBackend::Postgres => format!("(${}::int8, ${}::uuid, ${}::int8)", 3 * n + 1, 3 * n + 2, 3 * n + 3),
        _ => "(?, ?, ?)".to_owned(),
    };
    let rows: Vec<String> = (0..positions.len()).map(row).collect();
    let sql = format!(
        "WITH w(idx, account, after) AS (VALUES {}) \
         SELECT * FROM (SELECT w.idx AS idx, i.*, \
           ROW_NUMBER() OVER (PARTITION BY w.idx ORDER BY i.seq) AS rn \
           FROM w JOIN inbox_items i ON i.account_id = w.account AND i.seq > w.after) t \
         WHERE rn <= {limit} ORDER BY idx, seq",
        rows.join(", ")
    );
    let values: Vec<Value> = positions
        .iter()
        .enumerate()
        .flat_map(|(n, (account, after))| [Value::from(n as i64), Value::from(*account), Value::from(*after)])
        .collect();
    for found in db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await? {
        let idx: i64 = found.try_get("", "idx")?;
        let item = inbox_item::Model::from_query_result(&found, "")?;
        if let Some(answer) = usize::try_from(idx).ok().and_then(|i| answers.get_mut(i)) {
            answer.push(item);
        }
    }
    Ok(answers)
}

/// The newest `seq` of the account's inbox (0 when empty): where a fresh stream starts.
pub async fn latest_seq(db: &impl ConnectionTrait, account_id: Uuid) -> Result<i64, DbErr> {
    Ok(inbox_item::Entity::find()
        .select_only()
        .column_as(inbox_item::Column::Seq.max(), "seq")
        .filter(inbox_item::Column::AccountId.eq(account_id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0))
}
