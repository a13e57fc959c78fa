//! The organisation's read models, shaped from loaded rows: pure functions, facts in and DTOs out.
//! The service loads the rows (through [`super::repo`]); these decide what the app sees.

use std::collections::{BTreeSet, HashMap};

use uuid::Uuid;

use super::dto::{
    ChildSummary, ClassRole, DistrictOverview, DistrictRef, GuardianContact, SchoolFigures, StaffProfile, TeacherRef,
    mask_phone,
};
use super::error::OrgError;
use super::model::{
    AccessLevel, Stage, TeachingRole, class, district, guardian, guardianship, school, staff, teaching_assignment,
};
use crate::auth::model::account;

/// A child as its guardian sees it; `None` when its school or class is not among those loaded.
pub fn child_summary(
    child: &super::model::student::Model,
    access_level: AccessLevel,
    schools: &HashMap<Uuid, school::Model>,
    classes: &HashMap<Uuid, class::Model>,
) -> Option<ChildSummary> {
    let school = schools.get(&child.school_id)?;
    let class = classes.get(&child.class_id)?;
    Some(ChildSummary {
        id: child.id,
        name: child.name.clone(),
        school_id: school.id,
        school_name: school.name.clone(),
        grade: class.grade,
        stage: school.stage_system.stage_of(class.grade),
        class_id: class.id,
        class_number: class.number,
        access_level,
    })
}

/// A child as its guardian sees it, from the row that placed it in its class and school.
pub fn placed_child_summary(child: &crate::access::PlacedChild) -> ChildSummary {
    ChildSummary {
        id: child.id,
        name: child.name.clone(),
        school_id: child.school_id,
        school_name: child.school_name.clone(),
        grade: child.grade,
        stage: child.stage_system.stage_of(child.grade),
        class_id: child.class_id,
        class_number: child.class_number,
        access_level: child.access_level,
    }
}

/// A staff member's roles in the classes they teach, by grade, class and subject.
pub fn class_roles<'a>(
    assignments: impl Iterator<Item = &'a teaching_assignment::Model>,
    classes: &HashMap<Uuid, class::Model>,
) -> Vec<ClassRole> {
    let mut roles: Vec<ClassRole> = assignments
        .filter_map(|a| {
            let class = classes.get(&a.class_id)?;
            Some(ClassRole {
                class_id: class.id,
                grade: class.grade,
                class_number: class.number,
                role: a.role,
                subject: (a.role == TeachingRole::SubjectTeacher).then(|| a.subject.clone()),
                subject_name: (a.role == TeachingRole::SubjectTeacher).then(|| super::subject::name_of(&a.subject)),
            })
        })
        .collect();
    roles.sort_by(|a, b| (a.grade, a.class_number, &a.subject).cmp(&(b.grade, b.class_number, &b.subject)));
    roles
}

/// One profile per school the caller works at.
pub fn staff_profiles(
    staff_rows: &[staff::Model],
    assignments: &[teaching_assignment::Model],
    schools: &HashMap<Uuid, school::Model>,
    classes: &HashMap<Uuid, class::Model>,
) -> Vec<StaffProfile> {
    staff_rows
        .iter()
        .map(|s| StaffProfile {
            staff_id: s.id,
            school_id: s.school_id,
            school_name: schools.get(&s.school_id).map(|x| x.name.clone()).unwrap_or_default(),
            is_school_admin: s.is_school_admin,
            is_teacher: s.is_teacher,
            classes: class_roles(assignments.iter().filter(|a| a.staff_id == s.id), classes),
        })
        .collect()
}

/// The roles `/me` lists, in a stable (alphabetical) order.
pub fn roles(children: &[ChildSummary], staff: &[StaffProfile], districts: &[DistrictRef]) -> Vec<String> {
    let mut roles = BTreeSet::new();
    if !children.is_empty() {
        roles.insert("guardian");
    }
    if staff.iter().any(|s| s.is_teacher) {
        roles.insert("teacher");
    }
    if staff.iter().any(|s| s.is_school_admin) {
        roles.insert("school_admin");
    }
    if !districts.is_empty() {
        roles.insert("bureau_officer");
    }
    roles.into_iter().map(String::from).collect()
}

