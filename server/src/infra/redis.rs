//! Redis connection (production): shared rate limits, pub/sub fan-out and job locks.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long any one Redis command may take, reconnecting included. A Redis outage must not hold
/// every sign-in and send for the client library's default of many seconds: callers answer
/// `503` (or skip a job period) instead, and the manager keeps reconnecting in the background.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(1_000);

pub async fn connect(url: &str) -> anyhow::Result<ConnectionManager> {
    let client = redis::Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_response_timeout(Some(COMMAND_TIMEOUT))
        .set_connection_timeout(Some(COMMAND_TIMEOUT))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_secs(2));
    let mut manager = tokio::time::timeout(Duration::from_secs(5), ConnectionManager::new_with_config(client, config))
        .await
        .map_err(|_| anyhow::anyhow!("timed out connecting to Redis at {}", crate::infra::db::redact(url)))??;
    // Fail at start-up, not on the first request, when Redis is unreachable.
    ping(&mut manager).await?;
    Ok(manager)
}

pub async fn ping(manager: &mut ConnectionManager) -> anyhow::Result<()> {
    let pong: String = redis::cmd("PING").query_async(manager).await?;
    anyhow::ensure!(pong == "PONG", "unexpected answer to PING: {pong}");
    Ok(())
}
