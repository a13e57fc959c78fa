//! Course ratings (issue 11): a guardian rates a course 1–5 once the family has completed it (one
//! rating per guardian and course, changed by rating again). The school sees counts and averages.

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
                    .table("ps_course_ratings")
                    .col(pk_uuid("id"))
                    .col(uuid("course_id"))
                    .col(uuid("guardian_account_id"))
                    // The school of the child it was completed for: the school's figures read it.
                    .col(uuid("school_id"))
                    .col(small_integer("rating"))
                    .col(timestamp_with_time_zone("rated_at"))
                    .foreign_key(&mut fk("ps_course_ratings", "course_id", "ps_courses", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_course_ratings", &["course_id", "guardian_account_id"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("ps_course_ratings").to_owned()).await
    }
}
