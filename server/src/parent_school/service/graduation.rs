//! Graduation (毕业制) and certificates: a rule per school and stage, versioned (a change is a new
//! version; a certificate keeps the version it was issued under); a family's standing against the
//! current rule; certificates the school issues when the family meets it (or by its own recorded
//! decision), immutable, verified publicly by code with the least data, revoked with a reason,
//! re-issued as a new version.

use std::collections::HashSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::super::dto::{
    Certificate, CertificateCheck, CertificateReason, CertificateStatus, CourseRef, GraduationRule, GraduationRules,
    GraduationStatus, IssueCertificate, MAX_GRADUATION_CREDITS, MAX_REQUIRED_COURSES, REASON_MAX_CHARS, RequiredCourse,
    SetGraduationRule,
};
use super::super::model::{certificate, graduation_rule};
use super::super::repo;
use super::super::rules;
use super::{offered_at, required, school_of};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult, Code};
use crate::org::model::{AccessLevel, Stage, school, student};
use crate::state::AppState;

pub(crate) fn stage_text(stage: Stage) -> &'static str {
    match stage {
        Stage::Primary => "primary",
        Stage::Junior => "junior",
    }
}

fn parse_stage(text: &str) -> Stage {
    if text == "junior" { Stage::Junior } else { Stage::Primary }
}

pub(crate) fn required_ids(rule: &graduation_rule::Model) -> Vec<Uuid> {
    rule.required_course_ids.split(',').filter_map(|id| id.trim().parse().ok()).collect()
}

async fn rule_view(db: &impl ConnectionTrait, rule: &graduation_rule::Model) -> ApiResult<GraduationRule> {
    let ids = required_ids(rule);
    let titles = repo::course_titles(db, ids.clone()).await?;
    Ok(GraduationRule {
        id: rule.id,
        stage: parse_stage(&rule.stage),
        version: rule.version,
        credits: rule.credits,
        required_courses: ids
            .into_iter()
            .map(|id| CourseRef { id, title: titles.get(&id).cloned().unwrap_or_default() })
            .collect(),
        created_at: rule.created_at,
    })
}

/// An admin sets the stage's rule: a new version; earlier versions and the certificates issued
/// under them stay as they were. Required courses come from the school's catalogue.
pub async fn set_rule(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    stage: Stage,
    req: SetGraduationRule,
) -> ApiResult<GraduationRule> {
    let now = state.clock.now();
    if !(1..=MAX_GRADUATION_CREDITS).contains(&req.credits) {
        return Err(ApiError::validation("credits", "学分为 1–200。", "Credits are 1–200."));
    }
    let unique: HashSet<Uuid> = req.required_course_ids.iter().copied().collect();
    if unique.len() != req.required_course_ids.len() || unique.len() > MAX_REQUIRED_COURSES {
        return Err(ApiError::validation(
            "required_course_ids",
            "必修课程不重复，最多 20 门。",
            "Each course once, 20 at most.",
        ));
    }
    access::school_admin(&state.db, caller, school_id).await?;
    let school = school_of(&state.db, school_id).await?;
    for id in &req.required_course_ids {
        if !repo::course(&state.db, *id).await?.is_some_and(|c| offered_at(&c, &school)) {
            return Err(ApiError::validation(
                "required_course_ids",
                "必修课程须是本校可用的课程。",
                "Required courses come from the school's catalogue.",
            )
            .with_details(serde_json::json!({ "field": "required_course_ids", "course_id": id })));
        }
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    // Versions of one school take turns: two admins saving at once get versions n and n+1.
    crate::org::repo::lock_school(&txn, school_id).await?;
    let version = repo::current_rule(&txn, school_id, stage_text(stage)).await?.map_or(1, |r| r.version + 1);
    let row = graduation_rule::Model {
        id: Uuid::now_v7(),
        school_id,
        stage: stage_text(stage).into(),
        version,
        credits: req.credits,
        required_course_ids: req.required_course_ids.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","),
        created_by: caller.account_id,
        created_at: now,
    };
    repo::insert_rule(&txn, row.clone()).await?;
    txn.commit().await?;
    rule_view(&state.db, &row).await
}

/// Every version of the school's rules (its staff).
pub async fn rules_of(state: &AppState, caller: &Caller, school_id: Uuid) -> ApiResult<GraduationRules> {
    access::staff_member(&state.db, caller, school_id).await?;
    let mut items = Vec::new();
    for rule in repo::graduation_rules(&state.db, school_id).await? {
        items.push(rule_view(&state.db, &rule).await?);
    }
    Ok(GraduationRules { items })
}

