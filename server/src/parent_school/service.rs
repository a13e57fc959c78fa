//! Parent-school use cases: the two catalogues (the bureau's district courses and each school's
//! own, `PS_CONTENT`), offline sessions with registration and a waiting list, check-in with the
//! organiser's rotating code, online completion (a time floor the server measures and a quiz),
//! practice confirmation, and the credit ledger (`PS_CREDITS`): append-only, one entry per typed,
//! evidenced event, reversed by a new entry, never edited.
//!
//! Whose credit: the family's for one child at one school (子女入学，家长进校). Any full-access
//! guardian of the child earns it; one event earns once for each of the guardian's children at the
//! school whom the course suits, and never twice for one child and course.

pub mod figures;
pub mod graduation;
pub mod meetings;
pub mod sessions;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::dto::{
    ChildLedger, CompleteCourse, Completion, ConfirmPractice, Course, CourseList, CourseReflections, CoursesQuery,
    CreateCourse, Credited, DESCRIPTION_MAX_CHARS, Entry, MAX_CREDITS, MAX_MIN_MINUTES, MAX_OPTIONS, MAX_QUESTIONS,
    MAX_TOPICS, ManualEntry, OPTION_MAX_CHARS, Owner, PROMPT_MAX_CHARS, Progress, QuestionView, REASON_MAX_CHARS,
    REFLECTION_MAX_CHARS, Reflection, ReverseEntry, SchoolReflection, StartCourse, TITLE_MAX_CHARS, TOPIC_MAX_CHARS,
    URL_MAX_CHARS,
};
use super::model::{Format, Source, course, entry, progress, reflection};
use super::repo;
use super::rules::{self, Incomplete, Question};
use crate::access::{self, Caller, PlacedChild};
use crate::error::{ApiError, ApiResult, Code};
use crate::guard;
use crate::input::{optional, required};
use crate::org::model::{AccessLevel, FIRST_GRADE, LAST_GRADE, school};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

pub(crate) fn grades_of(course: &course::Model) -> Vec<i16> {
    course.grades.split(',').filter_map(|g| g.trim().parse().ok()).collect()
}

fn topics_of(course: &course::Model) -> Vec<String> {
    serde_json::from_str(&course.topics).unwrap_or_default()
}

fn quiz_of(course: &course::Model) -> Vec<Question> {
    course.quiz.as_deref().and_then(|q| serde_json::from_str(q).ok()).unwrap_or_default()
}

pub(crate) fn course_view(course: &course::Model, earned: Option<bool>) -> Course {
    Course {
        id: course.id,
        owner: if course.school_id.is_some() { Owner::School } else { Owner::District },
        district_id: course.district_id,
        school_id: course.school_id,
        title: course.title.clone(),
        description: course.description.clone(),
        grades: grades_of(course),
        topics: topics_of(course),
        credits: course.credits,
        format: course.format,
        required: course.required,
        content_url: course.content_url.clone(),
        min_minutes: course.min_minutes,
        quiz: quiz_of(course).into_iter().map(|q| QuestionView { prompt: q.prompt, options: q.options }).collect(),
        earned,
        created_at: course.created_at,
    }
}

/// A course's fields, each checked.
struct ParsedCourse {
    title: String,
    description: String,
    grades: Vec<i16>,
    topics: Vec<String>,
    content_url: Option<String>,
    quiz: Vec<Question>,
}

/// Who a course belongs to and when it was first written: what an edit keeps.
struct CourseIdentity {
    id: Uuid,
    district_id: Uuid,
    school_id: Option<Uuid>,
    created_by: Uuid,
    created_at: DateTime<Utc>,
}

impl ParsedCourse {
    /// The course's stored row: these fields, the request's plain values, and its identity.
    fn store(self, req: &CreateCourse, identity: CourseIdentity) -> course::Model {
        course::Model {
            id: identity.id,
            district_id: identity.district_id,
            school_id: identity.school_id,
            title: self.title,
            description: self.description,
            grades: self.grades.iter().map(i16::to_string).collect::<Vec<_>>().join(","),
            topics: serde_json::to_string(&self.topics).unwrap_or_else(|_| "[]".into()),
            credits: req.credits,
            format: req.format,
            required: req.required,
            content_url: self.content_url,
            min_minutes: if req.format == Format::Online { req.min_minutes } else { None },
            quiz: if self.quiz.is_empty() { None } else { serde_json::to_string(&self.quiz).ok() },
            created_by: identity.created_by,
            created_at: identity.created_at,
        }
    }
}

