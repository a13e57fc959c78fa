//! The bureau's dashboard as the API gives it: aggregates only, every people count a
//! [`Count`] and every share a [`Percent`] from [`super::suppression`]. No name, no id of a student
//! or guardian, no text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::suppression::{Count, Percent};
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
    ParentSchool,
    Mentoring,
}

/// A section whose figures are not built yet: it says so, and the rest of the dashboard works.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingSection {
    /// Always `false` for now.
    pub available: bool,
    pub message: String,
}

/// Reach of one school: guardians provisioned and activated.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolReach {
    pub school_id: Uuid,
    pub school_name: String,
    pub guardians: Count,
    pub activated: Count,
    pub activated_percent: Percent,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReachSection {
    pub schools: Vec<SchoolReach>,
    pub guardians: Count,
    pub activated: Count,
    pub activated_percent: Percent,
}

/// Graduation in one stage of a school, against its current rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageRate {
    pub stage: Stage,
    pub rule_version: i32,
    pub graduated: Percent,
}

/// The parent school of one school (`PS_BUREAU`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolParentSchool {
    pub school_id: Uuid,
    pub school_name: String,
    pub families: Count,
    /// Families with a course completed in the period.
    pub took_part: Count,
    pub participation: Percent,
    /// Parent meetings held in the period (class, grade and school meetings).
    pub meetings_held: u32,
    /// At least one guidance session held and one practice activity done in the period.
    pub duty_met: bool,
    pub graduation: Vec<StageRate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParentSchoolSection {
    pub schools: Vec<SchoolParentSchool>,
    pub families: Count,
    pub took_part: Count,
    pub participation: Percent,
    pub schools_meeting_duty: u32,
}

/// One of the three tasks (`MT_THREE_TASKS`): the share of students owing it who have it done.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskRate {
    pub task: Task,
    pub completed: Percent,
}

/// Visits of the period by the mode they were held in, and those the family confirmed.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitModes {
    pub home: Count,
    pub school: Count,
    pub video: Count,
    pub phone: Count,
    pub confirmed: Count,
}

/// Mentoring at one school (`MT_COVERAGE`, `MT_THREE_TASKS`) in its current period.
#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringSection {
    pub schools: Vec<SchoolMentoring>,
    pub students_covered: Count,
    pub with_mentor: Count,
    pub coverage: Percent,
}

/// The district's dashboard: one section per area.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictDashboard {
    pub district_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Cells of fewer people than this are suppressed.
    pub k: u64,
    pub reach: ReachSection,
    pub homework: PendingSection,
    pub afterschool: PendingSection,
    pub mentoring: MentoringSection,
    pub parent_school: ParentSchoolSection,
    pub complaints: PendingSection,
}
