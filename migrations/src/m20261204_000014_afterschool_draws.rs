//! The elective lottery's audit trail (issue 9): each draw of a plan with its seed, the algorithm
//! and what it allocated, so that the school can publish it and anyone can redo it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("afterschool_draws")
                    .col(pk_uuid("id"))
                    .col(uuid("plan_id"))
                    .col(string_len("seed", 64))
                    .col(text("algorithm"))
                    .col(integer("applications"))
                    .col(integer("enrolled"))
                    .col(integer("waitlisted"))
                    .col(uuid("drawn_by"))
                    .col(timestamp_with_time_zone("drawn_at"))
                    .foreign_key(&mut fk(
                        "afterschool_draws",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_draws", &["plan_id", "drawn_at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("afterschool_draws").to_owned()).await
    }
}
