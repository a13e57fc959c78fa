//! Parent-school entities and the domain types they carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a course is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A video or article with a minimum time and an optional quiz; completed when both are met.
    #[sea_orm(string_value = "online")]
    Online,
    /// Sessions at a time and place: registration, then check-in with the organiser's code.
    #[sea_orm(string_value = "offline")]
    Offline,
    /// 亲子实践: something the family does together and confirms with one tap.
    #[sea_orm(string_value = "practice")]
    Practice,
}

/// Where a family's registration for an offline session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Has a seat.
    #[sea_orm(string_value = "registered")]
    Registered,
    /// On the waiting list: takes the first seat freed.
    #[sea_orm(string_value = "waiting")]
    Waiting,
    /// The family withdrew.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// How an attendance was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum AttendanceMethod {
    /// The guardian checked in with the code the organiser showed.
    #[sea_orm(string_value = "code")]
    Code,
    /// The organiser marked the guardian present.
    #[sea_orm(string_value = "marked")]
    Marked,
}

/// The event a credit entry comes from (`PS_CREDITS`): never a click, always evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An online course completed (time floor and quiz met).
    #[sea_orm(string_value = "online")]
    Online,
    /// Attendance at an offline session.
    #[sea_orm(string_value = "offline")]
    Offline,
    /// Attendance at a parent meeting.
    #[sea_orm(string_value = "meeting")]
    Meeting,
    /// A practice activity the family confirmed.
    #[sea_orm(string_value = "practice")]
    Practice,
    /// An award or correction by the school, with its written reason.
    #[sea_orm(string_value = "manual")]
    Manual,
    /// Undoes one earlier entry, with its reason.
    #[sea_orm(string_value = "reversal")]
    Reversal,
}

pub mod course {
    use sea_orm::entity::prelude::*;

    use super::Format;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_courses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        /// `None`: a district course every school of the district may use.
        pub school_id: Option<Uuid>,
        pub title: String,
        pub description: String,
        /// "1,2"; empty for every grade.
        pub grades: String,
        /// A JSON array of tags.
        pub topics: String,
        pub credits: i16,
        pub format: Format,
        pub required: bool,
        pub content_url: Option<String>,
        pub min_minutes: Option<i16>,
        /// A JSON array of [`crate::parent_school::rules::Question`].
        pub quiz: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub course_id: Uuid,
        /// The school running it (a district course is run by each school that schedules it).
        pub school_id: Uuid,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub place: String,
        pub capacity: i32,
        pub code_secret: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// When the day-before reminder went out (claimed by the job that sent it).
        pub reminded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod registration {
    use sea_orm::entity::prelude::*;

    use super::RegistrationStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_registrations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub session_id: Uuid,
        pub student_id: Uuid,
        pub registered_by: Uuid,
        pub status: RegistrationStatus,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attendance {
    use sea_orm::entity::prelude::*;

    use super::AttendanceMethod;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub session_id: Uuid,
        pub guardian_account_id: Uuid,
        pub student_id: Uuid,
        pub method: AttendanceMethod,
        pub recorded_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_online_progress")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub course_id: Uuid,
        pub guardian_account_id: Uuid,
        pub student_id: Uuid,
        pub started_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod entry {
    use sea_orm::entity::prelude::*;

    use super::Source;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_credit_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        /// `primary` or `junior`: the child's stage when it was earned.
        pub stage: String,
        pub course_id: Option<Uuid>,
        pub source: Source,
        pub evidence: String,
        pub credits: i16,
        pub reason: Option<String>,
        pub earned_by: Option<Uuid>,
        pub recorded_by: Uuid,
        pub reverses: Option<Uuid>,
        pub once_key: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod graduation_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_graduation_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        /// `primary` or `junior`.
        pub stage: String,
        pub version: i32,
        pub credits: i16,
        /// Comma-separated course ids.
        pub required_course_ids: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod certificate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_certificates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: String,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub stage: String,
        pub school_year: i32,
        pub version: i32,
        pub supersedes: Option<Uuid>,
        pub rule_id: Option<Uuid>,
        pub rule_version: Option<i32>,
        pub credits: i32,
        pub reason: Option<String>,
        pub guardian_names_masked: String,
        pub issued_by: Uuid,
        pub issued_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoke_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who a parent meeting is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum MeetingScope {
    /// One class (its class teacher or an admin schedules it).
    #[sea_orm(string_value = "class")]
    Class,
    /// One grade (an admin).
    #[sea_orm(string_value = "grade")]
    Grade,
    /// The whole school (an admin).
    #[sea_orm(string_value = "school")]
    School,
}

pub mod meeting {
    use sea_orm::entity::prelude::*;

    use super::MeetingScope;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_meetings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub scope: MeetingScope,
        pub class_id: Option<Uuid>,
        pub grade: Option<i16>,
        pub title: String,
        pub agenda: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub place: String,
        pub credits: i16,
        pub code_secret: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        /// When the day-before reminder went out (claimed by the job that sent it).
        pub reminded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting_attendance {
    use sea_orm::entity::prelude::*;

    use super::AttendanceMethod;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_meeting_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub meeting_id: Uuid,
        pub guardian_account_id: Uuid,
        pub student_id: Uuid,
        pub method: AttendanceMethod,
        pub recorded_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod rating {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_course_ratings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub course_id: Uuid,
        pub guardian_account_id: Uuid,
        pub school_id: Uuid,
        pub rating: i16,
        pub rated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reflection {
    use sea_orm::entity::prelude::*;

    /// A guardian's words on a practice activity done with a child (one per guardian, child and
    /// course: rewriting replaces them).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ps_reflections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub course_id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub guardian_account_id: Uuid,
        pub text: String,
        pub written_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
