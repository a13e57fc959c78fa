//! The school's parent-school figures (`PS_BUREAU`, its admins) and course ratings: participation
//! per class and grade this term, the credits distribution, graduation per stage against the
//! current rule, attendance per session and meeting, meetings held per class, ratings per course
//! and the school's own per-term duty. Reads only; aggregates only.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate};
use uuid::Uuid;

use super::super::dto::{
    ClassShare, CourseRated, CourseRating, CourseUse, CreditBucket, FiguresQuery, GradeShare, MeetingFigure, Owner,
    ParentSchoolFigures, RateCourse, SchoolDuty, SessionFigure, ShareView, StageGraduation,
};
use super::super::figures::{self, BUCKETS, Share, StudentFact};
use super::super::model::{MeetingScope, Source, rating};
use super::super::repo;
use super::graduation::{required_ids, stage_text};
use super::{family_child, school_of};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::org::model::{Stage, school};
use crate::state::AppState;

/// The most days one figures request covers (a school year and a bit).
const MAX_DAYS: i64 = 400;

fn share_view(s: Share) -> ShareView {
    ShareView { families: s.of, took_part: s.part, percent: s.percent() }
}

/// A guardian rates a course the family completed for the child (1–5).
pub async fn rate_course(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    req: RateCourse,
) -> ApiResult<CourseRated> {
    let now = state.clock.now();
    if !(1..=5).contains(&req.rating) {
        return Err(ApiError::validation("rating", "评分为 1–5。", "A rating is 1–5."));
    }
    let (child, _) = family_child(&state.db, caller, req.student_id).await?;
    let course = repo::course(&state.db, course_id).await?.ok_or_else(ApiError::not_found)?;
    if !repo::earned_courses(&state.db, child.id, child.school_id, None).await?.contains(&course.id) {
        return Err(ApiError::new(Code::PsNotCompleted));
    }
    let row = rating::Model {
        id: Uuid::now_v7(),
        course_id,
        guardian_account_id: caller.account_id,
        school_id: child.school_id,
        rating: req.rating,
        rated_at: now,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::upsert_rating(&txn, row).await?;
    txn.commit().await?;
    Ok(CourseRated { course_id, rating: req.rating, rated_at: now })
}

/// What "took part" means in every participation figure: an online course completed, an
/// offline session attended or a practice confirmed (a parent meeting is the school's duty, not a
/// family's choice, and counts separately).
const TAKING_PART: [Source; 3] = [Source::Online, Source::Offline, Source::Practice];

/// Participation per period for the bureau's trends: for each school (in order), its families
/// (students placed) and, per period, those that took part in it (on the school's own days).
/// Three reads for any number of schools and periods.
pub async fn participation_by_period(
    state: &AppState,
    schools: &[school::Model],
    periods: &[(NaiveDate, NaiveDate)],
) -> ApiResult<Vec<(u64, Vec<u64>)>> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(vec![(0, Vec::new()); schools.len()]);
    };
    let db = &state.db;
    let ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let placed = repo::placed_counts(db, ids.clone()).await?;
    let spans = schools.iter().map(|s| s.dates_as_instants(first.0, last.1));
    let Some(span) = spans.reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))) else { return Ok(Vec::new()) };
    let mut by_school: HashMap<Uuid, Vec<(Uuid, DateTime<chrono::Utc>)>> = HashMap::new();
    for (school, student, at) in repo::standing_entries_of_schools(db, ids, span, &TAKING_PART).await? {
        by_school.entry(school).or_default().push((student, at));
    }
    Ok(schools
        .iter()
        .map(|s| {
            let entries = by_school.get(&s.id).map_or(&[][..], Vec::as_slice);
            let took_part = periods
                .iter()
                .map(|(from, to)| {
                    let (a, b) = s.dates_as_instants(*from, *to);
                    let families: HashSet<Uuid> =
                        entries.iter().filter(|(_, at)| *at >= a && *at < b).map(|(student, _)| *student).collect();
                    families.len() as u64
                })
                .collect();
            (placed.get(&s.id).copied().unwrap_or(0), took_part)
        })
        .collect())
}

/// The school's figures for a period (the current term by default).
pub async fn school_figures(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    query: FiguresQuery,
) -> ApiResult<ParentSchoolFigures> {
    access::school_admin(&state.db, caller, school_id).await?;
    let school = school_of(&state.db, school_id).await?;
    figures_of(state, &school, query).await
}

