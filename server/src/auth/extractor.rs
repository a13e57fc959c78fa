//! `AuthUser`: the caller, proven by a valid access token whose session is still live.
//!
//! Outside `auth` (which needs the session, to end it) handlers extract the plain
//! [`Caller`]; what it may do is decided by [`crate::access`], which turns it into a role proof
//! (`GuardianOfChild`, `StaffMember`, `SchoolAdmin`, `BureauOfficer`…) for one resource.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::repo;
use crate::access::Caller;
use crate::error::ApiError;
use crate::http::extractors::bearer_token;
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub account_id: Uuid,
    pub session_id: Uuid,
}

/// Whether the session is live: the recent-sessions cache, else the database (then cached).
pub fn session_live(
    state: &AppState,
    session_id: Uuid,
    account_id: Uuid,
) -> futures_util::future::BoxFuture<'_, Result<bool, sea_orm::DbErr>> {
    Box::pin(async move {
        if state.sessions.is_live(session_id, account_id) {
            return Ok(true);
        }
        let live = repo::session_is_live(&state.db, session_id, account_id).await?;
        if live {
            state.sessions.remember(session_id, account_id);
        }
        Ok(live)
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req.headers()).map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState missing")))?;
            let token = token.ok_or_else(ApiError::unauthenticated)?;
            let claims = state.jwt.verify(&token, state.clock.now()).ok_or_else(ApiError::unauthenticated)?;
            let user = AuthUser { account_id: claims.sub, session_id: claims.sid };
            if session_live(&state, claims.sid, claims.sub).await? {
                Ok(user)
            } else {
                Err(ApiError::unauthenticated())
            }
        })
    }
}

/// The same check, keeping only who the caller is: what every domain's handlers extract.
impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move { Ok(Caller { account_id: user.await?.account_id }) })
    }
}
