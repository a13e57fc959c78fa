//! Two-way choice (双向选择, issue 10): each teacher's short profile families read, and each
//! family's ranked choice of up to three mentors, which the matching proposal honours under the cap.

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
                    .table("mentor_profiles")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("account_id"))
                    .col(string_len("profile", 300))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("mentor_profiles", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_profiles", &["school_id", "account_id"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_choices")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(small_integer("rank"))
                    .col(uuid("mentor_account_id"))
                    .col(uuid("chosen_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("mentor_choices", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_choices", &["student_id", "rank"], true)).await?;
        manager.create_index(index("mentor_choices", &["school_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("mentor_choices").to_owned()).await?;
        manager.drop_table(Table::drop().table("mentor_profiles").to_owned()).await
    }
}
