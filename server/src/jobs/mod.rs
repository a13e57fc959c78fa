//! Scheduled work: sending scheduled notices, reminders before deadlines, closing after-school
//! enrolment rounds, escalating children not signed out (and, as the messaging issue grows,
//! digests). Every job is idempotent and claims its rows with conditional updates, so several
//! instances may run it at once without doing anything twice.

use std::time::Duration;

use actix_web::web;

use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default)]
pub struct JobReport {
    /// School-wide notices whose families' rows (and push and email) the jobs finished writing.
    pub audiences_expanded: u64,
    pub notices_sent: u64,
    pub deadline_reminders: u64,
    pub idempotency_keys_forgotten: u64,
    /// After-school plans whose first enrolment round closed (lottery drawn, small activities cancelled).
    pub enrolment_rounds_closed: u64,
    /// Children present at an after-school session and not signed out after it, escalated to the school.
    pub children_not_signed_out: u64,
    /// Home-visit reminders sent (a day and an hour before).
    pub visit_reminders: u64,
    /// Families' addresses erased 7 days after their home visit.
    pub visit_addresses_erased: u64,
    /// Mentors reminded of open tasks as the period's end approaches.
    pub mentor_reminders: u64,
    /// Mentored students whose new period's three tasks were opened.
    pub mentoring_students_opened: u64,
    /// Parent-school certificates issued at the end of a child's stage.
    pub certificates_issued: u64,
    /// Parent-school sessions and meetings whose families were reminded the day before.
    pub parent_school_reminders: u64,
    /// Complaints past their holder's deadline whose holder was reminded.
    pub complaint_reminders: u64,
    /// Districts whose half-monthly bulletin was issued.
    pub bulletins_issued: u64,
}

/// Runs every job once, now.
pub async fn run_due(state: &AppState) -> anyhow::Result<JobReport> {
    let notices_sent = crate::notices::service::send_due(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // School-wide notices whose families' rows were still being written when their instance died.
    let audiences_expanded =
        crate::notices::service::expand_audiences(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let deadline_reminders =
        crate::notices::service::remind_before_deadlines(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let idempotency_keys_forgotten = crate::http::idempotency::forget_expired(state).await?;
    // Safety first: the escalation runs before the enrolment close, and a close that fails is
    // logged and retried next time without holding anything else up.
    let children_not_signed_out =
        crate::afterschool::service::release::escalate_unreleased(state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let enrolment_rounds_closed = match crate::afterschool::service::enrolment_window::close_due(state).await {
        Ok(closed) => closed,
        Err(error) => {
            tracing::error!("closing after-school enrolment rounds failed: {error}");
            0
        }
    };
    // Mentoring's jobs log a failure and let the others run (each catches up on its next run).
    let visits = crate::mentoring::service::visits::remind_and_erase(state).await.unwrap_or_else(|error| {
        tracing::error!("home-visit reminders and address erasure failed: {error}");
        Default::default()
    });
    let period_jobs = crate::mentoring::service::remind_mentors(state).await.unwrap_or_else(|error| {
        tracing::error!("opening mentoring periods and reminding mentors failed: {error}");
        Default::default()
    });
    let certificates_issued =
        crate::parent_school::service::graduation::issue_at_stage_end(state).await.unwrap_or_else(|error| {
            tracing::error!("issuing parent-school certificates at the end of a stage failed: {error}");
            0
        });
    let parent_school_reminders =
        crate::parent_school::service::remind_upcoming(state).await.map(u64::from).unwrap_or_else(|error| {
            tracing::error!("reminding families of parent-school sessions and meetings failed: {error}");
            0
        });
    let complaint_reminders = crate::complaints::service::remind_overdue(state).await.unwrap_or_else(|error| {
        tracing::error!("reminding holders of overdue complaints failed: {error}");
        0
    });
    // After the reminders: a bulletin counts the deadlines passed up to its half-month's end.
    let bulletins_issued = crate::reporting::service::bulletin::issue_due(state).await.unwrap_or_else(|error| {
        tracing::error!("issuing half-monthly bulletins failed: {error}");
        0
    });
    Ok(JobReport {
        bulletins_issued,
        complaint_reminders,
        certificates_issued,
        parent_school_reminders,
        mentor_reminders: period_jobs.reminders,
        mentoring_students_opened: period_jobs.students_opened,
        visit_reminders: u64::from(visits.reminders),
        visit_addresses_erased: visits.addresses_erased,
        notices_sent,
        audiences_expanded,
        deadline_reminders,
        idempotency_keys_forgotten,
        enrolment_rounds_closed,
        children_not_signed_out,
    })
}

/// Takes the lock of one job run for `ttl`: with Redis, only one instance gets it per period;
/// alone, the instance always does. (The jobs are safe without it; the lock saves the others
/// the work.)
pub async fn acquire_lock(state: &AppState, name: &str, ttl: Duration) -> bool {
    let Some(manager) = &state.redis else { return true };
    let mut conn = manager.clone();
    let key = format!("{}lock:{name}", state.settings.redis_key_prefix);
    let set = redis::cmd("SET").arg(&key).arg("1").arg("NX").arg("PX").arg(ttl.as_millis().max(1) as u64).to_owned();
    let taken: redis::RedisResult<Option<String>> = set.query_async(&mut conn).await;
    match taken {
        Ok(answer) => answer.is_some(),
        Err(error) => {
            // Every instance would run the jobs at once: skip this period instead (each job is
            // idempotent and catches up on the next one it runs).
            tracing::warn!("job lock {key} unavailable ({error}); skipping this period");
            false
        }
    }
}

/// Runs `pass` every `interval` for as long as the server runs, on one instance per period (the
/// job lock `name`).
fn every<F, Fut>(state: web::Data<AppState>, name: &'static str, interval: Duration, pass: F)
where
    F: Fn(web::Data<AppState>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // A stop lets the pass under way finish, and starts no other.
            if state.shutting_down() {
                return;
            }
            // Slightly shorter than the period, so the next tick anywhere may take it.
            if !acquire_lock(&state, name, interval.mul_f32(0.9)).await {
                continue;
            }
            pass(state.clone()).await;
        }
    });
}

/// Runs the jobs every `interval` for as long as the server runs, on one instance per period.
pub fn spawn(state: web::Data<AppState>, interval: Duration) {
    every(state, "jobs", interval, |state| async move {
        if let Err(error) = run_due(&state).await {
            tracing::error!("scheduled jobs failed: {error:#}");
        }
    });
}

/// Recomputes every district dashboard's default view every `interval` for as long as the server
/// runs, on one instance per round (`reporting::service::snapshot`).
pub fn spawn_dashboard_refresh(state: web::Data<AppState>, interval: Duration) {
    every(state, "dashboard-snapshots", interval, |state| async move {
        if let Err(error) = crate::reporting::service::snapshot::refresh_all(&state).await {
            tracing::error!("refreshing dashboard snapshots failed: {error}");
        }
    });
}
