//! The school calendar's use cases: a school's admins define, change and remove terms; whoever may
//! read the school reads them; other domains ask [`calendar`] which days are school days and
//! [`term_at`] which term a date falls in.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::dto::{HolidayInput, MAX_DAYS, MakeUpDayInput, NAME_MAX_CHARS, Term, TermInput, TermList};
use super::error::CalendarError;
use super::model::{DayKind, day, term};
use super::repo;
use super::rules::{self, Calendar};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::input::{optional_text, visible_text};
use crate::state::AppState;

/// A term read back with its special days, as the rules see it.
struct Stored {
    row: term::Model,
    days: Vec<day::Model>,
}

impl Stored {
    fn rules_term(&self) -> rules::Term {
        let (holidays, make_up_days) = split(&self.days);
        rules::Term {
            starts_on: self.row.starts_on,
            ends_on: self.row.ends_on,
            holidays: holidays.iter().map(|h| (h.from, h.to)).collect(),
            make_up_days: make_up_days.iter().map(|m| (m.date, m.follows_weekday)).collect(),
        }
    }

    fn view(&self) -> Term {
        let (holidays, make_up_days) = split(&self.days);
        let calendar = Calendar::of_terms([&self.rules_term()]);
        Term {
            id: self.row.id,
            school_id: self.row.school_id,
            name: self.row.name.clone(),
            starts_on: self.row.starts_on,
            ends_on: self.row.ends_on,
            holidays,
            make_up_days,
            school_days: calendar.count_school_days(self.row.starts_on, self.row.ends_on),
            updated_at: self.row.updated_at,
        }
    }
}

/// The stored days back as the school stated them: consecutive holiday days of one name become
/// one range again.
fn split(days: &[day::Model]) -> (Vec<HolidayInput>, Vec<MakeUpDayInput>) {
    let mut holidays: Vec<HolidayInput> = Vec::new();
    let mut make_up = Vec::new();
    for d in days {
        match d.kind {
            DayKind::Holiday => match holidays.last_mut() {
                Some(last) if last.name == d.name && last.to.succ_opt() == Some(d.date) => last.to = d.date,
                _ => holidays.push(HolidayInput { name: d.name.clone(), from: d.date, to: d.date }),
            },
            DayKind::MakeUp => make_up.push(MakeUpDayInput {
                date: d.date,
                follows_weekday: d.follows_weekday.and_then(|w| u8::try_from(w).ok()).unwrap_or(1),
                name: d.name.clone(),
            }),
        }
    }
    (holidays, make_up)
}

fn invalid(field: &str, zh: &'static str, en: &'static str) -> ApiError {
    ApiError::validation(field, zh, en)
}

/// The request as a term and its special days, every field checked (the dates by the rules).
fn parse(req: TermInput, school_id: Uuid, id: Uuid, now: chrono::DateTime<chrono::Utc>) -> ApiResult<Stored> {
    let name = visible_text(&req.name, NAME_MAX_CHARS)
        .ok_or_else(|| invalid("name", "请填写学期名称（不超过 60 字）。", "Name the term (60 characters at most)."))?;
    if req.holidays.len() > MAX_DAYS || req.make_up_days.len() > MAX_DAYS {
        return Err(invalid("holidays", "假期或调休日最多各 60 项。", "At most 60 holidays and 60 make-up days."));
    }
    let mut days = Vec::new();
    for h in &req.holidays {
        let holiday_name = visible_text(&h.name, NAME_MAX_CHARS).ok_or_else(|| {
            invalid("holidays", "请填写假期名称（不超过 60 字）。", "Name each holiday (60 characters at most).")
        })?;
        if h.from <= h.to && (h.to - h.from).num_days() < rules::MAX_TERM_DAYS {
            for date in h.from.iter_days().take_while(|d| *d <= h.to) {
                days.push(day::Model {
                    id: Uuid::new_v4(),
                    term_id: id,
                    date,
                    kind: DayKind::Holiday,
                    name: holiday_name.to_owned(),
                    follows_weekday: None,
                });
            }
        }
    }
    for m in &req.make_up_days {
        let name = optional_text(&m.name, NAME_MAX_CHARS)
            .map_err(|_| {
                invalid("make_up_days", "调休日名称不超过 60 字。", "A make-up day's name takes 60 characters at most.")
            })?
            .unwrap_or_default();
        days.push(day::Model {
            id: Uuid::new_v4(),
            term_id: id,
            date: m.date,
            kind: DayKind::MakeUp,
            name: name.to_owned(),
            follows_weekday: Some(i16::from(m.follows_weekday)),
        });
    }
    let stated = rules::Term {
        starts_on: req.starts_on,
        ends_on: req.ends_on,
        holidays: req.holidays.iter().map(|h| (h.from, h.to)).collect(),
        make_up_days: req.make_up_days.iter().map(|m| (m.date, m.follows_weekday)).collect(),
    };
    rules::check_term(&stated).map_err(CalendarError::TermInvalid)?;
    days.sort_by_key(|d| d.date);
    let row = term::Model {
        id,
        school_id,
        name: name.to_owned(),
        starts_on: req.starts_on,
        ends_on: req.ends_on,
        created_at: now,
        updated_at: now,
    };
    Ok(Stored { row, days })
}

