//! Two-way choice (双向选择): teachers write a short profile, families of covered students rank up
//! to three mentors from the school's list, and the matching proposal gives each family its choice
//! rank by rank while the mentor is under the cap (the rest are assigned as in assignment mode).

use uuid::Uuid;

use super::super::dto::{ChooseMentors, MAX_CHOICES, MentorChoices, MentorOption, MentorProfile, PROFILE_MAX_CHARS};
use super::super::model::MatchMode;
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
        choices: repo::choices_of(db, student.id).await?,
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
