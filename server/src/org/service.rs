//! Organisation use cases: bootstrap, creating schools, profiles and read models. Each loads its
//! facts through [`super::repo`], shapes them with [`super::rules`], and owns its transaction.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::access::{
    self, BureauOfficer, Caller, ClassStaff, GuardianOfChild, SchoolReader, SchoolsInReach, StaffMember,
};
use crate::auth::credentials::Login;
use crate::auth::provisioning;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Page, PageQuery};
pub use crate::org::dto::DEFAULT_TIME_ZONE;
use crate::org::dto::{
    ChildDetail, ClassStudent, ClassSummary, CreatedSchool, DistrictOverview, DistrictRef, Me, NewSchool,
    ProvisionedAccount, School, SchoolDetail, SubjectList,
};
use crate::org::error::{OrgError, valid_name};
use crate::org::model::{StageSystem, district, school};
use crate::org::repo::{self, SchoolRow};
use crate::org::rules::{self, DistrictFacts};
use crate::state::AppState;

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
    if let Some(problem) = crate::auth::credentials::password_problem(password, &[raw_login]) {
        anyhow::bail!(
            "--password is refused ({}): 8–128 characters, not all spaces, not a common or guessable password",
            problem.as_str()
        );
    }
    let txn = crate::infra::db::begin(db).await?;
    // Districts have no unique name in the schema: found by name, created when missing.
    let (district, district_created) = match repo::district_named(&txn, &district_name).await? {
        Some(d) => (d, false),
        None => (repo::insert_district(&txn, &district_name, DEFAULT_TIME_ZONE, now).await?, true),
    };
    let officer_name = format!("{district_name}教育局");
    let (account, code) = provisioning::find_or_provision(&txn, &login, &officer_name, now, 30).await?;
    let account_created = code.is_some();
    if account.password_hash.is_none() {
        provisioning::set_password(&txn, account.clone(), password, now).await?;
    }
    let officer_created = repo::ensure_officer(&txn, account.id, district.id, &officer_name, now).await?;
    txn.commit().await?;
    Ok(BootstrapOutcome { district, district_created, account_created, officer_created })
}

/// The bureau creates a school in its district, with the school's first admin.
pub async fn create_school(state: &AppState, user: &Caller, new: NewSchool) -> ApiResult<CreatedSchool> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let officer = match new.district_id {
        Some(district_id) => access::bureau_officer_of(&txn, user, district_id).await?,
        None => access::bureau_officer(&txn, user).await?,
    };
    if repo::school_name_taken(&txn, officer.district_id(), &new.name).await? {
        return Err(OrgError::SchoolExists.into());
    }
    let (school, admin) = insert_school_with_admin(
        &txn,
        officer.district_id(),
        Uuid::new_v4(),
        &new.name,
        new.stage_system,
        &new.admin_name,
        &new.admin_login,
        new.time_zone.name(),
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
    let row = SchoolRow { id: school_id, district_id, name, stage_system, time_zone };
    let school = repo::insert_school(db, row, now).await?;
    let (account, code) = provisioning::find_or_provision(db, admin_login, admin_name, now, code_ttl_days).await?;
    // Replaced by the admin's real staff number when a staff roster lists them.
    repo::insert_admin_staff(db, school.id, account.id, admin_name, ADMIN_PLACEHOLDER_STAFF_NO, now).await?;
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

/// The caller's identity, roles, children, classes and districts. One statement says which roles
/// the account holds; each role held costs one more (children with their classes and schools in
/// one join), so a guardian's `/me` is two statements.
pub async fn me(state: &AppState, user: &Caller) -> ApiResult<Me> {
    let db = &state.db;
    let account = repo::account_roles(db, user.account_id).await?.ok_or_else(ApiError::unauthenticated)?;
    let children: Vec<_> = if account.is_guardian {
        access::guardian_children_placed(db, user).await?.iter().map(rules::placed_child_summary).collect()
    } else {
        Vec::new()
    };
    let staff = if account.is_staff {
        let staff_rows = repo::staff_of_account(db, user.account_id).await?;
        let assignments = repo::assignments_of_staff(db, staff_rows.iter().map(|s| s.id).collect()).await?;
        let classes = repo::classes_by_id(db, assignments.iter().map(|a| a.class_id).collect()).await?;
        let schools = repo::schools_by_id(db, staff_rows.iter().map(|s| s.school_id).collect()).await?;
        rules::staff_profiles(&staff_rows, &assignments, &schools, &classes)
    } else {
        Vec::new()
    };
    let districts: Vec<DistrictRef> = if account.is_officer {
        let officers = repo::officers_of_account(db, user.account_id).await?;
        repo::districts_by_name(db, officers.iter().map(|o| o.district_id).collect())
            .await?
            .into_iter()
            .map(|d| DistrictRef { id: d.id, name: d.name })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Me {
        account_id: account.id,
        display_name: account.display_name,
        phone: account.phone,
        email: account.email,
        roles: rules::roles(&children, &staff, &districts),
        children,
        staff,
        districts,
    })
}

/// Schools the caller works with: a bureau officer's district schools, or a staff member's schools.
pub async fn list_schools(state: &AppState, user: &Caller, page: &PageQuery) -> ApiResult<Page<School>> {
    let db = &state.db;
    let limit = page.limit()?;
    let SchoolsInReach { district_ids, school_ids } = access::schools_in_reach(db, user).await?;
    let after = page.after()?.as_deref().map(rules::school_cursor).transpose()?;
    let rows = repo::schools_page(db, district_ids, school_ids, after, limit + 1).await?;
    let items = rows.into_iter().map(School::from).collect();
    Ok(Page::from_rows(items, limit, |s| s.id.to_string()))
}

pub async fn school_detail(state: &AppState, user: &Caller, school_id: Uuid) -> ApiResult<SchoolDetail> {
    let db = &state.db;
    let school = repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)?;
    let counts = match access::school_reader(db, user, &school).await? {
        SchoolReader::Staff(_) | SchoolReader::Bureau(_) => Some(repo::school_counts(db, school.id).await?),
        SchoolReader::Guardian => None,
    };
    Ok(SchoolDetail { school: school.into(), counts })
}

