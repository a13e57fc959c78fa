//! Home visits (issue 10): the mentor proposes windows, the family accepts one, counter-proposes
//! or declines; either side cancels; the mentor records it done and the family confirms it (the
//! proof the bureau counts) or disputes it. Every change is an event row, never an overwrite. The
//! family's address is per visit and erased 7 days after it.

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
                    .table("home_visits")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("mentor_account_id"))
                    .col(uuid_null("co_visitor_account_id"))
                    .col(string_len("mode", 10))
                    .col(string_len("status", 12))
                    // Who must answer the standing windows: `family` or `mentor`.
                    .col(string_len("awaiting", 8))
                    .col(timestamp_with_time_zone_null("starts_at"))
                    .col(timestamp_with_time_zone_null("ends_at"))
                    .col(string_len_null("address", 200))
                    .col(timestamp_with_time_zone_null("address_erased_at"))
                    .col(date("period_starts_on"))
                    .col(string_len_null("done_mode", 10))
                    .col(small_integer_null("duration_minutes"))
                    .col(timestamp_with_time_zone_null("confirmed_at"))
                    .col(boolean("reminded_day_before"))
                    .col(boolean("reminded_hour_before"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("home_visits", "school_id", "schools", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("home_visits", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("home_visits", &["mentor_account_id", "starts_at"], false)).await?;
        manager.create_index(index("home_visits", &["co_visitor_account_id", "starts_at"], false)).await?;
        manager.create_index(index("home_visits", &["student_id"], false)).await?;
        manager.create_index(index("home_visits", &["status", "starts_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("home_visit_windows")
                    .col(pk_uuid("id"))
                    .col(uuid("visit_id"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .foreign_key(&mut fk("home_visit_windows", "visit_id", "home_visits", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("home_visit_windows", &["visit_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("home_visit_events")
                    .col(pk_uuid("id"))
                    .col(uuid("visit_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid("by_account_id"))
                    .col(string_len("kind", 16))
                    .col(string_len_null("reason", 200))
                    .col(timestamp_with_time_zone_null("starts_at"))
                    .foreign_key(&mut fk("home_visit_events", "visit_id", "home_visits", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("home_visit_events", &["visit_id", "at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("home_visit_events").to_owned()).await?;
        manager.drop_table(Table::drop().table("home_visit_windows").to_owned()).await?;
        manager.drop_table(Table::drop().table("home_visits").to_owned()).await
    }
}
