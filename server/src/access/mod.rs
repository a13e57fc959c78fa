//! Who may see what — the one place that decides.
//!
//! Each function turns an authenticated caller ([`AuthUser`]) and a resource id into a *proof* of
//! a role over that resource, or the error to answer. Services take proofs as arguments, so no
//! service can run for a caller whose access was not checked. The rules:
//! - a guardian sees only their own children, and nothing at all through a `pickup` link;
//! - staff see their school; class data only for the classes they teach (school admins: all);
//! - school admins administer their school only;
//! - bureau officers see their district, and only aggregates of it.
//!
//! Records outside the caller's reach answer 404, never 403, so nobody learns that another
//! family's or school's record exists. 403 is for a known resource the caller's role cannot act on.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::org::model::{
    AccessLevel, TeachingRole, bureau_officer, class, guardian, guardianship, school, staff, student,
    teaching_assignment,
};

/// A bureau officer, for one district.
#[derive(Debug, Clone)]
pub struct BureauOfficer {
    pub officer: bureau_officer::Model,
}

impl BureauOfficer {
    pub fn district_id(&self) -> Uuid {
        self.officer.district_id
    }
}

/// A staff member of one school.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub staff: staff::Model,
}

/// A school admin of one school.
#[derive(Debug, Clone)]
pub struct SchoolAdmin {
    pub staff: staff::Model,
}

impl SchoolAdmin {
    pub fn school_id(&self) -> Uuid {
        self.staff.school_id
    }
}

/// Staff allowed to see one class: a teacher of it, or an admin of its school.
#[derive(Debug, Clone)]
pub struct ClassStaff {
    pub staff: staff::Model,
    pub class: class::Model,
}

/// A teacher of one class, with what they teach there.
#[derive(Debug, Clone)]
pub struct ClassTeacher {
    pub staff: staff::Model,
    pub class: class::Model,
    /// 班主任 of the class: may post any subject.
    pub is_class_teacher: bool,
    pub subjects: Vec<String>,
}

impl ClassTeacher {
    pub fn teaches(&self, subject: &str) -> bool {
        self.is_class_teacher || self.subjects.iter().any(|s| crate::org::subject::same(s, subject))
    }
}

/// A guardian's link to one child, at `full` or `informational` level (never `pickup`).
#[derive(Debug, Clone)]
pub struct GuardianOfChild {
    pub guardian: guardian::Model,
    pub student: student::Model,
    pub access_level: AccessLevel,
}

/// Who is reading a school's profile.
#[derive(Debug, Clone)]
pub enum SchoolReader {
    Staff(StaffMember),
    Bureau(BureauOfficer),
    Guardian,
}

/// The caller as a bureau officer (of their first district).
pub async fn bureau_officer(db: &impl ConnectionTrait, user: &AuthUser) -> ApiResult<BureauOfficer> {
    bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(user.account_id))
        .one(db)
        .await?
        .map(|officer| BureauOfficer { officer })
        .ok_or_else(ApiError::forbidden)
}

/// The caller as an officer of `district_id`; another district's officer gets 404.
pub async fn bureau_officer_of(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    district_id: Uuid,
) -> ApiResult<BureauOfficer> {
    let officers =
        bureau_officer::Entity::find().filter(bureau_officer::Column::AccountId.eq(user.account_id)).all(db).await?;
    if officers.is_empty() {
        return Err(ApiError::forbidden());
    }
    officers
        .into_iter()
        .find(|o| o.district_id == district_id)
        .map(|officer| BureauOfficer { officer })
        .ok_or_else(ApiError::not_found)
}

async fn staff_row(db: &impl ConnectionTrait, user: &AuthUser, school_id: Uuid) -> ApiResult<Option<staff::Model>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::AccountId.eq(user.account_id))
        .filter(staff::Column::SchoolId.eq(school_id))
        .one(db)
        .await?)
}

