//! Summer care (暑期托管, `AS_SUMMER`): the bureau's community sites and schools' own, week by
//! week; families take a place first come (never oversold: a conditional update in the
//! enrolment's transaction), wait in line when a week is full, and give a week back until it
//! starts, when the first in line who can take it is promoted and told.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::dto::{
    ADDRESS_MAX_CHARS, ChildSummer, ChildSummerSite, ChildSummerWeek, CreateSummerSite, RosterChild, RosterWeek,
    SiteKind, SummerEnrol, SummerEnrolment, SummerRoster, SummerSite, SummerSiteList, SummerWeek,
};
use super::model::{WeekStatus, enrolment, site, week};
use super::repo;
use super::rules::{self, CAPACITY, FEE_FEN, SiteProblem};
use crate::access::{self, Caller};
use crate::afterschool::error::AfterschoolError;
use crate::afterschool::rules::{Minute, hhmm, parse_hhmm};
use crate::afterschool::service::{grade_of, list, unlist};
use crate::error::{ApiError, ApiResult, Code};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::infra::bus::Wake;
use crate::input::required;
use crate::org::model::{FIRST_GRADE, LAST_GRADE, NAME_MAX_CHARS, school};
use crate::state::AppState;

fn kind(row: &site::Model) -> SiteKind {
    if row.school_id.is_some() { SiteKind::School } else { SiteKind::Community }
}

fn as_summer(problems: &[SiteProblem]) -> ApiError {
    let described: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| match p {
            SiteProblem::Hours => serde_json::json!({ "problem": "hours" }),
            SiteProblem::NoWeeks => serde_json::json!({ "problem": "no_weeks" }),
            SiteProblem::TooManyWeeks => serde_json::json!({ "problem": "too_many_weeks" }),
            SiteProblem::NotMonday(d) => serde_json::json!({ "problem": "not_monday", "week": d }),
            SiteProblem::Repeated(d) => serde_json::json!({ "problem": "repeated", "week": d }),
            SiteProblem::Past(d) => serde_json::json!({ "problem": "past", "week": d }),
        })
        .collect();
    ApiError::new(Code::AsSummer).with_details(serde_json::json!({ "problems": described }))
}

fn clock(field: &'static str, text: &str) -> ApiResult<Minute> {
    parse_hhmm(text).ok_or_else(|| ApiError::validation(field, "时间格式为 HH:MM。", "A time is HH:MM."))
}

/// A bureau officer publishes a community site of the district (no `school_id`); a school admin
/// the school's own. Checked by `AS_SUMMER` on the district's today.
pub async fn create_site(state: &AppState, caller: &Caller, req: CreateSummerSite) -> ApiResult<SummerSite> {
    let name = required("name", &req.name, NAME_MAX_CHARS)?;
    let address = required("address", &req.address, ADDRESS_MAX_CHARS)?;
    let (start, end) = (clock("start", &req.start)?, clock("end", &req.end)?);
    if req.grades.iter().any(|g| !(FIRST_GRADE..=LAST_GRADE).contains(&i16::from(*g))) {
        return Err(ApiError::validation("grades", "年级为 1–9。", "Grades are 1–9."));
    }
    if !FEE_FEN.contains(&req.fee_fen) {
        return Err(ApiError::validation("fee_fen", "每周费用为 0–500000 分。", "A week's fee is 0–500,000 fen."));
    }
    if req.weeks.iter().any(|w| !CAPACITY.contains(&w.capacity)) {
        return Err(ApiError::validation("capacity", "每周名额为 1–500。", "A week holds 1–500 children."));
    }
    let db = &state.db;
    let (district_id, school_id) = match req.school_id {
        Some(school_id) => {
            access::school_admin(db, caller, school_id).await?;
            let school = crate::org::repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)?;
            (school.district_id, Some(school_id))
        }
        None => (access::bureau_officer(db, caller).await?.district_id(), None),
    };
    let district = crate::org::repo::district(db, district_id).await?.ok_or_else(ApiError::not_found)?;
    let now = state.clock.now();
    let today = now.with_timezone(&district.zone()).date_naive();
    let mondays: Vec<_> = req.weeks.iter().map(|w| w.starts_on).collect();
    let problems = rules::site_problems(start, end, &mondays, today);
    if !problems.is_empty() {
        return Err(as_summer(&problems));
    }
    let mut grades = req.grades.clone();
    grades.sort_unstable();
    grades.dedup();
    let row = site::Model {
        id: Uuid::now_v7(),
        district_id,
        school_id,
        name,
        address,
        grades: list(&grades),
        start_minute: start as i16,
        end_minute: end as i16,
        fee_fen: req.fee_fen,
        created_by: caller.account_id,
        created_at: now,
    };
    let weeks: Vec<week::Model> = req
        .weeks
        .iter()
        .map(|w| week::Model {
            id: Uuid::now_v7(),
            site_id: row.id,
            starts_on: w.starts_on,
            capacity: w.capacity as i32,
            seats_taken: 0,
            tickets_issued: 0,
        })
        .collect();
    let txn = crate::infra::db::begin(db).await?;
    repo::insert_site(&txn, row.clone(), weeks).await?;
    let view = site_views(&txn, vec![row]).await?.pop().ok_or_else(ApiError::not_found)?;
    txn.commit().await?;
    Ok(view)
}

