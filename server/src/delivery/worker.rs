//! The delivery worker: claims due deliveries with a lease, sends each channel (push, email) and
//! records it at once, retries failures with exponential back-off, and gives up after
//! [`MAX_ATTEMPTS`]. A worker that dies mid-batch leaves its claims to expire: another (or the
//! same, restarted) takes them over and sends only the channels not yet recorded — nothing is
//! lost, and nothing already sent is sent again.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use super::email::{ItemEmail, build_message, render_item};
use super::model::{delivery, device, preference};
use crate::auth::model::account;
use crate::i18n::Lang;
use crate::inbox::items::{self, Summary};
use crate::inbox::model::ItemKind;
use crate::infra::push_gateway::{PushGateway, PushRequest, PushToken};
use crate::state::AppState;
use crate::telemetry::metrics::{count_abandoned, count_send};

/// Attempts before a delivery is given up: eight doubling back-offs reach the one-hour cap about an
/// hour after the first failure, then hourly for a day, so an SMTP or push outage of up to a day
/// loses nothing (it was about an hour with 8 attempts).
pub const MAX_ATTEMPTS: i32 = 32;
/// How long a claim lasts before another worker may take the delivery over.
pub const LEASE_SECS: i64 = 120;
/// A pass stops taking up its claims after this long and releases the rest, well inside the
/// lease, so no other worker takes over a delivery this one is still sending.
const PASS_BUDGET: std::time::Duration = std::time::Duration::from_secs(LEASE_SECS as u64 / 2);

/// A channel that failed once in a pass is not tried again in that pass: a hanging push gateway
/// or SMTP server costs one timeout per pass, not one per delivery of the batch (which would
/// outlast the lease and let another worker send the same deliveries again). The deliveries not
/// tried are retried with back-off like any failure.
#[derive(Default)]
struct Breaker {
    push: Option<String>,
    email: Option<String>,
}

impl Breaker {
    async fn call<T>(
        &mut self,
        channel: &'static str,
        send: impl std::future::Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        let tripped = if channel == "push" { &mut self.push } else { &mut self.email };
        if let Some(cause) = tripped {
            anyhow::bail!("not tried: {channel} failed earlier in this pass ({cause})");
        }
        send.await.inspect_err(|error| *tripped = Some(format!("{error:#}")))
    }
}

/// Back-off after the `attempts`-th failure: 30 s, 1 min, 2 min… capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = (attempts - 1).clamp(0, 7) as u32;
    Duration::seconds((30 * 2i64.pow(exp)).min(3_600))
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub delivered: usize,
    /// Set aside for the recipient's daily digest.
    pub held: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Claims up to `batch` due deliveries and delivers them. `stop_after`, for tests of crash
