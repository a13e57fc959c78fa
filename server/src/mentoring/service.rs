//! Mentoring use cases: the school's setting, the matching proposal and its publication
//! (`MT_COVERAGE`, history kept), the coverage report, the obligation ledger (`MT_THREE_TASKS`) as
//! the mentor and the family see it, and the admin's waiver.

pub mod choices;
pub mod records;
pub mod visits;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::dto::{
    AssignmentInput, ChildMentor, ClassCompletion, ClassRef, CompletionView, Coverage, GradeCompletion, Ledger,
    LedgerEntry, MentorCompletion, MentorHistory, MentorHistoryEntry, MentorLoad, MentorRef, MentoringFigures,
    MentoringSettings, MentoringSettingsInput, PeriodView, Proposal, ProposalRequest, ProposedAssignment,
    PublishAssignments, REASON_MAX_CHARS, StudentRef, TaskCounts, TaskView, VisitCounts, WaiveTask,
};
use super::error::MentoringError;
use super::figures;
use super::matching::{self, Facts};
use super::model::{MatchMode, Period, Task, TaskStatus, assignment, obligation, settings};
use super::repo;
use super::rules::{self, DEFAULT_CAP, DEFAULT_MAX_VISITS_PER_DAY, DEFAULT_VISIT_BUFFER_MINUTES};
use crate::access::{self, Caller};
use crate::calendar::service::Period as CalendarPeriod;
use crate::delivery::outbox;
use crate::error::{ApiError, ApiResult};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::input::visible_text;
use crate::org::model::{class, school, student};
use crate::state::AppState;

fn list(grades: &[u8]) -> String {
    grades.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
}

fn unlist(grades: &str) -> Vec<u8> {
    grades.split(',').filter_map(|g| g.parse().ok()).collect()
}

fn period_view(p: &CalendarPeriod) -> PeriodView {
    PeriodView { starts_on: p.starts_on, ends_on: p.ends_on, name: p.name.clone() }
}

/// The period the three tasks are owed within today: the school's term or school year.
pub async fn current_period(
    db: &impl ConnectionTrait,
    school: &school::Model,
    period: Period,
    now: DateTime<Utc>,
) -> ApiResult<CalendarPeriod> {
    let today = school.local_date(now);
    match period {
        Period::Term => crate::calendar::service::term_at(db, school.id, today).await,
        Period::Year => crate::calendar::service::year_at(db, school.id, today).await,
    }
}

async fn staff_names(db: &impl ConnectionTrait, accounts: Vec<Uuid>) -> ApiResult<HashMap<Uuid, String>> {
    Ok(crate::org::repo::staff_names_by_account(db, accounts).await?.into_iter().collect())
}

async fn school_of(db: &impl ConnectionTrait, school_id: Uuid) -> ApiResult<school::Model> {
    crate::org::repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)
}

fn settings_view(row: &settings::Model, period: &CalendarPeriod) -> MentoringSettings {
    MentoringSettings {
        school_id: row.school_id,
        grades: unlist(&row.grades),
        period: row.period,
        cap: u8::try_from(row.cap).unwrap_or(DEFAULT_CAP),
        mode: row.mode,
        visit_buffer_minutes: u16::try_from(row.visit_buffer_minutes).unwrap_or(DEFAULT_VISIT_BUFFER_MINUTES),
        max_visits_per_day: u8::try_from(row.max_visits_per_day).unwrap_or(DEFAULT_MAX_VISITS_PER_DAY),
        current_period: period_view(period),
        updated_at: row.updated_at,
    }
}

