//! Organisation entities (district → school → class; staff, students, guardians) and the domain
//! types they carry: stage systems, school stages, guardian access levels.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The time zone of a district or school that names none (DOMAIN.md: schools are in China). The
/// only place a zone is written down: every date a person sees is derived through
/// [`school::Model::local_date`] or [`district::Model::local_date`].
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Compulsory education's grades: 1–6 (or 1–5) primary, then junior.
pub const FIRST_GRADE: i16 = 1;
pub const LAST_GRADE: i16 = 9;

/// Longest name of a school, a person or an activity, in characters.
pub const NAME_MAX_CHARS: usize = 100;
const DEFAULT_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// An IANA time zone name (`Asia/Urumqi`), or `None` when it names no zone.
pub fn parse_time_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The zone of a stored name; a name that no longer parses falls back to the default.
fn zone_named(name: &str) -> Tz {
    parse_time_zone(name).unwrap_or(DEFAULT_ZONE)
}

/// The zone of what belongs to no school or district (an account's daily digest, across schools).
pub fn default_zone() -> Tz {
    DEFAULT_ZONE
}

/// The calendar date at `instant` in `zone`.
fn date_in(zone: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

impl district::Model {
    pub fn zone(&self) -> Tz {
        zone_named(&self.time_zone)
    }

    /// The district's date at `instant` (what its bureau calls "today").
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        date_in(self.zone(), instant)
    }
}

impl school::Model {
    pub fn zone(&self) -> Tz {
        zone_named(&self.time_zone)
    }

    /// The school's date at `instant`: the date of its homework, notices and refusal counts.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        date_in(self.zone(), instant)
    }

    /// The instant the school's `date` begins (a period of school dates as instants).
    pub fn day_starts(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_time(chrono::NaiveTime::MIN);
        self.zone().from_local_datetime(&midnight).earliest().map_or_else(|| midnight.and_utc(), |t| t.to_utc())
    }

    /// The school's dates `from` to `to` (both included) as instants: from the start of `from` to
    /// the start of the day after `to`.
    pub fn dates_as_instants(&self, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.day_starts(from), self.day_starts(to + chrono::Duration::days(1)))
    }
}

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

    /// The link's two ends, for joins (`Relation::Guardian.def()`, and `.rev()` from the other side).
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::guardian::Entity",
            from = "Column::GuardianId",
            to = "super::guardian::Column::Id"
        )]
        Guardian,
        #[sea_orm(belongs_to = "super::student::Entity", from = "Column::StudentId", to = "super::student::Column::Id")]
        Student,
    }

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

    #[test]
    fn the_default_zone_is_the_one_named() {
        assert_eq!(parse_time_zone(DEFAULT_TIME_ZONE), Some(default_zone()));
        assert_eq!(parse_time_zone("Mars/Olympus"), None);
    }

    #[test]
    fn a_school_s_local_date_follows_its_own_zone() {
        let school = |time_zone: &str| school::Model {
            id: Uuid::nil(),
            district_id: Uuid::nil(),
            name: String::new(),
            stage_system: StageSystem::SixThree,
            time_zone: time_zone.to_owned(),
            created_at: Utc::now(),
        };
        // 17:30 UTC: 23:30 in Urumqi (UTC+6), already 01:30 the next day in Shanghai.
        let instant = Utc.with_ymd_and_hms(2026, 11, 23, 17, 30, 0).unwrap();
        assert_eq!(school("Asia/Urumqi").local_date(instant), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(school(DEFAULT_TIME_ZONE).local_date(instant), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(school("nowhere").local_date(instant), school(DEFAULT_TIME_ZONE).local_date(instant));
        // And back: the school's 24 November begins at 16:00 UTC the day before in Shanghai.
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(school(DEFAULT_TIME_ZONE).day_starts(day), Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).unwrap());
        assert_eq!(school("Asia/Urumqi").day_starts(day), Utc.with_ymd_and_hms(2026, 11, 23, 18, 0, 0).unwrap());
    }
}