/// The error for a course taken another way than the request assumes.
pub(crate) fn wrong_format(format: Format) -> ApiError {
    ApiError::new(Code::PsWrongFormat).with_details(serde_json::json!({ "format": format }))
}

/// A course as the request describes it, every field checked; `Err` names the first bad field.
fn parse_course(req: &CreateCourse) -> ApiResult<ParsedCourse> {
    let title = required("title", &req.title, TITLE_MAX_CHARS)?;
    let description = optional("description", &req.description, DESCRIPTION_MAX_CHARS)?.unwrap_or_default();
    let mut grades = req.grades.clone();
    grades.sort_unstable();
    grades.dedup();
    if grades.len() != req.grades.len() || grades.iter().any(|g| !(FIRST_GRADE..=LAST_GRADE).contains(g)) {
        return Err(ApiError::validation("grades", "年级为 1–9，且不重复。", "Grades are 1–9, each once."));
    }
    let mut topics = Vec::new();
    for raw in &req.topics {
        let topic = required("topics", raw, TOPIC_MAX_CHARS)?;
        if topics.contains(&topic) {
            return Err(ApiError::validation("topics", "标签不能重复。", "Each topic once."));
        }
        topics.push(topic);
    }
    if topics.len() > MAX_TOPICS {
        return Err(ApiError::validation("topics", "最多 8 个标签。", "8 topics at most."));
    }
    if !(1..=MAX_CREDITS).contains(&req.credits) {
        return Err(ApiError::validation("credits", "学分为 1–20。", "Credits are 1–20."));
    }
    let online = req.format == Format::Online;
    let url = match req.content_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url)
            if url.chars().count() <= URL_MAX_CHARS
                && (url.starts_with("https://") || url.starts_with("http://"))
                && !url.chars().any(char::is_whitespace) =>
        {
            Some(url.to_owned())
        }
        Some(_) => {
            return Err(ApiError::validation("content_url", "请填写 http(s) 链接。", "An http(s) link, please."));
        }
        None if online => {
            return Err(ApiError::validation(
                "content_url",
                "线上课程须有视频或文章链接。",
                "An online course needs its link.",
            ));
        }
        None => None,
    };
    if !online && (req.min_minutes.is_some() || !req.quiz.is_empty()) {
        let field = if req.min_minutes.is_some() { "min_minutes" } else { "quiz" };
        return Err(ApiError::validation(
            field,
            "仅线上课程有学习时长和测验。",
            "Only an online course has a time floor and a quiz.",
        ));
    }
    // An online course asks for time: credit for a click is what the issue forbids.
    if online && !req.min_minutes.is_some_and(|m| (1..=MAX_MIN_MINUTES).contains(&m)) {
        return Err(ApiError::validation(
            "min_minutes",
            "线上课程的学习时长为 1–600 分钟。",
            "An online course takes 1–600 minutes.",
        ));
    }
    if req.quiz.len() > MAX_QUESTIONS {
        return Err(ApiError::validation("quiz", "最多 10 道题。", "10 questions at most."));
    }
    let mut quiz = Vec::new();
    for q in &req.quiz {
        let prompt = required("quiz", &q.prompt, PROMPT_MAX_CHARS)?;
        let mut options = Vec::new();
        for o in &q.options {
            let option = required("quiz", o, OPTION_MAX_CHARS)?;
            if options.contains(&option) {
                return Err(ApiError::validation("quiz", "选项不能重复。", "Each option once."));
            }
            options.push(option);
        }
        if !(2..=MAX_OPTIONS).contains(&options.len()) || q.answer >= options.len() {
            return Err(ApiError::validation(
                "quiz",
                "每题 2–6 个选项，答案须是其中之一。",
                "Each question has 2–6 options and its answer is one of them.",
            ));
        }
        quiz.push(Question { prompt, options, answer: q.answer });
    }
    Ok(ParsedCourse { title, description, grades, topics, content_url: url, quiz })
}

