//! What the mentoring endpoints take and answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::matching::Basis;
use super::model::{
    Awaiting, ChoiceAnswer, MatchMode, Period, TalkTopic, Task, TaskStatus, VisitEventKind, VisitMode, VisitStatus,
};
use super::rules::{MAX_CAP, MAX_VISIT_BUFFER_MINUTES, MAX_VISITS_PER_DAY};
use crate::http::constraints::{FieldRule, Rule};
use crate::org::model::{FIRST_GRADE, LAST_GRADE};

/// The longest reason for a waiver.
pub const REASON_MAX_CHARS: usize = 200;
/// The most assignments one request lists (a request body is at most 64 KiB; a large school
/// publishes the proposal with its adjustments, `from_proposal`).
pub const MAX_ASSIGNMENTS: usize = 400;

/// The school's mentoring setting (一校一策).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MentoringSettingsInput {
    /// The grades taking part (a junior school all; a primary school the key grades it chooses).
    pub grades: Vec<u8>,
    /// How long the three tasks have: `term` (default) or `year`.
    #[serde(default)]
    pub period: Period,
    /// Most mentees per mentor (default 12).
    #[serde(default)]
    pub cap: Option<u8>,
    #[serde(default)]
    pub mode: MatchMode,
    /// Minutes kept free between two home visits of a mentor (default 30).
    #[serde(default)]
    pub visit_buffer_minutes: Option<u16>,
    /// Most home visits a mentor makes in a day (default 3).
    #[serde(default)]
    pub max_visits_per_day: Option<u8>,
}

/// The dates the three tasks are owed within.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodView {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The school term's name (or the default term's dates when the school set no calendar).
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringSettings {
    pub school_id: Uuid,
    pub grades: Vec<u8>,
    pub period: Period,
    pub cap: u8,
    pub mode: MatchMode,
    pub visit_buffer_minutes: u16,
    pub max_visits_per_day: u8,
    /// The period as it stands today.
    pub current_period: PeriodView,
    pub updated_at: DateTime<Utc>,
}

/// One student and their mentor (`mentor_id`: the teacher's account id, as `/me` gives it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignmentInput {
    pub student_id: Uuid,
    pub mentor_id: Uuid,
    /// Placed on purpose (a special-needs student): later proposals keep it.
    #[serde(default)]
    pub pinned: bool,
}

/// Pins for the proposal to keep besides those already published.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProposalRequest {
    #[serde(default)]
    pub pins: Vec<AssignmentInput>,
}

/// The assignments to publish: each student listed gets this mentor (a change ends the old
/// assignment, kept in the history); students not listed keep theirs — or, with `from_proposal`,
/// get what the system's proposal gives them, so that a large school publishes the proposal with
/// only its adjustments listed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishAssignments {
    #[serde(default)]
    pub assignments: Vec<AssignmentInput>,
    #[serde(default)]
    pub from_proposal: bool,
}

/// A class as people name it: grade and number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassRef {
    pub class_id: Uuid,
    pub grade: u8,
    pub number: u8,
}

/// A proposed assignment, with why and who.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposedAssignment {
    pub student_id: Uuid,
    pub student_name: String,
    pub class: ClassRef,
    pub mentor_id: Uuid,
    pub mentor_name: String,
    /// `pinned`, `kept` (this period's mentor), `chosen` (the family's choice), `teaches_student`,
    /// `balanced`.
    pub basis: Basis,
}

/// A student of the covered grades.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentRef {
    pub student_id: Uuid,
    pub name: String,
    pub class: ClassRef,
}

/// A mentor and how many mentees they have.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorLoad {
    pub mentor_id: Uuid,
    pub name: String,
    pub mentees: u32,
}

/// The system's proposal: every student the caps allow gets a mentor. The admin adjusts it and
/// publishes with `PUT …/mentoring/assignments`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposal {
    pub assignments: Vec<ProposedAssignment>,
    /// Students the caps left without a mentor (raise the cap or add mentors).
    pub students_without_mentor: Vec<StudentRef>,
    pub loads: Vec<MentorLoad>,
    pub cap: u8,
}

/// `MT_COVERAGE`: who has a mentor in the covered grades, who does not, and each mentor's load.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    pub grades: Vec<u8>,
    pub period: PeriodView,
    pub students_covered: u32,
    pub students_with_mentor: u32,
    /// Must be empty before assignments are published.
    pub students_without_mentor: Vec<StudentRef>,
    /// Teachers of the school without a mentee.
    pub teachers_without_mentees: Vec<MentorLoad>,
    pub loads: Vec<MentorLoad>,
    pub cap: u8,
}