/// The caller as a staff member of `school_id`; anyone else gets 404.
pub async fn staff_member(db: &impl ConnectionTrait, user: &AuthUser, school_id: Uuid) -> ApiResult<StaffMember> {
    staff_row(db, user, school_id).await?.map(|staff| StaffMember { staff }).ok_or_else(ApiError::not_found)
}

/// The caller as an admin of `school_id`: other staff of the school get 403, outsiders 404.
pub async fn school_admin(db: &impl ConnectionTrait, user: &AuthUser, school_id: Uuid) -> ApiResult<SchoolAdmin> {
    match staff_row(db, user, school_id).await? {
        Some(staff) if staff.is_school_admin => Ok(SchoolAdmin { staff }),
        Some(_) => Err(ApiError::forbidden()),
        None => Err(ApiError::not_found()),
    }
}

/// Staff of the school, officers of its district, and guardians (non-pickup) of its pupils may read
/// a school's profile.
pub async fn school_reader(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    school: &school::Model,
) -> ApiResult<SchoolReader> {
    if let Some(staff) = staff_row(db, user, school.id).await? {
        return Ok(SchoolReader::Staff(StaffMember { staff }));
    }
    let officer = bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(user.account_id))
        .filter(bureau_officer::Column::DistrictId.eq(school.district_id))
        .one(db)
        .await?;
    if let Some(officer) = officer {
        return Ok(SchoolReader::Bureau(BureauOfficer { officer }));
    }
    let children = guardian_children(db, user).await?;
    if children.iter().any(|(_, child, _)| child.school_id == school.id) {
        return Ok(SchoolReader::Guardian);
    }
    Err(ApiError::not_found())
}

/// The caller as staff allowed to see `class_id`: its teachers and its school's admins. Other staff
/// of the school get 403 (the class list is no secret to them); everyone else 404.
pub async fn class_staff(db: &impl ConnectionTrait, user: &AuthUser, class_id: Uuid) -> ApiResult<ClassStaff> {
    let class = class::Entity::find_by_id(class_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let staff = staff_row(db, user, class.school_id).await?.ok_or_else(ApiError::not_found)?;
    if staff.is_school_admin {
        return Ok(ClassStaff { staff, class });
    }
    let teaches = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.eq(staff.id))
        .filter(teaching_assignment::Column::ClassId.eq(class.id))
        .one(db)
        .await?
        .is_some();
    if teaches { Ok(ClassStaff { staff, class }) } else { Err(ApiError::forbidden()) }
}

/// The caller as a teacher of `class_id` (class or subject teacher). Other staff of the school,
/// admins included, get 403; everyone else 404.
pub async fn class_teacher(db: &impl ConnectionTrait, user: &AuthUser, class_id: Uuid) -> ApiResult<ClassTeacher> {
    let class = class::Entity::find_by_id(class_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let staff = staff_row(db, user, class.school_id).await?.ok_or_else(ApiError::not_found)?;
    let assignments = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.eq(staff.id))
        .filter(teaching_assignment::Column::ClassId.eq(class.id))
        .all(db)
        .await?;
    if assignments.is_empty() {
        return Err(ApiError::forbidden());
    }
    let is_class_teacher = assignments.iter().any(|a| a.role == TeachingRole::ClassTeacher);
    let subjects = assignments.into_iter().map(|a| a.subject).filter(|s| !s.is_empty()).collect();
    Ok(ClassTeacher { staff, class, is_class_teacher, subjects })
}

/// The caller as a guardian of `student_id` with `full` or `informational` access. A pickup-only
/// link, another family's child, or an unknown id all answer 404.
pub async fn guardian_of(db: &impl ConnectionTrait, user: &AuthUser, student_id: Uuid) -> ApiResult<GuardianOfChild> {
    guardian_children(db, user)
        .await?
        .into_iter()
        .find(|(_, child, _)| child.id == student_id)
        .map(|(guardian, student, access_level)| GuardianOfChild { guardian, student, access_level })
        .ok_or_else(ApiError::not_found)
}

