//! One-to-one conversations between a guardian and a teacher of their child, with messages,
//! attachments and per-participant read state.

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
                    .table("conversations")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("guardian_account_id"))
                    .col(uuid("staff_account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_message_at"))
                    // A cooling-off period set by the teacher: the guardian cannot write until then.
                    .col(timestamp_with_time_zone_null("guardian_blocked_until"))
                    .foreign_key(&mut fk("conversations", "school_id", "schools", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("conversations", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("conversations", &["student_id", "guardian_account_id", "staff_account_id"], true))
            .await?;
        manager.create_index(index("conversations", &["guardian_account_id", "last_message_at"], false)).await?;
        manager.create_index(index("conversations", &["staff_account_id", "last_message_at"], false)).await?;
        manager.create_index(index("conversations", &["school_id", "last_message_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(pk_uuid("id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("uploader_account_id"))
                    .col(string_len("file_name", 200))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size_bytes"))
                    // Relative to the attachments folder; never derived from the client's file name.
                    .col(string_len("storage_path", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("attachments", "conversation_id", "conversations", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("messages")
                    .col(pk_uuid("id"))
                    .col(uuid("conversation_id"))
                    .col(uuid("sender_account_id"))
                    .col(text("body"))
                    .col(uuid_null("attachment_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("messages", "conversation_id", "conversations", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("messages", &["conversation_id", "created_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("conversation_reads")
                    .col(uuid("conversation_id"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("last_read_at"))
                    .primary_key(Index::create().col("conversation_id").col("account_id"))
                    .foreign_key(&mut fk(
                        "conversation_reads",
                        "conversation_id",
                        "conversations",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["conversation_reads", "messages", "attachments", "conversations"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
