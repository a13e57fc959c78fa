//! The district dashboard's default view precomputed (issue 12's 300 ms): one row per district,
//! each school's figures of its current term as a background job last computed them. A cache, not
//! a record: rewritten on each refresh, and a read falls back to computing live when it is old.

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dashboard_snapshots")
                    .col(uuid("district_id").primary_key())
                    // The k the cells were suppressed under: a read under another k computes live.
                    .col(small_integer("k"))
                    // The figures as JSON: aggregates only, already suppressed.
                    .col(text("content"))
                    .col(timestamp_with_time_zone("computed_at"))
                    .foreign_key(&mut fk("dashboard_snapshots", "district_id", "districts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("dashboard_snapshots").to_owned()).await
    }
}
