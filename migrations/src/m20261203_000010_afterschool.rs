//! After-school service (课后服务): a school's term plan and its sessions per weekday, the
//! activities inside them with their seats, enrolments (first-come or applied for a lottery), and
//! each family's voluntary choice for the basic session, kept as a history (a change applies from
//! the next week). Times are minutes after local midnight in the school's time zone.

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
                    .table("afterschool_plans")
                    .col(pk_uuid("id"))
                    .col(uuid("school_id"))
                    .col(date("term_start"))
                    .col(date("term_end"))
                    // draft | published
                    .col(string_len("status", 12))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(&mut fk("afterschool_plans", "school_id", "schools", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_plans", &["school_id", "term_start"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_sessions")
                    .col(pk_uuid("id"))
                    .col(uuid("plan_id"))
                    // 1 = Monday … 5 = Friday
                    .col(small_integer("weekday"))
                    // basic | extended | evening
                    .col(string_len("kind", 12))
                    .col(integer("start_minute"))
                    .col(integer("end_minute"))
                    // Comma-separated grades ("1,2,3"); empty for every grade.
                    .col(string_len("grades", 40))
                    .foreign_key(&mut fk(
                        "afterschool_sessions",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_sessions", &["plan_id", "weekday"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_activities")
                    .col(pk_uuid("id"))
                    .col(uuid("plan_id"))
                    .col(uuid("school_id"))
                    .col(string_len("name", 100))
                    .col(string_len("category", 20))
                    .col(text("description"))
                    // Comma-separated weekdays ("1,3").
                    .col(string_len("weekdays", 20))
                    .col(integer("start_minute"))
                    .col(integer("end_minute"))
                    .col(string_len("grades", 40))
                    .col(string_len_null("room", 100))
                    .col(integer("capacity"))
                    .col(integer("min_size"))
                    // Changed only by a conditional UPDATE in the enrolment's transaction.
                    .col(integer("seats_taken"))
                    // Queue numbers handed out so far: each enrolment request takes the next one,
                    // under the row's lock, so the wait list has a strict order even within a µs.
                    .col(big_integer("tickets_issued"))
                    .col(uuid_null("in_charge_account_id"))
                    // school_teacher | retired_teacher | professional | volunteer | institution
                    .col(string_len("provider_kind", 20))
                    .col(string_len("provider_name", 100))
                    // free | subsidised | service_fee | collected
                    .col(string_len("fee_kind", 20))
                    .col(big_integer("fee_amount_fen"))
                    // first_come | lottery
                    .col(string_len("allocation", 12))
                    .col(timestamp_with_time_zone_null("cancelled_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "afterschool_activities",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_activities", &["plan_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_enrolments")
                    .col(pk_uuid("id"))
                    .col(uuid("activity_id"))
                    .col(uuid("student_id"))
                    // enrolled | waitlisted | applied | withdrawn
                    .col(string_len("status", 12))
                    // The family's rank of this choice (1 = first), for lotteries.
                    .col(small_integer_null("choice_rank"))
                    // The request's place in the activity's queue (see tickets_issued).
                    .col(big_integer("ticket"))
                    .col(uuid("requested_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "afterschool_enrolments",
                        "activity_id",
                        "afterschool_activities",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("afterschool_enrolments", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        // One enrolment per child and activity: two guardians enrolling at once get the same row.
        manager.create_index(index("afterschool_enrolments", &["activity_id", "student_id"], true)).await?;
        manager.create_index(index("afterschool_enrolments", &["student_id"], false)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_basic_choices")
                    .col(uuid("plan_id"))
                    .col(uuid("student_id"))
                    // The Monday from which the choice applies.
                    .col(date("effective_from"))
                    .col(boolean("opted_in"))
                    // Comma-separated weekdays; empty means all five.
                    .col(string_len("weekdays", 20))
                    .col(uuid("chosen_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("plan_id").col("student_id").col("effective_from"))
                    .foreign_key(&mut fk(
                        "afterschool_basic_choices",
                        "plan_id",
                        "afterschool_plans",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "afterschool_basic_choices",
                        "student_id",
                        "students",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Each day: the roll, absences families report ahead, who may collect a child, sign-outs.
        manager
            .create_table(
                Table::create()
                    .table("afterschool_attendance")
                    .col(uuid("activity_id"))
                    .col(uuid("student_id"))
                    .col(date("date"))
                    // present | absent | leave
                    .col(string_len("status", 12))
                    .col(uuid("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    // The family was alerted to an absence without leave (once per day and activity).
                    .col(boolean("alerted"))
                    .primary_key(Index::create().col("activity_id").col("date").col("student_id"))
                    .foreign_key(&mut fk(
                        "afterschool_attendance",
                        "activity_id",
                        "afterschool_activities",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("afterschool_attendance", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_leave")
                    .col(uuid("student_id"))
                    .col(date("date"))
                    .col(string_len("reason", 200))
                    .col(uuid("reported_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("student_id").col("date"))
                    .foreign_key(&mut fk("afterschool_leave", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_pickup_codes")
                    // A guardian's (any level) or a one-time delegate's code for one child and day.
                    .col(pk_uuid("id"))
                    .col(uuid("student_id"))
                    .col(date("date"))
                    .col(string_len("code", 8))
                    .col(uuid_null("guardian_id"))
                    // For a delegate named by a full guardian: their name and phone.
                    .col(string_len_null("delegate_name", 100))
                    .col(string_len_null("delegate_phone", 20))
                    .col(uuid("issued_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "afterschool_pickup_codes",
                        "student_id",
                        "students",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("afterschool_pickup_codes", &["student_id", "date", "code"], true)).await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_walk_alone")
                    .col(pk_uuid("student_id"))
                    .col(boolean("consent"))
                    .col(uuid("consented_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("afterschool_walk_alone", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("afterschool_sign_outs")
                    .col(uuid("activity_id"))
                    .col(uuid("student_id"))
                    .col(date("date"))
                    // guardian | delegate | alone
                    .col(string_len("released_to", 12))
                    .col(string_len("adult_name", 100))
                    // pickup_code | walk_alone_consent
                    .col(string_len("verified_by", 20))
                    .col(uuid("signed_out_by"))
                    .col(timestamp_with_time_zone("signed_out_at"))
                    .primary_key(Index::create().col("activity_id").col("date").col("student_id"))
                    .foreign_key(&mut fk(
                        "afterschool_sign_outs",
                        "activity_id",
                        "afterschool_activities",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("afterschool_sign_outs", "student_id", "students", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("district_afterschool_settings")
                    .col(pk_uuid("district_id"))
                    // Local off-work time, minutes after midnight (default 17:30 = 1050).
                    .col(integer("off_work_minute"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "district_afterschool_settings",
                        "district_id",
                        "districts",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "district_afterschool_settings",
            "afterschool_sign_outs",
            "afterschool_walk_alone",
            "afterschool_pickup_codes",
            "afterschool_leave",
            "afterschool_attendance",
            "afterschool_basic_choices",
            "afterschool_enrolments",
            "afterschool_activities",
            "afterschool_sessions",
            "afterschool_plans",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
