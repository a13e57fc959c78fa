//! Mentoring (issue 10, 全员导师制): each school's setting, the mentor of each student (history kept:
//! a reassignment ends a row and starts another), and the obligation ledger — per student and
//! period, a home visit, a talk and a written feedback, each with its status (`MT_THREE_TASKS`).

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
                    .table("mentoring_settings")
                    .col(pk_uuid("school_id"))
                    .col(string_len("grades", 40))
                    .col(string_len("period", 8))
                    .col(small_integer("cap"))
                    .col(string_len("mode", 12))
                    .col(small_integer("visit_buffer_minutes"))
                    .col(small_integer("max_visits_per_day"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(uuid("updated_by"))
                    .foreign_key(&mut fk("mentoring_settings", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_assignments")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("mentor_account_id"))
                    .col(boolean("pinned"))
                    .col(timestamp_with_time_zone("assigned_at"))
                    .col(uuid("assigned_by"))
                    .col(timestamp_with_time_zone_null("ended_at"))
                    .foreign_key(&mut fk("mentor_assignments", "school_id", "schools", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("mentor_assignments", "student_id", "students", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk(
                        "mentor_assignments",
                        "mentor_account_id",
                        "accounts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_assignments", &["school_id", "ended_at"], false)).await?;
        manager.create_index(index("mentor_assignments", &["mentor_account_id", "ended_at"], false)).await?;
        manager.create_index(index("mentor_assignments", &["student_id", "ended_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_obligations")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(date("period_starts_on"))
                    .col(date("period_ends_on"))
                    .col(string_len("task", 10))
                    .col(string_len("status", 16))
                    .col(string_len_null("reason", 200))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(uuid_null("updated_by"))
                    .foreign_key(&mut fk("mentor_obligations", "school_id", "schools", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("mentor_obligations", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_obligations", &["student_id", "period_starts_on", "task"], true)).await?;
        manager.create_index(index("mentor_obligations", &["school_id", "period_starts_on"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("mentor_obligations").to_owned()).await?;
        manager.drop_table(Table::drop().table("mentor_assignments").to_owned()).await?;
        manager.drop_table(Table::drop().table("mentoring_settings").to_owned()).await
    }
}
