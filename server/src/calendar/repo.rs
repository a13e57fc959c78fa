//! School-calendar storage.

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::{day, term};

/// The school's terms, the earliest first.
pub async fn terms(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<term::Model>, DbErr> {
    term::Entity::find().filter(term::Column::SchoolId.eq(school_id)).order_by_asc(term::Column::StartsOn).all(db).await
}

/// The school's terms that share a day with `from..=to`.
pub async fn terms_between(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<term::Model>, DbErr> {
    term::Entity::find()
        .filter(term::Column::SchoolId.eq(school_id))
        .filter(term::Column::StartsOn.lte(to))
        .filter(term::Column::EndsOn.gte(from))
        .order_by_asc(term::Column::StartsOn)
        .all(db)
        .await
}

/// The terms of these schools that share a day with `from..=to` (one read for a district).
pub async fn terms_of_schools_between(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<term::Model>, DbErr> {
    if school_ids.is_empty() {
        return Ok(Vec::new());
    }
    term::Entity::find()
        .filter(term::Column::SchoolId.is_in(school_ids))
        .filter(term::Column::StartsOn.lte(to))
        .filter(term::Column::EndsOn.gte(from))
        .order_by_asc(term::Column::StartsOn)
        .all(db)
        .await
}

pub async fn term(db: &impl ConnectionTrait, term_id: Uuid) -> Result<Option<term::Model>, DbErr> {
    term::Entity::find_by_id(term_id).one(db).await
}

/// The special days of these terms, in date order.
pub async fn days_of(db: &impl ConnectionTrait, term_ids: Vec<Uuid>) -> Result<Vec<day::Model>, DbErr> {
    if term_ids.is_empty() {
        return Ok(Vec::new());
    }
    day::Entity::find().filter(day::Column::TermId.is_in(term_ids)).order_by_asc(day::Column::Date).all(db).await
}

/// Saves a term (new or changed) and replaces its special days.
pub async fn save_term(
    db: &impl ConnectionTrait,
    row: term::Model,
    days: Vec<day::Model>,
    new: bool,
) -> Result<(), DbErr> {
    let term_id = row.id;
    let active = term::ActiveModel {
        id: Set(row.id),
        school_id: Set(row.school_id),
        name: Set(row.name),
        starts_on: Set(row.starts_on),
        ends_on: Set(row.ends_on),
        created_at: Set(row.created_at),
        updated_at: Set(row.updated_at),
    };
    if new {
        term::Entity::insert(active).exec_without_returning(db).await?;
    } else {
        term::Entity::update(active).exec(db).await?;
    }
    day::Entity::delete_many().filter(day::Column::TermId.eq(term_id)).exec(db).await?;
    if !days.is_empty() {
        let rows = days.into_iter().map(|d| day::ActiveModel {
            id: Set(d.id),
            term_id: Set(d.term_id),
            date: Set(d.date),
            kind: Set(d.kind),
            name: Set(d.name),
            follows_weekday: Set(d.follows_weekday),
        });
        day::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn delete_term(db: &impl ConnectionTrait, term_id: Uuid) -> Result<(), DbErr> {
    day::Entity::delete_many().filter(day::Column::TermId.eq(term_id)).exec(db).await?;
    term::Entity::delete_by_id(term_id).exec(db).await?;
    Ok(())
}
