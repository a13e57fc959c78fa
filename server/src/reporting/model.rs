//! Reporting's own tables: the settings a district's bureau keeps (k, the bulletin's targets) and
//! the bulletins issued, and the dashboard snapshots the refresh job keeps.

pub mod settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "district_reporting_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub district_id: Uuid,
        pub k: i16,
        pub homework_over_cap_percent: i16,
        pub complaints_overdue: i16,
        pub mentoring_behind_points: i16,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bulletin {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bulletins")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        pub period_start: Date,
        pub period_end: Date,
        /// [`crate::reporting::dto::BulletinBody`] as JSON.
        pub content: String,
        pub issued_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod snapshot {
    use sea_orm::entity::prelude::*;

    /// The district dashboard's default view as the refresh job last computed it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "dashboard_snapshots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub district_id: Uuid,
        pub k: i16,
        /// [`crate::reporting::service::snapshot::Figures`] as JSON.
        pub content: String,
        pub computed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