/// One task of a student in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub task: Task,
    pub status: TaskStatus,
    /// Why it was waived or declined.
    pub reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A mentee and what they are still owed.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub student_id: Uuid,
    pub student_name: String,
    pub school_id: Uuid,
    pub class: ClassRef,
    pub tasks: Vec<TaskView>,
    /// Tasks still open (pending, scheduled or declined).
    pub open: u32,
}

/// The calling mentor's students, the most urgent first (`MT_THREE_TASKS`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Ledger {
    pub items: Vec<LedgerEntry>,
}

/// The mentor as the family sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorRef {
    pub account_id: Uuid,
    pub name: String,
}

/// A child's mentor and the three tasks this period (the family's view).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildMentor {
    pub student_id: Uuid,
    /// None when the child's grade does not take part or no mentor is assigned yet.
    pub mentor: Option<MentorRef>,
    pub period: Option<PeriodView>,
    pub tasks: Vec<TaskView>,
}

/// An admin waives a task for a student this period.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WaiveTask {
    pub reason: String,
}

/// A mentor of a student, from when until when.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorHistoryEntry {
    pub mentor_id: Uuid,
    pub name: String,
    pub pinned: bool,
    pub assigned_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Every mentor a student has had, the latest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorHistory {
    pub student_id: Uuid,
    pub items: Vec<MentorHistoryEntry>,
}

const GRADE: Rule = Rule::Range { min: FIRST_GRADE as i64, max: LAST_GRADE as i64 };

pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("MentoringSettingsInput", "grades", Rule::Items { min: 1, max: Some(9), unique: true }),
    FieldRule::new("MentoringSettingsInput", "grades", GRADE),
    FieldRule::new("MentoringSettingsInput", "cap", Rule::Range { min: 1, max: MAX_CAP as i64 }),
    FieldRule::new(
        "MentoringSettingsInput",
        "visit_buffer_minutes",
        Rule::Range { min: 0, max: MAX_VISIT_BUFFER_MINUTES as i64 },
    ),
    FieldRule::new(
        "MentoringSettingsInput",
        "max_visits_per_day",
        Rule::Range { min: 1, max: MAX_VISITS_PER_DAY as i64 },
    ),
    FieldRule::new(
        "PublishAssignments",
        "assignments",
        Rule::Items { min: 1, max: Some(MAX_ASSIGNMENTS), unique: false },
    ),
    FieldRule::new("ProposalRequest", "pins", Rule::Items { min: 0, max: Some(MAX_ASSIGNMENTS), unique: false }),
    FieldRule::new("WaiveTask", "reason", Rule::Text { max: REASON_MAX_CHARS }),
];

/// A time window (RFC 3339 instants; stored in UTC, shown in the school's zone by the app).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WindowInput {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The mentor proposes a visit: the mode and one to five windows (a second teacher may come too).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposeVisit {
    pub student_id: Uuid,
    pub mode: VisitMode,
    pub windows: Vec<WindowInput>,
    /// The account id of a teacher of the school who comes too.
    #[serde(default)]
    pub co_visitor_id: Option<Uuid>,
}

/// The family (or, after a counter-proposal, the mentor) accepts one window by its start.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptVisit {
    pub start: DateTime<Utc>,
    /// For a home visit, the family gives the address for this visit (only the visiting teachers
    /// see it; it is erased 7 days after the visit).
    #[serde(default)]
    pub address: Option<String>,
}

/// The family proposes other windows instead.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CounterVisit {
    pub windows: Vec<WindowInput>,
    /// For a home visit, the address for this visit (as in accepting).
    #[serde(default)]
    pub address: Option<String>,
}

/// A decline or a cancellation, with its reason; a change within 2 hours of the start also needs
/// a message to the other side.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitChange {
    pub reason: String,
    #[serde(default)]
    pub message: Option<String>,
}

/// The mentor records the visit done.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitDone {
    /// How it was held in the end (a home visit may have become a video call).
    #[serde(default)]
    pub mode: Option<VisitMode>,
    pub duration_minutes: u16,
}

/// The family confirms that the visit happened (one tap), or says it did not.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmVisit {
    #[serde(default = "yes")]
    pub happened: bool,
    /// Why, when it did not happen.
    #[serde(default)]
    pub reason: Option<String>,
}

fn yes() -> bool {
    true
}

/// One change in a visit's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitEvent {
    pub kind: VisitEventKind,
    pub at: DateTime<Utc>,
    /// `mentor`, `co_visitor`, `family` or `school`.
    pub by: String,
    pub reason: Option<String>,
    pub start: Option<DateTime<Utc>>,
}