/// recovery, makes the worker "die" after that many channel sends, leaving its claims behind.
pub async fn run_once(state: &AppState, batch: u64, stop_after: Option<usize>) -> anyhow::Result<Pass> {
    let started = std::time::Instant::now();
    let mut breaker = Breaker::default();
    let now = state.clock.now();
    let claims = claim(state, batch, now).await?;
    let mut pass = Pass { claimed: claims.len(), ..Pass::default() };
    let (held, instant): (Vec<delivery::Model>, Vec<delivery::Model>) =
        claims.into_iter().partition(|d| d.held_for_digest);
    // Digests: everything held for one person goes out together, at that family's one digest time.
    let mut accounts: Vec<Uuid> = held.iter().map(|d| d.account_id).collect();
    accounts.sort_unstable();
    accounts.dedup();
    // A batch boundary must not split one person's digest in two.
    let rest = claim_held(state, &accounts, now).await?;
    pass.claimed += rest.len();
    let clocks = super::outbox::family_clocks(&state.db, &accounts).await?;
    let mut by_account: HashMap<Uuid, Vec<delivery::Model>> = HashMap::new();
    for d in held.into_iter().chain(rest) {
        by_account.entry(d.account_id).or_default().push(d);
    }
    for (account_id, rows) in by_account {
        let clock = clocks.get(&account_id).copied().unwrap_or_default();
        let (ready, later): (Vec<_>, Vec<_>) =
            rows.into_iter().map(|d| (clock.due(d.deliver_after, d.created_at), d)).partition(|(due, _)| *due <= now);
        let ready: Vec<delivery::Model> = ready.into_iter().map(|(_, d)| d).collect();
        pass.held += later.len();
        for (due, d) in later {
            hold(state, d.into_active_model(), due).await?;
        }
        if ready.is_empty() {
            continue;
        }
        match deliver_digest(state, account_id, &ready, now, &mut breaker).await {
            Ok(()) => pass.delivered += ready.len(),
            Err(error) => {
                for d in ready {
                    record_failure(state, d, now, &error, &mut pass).await?;
                }
            }
        }
    }
    let mut sends = 0usize;
    let mut instant = instant.into_iter();
    while let Some(claimed) = instant.next() {
        if started.elapsed() > PASS_BUDGET {
            release(state, instant.map(|d| d.seq).collect()).await?;
            break;
        }
        match deliver(state, claimed.clone(), now, &mut sends, stop_after, &mut breaker).await {
            Ok(Outcome::Delivered) => pass.delivered += 1,
            Ok(Outcome::Held) => pass.held += 1,
            Ok(Outcome::Died) => return Ok(pass),
            Err(error) => record_failure(state, claimed, now, &error, &mut pass).await?,
        }
    }
    Ok(pass)
}

/// Schedules a retry with back-off, or gives up after [`MAX_ATTEMPTS`].
async fn record_failure(
    state: &AppState,
    d: delivery::Model,
    now: DateTime<Utc>,
    error: &anyhow::Error,
    pass: &mut Pass,
) -> anyhow::Result<()> {
    let attempts = d.attempts + 1;
    let (seq, kind) = (d.seq, d.kind.clone());
    let mut active = d.into_active_model();
    active.attempts = Set(attempts);
    active.locked_until = Set(None);
    active.last_error = Set(Some(format!("{error:#}")));
    if attempts >= MAX_ATTEMPTS {
        tracing::error!(seq, kind, attempts, "delivery given up after a day of retries: {error:#}");
        active.failed_at = Set(Some(now));
        pass.failed += 1;
        count_abandoned();
    } else {
        let retry_in = backoff(attempts);
        tracing::warn!(
            seq,
            kind,
            attempts,
            retry_in_secs = retry_in.num_seconds(),
            "delivery failed, will retry: {error:#}"
        );
        active.next_attempt_at = Set(now + retry_in);
        pass.retried += 1;
    }
    active.update(&state.db).await?;
    Ok(())
}

/// Marks due, unclaimed deliveries as ours for a lease, and returns them. The condition is
/// repeated in the update so two workers racing for the same rows cannot both win.
async fn claim(state: &AppState, batch: u64, now: DateTime<Utc>) -> anyhow::Result<Vec<delivery::Model>> {
    let free =
        || Condition::any().add(delivery::Column::LockedUntil.is_null()).add(delivery::Column::LockedUntil.lt(now));
    let due = Query::select()
        .column(delivery::Column::Seq)
        .from(delivery::Entity)
        .and_where(delivery::Column::DeliveredAt.is_null())
        .and_where(delivery::Column::FailedAt.is_null())
        .and_where(delivery::Column::NextAttemptAt.lte(now))
        .cond_where(free())
        .order_by(delivery::Column::Seq, sea_orm::sea_query::Order::Asc)
        .limit(batch)
        .to_owned();
    let mut claimed = delivery::Entity::update_many()
        .col_expr(delivery::Column::LockedUntil, Expr::value(now + Duration::seconds(LEASE_SECS)))
        .filter(delivery::Column::Seq.in_subquery(due))
        .filter(free())
        .exec_with_returning(&state.db)
        .await?;
    claimed.sort_by_key(|d| d.seq);
    Ok(claimed)
}

