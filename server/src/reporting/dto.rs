//! The bureau's dashboard as the API gives it: aggregates only, every people count a
//! [`Count`] and every share a [`Percent`] from [`super::suppression`]. No name, no id of a student
//! or guardian, no text.

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::bulletin::{BulletinTargets, Shortfall};
use super::suppression::{Count, Percent};
use super::trends::PeriodKind;
use crate::afterschool::model::{Category, ProviderKind};
use crate::complaints::model::Category as ComplaintCategory;
use crate::mentoring::model::Task;
use crate::org::model::Stage;

/// The period: `from`/`to` (dates, both included); each school's current term when absent.
/// `format=csv` (or `Accept: text/csv`) answers one `section` as CSV for Excel.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DashboardQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[param(inline)]
    pub format: Option<ExportFormat>,
    /// The table a CSV answer holds (`reach` when absent).
    #[param(inline)]
    pub section: Option<Section>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    Csv,
}

/// A table of the dashboard that exports as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    #[default]
    Reach,
    Homework,
    Afterschool,
    ParentSchool,
    Mentoring,
    Complaints,
}

/// Reach of one school: guardians provisioned and activated.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolReach {
    pub school_id: Uuid,
    pub school_name: String,
    pub guardians: Count,
    pub activated: Count,
    pub activated_percent: Percent,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReachSection {
    pub schools: Vec<SchoolReach>,
    pub guardians: Count,
    pub activated: Count,
    pub activated_percent: Percent,
}

/// Graduation in one stage of a school, against its current rule.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StageRate {
    pub stage: Stage,
    pub rule_version: i32,
    pub graduated: Percent,
}

/// The parent school of one school (`PS_BUREAU`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolParentSchool {
    pub school_id: Uuid,
    pub school_name: String,
    pub families: Count,
    /// Families with a course completed in the period.
    pub took_part: Count,
    pub participation: Percent,
    /// Parent meetings held in the period (class, grade and school meetings).
    pub meetings_held: u32,
    pub classes: u32,
    /// Classes whose families were invited to at least one meeting held in the period (their
    /// class's, their grade's or the school's): `PS_COVERAGE` asks for every class.
    pub classes_with_meeting: u32,
    /// Meetings held per class: each class counts the meetings its families were invited to;
    /// `null` without classes.
    pub meetings_per_class: Option<f64>,
    /// At least one guidance session held and one practice activity done in the period.
    pub duty_met: bool,
    pub graduation: Vec<StageRate>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ParentSchoolSection {
    pub schools: Vec<SchoolParentSchool>,
    pub families: Count,
    pub took_part: Count,
    pub participation: Percent,
    pub schools_meeting_duty: u32,
    /// How the district catalogue is used: every course the bureau publishes, the most used first.
    pub district_courses: Vec<DistrictCourseUse>,
}

/// One course of the district catalogue (`PS_CONTENT`) across the district's schools in the period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DistrictCourseUse {
    pub course_id: Uuid,
    pub title: String,
    pub format: crate::parent_school::model::Format,
    /// Schools where families took part through it or that held a session of it.
    pub schools_using: u32,
    /// Families (one child's family at one school) that took part through it.
    pub families: Count,
    pub sessions_held: u32,
}

/// One of the three tasks (`MT_THREE_TASKS`): the share of students owing it who have it done.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskRate {
    pub task: Task,
    pub completed: Percent,
}

/// Visits of the period by the mode they were held in, and those the family confirmed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VisitModes {
    pub home: Count,
    pub school: Count,
    pub video: Count,
    pub phone: Count,
    pub confirmed: Count,
}

/// Mentoring at one school (`MT_COVERAGE`, `MT_THREE_TASKS`) in its current period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolMentoring {
    pub school_id: Uuid,
    pub school_name: String,
    /// Whether the school has set mentoring up (else every figure below is empty).
    pub set_up: bool,
    pub covered_grades: Vec<u8>,
    pub students_covered: Count,
    pub with_mentor: Count,
    pub coverage: Percent,
    pub tasks: Vec<TaskRate>,
    pub visits: Option<VisitModes>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MentoringSection {
    pub schools: Vec<SchoolMentoring>,
    pub students_covered: Count,
    pub with_mentor: Count,
    pub coverage: Percent,
}

/// One grade of a school over the period (`HW_MONITOR`). Class-days (one class on one school day,
/// or on another day it was given written homework for) are not people: they are shown as they are.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradeHomework {
    pub grade: i16,
    pub stage: Stage,
    pub cap_minutes: i32,
    pub class_days: u32,
    /// Written home minutes per class-day.
    pub average_daily_written_minutes: f64,
    /// Share of class-days whose written home minutes stayed within the cap (`HW_DAILY_CAP`);
    /// `null` without class-days.
    pub within_cap_percent: Option<f64>,
    /// Grades 1–2: class-days with written homework to do at home (`HW_NO_WRITTEN_G12`); `null` for
    /// other grades.
    pub class_days_with_written: Option<u32>,
    /// Families' duration reports (one per family and item): suppressed when fewer than `k`
    /// families reported, and with them the two averages below.
    pub reports: Count,
    /// Minutes families reported, per report.
    pub reported_average_minutes: Option<f64>,
    /// The same items' estimates, per report: compare with the line above.
    pub estimated_average_minutes: Option<f64>,
}

