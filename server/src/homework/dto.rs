//! What the apps send and see of homework. Families see it read-only: no field or action asks a
//! guardian to check, grade or submit anything (`HW_PARENT_BURDEN`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{Change, HomeworkKind, Location, Tier};
use super::rules::{Budget, JUNIOR_CAP_MINUTES, MIN_CAP_MINUTES, PRIMARY_CAP_MINUTES};
use super::service::{CONTENT_MAX_CHARS, ESTIMATED_MINUTES, REPORTED_MINUTES, SUBJECT_MAX_CHARS, TITLE_MAX_CHARS};
use crate::http::constraints::{FieldRule, Rule};
use crate::org::dto::ChildRef;
use crate::org::model::Stage;

#[derive(Debug, Deserialize, ToSchema)]
pub struct PostHomework {
    /// One of the subjects the teacher teaches in the class (a class teacher may post any).
    #[schema(example = "数学")]
    pub subject: String,
    #[schema(example = "口算练习")]
    pub title: String,
    /// What the pupil does. Checked against the content rules (`HW_PARENT_BURDEN`, `HW_SELF_GRADING`).
    #[schema(example = "完成练习册第12页。")]
    pub content: String,
    pub kind: HomeworkKind,
    pub tier: Tier,
    /// The teacher's estimate for a typical pupil, in minutes.
    #[schema(example = 20)]
    pub estimated_minutes: i32,
    pub location: Location,
    /// The school day it is for (`YYYY-MM-DD`, the school's time zone): today or later.
    pub date: NaiveDate,
    /// Rule ids the teacher confirms after a `content_needs_review` answer (its
    /// `details.confirm_review`). Covers the guard's `review` findings only.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// An edit: the fields given replace the current ones; the rules are checked again.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EditHomework {
    pub subject: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub kind: Option<HomeworkKind>,
    pub tier: Option<Tier>,
    pub estimated_minutes: Option<i32>,
    pub location: Option<Location>,
    pub date: Option<NaiveDate>,
    /// As on a post: the rules confirmed after a `content_needs_review` answer.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// Families' reports of how long an item took.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackSummary {
    pub report_count: u32,
    /// Average reported minutes; `null` until someone reports.
    pub average_minutes: Option<f64>,
}

/// Homework as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Homework {
    pub id: Uuid,
    pub class_id: Uuid,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub kind: HomeworkKind,
    pub tier: Tier,
    pub location: Location,
    pub estimated_minutes: i32,
    pub date: NaiveDate,
    pub teacher_name: String,
    /// 1 when posted; each edit or the withdrawal adds one.
    pub revision: i32,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Written, at home, not optional: counts toward `HW_DAILY_CAP`.
    pub counts_toward_cap: bool,
    /// Estimate vs what families report.
    pub feedback: FeedbackSummary,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HomeworkList {
    pub items: Vec<Homework>,
}

/// One revision in an item's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    pub revision: i32,
    pub change: Change,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub kind: HomeworkKind,
    pub tier: Tier,
    pub location: Location,
    pub estimated_minutes: i32,
    pub date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub items: Vec<Revision>,
}

/// Homework as a family sees it: what the child has, nothing to do for the guardian.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyHomework {
    pub id: Uuid,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub kind: HomeworkKind,
    pub tier: Tier,
    /// Optional tier: the child may skip it (`HW_LAYERED`).
    pub optional: bool,
    pub location: Location,
    pub estimated_minutes: i32,
    pub teacher_name: String,
    /// Changed since it was posted.
    pub edited: bool,
    /// What this family reported, if they did.
    pub reported_minutes: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildHomework {
    pub child: ChildRef,
    pub date: NaiveDate,
    /// Written homework at home that counts toward the daily cap, in minutes.
    pub written_minutes: i32,
    pub items: Vec<FamilyHomework>,
}

