//! School-wide items resolved when an inbox is read (issue 17: "every inbox has it ≤ 300 ms after
//! the POST answers" for 50,000 guardians). Writing one inbox row per recipient costs about 5 µs
//! per row and index here: 50,000 recipients were 0.6 s of writes before the last inbox had the
//! notice. Now the notice commits one `inbox_audiences` row (the whole school's families, at a
//! position taken from the inbox's own sequence) and every inbox of the school lists it from that
//! moment; each recipient's own inbox row (read state, answers, receipts, push and email) follows
//! in the background.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("inbox_audiences")
                    // A position of the inbox's sequence (`inbox_items.seq`), reserved when the
                    // item goes out: the item's place in every recipient's inbox and its event id.
                    .col(big_integer("seq").primary_key())
                    .col(string_len("kind", 20))
                    .col(uuid("ref_id"))
                    // The families (full and informational guardians) of this school.
                    .col(uuid("school_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    // When every recipient had their state row (and push and email were queued).
                    .col(timestamp_with_time_zone_null("expanded_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("inbox_audiences", &["kind", "ref_id"], true)).await?;
        manager.create_index(index("inbox_audiences", &["school_id", "seq"], false)).await?;
        // Whether any audience is still going out: every inbox read asks.
        manager.create_index(index("inbox_audiences", &["expanded_at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("inbox_audiences").to_owned()).await
    }
}
