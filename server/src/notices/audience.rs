//! Who may send a notice to whom: resolves the caller and the requested audience into a sender
//! and a target, enforcing the sender's reach (an admin: their school; a teacher: the classes they
//! teach; a bureau officer: the staff of their district's schools).

use std::collections::HashSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::dto::AudienceSpec;
use super::error::NoticeError;
use super::model::SenderRole;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
pub use crate::org::audience::{FamilyTarget, Target};
use crate::org::model::{
    AccessLevel, bureau_officer, class, guardianship, school, staff, student, teaching_assignment,
};

#[derive(Debug, Clone)]
pub struct Sender {
    pub role: SenderRole,
    pub name: String,
    pub district_id: Uuid,
    pub school_id: Option<Uuid>,
}

pub struct Resolved {
    pub sender: Sender,
    pub target: Target,
}

pub async fn resolve(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    spec: &AudienceSpec,
    school_hint: Option<Uuid>,
) -> ApiResult<Resolved> {
    let staff_rows = staff::Entity::find().filter(staff::Column::AccountId.eq(user.account_id)).all(db).await?;
    let officers =
        bureau_officer::Entity::find().filter(bureau_officer::Column::AccountId.eq(user.account_id)).all(db).await?;
    let as_bureau =
        !officers.is_empty() && school_hint.is_none() && (staff_rows.is_empty() || !spec.school_ids.is_empty());
    if as_bureau {
        return resolve_bureau(db, officers, spec).await;
    }
    if staff_rows.is_empty() {
        return Err(ApiError::forbidden());
    }
    let staff = pick_school(db, staff_rows, spec, school_hint).await?;
    if spec.school_ids.iter().any(|id| *id != staff.school_id) {
        return Err(ApiError::not_found());
    }
    let school = school::Entity::find_by_id(staff.school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    if let Some(bad) = spec.grades.iter().find(|g| !(1..=9).contains(*g)) {
        return Err(NoticeError::invalid(
            "audience.grades",
            format!("年级 {bad} 无效。"),
            format!("Grade {bad} is invalid."),
        )
        .into());
    }
    let classes = class::Entity::find().filter(class::Column::Id.is_in(spec.class_ids.clone())).all(db).await?;
    if classes.len() != dedup(&spec.class_ids).len() || classes.iter().any(|c| c.school_id != school.id) {
        return Err(ApiError::not_found());
    }
    let sender_base =
        |role| Sender { role, name: staff.name.clone(), district_id: school.district_id, school_id: Some(school.id) };
    if staff.is_school_admin {
        check_guardians(db, &spec.guardian_ids, school.id, None).await?;
        let school_wide = spec.grades.is_empty() && spec.class_ids.is_empty() && spec.guardian_ids.is_empty();
        return Ok(Resolved {
            sender: sender_base(SenderRole::SchoolAdmin),
            target: Target::Families(FamilyTarget {
                school_id: school.id,
                school_wide,
                grades: dedup(&spec.grades),
                class_ids: dedup(&spec.class_ids),
                guardian_ids: dedup(&spec.guardian_ids),
                guardian_classes: None,
            }),
        });
    }
    // A teacher addresses the classes they teach, and families of pupils in them.
    if !spec.grades.is_empty() {
        return Err(ApiError::forbidden());
    }
    let taught: HashSet<Uuid> = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.eq(staff.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.class_id)
        .collect();
    if spec.class_ids.iter().any(|c| !taught.contains(c)) {
        return Err(ApiError::forbidden());
    }
    if spec.class_ids.is_empty() && spec.guardian_ids.is_empty() {
        return Err(NoticeError::invalid(
            "audience.class_ids",
            "请选择要发送的班级或家长。",
            "Choose the classes or guardians to send to.",
        )
        .into());
    }
    let taught: Vec<Uuid> = taught.into_iter().collect();
    check_guardians(db, &spec.guardian_ids, school.id, Some(&taught)).await?;
    Ok(Resolved {
        sender: sender_base(SenderRole::Teacher),
        target: Target::Families(FamilyTarget {
            school_id: school.id,
            school_wide: false,
            grades: Vec::new(),
            class_ids: dedup(&spec.class_ids),
            guardian_ids: dedup(&spec.guardian_ids),
            guardian_classes: Some(taught),
        }),
    })
}

fn dedup<T: Clone + Eq + std::hash::Hash + Ord>(values: &[T]) -> Vec<T> {
    let mut out: Vec<T> = values.iter().cloned().collect::<HashSet<_>>().into_iter().collect();
    out.sort();
    out
}

/// The staff row to send as: the one the caller names, or their only school, or the school of
/// the classes they address.
async fn pick_school(
    db: &impl ConnectionTrait,
    staff_rows: Vec<staff::Model>,
    spec: &AudienceSpec,
    hint: Option<Uuid>,
) -> ApiResult<staff::Model> {
    if let Some(school_id) = hint {
        return staff_rows.into_iter().find(|s| s.school_id == school_id).ok_or_else(ApiError::not_found);
    }
    if staff_rows.len() == 1 {
        return Ok(staff_rows.into_iter().next().expect("one row"));
    }
    if let Some(first_class) = spec.class_ids.first()
        && let Some(class) = class::Entity::find_by_id(*first_class).one(db).await?
        && let Some(row) = staff_rows.iter().find(|s| s.school_id == class.school_id)
    {
        return Ok(row.clone());
    }
    Err(NoticeError::invalid(
        "school_id",
        "您在多所学校任职，请指定 school_id。",
        "You work at several schools: give school_id.",
    )
    .into())
}

/// Every individually added guardian must have a (non-pickup) child in the sender's reach.
async fn check_guardians(
    db: &impl ConnectionTrait,
    guardian_ids: &[Uuid],
    school_id: Uuid,
    classes: Option<&[Uuid]>,
) -> ApiResult<()> {
    if guardian_ids.is_empty() {
        return Ok(());
    }
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::GuardianId.is_in(guardian_ids.to_vec()))
        .filter(guardianship::Column::AccessLevel.ne(AccessLevel::Pickup))
        .all(db)
        .await?;
    let students = student::Entity::find()
        .filter(student::Column::Id.is_in(links.iter().map(|l| l.student_id)))
        .filter(student::Column::SchoolId.eq(school_id))
        .all(db)
        .await?;
    for guardian in guardian_ids {
        let reachable = links
            .iter()
            .filter(|l| l.guardian_id == *guardian)
            .any(|l| students.iter().any(|s| s.id == l.student_id && classes.is_none_or(|c| c.contains(&s.class_id))));
        if !reachable {
            return Err(ApiError::not_found());
        }
    }
    Ok(())
}

