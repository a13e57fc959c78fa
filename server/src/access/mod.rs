//! Who may see what — the one place that decides.
//!
//! Each function turns an authenticated caller ([`Caller`]) and a resource id into a *proof* of
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

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, RelationTrait};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::org::model::{
    AccessLevel, StageSystem, TeachingRole, bureau_officer, class, guardian, guardianship, school, staff, student,
    teaching_assignment,
};

/// The signed-in account a request (or a job acting for someone) is made by: the identity every
/// check below starts from. Handlers get it from the bearer token (see `auth::extractor`); a job
/// builds it from the account it acts for. It carries no rights of its own: only the proofs below do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub account_id: Uuid,
}

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
pub async fn bureau_officer(db: &impl ConnectionTrait, user: &Caller) -> ApiResult<BureauOfficer> {
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
    user: &Caller,
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

async fn staff_row(db: &impl ConnectionTrait, user: &Caller, school_id: Uuid) -> ApiResult<Option<staff::Model>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::AccountId.eq(user.account_id))
        .filter(staff::Column::SchoolId.eq(school_id))
        .one(db)
        .await?)
}

/// The caller as a staff member of `school_id`; anyone else gets 404.
pub async fn staff_member(db: &impl ConnectionTrait, user: &Caller, school_id: Uuid) -> ApiResult<StaffMember> {
    staff_row(db, user, school_id).await?.map(|staff| StaffMember { staff }).ok_or_else(ApiError::not_found)
}

/// The caller as an admin of `school_id`: other staff of the school get 403, outsiders 404.
pub async fn school_admin(db: &impl ConnectionTrait, user: &Caller, school_id: Uuid) -> ApiResult<SchoolAdmin> {
    match staff_row(db, user, school_id).await? {
        Some(staff) if staff.is_school_admin => Ok(SchoolAdmin { staff }),
        Some(_) => Err(ApiError::forbidden()),
        None => Err(ApiError::not_found()),
    }
}

/// Whether the caller administers `school_id` (a database error stays an error, never a "no").
pub async fn administers(db: &impl ConnectionTrait, user: &Caller, school_id: Uuid) -> ApiResult<bool> {
    Ok(staff_row(db, user, school_id).await?.is_some_and(|s| s.is_school_admin))
}

/// The schools the caller administers (none for everyone else).
pub async fn schools_administered(db: &impl ConnectionTrait, user: &Caller) -> ApiResult<Vec<Uuid>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::AccountId.eq(user.account_id))
        .filter(staff::Column::IsSchoolAdmin.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.school_id)
        .collect())
}

/// Who reads a district's shared lists (the after-school white list, say).
#[derive(Debug, Clone)]
pub enum DistrictReader {
    Officer(BureauOfficer),
    /// An admin of one of the district's schools.
    SchoolAdmin,
}

/// Officers of `district_id` and admins of its schools may read its shared lists; anyone else
/// gets 404 (another district's lists are not theirs to know of).
pub async fn district_reader(db: &impl ConnectionTrait, user: &Caller, district_id: Uuid) -> ApiResult<DistrictReader> {
    let officer = bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(user.account_id))
        .filter(bureau_officer::Column::DistrictId.eq(district_id))
        .one(db)
        .await?;
    if let Some(officer) = officer {
        return Ok(DistrictReader::Officer(BureauOfficer { officer }));
    }
    let administered = schools_administered(db, user).await?;
    let in_district = !administered.is_empty()
        && school::Entity::find()
            .filter(school::Column::Id.is_in(administered))
            .filter(school::Column::DistrictId.eq(district_id))
            .one(db)
            .await?
            .is_some();
    if in_district { Ok(DistrictReader::SchoolAdmin) } else { Err(ApiError::not_found()) }
}

