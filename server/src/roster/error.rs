//! Why an import was refused.

use crate::error::{ApiError, Code, Message};
use crate::roster::dto::problems_dto;
use crate::roster::parse::RowProblem;

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// Nothing was written; every problem found is listed.
    #[error("the roster has {} problem(s)", .0.len())]
    Invalid(Vec<RowProblem>),
    #[error("no such school")]
    UnknownSchool,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl From<RosterError> for ApiError {
    fn from(error: RosterError) -> Self {
        match error {
            RosterError::Invalid(problems) => ApiError::new(Code::RosterInvalid)
                .with_message(Message::new(
                    format!("名单有 {} 处问题，未导入任何数据。请修改后重新上传。", problems.len()),
                    format!(
                        "The roster has {} problem(s); nothing was imported. Fix them and upload again.",
                        problems.len()
                    ),
                ))
                .with_details(problem_details(&problems)),
            RosterError::UnknownSchool => ApiError::not_found(),
            RosterError::Database(e) => ApiError::internal(e),
        }
    }
}

/// How many problems a refusal lists one by one: enough to fix a file's first screenful, while a
/// file that is wrong throughout (a 100,000-row export of the wrong sheet) answers in a few KB.
pub const LISTED_PROBLEMS: usize = 100;

/// The first [`LISTED_PROBLEMS`] problems in file order, how many there are in all, and a count
/// per kind of problem (`missing_value: 99,812`) so the whole file's state is still told.
fn problem_details(problems: &[RowProblem]) -> serde_json::Value {
    let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
    for p in problems {
        *by_code.entry(p.code).or_default() += 1;
    }
    serde_json::json!({
        "problems": problems_dto(&problems[..problems.len().min(LISTED_PROBLEMS)]),
        "problem_count": problems.len(),
        "counts_by_code": by_code,
    })
}
