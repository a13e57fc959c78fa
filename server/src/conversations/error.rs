//! Why a conversation action was refused. Access refusals (404 not yours, 403 read-only) come from
//! `crate::access`; these are the conversation's own.

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};

use crate::error::{ApiError, Message};

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
}

impl From<ConversationError> for ApiError {
    fn from(error: ConversationError) -> Self {
        match error {
            ConversationError::InvalidBody => ApiError::validation(
                "body",
                "消息须为 1 到 2000 个字符（或带附件）。",
                "A message is 1–2,000 characters (or an attachment).",
            ),
            ConversationError::UnknownAttachment => {
                ApiError::validation("attachment_id", "附件不存在。", "No such attachment in this conversation.")
            }
            ConversationError::InvalidBlockHours => {
                ApiError::validation("hours", "暂停时长须为 0 到 168 小时。", "hours must be 0 to 168.")
            }
            ConversationError::Paused { until } => ApiError::new(
                StatusCode::FORBIDDEN,
                "conversation_paused",
                Message::new(
                    "老师暂停了此对话，请稍后再发送。",
                    "The teacher has paused this conversation; write again later.",
                ),
            )
            .with_details(serde_json::json!({ "until": until })),
            ConversationError::UnsupportedAttachmentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_attachment_type",
                Message::new(
                    "附件须为图片（PNG、JPEG、GIF、WebP）或 PDF。",
                    "Attachments must be images (PNG, JPEG, GIF, WebP) or PDF.",
                ),
            ),
        }
    }
}
