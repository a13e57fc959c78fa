//! Complaint entities and the domain types they carry.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a complaint is about (the 双减 supervision channel's categories).
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
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
#[schema(as = ComplaintCategory)]
pub enum Category {
    /// 作业负担过重
    #[sea_orm(string_value = "homework_burden")]
    HomeworkBurden,
    /// 给家长布置作业、要求家长批改
    #[sea_orm(string_value = "homework_for_parents")]
    HomeworkForParents,
    /// 公布考试成绩、排名
    #[sea_orm(string_value = "exam_ranking")]
    ExamRanking,
    /// 课后服务乱收费或强制参加
    #[sea_orm(string_value = "afterschool_fees")]
    AfterschoolFees,
    /// 校外培训
    #[sea_orm(string_value = "off_campus_tutoring")]
    OffCampusTutoring,
    /// 导师制
    #[sea_orm(string_value = "mentoring")]
    Mentoring,
    /// 其他
    #[sea_orm(string_value = "other")]
    Other,
}

impl Category {
    pub fn zh(self) -> &'static str {
        match self {
            Category::HomeworkBurden => "作业负担",
            Category::HomeworkForParents => "给家长布置作业",
            Category::ExamRanking => "考试排名",
            Category::AfterschoolFees => "课后服务收费或强制",
            Category::OffCampusTutoring => "校外培训",
            Category::Mentoring => "导师制",
            Category::Other => "其他",
        }
    }
}

/// Where a complaint stands, and so who holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
#[schema(as = ComplaintStatus)]
pub enum Status {
    /// Filed; the bureau holds it (to forward or to close).
    #[sea_orm(string_value = "received")]
    Received,
    /// Sent on to the school, which holds it until it responds.
    #[sea_orm(string_value = "forwarded")]
    Forwarded,
    /// The school responded; the bureau holds it to close it.
    #[sea_orm(string_value = "responded")]
    Responded,
    /// Closed by the bureau with an outcome. Final.
    #[sea_orm(string_value = "closed")]
    Closed,
}

/// How the bureau closed a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
#[schema(as = ComplaintOutcome)]
pub enum Outcome {
    /// 属实，已整改
    #[sea_orm(string_value = "substantiated")]
    Substantiated,
    /// 部分属实
    #[sea_orm(string_value = "partly_substantiated")]
    PartlySubstantiated,
    /// 不属实
    #[sea_orm(string_value = "unsubstantiated")]
    Unsubstantiated,
    /// 不属于受理范围（已告知去向）
    #[sea_orm(string_value = "out_of_scope")]
    OutOfScope,
}

impl Outcome {
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Substantiated => "属实，已整改",
            Outcome::PartlySubstantiated => "部分属实",
            Outcome::Unsubstantiated => "不属实",
            Outcome::OutOfScope => "不属于受理范围",
        }
    }
}

/// A step in a complaint's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))")]
#[serde(rename_all = "snake_case")]
#[schema(as = ComplaintEventKind)]
pub enum EventKind {
    #[sea_orm(string_value = "filed")]
    Filed,
    #[sea_orm(string_value = "forwarded")]
    Forwarded,
    #[sea_orm(string_value = "responded")]
    Responded,
    #[sea_orm(string_value = "closed")]
    Closed,
    /// The holder was reminded of a passed deadline.
    #[sea_orm(string_value = "reminded")]
    Reminded,
}

/// Who took a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "snake_case")]
#[schema(as = ComplaintActor)]
pub enum Actor {
    #[sea_orm(string_value = "family")]
    Family,
    #[sea_orm(string_value = "bureau")]
    Bureau,
    #[sea_orm(string_value = "school")]
    School,
    #[sea_orm(string_value = "system")]
    System,
}

pub mod complaint {
    use sea_orm::entity::prelude::*;

    use super::{Category, Outcome, Status};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        pub school_id: Uuid,
        pub student_id: Uuid,
        pub filed_by: Uuid,
        pub category: Category,
        pub text: String,
        pub anonymous_to_school: bool,
        pub identity_shared: bool,
        pub status: Status,
        pub due_at: Option<DateTimeUtc>,
        pub reminded_at: Option<DateTimeUtc>,
        pub first_response_at: Option<DateTimeUtc>,
        pub outcome: Option<Outcome>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod event {
    use sea_orm::entity::prelude::*;

    use super::{Actor, EventKind};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaint_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub complaint_id: Uuid,
        pub n: i32,
        pub kind: EventKind,
        pub actor: Actor,
        pub actor_account_id: Option<Uuid>,
        pub text: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attachment {
    use sea_orm::entity::prelude::*;

    /// A photo or PDF the family added to its complaint (metadata removed, see `crate::files`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaint_attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub complaint_id: Uuid,
        pub n: i32,
        pub file_name: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub storage_path: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
