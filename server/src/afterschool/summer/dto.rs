//! Summer care's requests and answers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::WeekStatus;
use super::rules::{CAPACITY, FEE_FEN, MAX_WEEKS};
use crate::http::constraints::{FieldRule, Rule};
use crate::input::CLOCK_TIME;
use crate::org::model::{FIRST_GRADE, LAST_GRADE, NAME_MAX_CHARS};

pub const ADDRESS_MAX_CHARS: usize = 200;

/// A summer care site (暑期托管点, `AS_SUMMER`): a school admin's for the school's own children
/// (`school_id`), or a bureau officer's community site for every child of the district (no
/// `school_id`). Care runs Monday to Friday of each week listed, `start` to `end`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSummerSite {
    #[serde(default)]
    pub school_id: Option<Uuid>,
    pub name: String,
    pub address: String,
    /// The grades it takes; empty or absent: every grade.
    #[serde(default)]
    pub grades: Vec<u8>,
    #[schema(example = "08:30")]
    pub start: String,
    #[schema(example = "17:30")]
    pub end: String,
    /// What a week costs a family, in fen; 0 (the default): free.
    #[serde(default)]
    pub fee_fen: i64,
    pub weeks: Vec<SummerWeekInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SummerWeekInput {
    /// The week's Monday.
    pub starts_on: NaiveDate,
    pub capacity: u32,
}

/// Who runs a site and whom it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// The school's own, for its children.
    School,
    /// The district's, for every child of the district.
    Community,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummerWeek {
    pub id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: u32,
    pub enrolled: u32,
    pub waitlisted: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummerSite {
    pub id: Uuid,
    pub district_id: Uuid,
    pub school_id: Option<Uuid>,
    pub kind: SiteKind,
    pub name: String,
    pub address: String,
    pub grades: Vec<u8>,
    pub start: String,
    pub end: String,
    pub fee_fen: i64,
    pub weeks: Vec<SummerWeek>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummerSiteList {
    pub items: Vec<SummerSite>,
}

/// A week of a site as a family sees it for one child.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildSummerWeek {
    pub week_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub places_left: u32,
    /// The child's place that week, if any.
    pub status: Option<WeekStatus>,
    /// For `waitlisted`: how many are ahead (0 = next to be promoted).
    pub waitlist_position: Option<u32>,
    /// Whether the week can still be taken or given back (it has not started).
    pub open: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildSummerSite {
    pub site_id: Uuid,
    pub kind: SiteKind,
    pub name: String,
    pub address: String,
    pub start: String,
    pub end: String,
    pub fee_fen: i64,
    pub weeks: Vec<ChildSummerWeek>,
}

/// The summer care a child can take (sites of the child's district or school taking the child's
/// grade), where the child stands each week, and what the family owes: the fee of every week the
/// child has a place in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildSummer {
    pub student_id: Uuid,
    pub owed_fen: i64,
    pub sites: Vec<ChildSummerSite>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SummerEnrol {
    pub student_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummerEnrolment {
    pub id: Uuid,
    pub week_id: Uuid,
    pub student_id: Uuid,
    pub status: WeekStatus,
    /// For `waitlisted`: how many are ahead (0 = next to be promoted).
    pub waitlist_position: Option<u32>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterChild {
    pub student_id: Uuid,
    pub name: String,
    pub grade: i16,
    pub class_number: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterWeek {
    pub week_id: Uuid,
    pub starts_on: NaiveDate,
    pub enrolled: Vec<RosterChild>,
    pub waitlisted: u32,
}

/// Who has a place each week at a school's site (its admins).
#[derive(Debug, Serialize, ToSchema)]
pub struct SummerRoster {
    pub site_id: Uuid,
    pub weeks: Vec<RosterWeek>,
}

/// The limits the parser enforces on these requests, for the API document. The site's hours as a
/// whole (two hours or more within 07:00–19:00) and its weeks (Mondays still ahead, no repeats)
/// are `as_summer` answers.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("CreateSummerSite", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("CreateSummerSite", "address", Rule::Text { max: ADDRESS_MAX_CHARS }),
    FieldRule::new("CreateSummerSite", "grades", Rule::Range { min: FIRST_GRADE as i64, max: LAST_GRADE as i64 }),
    FieldRule::new("CreateSummerSite", "start", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("CreateSummerSite", "end", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("CreateSummerSite", "fee_fen", Rule::Range { min: *FEE_FEN.start(), max: *FEE_FEN.end() }),
    FieldRule::new("CreateSummerSite", "weeks", Rule::Items { min: 1, max: Some(MAX_WEEKS), unique: false }),
    FieldRule::new(
        "SummerWeekInput",
        "capacity",
        Rule::Range { min: *CAPACITY.start() as i64, max: *CAPACITY.end() as i64 },
    ),
];
