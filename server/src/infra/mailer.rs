//! The mail transport: SMTP in production, `.eml` files in `<data_dir>/outbox` on the embedded
//! default. What a message says is the delivery domain's business (`delivery::email`).

use lettre::message::Message;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Writes each message as an `.eml` file into a folder.
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

impl Mailer {
    /// `smtp://host:port`, `smtps://user:pass@host` or `smtp://…?tls=required` (lettre's URL form).
    pub fn smtp(url: &str) -> anyhow::Result<Self> {
        Ok(Mailer::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()))
    }

    pub fn files(folder: std::path::PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&folder)?;
        Ok(Mailer::Files(AsyncFileTransport::<Tokio1Executor>::new(&folder), folder))
    }

    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Mailer::Smtp(transport) => {
                transport.send(message).await?;
            }
            Mailer::Files(transport, _) => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}
