//! Why a conversation action was refused. Access refusals (404 not yours, 403 read-only) come from
//! `crate::access`; these are the conversation's own.

use super::rules::MAX_BODY_CHARS;
use chrono::{DateTime, Utc};

use crate::error::{ApiError, Code};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversationError {
    #[error("a message is 1–2,000 characters or an attachment")]
    InvalidBody,
    #[error("no such attachment in this conversation")]
    UnknownAttachment,
    #[error("a cooling-off period is 0–168 hours")]
    InvalidBlockHours,
    #[error("the teacher paused this conversation until {until}")]
    Paused { until: DateTime<Utc> },
    #[error("attachments are images or PDF")]
    UnsupportedAttachmentType,
    #[error("the other side no longer has this child in their care or class")]
    Closed,
}

impl From<ConversationError> for ApiError {
    fn from(error: ConversationError) -> Self {
        match error {
            ConversationError::InvalidBody => ApiError::validation(
                "body",
                format!("消息不能为空（除非带附件），且不超过 {MAX_BODY_CHARS} 个字符。"),
                format!(
                    "A message must not be blank (unless it has an attachment) and is at most {MAX_BODY_CHARS} characters."
                ),
            ),
            ConversationError::UnknownAttachment => {
                ApiError::validation("attachment_id", "附件不存在。", "No such attachment in this conversation.")
            }
            ConversationError::InvalidBlockHours => {
                ApiError::validation("hours", "暂停时长须为 0 到 168 小时。", "hours must be 0 to 168.")
            }
            ConversationError::Closed => ApiError::new(Code::ConversationClosed),
            ConversationError::Paused { until } => {
                ApiError::new(Code::ConversationPaused).with_details(serde_json::json!({ "until": until }))
            }
            ConversationError::UnsupportedAttachmentType => ApiError::new(Code::UnsupportedAttachmentType),
        }
    }
}
