//! Why a homework action was refused: a rule broken (the content rules' answer is the guard's),
//! or an item already withdrawn. The one mapping to the API's answers.

use chrono::NaiveDate;

use super::rules::Budget;
use crate::error::{ApiError, Code, Message};
use crate::guard::GuardError;
use crate::policy::{RuleId, Violation};

#[derive(Debug, thiserror::Error)]
pub enum HomeworkError {
    /// `HW_PARENT_BURDEN`, `HW_SELF_GRADING`, `EXAM_NO_RANKING`: the words.
    #[error("refused by content rules")]
    Content(Vec<Violation>),
    /// The guard is not sure of the words and the teacher has not confirmed them: held.
    #[error("held for review")]
    Held(Vec<Violation>),
    /// `HW_NO_WRITTEN_G12`.
    #[error("written homework at home in grade {grade}")]
    NoWrittenG12 { grade: i16 },
    /// `HW_DAILY_CAP`.
    #[error("over the daily cap on {date}")]
    DailyCap { budget: Budget, date: NaiveDate, requested: i32 },
    #[error("the homework was withdrawn")]
    Withdrawn,
}

impl HomeworkError {
    /// The rules a refusal broke (none for a conflict), as counted for the bureau.
    pub fn rules(&self) -> Vec<RuleId> {
        match self {
            HomeworkError::Content(violations) => violations.iter().map(|v| v.rule).collect(),
            HomeworkError::NoWrittenG12 { .. } => vec![RuleId::HwNoWrittenG12],
            HomeworkError::DailyCap { .. } => vec![RuleId::HwDailyCap],
            HomeworkError::Held(_) | HomeworkError::Withdrawn => Vec::new(),
        }
    }
}

impl From<HomeworkError> for ApiError {
    fn from(error: HomeworkError) -> Self {
        match error {
            HomeworkError::Content(violations) => GuardError::Refused(violations).into(),
            HomeworkError::Held(violations) => GuardError::Held(violations).into(),
            HomeworkError::NoWrittenG12 { grade } => ApiError::new(Code::HwNoWrittenG12)
                .with_message(Message::new(
                    "小学一、二年级不布置家庭书面作业（HW_NO_WRITTEN_G12）。可改为在校完成（location: school），或布置口头、阅读、实践类作业。",
                    "Grades 1–2 get no written homework at home (HW_NO_WRITTEN_G12). Set it to be done at school, or set oral, reading or practical homework.",
                ))
                .with_details(serde_json::json!({ "grade": grade })),
            HomeworkError::DailyCap { budget, date, requested } => {
                let used: Vec<String> = budget.by_subject.iter().map(|s| format!("{} {}", s.subject, s.minutes)).collect();
                ApiError::new(Code::HwDailyCap)
                    .with_message(Message::new(
                        format!(
                            "超出本班 {date} 的书面作业总量上限（HW_DAILY_CAP）：上限 {} 分钟，已用 {} 分钟（{}），还剩 {} 分钟，本次 {requested} 分钟。请与年级组协调，或设为选做（tier: optional）。",
                            budget.cap_minutes,
                            budget.used_minutes,
                            if used.is_empty() { "无".to_owned() } else { used.join("、") },
                            budget.remaining_minutes
                        ),
                        format!(
                            "Over the class's written-homework cap for {date} (HW_DAILY_CAP): cap {} min, used {} min ({}), {} min left, this post {requested} min. Coordinate with the grade team, or make it optional.",
                            budget.cap_minutes,
                            budget.used_minutes,
                            if used.is_empty() { "none".to_owned() } else { used.join(", ") },
                            budget.remaining_minutes
                        ),
                    ))
                    .with_details(serde_json::json!({
                    "date": date,
                    "requested_minutes": requested,
                    "cap_minutes": budget.cap_minutes,
                    "used_minutes": budget.used_minutes,
                    "remaining_minutes": budget.remaining_minutes,
                    "by_subject": budget.by_subject,
                }))
            }
            HomeworkError::Withdrawn => ApiError::new(Code::HomeworkWithdrawn),
        }
    }
}
