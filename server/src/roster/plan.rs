//! What an import changes, decided without I/O: from the rows that exist (loaded by
//! [`super::repo`]) and the parsed file, the rows to insert, update, link and unlink, the
//! activation codes to issue and the report — or every problem that refuses the file.
//!
//! The rules (README, "Roster files"): rows upsert by staff number, student number and guardian
//! phone; re-importing a file changes nothing; a student's guardian links follow the file;
//! imports never delete students or staff and never take admin rights away; the school's first
//! admin is matched by login.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::credentials::Login;
use crate::auth::model::account;
use crate::auth::provisioning;
use crate::error::Message;
use crate::org::model::{
    AccessLevel, TeachingRole, class, guardian, guardianship, staff, student, teaching_assignment,
};
use crate::roster::dto::{ImportReport, IssuedCode, RosterKind};
use crate::roster::parse::{Assignment, ClassRef, RowProblem, StaffRecord, StudentRecord};

/// When the import runs and how long the activation codes it issues stay valid.
pub struct ImportOptions {
    pub now: DateTime<Utc>,
    pub activation_code_ttl_days: i64,
}

/// The phones and emails a file names: the accounts holding them must be loaded.
#[derive(Debug, Default)]
pub struct Logins {
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

impl Logins {
    fn of(phones: impl Iterator<Item = String>, emails: impl Iterator<Item = String>) -> Self {
        let unique = |values: HashSet<String>| values.into_iter().collect();
        Self { phones: unique(phones.collect()), emails: unique(emails.collect()) }
    }
}

/// The logins a staff file names.
pub fn staff_logins(records: &[StaffRecord]) -> Logins {
    Logins::of(records.iter().filter_map(|r| r.phone.clone()), records.iter().filter_map(|r| r.email.clone()))
}

/// The guardian logins a student file names.
pub fn guardian_logins(records: &[StudentRecord]) -> Logins {
    let guardians = || records.iter().flat_map(|r| r.guardians.iter());
    Logins::of(guardians().map(|g| g.phone.clone()), guardians().filter_map(|g| g.email.clone()))
}

/// What the database holds that a staff file may touch.
#[derive(Debug, Default, Clone)]
pub struct ExistingStaff {
    pub classes: Vec<class::Model>,
    /// The school's staff.
    pub staff: Vec<staff::Model>,
    /// The staff's accounts, and every account holding a phone or email the file names.
    pub accounts: Vec<account::Model>,
    /// The staff's class roles.
    pub assignments: Vec<teaching_assignment::Model>,
}

/// What the database holds that a student file may touch.
#[derive(Debug, Default, Clone)]
pub struct ExistingStudents {
    pub classes: Vec<class::Model>,
    /// The school's students.
    pub students: Vec<student::Model>,
    /// Every account holding a guardian phone or email the file names.
    pub accounts: Vec<account::Model>,
    /// The guardians of those accounts.
    pub guardians: Vec<guardian::Model>,
    /// The guardian links of the school's students.
    pub links: Vec<guardianship::Model>,
}

/// The rows an import writes. New rows are inserted parents first; nothing is ever deleted but
/// class roles and guardian links the file no longer names.
#[derive(Debug, Default)]
pub struct Changes {
    pub new_classes: Vec<class::Model>,
    pub new_accounts: Vec<account::Model>,
    /// Accounts whose phone or email now follow the file.
    pub changed_accounts: Vec<account::Model>,
    pub new_staff: Vec<staff::Model>,
    /// Staff whose number, name or roles changed.
    pub changed_staff: Vec<staff::Model>,
    pub new_assignments: Vec<teaching_assignment::Model>,
    /// Ids of class roles the file no longer names.
    pub removed_assignments: Vec<Uuid>,
    pub new_guardians: Vec<guardian::Model>,
    pub renamed_guardians: Vec<guardian::Model>,
    pub new_students: Vec<student::Model>,
    /// Students whose name or class changed.
    pub changed_students: Vec<student::Model>,
    pub new_links: Vec<guardianship::Model>,
    /// Links whose relation or access level changed.
    pub changed_links: Vec<guardianship::Model>,
    /// `(student_id, guardian_id)` of links the file no longer names.
    pub removed_links: Vec<(Uuid, Uuid)>,
}

impl Changes {
    /// Rows to insert, for progress reports.
    pub fn inserts(&self) -> u64 {
        (self.new_classes.len()
            + self.new_accounts.len()
            + self.new_staff.len()
            + self.new_assignments.len()
            + self.new_guardians.len()
            + self.new_students.len()
            + self.new_links.len()) as u64
    }

    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.inserts() == 0
            && self.changed_accounts.is_empty()
            && self.changed_staff.is_empty()
            && self.removed_assignments.is_empty()
            && self.renamed_guardians.is_empty()
            && self.changed_students.is_empty()
            && self.changed_links.is_empty()
            && self.removed_links.is_empty()
    }
}

