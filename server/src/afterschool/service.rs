//! After-school use cases: the school's plan and its activities, families' enrolment and basic
//! choice, and what a family sees of it. Each state change is one transaction; seats are taken by
//! a conditional update in it (see `repo`).

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::dto::{
    Activity, ActivityList, BasicChoice, BasicStatus, Breach, ChildActivity, ChildAfterschool, CreateActivity,
    CreatePlan, Delegate, DistrictSettings, DrawRequest, DrawResult, DrawnActivity, Enrol, Enrolment, Fee, Leave,
    PickupCode, Plan, Provider, Roll, RollSummary, SessionInput, SignOut, SignOutRequest, WalkAlone,
};
use super::error::{AfterschoolError, breach_message};
use super::model::{
    Allocation, EnrolmentStatus, FeeKind, PlanStatus, ProviderKind, ProviderStanding, ReleasedTo, RollStatus,
    SessionKind, activity, attendance, basic_choice, draw, enrolment, leave, pickup_code, plan, session, sign_out,
    walk_alone,
};
use super::rules::{self, Minute, Session};
use super::{lottery, repo};

pub mod enrolment_window;
pub mod extended_care;
pub mod fees;
pub mod figures;
pub mod lottery_rules;
pub mod ratings;
pub mod release;
pub mod wait_list;
pub mod white_list;
use crate::access::{self, BureauOfficer, Caller, SchoolAdmin};
use crate::delivery::outbox;
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::i18n::current_lang;
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::input::{is_blank_char, optional_text, visible_text};
use crate::org::model::{FIRST_GRADE, LAST_GRADE, NAME_MAX_CHARS, school, student};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

/// Longest term a plan may cover, in days.
pub const MAX_TERM_DAYS: i64 = 200;
/// Most sessions a plan may have.
pub const MAX_SESSIONS: usize = 50;
/// Longest activity description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
/// Longest room, in characters.
pub const ROOM_MAX_CHARS: usize = 100;
/// The seats an activity may offer.
pub const CAPACITY: RangeInclusive<u32> = 1..=1_000;
/// The fees an activity may charge per term, in fen.
pub const FEE_FEN: RangeInclusive<i64> = 0..=10_000_000;
/// Longest lottery seed a school may give, in characters.
pub const SEED_MAX_CHARS: usize = 64;

/// The ranks a family may give its lottery choices (1 = first).
pub const RANKS: RangeInclusive<u8> = 1..=9;
/// Most entries one roll call may carry.
pub const MAX_ROLL_ENTRIES: usize = 500;
/// Longest leave reason, in characters.
pub const REASON_MAX_CHARS: usize = 200;
/// How many digits a delegate's mobile number has.
pub const PHONE_DIGITS: usize = 11;
/// A delegate's mobile number as the API document states it; a test keeps it [`PHONE_DIGITS`] long.
pub const PHONE: &str = r"^[0-9]{11}$";

// ---- parsing: requests into domain types, before any transaction ----

fn time(field: &'static str, text: &str) -> Result<Minute, AfterschoolError> {
    rules::parse_hhmm(text).ok_or_else(|| {
        AfterschoolError::invalid(field, "时间须为 HH:MM（24 小时制）。", "Must be a time as HH:MM (24-hour).")
    })
}

