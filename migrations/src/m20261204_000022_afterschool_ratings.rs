//! Families' ratings of after-school activities (`AS_EVALUATION`): one per child and activity (a
//! new rating replaces the old), 1–5 with an optional comment the school alone reads.

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
                    .table("afterschool_ratings")
                    .col(uuid("activity_id"))
                    .col(uuid("student_id"))
                    .col(small_integer("rating"))
                    // Empty when the family wrote none.
                    .col(text("comment"))
                    // The guardian's account that rated last.
                    .col(uuid("rated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("activity_id").col("student_id"))
                    .foreign_key(&mut fk(
                        "afterschool_ratings",
                        "activity_id",
                        "afterschool_activities",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("afterschool_ratings", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        // The primary key serves an activity's ratings; this one a child's (and the cascade).
        manager.create_index(index("afterschool_ratings", &["student_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("afterschool_ratings").to_owned()).await
    }
}
