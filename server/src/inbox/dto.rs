//! What the app sees of the inbox.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::ItemKind;
use crate::org::dto::ChildRef;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only items not read yet.
    #[serde(default)]
    pub unread: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    /// Position in the inbox; also the id of the real-time event that announced it.
    pub seq: i64,
    pub kind: ItemKind,
    /// The notice (or, later, message, homework…) id.
    pub ref_id: Uuid,
    /// What the item opens when that is not `ref_id`: for a complaint's step, the complaint
    /// (`GET /complaints/{subject_id}`), since each step is an item of its own. `null` for the
    /// rest: a notice, homework or message item opens its `ref_id`.
    pub subject_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    pub title: String,
    /// The start of the body; empty once recalled.
    pub preview: String,
    pub sender_name: String,
    pub urgent: bool,
    /// A notice recalled by its sender, or homework withdrawn by its teacher.
    pub recalled: bool,
    /// Whether the sender asked for a confirmation or a reply that the caller has not given yet.
    pub awaiting_response: bool,
    /// The caller's children this item concerns.
    pub children: Vec<ChildRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u64,
    /// Unread items awaiting a confirmation or reply.
    pub awaiting_response: u64,
}
