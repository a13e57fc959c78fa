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
                .with_details(serde_json::json!({ "problems": problems_dto(&problems) })),
            RosterError::UnknownSchool => ApiError::not_found(),
            RosterError::Database(e) => ApiError::internal(e),
        }
    }
}
