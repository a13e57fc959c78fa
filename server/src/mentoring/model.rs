//! Mentoring entities and the domain types they carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long the three tasks have: a term (default) or a school year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    #[sea_orm(string_value = "term")]
    Term,
    #[sea_orm(string_value = "year")]
    Year,
}

/// How students get their mentors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// The school assigns, starting from the proposal the system computes.
    #[default]
    #[sea_orm(string_value = "assign")]
    Assign,
    /// 双向选择: families rank mentors, mentors accept up to their cap, the proposal fills the rest.
    #[sea_orm(string_value = "two_way")]
    TwoWay,
}

/// The three things a mentor does for each student each period (`MT_THREE_TASKS`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// 家访: a home visit (or, if the family declines, another mode).
    #[sea_orm(string_value = "visit")]
    Visit,
    /// 交心谈话: a heart-to-heart talk at a key moment.
    #[sea_orm(string_value = "talk")]
    Talk,
    /// 书面反馈 / 成长寄语: a written feedback to the family.
    #[sea_orm(string_value = "feedback")]
    Feedback,
}

impl Task {
    pub const ALL: [Task; 3] = [Task::Visit, Task::Talk, Task::Feedback];
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Still owed.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// A time is booked.
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    /// Done (a home visit: at the family's home).
    #[sea_orm(string_value = "done")]
    Done,
    /// Done online (云家访, video or phone).
    #[sea_orm(string_value = "done_online")]
    DoneOnline,
    /// Done at school.
    #[sea_orm(string_value = "done_at_school")]
    DoneAtSchool,
    /// The family declined a home visit; the mentor offers another mode.
    #[sea_orm(string_value = "declined")]
    Declined,
    /// Waived by the school's admin, with a reason.
    #[sea_orm(string_value = "waived")]
    Waived,
}

impl TaskStatus {
    /// Whether the task still asks something of the mentor.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Pending | TaskStatus::Scheduled | TaskStatus::Declined)
    }
}

pub mod settings {
    use sea_orm::entity::prelude::*;

    use super::{MatchMode, Period};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentoring_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub school_id: Uuid,
        /// The grades taking part, "7,8,9".
        pub grades: String,
        pub period: Period,
        /// Most mentees per mentor.
        pub cap: i16,
        pub mode: MatchMode,
        /// Minutes kept free between two home visits of a mentor.
        pub visit_buffer_minutes: i16,
        /// Most home visits a mentor makes in a day.
        pub max_visits_per_day: i16,
        pub updated_at: DateTimeUtc,
        pub updated_by: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::org::model::school::Entity",
            from = "Column::SchoolId",
            to = "crate::org::model::school::Column::Id"
        )]
        School,
    }

    impl Related<crate::org::model::school::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::School.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment {
    use sea_orm::entity::prelude::*;

    /// A student's mentor from `assigned_at` until `ended_at` (none: now). A reassignment ends the
    /// row and starts another, so the history stays.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_assignments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub mentor_account_id: Uuid,
        /// Set by the admin on purpose (a special-needs student, say): the proposal keeps it.
        pub pinned: bool,
        pub assigned_at: DateTimeUtc,
        pub assigned_by: Uuid,
        pub ended_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod obligation {
    use sea_orm::entity::prelude::*;

    use super::{Task, TaskStatus};

    /// What a student is owed for one task in one period; it stays with the student when the
    /// mentor changes, so the new mentor inherits what is open.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_obligations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub period_starts_on: Date,
        pub period_ends_on: Date,
        pub task: Task,
        pub status: TaskStatus,
        /// Why it was waived or declined.
        pub reason: Option<String>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How a visit is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum VisitMode {
    /// At the family's home (the family gives the address for this visit).
    #[sea_orm(string_value = "home")]
    Home,
    /// At school.
    #[sea_orm(string_value = "school")]
    School,
    /// 云家访 by video.
    #[sea_orm(string_value = "video")]
    Video,
    #[sea_orm(string_value = "phone")]
    Phone,
}

impl VisitMode {
    /// What a visit held this way completes the visit task as.
    pub fn done_status(self) -> TaskStatus {
        match self {
            VisitMode::Home => TaskStatus::Done,
            VisitMode::School => TaskStatus::DoneAtSchool,
            VisitMode::Video | VisitMode::Phone => TaskStatus::DoneOnline,
        }
    }
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// Windows offered; `awaiting` says who answers.
    #[sea_orm(string_value = "proposed")]
    Proposed,
    /// A time is booked.
    #[sea_orm(string_value = "booked")]
    Booked,
    /// The family declined this visit (the mentor may offer another mode).
    #[sea_orm(string_value = "declined")]
    Declined,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// The mentor recorded it done; the family has not yet confirmed.
    #[sea_orm(string_value = "done")]
    Done,
    /// The family confirmed it happened: the proof the bureau counts.
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    /// The family says it did not happen: flagged to the school's admins.
    #[sea_orm(string_value = "disputed")]
    Disputed,
}

/// Who must answer a visit's standing windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    #[sea_orm(string_value = "family")]
    Family,
    #[sea_orm(string_value = "mentor")]
    Mentor,
}

/// One change in a visit's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum VisitEventKind {
    #[sea_orm(string_value = "proposed")]
    Proposed,
    #[sea_orm(string_value = "counter")]
    CounterProposed,
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "declined")]
    Declined,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "done")]
    Done,
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "disputed")]
    Disputed,
}

