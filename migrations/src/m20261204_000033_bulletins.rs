//! The bureau's reporting settings (issue 12: its small-cell threshold k and the half-monthly
//! bulletin's targets) and each bulletin (专项督导半月通报) as issued (one per district and half-month; a re-run recomputes it from the same
//! history and must find the same).

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
                    .table("district_reporting_settings")
                    .col(uuid("district_id").primary_key())
                    // Cells of fewer people than this are suppressed (default 10).
                    .col(small_integer("k"))
                    // A school falls short when more of its class-days than this (percent) are
                    // over the daily homework cap.
                    .col(small_integer("homework_over_cap_percent"))
                    // … and when more of its complaints than this went past a deadline.
                    .col(small_integer("complaints_overdue"))
                    // … and when its mentors' tasks done lag the period passed by more points.
                    .col(small_integer("mentoring_behind_points"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "district_reporting_settings",
                        "district_id",
                        "districts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("bulletins")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    // 1st–15th or 16th–end of a month.
                    .col(date("period_start"))
                    .col(date("period_end"))
                    // The bulletin's figures as JSON: aggregates only.
                    .col(text("content"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .foreign_key(&mut fk("bulletins", "district_id", "districts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("bulletins", &["district_id", "period_start"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("bulletins").to_owned()).await?;
        manager.drop_table(Table::drop().table("district_reporting_settings").to_owned()).await
    }
}
