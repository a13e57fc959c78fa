//! After-school entities and the domain types they carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether families can see and enrol in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Saved by the school; may break the rules; families do not see it.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Checked against every plan rule; families see it and enrol.
    #[sea_orm(string_value = "published")]
    Published,
}

/// The three kinds of service time a school may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// 基础托管: homework guidance and tutoring, open to every child who wishes to stay.
    #[sea_orm(string_value = "basic")]
    Basic,
    /// 延时托管: later care for families who apply (`AS_EXTENDED_CARE`).
    #[sea_orm(string_value = "extended")]
    Extended,
    /// 晚自习: junior grades only, ending by 20:30 (`AS_EVENING_STUDY`).
    #[sea_orm(string_value = "evening")]
    Evening,
}

/// What an activity is (`AS_NO_NEW_LESSONS`: never a lesson of new content).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 作业辅导
    #[sea_orm(string_value = "homework_guidance")]
    HomeworkGuidance,
    /// 科普
    #[sea_orm(string_value = "science")]
    Science,
    /// 文体
    #[sea_orm(string_value = "sports")]
    Sports,
    /// 艺术
    #[sea_orm(string_value = "arts")]
    Arts,
    /// 劳动
    #[sea_orm(string_value = "labour")]
    Labour,
    /// 阅读
    #[sea_orm(string_value = "reading")]
    Reading,
    /// 兴趣小组
    #[sea_orm(string_value = "interest_group")]
    InterestGroup,
    /// 社团
    #[sea_orm(string_value = "club")]
    Club,
}

/// Who runs an activity (`AS_PROVIDERS`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    #[sea_orm(string_value = "school_teacher")]
    SchoolTeacher,
    #[sea_orm(string_value = "retired_teacher")]
    RetiredTeacher,
    #[sea_orm(string_value = "professional")]
    Professional,
    #[sea_orm(string_value = "volunteer")]
    Volunteer,
    /// An outside institution: must be on the district's white list.
    #[sea_orm(string_value = "institution")]
    Institution,
}

/// Where an institution stands on its district's white list today (`AS_PROVIDERS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderStanding {
    /// Listed and valid today.
    Listed,
    /// Listed from a later date.
    NotYetValid,
    /// Its listing ended: the school is to replace it or ask the bureau to renew it.
    Expired,
    /// Taken off the list by the bureau.
    Removed,
}

/// How an activity is paid for (`AS_FEES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    #[sea_orm(string_value = "free")]
    Free,
    /// Part paid by public subsidy; the family pays `amount_fen`.
    #[sea_orm(string_value = "subsidised")]
    Subsidised,
    /// 服务性收费
    #[sea_orm(string_value = "service_fee")]
    ServiceFee,
    /// 代收费: collected on behalf of the provider.
    #[sea_orm(string_value = "collected")]
    Collected,
}

/// What an activity's amount pays for (`AS_FEES`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
pub enum FeePer {
    /// The whole term; a child who joins late pays for the sessions left, pro rata.
    #[default]
    #[sea_orm(string_value = "term")]
    Term,
    /// Each session the child is enrolled for.
    #[sea_orm(string_value = "session")]
    Session,
}

/// One line of a child's fee account (`AS_FEES`). Entries are never edited; a correction is a
/// new entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum FeeEntryKind {
    /// The fee for the sessions ahead, when the child took a seat.
    #[sea_orm(string_value = "charge")]
    Charge,
    /// The school's waiver (减免) of a share of the charges (negative: a waiver lowered).
    #[sea_orm(string_value = "waiver")]
    Waiver,
    /// Taken off the charges at withdrawal for the sessions not yet held (the refund rule).
    #[sea_orm(string_value = "credit")]
    Credit,
    /// Money the school received from the family (marked by the school; no payment gateway).
    #[sea_orm(string_value = "payment")]
    Payment,
    /// Money the school paid back to the family.
    #[sea_orm(string_value = "refund")]
    Refund,
}

/// How an activity's seats are given out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    /// Seats taken at once, in order of arrival; never oversold; then a wait list.
    #[sea_orm(string_value = "first_come")]
    FirstCome,
    /// Families apply with ranked choices; a seeded draw allocates when the window closes.
    #[sea_orm(string_value = "lottery")]
    Lottery,
}

