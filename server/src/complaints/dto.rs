//! What the complaint endpoints take and give. One view for everyone, with the family's identity
//! (`complainant`) present only for those allowed to see it: the filer's own bureau, and the school
//! when the family did not ask for anonymity and the bureau chose to share it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{Actor, Category, EventKind, Outcome, Status};
use crate::http::constraints::{FieldRule, Rule};

/// Longest complaint, response or note, in characters.
pub const TEXT_MAX_CHARS: usize = 2000;

/// What the document states of each field, checked by the service as written here.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("FileComplaint", "text", Rule::Text { max: TEXT_MAX_CHARS }),
    FieldRule::new("Forward", "note", Rule::MaxChars(TEXT_MAX_CHARS)),
    FieldRule::new("Respond", "text", Rule::Text { max: TEXT_MAX_CHARS }),
    FieldRule::new("Close", "text", Rule::Text { max: TEXT_MAX_CHARS }),
];

/// A guardian's complaint about their child's school, to the district's bureau.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileComplaint {
    pub student_id: Uuid,
    pub category: Category,
    /// What happened (1–2000 characters).
    pub text: String,
    /// The school never learns who filed it (the bureau does).
    #[serde(default)]
    pub anonymous_to_school: bool,
}

/// The bureau sends the complaint to the school to answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Forward {
    /// Tell the school which family filed it (refused for an anonymous complaint).
    #[serde(default)]
    pub share_identity: bool,
    /// What the bureau asks of the school (at most 2000 characters); the family does not see it.
    #[serde(default)]
    pub note: Option<String>,
}

/// The school's answer (1–2000 characters); the family sees it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    pub text: String,
}

/// The bureau closes the complaint with an outcome and what it tells the family.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    pub outcome: Outcome,
    pub text: String,
}

/// The family behind a complaint, for those allowed to know.
#[derive(Debug, Serialize, ToSchema)]
pub struct Complainant {
    pub guardian_name: String,
    pub guardian_phone: Option<String>,
    pub student_id: Uuid,
    pub student_name: String,
    pub grade: i16,
    pub class_number: i16,
}

/// One step of a complaint's history. `text` is the school's response or the bureau's outcome
/// (the family sees these), or the bureau's note to the school (the family does not).
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintEvent {
    pub kind: EventKind,
    pub actor: Actor,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
}

/// A photo or PDF the family added. A reader who may not know the family sees a neutral name
/// ("附件1.jpg"); every photo lost its metadata (position, camera, time) when it was added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintAttachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// The file's name as the family's device called it (optional; at most 200 characters kept).
#[derive(Debug, Deserialize, IntoParams)]
pub struct AttachmentQuery {
    pub file_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Complaint {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub category: Category,
    pub text: String,
    pub anonymous_to_school: bool,
    pub status: Status,
    /// The current holder's deadline (the end of the third school day after it got the
    /// complaint); `null` once closed.
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub outcome: Option<Outcome>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// `null` for a school that may not know the family (and for the family itself).
    pub complainant: Option<Complainant>,
    pub attachments: Vec<ComplaintAttachment>,
    pub events: Vec<ComplaintEvent>,
}

/// A line of a complaint list: no text, no family.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintSummary {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub category: Category,
    pub status: Status,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintList {
    pub items: Vec<ComplaintSummary>,
}

/// Narrows a list to one status.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    #[param(inline)]
    pub status: Option<Status>,
}
