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
use crate::auth::throttle::FailureBudget;
use crate::error::{ApiError, ApiResult};
use crate::infra::bus::{EndedSessions, Wake};
use crate::infra::jwt::Claims;
use crate::infra::rate_limit::Verdict;
use crate::state::AppState;

/// Counts one sign-in or activation attempt against the per-login and per-IP limits.
/// Every attempt from one address counts (a flood of guesses over many logins); configurable
/// because a school's shared NAT at pickup time is one address (README: operations).
async fn check_ip_limit(state: &AppState, action: &str, ip: Option<IpAddr>) -> ApiResult<()> {
    let s = &state.settings;
    let Some(ip) = ip else { return Ok(()) };
    let key = format!("{action}:ip:{ip}");
    let verdict = state.limiter.hit(state.clock.as_ref(), &key, s.login_attempts_per_ip, s.login_window_secs).await?;
    if let Verdict::Limited { retry_after_secs } = verdict {
        return Err(ApiError::rate_limited(retry_after_secs));
    }
    Ok(())
}

/// Activation codes: every attempt counts, per login and per address (a code is not a password
/// its owner types daily; ten tries per window is plenty).
async fn check_rate_limits(state: &AppState, action: &str, login_key: &str, ip: Option<IpAddr>) -> ApiResult<()> {
    let s = &state.settings;
    let verdict = state
        .limiter
        .hit(
            state.clock.as_ref(),
            &format!("{action}:login:{login_key}"),
            s.login_attempts_per_login,
            s.login_window_secs,
        )
        .await?;
    if let Verdict::Limited { retry_after_secs } = verdict {
        return Err(ApiError::rate_limited(retry_after_secs));
    }
    check_ip_limit(state, action, ip).await
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
    check_ip_limit(state, "login", ip).await?;
    let account = match &login {
        Some(login) => repo::find_account_by_login(&state.db, login).await?,
        None => None,
    };
    // Every spelling of one account (its phone, its email) shares one budget.
    let budget = FailureBudget::new(&account.as_ref().map_or(login_key, |a| a.id.to_string()), ip);
    budget.check(state).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let verified = credentials::verify_password_off_thread(password.to_owned(), stored).await?;
    let Some(account) = account.filter(|_| verified) else {
        budget.failed(state).await?;
        return Err(AuthError::InvalidCredentials.into());
    };
    budget.succeeded(state).await?;
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
    if let Some(problem) = credentials::password_problem(password, &[raw_login.trim()]) {
        return Err(AuthError::WeakPassword { field: "password", problem }.into());
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
        Set(Some(credentials::hash_password_off_thread(password.to_owned()).await?.map_err(ApiError::internal)?));
    active.activation_code_hash = Set(None);
    active.activation_expires_at = Set(None);
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    // A re-issued code means the old password may be known to someone else: end old sessions.
    repo::revoke_other_sessions(&txn, account_id, None, now).await?;
    let tokens = open_session(state, &txn, account_id).await?;
    txn.commit().await?;
    state.sessions.forget_account(account_id);
    end_streams(state, account_id, None, None).await;
    Ok(tokens)
}

/// How long a used refresh token still refreshes its session: a phone that sent the same refresh
/// several times (a flaky network, a retry after a timeout) keeps its session, as with the big
/// identity providers' rotation grace; a reuse after this revokes the session.
pub const REFRESH_REUSE_GRACE_SECS: i64 = 10;

/// Rotates a refresh token. Presenting a used token again after [`REFRESH_REUSE_GRACE_SECS`]
/// revokes its whole session: either the client or an attacker holds a stolen copy, and we cannot
/// tell which.
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
    let fresh = token.used_at.is_none() && repo::consume_refresh_token(&txn, &hash, now).await?;
    if !fresh {
        // Used already: by this phone's own retry a moment ago (parallel refreshes on a flaky
        // network; each gets a pair of the same session), or replayed later by someone else, which
        // ends the session for everyone holding it.
        let used_at = match token.used_at {
            Some(at) => Some(at),
            None => refresh_token::Entity::find_by_id(hash.clone()).one(&txn).await?.and_then(|t| t.used_at),
        };
        let retried = used_at.is_some_and(|at| now - at <= Duration::seconds(REFRESH_REUSE_GRACE_SECS));
        if !retried {
            repo::revoke_session(&txn, session.id, now).await?;
            txn.commit().await?;
            state.sessions.forget_session(session.id);
            end_streams(state, session.account_id, Some(session.id), None).await;
            return Err(AuthError::RefreshTokenReused.into());
        }
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
    end_streams(state, user.account_id, Some(user.session_id), None).await;
    Ok(())
}

/// Closes the event streams of ended sessions, on every instance.
async fn end_streams(state: &AppState, account: Uuid, session: Option<Uuid>, except: Option<Uuid>) {
    state.bus.publish(Wake::ended(EndedSessions { account, session, except })).await;
}

/// Changes the password and signs out every other session of the account.
pub async fn change_password(
    state: &AppState,
    user: &AuthUser,
    current: &str,
    new: &str,
    ip: Option<IpAddr>,
) -> ApiResult<()> {
    let holder =
        account::Entity::find_by_id(user.account_id).one(&state.db).await?.ok_or_else(ApiError::unauthenticated)?;
    let personal: Vec<&str> = [holder.phone.as_deref(), holder.email.as_deref()].into_iter().flatten().collect();
    if let Some(problem) = credentials::password_problem(new, &personal) {
        return Err(AuthError::WeakPassword { field: "new_password", problem }.into());
    }
    let now = state.clock.now();
    // A stolen access token must not become an unlimited password oracle: wrong current
    // passwords spend the account's sign-in failure budget.
    let budget = FailureBudget::new(&user.account_id.to_string(), ip);
    budget.check(state).await?;
    let verified = credentials::verify_password_off_thread(current.to_owned(), holder.password_hash.clone()).await?;
    if !verified {
        budget.failed(state).await?;
        return Err(AuthError::InvalidCredentials.into());
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut active = holder.into_active_model();
    active.password_hash =
        Set(Some(credentials::hash_password_off_thread(new.to_owned()).await?.map_err(ApiError::internal)?));
    active.password_changed_at = Set(Some(now));
    active.update(&txn).await?;
    repo::revoke_other_sessions(&txn, user.account_id, Some(user.session_id), now).await?;
    txn.commit().await?;
    state.sessions.forget_account(user.account_id);
    end_streams(state, user.account_id, None, Some(user.session_id)).await;
    Ok(())
}