/// A home visit as its participants see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    pub id: Uuid,
    pub student_id: Uuid,
    pub student_name: String,
    pub mentor: MentorRef,
    pub co_visitor: Option<MentorRef>,
    pub mode: VisitMode,
    pub status: VisitStatus,
    /// Who must answer the windows while the visit is `proposed`.
    pub awaiting: Awaiting,
    pub windows: Vec<WindowInput>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Only for the visiting teachers, until it is erased (7 days after the visit, or when it is cancelled, declined or disputed).
    pub address: Option<String>,
    pub address_erased: bool,
    pub done_mode: Option<VisitMode>,
    pub duration_minutes: Option<u16>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Every change, oldest first.
    pub history: Vec<VisitEvent>,
}

/// The caller's visits (as mentor, co-visitor or family), the latest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitList {
    pub items: Vec<Visit>,
}

/// The longest address and message.
pub const ADDRESS_MAX_CHARS: usize = 200;
pub const MESSAGE_MAX_CHARS: usize = 500;
/// The longest visit recorded.
pub const MAX_DURATION_MINUTES: u16 = 480;

pub const VISIT_LIMITS: &[FieldRule] = &[
    FieldRule::new(
        "ProposeVisit",
        "windows",
        Rule::Items { min: 1, max: Some(super::rules::MAX_WINDOWS), unique: false },
    ),
    FieldRule::new(
        "CounterVisit",
        "windows",
        Rule::Items { min: 1, max: Some(super::rules::MAX_WINDOWS), unique: false },
    ),
    FieldRule::new("AcceptVisit", "address", Rule::MaxChars(ADDRESS_MAX_CHARS)),
    FieldRule::new("CounterVisit", "address", Rule::MaxChars(ADDRESS_MAX_CHARS)),
    FieldRule::new("VisitChange", "reason", Rule::Text { max: REASON_MAX_CHARS }),
    FieldRule::new("VisitChange", "message", Rule::MaxChars(MESSAGE_MAX_CHARS)),
    FieldRule::new("VisitDone", "duration_minutes", Rule::Range { min: 1, max: MAX_DURATION_MINUTES as i64 }),
    FieldRule::new("ConfirmVisit", "reason", Rule::MaxChars(REASON_MAX_CHARS)),
];

/// The longest talk summary, feedback and family message; the longest confidential note.
pub const TEXT_MAX_CHARS: usize = 1000;
pub const NOTE_MAX_CHARS: usize = 2000;

/// The mentor records a talk (交心谈话): the date, the topic, a summary the family sees (it passes
/// the content guard) and a confidential note only the mentor and the school's safeguarding staff
/// read; `concern` raises it with the safeguarding staff at once.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecordTalk {
    pub held_on: NaiveDate,
    pub topic: TalkTopic,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub confidential_note: String,
    #[serde(default)]
    pub concern: bool,
    /// Rule ids confirmed after a `content_needs_review` answer.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// A talk as its reader may see it: the confidential note only for the mentor and safeguarding staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct Talk {
    pub id: Uuid,
    pub student_id: Uuid,
    pub held_on: NaiveDate,
    pub topic: TalkTopic,
    pub summary: Option<String>,
    pub confidential_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The mentor writes the family a written feedback (成长寄语); it passes the content guard.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WriteFeedback {
    pub body: String,
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// A written feedback and the family's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Feedback {
    pub id: Uuid,
    pub student_id: Uuid,
    pub mentor: MentorRef,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub family_message: Option<String>,
}

/// The family acknowledges a feedback, optionally answering it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcknowledgeFeedback {
    #[serde(default)]
    pub message: String,
}

/// What a student's mentoring record holds for the reader: talks (notes by tier) and feedback.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentRecord {
    pub student_id: Uuid,
    pub talks: Vec<Talk>,
    pub feedback: Vec<Feedback>,
}

/// A mentor raises a concern about a student with the school's safeguarding staff.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RaiseConcern {
    pub note: String,
}

/// A concern, for the safeguarding staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct Concern {
    pub id: Uuid,
    pub student_id: Uuid,
    pub student_name: String,
    pub raised_by: MentorRef,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernList {
    pub items: Vec<Concern>,
}

/// The school's safeguarding staff (a school admin names them; they must be staff of the school).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SafeguardingStaff {
    pub account_ids: Vec<Uuid>,
}