/// A bureau officer publishes a district course; a school admin (naming `school_id`) a school
/// course. Title, description and questions pass the content guard: families read them.
pub async fn create_course(state: &AppState, caller: &Caller, req: CreateCourse) -> ApiResult<Course> {
    let now = state.clock.now();
    let (district_id, school_id) = match req.school_id {
        Some(school_id) => {
            let admin = access::school_admin(&state.db, caller, school_id).await?;
            let school =
                crate::org::repo::school(&state.db, admin.school_id()).await?.ok_or_else(ApiError::not_found)?;
            (school.district_id, Some(school.id))
        }
        None => (access::bureau_officer(&state.db, caller).await?.district_id(), None),
    };
    let parsed = parse_course(&req)?;
    let sender = guard::Sender { district_id: Some(district_id), school_id };
    let reviewed = screen_course(state, sender, &parsed, &req.confirm_review).await?;
    let identity =
        CourseIdentity { id: Uuid::now_v7(), district_id, school_id, created_by: caller.account_id, created_at: now };
    let row = parsed.store(&req, identity);
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::insert_course(&txn, row.clone()).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Notice, sender, now).await?;
    txn.commit().await?;
    Ok(course_view(&row, None))
}

/// The course's owner changes it: the bureau (an officer of its district) a district course, an
/// admin of the school a school course. Its format stays (families may be part-way through);
/// credits already earned stay as they were entered.
pub async fn edit_course(state: &AppState, caller: &Caller, course_id: Uuid, req: CreateCourse) -> ApiResult<Course> {
    let now = state.clock.now();
    let current = repo::course(&state.db, course_id).await?.ok_or_else(ApiError::not_found)?;
    match current.school_id {
        Some(school_id) => {
            access::school_admin(&state.db, caller, school_id).await?;
        }
        None => {
            access::bureau_officer_of(&state.db, caller, current.district_id).await?;
        }
    }
    if req.school_id.is_some_and(|s| Some(s) != current.school_id) {
        return Err(ApiError::validation("school_id", "不能更换课程所属学校。", "A course keeps its owner."));
    }
    if req.format != current.format {
        return Err(wrong_format(current.format));
    }
    let parsed = parse_course(&req)?;
    let sender = guard::Sender { district_id: Some(current.district_id), school_id: current.school_id };
    let reviewed = screen_course(state, sender, &parsed, &req.confirm_review).await?;
    let identity = CourseIdentity {
        id: current.id,
        district_id: current.district_id,
        school_id: current.school_id,
        created_by: current.created_by,
        created_at: current.created_at,
    };
    let row = parsed.store(&req, identity);
    let txn = crate::infra::db::begin(&state.db).await?;
    repo::update_course(&txn, row.clone()).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Notice, sender, now).await?;
    txn.commit().await?;
    Ok(course_view(&row, None))
}

/// The content guard over what families read of a course: title, description, topics, quiz.
async fn screen_course(
    state: &AppState,
    sender: guard::Sender,
    course: &ParsedCourse,
    confirm: &[String],
) -> ApiResult<Vec<policy::RuleId>> {
    let mut texts = vec![("title", course.title.as_str()), ("description", course.description.as_str())];
    texts.extend(course.topics.iter().map(|t| ("topics", t.as_str())));
    for q in &course.quiz {
        texts.push(("quiz", q.prompt.as_str()));
        texts.extend(q.options.iter().map(|o| ("quiz", o.as_str())));
    }
    let fields: Vec<Field> = texts.into_iter().map(|(name, text)| Field { name, text }).collect();
    let found = policy::check(&fields, Channel::Notice, Audience::Group);
    let confirmed = guard::confirmations(confirm)?;
    Ok(guard::screen(&state.db, found, &confirmed, Channel::Notice, sender, state.clock.now()).await?)
}

/// The catalogue: for a family's child, the courses of the child's school and district that suit
/// the child's grade, each saying whether the family has earned it; for staff of a school, the
/// school's and the district's; for a bureau officer, the district's.
pub async fn list_courses(state: &AppState, caller: &Caller, query: CoursesQuery) -> ApiResult<CourseList> {
    let db = &state.db;
    if let Some(student_id) = query.student_id {
        let (child, _) = family_child(db, caller, student_id).await?;
        let school = school_of(db, child.school_id).await?;
        let earned = repo::earned_courses(db, student_id, school.id, None).await?;
        let items = repo::catalogue(db, school.district_id, Some(school.id))
            .await?
            .iter()
            .filter(|c| rules::suits(&grades_of(c), child.grade))
            .map(|c| course_view(c, Some(earned.contains(&c.id))))
            .collect();
        return Ok(CourseList { items });
    }
    let (district_id, school_id) = match query.school_id {
        Some(school_id) => {
            access::staff_member(db, caller, school_id).await?;
            (school_of(db, school_id).await?.district_id, Some(school_id))
        }
        None => (access::bureau_officer(db, caller).await?.district_id(), None),
    };
    let items = repo::catalogue(db, district_id, school_id).await?.iter().map(|c| course_view(c, None)).collect();
    Ok(CourseList { items })
}