/// Saves a new term (`term_id` none) or replaces one, after the school's row is locked so that no
/// two overlapping terms pass the check at once.
async fn save(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    term_id: Option<Uuid>,
    req: TermInput,
) -> ApiResult<Term> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    // Terms of one school are saved one at a time, so two overlapping terms cannot both pass the
    // overlap check.
    crate::org::repo::lock_school(&txn, school_id).await?;
    let existing = match term_id {
        Some(id) => {
            Some(repo::term(&txn, id).await?.filter(|t| t.school_id == school_id).ok_or_else(ApiError::not_found)?)
        }
        None => None,
    };
    let mut stored = parse(req, school_id, term_id.unwrap_or_else(Uuid::new_v4), now)?;
    if let Some(old) = &existing {
        stored.row.created_at = old.created_at;
    }
    let others = repo::terms(&txn, school_id).await?;
    if let Some(other) = others.iter().find(|o| {
        Some(o.id) != term_id && rules::overlaps((o.starts_on, o.ends_on), (stored.row.starts_on, stored.row.ends_on))
    }) {
        return Err(CalendarError::TermOverlaps { term_id: other.id }.into());
    }
    repo::save_term(&txn, stored.row.clone(), stored.days.clone(), existing.is_none()).await?;
    txn.commit().await?;
    Ok(stored.view())
}

/// A school admin defines a term.
pub async fn define(state: &AppState, caller: &Caller, school_id: Uuid, req: TermInput) -> ApiResult<Term> {
    save(state, caller, school_id, None, req).await
}

/// A school admin changes a term (the whole term, holidays and make-up days included).
pub async fn replace(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    term_id: Uuid,
    req: TermInput,
) -> ApiResult<Term> {
    save(state, caller, school_id, Some(term_id), req).await
}

/// A school admin removes a term: its days follow the plain weekday rule again.
pub async fn remove(state: &AppState, caller: &Caller, school_id: Uuid, term_id: Uuid) -> ApiResult<()> {
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    repo::term(&txn, term_id).await?.filter(|t| t.school_id == school_id).ok_or_else(ApiError::not_found)?;
    repo::delete_term(&txn, term_id).await?;
    txn.commit().await?;
    Ok(())
}

async fn stored(db: &impl ConnectionTrait, terms: Vec<term::Model>) -> ApiResult<Vec<Stored>> {
    let days = repo::days_of(db, terms.iter().map(|t| t.id).collect()).await?;
    let mut by_term: HashMap<Uuid, Vec<day::Model>> = HashMap::new();
    for d in days {
        by_term.entry(d.term_id).or_default().push(d);
    }
    Ok(terms.into_iter().map(|row| Stored { days: by_term.remove(&row.id).unwrap_or_default(), row }).collect())
}

/// The school's terms: for its staff, its district's officers and its pupils' families.
pub async fn list(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<TermList> {
    let db = &state.db;
    let school = crate::org::repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)?;
    access::school_reader(db, caller, &school).await?;
    let terms = stored(db, repo::terms(db, school_id).await?).await?;
    Ok(TermList { items: terms.iter().map(Stored::view).collect() })
}

