//! School-calendar entities.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a day inside a term is, when it is not an ordinary day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// No school.
    #[sea_orm(string_value = "holiday")]
    Holiday,
    /// A weekend day with school (调休), following a weekday's timetable.
    #[sea_orm(string_value = "make_up")]
    MakeUp,
}

pub mod term {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_terms")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub name: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod day {
    use sea_orm::entity::prelude::*;

    use super::DayKind;

    /// One holiday day or make-up day of a term (a holiday range is stored day by day).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub term_id: Uuid,
        pub date: Date,
        pub kind: DayKind,
        pub name: String,
        /// For a make-up day: the weekday (1–5) whose timetable it follows.
        pub follows_weekday: Option<i16>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
