//! `AuthUser`: the caller, proven by a valid access token whose session is still live.
//!
//! What the caller may do is decided by [`crate::access`], which turns an `AuthUser` into a role
//! proof (`Guardian`, `StaffMember`, `SchoolAdmin`, `BureauOfficer`) for one resource.

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::model::session;
use crate::error::ApiError;
use crate::startup::AppState;

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
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_owned());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppState missing")))?;
            let token = token.ok_or_else(ApiError::unauthenticated)?;
            let claims = state.jwt.verify(&token, state.clock.now()).ok_or_else(ApiError::unauthenticated)?;
            let user = AuthUser { account_id: claims.sub, session_id: claims.sid };
            if state.sessions.is_live(claims.sid, claims.sub) {
                return Ok(user);
            }
            let live = session::Entity::find_by_id(claims.sid)
                .filter(session::Column::AccountId.eq(claims.sub))
                .filter(session::Column::RevokedAt.is_null())
                .one(&state.db)
                .await?;
            match live {
                Some(_) => {
                    state.sessions.remember(claims.sid, claims.sub);
                    Ok(user)
                }
                None => Err(ApiError::unauthenticated()),
            }
        })
    }
}

/// The client's IP: the TCP peer, or the first `X-Forwarded-For` hop when the deployment says it
/// sits behind its own proxy (a client could forge the header otherwise).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let trust_proxy = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.trust_proxy);
        let forwarded = trust_proxy
            .then(|| {
                req.headers()
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
                    .and_then(|v| v.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let ip = forwarded.or_else(|| req.peer_addr().map(|a| a.ip()));
        std::future::ready(Ok(ClientIp(ip)))
    }
}