/// The longest session or meeting (a morning workshop): longer is a typing mistake.
const MAX_EVENT_HOURS: i64 = 12;

/// A session's or meeting's time: ahead of `now`, its end after its start, 12 hours at most.
pub(crate) fn check_event_time(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> ApiResult<()> {
    if end <= start || end - start > Duration::hours(MAX_EVENT_HOURS) {
        return Err(ApiError::validation(
            "end",
            "结束须在开始之后，且不超过 12 小时。",
            "The end follows the start, within 12 hours.",
        ));
    }
    if start <= now {
        return Err(ApiError::validation("start", "开始时间须在将来。", "The start must be in the future."));
    }
    Ok(())
}

pub(crate) async fn school_of(db: &impl ConnectionTrait, school_id: Uuid) -> ApiResult<school::Model> {
    crate::org::repo::school(db, school_id).await?.ok_or_else(ApiError::not_found)
}

/// Checks a check-in code typed by `caller` for a session or meeting (`scope`): after
/// [`rules::CODE_TRIES`] wrong codes the guardian waits (429), so a code cannot be guessed.
pub(crate) async fn check_code(
    state: &AppState,
    caller: &Caller,
    scope: &str,
    secret: &str,
    id: Uuid,
    code: &str,
) -> ApiResult<()> {
    let (clock, limiter) = (state.clock.as_ref(), &state.limiter);
    let key = format!("ps-code:{scope}:{}", caller.account_id);
    let window = rules::CODE_TRIES_WINDOW_SECS;
    let recent = limiter.recent_failures(clock, &key, window).await?;
    if recent.count >= rules::CODE_TRIES {
        let now = clock.now().timestamp_millis();
        let free_at = recent.oldest_ms.unwrap_or(now) + window as i64 * 1_000;
        return Err(ApiError::rate_limited(((free_at - now) / 1_000).max(1) as u64));
    }
    if !rules::code_matches(secret, id, clock.now(), code) {
        limiter.record_failure(clock, &key, window).await?;
        return Err(ApiError::new(Code::PsWrongCode));
    }
    Ok(())
}

/// The child as one of the caller's children with full access (an informational guardian: 403;
/// not the caller's child: 404), and every child of the caller (for shared credits).
pub(crate) async fn family_child(
    db: &impl ConnectionTrait,
    caller: &Caller,
    student_id: Uuid,
) -> ApiResult<(PlacedChild, Vec<PlacedChild>)> {
    let children = access::guardian_children_placed(db, caller).await?;
    let child = children.iter().find(|c| c.id == student_id).cloned().ok_or_else(ApiError::not_found)?;
    if child.access_level != AccessLevel::Full {
        return Err(ApiError::forbidden());
    }
    Ok((child, children))
}

/// Whether the course is in the catalogue of the school (the district's, or the school's own).
pub(crate) fn offered_at(course: &course::Model, school: &school::Model) -> bool {
    course.district_id == school.district_id && course.school_id.is_none_or(|s| s == school.id)
}

/// Reminds families the day before each session they hold a seat at and each parent meeting they
/// are invited to (sessions and meetings announced a day or more ahead), once each, each in a
/// transaction of its own: one that fails is logged and tried again next run, the rest go out.
/// Answers how many sessions and meetings were reminded.
pub async fn remind_upcoming(state: &AppState) -> ApiResult<u32> {
    let now = state.clock.now();
    let until = now + rules::REMINDER_BEFORE;
    let mut reminded = 0;
    for s in repo::sessions_to_remind(&state.db, now, until).await? {
        if rules::reminder_due(s.created_at, s.starts_at, now) {
            let txn = crate::infra::db::begin(&state.db).await?;
            match sessions::remind(&txn, &s, now).await {
                Ok(told) => reminded += u32::from(commit_and_wake(state, txn, told).await?),
                Err(error) => tracing::error!(session_id = %s.id, "reminding a session's families failed: {error}"),
            }
        }
    }
    for m in repo::meetings_to_remind(&state.db, now, until).await? {
        if rules::reminder_due(m.created_at, m.starts_at, now) {
            let txn = crate::infra::db::begin(&state.db).await?;
            match meetings::remind(&txn, &m, now).await {
                Ok(told) => reminded += u32::from(commit_and_wake(state, txn, told).await?),
                Err(error) => tracing::error!(meeting_id = %m.id, "reminding a meeting's families failed: {error}"),
            }
        }
    }
    Ok(reminded)
}

/// Commits a reminder and wakes the accounts told; whether it was this run's (claimed here).
async fn commit_and_wake(
    state: &AppState,
    txn: sea_orm::DatabaseTransaction,
    told: Option<Vec<Uuid>>,
) -> ApiResult<bool> {
    txn.commit().await?;
    let Some(told) = told else { return Ok(false) };
    if !told.is_empty() {
        state.bus.publish(crate::infra::bus::Wake::items(Some(told))).await;
    }
    Ok(true)
}

/// The district's own catalogue (the bureau's courses), newest first.
pub async fn district_courses(state: &AppState, district_id: Uuid) -> ApiResult<Vec<course::Model>> {
    Ok(repo::catalogue(&state.db, district_id, None).await?)
}

/// The course for a family's child: in the child's school's catalogue and suiting their grade.
async fn course_for_child(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    child: &PlacedChild,
    format: Format,
) -> ApiResult<course::Model> {
    let course = repo::course(db, course_id).await?.ok_or_else(ApiError::not_found)?;
    let school = school_of(db, child.school_id).await?;
    if !offered_at(&course, &school) {
        return Err(ApiError::not_found());
    }
    if !rules::suits(&grades_of(&course), child.grade) {
        return Err(ApiError::new(Code::PsNotEligible));
    }
    if course.format != format {
        return Err(wrong_format(course.format));
    }
    Ok(course)
}

/// One evidenced event of a guardian that earns a course: its kind and what proves it.
pub(crate) struct Earning<'a> {
    pub guardian: Uuid,
    /// Every child of the guardian (the course is earned for each it suits at the school).
    pub children: &'a [PlacedChild],
    pub source: Source,
    pub evidence: String,
}