/// Primary contacts first: full access, then informational, then pickup-only.
pub fn access_rank(level: AccessLevel) -> u8 {
    match level {
        AccessLevel::Full => 0,
        AccessLevel::Informational => 1,
        AccessLevel::Pickup => 2,
    }
}

/// A student's guardians as the class's staff see them: phones masked, primary contacts first.
pub fn guardian_contacts(
    student_id: Uuid,
    links: &[guardianship::Model],
    guardians: &HashMap<Uuid, guardian::Model>,
    accounts: &HashMap<Uuid, account::Model>,
) -> Vec<GuardianContact> {
    let mut contacts: Vec<GuardianContact> = links
        .iter()
        .filter(|l| l.student_id == student_id)
        .filter_map(|l| {
            let guardian = guardians.get(&l.guardian_id)?;
            let account = accounts.get(&guardian.account_id)?;
            Some(GuardianContact {
                guardian_id: guardian.id,
                account_id: guardian.account_id,
                name: guardian.name.clone(),
                relation: l.relation.clone(),
                access_level: l.access_level,
                phone_masked: account.phone.as_deref().map(mask_phone),
                activated: account.password_hash.is_some(),
            })
        })
        .collect();
    contacts.sort_by_key(|c| (access_rank(c.access_level), c.name.clone()));
    contacts
}

/// A class's teachers: the class teacher first, then by subject and name.
pub fn teachers(
    assignments: &[teaching_assignment::Model],
    staff_names: &HashMap<Uuid, (Uuid, String)>,
) -> Vec<TeacherRef> {
    let mut teachers: Vec<TeacherRef> = assignments
        .iter()
        .filter_map(|a| {
            let (account_id, name) = staff_names.get(&a.staff_id)?;
            Some(TeacherRef {
                account_id: *account_id,
                name: name.clone(),
                role: a.role,
                subject: (a.role == TeachingRole::SubjectTeacher).then(|| a.subject.clone()),
                subject_name: (a.role == TeachingRole::SubjectTeacher).then(|| super::subject::name_of(&a.subject)),
            })
        })
        .collect();
    teachers.sort_by_key(|t| (t.role != TeachingRole::ClassTeacher, t.subject.clone(), t.name.clone()));
    teachers
}

/// What the district overview is computed from.
pub struct DistrictFacts<'a> {
    pub district: &'a district::Model,
    /// By name.
    pub schools: &'a [school::Model],
    pub classes: &'a [class::Model],
    pub students_per_class: &'a HashMap<Uuid, u64>,
    pub staff_per_school: &'a HashMap<Uuid, u64>,
    pub guardians: u64,
    pub guardians_activated: u64,
}

/// District figures: students by stage (each school's own stage system), per-school counts.
pub fn district_overview(facts: DistrictFacts<'_>) -> DistrictOverview {
    let stage_systems: HashMap<Uuid, _> = facts.schools.iter().map(|s| (s.id, s.stage_system)).collect();
    let (mut primary, mut junior) = (0, 0);
    let mut per_school_classes: HashMap<Uuid, (u64, u64)> = HashMap::new();
    for class in facts.classes {
        let n = facts.students_per_class.get(&class.id).copied().unwrap_or(0);
        match stage_systems.get(&class.school_id).map(|s| s.stage_of(class.grade)) {
            Some(Stage::Primary) => primary += n,
            Some(Stage::Junior) => junior += n,
            None => {}
        }
        let entry = per_school_classes.entry(class.school_id).or_default();
        entry.0 += 1;
        entry.1 += n;
    }
    let per_school: Vec<SchoolFigures> = facts
        .schools
        .iter()
        .map(|s| {
            let (classes, students) = per_school_classes.get(&s.id).copied().unwrap_or_default();
            SchoolFigures {
                school_id: s.id,
                name: s.name.clone(),
                stage_system: s.stage_system,
                classes,
                students,
                staff: facts.staff_per_school.get(&s.id).copied().unwrap_or(0),
            }
        })
        .collect();
    DistrictOverview {
        district: DistrictRef { id: facts.district.id, name: facts.district.name.clone() },
        schools: facts.schools.len() as u64,
        classes: facts.classes.len() as u64,
        students: primary + junior,
        primary_students: primary,
        junior_students: junior,
        staff: facts.staff_per_school.values().sum(),
        guardians: facts.guardians,
        guardians_activated: facts.guardians_activated,
        per_school,
    }
}

