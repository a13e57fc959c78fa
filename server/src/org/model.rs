//! Organisation entities (district → school → class; staff, students, guardians) and the domain
//! types they carry: stage systems, school stages, guardian access levels.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a school splits the nine compulsory grades (DOMAIN.md: never hard-code the stage of a grade).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum StageSystem {
    /// 六三制: primary 1–6, junior 7–9.
    #[sea_orm(string_value = "6-3")]
    #[serde(rename = "6-3")]
    SixThree,
    /// 五四制 (Shanghai): primary 1–5, junior 6–9.
    #[sea_orm(string_value = "5-4")]
    #[serde(rename = "5-4")]
    FiveFour,
}

/// Primary (小学) or junior middle (初中).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Primary,
    Junior,
}

impl StageSystem {
    /// The stage a grade (1–9) belongs to in this system.
    pub fn stage_of(self, grade: i16) -> Stage {
        let last_primary = match self {
            StageSystem::SixThree => 6,
            StageSystem::FiveFour => 5,
        };
        if grade <= last_primary { Stage::Primary } else { Stage::Junior }
    }
}

/// What a guardian may see and receive about one child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// Sees and receives everything about the child.
    #[sea_orm(string_value = "full")]
    Full,
    /// Receives school-wide notices only.
    #[sea_orm(string_value = "informational")]
    Informational,
    /// Authorised to pick the child up; no messages, no data.
    #[sea_orm(string_value = "pickup")]
    Pickup,
}

/// A staff member's role in one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum TeachingRole {
    /// 班主任.
    #[sea_orm(string_value = "class_teacher")]
    ClassTeacher,
    #[sea_orm(string_value = "subject_teacher")]
    SubjectTeacher,
}

pub mod district {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "districts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub time_zone: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bureau_officer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bureau_officers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub district_id: Uuid,
        pub name: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school {
    use sea_orm::entity::prelude::*;

    use super::StageSystem;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "schools")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub district_id: Uuid,
        pub name: String,
        pub stage_system: StageSystem,
        pub time_zone: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "classes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        /// 1–9.
        pub grade: i16,
        /// Class number within the grade (三年级 **2** 班).
        pub number: i16,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub account_id: Uuid,
        pub staff_no: String,
        pub name: String,
        pub is_school_admin: bool,
        pub is_teacher: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod teaching_assignment {
    use sea_orm::entity::prelude::*;

    use super::TeachingRole;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "teaching_assignments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub staff_id: Uuid,
        pub class_id: Uuid,
        pub role: TeachingRole,
        /// Empty for a class teacher.
        pub subject: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod student {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "students")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub school_id: Uuid,
        pub class_id: Uuid,
        pub student_no: String,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod guardian {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "guardians")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub account_id: Uuid,
        pub name: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod guardianship {
    use sea_orm::entity::prelude::*;

    use super::AccessLevel;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "guardianships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub student_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub guardian_id: Uuid,
        pub relation: String,
        pub access_level: AccessLevel,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_six_is_primary_in_six_three_and_junior_in_five_four() {
        assert_eq!(StageSystem::SixThree.stage_of(6), Stage::Primary);
        assert_eq!(StageSystem::FiveFour.stage_of(6), Stage::Junior);
        assert_eq!(StageSystem::FiveFour.stage_of(5), Stage::Primary);
        assert_eq!(StageSystem::SixThree.stage_of(7), Stage::Junior);
    }
}
