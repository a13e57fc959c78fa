//! A family's reflection on a practice activity (issue 11: "one tap and an optional short
//! reflection"). Its own table, not a column of the ledger: a second guardian's confirmation earns
//! nothing more but their words still count, and a guardian may rewrite theirs (one row per
//! guardian, child and course). The family reads it in the child's ledger; the school reads the
//! texts of its practice course without names.

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
                    .table("ps_reflections")
                    .col(pk_uuid("id"))
                    .col(uuid("course_id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("guardian_account_id"))
                    .col(string_len("text", 500))
                    .col(timestamp_with_time_zone("written_at"))
                    .foreign_key(&mut fk("ps_reflections", "course_id", "ps_courses", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("ps_reflections", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ps_reflections", &["course_id", "student_id", "guardian_account_id"], true))
            .await?;
        manager.create_index(index("ps_reflections", &["student_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("ps_reflections").to_owned()).await
    }
}
