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
            if state.sessions.is_live(claims.sid, claims.sub) {
                return Ok(user);
            }
            if repo::session_is_live(&state.db, claims.sid, claims.sub).await? {
                state.sessions.remember(claims.sid, claims.sub);
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
