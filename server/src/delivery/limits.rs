//! Send rate limits: per person and per school, so a mistaken script or a compromised account
//! cannot flood families. Shared across instances when Redis is configured.

use uuid::Uuid;

use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::infra::rate_limit::Verdict;
use crate::state::AppState;

const HOUR: u64 = 3_600;

/// Counts one send by `user` (for `school`, if any) and refuses it over the hourly limits.
pub async fn check_send(state: &AppState, user: &Caller, school: Option<Uuid>) -> ApiResult<()> {
    let mut checks = vec![(format!("send:user:{}", user.account_id), state.settings.sends_per_user_per_hour)];
    if let Some(school) = school {
        checks.push((format!("send:school:{school}"), state.settings.sends_per_school_per_hour));
    }
    for (key, limit) in checks {
        let verdict = state.limiter.hit(state.clock.as_ref(), &key, limit, HOUR).await?;
        if let Verdict::Limited { retry_after_secs } = verdict {
            return Err(ApiError::rate_limited(retry_after_secs));
        }
    }
    Ok(())
}
