//! What the mobile app sees of the organisation.

use super::model::NAME_MAX_CHARS;
use crate::http::constraints::{FieldRule, Rule};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::credentials::Login;
use crate::org::error::{OrgError, valid_name};
pub use crate::org::model::DEFAULT_TIME_ZONE;
use crate::org::model::{AccessLevel, Stage, StageSystem, TeachingRole, parse_time_zone, school};

/// The caller's identity and every role they hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub account_id: Uuid,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Any of `guardian`, `teacher`, `school_admin`, `bureau_officer`.
    pub roles: Vec<String>,
    /// Children the caller may see as a guardian (pickup-only links are not listed).
    pub children: Vec<ChildSummary>,
    /// One entry per school the caller works at.
    pub staff: Vec<StaffProfile>,
    /// Districts the caller serves as a bureau officer.
    pub districts: Vec<DistrictRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildSummary {
    pub id: Uuid,
    pub name: String,
    pub school_id: Uuid,
    pub school_name: String,
    /// 1–9.
    pub grade: i16,
    pub stage: Stage,
    pub class_id: Uuid,
    /// Class number within the grade.
    pub class_number: i16,
    pub access_level: AccessLevel,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffProfile {
    pub staff_id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub is_school_admin: bool,
    pub is_teacher: bool,
    pub classes: Vec<ClassRole>,
}

/// One role of a staff member in one class.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassRole {
    pub class_id: Uuid,
    pub grade: i16,
    pub class_number: i16,
    pub role: TeachingRole,
    /// The subject taught, as its code (`math`); null for the class teacher (班主任) role.
    pub subject: Option<String>,
    /// The subject's name (数学): what homework of it is stored and shown as.
    pub subject_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSchoolRequest {
    #[schema(example = "虹口区第一中心小学")]
    pub name: String,
    /// `6-3` (六三制) or `5-4` (五四制).
    pub stage_system: StageSystem,
    /// The school's first admin.
    pub admin_name: String,
    /// The admin's mobile number or email: their login.
    pub admin_login: String,
    /// Needed only by an officer of several districts.
    pub district_id: Option<Uuid>,
    /// IANA time zone; default Asia/Shanghai.
    pub time_zone: Option<String>,
}

/// A school to create, parsed once from [`CreateSchoolRequest`]: names trimmed and bounded, the
/// admin's login and the time zone known to be valid.
#[derive(Debug, Clone)]
pub struct NewSchool {
    pub name: String,
    pub stage_system: StageSystem,
    pub admin_name: String,
    pub admin_login: Login,
    pub district_id: Option<Uuid>,
    pub time_zone: chrono_tz::Tz,
}

impl TryFrom<CreateSchoolRequest> for NewSchool {
    type Error = OrgError;

    fn try_from(req: CreateSchoolRequest) -> Result<Self, OrgError> {
        let name = valid_name(&req.name, "name")?;
        let admin_name = valid_name(&req.admin_name, "admin_name")?;
        let admin_login = Login::parse(&req.admin_login).ok_or(OrgError::InvalidLogin { field: "admin_login" })?;
        let time_zone = req.time_zone.as_deref().unwrap_or(DEFAULT_TIME_ZONE);
        let time_zone = parse_time_zone(time_zone).ok_or(OrgError::UnknownTimeZone)?;
        Ok(NewSchool {
            name,
            stage_system: req.stage_system,
            admin_name,
            admin_login,
            district_id: req.district_id,
            time_zone,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct School {
    pub id: Uuid,
    pub district_id: Uuid,
    pub name: String,
    pub stage_system: StageSystem,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

impl From<school::Model> for School {
    fn from(s: school::Model) -> Self {
        Self {
            id: s.id,
            district_id: s.district_id,
            name: s.name,
            stage_system: s.stage_system,
            time_zone: s.time_zone,
            created_at: s.created_at,
        }
    }
}

/// An account created (or found) for a person; the code is shown once and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisionedAccount {
    pub account_id: Uuid,
    pub name: String,
    pub login: String,
    /// One-time activation code; null when the account already has a password.
    pub activation_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedSchool {
    pub school: School,
    pub admin: ProvisionedAccount,
}

/// Head counts of a school: for its staff and its bureau.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolCounts {
    pub classes: u64,
    pub students: u64,
    pub staff: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolDetail {
    #[serde(flatten)]
    pub school: School,
    /// Present for the school's staff and its bureau; absent for families.
    pub counts: Option<SchoolCounts>,
}

/// A subject taught at the school: one code and one name however rosters and teachers spell it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolSubject {
    /// What rosters and roles carry (`math`); a school's own subject: its text lower-cased.
    #[schema(example = "math")]
    pub code: String,
    /// What homework of it is stored and shown as.
    #[schema(example = "数学")]
    pub name: String,
    /// A subject of the national curriculum; false for the school's own (校本课程, e.g. 书法).
    pub national: bool,
    /// Classes with a teacher of it.
    pub class_count: u64,
}

/// A school's subjects: the national curriculum's first, in its order, then the school's own by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectList {
    pub items: Vec<SchoolSubject>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassSummary {
    pub id: Uuid,
    pub grade: i16,
    pub number: i16,
    pub stage: Stage,
    pub student_count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuardianContact {
    /// The guardian as notices name them (`audience.guardian_ids`).
    pub guardian_id: Uuid,
    /// The guardian's account: `with_account_id` of `POST /conversations`.
    pub account_id: Uuid,
    pub name: String,
    pub relation: String,
    pub access_level: AccessLevel,
    /// Masked (`138****8000`): staff reach families through the app, not private numbers.
    pub phone_masked: Option<String>,
    /// Whether the guardian has activated their account.
    pub activated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassStudent {
    pub id: Uuid,
    pub student_no: String,
    pub name: String,
    pub guardians: Vec<GuardianContact>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeacherRef {
    /// The teacher's account: `with_account_id` of `POST /conversations`. A class teacher who also
    /// teaches a subject is listed once per role, with the same account.
    pub account_id: Uuid,
    pub name: String,
    pub role: TeachingRole,
    /// The subject taught, as its code (`math`); null for the class teacher (班主任).
    pub subject: Option<String>,
    /// The subject's name (数学).
    pub subject_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildDetail {
    #[serde(flatten)]
    pub child: ChildSummary,
    /// The child's class teacher and subject teachers.
    pub teachers: Vec<TeacherRef>,
}

/// District-wide figures for the bureau: counts only, never individual records.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictOverview {
    pub district: DistrictRef,
    pub schools: u64,
    pub classes: u64,
    pub students: u64,
    pub primary_students: u64,
    pub junior_students: u64,
    pub staff: u64,
    /// Guardian accounts linked to the district's students.
    pub guardians: u64,
    /// Of those, how many have activated their account.
    pub guardians_activated: u64,
    pub per_school: Vec<SchoolFigures>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolFigures {
    pub school_id: Uuid,
    pub name: String,
    pub stage_system: StageSystem,
    pub classes: u64,
    pub students: u64,
    pub staff: u64,
}

/// Masks the middle four digits of a mobile number.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() { format!("{}****{}", &phone[..3], &phone[7..]) } else { "****".into() }
}

/// A child an item (a notice, homework, a message) concerns, as its guardian sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildRef {
    pub id: Uuid,
    pub name: String,
}

/// The limits the parser enforces on these requests (`error::valid_name`), for the API document.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("CreateSchoolRequest", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("CreateSchoolRequest", "admin_name", Rule::Text { max: NAME_MAX_CHARS }),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn request(time_zone: Option<&str>) -> CreateSchoolRequest {
        CreateSchoolRequest {
            name: "  虹口区第一中心小学 ".into(),
            stage_system: StageSystem::FiveFour,
            admin_name: "张校长".into(),
            admin_login: "13800138000".into(),
            district_id: None,
            time_zone: time_zone.map(String::from),
        }
    }

    #[test]
    fn a_new_school_is_parsed_once_with_trimmed_names_and_a_known_time_zone() {
        let school = NewSchool::try_from(request(None)).expect("valid");
        assert_eq!(school.name, "虹口区第一中心小学");
        assert_eq!(school.time_zone.name(), DEFAULT_TIME_ZONE);
        let urumqi = NewSchool::try_from(request(Some("Asia/Urumqi"))).expect("valid");
        assert_eq!(urumqi.time_zone.name(), "Asia/Urumqi");
        assert!(matches!(NewSchool::try_from(request(Some("Mars/Base"))), Err(OrgError::UnknownTimeZone)));
        let nameless = CreateSchoolRequest { name: " ".into(), ..request(None) };
        assert!(matches!(NewSchool::try_from(nameless), Err(OrgError::InvalidName { field: "name" })));
        let bad_login = CreateSchoolRequest { admin_login: "nobody".into(), ..request(None) };
        assert!(matches!(NewSchool::try_from(bad_login), Err(OrgError::InvalidLogin { field: "admin_login" })));
    }
}
