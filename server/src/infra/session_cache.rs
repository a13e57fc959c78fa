//! A short-lived, per-instance memory of sessions known to be live, so that authenticating a
//! request does not cost a database query every time. A revocation on this instance forgets the
//! session at once; on other instances it takes effect within [`TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

pub const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct SessionCache {
    /// session id → (account id, known live until)
    live: Mutex<HashMap<Uuid, (Uuid, Instant)>>,
}

impl SessionCache {
    pub fn is_live(&self, session: Uuid, account: Uuid) -> bool {
        let live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.get(&session).is_some_and(|(owner, until)| *owner == account && *until > Instant::now())
    }

    pub fn remember(&self, session: Uuid, account: Uuid) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if live.len() >= MAX_ENTRIES {
            let now = Instant::now();
            live.retain(|_, (_, until)| *until > now);
        }
        live.insert(session, (account, Instant::now() + TTL));
    }

    pub fn forget_session(&self, session: Uuid) {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).remove(&session);
    }

    pub fn forget_account(&self, account: Uuid) {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, (owner, _)| *owner != account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forgotten_session_is_checked_again() {
        let cache = SessionCache::default();
        let (s, a) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(!cache.is_live(s, a));
        cache.remember(s, a);
        assert!(cache.is_live(s, a));
        assert!(!cache.is_live(s, Uuid::new_v4()), "another account's token naming the session");
        cache.forget_account(a);
        assert!(!cache.is_live(s, a));
        cache.remember(s, a);
        cache.forget_session(s);
        assert!(!cache.is_live(s, a));
    }
}
