//! Scheduled work: sending scheduled notices (and, as the messaging issue grows, reminders before
//! deadlines and digests). Every job is idempotent and claims its rows with conditional updates,
//! so several instances may run it at once without doing anything twice.

use std::time::Duration;

use actix_web::web;

use crate::startup::AppState;

/// What one pass did.
#[derive(Debug, Default)]
pub struct JobReport {
    pub notices_sent: u64,
    pub deadline_reminders: u64,
}

/// Runs every job once, now.
pub async fn run_due(state: &AppState) -> anyhow::Result<JobReport> {
    let notices_sent = crate::notices::service::send_due(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let deadline_reminders =
        crate::notices::service::remind_before_deadlines(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(JobReport { notices_sent, deadline_reminders })
}

/// Runs the jobs every `interval` for as long as the server runs.
pub fn spawn(state: web::Data<AppState>, interval: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(error) = run_due(&state).await {
                tracing::error!("scheduled jobs failed: {error:#}");
            }
        }
    });
}