/// A school's figures, for whoever the caller's domain has already authorised (the school's
/// admins here; the bureau's reporting, which suppresses small cells before anything leaves).
pub async fn figures_of(
    state: &AppState,
    school: &school::Model,
    query: FiguresQuery,
) -> ApiResult<ParentSchoolFigures> {
    let db = &state.db;
    let now = state.clock.now();
    let school_id = school.id;
    let (from, to) = match (query.from, query.to) {
        (Some(from), Some(to)) => (from, to),
        (None, None) => {
            let term = crate::calendar::service::term_at(db, school_id, school.local_date(now)).await?;
            (term.starts_on, term.ends_on)
        }
        _ => return Err(ApiError::validation("from", "请同时给出 from 和 to。", "Give both from and to.")),
    };
    if to < from || (to - from).num_days() > MAX_DAYS {
        return Err(ApiError::validation(
            "to",
            "to 不早于 from，且不超过 400 天。",
            "`to` is not before `from`, within 400 days.",
        ));
    }
    let (since, until) = school.dates_as_instants(from, to);

    let placed = repo::students_placed(db, school_id).await?;
    let students: Vec<StudentFact> = placed
        .iter()
        .map(|(id, class_id, grade)| StudentFact { id: *id, class_id: *class_id, grade: *grade })
        .collect();
    let in_period = repo::standing_entries(db, school_id, since, until, &[]).await?;
    let took_part: HashSet<Uuid> =
        in_period.iter().filter(|(_, _, source, _)| TAKING_PART.contains(source)).map(|(s, _, _, _)| *s).collect();
    let participation = figures::participation(&students, &took_part);

    let meetings = repo::meetings_between(db, school_id, since, until).await?;
    let held: Vec<_> = meetings.iter().filter(|m| m.ends_at <= now).collect();
    let classes = crate::org::repo::classes_of_schools(db, vec![school_id]).await?;
    let mut class_rows: Vec<ClassShare> = classes
        .iter()
        .map(|c| ClassShare {
            class_id: c.id,
            grade: c.grade,
            number: c.number,
            share: share_view(participation.class.get(&c.id).copied().unwrap_or_default()),
            meetings_held: held.iter().filter(|m| m.scope == MeetingScope::Class && m.class_id == Some(c.id)).count()
                as u32,
            meetings_reaching: held
                .iter()
                .filter(|m| match m.scope {
                    MeetingScope::Class => m.class_id == Some(c.id),
                    MeetingScope::Grade => m.grade == Some(c.grade),
                    MeetingScope::School => true,
                })
                .count() as u32,
        })
        .collect();
    class_rows.sort_by_key(|c| (c.grade, c.number));

    let balances = repo::balances(db, school_id, None).await?;
    let counts = figures::distribution(&students, &balances);
    let credits_distribution =
        BUCKETS.iter().zip(counts).map(|((lo, hi), families)| CreditBucket { from: *lo, to: *hi, families }).collect();

    let mut graduation = Vec::new();
    // Every entry that stands, read once and only when a stage has a rule to measure against.
    let mut all_time = None;
    for stage in [Stage::Primary, Stage::Junior] {
        let Some(rule) = repo::current_rule(db, school_id, stage_text(stage)).await? else { continue };
        let in_stage: Vec<&StudentFact> =
            students.iter().filter(|s| school.stage_system.stage_of(s.grade) == stage).collect();
        if in_stage.is_empty() {
            continue;
        }
        if all_time.is_none() {
            // Bounds both databases can store.
            let until = now + Duration::days(36_500);
            all_time = Some(repo::standing_entries(db, school_id, DateTime::UNIX_EPOCH, until, &[]).await?);
        }
        let stage_balances = repo::balances(db, school_id, Some(stage_text(stage))).await?;
        let required = required_ids(&rule);
        let mut earned: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        for (student, course, _, entry_stage) in all_time.iter().flatten() {
            if entry_stage != stage_text(stage) {
                continue;
            }
            if let Some(course) = course.filter(|c| required.contains(c)) {
                earned.entry(*student).or_default().insert(course);
            }
        }
        let empty = HashSet::new();
        let met = in_stage
            .iter()
            .filter(|s| {
                let balance = stage_balances.get(&s.id).copied().unwrap_or(0);
                super::super::rules::graduation(rule.credits, &required, balance, earned.get(&s.id).unwrap_or(&empty))
                    .met()
            })
            .count() as u32;
        let share = Share { part: met, of: in_stage.len() as u32 };
        graduation.push(StageGraduation {
            stage,
            rule_version: rule.version,
            families: share.of,
            met,
            percent: share.percent(),
        });
    }

    let mut sessions = Vec::new();
    let held_sessions = repo::sessions_between(db, school_id, since, until).await?;
    let titles = repo::course_titles(db, held_sessions.iter().map(|s| s.course_id).collect()).await?;
    for s in &held_sessions {
        sessions.push(SessionFigure {
            session_id: s.id,
            course_title: titles.get(&s.course_id).cloned().unwrap_or_default(),
            start: s.starts_at,
            capacity: s.capacity,
            registered: repo::count_registrations(db, s.id, super::super::model::RegistrationStatus::Registered)
                .await?,
            attended: repo::count_attendance(db, s.id).await?,
        });
    }
    let mut meeting_rows = Vec::new();
    for m in &meetings {
        meeting_rows.push(MeetingFigure {
            meeting_id: m.id,
            title: m.title.clone(),
            scope: m.scope,
            start: m.starts_at,
            invited: items::count_recipients(db, ItemKind::ParentSchool, m.id).await? as i64,
            attended: repo::count_meeting_attendance(db, m.id).await?,
        });
    }
    let rated = repo::ratings_of_school(db, school_id).await?;
    let rated_titles = repo::course_titles(db, rated.iter().map(|(c, _, _)| *c).collect()).await?;
    let ratings = rated
        .into_iter()
        .map(|(course_id, ratings, average)| CourseRating {
            course_id,
            title: rated_titles.get(&course_id).cloned().unwrap_or_default(),
            ratings,
            average,
        })
        .collect();

    let courses = course_use(db, &in_period, &held_sessions, now).await?;

    let guidance_held = (held_sessions.iter().filter(|s| s.ends_at <= now).count()
        + meetings.iter().filter(|m| m.ends_at <= now).count()) as u32;
    let practice_confirmations =
        in_period.iter().filter(|(_, _, source, _)| *source == Source::Practice).count() as u32;
    Ok(ParentSchoolFigures {
        from,
        to,
        participation: share_view(participation.school),
        grades: participation
            .grade
            .iter()
            .map(|(grade, s)| GradeShare { grade: *grade, share: share_view(*s) })
            .collect(),
        classes: class_rows,
        credits_distribution,
        graduation,
        sessions,
        meetings: meeting_rows,
        ratings,
        courses,
        duty: SchoolDuty {
            guidance_held,
            practice_confirmations,
            met: guidance_held > 0 && practice_confirmations > 0,
        },
    })
}