/// The school's setting (its staff read it).
pub async fn settings(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<MentoringSettings> {
    let db = &state.db;
    access::staff_member(db, caller, school_id).await?;
    let row = repo::settings(db, school_id).await?.ok_or(MentoringError::NotSet)?;
    let school = school_of(db, school_id).await?;
    let period = current_period(db, &school, row.period, state.clock.now()).await?;
    Ok(settings_view(&row, &period))
}

/// A school admin saves the setting (一校一策).
pub async fn set_settings(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: MentoringSettingsInput,
) -> ApiResult<MentoringSettings> {
    let mut grades = req.grades.clone();
    grades.sort_unstable();
    grades.dedup();
    if grades.is_empty() || grades.len() != req.grades.len() || grades.iter().any(|g| !(1..=9).contains(g)) {
        return Err(ApiError::validation(
            "grades",
            "请列出参与的年级（1–9，不重复）。",
            "List the grades taking part (1–9, each once).",
        ));
    }
    let cap = req.cap.unwrap_or(DEFAULT_CAP);
    if !(1..=rules::MAX_CAP).contains(&cap) {
        return Err(ApiError::validation("cap", "每位导师人数上限须在 1–40 之间。", "The cap is 1 to 40 mentees."));
    }
    let buffer = req.visit_buffer_minutes.unwrap_or(DEFAULT_VISIT_BUFFER_MINUTES);
    if buffer > rules::MAX_VISIT_BUFFER_MINUTES {
        return Err(ApiError::validation(
            "visit_buffer_minutes",
            "家访间隔不超过 240 分钟。",
            "The buffer between visits is at most 240 minutes.",
        ));
    }
    let per_day = req.max_visits_per_day.unwrap_or(DEFAULT_MAX_VISITS_PER_DAY);
    if !(1..=rules::MAX_VISITS_PER_DAY).contains(&per_day) {
        return Err(ApiError::validation(
            "max_visits_per_day",
            "每天家访次数须在 1–10 之间。",
            "Visits per day are 1 to 10.",
        ));
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    let school = school_of(&txn, school_id).await?;
    let row = settings::Model {
        school_id,
        grades: list(&grades),
        period: req.period,
        cap: i16::from(cap),
        mode: req.mode,
        visit_buffer_minutes: i16::try_from(buffer).unwrap_or(i16::MAX),
        max_visits_per_day: i16::from(per_day),
        updated_at: now,
        updated_by: caller.account_id,
    };
    repo::save_settings(&txn, row.clone()).await?;
    let period = current_period(&txn, &school, row.period, now).await?;
    txn.commit().await?;
    Ok(settings_view(&row, &period))
}

/// What matching and coverage read about a school.
struct SchoolFacts {
    settings: settings::Model,
    classes: HashMap<Uuid, class::Model>,
    /// The students of the covered grades.
    students: Vec<student::Model>,
    /// `(account id, name, classes taught)`.
    teachers: Vec<(Uuid, String, Vec<Uuid>)>,
    current: Vec<assignment::Model>,
    /// Two-way choice: the families' ranked mentors, student → mentors (empty in assignment mode).
    choices: HashMap<Uuid, Vec<Uuid>>,
    /// Two-way choice: the mentor who accepted each family's choice.
    accepted: HashMap<Uuid, Uuid>,
}

impl SchoolFacts {
    fn class_ref(&self, class_id: Uuid) -> ClassRef {
        let class = self.classes.get(&class_id);
        ClassRef {
            class_id,
            grade: class.and_then(|c| u8::try_from(c.grade).ok()).unwrap_or(0),
            number: class.and_then(|c| u8::try_from(c.number).ok()).unwrap_or(0),
        }
    }

    fn student_ref(&self, s: &student::Model) -> StudentRef {
        StudentRef { student_id: s.id, name: s.name.clone(), class: self.class_ref(s.class_id) }
    }

    fn teacher_name(&self, account_id: Uuid) -> String {
        self.teachers.iter().find(|t| t.0 == account_id).map(|t| t.1.clone()).unwrap_or_default()
    }

    fn cap(&self) -> usize {
        usize::try_from(self.settings.cap).unwrap_or(usize::from(DEFAULT_CAP))
    }

    /// Mentees per teacher of the school (every teacher listed, zero included), by name.
    fn loads(&self, mentor_of: &HashMap<Uuid, Uuid>) -> Vec<MentorLoad> {
        let loads = rules::loads(mentor_of);
        let mut out: Vec<MentorLoad> = self
            .teachers
            .iter()
            .map(|(id, name, _)| MentorLoad {
                mentor_id: *id,
                name: name.clone(),
                mentees: loads.get(id).copied().unwrap_or(0) as u32,
            })
            .collect();
        out.sort_by(|a, b| b.mentees.cmp(&a.mentees).then_with(|| a.name.cmp(&b.name)));
        out
    }
}

async fn school_facts(db: &impl ConnectionTrait, school_id: Uuid, settings: settings::Model) -> ApiResult<SchoolFacts> {
    let grades = unlist(&settings.grades);
    let classes = repo::classes_of_grades(db, school_id, &grades).await?;
    let mut students = repo::students_of_classes(db, classes.iter().map(|c| c.id).collect()).await?;
    students.sort_by(|a, b| a.class_id.cmp(&b.class_id).then_with(|| a.student_no.cmp(&b.student_no)));
    let teachers = repo::teachers(db, school_id).await?;
    let current = repo::current_assignments(db, school_id).await?;
    let classes = classes.into_iter().map(|c| (c.id, c)).collect();
    let (choices, accepted) = if settings.mode == MatchMode::TwoWay {
        repo::choices_of_school(db, school_id).await?
    } else {
        Default::default()
    };
    Ok(SchoolFacts { settings, classes, students, teachers, current, choices, accepted })
}

/// The standing assignments of the covered students, student → mentor.
fn standing(facts: &SchoolFacts) -> HashMap<Uuid, Uuid> {
    // A mentor who no longer teaches at the school covers nobody.
    let covered: HashSet<Uuid> = facts.students.iter().map(|s| s.id).collect();
    let teachers: HashSet<Uuid> = facts.teachers.iter().map(|t| t.0).collect();
    facts
        .current
        .iter()
        .filter(|a| covered.contains(&a.student_id) && teachers.contains(&a.mentor_account_id))
        .map(|a| (a.student_id, a.mentor_account_id))
        .collect()
}

/// Each input names a covered student (once) and a teacher of the school.
fn check_inputs(facts: &SchoolFacts, inputs: &[AssignmentInput]) -> ApiResult<()> {
    let covered: HashSet<Uuid> = facts.students.iter().map(|s| s.id).collect();
    let mut seen = HashSet::new();
    for input in inputs {
        if !covered.contains(&input.student_id) || !seen.insert(input.student_id) {
            return Err(ApiError::validation(
                "student_id",
                "学生不在本校参与导师制的年级中（或重复列出）。",
                "The student is not in a grade of the school taking part (or is listed twice).",
            )
            .with_details(serde_json::json!({ "field": "student_id", "student_id": input.student_id })));
        }
        if !facts.teachers.iter().any(|t| t.0 == input.mentor_id) {
            return Err(ApiError::validation(
                "mentor_id",
                "导师须是本校教师。",
                "A mentor must be a teacher of the school.",
            )
            .with_details(serde_json::json!({ "field": "mentor_id", "mentor_id": input.mentor_id })));
        }
    }
    Ok(())
}

/// The matching proposal from the school's facts: stored pins and `pins`, then current mentors.
fn computed_proposal(facts: &SchoolFacts, pins: &[AssignmentInput]) -> matching::Proposal {
    let mut pinned: HashMap<Uuid, Uuid> =
        facts.current.iter().filter(|a| a.pinned).map(|a| (a.student_id, a.mentor_account_id)).collect();
    pinned.extend(pins.iter().map(|p| (p.student_id, p.mentor_id)));
    let inputs = Facts {
        cap: facts.cap(),
        pinned,
        current: standing(facts),
        choices: facts.choices.clone(),
        accepted: facts.accepted.clone(),
    };
    let students: Vec<matching::Student> =
        facts.students.iter().map(|s| matching::Student { id: s.id, class_id: s.class_id }).collect();
    let mentors: Vec<matching::Mentor> = facts
        .teachers
        .iter()
        .map(|(id, _, classes)| matching::Mentor { account_id: *id, classes: classes.clone() })
        .collect();
    matching::propose(&students, &mentors, &inputs)
}

/// The system's proposal for the covered grades (nothing is written).
pub async fn propose(state: &AppState, caller: &Caller, school_id: Uuid, req: ProposalRequest) -> ApiResult<Proposal> {
    let db = &state.db;
    access::school_admin(db, caller, school_id).await?;
    let settings = repo::settings(db, school_id).await?.ok_or(MentoringError::NotSet)?;
    let facts = school_facts(db, school_id, settings).await?;
    check_inputs(&facts, &req.pins)?;
    let proposal = computed_proposal(&facts, &req.pins);
    let by_id: HashMap<Uuid, &student::Model> = facts.students.iter().map(|s| (s.id, s)).collect();
    let mentor_of: HashMap<Uuid, Uuid> = proposal.assignments.iter().map(|(s, m, _)| (*s, *m)).collect();
    let assignments = proposal
        .assignments
        .iter()
        .filter_map(|(student_id, mentor_id, basis)| {
            let s = by_id.get(student_id)?;
            Some(ProposedAssignment {
                student_id: *student_id,
                student_name: s.name.clone(),
                class: facts.class_ref(s.class_id),
                mentor_id: *mentor_id,
                mentor_name: facts.teacher_name(*mentor_id),
                basis: *basis,
            })
        })
        .collect();
    let students_without_mentor =
        proposal.without_mentor.iter().filter_map(|id| by_id.get(id).map(|s| facts.student_ref(s))).collect();
    Ok(Proposal {
        assignments,
        students_without_mentor,
        loads: facts.loads(&mentor_of),
        cap: u8::try_from(facts.settings.cap).unwrap_or(DEFAULT_CAP),
    })
}

async fn coverage_of(
    db: &impl ConnectionTrait,
    school: &school::Model,
    facts: &SchoolFacts,
    now: DateTime<Utc>,
) -> ApiResult<Coverage> {
    let mentor_of = standing(facts);
    let loads = facts.loads(&mentor_of);
    let (teachers_without_mentees, loads): (Vec<MentorLoad>, Vec<MentorLoad>) =
        loads.into_iter().partition(|l| l.mentees == 0);
    let period = current_period(db, school, facts.settings.period, now).await?;
    Ok(Coverage {
        grades: unlist(&facts.settings.grades),
        period: period_view(&period),
        students_covered: facts.students.len() as u32,
        students_with_mentor: mentor_of.len() as u32,
        students_without_mentor: facts
            .students
            .iter()
            .filter(|s| !mentor_of.contains_key(&s.id))
            .map(|s| facts.student_ref(s))
            .collect(),
        teachers_without_mentees,
        loads,
        cap: u8::try_from(facts.settings.cap).unwrap_or(DEFAULT_CAP),
    })
}

/// `MT_COVERAGE` for the school's admins.
pub async fn coverage(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<Coverage> {
    let db = &state.db;
    access::school_admin(db, caller, school_id).await?;
    let settings = repo::settings(db, school_id).await?.ok_or(MentoringError::NotSet)?;
    let school = school_of(db, school_id).await?;
    let facts = school_facts(db, school_id, settings).await?;
    coverage_of(db, &school, &facts, state.clock.now()).await
}

/// Publishes assignments: each student listed gets the mentor named (a change ends the standing
/// assignment, which the history keeps; the new mentor inherits the open tasks, which belong to the
/// student), the rest keep theirs. Refused unless every covered student then has a mentor and no
/// mentor is over the cap (`MT_COVERAGE`). Each covered student's three tasks of the period open.
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: PublishAssignments,
) -> ApiResult<Coverage> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    let settings = repo::lock_settings(&txn, school_id).await?.ok_or(MentoringError::NotSet)?;
    let school = school_of(&txn, school_id).await?;
    let mut facts = school_facts(&txn, school_id, settings).await?;
    check_inputs(&facts, &req.assignments)?;
    let mut listed = req.assignments;
    if req.from_proposal {
        // The proposal (the listed pins kept) for everyone the list does not name.
        // Every listed assignment is fixed for the proposal, so the rest fits around it under the cap.
        let pins: Vec<AssignmentInput> = listed.clone();
        let named: HashSet<Uuid> = listed.iter().map(|a| a.student_id).collect();
        let proposed = computed_proposal(&facts, &pins);
        listed.extend(proposed.assignments.iter().filter(|(s, _, _)| !named.contains(s)).map(|(s, m, _)| {
            let pinned = facts.current.iter().any(|a| a.student_id == *s && a.mentor_account_id == *m && a.pinned);
            AssignmentInput { student_id: *s, mentor_id: *m, pinned }
        }));
    } else if listed.is_empty() {
        return Err(ApiError::validation(
            "assignments",
            "请列出要发布的分配，或使用系统方案（from_proposal）。",
            "List the assignments to publish, or publish the proposal (`from_proposal`).",
        ));
    }
    let mut mentor_of = standing(&facts);
    mentor_of.extend(listed.iter().map(|a| (a.student_id, a.mentor_id)));
    let covered: Vec<Uuid> = facts.students.iter().map(|s| s.id).collect();
    rules::check_coverage(&covered, &mentor_of, facts.cap()).map_err(MentoringError::from)?;

    let mut ended = Vec::new();
    let mut started = Vec::new();
    for input in &listed {
        match facts.current.iter().find(|a| a.student_id == input.student_id) {
            Some(now_row) if now_row.mentor_account_id == input.mentor_id => {
                if now_row.pinned != input.pinned {
                    repo::set_pinned(&txn, now_row.id, input.pinned).await?;
                }
            }
            other => {
                ended.extend(other.map(|a| a.id));
                started.push(assignment::Model {
                    id: Uuid::new_v4(),
                    school_id,
                    student_id: input.student_id,
                    mentor_account_id: input.mentor_id,
                    pinned: input.pinned,
                    assigned_at: now,
                    assigned_by: caller.account_id,
                    ended_at: None,
                });
            }
        }
    }
    repo::end_assignments(&txn, ended.clone(), now).await?;
    repo::insert_assignments(&txn, started.clone()).await?;
    let period = current_period(&txn, &school, facts.settings.period, now).await?;
    repo::open_obligations(&txn, school_id, &covered, (period.starts_on, period.ends_on), now).await?;
    facts.current.retain(|a| !ended.contains(&a.id));
    facts.current.extend(started);
    let answer = coverage_of(&txn, &school, &facts, now).await?;
    txn.commit().await?;
    Ok(answer)
}

fn task_view(row: &obligation::Model) -> TaskView {
    TaskView { task: row.task, status: row.status, reason: row.reason.clone(), updated_at: row.updated_at }
}

/// The calling mentor's students in every school they still teach at, with what each still owes
/// this period, the most urgent first.
pub async fn ledger(state: &AppState, caller: &Caller) -> ApiResult<Ledger> {
    let db = &state.db;
    let now = state.clock.now();
    let mentees = repo::mentees_of(db, caller.account_id).await?;
    let mut by_school: HashMap<Uuid, Vec<assignment::Model>> = HashMap::new();
    for a in mentees {
        by_school.entry(a.school_id).or_default().push(a);
    }
    let mut items = Vec::new();
    for (school_id, rows) in by_school {
        // A mentor who left the school no longer sees its students.
        if access::staff_member(db, caller, school_id).await.is_err() {
            continue;
        }
        let Some(settings) = repo::settings(db, school_id).await? else { continue };
        let school = school_of(db, school_id).await?;
        let period = current_period(db, &school, settings.period, now).await?;
        let ids: Vec<Uuid> = rows.iter().map(|a| a.student_id).collect();
        let students: Vec<student::Model> = crate::org::repo::students_by_id(db, ids.clone()).await?;
        let classes = crate::org::repo::classes_by_id(db, students.iter().map(|s| s.class_id).collect()).await?;
        let mut tasks: HashMap<Uuid, Vec<TaskView>> = HashMap::new();
        for row in repo::obligations(db, ids, period.starts_on).await? {
            tasks.entry(row.student_id).or_default().push(task_view(&row));
        }
        for s in students {
            let mut list = tasks.remove(&s.id).unwrap_or_default();
            list.sort_by_key(|t| t.task);
            let class = classes.get(&s.class_id);
            items.push(LedgerEntry {
                student_id: s.id,
                student_name: s.name,
                school_id,
                class: ClassRef {
                    class_id: s.class_id,
                    grade: class.and_then(|c| u8::try_from(c.grade).ok()).unwrap_or(0),
                    number: class.and_then(|c| u8::try_from(c.number).ok()).unwrap_or(0),
                },
                open: list.iter().filter(|t| t.status.is_open()).count() as u32,
                tasks: list,
            });
        }
    }
    items.sort_by(|a, b| {
        let key = |e: &LedgerEntry| rules::urgency(&e.tasks.iter().map(|t| (t.task, t.status)).collect::<Vec<_>>());
        key(b).cmp(&key(a)).then_with(|| a.student_name.cmp(&b.student_name))
    });
    Ok(Ledger { items })
}

/// A child's mentor and the three tasks this period, for the child's full guardians (an
/// informational guardian gets 403: they receive school-wide notices only).
pub async fn child_mentor(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<ChildMentor> {
    let db = &state.db;
    let guardian = access::acting_guardian_of(db, caller, student_id).await?;
    let empty = ChildMentor { student_id, mentor: None, period: None, tasks: Vec::new() };
    let Some(settings) = repo::settings(db, guardian.student.school_id).await? else { return Ok(empty) };
    let Some(assignment) = repo::mentor_of(db, student_id).await? else { return Ok(empty) };
    let school = school_of(db, guardian.student.school_id).await?;
    let period = current_period(db, &school, settings.period, state.clock.now()).await?;
    let names = staff_names(db, vec![assignment.mentor_account_id]).await?;
    let mut tasks: Vec<TaskView> =
        repo::obligations(db, vec![student_id], period.starts_on).await?.iter().map(task_view).collect();
    tasks.sort_by_key(|t| t.task);
    Ok(ChildMentor {
        student_id,
        mentor: Some(MentorRef {
            account_id: assignment.mentor_account_id,
            name: names.get(&assignment.mentor_account_id).cloned().unwrap_or_default(),
        }),
        period: Some(period_view(&period)),
        tasks,
    })
}

/// Every mentor a student of the school has had (its admins).
pub async fn history(state: &AppState, caller: &Caller, school_id: Uuid, student_id: Uuid) -> ApiResult<MentorHistory> {
    let db = &state.db;
    access::school_admin(db, caller, school_id).await?;
    let student = crate::org::repo::student(db, student_id).await?.filter(|s| s.school_id == school_id);
    student.ok_or_else(ApiError::not_found)?;
    let mut rows = repo::history_of(db, student_id).await?;
    // The standing mentor first, then the latest ended (assignments made at one instant by a fixed
    // clock still come out in order).
    rows.sort_by(|a, b| {
        (b.ended_at.is_none(), b.assigned_at, b.ended_at).cmp(&(a.ended_at.is_none(), a.assigned_at, a.ended_at))
    });
    let names = staff_names(db, rows.iter().map(|r| r.mentor_account_id).collect()).await?;
    Ok(MentorHistory {
        student_id,
        items: rows
            .into_iter()
            .map(|r| MentorHistoryEntry {
                mentor_id: r.mentor_account_id,
                name: names.get(&r.mentor_account_id).cloned().unwrap_or_default(),
                pinned: r.pinned,
                assigned_at: r.assigned_at,
                ended_at: r.ended_at,
            })
            .collect(),
    })
}

/// A school admin waives one of a student's tasks this period, with a reason.
pub async fn waive(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    student_id: Uuid,
    task: Task,
    req: WaiveTask,
) -> ApiResult<TaskView> {
    let reason = visible_text(&req.reason, REASON_MAX_CHARS).ok_or_else(|| {
        ApiError::validation("reason", "请写明免除原因（不超过 200 字）。", "Say why (200 characters at most).")
    })?;
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    access::school_admin(&txn, caller, school_id).await?;
    let settings = repo::settings(&txn, school_id).await?.ok_or(MentoringError::NotSet)?;
    let student = crate::org::repo::student(&txn, student_id).await?.filter(|s| s.school_id == school_id);
    student.ok_or_else(ApiError::not_found)?;
    let school = school_of(&txn, school_id).await?;
    let period = current_period(&txn, &school, settings.period, now).await?;
    let mut row = repo::obligation(&txn, student_id, period.starts_on, task).await?.ok_or_else(ApiError::not_found)?;
    if matches!(row.status, TaskStatus::Done | TaskStatus::DoneOnline | TaskStatus::DoneAtSchool) {
        return Err(ApiError::validation(
            "task",
            "该任务已完成，无需免除。",
            "The task is done: there is nothing to waive.",
        ));
    }
    repo::set_status(&txn, row.id, TaskStatus::Waived, Some(reason.to_owned()), caller.account_id, now).await?;
    txn.commit().await?;
    row.status = TaskStatus::Waived;
    row.reason = Some(reason.to_owned());
    row.updated_at = now;
    Ok(task_view(&row))
}

/// A mentoring inbox item with push and email from the school (urgent: through quiet hours);
/// about the child (`child`) only for the family, so it leaves a guardian's inbox with the link.
#[allow(clippy::too_many_arguments)]
async fn tell(
    db: &impl ConnectionTrait,
    school: &school::Model,
    child: Option<Uuid>,
    accounts: &[Uuid],
    title: String,
    body: String,
    urgent: bool,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let told = told(school, child, accounts.to_vec(), (title, body), urgent);
    outbox::tell_all(db, Some(school.id), vec![told], now).await?;
    Ok(())
}

/// What [`tell`] tells, for telling several at once ([`outbox::tell_all`]).
fn told(
    school: &school::Model,
    child: Option<Uuid>,
    accounts: Vec<Uuid>,
    (title, body): (String, String),
    urgent: bool,
) -> outbox::Told {
    let entry = items::Entry {
        kind: ItemKind::Mentoring,
        ref_id: Uuid::new_v4(),
        title,
        body,
        sender_name: school.name.clone(),
        urgent,
        needs_response: false,
        subject_id: None,
    };
    outbox::Told { child, accounts, entry }
}

fn completion_view(c: figures::Completion) -> CompletionView {
    CompletionView { completed: c.completed, owed: c.owed, percent: c.percent() }
}

/// The school's figures for the current period (its admins).
pub async fn school_figures(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<MentoringFigures> {
    access::school_admin(&state.db, caller, school_id).await?;
    let school = school_of(&state.db, school_id).await?;
    figures_of(state, &school).await?.ok_or_else(|| MentoringError::NotSet.into())
}

/// The three tasks of the school's period that covers `date`, as they stood just before `until`:
/// `(done, owed, first day, last day)` — owed leaves out the waived; done counts what was marked
/// done before `until` (a task's latest change is when it was done). `None` without mentoring or
/// without a period covering `date`. For the bureau's bulletin, which reads a past half-month.
pub async fn completion_as_of(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    date: NaiveDate,
    until: DateTime<Utc>,
) -> ApiResult<Option<(u64, u64, NaiveDate, NaiveDate)>> {
    let rows = repo::obligations_covering(db, school_id, date).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let (starts, ends) = (first.period_starts_on, first.period_ends_on);
    let owed = rows.iter().filter(|r| r.status != TaskStatus::Waived).count() as u64;
    let done = rows
        .iter()
        .filter(|r| matches!(r.status, TaskStatus::Done | TaskStatus::DoneOnline | TaskStatus::DoneAtSchool))
        .filter(|r| r.updated_at < until)
        .count() as u64;
    Ok(Some((done, owed, starts, ends)))
}

/// A school's figures for the current period, for whoever the caller's domain has already
/// authorised (the school's admins; the bureau's reporting, which suppresses small cells first);
/// `None` while the school has not set mentoring up.
pub async fn figures_of(state: &AppState, school: &school::Model) -> ApiResult<Option<MentoringFigures>> {
    let db = &state.db;
    let school_id = school.id;
    let Some(settings) = repo::settings(db, school_id).await? else { return Ok(None) };
    let covered_grades = unlist(&settings.grades);
    let facts = school_facts(db, school_id, settings).await?;
    let period = current_period(db, school, facts.settings.period, state.clock.now()).await?;
    let mentor_of = standing(&facts);
    let by_id: HashMap<Uuid, &student::Model> = facts.students.iter().map(|s| (s.id, s)).collect();
    let rows = repo::obligations(db, facts.students.iter().map(|s| s.id).collect(), period.starts_on).await?;
    let mut counts: HashMap<Task, TaskCounts> = HashMap::new();
    let mut task_facts = Vec::with_capacity(rows.len());
    for row in &rows {
        let Some(student) = by_id.get(&row.student_id) else { continue };
        let c = counts.entry(row.task).or_insert_with(|| TaskCounts {
            task: row.task,
            pending: 0,
            scheduled: 0,
            done: 0,
            done_online: 0,
            done_at_school: 0,
            declined: 0,
            waived: 0,
        });
        *match row.status {
            TaskStatus::Pending => &mut c.pending,
            TaskStatus::Scheduled => &mut c.scheduled,
            TaskStatus::Done => &mut c.done,
            TaskStatus::DoneOnline => &mut c.done_online,
            TaskStatus::DoneAtSchool => &mut c.done_at_school,
            TaskStatus::Declined => &mut c.declined,
            TaskStatus::Waived => &mut c.waived,
        } += 1;
        task_facts.push(figures::TaskFact {
            mentor: mentor_of.get(&row.student_id).copied(),
            class_id: student.class_id,
            grade: facts.class_ref(student.class_id).grade,
            status: row.status,
        });
    }
    let by = figures::completion(&task_facts);
    let visits = figures::visits(&repo::visit_modes(db, school_id, period.starts_on).await?);
    let mut tasks: Vec<TaskCounts> = counts.into_values().collect();
    tasks.sort_by_key(|t| t.task);
    let mode = |m: &str| visits.by_mode.get(m).copied().unwrap_or(0);
    Ok(Some(MentoringFigures {
        period: period_view(&period),
        covered_grades,
        students_covered: facts.students.len() as u32,
        students_with_mentor: mentor_of.len() as u32,
        school: completion_view(by.school),
        tasks,
        mentors: by
            .mentor
            .iter()
            .map(|(id, c)| MentorCompletion {
                mentor_id: *id,
                name: facts.teacher_name(*id),
                completion: completion_view(*c),
            })
            .collect(),
        classes: by
            .class
            .iter()
            .map(|(id, c)| ClassCompletion { class: facts.class_ref(*id), completion: completion_view(*c) })
            .collect(),
        grades: by.grade.iter().map(|(g, c)| GradeCompletion { grade: *g, completion: completion_view(*c) }).collect(),
        visits: VisitCounts {
            home: mode("home"),
            school: mode("school"),
            video: mode("video"),
            phone: mode("phone"),
            confirmed: visits.confirmed,
            disputed: visits.disputed,
            declined: visits.declined,
        },
    }))
}

/// What the mentoring period job did: reminders sent, students whose new period's tasks opened.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PeriodJobs {
    pub reminders: u64,
    pub students_opened: u64,
}

/// Opens a new period's tasks for every mentored student (once per school and period), and
/// reminds each mentor with open tasks as the period's end approaches (4 weeks and 1 week before),
/// each reminder once per mentor, school and period.
pub async fn remind_mentors(state: &AppState) -> ApiResult<PeriodJobs> {
    let now = state.clock.now();
    let (mut sent, mut opened) = (0, 0);
    for settings in repo::all_settings(&state.db).await? {
        let txn = crate::infra::db::begin(&state.db).await?;
        let school = school_of(&txn, settings.school_id).await?;
        let period = current_period(&txn, &school, settings.period, now).await?;
        // A new period (the next term began) opens the three tasks of every mentored student, once:
        // the ledger and the family's view follow the calendar without a new publication.
        let mut facts = None;
        if repo::count_obligations(&txn, school.id, period.starts_on).await? == 0 {
            let loaded = school_facts(&txn, school.id, settings.clone()).await?;
            let mentored: Vec<Uuid> = standing(&loaded).into_keys().collect();
            if !mentored.is_empty() {
                repo::open_obligations(&txn, school.id, &mentored, (period.starts_on, period.ends_on), now).await?;
                opened += mentored.len() as u64;
            }
            facts = Some(loaded);
        }
        let days_left = (period.ends_on - school.local_date(now)).num_days();
        let Some(days_before) = rules::period_reminder_due(days_left) else {
            txn.commit().await?;
            continue;
        };
        let facts = match facts {
            Some(loaded) => loaded,
            None => school_facts(&txn, school.id, settings).await?,
        };
        let mentor_of = standing(&facts);
        let rows = repo::obligations(&txn, mentor_of.keys().copied().collect(), period.starts_on).await?;
        // Per mentor: the students still owed something, and the tasks open.
        let mut open: HashMap<Uuid, (HashSet<Uuid>, u32)> = HashMap::new();
        for row in rows.iter().filter(|r| r.status.is_open()) {
            if let Some(mentor) = mentor_of.get(&row.student_id) {
                let entry = open.entry(*mentor).or_default();
                entry.0.insert(row.student_id);
                entry.1 += 1;
            }
        }
        let mut woken = Vec::new();
        for (mentor, (students, tasks)) in open {
            let claim = super::model::period_reminder::Model {
                id: Uuid::new_v4(),
                school_id: school.id,
                mentor_account_id: mentor,
                period_starts_on: period.starts_on,
                days_before: i16::try_from(days_before).unwrap_or(i16::MAX),
                sent_at: now,
            };
            if !repo::claim_period_reminder(&txn, claim).await? {
                continue;
            }
            let n = students.len();
            let title = format!(
                "导师任务提醒：距本期结束 {days_left} 天，{n} 位学生尚有 {tasks} 项未完成 / {days_left} days left: {n} students still owed {tasks} tasks"
            );
            tell(&txn, &school, None, &[mentor], title, String::new(), false, now).await?;
            woken.push(mentor);
            sent += 1;
        }
        txn.commit().await?;
        state.bus.publish(crate::infra::bus::Wake::items(Some(woken))).await;
    }
    Ok(PeriodJobs { reminders: sent, students_opened: opened })
}