/// Where a child stands in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Has a seat.
    #[sea_orm(string_value = "enrolled")]
    Enrolled,
    /// Waits for a seat; promoted in order of arrival when one frees.
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Applied to a lottery activity; the draw decides.
    #[sea_orm(string_value = "applied")]
    Applied,
    /// Left the activity (退课).
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
    /// The activity was cancelled (below its minimum size when enrolment closed, say).
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// Where a family's extended-care application stands (`AS_EXTENDED_CARE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum ExtendedCareStatus {
    /// Waiting for the school.
    #[sea_orm(string_value = "applied")]
    Applied,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "declined")]
    Declined,
    /// Withdrawn by the family.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// Where a plan's enrolment stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentPhase {
    /// The window opens later.
    NotOpen,
    /// Families enrol and apply (no window set: open while the plan is published).
    Open,
    /// The add/drop round: the seats left go first-come, lottery activities included.
    AddDrop,
    /// The rosters are locked: no new enrolment (withdrawal stays possible: the service is voluntary).
    Locked,
}

/// A child's mark in one day's roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum RollStatus {
    #[sea_orm(string_value = "present")]
    Present,
    /// Expected and not there: without a leave report, the family is alerted at once.
    #[sea_orm(string_value = "absent")]
    Absent,
    /// Absent with leave (请假), reported by the family or noted by the teacher.
    #[sea_orm(string_value = "leave")]
    Leave,
}

/// Whom a child was released to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
pub enum ReleasedTo {
    /// A linked guardian, `pickup` links included.
    #[sea_orm(string_value = "guardian")]
    Guardian,
    /// A one-time delegate a full guardian named for the day.
    #[sea_orm(string_value = "delegate")]
    Delegate,
    /// Walked home alone, with a guardian's standing consent.
    #[sea_orm(string_value = "alone")]
    Alone,
}

pub mod plan {
    use sea_orm::entity::prelude::*;

    use super::PlanStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_plans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub term_start: Date,
        pub term_end: Date,
        pub status: PlanStatus,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
        /// The enrolment window (none set: enrolment is open while the plan is published).
        pub enrolment_opens_at: Option<DateTimeUtc>,
        pub enrolment_closes_at: Option<DateTimeUtc>,
        /// The end of the add/drop round for the seats left; then the rosters lock.
        pub add_drop_closes_at: Option<DateTimeUtc>,
        /// When the first round's close ran (lottery drawn, small activities cancelled).
        pub enrolment_closed_at: Option<DateTimeUtc>,
        /// Most elective sessions a week per child (the draw and first-come seats keep it).
        pub weekly_limit: Option<i16>,
        /// The draw puts first the children who got none of their choices last term.
        pub none_last_term_first: bool,
        /// The draw keeps siblings together.
        pub siblings_together: bool,
        /// How long a family promoted from the wait list may give the seat back with everything
        /// refunded (none: `rules::DEFAULT_DECLINE_HOURS`).
        pub decline_hours: Option<i16>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    use super::SessionKind;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub plan_id: Uuid,
        pub weekday: i16,
        pub kind: SessionKind,
        pub start_minute: i32,
        pub end_minute: i32,
        pub grades: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    use sea_orm::entity::prelude::*;

