//! Two-way choice (双向选择): teachers write a short profile, families of covered students rank up
//! to three mentors from the school's list, mentors accept or decline the families who chose them
//! (accepting up to their cap), and the matching proposal gives each family the mentor who
//! accepted, else its choices rank by rank (a declined one skipped) while the mentor is under the
//! cap; the rest are assigned as in assignment mode.

use uuid::Uuid;

use super::super::dto::{
    AnswerChoice, ChooseMentors, MAX_CHOICES, MentorAnswer, MentorChoices, MentorOption, MentorProfile, MentorRequest,
    MentorRequests, PROFILE_MAX_CHARS,
};
use super::super::error::MentoringError;
use super::super::model::{ChoiceAnswer, MatchMode, choice};
use super::super::repo;
use super::{school_of, unlist};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::guard;
use crate::input::visible_text;
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

/// A teacher of the school writes their profile for families (through the content guard).
pub async fn set_profile(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: MentorProfile,
) -> ApiResult<MentorProfile> {
    let text = visible_text(&req.profile, PROFILE_MAX_CHARS).map(str::to_owned).ok_or_else(|| {
        ApiError::validation("profile", "请填写简介（不超过 300 字）。", "Write the profile (300 characters at most).")
    })?;
    let now = state.clock.now();
    let db = &state.db;
    access::staff_member(db, caller, school_id).await?;
    let teachers = repo::teachers(db, school_id).await?;
    if !teachers.iter().any(|t| t.0 == caller.account_id) {
        return Err(ApiError::forbidden());
    }
    let school = school_of(db, school_id).await?;
    let found = policy::check(&[Field { name: "profile", text: &text }], Channel::Notice, Audience::Group);
    let sender = guard::Sender { district_id: Some(school.district_id), school_id: Some(school.id) };
    let reviewed = guard::screen(db, found, &[], Channel::Notice, sender, now).await?;
    let txn = crate::infra::db::begin(db).await?;
    repo::save_profile(&txn, school_id, caller.account_id, text.clone(), now).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Notice, sender, now).await?;
    txn.commit().await?;
    Ok(MentorProfile { profile: text })
}

/// The school's mentors and the family's choice, for the child's full guardians.
pub async fn options(state: &AppState, caller: &Caller, student_id: Uuid) -> ApiResult<MentorChoices> {
    let db = &state.db;
    let guardian = access::acting_guardian_of(db, caller, student_id).await?;
    view(db, guardian.student).await
}

async fn view(
    db: &impl sea_orm::ConnectionTrait,
    student: crate::org::model::student::Model,
) -> ApiResult<MentorChoices> {
    let open = open_for(db, &student).await?;
    let teachers = repo::teachers(db, student.school_id).await?;
    let profiles = repo::profiles(db, student.school_id).await?;
    let chosen = repo::choices_of(db, student.id).await?;
    Ok(MentorChoices {
        student_id: student.id,
        open,
        mentors: if open {
            teachers
                .into_iter()
                .map(|(id, name, _)| MentorOption { account_id: id, name, profile: profiles.get(&id).cloned() })
                .collect()
        } else {
            Vec::new()
        },
        choices: chosen.iter().map(|c| c.mentor_account_id).collect(),
        answers: chosen
            .iter()
            .filter_map(|c| c.answer.map(|answer| MentorAnswer { mentor_id: c.mentor_account_id, answer }))
            .collect(),
    })
}

/// Whether the school runs two-way choice for the student's grade.
async fn open_for(db: &impl sea_orm::ConnectionTrait, student: &crate::org::model::student::Model) -> ApiResult<bool> {
    let Some(settings) = repo::settings(db, student.school_id).await? else { return Ok(false) };
    if settings.mode != MatchMode::TwoWay {
        return Ok(false);
    }
    let class = crate::org::repo::classes_by_id(db, vec![student.class_id]).await?;
    let grade = class.get(&student.class_id).and_then(|c| u8::try_from(c.grade).ok()).unwrap_or(0);
    Ok(unlist(&settings.grades).contains(&grade))
}

