//! The guard's counts tell a refused send from one its sender confirmed after review (issue 18):
//! `outcome` is `blocked` (every row before this change) or `sent_after_review`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("policy_blocks")
                    .add_column(string_len("outcome", 24).default("blocked"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("policy_blocks").drop_column("outcome").to_owned()).await
    }
}
