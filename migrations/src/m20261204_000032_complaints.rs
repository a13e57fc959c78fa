//! Complaints (监管举报, issue 12): a guardian files a complaint about their child's school with the
//! district's bureau, optionally anonymous to the school; the bureau forwards it (hiding the
//! family or not), the school responds, the bureau closes it with an outcome. Nothing is deleted:
//! every step is an event appended to the complaint's history, and the foreign keys restrict.

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
                    .table("complaints")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    // The guardian's account that filed it: the bureau sees who, the school never
                    // when anonymous.
                    .col(uuid("filed_by"))
                    .col(string_len("category", 24))
                    .col(string_len("text", 2000))
                    .col(boolean("anonymous_to_school"))
                    // The bureau's choice when forwarding a complaint that is not anonymous.
                    .col(boolean("identity_shared"))
                    // received, forwarded, responded, closed
                    .col(string_len("status", 12))
                    // The holder's deadline (null once closed), and when it was reminded of it.
                    .col(timestamp_with_time_zone_null("due_at"))
                    .col(timestamp_with_time_zone_null("reminded_at"))
                    .col(timestamp_with_time_zone_null("first_response_at"))
                    .col(string_len_null("outcome", 24))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .foreign_key(&mut fk("complaints", "school_id", "schools", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("complaints", "district_id", "districts", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("complaints", &["district_id", "created_at"], false)).await?;
        manager.create_index(index("complaints", &["school_id", "status"], false)).await?;
        manager.create_index(index("complaints", &["filed_by", "created_at"], false)).await?;
        manager.create_index(index("complaints", &["status", "due_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("complaint_events")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    // 1, 2, 3… in the complaint's order.
                    .col(integer("n"))
                    // filed, forwarded, responded, closed, reminded
                    .col(string_len("kind", 12))
                    // family, bureau, school, system
                    .col(string_len("actor", 8))
                    .col(uuid_null("actor_account_id"))
                    .col(string_len("text", 2000))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("complaint_events", "complaint_id", "complaints", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("complaint_events", &["complaint_id", "n"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("complaint_events").to_owned()).await?;
        manager.drop_table(Table::drop().table("complaints").to_owned()).await
    }
}
