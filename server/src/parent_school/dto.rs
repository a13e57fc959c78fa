//! Request and response bodies of the parent school, with the limits their parsers enforce.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{AttendanceMethod, Format, MeetingScope, RegistrationStatus, Source};
use crate::http::constraints::{FieldRule, Rule};
use crate::org::model::{FIRST_GRADE, LAST_GRADE, Stage};

pub const TITLE_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
pub const TOPIC_MAX_CHARS: usize = 20;
pub const MAX_TOPICS: usize = 8;
pub const MAX_CREDITS: i16 = 20;
pub const URL_MAX_CHARS: usize = 500;
pub const MAX_MIN_MINUTES: i16 = 600;
pub const MAX_QUESTIONS: usize = 10;
pub const PROMPT_MAX_CHARS: usize = 200;
pub const OPTION_MAX_CHARS: usize = 100;
pub const MAX_OPTIONS: usize = 6;
pub const PLACE_MAX_CHARS: usize = 200;
pub const MAX_CAPACITY: i32 = 5000;
pub const REASON_MAX_CHARS: usize = 500;
pub const REFLECTION_MAX_CHARS: usize = 500;
pub const CODE_MAX_CHARS: usize = 12;

/// One question of an online course's quiz, with the index of its right option.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuestionInput {
    pub prompt: String,
    pub options: Vec<String>,
    /// 0-based index of the right option; never shown to families.
    pub answer: usize,
}

/// A course of the parent school (`PS_CONTENT`). A bureau officer creates a district course
/// (every school of the district may use it); a school admin, naming `school_id`, a school course.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCourse {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The child grades it suits (幼小衔接: 1; 青春期: 6–8 …); empty: every grade.
    #[serde(default)]
    pub grades: Vec<i16>,
    /// Topic tags (缓解焦虑, 正面管教, 科学育儿, 亲子沟通, 家庭教育促进法 …).
    #[serde(default)]
    pub topics: Vec<String>,
    /// What completing it earns the family for each child it suits.
    pub credits: i16,
    pub format: Format,
    /// A school course's school; absent for the bureau's district course.
    #[serde(default)]
    pub school_id: Option<Uuid>,
    /// Counts among the required courses of a graduation rule.
    #[serde(default)]
    pub required: bool,
    /// Online: the video or article.
    #[serde(default)]
    pub content_url: Option<String>,
    /// Online (required there, 1–600): the least time, in minutes, between opening the course and
    /// completing it.
    #[serde(default)]
    pub min_minutes: Option<i16>,
    /// Online: questions all answered rightly to complete it.
    #[serde(default)]
    pub quiz: Vec<QuestionInput>,
    /// Rule ids confirmed after a `content_needs_review` answer.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// A quiz question as families see it (without its answer).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub prompt: String,
    pub options: Vec<String>,
}

/// Who publishes a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The bureau: every school of the district may use it.
    District,
    /// One school (校本化).
    School,
}

/// A course of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Course {
    pub id: Uuid,
    pub owner: Owner,
    pub district_id: Uuid,
    pub school_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub grades: Vec<i16>,
    pub topics: Vec<String>,
    pub credits: i16,
    pub format: Format,
    pub required: bool,
    pub content_url: Option<String>,
    pub min_minutes: Option<i16>,
    pub quiz: Vec<QuestionView>,
    /// Listed for a child: whether the family has earned this course's credits for them.
    pub earned: Option<bool>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    pub items: Vec<Course>,
}

/// Whose catalogue: a family's child (what suits them), a school (staff: the school's courses and
/// the district's), or, with neither, the bureau officer's district courses.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CoursesQuery {
    pub student_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
}

/// An offline session of a course, run by the organiser's school.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSession {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub place: String,
    pub capacity: i32,
    /// The school running it: needed only by an admin of several schools.
    #[serde(default)]
    pub school_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub id: Uuid,
    pub course_id: Uuid,
    pub school_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub place: String,
    pub capacity: i32,
    pub registered: i64,
    pub waiting: i64,
    pub attended: i64,
}

