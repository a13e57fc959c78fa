//! What a mentor records (issue 10): talks (交心谈话) with a summary the family sees and a
//! confidential note only the mentor and the school's safeguarding staff read; written feedback
//! (成长寄语) delivered to the family, who acknowledge it and may answer; concerns, which reach the
//! safeguarding staff at once; and who those staff are (a new school role).

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
                    .table("mentor_talks")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("mentor_account_id"))
                    .col(date("held_on"))
                    .col(string_len("topic", 8))
                    .col(string_len_null("summary", 1000))
                    .col(string_len_null("confidential_note", 2000))
                    .col(date("period_starts_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("mentor_talks", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_talks", &["student_id", "held_on"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_feedback")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("mentor_account_id"))
                    .col(string_len("body", 1000))
                    .col(date("period_starts_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("acknowledged_at"))
                    .col(uuid_null("acknowledged_by"))
                    .col(string_len_null("family_message", 1000))
                    .foreign_key(&mut fk("mentor_feedback", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_feedback", &["student_id", "created_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("mentor_concerns")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("student_id"))
                    .col(uuid("raised_by"))
                    .col(string_len("note", 2000))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("mentor_concerns", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("mentor_concerns", &["school_id", "created_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("safeguarding_staff")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("safeguarding_staff", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("safeguarding_staff", &["school_id", "account_id"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["safeguarding_staff", "mentor_concerns", "mentor_feedback", "mentor_talks"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