/// Families taking part through each course in the period (each family once per course) and the
/// sessions held of it, the most used first.
async fn course_use(
    db: &impl sea_orm::ConnectionTrait,
    in_period: &[(Uuid, Option<Uuid>, Source, String)],
    sessions: &[super::super::model::session::Model],
    now: DateTime<chrono::Utc>,
) -> ApiResult<Vec<CourseUse>> {
    let mut families: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for (student, course, source, _) in in_period {
        if let Some(course) = course.filter(|_| TAKING_PART.contains(source)) {
            families.entry(course).or_default().insert(*student);
        }
    }
    let mut held: HashMap<Uuid, u32> = HashMap::new();
    for s in sessions.iter().filter(|s| s.ends_at <= now) {
        *held.entry(s.course_id).or_default() += 1;
    }
    let ids: HashSet<Uuid> = families.keys().chain(held.keys()).copied().collect();
    let courses = repo::courses_by_id(db, ids.into_iter().collect()).await?;
    let mut rows: Vec<CourseUse> = courses
        .into_iter()
        .map(|c| CourseUse {
            course_id: c.id,
            owner: if c.school_id.is_some() { Owner::School } else { Owner::District },
            families: families.get(&c.id).map_or(0, |f| f.len() as u32),
            sessions_held: held.get(&c.id).copied().unwrap_or(0),
            title: c.title,
        })
        .collect();
    rows.sort_by(|a, b| (b.families, b.sessions_held, &a.title).cmp(&(a.families, a.sessions_held, &b.title)));
    Ok(rows)
}
