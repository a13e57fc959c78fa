//! Organisation queries: every read and write of the district → school → class tables, generic
//! over [`ConnectionTrait`] so they run in a pool or a transaction. Nothing here knows HTTP.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Set,
};
use uuid::Uuid;

use crate::auth::model::account;
use crate::org::dto::SchoolCounts;
use crate::org::model::{
    StageSystem, bureau_officer, class, district, guardian, guardianship, school, staff, student, teaching_assignment,
};

pub async fn district(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<district::Model>, DbErr> {
    district::Entity::find_by_id(id).one(db).await
}

pub async fn district_named(db: &impl ConnectionTrait, name: &str) -> Result<Option<district::Model>, DbErr> {
    district::Entity::find().filter(district::Column::Name.eq(name)).one(db).await
}

pub async fn insert_district(
    db: &impl ConnectionTrait,
    name: &str,
    time_zone: &str,
    now: DateTime<Utc>,
) -> Result<district::Model, DbErr> {
    district::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.to_owned()),
        time_zone: Set(time_zone.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await
}

/// Districts by id, by name.
pub async fn districts_by_name(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<district::Model>, DbErr> {
    district::Entity::find().filter(district::Column::Id.is_in(ids)).order_by_asc(district::Column::Name).all(db).await
}

/// Makes the account an officer of the district unless it is one already (one `ON CONFLICT DO
/// NOTHING` insert). Returns whether it was created.
pub async fn ensure_officer(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    district_id: Uuid,
    name: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = bureau_officer::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(account_id),
        district_id: Set(district_id),
        name: Set(name.to_owned()),
        created_at: Set(now),
    };
    let inserted = bureau_officer::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([bureau_officer::Column::AccountId, bureau_officer::Column::DistrictId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn officers_of_account(
    db: &impl ConnectionTrait,
    account_id: Uuid,
) -> Result<Vec<bureau_officer::Model>, DbErr> {
    bureau_officer::Entity::find().filter(bureau_officer::Column::AccountId.eq(account_id)).all(db).await
}

/// The accounts of the district's bureau officers (who hear what concerns the district).
pub async fn officer_accounts(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    bureau_officer::Entity::find()
        .select_only()
        .column(bureau_officer::Column::AccountId)
        .filter(bureau_officer::Column::DistrictId.eq(district_id))
        .into_tuple()
        .all(db)
        .await
}

/// The school's row, locked until the transaction ends: what one school saves at a time (its
/// terms, its safeguarding staff, its graduation rule versions) takes turns behind it.
pub async fn lock_school(db: &impl ConnectionTrait, school_id: Uuid) -> Result<Option<school::Model>, DbErr> {
    school::Entity::find_by_id(school_id).lock_exclusive().one(db).await
}

/// The student's row, locked until the transaction ends: what is saved about one child (two
/// guardians' mentor choices, the child's certificates) takes turns behind it.
pub async fn lock_student(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Option<student::Model>, DbErr> {
    student::Entity::find_by_id(student_id).lock_exclusive().one(db).await
}

/// Locks the student's row unless another transaction holds it (then `None` at once, no wait):
/// for a pass over many children that must not wait in a circle with one of theirs.
pub async fn try_lock_student(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Option<student::Model>, DbErr> {
    use sea_orm::sea_query::{LockBehavior, LockType};
    student::Entity::find_by_id(student_id).lock_with_behavior(LockType::Update, LockBehavior::SkipLocked).one(db).await
}

pub async fn school(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<school::Model>, DbErr> {
    school::Entity::find_by_id(id).one(db).await
}

pub async fn school_name_taken(db: &impl ConnectionTrait, district_id: Uuid, name: &str) -> Result<bool, DbErr> {
    Ok(school::Entity::find()
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some())
}

/// A school's row as it is created.
pub struct SchoolRow<'a> {
    pub id: Uuid,
    pub district_id: Uuid,
    pub name: &'a str,
    pub stage_system: StageSystem,
    pub time_zone: &'a str,
}

pub async fn insert_school(
    db: &impl ConnectionTrait,
    row: SchoolRow<'_>,
    now: DateTime<Utc>,
) -> Result<school::Model, DbErr> {
    school::ActiveModel {
        id: Set(row.id),
        district_id: Set(row.district_id),
        name: Set(row.name.to_owned()),
        stage_system: Set(row.stage_system),
        time_zone: Set(row.time_zone.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await
}

/// A school's admin staff row, with a placeholder staff number until a roster names them.
pub async fn insert_admin_staff(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    account_id: Uuid,
    name: &str,
    staff_no: &str,
    now: DateTime<Utc>,
) -> Result<staff::Model, DbErr> {
    staff::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(school_id),
        account_id: Set(account_id),
        staff_no: Set(staff_no.to_owned()),
        name: Set(name.to_owned()),
        is_school_admin: Set(true),
        is_teacher: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// One page of the schools of these districts and these schools, by id after `after`.
pub async fn schools_page(
    db: &impl ConnectionTrait,
    district_ids: Vec<Uuid>,
    school_ids: Vec<Uuid>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<school::Model>, DbErr> {
    let mut query = school::Entity::find().filter(
        Condition::any().add(school::Column::DistrictId.is_in(district_ids)).add(school::Column::Id.is_in(school_ids)),
    );
    if let Some(after) = after {
        query = query.filter(school::Column::Id.gt(after));
    }
    query.order_by_asc(school::Column::Id).limit(limit).all(db).await
}

/// The schools of a district, by name.
pub async fn schools_of_district(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Vec<school::Model>, DbErr> {
    school::Entity::find()
        .filter(school::Column::DistrictId.eq(district_id))
        .order_by_asc(school::Column::Name)
        .all(db)
        .await
}

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

pub async fn classes_of_schools(db: &impl ConnectionTrait, school_ids: Vec<Uuid>) -> Result<Vec<class::Model>, DbErr> {
    class::Entity::find().filter(class::Column::SchoolId.is_in(school_ids)).all(db).await
}

/// One page of a school's classes by (grade, number), after `after`.
pub async fn classes_page(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    after: Option<(i16, i16)>,
    limit: u64,
) -> Result<Vec<class::Model>, DbErr> {
    let mut query = class::Entity::find().filter(class::Column::SchoolId.eq(school_id));
    if let Some((grade, number)) = after {
        query = query.filter(
            Condition::any()
                .add(class::Column::Grade.gt(grade))
                .add(Condition::all().add(class::Column::Grade.eq(grade)).add(class::Column::Number.gt(number))),
        );
    }
    query.order_by_asc(class::Column::Grade).order_by_asc(class::Column::Number).limit(limit).all(db).await
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

/// Students per school: one grouped query.
pub async fn student_counts_by_school(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Uuid, i64)> = student::Entity::find()
        .select_only()
        .column(student::Column::SchoolId)
        .column_as(student::Column::Id.count(), "n")
        .filter(student::Column::SchoolId.is_in(school_ids))
        .group_by(student::Column::SchoolId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n.max(0) as u64)).collect())
}

/// Head counts of one school: classes, students, staff.
pub async fn school_counts(db: &impl ConnectionTrait, school_id: Uuid) -> Result<SchoolCounts, DbErr> {
    Ok(SchoolCounts {
        classes: class::Entity::find().filter(class::Column::SchoolId.eq(school_id)).count(db).await?,
        students: student::Entity::find().filter(student::Column::SchoolId.eq(school_id)).count(db).await?,
        staff: staff::Entity::find().filter(staff::Column::SchoolId.eq(school_id)).count(db).await?,
    })
}

/// The accounts of the admins of these schools (who hear what concerns a school as a whole).
pub async fn admin_accounts(db: &impl ConnectionTrait, school_ids: Vec<Uuid>) -> Result<Vec<Uuid>, DbErr> {
    let mut accounts: Vec<Uuid> = staff::Entity::find()
        .filter(staff::Column::SchoolId.is_in(school_ids))
        .filter(staff::Column::IsSchoolAdmin.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.account_id)
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    Ok(accounts)
}

pub async fn staff_of_account(db: &impl ConnectionTrait, account_id: Uuid) -> Result<Vec<staff::Model>, DbErr> {
    staff::Entity::find().filter(staff::Column::AccountId.eq(account_id)).all(db).await
}

/// `(account, name)` of staff rows, by staff id.
pub async fn staff_names(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, (Uuid, String)>, DbErr> {
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.account_id, s.name)))
        .collect())
}

/// `(account, name)` of every staff row of these accounts (one per school they work at).
pub async fn staff_names_by_account(
    db: &impl ConnectionTrait,
    account_ids: Vec<Uuid>,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    Ok(staff::Entity::find()
        .filter(staff::Column::AccountId.is_in(account_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.account_id, s.name))
        .collect())
}

pub async fn assignments_of_staff(
    db: &impl ConnectionTrait,
    staff_ids: Vec<Uuid>,
) -> Result<Vec<teaching_assignment::Model>, DbErr> {
    teaching_assignment::Entity::find().filter(teaching_assignment::Column::StaffId.is_in(staff_ids)).all(db).await
}

/// Every subject assignment (not the class-teacher role) in a school's classes, as
/// `(subject as written, class_id)`.
pub async fn subject_assignments_of_school(
    db: &impl ConnectionTrait,
    school_id: Uuid,
) -> Result<Vec<(String, Uuid)>, DbErr> {
    let classes = Query::select()
        .column(class::Column::Id)
        .from(class::Entity)
        .and_where(class::Column::SchoolId.eq(school_id))
        .to_owned();
    teaching_assignment::Entity::find()
        .select_only()
        .column(teaching_assignment::Column::Subject)
        .column(teaching_assignment::Column::ClassId)
        .filter(teaching_assignment::Column::ClassId.in_subquery(classes))
        .filter(teaching_assignment::Column::Subject.ne(""))
        .into_tuple()
        .all(db)
        .await
}

pub async fn assignments_of_class(
    db: &impl ConnectionTrait,
    class_id: Uuid,
) -> Result<Vec<teaching_assignment::Model>, DbErr> {
    teaching_assignment::Entity::find().filter(teaching_assignment::Column::ClassId.eq(class_id)).all(db).await
}

/// One page of a class's students by student number, after `after`.
pub async fn students_page(
    db: &impl ConnectionTrait,
    class_id: Uuid,
    after: Option<String>,
    limit: u64,
) -> Result<Vec<student::Model>, DbErr> {
    let mut query = student::Entity::find().filter(student::Column::ClassId.eq(class_id));
    if let Some(after) = after {
        query = query.filter(student::Column::StudentNo.gt(after));
    }
    query.order_by_asc(student::Column::StudentNo).limit(limit).all(db).await
}

/// Names of students by id.
pub async fn student(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<student::Model>, DbErr> {
    student::Entity::find_by_id(id).one(db).await
}

/// Students by id (unknown ids are left out).
pub async fn students_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<student::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    student::Entity::find().filter(student::Column::Id.is_in(ids)).all(db).await
}

pub async fn student_names(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(student::Entity::find()
        .filter(student::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

pub async fn guardianships_of_students(
    db: &impl ConnectionTrait,
    student_ids: Vec<Uuid>,
) -> Result<Vec<guardianship::Model>, DbErr> {
    guardianship::Entity::find().filter(guardianship::Column::StudentId.is_in(student_ids)).all(db).await
}

pub async fn guardians_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, guardian::Model>, DbErr> {
    Ok(guardian::Entity::find()
        .filter(guardian::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect())
}

/// Guardians' names by their account.
pub async fn guardian_names_by_account(
    db: &impl ConnectionTrait,
    account_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(guardian::Entity::find()
        .filter(guardian::Column::AccountId.is_in(account_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.account_id, g.name))
        .collect())
}

/// What `/me` shows of an account, and which roles it holds: one statement (each flag an index
/// probe), so that `/me` loads only the roles there are.
#[derive(Debug, sea_orm::FromQueryResult)]
pub struct AccountRoles {
    pub id: Uuid,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_guardian: bool,
    pub is_staff: bool,
    pub is_officer: bool,
}

pub async fn account_roles(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<AccountRoles>, DbErr> {
    use sea_orm::sea_query::{Expr, Query};
    fn names<E: EntityTrait>(entity: E, column: E::Column, id: Uuid) -> sea_orm::sea_query::SimpleExpr {
        Expr::exists(Query::select().expr(Expr::val(1)).from(entity).and_where(column.eq(id)).to_owned())
    }
    account::Entity::find_by_id(id)
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName, account::Column::Phone, account::Column::Email])
        .expr_as(names(guardian::Entity, guardian::Column::AccountId, id), "is_guardian")
        .expr_as(names(staff::Entity, staff::Column::AccountId, id), "is_staff")
        .expr_as(names(bureau_officer::Entity, bureau_officer::Column::AccountId, id), "is_officer")
        .into_model::<AccountRoles>()
        .one(db)
        .await
}

pub async fn account(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id).one(db).await
}

pub async fn accounts_by_id(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, account::Model>, DbErr> {
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// Distinct guardians of the schools' students, and how many have activated their account.
/// Counted in the database with nested sub-queries: a district has tens of thousands of guardians.
pub async fn guardian_counts(db: &impl ConnectionTrait, school_ids: Vec<Uuid>) -> Result<(u64, u64), DbErr> {
    let students_of_schools = Query::select()
        .column(student::Column::Id)
        .from(student::Entity)
        .and_where(student::Column::SchoolId.is_in(school_ids))
        .to_owned();
    let guardians_of_students = Query::select()
        .column(guardianship::Column::GuardianId)
        .from(guardianship::Entity)
        .and_where(guardianship::Column::StudentId.in_subquery(students_of_schools))
        .to_owned();
    let total = guardian::Entity::find()
        .filter(guardian::Column::Id.in_subquery(guardians_of_students.clone()))
        .count(db)
        .await?;
    let accounts_of_guardians = Query::select()
        .column(guardian::Column::AccountId)
        .from(guardian::Entity)
        .and_where(guardian::Column::Id.in_subquery(guardians_of_students))
        .to_owned();
    let activated = account::Entity::find()
        .filter(account::Column::Id.in_subquery(accounts_of_guardians))
        .filter(account::Column::PasswordHash.is_not_null())
        .count(db)
        .await?;
    Ok((total, activated))
}

/// Per school: its teachers (distinct accounts of its staff who teach).
pub async fn teacher_counts_by_school(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    if school_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = staff::Entity::find()
        .select_only()
        .column(staff::Column::SchoolId)
        .column_as(sea_orm::sea_query::Expr::col(staff::Column::AccountId).count_distinct(), "n")
        .filter(staff::Column::SchoolId.is_in(school_ids))
        .filter(staff::Column::IsTeacher.eq(true))
        .group_by(staff::Column::SchoolId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))).collect())
}

/// Which of these accounts teach at which of these schools: `(school, account)` pairs.
pub async fn teachers_among(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
    account_ids: Vec<Uuid>,
) -> Result<std::collections::HashSet<(Uuid, Uuid)>, DbErr> {
    if school_ids.is_empty() || account_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, Uuid)> = staff::Entity::find()
        .select_only()
        .column(staff::Column::SchoolId)
        .column(staff::Column::AccountId)
        .filter(staff::Column::SchoolId.is_in(school_ids))
        .filter(staff::Column::AccountId.is_in(account_ids))
        .filter(staff::Column::IsTeacher.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Per school: the distinct guardians of its students, and how many have activated their
/// account — [`guardian_counts`] for each school of a district in one grouped read.
pub async fn guardian_counts_by_school(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, (u64, u64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    if school_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let guardian_id = Expr::col((guardian::Entity, guardian::Column::Id));
    let activated =
        Expr::case(Expr::col((account::Entity, account::Column::PasswordHash)).is_not_null(), guardian_id.clone());
    let query = Query::select()
        .expr_as(Expr::col((student::Entity, student::Column::SchoolId)), Alias::new("school_id"))
        .expr_as(guardian_id.count_distinct(), Alias::new("guardians"))
        .expr_as(Expr::expr(activated).count_distinct(), Alias::new("activated"))
        .from(student::Entity)
        .inner_join(
            guardianship::Entity,
            Expr::col((guardianship::Entity, guardianship::Column::StudentId))
                .equals((student::Entity, student::Column::Id)),
        )
        .inner_join(
            guardian::Entity,
            Expr::col((guardian::Entity, guardian::Column::Id))
                .equals((guardianship::Entity, guardianship::Column::GuardianId)),
        )
        .inner_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id)).equals((guardian::Entity, guardian::Column::AccountId)),
        )
        .and_where(Expr::col((student::Entity, student::Column::SchoolId)).is_in(school_ids))
        .group_by_col((student::Entity, student::Column::SchoolId))
        .to_owned();
    let mut counts = HashMap::new();
    for row in db.query_all(&query).await? {
        let (school, all, active): (Uuid, i64, i64) =
            (row.try_get("", "school_id")?, row.try_get("", "guardians")?, row.try_get("", "activated")?);
        counts.insert(school, (u64::try_from(all).unwrap_or(0), u64::try_from(active).unwrap_or(0)));
    }
    Ok(counts)
}

/// The school a pupil attends.
pub async fn school_of_student(db: &impl ConnectionTrait, student_id: Uuid) -> Result<Option<school::Model>, DbErr> {
    let Some(pupil) = student::Entity::find_by_id(student_id).one(db).await? else {
        return Ok(None);
    };
    school::Entity::find_by_id(pupil.school_id).one(db).await
}

/// The schools each of these accounts' children attend, as `(account_id, school)` pairs (a
/// pickup-only link is not a family's school: it gets no homework or digest).
pub async fn schools_of_guardian_accounts(
    db: &impl ConnectionTrait,
    accounts: &[Uuid],
) -> Result<Vec<(Uuid, school::Model)>, DbErr> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sea_orm::FromQueryResult)]
    struct Row {
        account_id: Uuid,
        school_id: Uuid,
    }
    let rows = guardian::Entity::find()
        .select_only()
        .column_as(guardian::Column::AccountId, "account_id")
        .column_as(student::Column::SchoolId, "school_id")
        .distinct()
        .join(sea_orm::JoinType::InnerJoin, guardianship::Relation::Guardian.def().rev())
        .join(sea_orm::JoinType::InnerJoin, guardianship::Relation::Student.def())
        .filter(guardian::Column::AccountId.is_in(accounts.iter().copied()))
        .filter(guardianship::Column::AccessLevel.ne(crate::org::model::AccessLevel::Pickup))
        .into_model::<Row>()
        .all(db)
        .await?;
    let schools = schools_by_id(db, rows.iter().map(|r| r.school_id).collect()).await?;
    Ok(rows.into_iter().filter_map(|r| Some((r.account_id, schools.get(&r.school_id)?.clone()))).collect())
}