/// A full-access guardian registers for a session for one child (the family's seat).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// Soonest first.
    pub items: Vec<Session>,
}

/// A full-access guardian registers for a session for one child (the family's seat).
#[derive(Debug, Deserialize, ToSchema)]
pub struct Register {
    pub student_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registration {
    pub id: Uuid,
    pub session_id: Uuid,
    pub student_id: Uuid,
    pub status: RegistrationStatus,
    /// On the waiting list: 1 for the next seat freed.
    pub position: Option<i64>,
}

/// The code the organiser shows (on screen or as a QR of it); it changes every minute.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInCode {
    #[schema(example = "482913")]
    pub code: String,
    /// When the next code takes over (the one before still counts for a minute).
    pub valid_until: DateTime<Utc>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// A guardian checks in with the organiser's code, naming the child they come for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckIn {
    pub code: String,
    pub student_id: Uuid,
}

/// The organiser marks a guardian present (no phone, a code that would not take).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkAttendance {
    pub student_id: Uuid,
    /// The guardian's account; absent: the child's first full-access guardian.
    #[serde(default)]
    pub guardian_id: Option<Uuid>,
}

/// Credits one event earned, per child.
#[derive(Debug, Serialize, ToSchema)]
pub struct Credited {
    pub student_id: Uuid,
    pub credits: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attendance {
    pub id: Uuid,
    pub session_id: Uuid,
    pub student_id: Uuid,
    pub method: AttendanceMethod,
    /// What it earned; empty when the family had already earned this course for every child.
    pub credited: Vec<Credited>,
    pub created_at: DateTime<Utc>,
}

/// A guardian opens an online course (the time floor runs from here) for a child.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartCourse {
    pub student_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub course_id: Uuid,
    pub started_at: DateTime<Utc>,
    /// The earliest instant completion counts.
    pub completes_after: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// The guardian completes an online course: one answer (an option index) per quiz question.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteCourse {
    pub student_id: Uuid,
    #[serde(default)]
    pub answers: Vec<usize>,
}

/// The family confirms a practice activity (亲子实践) done together: one tap, a reflection if they like.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmPractice {
    pub student_id: Uuid,
    #[serde(default)]
    pub reflection: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Completion {
    pub course_id: Uuid,
    pub credited: Vec<Credited>,
    pub completed_at: DateTime<Utc>,
}

/// The school awards or corrects credits by hand, always with a written reason (audited).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ManualEntry {
    pub student_id: Uuid,
    /// Positive to award, negative to correct.
    pub credits: i16,
    pub reason: String,
    /// The course an award stands for: the child then has it earned (counted for required
    /// courses), and a later check-in or completion of it earns nothing more. Refused
    /// (`ps_already_earned`) when the child has it earned already.
    #[serde(default)]
    pub course_id: Option<Uuid>,
}

/// The school reverses one entry with a reason: a new entry, the old one stays.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReverseEntry {
    pub reason: String,
}

/// One line of a family's ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub id: Uuid,
    pub source: Source,
    pub credits: i16,
    pub course_id: Option<Uuid>,
    pub course_title: Option<String>,
    /// What proves it (`attendance:<id>`, `completion:<id>`, `practice:<id>`, `manual`).
    pub evidence: String,
    pub reason: Option<String>,
    /// For a guardian reading: whether they earned it themselves (each guardian sees their own history).
    pub earned_by_me: Option<bool>,
    /// The entry this one reverses.
    pub reverses: Option<Uuid>,
    /// A later entry reversed this one.
    pub reversed: bool,
    pub created_at: DateTime<Utc>,
}

/// The family's parent-school ledger for one child at the child's school.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildLedger {
    pub student_id: Uuid,
    pub school_id: Uuid,
    /// The balance: the sum of every entry (reversals included).
    pub credits: i64,
    /// Newest first.
    pub entries: Vec<Entry>,
    /// Against the school's current rule for the child's stage; null while the school has none.
    pub graduation: Option<GraduationStatus>,
    /// Every version, newest first.
    pub certificates: Vec<Certificate>,
    /// What the child's guardians wrote on practice activities done together, newest first.
    pub reflections: Vec<Reflection>,
}

