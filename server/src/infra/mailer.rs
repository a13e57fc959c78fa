//! The mail transport: SMTP in production, `.eml` files in `<data_dir>/outbox` on the embedded
//! default. What a message says is the delivery domain's business (`delivery::email`).

use lettre::message::Message;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub enum Mailer {
    /// With the longest one message may take.
    Smtp(AsyncSmtpTransport<Tokio1Executor>, std::time::Duration),
    /// Writes each message as an `.eml` file into a folder.
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

impl Mailer {
    /// `smtp://host:port`, `smtps://user:pass@host` or `smtp://…?tls=required` (lettre's URL
    /// form); `timeout` bounds sending one message, connecting included.
    pub fn smtp(url: &str, timeout: std::time::Duration) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.timeout(Some(timeout)).build();
        Ok(Mailer::Smtp(transport, timeout))
    }

    pub fn files(folder: std::path::PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&folder)?;
        Ok(Mailer::Files(AsyncFileTransport::<Tokio1Executor>::new(&folder), folder))
    }

    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            // lettre's own timeout covers connecting only: a server that accepts the connection
            // and never greets would hold the delivery worker for ever.
            Mailer::Smtp(transport, timeout) => {
                tokio::time::timeout(*timeout, transport.send(message))
                    .await
                    .map_err(|_| anyhow::anyhow!("the SMTP server did not take the message within {timeout:?}"))??;
            }
            Mailer::Files(transport, _) => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}
