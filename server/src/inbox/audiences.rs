//! Items to every family of a school, resolved when an inbox is read.
//!
//! A school-wide notice to 50,000 guardians written as one inbox row per recipient (and one row
//! per child, and one delivery per recipient) is about 150,000 rows: at about 5 µs per row and
//! index on the development machine, 0.6 s before the last inbox had it. Instead the notice
//! commits one audience row: the item, the school, and a position taken from the inbox's own
//! sequence. From that commit every inbox of the school lists the item at that position (the
//! inbox's reads add the audiences going out to the caller's schools: [`crate::inbox::service`]).
//!
//! Each recipient still gets an inbox row of their own (read state, answers, receipts, the
//! children it concerns, push and email): written after the answer, school chunk by chunk
//! ([`expand_chunk`]), or at once for an account that opens or answers the item before its chunk
//! came ([`settle`]). An account's own row replaces the audience in its inbox (at the row's
//! position, a moment later: the item moves up once, at most a second after it arrived), and a
//! stream that already sent the audience's event does not send the row's. When every chunk is
//! done the owning domain queues push and email and marks the audience expanded
//! ([`claim_expanded`]); from then on the item is an ordinary fanned-out item, and inbox reads
//! skip the audiences altogether. Every write is `ON CONFLICT DO NOTHING`: chunks, a job on another
//! instance and a family's answer may race, and each row is written once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{ItemKind, inbox_audience, inbox_item};
use crate::org::audience::{self, FamilyTarget};

/// Pupils whose families one expansion chunk writes: about 5,000 rows, a few tens of
/// milliseconds, so that a family answering meanwhile waits for one chunk at most.
pub const CHUNK_STUDENTS: u64 = 2_500;

/// Opens an item to every family of the school: reserves its position in the inbox's sequence
/// (a placeholder row inserted and deleted: neither backend ever reuses a position) and writes the
/// audience.
pub async fn open(
    db: &impl ConnectionTrait,
    kind: ItemKind,
    ref_id: Uuid,
    school_id: Uuid,
    now: DateTime<Utc>,
) -> Result<inbox_audience::Model, DbErr> {
    let placeholder = inbox_item::ActiveModel {
        seq: sea_orm::NotSet,
        account_id: Set(Uuid::nil()),
        kind: Set(kind.as_str().to_owned()),
        ref_id: Set(ref_id),
        created_at: Set(now),
        read_at: Set(None),
        responded_at: Set(None),
        response_option: Set(None),
        response_text: Set(None),
    };
    let seq = inbox_item::Entity::insert(placeholder).exec(db).await?.last_insert_id;
    inbox_item::Entity::delete_by_id(seq).exec(db).await?;
    inbox_audience::ActiveModel {
        seq: Set(seq),
        kind: Set(kind.as_str().to_owned()),
        ref_id: Set(ref_id),
        school_id: Set(school_id),
        created_at: Set(now),
        expanded_at: Set(None),
    }
    .insert(db)
    .await
}

/// The item's audience while its recipients' rows are still being written.
pub async fn going_out(
    db: &impl ConnectionTrait,
    kind: ItemKind,
    ref_id: Uuid,
) -> Result<Option<inbox_audience::Model>, DbErr> {
    inbox_audience::Entity::find()
        .filter(inbox_audience::Column::Kind.eq(kind.as_str()))
        .filter(inbox_audience::Column::RefId.eq(ref_id))
        .filter(inbox_audience::Column::ExpandedAt.is_null())
        .one(db)
        .await
}