/// The sort key a page of schools continues after.
pub fn school_cursor(after: &str) -> Result<Uuid, OrgError> {
    after.parse().map_err(|_| OrgError::InvalidCursor)
}

/// The `grade-number` a page of classes continues after.
pub fn class_cursor(after: &str) -> Result<(i16, i16), OrgError> {
    after
        .split_once('-')
        .and_then(|(g, n)| Some((g.parse::<i16>().ok()?, n.parse::<i16>().ok()?)))
        .ok_or(OrgError::InvalidCursor)
}

/// A school's subjects from its teaching assignments `(subject as written, class)`: every spelling
/// of one subject counted once, a class counted once per subject.
pub fn school_subjects(assignments: &[(String, Uuid)]) -> Vec<super::dto::SchoolSubject> {
    use super::subject;
    let mut classes: HashMap<String, (String, BTreeSet<Uuid>)> = HashMap::new();
    for (written, class_id) in assignments {
        let entry =
            classes.entry(subject::canonical(written)).or_insert_with(|| (subject::name_of(written), BTreeSet::new()));
        entry.1.insert(*class_id);
    }
    let mut items: Vec<super::dto::SchoolSubject> = classes
        .into_iter()
        .map(|(code, (name, classes))| super::dto::SchoolSubject {
            national: subject::national_rank(&code).is_some(),
            code,
            name,
            class_count: classes.len() as u64,
        })
        .collect();
    items.sort_by(|a, b| {
        let rank = |s: &super::dto::SchoolSubject| subject::national_rank(&s.code).unwrap_or(usize::MAX);
        rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
    });
    items
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::org::model::{StageSystem, student};

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn at() -> chrono::DateTime<chrono::Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("instant")
    }

    fn school(n: u128, name: &str, stage_system: StageSystem) -> school::Model {
        school::Model {
            id: id(n),
            district_id: id(1),
            name: name.into(),
            stage_system,
            time_zone: "Asia/Shanghai".into(),
            created_at: at(),
        }
    }

    fn class(n: u128, school_id: u128, grade: i16, number: i16) -> class::Model {
        class::Model { id: id(n), school_id: id(school_id), grade, number, created_at: at() }
    }

    fn assignment(staff: u128, class: u128, role: TeachingRole, subject: &str) -> teaching_assignment::Model {
        teaching_assignment::Model {
            id: Uuid::new_v4(),
            staff_id: id(staff),
            class_id: id(class),
            role,
            subject: subject.into(),
        }
    }

    #[test]
    fn a_child_summary_takes_the_stage_from_its_schools_system() {
        let schools = HashMap::from([(id(10), school(10, "一小", StageSystem::FiveFour))]);
        let classes = HashMap::from([(id(20), class(20, 10, 6, 2))]);
        let child = student::Model {
            id: id(30),
            school_id: id(10),
            class_id: id(20),
            student_no: "1".into(),
            name: "小明".into(),
            created_at: at(),
            updated_at: at(),
        };
        let summary = child_summary(&child, AccessLevel::Full, &schools, &classes).expect("summary");
        assert_eq!((summary.grade, summary.class_number, summary.stage), (6, 2, Stage::Junior));
        assert_eq!(summary.school_name, "一小");
        let elsewhere = student::Model { class_id: id(99), ..child };
        assert!(child_summary(&elsewhere, AccessLevel::Full, &schools, &classes).is_none());
    }

    #[test]
    fn class_roles_are_sorted_by_grade_class_and_subject_and_the_class_teacher_has_no_subject() {
        let classes = HashMap::from([(id(1), class(1, 10, 3, 2)), (id(2), class(2, 10, 3, 1))]);
        let assignments = [
            assignment(5, 1, TeachingRole::SubjectTeacher, "math"),
            assignment(5, 2, TeachingRole::SubjectTeacher, "math"),
            assignment(5, 1, TeachingRole::ClassTeacher, "ignored"),
            assignment(5, 3, TeachingRole::SubjectTeacher, "art"),
        ];
        let roles = class_roles(assignments.iter(), &classes);
        let seen: Vec<_> = roles.iter().map(|r| (r.class_number, r.subject.clone())).collect();
        assert_eq!(seen, [(1, Some("math".into())), (2, None), (2, Some("math".into()))]);
    }

    #[test]
    fn primary_contacts_rank_before_informational_and_pickup() {
        assert!(access_rank(AccessLevel::Full) < access_rank(AccessLevel::Informational));
        assert!(access_rank(AccessLevel::Informational) < access_rank(AccessLevel::Pickup));
    }

    #[test]
    fn teachers_list_the_class_teacher_first() {
        let names = HashMap::from([(id(1), (id(11), "王老师".to_owned())), (id(2), (id(12), "李老师".to_owned()))]);
        let assignments = [
            assignment(2, 9, TeachingRole::SubjectTeacher, "math"),
            assignment(1, 9, TeachingRole::ClassTeacher, ""),
            assignment(3, 9, TeachingRole::SubjectTeacher, "art"),
        ];
        let list = teachers(&assignments, &names);
        let seen: Vec<_> = list.iter().map(|t| (t.name.as_str(), t.subject.clone())).collect();
        assert_eq!(seen, [("王老师", None), ("李老师", Some("math".into()))], "an unknown staff row is left out");
    }

    #[test]
    fn the_district_overview_counts_students_by_each_schools_stage_system() {
        let district =
            district::Model { id: id(1), name: "甲区".into(), time_zone: "Asia/Shanghai".into(), created_at: at() };
        let schools = [school(10, "一小", StageSystem::SixThree), school(11, "二中", StageSystem::FiveFour)];
        // Grade 6 is primary under 6-3, junior under 5-4.
        let classes = [class(20, 10, 6, 1), class(21, 11, 6, 1), class(22, 11, 9, 1), class(23, 10, 1, 1)];
        let students_per_class = HashMap::from([(id(20), 30), (id(21), 40), (id(22), 50)]);
        let staff_per_school = HashMap::from([(id(10), 7), (id(11), 9)]);
        let overview = district_overview(DistrictFacts {
            district: &district,
            schools: &schools,
            classes: &classes,
            students_per_class: &students_per_class,
            staff_per_school: &staff_per_school,
            guardians: 100,
            guardians_activated: 60,
        });
        assert_eq!((overview.schools, overview.classes, overview.students), (2, 4, 120));
        assert_eq!((overview.primary_students, overview.junior_students), (30, 90));
        assert_eq!((overview.staff, overview.guardians, overview.guardians_activated), (16, 100, 60));
        let per_school: Vec<_> = overview.per_school.iter().map(|s| (s.name.as_str(), s.classes, s.students)).collect();
        assert_eq!(per_school, [("一小", 2, 30), ("二中", 2, 90)]);
    }

    #[test]
    fn roles_follow_what_the_caller_holds() {
        let districts = [DistrictRef { id: id(1), name: "甲区".into() }];
        assert_eq!(roles(&[], &[], &districts), ["bureau_officer"]);
        assert!(roles(&[], &[], &[]).is_empty());
    }

    #[test]
    fn class_cursors_are_grade_dash_number() {
        assert_eq!(class_cursor("3-12").ok(), Some((3, 12)));
        assert!(class_cursor("3").is_err());
        assert!(school_cursor("not-a-uuid").is_err());
    }
}
