//! The real-time bus: "new inbox items may exist for these accounts". In-process on one instance;
//! through Redis pub/sub when configured, so an event committed on one instance reaches clients
//! connected to every other instance.
//!
//! The bus carries wake-ups, not content: a woken stream reads its own new items from the
//! database, so a lost or duplicated wake-up never loses or duplicates an event.
//!
//! On each instance the wake-ups are handed out by account ([`Listeners`]): a wake for a class's
//! sixty families touches those families' streams and no other, however many are connected, and
//! several wakes before a stream reads become one read.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use uuid::Uuid;

/// What real-time streams hear: new items were committed for these accounts (`None`: possibly for
/// anyone, e.g. a big notice), or sessions ended and their streams must close.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Wake {
    pub accounts: Option<Vec<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<EndedSessions>,
}

/// Sessions of one account that ended (signed out, password changed, refresh token replayed).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct EndedSessions {
    pub account: Uuid,
    /// `Some`: this session only; `None`: every session but `except`.
    pub session: Option<Uuid>,
    pub except: Option<Uuid>,
}

impl Wake {
    /// New items for these accounts (`None`: anyone may have some).
    pub fn items(accounts: Option<Vec<Uuid>>) -> Self {
        Self { accounts, ended: None }
    }

    /// Sessions ended: no items for anyone in it.
    pub fn ended(ended: EndedSessions) -> Self {
        Self { accounts: Some(Vec::new()), ended: Some(ended) }
    }

    /// Whether the stream of this account's `session` must close.
    pub fn ends(&self, account: Uuid, session: Uuid) -> bool {
        self.ended.is_some_and(|e| {
            e.account == account && e.session.is_none_or(|s| s == session) && e.except != Some(session)
        })
    }
}

pub struct Bus {
    local: Arc<Listeners>,
    redis: Option<(ConnectionManager, String)>,
    /// Whether the Redis subscription is up (always true in-process); `/readyz` reports it.
    subscribed: Arc<AtomicBool>,
}

/// Longest wait between attempts to subscribe again after Redis went away.
const MAX_RESUBSCRIBE_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

/// One open stream's doorbell: rung when items may exist for its account (several rings before it
/// listens are one), and marked ended when its session ended.
pub struct Listener {
    session: Uuid,
    ring: Notify,
    ended: AtomicBool,
}

impl Listener {
    /// Waits until rung; answers whether the stream must close (its session ended).
    pub async fn rung(&self) -> bool {
        self.ring.notified().await;
        self.ended.load(Ordering::Relaxed)
    }
}

/// The open streams of this instance by account.
#[derive(Default)]
pub struct Listeners {
    by_account: Mutex<HashMap<Uuid, Vec<Arc<Listener>>>>,
    /// See [`Bus::remembered`]: an answer, when it was given, and the broadcast count then.
    memo: Mutex<Option<(std::time::Instant, u64, bool)>>,
    /// Wakes for everyone so far (each one forgets the memo).
    broadcasts: AtomicU64,
}

impl Listeners {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Vec<Arc<Listener>>>> {
        // A panic elsewhere while holding it leaves the map as it was: keep using it.
        self.by_account.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Rings the streams a wake concerns: the accounts it names (looked up one by one when they
    /// are fewer than the accounts connected, else the connected ones checked against them), or
    /// every stream; and ends the streams of sessions that ended.
    fn dispatch(&self, wake: &Wake) {
        let map = self.lock();
        if let Some(ended) = wake.ended {
            for listener in map.get(&ended.account).into_iter().flatten() {
                if wake.ends(ended.account, listener.session) {
                    listener.ended.store(true, Ordering::Relaxed);
                    listener.ring.notify_one();
                }
            }
        }
        let ring = |listeners: &Vec<Arc<Listener>>| listeners.iter().for_each(|l| l.ring.notify_one());
        if wake.accounts.is_none() {
            self.broadcasts.fetch_add(1, Ordering::SeqCst);
        }
        match &wake.accounts {
            None => map.values().for_each(ring),
            Some(accounts) if accounts.len() <= map.len() => {
                accounts.iter().filter_map(|a| map.get(a)).for_each(ring);
            }
            Some(accounts) => {
                let named: HashSet<&Uuid> = accounts.iter().collect();
                map.iter().filter(|(a, _)| named.contains(a)).for_each(|(_, l)| ring(l));
            }
        }
    }

    fn count(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }
}

/// A stream's place among the listeners, given up when dropped.
pub struct Subscription {
    listeners: Arc<Listeners>,
    account: Uuid,
    listener: Arc<Listener>,
}

impl std::ops::Deref for Subscription {
    type Target = Listener;