/// A guardian's reflection on a practice activity (亲子实践) done with the child.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reflection {
    pub course_id: Uuid,
    pub course_title: Option<String>,
    pub text: String,
    /// For a guardian reading: whether they wrote it.
    pub written_by_me: Option<bool>,
    pub written_at: DateTime<Utc>,
}

/// What the school's families wrote on one of its practice courses: the words and the child's
/// grade, never who wrote them (the school learns how the activity went, not about a family).
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseReflections {
    pub course_id: Uuid,
    pub title: String,
    pub items: Vec<SchoolReflection>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolReflection {
    pub grade: Option<i16>,
    pub text: String,
    pub written_at: DateTime<Utc>,
}

/// A parent meeting (家长会, `PS_COVERAGE`): a class's (its class teacher or an admin), a grade's or
/// the school's (an admin). The families in scope are invited at once; attendance may earn credits.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMeeting {
    pub scope: MeetingScope,
    /// The class, for a class meeting.
    #[serde(default)]
    pub class_id: Option<Uuid>,
    /// The grade, for a grade meeting.
    #[serde(default)]
    pub grade: Option<i16>,
    pub title: String,
    #[serde(default)]
    pub agenda: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub place: String,
    /// What attending earns for each child in scope (0: nothing).
    #[serde(default)]
    pub credits: i16,
    /// Rule ids confirmed after a `content_needs_review` answer.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Meeting {
    pub id: Uuid,
    pub school_id: Uuid,
    pub scope: MeetingScope,
    pub class_id: Option<Uuid>,
    pub grade: Option<i16>,
    pub title: String,
    pub agenda: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub place: String,
    pub credits: i16,
    /// Guardians invited (accounts).
    pub invited: i64,
    /// Guardians who attended.
    pub attended: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<Meeting>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingAttendance {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub student_id: Uuid,
    pub method: AttendanceMethod,
    /// What it earned, per child in scope; empty when the meeting gives no credits.
    pub credited: Vec<Credited>,
    pub created_at: DateTime<Utc>,
}

/// A guardian rates a course the family completed (1–5); rating again changes it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RateCourse {
    pub student_id: Uuid,
    pub rating: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRated {
    pub course_id: Uuid,
    pub rating: i16,
    pub rated_at: DateTime<Utc>,
}

/// A period for figures: `from`/`to` (dates in the school's zone, both included); the current
/// term when absent.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FiguresQuery {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// How many families of a group, and how many took part.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareView {
    pub families: u32,
    pub took_part: u32,
    pub percent: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GradeShare {
    pub grade: i16,
    #[serde(flatten)]
    pub share: ShareView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassShare {
    pub class_id: Uuid,
    pub grade: i16,
    pub number: i16,
    #[serde(flatten)]
    pub share: ShareView,
    /// Parent meetings of this class held in the period.
    pub meetings_held: u32,
    /// Parent meetings held in the period that invited this class's families: its own, its
    /// grade's and the school's.
    pub meetings_reaching: u32,
}

/// How many of the school's families took part through one course in the period, and the
/// sessions of it the school held: how the district catalogue and the school's own are used.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseUse {
    pub course_id: Uuid,
    pub title: String,
    pub owner: Owner,
    pub families: u32,
    pub sessions_held: u32,
}

/// Families whose credits fall in `from..=to` (`to` null: and above).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreditBucket {
    pub from: i64,
    pub to: Option<i64>,
    pub families: u32,
}