/// How long an instance may keep "no audience is going out" without asking again. An audience
/// going out is always announced by a wake for everyone (its notice reaches thousands), which
/// makes every instance ask at its next read; this bounds the wait should that wake be lost.
pub const GOING_OUT_MEMO: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether any audience is going out (one index probe): inbox reads look at the audiences only then.
pub async fn any_going_out(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(inbox_audience::Entity::find()
        .select_only()
        .column(inbox_audience::Column::Seq)
        .filter(inbox_audience::Column::ExpandedAt.is_null())
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}

/// Audiences whose recipients' rows are not all written yet, oldest first.
pub async fn unexpanded(db: &impl ConnectionTrait, kind: ItemKind) -> Result<Vec<inbox_audience::Model>, DbErr> {
    inbox_audience::Entity::find()
        .filter(inbox_audience::Column::Kind.eq(kind.as_str()))
        .filter(inbox_audience::Column::ExpandedAt.is_null())
        .order_by_asc(inbox_audience::Column::Seq)
        .limit(100)
        .all(db)
        .await
}

/// Writes the rows of the families of the next [`CHUNK_STUDENTS`] pupils after `after` (by id;
/// `None`: from the first). Returns the last pupil of the chunk, `None` when there were none left.
pub async fn expand_chunk(
    db: &impl ConnectionTrait,
    audience: &inbox_audience::Model,
    after: Option<Uuid>,
) -> Result<Option<Uuid>, DbErr> {
    let mut pupils = Query::select();
    pupils
        .column("id")
        .from("students")
        .and_where(Expr::col("school_id").eq(audience.school_id))
        .order_by("id", sea_orm::Order::Asc)
        .limit(CHUNK_STUDENTS);
    if let Some(after) = after {
        pupils.and_where(Expr::col("id").gt(after));
    }
    let chunk: Vec<Uuid> =
        db.query_all(&pupils).await?.iter().map(|row| row.try_get::<Uuid>("", "id")).collect::<Result<_, _>>()?;
    let (Some(first), Some(last)) = (chunk.first().copied(), chunk.last().copied()) else { return Ok(None) };
    let mut rows = families(audience.school_id);
    rows.and_where(Expr::col(("s", "id")).gte(first)).and_where(Expr::col(("s", "id")).lte(last));
    write_rows(db, audience, rows).await?;
    Ok(Some(last))
}

/// Writes every chunk on this connection (a small audience, inside the transaction that opens it).
pub async fn expand_all(db: &impl ConnectionTrait, audience: &inbox_audience::Model) -> Result<(), DbErr> {
    let mut after = None;
    while let Some(last) = expand_chunk(db, audience, after).await? {
        after = Some(last);
    }
    Ok(())
}

/// Writes one account's rows of an audience going out (see [`going_out`]) now, while its chunk
/// may not have come yet: the family opens or answers the item first. Nothing when the account
/// is not one of the audience's families.
pub async fn settle(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    audience: &inbox_audience::Model,
) -> Result<(), DbErr> {
    let mut rows = families(audience.school_id);
    rows.and_where(Expr::col(("g", "account_id")).eq(account_id));
    write_rows(db, audience, rows).await
}

/// Marks the audience expanded (a conditional update): false when another instance has. The
/// caller queues push and email in the same transaction, so they are queued once.
pub async fn claim_expanded(db: &impl ConnectionTrait, seq: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(inbox_audience::Entity::update_many()
        .col_expr(inbox_audience::Column::ExpandedAt, Expr::value(now))
        .filter(inbox_audience::Column::Seq.eq(seq))
        .filter(inbox_audience::Column::ExpandedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// `(account, student, class)` of every family the school's audience reaches.
fn families(school_id: Uuid) -> SelectStatement {
    audience::family_rows(&FamilyTarget {
        school_id,
        school_wide: true,
        grades: Vec::new(),
        class_ids: Vec::new(),
        guardian_ids: Vec::new(),
        guardian_classes: None,
    })
}

/// The children rows, then one inbox row per account, of these family rows; rows already written
/// are left as they are.
async fn write_rows(
    db: &impl ConnectionTrait,
    audience: &inbox_audience::Model,
    mut rows: SelectStatement,
) -> Result<(), DbErr> {
    let (kind, ref_id) = (audience.kind.as_str(), audience.ref_id);
    let accounts = Query::select()
        .distinct()
        .column(("r", "account_id"))
        .expr(Expr::val(kind))
        .expr(Expr::val(ref_id))
        .expr(Expr::val(audience.created_at))
        .from_subquery(rows.clone(), Alias::new("r"))
        // SQLite reads `INSERT … SELECT … ON CONFLICT` as a join's `ON` without a `WHERE`.
        .and_where(Expr::val(1).eq(1))
        .to_owned();
    rows.expr(Expr::val(kind)).expr(Expr::val(ref_id));
    let children = Query::insert()
        .into_table("inbox_item_children")
        .columns(["account_id", "student_id", "class_id", "kind", "ref_id"])
        .select_from(rows)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(OnConflict::columns(["account_id", "kind", "ref_id", "student_id"]).do_nothing().to_owned())
        .to_owned();
    db.execute(&children).await?;
    let items = Query::insert()
        .into_table("inbox_items")
        .columns(["account_id", "kind", "ref_id", "created_at"])
        .select_from(accounts)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(OnConflict::columns(["account_id", "kind", "ref_id"]).do_nothing().to_owned())
        .to_owned();
    db.execute(&items).await?;
    Ok(())
}
