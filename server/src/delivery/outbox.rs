//! The transactional outbox: deliveries are queued by the same transaction as the change that
//! causes them (a notice fanned out, a reminder asked for), so a committed change always gets
//! delivered and a rolled-back one never does. Queuing is one set-based statement per item.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::digest::DigestClock;
use super::model::{preference, school_settings};
use super::quiet_hours::{QuietHours, parse_hhmm};
use crate::inbox::model::ItemKind;
use crate::org::model::{default_zone, school};

/// Which inbox recipients of an item get this delivery.
pub enum Recipients {
    /// Everyone who received the item.
    All,
    /// Those who have not read it.
    Unread,
    /// Those who have not confirmed or replied.
    Unanswered,
}

/// When a queued delivery may go.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// From this instant (now, or the end of quiet hours).
    At(DateTime<Utc>),
    /// In the recipient's digest of the day this instant falls on (a [`DigestClock::marker`]), or
    /// at once if that digest went before the delivery was queued; see [`DigestClock::due`].
    Digest(DateTime<Utc>),
}

/// What to queue about one inbox item: to whom among its recipients, when, and as what.
pub struct Delivery {
    pub item_kind: ItemKind,
    pub ref_id: Uuid,
    /// The school the item speaks for (none for a district's notice): its admins see the
    /// deliveries that finally failed.
    pub school_id: Option<Uuid>,
    /// What the delivery announces: the item itself (its kind's name) or a reminder of it.
    pub kind: &'static str,
    /// Distinguishes the reminders of one item (0 for the item itself).
    pub round: i32,
    /// Bypasses quiet hours and the digest.
    pub urgent: bool,
    pub recipients: Recipients,
    pub when: When,
}

impl Delivery {
    /// The item itself, to everyone who received it.
    pub fn of(item_kind: ItemKind, ref_id: Uuid, school_id: Option<Uuid>, when: When) -> Self {
        let kind = item_kind.as_str();
        Self { item_kind, ref_id, school_id, kind, round: 0, urgent: false, recipients: Recipients::All, when }
    }

    pub fn urgent(self, urgent: bool) -> Self {
        Self { urgent, ..self }
    }

    /// A reminder of the item (`kind` names it, `round` tells it from earlier ones) to some recipients.
    pub fn reminder(self, kind: &'static str, round: i32, recipients: Recipients) -> Self {
        Self { kind, round, recipients, ..self }
    }
}

/// Queues one delivery per selected recipient of an inbox item. Whether it goes by push, email or
/// both is decided per person when it is delivered (preferences may change meanwhile).
pub async fn enqueue(db: &impl ConnectionTrait, delivery: Delivery, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let ref_id = delivery.ref_id;
    enqueue_items(db, delivery, &[ref_id], now).await
}

/// [`enqueue`] for several items of the delivery's kind at once (`delivery.ref_id` is not read).
async fn enqueue_items(
    db: &impl ConnectionTrait,
    delivery: Delivery,
    ref_ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let Delivery { item_kind, ref_id: _, school_id, kind: delivery_kind, round, urgent, recipients, when } = delivery;
    let item_kind = item_kind.as_str();
    let (deliver_after, held_for_digest) = match when {
        When::At(at) => (at, false),
        When::Digest(at) => (at, true),
    };
    let items = match ref_ids {
        [one] => Expr::col("ref_id").eq(*one),
        many => Expr::col("ref_id").is_in(many.iter().copied()),
    };
    let mut select: SelectStatement = Query::select()
        .column("account_id")
        .expr(Expr::val(delivery_kind))
        .column("ref_id")
        .expr(Expr::val(round))
        .expr(Expr::val(urgent))
        .expr(Expr::val(now))
        .expr(Expr::val(deliver_after))
        .expr(Expr::val(deliver_after))
        .expr(Expr::val(0))
        .expr(Expr::val(held_for_digest))
        .expr(Expr::val(school_id))
        .from("inbox_items")
        .and_where(Expr::col("kind").eq(item_kind))
        .and_where(items)
        .to_owned();
    match recipients {
        Recipients::All => {}
        Recipients::Unread => {
            select.and_where(Expr::col("read_at").is_null());
        }
        Recipients::Unanswered => {
            select.and_where(Expr::col("responded_at").is_null());
        }
    }
    let insert = Query::insert()
        .into_table("deliveries")
        .columns([
            "account_id",
            "kind",
            "ref_id",
            "round",
            "urgent",
            "created_at",
            "deliver_after",
            "next_attempt_at",
            "attempts",
            "held_for_digest",
            "school_id",
        ])
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected())
}

