//! Organisation use cases: bootstrap, creating schools, profiles and read models.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::access::Caller;
use crate::access::{self, BureauOfficer, ClassStaff, GuardianOfChild, SchoolReader, StaffMember};
use crate::auth::credentials::Login;
use crate::auth::model::account;
use crate::auth::provisioning;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Page, PageQuery};
use crate::org::dto::{
    ChildDetail, ChildSummary, ClassRole, ClassStudent, ClassSummary, CreateSchoolRequest, CreatedSchool,
    DistrictOverview, DistrictRef, GuardianContact, Me, ProvisionedAccount, SchoolCounts, SchoolDetail, SchoolFigures,
    StaffProfile, TeacherRef, mask_phone,
};
use crate::org::error::{OrgError, valid_name};
use crate::org::model::{
    AccessLevel, Stage, StageSystem, TeachingRole, bureau_officer, class, district, guardian, guardianship, school,
    staff, student, teaching_assignment,
};
use crate::org::repo;
use crate::state::AppState;

pub use crate::org::model::DEFAULT_TIME_ZONE;

/// What `server bootstrap` did.
pub struct BootstrapOutcome {
    pub district: district::Model,
    pub district_created: bool,
    pub account_created: bool,
    pub officer_created: bool,
}

/// Creates a district and its first bureau officer. Idempotent: running it again with the same
/// arguments changes nothing (an existing officer's password is left alone).
pub async fn bootstrap(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    district_name: &str,
    raw_login: &str,
    password: &str,
) -> anyhow::Result<BootstrapOutcome> {
    let district_name = valid_name(district_name, "district").map_err(|e| anyhow::anyhow!("{e}"))?;
    let login =
        Login::parse(raw_login).ok_or_else(|| anyhow::anyhow!("--login must be a mobile number or an email"))?;
    anyhow::ensure!(crate::auth::credentials::password_is_acceptable(password), "--password must be 8–128 characters");
    let txn = crate::infra::db::begin(db).await?;
    let existing = district::Entity::find().filter(district::Column::Name.eq(&district_name)).one(&txn).await?;
    let (district, district_created) = match existing {
        Some(d) => (d, false),
        None => {
            let d = district::ActiveModel {
                id: Set(Uuid::new_v4()),
                name: Set(district_name.clone()),
                time_zone: Set(DEFAULT_TIME_ZONE.into()),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
            (d, true)
        }
    };
    let officer_name = format!("{district_name}教育局");
    let (account, code) = provisioning::find_or_provision(&txn, &login, &officer_name, now, 30).await?;
    let account_created = code.is_some();
    if account.password_hash.is_none() {
        provisioning::set_password(&txn, account.clone(), password, now).await?;
    }
    let officer = bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(account.id))
        .filter(bureau_officer::Column::DistrictId.eq(district.id))
        .one(&txn)
        .await?;
    let officer_created = officer.is_none();
    if officer_created {
        bureau_officer::ActiveModel {
            id: Set(Uuid::new_v4()),
            account_id: Set(account.id),
            district_id: Set(district.id),
            name: Set(officer_name),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(BootstrapOutcome { district, district_created, account_created, officer_created })
}

/// The bureau creates a school in its district, with the school's first admin.
pub async fn create_school(state: &AppState, user: &Caller, req: CreateSchoolRequest) -> ApiResult<CreatedSchool> {
    let name = valid_name(&req.name, "name")?;
    let admin_name = valid_name(&req.admin_name, "admin_name")?;
    let login = Login::parse(&req.admin_login).ok_or(OrgError::InvalidLogin { field: "admin_login" })?;
    let time_zone = req.time_zone.unwrap_or_else(|| DEFAULT_TIME_ZONE.into());
    if crate::org::model::parse_time_zone(&time_zone).is_none() {
        return Err(ApiError::validation("time_zone", "未知的时区。", "Unknown time zone."));
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let officer = match req.district_id {
        Some(district_id) => access::bureau_officer_of(&txn, user, district_id).await?,
        None => access::bureau_officer(&txn, user).await?,
    };
    let taken = school::Entity::find()
        .filter(school::Column::DistrictId.eq(officer.district_id()))
        .filter(school::Column::Name.eq(&name))
        .one(&txn)
        .await?
        .is_some();
    if taken {
        return Err(OrgError::SchoolExists.into());
    }
    let (school, admin) = insert_school_with_admin(
        &txn,
        officer.district_id(),
        Uuid::new_v4(),
        &name,
        req.stage_system,
        &admin_name,
        &login,
        &time_zone,
        now,
        state.settings.activation_code_ttl_days,
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedSchool { school: school.into(), admin })
}

/// Inserts a school and its first admin (an existing account is reused, a new one gets a code).
#[allow(clippy::too_many_arguments)]
pub async fn insert_school_with_admin(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    school_id: Uuid,
    name: &str,
    stage_system: StageSystem,
    admin_name: &str,
    admin_login: &Login,
    time_zone: &str,
    now: DateTime<Utc>,
    code_ttl_days: i64,
) -> Result<(school::Model, ProvisionedAccount), sea_orm::DbErr> {
    let school = school::ActiveModel {
        id: Set(school_id),
        district_id: Set(district_id),
        name: Set(name.to_owned()),
        stage_system: Set(stage_system),
        time_zone: Set(time_zone.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let (account, code) = provisioning::find_or_provision(db, admin_login, admin_name, now, code_ttl_days).await?;
    staff::ActiveModel {
        id: Set(Uuid::new_v4()),
        school_id: Set(school.id),
        account_id: Set(account.id),
        // Replaced by the admin's real staff number when a staff roster lists them.
        staff_no: Set(ADMIN_PLACEHOLDER_STAFF_NO.into()),
        name: Set(admin_name.to_owned()),
        is_school_admin: Set(true),
        is_teacher: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let admin = ProvisionedAccount {
        account_id: account.id,
        name: admin_name.to_owned(),
        login: admin_login.as_str().to_owned(),
        activation_code: code,
    };
    Ok((school, admin))
}

/// Staff number of a school's first admin until a staff roster names them.
pub const ADMIN_PLACEHOLDER_STAFF_NO: &str = "ADMIN";

/// The caller's identity, roles, children, classes and districts.
pub async fn me(state: &AppState, user: &Caller) -> ApiResult<Me> {
    let db = &state.db;
    let account = account::Entity::find_by_id(user.account_id).one(db).await?.ok_or_else(ApiError::unauthenticated)?;
    let children_links = access::guardian_children(db, user).await?;
    let staff_rows = staff::Entity::find().filter(staff::Column::AccountId.eq(user.account_id)).all(db).await?;
    let officers =
        bureau_officer::Entity::find().filter(bureau_officer::Column::AccountId.eq(user.account_id)).all(db).await?;

    let assignments = repo::assignments_of_staff(db, staff_rows.iter().map(|s| s.id).collect()).await?;
    let class_ids: Vec<Uuid> =
        children_links.iter().map(|(_, c, _)| c.class_id).chain(assignments.iter().map(|a| a.class_id)).collect();
    let classes = repo::classes_by_id(db, class_ids).await?;
    let school_ids: Vec<Uuid> =
        children_links.iter().map(|(_, c, _)| c.school_id).chain(staff_rows.iter().map(|s| s.school_id)).collect();
    let schools = repo::schools_by_id(db, school_ids).await?;

    let children: Vec<ChildSummary> = children_links
        .iter()
        .filter_map(|(_, child, level)| child_summary(child, *level, &schools, &classes))
        .collect();
    let staff: Vec<StaffProfile> = staff_rows
        .iter()
        .map(|s| StaffProfile {
            staff_id: s.id,
            school_id: s.school_id,
            school_name: schools.get(&s.school_id).map(|x| x.name.clone()).unwrap_or_default(),
            is_school_admin: s.is_school_admin,
            is_teacher: s.is_teacher,
            classes: class_roles(assignments.iter().filter(|a| a.staff_id == s.id), &classes),
        })
        .collect();
    let district_ids: Vec<Uuid> = officers.iter().map(|o| o.district_id).collect();
    let districts = district::Entity::find()
        .filter(district::Column::Id.is_in(district_ids))
        .order_by_asc(district::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|d| DistrictRef { id: d.id, name: d.name })
        .collect::<Vec<_>>();

    let mut roles = BTreeSet::new();
    if !children.is_empty() {
        roles.insert("guardian");
    }
    if staff.iter().any(|s| s.is_teacher) {
        roles.insert("teacher");
    }
    if staff.iter().any(|s| s.is_school_admin) {
        roles.insert("school_admin");
    }
    if !districts.is_empty() {
        roles.insert("bureau_officer");
    }
    Ok(Me {
        account_id: account.id,
        display_name: account.display_name,
        phone: account.phone,
        email: account.email,
        roles: roles.into_iter().map(String::from).collect(),
        children,
        staff,
        districts,
    })
}

fn child_summary(
    child: &student::Model,
    access_level: AccessLevel,
    schools: &HashMap<Uuid, school::Model>,
    classes: &HashMap<Uuid, class::Model>,
) -> Option<ChildSummary> {
    let school = schools.get(&child.school_id)?;
    let class = classes.get(&child.class_id)?;
    Some(ChildSummary {
        id: child.id,
        name: child.name.clone(),
        school_id: school.id,
        school_name: school.name.clone(),
        grade: class.grade,
        stage: school.stage_system.stage_of(class.grade),
        class_id: class.id,
        class_number: class.number,
        access_level,
    })
}

fn class_roles<'a>(
    assignments: impl Iterator<Item = &'a teaching_assignment::Model>,
    classes: &HashMap<Uuid, class::Model>,
) -> Vec<ClassRole> {
    let mut roles: Vec<ClassRole> = assignments
        .filter_map(|a| {
            let class = classes.get(&a.class_id)?;
            Some(ClassRole {
                class_id: class.id,
                grade: class.grade,
                class_number: class.number,
                role: a.role,
                subject: (a.role == TeachingRole::SubjectTeacher).then(|| a.subject.clone()),
            })
        })
        .collect();
    roles.sort_by(|a, b| (a.grade, a.class_number, &a.subject).cmp(&(b.grade, b.class_number, &b.subject)));
    roles
}

/// Schools the caller works with: a bureau officer's district schools, or a staff member's schools.
pub async fn list_schools(
    state: &AppState,
    user: &Caller,
    page: &PageQuery,
) -> ApiResult<Page<crate::org::dto::School>> {
    let db = &state.db;
    let limit = page.limit()?;
    let district_ids: Vec<Uuid> = bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(user.account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.district_id)
        .collect();
    let staff_school_ids: Vec<Uuid> = staff::Entity::find()
        .filter(staff::Column::AccountId.eq(user.account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.school_id)
        .collect();
    if district_ids.is_empty() && staff_school_ids.is_empty() {
        return Err(ApiError::forbidden());
    }
    let mut query = school::Entity::find().filter(
        Condition::any()
            .add(school::Column::DistrictId.is_in(district_ids))
            .add(school::Column::Id.is_in(staff_school_ids)),
    );
    if let Some(after) = page.after()? {
        let after: Uuid =
            after.parse().map_err(|_| ApiError::validation("cursor", "cursor 无效。", "cursor is invalid."))?;
        query = query.filter(school::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(school::Column::Id).limit(limit + 1).all(db).await?;
    let items = rows.into_iter().map(crate::org::dto::School::from).collect();
    Ok(Page::from_rows(items, limit, |s| s.id.to_string()))
}

pub async fn school_detail(state: &AppState, user: &Caller, school_id: Uuid) -> ApiResult<SchoolDetail> {
    let db = &state.db;
    let school = school::Entity::find_by_id(school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let reader = access::school_reader(db, user, &school).await?;
    let counts = match reader {
        SchoolReader::Staff(_) | SchoolReader::Bureau(_) => Some(SchoolCounts {
            classes: repo::count_classes(db, school.id).await?,
            students: repo::count_students(db, school.id).await?,
            staff: repo::count_staff(db, school.id).await?,
        }),
        SchoolReader::Guardian => None,
    };
    Ok(SchoolDetail { school: school.into(), counts })
}

/// The classes of the staff member's school, by grade and number.
pub async fn list_classes(state: &AppState, member: &StaffMember, page: &PageQuery) -> ApiResult<Page<ClassSummary>> {
    let db = &state.db;
    let limit = page.limit()?;
    let school_id = member.staff.school_id;
    let school = school::Entity::find_by_id(school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let mut query = class::Entity::find().filter(class::Column::SchoolId.eq(school_id));
    if let Some(after) = page.after()? {
        let (grade, number) = after
            .split_once('-')
            .and_then(|(g, n)| Some((g.parse::<i16>().ok()?, n.parse::<i16>().ok()?)))
            .ok_or_else(|| ApiError::validation("cursor", "cursor 无效。", "cursor is invalid."))?;
        query = query.filter(
            Condition::any()
                .add(class::Column::Grade.gt(grade))
                .add(Condition::all().add(class::Column::Grade.eq(grade)).add(class::Column::Number.gt(number))),
        );
    }
    let rows =
        query.order_by_asc(class::Column::Grade).order_by_asc(class::Column::Number).limit(limit + 1).all(db).await?;
    let counts = repo::student_counts_by_class(db, vec![school_id]).await?;
    let items = rows
        .into_iter()
        .map(|c| ClassSummary {
            id: c.id,
            grade: c.grade,
            number: c.number,
            stage: school.stage_system.stage_of(c.grade),
            student_count: counts.get(&c.id).copied().unwrap_or(0),
        })
        .collect();
    Ok(Page::from_rows(items, limit, |c| format!("{}-{}", c.grade, c.number)))
}

/// A class's students with their guardians, by student number.
pub async fn class_students(state: &AppState, proof: &ClassStaff, page: &PageQuery) -> ApiResult<Page<ClassStudent>> {
    let db = &state.db;
    let limit = page.limit()?;
    let mut query = student::Entity::find().filter(student::Column::ClassId.eq(proof.class.id));
    if let Some(after) = page.after()? {
        query = query.filter(student::Column::StudentNo.gt(after));
    }
    let students = query.order_by_asc(student::Column::StudentNo).limit(limit + 1).all(db).await?;
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::StudentId.is_in(students.iter().map(|s| s.id)))
        .all(db)
        .await?;
    let guardians: HashMap<Uuid, guardian::Model> = guardian::Entity::find()
        .filter(guardian::Column::Id.is_in(links.iter().map(|l| l.guardian_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let accounts: HashMap<Uuid, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(guardians.values().map(|g| g.account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let items = students
        .into_iter()
        .map(|s| {
            let mut contacts: Vec<GuardianContact> = links
                .iter()
                .filter(|l| l.student_id == s.id)
                .filter_map(|l| {
                    let guardian = guardians.get(&l.guardian_id)?;
                    let account = accounts.get(&guardian.account_id)?;
                    Some(GuardianContact {
                        guardian_id: guardian.id,
                        name: guardian.name.clone(),
                        relation: l.relation.clone(),
                        access_level: l.access_level,
                        phone_masked: account.phone.as_deref().map(mask_phone),
                        activated: account.password_hash.is_some(),
                    })
                })
                .collect();
            // Primary contacts first: full access, then informational, then pickup-only.
            contacts.sort_by_key(|c| (access_rank(c.access_level), c.name.clone()));
            ClassStudent { id: s.id, student_no: s.student_no, name: s.name, guardians: contacts }
        })
        .collect();
    Ok(Page::from_rows(items, limit, |s| s.student_no.clone()))
}

fn access_rank(level: AccessLevel) -> u8 {
    match level {
        AccessLevel::Full => 0,
        AccessLevel::Informational => 1,
        AccessLevel::Pickup => 2,
    }
}

/// A guardian's view of one child: school, class and teachers.
pub async fn child_detail(state: &AppState, proof: GuardianOfChild) -> ApiResult<ChildDetail> {
    let db = &state.db;
    let child = &proof.student;
    let schools = repo::schools_by_id(db, vec![child.school_id]).await?;
    let classes = repo::classes_by_id(db, vec![child.class_id]).await?;
    let summary = child_summary(child, proof.access_level, &schools, &classes).ok_or_else(ApiError::not_found)?;
    let assignments = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::ClassId.eq(child.class_id))
        .all(db)
        .await?;
    let staff_names: HashMap<Uuid, String> = staff::Entity::find()
        .filter(staff::Column::Id.is_in(assignments.iter().map(|a| a.staff_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut teachers: Vec<TeacherRef> = assignments
        .iter()
        .filter_map(|a| {
            Some(TeacherRef {
                name: staff_names.get(&a.staff_id)?.clone(),
                role: a.role,
                subject: (a.role == TeachingRole::SubjectTeacher).then(|| a.subject.clone()),
            })
        })
        .collect();
    teachers.sort_by_key(|t| (t.role != TeachingRole::ClassTeacher, t.subject.clone(), t.name.clone()));
    Ok(ChildDetail { child: summary, teachers })
}

/// District figures for its bureau: aggregate counts only.
pub async fn district_overview(state: &AppState, officer: &BureauOfficer) -> ApiResult<DistrictOverview> {
    let db = &state.db;
    let district =
        district::Entity::find_by_id(officer.district_id()).one(db).await?.ok_or_else(ApiError::not_found)?;
    let schools = school::Entity::find()
        .filter(school::Column::DistrictId.eq(district.id))
        .order_by_asc(school::Column::Name)
        .all(db)
        .await?;
    let school_ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let classes = class::Entity::find().filter(class::Column::SchoolId.is_in(school_ids.clone())).all(db).await?;
    let per_class = repo::student_counts_by_class(db, school_ids.clone()).await?;
    let staff_per_school = repo::staff_counts_by_school(db, school_ids.clone()).await?;
    let stage_systems: HashMap<Uuid, _> = schools.iter().map(|s| (s.id, s.stage_system)).collect();

    let (mut primary, mut junior) = (0, 0);
    let mut per_school_classes: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for class in &classes {
        let n = per_class.get(&class.id).copied().unwrap_or(0);
        match stage_systems.get(&class.school_id).map(|s| s.stage_of(class.grade)) {
            Some(Stage::Primary) => primary += n,
            Some(Stage::Junior) => junior += n,
            None => {}
        }
        let entry = per_school_classes.entry(class.school_id).or_default();
        entry.0 += 1;
        entry.1 += n;
    }
    let (guardians, guardians_activated) = guardian_counts(db, school_ids).await?;
    let per_school: Vec<SchoolFigures> = schools
        .iter()
        .map(|s| {
            let (classes, students) = per_school_classes.get(&s.id).copied().unwrap_or_default();
            SchoolFigures {
                school_id: s.id,
                name: s.name.clone(),
                stage_system: s.stage_system,
                classes,
                students,
                staff: staff_per_school.get(&s.id).copied().unwrap_or(0),
            }
        })
        .collect();
    Ok(DistrictOverview {
        district: DistrictRef { id: district.id, name: district.name },
        schools: schools.len() as u64,
        classes: classes.len() as u64,
        students: primary + junior,
        primary_students: primary,
        junior_students: junior,
        staff: staff_per_school.values().sum(),
        guardians,
        guardians_activated,
        per_school,
    })
}

/// Distinct guardians of the schools' students, and how many have activated their account.
/// Counted in the database with nested sub-queries: a district has tens of thousands of guardians.
async fn guardian_counts(db: &impl ConnectionTrait, school_ids: Vec<Uuid>) -> ApiResult<(u64, u64)> {
    use sea_orm::sea_query::Query;
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
