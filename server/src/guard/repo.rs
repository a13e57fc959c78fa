//! Refused-send queries. Generic over `ConnectionTrait` so they run in a pool or a transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

use super::dto::{BlockCount, Outcome};
use super::model::policy_block;
use crate::policy::{Channel, RuleId};

/// Where a refused send came from, as far as the counts go.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub district_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    /// The sender's local date.
    pub date: NaiveDate,
}

pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Notice => "notice",
        Channel::Message => "message",
        Channel::Homework => "homework",
        Channel::Activity => "activity",
    }
}

/// One row per rule (each rule once, however often the text broke it).
pub async fn insert(
    db: &impl ConnectionTrait,
    rules: &[RuleId],
    channel: Channel,
    outcome: Outcome,
    origin: Origin,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut distinct: Vec<RuleId> = Vec::new();
    for rule in rules {
        if !distinct.contains(rule) {
            distinct.push(*rule);
        }
    }
    if distinct.is_empty() {
        return Ok(());
    }
    let rows = distinct.into_iter().map(|rule| policy_block::ActiveModel {
        id: Set(Uuid::new_v4()),
        rule: Set(rule.as_str().to_owned()),
        channel: Set(channel_name(channel).to_owned()),
        district_id: Set(origin.district_id),
        school_id: Set(origin.school_id),
        date: Set(origin.date),
        outcome: Set(outcome.as_str().to_owned()),
        created_at: Set(now),
    });
    policy_block::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Stopped sends in a district between two dates (inclusive), grouped by rule, channel, school,
/// day and outcome.
pub async fn counts(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<BlockCount>, DbErr> {
    let select = Query::select()
        .columns(["rule", "channel", "school_id", "date", "outcome"])
        .expr_as(Expr::col("id").count(), Alias::new("n"))
        .from("policy_blocks")
        .and_where(Expr::col("district_id").eq(district_id))
        .and_where(Expr::col("date").gte(from))
        .and_where(Expr::col("date").lte(to))
        .group_by_columns(["rule", "channel", "school_id", "date", "outcome"])
        .order_by("date", Order::Asc)
        .order_by("rule", Order::Asc)
        .to_owned();
    let rows = db.query_all(&select).await?;
    rows.into_iter()
        .map(|r| {
            let outcome: String = r.try_get("", "outcome")?;
            Ok(BlockCount {
                rule: r.try_get("", "rule")?,
                channel: r.try_get("", "channel")?,
                outcome: Outcome::parse(&outcome)
                    .ok_or_else(|| DbErr::Type(format!("unknown guard outcome {outcome:?}")))?,
                school_id: r.try_get("", "school_id")?,
                date: r.try_get("", "date")?,
                count: r.try_get("", "n")?,
            })
        })
        .collect()
}