/// Credits a course earns for the guardian's children at `school_id` whom it suits, once per child
/// and course (a second guardian, a second event: nothing more), in the caller's transaction.
pub(crate) async fn credit_family(
    db: &impl ConnectionTrait,
    course: &course::Model,
    school_id: Uuid,
    earning: Earning<'_>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Credited>> {
    let grades = grades_of(course);
    let children: Vec<&PlacedChild> = earning
        .children
        .iter()
        .filter(|c| c.school_id == school_id && c.access_level == AccessLevel::Full && rules::suits(&grades, c.grade))
        .collect();
    let award = Award { course_id: Some(course.id), credits: course.credits, key: format!("course:{}", course.id) };
    credit_children(db, school_id, &children, award, earning, now).await
}

/// What one kind of event is worth, and the key that makes it count once per child.
pub(crate) struct Award {
    pub course_id: Option<Uuid>,
    pub credits: i16,
    /// `course:<id>` or `meeting:<id>`.
    pub key: String,
}

/// The child's stage, as entries and graduation rules name it.
pub(crate) fn stage_of_child(child: &PlacedChild) -> &'static str {
    graduation::stage_text(child.stage_system.stage_of(child.grade))
}

/// Appends the award for each child (skipping a child who has it already); what was credited.
/// The key carries a generation: once an earning is reversed, the next genuine event may earn it
/// again (`course:<id>#1`), while two events at once still earn it once.
pub(crate) async fn credit_children(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    children: &[&PlacedChild],
    award: Award,
    earning: Earning<'_>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Credited>> {
    let mut credited = Vec::new();
    for child in children {
        let generation = repo::reversed_earnings(db, child.id, &award.key).await?;
        let row = entry::Model {
            id: Uuid::now_v7(),
            school_id,
            student_id: child.id,
            stage: stage_of_child(child).into(),
            course_id: award.course_id,
            source: earning.source,
            evidence: earning.evidence.clone(),
            credits: award.credits,
            reason: None,
            earned_by: Some(earning.guardian),
            recorded_by: earning.guardian,
            reverses: None,
            once_key: Some(format!("{}#{generation}", award.key)),
            created_at: now,
        };
        if repo::append_entry(db, row).await? {
            credited.push(Credited { student_id: child.id, credits: award.credits });
        }
    }
    Ok(credited)
}

