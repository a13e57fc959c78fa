//! Sign-in flows. Each state change runs in one transaction.

use std::net::IpAddr;

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::auth::credentials::{self, Login};
use crate::auth::dto::TokenPair;
use crate::auth::error::AuthError;
use crate::auth::model::{account, refresh_token, session};
use crate::auth::repo;
use crate::error::{ApiError, ApiResult};
use crate::infra::jwt::Claims;
use crate::infra::rate_limit::Verdict;
use crate::state::AppState;

/// Counts one sign-in or activation attempt against the per-login and per-IP limits.
async fn check_rate_limits(state: &AppState, action: &str, login_key: &str, ip: Option<IpAddr>) -> ApiResult<()> {
    let s = &state.settings;
    let mut keys = vec![(format!("{action}:login:{login_key}"), s.login_attempts_per_login)];
    if let Some(ip) = ip {
        keys.push((format!("{action}:ip:{ip}"), s.login_attempts_per_ip));
    }
    for (key, limit) in keys {
        let verdict = state
            .limiter
            .hit(state.clock.as_ref(), &key, limit, s.login_window_secs)
            .await
            .map_err(ApiError::internal)?;
        if let Verdict::Limited { retry_after_secs } = verdict {
            return Err(ApiError::rate_limited(retry_after_secs));
        }
    }
    Ok(())
}

/// Opens a session for the account and issues its first token pair.
async fn open_session(state: &AppState, db: &impl ConnectionTrait, account_id: Uuid) -> ApiResult<TokenPair> {
    let now = state.clock.now();
    let session_id = repo::insert_session(db, account_id, now).await?;
    issue_tokens(state, db, account_id, session_id).await
}

async fn issue_tokens(
    state: &AppState,
    db: &impl ConnectionTrait,
    account_id: Uuid,
    session_id: Uuid,
) -> ApiResult<TokenPair> {
    let now = state.clock.now();
    let ttl = state.settings.access_token_ttl_secs;
    let claims = Claims { sub: account_id, sid: session_id, iat: now.timestamp(), exp: now.timestamp() + ttl };
    let access_token = state.jwt.sign(&claims).map_err(ApiError::internal)?;
    let refresh_token = credentials::new_refresh_token();
    let refresh_expires_at = now + Duration::days(state.settings.refresh_token_ttl_days);
    repo::insert_refresh_token(
        db,
        session_id,
        crate::infra::digest::sha256_hex(&refresh_token),
        now,
        refresh_expires_at,
    )
    .await?;
    Ok(TokenPair { access_token, token_type: "Bearer", expires_in: ttl, refresh_token, refresh_expires_at })
}

pub async fn login(state: &AppState, raw_login: &str, password: &str, ip: Option<IpAddr>) -> ApiResult<TokenPair> {
    let login = Login::parse(raw_login);
    let login_key = login.as_ref().map_or_else(|| raw_login.trim().to_lowercase(), |l| l.as_str().to_owned());
    check_rate_limits(state, "login", &login_key, ip).await?;
    let account = match &login {
        Some(login) => repo::find_account_by_login(&state.db, login).await?,
        None => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let verified = credentials::verify_password_off_thread(password.to_owned(), stored).await;
    let account = account.filter(|_| verified).ok_or(AuthError::InvalidCredentials)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let tokens = open_session(state, &txn, account.id).await?;
    txn.commit().await?;
    Ok(tokens)
}

/// Sets the first password with a one-time code, and signs in.
pub async fn activate(
    state: &AppState,
    raw_login: &str,
    code: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> ApiResult<TokenPair> {
    let login = Login::parse(raw_login).ok_or(AuthError::InvalidActivationCode);
    let login_key = login.as_ref().map_or_else(|_| raw_login.trim().to_lowercase(), |l| l.as_str().to_owned());
    check_rate_limits(state, "activate", &login_key, ip).await?;
    if !credentials::password_is_acceptable(password) {
        return Err(AuthError::WeakPassword { field: "password" }.into());
    }
    let login = login?;
    let now = state.clock.now();
    let code_hash = crate::infra::digest::sha256_hex(&credentials::normalise_activation_code(code));
    let txn = crate::infra::db::begin(&state.db).await?;
    let account = repo::find_account_by_login(&txn, &login)
        .await?
        .filter(|a| a.activation_code_hash.as_deref() == Some(code_hash.as_str()))
        .filter(|a| a.activation_expires_at.is_some_and(|expires| expires > now))
        .ok_or(AuthError::InvalidActivationCode)?;
    let account_id = account.id;
    let mut active = account.into_active_model();
    active.password_hash =
        Set(Some(credentials::hash_password_off_thread(password.to_owned()).await.map_err(ApiError::internal)?));
    active.activation_code_hash = Set(None);
    active.activation_expires_at = Set(None);
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    // A re-issued code means the old password may be known to someone else: end old sessions.
    repo::revoke_other_sessions(&txn, account_id, None, now).await?;
    let tokens = open_session(state, &txn, account_id).await?;
    txn.commit().await?;
    state.sessions.forget_account(account_id);
    Ok(tokens)
}

/// Rotates a refresh token. Presenting a used token again revokes its whole session: either the
/// client or an attacker holds a stolen copy, and we cannot tell which.
pub async fn refresh(state: &AppState, presented: &str) -> ApiResult<TokenPair> {
    let now = state.clock.now();
    let hash = crate::infra::digest::sha256_hex(presented.trim());
    let txn = crate::infra::db::begin(&state.db).await?;
    let token =
        refresh_token::Entity::find_by_id(hash.clone()).one(&txn).await?.ok_or(AuthError::RefreshTokenInvalid)?;
    let session = session::Entity::find_by_id(token.session_id)
        .one(&txn)
        .await?
        .filter(|s| s.revoked_at.is_none())
        .ok_or(AuthError::RefreshTokenInvalid)?;
    if token.used_at.is_some() || !repo::consume_refresh_token(&txn, &hash, now).await? {
        repo::revoke_session(&txn, session.id, now).await?;
        txn.commit().await?;
        state.sessions.forget_session(session.id);
        return Err(AuthError::RefreshTokenReused.into());
    }
    if token.expires_at <= now {
        txn.commit().await?;
        return Err(AuthError::RefreshTokenInvalid.into());
    }
    let tokens = issue_tokens(state, &txn, session.account_id, session.id).await?;
    txn.commit().await?;
    Ok(tokens)
}

pub async fn logout(state: &AppState, user: &AuthUser) -> ApiResult<()> {
    repo::revoke_session(&state.db, user.session_id, state.clock.now()).await?;
    state.sessions.forget_session(user.session_id);
    Ok(())
}

/// Changes the password and signs out every other session of the account.
pub async fn change_password(state: &AppState, user: &AuthUser, current: &str, new: &str) -> ApiResult<()> {
    if !credentials::password_is_acceptable(new) {
        return Err(AuthError::WeakPassword { field: "new_password" }.into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let account =
        account::Entity::find_by_id(user.account_id).one(&txn).await?.ok_or_else(ApiError::unauthenticated)?;
    let verified = credentials::verify_password_off_thread(current.to_owned(), account.password_hash.clone()).await;
    if !verified {
        return Err(AuthError::InvalidCredentials.into());
    }
    let mut active = account.into_active_model();
    active.password_hash =
        Set(Some(credentials::hash_password_off_thread(new.to_owned()).await.map_err(ApiError::internal)?));
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    repo::revoke_other_sessions(&txn, user.account_id, Some(user.session_id), now).await?;
    txn.commit().await?;
    state.sessions.forget_account(user.account_id);
    Ok(())
}
