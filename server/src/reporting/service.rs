//! The district dashboard: each school's figures read through the domains' service APIs, then
//! every people count and share passed through [`super::suppression`] before the answer is built.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod afterschool;
pub mod bulletin;
mod complaints;
mod homework;
pub mod settings;
pub mod snapshot;
pub mod trends;

use super::dto::{
    AfterschoolSection, DashboardQuery, DistrictCourseUse, DistrictDashboard, HomeworkSection, MentoringSection,
    ParentSchoolSection, ReachSection, SchoolMentoring, SchoolParentSchool, SchoolReach, StageRate, TaskRate,
    VisitModes,
};
use super::suppression::{self, count, percent, suppress_line};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::org::model::school;
use crate::parent_school::dto::FiguresQuery;
use crate::state::AppState;

/// The span from the earliest start to the latest end of these instant ranges (the schools of a
/// district may not share a zone); `None` for none.
fn span_of(ranges: impl IntoIterator<Item = (DateTime<Utc>, DateTime<Utc>)>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    ranges.into_iter().reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// Schools whose per-school figures are read at once: each read is a few queries, so a district's
/// hundred schools overlap their round trips on the pool instead of waiting on each in turn.
const SCHOOLS_AT_ONCE: usize = 8;

/// `read` for every school, in the schools' order, [`SCHOOLS_AT_ONCE`] at a time.
async fn each_school<'a, T, F>(schools: &'a [school::Model], read: impl Fn(&'a school::Model) -> F) -> ApiResult<Vec<T>>
where
    F: std::future::Future<Output = ApiResult<T>> + 'a,
{
    use futures_util::{StreamExt, TryStreamExt};
    // The futures collected first: a stream over a borrowing `map` adapter would not be `Send` to
    // the compiler in a spawned task (rust-lang/rust#102211), and the refresh job is one.
    let reads: Vec<F> = schools.iter().map(read).collect();
    futures_util::stream::iter(reads).buffered(SCHOOLS_AT_ONCE).try_collect().await
}

/// Longest period the dashboard reads at once.
const MAX_DAYS: i64 = 400;

/// A line of per-school counts with its published total, suppressed together.
fn line(counts: &[u64], k: u64) -> (Vec<suppression::Count>, suppression::Count) {
    let hidden = suppress_line(counts, k, true);
    let cells = counts.iter().zip(&hidden).map(|(c, h)| count(*c, *h)).collect();
    let total: u64 = counts.iter().sum();
    (cells, count(total, total > 0 && total < k))
}

/// Whose figures a dashboard shows: the whole district, or one school of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    District(Uuid),
    School { district_id: Uuid, school_id: Uuid },
}

/// The district, all its schools, and the one school a school scope narrows the answer to, for a
/// caller allowed to read them: the district's officers read it whole or one school at a time; a
/// school's admins read their own school. Figures are always computed over the whole district
/// (so a school's cells are suppressed, complements included, exactly as in the district's view)
/// and then narrowed: reading one school never undoes a complement hidden in the whole.
async fn resolve(
    db: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    scope: Scope,
) -> ApiResult<(Uuid, Vec<school::Model>, Option<Uuid>)> {
    match scope {
        Scope::District(district_id) => {
            access::bureau_officer_of(db, caller, district_id).await?;
            Ok((district_id, crate::org::repo::schools_of_district(db, district_id).await?, None))
        }
        Scope::School { district_id, school_id } => {
            crate::org::repo::school(db, school_id)
                .await?
                .filter(|s| s.district_id == district_id)
                .ok_or_else(ApiError::not_found)?;
            let officer = crate::org::repo::officers_of_account(db, caller.account_id)
                .await?
                .iter()
                .any(|o| o.district_id == district_id);
            if !officer {
                access::school_admin(db, caller, school_id).await?;
            }
            Ok((district_id, crate::org::repo::schools_of_district(db, district_id).await?, Some(school_id)))
        }
    }
}

/// The dashboard cut down to one school: its rows, and each section's whole as that school's own
/// figures (nothing of the rest of the district).
fn narrow(d: &mut DistrictDashboard, id: Uuid) {
    d.reach.schools.retain(|s| s.school_id == id);
    if let Some(r) = d.reach.schools.first() {
        (d.reach.guardians, d.reach.activated, d.reach.activated_percent) =
            (r.guardians, r.activated, r.activated_percent);
    }
    d.homework.schools.retain(|s| s.school_id == id);
    d.homework.refused_sends.clear();
    if let Some(r) = d.homework.schools.first() {
        (d.homework.class_days, d.homework.within_cap_percent) = (r.class_days, r.within_cap_percent);
        d.homework.schools_over_cap = u32::from(r.short_of_target);
    }
    let a = &mut d.afterschool;
    a.schools.retain(|s| s.school_id == id);
    if let Some(r) = a.schools.first() {
        a.schools_with_plan = u32::from(r.plan_published);
        a.schools_compliant = u32::from(r.plan_published && r.breaches.is_empty());
        (a.students, a.in_basic, a.basic_percent, a.all_five_days_percent) =
            (r.students, r.in_basic, r.basic_percent, r.all_five_days_percent);
    }
    d.mentoring.schools.retain(|s| s.school_id == id);
    if let Some(r) = d.mentoring.schools.first() {
        (d.mentoring.students_covered, d.mentoring.with_mentor, d.mentoring.coverage) =
            (r.students_covered, r.with_mentor, r.coverage);
    }
    let p = &mut d.parent_school;
    p.schools.retain(|s| s.school_id == id);
    // Counted across the district's schools: the school reads its own use in its figures.
    p.district_courses.clear();
    if let Some(r) = p.schools.first() {
        (p.families, p.took_part, p.participation) = (r.families, r.took_part, r.participation);
        p.schools_meeting_duty = u32::from(r.duty_met);
    }
    d.complaints.schools.retain(|s| s.school_id == id);
    d.complaints.by_category.clear();
    if let Some(r) = d.complaints.schools.first() {
        (d.complaints.received, d.complaints.overdue_now) = (r.received, r.overdue_now);
    }
}

/// The period asked for: both dates or neither (each school's current term), at most
/// [`MAX_DAYS`] long.
fn period_of(query: &DashboardQuery) -> ApiResult<Option<(NaiveDate, NaiveDate)>> {
    let period = match (query.from, query.to) {
        (Some(from), Some(to)) => Some((from, to)),
        (None, None) => None,
        _ => return Err(ApiError::validation("from", "请同时给出 from 和 to。", "Give both from and to.")),
    };
    if let Some((from, to)) = period
        && (to < from || (to - from).num_days() > MAX_DAYS)
    {
        return Err(ApiError::validation(
            "to",
            "to 不早于 from，且不超过 400 天。",
            "`to` is not before `from`, within 400 days.",
        ));
    }
    Ok(period)
}

/// Each school's dates up to its today: the period asked for, or the school's current term.
async fn dates_of(
    state: &AppState,
    schools: &[school::Model],
    period: Option<(NaiveDate, NaiveDate)>,
) -> ApiResult<Vec<(NaiveDate, NaiveDate)>> {
    let now = state.clock.now();
    let todays: Vec<(Uuid, NaiveDate)> = schools.iter().map(|s| (s.id, s.local_date(now))).collect();
    let terms = match period {
        Some(_) => Default::default(),
        None => crate::calendar::service::terms_at(&state.db, &todays).await?,
    };
    Ok(todays
        .iter()
        .map(|(id, today)| {
            let (from, to) = match (period, terms.get(id)) {
                (Some(p), _) => p,
                (None, Some(term)) => (term.starts_on, term.ends_on),
                (None, None) => (*today, *today),
            };
            (from, to.min(*today))
        })
        .collect())
}

/// The dashboard (aggregates only, small cells suppressed): of the whole district for its bureau
/// officers, of one school for them and for that school's admins. The default view comes from
/// the district's snapshot while it is fresh ([`snapshot`]); the complaints are counted now.
pub async fn dashboard(
    state: &AppState,
    caller: &Caller,
    scope: Scope,
    query: DashboardQuery,
) -> ApiResult<DistrictDashboard> {
    let db = &state.db;
    let (district_id, schools, focus) = resolve(db, caller, scope).await?;
    let period = period_of(&query)?;
    let settings = settings::of(db, district_id).await?;
    let (k, tolerance) = (u64::from(settings.k), f64::from(settings.homework_over_cap_percent));
    let to_date = dates_of(state, &schools, period).await?;
    let stored = match period {
        None => snapshot::fresh(state, district_id, &schools, k).await?,
        Some(_) => None,
    };
    let (figures, as_of) = match stored {
        Some(stored) => stored,
        None => (figures(state, district_id, &schools, period, &to_date, (k, tolerance)).await?, state.clock.now()),
    };
    let mut dashboard = DistrictDashboard {
        district_id,
        from: period.map(|p| p.0),
        to: period.map(|p| p.1),
        k,
        as_of,
        reach: figures.reach,
        homework: figures.homework,
        afterschool: figures.afterschool,
        mentoring: figures.mentoring,
        parent_school: figures.parent_school,
        // A school reads only the complaints the bureau sent it.
        complaints: complaints::section(state, district_id, &schools, &to_date, k, focus.is_some()).await?,
    };
    if let Some(id) = focus {
        narrow(&mut dashboard, id);
    }
    Ok(dashboard)
}

/// Every section of the district's dashboard but the complaints: what a snapshot holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct Figures {
    pub reach: ReachSection,
    pub homework: HomeworkSection,
    pub afterschool: AfterschoolSection,
    pub mentoring: MentoringSection,
    pub parent_school: ParentSchoolSection,
}

