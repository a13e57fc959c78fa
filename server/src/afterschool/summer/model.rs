//! Summer care storage: sites, their weekly blocks and the children enrolled week by week.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a child stands in a week of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum WeekStatus {
    /// Has a place that week.
    #[sea_orm(string_value = "enrolled")]
    Enrolled,
    /// Waits for a place; promoted in order of arrival when one frees.
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Given back before the week started.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

pub mod site {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "summer_sites")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        /// A school's site serves its own children; none: a community site of the district.
        pub school_id: Option<Uuid>,
        pub name: String,
        pub address: String,
        /// `1,2,3`: the grades it takes (empty: every grade).
        pub grades: String,
        pub start_minute: i16,
        pub end_minute: i16,
        /// Per week, in fen (0: free).
        pub fee_fen: i64,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod week {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "summer_weeks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub site_id: Uuid,
        /// The Monday the week starts on (care runs Monday to Friday).
        pub starts_on: Date,
        pub capacity: i32,
        pub seats_taken: i32,
        pub tickets_issued: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod enrolment {
    use sea_orm::entity::prelude::*;

    use super::WeekStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "summer_enrolments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub week_id: Uuid,
        pub student_id: Uuid,
        pub status: WeekStatus,
        pub ticket: i64,
        pub requested_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
