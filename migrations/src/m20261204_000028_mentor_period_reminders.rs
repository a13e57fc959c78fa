//! Reminders to mentors as the period's end approaches (issue 10): one row per mentor, school,
//! period and reminder (4 weeks, 1 week before), so each is sent once whichever instance runs the
//! jobs.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mentor_period_reminders")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("mentor_account_id"))
                    .col(date("period_starts_on"))
                    .col(small_integer("days_before"))
                    .col(timestamp_with_time_zone("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "mentor_period_reminders",
                &["mentor_account_id", "school_id", "period_starts_on", "days_before"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("mentor_period_reminders").to_owned()).await
    }
}
