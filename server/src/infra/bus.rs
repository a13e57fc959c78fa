//! The real-time bus: "new inbox items may exist for these accounts". In-process on one instance;
//! through Redis pub/sub when configured, so an event committed on one instance reaches clients
//! connected to every other instance.
//!
//! The bus carries wake-ups, not content: a woken stream reads its own new items from the
//! database, so a lost or duplicated wake-up never loses or duplicates an event.

use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
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

    pub fn concerns(&self, account: Uuid) -> bool {
        self.accounts.as_ref().is_none_or(|a| a.contains(&account))
    }

    /// Whether the stream of this account's `session` must close.
    pub fn ends(&self, account: Uuid, session: Uuid) -> bool {
        self.ended.is_some_and(|e| {
            e.account == account && e.session.is_none_or(|s| s == session) && e.except != Some(session)
        })
    }
}

pub struct Bus {
    local: broadcast::Sender<Wake>,
    redis: Option<(ConnectionManager, String)>,
    /// Whether the Redis subscription is up (always true in-process); `/readyz` reports it.
    subscribed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Wake-ups a slow stream may fall behind by before it is told it lagged (and re-reads).
const CAPACITY: usize = 1_024;
/// Longest wait between attempts to subscribe again after Redis went away.
const MAX_RESUBSCRIBE_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

impl Bus {
    pub fn in_process() -> Self {
        Self {
            local: broadcast::channel(CAPACITY).0,
            redis: None,
            subscribed: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }

    /// A bus across instances: publishes to `channel` and relays what arrives there to local
    /// streams (its own messages included). The first subscription must succeed (the server does
    /// not start without its Redis); when it is lost later (Redis restarted, the connection
    /// killed), it is made again with back-off, and every local stream is then woken to catch up
    /// from the inbox on what it may have missed meanwhile.
    pub async fn redis(url: &str, manager: ConnectionManager, channel: String) -> anyhow::Result<Self> {
        let (local, _) = broadcast::channel(CAPACITY);
        let client = redis::Client::open(url)?;
        let first = subscribe(&client, &channel).await?;
        let subscribed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        tokio::spawn(relay(client, channel.clone(), first, local.clone(), subscribed.clone()));
        Ok(Self { local, redis: Some((manager, channel)), subscribed })
    }

    /// Whether wake-ups from other instances arrive (false while the subscription is being made
    /// again).
    pub fn is_subscribed(&self) -> bool {
        self.subscribed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Open event streams on this instance (each holds one subscription until it is dropped).
    pub fn listeners(&self) -> usize {
        self.local.receiver_count()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Wake> {
        self.local.subscribe()
    }

    /// Announces new items. Call after the transaction that wrote them has committed.
    pub async fn publish(&self, wake: Wake) {
        match &self.redis {
            None => {
                let _ = self.local.send(wake);
            }
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
                    let _ = self.local.send(wake);
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
    local: broadcast::Sender<Wake>,
    subscribed: std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    use std::sync::atomic::Ordering;
    let mut pubsub = Some(first);
    loop {
        if let Some(current) = pubsub.take() {
            let mut messages = current.into_on_message();
            while let Some(message) = messages.next().await {
                let Ok(payload) = message.get_payload::<String>() else { continue };
                if let Ok(wake) = serde_json::from_str::<Wake>(&payload) {
                    let _ = local.send(wake);
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
        let _ = local.send(Wake::items(None));
    }
}
