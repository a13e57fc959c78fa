//! Importing rosters: upsert by staff number / student number / guardian phone, all-or-nothing in
//! one transaction, with a report of what changed. Re-importing the same file changes nothing.
//!
//! Built for thousands of rows: everything the import needs is loaded up front with a few `IN`
//! queries, changes are computed in memory, and new rows are written with multi-row inserts.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use uuid::Uuid;

use crate::access::SchoolAdmin;
use crate::auth::credentials::Login;
use crate::auth::model::account;
use crate::auth::provisioning;
use crate::error::Message;
use crate::org::model::{
    AccessLevel, TeachingRole, class, guardian, guardianship, staff, student, teaching_assignment,
};
use crate::roster::dto::{ImportReport, IssuedCode, RosterKind};
use crate::roster::error::RosterError;
use crate::roster::parse::{self, Assignment, ClassRef, RowProblem, StaffRecord, StudentRecord};

/// Rows per multi-row INSERT or `IN` list: well under SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;

/// Reports progress of a long import (the CLI draws a bar; the API ignores it).
pub trait Progress: Sync {
    fn phase(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _by: u64) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

/// Who may import into which school: an admin over HTTP, or the operator on the command line.
#[derive(Debug, Clone, Copy)]
pub struct ImportTarget {
    school_id: Uuid,
}

impl From<&SchoolAdmin> for ImportTarget {
    fn from(admin: &SchoolAdmin) -> Self {
        Self { school_id: admin.school_id() }
    }
}

impl ImportTarget {
    /// For the command line, whose operator has the server's own database credentials.
    pub fn operator(school_id: Uuid) -> Self {
        Self { school_id }
    }
}

pub struct ImportOptions {
    pub now: DateTime<Utc>,
    pub activation_code_ttl_days: i64,
}

pub async fn import(
    db: &DatabaseConnection,
    target: ImportTarget,
    kind: RosterKind,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, RosterError> {
    let text = parse::decode(bytes).map_err(|p| RosterError::Invalid(vec![p]))?;
    if crate::org::model::school::Entity::find_by_id(target.school_id).one(db).await?.is_none() {
        return Err(RosterError::UnknownSchool);
    }
    let txn = crate::infra::db::begin(db).await?;
    let report = match kind {
        RosterKind::Staff => {
            let records = parse::parse_staff(&text).map_err(RosterError::Invalid)?;
            import_staff(&txn, target.school_id, records, options, progress).await?
        }
        RosterKind::Students => {
            let records = parse::parse_students(&text).map_err(RosterError::Invalid)?;
            import_students(&txn, target.school_id, records, options, progress).await?
        }
    };
    txn.commit().await?;
    refresh_planner_statistics(db, &report).await;
    Ok(report)
}

/// A large import changes table sizes a lot: let PostgreSQL re-plan (see `infra::db::refresh_statistics`).
async fn refresh_planner_statistics(db: &DatabaseConnection, report: &ImportReport) {
    if report.created + report.accounts_created >= crate::infra::db::BULK_ROWS {
        crate::infra::db::refresh_statistics(db, &["accounts", "guardians", "students", "guardianships"]).await;
    }
}

/// Makes sure every class the file names exists; returns the school's classes by (grade, number).
async fn ensure_classes(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    wanted: BTreeSet<ClassRef>,
    now: DateTime<Utc>,
) -> Result<(HashMap<ClassRef, Uuid>, u64), DbErr> {
    let mut classes: HashMap<ClassRef, Uuid> = class::Entity::find()
        .filter(class::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (ClassRef { grade: c.grade, number: c.number }, c.id))
        .collect();
    let missing_refs: Vec<ClassRef> = wanted.into_iter().filter(|c| !classes.contains_key(c)).collect();
    let missing: Vec<class::ActiveModel> = missing_refs
        .into_iter()
        .map(|c| {
            let id = Uuid::new_v4();
            classes.insert(c.clone(), id);
            class::ActiveModel {
                id: Set(id),
                school_id: Set(school_id),
                grade: Set(c.grade),
                number: Set(c.number),
                created_at: Set(now),
            }
        })
        .collect();
    let created = missing.len() as u64;
    for chunk in missing.chunks(CHUNK) {
        class::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok((classes, created))
}

/// Existing accounts whose `column` (phone or email) is one of `values`, keyed by that value.
async fn accounts_by(
    db: &impl ConnectionTrait,
    column: account::Column,
    values: &[String],
) -> Result<HashMap<String, account::Model>, DbErr> {
    let mut found = HashMap::new();
    for chunk in values.chunks(CHUNK) {
        for a in account::Entity::find().filter(column.is_in(chunk.to_vec())).all(db).await? {
            let key = if matches!(column, account::Column::Phone) { a.phone.clone() } else { a.email.clone() };
            if let Some(key) = key {
                found.insert(key, a);
            }
        }
    }
    Ok(found)
}

fn problem(row: usize, column: &'static str, code: &'static str, zh: String, en: String) -> RowProblem {
    RowProblem { row, column: Some(column), code, message: Message::new(zh, en) }
}

async fn import_staff(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    records: Vec<StaffRecord>,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, RosterError> {
    let now = options.now;
    let mut report = ImportReport::new(RosterKind::Staff, records.len());
    let wanted: BTreeSet<ClassRef> =
        records.iter().flat_map(|r| r.assignments.iter().map(|a| a.class.clone())).collect();
    let (classes, classes_created) = ensure_classes(db, school_id, wanted, now).await?;
    report.classes_created = classes_created;

    let existing: Vec<staff::Model> =
        staff::Entity::find().filter(staff::Column::SchoolId.eq(school_id)).all(db).await?;
    let by_staff_no: HashMap<String, staff::Model> = existing.iter().map(|s| (s.staff_no.clone(), s.clone())).collect();
    let by_account: HashMap<Uuid, staff::Model> = existing.iter().map(|s| (s.account_id, s.clone())).collect();
    let phones: Vec<String> = records.iter().filter_map(|r| r.phone.clone()).collect();
    let emails: Vec<String> = records.iter().filter_map(|r| r.email.clone()).collect();
    let mut by_phone = accounts_by(db, account::Column::Phone, &phones).await?;
    let mut by_email = accounts_by(db, account::Column::Email, &emails).await?;
    let mut accounts_by_id: HashMap<Uuid, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(existing.iter().map(|s| s.account_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut assignments: HashMap<Uuid, Vec<teaching_assignment::Model>> = HashMap::new();
    for a in crate::org::repo::assignments_of_staff(db, existing.iter().map(|s| s.id).collect()).await? {
        assignments.entry(a.staff_id).or_default().push(a);
    }

    progress.phase("staff", records.len() as u64);
    let mut problems = Vec::new();
    for record in records {
        let phone_owner = record.phone.as_ref().and_then(|p| by_phone.get(p)).map(|a| a.id);
        let email_owner = record.email.as_ref().and_then(|e| by_email.get(e)).map(|a| a.id);
        if let (Some(p), Some(e)) = (phone_owner, email_owner)
            && p != e
        {
            problems.push(problem(
                record.row,
                "email",
                "login_conflict",
                "手机号和邮箱分属两个不同账号。".into(),
                "The phone and the email belong to two different accounts.".into(),
            ));
            continue;
        }
        let login_owner = phone_owner.or(email_owner);
        let current =
            by_staff_no.get(&record.staff_no).or_else(|| login_owner.and_then(|id| by_account.get(&id))).cloned();
        let (staff_row, created) = match current {
            Some(row) => (row, false),
            None => {
                let account = match login_owner {
                    Some(id) => match accounts_by_id.get(&id) {
                        Some(a) => a.clone(),
                        None => account::Entity::find_by_id(id)
                            .one(db)
                            .await?
                            .ok_or(DbErr::RecordNotFound(id.to_string()))?,
                    },
                    None => {
                        let (model, code) = provisioning::new_account(
                            &record.login(),
                            record.email.clone(),
                            &record.name,
                            now,
                            options.activation_code_ttl_days,
                        );
                        let inserted = account::ActiveModel::from(model).insert(db).await?;
                        report.accounts_created += 1;
                        report.activation_codes.push(IssuedCode {
                            role: "staff",
                            name: record.name.clone(),
                            login: record.login().as_str().to_owned(),
                            code,
                        });
                        if let Some(p) = &record.phone {
                            by_phone.insert(p.clone(), inserted.clone());
                        }
                        if let Some(e) = &record.email {
                            by_email.insert(e.clone(), inserted.clone());
                        }
                        inserted
                    }
                };
                accounts_by_id.insert(account.id, account.clone());
                let row = staff::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    school_id: Set(school_id),
                    account_id: Set(account.id),
                    staff_no: Set(record.staff_no.clone()),
                    name: Set(record.name.clone()),
                    is_school_admin: Set(record.is_school_admin),
                    is_teacher: Set(record.is_teacher),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(db)
                .await?;
                (row, true)
            }
        };
        let mut changed = false;
        if !created {
            // Logins of an existing person follow the file, unless another account holds them.
            if let Some(account) = accounts_by_id.get(&staff_row.account_id).cloned() {
                let mut active = account.clone().into_active_model();
                let mut account_changed = false;
                if let Some(p) = &record.phone
                    && account.phone.as_ref() != Some(p)
                {
                    if phone_owner.is_some_and(|owner| owner != account.id) {
                        problems.push(problem(
                            record.row,
                            "phone",
                            "phone_taken",
                            format!("手机号 {p} 已被其他账号使用。"),
                            format!("Phone {p} belongs to another account."),
                        ));
                        continue;
                    }
                    active.phone = Set(Some(p.clone()));
                    account_changed = true;
                }
                if let Some(e) = &record.email
                    && account.email.as_ref() != Some(e)
                {
                    if email_owner.is_some_and(|owner| owner != account.id) {
                        problems.push(problem(
                            record.row,
                            "email",
                            "email_taken",
                            format!("邮箱 {e} 已被其他账号使用。"),
                            format!("Email {e} belongs to another account."),
                        ));
                        continue;
                    }
                    active.email = Set(Some(e.clone()));
                    account_changed = true;
                }
                if account_changed {
                    active.update(db).await?;
                    changed = true;
                }
            }
            // An import grants admin rights but never takes them away: demoting an admin is a
            // deliberate act, not the side effect of a spreadsheet (and the school's first admin
            // must not lock themselves out by importing a file that omits the role).
            let is_school_admin = record.is_school_admin || staff_row.is_school_admin;
            let differs = staff_row.staff_no != record.staff_no
                || staff_row.name != record.name
                || staff_row.is_school_admin != is_school_admin
                || staff_row.is_teacher != record.is_teacher;
            if differs {
                let mut active = staff_row.clone().into_active_model();
                active.staff_no = Set(record.staff_no.clone());
                active.name = Set(record.name.clone());
                active.is_school_admin = Set(is_school_admin);
                active.is_teacher = Set(record.is_teacher);
                active.updated_at = Set(now);
                active.update(db).await?;
                changed = true;
            }
        }
        changed |= sync_assignments(
            db,
            staff_row.id,
            &record.assignments,
            assignments.remove(&staff_row.id).unwrap_or_default(),
            &classes,
        )
        .await?;
        match (created, changed) {
            (true, _) => report.created += 1,
            (false, true) => report.updated += 1,
            (false, false) => report.unchanged += 1,
        }
        progress.advance(1);
    }
    if !problems.is_empty() {
        return Err(RosterError::Invalid(problems));
    }
    Ok(report)
}

/// Makes a staff member's class roles exactly those of the file. `true` if anything changed.
async fn sync_assignments(
    db: &impl ConnectionTrait,
    staff_id: Uuid,
    wanted: &[Assignment],
    current: Vec<teaching_assignment::Model>,
    classes: &HashMap<ClassRef, Uuid>,
) -> Result<bool, DbErr> {
    let wanted: HashSet<(Uuid, TeachingRole, String)> =
        wanted.iter().filter_map(|a| classes.get(&a.class).map(|id| (*id, a.role, a.subject.clone()))).collect();
    let mut changed = false;
    let mut kept = HashSet::new();
    for existing in current {
        let key = (existing.class_id, existing.role, existing.subject.clone());
        if wanted.contains(&key) {
            kept.insert(key);
        } else {
            teaching_assignment::Entity::delete_by_id(existing.id).exec(db).await?;
            changed = true;
        }
    }
    let new: Vec<teaching_assignment::ActiveModel> = wanted
        .into_iter()
        .filter(|k| !kept.contains(k))
        .map(|(class_id, role, subject)| teaching_assignment::ActiveModel {
            id: Set(Uuid::new_v4()),
            staff_id: Set(staff_id),
            class_id: Set(class_id),
            role: Set(role),
            subject: Set(subject),
        })
        .collect();
    changed |= !new.is_empty();
    teaching_assignment::Entity::insert_many(new).exec_without_returning(db).await?;
    Ok(changed)
}

/// A guardian link as the file wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WantedLink {
    guardian_id: Uuid,
    relation: String,
    access_level: AccessLevel,
}

async fn import_students(
    db: &impl ConnectionTrait,
    school_id: Uuid,
    records: Vec<StudentRecord>,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, RosterError> {
    let started = std::time::Instant::now();
    let now = options.now;
    let mut report = ImportReport::new(RosterKind::Students, records.len());
    let wanted: BTreeSet<ClassRef> = records.iter().map(|r| r.class.clone()).collect();
    let (classes, classes_created) = ensure_classes(db, school_id, wanted, now).await?;
    report.classes_created = classes_created;

    // Load what exists.
    let existing_students: HashMap<String, student::Model> = student::Entity::find()
        .filter(student::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.student_no.clone(), s))
        .collect();
    let phones: Vec<String> = records
        .iter()
        .flat_map(|r| r.guardians.iter().map(|g| g.phone.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let emails: Vec<String> = records
        .iter()
        .flat_map(|r| r.guardians.iter().filter_map(|g| g.email.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let by_phone = accounts_by(db, account::Column::Phone, &phones).await?;
    let mut email_taken: HashSet<String> =
        accounts_by(db, account::Column::Email, &emails).await?.into_keys().collect();
    let mut guardian_by_account: HashMap<Uuid, guardian::Model> = HashMap::new();
    let account_ids: Vec<Uuid> = by_phone.values().map(|a| a.id).collect();
    for chunk in account_ids.chunks(CHUNK) {
        for g in guardian::Entity::find().filter(guardian::Column::AccountId.is_in(chunk.to_vec())).all(db).await? {
            guardian_by_account.insert(g.account_id, g);
        }
    }
    let mut current_links: HashMap<Uuid, Vec<guardianship::Model>> = HashMap::new();
    let student_ids: Vec<Uuid> = existing_students.values().map(|s| s.id).collect();
    for chunk in student_ids.chunks(CHUNK) {
        for link in
            guardianship::Entity::find().filter(guardianship::Column::StudentId.is_in(chunk.to_vec())).all(db).await?
        {
            current_links.entry(link.student_id).or_default().push(link);
        }
    }

    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: existing rows loaded");
    // Decide who every guardian is: the first row naming a phone decides its name.
    progress.phase("validate", records.len() as u64);
    let mut guardian_for_phone: HashMap<String, Uuid> = HashMap::new();
    let mut new_accounts: Vec<account::ActiveModel> = Vec::new();
    let mut new_guardians: Vec<guardian::ActiveModel> = Vec::new();
    let mut renamed_guardians: Vec<guardian::Model> = Vec::new();
    let mut account_emails: Vec<(account::Model, String)> = Vec::new();
    for record in &records {
        for g in &record.guardians {
            if guardian_for_phone.contains_key(&g.phone) {
                continue;
            }
            let email = g.email.clone().filter(|e| {
                let free = !email_taken.contains(e);
                if !free {
                    report.warnings.push(problem(
                        record.row,
                        "guardian1_email",
                        "email_taken",
                        format!("邮箱 {e} 已被其他账号使用，未保存到该家长。"),
                        format!("Email {e} belongs to another account; it was not saved for this guardian."),
                    ));
                }
                free
            });
            if let Some(e) = &email {
                email_taken.insert(e.clone());
            }
            let guardian_id = match by_phone.get(&g.phone) {
                Some(account) => {
                    if let (None, Some(e)) = (&account.email, &email) {
                        account_emails.push((account.clone(), e.clone()));
                    }
                    match guardian_by_account.get(&account.id) {
                        Some(existing) => {
                            if existing.name != g.name {
                                renamed_guardians.push(guardian::Model { name: g.name.clone(), ..existing.clone() });
                            }
                            existing.id
                        }
                        None => push_guardian(&mut new_guardians, account.id, &g.name, now),
                    }
                }
                None => {
                    let login = Login::Phone(g.phone.clone());
                    let (model, code) =
                        provisioning::new_account(&login, email, &g.name, now, options.activation_code_ttl_days);
                    report.activation_codes.push(IssuedCode {
                        role: "guardian",
                        name: g.name.clone(),
                        login: g.phone.clone(),
                        code,
                    });
                    let account_id = model.id;
                    new_accounts.push(model.into());
                    push_guardian(&mut new_guardians, account_id, &g.name, now)
                }
            };
            guardian_for_phone.insert(g.phone.clone(), guardian_id);
        }
        progress.advance(1);
    }
    report.accounts_created = new_accounts.len() as u64;

    // Decide what happens to every student and their links.
    let mut new_students: Vec<student::ActiveModel> = Vec::new();
    let mut changed_students: Vec<student::Model> = Vec::new();
    let mut new_links: Vec<guardianship::ActiveModel> = Vec::new();
    let mut changed_links: Vec<guardianship::Model> = Vec::new();
    let mut removed_links: Vec<(Uuid, Uuid)> = Vec::new();
    for record in &records {
        let class_id = classes[&record.class];
        let wanted: Vec<WantedLink> = record
            .guardians
            .iter()
            .map(|g| WantedLink {
                guardian_id: guardian_for_phone[&g.phone],
                relation: g.relation.clone(),
                access_level: g.access_level,
            })
            .collect();
        let (student_id, mut changed, created) = match existing_students.get(&record.student_no) {
            None => {
                let id = Uuid::new_v4();
                new_students.push(student::ActiveModel {
                    id: Set(id),
                    school_id: Set(school_id),
                    class_id: Set(class_id),
                    student_no: Set(record.student_no.clone()),
                    name: Set(record.name.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
                (id, false, true)
            }
            Some(existing) => {
                let differs = existing.name != record.name || existing.class_id != class_id;
                if differs {
                    changed_students.push(student::Model {
                        name: record.name.clone(),
                        class_id,
                        updated_at: now,
                        ..existing.clone()
                    });
                }
                (existing.id, differs, false)
            }
        };
        let current = current_links.remove(&student_id).unwrap_or_default();
        for link in &current {
            match wanted.iter().find(|w| w.guardian_id == link.guardian_id) {
                None => {
                    removed_links.push((link.student_id, link.guardian_id));
                    changed = true;
                }
                Some(w) if w.relation != link.relation || w.access_level != link.access_level => {
                    changed_links.push(guardianship::Model {
                        relation: w.relation.clone(),
                        access_level: w.access_level,
                        ..link.clone()
                    });
                    changed = true;
                }
                Some(_) => {}
            }
        }
        for w in wanted.iter().filter(|w| !current.iter().any(|l| l.guardian_id == w.guardian_id)) {
            new_links.push(guardianship::ActiveModel {
                student_id: Set(student_id),
                guardian_id: Set(w.guardian_id),
                relation: Set(w.relation.clone()),
                access_level: Set(w.access_level),
                created_at: Set(now),
            });
            changed |= !created;
        }
        match (created, changed) {
            (true, _) => report.created += 1,
            (false, true) => report.updated += 1,
            (false, false) => report.unchanged += 1,
        }
    }

    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: changes computed");
    // Write, parents before children.
    let total = new_accounts.len() + new_guardians.len() + new_students.len() + new_links.len();
    progress.phase("write", total as u64);
    write_chunks(db, new_accounts, progress, account::Entity::insert_many).await?;
    write_chunks(db, new_guardians, progress, guardian::Entity::insert_many).await?;
    write_chunks(db, new_students, progress, student::Entity::insert_many).await?;
    write_chunks(db, new_links, progress, guardianship::Entity::insert_many).await?;
    for (account, email) in account_emails {
        let mut active = account.into_active_model();
        active.email = Set(Some(email));
        active.update(db).await?;
    }
    for g in renamed_guardians {
        let mut active = g.clone().into_active_model();
        active.name = Set(g.name);
        active.update(db).await?;
    }
    for s in changed_students {
        let mut active = s.clone().into_active_model();
        active.name = Set(s.name);
        active.class_id = Set(s.class_id);
        active.updated_at = Set(s.updated_at);
        active.update(db).await?;
    }
    for l in changed_links {
        let mut active = l.clone().into_active_model();
        active.relation = Set(l.relation);
        active.access_level = Set(l.access_level);
        active.update(db).await?;
    }
    for (student_id, guardian_id) in removed_links {
        guardianship::Entity::delete_by_id((student_id, guardian_id)).exec(db).await?;
    }
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: written");
    Ok(report)
}

fn push_guardian(
    new_guardians: &mut Vec<guardian::ActiveModel>,
    account_id: Uuid,
    name: &str,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::new_v4();
    new_guardians.push(guardian::ActiveModel {
        id: Set(id),
        account_id: Set(account_id),
        name: Set(name.to_owned()),
        created_at: Set(now),
    });
    id
}

async fn write_chunks<A, F>(
    db: &impl ConnectionTrait,
    rows: Vec<A>,
    progress: &dyn Progress,
    insert: F,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Clone,
    F: Fn(Vec<A>) -> sea_orm::InsertMany<A>,
{
    for chunk in rows.chunks(CHUNK) {
        insert(chunk.to_vec()).exec_without_returning(db).await?;
        progress.advance(chunk.len() as u64);
    }
    Ok(())
}
