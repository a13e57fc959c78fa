//! What an inbox item says, once per item (not per recipient): the inbox owns it, so listing an
//! inbox or rendering a push or an email reads no other domain's tables. The domain that owns an
//! item (notices, homework, conversations…) writes its entry when the item is created, edited,
//! recalled or withdrawn. Existing items are backfilled from their owners' tables.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("inbox_entries")
                    .col(string_len("kind", 20))
                    .col(uuid("ref_id"))
                    .col(string_len("title", 300))
                    .col(text("body"))
                    .col(string_len("sender_name", 100))
                    .col(boolean("urgent"))
                    // The recipient is asked to answer (a notice in `confirm` or `reply` mode).
                    .col(boolean("needs_response"))
                    // Recalled (a notice) or withdrawn (homework): shown as such, never delivered.
                    .col(boolean("withdrawn"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("kind").col("ref_id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO inbox_entries (kind, ref_id, title, body, sender_name, urgent, needs_response, withdrawn, updated_at)
             SELECT 'notice', id, title, body, sender_name, urgent, response_mode <> 'read', recalled_at IS NOT NULL, created_at
             FROM notices",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO inbox_entries (kind, ref_id, title, body, sender_name, urgent, needs_response, withdrawn, updated_at)
             SELECT 'homework', id, subject || ' · ' || title || ' (' || CAST(date AS TEXT) || ')', content, teacher_name,
                    false, false, withdrawn_at IS NOT NULL, updated_at
             FROM homework",
        )
        .await?;
        // Senders are named as the school knows them: staff name, else guardian name, else account.
        db.execute_unprepared(
            "INSERT INTO inbox_entries (kind, ref_id, title, body, sender_name, urgent, needs_response, withdrawn, updated_at)
             SELECT 'message', m.id, '', CASE WHEN m.body = '' THEN '[附件]' ELSE SUBSTR(m.body, 1, 80) END,
                    COALESCE((SELECT st.name FROM staff st WHERE st.account_id = m.sender_account_id AND st.school_id = c.school_id LIMIT 1),
                             (SELECT g.name FROM guardians g WHERE g.account_id = m.sender_account_id LIMIT 1),
                             (SELECT a.display_name FROM accounts a WHERE a.id = m.sender_account_id),
                             ''),
                    false, false, false, m.created_at
             FROM messages m JOIN conversations c ON c.id = m.conversation_id",
        )
        .await?;
        // A message is titled by its sender; its body is its preview.
        db.execute_unprepared("UPDATE inbox_entries SET title = sender_name WHERE kind = 'message'").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("inbox_entries").to_owned()).await
    }
}
