//! The inbox's API for the domains whose items it carries (notices, homework, conversations…):
//! what an item says (its entry, written once per item), who gets it (the fan-out, one set-based
//! `INSERT … SELECT`), and what a push or an email about it says to one recipient. The owning
//! domain calls these inside its own transaction; the inbox never reads the owners' tables.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

pub use super::model::ItemKind;
use super::model::{inbox_entry, inbox_item, inbox_item_child};
pub use crate::org::audience::Recipients;
use crate::org::dto::ChildRef;
use crate::org::model::student;

/// What an item says, the same for every recipient.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: ItemKind,
    pub ref_id: Uuid,
    pub title: String,
    /// The whole text (a message: its preview).
    pub body: String,
    pub sender_name: String,
    pub urgent: bool,
    /// The recipient is asked to confirm or reply.
    pub needs_response: bool,
    /// What the item opens when that is not `ref_id`: a step of a complaint is an item of its own
    /// (each audience is told something different) that opens the complaint.
    pub subject_id: Option<Uuid>,
}

/// Writes (or rewrites, after an edit) what an item says.
pub async fn publish(db: &impl ConnectionTrait, entry: Entry, now: DateTime<Utc>) -> Result<(), DbErr> {
    publish_all(db, vec![entry], now).await
}

/// [`publish`] for several items, in one statement.
pub async fn publish_all(db: &impl ConnectionTrait, entries: Vec<Entry>, now: DateTime<Utc>) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = entries.into_iter().map(|entry| inbox_entry::ActiveModel {
        kind: Set(entry.kind.as_str().to_owned()),
        ref_id: Set(entry.ref_id),
        title: Set(entry.title),
        body: Set(entry.body),
        sender_name: Set(entry.sender_name),
        urgent: Set(entry.urgent),
        needs_response: Set(entry.needs_response),
        withdrawn: Set(false),
        updated_at: Set(now),
        subject_id: Set(entry.subject_id),
    });
    inbox_entry::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([inbox_entry::Column::Kind, inbox_entry::Column::RefId])
                .update_columns([
                    inbox_entry::Column::Title,
                    inbox_entry::Column::Body,
                    inbox_entry::Column::SenderName,
                    inbox_entry::Column::Urgent,
                    inbox_entry::Column::NeedsResponse,
                    inbox_entry::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Marks an item recalled or withdrawn: recipients see it as such, and nothing more is delivered.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    kind: ItemKind,
    ref_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    inbox_entry::Entity::update_many()
        .col_expr(inbox_entry::Column::Withdrawn, Expr::value(true))
        .col_expr(inbox_entry::Column::UpdatedAt, Expr::value(now))
        .filter(inbox_entry::Column::Kind.eq(kind.as_str()))
        .filter(inbox_entry::Column::RefId.eq(ref_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Delivers an item into its recipients' inboxes: the children it concerns, then one inbox item
/// per account. Returns the number of recipients.
pub async fn fan_out(
    db: &impl ConnectionTrait,
    kind: ItemKind,
    ref_id: Uuid,
    recipients: Recipients,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let kind = kind.as_str();
    let mut accounts: SelectStatement = match recipients {
        Recipients::Families(mut rows) => {
            rows.expr(Expr::val(kind)).expr(Expr::val(ref_id));
            let insert = Query::insert()
                .into_table("inbox_item_children")
                .columns(["account_id", "student_id", "class_id", "kind", "ref_id"])
                .select_from(rows)
                .map_err(|e| DbErr::Custom(e.to_string()))?
                .to_owned();
            db.execute(&insert).await?;
            Query::select()
                .distinct()
                .column("account_id")
                .from("inbox_item_children")
                .and_where(Expr::col("kind").eq(kind))
                .and_where(Expr::col("ref_id").eq(ref_id))
                .to_owned()
        }
        Recipients::Accounts(rows) => rows,
    };
    accounts.expr(Expr::val(kind)).expr(Expr::val(ref_id)).expr(Expr::val(now));
    let insert = Query::insert()
        .into_table("inbox_items")
        .columns(["account_id", "kind", "ref_id", "created_at"])
        .select_from(accounts)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected())
}

/// Delivers an item to one account, concerning one child (a conversation message).
pub async fn deliver_to(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
    child: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    deliver_all(db, &[Delivered { account_id, kind, ref_id, child }], now).await
}

/// Rows written by one statement of [`deliver_all`] (8 values each).
const ROWS_PER_STATEMENT: usize = 1_000;

/// One account an item goes to, concerning a child or not.
#[derive(Debug, Clone, Copy)]
pub struct Delivered {
    pub account_id: Uuid,
    pub kind: ItemKind,
    pub ref_id: Uuid,
    pub child: Option<Uuid>,
}

/// [`deliver_to`] for several accounts and items: one statement for the items, and for the links
/// to children one to find their classes and one to write them.
pub async fn deliver_all(db: &impl ConnectionTrait, delivered: &[Delivered], now: DateTime<Utc>) -> Result<(), DbErr> {
    if delivered.is_empty() {
        return Ok(());
    }
    // In slices, so that no statement carries more values than SQLite binds (32,766).
    for slice in delivered.chunks(ROWS_PER_STATEMENT) {
        inbox_item::Entity::insert_many(slice.iter().map(|d| inbox_item::ActiveModel {
            seq: sea_orm::NotSet,
            account_id: Set(d.account_id),
            kind: Set(d.kind.as_str().into()),
            ref_id: Set(d.ref_id),
            created_at: Set(now),
            read_at: Set(None),
            responded_at: Set(None),
            response_option: Set(None),
            response_text: Set(None),
        }))
        .exec_without_returning(db)
        .await?;
    }
    let mut children: Vec<Uuid> = delivered.iter().filter_map(|d| d.child).collect();
    children.sort_unstable();
    children.dedup();
    if children.is_empty() {
        return Ok(());
    }
    let classes: std::collections::HashMap<Uuid, Uuid> = student::Entity::find()
        .filter(student::Column::Id.is_in(children))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.class_id))
        .collect();
    let about_children: Vec<&Delivered> = delivered.iter().filter(|d| d.child.is_some()).collect();
    for slice in about_children.chunks(ROWS_PER_STATEMENT) {
        inbox_item_child::Entity::insert_many(slice.iter().filter_map(|d| {
            let student_id = d.child?;
            Some(inbox_item_child::ActiveModel {
                account_id: Set(d.account_id),
                kind: Set(d.kind.as_str().into()),
                ref_id: Set(d.ref_id),
                student_id: Set(student_id),
                class_id: Set(classes.get(&student_id).copied().unwrap_or(Uuid::nil())),
            })
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The accounts an item was delivered to.
pub async fn recipients_of(db: &impl ConnectionTrait, kind: ItemKind, ref_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    inbox_item::Entity::find()
        .select_only()
        .column(inbox_item::Column::AccountId)
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::RefId.eq(ref_id))
        .into_tuple::<Uuid>()
        .all(db)
        .await
}

/// How many accounts an item was delivered to (a count, not the list: a school-wide item reaches
/// thousands).
pub async fn count_recipients(db: &impl ConnectionTrait, kind: ItemKind, ref_id: Uuid) -> Result<u64, DbErr> {
    inbox_item::Entity::find()
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::RefId.eq(ref_id))
        .count(db)
        .await
}

/// Marks the item unread again for everyone (it changed: homework edited).
pub async fn mark_unread_for_all(db: &impl ConnectionTrait, kind: ItemKind, ref_id: Uuid) -> Result<(), DbErr> {
    inbox_item::Entity::update_many()
        .col_expr(inbox_item::Column::ReadAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::RefId.eq(ref_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks read, for one account, its unread items of `kind` whose ref ids `refs` selects. Returns
/// how many were unread. One conditional update: concurrent opens neither queue nor overwrite the
/// first read time.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    refs: SelectStatement,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(inbox_item::Entity::update_many()
        .col_expr(inbox_item::Column::ReadAt, Expr::value(now))
        .filter(inbox_item::Column::AccountId.eq(account_id))
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::ReadAt.is_null())
        .filter(inbox_item::Column::RefId.in_subquery(refs))
        .exec(db)
        .await?
        .rows_affected)
}

/// What a push or an email about an item says to one recipient.
#[derive(Debug, Clone)]
pub struct Summary {
    pub title: String,
    pub body: String,
    pub sender_name: String,
    pub awaiting_response: bool,
    /// Names of the recipient's children the item concerns, sorted.
    pub children: Vec<String>,
    /// The recipient's inbox item (the real-time event id), when they have one.
    pub item_seq: Option<i64>,
}

/// The summary of an item for one recipient; `None` when it no longer exists or was recalled or
/// withdrawn (nothing to tell anyone).
pub async fn summary_for(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Option<Summary>, DbErr> {
    let entry = inbox_entry::Entity::find_by_id((kind.as_str().to_owned(), ref_id)).one(db).await?;
    let Some(entry) = entry.filter(|e| !e.withdrawn) else { return Ok(None) };
    let item = inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(account_id))
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::RefId.eq(ref_id))
        .one(db)
        .await?;
    let children = children_names(db, account_id, kind, ref_id).await?;
    Ok(Some(Summary {
        awaiting_response: entry.needs_response && item.as_ref().is_some_and(|i| i.responded_at.is_none()),
        title: entry.title,
        body: entry.body,
        sender_name: entry.sender_name,
        children,
        item_seq: item.map(|i| i.seq),
    }))
}

/// Names of the recipient's children an item concerns, sorted.
pub async fn children_names(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Vec<String>, DbErr> {
    Ok(children_refs(db, account_id, kind, ref_id).await?.into_iter().map(|child| child.name).collect())
}

/// One recipient's state of an item: when they read it and how they answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadState {
    pub account_id: Uuid,
    pub read_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub response_option: Option<String>,
    pub response_text: Option<String>,
}

impl From<inbox_item::Model> for ReadState {
    fn from(item: inbox_item::Model) -> Self {
        ReadState {
            account_id: item.account_id,
            read_at: item.read_at,
            responded_at: item.responded_at,
            response_option: item.response_option,
            response_text: item.response_text,
        }
    }
}

fn item_of_account(account_id: Uuid, kind: ItemKind, ref_id: Uuid) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(inbox_item::Column::AccountId.eq(account_id))
        .add(inbox_item::Column::Kind.eq(kind.as_str()))
        .add(inbox_item::Column::RefId.eq(ref_id))
}

/// The account's state of an item; `None` when the item was not delivered to it.
pub async fn read_state(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Option<ReadState>, DbErr> {
    Ok(inbox_item::Entity::find().filter(item_of_account(account_id, kind, ref_id)).one(db).await?.map(ReadState::from))
}

/// Every recipient's state of an item (receipts).
pub async fn read_states(db: &impl ConnectionTrait, kind: ItemKind, ref_id: Uuid) -> Result<Vec<ReadState>, DbErr> {
    Ok(inbox_item::Entity::find()
        .filter(inbox_item::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item::Column::RefId.eq(ref_id))
        .all(db)
        .await?
        .into_iter()
        .map(ReadState::from)
        .collect())
}

/// Marks one item read for one account (idempotent: the first read time stays). One conditional
/// update, atomic on its own: concurrent opens neither wait for each other nor overwrite the time.
pub async fn mark_item_read(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    inbox_item::Entity::update_many()
        .col_expr(inbox_item::Column::ReadAt, Expr::value(now))
        .filter(item_of_account(account_id, kind, ref_id))
        .filter(inbox_item::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// An account's answer to an item.
#[derive(Debug, Clone)]
pub struct Answer {
    pub read_at: DateTime<Utc>,
    pub responded_at: DateTime<Utc>,
    /// The option chosen and a short text (a reply); `None` leaves them as they are (a confirmation).
    pub reply: Option<(String, Option<String>)>,
}

/// Records an account's answer to an item; returns its state afterwards (`None`: not delivered).
pub async fn record_answer(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
    answer: Answer,
) -> Result<Option<ReadState>, DbErr> {
    let mut update = inbox_item::Entity::update_many()
        .col_expr(inbox_item::Column::ReadAt, Expr::value(answer.read_at))
        .col_expr(inbox_item::Column::RespondedAt, Expr::value(answer.responded_at));
    if let Some((option, text)) = answer.reply {
        update = update
            .col_expr(inbox_item::Column::ResponseOption, Expr::value(option))
            .col_expr(inbox_item::Column::ResponseText, Expr::value(text));
    }
    update.filter(item_of_account(account_id, kind, ref_id)).exec(db).await?;
    read_state(db, account_id, kind, ref_id).await
}

/// A child an item concerns, for one recipient, in one class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChild {
    pub account_id: Uuid,
    pub student_id: Uuid,
    pub class_id: Uuid,
}

/// Every (recipient, child, class) an item concerns.
pub async fn children_of_item(
    db: &impl ConnectionTrait,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Vec<ItemChild>, DbErr> {
    Ok(inbox_item_child::Entity::find()
        .filter(inbox_item_child::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item_child::Column::RefId.eq(ref_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| ItemChild { account_id: c.account_id, student_id: c.student_id, class_id: c.class_id })
        .collect())
}

/// The recipient's children an item concerns, by name.
pub async fn children_refs(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Vec<ChildRef>, DbErr> {
    let mut children: Vec<ChildRef> = inbox_item_child::Entity::find()
        .select_only()
        .column(student::Column::Id)
        .column(student::Column::Name)
        .join(
            sea_orm::JoinType::InnerJoin,
            inbox_item_child::Entity::belongs_to(student::Entity)
                .from(inbox_item_child::Column::StudentId)
                .to(student::Column::Id)
                .into(),
        )
        .filter(inbox_item_child::Column::AccountId.eq(account_id))
        .filter(inbox_item_child::Column::Kind.eq(kind.as_str()))
        .filter(inbox_item_child::Column::RefId.eq(ref_id))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name)| ChildRef { id, name })
        .collect();
    children.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(children)
}
