//! What the app sees of conversations.

use super::rules;
use crate::http::constraints::{FieldRule, Rule};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartConversation {
    /// The child the conversation is about.
    pub student_id: Uuid,
    /// The other person's account: for a guardian, a teacher of the child's class
    /// (`teachers[].account_id` of `GET /children/{id}`); for a teacher, a guardian of the child
    /// (`guardians[].account_id` of `GET /classes/{id}/students`).
    pub with_account_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub account_id: Uuid,
    pub name: String,
    /// `guardian` or `teacher`.
    pub role: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conversation {
    pub id: Uuid,
    pub school_id: Uuid,
    pub student_id: Uuid,
    pub student_name: String,
    pub guardian: Participant,
    pub teacher: Participant,
    pub last_message_at: DateTime<Utc>,
    pub last_message_preview: Option<String>,
    /// Messages from the other participant the caller has not read.
    pub unread: u64,
    /// Set while the teacher has paused the guardian's messages (cooling-off).
    pub guardian_blocked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConversationFilter {
    /// School admins: every conversation of this school (safeguarding, read-only).
    pub school_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendMessage {
    /// Up to 2,000 characters; may be blank only when an attachment is sent.
    #[serde(default)]
    pub body: String,
    /// An attachment uploaded to this conversation first.
    pub attachment_id: Option<Uuid>,
    /// Rule ids the teacher confirms after a `content_needs_review` answer (its
    /// `details.confirm_review`). Covers the guard's `review` findings only.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: Uuid,
    pub sender_account_id: Uuid,
    pub sender_name: String,
    pub body: String,
    pub attachment: Option<Attachment>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BlockRequest {
    /// Cooling-off length in hours, up to a week; 0 lifts a pause.
    pub hours: i64,
}

impl From<&super::model::attachment::Model> for Attachment {
    fn from(a: &super::model::attachment::Model) -> Self {
        Attachment {
            id: a.id,
            file_name: a.file_name.clone(),
            content_type: a.content_type.clone(),
            size_bytes: a.size_bytes,
        }
    }
}

impl Message {
    /// A stored message as the app shows it, with its sender's name and its attachment.
    pub fn of(
        m: super::model::message::Model,
        names: &std::collections::HashMap<Uuid, String>,
        attachments: &std::collections::HashMap<Uuid, super::model::attachment::Model>,
    ) -> Message {
        Message {
            id: m.id,
            sender_name: names.get(&m.sender_account_id).cloned().unwrap_or_default(),
            sender_account_id: m.sender_account_id,
            body: m.body,
            attachment: m.attachment_id.and_then(|a| attachments.get(&a)).map(Attachment::from),
            created_at: m.created_at,
        }
    }
}

/// The limits the parser enforces on these requests (`rules.rs`), for the API document.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("SendMessage", "body", Rule::MaxChars(rules::MAX_BODY_CHARS)),
    FieldRule::new("BlockRequest", "hours", Rule::Range { min: 0, max: rules::MAX_BLOCK_HOURS }),
];
