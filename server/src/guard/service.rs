//! Guarding sends: the draft check, holding a send for review, counting a refusal or a send
//! confirmed after review on the sender's local date, and the bureau's counts. Senders (notices,
//! conversations, homework) run [`crate::policy::check`] inside their own use case, then
//! [`screen`] (or [`policy::verdict`] and [`refuse`] after dropping their transaction), and count
//! what was sent after review with [`count_reviewed`] in the send's own transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

use super::dto::{BlockCount, CheckRequest, CheckResponse, Outcome, violations_dto};
use super::error::GuardError;
use super::repo::{self, Origin};
use crate::access::{self, Caller};
use crate::error::ApiResult;
use crate::org::model::{default_zone, district, school};
use crate::policy::{self, Channel, Field, RuleId, Verdict, Violation};
use crate::state::AppState;

/// Who was refused, as far as the counts go: the school (none for a bureau sender) and its
/// district. The date counted is the school's local date (else the district's).
#[derive(Debug, Clone, Copy)]
pub struct Sender {
    pub district_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
}

/// `POST /policy/check`: what the same check on sending would say about a draft.
pub fn check_draft(req: &CheckRequest) -> CheckResponse {
    let mut fields = Vec::new();
    if let Some(title) = &req.title {
        fields.push(Field { name: "title", text: title });
    }
    fields.push(Field { name: "text", text: &req.text });
    let violations = policy::check(&fields, req.channel, req.audience);
    CheckResponse { violations: violations_dto(&violations) }
}

/// The sender's local date at `now`: the school's, else the district's, else the default zone's.
async fn local_date(db: &impl ConnectionTrait, sender: Sender, now: DateTime<Utc>) -> Result<NaiveDate, DbErr> {
    if let Some(school_id) = sender.school_id
        && let Some(school) = school::Entity::find_by_id(school_id).one(db).await?
    {
        return Ok(school.local_date(now));
    }
    if let Some(district_id) = sender.district_id
        && let Some(district) = district::Entity::find_by_id(district_id).one(db).await?
    {
        return Ok(district.local_date(now));
    }
    Ok(now.with_timezone(&default_zone()).date_naive())
}

/// Records one refused attempt (each distinct rule it broke). Runs in its own transaction: the
/// refused send itself was rolled back, the count must stay. Call it with no transaction open
/// (on SQLite a second writer would wait for the first).
async fn record(
    db: &DatabaseConnection,
    rules: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let date = local_date(db, sender, now).await?;
    let origin = Origin { district_id: sender.district_id, school_id: sender.school_id, date };
    let txn = crate::infra::db::begin(db).await?;
    repo::insert(&txn, rules, channel, Outcome::Blocked, origin, now).await?;
    txn.commit().await
}

/// The rule ids a sender confirmed for a held send (`confirm_review`), parsed.
pub fn confirmations(ids: &[String]) -> Result<Vec<RuleId>, GuardError> {
    ids.iter().map(|id| RuleId::parse(id).ok_or_else(|| GuardError::UnknownRule(id.clone()))).collect()
}

/// Decides a send from what the check found and what its sender confirmed: refused (and
/// counted), held for review, or the rules to count as sent after review. Call it with no
/// transaction open.
pub async fn screen(
    db: &DatabaseConnection,
    violations: Vec<Violation>,
    confirmed: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> Result<Vec<RuleId>, GuardError> {
    match policy::verdict(violations, confirmed) {
        Verdict::Send { reviewed } => Ok(reviewed),
        Verdict::Refuse(violations) => Err(refuse(db, &violations, channel, sender, now).await),
        Verdict::Hold(violations) => Err(GuardError::Held(violations)),
    }
}

/// Counts a send its sender confirmed after review (each rule once; never the text), in the
/// send's own transaction: the count stands or falls with the send.
pub async fn count_reviewed(
    txn: &impl ConnectionTrait,
    reviewed: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if reviewed.is_empty() {
        return Ok(());
    }
    let date = local_date(txn, sender, now).await?;
    let origin = Origin { district_id: sender.district_id, school_id: sender.school_id, date };
    repo::insert(txn, reviewed, channel, Outcome::SentAfterReview, origin, now).await
}

/// Counts a refused attempt (nothing when it broke no rule: a conflict, a hold). The refusal
/// stands either way: a lost count is logged, not shown to the sender. Call it after dropping
/// the send's transaction.
pub async fn count_refusal(
    db: &DatabaseConnection,
    rules: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) {
    if rules.is_empty() {
        return;
    }
    if let Err(error) = record(db, rules, channel, sender, now).await {
        tracing::error!("could not count a refused {} send: {error}", repo::channel_name(channel));
    }
}

/// Refuses a send that broke content rules: counts the attempt, then answers with every
/// violation. Call it after dropping the send's transaction.
pub async fn refuse(
    db: &DatabaseConnection,
    violations: &[Violation],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> GuardError {
    let rules: Vec<RuleId> = violations.iter().map(|v| v.rule).collect();
    count_refusal(db, &rules, channel, sender, now).await;
    GuardError::Refused(violations.to_vec())
}

/// Refused sends and sends confirmed after review in the district, by rule, channel, school, day
/// and outcome (the last 30 days of the district's calendar by default), for its bureau officers.
pub async fn blocked_sends(
    state: &AppState,
    user: &Caller,
    district_id: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ApiResult<Vec<BlockCount>> {
    let db = &state.db;
    access::bureau_officer_of(db, user, district_id).await?;
    let to = match to {
        Some(to) => to,
        None => {
            let now = state.clock.now();
            district::Entity::find_by_id(district_id)
                .one(db)
                .await?
                .map_or_else(|| now.with_timezone(&default_zone()).date_naive(), |d| d.local_date(now))
        }
    };
    let from = from.unwrap_or(to - Duration::days(29));
    if from > to || to - from > Duration::days(366) {
        return Err(GuardError::InvalidRange.into());
    }
    Ok(repo::counts(db, district_id, from, to).await?)
}
