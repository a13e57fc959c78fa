//! Mentoring errors and their rows in the code table.

use uuid::Uuid;

use super::rules::{CoverageBreach, OverCap};
use crate::error::{ApiError, Code};

#[derive(Debug, thiserror::Error)]
pub enum MentoringError {
    #[error("mentoring is not set up")]
    NotSet,
    #[error("students without a mentor")]
    StudentsWithoutMentor(Vec<Uuid>),
    #[error("a mentor over the cap")]
    OverCap(OverCap),
}

impl From<CoverageBreach> for MentoringError {
    fn from(breach: CoverageBreach) -> Self {
        match breach {
            CoverageBreach::StudentsWithoutMentor(ids) => MentoringError::StudentsWithoutMentor(ids),
            CoverageBreach::OverCap(over) => MentoringError::OverCap(over),
        }
    }
}

impl From<MentoringError> for ApiError {
    fn from(error: MentoringError) -> Self {
        match error {
            MentoringError::NotSet => ApiError::new(Code::MentoringNotSet),
            MentoringError::StudentsWithoutMentor(ids) => ApiError::new(Code::MtCoverage)
                .with_details(serde_json::json!({ "students_without_mentor": ids, "count": ids.len() })),
            MentoringError::OverCap(over) => ApiError::new(Code::MentorCap).with_details(
                serde_json::json!({ "mentor_id": over.mentor, "mentees": over.mentees, "cap": over.cap }),
            ),
        }
    }
}
