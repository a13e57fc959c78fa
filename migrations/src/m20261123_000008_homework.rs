//! Homework: posts with their revision history, families' duration feedback, the district's daily
//! caps, and the count of sends the content rules refused (rule, school, date — never the text).

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
                    .table("homework")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("class_id"))
                    .col(uuid("teacher_account_id"))
                    .col(string_len("teacher_name", 100))
                    .col(string_len("subject", 40))
                    .col(string_len("title", 200))
                    .col(text("content"))
                    // written | oral | reading | practice | activity | project
                    .col(string_len("kind", 16))
                    // basic | extended | optional (optional never counts toward the daily cap)
                    .col(string_len("tier", 16))
                    // school (during after-school service) | home
                    .col(string_len("location", 16))
                    .col(integer("estimated_minutes"))
                    // The school day it is for, in the school's time zone.
                    .col(date("date"))
                    .col(integer("revision"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("homework", "school_id", "schools", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("homework", "class_id", "classes", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("homework", &["class_id", "date"], false)).await?;
        manager.create_index(index("homework", &["school_id", "date"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("homework_revisions")
                    .col(pk_uuid("id"))
                    .col(uuid("homework_id"))
                    .col(integer("revision"))
                    // posted | edited | withdrawn
                    .col(string_len("change", 16))
                    .col(uuid("editor_account_id"))
                    .col(string_len("subject", 40))
                    .col(string_len("title", 200))
                    .col(text("content"))
                    .col(string_len("kind", 16))
                    .col(string_len("tier", 16))
                    .col(string_len("location", 16))
                    .col(integer("estimated_minutes"))
                    .col(date("date"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("homework_revisions", "homework_id", "homework", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("homework_revisions", &["homework_id", "revision"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("homework_feedback")
                    .col(uuid("homework_id"))
                    .col(uuid("student_id"))
                    .col(uuid("reporter_account_id"))
                    .col(integer("minutes"))
                    .col(timestamp_with_time_zone("reported_at"))
                    .primary_key(Index::create().col("homework_id").col("student_id"))
                    .foreign_key(&mut fk("homework_feedback", "homework_id", "homework", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("homework_feedback", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("district_homework_settings")
                    .col(uuid("district_id").primary_key())
                    .col(integer("primary_cap_minutes"))
                    .col(integer("junior_cap_minutes"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "district_homework_settings",
                        "district_id",
                        "districts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("policy_blocks")
                    .col(pk_uuid("id"))
                    .col(string_len("rule", 32))
                    // notice | message | homework
                    .col(string_len("channel", 16))
                    .col(uuid_null("district_id"))
                    .col(uuid_null("school_id"))
                    // The sender's local date.
                    .col(date("date"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("policy_blocks", &["district_id", "date"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            ["policy_blocks", "district_homework_settings", "homework_feedback", "homework_revisions", "homework"]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
