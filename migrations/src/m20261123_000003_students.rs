//! Students, guardians and the link between them (relation and access level).

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
                    .table("students")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("class_id"))
                    .col(string_len("student_no", 32))
                    .col(string_len("name", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("students", "school_id", "schools", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("students", "class_id", "classes", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("students", &["school_id", "student_no"], true)).await?;
        manager.create_index(index("students", &["class_id", "student_no"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("guardians")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id").unique_key())
                    .col(string_len("name", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("guardians", "account_id", "accounts", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("guardianships")
                    .col(uuid("student_id"))
                    .col(uuid("guardian_id"))
                    // father, mother, grandfather, grandmother, other…
                    .col(string_len("relation", 20))
                    // full | informational | pickup — see org::model::AccessLevel.
                    .col(string_len("access_level", 20))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("student_id").col("guardian_id"))
                    .foreign_key(&mut fk("guardianships", "student_id", "students", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("guardianships", "guardian_id", "guardians", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("guardianships", &["guardian_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["guardianships", "guardians", "students"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
