//! What the school calendar's endpoints take and answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::rules::WEEKDAYS;
use crate::http::constraints::{FieldRule, Rule};

/// The longest name of a term, a holiday or a make-up day.
pub const NAME_MAX_CHARS: usize = 60;
/// The most holidays or make-up days a term lists.
pub const MAX_DAYS: usize = 60;

/// A term as the school defines it (replacing the whole term when saved again).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TermInput {
    /// "2026学年第一学期".
    pub name: String,
    /// The first day of the term (the school's date).
    pub starts_on: NaiveDate,
    /// The last day of the term, at most 200 days after the first.
    pub ends_on: NaiveDate,
    /// Days without school inside the term (public holidays, days off).
    #[serde(default)]
    pub holidays: Vec<HolidayInput>,
    /// Weekend days with school (调休), each following a weekday's timetable.
    #[serde(default)]
    pub make_up_days: Vec<MakeUpDayInput>,
}

/// A holiday: one day or a range, both ends included.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HolidayInput {
    /// "国庆节".
    pub name: String,
    pub from: NaiveDate,
    /// The last day off; the same as `from` for one day.
    pub to: NaiveDate,
}

/// A make-up day (调休): a Saturday or Sunday with school.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MakeUpDayInput {
    pub date: NaiveDate,
    /// The weekday whose timetable runs that day: 1 (Monday) to 5 (Friday).
    pub follows_weekday: u8,
    /// "国庆调休"; may be empty.
    #[serde(default)]
    pub name: String,
}

/// A term of the school, with its holidays, make-up days and how many school days it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    pub id: Uuid,
    pub school_id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub holidays: Vec<HolidayInput>,
    pub make_up_days: Vec<MakeUpDayInput>,
    /// Days with school in the term: Monday to Friday outside the holidays, plus make-up days.
    pub school_days: u32,
    pub updated_at: DateTime<Utc>,
}

/// A school's terms, the earliest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermList {
    pub items: Vec<Term>,
}

pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("TermInput", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("TermInput", "holidays", Rule::Items { min: 0, max: Some(MAX_DAYS), unique: false }),
    FieldRule::new("TermInput", "make_up_days", Rule::Items { min: 0, max: Some(MAX_DAYS), unique: false }),
    FieldRule::new("HolidayInput", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("MakeUpDayInput", "name", Rule::MaxChars(NAME_MAX_CHARS)),
    FieldRule::new(
        "MakeUpDayInput",
        "follows_weekday",
        Rule::Range { min: *WEEKDAYS.start() as i64, max: *WEEKDAYS.end() as i64 },
    ),
];
