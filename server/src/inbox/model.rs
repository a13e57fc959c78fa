//! Inbox entities: what each item says (its entry), one row per item per recipient, and the
//! children an item concerns.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an inbox item is. Later issues add enrolment, visits and courses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Notice,
    /// A conversation message.
    Message,
    /// Homework of a child's class, announced in the school's daily homework digest.
    Homework,
    /// After-school news about a child: an absence at roll call, an enrolment result.
    Afterschool,
    /// Mentoring news: a home visit proposed, booked, changed or done; a written feedback.
    Mentoring,
    /// Parent-school news: a seat freed for the family on a session's waiting list.
    ParentSchool,
    /// A complaint's progress: to the family that filed it, and to whoever holds it.
    Complaint,
    /// The half-monthly bulletin is out (to the bureau's officers, and each school's part to it).
    Bulletin,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Notice => "notice",
            ItemKind::Message => "message",
            ItemKind::Homework => "homework",
            ItemKind::Afterschool => "afterschool",
            ItemKind::Mentoring => "mentoring",
            ItemKind::ParentSchool => "parent_school",
            ItemKind::Complaint => "complaint",
            ItemKind::Bulletin => "bulletin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "notice" => Some(ItemKind::Notice),
            "message" => Some(ItemKind::Message),
            "homework" => Some(ItemKind::Homework),
            "afterschool" => Some(ItemKind::Afterschool),
            "mentoring" => Some(ItemKind::Mentoring),
            "parent_school" => Some(ItemKind::ParentSchool),
            "complaint" => Some(ItemKind::Complaint),
            "bulletin" => Some(ItemKind::Bulletin),
            _ => None,
        }
    }

    pub const ALL: [ItemKind; 8] = [
        ItemKind::Notice,
        ItemKind::Message,
        ItemKind::Homework,
        ItemKind::Afterschool,
        ItemKind::Mentoring,
        ItemKind::ParentSchool,
        ItemKind::Complaint,
        ItemKind::Bulletin,
    ];
}

/// What an item says, once per item: written by the domain that owns it (see [`super::items`]).
pub mod inbox_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbox_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub ref_id: Uuid,
        pub title: String,
        pub body: String,
        pub sender_name: String,
        pub urgent: bool,
        pub needs_response: bool,
        pub withdrawn: bool,
        pub updated_at: DateTimeUtc,
        /// What the item opens when that is not `ref_id` (a complaint's step: the complaint).
        pub subject_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod inbox_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbox_items")]
    pub struct Model {
        /// Monotonic across the whole inbox table: ordering, cursor and real-time event id.
        #[sea_orm(primary_key)]
        pub seq: i64,
        pub account_id: Uuid,
        pub kind: String,
        pub ref_id: Uuid,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
        pub responded_at: Option<DateTimeUtc>,
        pub response_option: Option<String>,
        pub response_text: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An item to every family of a school, resolved when an inbox is read: one row where a fan-out
/// would write one per recipient (see [`crate::inbox::audiences`]).
pub mod inbox_audience {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbox_audiences")]
    pub struct Model {
        /// A position of the inbox's sequence, reserved when the item went out.
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub kind: String,
        pub ref_id: Uuid,
        pub school_id: Uuid,
        pub created_at: DateTimeUtc,
        /// When every recipient had their state row (and push and email were queued).
        pub expanded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod inbox_item_child {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbox_item_children")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub ref_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub class_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
