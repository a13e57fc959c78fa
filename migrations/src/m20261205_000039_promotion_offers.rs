//! A time-boxed offer to a family promoted from the wait list (issue 9: "the family is told and
//! may decline within a set time"): the seat is the child's at once, and until `decline_by` the
//! family may give it back with everything refunded (after it, a withdrawal follows the pro-rata
//! rule). The school sets how long (`decline_hours`, null: 48 hours) with its enrolment window.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("afterschool_plans")
                    .add_column(ColumnDef::new("decline_hours").small_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("afterschool_enrolments")
                    .add_column(ColumnDef::new("decline_by").timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("afterschool_enrolments").drop_column("decline_by").to_owned())
            .await?;
        manager.alter_table(Table::alter().table("afterschool_plans").drop_column("decline_hours").to_owned()).await
    }
}