/// The subjects taught at a school, for anyone who may read the school.
pub async fn school_subjects(state: &AppState, user: &Caller, school_id: Uuid) -> ApiResult<SubjectList> {
    let db = &state.db;
    let school = repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_reader(db, user, &school).await?;
    let assignments = repo::subject_assignments_of_school(db, school.id).await?;
    Ok(SubjectList { items: rules::school_subjects(&assignments) })
}

/// The classes of the staff member's school, by grade and number.
pub async fn list_classes(state: &AppState, member: &StaffMember, page: &PageQuery) -> ApiResult<Page<ClassSummary>> {
    let db = &state.db;
    let limit = page.limit()?;
    let school_id = member.staff.school_id;
    let school = repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)?;
    let after = page.after()?.as_deref().map(rules::class_cursor).transpose()?;
    let rows = repo::classes_page(db, school_id, after, limit + 1).await?;
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
    let students = repo::students_page(db, proof.class.id, page.after()?, limit + 1).await?;
    let links = repo::guardianships_of_students(db, students.iter().map(|s| s.id).collect()).await?;
    let guardians = repo::guardians_by_id(db, links.iter().map(|l| l.guardian_id).collect()).await?;
    let accounts = repo::accounts_by_id(db, guardians.values().map(|g| g.account_id).collect()).await?;
    let items = students
        .into_iter()
        .map(|s| ClassStudent {
            guardians: rules::guardian_contacts(s.id, &links, &guardians, &accounts),
            id: s.id,
            student_no: s.student_no,
            name: s.name,
        })
        .collect();
    Ok(Page::from_rows(items, limit, |s| s.student_no.clone()))
}

/// A guardian's view of one child: school, class and teachers.
pub async fn child_detail(state: &AppState, proof: GuardianOfChild) -> ApiResult<ChildDetail> {
    let db = &state.db;
    let child = &proof.student;
    let schools = repo::schools_by_id(db, vec![child.school_id]).await?;
    let classes = repo::classes_by_id(db, vec![child.class_id]).await?;
    let summary =
        rules::child_summary(child, proof.access_level, &schools, &classes).ok_or_else(ApiError::not_found)?;
    let assignments = repo::assignments_of_class(db, child.class_id).await?;
    let staff_names = repo::staff_names(db, assignments.iter().map(|a| a.staff_id).collect()).await?;
    Ok(ChildDetail { child: summary, teachers: rules::teachers(&assignments, &staff_names) })
}

/// District figures for its bureau: aggregate counts only.
pub async fn district_overview(state: &AppState, officer: &BureauOfficer) -> ApiResult<DistrictOverview> {
    let db = &state.db;
    let district = repo::district(db, officer.district_id()).await?.ok_or_else(ApiError::not_found)?;
    let schools = repo::schools_of_district(db, district.id).await?;
    let school_ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let classes = repo::classes_of_schools(db, school_ids.clone()).await?;
    let students_per_class = repo::student_counts_by_class(db, school_ids.clone()).await?;
    let staff_per_school = repo::staff_counts_by_school(db, school_ids.clone()).await?;
    let (guardians, guardians_activated) = repo::guardian_counts(db, school_ids).await?;
    Ok(rules::district_overview(DistrictFacts {
        district: &district,
        schools: &schools,
        classes: &classes,
        students_per_class: &students_per_class,
        staff_per_school: &staff_per_school,
        guardians,
        guardians_activated,
    }))
}
