//! What the app sends and sees of notices.

use super::draft;
use crate::http::constraints::{FieldRule, Rule};
use crate::org::model::{FIRST_GRADE, LAST_GRADE};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{RecipientKind, ResponseMode, SenderRole};
pub use crate::org::dto::ChildRef;

/// Who a notice goes to. A school admin: the whole school (nothing given), chosen `grades` and/or
/// `class_ids`. A teacher: `class_ids` they teach. Either may add individual `guardian_ids` of
/// their pupils. A bureau officer: the staff of `school_ids` in the district (all when omitted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AudienceSpec {
    #[serde(default)]
    pub school_ids: Vec<Uuid>,
    #[serde(default)]
    pub grades: Vec<i16>,
    #[serde(default)]
    pub class_ids: Vec<Uuid>,
    #[serde(default)]
    pub guardian_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    pub audience: AudienceSpec,
    /// Which school to send as, for staff of several schools.
    pub school_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    /// Accounts that would receive it (a guardian of two children counts once).
    pub recipient_count: u64,
    /// Children concerned (family notices).
    pub child_count: u64,
    pub recipient_kind: RecipientKind,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateNoticeRequest {
    /// 1–100 characters.
    pub title: String,
    /// 1–5,000 characters.
    pub body: String,
    pub audience: AudienceSpec,
    pub response_mode: ResponseMode,
    /// For `reply`: 2–10 distinct options of at most 20 characters, e.g. `["参加", "不参加"]`.
    #[serde(default)]
    pub options: Vec<String>,
    /// Responses are accepted until then; reminders go out before it.
    pub deadline: Option<DateTime<Utc>>,
    /// Send later (scheduled); omitted or past: send now.
    pub send_at: Option<DateTime<Utc>>,
    /// Safety or weather: bypasses quiet hours. School admins only.
    #[serde(default)]
    pub urgent: bool,
    /// Which school to send as, for staff of several schools.
    pub school_id: Option<Uuid>,
    /// Rule ids the sender confirms after a `content_needs_review` answer (its
    /// `details.confirm_review`): "this does not break it". Covers the guard's `review` findings
    /// only; a `block` finding is refused whatever is confirmed.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// The caller's own answer to a notice.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyResponse {
    pub read_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub option: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    pub id: Uuid,
    pub title: String,
    /// Null once recalled.
    pub body: Option<String>,
    pub sender_name: String,
    pub sender_role: SenderRole,
    pub school_id: Option<Uuid>,
    pub response_mode: ResponseMode,
    pub options: Vec<String>,
    pub deadline: Option<DateTime<Utc>>,
    pub urgent: bool,
    pub recipient_kind: RecipientKind,
    /// When it was (or will be) sent.
    pub send_at: DateTime<Utc>,
    /// Null while scheduled.
    pub sent_at: Option<DateTime<Utc>>,
    pub recalled: bool,
    pub recalled_at: Option<DateTime<Utc>>,
    /// Children this notice concerns (for a guardian: theirs only).
    pub children: Vec<ChildRef>,
    /// The caller's answer, when the caller is a recipient.
    pub me: Option<MyResponse>,
    /// Shown to the sender and the school's admins.
    pub recipient_count: Option<i32>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyRequest {
    /// One of the notice's options.
    pub option: String,
    /// Optional short text, at most 200 characters.
    pub text: Option<String>,
}

/// A recipient in a receipt list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientRef {
    pub account_id: Uuid,
    pub name: String,
    /// The children (in this class) through whom they receive it.
    pub children: Vec<String>,
}

/// One class's receipts; its name lists are filled only when the answer's `names_included`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassReceipts {
    pub class_id: Uuid,
    pub grade: i16,
    pub number: i16,
    pub recipients: u64,
    pub read: u64,
    pub responded: u64,
    /// Who has read it.
    pub read_by: Vec<RecipientRef>,
    pub unread: Vec<RecipientRef>,
    /// Who has confirmed or replied (confirm and reply notices).
    pub responded_by: Vec<RecipientRef>,
    /// Read but not confirmed or replied (confirm and reply notices).
    pub not_responded: Vec<RecipientRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionCount {
    pub option: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipts {
    pub notice_id: Uuid,
    pub response_mode: ResponseMode,
    pub recipient_count: u64,
    pub read: u64,
    pub unread: u64,
    pub responded: u64,
    pub not_responded: u64,
    pub replies: Vec<OptionCount>,
    /// Family notices: per class.
    pub classes: Vec<ClassReceipts>,
    /// Staff notices: who has not read it yet.
    pub staff_unread: Vec<RecipientRef>,
    /// Whether the classes' name lists are filled: for a notice to one class, or for the class
    /// asked for with `?class_id=`. A notice to several classes answers their counts only; ask
    /// for each class's names with `?class_id=`.
    pub names_included: bool,
}

/// Which class's names receipts list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptsQuery {
    /// One of the notice's classes: its receipts with the names of who has and has not read,
    /// confirmed or replied.
    pub class_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reminded {
    /// How many recipients (who had not read or answered) will be reminded.
    pub reminded: u64,
}

/// The limits the parser enforces on these requests (`draft.rs`, `audience.rs`), for the API document.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("CreateNoticeRequest", "title", Rule::Text { max: draft::TITLE_MAX_CHARS }),
    FieldRule::new("CreateNoticeRequest", "body", Rule::Text { max: draft::BODY_MAX_CHARS }),
    FieldRule::new("CreateNoticeRequest", "options", Rule::Text { max: draft::OPTION_MAX_CHARS }),
    FieldRule::new(
        "CreateNoticeRequest",
        "options",
        Rule::Items { min: 0, max: Some(*draft::OPTIONS.end()), unique: true },
    ),
    FieldRule::new("AudienceSpec", "grades", Rule::Range { min: FIRST_GRADE as i64, max: LAST_GRADE as i64 }),
    FieldRule::new("ReplyRequest", "option", Rule::Text { max: draft::OPTION_MAX_CHARS }),
    FieldRule::new("ReplyRequest", "text", Rule::MaxChars(draft::REPLY_TEXT_MAX_CHARS)),
];