async fn site_views(db: &impl sea_orm::ConnectionTrait, sites: Vec<site::Model>) -> ApiResult<Vec<SummerSite>> {
    let weeks = repo::weeks_of(db, sites.iter().map(|s| s.id).collect()).await?;
    let waiting = repo::waiting_counts(db, weeks.iter().map(|w| w.id).collect()).await?;
    Ok(sites
        .into_iter()
        .map(|s| SummerSite {
            id: s.id,
            district_id: s.district_id,
            school_id: s.school_id,
            kind: kind(&s),
            grades: unlist(&s.grades),
            start: hhmm(s.start_minute as Minute),
            end: hhmm(s.end_minute as Minute),
            fee_fen: s.fee_fen,
            weeks: weeks
                .iter()
                .filter(|w| w.site_id == s.id)
                .map(|w| SummerWeek {
                    id: w.id,
                    starts_on: w.starts_on,
                    ends_on: rules::ends_on(w.starts_on),
                    capacity: w.capacity as u32,
                    enrolled: w.seats_taken as u32,
                    waitlisted: waiting.get(&w.id).copied().unwrap_or(0),
                })
                .collect(),
            created_at: s.created_at,
            name: s.name,
            address: s.address,
        })
        .collect())
}

/// The district's sites with their places taken and waiting per week: its bureau officers and
/// the admins of its schools (numbers, never a child).
pub async fn sites_of_district(state: &AppState, caller: &Caller, district_id: Uuid) -> ApiResult<SummerSiteList> {
    let db = &state.db;
    if access::bureau_officer_of(db, caller, district_id).await.is_err() {
        let mine = access::schools_administered(db, caller).await?;
        let schools = crate::org::repo::schools_by_id(db, mine).await?;
        if !schools.values().any(|s| s.district_id == district_id) {
            return Err(ApiError::not_found());
        }
    }
    let sites = repo::sites_of_district(db, district_id).await?;
    Ok(SummerSiteList { items: site_views(db, sites).await? })
}

/// The child's school and grade, for a guardian who may see it (a `pickup` link does not: not
/// found) or, `acting`, act for it (full access).
async fn child_of(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    student_id: Uuid,
    acting: bool,
) -> ApiResult<(crate::org::model::student::Model, school::Model, u8)> {
    let guardian = if acting {
        access::acting_guardian_of(db, caller, student_id).await?
    } else {
        access::guardian_of(db, caller, student_id).await?
    };
    let (school, grade) = placed(db, &guardian.student).await?.ok_or_else(ApiError::not_found)?;
    Ok((guardian.student, school, grade))
}

/// The child's school and grade as they are today (`None`: the school is gone).
async fn placed(
    db: &impl sea_orm::ConnectionTrait,
    child: &crate::org::model::student::Model,
) -> ApiResult<Option<(school::Model, u8)>> {
    let Some(school) = crate::org::repo::school(db, child.school_id).await? else { return Ok(None) };
    Ok(Some((school, grade_of(db, child).await?)))
}