/// A full guardian ranks up to three of the school's teachers (an empty list withdraws).
pub async fn choose(
    state: &AppState,
    caller: &Caller,
    student_id: Uuid,
    req: ChooseMentors,
) -> ApiResult<MentorChoices> {
    let now = state.clock.now();
    let distinct: std::collections::HashSet<&Uuid> = req.mentor_ids.iter().collect();
    if req.mentor_ids.len() > MAX_CHOICES || distinct.len() != req.mentor_ids.len() {
        return Err(ApiError::validation(
            "mentor_ids",
            "最多选择 3 位导师，且不重复。",
            "Rank at most three mentors, each once.",
        ));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let guardian = access::acting_guardian_of(&txn, caller, student_id).await?;
    // Two guardians saving the child's choices at once take turns.
    crate::org::repo::lock_student(&txn, student_id).await?;
    if !open_for(&txn, &guardian.student).await? {
        return Err(ApiError::new(Code::MentoringNotTwoWay));
    }
    let teachers = repo::teachers(&txn, guardian.student.school_id).await?;
    if let Some(stranger) = req.mentor_ids.iter().find(|m| !teachers.iter().any(|t| t.0 == **m)) {
        return Err(ApiError::validation("mentor_ids", "只能选择本校教师。", "Choose teachers of the school.")
            .with_details(serde_json::json!({ "field": "mentor_ids", "mentor_id": stranger })));
    }
    repo::set_choices(&txn, guardian.student.school_id, student_id, &req.mentor_ids, caller.account_id, now).await?;
    let answer = view(&txn, guardian.student).await?;
    txn.commit().await?;
    Ok(answer)
}

/// The caller as a teacher of the school (the only staff who mentor).
async fn teacher_of(db: &impl sea_orm::ConnectionTrait, caller: &Caller, school_id: Uuid) -> ApiResult<String> {
    access::staff_member(db, caller, school_id).await?;
    repo::teachers(db, school_id)
        .await?
        .into_iter()
        .find(|t| t.0 == caller.account_id)
        .map(|t| t.1)
        .ok_or_else(ApiError::forbidden)
}

/// The families who chose the caller as mentor at the school, first ranks first.
pub async fn requests(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<MentorRequests> {
    let db = &state.db;
    teacher_of(db, caller, school_id).await?;
    let settings = repo::settings(db, school_id).await?.ok_or(MentoringError::NotSet)?;
    let rows = repo::choices_of_mentor(db, school_id, caller.account_id).await?;
    let (_, accepted) = repo::choices_of_school(db, school_id).await?;
    let items = request_views(db, &rows, &accepted, caller.account_id).await?;
    Ok(MentorRequests {
        school_id,
        cap: u32::try_from(settings.cap).unwrap_or(0),
        accepted: rows.iter().filter(|c| c.answer == Some(ChoiceAnswer::Accepted)).count() as u32,
        items,
    })
}

async fn request_views(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[choice::Model],
    accepted: &std::collections::HashMap<Uuid, Uuid>,
    mentor: Uuid,
) -> ApiResult<Vec<MentorRequest>> {
    let students = crate::org::repo::students_by_id(db, rows.iter().map(|c| c.student_id).collect()).await?;
    let classes = crate::org::repo::classes_by_id(db, students.iter().map(|s| s.class_id).collect()).await?;
    Ok(rows
        .iter()
        .filter_map(|c| {
            let student = students.iter().find(|s| s.id == c.student_id)?;
            let class = classes.get(&student.class_id);
            Some(MentorRequest {
                student_id: student.id,
                student_name: student.name.clone(),
                grade: class.map_or(0, |c| c.grade),
                class_number: class.map_or(0, |c| c.number),
                rank: c.rank,
                answer: c.answer,
                accepted_elsewhere: accepted.get(&c.student_id).is_some_and(|m| *m != mentor),
            })
        })
        .collect())
}

/// The chosen mentor accepts (within the school's cap, and only while no other chosen mentor
/// has) or declines a family's choice; the family is told. The proposal reads the answers.
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    student_id: Uuid,
    req: AnswerChoice,
) -> ApiResult<MentorRequest> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mentor_name = teacher_of(&txn, caller, school_id).await?;
    // The school's setting row locked: two answers at once count each other against the cap.
    let settings = repo::lock_settings(&txn, school_id).await?.ok_or(MentoringError::NotSet)?;
    if settings.mode != MatchMode::TwoWay {
        return Err(ApiError::new(Code::MentoringNotTwoWay));
    }
    // … and the child's row, which the family's own re-ranking takes: an answer and a re-ranking
    // at once take turns, so neither loses the other.
    crate::org::repo::lock_student(&txn, student_id).await?;
    let chosen = repo::choices_of(&txn, student_id).await?;
    let mine = chosen
        .iter()
        .find(|c| c.mentor_account_id == caller.account_id && c.school_id == school_id)
        .ok_or_else(ApiError::not_found)?;
    if req.answer == ChoiceAnswer::Accepted {
        if chosen.iter().any(|c| c.answer == Some(ChoiceAnswer::Accepted) && c.mentor_account_id != caller.account_id) {
            return Err(ApiError::new(Code::MentorChoiceTaken));
        }
        // The cap holds what the proposal places before an acceptance: the admin's pins.
        let mut taken: std::collections::HashSet<Uuid> = repo::choices_of_mentor(&txn, school_id, caller.account_id)
            .await?
            .iter()
            .filter(|c| c.answer == Some(ChoiceAnswer::Accepted) && c.student_id != student_id)
            .map(|c| c.student_id)
            .collect();
        taken.extend(
            repo::current_assignments(&txn, school_id)
                .await?
                .iter()
                .filter(|a| a.pinned && a.mentor_account_id == caller.account_id && a.student_id != student_id)
                .map(|a| a.student_id),
        );
        let taken = taken.len();
        let cap = usize::try_from(settings.cap).unwrap_or(0);
        if taken >= cap {
            return Err(ApiError::new(Code::MentorCap).with_details(serde_json::json!({
                "mentor_id": caller.account_id, "mentees": taken + 1, "cap": cap,
            })));
        }
    }
    if mine.answer != Some(req.answer) {
        repo::answer_choice(&txn, mine.id, req.answer, now).await?;
        let school = super::school_of(&txn, school_id).await?;
        let family = access::full_guardian_accounts(&txn, student_id).await?;
        let title = match req.answer {
            ChoiceAnswer::Accepted => {
                format!("{mentor_name}老师接受了您的导师选择 / {mentor_name} accepted your choice")
            }
            ChoiceAnswer::Declined => format!(
                "{mentor_name}老师这次未能接受，您的下一个选择将被考虑 / {mentor_name} could not accept; your next choice counts"
            ),
        };
        super::tell(&txn, &school, Some(student_id), &family, title, String::new(), false, now).await?;
        txn.commit().await?;
        state.bus.publish(crate::infra::bus::Wake::items(Some(family))).await;
    } else {
        txn.commit().await?;
    }
    let db = &state.db;
    let rows: Vec<choice::Model> = repo::choices_of(db, student_id)
        .await?
        .into_iter()
        .filter(|c| c.mentor_account_id == caller.account_id)
        .collect();
    let (_, accepted) = repo::choices_of_school(db, school_id).await?;
    request_views(db, &rows, &accepted, caller.account_id).await?.pop().ok_or_else(ApiError::not_found)
}
