//! Accepting a window: the raced path of home visits (a class's families answering their mentor at
//! once, two guardians of a child tapping together).
//!
//! Acceptances of one school's visits are booked together. The first starts a batch; every
//! acceptance that arrives while a batch of the school is being booked waits for the next one,
//! which takes them all into one transaction: one lock of their teachers, one read of the visits
//! and the teachers' calendars, each kind of row written in one statement, one commit. Inside,
//! each is decided in the order it arrived, exactly as one at a time: the first guardian to accept
//! a window books it, the next finds it taken. A race of 200 families then costs a few
//! transactions instead of 200, and a request waiting for the next batch holds no database
//! connection while it waits.
//!
//! A batch only spans this instance. Across instances, and against every other change of a visit
//! (cancel, counter-proposal…), the teachers' lock in the database decides, as before: a batch
//! takes its teachers' rows in account order like every other booking, so none waits in a circle.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::super::super::dto::{AcceptVisit, Visit};
use super::super::super::error::MentoringError;
use super::super::super::model::{TaskStatus, VisitEventKind, VisitMode, VisitStatus, settings, visit, visit_window};
use super::super::super::repo;
use super::super::super::rules::Window;
use super::super::staff_names;
use super::{
    Shown, Side, To, address_of, answering_side, around, calendar_conflict, closed, event_row, local, move_visit_task,
    not_your_turn, side, teachers_of, told, visit_view, window_at,
};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::infra::bus::Wake;
use crate::org::model::school;
use crate::state::AppState;

/// Acceptances waiting for their school's next batch, in the order they arrived. A school is
/// present while a batch of its runs.
#[derive(Default)]
pub struct Bookings {
    waiting: Mutex<HashMap<Uuid, Vec<Try>>>,
}

/// One acceptance, as its request read the visit.
struct Try {
    caller: Caller,
    seen: visit::Model,
    start: DateTime<Utc>,
    address: Option<String>,
    answer: oneshot::Sender<ApiResult<Visit>>,
}

impl Bookings {
    /// Adds the try to its school's next batch: `true` when none of the school's is running, so
    /// the caller starts one.
    fn join(&self, school: Uuid, try_: Try) -> bool {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        match waiting.get_mut(&school) {
            Some(queue) => {
                queue.push(try_);
                false
            }
            None => {
                waiting.insert(school, vec![try_]);
                true
            }
        }
    }

    /// Every try waiting for the school; when none is, the run ends (under the same lock as
    /// [`Bookings::join`], so a try that arrives after this starts the next run).
    fn take(&self, school: Uuid) -> Vec<Try> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let taken = waiting.get_mut(&school).map(std::mem::take).unwrap_or_default();
        if taken.is_empty() {
            waiting.remove(&school);
        }
        taken
    }
}

/// The side the windows wait for accepts one by its start: booked, if the teachers' calendars
/// allow. A second acceptance of the same time answers the booking as it stands.
pub async fn accept(
    state: Arc<AppState>,
    bookings: Arc<Bookings>,
    caller: &Caller,
    visit_id: Uuid,
    req: AcceptVisit,
) -> ApiResult<Visit> {
    let address = address_of(req.address.as_deref())?;
    let seen = repo::visit(&state.db, visit_id).await?.ok_or_else(ApiError::not_found)?;
    let school = seen.school_id;
    let (answer, answered) = oneshot::channel();
    let try_ = Try { caller: *caller, seen, start: req.start, address, answer };
    if bookings.join(school, try_) {
        tokio::spawn(run(state, bookings, school));
    }
    answered.await.map_err(|_| ApiError::internal(anyhow::anyhow!("the acceptance's batch ended without answering")))?
}

/// Books the school's batches until no acceptance waits for one.
async fn run(state: Arc<AppState>, bookings: Arc<Bookings>, school: Uuid) {
    // Should a batch panic, the school must not stay busy for ever: the tries still waiting are
    // dropped (their requests answer 500) and the next acceptance starts afresh.
    struct Running<'a>(&'a Bookings, Uuid);
    impl Drop for Running<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.waiting.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.1);
            }
        }
    }
    let _running = Running(&bookings, school);
    loop {
        let batch = bookings.take(school);
        if batch.is_empty() {
            return;
        }
        let answers = match book(&state, school, &batch).await {
            Ok(answers) => answers,
            Err(error) => {
                // One cause, logged once with the first try's answer; the others say it failed.
                let mut first = Some(error);
                batch
                    .iter()
                    .map(|_| {
                        Err(first
                            .take()
                            .unwrap_or_else(|| ApiError::internal(anyhow::anyhow!("booked in a batch that failed"))))
                    })
                    .collect()
            }
        };
        for (try_, answer) in batch.into_iter().zip(answers) {
            // A request that went away meanwhile hears nothing; what was booked stays booked.
            let _ = try_.answer.send(answer);
        }
    }
}

/// What a try comes to, decided behind the teachers' lock.
enum Outcome {
    /// Booked now.
    Booked(visit::Model),
    /// The same time was already booked: the booking as it stands.
    AsItStands(visit::Model),
}

