//! The after-school tables. Seat counts change only here, by conditional updates inside the
//! enrolment's transaction: `seats_taken < capacity` is checked by the database, not by a read
//! beforehand, so concurrent takers of the last seat cannot oversell it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{
    EnrolmentStatus, PlanStatus, activity, attendance, basic_choice, district_settings, draw, enrolment, extended_care,
    fee_entry, fee_waiver, leave, pickup_code, plan, provider, rating, session, sign_out, walk_alone,
};

pub async fn insert_plan(
    db: &impl ConnectionTrait,
    row: plan::Model,
    sessions: Vec<session::Model>,
) -> Result<(), DbErr> {
    plan::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    if !sessions.is_empty() {
        session::Entity::insert_many(sessions.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn plan(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<plan::Model>, DbErr> {
    plan::Entity::find_by_id(id).one(db).await
}

pub async fn sessions(db: &impl ConnectionTrait, plan_id: Uuid) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::PlanId.eq(plan_id))
        .order_by_asc(session::Column::Weekday)
        .order_by_asc(session::Column::StartMinute)
        .all(db)
        .await
}

pub async fn publish(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    plan::Entity::update_many()
        .col_expr(plan::Column::Status, Expr::value(PlanStatus::Published))
        .col_expr(plan::Column::PublishedAt, Expr::value(now))
        .filter(plan::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The school's published plan in force on `today`, else the next one to start.
pub async fn current_plan(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    today: NaiveDate,
) -> Result<Option<plan::Model>, DbErr> {
    plan::Entity::find()
        .filter(plan::Column::SchoolId.eq(school_id))
        .filter(plan::Column::Status.eq(PlanStatus::Published))
        .filter(plan::Column::TermEnd.gte(today))
        .order_by_asc(plan::Column::TermStart)
        .one(db)
        .await
}

pub async fn off_work_minute(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Option<i32>, DbErr> {
    Ok(district_settings::Entity::find_by_id(district_id).one(db).await?.map(|s| s.off_work_minute))
}

pub async fn set_off_work_minute(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    minute: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = district_settings::ActiveModel {
        district_id: Set(district_id),
        off_work_minute: Set(minute),
        updated_at: Set(now),
    };
    district_settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(district_settings::Column::DistrictId)
                .update_columns([district_settings::Column::OffWorkMinute, district_settings::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn insert_activity(db: &impl ConnectionTrait, row: activity::Model) -> Result<(), DbErr> {
    activity::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn activity(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<activity::Model>, DbErr> {
    activity::Entity::find_by_id(id).one(db).await
}

pub async fn activities(db: &impl ConnectionTrait, plan_id: Uuid) -> Result<Vec<activity::Model>, DbErr> {
    activity::Entity::find()
        .filter(activity::Column::PlanId.eq(plan_id))
        .order_by_asc(activity::Column::CreatedAt)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await
}

/// The activity's next queue number. The update locks the activity's row until the transaction
/// ends, so numbers follow the order in which requests got the lock.
pub async fn next_ticket(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<i64, DbErr> {
    // An i64, as in `waitlist_all`: the driver caches the statement (the same text) with the
    // type its first use bound.
    let updated = activity::Entity::update_many()
        .col_expr(activity::Column::TicketsIssued, Expr::col(activity::Column::TicketsIssued).add(1i64))
        .filter(activity::Column::Id.eq(activity_id))
        .exec_with_returning(db)
        .await?;
    Ok(updated.first().map_or(0, |a| a.tickets_issued))
}

/// Locks the plan's row until the transaction ends (a write that changes nothing).
pub async fn lock_plan(db: &impl ConnectionTrait, plan_id: Uuid) -> Result<(), DbErr> {
    plan::Entity::update_many()
        .col_expr(plan::Column::Status, Expr::col(plan::Column::Status))
        .filter(plan::Column::Id.eq(plan_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Locks the activity's row until the transaction ends (a write that changes nothing): money and
/// seat decisions about the activity that read before they write take turns behind it.
pub async fn lock_activity(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<(), DbErr> {
    activity::Entity::update_many()
        .col_expr(activity::Column::TicketsIssued, Expr::col(activity::Column::TicketsIssued))
        .filter(activity::Column::Id.eq(activity_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes one seat if one is left; `false` when the activity is full.
pub async fn take_seat(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<bool, DbErr> {
    take_seats(db, activity_id, 1).await
}

pub async fn free_seat(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<(), DbErr> {
    activity::Entity::update_many()
        .col_expr(activity::Column::SeatsTaken, Expr::col(activity::Column::SeatsTaken).sub(1))
        .filter(activity::Column::Id.eq(activity_id))
        .filter(activity::Column::SeatsTaken.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Inserts the child's enrolment unless one exists (two guardians enrolling at once: the second
/// finds the first's row). `true` when this call created it.
pub async fn insert_enrolment_if_absent(db: &impl ConnectionTrait, row: enrolment::Model) -> Result<bool, DbErr> {
    let inserted = enrolment::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([enrolment::Column::ActivityId, enrolment::Column::StudentId]).do_nothing().to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn enrolment(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    student_id: Uuid,
) -> Result<Option<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.eq(activity_id))
        .filter(enrolment::Column::StudentId.eq(student_id))
        .one(db)
        .await
}

/// Moves an enrolment from `from` to `to`; `false` when another request moved it first.
pub async fn move_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: EnrolmentStatus,
    to: EnrolmentStatus,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let moved = enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(to))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        // A promotion's offer ends with any change (the promotion sets its own after this).
        .col_expr(enrolment::Column::DeclineBy, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(enrolment::Column::Id.eq(id))
        .filter(enrolment::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(moved.rows_affected == 1)
}

/// Opens a promoted family's time to decline the seat with everything refunded.
pub async fn set_decline_by(db: &impl ConnectionTrait, id: Uuid, until: DateTime<Utc>) -> Result<(), DbErr> {
    enrolment::ActiveModel { id: Set(id), decline_by: Set(Some(until)), ..Default::default() }.update(db).await?;
    Ok(())
}

/// A withdrawn enrolment coming back joins the queue anew.
pub async fn requeue(
    db: &impl ConnectionTrait,
    id: Uuid,
    rank: Option<i16>,
    ticket: i64,
    requested_by: Uuid,
) -> Result<enrolment::Model, DbErr> {
    enrolment::ActiveModel {
        id: Set(id),
        choice_rank: Set(rank),
        ticket: Set(ticket),
        requested_by: Set(requested_by),
        ..Default::default()
    }
    .update(db)
    .await
}

/// The activity's wait list in queue order.
pub async fn waitlist_in_order(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.eq(activity_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::Ticket)
        .all(db)
        .await
}

/// How many wait ahead of `row`.
pub async fn waitlist_ahead(db: &impl ConnectionTrait, row: &enrolment::Model) -> Result<u64, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.eq(row.activity_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .filter(enrolment::Column::Ticket.lt(row.ticket))
        .count(db)
        .await
}

/// The child's enrolments that hold or seek a seat, with their activities.
pub async fn active_enrolments(
    db: &impl ConnectionTrait,
    student_id: Uuid,
) -> Result<Vec<(enrolment::Model, activity::Model)>, DbErr> {
    let rows = enrolment::Entity::find()
        .join(
            JoinType::InnerJoin,
            enrolment::Entity::belongs_to(activity::Entity)
                .from(enrolment::Column::ActivityId)
                .to(activity::Column::Id)
                .into(),
        )
        .filter(enrolment::Column::StudentId.eq(student_id))
        .filter(enrolment::Column::Status.is_not_in([EnrolmentStatus::Withdrawn, EnrolmentStatus::Cancelled]))
        .order_by_asc(enrolment::Column::CreatedAt)
        .select_also(activity::Entity)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(row, activity)| activity.map(|a| (row, a))).collect())
}

pub async fn basic_choices(
    db: &impl ConnectionTrait,
    plan_id: Uuid,
    student_id: Uuid,
) -> Result<Vec<basic_choice::Model>, DbErr> {
    basic_choice::Entity::find()
        .filter(basic_choice::Column::PlanId.eq(plan_id))
        .filter(basic_choice::Column::StudentId.eq(student_id))
        .order_by_asc(basic_choice::Column::EffectiveFrom)
        .all(db)
        .await
}

/// One choice per child and starting week: a second change before it applies replaces the first.
pub async fn upsert_basic_choice(db: &impl ConnectionTrait, row: basic_choice::Model) -> Result<(), DbErr> {
    basic_choice::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([
                basic_choice::Column::PlanId,
                basic_choice::Column::StudentId,
                basic_choice::Column::EffectiveFrom,
            ])
            .update_columns([
                basic_choice::Column::OptedIn,
                basic_choice::Column::Weekdays,
                basic_choice::Column::ChosenBy,
                basic_choice::Column::CreatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

// ---- each day ----

pub async fn enrolled(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.eq(activity_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .all(db)
        .await
}

pub async fn leaves_on(
    db: &impl ConnectionTrait,
    students: Vec<Uuid>,
    date: NaiveDate,
) -> Result<Vec<leave::Model>, DbErr> {
    leave::Entity::find()
        .filter(leave::Column::StudentId.is_in(students))
        .filter(leave::Column::Date.eq(date))
        .all(db)
        .await
}

pub async fn upsert_leave(db: &impl ConnectionTrait, row: leave::Model) -> Result<(), DbErr> {
    leave::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([leave::Column::StudentId, leave::Column::Date])
                .update_columns([leave::Column::Reason, leave::Column::ReportedBy, leave::Column::CreatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records one mark of the roll; a second roll the same day corrects the first (the alert flag
/// stays, so a family is alerted once).
pub async fn upsert_attendance(db: &impl ConnectionTrait, row: attendance::Model) -> Result<(), DbErr> {
    attendance::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([
                attendance::Column::ActivityId,
                attendance::Column::Date,
                attendance::Column::StudentId,
            ])
            .update_columns([
                attendance::Column::Status,
                attendance::Column::RecordedBy,
                attendance::Column::RecordedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Claims the alert of an absence; `false` when it was already sent.
pub async fn claim_alert(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    date: NaiveDate,
    student_id: Uuid,
) -> Result<bool, DbErr> {
    let claimed = attendance::Entity::update_many()
        .col_expr(attendance::Column::Alerted, Expr::value(true))
        .filter(attendance::Column::ActivityId.eq(activity_id))
        .filter(attendance::Column::Date.eq(date))
        .filter(attendance::Column::StudentId.eq(student_id))
        .filter(attendance::Column::Alerted.eq(false))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

pub async fn pickup_code_of_guardian(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    date: NaiveDate,
    guardian_id: Uuid,
) -> Result<Option<pickup_code::Model>, DbErr> {
    pickup_code::Entity::find()
        .filter(pickup_code::Column::StudentId.eq(student_id))
        .filter(pickup_code::Column::Date.eq(date))
        .filter(pickup_code::Column::GuardianId.eq(guardian_id))
        .one(db)
        .await
}

pub async fn pickup_code(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    date: NaiveDate,
    code: &str,
) -> Result<Option<pickup_code::Model>, DbErr> {
    pickup_code::Entity::find()
        .filter(pickup_code::Column::StudentId.eq(student_id))
        .filter(pickup_code::Column::Date.eq(date))
        .filter(pickup_code::Column::Code.eq(code))
        .one(db)
        .await
}

/// Stores a code unless the child already has the same one that day; `false` on a clash.
pub async fn insert_pickup_code(db: &impl ConnectionTrait, row: pickup_code::Model) -> Result<bool, DbErr> {
    let inserted = pickup_code::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([pickup_code::Column::StudentId, pickup_code::Column::Date, pickup_code::Column::Code])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

pub async fn walk_alone(db: &impl ConnectionTrait, student_id: Uuid) -> Result<bool, DbErr> {
    Ok(walk_alone::Entity::find_by_id(student_id).one(db).await?.is_some_and(|w| w.consent))
}

pub async fn set_walk_alone(db: &impl ConnectionTrait, row: walk_alone::Model) -> Result<(), DbErr> {
    walk_alone::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::column(walk_alone::Column::StudentId)
                .update_columns([
                    walk_alone::Column::Consent,
                    walk_alone::Column::ConsentedBy,
                    walk_alone::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn sign_out_of(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    date: NaiveDate,
    student_id: Uuid,
) -> Result<Option<sign_out::Model>, DbErr> {
    sign_out::Entity::find_by_id((activity_id, date, student_id)).one(db).await
}

/// Records a release; `false` when the child was already signed out (the first stands).
pub async fn insert_sign_out(db: &impl ConnectionTrait, row: sign_out::Model) -> Result<bool, DbErr> {
    let inserted = sign_out::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([sign_out::Column::ActivityId, sign_out::Column::Date, sign_out::Column::StudentId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// The applications still waiting for the draw in these activities, oldest first.
pub async fn applications(db: &impl ConnectionTrait, activity_ids: &[Uuid]) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.is_in(activity_ids.iter().copied()))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Applied))
        .order_by_asc(enrolment::Column::Ticket)
        .all(db)
        .await
}

/// Moves the rows still `from` to `to`, at once: the rows that moved.
pub async fn move_all(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    from: EnrolmentStatus,
    to: EnrolmentStatus,
    now: DateTime<Utc>,
) -> Result<Vec<enrolment::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(to))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .col_expr(enrolment::Column::DeclineBy, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(enrolment::Column::Id.is_in(ids.iter().copied()))
        .filter(enrolment::Column::Status.eq(from))
        .exec_with_returning(db)
        .await
}

/// Takes `n` seats at once if that many are left; `false` (and nothing taken) otherwise.
pub async fn take_seats(db: &impl ConnectionTrait, activity_id: Uuid, n: usize) -> Result<bool, DbErr> {
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    let taken = activity::Entity::update_many()
        .col_expr(activity::Column::SeatsTaken, Expr::col(activity::Column::SeatsTaken).add(n))
        .filter(activity::Column::Id.eq(activity_id))
        .filter(Expr::col(activity::Column::SeatsTaken).add(n).lte(Expr::col(activity::Column::Capacity)))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Puts applications on the activity's wait list in the order given, with queue numbers issued
/// after every one before: two statements however many.
pub async fn waitlist_all(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::CaseStatement;
    let Some(count) = i64::try_from(ids.len()).ok().filter(|n| *n > 0) else { return Ok(()) };
    let issued = activity::Entity::update_many()
        .col_expr(activity::Column::TicketsIssued, Expr::col(activity::Column::TicketsIssued).add(count))
        .filter(activity::Column::Id.eq(activity_id))
        .exec_with_returning(db)
        .await?;
    let last = issued.first().map_or(count, |a| a.tickets_issued);
    let tickets = ids.iter().zip(last - count + 1..).fold(CaseStatement::new(), |case, (id, ticket)| {
        case.case(Expr::col(enrolment::Column::Id).eq(*id), Expr::value(ticket))
    });
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(EnrolmentStatus::Waitlisted))
        .col_expr(enrolment::Column::Ticket, tickets.finally(Expr::col(enrolment::Column::Ticket)).into())
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
        .filter(enrolment::Column::Id.is_in(ids.iter().copied()))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Applied))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn insert_draw(db: &impl ConnectionTrait, row: draw::Model) -> Result<(), DbErr> {
    draw::Entity::insert(draw::ActiveModel::from(row)).exec_without_returning(db).await?;
    Ok(())
}

// ---- the white list (AS_PROVIDERS) ----

pub async fn providers(db: &impl ConnectionTrait, district_id: Uuid) -> Result<Vec<provider::Model>, DbErr> {
    provider::Entity::find()
        .filter(provider::Column::DistrictId.eq(district_id))
        .order_by_asc(provider::Column::Name)
        .order_by_asc(provider::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn provider(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<provider::Model>, DbErr> {
    provider::Entity::find_by_id(id).one(db).await
}

/// The district's entry of that name still on the list (not removed), if any.
pub async fn listed_provider_named(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    name: &str,
) -> Result<Option<provider::Model>, DbErr> {
    provider::Entity::find()
        .filter(provider::Column::DistrictId.eq(district_id))
        .filter(provider::Column::Name.eq(name))
        .filter(provider::Column::RemovedAt.is_null())
        .one(db)
        .await
}

pub async fn insert_provider(db: &impl ConnectionTrait, row: provider::Model) -> Result<(), DbErr> {
    provider::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

/// New validity dates, or the removal, of an entry (its name and code never change).
pub async fn update_provider(db: &impl ConnectionTrait, row: &provider::Model) -> Result<(), DbErr> {
    provider::ActiveModel {
        id: Set(row.id),
        valid_from: Set(row.valid_from),
        valid_until: Set(row.valid_until),
        removed_at: Set(row.removed_at),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Activities naming each of these white-list entries (not cancelled).
pub async fn activities_of_providers(
    db: &impl ConnectionTrait,
    provider_ids: Vec<Uuid>,
) -> Result<Vec<activity::Model>, DbErr> {
    activity::Entity::find()
        .filter(activity::Column::ProviderId.is_in(provider_ids))
        .filter(activity::Column::CancelledAt.is_null())
        .all(db)
        .await
}

// ---- the fee ledger (AS_FEES) ----

pub async fn insert_fee_entries(db: &impl ConnectionTrait, rows: Vec<fee_entry::Model>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    fee_entry::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn in_order(query: sea_orm::Select<fee_entry::Entity>) -> sea_orm::Select<fee_entry::Entity> {
    query.order_by_asc(fee_entry::Column::CreatedAt).order_by_asc(fee_entry::Column::Id)
}

/// A child's account for one activity, oldest entry first.
pub async fn fee_entries(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    student_id: Uuid,
) -> Result<Vec<fee_entry::Model>, DbErr> {
    in_order(
        fee_entry::Entity::find()
            .filter(fee_entry::Column::ActivityId.eq(activity_id))
            .filter(fee_entry::Column::StudentId.eq(student_id)),
    )
    .all(db)
    .await
}

/// A child's accounts for every activity of a plan.
pub async fn fee_entries_of_child(
    db: &impl ConnectionTrait,
    student_id: Uuid,
    plan_id: Uuid,
) -> Result<Vec<fee_entry::Model>, DbErr> {
    in_order(
        fee_entry::Entity::find()
            .filter(fee_entry::Column::StudentId.eq(student_id))
            .filter(fee_entry::Column::PlanId.eq(plan_id)),
    )
    .all(db)
    .await
}

/// Every child's account for an activity.
pub async fn fee_entries_of_activity(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
) -> Result<Vec<fee_entry::Model>, DbErr> {
    in_order(fee_entry::Entity::find().filter(fee_entry::Column::ActivityId.eq(activity_id))).all(db).await
}

pub async fn fee_waiver(
    db: &impl ConnectionTrait,
    plan_id: Uuid,
    student_id: Uuid,
) -> Result<Option<fee_waiver::Model>, DbErr> {
    fee_waiver::Entity::find_by_id((plan_id, student_id)).one(db).await
}

pub async fn upsert_fee_waiver(db: &impl ConnectionTrait, row: fee_waiver::Model) -> Result<(), DbErr> {
    fee_waiver::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([fee_waiver::Column::PlanId, fee_waiver::Column::StudentId])
                .update_columns([
                    fee_waiver::Column::Percent,
                    fee_waiver::Column::Reason,
                    fee_waiver::Column::SetBy,
                    fee_waiver::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

// ---- the enrolment window ----

pub async fn set_window(db: &impl ConnectionTrait, row: &plan::Model) -> Result<(), DbErr> {
    plan::ActiveModel {
        id: Set(row.id),
        enrolment_opens_at: Set(row.enrolment_opens_at),
        enrolment_closes_at: Set(row.enrolment_closes_at),
        add_drop_closes_at: Set(row.add_drop_closes_at),
        decline_hours: Set(row.decline_hours),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Published plans whose first round has closed and whose close has not run.
pub async fn plans_to_close(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<plan::Model>, DbErr> {
    plan::Entity::find()
        .filter(plan::Column::Status.eq(PlanStatus::Published))
        .filter(plan::Column::EnrolmentClosesAt.lte(now))
        .filter(plan::Column::EnrolmentClosedAt.is_null())
        .all(db)
        .await
}

/// Claims the close of a plan's first round: true for the one transaction that gets it.
pub async fn claim_close(db: &impl ConnectionTrait, plan_id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let claimed = plan::Entity::update_many()
        .col_expr(plan::Column::EnrolmentClosedAt, Expr::value(now))
        .filter(plan::Column::Id.eq(plan_id))
        .filter(plan::Column::EnrolmentClosedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Cancels an activity: no seats are taken any more.
pub async fn cancel_activity(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    activity::Entity::update_many()
        .col_expr(activity::Column::CancelledAt, Expr::value(now))
        .col_expr(activity::Column::SeatsTaken, Expr::value(0))
        .filter(activity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// An activity's enrolments still standing (enrolled, wait-listed or applied).
pub async fn standing_enrolments(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::ActivityId.eq(activity_id))
        .filter(enrolment::Column::Status.is_not_in([EnrolmentStatus::Withdrawn, EnrolmentStatus::Cancelled]))
        .all(db)
        .await
}

// ---- extended care (AS_EXTENDED_CARE) ----

pub async fn extended_care_of(
    db: &impl ConnectionTrait,
    plan_id: Uuid,
    student_id: Uuid,
) -> Result<Option<extended_care::Model>, DbErr> {
    extended_care::Entity::find()
        .filter(extended_care::Column::PlanId.eq(plan_id))
        .filter(extended_care::Column::StudentId.eq(student_id))
        .one(db)
        .await
}

pub async fn extended_care_of_plan(
    db: &impl ConnectionTrait,
    plan_id: Uuid,
) -> Result<Vec<extended_care::Model>, DbErr> {
    extended_care::Entity::find().filter(extended_care::Column::PlanId.eq(plan_id)).all(db).await
}

/// Inserts the application, or replaces the child's standing one (one per child and plan, by the
/// unique index: two guardians applying at once leave one row).
pub async fn save_extended_care(db: &impl ConnectionTrait, row: extended_care::Model) -> Result<(), DbErr> {
    extended_care::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([extended_care::Column::PlanId, extended_care::Column::StudentId])
                .update_columns([
                    extended_care::Column::Weekdays,
                    extended_care::Column::Reason,
                    extended_care::Column::Status,
                    extended_care::Column::DecisionReason,
                    extended_care::Column::RequestedBy,
                    extended_care::Column::DecidedBy,
                    extended_care::Column::CreatedAt,
                    extended_care::Column::DecidedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

// ---- children not signed out ----

/// Children marked present from `since` on whose school has not been told they were not signed out
/// (whether they were is the caller's check).
pub async fn present_not_escalated(
    db: &impl ConnectionTrait,
    since: NaiveDate,
) -> Result<Vec<attendance::Model>, DbErr> {
    attendance::Entity::find()
        .filter(attendance::Column::Status.eq(super::model::RollStatus::Present))
        .filter(attendance::Column::Escalated.eq(false))
        .filter(attendance::Column::Date.gte(since))
        .all(db)
        .await
}

/// Claims the escalation of a child not signed out; `false` when the school was told already.
pub async fn claim_escalation(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    date: NaiveDate,
    student_id: Uuid,
) -> Result<bool, DbErr> {
    let claimed = attendance::Entity::update_many()
        .col_expr(attendance::Column::Escalated, Expr::value(true))
        .filter(attendance::Column::ActivityId.eq(activity_id))
        .filter(attendance::Column::Date.eq(date))
        .filter(attendance::Column::StudentId.eq(student_id))
        .filter(attendance::Column::Escalated.eq(false))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

// ---- lottery rules ----

pub async fn set_lottery_rules(db: &impl ConnectionTrait, row: &plan::Model) -> Result<(), DbErr> {
    plan::ActiveModel {
        id: Set(row.id),
        weekly_limit: Set(row.weekly_limit),
        none_last_term_first: Set(row.none_last_term_first),
        siblings_together: Set(row.siblings_together),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The school's published plan for the term before `term_start` (the latest that ended before it).
pub async fn previous_plan(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    term_start: NaiveDate,
) -> Result<Option<plan::Model>, DbErr> {
    plan::Entity::find()
        .filter(plan::Column::SchoolId.eq(school_id))
        .filter(plan::Column::Status.eq(PlanStatus::Published))
        .filter(plan::Column::TermEnd.lt(term_start))
        .order_by_desc(plan::Column::TermEnd)
        .one(db)
        .await
}

/// Every enrolment, in any state, in these activities.
pub async fn enrolments_in(db: &impl ConnectionTrait, activity_ids: Vec<Uuid>) -> Result<Vec<enrolment::Model>, DbErr> {
    enrolment::Entity::find().filter(enrolment::Column::ActivityId.is_in(activity_ids)).all(db).await
}

// ---- families' ratings (AS_EVALUATION) ----

/// Saves the child's rating of the activity, replacing the one it had.
pub async fn upsert_rating(db: &impl ConnectionTrait, row: rating::Model) -> Result<(), DbErr> {
    rating::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([rating::Column::ActivityId, rating::Column::StudentId])
                .update_columns([
                    rating::Column::Rating,
                    rating::Column::Comment,
                    rating::Column::RatedBy,
                    rating::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Every rating of these activities, the latest first.
pub async fn ratings_of(db: &impl ConnectionTrait, activity_ids: Vec<Uuid>) -> Result<Vec<rating::Model>, DbErr> {
    rating::Entity::find()
        .filter(rating::Column::ActivityId.is_in(activity_ids))
        .order_by_desc(rating::Column::UpdatedAt)
        .order_by_asc(rating::Column::ActivityId)
        .order_by_asc(rating::Column::StudentId)
        .all(db)
        .await
}

/// Whether the child was signed out of any activity on `date`.
pub async fn signed_out_anywhere(db: &impl ConnectionTrait, student_id: Uuid, date: NaiveDate) -> Result<bool, DbErr> {
    Ok(sign_out::Entity::find()
        .filter(sign_out::Column::StudentId.eq(student_id))
        .filter(sign_out::Column::Date.eq(date))
        .one(db)
        .await?
        .is_some())
}

/// The activities the child was marked present at on `date`.
pub async fn present_at(db: &impl ConnectionTrait, student_id: Uuid, date: NaiveDate) -> Result<Vec<Uuid>, DbErr> {
    Ok(attendance::Entity::find()
        .filter(attendance::Column::StudentId.eq(student_id))
        .filter(attendance::Column::Date.eq(date))
        .filter(attendance::Column::Status.eq(super::model::RollStatus::Present))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.activity_id)
        .collect())
}

// Reads for the bureau's figures: a district's schools at once, counted by the database.

/// Each school's current published plan candidates (not ended on `today`), the earliest first.
pub async fn current_plans(
    db: &impl ConnectionTrait,
    school_ids: Vec<Uuid>,
    today: NaiveDate,
) -> Result<Vec<plan::Model>, DbErr> {
    if school_ids.is_empty() {
        return Ok(Vec::new());
    }
    plan::Entity::find()
        .filter(plan::Column::SchoolId.is_in(school_ids))
        .filter(plan::Column::Status.eq(PlanStatus::Published))
        .filter(plan::Column::TermEnd.gte(today))
        .order_by_asc(plan::Column::TermStart)
        .all(db)
        .await
}

pub async fn sessions_of_plans(db: &impl ConnectionTrait, plan_ids: Vec<Uuid>) -> Result<Vec<session::Model>, DbErr> {
    if plan_ids.is_empty() {
        return Ok(Vec::new());
    }
    session::Entity::find()
        .filter(session::Column::PlanId.is_in(plan_ids))
        .order_by_asc(session::Column::Weekday)
        .order_by_asc(session::Column::StartMinute)
        .all(db)
        .await
}

pub async fn activities_of_plans(
    db: &impl ConnectionTrait,
    plan_ids: Vec<Uuid>,
) -> Result<Vec<activity::Model>, DbErr> {
    if plan_ids.is_empty() {
        return Ok(Vec::new());
    }
    activity::Entity::find()
        .filter(activity::Column::PlanId.is_in(plan_ids))
        .order_by_asc(activity::Column::CreatedAt)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await
}

/// Rows of a grouped count: the group's id and its `N` counts, read by column name.
async fn counted_rows<const N: usize>(
    db: &impl ConnectionTrait,
    query: &sea_orm::sea_query::SelectStatement,
    key: &str,
    counts: [&str; N],
) -> Result<Vec<(Uuid, [u64; N])>, DbErr> {
    let mut out = Vec::new();
    for row in db.query_all(query).await? {
        let mut values = [0u64; N];
        for (value, column) in values.iter_mut().zip(counts) {
            *value = count_of(row.try_get("", column)?);
        }
        out.push((row.try_get("", key)?, values));
    }
    Ok(out)
}

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Per plan: students opted in to the basic service by the choice in force on `today` (each
/// student's latest that has begun), and those of them staying all five weekdays (stored as no
/// weekdays listed).
pub async fn basic_counts(
    db: &impl ConnectionTrait,
    plan_ids: Vec<Uuid>,
    today: NaiveDate,
) -> Result<HashMap<Uuid, (u64, u64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Cond, Query};
    if plan_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let latest = Alias::new("latest");
    let c = |col: basic_choice::Column| Expr::col((basic_choice::Entity, col));
    let in_force = Query::select()
        .column(basic_choice::Column::PlanId)
        .column(basic_choice::Column::StudentId)
        .expr_as(Expr::col(basic_choice::Column::EffectiveFrom).max(), Alias::new("effective_from"))
        .from(basic_choice::Entity)
        .and_where(Expr::col(basic_choice::Column::PlanId).is_in(plan_ids))
        .and_where(Expr::col(basic_choice::Column::EffectiveFrom).lte(today))
        .group_by_col(basic_choice::Column::PlanId)
        .group_by_col(basic_choice::Column::StudentId)
        .to_owned();
    let opted = c(basic_choice::Column::OptedIn).eq(true);
    let query = Query::select()
        .expr_as(c(basic_choice::Column::PlanId), Alias::new("plan_id"))
        .expr_as(Expr::case(opted.clone(), 1).finally(0).sum(), Alias::new("in_basic"))
        .expr_as(
            Expr::case(Cond::all().add(opted).add(c(basic_choice::Column::Weekdays).eq("")), 1).finally(0).sum(),
            Alias::new("five_days"),
        )
        .from(basic_choice::Entity)
        .join_subquery(
            sea_orm::sea_query::JoinType::InnerJoin,
            in_force,
            latest.clone(),
            Cond::all()
                .add(
                    Expr::col((latest.clone(), Alias::new("plan_id")))
                        .equals((basic_choice::Entity, basic_choice::Column::PlanId)),
                )
                .add(
                    Expr::col((latest.clone(), Alias::new("student_id")))
                        .equals((basic_choice::Entity, basic_choice::Column::StudentId)),
                )
                .add(
                    Expr::col((latest, Alias::new("effective_from")))
                        .equals((basic_choice::Entity, basic_choice::Column::EffectiveFrom)),
                ),
        )
        .group_by_col((basic_choice::Entity, basic_choice::Column::PlanId))
        .to_owned();
    Ok(counted_rows(db, &query, "plan_id", ["in_basic", "five_days"])
        .await?
        .into_iter()
        .map(|(plan, [basic, five])| (plan, (basic, five)))
        .collect())
}

/// Per plan: the distinct students holding a seat in any of these activities.
pub async fn seated_students_by_plan(
    db: &impl ConnectionTrait,
    activity_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    if activity_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = Query::select()
        .expr_as(Expr::col((activity::Entity, activity::Column::PlanId)), Alias::new("plan_id"))
        .expr_as(Expr::col((enrolment::Entity, enrolment::Column::StudentId)).count_distinct(), Alias::new("seated"))
        .from(enrolment::Entity)
        .inner_join(
            activity::Entity,
            Expr::col((activity::Entity, activity::Column::Id))
                .equals((enrolment::Entity, enrolment::Column::ActivityId)),
        )
        .and_where(Expr::col((enrolment::Entity, enrolment::Column::ActivityId)).is_in(activity_ids))
        .and_where(Expr::col((enrolment::Entity, enrolment::Column::Status)).eq(EnrolmentStatus::Enrolled))
        .group_by_col((activity::Entity, activity::Column::PlanId))
        .to_owned();
    Ok(counted_rows(db, &query, "plan_id", ["seated"])
        .await?
        .into_iter()
        .map(|(plan, [seated])| (plan, seated))
        .collect())
}

/// Per plan: the roll's entries from `from` to `to` in its activities not cancelled, and those
/// marked present.
pub async fn roll_counts_by_plan(
    db: &impl ConnectionTrait,
    plan_ids: Vec<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<Uuid, (u64, u64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    if plan_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let status = Expr::col((attendance::Entity, attendance::Column::Status));
    let query = Query::select()
        .expr_as(Expr::col((activity::Entity, activity::Column::PlanId)), Alias::new("plan_id"))
        .expr_as(Expr::col((attendance::Entity, attendance::Column::StudentId)).count(), Alias::new("entries"))
        .expr_as(Expr::case(status.eq(super::model::RollStatus::Present), 1).finally(0).sum(), Alias::new("present"))
        .from(attendance::Entity)
        .inner_join(
            activity::Entity,
            Expr::col((activity::Entity, activity::Column::Id))
                .equals((attendance::Entity, attendance::Column::ActivityId)),
        )
        .and_where(Expr::col((activity::Entity, activity::Column::PlanId)).is_in(plan_ids))
        .and_where(Expr::col((activity::Entity, activity::Column::CancelledAt)).is_null())
        .and_where(Expr::col((attendance::Entity, attendance::Column::Date)).gte(from))
        .and_where(Expr::col((attendance::Entity, attendance::Column::Date)).lte(to))
        .group_by_col((activity::Entity, activity::Column::PlanId))
        .to_owned();
    Ok(counted_rows(db, &query, "plan_id", ["entries", "present"])
        .await?
        .into_iter()
        .map(|(plan, [entries, present])| (plan, (entries, present)))
        .collect())
}