/// A class's written home-homework budget for a day (`HW_DAILY_CAP`), for the grade team.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassBudget {
    pub class_id: Uuid,
    pub date: NaiveDate,
    pub grade: i16,
    pub stage: Stage,
    /// `false` for grades 1–2 (`HW_NO_WRITTEN_G12`): written homework stays at school.
    pub written_at_home_allowed: bool,
    #[serde(flatten)]
    pub budget: Budget,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportDuration {
    /// The child the report is about (a child of the caller in the homework's class).
    pub student_id: Uuid,
    /// Minutes actually spent.
    #[schema(example = 25)]
    pub minutes: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DurationReport {
    pub homework_id: Uuid,
    pub student_id: Uuid,
    pub minutes: i32,
    pub reported_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DateQuery {
    /// `YYYY-MM-DD`; today in the school's time zone when absent.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WeekQuery {
    /// ISO week, `YYYY-Www` (e.g. `2026-W48`); the current week when absent.
    pub week: Option<String>,
}

/// Estimate vs reported time for one class over a week.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassFeedback {
    pub class_id: Uuid,
    pub grade: i16,
    pub number: i16,
    pub items: u32,
    pub items_with_reports: u32,
    pub reports: u32,
    /// Sum of the estimates of the items families reported on.
    pub estimated_minutes: i32,
    /// Sum of the reported averages of the same items. Null for staff who neither teach the class
    /// nor administer the school when fewer than 3 families reported: a cell that small is one
    /// family's answer.
    pub reported_minutes: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolFeedback {
    pub school_id: Uuid,
    pub week: String,
    pub classes: Vec<ClassFeedback>,
}

/// Minutes and items of one subject or kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub name: String,
    pub minutes: i32,
    pub items: u32,
}

/// One grade's homework in a week (`HW_PUBLICITY`).
#[derive(Debug, Serialize, ToSchema)]
pub struct GradePublicity {
    pub grade: i16,
    pub stage: Stage,
    pub cap_minutes: i32,
    pub classes: u32,
    /// Written home homework per class per school day (Monday–Friday), in minutes.
    pub average_daily_written_minutes: f64,
    /// All homework of the week by subject, largest first.
    pub by_subject: Vec<Share>,
    /// All homework of the week by kind.
    pub by_kind: Vec<Share>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Publicity {
    pub school_id: Uuid,
    pub school_name: String,
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub grades: Vec<GradePublicity>,
}

/// Every school's publicity of one week, for the district's bureau.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictPublicity {
    pub district_id: Uuid,
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub schools: Vec<Publicity>,
}

/// A district's daily caps for written homework, in minutes; never above the national caps.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HomeworkSettings {
    #[schema(example = 60)]
    pub primary_cap_minutes: i32,
    #[schema(example = 90)]
    pub junior_cap_minutes: i32,
}

/// The limits the parser enforces on these requests (`service.rs`, `publicity.rs`), for the API
/// document. An edit's fields are those of a post: a field given is checked as when posting.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("PostHomework", "subject", SUBJECT),
    FieldRule::new("PostHomework", "title", TITLE),
    FieldRule::new("PostHomework", "content", CONTENT),
    FieldRule::new("PostHomework", "estimated_minutes", ESTIMATE),
    FieldRule::new("EditHomework", "subject", SUBJECT),
    FieldRule::new("EditHomework", "title", TITLE),
    FieldRule::new("EditHomework", "content", CONTENT),
    FieldRule::new("EditHomework", "estimated_minutes", ESTIMATE),
    FieldRule::new(
        "ReportDuration",
        "minutes",
        Rule::Range { min: *REPORTED_MINUTES.start() as i64, max: *REPORTED_MINUTES.end() as i64 },
    ),
    FieldRule::new(
        "HomeworkSettings",
        "primary_cap_minutes",
        Rule::Range { min: MIN_CAP_MINUTES as i64, max: PRIMARY_CAP_MINUTES as i64 },
    ),
    FieldRule::new(
        "HomeworkSettings",
        "junior_cap_minutes",
        Rule::Range { min: MIN_CAP_MINUTES as i64, max: JUNIOR_CAP_MINUTES as i64 },
    ),
];

const SUBJECT: Rule = Rule::Text { max: SUBJECT_MAX_CHARS };
const TITLE: Rule = Rule::Text { max: TITLE_MAX_CHARS };
const CONTENT: Rule = Rule::Text { max: CONTENT_MAX_CHARS };
const ESTIMATE: Rule = Rule::Range { min: *ESTIMATED_MINUTES.start() as i64, max: *ESTIMATED_MINUTES.end() as i64 };

/// The limits on these query parameters, for the API document.
pub const QUERY_LIMITS: &[crate::http::constraints::ParamRule] = &[crate::http::constraints::ParamRule {
    name: "week",
    rule: crate::http::constraints::Rule::Pattern(super::publicity::WEEK_PATTERN),
}];