async fn resolve_bureau(
    db: &impl ConnectionTrait,
    officers: Vec<bureau_officer::Model>,
    spec: &AudienceSpec,
) -> ApiResult<Resolved> {
    if !spec.grades.is_empty() || !spec.class_ids.is_empty() || !spec.guardian_ids.is_empty() {
        return Err(NoticeError::invalid(
            "audience",
            "教育局通知发给学校教职工，只能选择学校。",
            "Bureau notices go to schools' staff: choose schools only.",
        )
        .into());
    }
    let district_ids: Vec<Uuid> = officers.iter().map(|o| o.district_id).collect();
    let schools = school::Entity::find().filter(school::Column::DistrictId.is_in(district_ids)).all(db).await?;
    let officer = match spec.school_ids.first() {
        None => officers.into_iter().next().expect("checked non-empty"),
        Some(first) => {
            let district =
                schools.iter().find(|s| s.id == *first).map(|s| s.district_id).ok_or_else(ApiError::not_found)?;
            officers.into_iter().find(|o| o.district_id == district).expect("district is one of the officer's")
        }
    };
    let in_district: HashSet<Uuid> =
        schools.iter().filter(|s| s.district_id == officer.district_id).map(|s| s.id).collect();
    if spec.school_ids.iter().any(|id| !in_district.contains(id)) {
        return Err(ApiError::not_found());
    }
    let school_ids = if spec.school_ids.is_empty() {
        dedup(&in_district.into_iter().collect::<Vec<_>>())
    } else {
        dedup(&spec.school_ids)
    };
    Ok(Resolved {
        sender: Sender {
            role: SenderRole::BureauOfficer,
            name: officer.name,
            district_id: officer.district_id,
            school_id: None,
        },
        target: Target::Staff { school_ids },
    })
}