/// The district's figures over each school's dates (`to_date`, from [`dates_of`]); `period` is
/// the one asked for, if any (the parent school reads it itself).
async fn figures(
    state: &AppState,
    district_id: Uuid,
    schools: &[school::Model],
    period: Option<(NaiveDate, NaiveDate)>,
    to_date: &[(NaiveDate, NaiveDate)],
    (k, tolerance): (u64, f64),
) -> ApiResult<Figures> {
    let db = &state.db;
    // Reach: guardians provisioned and activated, per school.
    let mut counted = crate::org::repo::guardian_counts_by_school(db, schools.iter().map(|s| s.id).collect()).await?;
    let (guardians, activated): (Vec<u64>, Vec<u64>) =
        schools.iter().map(|s| counted.remove(&s.id).unwrap_or((0, 0))).unzip();
    let (guardian_cells, guardian_total) = line(&guardians, k);
    let (active_cells, active_total) = line(&activated, k);
    let reach = ReachSection {
        schools: schools
            .iter()
            .enumerate()
            .map(|(i, s)| SchoolReach {
                school_id: s.id,
                school_name: s.name.clone(),
                guardians: guardian_cells[i],
                activated: active_cells[i],
                activated_percent: percent(
                    activated[i],
                    guardians[i],
                    k,
                    active_cells[i].suppressed || guardian_cells[i].suppressed,
                ),
            })
            .collect(),
        guardians: guardian_total,
        activated: active_total,
        activated_percent: percent(activated.iter().sum(), guardians.iter().sum(), k, false),
    };

    let parent_school = parent_school_section(state, district_id, schools, period, k).await?;

    Ok(Figures {
        reach,
        homework: homework::section(state, district_id, schools, to_date, (k, tolerance)).await?,
        afterschool: afterschool::section(state, schools, to_date, k).await?,
        mentoring: mentoring_section(state, schools, k).await?,
        parent_school,
    })
}

