//! Accounts (one per person, whatever their roles), sign-in sessions and refresh tokens.

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
                    .table("accounts")
                    .col(pk_uuid("id"))
                    // Logins: a normalised mainland mobile number and/or a lower-cased email.
                    .col(string_len_null("phone", 20).unique_key())
                    .col(string_len_null("email", 254).unique_key())
                    .col(string_len("display_name", 100))
                    .col(string_len("locale", 10).default("zh-CN"))
                    .col(string_null("password_hash"))
                    // SHA-256 of a one-time activation code; codes are high-entropy and short-lived,
                    // so a fast hash is enough (and keeps a 5,000-row import fast).
                    .col(string_len_null("activation_code_hash", 64))
                    .col(timestamp_with_time_zone_null("activation_expires_at"))
                    .col(timestamp_with_time_zone_null("password_changed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("sessions", "account_id", "accounts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sessions", &["account_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("refresh_tokens")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(uuid("session_id"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    // Set when the token is rotated; presenting it again means it was stolen.
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut fk("refresh_tokens", "session_id", "sessions", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("refresh_tokens", &["session_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["refresh_tokens", "sessions", "accounts"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