/// Every child the caller may see as a guardian (pickup links excluded), with the access level.
pub async fn guardian_children(
    db: &impl ConnectionTrait,
    user: &AuthUser,
) -> ApiResult<Vec<(guardian::Model, student::Model, AccessLevel)>> {
    let Some(guardian) =
        guardian::Entity::find().filter(guardian::Column::AccountId.eq(user.account_id)).one(db).await?
    else {
        return Ok(Vec::new());
    };
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::GuardianId.eq(guardian.id))
        .filter(guardianship::Column::AccessLevel.ne(AccessLevel::Pickup))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.iter().map(|l| l.student_id).collect();
    let mut students: HashMap<Uuid, student::Model> = student::Entity::find()
        .filter(student::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(links
        .into_iter()
        .filter_map(|link| students.remove(&link.student_id).map(|child| (guardian.clone(), child, link.access_level)))
        .collect())
}

/// Whether the caller manages a notice: its sender, an admin of its school, or (for a bureau
/// notice) an officer of its district. Managers see receipts and may remind and recall.
pub async fn notice_manager(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    sender_account_id: Uuid,
    school_id: Option<Uuid>,
    district_id: Uuid,
) -> ApiResult<bool> {
    if user.account_id == sender_account_id {
        return Ok(true);
    }
    Ok(match school_id {
        Some(school_id) => staff_row(db, user, school_id).await?.is_some_and(|s| s.is_school_admin),
        None => bureau_officer::Entity::find()
            .filter(bureau_officer::Column::AccountId.eq(user.account_id))
            .filter(bureau_officer::Column::DistrictId.eq(district_id))
            .one(db)
            .await?
            .is_some(),
    })
}

/// How the caller takes part in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationRole {
    Guardian,
    Teacher,
    /// A school admin reading the school's threads for safeguarding: read-only.
    SafeguardingAdmin,
}

/// The caller's role in a conversation of `school_id` between these two accounts; anyone else
/// gets 404.
pub async fn conversation_role(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    school_id: Uuid,
    guardian_account_id: Uuid,
    staff_account_id: Uuid,
) -> ApiResult<ConversationRole> {
    if user.account_id == guardian_account_id {
        return Ok(ConversationRole::Guardian);
    }
    if user.account_id == staff_account_id {
        return Ok(ConversationRole::Teacher);
    }
    match staff_row(db, user, school_id).await? {
        Some(staff) if staff.is_school_admin => Ok(ConversationRole::SafeguardingAdmin),
        _ => Err(ApiError::not_found()),
    }
}

/// Whether `staff_account_id` teaches the class of `student` (any subject, or as class teacher).
pub async fn teaches_student(
    db: &impl ConnectionTrait,
    staff_account_id: Uuid,
    student: &student::Model,
) -> ApiResult<bool> {
    let Some(staff) = staff::Entity::find()
        .filter(staff::Column::AccountId.eq(staff_account_id))
        .filter(staff::Column::SchoolId.eq(student.school_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    Ok(teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.eq(staff.id))
        .filter(teaching_assignment::Column::ClassId.eq(student.class_id))
        .one(db)
        .await?
        .is_some())
}

/// Whether `account_id` is a full-access guardian of `student`.
pub async fn full_guardian_of(db: &impl ConnectionTrait, account_id: Uuid, student_id: Uuid) -> ApiResult<bool> {
    let Some(guardian) = guardian::Entity::find().filter(guardian::Column::AccountId.eq(account_id)).one(db).await?
    else {
        return Ok(false);
    };
    Ok(guardianship::Entity::find()
        .filter(guardianship::Column::GuardianId.eq(guardian.id))
        .filter(guardianship::Column::StudentId.eq(student_id))
        .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
        .one(db)
        .await?
        .is_some())
}