/// The parent school per school, from each school's own figures over the period (each school's
/// current term by default), and the district catalogue's use across them.
async fn parent_school_section(
    state: &AppState,
    district_id: Uuid,
    schools: &[school::Model],
    period: Option<(NaiveDate, NaiveDate)>,
    k: u64,
) -> ApiResult<ParentSchoolSection> {
    let figures = each_school(schools, |school| {
        let q = FiguresQuery { from: period.map(|p| p.0), to: period.map(|p| p.1) };
        crate::parent_school::service::figures::figures_of(state, school, q)
    })
    .await?;
    let families: Vec<u64> = figures.iter().map(|f| u64::from(f.participation.families)).collect();
    let took_part: Vec<u64> = figures.iter().map(|f| u64::from(f.participation.took_part)).collect();
    let (family_cells, family_total) = line(&families, k);
    let (part_cells, part_total) = line(&took_part, k);
    let rows = schools
        .iter()
        .zip(&figures)
        .enumerate()
        .map(|(i, (s, f))| {
            let classes = f.classes.len() as u32;
            let reaching: u32 = f.classes.iter().map(|c| c.meetings_reaching).sum();
            SchoolParentSchool {
                school_id: s.id,
                school_name: s.name.clone(),
                families: family_cells[i],
                took_part: part_cells[i],
                participation: percent(
                    took_part[i],
                    families[i],
                    k,
                    part_cells[i].suppressed || family_cells[i].suppressed,
                ),
                meetings_held: f.meetings.iter().filter(|m| m.start <= state.clock.now()).count() as u32,
                classes,
                classes_with_meeting: f.classes.iter().filter(|c| c.meetings_reaching > 0).count() as u32,
                meetings_per_class: (classes > 0)
                    .then(|| (f64::from(reaching) * 10.0 / f64::from(classes)).round() / 10.0),
                duty_met: f.duty.met,
                graduation: f
                    .graduation
                    .iter()
                    .map(|g| StageRate {
                        stage: g.stage,
                        rule_version: g.rule_version,
                        graduated: percent(u64::from(g.met), u64::from(g.families), k, false),
                    })
                    .collect(),
            }
        })
        .collect();

    // The district catalogue: every course the bureau publishes, with what each school made of it.
    let catalogue = crate::parent_school::service::district_courses(state, district_id).await?;
    let mut district_courses: Vec<DistrictCourseUse> = catalogue
        .into_iter()
        .map(|course| {
            let uses: Vec<_> =
                figures.iter().filter_map(|f| f.courses.iter().find(|u| u.course_id == course.id)).collect();
            let families: u64 = uses.iter().map(|u| u64::from(u.families)).sum();
            DistrictCourseUse {
                course_id: course.id,
                title: course.title,
                format: course.format,
                schools_using: uses.iter().filter(|u| u.families > 0 || u.sessions_held > 0).count() as u32,
                families: count(families, families > 0 && families < k),
                sessions_held: uses.iter().map(|u| u.sessions_held).sum(),
            }
        })
        .collect();
    district_courses.sort_by(|a, b| {
        (b.schools_using, b.families.value, &a.title).cmp(&(a.schools_using, a.families.value, &b.title))
    });

    Ok(ParentSchoolSection {
        schools: rows,
        families: family_total,
        took_part: part_total,
        participation: percent(took_part.iter().sum(), families.iter().sum(), k, false),
        schools_meeting_duty: figures.iter().filter(|f| f.duty.met).count() as u32,
        district_courses,
    })
}

