//! Notice queries: the `notices` table and nothing else. The audience is resolved by
//! [`crate::org::audience`] and fanned out by the inbox ([`crate::inbox::items::fan_out`]).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{ResponseMode, notice};
use crate::inbox::items::{self, ItemKind};
use crate::org::audience::{self, Target};

/// Delivers a notice into its recipients' inboxes. Returns the number of recipients.
pub async fn fan_out(
    db: &impl ConnectionTrait,
    notice_id: Uuid,
    target: &Target,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    items::fan_out(db, ItemKind::Notice, notice_id, audience::recipients(target), now).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<notice::Model>, DbErr> {
    notice::Entity::find_by_id(id).one(db).await
}

pub async fn insert(db: &impl ConnectionTrait, row: notice::ActiveModel) -> Result<notice::Model, DbErr> {
    row.insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, row: notice::ActiveModel) -> Result<notice::Model, DbErr> {
    row.update(db).await
}

/// One page, newest first, of the notices the account sent or that belong to these schools (an
/// admin's): `older` is the page cursor's condition, `limit` the rows to fetch.
pub async fn sent_page(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    school_ids: Vec<Uuid>,
    older: Option<Condition>,
    limit: u64,
) -> Result<Vec<notice::Model>, DbErr> {
    let mut query = notice::Entity::find().filter(
        Condition::any()
            .add(notice::Column::SenderAccountId.eq(account_id))
            .add(notice::Column::SchoolId.is_in(school_ids)),
    );
    if let Some(older) = older {
        query = query.filter(older);
    }
    query.order_by_desc(notice::Column::CreatedAt).order_by_desc(notice::Column::Id).limit(limit).all(db).await
}

/// Scheduled notices whose time has come, oldest first, at most 100.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<notice::Model>, DbErr> {
    notice::Entity::find()
        .filter(notice::Column::SentAt.is_null())
        .filter(notice::Column::RecalledAt.is_null())
        .filter(notice::Column::SendAt.lte(now))
        .order_by_asc(notice::Column::SendAt)
        .limit(100)
        .all(db)
        .await
}

/// Claims a scheduled notice for sending (a conditional update): false when another instance has.
pub async fn claim_sending(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(notice::Entity::update_many()
        .col_expr(notice::Column::SentAt, Expr::value(now))
        .filter(notice::Column::Id.eq(id))
        .filter(notice::Column::SentAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Sent, unrecalled notices awaiting answers whose deadline falls in `(now, horizon]` and that had
/// no deadline reminder yet; at most 100.
pub async fn deadlines_between(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    horizon: DateTime<Utc>,
) -> Result<Vec<notice::Model>, DbErr> {
    notice::Entity::find()
        .filter(notice::Column::DeadlineRemindedAt.is_null())
        .filter(notice::Column::RecalledAt.is_null())
        .filter(notice::Column::SentAt.is_not_null())
        .filter(notice::Column::ResponseMode.ne(ResponseMode::Read))
        .filter(notice::Column::Deadline.gt(now))
        .filter(notice::Column::Deadline.lte(horizon))
        .limit(100)
        .all(db)
        .await
}

/// Claims a notice's deadline reminder (a conditional update): false when another instance has.
pub async fn claim_deadline_reminder(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(notice::Entity::update_many()
        .col_expr(notice::Column::DeadlineRemindedAt, Expr::value(now))
        .filter(notice::Column::Id.eq(id))
        .filter(notice::Column::DeadlineRemindedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}
