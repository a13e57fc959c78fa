//! The parent school (家长学校, issue 11): courses from the bureau (district) and from schools
//! (校本化), offline sessions with registration, a waiting list and check-in, online progress
//! (a time floor and a quiz), and the credit ledger: append-only entries, each with its source and
//! evidence, reversed by a new entry, never edited; graduation rules, versioned per school and
//! stage; and certificates, immutable, each with a public verification code (a re-issue is a new
//! version, a revocation a date and a reason).

use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("ps_courses")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    // Null for a district course (the bureau's), else the school that owns it.
                    .col(uuid_null("school_id"))
                    .col(string_len("title", 100))
                    .col(string_len("description", 2000))
                    // Comma-separated grades ("1,2"); empty for every grade.
                    .col(string_len("grades", 40))
                    // JSON array of topic tags.
                    .col(string_len("topics", 400))
                    .col(small_integer("credits"))
                    .col(string_len("format", 8))
                    .col(boolean("required").default(false))
                    .col(string_len_null("content_url", 500))
                    .col(small_integer_null("min_minutes"))
                    // JSON array of questions with their options and the right option (online only).
                    .col(text_null("quiz"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_courses", "district_id", "districts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_courses", &["district_id", "school_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_sessions")
                    .col(pk_uuid("id"))
                    .col(uuid("course_id"))
                    .col(uuid("school_id"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(string_len("place", 200))
                    .col(integer("capacity"))
                    // The secret the rotating check-in code is derived from; never shown.
                    .col(string_len("code_secret", 64))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_sessions", "course_id", "ps_courses", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_sessions", &["course_id", "starts_at"], false)).await?;
        manager.create_index(index("ps_sessions", &["school_id", "starts_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_registrations")
                    .col(pk_uuid("id"))
                    .col(uuid("session_id"))
                    .col(uuid("student_id"))
                    .col(uuid("registered_by"))
                    // registered, waiting, cancelled
                    .col(string_len("status", 10))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("ps_registrations", "session_id", "ps_sessions", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("ps_registrations", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_registrations", &["session_id", "student_id"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_attendance")
                    .col(pk_uuid("id"))
                    .col(uuid("session_id"))
                    .col(uuid("guardian_account_id"))
                    // The child named at check-in (credits go to every child the course suits).
                    .col(uuid("student_id"))
                    // code or marked
                    .col(string_len("method", 8))
                    .col(uuid("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_attendance", "session_id", "ps_sessions", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_attendance", &["session_id", "guardian_account_id"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_online_progress")
                    .col(pk_uuid("id"))
                    .col(uuid("course_id"))
                    .col(uuid("guardian_account_id"))
                    .col(uuid("student_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone_null("completed_at"))
                    .foreign_key(&mut fk("ps_online_progress", "course_id", "ps_courses", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_online_progress", &["course_id", "guardian_account_id"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_credit_entries")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    // The child's stage (primary, junior) when it was earned: graduation counts per stage.
                    .col(string_len("stage", 8))
                    .col(uuid_null("course_id"))
                    // online, offline, meeting, practice, manual, reversal
                    .col(string_len("source", 10))
                    // What proves it: "attendance:<id>", "completion:<id>", "practice:<id>"…
                    .col(string_len("evidence", 100))
                    // Signed: a correction or a reversal takes credits away.
                    .col(small_integer("credits"))
                    .col(string_len_null("reason", 500))
                    .col(uuid_null("earned_by"))
                    .col(uuid("recorded_by"))
                    .col(uuid_null("reverses"))
                    // At most one entry per child and key: "course:<id>#<n>" for what a course earns
                    // (n: how many earlier earnings were reversed), "reversal:<entry id>" for the one
                    // reversal of an entry.
                    .col(string_len_null("once_key", 60))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_credit_entries", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_credit_entries", &["student_id", "once_key"], true)).await?;
        manager.create_index(index("ps_credit_entries", &["school_id", "created_at"], false)).await?;
        manager.create_index(index("ps_credit_entries", &["student_id", "course_id"], false)).await?;
        manager.create_index(index("ps_credit_entries", &["reverses"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_graduation_rules")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    // primary or junior
                    .col(string_len("stage", 8))
                    // 1, 2, …: a change is a new version, never an edit.
                    .col(integer("version"))
                    .col(small_integer("credits"))
                    // Comma-separated course ids the family must have earned.
                    .col(text("required_course_ids"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_graduation_rules", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_graduation_rules", &["school_id", "stage", "version"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_certificates")
                    .col(pk_uuid("id"))
                    // What a verifier types or scans; unguessable.
                    .col(string_len("code", 16))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(string_len("stage", 8))
                    // The school year it was issued in (2026 for 2026/27).
                    .col(integer("school_year"))
                    .col(integer("version"))
                    .col(uuid_null("supersedes"))
                    // The rule met, if it was (null: issued by the school's decision, with its reason).
                    .col(uuid_null("rule_id"))
                    .col(integer_null("rule_version"))
                    .col(integer("credits"))
                    .col(string_len_null("reason", 500))
                    .col(string_len("guardian_names_masked", 100))
                    .col(uuid("issued_by"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string_len_null("revoke_reason", 500))
                    .foreign_key(&mut fk("ps_certificates", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_certificates", &["code"], true)).await?;
        manager.create_index(index("ps_certificates", &["student_id", "stage", "version"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "ps_certificates",
            "ps_graduation_rules",
            "ps_credit_entries",
            "ps_online_progress",
            "ps_attendance",
            "ps_registrations",
            "ps_sessions",
            "ps_courses",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
