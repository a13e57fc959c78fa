//! Children present at roll call and not signed out when the session is over are escalated to the
//! school (issue 9): `escalated` records that the school was told, so that it is told once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("afterschool_attendance")
                    .add_column(boolean("escalated").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("afterschool_attendance").drop_column("escalated").to_owned()).await
    }
}
