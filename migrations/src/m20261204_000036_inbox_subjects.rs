//! What an inbox item opens when that is not its own ref (issue 12: a step of a complaint is an
//! item of its own, since each audience is told something different, yet the app must open the
//! complaint from it). Null: the ref itself (a notice, homework, a message…).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table("inbox_entries").add_column(ColumnDef::new("subject_id").uuid().null()).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("inbox_entries").drop_column("subject_id").to_owned()).await
    }
}
