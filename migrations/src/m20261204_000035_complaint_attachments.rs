//! A complaint's attachments (issue 12: "text, optional attachments"): photos or PDFs the family
//! adds to what it filed, stored under the attachments folder. No uploader column: the filer is
//! the complaint's, and a school's reader must learn nothing more of the family from a file's row.

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
                    .table("complaint_attachments")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    // 1, 2, …: the order added, and the neutral name a school sees ("附件2.jpg").
                    .col(integer("n"))
                    .col(string_len("file_name", 200))
                    .col(string_len("content_type", 40))
                    .col(big_integer("size_bytes"))
                    .col(string_len("storage_path", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    // Nothing of a complaint is ever deleted.
                    .foreign_key(&mut fk(
                        "complaint_attachments",
                        "complaint_id",
                        "complaints",
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("complaint_attachments", &["complaint_id", "n"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("complaint_attachments").to_owned()).await
    }
}
