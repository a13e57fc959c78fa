//! Extended-care applications (issue 9, `AS_EXTENDED_CARE`): a family applies for 延时托管 with a
//! reason, the school approves or declines with its own; one standing application per child and plan.

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
                    .table("afterschool_extended_care")
                    .col(pk_uuid("id"))
                    .col(uuid("plan_id"))
                    .col(uuid("student_id"))
                    .col(string_len("weekdays", 20))
                    .col(string_len("reason", 200))
                    .col(string_len("status", 12))
                    .col(string_len_null("decision_reason", 200))
                    .col(uuid("requested_by"))
                    .col(uuid_null("decided_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .foreign_key(&mut fk(
                        "afterschool_extended_care",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "afterschool_extended_care",
                        "student_id",
                        "students",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_extended_care", &["plan_id", "student_id"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("afterschool_extended_care").to_owned()).await
    }
}
