//! A mentor's answer to a family's choice (issue 10, 双向选择: "mentors accept up to their cap"):
//! accepted (the proposal gives the family this mentor before anything else but a pin) or
//! declined (the family's next choice counts instead). Null: not answered yet.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table("mentor_choices")
                    .add_column(ColumnDef::new("answer").string_len(10).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("mentor_choices")
                    .add_column(ColumnDef::new("answered_at").timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("mentor_choices").drop_column("answered_at").to_owned()).await?;
        manager.alter_table(Table::alter().table("mentor_choices").drop_column("answer").to_owned()).await
    }
}
