//! Homework queries. Generic over `ConnectionTrait` so they run in a pool or a transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::model::{HomeworkKind, Location, Tier, district_settings, feedback, homework};
use super::rules::{Budget, Caps};
use crate::org::model::class;

/// The district's caps, or the national ones.
pub async fn caps(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Caps, DbErr> {
    Ok(district_settings::Entity::find_by_id(district_id)
        .one(db)
        .await?
        .map(|s| Caps { primary: s.primary_cap_minutes, junior: s.junior_cap_minutes })
        .unwrap_or_default())
}

/// A class's written home-homework budget for a day, leaving out `except` (the item being edited).
pub async fn day_budget(
    db: &impl ConnectionTrait,
    class_id: Uuid,
    date: NaiveDate,
    cap_minutes: i32,
    except: Option<Uuid>,
) -> Result<Budget, DbErr> {
    let mut query = homework::Entity::find()
        .filter(homework::Column::ClassId.eq(class_id))
        .filter(homework::Column::Date.eq(date))
        .filter(homework::Column::WithdrawnAt.is_null())
        .filter(homework::Column::Kind.eq(HomeworkKind::Written))
        .filter(homework::Column::Location.eq(Location::Home))
        .filter(homework::Column::Tier.ne(Tier::Optional));
    if let Some(id) = except {
        query = query.filter(homework::Column::Id.ne(id));
    }
    let posts = query
        .select_only()
        .column(homework::Column::Subject)
        .column(homework::Column::EstimatedMinutes)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?;
    Ok(Budget::of(cap_minutes, posts))
}

/// Locks the class row until the transaction ends, so two teachers posting at once cannot both
/// fit into the same remaining budget (PostgreSQL `FOR UPDATE`; SQLite write transactions are
/// already serialised by `BEGIN IMMEDIATE`).
pub async fn lock_class(db: &impl ConnectionTrait, class_id: Uuid) -> Result<Option<class::Model>, DbErr> {
    class::Entity::find_by_id(class_id).lock_exclusive().one(db).await
}

/// A class's homework for a day, withdrawn items included, by subject.
pub async fn of_class_on(
    db: &impl ConnectionTrait,
    class_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<homework::Model>, DbErr> {
    homework::Entity::find()
        .filter(homework::Column::ClassId.eq(class_id))
        .filter(homework::Column::Date.eq(date))
        .order_by_asc(homework::Column::Subject)
        .order_by_asc(homework::Column::CreatedAt)
        .all(db)
        .await
}

/// Reports per item: `(count, sum of minutes)`.
pub async fn feedback_totals(
    db: &impl ConnectionTrait,
    homework_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, (i64, i64)>, DbErr> {
    if homework_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::HomeworkId)
        .column_as(Expr::col(feedback::Column::StudentId).count(), "n")
        .column_as(Expr::col(feedback::Column::Minutes).sum(), "total")
        .filter(feedback::Column::HomeworkId.is_in(homework_ids))
        .group_by(feedback::Column::HomeworkId)
        .into_tuple::<(Uuid, i64, Option<i64>)>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n, total)| (id, (n, total.unwrap_or(0)))).collect())
}

/// Who reported on these items: `(item, child)` pairs.
pub async fn reporters(db: &impl ConnectionTrait, homework_ids: Vec<Uuid>) -> Result<Vec<(Uuid, Uuid)>, DbErr> {
    if homework_ids.is_empty() {
        return Ok(Vec::new());
    }
    feedback::Entity::find()
        .select_only()
        .column(feedback::Column::HomeworkId)
        .column(feedback::Column::StudentId)
        .filter(feedback::Column::HomeworkId.is_in(homework_ids))
        .into_tuple()
        .all(db)
        .await
}

/// A family's report on an item: the first one inserts, a later one (or a concurrent one)
/// replaces it — one statement, so two reports at once never both try to insert.
pub async fn save_feedback(db: &impl ConnectionTrait, row: feedback::ActiveModel) -> Result<(), DbErr> {
    feedback::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([feedback::Column::HomeworkId, feedback::Column::StudentId])
                .update_columns([
                    feedback::Column::ReporterAccountId,
                    feedback::Column::Minutes,
                    feedback::Column::ReportedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A district's caps, inserted or replaced in one statement.
pub async fn save_caps(db: &impl ConnectionTrait, row: district_settings::ActiveModel) -> Result<(), DbErr> {
    district_settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(district_settings::Column::DistrictId)
                .update_columns([
                    district_settings::Column::PrimaryCapMinutes,
                    district_settings::Column::JuniorCapMinutes,
                    district_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
