//! Why the guard refused: a send that broke content rules, or a count query out of range. The
//! one mapping to the API's answers.

use super::dto::violations_dto;
use crate::error::{ApiError, Code, Message};
use crate::policy::{RuleId, Violation};

#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    /// The text broke at least one content rule; nothing was stored or sent.
    #[error("refused by content rules")]
    Refused(Vec<Violation>),
    /// Only findings the guard is unsure of, of rules the sender has not confirmed: held, nothing
    /// was stored or sent.
    #[error("held for review")]
    Held(Vec<Violation>),
    /// `confirm_review` names no rule.
    #[error("unknown rule {0}")]
    UnknownRule(String),
    /// `from` after `to`, or more than a year between them.
    #[error("invalid date range")]
    InvalidRange,
}

impl From<GuardError> for ApiError {
    fn from(error: GuardError) -> Self {
        match error {
            // 422, the first rule's code, every violation listed.
            GuardError::Refused(violations) => {
                let Some(first) = violations.first() else {
                    return ApiError::internal(anyhow::anyhow!("a refusal without a violation"));
                };
                ApiError::new(rule_code(first.rule))
                    .with_message(Message::new(
                        format!("{} 未发送。", first.explanation.zh),
                        format!("{} Nothing was sent.", first.explanation.en),
                    ))
                    .with_details(serde_json::json!({ "violations": violations_dto(&violations) }))
            }
            // 422: reword, or send again with every listed rule in `confirm_review`.
            GuardError::Held(violations) => {
                let mut rules: Vec<&str> = violations.iter().map(|v| v.rule.as_str()).collect();
                rules.sort_unstable();
                rules.dedup();
                ApiError::new(Code::ContentNeedsReview).with_details(serde_json::json!({
                    "violations": violations_dto(&violations),
                    "confirm_review": rules,
                }))
            }
            GuardError::UnknownRule(id) => ApiError::validation(
                "confirm_review",
                format!("没有规则 {id}：请填写检查结果中的规则编号，如 HW_PARENT_BURDEN。"),
                format!("There is no rule {id}: give the rule ids of the check, e.g. HW_PARENT_BURDEN."),
            ),
            GuardError::InvalidRange => ApiError::validation(
                "from",
                "日期范围须在一年之内，且 from 不晚于 to。",
                "The range is at most a year, with from not after to.",
            ),
        }
    }
}

/// A rule's row in the code table (the rule id in snake case, as `RuleId::code` says).
pub fn rule_code(rule: RuleId) -> Code {
    match rule {
        RuleId::ExamNoRanking => Code::ExamNoRanking,
        RuleId::HwParentBurden => Code::HwParentBurden,
        RuleId::HwSelfGrading => Code::HwSelfGrading,
        RuleId::HwNoWrittenG12 => Code::HwNoWrittenG12,
        RuleId::HwDailyCap => Code::HwDailyCap,
        RuleId::AsNoNewLessons => Code::AsNoNewLessons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_answers_with_its_own_code() {
        for rule in RuleId::ALL {
            assert_eq!(rule_code(rule).as_str(), rule.code());
        }
    }
}
