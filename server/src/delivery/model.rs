//! Delivery entities: devices, preferences, school messaging settings and the outbox.

pub mod device {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "devices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub platform: String,
        pub token: String,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod preference {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_preferences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub account_id: Uuid,
        pub locale: String,
        /// JSON array of item kinds.
        pub push_kinds: String,
        pub email_kinds: String,
        pub daily_digest: bool,
        /// `HH:MM` the family chose for its digests; `None`: its children's schools' earliest.
        pub digest_time: Option<String>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school_settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub school_id: Uuid,
        pub quiet_start: String,
        pub quiet_end: String,
        pub office_hours_start: Option<String>,
        pub office_hours_end: Option<String>,
        pub digest_time: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod delivery {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "deliveries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub seq: i64,
        pub account_id: Uuid,
        pub kind: String,
        pub ref_id: Uuid,
        pub round: i32,
        pub urgent: bool,
        pub held_for_digest: bool,
        pub created_at: DateTimeUtc,
        pub deliver_after: DateTimeUtc,
        pub next_attempt_at: DateTimeUtc,
        pub attempts: i32,
        pub locked_until: Option<DateTimeUtc>,
        pub push_done_at: Option<DateTimeUtc>,
        pub email_done_at: Option<DateTimeUtc>,
        pub delivered_at: Option<DateTimeUtc>,
        pub failed_at: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        /// The school the item speaks for (null on rows queued before it was recorded).
        pub school_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
