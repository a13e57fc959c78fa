//! What the app sees of a policy check.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Audience, Channel, RuleId, Violation};
use crate::error::{ApiError, Code, Message};
use crate::i18n::current_lang;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The draft: a notice or homework body, or a chat message.
    pub text: String,
    /// Optional title of the draft, checked too.
    pub title: Option<String>,
    pub channel: Channel,
    pub audience: Audience,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationDto {
    /// Rule id of `DOMAIN.md`, e.g. `EXAM_NO_RANKING`.
    pub rule: &'static str,
    /// The same rule as an error code, e.g. `exam_no_ranking`.
    pub code: &'static str,
    /// `title`, `text`, `body`, `options[0]`…
    pub field: String,
    /// Character offsets `[start, end)` of the offending span in that field.
    pub start: usize,
    pub end: usize,
    pub excerpt: String,
    /// Why it is not allowed, in the caller's language.
    pub explanation: String,
    /// A compliant way to say it.
    pub suggestion: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResponse {
    /// Empty when the draft may be sent.
    pub violations: Vec<ViolationDto>,
}

pub fn violations_dto(violations: &[Violation]) -> Vec<ViolationDto> {
    let lang = current_lang();
    violations
        .iter()
        .map(|v| ViolationDto {
            rule: v.rule.as_str(),
            code: v.rule.code(),
            field: v.field.clone(),
            start: v.start,
            end: v.end,
            excerpt: v.excerpt.clone(),
            explanation: v.explanation.in_lang(lang).to_owned(),
            suggestion: v.suggestion.in_lang(lang).to_owned(),
        })
        .collect()
}

/// The answer to a send that breaks a rule: 422, the first rule's code, every violation listed;
/// nothing was stored or sent.
pub fn refused(violations: &[Violation]) -> ApiError {
    let first = &violations[0];
    ApiError::new(rule_code(first.rule))
        .with_message(Message::new(
            format!("{} 未发送。", first.explanation.zh),
            format!("{} Nothing was sent.", first.explanation.en),
        ))
        .with_details(serde_json::json!({ "violations": violations_dto(violations) }))
}

/// A rule's row in the code table.
pub fn rule_code(rule: RuleId) -> Code {
    match rule {
        RuleId::ExamNoRanking => Code::ExamNoRanking,
        RuleId::HwParentBurden => Code::HwParentBurden,
        RuleId::HwSelfGrading => Code::HwSelfGrading,
        RuleId::HwNoWrittenG12 => Code::HwNoWrittenG12,
        RuleId::HwDailyCap => Code::HwDailyCap,
    }
}
