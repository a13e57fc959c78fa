//! A family's digest time: one homework and daily digest per family, at the time it chooses.
//! Null means "the earliest digest time of my children's schools".

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("notification_preferences")
                    .add_column(string_len_null("digest_time", 5))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("notification_preferences").drop_column("digest_time").to_owned())
            .await
    }
}
