//! Redis connection (production): shared rate limits now; pub/sub fan-out and job locks later.

use redis::aio::ConnectionManager;

pub async fn connect(url: &str) -> anyhow::Result<ConnectionManager> {
    let client = redis::Client::open(url)?;
    let mut manager =
        tokio::time::timeout(std::time::Duration::from_secs(5), ConnectionManager::new(client))
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