/// What summer care the child can take, where the child stands each week and what the family owes.
pub async fn child(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<ChildSummer> {
    let db = &state.db;
    let (student, school, grade) = child_of(db, caller, student_id, false).await?;
    let today = school.local_date(state.clock.now());
    let sites: Vec<site::Model> = repo::sites_of_district(db, school.district_id)
        .await?
        .into_iter()
        .filter(|s| rules::takes(s.school_id, &unlist(&s.grades), school.id, grade))
        .collect();
    let weeks = repo::weeks_of(db, sites.iter().map(|s| s.id).collect()).await?;
    let mine: HashMap<Uuid, enrolment::Model> =
        repo::enrolments_of_child(db, student.id).await?.into_iter().map(|(e, w)| (w.id, e)).collect();
    let mut owed_fen = 0;
    let mut views = Vec::new();
    for s in &sites {
        let mut rows = Vec::new();
        for w in weeks.iter().filter(|w| w.site_id == s.id) {
            let entry = mine.get(&w.id).filter(|e| e.status != WeekStatus::Withdrawn);
            let waitlist_position = match entry {
                Some(e) if e.status == WeekStatus::Waitlisted => Some(repo::ahead(db, e).await? as u32),
                _ => None,
            };
            if entry.is_some_and(|e| e.status == WeekStatus::Enrolled) {
                owed_fen += s.fee_fen;
            }
            rows.push(ChildSummerWeek {
                week_id: w.id,
                starts_on: w.starts_on,
                ends_on: rules::ends_on(w.starts_on),
                places_left: (w.capacity - w.seats_taken).max(0) as u32,
                status: entry.map(|e| e.status),
                waitlist_position,
                open: rules::open_until_start(w.starts_on, today),
            });
        }
        views.push(ChildSummerSite {
            site_id: s.id,
            kind: kind(s),
            name: s.name.clone(),
            address: s.address.clone(),
            start: hhmm(s.start_minute as Minute),
            end: hhmm(s.end_minute as Minute),
            fee_fen: s.fee_fen,
            weeks: rows,
        });
    }
    Ok(ChildSummer { student_id, owed_fen, sites: views })
}

async fn enrolment_view(db: &impl sea_orm::ConnectionTrait, row: &enrolment::Model) -> ApiResult<SummerEnrolment> {
    let waitlist_position = match row.status {
        WeekStatus::Waitlisted => Some(repo::ahead(db, row).await? as u32),
        _ => None,
    };
    Ok(SummerEnrolment {
        id: row.id,
        week_id: row.week_id,
        student_id: row.student_id,
        status: row.status,
        waitlist_position,
        created_at: row.created_at,
    })
}

/// The week and its site, for a child the site takes (another district's or school's site is not
/// found; a grade it does not take is `not_eligible`), while the week has not started.
async fn week_for_child(
    db: &impl sea_orm::ConnectionTrait,
    week_id: Uuid,
    school: &school::Model,
    grade: u8,
    today: chrono::NaiveDate,
) -> ApiResult<(week::Model, site::Model)> {
    let week = repo::week(db, week_id).await?.ok_or_else(ApiError::not_found)?;
    let site = repo::site(db, week.site_id).await?.ok_or_else(ApiError::not_found)?;
    if site.district_id != school.district_id || site.school_id.is_some_and(|s| s != school.id) {
        return Err(ApiError::not_found());
    }
    if !rules::takes(site.school_id, &unlist(&site.grades), school.id, grade) {
        return Err(AfterschoolError::NotEligible { grade }.into());
    }
    if !rules::open_until_start(week.starts_on, today) {
        return Err(AfterschoolError::EnrolmentClosed.into());
    }
    Ok((week, site))
}

/// A full guardian takes a place for the child in a week (201 `enrolled`, or `waitlisted` when
/// the week is full); asking again answers the place the child has (200), taking a place that has
/// freed meanwhile for a child still waiting. A child has one place a week: another site's place
/// the same week is `time_slot_taken`.
///
/// Locks in one order everywhere: the week first (its queue number), then the child (two
/// guardians asking at once, or for two sites the same week, queue there); a promotion takes a
/// waiting child only if nobody holds them (`try_lock_student`), so no two requests wait on each
/// other in a circle.
pub async fn enrol(
    state: &AppState,
    caller: &Caller,
    week_id: Uuid,
    req: SummerEnrol,
) -> ApiResult<(SummerEnrolment, bool)> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (student, school, grade) = child_of(&txn, caller, req.student_id, true).await?;
    let (week, _) = week_for_child(&txn, week_id, &school, grade, school.local_date(now)).await?;
    let ticket = repo::next_ticket(&txn, week_id).await?;
    crate::org::repo::lock_student(&txn, student.id).await?;
    let held = repo::enrolment(&txn, week_id, student.id).await?.filter(|e| e.status != WeekStatus::Withdrawn);
    let elsewhere = repo::placed_that_week(&txn, student.id, week.starts_on, week_id).await?;
    if let Some(held) = held {
        if held.status == WeekStatus::Waitlisted
            && elsewhere.is_none()
            && repo::take_place(&txn, week_id).await?
            && !repo::move_status(&txn, held.id, WeekStatus::Waitlisted, WeekStatus::Enrolled, now).await?
        {
            repo::free_place(&txn, week_id).await?;
        }
        let current = repo::enrolment(&txn, week_id, student.id).await?.ok_or_else(ApiError::not_found)?;
        let view = enrolment_view(&txn, &current).await?;
        txn.commit().await?;
        return Ok((view, false));
    }
    if let Some(other) = elsewhere {
        return Err(AfterschoolError::SummerWeekTaken { week_id: other }.into());
    }
    let status = if repo::take_place(&txn, week_id).await? { WeekStatus::Enrolled } else { WeekStatus::Waitlisted };
    let row = enrolment::Model {
        id: Uuid::now_v7(),
        week_id,
        student_id: student.id,
        status,
        ticket,
        requested_by: caller.account_id,
        created_at: now,
        updated_at: now,
    };
    repo::put_enrolment(&txn, row).await?;
    let saved = repo::enrolment(&txn, week_id, student.id).await?.ok_or_else(ApiError::not_found)?;
    let view = enrolment_view(&txn, &saved).await?;
    txn.commit().await?;
    Ok((view, true))
}

