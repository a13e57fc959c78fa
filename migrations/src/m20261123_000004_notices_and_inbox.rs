//! School messaging settings (quiet hours), notices, and the one inbox every item reaches
//! families and staff through.

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
                    .table("school_settings")
                    .col(uuid("school_id").primary_key())
                    // Local times "HH:MM" in the school's time zone.
                    .col(string_len("quiet_start", 5))
                    .col(string_len("quiet_end", 5))
                    .col(string_len_null("office_hours_start", 5))
                    .col(string_len_null("office_hours_end", 5))
                    .col(string_len("digest_time", 5))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("school_settings", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notices")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    // Null for a bureau notice to the district's schools.
                    .col(uuid_null("school_id"))
                    .col(uuid("sender_account_id"))
                    .col(string_len("sender_name", 100))
                    // school_admin | teacher | bureau_officer
                    .col(string_len("sender_role", 20))
                    .col(string_len("title", 200))
                    .col(text("body"))
                    // read | confirm | reply
                    .col(string_len("response_mode", 10))
                    // JSON array of reply options; "[]" unless response_mode = reply.
                    .col(text("options"))
                    // The audience as asked for (JSON), resolved into inbox items at send time.
                    .col(text("audience"))
                    // family | staff
                    .col(string_len("recipient_kind", 10))
                    .col(boolean("school_wide"))
                    .col(boolean("urgent"))
                    .col(timestamp_with_time_zone_null("deadline"))
                    .col(timestamp_with_time_zone("send_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(integer("recipient_count"))
                    .col(timestamp_with_time_zone_null("recalled_at"))
                    .col(timestamp_with_time_zone_null("last_reminded_at"))
                    .col(timestamp_with_time_zone_null("deadline_reminded_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("notices", &["school_id", "created_at"], false)).await?;
        manager.create_index(index("notices", &["sender_account_id", "created_at"], false)).await?;
        manager.create_index(index("notices", &["sent_at", "send_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("inbox_items")
                    // Monotonic: the inbox's order, its cursor, and the real-time stream's event id.
                    .col(big_pk_auto("seq"))
                    .col(uuid("account_id"))
                    // notice | message | (later) homework, enrolment, visit, course…
                    .col(string_len("kind", 20))
                    .col(uuid("ref_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    // A notice's confirmation or reply.
                    .col(timestamp_with_time_zone_null("responded_at"))
                    .col(string_len_null("response_option", 40))
                    .col(string_len_null("response_text", 200))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("inbox_items", &["account_id", "kind", "ref_id"], true)).await?;
        manager.create_index(index("inbox_items", &["account_id", "seq"], false)).await?;
        manager.create_index(index("inbox_items", &["kind", "ref_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("inbox_item_children")
                    .col(uuid("account_id"))
                    .col(string_len("kind", 20))
                    .col(uuid("ref_id"))
                    .col(uuid("student_id"))
                    .col(uuid("class_id"))
                    .primary_key(Index::create().col("account_id").col("kind").col("ref_id").col("student_id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("inbox_item_children", &["kind", "ref_id", "class_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["inbox_item_children", "inbox_items", "notices", "school_settings"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