/// Homework at one school over the period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolHomework {
    pub school_id: Uuid,
    pub school_name: String,
    /// The dates counted (the period, or the school's current term, up to today).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub class_days: u32,
    pub over_cap_class_days: u32,
    pub within_cap_percent: Option<f64>,
    /// More class-days over the cap than the district's target allows (its bulletin's
    /// `homework_over_cap_percent`).
    pub short_of_target: bool,
    /// Grades 1–2 class-days with written homework at home.
    pub g12_class_days_with_written: u32,
    /// Sends of the school's staff the guard refused in the period.
    pub refused_sends: u64,
    pub grades: Vec<GradeHomework>,
}

/// Sends refused in the district, by rule and channel.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RefusedSends {
    pub rule: String,
    pub channel: String,
    pub count: u64,
}

/// Homework across the district (`HW_MONITOR`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HomeworkSection {
    pub available: bool,
    pub schools: Vec<SchoolHomework>,
    pub class_days: u32,
    pub within_cap_percent: Option<f64>,
    /// Schools with more of their class-days over the cap than the district's target allows.
    pub schools_over_cap: u32,
    pub refused_sends: Vec<RefusedSends>,
}

/// Activities of a kind.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryCount {
    pub category: Category,
    pub activities: u64,
}

/// Activities by who provides them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProviderCount {
    pub provider: ProviderKind,
    pub activities: u64,
}

/// After-school service at one school (`AS_COVERAGE`, `AS_5_PLUS_2`, `AS_END_TIME`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolAfterschool {
    pub school_id: Uuid,
    pub school_name: String,
    /// Whether the school has a published plan covering today (else every figure is empty).
    pub plan_published: bool,
    /// The rules the plan breaks under the district's current off-work time (empty: compliant).
    pub breaches: Vec<String>,
    pub students: Count,
    pub in_basic: Count,
    pub basic_percent: Percent,
    /// Of the students in the basic service, those staying all five weekdays.
    pub all_five_days_percent: Percent,
    pub in_electives: Count,
    pub electives_percent: Percent,
    /// Roll entries of the period marked present.
    pub attendance_percent: Percent,
    /// Teachers of the school in charge of an activity, as a share of its teachers (staff figures,
    /// not suppressed).
    pub teachers: u64,
    pub teachers_in_charge: u64,
    pub by_category: Vec<CategoryCount>,
    pub by_provider: Vec<ProviderCount>,
    /// Families' mean rating (1–5); `null` when fewer than `k` families rated.
    pub satisfaction: Option<f64>,
    /// The families who rated.
    pub ratings: Count,
}

/// After-school service across the district.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AfterschoolSection {
    pub available: bool,
    pub schools: Vec<SchoolAfterschool>,
    /// Schools with a published plan, and those whose plan breaks no rule.
    pub schools_with_plan: u32,
    pub schools_compliant: u32,
    pub students: Count,
    pub in_basic: Count,
    pub basic_percent: Percent,
    pub all_five_days_percent: Percent,
}

/// Complaints about one school filed in the period. Counts are families: suppressed under `k`.
/// The times and the overdue count measure the handlers (the bureau and the school), not the
/// families, and are shown as they are.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolComplaints {
    pub school_id: Uuid,
    pub school_name: String,
    pub received: Count,
    pub closed: Count,
    /// Mean hours from filing to the first step (forwarded, responded or closed).
    pub mean_hours_to_first_response: Option<f64>,
    /// Mean days from filing to closing, of those closed.
    pub mean_days_to_closure: Option<f64>,
    /// Open now and past their holder's deadline (whenever filed).
    pub overdue_now: u64,
}

/// Complaints of the period in one category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryComplaints {
    pub category: ComplaintCategory,
    pub received: Count,
}

/// The complaints channel across the district.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintsSection {
    pub available: bool,
    pub schools: Vec<SchoolComplaints>,
    pub by_category: Vec<CategoryComplaints>,
    pub received: Count,
    pub overdue_now: u64,
}

/// The district's dashboard: one section per area.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictDashboard {
    pub district_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Cells of fewer people than this are suppressed.
    pub k: u64,
    /// When the figures were computed. The default view (no `from`/`to`) is served from the
    /// district's snapshot, precomputed every few minutes, while it is fresh; a period asked for
    /// is computed at the request. Complaints are always counted at the request.
    pub as_of: DateTime<Utc>,
    pub reach: ReachSection,
    pub homework: HomeworkSection,
    pub afterschool: AfterschoolSection,
    pub mentoring: MentoringSection,
    pub parent_school: ParentSchoolSection,
    pub complaints: ComplaintsSection,
}

