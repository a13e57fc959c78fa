//! The school calendar (issue 9, used by every domain that counts school days): a school's terms,
//! and inside each its holidays and make-up days (调休: a weekend day that follows a weekday's
//! timetable).

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
                    .table("school_terms")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(string_len("name", 60))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("school_terms", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("school_terms", &["school_id", "starts_on"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("school_calendar_days")
                    .col(pk_uuid("id"))
                    .col(uuid("term_id"))
                    .col(date("date"))
                    .col(string_len("kind", 12))
                    .col(string_len("name", 60))
                    .col(small_integer_null("follows_weekday"))
                    .foreign_key(&mut fk("school_calendar_days", "term_id", "school_terms", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("school_calendar_days", &["term_id", "date"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("school_calendar_days").to_owned()).await?;
        manager.drop_table(Table::drop().table("school_terms").to_owned()).await
    }
}
