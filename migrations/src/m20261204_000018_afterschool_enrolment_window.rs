//! A plan's enrolment window (issue 9): when families may enrol, when the first round closes (the
//! lottery is drawn and activities below their minimum size are cancelled), and when the add/drop
//! round for the seats left ends and the rosters lock. `enrolment_closed_at` records that the close
//! ran, so that one instance runs it once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = ["enrolment_opens_at", "enrolment_closes_at", "add_drop_closes_at", "enrolment_closed_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("afterschool_plans")
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS.iter().rev() {
            manager.alter_table(Table::alter().table("afterschool_plans").drop_column(*column).to_owned()).await?;
        }
        Ok(())
    }
}
