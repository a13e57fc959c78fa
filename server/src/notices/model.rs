//! The notice entity and its vocabularies.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How recipients answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// Opening it is enough.
    #[sea_orm(string_value = "read")]
    Read,
    /// One-tap acknowledgement (收到).
    #[sea_orm(string_value = "confirm")]
    Confirm,
    /// A choice among the sender's options, with an optional short text.
    #[sea_orm(string_value = "reply")]
    Reply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum SenderRole {
    #[sea_orm(string_value = "school_admin")]
    SchoolAdmin,
    #[sea_orm(string_value = "teacher")]
    Teacher,
    #[sea_orm(string_value = "bureau_officer")]
    BureauOfficer,
}

/// Families (school notices) or staff (bureau notices to schools).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    #[sea_orm(string_value = "family")]
    Family,
    #[sea_orm(string_value = "staff")]
    Staff,
}

pub mod notice {
    use sea_orm::entity::prelude::*;

    use super::{RecipientKind, ResponseMode, SenderRole};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        pub school_id: Option<Uuid>,
        pub sender_account_id: Uuid,
        pub sender_name: String,
        pub sender_role: SenderRole,
        pub title: String,
        pub body: String,
        pub response_mode: ResponseMode,
        /// JSON array of strings.
        pub options: String,
        /// JSON of the audience as asked for.
        pub audience: String,
        pub recipient_kind: RecipientKind,
        pub school_wide: bool,
        pub urgent: bool,
        pub deadline: Option<DateTimeUtc>,
        pub send_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        pub recipient_count: i32,
        pub recalled_at: Option<DateTimeUtc>,
        pub last_reminded_at: Option<DateTimeUtc>,
        pub deadline_reminded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    impl Model {
        pub fn options(&self) -> Vec<String> {
            serde_json::from_str(&self.options).unwrap_or_default()
        }
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