pub const RECORD_LIMITS: &[FieldRule] = &[
    FieldRule::new("RecordTalk", "summary", Rule::MaxChars(TEXT_MAX_CHARS)),
    FieldRule::new("RecordTalk", "confidential_note", Rule::MaxChars(NOTE_MAX_CHARS)),
    FieldRule::new("WriteFeedback", "body", Rule::Text { max: TEXT_MAX_CHARS }),
    FieldRule::new("AcknowledgeFeedback", "message", Rule::MaxChars(TEXT_MAX_CHARS)),
    FieldRule::new("RaiseConcern", "note", Rule::Text { max: NOTE_MAX_CHARS }),
    FieldRule::new("SafeguardingStaff", "account_ids", Rule::Items { min: 0, max: Some(50), unique: true }),
];

/// Completed and owed tasks of a group, and the share completed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    pub completed: u32,
    /// Tasks owed (a waived task is owed by nobody).
    pub owed: u32,
    /// Completed ÷ owed in percent; none when nothing is owed.
    pub percent: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorCompletion {
    pub mentor_id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub completion: CompletionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassCompletion {
    pub class: ClassRef,
    #[serde(flatten)]
    pub completion: CompletionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GradeCompletion {
    pub grade: u8,
    #[serde(flatten)]
    pub completion: CompletionView,
}

/// Where one task stands across the covered students.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskCounts {
    pub task: Task,
    pub pending: u32,
    pub scheduled: u32,
    pub done: u32,
    pub done_online: u32,
    pub done_at_school: u32,
    pub declined: u32,
    pub waived: u32,
}

/// Visits of the period by the mode they were held in, and the family's answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitCounts {
    pub home: u32,
    pub school: u32,
    pub video: u32,
    pub phone: u32,
    /// Confirmed by the family: the proof the bureau counts.
    pub confirmed: u32,
    pub disputed: u32,
    pub declined: u32,
}

/// The school's mentoring figures for the period (its admins): completion per mentor, class and
/// grade; each task's statuses; visits by mode; declined and disputed visits.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringFigures {
    pub period: PeriodView,
    /// The grades taking part.
    pub covered_grades: Vec<u8>,
    pub students_covered: u32,
    pub students_with_mentor: u32,
    pub school: CompletionView,
    pub tasks: Vec<TaskCounts>,
    pub mentors: Vec<MentorCompletion>,
    pub classes: Vec<ClassCompletion>,
    pub grades: Vec<GradeCompletion>,
    pub visits: VisitCounts,
}

/// The longest mentor profile, and the most mentors a family ranks.
pub const PROFILE_MAX_CHARS: usize = 300;
pub const MAX_CHOICES: usize = 3;

/// A teacher's short profile for families choosing a mentor (it passes the content guard).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MentorProfile {
    pub profile: String,
}

/// A mentor a family may choose.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorOption {
    pub account_id: Uuid,
    pub name: String,
    pub profile: Option<String>,
}

/// The school's mentors with their profiles, and the family's ranked choice (two-way choice).
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorChoices {
    pub student_id: Uuid,
    /// Whether the school runs two-way choice for the child's grade.
    pub open: bool,
    pub mentors: Vec<MentorOption>,
    /// The family's choice, first first.
    pub choices: Vec<Uuid>,
    /// The chosen mentors who answered: one who accepted is the child's mentor at the next
    /// publication; one who declined leaves the family's next choice to count.
    pub answers: Vec<MentorAnswer>,
}

/// A chosen mentor's answer, as the family sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorAnswer {
    pub mentor_id: Uuid,
    pub answer: ChoiceAnswer,
}

/// A family who ranked the mentor (two-way choice), as that mentor sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorRequest {
    pub student_id: Uuid,
    pub student_name: String,
    pub grade: i16,
    pub class_number: i16,
    /// Where the family ranked this mentor (1 first).
    pub rank: i16,
    /// This mentor's answer; `null` until given.
    pub answer: Option<ChoiceAnswer>,
    /// Another of the family's chosen mentors accepted the child.
    pub accepted_elsewhere: bool,
}

/// The families who chose the caller as mentor at the school, and the room the cap leaves.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorRequests {
    pub school_id: Uuid,
    pub cap: u32,
    pub accepted: u32,
    pub items: Vec<MentorRequest>,
}

/// The mentor's answer to a family's choice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerChoice {
    pub answer: ChoiceAnswer,
}

/// A family ranks up to three mentors (first first); an empty list withdraws the choice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChooseMentors {
    pub mentor_ids: Vec<Uuid>,
}

pub const CHOICE_LIMITS: &[FieldRule] = &[
    FieldRule::new("MentorProfile", "profile", Rule::Text { max: PROFILE_MAX_CHARS }),
    FieldRule::new("ChooseMentors", "mentor_ids", Rule::Items { min: 0, max: Some(MAX_CHOICES), unique: true }),
];