/// A guardian opens an online course: the time floor runs from the first opening.
pub async fn start_course(state: &AppState, caller: &Caller, course_id: Uuid, req: StartCourse) -> ApiResult<Progress> {
    let now = state.clock.now();
    let (child, _) = family_child(&state.db, caller, req.student_id).await?;
    let course = course_for_child(&state.db, course_id, &child, Format::Online).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let row = progress::Model {
        id: Uuid::now_v7(),
        course_id,
        guardian_account_id: caller.account_id,
        student_id: child.id,
        started_at: now,
        completed_at: None,
    };
    repo::start_progress(&txn, row).await?;
    let stored = repo::progress(&txn, course_id, caller.account_id).await?.ok_or_else(ApiError::not_found)?;
    txn.commit().await?;
    Ok(progress_view(&course, &stored))
}

fn progress_view(course: &course::Model, p: &progress::Model) -> Progress {
    Progress {
        course_id: course.id,
        started_at: p.started_at,
        completes_after: p.started_at + Duration::minutes(i64::from(course.min_minutes.unwrap_or(0))),
        completed_at: p.completed_at,
    }
}

/// The guardian completes an online course: the server's clock says whether the time floor is
/// met (never the app), then every quiz answer must be right; credits follow.
pub async fn complete_course(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    req: CompleteCourse,
) -> ApiResult<Completion> {
    let now = state.clock.now();
    let (child, children) = family_child(&state.db, caller, req.student_id).await?;
    let course = course_for_child(&state.db, course_id, &child, Format::Online).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let started =
        repo::progress(&txn, course_id, caller.account_id).await?.ok_or_else(|| ApiError::new(Code::PsNotStarted))?;
    let quiz = quiz_of(&course);
    rules::online_completion(started.started_at, course.min_minutes.unwrap_or(0), now, &quiz, &req.answers)
        .map_err(incomplete)?;
    repo::complete_progress(&txn, started.id, now).await?;
    let earning = Earning {
        guardian: caller.account_id,
        children: &children,
        source: Source::Online,
        evidence: format!("completion:{}", started.id),
    };
    let credited = credit_family(&txn, &course, child.school_id, earning, now).await?;
    txn.commit().await?;
    Ok(Completion { course_id, credited, completed_at: started.completed_at.unwrap_or(now) })
}

fn incomplete(why: Incomplete) -> ApiError {
    let details = match why {
        Incomplete::TooSoon { remaining_secs } => serde_json::json!({ "remaining_secs": remaining_secs }),
        Incomplete::AnswerCount { expected } => serde_json::json!({ "expected": expected }),
        Incomplete::WrongAnswers { questions } => serde_json::json!({ "wrong_questions": questions }),
    };
    ApiError::new(Code::PsIncomplete).with_details(details)
}

/// The family confirms a practice activity done together: one tap (a reflection if they like).
pub async fn confirm_practice(
    state: &AppState,
    caller: &Caller,
    course_id: Uuid,
    req: ConfirmPractice,
) -> ApiResult<Completion> {
    let now = state.clock.now();
    let reflection = optional("reflection", &req.reflection, REFLECTION_MAX_CHARS)?;
    let (child, children) = family_child(&state.db, caller, req.student_id).await?;
    let course = course_for_child(&state.db, course_id, &child, Format::Practice).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let earning = Earning {
        guardian: caller.account_id,
        children: &children,
        source: Source::Practice,
        evidence: format!("practice:{}", caller.account_id),
    };
    let credited = credit_family(&txn, &course, child.school_id, earning, now).await?;
    // Kept even when nothing more is credited (a second guardian, a second confirmation): the
    // words are the family's, and rewriting them replaces the guardian's earlier ones.
    if let Some(text) = reflection {
        let row = reflection::Model {
            id: Uuid::now_v7(),
            course_id,
            school_id: child.school_id,
            student_id: child.id,
            guardian_account_id: caller.account_id,
            text,
            written_at: now,
        };
        repo::upsert_reflection(&txn, row).await?;
    }
    txn.commit().await?;
    Ok(Completion { course_id, credited, completed_at: now })
}

