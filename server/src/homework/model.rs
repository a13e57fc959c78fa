//! Homework entities and the domain types they carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the pupil does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum HomeworkKind {
    /// 书面作业: the only kind the daily cap counts.
    #[sea_orm(string_value = "written")]
    Written,
    #[sea_orm(string_value = "oral")]
    Oral,
    #[sea_orm(string_value = "reading")]
    Reading,
    #[sea_orm(string_value = "practice")]
    Practice,
    #[sea_orm(string_value = "activity")]
    Activity,
    #[sea_orm(string_value = "project")]
    Project,
}

/// Layered homework (分层作业, `HW_LAYERED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    #[sea_orm(string_value = "basic")]
    Basic,
    #[sea_orm(string_value = "extended")]
    Extended,
    /// Labelled optional to families; never counts toward the daily cap.
    #[sea_orm(string_value = "optional")]
    Optional,
}

/// Where it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// During the after-school service (`HW_AT_SCHOOL`).
    #[sea_orm(string_value = "school")]
    School,
    #[sea_orm(string_value = "home")]
    Home,
}

/// What a revision recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Change {
    #[sea_orm(string_value = "posted")]
    Posted,
    #[sea_orm(string_value = "edited")]
    Edited,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

pub mod homework {
    use sea_orm::entity::prelude::*;

    use super::{HomeworkKind, Location, Tier};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "homework")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub class_id: Uuid,
        pub teacher_account_id: Uuid,
        pub teacher_name: String,
        pub subject: String,
        pub title: String,
        pub content: String,
        pub kind: HomeworkKind,
        pub tier: Tier,
        pub location: Location,
        pub estimated_minutes: i32,
        pub date: Date,
        pub revision: i32,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod revision {
    use sea_orm::entity::prelude::*;

    use super::{Change, HomeworkKind, Location, Tier};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "homework_revisions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub homework_id: Uuid,
        pub revision: i32,
        pub change: Change,
        pub editor_account_id: Uuid,
        pub subject: String,
        pub title: String,
        pub content: String,
        pub kind: HomeworkKind,
        pub tier: Tier,
        pub location: Location,
        pub estimated_minutes: i32,
        pub date: Date,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod feedback {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "homework_feedback")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub homework_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub reporter_account_id: Uuid,
        pub minutes: i32,
        pub reported_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod district_settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "district_homework_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub district_id: Uuid,
        pub primary_cap_minutes: i32,
        pub junior_cap_minutes: i32,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
