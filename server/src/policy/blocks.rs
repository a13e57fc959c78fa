//! Counting refused sends: one row per rule per refused attempt, with the rule id, the channel,
//! the school and the sender's local date — never the text or who wrote it. The bureau's
//! compliance figures read these as aggregates.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, Set};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Channel, RuleId};

pub mod policy_block {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "policy_blocks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub rule: String,
        pub channel: String,
        pub district_id: Option<Uuid>,
        pub school_id: Option<Uuid>,
        pub date: Date,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who was refused, as far as the counts go.
#[derive(Debug, Clone, Copy)]
pub struct Sender {
    pub district_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    /// The sender's local date.
    pub date: NaiveDate,
}

fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Notice => "notice",
        Channel::Message => "message",
        Channel::Homework => "homework",
    }
}

/// Records one refused attempt (each distinct rule it broke). Runs in its own transaction: the
/// refused send itself was rolled back, the count must stay. Call it with no transaction open
/// (on SQLite a second writer would wait for the first).
pub async fn record(
    db: &DatabaseConnection,
    rules: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut distinct: Vec<RuleId> = Vec::new();
    for rule in rules {
        if !distinct.contains(rule) {
            distinct.push(*rule);
        }
    }
    let txn = crate::infra::db::begin(db).await?;
    for rule in distinct {
        policy_block::ActiveModel {
            id: Set(Uuid::new_v4()),
            rule: Set(rule.as_str().to_owned()),
            channel: Set(channel_name(channel).to_owned()),
            district_id: Set(sender.district_id),
            school_id: Set(sender.school_id),
            date: Set(sender.date),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await
}

/// Refused sends of one rule, one school, one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockCount {
    pub rule: String,
    pub channel: String,
    /// `null` for bureau senders.
    pub school_id: Option<Uuid>,
    pub date: NaiveDate,
    pub count: i64,
}

/// Refused sends in a district between two dates (inclusive), grouped by rule, channel, school, day.
pub async fn counts(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<BlockCount>, DbErr> {
    let select = Query::select()
        .columns(["rule", "channel", "school_id", "date"])
        .expr_as(Expr::col("id").count(), Alias::new("n"))
        .from("policy_blocks")
        .and_where(Expr::col("district_id").eq(district_id))
        .and_where(Expr::col("date").gte(from))
        .and_where(Expr::col("date").lte(to))
        .group_by_columns(["rule", "channel", "school_id", "date"])
        .order_by("date", sea_orm::sea_query::Order::Asc)
        .order_by("rule", sea_orm::sea_query::Order::Asc)
        .to_owned();
    let rows = db.query_all(&select).await?;
    rows.into_iter()
        .map(|r| {
            Ok(BlockCount {
                rule: r.try_get("", "rule")?,
                channel: r.try_get("", "channel")?,
                school_id: r.try_get("", "school_id")?,
                date: r.try_get("", "date")?,
                count: r.try_get("", "n")?,
            })
        })
        .collect()
}

/// Counts a refused attempt. The refusal stands either way: a lost count is logged, not shown to
/// the sender. Call it after dropping the send's transaction.
pub async fn count_refusal(
    db: &DatabaseConnection,
    rules: &[RuleId],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) {
    if let Err(error) = record(db, rules, channel, sender, now).await {
        tracing::error!("could not count a refused {} send: {error}", channel_name(channel));
    }
}

/// Refuses a send that broke content rules: counts the attempt, then answers 422 with every
/// violation. Call it after dropping the send's transaction.
pub async fn refuse(
    db: &DatabaseConnection,
    violations: &[super::Violation],
    channel: Channel,
    sender: Sender,
    now: DateTime<Utc>,
) -> crate::error::ApiError {
    let rules: Vec<RuleId> = violations.iter().map(|v| v.rule).collect();
    count_refusal(db, &rules, channel, sender, now).await;
    super::dto::refused(violations)
}

/// The local date the counts use: schools are in China (DOMAIN.md: Asia/Shanghai).
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}
