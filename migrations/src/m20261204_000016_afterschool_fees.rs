//! The after-school fee ledger (issue 9, `AS_FEES`): whether an activity's amount is per term or
//! per session; every charge, waiver, credit for sessions not held, payment and refund as an entry
//! that is never edited (a correction is a new entry); and the families the school waives (减免).

use sea_orm_migration::{prelude::*, schema::*};

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("afterschool_activities")
                    .add_column(string_len("fee_per", 8).default("term"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_fee_entries")
                    .col(pk_uuid("id"))
                    .col(uuid("plan_id"))
                    .col(uuid("activity_id"))
                    .col(uuid("student_id"))
                    .col(string_len("kind", 12))
                    .col(big_integer("amount_fen"))
                    .col(integer_null("sessions"))
                    .col(text("reason"))
                    .col(uuid_null("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "afterschool_fee_entries",
                        "activity_id",
                        "afterschool_activities",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "afterschool_fee_entries",
                        "student_id",
                        "students",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_fee_entries", &["activity_id", "student_id"], false)).await?;
        manager.create_index(index("afterschool_fee_entries", &["student_id", "plan_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_fee_waivers")
                    .col(uuid("plan_id"))
                    .col(uuid("student_id"))
                    .col(small_integer("percent"))
                    .col(string_len("reason", 200))
                    .col(uuid("set_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("plan_id").col("student_id"))
                    .foreign_key(&mut fk(
                        "afterschool_fee_waivers",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "afterschool_fee_waivers",
                        "student_id",
                        "students",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("afterschool_fee_waivers").to_owned()).await?;
        manager.drop_table(Table::drop().table("afterschool_fee_entries").to_owned()).await?;
        manager.alter_table(Table::alter().table("afterschool_activities").drop_column("fee_per").to_owned()).await
    }
}
