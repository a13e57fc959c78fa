//! Roster queries: loading what an import may touch and writing its [`Changes`]. Generic over
//! `ConnectionTrait` so they run in a pool or a transaction.
//!
//! Built for thousands of rows: everything is loaded up front with a few `IN` queries and new rows
//! are written with multi-row inserts; only changed rows are updated one by one.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::model::account;
use crate::org::model::{class, guardian, guardianship, school, staff, student, teaching_assignment};
use crate::roster::plan::{Changes, ExistingStaff, ExistingStudents, Logins};

/// Rows per multi-row INSERT or `IN` list: well under SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;

pub async fn school_exists(db: &impl ConnectionTrait, school_id: Uuid) -> Result<bool, DbErr> {
    Ok(school::Entity::find_by_id(school_id).one(db).await?.is_some())
}

async fn classes_of(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Vec<class::Model>, DbErr> {
    class::Entity::find().filter(class::Column::SchoolId.eq(school_id)).all(db).await
}

/// Accounts whose `column` is one of `values`, keyed by id (so several queries merge).
async fn accounts_where(
    db: &impl ConnectionTrait,
    column: account::Column,
    values: &[String],
    found: &mut HashMap<Uuid, account::Model>,
) -> Result<(), DbErr> {
    for chunk in values.chunks(CHUNK) {
        for a in account::Entity::find().filter(column.is_in(chunk.to_vec())).all(db).await? {
            found.insert(a.id, a);
        }
    }
    Ok(())
}

/// The school's classes and staff with their accounts and class roles, and the accounts holding a
/// login the file names.
pub async fn load_staff(db: &impl ConnectionTrait, school_id: Uuid, logins: &Logins) -> Result<ExistingStaff, DbErr> {
    let staff = staff::Entity::find().filter(staff::Column::SchoolId.eq(school_id)).all(db).await?;
    let mut accounts = HashMap::new();
    accounts_where(db, account::Column::Phone, &logins.phones, &mut accounts).await?;
    accounts_where(db, account::Column::Email, &logins.emails, &mut accounts).await?;
    let staff_ids: Vec<Uuid> = staff.iter().map(|s| s.id).collect();
    let account_ids: Vec<Uuid> = staff.iter().map(|s| s.account_id).collect();
    let mut assignments = Vec::new();
    for chunk in staff_ids.chunks(CHUNK) {
        assignments.extend(crate::org::repo::assignments_of_staff(db, chunk.to_vec()).await?);
    }
    for chunk in account_ids.chunks(CHUNK) {
        for a in account::Entity::find().filter(account::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            accounts.insert(a.id, a);
        }
    }
    Ok(ExistingStaff {
        classes: classes_of(db, school_id).await?,
        staff,
        accounts: accounts.into_values().collect(),
        assignments,
    })
}

/// The school's classes and students with their guardian links, and the accounts (with their
/// guardians) holding a guardian login the file names.
pub async fn load_students(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    logins: &Logins,
) -> Result<ExistingStudents, DbErr> {
    let students = student::Entity::find().filter(student::Column::SchoolId.eq(school_id)).all(db).await?;
    let mut accounts = HashMap::new();
    accounts_where(db, account::Column::Phone, &logins.phones, &mut accounts).await?;
    accounts_where(db, account::Column::Email, &logins.emails, &mut accounts).await?;
    let account_ids: Vec<Uuid> = accounts.keys().copied().collect();
    let mut guardians = Vec::new();
    for chunk in account_ids.chunks(CHUNK) {
        guardians
            .extend(guardian::Entity::find().filter(guardian::Column::AccountId.is_in(chunk.to_vec())).all(db).await?);
    }
    let student_ids: Vec<Uuid> = students.iter().map(|s| s.id).collect();
    let mut links = Vec::new();
    for chunk in student_ids.chunks(CHUNK) {
        links.extend(
            guardianship::Entity::find().filter(guardianship::Column::StudentId.is_in(chunk.to_vec())).all(db).await?,
        );
    }
    Ok(ExistingStudents {
        classes: classes_of(db, school_id).await?,
        students,
        accounts: accounts.into_values().collect(),
        guardians,
        links,
    })
}

/// Writes a plan's changes: new rows with multi-row inserts, parents before children (`inserted`
/// hears how many rows each insert wrote), then updates and removals.
pub async fn write(db: &impl ConnectionTrait, changes: Changes, inserted: &dyn Fn(u64)) -> Result<(), DbErr> {
    let Changes {
        new_classes,
        new_accounts,
        changed_accounts,
        new_staff,
        changed_staff,
        new_assignments,
        removed_assignments,
        new_guardians,
        renamed_guardians,
        new_students,
        changed_students,
        new_links,
        changed_links,
        removed_links,
    } = changes;
    insert_chunks::<class::Entity, _>(db, new_classes, inserted).await?;
    insert_chunks::<account::Entity, _>(db, new_accounts, inserted).await?;
    insert_chunks::<staff::Entity, _>(db, new_staff, inserted).await?;
    insert_chunks::<teaching_assignment::Entity, _>(db, new_assignments, inserted).await?;
    insert_chunks::<guardian::Entity, _>(db, new_guardians, inserted).await?;
    insert_chunks::<student::Entity, _>(db, new_students, inserted).await?;
    insert_chunks::<guardianship::Entity, _>(db, new_links, inserted).await?;
    for a in changed_accounts {
        let mut active = a.clone().into_active_model();
        active.phone = Set(a.phone);
        active.email = Set(a.email);
        active.update(db).await?;
    }
    for s in changed_staff {
        let mut active = s.clone().into_active_model();
        active.staff_no = Set(s.staff_no);
        active.name = Set(s.name);
        active.is_school_admin = Set(s.is_school_admin);
        active.is_teacher = Set(s.is_teacher);
        active.updated_at = Set(s.updated_at);
        active.update(db).await?;
    }
    for g in renamed_guardians {
        let mut active = g.clone().into_active_model();
        active.name = Set(g.name);
        active.update(db).await?;
    }
    for s in changed_students {
        let mut active = s.clone().into_active_model();
        active.name = Set(s.name);
        active.class_id = Set(s.class_id);
        active.updated_at = Set(s.updated_at);
        active.update(db).await?;
    }
    for l in changed_links {
        let mut active = l.clone().into_active_model();
        active.relation = Set(l.relation);
        active.access_level = Set(l.access_level);
        active.update(db).await?;
    }
    for id in removed_assignments {
        teaching_assignment::Entity::delete_by_id(id).exec(db).await?;
    }
    for (student_id, guardian_id) in removed_links {
        guardianship::Entity::delete_by_id((student_id, guardian_id)).exec(db).await?;
    }
    Ok(())
}

async fn insert_chunks<E, M>(db: &impl ConnectionTrait, rows: Vec<M>, inserted: &dyn Fn(u64)) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::ActiveModel: From<M>,
{
    let mut rows = rows.into_iter().map(E::ActiveModel::from);
    loop {
        let chunk: Vec<E::ActiveModel> = rows.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        let len = chunk.len() as u64;
        E::insert_many(chunk).exec_without_returning(db).await?;
        inserted(len);
    }
}