/// A full guardian gives a week back before it starts (nothing is owed for it); a freed place goes
/// to the first in line without a place elsewhere that week, whose family is told at once. Only
/// the place and the date are checked: a child who changed school or grade since can still give
/// the week back.
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    week_id: Uuid,
    student_id: Uuid,
) -> ApiResult<SummerEnrolment> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (student, school, _) = child_of(&txn, caller, student_id, true).await?;
    let week = repo::week(&txn, week_id).await?.ok_or_else(ApiError::not_found)?;
    let site = repo::site(&txn, week.site_id).await?.ok_or_else(ApiError::not_found)?;
    if repo::enrolment(&txn, week_id, student.id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    if !rules::open_until_start(week.starts_on, school.local_date(now)) {
        return Err(AfterschoolError::EnrolmentClosed.into());
    }
    // The week, then the child (see `enrol`); the row is read after both, as it stands.
    repo::next_ticket(&txn, week_id).await?;
    crate::org::repo::lock_student(&txn, student.id).await?;
    let row = repo::enrolment(&txn, week_id, student.id).await?.ok_or_else(ApiError::not_found)?;
    let mut woken = Vec::new();
    if row.status != WeekStatus::Withdrawn
        && repo::move_status(&txn, row.id, row.status, WeekStatus::Withdrawn, now).await?
        && row.status == WeekStatus::Enrolled
    {
        repo::free_place(&txn, week_id).await?;
        woken = promote(&txn, &week, &site, now).await?;
    }
    let saved = repo::enrolment(&txn, week_id, student.id).await?.ok_or_else(ApiError::not_found)?;
    let view = enrolment_view(&txn, &saved).await?;
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }
    Ok(view)
}

