//! Database migrations, one file per change. Append-only once landed: never edit a migration that
//! is on `main`; add a new one. Table and column names are plain strings so a reader sees the SQL
//! names at a glance. Every table must work on SQLite and PostgreSQL (see TECH-NOTES: no ALTER of
//! columns on SQLite, string-backed enums, UUIDs as blobs on SQLite).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_accounts;
mod m20261123_000002_organisation;
mod m20261123_000003_students;
mod m20261123_000004_notices_and_inbox;
mod m20261123_000005_delivery;
mod m20261123_000006_idempotency;
mod m20261123_000007_conversations;
mod m20261123_000008_homework;
mod m20261202_000009_inbox_entries;
mod m20261203_000010_afterschool;
mod m20261203_000011_family_digest_time;
mod m20261203_000012_delivery_school;
mod m20261203_000013_guard_outcome;
mod m20261204_000014_afterschool_draws;
mod m20261204_000015_afterschool_providers;
mod m20261204_000016_afterschool_fees;
mod m20261204_000018_afterschool_enrolment_window;
mod m20261204_000019_afterschool_extended_care;
mod m20261204_000020_afterschool_release_escalation;
mod m20261204_000021_afterschool_lottery_rules;
mod m20261204_000022_afterschool_ratings;
mod m20261204_000023_school_calendar;
mod m20261204_000024_mentoring;
mod m20261204_000025_home_visits;
mod m20261204_000026_mentor_records;
mod m20261204_000027_mentor_choices;
mod m20261204_000028_mentor_period_reminders;
mod m20261204_000029_parent_school;
mod m20261204_000030_parent_meetings;
mod m20261204_000031_course_ratings;
mod m20261204_000032_complaints;
mod m20261204_000033_bulletins;
mod m20261204_000034_dashboard_snapshots;
mod m20261204_000035_complaint_attachments;
mod m20261204_000036_inbox_subjects;
mod m20261204_000037_mentor_choice_answers;
mod m20261205_000038_practice_reflections;
mod m20261205_000039_promotion_offers;
mod m20261205_000040_parent_school_reminders;
mod m20261205_000041_summer_care;
mod m20261205_000042_inbox_audiences;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_accounts::Migration),
            Box::new(m20261123_000002_organisation::Migration),
            Box::new(m20261123_000003_students::Migration),
            Box::new(m20261123_000004_notices_and_inbox::Migration),
            Box::new(m20261123_000005_delivery::Migration),
            Box::new(m20261123_000006_idempotency::Migration),
            Box::new(m20261123_000007_conversations::Migration),
            Box::new(m20261123_000008_homework::Migration),
            Box::new(m20261202_000009_inbox_entries::Migration),
            Box::new(m20261203_000010_afterschool::Migration),
            Box::new(m20261203_000011_family_digest_time::Migration),
            Box::new(m20261203_000012_delivery_school::Migration),
            Box::new(m20261203_000013_guard_outcome::Migration),
            Box::new(m20261204_000014_afterschool_draws::Migration),
            Box::new(m20261204_000015_afterschool_providers::Migration),
            Box::new(m20261204_000016_afterschool_fees::Migration),
            Box::new(m20261204_000018_afterschool_enrolment_window::Migration),
            Box::new(m20261204_000019_afterschool_extended_care::Migration),
            Box::new(m20261204_000020_afterschool_release_escalation::Migration),
            Box::new(m20261204_000021_afterschool_lottery_rules::Migration),
            Box::new(m20261204_000022_afterschool_ratings::Migration),
            Box::new(m20261204_000023_school_calendar::Migration),
            Box::new(m20261204_000024_mentoring::Migration),
            Box::new(m20261204_000025_home_visits::Migration),
            Box::new(m20261204_000026_mentor_records::Migration),
            Box::new(m20261204_000027_mentor_choices::Migration),
            Box::new(m20261204_000028_mentor_period_reminders::Migration),
            Box::new(m20261204_000029_parent_school::Migration),
            Box::new(m20261204_000030_parent_meetings::Migration),
            Box::new(m20261204_000031_course_ratings::Migration),
            Box::new(m20261204_000032_complaints::Migration),
            Box::new(m20261204_000033_bulletins::Migration),
            Box::new(m20261204_000034_dashboard_snapshots::Migration),
            Box::new(m20261204_000035_complaint_attachments::Migration),
            Box::new(m20261204_000036_inbox_subjects::Migration),
            Box::new(m20261204_000037_mentor_choice_answers::Migration),
            Box::new(m20261205_000038_practice_reflections::Migration),
            Box::new(m20261205_000039_promotion_offers::Migration),
            Box::new(m20261205_000040_parent_school_reminders::Migration),
            Box::new(m20261205_000041_summer_care::Migration),
            Box::new(m20261205_000042_inbox_audiences::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`, deleting children with the parent only where
/// the child has no meaning alone (sessions of an account, say).
pub(crate) fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

/// A (possibly unique) index named after its table and columns.
pub(crate) fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_"))).table(table);
    for column in columns {
        stmt.col(*column);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}