    use super::{Allocation, Category, FeeKind, FeePer, ProviderKind};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_activities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub plan_id: Uuid,
        pub school_id: Uuid,
        pub name: String,
        pub category: Category,
        pub description: String,
        pub weekdays: String,
        pub start_minute: i32,
        pub end_minute: i32,
        pub grades: String,
        pub room: Option<String>,
        pub capacity: i32,
        pub min_size: i32,
        pub seats_taken: i32,
        pub tickets_issued: i64,
        pub in_charge_account_id: Option<Uuid>,
        pub provider_kind: ProviderKind,
        pub provider_name: String,
        /// The white-list entry of an institution (`AS_PROVIDERS`).
        pub provider_id: Option<Uuid>,
        pub fee_kind: FeeKind,
        pub fee_amount_fen: i64,
        pub fee_per: FeePer,
        pub allocation: Allocation,
        pub cancelled_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod enrolment {
    use sea_orm::entity::prelude::*;

    use super::EnrolmentStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_enrolments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub activity_id: Uuid,
        pub student_id: Uuid,
        pub status: EnrolmentStatus,
        pub choice_rank: Option<i16>,
        pub ticket: i64,
        pub requested_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Promoted from the wait list: until then the family may decline the seat with
        /// everything refunded. Any later change of status clears it.
        pub decline_by: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod basic_choice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_basic_choices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub plan_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub effective_from: Date,
        pub opted_in: bool,
        pub weekdays: String,
        pub chosen_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod district_settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "district_afterschool_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub district_id: Uuid,
        pub off_work_minute: i32,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attendance {
    use sea_orm::entity::prelude::*;

    use super::RollStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub activity_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub status: RollStatus,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
        pub alerted: bool,
        /// Present and not signed out when the session was over: the school was told.
        pub escalated: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod leave {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_leave")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        pub reason: String,
        pub reported_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod pickup_code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_pickup_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub student_id: Uuid,
        pub date: Date,
        pub code: String,
        pub guardian_id: Option<Uuid>,
        pub delegate_name: Option<String>,
        pub delegate_phone: Option<String>,
        pub issued_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod walk_alone {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_walk_alone")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub consent: bool,
        pub consented_by: Uuid,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sign_out {
    use sea_orm::entity::prelude::*;

    use super::ReleasedTo;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_sign_outs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub activity_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub released_to: ReleasedTo,
        pub adult_name: String,
        pub verified_by: String,
        pub signed_out_by: Uuid,
        pub signed_out_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One draw of a plan's lottery activities: the seed and algorithm published to the school.
pub mod draw {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_draws")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub plan_id: Uuid,
        pub seed: String,
        pub algorithm: String,
        pub applications: i32,
        pub enrolled: i32,
        pub waitlisted: i32,
        pub drawn_by: Uuid,
        pub drawn_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An outside institution on a district's white list (`AS_PROVIDERS`), kept after removal so that
/// what an activity named stays readable.
pub mod provider {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_providers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        pub name: String,
        /// 统一社会信用代码, when the bureau records it.
        pub credit_code: Option<String>,
        pub valid_from: Date,
        pub valid_until: Date,
        pub removed_at: Option<DateTimeUtc>,
        pub listed_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A line of a child's fee account for one activity (`AS_FEES`).
pub mod fee_entry {
    use sea_orm::entity::prelude::*;

    use super::FeeEntryKind;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_fee_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub plan_id: Uuid,
        pub activity_id: Uuid,
        pub student_id: Uuid,
        pub kind: FeeEntryKind,
        pub amount_fen: i64,
        /// The sessions a charge or credit counts.
        pub sessions: Option<i32>,
        /// Why, in words the family reads.
        pub reason: String,
        /// The school staff who marked it; `None` for what the rules wrote.
        pub recorded_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The share of a child's fees the school waives for a plan (减免).
pub mod fee_waiver {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_fee_waivers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub plan_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        pub percent: i16,
        pub reason: String,
        pub set_by: Uuid,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A family's application for extended care (延时托管, `AS_EXTENDED_CARE`) in a plan.
pub mod extended_care {
    use sea_orm::entity::prelude::*;

    use super::ExtendedCareStatus;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_extended_care")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub plan_id: Uuid,
        pub student_id: Uuid,
        /// The weekdays asked for, "1,2,…"; empty for all five.
        pub weekdays: String,
        pub reason: String,
        pub status: ExtendedCareStatus,
        pub decision_reason: Option<String>,
        pub requested_by: Uuid,
        pub decided_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A guardian's rating of an activity their child attends (`AS_EVALUATION`): one per child and
/// activity, a new rating replacing the old.
pub mod rating {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "afterschool_ratings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub activity_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        /// 1 to 5 ([`crate::afterschool::evaluation::RATINGS`]).
        pub rating: i16,
        /// Empty when the family wrote none; the school alone reads it.
        pub comment: String,
        /// The guardian's account that rated last.
        pub rated_by: Uuid,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
