//! The day-before reminder of a parent-school session (to the families registered) and of a parent
//! meeting (to the families invited), sent once: `reminded_at` is claimed by the job that sends it,
//! so several instances send it once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ps_sessions", "ps_meetings"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new("reminded_at").timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ps_sessions", "ps_meetings"] {
            manager.alter_table(Table::alter().table(table).drop_column("reminded_at").to_owned()).await?;
        }
        Ok(())
    }
}