/// An import's decision: what to write and what to tell the admin.
#[derive(Debug)]
pub struct Plan {
    pub changes: Changes,
    pub report: ImportReport,
}

fn problem(row: usize, column: &'static str, code: &'static str, zh: String, en: String) -> RowProblem {
    RowProblem { row, column: Some(column), code, message: Message::new(zh, en) }
}

/// The school's classes by (grade, number), creating those the file names that do not exist yet.
fn plan_classes(
    school_id: Uuid,
    existing: &[class::Model],
    wanted: BTreeSet<ClassRef>,
    now: DateTime<Utc>,
    changes: &mut Changes,
) -> HashMap<ClassRef, Uuid> {
    let mut classes: HashMap<ClassRef, Uuid> =
        existing.iter().map(|c| (ClassRef { grade: c.grade, number: c.number }, c.id)).collect();
    for c in wanted {
        if classes.contains_key(&c) {
            continue;
        }
        let id = Uuid::new_v4();
        classes.insert(c.clone(), id);
        changes.new_classes.push(class::Model { id, school_id, grade: c.grade, number: c.number, created_at: now });
    }
    classes
}

/// Plans a staff import. A row whose phone or email another account holds refuses the file.
pub fn plan_staff(
    school_id: Uuid,
    existing: &ExistingStaff,
    records: &[StaffRecord],
    options: &ImportOptions,
) -> Result<Plan, Vec<RowProblem>> {
    let now = options.now;
    let mut report = ImportReport::new(RosterKind::Staff, records.len());
    let mut changes = Changes::default();
    let wanted: BTreeSet<ClassRef> =
        records.iter().flat_map(|r| r.assignments.iter().map(|a| a.class.clone())).collect();
    let classes = plan_classes(school_id, &existing.classes, wanted, now, &mut changes);

    let by_staff_no: HashMap<&str, &staff::Model> = existing.staff.iter().map(|s| (s.staff_no.as_str(), s)).collect();
    let by_account: HashMap<Uuid, &staff::Model> = existing.staff.iter().map(|s| (s.account_id, s)).collect();
    let accounts: HashMap<Uuid, &account::Model> = existing.accounts.iter().map(|a| (a.id, a)).collect();
    // Who holds a login: accounts in the database, then those this file creates.
    let mut by_phone: HashMap<String, Uuid> =
        existing.accounts.iter().filter_map(|a| a.phone.clone().map(|p| (p, a.id))).collect();
    let mut by_email: HashMap<String, Uuid> =
        existing.accounts.iter().filter_map(|a| a.email.clone().map(|e| (e, a.id))).collect();
    let mut assignments: HashMap<Uuid, Vec<&teaching_assignment::Model>> = HashMap::new();
    for a in &existing.assignments {
        assignments.entry(a.staff_id).or_default().push(a);
    }

    let mut problems = Vec::new();
    for record in records {
        let phone_owner = record.phone.as_ref().and_then(|p| by_phone.get(p)).copied();
        let email_owner = record.email.as_ref().and_then(|e| by_email.get(e)).copied();
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
        // By staff number first; else by login, which is how the school's first admin is found.
        let current =
            by_staff_no.get(record.staff_no.as_str()).or_else(|| login_owner.and_then(|id| by_account.get(&id)));
        let (staff_id, created, mut changed) = match current {
            None => {
                let account_id = match login_owner {
                    Some(id) => id,
                    None => {
                        let (model, code) = provisioning::new_account(
                            &record.login(),
                            record.email.clone(),
                            &record.name,
                            now,
                            options.activation_code_ttl_days,
                        );
                        report.activation_codes.push(IssuedCode {
                            role: "staff",
                            name: record.name.clone(),
                            login: record.login().as_str().to_owned(),
                            code,
                        });
                        if let Some(p) = &record.phone {
                            by_phone.insert(p.clone(), model.id);
                        }
                        if let Some(e) = &record.email {
                            by_email.insert(e.clone(), model.id);
                        }
                        let id = model.id;
                        changes.new_accounts.push(model);
                        id
                    }
                };
                let id = Uuid::new_v4();
                changes.new_staff.push(staff::Model {
                    id,
                    school_id,
                    account_id,
                    staff_no: record.staff_no.clone(),
                    name: record.name.clone(),
                    is_school_admin: record.is_school_admin,
                    is_teacher: record.is_teacher,
                    created_at: now,
                    updated_at: now,
                });
                (id, true, false)
            }
            Some(row) => {
                let mut changed = false;
                if let Some(account) = accounts.get(&row.account_id) {
                    match follow_logins(record, account, phone_owner, email_owner) {
                        Err(refused) => {
                            problems.push(refused);
                            continue;
                        }
                        Ok(Some(followed)) => {
                            changes.changed_accounts.push(followed);
                            changed = true;
                        }
                        Ok(None) => {}
                    }
                }
                // An import grants admin rights but never takes them away: demoting an admin is a
                // deliberate act, not the side effect of a spreadsheet (and the school's first admin
                // must not lock themselves out by importing a file that omits the role).
                let is_school_admin = record.is_school_admin || row.is_school_admin;
                let differs = row.staff_no != record.staff_no
                    || row.name != record.name
                    || row.is_school_admin != is_school_admin
                    || row.is_teacher != record.is_teacher;
                if differs {
                    changes.changed_staff.push(staff::Model {
                        staff_no: record.staff_no.clone(),
                        name: record.name.clone(),
                        is_school_admin,
                        is_teacher: record.is_teacher,
                        updated_at: now,
                        ..(*row).clone()
                    });
                    changed = true;
                }
                (row.id, false, changed)
            }
        };
        let current = assignments.remove(&staff_id).unwrap_or_default();
        changed |= sync_assignments(staff_id, &record.assignments, current, &classes, &mut changes);
        count(&mut report, created, changed);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    report.classes_created = changes.new_classes.len() as u64;
    report.accounts_created = changes.new_accounts.len() as u64;
    Ok(Plan { changes, report })
}

/// An existing person's logins follow the file, unless another account holds them. The account
/// as it should be, if anything changed.
fn follow_logins(
    record: &StaffRecord,
    account: &account::Model,
    phone_owner: Option<Uuid>,
    email_owner: Option<Uuid>,
) -> Result<Option<account::Model>, RowProblem> {
    let mut followed = account.clone();
    if let Some(p) = &record.phone
        && account.phone.as_ref() != Some(p)
    {
        if phone_owner.is_some_and(|owner| owner != account.id) {
            return Err(problem(
                record.row,
                "phone",
                "phone_taken",
                format!("手机号 {p} 已被其他账号使用。"),
                format!("Phone {p} belongs to another account."),
            ));
        }
        followed.phone = Some(p.clone());
    }
    if let Some(e) = &record.email
        && account.email.as_ref() != Some(e)
    {
        if email_owner.is_some_and(|owner| owner != account.id) {
            return Err(problem(
                record.row,
                "email",
                "email_taken",
                format!("邮箱 {e} 已被其他账号使用。"),
                format!("Email {e} belongs to another account."),
            ));
        }
        followed.email = Some(e.clone());
    }
    Ok((followed != *account).then_some(followed))
}

/// Makes a staff member's class roles exactly those of the file. `true` if anything changed.
fn sync_assignments(
    staff_id: Uuid,
    wanted: &[Assignment],
    current: Vec<&teaching_assignment::Model>,
    classes: &HashMap<ClassRef, Uuid>,
    changes: &mut Changes,
) -> bool {
    let wanted: HashSet<(Uuid, TeachingRole, String)> =
        wanted.iter().filter_map(|a| classes.get(&a.class).map(|id| (*id, a.role, a.subject.clone()))).collect();
    let mut changed = false;
    let mut kept = HashSet::new();
    for existing in current {
        let key = (existing.class_id, existing.role, existing.subject.clone());
        if wanted.contains(&key) {
            kept.insert(key);
        } else {
            changes.removed_assignments.push(existing.id);
            changed = true;
        }
    }
    for (class_id, role, subject) in wanted.into_iter().filter(|k| !kept.contains(k)) {
        changes.new_assignments.push(teaching_assignment::Model {
            id: Uuid::new_v4(),
            staff_id,
            class_id,
            role,
            subject,
        });
        changed = true;
    }
    changed
}

fn count(report: &mut ImportReport, created: bool, changed: bool) {
    match (created, changed) {
        (true, _) => report.created += 1,
        (false, true) => report.updated += 1,
        (false, false) => report.unchanged += 1,
    }
}

/// A guardian link as the file wants it.
struct WantedLink {
    guardian_id: Uuid,
    relation: String,
    access_level: AccessLevel,
}

/// Plans a student import. Nothing in a parsed student file refuses it: an email another account
/// holds is left out, with a warning naming the guardian's email column.
pub fn plan_students(
    school_id: Uuid,
    existing: &ExistingStudents,
    records: &[StudentRecord],
    options: &ImportOptions,
) -> Plan {
    let now = options.now;
    let mut report = ImportReport::new(RosterKind::Students, records.len());
    let mut changes = Changes::default();
    let wanted: BTreeSet<ClassRef> = records.iter().map(|r| r.class.clone()).collect();
    let classes = plan_classes(school_id, &existing.classes, wanted, now, &mut changes);

    let students: HashMap<&str, &student::Model> =
        existing.students.iter().map(|s| (s.student_no.as_str(), s)).collect();
    let by_phone: HashMap<&str, &account::Model> =
        existing.accounts.iter().filter_map(|a| a.phone.as_deref().map(|p| (p, a))).collect();
    // Who holds an email: accounts in the database, then guardians earlier in this file.
    let mut email_holder: HashMap<String, Uuid> =
        existing.accounts.iter().filter_map(|a| a.email.clone().map(|e| (e, a.id))).collect();
    let guardian_by_account: HashMap<Uuid, &guardian::Model> =
        existing.guardians.iter().map(|g| (g.account_id, g)).collect();
    let mut current_links: HashMap<Uuid, Vec<&guardianship::Model>> = HashMap::new();
    for link in &existing.links {
        current_links.entry(link.student_id).or_default().push(link);
    }

    // Decide who every guardian is: the first row naming a phone decides its name.
    let mut guardian_for_phone: HashMap<&str, Uuid> = HashMap::new();
    for record in records {
        for g in &record.guardians {
            if guardian_for_phone.contains_key(g.phone.as_str()) {
                continue;
            }
            let account = by_phone.get(g.phone.as_str()).copied();
            let email = g.email.clone().filter(|e| {
                // A guardian's own email is theirs, not taken.
                let free = email_holder.get(e).is_none_or(|holder| account.is_some_and(|a| a.id == *holder));
                if !free {
                    report.warnings.push(problem(
                        record.row,
                        g.email_column,
                        "email_taken",
                        format!("邮箱 {e} 已被其他账号使用，未保存到该家长。"),
                        format!("Email {e} belongs to another account; it was not saved for this guardian."),
                    ));
                }
                free
            });
            let (account_id, guardian_id) = match account {
                Some(account) => {
                    if let (None, Some(e)) = (&account.email, &email) {
                        changes.changed_accounts.push(account::Model { email: Some(e.clone()), ..account.clone() });
                    }
                    let guardian_id = match guardian_by_account.get(&account.id) {
                        Some(existing) => {
                            if existing.name != g.name {
                                changes
                                    .renamed_guardians
                                    .push(guardian::Model { name: g.name.clone(), ..(*existing).clone() });
                            }
                            existing.id
                        }
                        None => new_guardian(&mut changes, account.id, &g.name, now),
                    };
                    (account.id, guardian_id)
                }
                None => {
                    let login = Login::Phone(g.phone.clone());
                    let (model, code) = provisioning::new_account(
                        &login,
                        email.clone(),
                        &g.name,
                        now,
                        options.activation_code_ttl_days,
                    );
                    report.activation_codes.push(IssuedCode {
                        role: "guardian",
                        name: g.name.clone(),
                        login: g.phone.clone(),
                        code,
                    });
                    let account_id = model.id;
                    changes.new_accounts.push(model);
                    (account_id, new_guardian(&mut changes, account_id, &g.name, now))
                }
            };
            if let Some(e) = email {
                email_holder.insert(e, account_id);
            }
            guardian_for_phone.insert(&g.phone, guardian_id);
        }
    }

    // Decide what happens to every student and their links.
    for record in records {
        let class_id = classes[&record.class];
        let wanted: Vec<WantedLink> = record
            .guardians
            .iter()
            .map(|g| WantedLink {
                guardian_id: guardian_for_phone[g.phone.as_str()],
                relation: g.relation.clone(),
                access_level: g.access_level,
            })
            .collect();
        let (student_id, mut changed, created) = match students.get(record.student_no.as_str()) {
            None => {
                let id = Uuid::new_v4();
                changes.new_students.push(student::Model {
                    id,
                    school_id,
                    class_id,
                    student_no: record.student_no.clone(),
                    name: record.name.clone(),
                    created_at: now,
                    updated_at: now,
                });
                (id, false, true)
            }
            Some(existing) => {
                let differs = existing.name != record.name || existing.class_id != class_id;
                if differs {
                    changes.changed_students.push(student::Model {
                        name: record.name.clone(),
                        class_id,
                        updated_at: now,
                        ..(*existing).clone()
                    });
                }
                (existing.id, differs, false)
            }
        };
        let current = current_links.remove(&student_id).unwrap_or_default();
        for link in &current {
            match wanted.iter().find(|w| w.guardian_id == link.guardian_id) {
                None => {
                    changes.removed_links.push((link.student_id, link.guardian_id));
                    changed = true;
                }
                Some(w) if w.relation != link.relation || w.access_level != link.access_level => {
                    changes.changed_links.push(guardianship::Model {
                        relation: w.relation.clone(),
                        access_level: w.access_level,
                        ..(*link).clone()
                    });
                    changed = true;
                }
                Some(_) => {}
            }
        }
        for w in wanted.iter().filter(|w| !current.iter().any(|l| l.guardian_id == w.guardian_id)) {
            changes.new_links.push(guardianship::Model {
                student_id,
                guardian_id: w.guardian_id,
                relation: w.relation.clone(),
                access_level: w.access_level,
                created_at: now,
            });
            changed |= !created;
        }
        count(&mut report, created, changed);
    }
    report.classes_created = changes.new_classes.len() as u64;
    report.accounts_created = changes.new_accounts.len() as u64;
    Plan { changes, report }
}

fn new_guardian(changes: &mut Changes, account_id: Uuid, name: &str, now: DateTime<Utc>) -> Uuid {
    let id = Uuid::new_v4();
    changes.new_guardians.push(guardian::Model { id, account_id, name: name.to_owned(), created_at: now });
    id
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::roster::parse::{parse_staff, parse_students};

    const STUDENTS: &str = "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian1_access,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation,guardian2_access\n";
    const STAFF: &str = "staff_no,name,phone,email,roles,classes\n";

    fn options() -> ImportOptions {
        ImportOptions { now: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(), activation_code_ttl_days: 30 }
    }

    fn school() -> Uuid {
        Uuid::from_u128(1)
    }

    fn students(rows: &[&str]) -> Vec<StudentRecord> {
        parse_students(&format!("{STUDENTS}{}\n", rows.join("\n"))).expect("a valid student file")
    }

    fn staff_file(rows: &[&str]) -> Vec<StaffRecord> {
        parse_staff(&format!("{STAFF}{}\n", rows.join("\n"))).expect("a valid staff file")
    }

    fn account(phone: Option<&str>, email: Option<&str>) -> account::Model {
        let (mut model, _) = provisioning::new_account(
            &Login::Phone(phone.unwrap_or("13900000000").to_owned()),
            email.map(str::to_owned),
            "someone",
            options().now,
            30,
        );
        model.phone = phone.map(str::to_owned);
        model
    }

    fn replace<T: Clone>(rows: &mut [T], changed: &[T], same: impl Fn(&T, &T) -> bool) {
        for c in changed {
            if let Some(row) = rows.iter_mut().find(|r| same(r, c)) {
                *row = c.clone();
            }
        }
    }

    /// The database after writing `changes`, as the next import would load it.
    fn students_after(mut db: ExistingStudents, changes: Changes) -> ExistingStudents {
        db.classes.extend(changes.new_classes);
        replace(&mut db.accounts, &changes.changed_accounts, |a, b| a.id == b.id);
        db.accounts.extend(changes.new_accounts);
        replace(&mut db.guardians, &changes.renamed_guardians, |a, b| a.id == b.id);
        db.guardians.extend(changes.new_guardians);
        replace(&mut db.students, &changes.changed_students, |a, b| a.id == b.id);
        db.students.extend(changes.new_students);
        let key = |l: &guardianship::Model| (l.student_id, l.guardian_id);
        replace(&mut db.links, &changes.changed_links, |a, b| key(a) == key(b));
        db.links.retain(|l| !changes.removed_links.contains(&key(l)));
        db.links.extend(changes.new_links);
        db
    }

    fn staff_after(mut db: ExistingStaff, changes: Changes) -> ExistingStaff {
        db.classes.extend(changes.new_classes);
        replace(&mut db.accounts, &changes.changed_accounts, |a, b| a.id == b.id);
        db.accounts.extend(changes.new_accounts);
        replace(&mut db.staff, &changes.changed_staff, |a, b| a.id == b.id);
        db.staff.extend(changes.new_staff);
        db.assignments.retain(|a| !changes.removed_assignments.contains(&a.id));
        db.assignments.extend(changes.new_assignments);
        db
    }

    fn imported(rows: &[&str]) -> ExistingStudents {
        let plan = plan_students(school(), &ExistingStudents::default(), &students(rows), &options());
        students_after(ExistingStudents::default(), plan.changes)
    }

    fn warnings(report: &ImportReport) -> Vec<(usize, Option<&str>, &str)> {
        report.warnings.iter().map(|w| (w.row, w.column, w.code)).collect()
    }

    #[test]
    fn a_new_file_creates_classes_students_guardians_and_their_codes() {
        let file = students(&[
            "S1,甲,3,1,父甲,13800000001,fu@test.cn,父亲,,母甲,13800000002,,母亲,pickup",
            "S2,乙,4,2,父乙,13800000003,,父亲,,,,,,",
        ]);
        let plan = plan_students(school(), &ExistingStudents::default(), &file, &options());
        let r = &plan.report;
        assert_eq!((r.created, r.updated, r.unchanged), (2, 0, 0));
        assert_eq!((r.classes_created, r.accounts_created, r.activation_codes.len()), (2, 3, 3));
        assert_eq!(plan.changes.new_links.len(), 3);
        assert_eq!(plan.changes.new_links[1].access_level, AccessLevel::Pickup);
        let father = plan.changes.new_accounts.iter().find(|a| a.phone.as_deref() == Some("13800000001"));
        assert_eq!(father.and_then(|a| a.email.as_deref()), Some("fu@test.cn"));
    }

    #[test]
    fn a_reimported_unchanged_file_plans_no_change() {
        let rows = [
            "S1,甲,3,1,父甲,13800000001,fu@test.cn,父亲,,母甲,13800000002,mu@test.cn,母亲,",
            "S2,乙,3,1,父乙,13800000003,,父亲,informational,,,,,",
        ];
        let db = imported(&rows);
        let again = plan_students(school(), &db, &students(&rows), &options());
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        let r = &again.report;
        assert_eq!((r.created, r.updated, r.unchanged, r.classes_created, r.accounts_created), (0, 0, 2, 0, 0));
        assert!(r.activation_codes.is_empty());
        assert!(r.warnings.is_empty(), "a guardian's own email is not taken: {:?}", warnings(r));
    }

    #[test]
    fn a_reimported_unchanged_staff_file_plans_no_change() {
        let rows = [
            "T1,王老师,13700000001,wang@test.cn,teacher;school_admin,3-1:head;3-1:math",
            "T2,李老师,,li@test.cn,teacher,",
        ];
        let first = plan_staff(school(), &ExistingStaff::default(), &staff_file(&rows), &options()).expect("plan");
        assert_eq!((first.report.created, first.report.accounts_created, first.report.classes_created), (2, 2, 1));
        let db = staff_after(ExistingStaff::default(), first.changes);
        let again = plan_staff(school(), &db, &staff_file(&rows), &options()).expect("plan");
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        assert_eq!((again.report.created, again.report.updated, again.report.unchanged), (0, 0, 2));
    }

    #[test]
    fn a_sibling_s_guardian_gets_one_account_and_one_guardian() {
        let file = students(&["S1,甲,3,1,父甲,13800000001,,父亲,,,,,,", "S2,乙,4,1,父甲,13800000001,,父亲,,,,,,"]);
        let plan = plan_students(school(), &ExistingStudents::default(), &file, &options());
        assert_eq!((plan.changes.new_accounts.len(), plan.changes.new_guardians.len()), (1, 1));
        assert_eq!(plan.changes.new_links.len(), 2);
        assert_eq!(plan.report.activation_codes.len(), 1);
    }

    #[test]
    fn a_guardian_dropped_from_the_file_loses_the_link() {
        let db = imported(&["S1,甲,3,1,父甲,13800000001,,父亲,,母甲,13800000002,,母亲,"]);
        let plan = plan_students(school(), &db, &students(&["S1,甲,3,1,母甲,13800000002,,母亲,,,,,,"]), &options());
        let father = db.guardians.iter().find(|g| g.name == "父甲").expect("father");
        assert_eq!(plan.changes.removed_links, vec![(db.students[0].id, father.id)]);
        assert!(plan.changes.new_links.is_empty() && plan.changes.changed_links.is_empty());
        assert_eq!(plan.report.updated, 1);
    }

    #[test]
    fn a_moved_student_keeps_their_row_and_a_changed_access_level_updates_the_link() {
        let db = imported(&["S1,甲,3,1,母甲,13800000002,,母亲,,,,,,"]);
        let plan =
            plan_students(school(), &db, &students(&["S1,甲,3,2,母甲,13800000002,,母亲,pickup,,,,,"]), &options());
        assert!(plan.changes.new_students.is_empty());
        assert_eq!(plan.changes.changed_students.len(), 1);
        assert_eq!(plan.changes.changed_students[0].id, db.students[0].id);
        assert_eq!(plan.changes.changed_students[0].class_id, plan.changes.new_classes[0].id);
        assert_eq!(plan.changes.changed_links[0].access_level, AccessLevel::Pickup);
        assert_eq!((plan.report.updated, plan.report.classes_created), (1, 1));
    }

    #[test]
    fn a_known_guardian_is_renamed_and_given_the_file_s_email_once() {
        let db = imported(&["S1,甲,3,1,母甲,13800000002,,母亲,,,,,,"]);
        let plan = plan_students(
            school(),
            &db,
            &students(&["S1,甲,3,1,母亲甲,13800000002,mu@test.cn,母亲,,,,,,"]),
            &options(),
        );
        assert_eq!(plan.changes.renamed_guardians[0].name, "母亲甲");
        assert_eq!(plan.changes.changed_accounts[0].email.as_deref(), Some("mu@test.cn"));
        assert!(plan.changes.new_accounts.is_empty());
    }

    #[test]
    fn an_email_taken_by_another_account_is_left_out_with_a_warning_on_guardian2_email() {
        let other = account(Some("13900000009"), Some("taken@test.cn"));
        let db = ExistingStudents { accounts: vec![other], ..Default::default() };
        let file = students(&["S1,甲,3,1,父甲,13800000001,,父亲,,母甲,13800000002,taken@test.cn,母亲,"]);
        let plan = plan_students(school(), &db, &file, &options());
        assert_eq!(warnings(&plan.report), vec![(2, Some("guardian2_email"), "email_taken")]);
        let mother = plan.changes.new_accounts.iter().find(|a| a.phone.as_deref() == Some("13800000002"));
        assert_eq!(mother.map(|a| a.email.clone()), Some(None), "the email stays with its owner");
    }

    #[test]
    fn an_email_taken_by_another_account_is_left_out_with_a_warning_on_guardian1_email() {
        let other = account(Some("13900000009"), Some("taken@test.cn"));
        let db = ExistingStudents { accounts: vec![other], ..Default::default() };
        let file = students(&["S1,甲,3,1,父甲,13800000001,taken@test.cn,父亲,,母甲,13800000002,,母亲,"]);
        let plan = plan_students(school(), &db, &file, &options());
        assert_eq!(warnings(&plan.report), vec![(2, Some("guardian1_email"), "email_taken")]);
    }

    #[test]
    fn the_same_email_for_two_guardians_goes_to_the_first() {
        let file = students(&[
            "S1,甲,3,1,父甲,13800000001,same@test.cn,父亲,,,,,,",
            "S2,乙,3,1,父乙,13800000003,,父亲,,母乙,13800000004,same@test.cn,母亲,",
        ]);
        let plan = plan_students(school(), &ExistingStudents::default(), &file, &options());
        assert_eq!(warnings(&plan.report), vec![(3, Some("guardian2_email"), "email_taken")]);
    }

    #[test]
    fn the_first_admin_is_matched_by_login_and_keeps_admin_rights() {
        let admin_account = account(None, Some("admin@test.cn"));
        let admin = staff::Model {
            id: Uuid::from_u128(7),
            school_id: school(),
            account_id: admin_account.id,
            staff_no: "ADMIN".into(),
            name: "管理员".into(),
            is_school_admin: true,
            is_teacher: false,
            created_at: options().now,
            updated_at: options().now,
        };
        let db = ExistingStaff { staff: vec![admin], accounts: vec![admin_account], ..Default::default() };
        let plan =
            plan_staff(school(), &db, &staff_file(&["A01,一小管理员,,admin@test.cn,teacher,1-1:music"]), &options())
                .expect("plan");
        assert!(plan.changes.new_staff.is_empty() && plan.changes.new_accounts.is_empty());
        let changed = &plan.changes.changed_staff[0];
        assert_eq!((changed.id, changed.staff_no.as_str()), (Uuid::from_u128(7), "A01"));
        assert!(changed.is_school_admin && changed.is_teacher, "an import never takes admin rights away");
        assert_eq!(plan.changes.new_assignments.len(), 1);
        assert_eq!(plan.report.updated, 1);
    }

    #[test]
    fn a_staff_member_s_class_roles_follow_the_file() {
        let rows = ["T1,王老师,13700000001,,teacher,3-1:head"];
        let first = plan_staff(school(), &ExistingStaff::default(), &staff_file(&rows), &options()).expect("plan");
        let db = staff_after(ExistingStaff::default(), first.changes);
        let plan = plan_staff(school(), &db, &staff_file(&["T1,王老师,13700000001,,teacher,3-1:math"]), &options())
            .expect("plan");
        assert_eq!(plan.changes.removed_assignments, vec![db.assignments[0].id]);
        assert_eq!(plan.changes.new_assignments[0].role, TeachingRole::SubjectTeacher);
        assert_eq!((plan.report.updated, plan.report.classes_created), (1, 0));
    }

    #[test]
    fn a_phone_held_by_another_account_refuses_the_row_with_its_column() {
        let rows = ["T1,王老师,13700000001,,teacher,"];
        let first = plan_staff(school(), &ExistingStaff::default(), &staff_file(&rows), &options()).expect("plan");
        let mut db = staff_after(ExistingStaff::default(), first.changes);
        db.accounts.push(account(Some("13700000002"), None));
        let problems = plan_staff(school(), &db, &staff_file(&["T1,王老师,13700000002,,teacher,"]), &options())
            .expect_err("refused");
        let found: Vec<(usize, Option<&str>, &str)> = problems.iter().map(|p| (p.row, p.column, p.code)).collect();
        assert_eq!(found, vec![(2, Some("phone"), "phone_taken")]);
    }

    #[test]
    fn a_phone_and_an_email_of_two_accounts_are_a_login_conflict() {
        let db = ExistingStaff {
            accounts: vec![account(Some("13700000001"), None), account(Some("13700000009"), Some("x@test.cn"))],
            ..Default::default()
        };
        let problems =
            plan_staff(school(), &db, &staff_file(&["T1,王老师,13700000001,x@test.cn,teacher,"]), &options())
                .expect_err("refused");
        assert_eq!((problems[0].row, problems[0].column, problems[0].code), (2, Some("email"), "login_conflict"));
    }
}
