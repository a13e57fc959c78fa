//! What the app sees of a policy check and of the refused-send counts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::i18n::current_lang;
use crate::policy::{Audience, Channel, Tier, Violation};

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
    /// `block`: the send is refused until reworded. `review`: it looks like a violation but is
    /// not certain; the send is held until the sender rewords it or confirms the rule in
    /// `confirm_review`.
    pub tier: Tier,
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

/// Every violation in the caller's language.
pub fn violations_dto(violations: &[Violation]) -> Vec<ViolationDto> {
    let lang = current_lang();
    violations
        .iter()
        .map(|v| ViolationDto {
            rule: v.rule.as_str(),
            code: v.rule.code(),
            tier: v.tier,
            field: v.field.clone(),
            start: v.start,
            end: v.end,
            excerpt: v.excerpt.clone(),
            explanation: v.explanation.in_lang(lang).to_owned(),
            suggestion: v.suggestion.in_lang(lang).to_owned(),
        })
        .collect()
}

/// What became of a send the guard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Refused: it broke a rule for certain, nothing was sent.
    Blocked,
    /// Held for review, then confirmed by its sender and sent.
    SentAfterReview,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Blocked => "blocked",
            Outcome::SentAfterReview => "sent_after_review",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Blocked, Outcome::SentAfterReview].into_iter().find(|o| o.as_str() == s)
    }
}

/// Sends of one rule, one school, one day and one outcome (never their text).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockCount {
    pub rule: String,
    pub channel: String,
    pub outcome: Outcome,
    /// `null` for bureau senders.
    pub school_id: Option<Uuid>,
    pub date: NaiveDate,
    pub count: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RangeQuery {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedSends {
    pub items: Vec<BlockCount>,
}

/// The limits the parser enforces on these requests, for the API document.
pub const LIMITS: &[crate::http::constraints::FieldRule] = &[];