/// The family's ledger for one child: a full-access guardian of the child, or an admin of the
/// child's school (to correct it). Each guardian sees which entries they earned themselves.
pub async fn child_ledger(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<ChildLedger> {
    let db = &state.db;
    let student = crate::org::repo::student(db, student_id).await?.ok_or_else(ApiError::not_found)?;
    let as_guardian = match family_child(db, caller, student_id).await {
        Ok(_) => true,
        Err(e) if e.code == Code::NotFound && access::administers(db, caller, student.school_id).await? => false,
        Err(e) => return Err(e),
    };
    let rows = repo::entries(db, student_id, student.school_id).await?;
    let titles = repo::course_titles(db, rows.iter().filter_map(|e| e.course_id).collect()).await?;
    let reversed: HashSet<Uuid> = rows.iter().filter_map(|e| e.reverses).collect();
    let credits = rows.iter().map(|e| i64::from(e.credits)).sum();
    let entries = rows
        .iter()
        .map(|e| Entry {
            id: e.id,
            source: e.source,
            credits: e.credits,
            course_id: e.course_id,
            course_title: e.course_id.and_then(|c| titles.get(&c).cloned()),
            evidence: e.evidence.clone(),
            reason: e.reason.clone(),
            earned_by_me: as_guardian.then(|| e.earned_by == Some(caller.account_id)),
            reverses: e.reverses,
            reversed: reversed.contains(&e.id),
            created_at: e.created_at,
        })
        .collect();
    // The family's own words: the school reads them by course and grade, never tied to a child.
    let written =
        if as_guardian { repo::reflections_of_child(db, student_id, student.school_id).await? } else { Vec::new() };
    let written_titles = repo::course_titles(db, written.iter().map(|r| r.course_id).collect()).await?;
    let reflections = written
        .into_iter()
        .map(|r| Reflection {
            course_id: r.course_id,
            course_title: written_titles.get(&r.course_id).cloned(),
            written_by_me: as_guardian.then(|| r.guardian_account_id == caller.account_id),
            text: r.text,
            written_at: r.written_at,
        })
        .collect();
    let school = school_of(db, student.school_id).await?;
    let graduation = graduation::standing(db, &school, &student).await?.map(|(_, status)| status);
    let certificates = graduation::certificates_of(db, student_id).await?;
    Ok(ChildLedger {
        student_id,
        school_id: student.school_id,
        credits,
        entries,
        graduation,
        certificates,
        reflections,
    })
}

/// What the school's families wrote on one of the practice courses it offers (its admins): the
/// words and the child's grade, never who wrote them.
pub async fn course_reflections(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    course_id: Uuid,
) -> ApiResult<CourseReflections> {
    let db = &state.db;
    access::school_admin(db, caller, school_id).await?;
    let school = school_of(db, school_id).await?;
    let course =
        repo::course(db, course_id).await?.filter(|c| offered_at(c, &school)).ok_or_else(ApiError::not_found)?;
    if course.format != Format::Practice {
        return Err(wrong_format(course.format));
    }
    let rows = repo::reflections_of_course(db, school_id, course_id).await?;
    let students = crate::org::repo::students_by_id(db, rows.iter().map(|r| r.student_id).collect()).await?;
    let classes = crate::org::repo::classes_by_id(db, students.iter().map(|s| s.class_id).collect()).await?;
    let grade_of = |student_id: Uuid| {
        let student = students.iter().find(|s| s.id == student_id)?;
        classes.get(&student.class_id).map(|c| c.grade)
    };
    let items = rows
        .into_iter()
        .map(|r| SchoolReflection { grade: grade_of(r.student_id), text: r.text, written_at: r.written_at })
        .collect();
    Ok(CourseReflections { course_id, title: course.title, items })
}

fn entry_view(e: &entry::Model, title: Option<String>) -> Entry {
    Entry {
        id: e.id,
        source: e.source,
        credits: e.credits,
        course_id: e.course_id,
        course_title: title,
        evidence: e.evidence.clone(),
        reason: e.reason.clone(),
        earned_by_me: None,
        reverses: e.reverses,
        reversed: false,
        created_at: e.created_at,
    }
}

/// The school awards or corrects credits by hand, with a written reason (the entry is the audit).
pub async fn manual_entry(state: &AppState, caller: &Caller, school_id: Uuid, req: ManualEntry) -> ApiResult<Entry> {
    let now = state.clock.now();
    let reason = required("reason", &req.reason, REASON_MAX_CHARS)?;
    if req.credits == 0 || !(-MAX_CREDITS..=MAX_CREDITS).contains(&req.credits) {
        return Err(ApiError::validation("credits", "学分为 -20–20，且不为 0。", "Credits are -20–20 and not 0."));
    }
    access::school_admin(&state.db, caller, school_id).await?;
    let student = crate::org::repo::student(&state.db, req.student_id).await?.ok_or_else(ApiError::not_found)?;
    if student.school_id != school_id {
        return Err(ApiError::not_found());
    }
    let school = school_of(&state.db, school_id).await?;
    let title = match req.course_id {
        Some(course_id) => {
            let course = repo::course(&state.db, course_id).await?.filter(|c| offered_at(c, &school));
            Some(course.ok_or_else(ApiError::not_found)?.title)
        }
        None => None,
    };
    let stage = graduation::stage_of(&state.db, &school, &student).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    // An award naming a course stands for earning it (a session the family attended but nobody
    // checked in, say): it takes the course's key, so a later genuine event for that course earns
    // nothing more, and an award for a course already earned is refused rather than doubled. A
    // negative correction naming a course earns nothing and takes no key.
    let once_key = match req.course_id {
        Some(course_id) if req.credits > 0 => {
            let key = format!("course:{course_id}");
            let generation = repo::reversed_earnings(&txn, student.id, &key).await?;
            Some(format!("{key}#{generation}"))
        }
        _ => None,
    };
    let row = entry::Model {
        id: Uuid::now_v7(),
        school_id,
        student_id: student.id,
        stage: graduation::stage_text(stage).into(),
        course_id: req.course_id,
        source: Source::Manual,
        evidence: "manual".into(),
        credits: req.credits,
        reason: Some(reason),
        earned_by: None,
        recorded_by: caller.account_id,
        reverses: None,
        once_key,
        created_at: now,
    };
    if !repo::append_entry(&txn, row.clone()).await? {
        return Err(
            ApiError::new(Code::PsAlreadyEarned).with_details(serde_json::json!({ "course_id": req.course_id }))
        );
    }
    txn.commit().await?;
    Ok(entry_view(&row, title))
}

/// The school reverses one entry with a reason: a new entry of the opposite credits; the old one
/// stays as it was. An entry is reversed at most once.
pub async fn reverse_entry(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    entry_id: Uuid,
    req: ReverseEntry,
) -> ApiResult<Entry> {
    let now = state.clock.now();
    let reason = required("reason", &req.reason, REASON_MAX_CHARS)?;
    access::school_admin(&state.db, caller, school_id).await?;
    let original =
        repo::entry(&state.db, entry_id).await?.filter(|e| e.school_id == school_id).ok_or_else(ApiError::not_found)?;
    if original.source == Source::Reversal {
        return Err(ApiError::validation("entry_id", "撤销记录不能再撤销。", "A reversal cannot be reversed."));
    }
    let row = entry::Model {
        id: Uuid::now_v7(),
        school_id,
        student_id: original.student_id,
        stage: original.stage.clone(),
        course_id: original.course_id,
        source: Source::Reversal,
        evidence: format!("entry:{}", original.id),
        credits: -original.credits,
        reason: Some(reason),
        earned_by: None,
        recorded_by: caller.account_id,
        reverses: Some(original.id),
        once_key: Some(format!("reversal:{}", original.id)),
        created_at: now,
    };
    let txn = crate::infra::db::begin(&state.db).await?;
    if !repo::append_entry(&txn, row.clone()).await? {
        return Err(ApiError::new(Code::PsAlreadyReversed).with_details(serde_json::json!({ "entry_id": original.id })));
    }
    txn.commit().await?;
    let title = match original.course_id {
        Some(c) => repo::course(&state.db, c).await?.map(|c| c.title),
        None => None,
    };
    Ok(entry_view(&row, title))
}