    fn deref(&self) -> &Listener {
        &self.listener
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut map = self.listeners.lock();
        if let Some(list) = map.get_mut(&self.account) {
            list.retain(|l| !Arc::ptr_eq(l, &self.listener));
            if list.is_empty() {
                map.remove(&self.account);
            }
        }
    }
}

impl Bus {
    pub fn in_process() -> Self {
        Self { local: Arc::default(), redis: None, subscribed: Arc::new(AtomicBool::new(true)) }
    }

    /// A bus across instances: publishes to `channel` and relays what arrives there to local
    /// streams (its own messages included). The first subscription must succeed (the server does
    /// not start without its Redis); when it is lost later (Redis restarted, the connection
    /// killed), it is made again with back-off, and every local stream is then woken to catch up
    /// from the inbox on what it may have missed meanwhile.
    pub async fn redis(url: &str, manager: ConnectionManager, channel: String) -> anyhow::Result<Self> {
        let local: Arc<Listeners> = Arc::default();
        let client = redis::Client::open(url)?;
        let first = subscribe(&client, &channel).await?;
        let subscribed = Arc::new(AtomicBool::new(true));
        tokio::spawn(relay(client, channel.clone(), first, local.clone(), subscribed.clone()));
        Ok(Self { local, redis: Some((manager, channel)), subscribed })
    }

    /// Whether wake-ups from other instances arrive (false while the subscription is being made
    /// again).
    pub fn is_subscribed(&self) -> bool {
        self.subscribed.load(Ordering::Relaxed)
    }

    /// A yes/no answer a reader keeps for up to `ttl`, forgotten at the next wake for everyone
    /// on this instance (published here or relayed from another, or a subscription made again
    /// after Redis was lost): the inbox's "is a school-wide item going out?", which every inbox
    /// read would otherwise ask the database. `None`: ask, then [`Bus::remember`] the answer
    /// with the count this gave.
    pub fn remembered(&self, ttl: std::time::Duration) -> (Option<bool>, u64) {
        let broadcasts = self.local.broadcasts.load(Ordering::SeqCst);
        let memo = *self.local.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh = memo.filter(|(at, count, _)| *count == broadcasts && at.elapsed() <= ttl);
        (fresh.map(|(_, _, answer)| answer), broadcasts)
    }

    /// Keeps an answer asked after [`Bus::remembered`] gave `broadcasts`, unless a wake for
    /// everyone passed meanwhile (the answer may be stale already).
    pub fn remember(&self, answer: bool, broadcasts: u64) {
        let mut memo = self.local.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.local.broadcasts.load(Ordering::SeqCst) == broadcasts {
            *memo = Some((std::time::Instant::now(), broadcasts, answer));
        }
    }

    /// Open event streams on this instance.
    pub fn listeners(&self) -> usize {
        self.local.count()
    }

    /// Listens for wakes of `account`'s stream opened with `session`, until the subscription is
    /// dropped. Subscribe before reading where the stream starts, so nothing committed in between
    /// is missed.
    pub fn subscribe(&self, account: Uuid, session: Uuid) -> Subscription {
        let listener = Arc::new(Listener { session, ring: Notify::new(), ended: AtomicBool::new(false) });
        self.local.lock().entry(account).or_default().push(listener.clone());
        Subscription { listeners: self.local.clone(), account, listener }
    }