/// The child's stage at its school.
pub(crate) async fn stage_of(
    db: &impl ConnectionTrait,
    school: &school::Model,
    student: &student::Model,
) -> ApiResult<Stage> {
    let class = crate::org::repo::classes_by_id(db, vec![student.class_id]).await?;
    let grade = class.get(&student.class_id).map(|c| c.grade).ok_or_else(ApiError::not_found)?;
    Ok(school.stage_system.stage_of(grade))
}

/// Where the family stands against the current rule of the child's stage (`None`: no rule yet),
/// with the balance it was measured on.
pub(crate) async fn standing(
    db: &impl ConnectionTrait,
    school: &school::Model,
    student: &student::Model,
) -> ApiResult<Option<(graduation_rule::Model, GraduationStatus)>> {
    let stage = stage_of(db, school, student).await?;
    let Some(rule) = repo::current_rule(db, school.id, stage_text(stage)).await? else { return Ok(None) };
    // Only what the family earned in this stage at this school counts towards it.
    let balance: i64 = repo::entries(db, student.id, school.id)
        .await?
        .iter()
        .filter(|e| e.stage == stage_text(stage))
        .map(|e| i64::from(e.credits))
        .sum();
    let earned = repo::earned_courses(db, student.id, school.id, Some(stage_text(stage))).await?;
    let required = required_ids(&rule);
    let result = rules::graduation(rule.credits, &required, balance, &earned);
    let titles = repo::course_titles(db, required.clone()).await?;
    let status = GraduationStatus {
        stage,
        rule_version: rule.version,
        credits_required: rule.credits,
        credits_earned: balance,
        required_courses: required
            .iter()
            .map(|id| RequiredCourse {
                id: *id,
                title: titles.get(id).cloned().unwrap_or_default(),
                earned: earned.contains(id),
            })
            .collect(),
        met: result.met(),
    };
    Ok(Some((rule, status)))
}

pub(crate) async fn certificate_view(db: &impl ConnectionTrait, c: &certificate::Model) -> ApiResult<Certificate> {
    Ok(Certificate {
        id: c.id,
        code: c.code.clone(),
        student_id: c.student_id,
        stage: parse_stage(&c.stage),
        school_year: c.school_year,
        version: c.version,
        status: status_of(db, c).await?,
        credits: c.credits,
        rule_version: c.rule_version,
        reason: c.reason.clone(),
        guardian_names_masked: c.guardian_names_masked.clone(),
        issued_at: c.issued_at,
        revoked_at: c.revoked_at,
        revoke_reason: c.revoke_reason.clone(),
    })
}

async fn status_of(db: &impl ConnectionTrait, c: &certificate::Model) -> ApiResult<CertificateStatus> {
    Ok(if c.revoked_at.is_some() {
        CertificateStatus::Revoked
    } else if repo::superseded(db, c.id).await? {
        CertificateStatus::Superseded
    } else {
        CertificateStatus::Valid
    })
}

/// Most guardians a certificate names (the column holds a few masked names, never a list).
const MAX_NAMED_GUARDIANS: usize = 4;

/// The family's full-access guardians, masked ("张*、李*").
async fn masked_family(db: &impl ConnectionTrait, student_id: Uuid) -> ApiResult<String> {
    let names: Vec<String> = access::pickup_adults(db, student_id)
        .await?
        .into_iter()
        .filter(|(_, link)| link.access_level == AccessLevel::Full)
        .map(|(g, _)| rules::mask_name(&g.name))
        .take(MAX_NAMED_GUARDIANS)
        .collect();
    Ok(names.join("、"))
}

fn optional_reason(raw: &str) -> ApiResult<Option<String>> {
    crate::input::optional_text(raw, REASON_MAX_CHARS)
        .map(|t| t.map(str::to_owned))
        .map_err(|_| ApiError::validation("reason", "不超过 500 字。", "500 characters at most."))
}

async fn admin_student(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    student_id: Uuid,
) -> ApiResult<(school::Model, student::Model)> {
    access::school_admin(&state.db, caller, school_id).await?;
    let student = crate::org::repo::student(&state.db, student_id)
        .await?
        .filter(|s| s.school_id == school_id)
        .ok_or_else(ApiError::not_found)?;
    Ok((school_of(&state.db, school_id).await?, student))
}

