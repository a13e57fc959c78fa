//! District → schools → classes, bureau officers, staff and what they teach.

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
                    .table("districts")
                    .col(pk_uuid("id"))
                    .col(string_len("name", 100).unique_key())
                    .col(string_len("time_zone", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("bureau_officers")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id"))
                    .col(uuid("district_id"))
                    .col(string_len("name", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("bureau_officers", "account_id", "accounts", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("bureau_officers", "district_id", "districts", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("bureau_officers", &["account_id", "district_id"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("schools")
                    .col(pk_uuid("id"))
                    .col(uuid("district_id"))
                    .col(string_len("name", 100))
                    // "6-3" (六三制) or "5-4" (五四制): decides which grades are primary or junior.
                    .col(string_len("stage_system", 8))
                    .col(string_len("time_zone", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("schools", "district_id", "districts", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("schools", &["district_id", "name"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("classes")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(small_integer("grade"))
                    .col(small_integer("number"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("classes", "school_id", "schools", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("classes", &["school_id", "grade", "number"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("staff")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(uuid("account_id"))
                    .col(string_len("staff_no", 32))
                    .col(string_len("name", 100))
                    .col(boolean("is_school_admin"))
                    .col(boolean("is_teacher"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("staff", "school_id", "schools", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("staff", "account_id", "accounts", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("staff", &["school_id", "staff_no"], true)).await?;
        manager.create_index(index("staff", &["account_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("teaching_assignments")
                    .col(pk_uuid("id"))
                    .col(uuid("staff_id"))
                    .col(uuid("class_id"))
                    // "class_teacher" (班主任) or "subject_teacher"; subject is "" for a class teacher.
                    .col(string_len("role", 20))
                    .col(string_len("subject", 40))
                    .foreign_key(&mut fk("teaching_assignments", "staff_id", "staff", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("teaching_assignments", "class_id", "classes", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("teaching_assignments", &["staff_id", "class_id", "role", "subject"], true)).await?;
        manager.create_index(index("teaching_assignments", &["class_id"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["teaching_assignments", "staff", "classes", "schools", "bureau_officers", "districts"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
