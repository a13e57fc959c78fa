//! Whom a notice goes to: the sender's role and reach come from [`crate::access::notice_sender`]
//! (an admin: their school; a teacher: the classes they teach; a bureau officer: the staff of their
//! district's schools); this module turns the audience they ask for into a target within it.

use std::collections::HashSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::dto::AudienceSpec;
use super::error::NoticeError;
use super::model::SenderRole;
use crate::access::{self, NoticeSender, SenderChoice};
use crate::error::{ApiError, ApiResult, Message};
pub use crate::org::audience::{FamilyTarget, Target};
use crate::org::model::{FIRST_GRADE, LAST_GRADE, bureau_officer};

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

/// Resolves the sender (`account_id`, checked by [`access::notice_sender`] now — for a scheduled
/// notice, at send time) and the audience they ask for into a target within their reach.
pub async fn resolve(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    spec: &AudienceSpec,
    school_hint: Option<Uuid>,
) -> ApiResult<Resolved> {
    let choice = SenderChoice {
        school_id: school_hint,
        first_school_id: spec.school_ids.first().copied(),
        first_class_id: spec.class_ids.first().copied(),
    };
    let (staff, school, taught) = match access::notice_sender(db, account_id, choice).await? {
        NoticeSender::BureauOfficer { officer, district_school_ids } => {
            return bureau_target(officer, district_school_ids, spec);
        }
        NoticeSender::SchoolAdmin { staff, school } => (staff, school, None),
        NoticeSender::Teacher { staff, school, taught_class_ids } => (staff, school, Some(taught_class_ids)),
    };
    if spec.school_ids.iter().any(|id| *id != school.id) {
        return Err(ApiError::not_found());
    }
    if let Some(bad) = spec.grades.iter().find(|g| !(FIRST_GRADE..=LAST_GRADE).contains(*g)) {
        return Err(NoticeError::invalid(
            "audience.grades",
            format!("年级 {bad} 无效。"),
            format!("Grade {bad} is invalid."),
        )
        .into());
    }
    let classes = crate::org::repo::classes_by_id(db, spec.class_ids.clone()).await?;
    if classes.len() != dedup(&spec.class_ids).len() || classes.values().any(|c| c.school_id != school.id) {
        return Err(ApiError::not_found());
    }
    let sender =
        |role| Sender { role, name: staff.name.clone(), district_id: school.district_id, school_id: Some(school.id) };
    let Some(taught) = taught else {
        access::guardians_within_reach(db, &spec.guardian_ids, school.id, None).await?;
        let school_wide = spec.grades.is_empty() && spec.class_ids.is_empty() && spec.guardian_ids.is_empty();
        return Ok(Resolved {
            sender: sender(SenderRole::SchoolAdmin),
            target: Target::Families(FamilyTarget {
                school_id: school.id,
                school_wide,
                grades: dedup(&spec.grades),
                class_ids: dedup(&spec.class_ids),
                guardian_ids: dedup(&spec.guardian_ids),
                guardian_classes: None,
            }),
        });
    };
    // A teacher addresses the classes they teach, and families of pupils in them.
    if !spec.grades.is_empty() {
        return Err(ApiError::forbidden()
            .with_message(Message::new(
                "老师只能按班级发送，不能按年级发送；年级通知请联系学校管理员。",
                "Teachers send to classes, not grades; ask a school admin for a grade notice.",
            ))
            .with_details(serde_json::json!({ "field": "audience.grades" })));
    }
    if let Some(class) = spec.class_ids.iter().filter(|c| !taught.contains(c)).find_map(|c| classes.get(c)) {
        let label = format!("{}年级{}班", class.grade, class.number);
        return Err(ApiError::forbidden()
            .with_message(Message::new(
                format!("您不教 {label}，不能向该班发送通知。"),
                format!("You do not teach class {}-{}, so you cannot send it a notice.", class.grade, class.number),
            ))
            .with_details(serde_json::json!({ "field": "audience.class_ids", "class_id": class.id })));
    }
    if spec.class_ids.is_empty() && spec.guardian_ids.is_empty() {
        return Err(NoticeError::invalid(
            "audience.class_ids",
            "请选择要发送的班级或家长。",
            "Choose the classes or guardians to send to.",
        )
        .into());
    }
    access::guardians_within_reach(db, &spec.guardian_ids, school.id, Some(&taught)).await?;
    Ok(Resolved {
        sender: sender(SenderRole::Teacher),
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

/// A bureau notice goes to the staff of schools of the officer's district: the ones named, or all.
fn bureau_target(
    officer: bureau_officer::Model,
    district_school_ids: Vec<Uuid>,
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
    if spec.school_ids.iter().any(|id| !district_school_ids.contains(id)) {
        return Err(ApiError::not_found());
    }
    let school_ids = if spec.school_ids.is_empty() { district_school_ids } else { dedup(&spec.school_ids) };
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
