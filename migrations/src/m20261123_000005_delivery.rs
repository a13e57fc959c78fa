//! Delivery: devices for push, per-person notification preferences, and the transactional
//! outbox of deliveries (push and email) that a worker drains with retries.

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
                    .table("devices")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id"))
                    // ios | android | harmony | web
                    .col(string_len("platform", 10))
                    .col(string_len("token", 512).unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .foreign_key(&mut fk("devices", "account_id", "accounts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("devices", &["account_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("notification_preferences")
                    .col(uuid("account_id").primary_key())
                    .col(string_len("locale", 10))
                    // JSON arrays of item kinds (notice, message, homework…) sent by push / by email.
                    .col(text("push_kinds"))
                    .col(text("email_kinds"))
                    // One daily digest per family instead of instant push and email.
                    .col(boolean("daily_digest"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "notification_preferences",
                        "account_id",
                        "accounts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("deliveries")
                    .col(big_pk_auto("seq"))
                    .col(uuid("account_id"))
                    // notice | notice_reminder | notice_deadline_reminder | message | digest…
                    .col(string_len("kind", 32))
                    .col(uuid("ref_id"))
                    // 0 for the first delivery of an item; 1, 2… for reminders.
                    .col(integer("round"))
                    .col(boolean("urgent"))
                    // Held for the recipient's daily digest instead of instant delivery.
                    .col(boolean("held_for_digest").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    // Not before (quiet hours, digests).
                    .col(timestamp_with_time_zone("deliver_after"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(integer("attempts"))
                    // Lease of the worker holding it; expired leases are taken over.
                    .col(timestamp_with_time_zone_null("locked_until"))
                    // Per channel, so a retry never repeats a channel that already succeeded.
                    .col(timestamp_with_time_zone_null("push_done_at"))
                    .col(timestamp_with_time_zone_null("email_done_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("failed_at"))
                    .col(text_null("last_error"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("deliveries", &["account_id", "kind", "ref_id", "round"], true)).await?;
        manager.create_index(index("deliveries", &["delivered_at", "next_attempt_at"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["deliveries", "notification_preferences", "devices"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