/// The school's calendar from `from` to `to`: its terms' holidays and make-up days (days outside
/// every term follow the plain weekday rule).
pub async fn calendar(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Calendar> {
    Ok(calendars(db, &[school_id], from, to).await?.remove(&school_id).unwrap_or_default())
}

/// Each school's calendar from `from` to `to` (see [`calendar`]), read for all of them at once.
pub async fn calendars(
    db: &impl ConnectionTrait,
    school_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<HashMap<Uuid, Calendar>> {
    let terms = stored(db, repo::terms_of_schools_between(db, school_ids.to_vec(), from, to).await?).await?;
    let mut by_school: HashMap<Uuid, Vec<rules::Term>> = school_ids.iter().map(|id| (*id, Vec::new())).collect();
    for t in &terms {
        by_school.entry(t.row.school_id).or_default().push(t.rules_term());
    }
    Ok(by_school.into_iter().map(|(id, terms)| (id, Calendar::of_terms(&terms))).collect())
}

/// Each school's term on its own date (see [`term_at`]), read for all of them at once.
pub async fn terms_at(db: &impl ConnectionTrait, at: &[(Uuid, NaiveDate)]) -> ApiResult<HashMap<Uuid, Period>> {
    let (Some(first), Some(last)) = (at.iter().map(|a| a.1).min(), at.iter().map(|a| a.1).max()) else {
        return Ok(HashMap::new());
    };
    let terms = repo::terms_of_schools_between(db, at.iter().map(|a| a.0).collect(), first, last).await?;
    Ok(at
        .iter()
        .map(|(school_id, date)| {
            let own = terms.iter().find(|t| t.school_id == *school_id && t.starts_on <= *date && t.ends_on >= *date);
            let period = match own {
                Some(t) => {
                    Period { term_id: Some(t.id), name: t.name.clone(), starts_on: t.starts_on, ends_on: t.ends_on }
                }
                None => {
                    let (starts_on, ends_on) = rules::default_term(*date);
                    Period { term_id: None, name: format!("{starts_on} – {ends_on}"), starts_on, ends_on }
                }
            };
            (*school_id, period)
        })
        .collect())
}

/// A term as other domains use it: its dates, and whether the school defined it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The school's term, or none when `date` falls in no term it defined (then the default term).
    pub term_id: Option<Uuid>,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// The term `date` falls in: the school's own, or else the default term (autumn 1 September to 31
/// January, spring 1 February to 31 August), so that every date has one.
pub async fn term_at(db: &impl ConnectionTrait, school_id: Uuid, date: NaiveDate) -> ApiResult<Period> {
    let mut terms = terms_at(db, &[(school_id, date)]).await?;
    terms.remove(&school_id).ok_or_else(ApiError::not_found)
}

/// The school year `date` falls in: from the first day of the school's first term of that year to
/// the last day of its last (the terms it defined for the year), or else 1 September to 31 August.
pub async fn year_at(db: &impl ConnectionTrait, school_id: Uuid, date: NaiveDate) -> ApiResult<Period> {
    let term = term_at(db, school_id, date).await?;
    let year = rules::school_year_of(term.starts_on);
    let (first, last) = (
        NaiveDate::from_ymd_opt(year, 8, 1).unwrap_or(term.starts_on),
        NaiveDate::from_ymd_opt(year + 1, 8, 31).unwrap_or(term.ends_on),
    );
    let terms: Vec<term::Model> = repo::terms_between(db, school_id, first, last)
        .await?
        .into_iter()
        .filter(|t| rules::school_year_of(t.starts_on) == year)
        .collect();
    let name = format!("{year}–{}", year + 1);
    match (terms.first(), terms.last()) {
        (Some(a), Some(b)) if term.term_id.is_some() => {
            Ok(Period { term_id: None, name, starts_on: a.starts_on, ends_on: b.ends_on })
        }
        _ => Ok(Period {
            term_id: None,
            name,
            starts_on: NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(term.starts_on),
            ends_on: NaiveDate::from_ymd_opt(year + 1, 8, 31).unwrap_or(term.ends_on),
        }),
    }
}