/// Staff of the school, officers of its district, and guardians (non-pickup) of its pupils may read
/// a school's profile.
pub async fn school_reader(
    db: &impl ConnectionTrait,
    user: &Caller,
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

/// Which classes' small figures a staff member may see in full: every class for a school admin,
/// the classes they teach for a teacher.
pub enum ClassesSeen {
    All,
    Taught(std::collections::HashSet<Uuid>),
}

impl ClassesSeen {
    pub fn covers(&self, class_id: Uuid) -> bool {
        match self {
            ClassesSeen::All => true,
            ClassesSeen::Taught(classes) => classes.contains(&class_id),
        }
    }
}

pub async fn classes_seen_in_full(db: &impl ConnectionTrait, member: &StaffMember) -> ApiResult<ClassesSeen> {
    if member.staff.is_school_admin {
        return Ok(ClassesSeen::All);
    }
    Ok(ClassesSeen::Taught(taught_class_ids(db, &member.staff).await?.into_iter().collect()))
}

/// The classes a staff member teaches now, sorted, each once (whatever the subjects or roles).
async fn taught_class_ids(db: &impl ConnectionTrait, staff: &staff::Model) -> ApiResult<Vec<Uuid>> {
    let mut classes: Vec<Uuid> = teaching_assignment::Entity::find()
        .filter(teaching_assignment::Column::StaffId.eq(staff.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.class_id)
        .collect();
    classes.sort_unstable();
    classes.dedup();
    Ok(classes)
}

/// The caller as staff allowed to see `class_id`: its teachers and its school's admins. Other staff
/// of the school get 403 (the class list is no secret to them); everyone else 404.
pub async fn class_staff(db: &impl ConnectionTrait, user: &Caller, class_id: Uuid) -> ApiResult<ClassStaff> {
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
pub async fn class_teacher(db: &impl ConnectionTrait, user: &Caller, class_id: Uuid) -> ApiResult<ClassTeacher> {
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
pub async fn guardian_of(db: &impl ConnectionTrait, user: &Caller, student_id: Uuid) -> ApiResult<GuardianOfChild> {
    use sea_orm::{FromQueryResult, JoinType, QuerySelect, QueryTrait};
    // One statement for the one link asked about: every guardian request starts here, and a
    // family with many children should not load them all. The child's columns come prefixed
    // `A_`, the guardian's `B_` (sea-orm's `select_also`).
    struct Link(GuardianOfChild);
    impl FromQueryResult for Link {
        fn from_query_result(row: &sea_orm::QueryResult, _: &str) -> Result<Self, sea_orm::DbErr> {
            Ok(Self(GuardianOfChild {
                student: student::Model::from_query_result(row, "A_")?,
                guardian: guardian::Model::from_query_result(row, "B_")?,
                access_level: row.try_get("", "access_level")?,
            }))
        }
    }
    let query = student::Entity::find()
        .join(JoinType::InnerJoin, guardianship::Relation::Student.def().rev())
        .join(JoinType::InnerJoin, guardianship::Relation::Guardian.def())
        .filter(student::Column::Id.eq(student_id))
        .filter(guardian::Column::AccountId.eq(user.account_id))
        .filter(guardianship::Column::AccessLevel.ne(AccessLevel::Pickup))
        .select_also(guardian::Entity)
        .column_as(guardianship::Column::AccessLevel, "access_level")
        .build(db.get_database_backend());
    Link::find_by_statement(query).one(db).await?.map(|Link(found)| found).ok_or_else(ApiError::not_found)
}

/// A child the caller may see as a guardian, placed in its class and school (one row of
/// [`guardian_children_placed`]).
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct PlacedChild {
    pub id: Uuid,
    pub name: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub stage_system: StageSystem,
    pub class_id: Uuid,
    pub grade: i16,
    pub class_number: i16,
    pub access_level: AccessLevel,
}

/// Every child the caller may see as a guardian (pickup links excluded), with its class and
/// school: one join, for reads that show the children (`/me`) and need nothing else.
pub async fn guardian_children_placed(db: &impl ConnectionTrait, user: &Caller) -> ApiResult<Vec<PlacedChild>> {
    use sea_orm::{JoinType, QueryOrder, QuerySelect};
    Ok(guardianship::Entity::find()
        .select_only()
        .column_as(student::Column::Id, "id")
        .column_as(student::Column::Name, "name")
        .column_as(school::Column::Id, "school_id")
        .column_as(school::Column::Name, "school_name")
        .column_as(school::Column::StageSystem, "stage_system")
        .column_as(class::Column::Id, "class_id")
        .column_as(class::Column::Grade, "grade")
        .column_as(class::Column::Number, "class_number")
        .column_as(guardianship::Column::AccessLevel, "access_level")
        .join(JoinType::InnerJoin, guardianship::Relation::Guardian.def())
        .join(JoinType::InnerJoin, guardianship::Relation::Student.def())
        .join(
            JoinType::InnerJoin,
            student::Entity::belongs_to(class::Entity).from(student::Column::ClassId).to(class::Column::Id).into(),
        )
        .join(
            JoinType::InnerJoin,
            student::Entity::belongs_to(school::Entity).from(student::Column::SchoolId).to(school::Column::Id).into(),
        )
        .filter(guardian::Column::AccountId.eq(user.account_id))
        .filter(guardianship::Column::AccessLevel.ne(AccessLevel::Pickup))
        .order_by_asc(student::Column::Name)
        .order_by_asc(student::Column::Id)
        .into_model::<PlacedChild>()
        .all(db)
        .await?)
}

/// Every child the caller may see as a guardian (pickup links excluded), with the access level.
pub async fn guardian_children(
    db: &impl ConnectionTrait,
    user: &Caller,
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

/// Whether the caller manages a notice, derived again on every call: an admin of its school, its
/// sender while still teaching the classes it went to, or (for a bureau notice) its sender or an
/// officer of its district. Managers see receipts and may remind and recall.
pub async fn notice_manager(
    db: &impl ConnectionTrait,
    user: &Caller,
    notice: &crate::notices::model::notice::Model,
) -> ApiResult<bool> {
    match notice.school_id {
        Some(school_id) => {
            let Some(staff) = staff_row(db, user, school_id).await? else { return Ok(false) };
            if staff.is_school_admin {
                return Ok(true);
            }
            // The teacher who sent it, while still teaching every class it went to: one taken off
            // a class no longer reads its families' names or reminds them.
            Ok(user.account_id == notice.sender_account_id
                && still_teaches_audience(db, &staff, &notice.audience).await?)
        }
        None => Ok(user.account_id == notice.sender_account_id
            || bureau_officer::Entity::find()
                .filter(bureau_officer::Column::AccountId.eq(user.account_id))
                .filter(bureau_officer::Column::DistrictId.eq(notice.district_id))
                .one(db)
                .await?
                .is_some()),
    }
}

/// Whether a teacher still reaches a notice's stored audience: teaches every class it names, and
/// every guardian it names individually still has a child in one of the teacher's classes.
async fn still_teaches_audience(
    db: &impl ConnectionTrait,
    staff: &staff::Model,
    audience_json: &str,
) -> ApiResult<bool> {
    let audience: serde_json::Value = serde_json::from_str(audience_json).unwrap_or_default();
    let ids = |field: &str| -> Vec<Uuid> {
        audience[field]
            .as_array()
            .map(|ids| ids.iter().filter_map(|id| id.as_str()?.parse().ok()).collect())
            .unwrap_or_default()
    };
    let taught = taught_class_ids(db, staff).await?;
    Ok(!taught.is_empty()
        && ids("class_ids").iter().all(|c| taught.contains(c))
        && all_within_reach(db, &ids("guardian_ids"), staff.school_id, Some(&taught)).await?)
}

/// Whether the caller still cares for any of these children (a link that is not pickup-only): what
/// a guardian's notice about those children stands on. A custody change that removed the link
/// takes the notices received before with it.
pub async fn cares_for_any(db: &impl ConnectionTrait, user: &Caller, child_ids: &[Uuid]) -> ApiResult<bool> {
    use sea_orm::QuerySelect;
    let guardians: Vec<Uuid> = guardian::Entity::find()
        .filter(guardian::Column::AccountId.eq(user.account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    if guardians.is_empty() || child_ids.is_empty() {
        return Ok(false);
    }
    Ok(guardianship::Entity::find()
        .filter(guardianship::Column::GuardianId.is_in(guardians))
        .filter(guardianship::Column::StudentId.is_in(child_ids.iter().copied()))
        .filter(guardianship::Column::AccessLevel.ne(AccessLevel::Pickup))
        .limit(1)
        .one(db)
        .await?
        .is_some())
}

/// How the caller takes part in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationRole {
    Guardian,
    Teacher,
    /// A school admin reading the school's threads for safeguarding: read-only.
    SafeguardingAdmin,
}

/// The caller's role in a conversation, derived again on every read and write from the
/// relationship it stands on: the guardian while still a full-access guardian of the child, the
/// teacher while still teaching the child's class or mentoring the child. A relationship that ended (a roster re-import
/// removed the guardian or made them pickup-only, the teacher left the class) closes the thread
/// for that side: it answers 404 as for anyone else, while the school's admins keep reading the
/// history for safeguarding. Anyone else gets 404.
pub async fn conversation_role(
    db: &impl ConnectionTrait,
    user: &Caller,
    c: &crate::conversations::model::conversation::Model,
) -> ApiResult<ConversationRole> {
    if user.account_id == c.guardian_account_id && full_guardian_of(db, user.account_id, c.student_id).await? {
        return Ok(ConversationRole::Guardian);
    }
    if user.account_id == c.staff_account_id && teaches_or_mentors_id(db, user.account_id, c.student_id).await? {
        return Ok(ConversationRole::Teacher);
    }
    match staff_row(db, user, c.school_id).await? {
        Some(staff) if staff.is_school_admin => Ok(ConversationRole::SafeguardingAdmin),
        _ => Err(ApiError::not_found()),
    }
}

/// Whether the other side of a conversation still stands in its relationship to the child: a
/// message to a guardian removed from the child, or to a teacher who left the class, is not
/// delivered (the writer is told the conversation is closed).
pub async fn conversation_peer_present(
    db: &impl ConnectionTrait,
    writer: ConversationParticipant,
    c: &crate::conversations::model::conversation::Model,
) -> ApiResult<bool> {
    match writer {
        ConversationParticipant::Teacher => full_guardian_of(db, c.guardian_account_id, c.student_id).await,
        ConversationParticipant::Guardian => teaches_or_mentors_id(db, c.staff_account_id, c.student_id).await,
    }
}

/// The conversations `account_id` may still see as a participant, as a condition on the
/// conversations table: as guardian of a child they still have full access to, or as teacher of a
/// child whose class they still teach. The relationship is re-derived in the query itself.
pub fn live_conversations_of(account_id: Uuid) -> sea_orm::Condition {
    use crate::conversations::model::conversation;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let children_in_care = Query::select()
        .column((guardianship::Entity, guardianship::Column::StudentId))
        .from(guardianship::Entity)
        .inner_join(
            guardian::Entity,
            Expr::col((guardian::Entity, guardian::Column::Id))
                .equals((guardianship::Entity, guardianship::Column::GuardianId)),
        )
        .and_where(guardian::Column::AccountId.eq(account_id))
        .and_where(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
        .to_owned();
    let pupils_taught = Query::select()
        .column((student::Entity, student::Column::Id))
        .from(student::Entity)
        .inner_join(
            teaching_assignment::Entity,
            Expr::col((teaching_assignment::Entity, teaching_assignment::Column::ClassId))
                .equals((student::Entity, student::Column::ClassId)),
        )
        .inner_join(
            staff::Entity,
            Expr::col((staff::Entity, staff::Column::Id))
                .equals((teaching_assignment::Entity, teaching_assignment::Column::StaffId)),
        )
        .and_where(staff::Column::AccountId.eq(account_id))
        .to_owned();
    let mentees = {
        use crate::mentoring::model::assignment;
        Query::select()
            .column((assignment::Entity, assignment::Column::StudentId))
            .from(assignment::Entity)
            .inner_join(
                staff::Entity,
                Expr::col((staff::Entity, staff::Column::SchoolId))
                    .equals((assignment::Entity, assignment::Column::SchoolId)),
            )
            .and_where(assignment::Column::MentorAccountId.eq(account_id))
            .and_where(assignment::Column::EndedAt.is_null())
            .and_where(staff::Column::AccountId.eq(account_id))
            .to_owned()
    };
    sea_orm::Condition::any()
        .add(
            sea_orm::Condition::all()
                .add(conversation::Column::GuardianAccountId.eq(account_id))
                .add(conversation::Column::StudentId.in_subquery(children_in_care)),
        )
        .add(
            sea_orm::Condition::all().add(conversation::Column::StaffAccountId.eq(account_id)).add(
                sea_orm::Condition::any()
                    .add(conversation::Column::StudentId.in_subquery(pupils_taught))
                    .add(conversation::Column::StudentId.in_subquery(mentees)),
            ),
        )
}

/// [`teaches_or_mentors`] by the child's id (false when there is no such child).
async fn teaches_or_mentors_id(db: &impl ConnectionTrait, staff_account_id: Uuid, student_id: Uuid) -> ApiResult<bool> {
    match student::Entity::find_by_id(student_id).one(db).await? {
        Some(student) => teaches_or_mentors(db, staff_account_id, &student).await,
        None => Ok(false),
    }
}

/// Whether `staff_account_id` teaches the class of `student` or is, as staff of its school, the
/// child's mentor now (全员导师制: the mentor is a conversation partner of the child's family).
pub async fn teaches_or_mentors(
    db: &impl ConnectionTrait,
    staff_account_id: Uuid,
    student: &student::Model,
) -> ApiResult<bool> {
    if teaches_student(db, staff_account_id, student).await? {
        return Ok(true);
    }
    use crate::mentoring::model::assignment;
    let mentors = assignment::Entity::find()
        .filter(assignment::Column::StudentId.eq(student.id))
        .filter(assignment::Column::MentorAccountId.eq(staff_account_id))
        .filter(assignment::Column::EndedAt.is_null())
        .one(db)
        .await?
        .is_some();
    let staff_here = staff::Entity::find()
        .filter(staff::Column::AccountId.eq(staff_account_id))
        .filter(staff::Column::SchoolId.eq(student.school_id))
        .one(db)
        .await?
        .is_some();
    Ok(mentors && staff_here)
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
/// One statement: the home-visit race asks it on every accept.
pub async fn full_guardian_of(db: &impl ConnectionTrait, account_id: Uuid, student_id: Uuid) -> ApiResult<bool> {
    use sea_orm::{JoinType, QuerySelect};
    Ok(guardianship::Entity::find()
        .join(JoinType::InnerJoin, guardianship::Relation::Guardian.def())
        .filter(guardian::Column::AccountId.eq(account_id))
        .filter(guardianship::Column::StudentId.eq(student_id))
        .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
        .one(db)
        .await?
        .is_some())
}

/// Who the caller sends a notice as, with the reach that role has.
#[derive(Debug, Clone)]
pub enum NoticeSender {
    /// A school admin: the whole school.
    SchoolAdmin { staff: staff::Model, school: school::Model },
    /// A teacher: the classes they teach (and families of pupils in them).
    Teacher { staff: staff::Model, school: school::Model, taught_class_ids: Vec<Uuid> },
    /// A bureau officer: the staff of their district's schools.
    BureauOfficer { officer: bureau_officer::Model, district_school_ids: Vec<Uuid> },
}

/// How the caller asks to send: which school they name (staff of several schools), the first
/// school and class of the audience they address.
#[derive(Debug, Clone, Copy, Default)]
pub struct SenderChoice {
    pub school_id: Option<Uuid>,
    pub first_school_id: Option<Uuid>,
    pub first_class_id: Option<Uuid>,
}

/// The account as a notice sender. Takes an account id, not a request, because a scheduled notice
/// is re-checked at send time for its stored sender: a teacher who left the class by then no
/// longer reaches it. Staff of several schools name one (`school_id`) or address classes of one;
/// bureau officers who are also staff send as the bureau when they address schools.
pub async fn notice_sender(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    choice: SenderChoice,
) -> ApiResult<NoticeSender> {
    let staff_rows = staff::Entity::find().filter(staff::Column::AccountId.eq(account_id)).all(db).await?;
    let officers =
        bureau_officer::Entity::find().filter(bureau_officer::Column::AccountId.eq(account_id)).all(db).await?;
    let as_bureau = !officers.is_empty()
        && choice.school_id.is_none()
        && (staff_rows.is_empty() || choice.first_school_id.is_some());
    if as_bureau {
        return bureau_sender(db, officers, choice.first_school_id).await;
    }
    let staff = pick_staff_row(db, staff_rows, choice).await?;
    let school = school::Entity::find_by_id(staff.school_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    if staff.is_school_admin {
        return Ok(NoticeSender::SchoolAdmin { staff, school });
    }
    let taught_class_ids = taught_class_ids(db, &staff).await?;
    Ok(NoticeSender::Teacher { staff, school, taught_class_ids })
}

/// The staff row to send as: the one the caller names, or their only school, or the school of the
/// first class they address. Not staff at all: 403.
async fn pick_staff_row(
    db: &impl ConnectionTrait,
    staff_rows: Vec<staff::Model>,
    choice: SenderChoice,
) -> ApiResult<staff::Model> {
    if staff_rows.is_empty() {
        return Err(ApiError::forbidden());
    }
    if let Some(school_id) = choice.school_id {
        return staff_rows.into_iter().find(|s| s.school_id == school_id).ok_or_else(ApiError::not_found);
    }
    let mut rows = staff_rows.into_iter();
    let (Some(first), second) = (rows.next(), rows.next()) else { return Err(ApiError::forbidden()) };
    let Some(second) = second else { return Ok(first) };
    if let Some(class_id) = choice.first_class_id
        && let Some(class) = class::Entity::find_by_id(class_id).one(db).await?
    {
        let mut all = [first, second].into_iter().chain(rows);
        if let Some(row) = all.find(|s| s.school_id == class.school_id) {
            return Ok(row);
        }
    }
    Err(ApiError::validation(
        "school_id",
        "您在多所学校任职，请指定 school_id。",
        "You work at several schools: give school_id.",
    ))
}

/// An officer sends as the bureau of the district of the first school they address (their first
/// district when they address none).
async fn bureau_sender(
    db: &impl ConnectionTrait,
    officers: Vec<bureau_officer::Model>,
    first_school_id: Option<Uuid>,
) -> ApiResult<NoticeSender> {
    let district_ids: Vec<Uuid> = officers.iter().map(|o| o.district_id).collect();
    let schools = school::Entity::find().filter(school::Column::DistrictId.is_in(district_ids)).all(db).await?;
    let district = match first_school_id {
        None => officers.first().map(|o| o.district_id),
        Some(first) => {
            Some(schools.iter().find(|s| s.id == first).map(|s| s.district_id).ok_or_else(ApiError::not_found)?)
        }
    };
    let officer = officers.into_iter().find(|o| Some(o.district_id) == district).ok_or_else(ApiError::forbidden)?;
    let mut district_school_ids: Vec<Uuid> =
        schools.iter().filter(|s| s.district_id == officer.district_id).map(|s| s.id).collect();
    district_school_ids.sort();
    Ok(NoticeSender::BureauOfficer { officer, district_school_ids })
}

/// Every individually addressed guardian must have a (non-pickup) child in the school — and, when
/// `classes` is given (a teacher), in one of those classes. Anyone else answers 404.
pub async fn guardians_within_reach(
    db: &impl ConnectionTrait,
    guardian_ids: &[Uuid],
    school_id: Uuid,
    classes: Option<&[Uuid]>,
) -> ApiResult<()> {
    if all_within_reach(db, guardian_ids, school_id, classes).await? { Ok(()) } else { Err(ApiError::not_found()) }
}

/// Whether every one of `guardian_ids` has a (non-pickup) child in the school, and in one of
/// `classes` when given.
async fn all_within_reach(
    db: &impl ConnectionTrait,
    guardian_ids: &[Uuid],
    school_id: Uuid,
    classes: Option<&[Uuid]>,
) -> ApiResult<bool> {
    if guardian_ids.is_empty() {
        return Ok(true);
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
    Ok(guardian_ids.iter().all(|guardian| {
        links
            .iter()
            .filter(|l| l.guardian_id == *guardian)
            .any(|l| students.iter().any(|s| s.id == l.student_id && classes.is_none_or(|c| c.contains(&s.class_id))))
    }))
}

/// Whether `account_id` is staff of `school_id` (say, the person put in charge of an activity).
pub async fn is_staff_of(db: &impl ConnectionTrait, account_id: Uuid, school_id: Uuid) -> ApiResult<bool> {
    Ok(staff_row(db, &Caller { account_id }, school_id).await?.is_some())
}

/// The adults the school may release a child to: every linked guardian, `pickup` links included
/// (what that level is for), with their relation to the child.
pub async fn pickup_adults(
    db: &impl ConnectionTrait,
    student_id: Uuid,
) -> ApiResult<Vec<(guardian::Model, guardianship::Model)>> {
    let links = guardianship::Entity::find().filter(guardianship::Column::StudentId.eq(student_id)).all(db).await?;
    let ids: Vec<Uuid> = links.iter().map(|l| l.guardian_id).collect();
    let guardians: HashMap<Uuid, guardian::Model> = guardian::Entity::find()
        .filter(guardian::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    Ok(links.into_iter().filter_map(|link| guardians.get(&link.guardian_id).cloned().map(|g| (g, link))).collect())
}

/// The accounts of a child's full-access guardians: who hears everything about the child.
pub async fn full_guardian_accounts(db: &impl ConnectionTrait, student_id: Uuid) -> ApiResult<Vec<Uuid>> {
    Ok(full_guardian_accounts_of(db, &[student_id]).await?.remove(&student_id).unwrap_or_default())
}

/// The accounts of each child's full-access guardians, in one query for all of them (a child
/// without one is absent).
pub async fn full_guardian_accounts_of(
    db: &impl ConnectionTrait,
    students: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Uuid>>> {
    use sea_orm::{JoinType, QuerySelect};
    if students.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid)> = guardianship::Entity::find()
        .select_only()
        .column(guardianship::Column::StudentId)
        .column(guardian::Column::AccountId)
        .join(JoinType::InnerJoin, guardianship::Relation::Guardian.def())
        .filter(guardianship::Column::StudentId.is_in(students.iter().copied()))
        .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
        .into_tuple()
        .all(db)
        .await?;
    let mut of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (student, account) in rows {
        of.entry(student).or_default().push(account);
    }
    Ok(of)
}

/// The two people of a conversation about a child, as the caller may open it: the caller is one
/// of them, and the other is the child's full guardian (for a teacher) or a teacher of its class
/// (for a guardian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationParties {
    pub school_id: Uuid,
    pub student_id: Uuid,
    pub guardian_account_id: Uuid,
    pub staff_account_id: Uuid,
}

/// Who may open a conversation about `student_id` with `with_account_id`: a full guardian of the
/// child with a teacher of its class or its mentor, or the other way round; anything else answers 404.
pub async fn conversation_parties(
    db: &impl ConnectionTrait,
    user: &Caller,
    student_id: Uuid,
    with_account_id: Uuid,
) -> ApiResult<ConversationParties> {
    let student = student::Entity::find_by_id(student_id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let (guardian_account_id, staff_account_id) = if full_guardian_of(db, user.account_id, student.id).await? {
        (user.account_id, with_account_id)
    } else if teaches_or_mentors(db, user.account_id, &student).await? {
        (with_account_id, user.account_id)
    } else {
        return Err(ApiError::not_found());
    };
    let other_side = if guardian_account_id == user.account_id {
        teaches_or_mentors(db, staff_account_id, &student).await?
    } else {
        full_guardian_of(db, guardian_account_id, student.id).await?
    };
    if !other_side {
        return Err(ApiError::not_found());
    }
    Ok(ConversationParties {
        school_id: student.school_id,
        student_id: student.id,
        guardian_account_id,
        staff_account_id,
    })
}

/// A participant of a conversation, who may write in it and mark it read (a safeguarding
/// reader only reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationParticipant {
    Guardian,
    Teacher,
}

/// The caller as a participant of this conversation: a school admin reading it for safeguarding
/// gets 403, anyone else 404.
pub async fn conversation_participant(
    db: &impl ConnectionTrait,
    user: &Caller,
    conversation: &crate::conversations::model::conversation::Model,
) -> ApiResult<ConversationParticipant> {
    match conversation_role(db, user, conversation).await? {
        ConversationRole::Guardian => Ok(ConversationParticipant::Guardian),
        ConversationRole::Teacher => Ok(ConversationParticipant::Teacher),
        ConversationRole::SafeguardingAdmin => Err(ApiError::forbidden()),
    }
}

/// Proof that the caller is the teacher of a conversation, who may pause its guardian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationTeacher {
    pub conversation_id: Uuid,
}

/// The caller as the teacher of this conversation: its guardian and safeguarding readers get 403,
/// anyone else 404.
pub async fn conversation_teacher(
    db: &impl ConnectionTrait,
    user: &Caller,
    conversation: &crate::conversations::model::conversation::Model,
) -> ApiResult<ConversationTeacher> {
    match conversation_participant(db, user, conversation).await? {
        ConversationParticipant::Teacher => Ok(ConversationTeacher { conversation_id: conversation.id }),
        ConversationParticipant::Guardian => Err(ApiError::forbidden()),
    }
}

/// The schools a caller works with: their districts' (as a bureau officer) and their own (as staff).
#[derive(Debug, Clone)]
pub struct SchoolsInReach {
    pub district_ids: Vec<Uuid>,
    pub school_ids: Vec<Uuid>,
}

/// The caller's schools; neither staff nor bureau gets 403.
pub async fn schools_in_reach(db: &impl ConnectionTrait, user: &Caller) -> ApiResult<SchoolsInReach> {
    let district_ids: Vec<Uuid> = bureau_officer::Entity::find()
        .filter(bureau_officer::Column::AccountId.eq(user.account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.district_id)
        .collect();
    let school_ids: Vec<Uuid> = staff::Entity::find()
        .filter(staff::Column::AccountId.eq(user.account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.school_id)
        .collect();
    if district_ids.is_empty() && school_ids.is_empty() {
        return Err(ApiError::forbidden());
    }
    Ok(SchoolsInReach { district_ids, school_ids })
}

/// Whether the caller may see a notice: a recipient (`is_recipient`, from the inbox) or one of its
/// managers ([`notice_manager`]); anyone else gets 404. Returns whether the caller manages it.
pub async fn notice_reader(
    db: &impl ConnectionTrait,
    user: &Caller,
    notice: &crate::notices::model::notice::Model,
    is_recipient: bool,
) -> ApiResult<bool> {
    let manages = notice_manager(db, user, notice).await?;
    if !is_recipient && !manages {
        return Err(ApiError::not_found());
    }
    Ok(manages)
}

/// Proof that the caller manages one notice (receipts, reminders, recall).
#[derive(Debug, Clone)]
pub struct NoticeManager {
    pub notice_id: Uuid,
}

/// The caller as a manager of the notice: a recipient who does not manage it gets 403, anyone
/// else 404.
pub async fn manage_notice(
    db: &impl ConnectionTrait,
    user: &Caller,
    notice: &crate::notices::model::notice::Model,
    is_recipient: impl std::future::Future<Output = ApiResult<bool>>,
) -> ApiResult<NoticeManager> {
    if notice_manager(db, user, notice).await? {
        Ok(NoticeManager { notice_id: notice.id })
    } else if is_recipient.await? {
        Err(ApiError::forbidden())
    } else {
        Err(ApiError::not_found())
    }
}

/// Only a school's admins send urgent notices (they bypass quiet hours); others get 403 naming
/// the field.
pub fn may_send_urgent(urgent: bool, role: crate::notices::model::SenderRole) -> ApiResult<()> {
    if urgent && role != crate::notices::model::SenderRole::SchoolAdmin {
        return Err(ApiError::forbidden().with_details(serde_json::json!({ "field": "urgent" })));
    }
    Ok(())
}

/// The caller as the person in charge of an after-school activity, or an admin of its school:
/// other staff of the school get 403, everyone else 404.
pub async fn activity_staff(
    db: &impl ConnectionTrait,
    user: &Caller,
    school_id: Uuid,
    in_charge_account_id: Option<Uuid>,
) -> ApiResult<StaffMember> {
    let staff = staff_row(db, user, school_id).await?.ok_or_else(ApiError::not_found)?;
    if staff.is_school_admin || in_charge_account_id == Some(user.account_id) {
        Ok(StaffMember { staff })
    } else {
        Err(ApiError::forbidden())
    }
}

/// The caller as any guardian of the child, `pickup` links included: who may ask for a pickup
/// code. Everyone else gets 404.
pub async fn collecting_guardian(
    db: &impl ConnectionTrait,
    user: &Caller,
    student_id: Uuid,
) -> ApiResult<(guardian::Model, guardianship::Model)> {
    let Some(guardian) =
        guardian::Entity::find().filter(guardian::Column::AccountId.eq(user.account_id)).one(db).await?
    else {
        return Err(ApiError::not_found());
    };
    let link =
        guardianship::Entity::find_by_id((student_id, guardian.id)).one(db).await?.ok_or_else(ApiError::not_found)?;
    Ok((guardian, link))
}

/// The caller as a guardian with full access to the child: who may act for the family (enrol,
/// report leave, name a delegate). An informational guardian gets 403; pickup links, other
/// families and strangers 404.
pub async fn acting_guardian_of(
    db: &impl ConnectionTrait,
    user: &Caller,
    student_id: Uuid,
) -> ApiResult<GuardianOfChild> {
    let guardian = guardian_of(db, user, student_id).await?;
    if guardian.access_level != AccessLevel::Full {
        return Err(ApiError::forbidden());
    }
    Ok(guardian)
}