/// Claims every unclaimed digest delivery of these accounts, due or not: which of them go now is
/// the family's digest clock's decision (a family that moved its time earlier takes rows held for
/// the old time along).
async fn claim_held(state: &AppState, accounts: &[Uuid], now: DateTime<Utc>) -> anyhow::Result<Vec<delivery::Model>> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let free =
        || Condition::any().add(delivery::Column::LockedUntil.is_null()).add(delivery::Column::LockedUntil.lt(now));
    Ok(delivery::Entity::update_many()
        .col_expr(delivery::Column::LockedUntil, Expr::value(now + Duration::seconds(LEASE_SECS)))
        .filter(delivery::Column::AccountId.is_in(accounts.iter().copied()))
        .filter(delivery::Column::HeldForDigest.eq(true))
        .filter(delivery::Column::DeliveredAt.is_null())
        .filter(delivery::Column::FailedAt.is_null())
        .filter(free())
        .exec_with_returning(&state.db)
        .await?)
}

/// Gives claims back untouched, for the next pass.
async fn release(state: &AppState, seqs: Vec<i64>) -> anyhow::Result<()> {
    if seqs.is_empty() {
        return Ok(());
    }
    tracing::warn!(left = seqs.len(), "delivery pass ran out of time; releasing the rest of its batch");
    delivery::Entity::update_many()
        .col_expr(delivery::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(delivery::Column::Seq.is_in(seqs))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Releases a digest row until `due`.
async fn hold(state: &AppState, mut active: delivery::ActiveModel, due: DateTime<Utc>) -> anyhow::Result<()> {
    active.held_for_digest = Set(true);
    active.next_attempt_at = Set(due);
    active.locked_until = Set(None);
    active.update(&state.db).await?;
    Ok(())
}

enum Outcome {
    Delivered,
    /// Set aside for the daily digest.
    Held,
    Died,
}

/// Which inbox kind a delivery kind announces (`notice_reminder` announces a notice).
fn item_kind_of(delivery_kind: &str) -> ItemKind {
    ItemKind::parse(delivery_kind).unwrap_or(ItemKind::Notice)
}

/// What to tell the recipient of a delivery, as the inbox summarises the item; `None` when there
/// is nothing left to tell (recalled, withdrawn, gone).
async fn content(state: &AppState, d: &delivery::Model) -> anyhow::Result<Option<Summary>> {
    Ok(items::summary_for(&state.db, d.account_id, item_kind_of(&d.kind), d.ref_id).await?)
}

fn kind_allowed(list_json: &str, kind: &str) -> bool {
    serde_json::from_str::<Vec<String>>(list_json).map(|kinds| kinds.iter().any(|k| k == kind)).unwrap_or(true)
}

async fn deliver(
    state: &AppState,
    d: delivery::Model,
    now: DateTime<Utc>,
    sends: &mut usize,
    stop_after: Option<usize>,
    breaker: &mut Breaker,
) -> anyhow::Result<Outcome> {
    let db = &state.db;
    let dies = |sends: usize| stop_after.is_some_and(|limit| sends >= limit);
    let reminder = d.kind.ends_with("_reminder");
    let item_kind = item_kind_of(&d.kind).as_str();
    let content = content(state, &d).await?;
    let account = account::Entity::find_by_id(d.account_id).one(db).await?;
    let prefs = preference::Entity::find_by_id(d.account_id).one(db).await?;
    let (Some(content), Some(account)) = (content, account) else {
        return finish(state, d, now).await; // nothing left to deliver
    };
    if prefs.as_ref().is_some_and(|p| p.daily_digest) && !d.urgent {
        let clocks = super::outbox::family_clocks(db, &[d.account_id]).await?;
        let clock = clocks.get(&d.account_id).copied().unwrap_or_default();
        let day = clock.day_from(now);
        let mut active = d.into_active_model();
        active.deliver_after = Set(clock.marker(day)); // held for that day's digest
        hold(state, active, clock.on(day)).await?;
        return Ok(Outcome::Held);
    }
    let lang = language(&account, prefs.as_ref());
    let push_wanted = prefs.as_ref().is_none_or(|p| kind_allowed(&p.push_kinds, item_kind));
    let email_wanted = prefs.as_ref().is_none_or(|p| kind_allowed(&p.email_kinds, item_kind));
    let rendered = render_item(
        lang,
        &ItemEmail {
            title: &content.title,
            body: &content.body,
            sender_name: &content.sender_name,
            children: &content.children,
            reminder,
            awaiting_response: content.awaiting_response,
        },
    );

    let mut d = d;
    if d.push_done_at.is_none() {
        if dies(*sends) {
            return Ok(Outcome::Died);
        }
        let devices = device::Entity::find().filter(device::Column::AccountId.eq(d.account_id)).all(db).await?;
        if let (true, Some(gateway), false) = (push_wanted, &state.push, devices.is_empty()) {
            let request = PushRequest {
                idempotency_key: format!("delivery-{}", d.seq),
                tokens: devices.iter().map(|x| PushToken { platform: &x.platform, token: &x.token }).collect(),
                title: &rendered.subject,
                body: &content.body,
                urgent: d.urgent,
                data: serde_json::json!({ "kind": item_kind, "ref_id": d.ref_id, "seq": content.item_seq }),
            };
            breaker.call("push", push(state, gateway, &request)).await?;
            *sends += 1;
        }
        let mut active = d.clone().into_active_model();
        active.push_done_at = Set(Some(now));
        d = active.update(db).await?;
    }
    if d.email_done_at.is_none() {
        if dies(*sends) {
            return Ok(Outcome::Died);
        }
        if let (true, Some(address)) = (email_wanted, account.email.as_deref()) {
            let message_id = format!("<delivery-{}@jiaxiao>", d.seq);
            let message = build_message(&state.settings.mail_from, address, &rendered, &message_id)?;
            breaker.call("email", async { count_send("email", state.mailer.send(message).await) }).await?;
            *sends += 1;
        }
        let mut active = d.clone().into_active_model();
        active.email_done_at = Set(Some(now));
        d = active.update(db).await?;
    }
    finish(state, d, now).await
}

/// Sends a push through the gateway and forgets the device tokens it says are dead.
async fn push(state: &AppState, gateway: &PushGateway, request: &PushRequest<'_>) -> anyhow::Result<()> {
    let answer = count_send("push", gateway.send(request).await)?;
    if !answer.rejected_tokens.is_empty() {
        device::Entity::delete_many()
            .filter(device::Column::Token.is_in(answer.rejected_tokens))
            .exec(&state.db)
            .await?;
    }
    Ok(())
}

fn language(account: &account::Model, prefs: Option<&preference::Model>) -> Lang {
    match prefs.map_or(account.locale.as_str(), |p| p.locale.as_str()) {
        l if l.starts_with("en") => Lang::En,
        _ => Lang::ZhCn,
    }
}

/// One push and one email summarising every held item of one person.
async fn deliver_digest(
    state: &AppState,
    account_id: Uuid,
    rows: &[delivery::Model],
    now: DateTime<Utc>,
    breaker: &mut Breaker,
) -> anyhow::Result<()> {
    let db = &state.db;
    let account = account::Entity::find_by_id(account_id).one(db).await?;
    let prefs = preference::Entity::find_by_id(account_id).one(db).await?;
    let mut lines: Vec<(&'static str, super::digest::DigestLine)> = Vec::new();
    for d in rows {
        if let Some(c) = content(state, d).await? {
            let line = super::digest::DigestLine { title: c.title, sender_name: c.sender_name, children: c.children };
            lines.push((item_kind_of(&d.kind).as_str(), line));
        }
    }
    // Each channel carries only the kinds the person wants on it.
    let wanted = |kinds: Option<&String>| -> Vec<super::digest::DigestLine> {
        lines
            .iter()
            .filter(|(kind, _)| kinds.is_none_or(|k| kind_allowed(k, kind)))
            .map(|(_, line)| line.clone())
            .collect()
    };
    let push_lines = wanted(prefs.as_ref().map(|p| &p.push_kinds));
    let email_lines = wanted(prefs.as_ref().map(|p| &p.email_kinds));
    if let Some(account) = account {
        let lang = language(&account, prefs.as_ref());
        let first = rows.iter().map(|d| d.seq).min().unwrap_or(0);
        if rows.iter().any(|d| d.push_done_at.is_none()) {
            let devices = device::Entity::find().filter(device::Column::AccountId.eq(account_id)).all(db).await?;
            if let (false, Some(gateway), false) = (push_lines.is_empty(), &state.push, devices.is_empty()) {
                let digest = super::digest::render(lang, &push_lines);
                let body = push_lines.iter().map(|l| l.title.as_str()).collect::<Vec<_>>().join("；");
                let request = PushRequest {
                    idempotency_key: format!("digest-{first}"),
                    tokens: devices.iter().map(|x| PushToken { platform: &x.platform, token: &x.token }).collect(),
                    title: &digest.subject,
                    body: &body,
                    urgent: false,
                    data: serde_json::json!({ "kind": "digest" }),
                };
                breaker.call("push", push(state, gateway, &request)).await?;
            }
            mark(state, rows, delivery::Column::PushDoneAt, now).await?;
        }
        if rows.iter().any(|d| d.email_done_at.is_none()) {
            if let (false, Some(address)) = (email_lines.is_empty(), account.email.as_deref()) {
                let digest = super::digest::render(lang, &email_lines);
                let message =
                    build_message(&state.settings.mail_from, address, &digest, &format!("<digest-{first}@jiaxiao>"))?;
                breaker.call("email", async { count_send("email", state.mailer.send(message).await) }).await?;
            }
            mark(state, rows, delivery::Column::EmailDoneAt, now).await?;
        }
    }
    mark(state, rows, delivery::Column::DeliveredAt, now).await?;
    Ok(())
}

async fn mark(
    state: &AppState,
    rows: &[delivery::Model],
    column: delivery::Column,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    delivery::Entity::update_many()
        .col_expr(column, Expr::value(now))
        .col_expr(delivery::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(delivery::Column::Seq.is_in(rows.iter().map(|d| d.seq)))
        .exec(&state.db)
        .await?;
    Ok(())
}

async fn finish(state: &AppState, d: delivery::Model, now: DateTime<Utc>) -> anyhow::Result<Outcome> {
    let mut active = d.into_active_model();
    active.delivered_at = Set(Some(now));
    active.locked_until = Set(None);
    active.update(&state.db).await?;
    Ok(Outcome::Delivered)
}

/// Drains the outbox every `interval` for as long as the server runs.
pub fn spawn(state: actix_web::web::Data<AppState>, interval: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // A stop lets the pass under way finish, and starts no other.
            if state.shutting_down() {
                return;
            }
            loop {
                match run_once(&state, 200, None).await {
                    // A full batch: more may be waiting.
                    Ok(pass) if pass.claimed == 200 => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!("delivery worker failed: {error:#}");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn back_off_doubles_from_thirty_seconds_up_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|a| super::backoff(a).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn a_delivery_is_retried_for_at_least_a_day_before_it_is_given_up() {
        let waited: i64 = (1..super::MAX_ATTEMPTS).map(|a| super::backoff(a).num_seconds()).sum();
        assert!(waited >= 24 * 3600, "retried for {} hours", waited / 3600);
        assert!(waited <= 26 * 3600, "and not for ever: {} hours", waited / 3600);
    }
}
