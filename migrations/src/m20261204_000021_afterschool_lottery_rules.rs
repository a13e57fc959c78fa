//! The lottery rules a school chooses for its plan (issue 9): a weekly limit of elective sessions
//! per child, children with none of last term's choices first, siblings together.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns: [ColumnDef; 3] = [
            small_integer_null("weekly_limit"),
            boolean("none_last_term_first").default(false).to_owned(),
            boolean("siblings_together").default(false).to_owned(),
        ];
        for column in columns {
            manager.alter_table(Table::alter().table("afterschool_plans").add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["siblings_together", "none_last_term_first", "weekly_limit"] {
            manager.alter_table(Table::alter().table("afterschool_plans").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