/// Mentoring per school in its current period: coverage and the three tasks' completion, visits by
/// mode; schools that have not set it up say so.
async fn mentoring_section(state: &AppState, schools: &[school::Model], k: u64) -> ApiResult<MentoringSection> {
    let figures = each_school(schools, |school| crate::mentoring::service::figures_of(state, school)).await?;
    let covered: Vec<u64> = figures.iter().map(|f| f.as_ref().map_or(0, |f| u64::from(f.students_covered))).collect();
    let with: Vec<u64> = figures.iter().map(|f| f.as_ref().map_or(0, |f| u64::from(f.students_with_mentor))).collect();
    let (covered_cells, covered_total) = line(&covered, k);
    let (with_cells, with_total) = line(&with, k);
    let rows = schools
        .iter()
        .zip(&figures)
        .enumerate()
        .map(|(i, (school, f))| {
            let tasks = f.as_ref().map_or_else(Vec::new, |f| {
                f.tasks
                    .iter()
                    .map(|t| {
                        let completed = u64::from(t.done + t.done_online + t.done_at_school);
                        let owed = u64::from(t.pending + t.scheduled + t.declined) + completed;
                        TaskRate { task: t.task, completed: percent(completed, owed, k, false) }
                    })
                    .collect()
            });
            let visits = f.as_ref().map(|f| {
                let modes = [f.visits.home, f.visits.school, f.visits.video, f.visits.phone].map(u64::from);
                let hidden = suppress_line(&modes, k, true);
                let confirmed = u64::from(f.visits.confirmed);
                VisitModes {
                    home: count(modes[0], hidden[0]),
                    school: count(modes[1], hidden[1]),
                    video: count(modes[2], hidden[2]),
                    phone: count(modes[3], hidden[3]),
                    confirmed: count(confirmed, confirmed > 0 && confirmed < k),
                }
            });
            SchoolMentoring {
                school_id: school.id,
                school_name: school.name.clone(),
                set_up: f.is_some(),
                covered_grades: f.as_ref().map_or_else(Vec::new, |f| f.covered_grades.clone()),
                students_covered: covered_cells[i],
                with_mentor: with_cells[i],
                coverage: percent(with[i], covered[i], k, with_cells[i].suppressed || covered_cells[i].suppressed),
                tasks,
                visits,
            }
        })
        .collect();
    Ok(MentoringSection {
        schools: rows,
        students_covered: covered_total,
        with_mentor: with_total,
        coverage: percent(with.iter().sum(), covered.iter().sum(), k, false),
    })
}