/// Graduation against the current rule of a stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageGraduation {
    pub stage: Stage,
    pub rule_version: i32,
    pub families: u32,
    pub met: u32,
    pub percent: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionFigure {
    pub session_id: Uuid,
    pub course_title: String,
    pub start: DateTime<Utc>,
    pub capacity: i32,
    pub registered: i64,
    pub attended: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingFigure {
    pub meeting_id: Uuid,
    pub title: String,
    pub scope: MeetingScope,
    pub start: DateTime<Utc>,
    pub invited: i64,
    pub attended: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRating {
    pub course_id: Uuid,
    pub title: String,
    pub ratings: i64,
    pub average: Option<f64>,
}

/// The school's own duty per term (the national guideline): at least one guidance session (an
/// offline session or a parent meeting held) and one practice activity its families did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolDuty {
    pub guidance_held: u32,
    pub practice_confirmations: u32,
    pub met: bool,
}

/// The school's parent-school figures for a period (its admins): aggregates, never a family.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParentSchoolFigures {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub participation: ShareView,
    pub grades: Vec<GradeShare>,
    pub classes: Vec<ClassShare>,
    /// Balances of every family of the school (all time).
    pub credits_distribution: Vec<CreditBucket>,
    pub graduation: Vec<StageGraduation>,
    pub sessions: Vec<SessionFigure>,
    pub meetings: Vec<MeetingFigure>,
    pub ratings: Vec<CourseRating>,
    /// Every course families took part through or the school held a session of in the period.
    pub courses: Vec<CourseUse>,
    pub duty: SchoolDuty,
}

pub const MAX_GRADUATION_CREDITS: i16 = 200;
pub const MAX_REQUIRED_COURSES: usize = 20;

/// The school's graduation rule for a stage (`PS_CREDITS` 毕业制): a new version each time; a
/// certificate already issued keeps the version it was issued under.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetGraduationRule {
    /// Credits over the child's years at the school (e.g. primary 24, junior 12).
    pub credits: i16,
    /// Courses of the school's catalogue the family must have earned.
    #[serde(default)]
    pub required_course_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRef {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GraduationRule {
    pub id: Uuid,
    pub stage: Stage,
    pub version: i32,
    pub credits: i16,
    pub required_courses: Vec<CourseRef>,
    pub created_at: DateTime<Utc>,
}

/// Every version of the school's rules, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraduationRules {
    pub items: Vec<GraduationRule>,
}

/// A required course and whether the family has earned it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequiredCourse {
    pub id: Uuid,
    pub title: String,
    pub earned: bool,
}

/// Where the family stands against the school's current rule for the child's stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct GraduationStatus {
    pub stage: Stage,
    pub rule_version: i32,
    pub credits_required: i16,
    pub credits_earned: i64,
    pub required_courses: Vec<RequiredCourse>,
    pub met: bool,
}

/// The school issues a certificate: when the family meets the rule, or by its own decision with a
/// written reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueCertificate {
    pub student_id: Uuid,
    /// Required when the family does not meet the rule (the school's decision, recorded).
    #[serde(default)]
    pub reason: String,
}

/// A reason, written: for a revocation or a re-issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CertificateReason {
    pub reason: String,
}

/// Whether a certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// Withdrawn by the school, with its reason.
    Revoked,
    /// Re-issued as a newer version, which is the one that counts.
    Superseded,
}

/// A certificate as the family and the school see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Certificate {
    pub id: Uuid,
    /// What a verifier types at `GET /api/v1/certificates/{code}`.
    pub code: String,
    pub student_id: Uuid,
    pub stage: Stage,
    pub school_year: i32,
    pub version: i32,
    pub status: CertificateStatus,
    pub credits: i32,
    /// The rule version met; null when the school issued it by decision (`reason`).
    pub rule_version: Option<i32>,
    pub reason: Option<String>,
    pub guardian_names_masked: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// What anyone holding a code learns (no sign-in): the least that proves the certificate.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateCheck {
    pub code: String,
    pub school_name: String,
    pub stage: Stage,
    pub school_year: i32,
    pub version: i32,
    pub status: CertificateStatus,
    /// The family's guardians, first character only ("张*").
    pub guardian_names_masked: String,
    /// The issue date in the school's time zone (what the paper shows).
    pub issued_on: chrono::NaiveDate,
}

const GRADE: Rule = Rule::Range { min: FIRST_GRADE as i64, max: LAST_GRADE as i64 };

pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("CreateCourse", "title", Rule::Text { max: TITLE_MAX_CHARS }),
    FieldRule::new("CreateCourse", "description", Rule::MaxChars(DESCRIPTION_MAX_CHARS)),
    FieldRule::new("CreateCourse", "grades", Rule::Items { min: 0, max: Some(9), unique: true }),
    FieldRule::new("CreateCourse", "grades", GRADE),
    FieldRule::new("CreateCourse", "topics", Rule::Items { min: 0, max: Some(MAX_TOPICS), unique: true }),
    FieldRule::new("CreateCourse", "topics", Rule::Text { max: TOPIC_MAX_CHARS }),
    FieldRule::new("CreateCourse", "credits", Rule::Range { min: 1, max: MAX_CREDITS as i64 }),
    FieldRule::new("CreateCourse", "content_url", Rule::Pattern(r"^https?://\S+$")),
    FieldRule::new("CreateCourse", "content_url", Rule::MaxChars(URL_MAX_CHARS)),
    FieldRule::new("CreateCourse", "min_minutes", Rule::Range { min: 1, max: MAX_MIN_MINUTES as i64 }),
    FieldRule::new("CreateCourse", "quiz", Rule::Items { min: 0, max: Some(MAX_QUESTIONS), unique: false }),
    FieldRule::new("QuestionInput", "prompt", Rule::Text { max: PROMPT_MAX_CHARS }),
    FieldRule::new("QuestionInput", "options", Rule::Items { min: 2, max: Some(MAX_OPTIONS), unique: true }),
    FieldRule::new("QuestionInput", "options", Rule::Text { max: OPTION_MAX_CHARS }),
    FieldRule::new("QuestionInput", "answer", Rule::Range { min: 0, max: MAX_OPTIONS as i64 - 1 }),
    FieldRule::new("CreateSession", "place", Rule::Text { max: PLACE_MAX_CHARS }),
    FieldRule::new("CreateSession", "capacity", Rule::Range { min: 1, max: MAX_CAPACITY as i64 }),
    FieldRule::new("CheckIn", "code", Rule::Pattern(r"^\s*[0-9]{6}\s*$")),
    FieldRule::new("CompleteCourse", "answers", Rule::Items { min: 0, max: Some(MAX_QUESTIONS), unique: false }),
    FieldRule::new("CompleteCourse", "answers", Rule::Range { min: 0, max: MAX_OPTIONS as i64 - 1 }),
    FieldRule::new("ConfirmPractice", "reflection", Rule::MaxChars(REFLECTION_MAX_CHARS)),
    FieldRule::new("ManualEntry", "credits", Rule::Range { min: -(MAX_CREDITS as i64), max: MAX_CREDITS as i64 }),
    FieldRule::new("ManualEntry", "reason", Rule::Text { max: REASON_MAX_CHARS }),
    FieldRule::new("ReverseEntry", "reason", Rule::Text { max: REASON_MAX_CHARS }),
    FieldRule::new("CreateMeeting", "grade", GRADE),
    FieldRule::new("CreateMeeting", "title", Rule::Text { max: TITLE_MAX_CHARS }),
    FieldRule::new("CreateMeeting", "agenda", Rule::MaxChars(DESCRIPTION_MAX_CHARS)),
    FieldRule::new("CreateMeeting", "place", Rule::Text { max: PLACE_MAX_CHARS }),
    FieldRule::new("CreateMeeting", "credits", Rule::Range { min: 0, max: MAX_CREDITS as i64 }),
    FieldRule::new("RateCourse", "rating", Rule::Range { min: 1, max: 5 }),
    FieldRule::new("SetGraduationRule", "credits", Rule::Range { min: 1, max: MAX_GRADUATION_CREDITS as i64 }),
    FieldRule::new(
        "SetGraduationRule",
        "required_course_ids",
        Rule::Items { min: 0, max: Some(MAX_REQUIRED_COURSES), unique: true },
    ),
    FieldRule::new("IssueCertificate", "reason", Rule::MaxChars(REASON_MAX_CHARS)),
    FieldRule::new("CertificateReason", "reason", Rule::Text { max: REASON_MAX_CHARS }),
];
