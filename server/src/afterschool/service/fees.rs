//! The after-school fee ledger (`AS_FEES`): a child who takes a seat in a paid activity is charged
//! for the sessions ahead (with the school's waiver, 减免, at once as its own entry); a withdrawal
//! credits the sessions not yet held by the published rule ([`rules::credit`]); the school marks
//! payments and refunds (there is no payment gateway). Entries are never edited: every figure a
//! family sees is a sum of lines that each say why.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::dto::{ActivityFees, FeeAccount, FeeEntry, FeeWaiver, MarkFee, MoneyMoved, SetFeeWaiver};
use super::super::error::AfterschoolError;
use super::super::model::{EnrolmentStatus, FeeEntryKind, FeeKind, FeePer, activity, fee_entry, fee_waiver, plan};
use super::super::repo;
use super::super::rules::{self, Balance};
use super::{REASON_MAX_CHARS, fee_of, optional, school, unlist};
use crate::access::{self, Caller};
use crate::calendar::rules::Calendar;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// ¥ and yuan with two decimals, for reasons a family reads.
fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}

/// What a new line of an account says.
struct Line {
    kind: FeeEntryKind,
    amount_fen: i64,
    sessions: Option<u32>,
    reason: String,
}

fn entry(
    activity: &activity::Model,
    student_id: Uuid,
    Line { kind, amount_fen, sessions, reason }: Line,
    recorded_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> fee_entry::Model {
    fee_entry::Model {
        // Time-ordered: an account lists its lines in the order they were written, even when
        // two share an instant (a charge and its waiver).
        id: Uuid::now_v7(),
        plan_id: activity.plan_id,
        activity_id: activity.id,
        student_id,
        kind,
        amount_fen,
        sessions: sessions.map(|s| s as i32),
        reason,
        recorded_by,
        created_at: now,
    }
}

/// The first day whose session of the activity is still ahead, in the school's time.
async fn first_day_ahead(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    now: DateTime<Utc>,
) -> ApiResult<chrono::NaiveDate> {
    use chrono::Timelike;
    let local = now.with_timezone(&school(txn, activity.school_id).await?.zone());
    let minute = (local.hour() * 60 + local.minute()) as rules::Minute;
    Ok(rules::first_day_ahead(local.date_naive(), minute, activity.start_minute as rules::Minute))
}

fn balance(entries: &[fee_entry::Model]) -> Balance {
    Balance::of(entries.iter().map(|e| (e.kind, e.amount_fen, e.sessions)))
}

/// The school's calendar over the plan's term: no session is charged for a holiday, and a make-up
/// day holds the session of the weekday it follows.
async fn term_calendar(db: &impl sea_orm::ConnectionTrait, plan: &plan::Model) -> ApiResult<Calendar> {
    crate::calendar::service::calendar(db, plan.school_id, plan.term_start, plan.term_end).await
}

/// A child took a seat: the charge for the sessions ahead in the term (from today, or the term's
/// first day), and the school's waiver of it if the family has one. Free activities write nothing.
pub async fn charge_seat(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    plan: &plan::Model,
    student_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if activity.fee_kind == FeeKind::Free || activity.fee_amount_fen == 0 {
        return Ok(());
    }
    let from = first_day_ahead(txn, activity, now).await?;
    let days = unlist(&activity.weekdays);
    let calendar = term_calendar(txn, plan).await?;
    let total = rules::sessions_between(&calendar, &days, plan.term_start, plan.term_end);
    let ahead = rules::sessions_between(&calendar, &days, from.max(plan.term_start), plan.term_end);
    let amount = rules::charge(activity.fee_per, activity.fee_amount_fen, total, ahead);
    if amount == 0 {
        return Ok(());
    }
    let price = yuan(activity.fee_amount_fen);
    let reason = match activity.fee_per {
        FeePer::Term if ahead >= total => {
            format!("学期费用 {price}（共 {total} 次）/ Term fee {price} ({total} sessions)")
        }
        FeePer::Term => format!(
            "学期费用 {price} 按剩余 {ahead}/{total} 次计 / Term fee {price} for the {ahead} of {total} sessions left"
        ),
        FeePer::Session => format!("每次 {price} × {ahead} 次 / {price} per session × {ahead}"),
    };
    let mut rows = vec![entry(
        activity,
        student_id,
        Line { kind: FeeEntryKind::Charge, amount_fen: amount, sessions: Some(ahead), reason },
        None,
        now,
    )];
    if let Some(waiver) = repo::fee_waiver(txn, plan.id, student_id).await?.filter(|w| w.percent > 0) {
        let off = rules::waived(amount, waiver.percent as u8);
        let line = Line { kind: FeeEntryKind::Waiver, amount_fen: off, sessions: None, reason: waiver_reason(&waiver) };
        rows.push(entry(activity, student_id, line, None, now));
    }
    repo::insert_fee_entries(txn, rows).await?;
    Ok(())
}

fn waiver_reason(waiver: &fee_waiver::Model) -> String {
    format!(
        "学校减免 {}%：{} / Waived {}% by the school: {}",
        waiver.percent, waiver.reason, waiver.percent, waiver.reason
    )
}

/// A child left a seat: the refund rule credits the net charge pro rata by the charged sessions
/// still ahead (today's counts as held once it has begun).
pub async fn credit_withdrawal(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    plan: &plan::Model,
    student_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    repo::lock_activity(txn, activity.id).await?;
    let entries = repo::fee_entries(txn, activity.id, student_id).await?;
    let b = balance(&entries);
    let Ok(charged_sessions) = u32::try_from(b.sessions) else { return Ok(()) };
    if charged_sessions == 0 || b.net_charged() <= 0 {
        return Ok(());
    }
    let days = unlist(&activity.weekdays);
    let from = first_day_ahead(txn, activity, now).await?.max(plan.term_start);
    let calendar = term_calendar(txn, plan).await?;
    let not_held = rules::sessions_between(&calendar, &days, from, plan.term_end).min(charged_sessions);
    let amount = rules::credit(b.net_charged(), charged_sessions, not_held);
    if amount == 0 {
        return Ok(());
    }
    let reason = format!(
        "退课：未上的 {not_held}/{charged_sessions} 次按比例退还 / Withdrawn: {not_held} of {charged_sessions} sessions not held, pro rata"
    );
    let line = Line { kind: FeeEntryKind::Credit, amount_fen: amount, sessions: Some(not_held), reason };
    let row = entry(activity, student_id, line, None, now);
    repo::insert_fee_entries(txn, vec![row]).await?;
    Ok(())
}

/// The activity was cancelled before it ran for the child: everything charged and not waived
/// comes off.
pub async fn credit_cancelled(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    student_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let reason = "活动取消，费用全部退还 / Activity cancelled: every fee comes off";
    credit_everything(txn, activity, student_id, (reason, None), now).await
}

/// The family gave back a seat it was promoted to (at `promoted_at`) within the offer's time:
/// everything charged for that seat comes off (what an earlier enrolment of the term was charged
/// and credited stays as it was).
pub async fn credit_declined(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    student_id: Uuid,
    promoted_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let reason = "候补转正后按时放弃，费用全部退还 / Promotion declined in time: every fee comes off";
    credit_everything(txn, activity, student_id, (reason, Some(promoted_at)), now).await
}

/// Credits the net of the child's entries of the activity (those since `since`, if given).
async fn credit_everything(
    txn: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    student_id: Uuid,
    (reason, since): (&str, Option<DateTime<Utc>>),
    now: DateTime<Utc>,
) -> ApiResult<()> {
    repo::lock_activity(txn, activity.id).await?;
    let mut entries = repo::fee_entries(txn, activity.id, student_id).await?;
    if let Some(since) = since {
        entries.retain(|e| e.created_at >= since);
    }
    let b = balance(&entries);
    if b.net_charged() <= 0 {
        return Ok(());
    }
    let sessions = u32::try_from(b.sessions).unwrap_or(0);
    let reason = reason.to_owned();
    let line = Line { kind: FeeEntryKind::Credit, amount_fen: b.net_charged(), sessions: Some(sessions), reason };
    repo::insert_fee_entries(txn, vec![entry(activity, student_id, line, None, now)]).await?;
    Ok(())
}

fn account_view(
    activity: &activity::Model,
    student_id: Uuid,
    student_name: String,
    entries: &[fee_entry::Model],
) -> FeeAccount {
    let b = balance(entries);
    let left = b.balance();
    FeeAccount {
        activity_id: activity.id,
        activity_name: activity.name.clone(),
        student_id,
        student_name,
        fee: fee_of(activity),
        charged_fen: b.charged,
        waived_fen: b.waived,
        credited_fen: b.credited,
        paid_fen: b.paid,
        refunded_fen: b.refunded,
        owed_fen: left.max(0),
        refund_due_fen: (-left).max(0),
        entries: entries
            .iter()
            .map(|e| FeeEntry {
                kind: e.kind,
                amount_fen: e.amount_fen,
                sessions: e.sessions,
                reason: e.reason.clone(),
                created_at: e.created_at,
            })
            .collect(),
    }
}

/// A child's accounts for a plan's activities (the family's view), in the order the activities
/// were first charged.
pub async fn child_accounts(
    db: &impl sea_orm::ConnectionTrait,
    plan_id: Uuid,
    student_id: Uuid,
    student_name: &str,
) -> ApiResult<Vec<FeeAccount>> {
    let entries = repo::fee_entries_of_child(db, student_id, plan_id).await?;
    let mut by_activity: Vec<(Uuid, Vec<fee_entry::Model>)> = Vec::new();
    for e in entries {
        match by_activity.iter_mut().find(|(id, _)| *id == e.activity_id) {
            Some((_, lines)) => lines.push(e),
            None => by_activity.push((e.activity_id, vec![e])),
        }
    }
    let mut accounts = Vec::with_capacity(by_activity.len());
    for (activity_id, lines) in by_activity {
        if let Some(activity) = repo::activity(db, activity_id).await? {
            accounts.push(account_view(&activity, student_id, student_name.to_owned(), &lines));
        }
    }
    Ok(accounts)
}

/// The activity and its school's admin: only admins keep the money.
async fn kept_activity(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    activity_id: Uuid,
) -> ApiResult<activity::Model> {
    let activity = repo::activity(db, activity_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_admin(db, caller, activity.school_id).await?;
    Ok(activity)
}

/// Every child's account for an activity, with the sums (its school's admins).
pub async fn activity_fees(state: &AppState, caller: &Caller, activity_id: Uuid) -> ApiResult<ActivityFees> {
    let db = &state.db;
    let activity = kept_activity(db, caller, activity_id).await?;
    let mut by_child: BTreeMap<Uuid, Vec<fee_entry::Model>> = BTreeMap::new();
    for e in repo::fee_entries_of_activity(db, activity_id).await? {
        by_child.entry(e.student_id).or_default().push(e);
    }
    let names: HashMap<Uuid, String> = crate::org::repo::student_names(db, by_child.keys().copied().collect()).await?;
    let mut items: Vec<FeeAccount> = by_child
        .iter()
        .map(|(student_id, lines)| {
            account_view(&activity, *student_id, names.get(student_id).cloned().unwrap_or_default(), lines)
        })
        .collect();
    items.sort_by(|a, b| a.student_name.cmp(&b.student_name).then(a.student_id.cmp(&b.student_id)));
    let sum = |f: fn(&FeeAccount) -> i64| items.iter().map(f).sum::<i64>();
    Ok(ActivityFees {
        activity_id,
        charged_fen: sum(|a| a.charged_fen),
        waived_fen: sum(|a| a.waived_fen),
        credited_fen: sum(|a| a.credited_fen),
        paid_fen: sum(|a| a.paid_fen),
        refunded_fen: sum(|a| a.refunded_fen),
        owed_fen: sum(|a| a.owed_fen),
        refund_due_fen: sum(|a| a.refund_due_fen),
        items,
    })
}

/// The school marks money received from the family or paid back to it: a payment at most what is
/// owed, a refund at most what is owed back (so the account never shows money nobody owes).
pub async fn mark(
    state: &AppState,
    caller: &Caller,
    activity_id: Uuid,
    student_id: Uuid,
    req: MarkFee,
) -> ApiResult<FeeAccount> {
    let note = optional("note", &req.note, REASON_MAX_CHARS)?;
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let activity = kept_activity(&txn, caller, activity_id).await?;
    // Two marks at once take turns: the second sees the first's line and what is left owing.
    repo::lock_activity(&txn, activity_id).await?;
    let mut entries = repo::fee_entries(&txn, activity_id, student_id).await?;
    if entries.is_empty() {
        return Err(ApiError::not_found());
    }
    let left = balance(&entries).balance();
    let (kind, most, what) = match req.kind {
        MoneyMoved::Payment => (FeeEntryKind::Payment, left.max(0), ("收款", "payment")),
        MoneyMoved::Refund => (FeeEntryKind::Refund, (-left).max(0), ("退款", "refund")),
    };
    if req.amount_fen < 1 || req.amount_fen > most {
        return Err(AfterschoolError::invalid(
            "amount_fen",
            format!("{}金额须为 1 分到 {}。", what.0, yuan(most)),
            format!("A {} is 1 fen to {} here.", what.1, yuan(most)),
        )
        .into());
    }
    let reason = match note {
        Some(note) => format!("学校登记{} / {} recorded by the school: {note}", what.0, what.1),
        None => format!("学校登记{} / {} recorded by the school", what.0, what.1),
    };
    let line = Line { kind, amount_fen: req.amount_fen, sessions: None, reason };
    let row = entry(&activity, student_id, line, Some(caller.account_id), now);
    repo::insert_fee_entries(&txn, vec![row.clone()]).await?;
    entries.push(row);
    let name = crate::org::repo::student_names(&txn, vec![student_id]).await?.remove(&student_id).unwrap_or_default();
    txn.commit().await?;
    Ok(account_view(&activity, student_id, name, &entries))
}

/// The school waives a share of a child's fees for the plan (减免). Seats the child holds now are
/// adjusted at once by a waiver entry for the difference; later seats get it when charged.
pub async fn set_waiver(
    state: &AppState,
    caller: &Caller,
    plan_id: Uuid,
    student_id: Uuid,
    req: SetFeeWaiver,
) -> ApiResult<FeeWaiver> {
    if req.percent > 100 {
        return Err(AfterschoolError::invalid("percent", "减免比例为 0 到 100。", "The percent is 0 to 100.").into());
    }
    let reason = optional("reason", &req.reason, REASON_MAX_CHARS)?;
    if req.percent > 0 && reason.is_none() {
        return Err(AfterschoolError::invalid("reason", "请写明减免原因。", "Give the reason for the waiver.").into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let plan = repo::plan(&txn, plan_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_admin(&txn, caller, plan.school_id).await?;
    let pupil = crate::org::repo::student(&txn, student_id).await?.filter(|s| s.school_id == plan.school_id);
    if pupil.is_none() {
        return Err(ApiError::not_found());
    }
    let row = fee_waiver::Model {
        plan_id,
        student_id,
        percent: i16::from(req.percent),
        reason: reason.unwrap_or_default(),
        set_by: caller.account_id,
        updated_at: now,
    };
    repo::upsert_fee_waiver(&txn, row.clone()).await?;
    for (enrolment, activity) in repo::active_enrolments(&txn, student_id).await? {
        if activity.plan_id != plan_id || enrolment.status != EnrolmentStatus::Enrolled {
            continue;
        }
        repo::lock_activity(&txn, activity.id).await?;
        let b = balance(&repo::fee_entries(&txn, activity.id, student_id).await?);
        // An account already credited at a withdrawal keeps its figures (the credit was reckoned
        // on the waiver of its day).
        if b.charged == 0 || b.credited != 0 {
            continue;
        }
        let change = rules::waived(b.charged, req.percent) - b.waived;
        if change != 0 {
            let line =
                Line { kind: FeeEntryKind::Waiver, amount_fen: change, sessions: None, reason: waiver_reason(&row) };
            repo::insert_fee_entries(&txn, vec![entry(&activity, student_id, line, None, now)]).await?;
        }
    }
    txn.commit().await?;
    Ok(FeeWaiver { plan_id, student_id, percent: req.percent, reason: row.reason, updated_at: now })
}
