//! Account, session and refresh-token queries.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::credentials::Login;
use crate::auth::model::{account, refresh_token, session};

pub async fn find_account_by_login(db: &impl ConnectionTrait, login: &Login) -> Result<Option<account::Model>, DbErr> {
    let query = account::Entity::find();
    let query = match login {
        Login::Phone(phone) => query.filter(account::Column::Phone.eq(phone.as_str())),
        Login::Email(email) => query.filter(account::Column::Email.eq(email.as_str())),
    };
    query.one(db).await
}

pub async fn insert_session(db: &impl ConnectionTrait, account_id: Uuid, now: DateTime<Utc>) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    session::ActiveModel { id: Set(id), account_id: Set(account_id), created_at: Set(now), revoked_at: Set(None) }
        .insert(db)
        .await?;
    Ok(id)
}

pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::ActiveModel {
        token_hash: Set(token_hash),
        session_id: Set(session_id),
        issued_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Marks a refresh token used, if nobody did first. `false` means it was already used: a replay.
pub async fn consume_refresh_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn revoke_session(db: &impl ConnectionTrait, session_id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live session of the account except `keep`.
pub async fn revoke_other_sessions(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Whether the session exists for this account and has not been revoked.
pub async fn session_is_live(db: &impl ConnectionTrait, session_id: Uuid, account_id: Uuid) -> Result<bool, DbErr> {
    Ok(session::Entity::find_by_id(session_id)
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some())
}