/// The caller's side of the visit (see [`side`]), the child's full guardians already read: only
/// the visit's teachers need more.
async fn side_of(
    db: &impl ConnectionTrait,
    try_: &Try,
    v: &visit::Model,
    families: &HashMap<Uuid, Vec<Uuid>>,
) -> ApiResult<Side> {
    let account = try_.caller.account_id;
    if account == v.mentor_account_id || v.co_visitor_account_id == Some(account) {
        return side(db, &try_.caller, v).await;
    }
    match families.get(&v.student_id) {
        Some(family) if family.contains(&account) => Ok(Side::Family),
        _ => Err(ApiError::not_found()),
    }
}

/// From the day before the earliest window to the day after the latest (a window outside it is
/// read on its own).
fn span(slots: impl Iterator<Item = Window>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    slots.map(around).reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// The batch in one transaction, each try in its order: what each answers. An error is the
/// batch's (the database's), and none of it is booked.
async fn book(state: &AppState, school_id: Uuid, batch: &[Try]) -> ApiResult<Vec<ApiResult<Visit>>> {
    let db = &state.db;
    // Their teachers, in the order their lock takes them.
    let mut teachers: Vec<Uuid> = batch.iter().flat_map(|t| teachers_of(&t.seen)).collect();
    teachers.sort_unstable();
    teachers.dedup();
    let teachers = teachers.as_slice();
    let now = state.clock.now();
    let mut answers: Vec<Option<ApiResult<Visit>>> = batch.iter().map(|_| None).collect();
    let open = |answers: &[Option<ApiResult<Visit>>]| answers.iter().filter(|a| a.is_none()).count();

    // Who each caller is to the visit: anyone else learns nothing more (not even a clash).
    let mut students: Vec<Uuid> = batch.iter().map(|t| t.seen.student_id).collect();
    students.sort_unstable();
    students.dedup();
    let families = access::full_guardian_accounts_of(db, &students).await?;
    let mut sides = Vec::with_capacity(batch.len());
    for (answer, try_) in answers.iter_mut().zip(batch) {
        let side = side_of(db, try_, &try_.seen, &families).await;
        sides.push(side.as_ref().ok().copied());
        if let Err(error) = side {
            *answer = Some(Err(error));
        }
    }
    let Some((settings, school)) = repo::settings_with_school(db, school_id).await? else {
        return Ok(answers.into_iter().map(|a| a.unwrap_or_else(|| Err(MentoringError::NotSet.into()))).collect());
    };
    let mut ids: Vec<Uuid> = batch.iter().map(|t| t.seen.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut windows = repo::windows_of(db, ids.clone()).await?;
    let range = span(batch.iter().filter_map(|t| window_at(&windows, t.seen.id, t.start)))
        .unwrap_or_else(|| around((now, now)));

    // A window that a booking already holds is refused before the lock: bookings are only ever
    // added under it, so the clash stands (unless that booking is cancelled this very moment: the
    // family tries again). Anything else is decided behind the lock.
    if open(&answers) > 0 {
        let booked = repo::booked_of(db, teachers, range).await?;
        let booked: Vec<&visit::Model> = booked.iter().collect();
        for (answer, try_) in answers.iter_mut().zip(batch).filter(|(a, _)| a.is_none()) {
            let Some(slot) = window_at(&windows, try_.seen.id, try_.start) else { continue };
            if try_.seen.status == VisitStatus::Proposed
                && let Err(clash) = calendar_conflict((&school, &settings), &try_.seen, slot, &booked)
            {
                *answer = Some(Err(clash));
            }
        }
    }
    if open(&answers) == 0 {
        return Ok(answers.into_iter().flatten().collect());
    }

    let txn = crate::infra::db::begin(db).await?;
    repo::lock_teachers(&txn, school_id, teachers).await?;
    // The batch's visits again, and their teachers' calendars, as the lock leaves them.
    let mut rows: HashMap<Uuid, visit::Model> =
        repo::visits_and_booked(&txn, &ids, teachers, range).await?.into_iter().map(|v| (v.id, v)).collect();
    // Windows change only with their visit's row: read again those of a visit that changed.
    let changed: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| batch.iter().any(|t| t.seen.id == *id && rows.get(id) != Some(&t.seen)))
        .collect();
    if !changed.is_empty() {
        windows.retain(|w| !changed.contains(&w.visit_id));
        windows.extend(repo::windows_of(&txn, changed).await?);
    }
    let mut decided: Vec<(usize, Side, visit::Model)> = Vec::new();
    let (mut events, mut tellings, mut woken) = (Vec::new(), Vec::new(), Vec::new());
    for (i, try_) in batch.iter().enumerate() {
        if answers[i].is_some() {
            continue;
        }
        let Some(v) = rows.get(&try_.seen.id).cloned() else {
            answers[i] = Some(Err(ApiError::not_found()));
            continue;
        };
        let side = match sides[i] {
            Some(side) if v == try_.seen => side,
            _ => match side_of(&txn, try_, &v, &families).await {
                Ok(side) => side,
                Err(error) => {
                    answers[i] = Some(Err(error));
                    continue;
                }
            },
        };
        // A window outside what was read (its visit's windows changed meanwhile): read around it.
        if let Some(needed) = window_at(&windows, v.id, try_.start).map(around)
            && (needed.0 < range.0 || needed.1 > range.1)
        {
            for other in repo::booked_of(&txn, teachers, needed).await? {
                rows.entry(other.id).or_insert(other);
            }
        }
        let decision = {
            let booked: Vec<&visit::Model> = rows.values().filter(|r| r.status == VisitStatus::Booked).collect();
            decide(v, side, try_, &windows, &booked, (&school, &settings), now)
        };
        match decision {
            Err(error) => answers[i] = Some(Err(error)),
            Ok(Outcome::AsItStands(v)) => decided.push((i, side, v)),
            Ok(Outcome::Booked(v)) => {
                let by = try_.caller.account_id;
                repo::save_visit(&txn, v.clone(), false).await?;
                move_visit_task(&txn, &v, TaskStatus::Scheduled, None, by, now).await?;
                events.push(event_row(&v, by, VisitEventKind::Accepted, None, now));
                let to = match side {
                    Side::Family => To::Staff(teachers_of(&v)),
                    Side::Mentor | Side::CoVisitor => {
                        To::Family(families.get(&v.student_id).cloned().unwrap_or_default())
                    }
                };
                let when = local(&school, v.starts_at);
                let title = format!("家访已约定：{when} / Visit booked: {when}");
                let item = told(&school, &v, to, (title, String::new()), false);
                woken.extend(item.accounts.iter().copied());
                tellings.push(item);
                rows.insert(v.id, v.clone());
                decided.push((i, side, v));
            }
        }
    }
    // What the bookings add, each kind in one statement.
    repo::add_events(&txn, events).await?;
    crate::delivery::outbox::tell_all(&txn, Some(school.id), tellings, now).await?;
    txn.commit().await?;
    if !woken.is_empty() {
        state.bus.publish(Wake::items(Some(woken))).await;
    }

    // The answers of the visits booked (or found booked): their views, read together.
    if !decided.is_empty() {
        let shown: Vec<Uuid> = decided.iter().map(|(_, _, v)| v.id).collect();
        let events = repo::events_of(db, shown).await?;
        let mut accounts: Vec<Uuid> = decided.iter().flat_map(|(_, _, v)| teachers_of(v)).collect();
        accounts.sort_unstable();
        accounts.dedup();
        let names = staff_names(db, accounts).await?;
        let names_of_students: HashMap<Uuid, String> =
            crate::org::repo::students_by_id(db, students).await?.into_iter().map(|s| (s.id, s.name)).collect();
        for (i, side, v) in decided {
            let shown = Shown {
                events: &events,
                names: &names,
                student_name: names_of_students.get(&v.student_id).cloned().unwrap_or_default(),
                family: families.get(&v.student_id).map_or(&[], Vec::as_slice),
            };
            answers[i] = Some(Ok(visit_view(side, v, &windows, shown)));
        }
    }
    Ok(answers.into_iter().map(|a| a.unwrap_or_else(|| Err(ApiError::not_found()))).collect())
}

/// One try against the visit as the lock leaves it (and the batch's earlier tries made it), with
/// the teachers' booked visits around it: booked, found booked, or why not.
fn decide(
    mut v: visit::Model,
    side: Side,
    try_: &Try,
    windows: &[visit_window::Model],
    booked: &[&visit::Model],
    (school, settings): (&school::Model, &settings::Model),
    now: DateTime<Utc>,
) -> ApiResult<Outcome> {
    if v.status == VisitStatus::Booked && v.starts_at == Some(try_.start) && side == Side::Family {
        return Ok(Outcome::AsItStands(v));
    }
    if v.status != VisitStatus::Proposed {
        return Err(closed(&v));
    }
    if answering_side(side) != v.awaiting || side == Side::CoVisitor {
        return Err(not_your_turn(&v));
    }
    let Some(slot) = window_at(windows, v.id, try_.start) else {
        return Err(ApiError::validation("start", "请选择所提供的时间段之一。", "Pick one of the windows offered."));
    };
    if slot.0 <= now {
        return Err(ApiError::validation("start", "该时间段已过去。", "That window has passed."));
    }
    let home = v.mode == VisitMode::Home;
    if side == Side::Family && try_.address.is_some() && home {
        v.address = try_.address.clone();
    }
    if home && v.address.is_none() {
        return Err(ApiError::validation(
            "address",
            "上门家访请填写本次家访的地址（仅到访老师可见，家访 7 天后删除）。",
            "For a home visit, give the address for this visit (seen only by the visiting teachers, erased 7 days after).",
        ));
    }
    calendar_conflict((school, settings), &v, slot, booked)?;
    v.status = VisitStatus::Booked;
    v.starts_at = Some(slot.0);
    v.ends_at = Some(slot.1);
    v.updated_at = now;
    Ok(Outcome::Booked(v))
}
