//! Creating accounts for people the school or bureau provisions: each new account gets a
//! one-time activation code (returned once, stored only as a hash).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use uuid::Uuid;

use crate::auth::credentials::{self, Login};
use crate::auth::model::account;
use crate::auth::repo;

/// A new, not yet activated account and its plain activation code.
pub fn new_account(
    login: &Login,
    email: Option<String>,
    name: &str,
    now: DateTime<Utc>,
    code_ttl_days: i64,
) -> (account::Model, String) {
    let code = credentials::new_activation_code();
    let (phone, email) = match login {
        Login::Phone(phone) => (Some(phone.clone()), email),
        Login::Email(address) => (None, Some(address.clone())),
    };
    let model = account::Model {
        id: Uuid::new_v4(),
        phone,
        email,
        display_name: name.to_owned(),
        locale: "zh-CN".into(),
        password_hash: None,
        activation_code_hash: Some(crate::infra::digest::sha256_hex(&code)),
        activation_expires_at: Some(now + Duration::days(code_ttl_days)),
        password_changed_at: None,
        created_at: now,
    };
    (model, code)
}

/// The account behind `login`, created if there is none. The code is `Some` only for a new account.
pub async fn find_or_provision(
    db: &impl ConnectionTrait,
    login: &Login,
    name: &str,
    now: DateTime<Utc>,
    code_ttl_days: i64,
) -> Result<(account::Model, Option<String>), DbErr> {
    if let Some(existing) = repo::find_account_by_login(db, login).await? {
        return Ok((existing, None));
    }
    let (model, code) = new_account(login, None, name, now, code_ttl_days);
    let inserted = account::ActiveModel::from(model).insert(db).await?;
    Ok((inserted, Some(code)))
}

/// Sets a password directly (bootstrap and demo only; people activate with codes).
pub async fn set_password(
    db: &impl ConnectionTrait,
    account: account::Model,
    password: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut active: account::ActiveModel = account.into();
    active.password_hash = Set(Some(credentials::hash_password(password)?));
    active.activation_code_hash = Set(None);
    active.activation_expires_at = Set(None);
    active.password_changed_at = Set(Some(now));
    active.update(db).await?;
    Ok(())
}