fn grades(field: &'static str, grades: &[u8]) -> Result<Vec<u8>, AfterschoolError> {
    if grades.iter().any(|&g| !(FIRST_GRADE..=LAST_GRADE).contains(&i16::from(g))) {
        return Err(AfterschoolError::invalid(
            field,
            format!("年级须为 {FIRST_GRADE} 到 {LAST_GRADE}。"),
            format!("Grades are {FIRST_GRADE} to {LAST_GRADE}."),
        ));
    }
    let mut out = grades.to_vec();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn weekdays(field: &'static str, days: &[u8], allow_empty: bool) -> Result<Vec<u8>, AfterschoolError> {
    if (!allow_empty && days.is_empty()) || days.iter().any(|d| !rules::WEEKDAYS.contains(d)) {
        let (first, last) = (rules::WEEKDAYS.start(), rules::WEEKDAYS.end());
        return Err(AfterschoolError::invalid(
            field,
            format!("星期须为 {first}（周一）到 {last}（周五）。"),
            format!("Weekdays are {first} (Monday) to {last} (Friday)."),
        ));
    }
    let mut out = days.to_vec();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn parse_session(input: &SessionInput) -> Result<Session, AfterschoolError> {
    let weekday = weekdays("sessions.weekday", &[input.weekday], false)?[0];
    let (start, end) = (time("sessions.start", &input.start)?, time("sessions.end", &input.end)?);
    if end <= start {
        return Err(AfterschoolError::invalid(
            "sessions.end",
            "结束时间须晚于开始时间。",
            "The end must be after the start.",
        ));
    }
    Ok(Session { weekday, kind: input.kind, start, end, grades: grades("sessions.grades", &input.grades)? })
}

fn parse_plan(req: &CreatePlan) -> Result<Vec<Session>, AfterschoolError> {
    let days = (req.term_end - req.term_start).num_days();
    if !(0..=MAX_TERM_DAYS).contains(&days) {
        return Err(AfterschoolError::invalid(
            "term_end",
            format!("学期须在开始日期之后，且不超过 {MAX_TERM_DAYS} 天。"),
            format!("The term ends after it starts and lasts at most {MAX_TERM_DAYS} days."),
        ));
    }
    if req.sessions.len() > MAX_SESSIONS {
        return Err(AfterschoolError::invalid(
            "sessions",
            format!("时段过多（最多 {MAX_SESSIONS} 个）。"),
            format!("Too many sessions ({MAX_SESSIONS} at most)."),
        ));
    }
    req.sessions.iter().map(parse_session).collect()
}

/// Days or grades as stored (`1,3,5`), and back; summer care stores its grades the same way.
pub(crate) fn list(values: &[u8]) -> String {
    values.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
}

pub(crate) fn unlist(text: &str) -> Vec<u8> {
    text.split(',').filter_map(|v| v.trim().parse().ok()).collect()
}

fn session_of(row: &session::Model) -> Session {
    Session {
        weekday: row.weekday as u8,
        kind: row.kind,
        start: row.start_minute as Minute,
        end: row.end_minute as Minute,
        grades: unlist(&row.grades),
    }
}

fn session_dto(s: &Session) -> SessionInput {
    SessionInput {
        weekday: s.weekday,
        kind: s.kind,
        start: rules::hhmm(s.start),
        end: rules::hhmm(s.end),
        grades: s.grades.clone(),
    }
}

// ---- facts the rules need ----

async fn school(db: &impl sea_orm::ConnectionTrait, school_id: Uuid) -> ApiResult<school::Model> {
    crate::org::repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)
}

/// The grade (1–9) of the pupil's class.
pub(crate) async fn grade_of(db: &impl sea_orm::ConnectionTrait, pupil: &student::Model) -> ApiResult<u8> {
    let classes = crate::org::repo::classes_by_id(db, vec![pupil.class_id]).await?;
    Ok(classes.get(&pupil.class_id).map_or(0, |c| c.grade as u8))
}

async fn off_work(db: &impl sea_orm::ConnectionTrait, district_id: Uuid) -> ApiResult<Minute> {
    Ok(repo::off_work_minute(db, district_id).await?.map(|m| m as Minute).unwrap_or(rules::DEFAULT_OFF_WORK))
}

async fn plan_view(db: &impl sea_orm::ConnectionTrait, row: plan::Model, now: DateTime<Utc>) -> ApiResult<Plan> {
    let school = school(db, row.school_id).await?;
    let sessions: Vec<Session> = repo::sessions(db, row.id).await?.iter().map(session_of).collect();
    let breaches = rules::plan_breaches(&sessions, school.stage_system, off_work(db, school.district_id).await?);
    let lang = current_lang();
    Ok(Plan {
        id: row.id,
        school_id: row.school_id,
        term_start: row.term_start,
        term_end: row.term_end,
        status: row.status,
        sessions: sessions.iter().map(session_dto).collect(),
        breaches: breaches
            .iter()
            .map(|b| Breach {
                rule: b.rule(),
                weekday: b.weekday(),
                message: breach_message(b).in_lang(lang).to_owned(),
            })
            .collect(),
        published_at: row.published_at,
        enrolment: enrolment_window::view(&row, now),
        lottery_rules: lottery_rules::view(&row),
    })
}

// ---- the school's plan ----

/// Saves a plan as a draft; its `breaches` say what publishing would refuse.
pub async fn create_plan(state: &AppState, admin: &SchoolAdmin, req: CreatePlan) -> ApiResult<Plan> {
    let sessions = parse_plan(&req)?;
    let now = state.clock.now();
    let row = plan::Model {
        id: Uuid::new_v4(),
        school_id: admin.school_id(),
        term_start: req.term_start,
        term_end: req.term_end,
        status: PlanStatus::Draft,
        created_at: now,
        published_at: None,
        enrolment_opens_at: None,
        enrolment_closes_at: None,
        add_drop_closes_at: None,
        enrolment_closed_at: None,
        weekly_limit: None,
        none_last_term_first: false,
        siblings_together: false,
        decline_hours: None,
    };
    let session_rows = sessions
        .iter()
        .map(|s| session::Model {
            id: Uuid::new_v4(),
            plan_id: row.id,
            weekday: i16::from(s.weekday),
            kind: s.kind,
            start_minute: i32::from(s.start),
            end_minute: i32::from(s.end),
            grades: list(&s.grades),
        })
        .collect();
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::insert_plan(&txn, row.clone(), session_rows).await?;
    let view = plan_view(&txn, row, now).await?;
    txn.commit().await?;
    Ok(view)
}

async fn managed_plan(db: &impl sea_orm::ConnectionTrait, caller: &Caller, plan_id: Uuid) -> ApiResult<plan::Model> {
    let row = repo::plan(db, plan_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_admin(db, caller, row.school_id).await?;
    Ok(row)
}

/// The plan, for the school's staff.
pub async fn plan(state: &AppState, caller: &Caller, plan_id: Uuid) -> ApiResult<Plan> {
    let row = repo::plan(&state.db, plan_id).await?.ok_or_else(ApiError::not_found)?;
    access::staff_member(&state.db, caller, row.school_id).await?;
    plan_view(&state.db, row, state.clock.now()).await
}

/// Publishes the plan when it breaks no rule (`AS_5_PLUS_2`, `AS_END_TIME`, `AS_EVENING_STUDY`);
/// publishing a published plan answers it unchanged.
pub async fn publish(state: &AppState, caller: &Caller, plan_id: Uuid) -> ApiResult<Plan> {
    let txn = crate::infra::db::begin(&state.db).await?;
    let row = managed_plan(&txn, caller, plan_id).await?;
    if row.status == PlanStatus::Draft {
        let school = school(&txn, row.school_id).await?;
        let sessions: Vec<Session> = repo::sessions(&txn, row.id).await?.iter().map(session_of).collect();
        let breaches = rules::plan_breaches(&sessions, school.stage_system, off_work(&txn, school.district_id).await?);
        if !breaches.is_empty() {
            return Err(AfterschoolError::PlanBreaks(breaches).into());
        }
        repo::publish(&txn, row.id, state.clock.now()).await?;
    }
    let published = repo::plan(&txn, plan_id).await?.ok_or_else(ApiError::not_found)?;
    let view = plan_view(&txn, published, state.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

// ---- activities ----

/// An activity as the API shows it; `standing` is its institution's place on the white list today.
fn activity_view(row: &activity::Model, standing: Option<ProviderStanding>) -> Activity {
    Activity {
        id: row.id,
        plan_id: row.plan_id,
        school_id: row.school_id,
        name: row.name.clone(),
        category: row.category,
        description: row.description.clone(),
        weekdays: unlist(&row.weekdays),
        start: rules::hhmm(row.start_minute as Minute),
        end: rules::hhmm(row.end_minute as Minute),
        grades: unlist(&row.grades),
        room: row.room.clone(),
        capacity: row.capacity as u32,
        min_size: row.min_size as u32,
        seats_taken: row.seats_taken as u32,
        seats_left: (row.capacity - row.seats_taken).max(0) as u32,
        in_charge_account_id: row.in_charge_account_id,
        provider: Provider { kind: row.provider_kind, name: row.provider_name.clone(), white_list_id: row.provider_id },
        provider_standing: standing,
        fee: fee_of(row),
        allocation: row.allocation,
        cancelled: row.cancelled_at.is_some(),
    }
}

fn fee_of(row: &activity::Model) -> Fee {
    Fee {
        kind: row.fee_kind,
        amount_fen: (row.fee_kind != FeeKind::Free).then_some(row.fee_amount_fen),
        per: row.fee_per,
    }
}

/// Text a person typed: not blank, at most `max` characters as sent; trimmed. `missing` says
/// what to fill in when it is blank.
fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
    missing: (&str, &str),
) -> Result<String, AfterschoolError> {
    if value.chars().count() > max {
        return Err(too_long(field, max));
    }
    visible_text(value, max).map(str::to_owned).ok_or_else(|| AfterschoolError::invalid(field, missing.0, missing.1))
}

/// Optional text: at most `max` characters as sent; trimmed, `None` when blank.
fn optional(field: &'static str, value: &str, max: usize) -> Result<Option<String>, AfterschoolError> {
    optional_text(value, max).map(|text| text.map(str::to_owned)).map_err(|_| too_long(field, max))
}

fn too_long(field: &'static str, max: usize) -> AfterschoolError {
    AfterschoolError::invalid(field, format!("不超过 {max} 个字符。"), format!("At most {max} characters."))
}

/// A delegate's mobile number: [`PHONE_DIGITS`] ASCII digits, nothing else.
fn is_phone(text: &str) -> bool {
    text.len() == PHONE_DIGITS && text.bytes().all(|b| b.is_ascii_digit())
}

/// Adds an activity to a plan (draft or published), inside the plan's sessions.
pub async fn add_activity(
    state: &AppState,
    caller: &Caller,
    plan_id: Uuid,
    req: CreateActivity,
) -> ApiResult<Activity> {
    let name = required_text("name", &req.name, NAME_MAX_CHARS, ("请填写活动名称。", "Name the activity."))?;
    let description = optional("description", &req.description, DESCRIPTION_MAX_CHARS)?.unwrap_or_default();
    let days = weekdays("weekdays", &req.weekdays, false)?;
    let (start, end) = (time("start", &req.start)?, time("end", &req.end)?);
    if end <= start {
        return Err(
            AfterschoolError::invalid("end", "结束时间须晚于开始时间。", "The end must be after the start.").into()
        );
    }
    let eligible = grades("grades", &req.grades)?;
    if !CAPACITY.contains(&req.capacity) {
        let (least, most) = (CAPACITY.start(), CAPACITY.end());
        return Err(AfterschoolError::invalid(
            "capacity",
            format!("名额须为 {least} 到 {most}。"),
            format!("Capacity is {least} to {most}."),
        )
        .into());
    }
    if req.min_size > req.capacity {
        return Err(AfterschoolError::invalid(
            "min_size",
            "最低开班人数不能超过名额。",
            "The minimum size cannot exceed the capacity.",
        )
        .into());
    }
    let provider_name = optional("provider.name", &req.provider.name, NAME_MAX_CHARS)?;
    let institution = req.provider.kind == ProviderKind::Institution;
    // An institution's name comes from its white-list entry.
    if !institution && req.provider.kind != ProviderKind::SchoolTeacher && provider_name.is_none() {
        return Err(AfterschoolError::invalid("provider.name", "请填写提供者名称。", "Name the provider.").into());
    }
    // An amount out of range is refused even for a free activity (which ignores it), as the
    // document states it for every fee.
    let amount = match (req.fee.kind, req.fee.amount_fen) {
        (_, Some(fen)) if !FEE_FEN.contains(&fen) => None,
        (FeeKind::Free, _) => Some(0),
        (_, fen) => fen,
    };
    let Some(amount) = amount else {
        let (least, most) = (FEE_FEN.start(), FEE_FEN.end());
        return Err(AfterschoolError::invalid(
            "fee.amount_fen",
            format!("金额须为 {least} 到 {most} 分；收费项目须填写。"),
            format!("The amount is {least} to {most} fen, and required unless the activity is free."),
        )
        .into());
    };
    let room = req.room.as_deref().map(|room| optional("room", room, ROOM_MAX_CHARS)).transpose()?.flatten();
    let confirmed = guard::confirmations(&req.confirm_review)?;
    let now = state.clock.now();

    // What families will read passes the content rules (AS_NO_NEW_LESSONS: no lessons, no new
    // content) once the caller is known to manage the plan, before the write opens: a refusal
    // is counted in its own write.
    let managed = managed_plan(&state.db, caller, plan_id).await?;
    let owner = school(&state.db, managed.school_id).await?;
    let sender = guard::Sender { district_id: Some(owner.district_id), school_id: Some(owner.id) };
    let fields = [Field { name: "name", text: &name }, Field { name: "description", text: &description }];
    let found = policy::check(&fields, Channel::Activity, Audience::Group);
    let reviewed = guard::screen(&state.db, found, &confirmed, Channel::Activity, sender, now).await?;

    let txn = crate::infra::db::begin(&state.db).await?;
    let row = managed_plan(&txn, caller, plan_id).await?;
    let sessions: Vec<Session> = repo::sessions(&txn, row.id).await?.iter().map(session_of).collect();
    if !rules::fits_sessions(&sessions, &days, start, end) {
        return Err(AfterschoolError::invalid(
            "start",
            "活动时间须在方案的托管时段之内（每个活动日）。",
            "The activity must sit inside one of the plan's sessions on each of its days.",
        )
        .into());
    }
    // AS_PROVIDERS: an institution runs an activity only while its district lists it.
    let listed = match institution {
        true => {
            let today = owner.local_date(now);
            Some(white_list::listed_entry(&txn, owner.district_id, req.provider.white_list_id, today).await?)
        }
        false => None,
    };
    if let Some(account) = req.in_charge_account_id
        && !access::is_staff_of(&txn, account, row.school_id).await?
    {
        return Err(AfterschoolError::invalid(
            "in_charge_account_id",
            "负责人须为本校教职工。",
            "The person in charge must be staff of the school.",
        )
        .into());
    }
    let saved = activity::Model {
        id: Uuid::new_v4(),
        plan_id: row.id,
        school_id: row.school_id,
        name,
        category: req.category,
        description,
        weekdays: list(&days),
        start_minute: i32::from(start),
        end_minute: i32::from(end),
        grades: list(&eligible),
        room,
        capacity: req.capacity as i32,
        min_size: req.min_size as i32,
        seats_taken: 0,
        tickets_issued: 0,
        in_charge_account_id: req.in_charge_account_id,
        provider_kind: req.provider.kind,
        provider_name: listed.as_ref().map(|entry| entry.name.clone()).or(provider_name).unwrap_or_default(),
        provider_id: listed.as_ref().map(|entry| entry.id),
        fee_kind: req.fee.kind,
        fee_amount_fen: amount,
        fee_per: req.fee.per,
        allocation: req.allocation,
        cancelled_at: None,
        created_at: now,
    };
    repo::insert_activity(&txn, saved.clone()).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Activity, sender, now).await?;
    txn.commit().await?;
    Ok(activity_view(&saved, listed.map(|_| ProviderStanding::Listed)))
}

/// A plan's activities: for its school's staff (drafts too) and, once published, for the
/// guardians of its pupils.
pub async fn activities(state: &AppState, caller: &Caller, plan_id: Uuid) -> ApiResult<ActivityList> {
    let db = &state.db;
    let row = repo::plan(db, plan_id).await?.ok_or_else(ApiError::not_found)?;
    let school = school(db, row.school_id).await?;
    match access::school_reader(db, caller, &school).await? {
        access::SchoolReader::Staff(_) => {}
        access::SchoolReader::Guardian if row.status == PlanStatus::Published => {}
        _ => return Err(ApiError::not_found()),
    }
    let today = school.local_date(state.clock.now());
    let standings: HashMap<Uuid, ProviderStanding> = repo::providers(db, school.district_id)
        .await?
        .iter()
        .map(|entry| (entry.id, white_list::standing(entry, today)))
        .collect();
    let items = repo::activities(db, plan_id)
        .await?
        .iter()
        .map(|a| activity_view(a, a.provider_id.and_then(|id| standings.get(&id).copied())))
        .collect();
    Ok(ActivityList { items })
}

// ---- enrolment ----

async fn enrolment_view(
    db: &impl sea_orm::ConnectionTrait,
    row: &enrolment::Model,
    now: DateTime<Utc>,
) -> ApiResult<Enrolment> {
    let waitlist_position = match row.status {
        EnrolmentStatus::Waitlisted => Some(repo::waitlist_ahead(db, row).await? as u32),
        _ => None,
    };
    Ok(Enrolment {
        id: row.id,
        activity_id: row.activity_id,
        student_id: row.student_id,
        status: row.status,
        rank: row.choice_rank.map(|r| r as u8),
        waitlist_position,
        // An offer shows while it stands: after it the seat is simply the child's.
        decline_by: row
            .decline_by
            .filter(|_| row.status == EnrolmentStatus::Enrolled && rules::declines_in_time(row.decline_by, now)),
        created_at: row.created_at,
    })
}

fn overlaps(a: &activity::Model, b: &activity::Model) -> bool {
    let (days_a, days_b) = (unlist(&a.weekdays), unlist(&b.weekdays));
    days_a.iter().any(|d| days_b.contains(d)) && a.start_minute < b.end_minute && b.start_minute < a.end_minute
}

/// Draws the plan's lottery activities (its school's admins): every application still waiting
/// gets a seat or a place on its activity's wait list, by the published algorithm
/// ([`lottery::ALGORITHM`]) and a seed (the school's, or made here). The draw is kept with its
/// seed so that it can be published and redone; drawing again takes only new applications.
pub async fn draw(state: &AppState, caller: &Caller, plan_id: Uuid, req: DrawRequest) -> ApiResult<DrawResult> {
    let seed = match req.seed.as_deref() {
        Some(seed) => visible_text(seed, SEED_MAX_CHARS).map(str::to_owned).ok_or_else(|| {
            AfterschoolError::invalid(
                "seed",
                format!("种子须为 1 到 {SEED_MAX_CHARS} 个可见字符。"),
                format!("The seed is 1 to {SEED_MAX_CHARS} visible characters."),
            )
        })?,
        None => format!("{:032x}", rand::random::<u128>()),
    };
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let row = managed_plan(&txn, caller, plan_id).await?;
    if row.status != PlanStatus::Published {
        return Err(AfterschoolError::PlanNotPublished.into());
    }
    let (result, woken) = draw_plan(&txn, &row, seed, caller.account_id, now).await?;
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }
    Ok(result)
}

/// Draws a published plan's waiting lottery applications in the caller's transaction (the
/// school's draw, or the close of the first enrolment round by `drawn_by` nil): the result, and
/// the accounts to wake once it commits.
async fn draw_plan(
    txn: &impl sea_orm::ConnectionTrait,
    row: &plan::Model,
    seed: String,
    drawn_by: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<(DrawResult, Vec<Uuid>)> {
    let plan_id = row.id;
    // One draw of a plan at a time (the school's and the enrolment close's): the second reads what
    // the first left.
    repo::lock_plan(txn, plan_id).await?;
    let drawn: Vec<activity::Model> = repo::activities(txn, plan_id)
        .await?
        .into_iter()
        .filter(|a| a.allocation == Allocation::Lottery && a.cancelled_at.is_none())
        .collect();
    let ids: Vec<Uuid> = drawn.iter().map(|a| a.id).collect();
    let waiting = repo::applications(txn, &ids).await?;
    let offers: Vec<lottery::Offer> = drawn
        .iter()
        .map(|a| lottery::Offer {
            activity_id: a.id,
            seats: u32::try_from(a.capacity - a.seats_taken).unwrap_or(0),
            weekdays: unlist(&a.weekdays),
            start: Minute::try_from(a.start_minute).unwrap_or(0),
            end: Minute::try_from(a.end_minute).unwrap_or(0),
        })
        .collect();
    let applications: Vec<lottery::Application> = waiting
        .iter()
        .map(|e| lottery::Application {
            student_id: e.student_id,
            activity_id: e.activity_id,
            // An application without a rank comes after every ranked one.
            rank: e.choice_rank.and_then(|r| u8::try_from(r).ok()).unwrap_or(u8::MAX),
        })
        .collect();
    let applicants: Vec<Uuid> = {
        let mut ids: Vec<Uuid> = applications.iter().map(|a| a.student_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let rules = lottery_rules::for_draw(txn, row, &applicants).await?;
    let outcome = lottery::draw_with(&seed, &offers, &applications, &rules);

    let drawn_plan = row;
    let rows: HashMap<(Uuid, Uuid), &enrolment::Model> =
        waiting.iter().map(|e| ((e.student_id, e.activity_id), e)).collect();
    let mut per_activity: HashMap<Uuid, (u32, u32)> = ids.iter().map(|id| (*id, (0, 0))).collect();
    // Written activity by activity, a few statements each however many children it drew: the
    // winners' rows move to enrolled together and the seat count takes them together; the rest
    // join the wait list in lottery order with consecutive queue numbers.
    let by_activity = |drawn: &[lottery::Application]| {
        let mut rows_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for a in drawn {
            if let Some(row) = rows.get(&(a.student_id, a.activity_id)) {
                rows_of.entry(a.activity_id).or_default().push(row.id);
            }
        }
        rows_of
    };
    let (winners, waiting_lists) = (by_activity(&outcome.enrolled), by_activity(&outcome.waitlisted));
    for activity in &drawn {
        let order = winners.get(&activity.id).map_or(&[][..], Vec::as_slice);
        let mut moved = repo::move_all(txn, order, EnrolmentStatus::Applied, EnrolmentStatus::Enrolled, now).await?;
        moved.sort_by_key(|row| order.iter().position(|id| *id == row.id));
        // The draw counted the seats it read; a first-come taker of the add/drop round may have
        // taken one since. Then the seats go one by one in the draw's order, and a winner left
        // without one stays an application as it was.
        let seated: Vec<&enrolment::Model> = if moved.is_empty() {
            Vec::new()
        } else if repo::take_seats(txn, activity.id, moved.len()).await? {
            moved.iter().collect()
        } else {
            let mut seated = Vec::new();
            for row in &moved {
                if repo::take_seat(txn, activity.id).await? {
                    seated.push(row);
                } else {
                    repo::move_status(txn, row.id, EnrolmentStatus::Enrolled, EnrolmentStatus::Applied, now).await?;
                }
            }
            seated
        };
        for row in &seated {
            fees::charge_seat(txn, activity, drawn_plan, row.student_id, now).await?;
        }
        per_activity.entry(activity.id).or_default().0 += seated.len() as u32;
        if let Some(ids) = waiting_lists.get(&activity.id) {
            repo::waitlist_all(txn, activity.id, ids, now).await?;
            per_activity.entry(activity.id).or_default().1 += ids.len() as u32;
        }
    }
    let enrolled: u32 = per_activity.values().map(|c| c.0).sum();
    let waitlisted: u32 = per_activity.values().map(|c| c.1).sum();
    let record = draw::Model {
        id: Uuid::new_v4(),
        plan_id,
        seed: seed.clone(),
        algorithm: format!("{}{}", lottery::ALGORITHM, rules.describe()),
        applications: i32::try_from(applications.len()).unwrap_or(i32::MAX),
        enrolled: i32::try_from(enrolled).unwrap_or(i32::MAX),
        waitlisted: i32::try_from(waitlisted).unwrap_or(i32::MAX),
        drawn_by,
        drawn_at: now,
    };
    repo::insert_draw(txn, record.clone()).await?;
    let woken = tell_draw_results(txn, drawn_plan, &drawn, &outcome, now).await?;
    let result = DrawResult {
        id: record.id,
        seed,
        algorithm: record.algorithm,
        applications: applications.len() as u32,
        enrolled,
        waitlisted,
        activities: ids
            .iter()
            .map(|id| {
                let (enrolled, waitlisted) = per_activity.get(id).copied().unwrap_or_default();
                DrawnActivity { activity_id: *id, enrolled, waitlisted }
            })
            .collect(),
        drawn_at: now,
    };
    Ok((result, woken))
}

/// Tells a child's family about the child: the inbox item reaches every full guardian (not
/// `pickup` links) and goes out by push and email through the outbox, at once (urgent when the
/// item is: through quiet hours). Answers the accounts to wake once the transaction commits.
pub(crate) async fn tell_family(
    txn: &impl sea_orm::ConnectionTrait,
    school_id: Uuid,
    student_id: Uuid,
    entry: items::Entry,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    let guardians = access::full_guardian_accounts(txn, student_id).await?;
    tell(txn, school_id, Some(student_id), &guardians, entry, now).await?;
    Ok(guardians)
}

/// Publishes an after-school inbox item to `accounts` (about `child`, if any) and queues its push
/// and email from the school, at once (urgent when the item is: through quiet hours).
async fn tell(
    txn: &impl sea_orm::ConnectionTrait,
    school_id: Uuid,
    child: Option<Uuid>,
    accounts: &[Uuid],
    entry: items::Entry,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    outbox::tell(txn, Some(school_id), child, accounts, entry, now).await?;
    Ok(())
}

/// Tells each child's full guardians what the draw gave the child (one inbox item per child, by
/// push and email through the outbox, in quiet hours' respect): the accounts to wake.
async fn tell_draw_results(
    txn: &impl sea_orm::ConnectionTrait,
    plan: &plan::Model,
    drawn: &[activity::Model],
    outcome: &lottery::Outcome,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Vec<Uuid>> {
    let school = school(txn, plan.school_id).await?;
    let activity_name = |id: Uuid| drawn.iter().find(|a| a.id == id).map_or("", |a| a.name.as_str());
    let mut results: HashMap<Uuid, Vec<String>> = HashMap::new();
    for a in &outcome.enrolled {
        let name = activity_name(a.activity_id);
        results.entry(a.student_id).or_default().push(format!("「{name}」已录取 / \"{name}\": enrolled"));
    }
    for a in &outcome.waitlisted {
        let name = activity_name(a.activity_id);
        results.entry(a.student_id).or_default().push(format!("「{name}」候补 / \"{name}\": wait list"));
    }
    let names = crate::org::repo::student_names(txn, results.keys().copied().collect()).await?;
    let mut woken = Vec::new();
    for (student_id, lines) in results {
        let name = names.get(&student_id).cloned().unwrap_or_default();
        let id = Uuid::new_v4();
        let entry = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: id,
            title: format!("课后服务抽签结果：{name} / After-school draw: {name}"),
            body: lines.join("\n"),
            sender_name: school.name.clone(),
            urgent: false,
            needs_response: false,
            subject_id: None,
        };
        woken.extend(tell_family(txn, school.id, student_id, entry, now).await?);
    }
    woken.sort_unstable();
    woken.dedup();
    Ok(woken)
}

/// A full guardian enrols their child: a seat at once (first-come) or the wait list when full, or
/// an application for the draw (lottery). Enrolling again answers the existing enrolment
/// (`created` false): two guardians of one child enrolling at once get one row and one seat.
pub async fn enrol(state: &AppState, caller: &Caller, activity_id: Uuid, req: Enrol) -> ApiResult<(Enrolment, bool)> {
    if req.rank.is_some_and(|r| !RANKS.contains(&r)) {
        let (first, last) = (RANKS.start(), RANKS.end());
        return Err(AfterschoolError::invalid(
            "rank",
            format!("志愿顺序须为 {first} 到 {last}。"),
            format!("The rank is {first} to {last}."),
        )
        .into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, req.student_id).await?;
    let activity = repo::activity(&txn, activity_id).await?.ok_or_else(ApiError::not_found)?;
    let plan = repo::plan(&txn, activity.plan_id).await?.ok_or_else(ApiError::not_found)?;
    if activity.school_id != guardian.student.school_id || plan.status != PlanStatus::Published {
        return Err(ApiError::not_found());
    }
    if activity.cancelled_at.is_some() {
        return Err(AfterschoolError::ActivityCancelled.into());
    }
    let grade = grade_of(&txn, &guardian.student).await?;
    if !rules::eligible(&unlist(&activity.grades), grade) {
        return Err(AfterschoolError::NotEligible { grade }.into());
    }
    if let Some(existing) = repo::enrolment(&txn, activity_id, req.student_id).await?
        && !matches!(existing.status, EnrolmentStatus::Withdrawn | EnrolmentStatus::Cancelled)
    {
        let view = enrolment_view(&txn, &existing, now).await?;
        txn.commit().await?;
        return Ok((view, false));
    }
    // An enrolment standing is answered above whatever the window; a new one needs it open.
    let allocation = enrolment_window::allocation_now(&plan, activity.allocation, now)?;
    if let Some((_, clash)) = repo::active_enrolments(&txn, req.student_id)
        .await?
        .into_iter()
        .find(|(_, other)| other.id != activity.id && overlaps(other, &activity))
    {
        return Err(AfterschoolError::TimeSlotTaken { activity_id: clash.id }.into());
    }

    // A queue number first (it locks the activity), then the row (new, or a withdrawn one coming
    // back), then the seat.
    let ticket = repo::next_ticket(&txn, activity_id).await?;
    let fresh = enrolment::Model {
        id: Uuid::new_v4(),
        activity_id,
        student_id: req.student_id,
        status: EnrolmentStatus::Applied,
        choice_rank: req.rank.map(i16::from),
        ticket,
        requested_by: caller.account_id,
        created_at: now,
        updated_at: now,
        decline_by: None,
    };
    let row = if repo::insert_enrolment_if_absent(&txn, fresh.clone()).await? {
        fresh
    } else {
        let row = repo::enrolment(&txn, activity_id, req.student_id).await?.ok_or_else(ApiError::not_found)?;
        if !repo::move_status(&txn, row.id, EnrolmentStatus::Withdrawn, EnrolmentStatus::Applied, now).await? {
            // Another guardian's request got there first: answer what it made.
            let view = enrolment_view(&txn, &row, now).await?;
            txn.commit().await?;
            return Ok((view, false));
        }
        repo::requeue(&txn, row.id, req.rank.map(i16::from), ticket, caller.account_id).await?
    };
    if allocation == Allocation::FirstCome {
        lottery_rules::check_weekly_limit(&txn, &plan, req.student_id, &activity).await?;
    }
    let status = match allocation {
        Allocation::Lottery => EnrolmentStatus::Applied,
        Allocation::FirstCome if repo::take_seat(&txn, activity_id).await? => EnrolmentStatus::Enrolled,
        Allocation::FirstCome => EnrolmentStatus::Waitlisted,
    };
    if status != EnrolmentStatus::Applied {
        repo::move_status(&txn, row.id, EnrolmentStatus::Applied, status, now).await?;
    }
    if status == EnrolmentStatus::Enrolled {
        fees::charge_seat(&txn, &activity, &plan, req.student_id, now).await?;
    }
    // The row as `move_status` left it (its offer, if any, ended with the change).
    let saved = enrolment::Model { status, updated_at: now, decline_by: None, ..row };
    let view = enrolment_view(&txn, &saved, now).await?;
    txn.commit().await?;
    Ok((view, true))
}

/// A full guardian withdraws their child (退课): within a promotion's offer everything charged is
/// refunded, otherwise the sessions not held. A freed seat goes to the first on the wait list.
pub async fn withdraw(state: &AppState, caller: &Caller, activity_id: Uuid, student_id: Uuid) -> ApiResult<Enrolment> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::acting_guardian_of(&txn, caller, student_id).await?;
    let row = repo::enrolment(&txn, activity_id, student_id).await?.ok_or_else(ApiError::not_found)?;
    if matches!(row.status, EnrolmentStatus::Withdrawn | EnrolmentStatus::Cancelled) {
        let view = enrolment_view(&txn, &row, now).await?;
        txn.commit().await?;
        return Ok(view);
    }
    let mut woken = Vec::new();
    if repo::move_status(&txn, row.id, row.status, EnrolmentStatus::Withdrawn, now).await?
        && row.status == EnrolmentStatus::Enrolled
    {
        repo::free_seat(&txn, activity_id).await?;
        let activity = repo::activity(&txn, activity_id).await?.ok_or_else(ApiError::not_found)?;
        let plan = repo::plan(&txn, activity.plan_id).await?.ok_or_else(ApiError::not_found)?;
        if rules::declines_in_time(row.decline_by, now) {
            // The promotion is the enrolment's last change before this one (`updated_at`).
            fees::credit_declined(&txn, &activity, student_id, row.updated_at, now).await?;
        } else {
            fees::credit_withdrawal(&txn, &activity, &plan, student_id, now).await?;
        }
        woken = wait_list::promote(&txn, &activity, &plan, now).await?;
    }
    let saved = repo::enrolment(&txn, activity_id, student_id).await?.ok_or_else(ApiError::not_found)?;
    let view = enrolment_view(&txn, &saved, now).await?;
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }
    Ok(view)
}

// ---- the basic session: voluntary, never refused (AS_COVERAGE) ----

fn basic_status(row: &basic_choice::Model) -> BasicStatus {
    let days = unlist(&row.weekdays);
    BasicStatus {
        opted_in: row.opted_in,
        weekdays: if days.is_empty() { rules::WEEKDAYS.collect() } else { days },
        effective_from: row.effective_from,
    }
}

/// A full guardian opts their child in or out of the basic session; the change applies from the
/// next Monday (or the term's first day). Nobody can refuse an opt-in: there is no seat limit.
pub async fn set_basic(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    req: BasicChoice,
) -> ApiResult<BasicStatus> {
    let days = match &req.weekdays {
        Some(days) => weekdays("weekdays", days, !req.opted_in)?,
        None => Vec::new(),
    };
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let school = school(&txn, guardian.student.school_id).await?;
    let today = school.local_date(now);
    let plan = repo::current_plan(&txn, school.id, today).await?.ok_or(AfterschoolError::PlanNotPublished)?;
    let row = basic_choice::Model {
        plan_id: plan.id,
        student_id,
        effective_from: rules::effective_from(today).max(plan.term_start),
        opted_in: req.opted_in,
        weekdays: if days.len() == rules::WEEKDAYS.len() { String::new() } else { list(&days) },
        chosen_by: caller.account_id,
        created_at: now,
    };
    repo::upsert_basic_choice(&txn, row.clone()).await?;
    txn.commit().await?;
    Ok(basic_status(&row))
}

/// What a child attends, when, what it costs, and who may collect them: for the child's
/// guardians (not `pickup` links).
pub async fn child(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<ChildAfterschool> {
    let db = &state.db;
    let guardian = access::guardian_of(db, caller, student_id).await?;
    let school = school(db, guardian.student.school_id).await?;
    let now = state.clock.now();
    let today = school.local_date(now);
    let grade = grade_of(db, &guardian.student).await?;
    let plan = repo::current_plan(db, school.id, today).await?;
    let (mut basic, mut basic_next, mut sessions) = (None, None, Vec::new());
    if let Some(plan) = &plan {
        for choice in repo::basic_choices(db, plan.id, student_id).await? {
            if choice.effective_from <= today {
                basic = Some(basic_status(&choice));
            } else {
                basic_next = Some(basic_status(&choice));
            }
        }
        sessions = repo::sessions(db, plan.id)
            .await?
            .iter()
            .map(session_of)
            .filter(|s| s.kind == SessionKind::Basic && s.serves(grade))
            .map(|s| session_dto(&s))
            .collect();
    }
    let activities: Vec<ChildActivity> = repo::active_enrolments(db, student_id)
        .await?
        .into_iter()
        .map(|(row, a)| ChildActivity {
            activity_id: a.id,
            name: a.name.clone(),
            weekdays: unlist(&a.weekdays),
            start: rules::hhmm(a.start_minute as Minute),
            end: rules::hhmm(a.end_minute as Minute),
            room: a.room.clone(),
            status: row.status,
            fee: fee_of(&a),
            decline_by: row.decline_by.filter(|until| rules::declines_in_time(Some(*until), now)),
        })
        .collect();
    let fees = match &plan {
        Some(plan) => fees::child_accounts(db, plan.id, student_id, &guardian.student.name).await?,
        None => Vec::new(),
    };
    let fees_due_fen = fees.iter().map(|a| a.owed_fen).sum();
    let refund_due_fen = fees.iter().map(|a| a.refund_due_fen).sum();
    let extended_care = match &plan {
        Some(plan) => repo::extended_care_of(db, plan.id, student_id)
            .await?
            .map(|row| extended_care::view(&row, guardian.student.name.clone())),
        None => None,
    };
    let pickup = access::pickup_adults(db, student_id)
        .await?
        .into_iter()
        .map(|(guardian, link)| super::dto::PickupAdult {
            name: guardian.name,
            relation: link.relation,
            access_level: link.access_level,
        })
        .collect();
    Ok(ChildAfterschool {
        student_id,
        plan_id: plan.as_ref().map(|p| p.id),
        term_start: plan.as_ref().map(|p| p.term_start),
        term_end: plan.as_ref().map(|p| p.term_end),
        sessions,
        basic,
        basic_next,
        activities,
        fees_due_fen,
        refund_due_fen,
        fees,
        pickup,
        extended_care,
    })
}

// ---- the district's settings ----

pub async fn district_settings(state: &AppState, officer: &BureauOfficer) -> ApiResult<DistrictSettings> {
    Ok(DistrictSettings { off_work_time: rules::hhmm(off_work(&state.db, officer.district_id()).await?) })
}

/// Sets the district's off-work time (`AS_END_TIME` reads it for every plan of the district).
pub async fn set_district_settings(
    state: &AppState,
    officer: &BureauOfficer,
    req: DistrictSettings,
) -> ApiResult<DistrictSettings> {
    let minute = time("off_work_time", &req.off_work_time)?;
    if !rules::OFF_WORK_TIMES.contains(&minute) {
        let times = rules::OFF_WORK_TIMES;
        let (earliest, latest) = (rules::hhmm(*times.start()), rules::hhmm(*times.end()));
        return Err(AfterschoolError::invalid(
            "off_work_time",
            format!("下班时间须在 {earliest} 到 {latest} 之间。"),
            format!("Off-work time is between {earliest} and {latest}."),
        )
        .into());
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::set_off_work_minute(&txn, officer.district_id(), i32::from(minute), state.clock.now()).await?;
    txn.commit().await?;
    Ok(DistrictSettings { off_work_time: rules::hhmm(minute) })
}

// ---- each day: roll call, leave, pickup ----

/// The activity and the caller as its person in charge (or a school admin).
async fn run_activity(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    activity_id: Uuid,
) -> ApiResult<(activity::Model, school::Model)> {
    let activity = repo::activity(db, activity_id).await?.ok_or_else(ApiError::not_found)?;
    access::activity_staff(db, caller, activity.school_id, activity.in_charge_account_id).await?;
    let school = school(db, activity.school_id).await?;
    Ok((activity, school))
}

/// The activity meets on `date` (a school day of the school's calendar following one of its
/// weekdays, in its plan's term: not a holiday) and the day has come.
async fn meets_on(
    db: &impl sea_orm::ConnectionTrait,
    activity: &activity::Model,
    date: NaiveDate,
    today: NaiveDate,
) -> ApiResult<()> {
    let plan = repo::plan(db, activity.plan_id).await?.ok_or_else(ApiError::not_found)?;
    let calendar = crate::calendar::service::calendar(db, activity.school_id, date, date).await?;
    let weekday = calendar.school_weekday(date);
    let meets = weekday.is_some_and(|d| unlist(&activity.weekdays).contains(&d))
        && plan.term_start <= date
        && date <= plan.term_end;
    if !meets || date > today {
        return Err(AfterschoolError::invalid(
            "date",
            "该活动这天没有安排（或日期未到）。",
            "The activity does not meet on that date (or the date is still to come).",
        )
        .into());
    }
    Ok(())
}

/// Takes the day's roll in one request. An `absent` child whose family reported leave counts as
/// `leave`; for any other absence the child's full guardians get an urgent message at once
/// (safety first, through quiet hours), once per day.
pub async fn take_roll(state: &AppState, caller: &Caller, activity_id: Uuid, req: Roll) -> ApiResult<RollSummary> {
    if req.entries.len() > MAX_ROLL_ENTRIES {
        return Err(AfterschoolError::invalid(
            "entries",
            format!("名单过长（最多 {MAX_ROLL_ENTRIES} 人）。"),
            format!("Too many entries ({MAX_ROLL_ENTRIES} at most)."),
        )
        .into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (activity, school) = run_activity(&txn, caller, activity_id).await?;
    meets_on(&txn, &activity, req.date, school.local_date(now)).await?;
    let enrolled: Vec<Uuid> = repo::enrolled(&txn, activity_id).await?.into_iter().map(|e| e.student_id).collect();
    if let Some(stranger) = req.entries.iter().find(|e| !enrolled.contains(&e.student_id)) {
        return Err(ApiError::validation(
            "entries",
            "名单中有未报名该活动的学生。",
            "A child on the roll is not enrolled in this activity.",
        )
        .with_details(serde_json::json!({ "field": "entries", "student_id": stranger.student_id })));
    }
    let on_leave: Vec<Uuid> =
        repo::leaves_on(&txn, enrolled.clone(), req.date).await?.into_iter().map(|l| l.student_id).collect();
    let mut summary =
        RollSummary { date: req.date, present: 0, absent: 0, leave: 0, alerted: 0, not_marked: Vec::new() };
    let mut absent = Vec::new();
    for entry in &req.entries {
        let status = match entry.status {
            RollStatus::Absent if on_leave.contains(&entry.student_id) => RollStatus::Leave,
            other => other,
        };
        match status {
            RollStatus::Present => summary.present += 1,
            RollStatus::Absent => {
                summary.absent += 1;
                absent.push(entry.student_id);
            }
            RollStatus::Leave => summary.leave += 1,
        }
        repo::upsert_attendance(
            &txn,
            attendance::Model {
                activity_id,
                date: req.date,
                student_id: entry.student_id,
                status,
                recorded_by: caller.account_id,
                recorded_at: now,
                alerted: false,
                escalated: false,
            },
        )
        .await?;
    }
    summary.not_marked = enrolled.into_iter().filter(|id| !req.entries.iter().any(|e| e.student_id == *id)).collect();

    let names = crate::org::repo::student_names(&txn, absent.clone()).await?;
    let mut woken = Vec::new();
    for student_id in absent {
        if !repo::claim_alert(&txn, activity_id, req.date, student_id).await? {
            continue;
        }
        let name = names.get(&student_id).cloned().unwrap_or_default();
        let alert = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: Uuid::new_v4(),
            title: format!("课后服务缺勤：{name} / After-school absence: {name}"),
            body: format!(
                "{name} 今天（{}）应参加「{}」，点名时未到，也没有请假。请尽快确认孩子的去向并联系老师。\n{name} was expected at \"{}\" today ({}) and is absent without leave. Please check where your child is and contact the teacher.",
                req.date, activity.name, activity.name, req.date
            ),
            sender_name: school.name.clone(),
            urgent: true,
            needs_response: false,
            subject_id: None,
        };
        woken.extend(tell_family(&txn, school.id, student_id, alert, now).await?);
        summary.alerted += 1;
    }
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }
    Ok(summary)
}

/// A full guardian reports an absence ahead for a day (today or later).
pub async fn report_leave(state: &AppState, caller: &Caller, student_id: Uuid, req: Leave) -> ApiResult<Leave> {
    let reason = optional("reason", &req.reason, REASON_MAX_CHARS)?.unwrap_or_default();
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let school = school(&txn, guardian.student.school_id).await?;
    if req.date < school.local_date(now) {
        return Err(AfterschoolError::invalid(
            "date",
            "不能为过去的日期请假。",
            "Leave is reported for today or a later day.",
        )
        .into());
    }
    repo::upsert_leave(
        &txn,
        leave::Model {
            student_id,
            date: req.date,
            reason: reason.clone(),
            reported_by: caller.account_id,
            created_at: now,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Leave { date: req.date, reason })
}

fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// Stores a fresh code for the child and day (retrying on the rare clash with another's).
async fn issue_code(db: &impl sea_orm::ConnectionTrait, mut row: pickup_code::Model) -> ApiResult<pickup_code::Model> {
    for _ in 0..5 {
        row.code = new_code();
        if repo::insert_pickup_code(db, row.clone()).await? {
            return Ok(row);
        }
    }
    Err(ApiError::internal(anyhow::anyhow!("no free pickup code after 5 draws")))
}

/// The caller's pickup code for the child and day: any linked guardian, `pickup` links included.
/// Asking again the same day answers the same code.
pub async fn pickup_code(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    date: Option<NaiveDate>,
) -> ApiResult<PickupCode> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (guardian, _) = access::collecting_guardian(&txn, caller, student_id).await?;
    let school = crate::org::repo::school_of_student(&txn, student_id).await?.ok_or_else(ApiError::not_found)?;
    let today = school.local_date(now);
    let date = date.unwrap_or(today);
    if date < today {
        return Err(AfterschoolError::invalid("date", "日期已过。", "That day has passed.").into());
    }
    let row = match repo::pickup_code_of_guardian(&txn, student_id, date, guardian.id).await? {
        Some(existing) => existing,
        None => {
            issue_code(
                &txn,
                pickup_code::Model {
                    id: Uuid::new_v4(),
                    student_id,
                    date,
                    code: String::new(),
                    guardian_id: Some(guardian.id),
                    delegate_name: None,
                    delegate_phone: None,
                    issued_by: caller.account_id,
                    created_at: now,
                },
            )
            .await?
        }
    };
    txn.commit().await?;
    Ok(PickupCode { student_id, date, code: row.code, delegate_name: None })
}

/// A full guardian names a one-time delegate for a day; the code is theirs to pass on.
pub async fn add_delegate(state: &AppState, caller: &Caller, student_id: Uuid, req: Delegate) -> ApiResult<PickupCode> {
    let name = required_text("name", &req.name, NAME_MAX_CHARS, ("请填写代接人姓名。", "Name the delegate."))?;
    // Exactly as sent: the document's pattern admits no blanks around the digits.
    let phone = req.phone;
    if !is_phone(&phone) {
        return Err(AfterschoolError::invalid(
            "phone",
            format!("须为 {PHONE_DIGITS} 位手机号。"),
            format!("Must be a mobile number of {PHONE_DIGITS} digits."),
        )
        .into());
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    let school = school(&txn, guardian.student.school_id).await?;
    if req.date < school.local_date(now) {
        return Err(AfterschoolError::invalid("date", "日期已过。", "That day has passed.").into());
    }
    let row = issue_code(
        &txn,
        pickup_code::Model {
            id: Uuid::new_v4(),
            student_id,
            date: req.date,
            code: String::new(),
            guardian_id: None,
            delegate_name: Some(name.clone()),
            delegate_phone: Some(phone),
            issued_by: caller.account_id,
            created_at: now,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(PickupCode { student_id, date: req.date, code: row.code, delegate_name: Some(name) })
}

/// A full guardian gives (or takes back) standing consent that the child walks home alone.
pub async fn set_walk_alone(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    req: WalkAlone,
) -> ApiResult<WalkAlone> {
    let txn = crate::infra::db::begin(&state.db).await?;
    access::acting_guardian_of(&txn, caller, student_id).await?;
    repo::set_walk_alone(
        &txn,
        walk_alone::Model {
            student_id,
            consent: req.consent,
            consented_by: caller.account_id,
            updated_at: state.clock.now(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(req)
}

/// Releases an enrolled child to the adult whose pickup code it is (a linked guardian of any
/// level, or the day's delegate), or alone with standing consent; anyone else is refused
/// (`pickup_not_authorised`). The first sign-out of the day stands.
pub async fn sign_out(state: &AppState, caller: &Caller, activity_id: Uuid, req: SignOutRequest) -> ApiResult<SignOut> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (activity, school) = run_activity(&txn, caller, activity_id).await?;
    let today = school.local_date(now);
    let date = req.date.unwrap_or(today);
    meets_on(&txn, &activity, date, today).await?;
    if !repo::enrolled(&txn, activity_id).await?.iter().any(|e| e.student_id == req.student_id) {
        return Err(ApiError::not_found());
    }
    if let Some(done) = repo::sign_out_of(&txn, activity_id, date, req.student_id).await? {
        return Err(AfterschoolError::AlreadySignedOut { released_to: done.adult_name, at: done.signed_out_at }.into());
    }
    // Blank as the document's `\S` sees it, so "a code or walk_alone" reads the same to both.
    let code = req.pickup_code.as_deref().map(|code| code.trim_matches(is_blank_char));
    let (released_to, adult_name, verified_by) = match (code, req.walk_alone) {
        (Some(code), _) if !code.is_empty() => {
            let found = repo::pickup_code(&txn, req.student_id, date, code)
                .await?
                .ok_or(AfterschoolError::PickupNotAuthorised)?;
            match (found.guardian_id, found.delegate_name) {
                (Some(guardian_id), _) => {
                    let adults = access::pickup_adults(&txn, req.student_id).await?;
                    // A guardian unlinked since the code was issued may no longer collect.
                    let (guardian, _) = adults
                        .into_iter()
                        .find(|(g, _)| g.id == guardian_id)
                        .ok_or(AfterschoolError::PickupNotAuthorised)?;
                    (ReleasedTo::Guardian, guardian.name, "pickup_code")
                }
                (None, Some(delegate)) => (ReleasedTo::Delegate, delegate, "pickup_code"),
                (None, None) => return Err(AfterschoolError::PickupNotAuthorised.into()),
            }
        }
        (_, true) if repo::walk_alone(&txn, req.student_id).await? => {
            (ReleasedTo::Alone, String::new(), "walk_alone_consent")
        }
        (_, true) => return Err(AfterschoolError::PickupNotAuthorised.into()),
        _ => {
            return Err(AfterschoolError::invalid(
                "pickup_code",
                "请输入接送人出示的接送码，或确认孩子可独自离校。",
                "Enter the pickup code the adult shows, or confirm the child walks home alone.",
            )
            .into());
        }
    };
    let row = sign_out::Model {
        activity_id,
        date,
        student_id: req.student_id,
        released_to,
        adult_name,
        verified_by: verified_by.to_owned(),
        signed_out_by: caller.account_id,
        signed_out_at: now,
    };
    if !repo::insert_sign_out(&txn, row.clone()).await? {
        let done = repo::sign_out_of(&txn, activity_id, date, req.student_id).await?.ok_or_else(ApiError::not_found)?;
        return Err(AfterschoolError::AlreadySignedOut { released_to: done.adult_name, at: done.signed_out_at }.into());
    }
    txn.commit().await?;
    Ok(SignOut {
        activity_id,
        student_id: row.student_id,
        date,
        released_to: row.released_to,
        adult_name: row.adult_name,
        verified_by: row.verified_by,
        signed_out_at: row.signed_out_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_pattern_states_the_phone_check() {
        let pattern = regex::Regex::new(PHONE).unwrap();
        assert_eq!(PHONE, format!("^[0-9]{{{PHONE_DIGITS}}}$"));
        for text in ["13800138000", "1380013800", "138001380000", " 13800138000", "1380013800a", "１３800138000"] {
            assert_eq!(pattern.is_match(text), is_phone(text), "{text:?}");
        }
    }
}