/// The school issues the family a certificate for the child's stage: under the current rule when
/// the family meets it, else by the school's decision with its written reason. One standing
/// certificate per child and stage (re-issue or revoke the one there is).
pub async fn issue(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    req: IssueCertificate,
) -> ApiResult<Certificate> {
    let reason = optional_reason(&req.reason)?;
    let (school, student) = admin_student(state, caller, school_id, req.student_id).await?;
    let row = issue_for(state, &school, &student, reason, caller.account_id).await?;
    certificate_view(&state.db, &row).await
}

/// Issues the child's certificate for their stage: under the current rule when it is met, else
/// only with the school's `reason`; never beside a standing one.
async fn issue_for(
    state: &AppState,
    school: &school::Model,
    student: &student::Model,
    reason: Option<String>,
    issued_by: Uuid,
) -> ApiResult<certificate::Model> {
    let now = state.clock.now();
    let stage = stage_of(&state.db, school, student).await?;
    let standing = standing(&state.db, school, student).await?;
    let met = standing.as_ref().is_some_and(|(_, s)| s.met);
    if !met && reason.is_none() {
        let details = match &standing {
            Some((_, s)) => serde_json::json!({
                "credits_required": s.credits_required,
                "credits_earned": s.credits_earned,
                "missing_courses": s.required_courses.iter().filter(|c| !c.earned).map(|c| c.id).collect::<Vec<_>>(),
            }),
            None => serde_json::json!({ "rule": null }),
        };
        return Err(ApiError::new(Code::PsNotGraduated).with_details(details));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    // Certificates of one child take turns: one standing per stage.
    crate::org::repo::lock_student(&txn, student.id).await?;
    let existing = repo::certificates_of(&txn, student.id).await?;
    let superseded: HashSet<Uuid> = existing.iter().filter_map(|c| c.supersedes).collect();
    if let Some(standing_one) =
        existing.iter().find(|c| c.stage == stage_text(stage) && c.revoked_at.is_none() && !superseded.contains(&c.id))
    {
        return Err(
            ApiError::new(Code::PsCertificateExists).with_details(serde_json::json!({ "code": standing_one.code }))
        );
    }
    let version = existing.iter().filter(|c| c.stage == stage_text(stage)).map(|c| c.version).max().unwrap_or(0) + 1;
    let credits = standing.as_ref().map_or(0, |(_, s)| s.credits_earned);
    let row = certificate::Model {
        id: Uuid::now_v7(),
        code: rules::certificate_code(rand::random()),
        school_id: school.id,
        student_id: student.id,
        stage: stage_text(stage).into(),
        school_year: rules::school_year(school.local_date(now)),
        version,
        supersedes: None,
        rule_id: standing.as_ref().filter(|_| met).map(|(r, _)| r.id),
        rule_version: standing.as_ref().filter(|_| met).map(|(r, _)| r.version),
        credits: i32::try_from(credits).unwrap_or(i32::MAX),
        reason,
        guardian_names_masked: masked_family(&txn, student.id).await?,
        issued_by,
        issued_at: now,
        revoked_at: None,
        revoke_reason: None,
    };
    repo::insert_certificate(&txn, row.clone()).await?;
    txn.commit().await?;
    Ok(row)
}

/// How long before the school year's end the scheduled jobs issue the certificates of families
/// who meet the rule, for children in the last grade of their stage.
const ISSUE_WITHIN_DAYS: i64 = 14;

/// The scheduled job: in the last two weeks of the school year (the school's last term, or 31
/// August), every child in the final grade of a stage whose family meets the school's current rule
/// and holds no standing certificate gets one (issued by the system: the nil account). Safe to run
/// again: a standing certificate is never doubled. Returns how many were issued.
pub async fn issue_at_stage_end(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let mut issued = 0;
    for school_id in repo::schools_with_rules(&state.db).await? {
        let school = school_of(&state.db, school_id).await?;
        let today = school.local_date(now);
        let year = crate::calendar::service::year_at(&state.db, school_id, today).await?;
        if today < year.ends_on - chrono::Duration::days(ISSUE_WITHIN_DAYS) || today > year.ends_on {
            continue;
        }
        let finals: Vec<i16> = (1..=9)
            .filter(|g| school.stage_system.stage_of(*g) != school.stage_system.stage_of(g + 1) || *g == 9)
            .collect();
        for student in repo::students_in_grades(&state.db, school_id, &finals).await? {
            match issue_for(state, &school, &student, None, Uuid::nil()).await {
                Ok(_) => issued += 1,
                Err(e) if matches!(e.code, Code::PsNotGraduated | Code::PsCertificateExists) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(issued)
}

async fn admin_certificate(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    certificate_id: Uuid,
) -> ApiResult<certificate::Model> {
    access::school_admin(&state.db, caller, school_id).await?;
    repo::certificate(&state.db, certificate_id)
        .await?
        .filter(|c| c.school_id == school_id)
        .ok_or_else(ApiError::not_found)
}

/// The school withdraws a certificate with its reason; the row stays, and a public check says so.
pub async fn revoke(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    certificate_id: Uuid,
    req: CertificateReason,
) -> ApiResult<Certificate> {
    let now = state.clock.now();
    let reason = required("reason", &req.reason, REASON_MAX_CHARS)?;
    let cert = admin_certificate(state, caller, school_id, certificate_id).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    // Behind the child's row, like issue and re-issue: a re-issue never copies a revoked one.
    crate::org::repo::lock_student(&txn, cert.student_id).await?;
    if !repo::revoke_certificate(&txn, cert.id, &reason, now).await? {
        return Err(ApiError::new(Code::PsCertificateRevoked));
    }
    txn.commit().await?;
    let row = repo::certificate(&state.db, cert.id).await?.ok_or_else(ApiError::not_found)?;
    certificate_view(&state.db, &row).await
}

/// The school re-issues a standing certificate (a name corrected, a lost paper): a new version
/// with a new code, the same rule and credits; the old one answers `superseded`.
pub async fn reissue(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    certificate_id: Uuid,
    req: CertificateReason,
) -> ApiResult<Certificate> {
    let now = state.clock.now();
    let reason = required("reason", &req.reason, REASON_MAX_CHARS)?;
    let seen = admin_certificate(state, caller, school_id, certificate_id).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    crate::org::repo::lock_student(&txn, seen.student_id).await?;
    // Read again behind the lock: a revocation that committed meanwhile counts.
    let old = repo::certificate(&txn, seen.id).await?.ok_or_else(ApiError::not_found)?;
    if old.revoked_at.is_some() {
        return Err(ApiError::new(Code::PsCertificateRevoked));
    }
    if repo::superseded(&txn, old.id).await? {
        return Err(ApiError::new(Code::PsCertificateRevoked).with_details(serde_json::json!({ "superseded": true })));
    }
    let latest = repo::certificates_of(&txn, old.student_id).await?;
    let version = latest.iter().filter(|c| c.stage == old.stage).map(|c| c.version).max().unwrap_or(old.version) + 1;
    let row = certificate::Model {
        id: Uuid::now_v7(),
        code: rules::certificate_code(rand::random()),
        version,
        supersedes: Some(old.id),
        reason: Some(reason),
        guardian_names_masked: masked_family(&txn, old.student_id).await?,
        issued_by: caller.account_id,
        issued_at: now,
        revoked_at: None,
        revoke_reason: None,
        ..old
    };
    repo::insert_certificate(&txn, row.clone()).await?;
    txn.commit().await?;
    certificate_view(&state.db, &row).await
}

/// Anyone with the code (no sign-in): the school, stage, year, version, the guardians' masked
/// names and whether it stands. Never the child, never the credits.
pub async fn verify(state: &AppState, code: &str) -> ApiResult<CertificateCheck> {
    let code = code.trim().to_ascii_uppercase();
    let cert = repo::certificate_by_code(&state.db, &code).await?.ok_or_else(ApiError::not_found)?;
    let school = school_of(&state.db, cert.school_id).await?;
    Ok(CertificateCheck {
        code: cert.code.clone(),
        school_name: school.name.clone(),
        stage: parse_stage(&cert.stage),
        school_year: cert.school_year,
        version: cert.version,
        status: status_of(&state.db, &cert).await?,
        guardian_names_masked: cert.guardian_names_masked.clone(),
        issued_on: school.local_date(cert.issued_at),
    })
}

/// The child's certificates, newest first.
pub(crate) async fn certificates_of(db: &impl ConnectionTrait, student_id: Uuid) -> ApiResult<Vec<Certificate>> {
    let mut out = Vec::new();
    for c in repo::certificates_of(db, student_id).await? {
        out.push(certificate_view(db, &c).await?);
    }
    Ok(out)
}
