//! The guard's counts: one row per rule per refused attempt or per send confirmed after review.
//! Only aggregates are read.

pub mod policy_block {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "policy_blocks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub rule: String,
        pub channel: String,
        pub district_id: Option<Uuid>,
        pub school_id: Option<Uuid>,
        /// The sender's local date (the school's, else the district's).
        pub date: Date,
        /// `blocked`, or `sent_after_review` (a held send its sender confirmed).
        pub outcome: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