pub mod visit {
    use sea_orm::entity::prelude::*;

    use super::{Awaiting, VisitMode, VisitStatus};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "home_visits")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub mentor_account_id: Uuid,
        /// A second teacher who comes too (their calendar is checked as well).
        pub co_visitor_account_id: Option<Uuid>,
        pub mode: VisitMode,
        pub status: VisitStatus,
        pub awaiting: Awaiting,
        pub starts_at: Option<DateTimeUtc>,
        pub ends_at: Option<DateTimeUtc>,
        /// The family's address for this visit: only the visiting teachers see it; erased 7 days after.
        pub address: Option<String>,
        pub address_erased_at: Option<DateTimeUtc>,
        pub period_starts_on: Date,
        pub done_mode: Option<VisitMode>,
        pub duration_minutes: Option<i16>,
        pub confirmed_at: Option<DateTimeUtc>,
        pub reminded_day_before: bool,
        pub reminded_hour_before: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod visit_window {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "home_visit_windows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub visit_id: Uuid,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod visit_event {
    use sea_orm::entity::prelude::*;

    use super::VisitEventKind;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "home_visit_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub visit_id: Uuid,
        pub at: DateTimeUtc,
        pub by_account_id: Uuid,
        pub kind: VisitEventKind,
        pub reason: Option<String>,
        pub starts_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What a talk was about (交心谈话).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum TalkTopic {
    /// 学习
    #[sea_orm(string_value = "study")]
    Study,
    /// 情绪
    #[sea_orm(string_value = "emotion")]
    Emotion,
    /// 人际
    #[sea_orm(string_value = "peers")]
    Peers,
    /// 家庭
    #[sea_orm(string_value = "family")]
    Family,
    /// 生涯
    #[sea_orm(string_value = "career")]
    Career,
    /// 其他
    #[sea_orm(string_value = "other")]
    Other,
}

pub mod talk {
    use sea_orm::entity::prelude::*;

    use super::TalkTopic;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_talks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub mentor_account_id: Uuid,
        pub held_on: Date,
        pub topic: TalkTopic,
        /// Shared with the family (passed the content guard).
        pub summary: Option<String>,
        /// Only the mentor and the school's safeguarding staff: never exported, never the bureau's.
        pub confidential_note: Option<String>,
        pub period_starts_on: Date,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod feedback {
    use sea_orm::entity::prelude::*;

    /// A written feedback (成长寄语) to the family, who acknowledge it and may answer.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_feedback")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub mentor_account_id: Uuid,
        pub body: String,
        pub period_starts_on: Date,
        pub created_at: DateTimeUtc,
        pub acknowledged_at: Option<DateTimeUtc>,
        pub acknowledged_by: Option<Uuid>,
        /// The family's own message back (the third tier of notes).
        pub family_message: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod concern {
    use sea_orm::entity::prelude::*;

    /// A mentor's concern about a student: for the school's safeguarding staff only.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_concerns")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub raised_by: Uuid,
        pub note: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod safeguarding {
    use sea_orm::entity::prelude::*;

    /// A staff member the school designated to read confidential notes and receive concerns.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safeguarding_staff")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub account_id: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod profile {
    use sea_orm::entity::prelude::*;

    /// A teacher's short profile, which families read when they choose a mentor.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_profiles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub account_id: Uuid,
        pub profile: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A mentor's answer to a family's choice (two-way choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
#[serde(rename_all = "snake_case")]
pub enum ChoiceAnswer {
    /// The mentor takes the student (within their cap): the proposal honours it first.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// The mentor does not: the family's next choice counts instead.
    #[sea_orm(string_value = "declined")]
    Declined,
}

pub mod choice {
    use sea_orm::entity::prelude::*;

    use super::ChoiceAnswer;

    /// A family's choice of a mentor for their child, at a rank (1 first).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_choices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub rank: i16,
        pub mentor_account_id: Uuid,
        pub chosen_by: Uuid,
        pub created_at: DateTimeUtc,
        /// The mentor's answer; `None` until they give one.
        pub answer: Option<ChoiceAnswer>,
        pub answered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod period_reminder {
    use sea_orm::entity::prelude::*;

    /// A reminder sent to a mentor `days_before` the end of a period (each once).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mentor_period_reminders")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub mentor_account_id: Uuid,
        pub period_starts_on: Date,
        pub days_before: i16,
        pub sent_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
