//! Organisation queries.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::org::model::{class, school, staff, student, teaching_assignment};

pub async fn schools_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, school::Model>, DbErr> {
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

pub async fn classes_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, class::Model>, DbErr> {
    Ok(class::Entity::find()
        .filter(class::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// Students per class, for the given schools: one grouped query.
pub async fn student_counts_by_class(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Uuid, i64)> = student::Entity::find()
        .select_only()
        .column(student::Column::ClassId)
        .column_as(student::Column::Id.count(), "n")
        .filter(student::Column::SchoolId.is_in(school_ids))
        .group_by(student::Column::ClassId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(class_id, n)| (class_id, n.max(0) as u64)).collect())
}

/// Staff per school: one grouped query.
pub async fn staff_counts_by_school(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Uuid, i64)> = staff::Entity::find()
        .select_only()
        .column(staff::Column::SchoolId)
        .column_as(staff::Column::Id.count(), "n")
        .filter(staff::Column::SchoolId.is_in(school_ids))
        .group_by(staff::Column::SchoolId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n.max(0) as u64)).collect())
}

pub async fn count_classes(db: &impl ConnectionTrait, school_id: Uuid) -> Result<u64, DbErr> {
    class::Entity::find().filter(class::Column::SchoolId.eq(school_id)).count(db).await
}

pub async fn count_students(db: &impl ConnectionTrait, school_id: Uuid) -> Result<u64, DbErr> {
    student::Entity::find().filter(student::Column::SchoolId.eq(school_id)).count(db).await
}

pub async fn count_staff(db: &impl ConnectionTrait, school_id: Uuid) -> Result<u64, DbErr> {
    staff::Entity::find().filter(staff::Column::SchoolId.eq(school_id)).count(db).await
}

pub async fn assignments_of_staff(
    db: &impl ConnectionTrait,
    staff_ids: Vec<Uuid>,
) -> Result<Vec<teaching_assignment::Model>, DbErr> {
    teaching_assignment::Entity::find().filter(teaching_assignment::Column::StaffId.is_in(staff_ids)).all(db).await
}