/// Gives a freed place (the week's row held by the caller) to the first in line who may still take
/// it (same district, and the site's school and grades: a child may have moved since joining the
/// line) and has no place elsewhere that week; an entry that cannot take it, or whose child another
/// request holds just now, keeps its place and never blocks the next. Answers the accounts told.
async fn promote(
    txn: &impl sea_orm::ConnectionTrait,
    week: &week::Model,
    site: &site::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    for next in repo::waitlist(txn, week.id).await? {
        let Some(child) = crate::org::repo::try_lock_student(txn, next.student_id).await? else { continue };
        if !still_takes(txn, site, &child).await? {
            continue;
        }
        if repo::placed_that_week(txn, child.id, week.starts_on, week.id).await?.is_some() {
            continue;
        }
        if !repo::take_place(txn, week.id).await? {
            return Ok(Vec::new());
        }
        if !repo::move_status(txn, next.id, WeekStatus::Waitlisted, WeekStatus::Enrolled, now).await? {
            repo::free_place(txn, week.id).await?;
            continue;
        }
        let (from, to) = (week.starts_on, rules::ends_on(week.starts_on));
        let (name, site_name) = (&child.name, &site.name);
        let entry = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: Uuid::new_v4(),
            title: format!("{name}暑期托管候补转正：「{site_name}」{from}–{to} / {name} has a summer care place"),
            body: format!(
                "名额已转正。如不需要，请在 {from} 前在应用中退出，不收取费用。\n\
                 A place freed at {site_name} for {from}–{to} and is your child's now. If you do not want it, give \
                 it back in the app before {from}: nothing is owed."
            ),
            sender_name: site_name.clone(),
            urgent: false,
            needs_response: false,
            subject_id: None,
        };
        // From the child's school: the family's settings (quiet hours) are kept per school.
        return crate::afterschool::service::tell_family(txn, child.school_id, child.id, entry, now).await;
    }
    Ok(Vec::new())
}

/// Whether the site takes the child as the child is today (school, district and grade).
async fn still_takes(
    db: &impl sea_orm::ConnectionTrait,
    site: &site::Model,
    child: &crate::org::model::student::Model,
) -> ApiResult<bool> {
    let Some((school, grade)) = placed(db, child).await? else { return Ok(false) };
    Ok(school.district_id == site.district_id && rules::takes(site.school_id, &unlist(&site.grades), school.id, grade))
}

/// Who has a place each week at a school's site (its admins; a community site's roster is not
/// given to the bureau, which sees numbers only).
pub async fn roster(state: &AppState, caller: &Caller, site_id: Uuid) -> ApiResult<SummerRoster> {
    let db = &state.db;
    let site = repo::site(db, site_id).await?.ok_or_else(ApiError::not_found)?;
    let Some(school_id) = site.school_id else {
        return Err(ApiError::not_found());
    };
    access::school_admin(db, caller, school_id).await?;
    let weeks = repo::weeks_of(db, vec![site.id]).await?;
    let waiting = repo::waiting_counts(db, weeks.iter().map(|w| w.id).collect()).await?;
    let enrolled = repo::enrolled_in(db, weeks.iter().map(|w| w.id).collect()).await?;
    let students = crate::org::repo::students_by_id(db, enrolled.iter().map(|e| e.student_id).collect()).await?;
    let classes = crate::org::repo::classes_by_id(db, students.iter().map(|s| s.class_id).collect()).await?;
    let child = |id: Uuid| {
        let s = students.iter().find(|s| s.id == id)?;
        let c = classes.get(&s.class_id)?;
        Some(RosterChild { student_id: s.id, name: s.name.clone(), grade: c.grade, class_number: c.number })
    };
    Ok(SummerRoster {
        site_id,
        weeks: weeks
            .iter()
            .map(|w| RosterWeek {
                week_id: w.id,
                starts_on: w.starts_on,
                enrolled: enrolled.iter().filter(|e| e.week_id == w.id).filter_map(|e| child(e.student_id)).collect(),
                waitlisted: waiting.get(&w.id).copied().unwrap_or(0),
            })
            .collect(),
    })
}
