//! Inbox reads.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::audiences;
use super::dto::{InboxItem, InboxQuery, UnreadCount};
use super::model::{ItemKind, inbox_audience, inbox_entry, inbox_item, inbox_item_child};
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Page, PageQuery};
use crate::org::audience;
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
    let before = match page.after()? {
        Some(after) => Some(after.parse::<i64>().map_err(|_| ApiError::invalid_cursor())?),
        None => None,
    };
    if filter.unread {
        query = query.filter(inbox_item::Column::ReadAt.is_null());
    }
    if let Some(seq) = before {
        query = query.filter(inbox_item::Column::Seq.lt(seq));
    }
    let mut items = query.order_by_desc(inbox_item::Column::Seq).limit(limit + 1).all(db).await?;
    // School-wide items going out that the caller has no row of yet, at their audience's position
    // (see `inbox::audiences`): merged in while any is going out, a second or so after each.
    let mut school_of_shared: HashMap<Uuid, Uuid> = HashMap::new();
    if going_out(state).await? {
        let mut shared = shared_items(user.account_id);
        if let Some(seq) = before {
            shared.and_where(Expr::col(("a", "seq")).lt(seq));
        }
        shared.order_by(("a", "seq"), sea_orm::Order::Desc).limit(limit + 1);
        for row in db.query_all(&shared).await? {
            let row = SharedItem::from_query_result(&row, "")?;
            school_of_shared.insert(row.ref_id, row.school_id);
            items.push(row.into_item(user.account_id));
        }
        items.sort_by_key(|item| std::cmp::Reverse(item.seq));
        items.truncate(limit as usize + 1);
    }

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
    // A school-wide item going out concerns the caller's children at that school, as they are now.
    let school_children: Vec<(Uuid, Uuid, String)> = if school_of_shared.is_empty() {
        Vec::new()
    } else {
        db.query_all(&audience::children_reaching(user.account_id))
            .await?
            .iter()
            .map(|row| Ok((row.try_get("", "school_id")?, row.try_get("", "id")?, row.try_get("", "name")?)))
            .collect::<Result<_, DbErr>>()?
    };

    let rows: Vec<InboxItem> = items
        .into_iter()
        .filter_map(|item| {
            let kind = ItemKind::parse(&item.kind)?;
            let mut children: Vec<ChildRef> = match school_of_shared.get(&item.ref_id) {
                Some(school) => school_children
                    .iter()
                    .filter(|(at, _, _)| at == school)
                    .map(|(_, id, name)| ChildRef { id: *id, name: name.clone() })
                    .collect(),
                None => child_rows
                    .iter()
                    .filter(|(kind, ref_id, _, _)| *ref_id == item.ref_id && *kind == item.kind)
                    .map(|(_, _, id, name)| ChildRef { id: *id, name: name.clone() })
                    .collect(),
            };
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
    // And the school-wide items going out that the caller has no row of yet.
    let (mut shared_unread, mut shared_awaiting) = (0, 0);
    if going_out(state).await? {
        let mut shared = shared_items(user.account_id);
        shared
            .clear_selects()
            .expr_as(Expr::col(("e", "needs_response")), Alias::new("needs_response"))
            .expr_as(Expr::col(("e", "withdrawn")), Alias::new("withdrawn"))
            .join_as(
                sea_orm::JoinType::InnerJoin,
                "inbox_entries",
                "e",
                Expr::col(("e", "kind")).equals(("a", "kind")).and(Expr::col(("e", "ref_id")).equals(("a", "ref_id"))),
            );
        for row in db.query_all(&shared).await? {
            let (needs_response, withdrawn): (bool, bool) =
                (row.try_get("", "needs_response")?, row.try_get("", "withdrawn")?);
            shared_unread += 1;
            shared_awaiting += u64::from(needs_response && !withdrawn);
        }
    }
    Ok(UnreadCount { unread: unread + shared_unread, awaiting_response: awaiting_response + shared_awaiting })
}

/// Whether reads should look for school-wide items going out: the database's answer, kept by the
/// instance until the next wake for everyone (see [`audiences::GOING_OUT_MEMO`]), so that an inbox
/// read asks nothing more than before audiences existed.
async fn going_out(state: &AppState) -> Result<bool, DbErr> {
    let (remembered, broadcasts) = state.bus.remembered(audiences::GOING_OUT_MEMO);
    if let Some(answer) = remembered {
        return Ok(answer);
    }
    let answer = audiences::any_going_out(&state.db).await?;
    state.bus.remember(answer, broadcasts);
    Ok(answer)
}

/// A school-wide item going out, as the inbox of an account without a row of it lists it: at its
/// audience's position, unread.
#[derive(Debug, FromQueryResult)]
struct SharedItem {
    seq: i64,
    kind: String,
    ref_id: Uuid,
    created_at: DateTime<Utc>,
    school_id: Uuid,
}

impl SharedItem {
    fn into_item(self, account_id: Uuid) -> inbox_item::Model {
        inbox_item::Model {
            seq: self.seq,
            account_id,
            kind: self.kind,
            ref_id: self.ref_id,
            created_at: self.created_at,
            read_at: None,
            responded_at: None,
            response_option: None,
            response_text: None,
        }
    }
}

/// The school-wide items going out that an account's inbox lists (see [`crate::inbox::audiences`]):
/// those to the schools it is a family of now, while it has no row of its own of them.
fn shared_items(account_id: Uuid) -> SelectStatement {
    Query::select()
        .column(("a", "seq"))
        .column(("a", "kind"))
        .column(("a", "ref_id"))
        .column(("a", "created_at"))
        .column(("a", "school_id"))
        .from_as(inbox_audience::Entity, Alias::new("a"))
        .join_as(
            sea_orm::JoinType::LeftJoin,
            inbox_item::Entity,
            Alias::new("i"),
            Expr::col(("i", "account_id"))
                .eq(account_id)
                .and(Expr::col(("i", "kind")).equals(("a", "kind")))
                .and(Expr::col(("i", "ref_id")).equals(("a", "ref_id"))),
        )
        .and_where(Expr::col(("a", "expanded_at")).is_null())
        .and_where(Expr::col(("i", "seq")).is_null())
        .and_where(Expr::col(("a", "school_id")).in_subquery(audience::schools_reaching(account_id)))
        .to_owned()
}

/// The items a family received about its children (notices, homework, after-school news) stay in
/// its inbox while the account still cares for one of those children (a link that is not
/// pickup-only): a custody change takes them out of the list and the counts, as it closes them
/// to reading (`access::cares_for_any`). Items about no child, and messages (their conversation
/// decides, and the teacher's copy names the child too), are always listed.
fn still_concerns(account_id: Uuid) -> Condition {
    use sea_orm::ActiveEnum;

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
/// both backends plan as one index probe per position, and to the school-wide items going out
/// (see [`shared_items`]: the same rule, written out for many accounts at once). An account's own
/// row of a school-wide item is skipped by a stream already past the item's audience: it sent
/// the item then.
pub async fn items_after_each(
    db: &impl ConnectionTrait,
    positions: &[(Uuid, i64)],
    limit: u64,
) -> Result<Vec<Vec<inbox_item::Model>>, DbErr> {
    use sea_orm::{DbBackend, Statement, Value};
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
    // Whether the school-wide audience reaches the position's account: the rule of
    // `org::audience`, rendered with its literals inline (it binds nothing).
    let mut member = audience::children_reaching_account(Expr::col(("w", "account")));
    member.and_where(Expr::col(("s", "school_id")).equals(("a", "school_id")));
    let member = match backend {
        DbBackend::Postgres => member.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        _ => member.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    };
    let sql = format!(
        "WITH w(idx, account, after) AS (VALUES {}) \
         SELECT * FROM (SELECT u.*, ROW_NUMBER() OVER (PARTITION BY u.idx ORDER BY u.seq) AS rn FROM ( \
           SELECT w.idx AS idx, i.seq, i.account_id, i.kind, i.ref_id, i.created_at, i.read_at, \
             i.responded_at, i.response_option, i.response_text \
           FROM w JOIN inbox_items i ON i.account_id = w.account AND i.seq > w.after \
           WHERE NOT EXISTS (SELECT 1 FROM inbox_audiences x \
             WHERE x.kind = i.kind AND x.ref_id = i.ref_id AND x.seq <= w.after) \
           UNION ALL \
           SELECT w.idx, a.seq, w.account, a.kind, a.ref_id, a.created_at, NULL, NULL, NULL, NULL \
           FROM w JOIN inbox_audiences a ON a.seq > w.after AND a.expanded_at IS NULL \
           WHERE NOT EXISTS (SELECT 1 FROM inbox_items p \
               WHERE p.account_id = w.account AND p.kind = a.kind AND p.ref_id = a.ref_id) \
             AND EXISTS ({member}) \
         ) u) t WHERE rn <= {limit} ORDER BY idx, seq",
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

/// The newest position of the account's inbox (0 when empty): where a fresh stream starts.
pub async fn latest_seq(state: &AppState, account_id: Uuid) -> Result<i64, DbErr> {
    let db = &state.db;
    let own: Option<i64> = inbox_item::Entity::find()
        .select_only()
        .column_as(inbox_item::Column::Seq.max(), "seq")
        .filter(inbox_item::Column::AccountId.eq(account_id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    if !going_out(state).await? {
        return Ok(own.unwrap_or(0));
    }
    let mut shared = shared_items(account_id);
    shared.clear_selects().expr_as(Expr::col(("a", "seq")).max(), Alias::new("seq"));
    let shared: Option<i64> = match db.query_one(&shared).await? {
        Some(row) => row.try_get("", "seq")?,
        None => None,
    };
    Ok(Ord::max(own, shared).unwrap_or(0))
}
