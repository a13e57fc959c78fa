//! Parent meetings (家长会, issue 11, `PS_COVERAGE`): class, grade or school meetings scheduled by
//! the class teacher or an admin, invitations to the families in scope, attendance by the
//! organiser's rotating code or marked, and optional credits.

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
                    .table("ps_meetings")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    // class, grade or school
                    .col(string_len("scope", 8))
                    .col(uuid_null("class_id"))
                    .col(small_integer_null("grade"))
                    .col(string_len("title", 100))
                    .col(string_len("agenda", 2000))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(string_len("place", 200))
                    // 0: attendance earns nothing.
                    .col(small_integer("credits"))
                    .col(string_len("code_secret", 64))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("ps_meetings", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_meetings", &["school_id", "starts_at"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("ps_meeting_attendance")
                    .col(pk_uuid("id"))
                    .col(uuid("meeting_id"))
                    .col(uuid("guardian_account_id"))
                    .col(uuid("student_id"))
                    .col(string_len("method", 8))
                    .col(uuid("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "ps_meeting_attendance",
                        "meeting_id",
                        "ps_meetings",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ps_meeting_attendance", &["meeting_id", "guardian_account_id"], true)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("ps_meeting_attendance").to_owned()).await?;
        manager.drop_table(Table::drop().table("ps_meetings").to_owned()).await
    }
}
