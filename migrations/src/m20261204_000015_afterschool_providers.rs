//! The district's white list of outside institutions (issue 9, `AS_PROVIDERS`): the bureau lists an
//! institution with its validity dates, renews or removes it (the row stays, so history reads
//! true); an activity run by an institution names its entry.

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
                    .table("afterschool_providers")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    .col(string_len("name", 100))
                    .col(string_len_null("credit_code", 18))
                    .col(date("valid_from"))
                    .col(date("valid_until"))
                    .col(timestamp_with_time_zone_null("removed_at"))
                    .col(uuid("listed_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "afterschool_providers",
                        "district_id",
                        "districts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_providers", &["district_id", "name"], false)).await?;
        // No foreign key: SQLite cannot add one to an existing table; the service checks the
        // entry belongs to the activity's district.
        manager
            .alter_table(Table::alter().table("afterschool_activities").add_column(uuid_null("provider_id")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("afterschool_activities").drop_column("provider_id").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("afterschool_providers").to_owned()).await
    }
}
