//! Summer care (暑期托管, `AS_SUMMER`, issue 9): sites the bureau (community sites, open to every
//! child of the district) or a school (its own children) publishes, each with weekly blocks of
//! capacity; families enrol a child week by week, first come, with a wait list; a week may be
//! given back until it starts (nothing is owed for it) and is owed once it has.

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
                    .table("summer_sites")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    // A school's site serves its children; none: a community site of the district.
                    .col(uuid_null("school_id"))
                    .col(string_len("name", 100))
                    .col(string_len("address", 200))
                    // "1,2,3": the grades it takes (empty: every grade).
                    .col(string_len("grades", 40))
                    .col(small_integer("start_minute"))
                    .col(small_integer("end_minute"))
                    // Per week, in fen; 0: free.
                    .col(big_integer("fee_fen"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("summer_sites", "district_id", "districts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("summer_sites", &["district_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("summer_weeks")
                    .col(pk_uuid("id"))
                    .col(uuid("site_id"))
                    // The Monday the week starts on (care runs Monday to Friday).
                    .col(date("starts_on"))
                    .col(integer("capacity"))
                    .col(integer("seats_taken"))
                    .col(big_integer("tickets_issued"))
                    .foreign_key(&mut fk("summer_weeks", "site_id", "summer_sites", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("summer_weeks", &["site_id", "starts_on"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("summer_enrolments")
                    .col(pk_uuid("id"))
                    .col(uuid("week_id"))
                    .col(uuid("student_id"))
                    // enrolled, waitlisted, withdrawn
                    .col(string_len("status", 12))
                    .col(big_integer("ticket"))
                    .col(uuid("requested_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("summer_enrolments", "week_id", "summer_weeks", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("summer_enrolments", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("summer_enrolments", &["week_id", "student_id"], true)).await?;
        manager.create_index(index("summer_enrolments", &["student_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["summer_enrolments", "summer_weeks", "summer_sites"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