/// One school's part of a half-monthly bulletin: what was measured and where it falls short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SchoolBulletin {
    pub school_id: Uuid,
    pub school_name: String,
    pub school_days: u32,
    pub class_days: u32,
    /// Share of class-days over the daily homework cap; `null` without class-days.
    pub over_cap_percent: Option<f64>,
    pub plan_published: bool,
    pub plan_breaches: Vec<String>,
    /// Complaints about the school that went past a deadline in the half-month.
    pub complaints_overdue: u32,
    /// Mentors' three tasks done by the half-month's end, of those owed in the period (tasks, not
    /// people); `null` without mentoring.
    pub mentoring_done_percent: Option<f64>,
    pub shortfalls: Vec<Shortfall>,
}

/// What a bulletin says: the targets it measured against and every school of the district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BulletinBody {
    pub targets: BulletinTargets,
    pub schools: Vec<SchoolBulletin>,
}

/// The half-monthly bulletin (专项督导半月通报) of a district.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bulletin {
    pub district_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_at: DateTime<Utc>,
    /// Schools with at least one shortfall.
    pub schools_short: u32,
    #[serde(flatten)]
    pub body: BulletinBody,
}

/// A re-run: the bulletin computed again now, and whether it says what the issued one said.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rerun {
    pub same_as_issued: bool,
    pub bulletin: Bulletin,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinSummary {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub schools_short: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinList {
    pub items: Vec<BulletinSummary>,
}

/// A bulletin as one school's admins list it: their own part only.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolBulletinSummary {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_at: DateTime<Utc>,
    /// The school's own shortfalls in it.
    pub shortfalls: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolBulletinList {
    pub items: Vec<SchoolBulletinSummary>,
}

/// The bureau's reporting settings: the small-cell threshold and the bulletin's targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportingSettings {
    /// Figures of fewer people than this are suppressed (5–100; default 10).
    pub k: u16,
    /// A school falls short when more of its class-days than this (percent, 0–100; default 5) are
    /// over the daily homework cap.
    pub homework_over_cap_percent: u8,
    /// … or when more of its complaints than this (0–1000; default 0) went past a deadline in the
    /// half-month.
    pub complaints_overdue: u16,
    /// … or when its mentors' tasks done lag the share of the mentoring period passed by more
    /// than this many points (0–100; default 25).
    pub mentoring_behind_points: u8,
}

/// What the document states of the settings' fields, checked by the service as written here.
pub const LIMITS: &[crate::http::constraints::FieldRule] = {
    use super::bulletin::MAX_COMPLAINTS_OVERDUE;
    use super::suppression::{MAX_K, MIN_K};
    use crate::http::constraints::{FieldRule, Rule};
    &[
        FieldRule::new("ReportingSettings", "k", Rule::Range { min: MIN_K as i64, max: MAX_K as i64 }),
        FieldRule::new("ReportingSettings", "homework_over_cap_percent", Rule::Range { min: 0, max: 100 }),
        FieldRule::new(
            "ReportingSettings",
            "complaints_overdue",
            Rule::Range { min: 0, max: MAX_COMPLAINTS_OVERDUE as i64 },
        ),
        FieldRule::new("ReportingSettings", "mentoring_behind_points", Rule::Range { min: 0, max: 100 }),
    ]
};

/// What the document states of the query parameters, checked by the service as written here.
pub const QUERY_LIMITS: &[crate::http::constraints::ParamRule] = &[crate::http::constraints::ParamRule {
    name: "periods",
    rule: crate::http::constraints::Rule::Range { min: 1, max: super::trends::MAX_PERIODS as i64 },
}];

/// A trend: `period` (week by default) and how many of them up to today (`periods`, 1–26,
/// default 6).
#[derive(Debug, Deserialize, IntoParams)]
pub struct TrendQuery {
    #[param(inline)]
    pub period: Option<PeriodKind>,
    pub periods: Option<u8>,
}

/// One period of a trend (the current one ends today).
#[derive(Debug, Serialize, ToSchema)]
pub struct TrendPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One school's figures, one value per period (oldest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolTrend {
    pub school_id: Uuid,
    pub school_name: String,
    /// Share of class-days within the daily homework cap (`null`: no class-day).
    pub homework_within_cap_percent: Vec<Option<f64>>,
    pub over_cap_class_days: Vec<u32>,
    /// Complaints filed (families: suppressed under `k`, with complementary cells).
    pub complaints_received: Vec<Count>,
    /// Families who took part in the parent school in the period (an online course completed, a
    /// session attended, a practice confirmed) of the school's families; hidden where either
    /// count is.
    pub parent_school_participation: Vec<Percent>,
}

/// The same figures over the last periods, per school and for the whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Trends {
    pub district_id: Uuid,
    pub period: PeriodKind,
    pub k: u64,
    pub periods: Vec<TrendPeriod>,
    pub homework_within_cap_percent: Vec<Option<f64>>,
    pub complaints_received: Vec<Count>,
    pub parent_school_participation: Vec<Percent>,
    /// Sends the guard refused (messages, not people).
    pub refused_sends: Vec<u64>,
    pub schools: Vec<SchoolTrend>,
    /// The schools from the least to the most compliant in the last period by class-days within
    /// the cap: a ranking by the school's compliance, never by students' results.
    pub ranking: Vec<Uuid>,
}
