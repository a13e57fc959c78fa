//! Where `Idempotency-Key`s and the responses they answered are kept (the middleware is
//! [`crate::http::idempotency`]). Keys are per account; a row without a status is a request still
//! running.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, SqlErr};
use uuid::Uuid;

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub fingerprint: String,
        pub status: Option<i16>,
        pub body: Option<String>,
        pub content_type: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use idempotency_key::Model as StoredKey;

/// A finished response, as replayed to a retry.
pub struct StoredResponse<'a> {
    pub status: u16,
    pub body: &'a [u8],
    pub content_type: Option<&'a str>,
}

pub async fn find(db: &impl ConnectionTrait, account_id: Uuid, key: &str) -> Result<Option<StoredKey>, DbErr> {
    idempotency_key::Entity::find_by_id((account_id, key.to_owned())).one(db).await
}

/// Takes the key for a request that is about to run. `Ok(false)`: another request holds it.
pub async fn claim(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let inserted = idempotency_key::ActiveModel {
        account_id: Set(account_id),
        key: Set(key.to_owned()),
        fingerprint: Set(fingerprint.to_owned()),
        status: Set(None),
        body: Set(None),
        content_type: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Remembers the response a key answered.
pub async fn complete(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    key: &str,
    response: &StoredResponse<'_>,
) -> Result<(), DbErr> {
    let updated = idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::Status, Expr::value(response.status as i16))
        .col_expr(idempotency_key::Column::Body, Expr::value(String::from_utf8_lossy(response.body).into_owned()))
        .col_expr(idempotency_key::Column::ContentType, Expr::value(response.content_type.map(str::to_owned)))
        .filter(idempotency_key::Column::AccountId.eq(account_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(db)
        .await?;
    if updated.rows_affected == 1 { Ok(()) } else { Err(DbErr::RecordNotUpdated) }
}

/// Frees a key (its request failed, or it expired), so the client may use it again.
pub async fn release(db: &impl ConnectionTrait, account_id: Uuid, key: &str) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_by_id((account_id, key.to_owned())).exec(db).await?;
    Ok(())
}

/// Forgets keys created before `cutoff` (a scheduled job).
pub async fn forget_older_than(db: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}
