//! The school a delivery speaks for, so that its admins can see what finally failed to reach
//! their families (issue 16). Null on rows queued before this migration.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("deliveries").add_column(uuid_null("school_id")).to_owned()).await?;
        manager.create_index(index("deliveries", &["school_id", "failed_at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_deliveries_school_id_failed_at").table("deliveries").to_owned())
            .await?;
        manager.alter_table(Table::alter().table("deliveries").drop_column("school_id").to_owned()).await
    }
}
