//! Mobile push through a push gateway: the server posts JSON to a configured URL; the gateway
//! talks to APNs, FCM and the Chinese vendors' channels. The contract is documented in
//! `mobile-api-spec/push-gateway.md`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub struct PushToken<'a> {
    pub platform: &'a str,
    pub token: &'a str,
}

#[derive(Debug, Serialize)]
pub struct PushRequest<'a> {
    /// Stable per delivery: a gateway that sees it twice must send once.
    pub idempotency_key: String,
    pub tokens: Vec<PushToken<'a>>,
    pub title: &'a str,
    pub body: &'a str,
    /// Bypasses the phone's own do-not-disturb where the platform allows (safety notices).
    pub urgent: bool,
    /// Opaque to the gateway; the app routes on it.
    pub data: serde_json::Value,
}

#[derive(Debug, Default, Deserialize)]
pub struct PushResponse {
    /// Tokens the platform says are dead; the server forgets them.
    #[serde(default)]
    pub rejected_tokens: Vec<String>,
}

pub struct PushGateway {
    client: reqwest::Client,
    url: String,
}

impl PushGateway {
    /// `timeout` bounds each request, connecting included.
    pub fn new(url: &str, timeout: std::time::Duration) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(timeout).build()?;
        Ok(Self { client, url: url.trim_end_matches('/').to_owned() })
    }

    pub async fn send(&self, request: &PushRequest<'_>) -> anyhow::Result<PushResponse> {
        let response = self
            .client
            .post(format!("{}/v1/push", self.url))
            .header("Idempotency-Key", &request.idempotency_key)
            .json(request)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(status.is_success(), "push gateway answered {status}");
        Ok(response.json().await.unwrap_or_default())
    }
}
