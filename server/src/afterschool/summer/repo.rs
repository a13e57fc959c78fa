//! Summer care storage. Generic over `ConnectionTrait` (a pool or a transaction).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{WeekStatus, enrolment, site, week};

pub async fn insert_site(db: &impl ConnectionTrait, row: site::Model, weeks: Vec<week::Model>) -> Result<(), DbErr> {
    site::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    week::Entity::insert_many(weeks.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn site(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<site::Model>, DbErr> {
    site::Entity::find_by_id(id).one(db).await
}

/// The district's sites, the school's own first, then by name.
pub async fn sites_of_district(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Vec<site::Model>, DbErr> {
    site::Entity::find()
        .filter(site::Column::DistrictId.eq(district_id))
        .order_by_asc(site::Column::Name)
        .order_by_asc(site::Column::Id)
        .all(db)
        .await
}

pub async fn week(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<week::Model>, DbErr> {
    week::Entity::find_by_id(id).one(db).await
}

/// The weeks of these sites, in date order.
pub async fn weeks_of(db: &impl ConnectionTrait, site_ids: Vec<Uuid>) -> Result<Vec<week::Model>, DbErr> {
    week::Entity::find().filter(week::Column::SiteId.is_in(site_ids)).order_by_asc(week::Column::StartsOn).all(db).await
}

/// Children waiting per week, for these weeks.
pub async fn waiting_counts(db: &impl ConnectionTrait, week_ids: Vec<Uuid>) -> Result<HashMap<Uuid, u32>, DbErr> {
    let rows: Vec<(Uuid, i64)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::WeekId)
        .column_as(enrolment::Column::Id.count(), "n")
        .filter(enrolment::Column::WeekId.is_in(week_ids))
        .filter(enrolment::Column::Status.eq(WeekStatus::Waitlisted))
        .group_by(enrolment::Column::WeekId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(w, n)| (w, u32::try_from(n).unwrap_or(0))).collect())
}

/// Issues the week's next queue number; the update holds the week's row until the transaction ends.
pub async fn next_ticket(db: &impl ConnectionTrait, week_id: Uuid) -> Result<i64, DbErr> {
    week::Entity::update_many()
        .col_expr(week::Column::TicketsIssued, Expr::col(week::Column::TicketsIssued).add(1))
        .filter(week::Column::Id.eq(week_id))
        .exec(db)
        .await?;
    Ok(week::Entity::find_by_id(week_id).one(db).await?.map_or(0, |w| w.tickets_issued))
}

/// Takes a place if one is left; `false` when the week is full.
pub async fn take_place(db: &impl ConnectionTrait, week_id: Uuid) -> Result<bool, DbErr> {
    let taken = week::Entity::update_many()
        .col_expr(week::Column::SeatsTaken, Expr::col(week::Column::SeatsTaken).add(1))
        .filter(week::Column::Id.eq(week_id))
        .filter(Expr::col(week::Column::SeatsTaken).lt(Expr::col(week::Column::Capacity)))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

pub async fn free_place(db: &impl ConnectionTrait, week_id: Uuid) -> Result<(), DbErr> {
    week::Entity::update_many()
        .col_expr(week::Column::SeatsTaken, Expr::col(week::Column::SeatsTaken).sub(1))
        .filter(week::Column::Id.eq(week_id))
        .filter(week::Column::SeatsTaken.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn enrolment(
    db: &impl ConnectionTrait,
    week_id: Uuid,
    student_id: Uuid,
) -> Result<Option<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::WeekId.eq(week_id))
        .filter(enrolment::Column::StudentId.eq(student_id))
        .one(db)
        .await
}

/// A child's enrolments (every status) with their weeks.
pub async fn enrolments_of_child(
    db: &impl ConnectionTrait,
    student_id: Uuid,
) -> Result<Vec<(enrolment::Model, week::Model)>, DbErr> {
    let rows = enrolment::Entity::find().filter(enrolment::Column::StudentId.eq(student_id)).all(db).await?;
    let weeks: HashMap<Uuid, week::Model> =
        weeks_by_id(db, rows.iter().map(|r| r.week_id).collect()).await?.into_iter().map(|w| (w.id, w)).collect();
    Ok(rows.into_iter().filter_map(|r| weeks.get(&r.week_id).cloned().map(|w| (r, w))).collect())
}

async fn weeks_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<week::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    week::Entity::find().filter(week::Column::Id.is_in(ids)).all(db).await
}

/// Adds the child's enrolment, or brings a withdrawn one back with a new queue number.
pub async fn put_enrolment(db: &impl ConnectionTrait, row: enrolment::Model) -> Result<(), DbErr> {
    match enrolment(db, row.week_id, row.student_id).await? {
        None => {
            enrolment::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
        }
        Some(old) => {
            enrolment::ActiveModel {
                id: Set(old.id),
                status: Set(row.status),
                ticket: Set(row.ticket),
                requested_by: Set(row.requested_by),
                updated_at: Set(row.updated_at),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
    }
    Ok(())
}

/// Moves an enrolment from `from` to `to`; `false` when it was no longer `from` (another request
/// moved it first).
pub async fn move_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: WeekStatus,
    to: WeekStatus,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let moved = enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(to))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .filter(enrolment::Column::Id.eq(id))
        .filter(enrolment::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// The week's wait list in queue order.
pub async fn waitlist(db: &impl ConnectionTrait, week_id: Uuid) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::WeekId.eq(week_id))
        .filter(enrolment::Column::Status.eq(WeekStatus::Waitlisted))
        .order_by_asc(enrolment::Column::Ticket)
        .all(db)
        .await
}

/// How many wait ahead of this entry.
pub async fn ahead(db: &impl ConnectionTrait, row: &enrolment::Model) -> Result<u64, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::WeekId.eq(row.week_id))
        .filter(enrolment::Column::Status.eq(WeekStatus::Waitlisted))
        .filter(enrolment::Column::Ticket.lt(row.ticket))
        .count(db)
        .await
}

/// Whether the child has a place in another site's week starting on `monday`.
pub async fn placed_that_week(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    monday: NaiveDate,
    except_week: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(enrolments_of_child(db, student_id)
        .await?
        .into_iter()
        .find(|(e, w)| e.status == WeekStatus::Enrolled && w.starts_on == monday && w.id != except_week)
        .map(|(_, w)| w.id))
}

/// The children with a place in each of these weeks.
pub async fn enrolled_in(db: &impl ConnectionTrait, week_ids: Vec<Uuid>) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::WeekId.is_in(week_ids))
        .filter(enrolment::Column::Status.eq(WeekStatus::Enrolled))
        .order_by_asc(enrolment::Column::Ticket)
        .all(db)
        .await
}