    /// Announces new items. Call after the transaction that wrote them has committed.
    pub async fn publish(&self, wake: Wake) {
        match &self.redis {
            None => self.local.dispatch(&wake),
            Some((manager, channel)) => {
                let payload = serde_json::to_string(&wake).unwrap_or_default();
                let mut conn = manager.clone();
                let publish = redis::cmd("PUBLISH").arg(channel).arg(payload).to_owned();
                // A send has committed already: the connection's command timeout keeps it from
                // hanging on an unreachable Redis.
                let sent: redis::RedisResult<i64> = publish.query_async(&mut conn).await;
                if let Err(error) = sent {
                    // Clients still get the items on their next reconnect or poll; say so loudly.
                    tracing::error!("publishing a real-time event failed: {error}");
                    self.local.dispatch(&wake);
                }
            }
        }
    }
}

async fn subscribe(client: &redis::Client, channel: &str) -> redis::RedisResult<redis::aio::PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    Ok(pubsub)
}

/// Relays the channel to local streams for as long as the process runs, subscribing again
/// whenever the subscription ends.
async fn relay(
    client: redis::Client,
    channel: String,
    first: redis::aio::PubSub,
    local: Arc<Listeners>,
    subscribed: Arc<AtomicBool>,
) {
    let mut pubsub = Some(first);
    loop {
        if let Some(current) = pubsub.take() {
            let mut messages = current.into_on_message();
            while let Some(message) = messages.next().await {
                let Ok(payload) = message.get_payload::<String>() else { continue };
                if let Ok(wake) = serde_json::from_str::<Wake>(&payload) {
                    local.dispatch(&wake);
                }
            }
            subscribed.store(false, Ordering::Relaxed);
            tracing::warn!("Redis pub/sub subscription lost: subscribing again");
        }
        let mut delay = std::time::Duration::from_millis(100);
        loop {
            match subscribe(&client, &channel).await {
                Ok(again) => {
                    pubsub = Some(again);
                    break;
                }
                Err(error) => {
                    tracing::warn!("subscribing to Redis pub/sub failed, retrying in {delay:?}: {error}");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_RESUBSCRIBE_DELAY);
                }
            }
        }
        subscribed.store(true, Ordering::Relaxed);
        tracing::info!("Redis pub/sub subscription restored");
        // Whatever was published while unsubscribed is in the inbox: every stream re-reads.
        local.dispatch(&Wake::items(None));
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    /// Whether the listener has been rung (without waiting), and whether it was told to end.
    fn rung(listener: &Listener) -> Option<bool> {
        listener.rung().now_or_never()
    }

    #[test]
    fn a_wake_rings_only_the_accounts_it_names_and_rings_coalesce() {
        let bus = Bus::in_process();
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let (on_a, on_b) = (bus.subscribe(a, Uuid::from_u128(10)), bus.subscribe(b, Uuid::from_u128(20)));
        assert_eq!(bus.listeners(), 2);
        bus.local.dispatch(&Wake::items(Some(vec![a])));
        bus.local.dispatch(&Wake::items(Some(vec![a, Uuid::from_u128(3), Uuid::from_u128(4)])));
        assert_eq!(rung(&on_a), Some(false));
        assert_eq!(rung(&on_a), None, "two wakes before a read are one read");
        assert_eq!(rung(&on_b), None, "another account's stream is not woken");
        bus.local.dispatch(&Wake::items(None));
        assert_eq!((rung(&on_a), rung(&on_b)), (Some(false), Some(false)));
        drop(on_b);
        assert_eq!(bus.listeners(), 1);
    }

    #[test]
    fn an_ended_session_ends_its_streams_and_no_other() {
        let bus = Bus::in_process();
        let account = Uuid::from_u128(1);
        let (phone, tablet) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let (on_phone, on_tablet) = (bus.subscribe(account, phone), bus.subscribe(account, tablet));
        // Every session but the phone's (a password changed on the phone).
        bus.local.dispatch(&Wake::ended(EndedSessions { account, session: None, except: Some(phone) }));
        assert_eq!((rung(&on_phone), rung(&on_tablet)), (None, Some(true)));
        bus.local.dispatch(&Wake::ended(EndedSessions { account, session: Some(phone), except: None }));
        assert_eq!(rung(&on_phone), Some(true));
    }
}