/// When something sent now may reach families of a school: at once if urgent, else after the
/// school's quiet hours (default 21:00–07:00 in the school's zone).
pub async fn deliver_after(
    db: &impl ConnectionTrait,
    school_id: Option<Uuid>,
    urgent: bool,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, DbErr> {
    if urgent {
        return Ok(now);
    }
    let Some(school_id) = school_id else {
        return Ok(QuietHours::default().next_allowed(now, default_zone()));
    };
    let (settings, tz) = school_windows(db, school_id).await?;
    Ok(QuietHours::of_school(settings.as_ref()).next_allowed(now, tz))
}

/// When a family's message sent now may reach a teacher: after the school's quiet hours and, if
/// the school set teacher office hours, within them (outside office hours is one more quiet window,
/// from their end to their start).
pub async fn deliver_to_staff_after(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, DbErr> {
    let (settings, tz) = school_windows(db, school_id).await?;
    let quiet = QuietHours::of_school(settings.as_ref());
    let closed = settings.as_ref().and_then(|s| match (&s.office_hours_start, &s.office_hours_end) {
        (Some(start), Some(end)) => QuietHours::parse(end, start),
        _ => None,
    });
    let mut at = quiet.next_allowed(now, tz);
    if let Some(closed) = closed {
        // Two windows: step past each until neither holds the message.
        for _ in 0..3 {
            at = quiet.next_allowed(closed.next_allowed(at, tz), tz);
        }
    }
    Ok(at)
}

/// A school's digest clock: its digest time (default 17:00), in its zone, out of its quiet hours.
fn school_clock(school: &school::Model, settings: Option<&school_settings::Model>) -> DigestClock {
    DigestClock {
        at: settings.and_then(|s| parse_hhmm(&s.digest_time)).unwrap_or(DigestClock::default().at),
        zone: school.zone(),
        quiet: Some(QuietHours::of_school(settings)),
    }
}

/// How homework for `date` reaches families: held for each family's digest of that day (marked
/// with the start of the day in the school's zone; the worker turns it into the family's digest
/// instant), or at once — out of quiet hours — when the school's digest of that day has passed.
pub async fn homework_delivery(
    db: &impl ConnectionTrait,
    school: &school::Model,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<When, DbErr> {
    let settings = school_settings::Entity::find_by_id(school.id).one(db).await?;
    let clock = school_clock(school, settings.as_ref());
    if clock.on(date) <= now {
        return Ok(When::At(QuietHours::of_school(settings.as_ref()).next_allowed(now, school.zone())));
    }
    Ok(When::Digest(clock.marker(date)))
}

/// Each account's digest clock, in three queries however many accounts: its chosen time, or the
/// earliest of its children's schools' (see [`DigestClock::of_family`]).
pub async fn family_clocks(db: &impl ConnectionTrait, accounts: &[Uuid]) -> Result<HashMap<Uuid, DigestClock>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if accounts.is_empty() {
        return Ok(HashMap::new());
    }
    let chosen: HashMap<Uuid, NaiveTime> = preference::Entity::find()
        .filter(preference::Column::AccountId.is_in(accounts.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| Some((p.account_id, parse_hhmm(p.digest_time.as_deref()?)?)))
        .collect();
    let schools = crate::org::repo::schools_of_guardian_accounts(db, accounts).await?;
    let settings: HashMap<Uuid, school_settings::Model> = school_settings::Entity::find()
        .filter(school_settings::Column::SchoolId.is_in(schools.iter().map(|(_, s)| s.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.school_id, s))
        .collect();
    let mut of_account: HashMap<Uuid, Vec<DigestClock>> = HashMap::new();
    for (account, school) in &schools {
        of_account.entry(*account).or_default().push(school_clock(school, settings.get(&school.id)));
    }
    Ok(accounts
        .iter()
        .map(|a| (*a, DigestClock::of_family(chosen.get(a).copied(), of_account.remove(a).unwrap_or_default())))
        .collect())
}

async fn school_windows(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<(Option<school_settings::Model>, Tz), DbErr> {
    let settings = school_settings::Entity::find_by_id(school_id).one(db).await?;
    let tz: Tz = school::Entity::find_by_id(school_id).one(db).await?.map_or_else(default_zone, |s| s.zone());
    Ok((settings, tz))
}

/// What waits in the outbox at one instant (for `/metrics`).
pub struct Backlog {
    /// Deliveries due and neither delivered nor given up.
    pub due: u64,
    /// When the longest-waiting of them became due.
    pub oldest_due_at: Option<DateTime<Utc>>,
}

/// One aggregate query over the due deliveries.
pub async fn backlog(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Backlog, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};

    use super::model::delivery;
    let (due, oldest_due_at) = delivery::Entity::find()
        .select_only()
        .column_as(delivery::Column::Seq.count(), "due")
        .column_as(delivery::Column::NextAttemptAt.min(), "oldest")
        .filter(delivery::Column::DeliveredAt.is_null())
        .filter(delivery::Column::FailedAt.is_null())
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .into_tuple::<(i64, Option<DateTime<Utc>>)>()
        .one(db)
        .await?
        .unwrap_or((0, None));
    Ok(Backlog { due: u64::try_from(due).unwrap_or(0), oldest_due_at })
}

/// Publishes an inbox item to `accounts` (about `child`, if any) and queues its push and email
/// from `school_id` at once (urgent when the item is: through quiet hours), in the caller's
/// transaction: what every domain that tells someone something uses.
pub async fn tell(
    db: &impl ConnectionTrait,
    school_id: Option<Uuid>,
    child: Option<Uuid>,
    accounts: &[Uuid],
    entry: crate::inbox::items::Entry,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    tell_all(db, school_id, vec![Told { child, accounts: accounts.to_vec(), entry }], now).await
}

/// One item to tell: what it says, to whom, about which child (if any).
pub struct Told {
    pub child: Option<Uuid>,
    pub accounts: Vec<Uuid>,
    pub entry: crate::inbox::items::Entry,
}

/// [`tell`] for several items from one school, in a few statements however many: their entries,
/// their recipients, and their deliveries (one statement per kind and urgency).
pub async fn tell_all(
    db: &impl ConnectionTrait,
    school_id: Option<Uuid>,
    told: Vec<Told>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use crate::inbox::items::{self, Delivered};
    let delivered: Vec<Delivered> = told
        .iter()
        .flat_map(|t| {
            let (kind, ref_id, child) = (t.entry.kind, t.entry.ref_id, t.child);
            t.accounts.iter().map(move |&account_id| Delivered { account_id, kind, ref_id, child })
        })
        .collect();
    let mut queued: Vec<((ItemKind, bool), Vec<Uuid>)> = Vec::new();
    for t in &told {
        let group = (t.entry.kind, t.entry.urgent);
        match queued.iter_mut().find(|(g, _)| *g == group) {
            Some((_, ids)) => ids.push(t.entry.ref_id),
            None => queued.push((group, vec![t.entry.ref_id])),
        }
    }
    items::publish_all(db, told.into_iter().map(|t| t.entry).collect(), now).await?;
    items::deliver_all(db, &delivered, now).await?;
    for ((kind, urgent), ids) in queued {
        let delivery = Delivery::of(kind, ids[0], school_id, When::At(now)).urgent(urgent);
        enqueue_items(db, delivery, &ids, now).await?;
    }
    Ok(())
}
