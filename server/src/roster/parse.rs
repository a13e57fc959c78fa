//! Reading roster CSV files: encoding detection (UTF-8, or GBK/GB18030 as saved by Excel in
//! China), header matching, and validation of every row into typed records. Pure: no I/O.
//!
//! Every problem is reported with its row number (as a spreadsheet shows it: the header is row 1)
//! and column, so a school admin can fix the file in one pass.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::auth::credentials::{Login, normalise_phone};
use crate::error::Message;
use crate::org::model::{AccessLevel, TeachingRole};

/// One problem in one row.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub row: usize,
    pub column: Option<&'static str>,
    /// Stable code, e.g. `missing_value`, `invalid_phone`, `duplicate_student_no`.
    pub code: &'static str,
    pub message: Message,
}

impl RowProblem {
    fn new(row: usize, column: &'static str, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { row, column: Some(column), code, message: Message::new(zh.into(), en.into()) }
    }
}

/// A problem as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowProblemDto {
    pub row: usize,
    pub column: Option<&'static str>,
    pub code: &'static str,
    pub message: String,
}

/// Decodes the file: UTF-8 (with or without BOM), else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8]) -> Result<String, RowProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| RowProblem {
            row: 0,
            column: None,
            code: "bad_encoding",
            message: Message::new(
                "文件编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV。",
                "The file's encoding is not recognised: save it as CSV in UTF-8 or GBK.",
            ),
        })
}

/// One class a staff member works in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassRef {
    pub grade: i16,
    pub number: i16,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Assignment {
    pub class: ClassRef,
    pub role: TeachingRole,
    /// Empty for the class teacher role.
    pub subject: String,
}

#[derive(Debug, Clone)]
pub struct StaffRecord {
    pub row: usize,
    pub staff_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_school_admin: bool,
    pub is_teacher: bool,
    pub assignments: Vec<Assignment>,
}

impl StaffRecord {
    /// The login: the phone if given, else the email.
    pub fn login(&self) -> Login {
        match (&self.phone, &self.email) {
            (Some(phone), _) => Login::Phone(phone.clone()),
            (None, Some(email)) => Login::Email(email.clone()),
            (None, None) => unreachable!("validated: a staff record has a phone or an email"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct GuardianRecord {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    /// The column the email came from (`guardian1_email` or `guardian2_email`), for problems
    /// found once the file meets the database.
    pub email_column: &'static str,
    pub relation: String,
    pub access_level: AccessLevel,
}

#[derive(Debug, Clone)]
pub struct StudentRecord {
    pub row: usize,
    pub student_no: String,
    pub name: String,
    pub class: ClassRef,
    pub guardians: Vec<GuardianRecord>,
}

const STAFF_COLUMNS: [&str; 6] = ["staff_no", "name", "phone", "email", "roles", "classes"];
const STUDENT_COLUMNS: [&str; 12] = [
    "student_no",
    "name",
    "grade",
    "class",
    "guardian1_name",
    "guardian1_phone",
    "guardian1_email",
    "guardian1_relation",
    "guardian2_name",
    "guardian2_phone",
    "guardian2_email",
    "guardian2_relation",
];
/// Optional columns: a guardian's access level (`full` by default).
const STUDENT_OPTIONAL_COLUMNS: [&str; 2] = ["guardian1_access", "guardian2_access"];

/// Rows of a CSV text as maps from (known) column name to trimmed value, with spreadsheet row numbers.
struct Table {
    rows: Vec<(usize, HashMap<&'static str, String>)>,
}

fn read_table(text: &str, required: &[&'static str], optional: &[&'static str]) -> Result<Table, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_problem(1, e)])?.clone();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        if let Some(known) = required.iter().chain(optional).find(|c| **c == header) {
            index.insert(known, i);
        }
    }
    let missing: Vec<RowProblem> = required
        .iter()
        .filter(|c| !index.contains_key(*c))
        .map(|c| RowProblem::new(1, c, "missing_column", format!("缺少列 {c}。"), format!("Column {c} is missing.")))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        match record {
            Ok(record) => {
                if record.iter().all(|v| v.trim().is_empty()) {
                    continue; // blank lines Excel leaves at the end
                }
                let values =
                    index.iter().map(|(column, &i)| (*column, record.get(i).unwrap_or("").trim().to_owned())).collect();
                rows.push((row, values));
            }
            Err(e) => problems.push(csv_problem(row, e)),
        }
    }
    if problems.is_empty() { Ok(Table { rows }) } else { Err(problems) }
}

fn csv_problem(row: usize, error: csv::Error) -> RowProblem {
    RowProblem {
        row,
        column: None,
        code: "malformed_csv",
        message: Message::new(format!("CSV 格式错误：{error}"), format!("Malformed CSV: {error}")),
    }
}

fn required_value(
    row: usize,
    values: &HashMap<&'static str, String>,
    column: &'static str,
    problems: &mut Vec<RowProblem>,
) -> Option<String> {
    let value = values.get(column).map(String::as_str).unwrap_or("");
    if value.is_empty() {
        problems.push(RowProblem::new(
            row,
            column,
            "missing_value",
            format!("{column} 不能为空。"),
            format!("{column} is required."),
        ));
        return None;
    }
    Some(value.to_owned())
}

fn bounded(
    row: usize,
    column: &'static str,
    value: String,
    max: usize,
    problems: &mut Vec<RowProblem>,
) -> Option<String> {
    if value.chars().count() > max || value.chars().any(char::is_control) {
        problems.push(RowProblem::new(
            row,
            column,
            "invalid_value",
            format!("{column} 过长或含有控制字符（最多 {max} 个字符）。"),
            format!("{column} is too long or has control characters (at most {max})."),
        ));
        return None;
    }
    Some(value)
}

fn optional_phone(row: usize, column: &'static str, raw: &str, problems: &mut Vec<RowProblem>) -> Option<String> {
    if raw.is_empty() {
        return None;
    }
    let phone = normalise_phone(raw);
    if phone.is_none() {
        problems.push(RowProblem::new(
            row,
            column,
            "invalid_phone",
            format!("手机号 {raw} 无效：须为 11 位大陆手机号。"),
            format!("Phone {raw} is invalid: it must be an 11-digit mainland mobile number."),
        ));
    }
    phone
}

fn optional_email(row: usize, column: &'static str, raw: &str, problems: &mut Vec<RowProblem>) -> Option<String> {
    if raw.is_empty() {
        return None;
    }
    match Login::parse(raw) {
        Some(Login::Email(email)) => Some(email),
        _ => {
            problems.push(RowProblem::new(
                row,
                column,
                "invalid_email",
                format!("邮箱 {raw} 无效。"),
                format!("Email {raw} is invalid."),
            ));
            None
        }
    }
}

fn parse_grade(row: usize, column: &'static str, raw: &str, problems: &mut Vec<RowProblem>) -> Option<i16> {
    let grade = raw.trim_end_matches('级').trim_end_matches('年').parse::<i16>().ok().filter(|g| (1..=9).contains(g));
    if grade.is_none() {
        problems.push(RowProblem::new(
            row,
            column,
            "invalid_grade",
            format!("年级 {raw} 无效：须为 1 到 9。"),
            format!("Grade {raw} is invalid: it must be 1 to 9."),
        ));
    }
    grade
}

fn parse_class_number(row: usize, column: &'static str, raw: &str, problems: &mut Vec<RowProblem>) -> Option<i16> {
    let number = raw.trim_end_matches('班').parse::<i16>().ok().filter(|n| (1..=99).contains(n));
    if number.is_none() {
        problems.push(RowProblem::new(
            row,
            column,
            "invalid_class",
            format!("班级 {raw} 无效：须为 1 到 99。"),
            format!("Class {raw} is invalid: it must be 1 to 99."),
        ));
    }
    number
}

/// Parses and validates a staff roster: `staff_no,name,phone,email,roles,classes`.
pub fn parse_staff(text: &str) -> Result<Vec<StaffRecord>, Vec<RowProblem>> {
    let table = read_table(text, &STAFF_COLUMNS, &[])?;
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let mut seen_staff_no = HashSet::new();
    let mut seen_login = HashSet::new();
    for (row, values) in table.rows {
        let before = problems.len();
        let staff_no = required_value(row, &values, "staff_no", &mut problems)
            .and_then(|v| bounded(row, "staff_no", v, 32, &mut problems));
        let name = required_value(row, &values, "name", &mut problems)
            .and_then(|v| bounded(row, "name", v, 100, &mut problems));
        let phone = optional_phone(row, "phone", &values["phone"], &mut problems);
        let email = optional_email(row, "email", &values["email"], &mut problems);
        if values["phone"].is_empty() && values["email"].is_empty() {
            problems.push(RowProblem::new(
                row,
                "phone",
                "missing_login",
                "手机号和邮箱至少填写一项（用于登录）。",
                "Give a phone or an email (it is the login).",
            ));
        }
        let (mut is_school_admin, mut is_teacher) = (false, false);
        for role in values["roles"].split([';', '；', ',', '，', '|']).map(str::trim).filter(|r| !r.is_empty()) {
            match role.to_ascii_lowercase().as_str() {
                "school_admin" | "admin" | "管理员" => is_school_admin = true,
                "teacher" | "教师" | "老师" => is_teacher = true,
                _ => problems.push(RowProblem::new(
                    row,
                    "roles",
                    "invalid_role",
                    format!("未知角色 {role}：可用 school_admin、teacher。"),
                    format!("Unknown role {role}: use school_admin or teacher."),
                )),
            }
        }
        if !is_school_admin && !is_teacher && values["roles"].is_empty() {
            problems.push(RowProblem::new(row, "roles", "missing_value", "roles 不能为空。", "roles is required."));
        }
        let mut assignments = Vec::new();
        for entry in values["classes"].split([';', '；', '|']).map(str::trim).filter(|e| !e.is_empty()) {
            match parse_assignment(entry) {
                Some(a) if !assignments.contains(&a) => assignments.push(a),
                Some(_) => {}
                None => problems.push(RowProblem::new(
                    row,
                    "classes",
                    "invalid_class_assignment",
                    format!("班级任课 {entry} 无效：格式为 年级-班级:科目，如 3-2:math 或 3-2:head（班主任）。"),
                    format!("Class assignment {entry} is invalid: write grade-class:subject, e.g. 3-2:math or 3-2:head (class teacher)."),
                )),
            }
        }
        if !assignments.is_empty() && !is_teacher {
            is_teacher = true; // someone who teaches a class is a teacher
        }
        if let Some(no) = &staff_no
            && !seen_staff_no.insert(no.clone())
        {
            problems.push(RowProblem::new(
                row,
                "staff_no",
                "duplicate_staff_no",
                format!("工号 {no} 在文件中重复。"),
                format!("Staff number {no} appears twice in the file."),
            ));
        }
        if let Some(login) = phone.clone().or_else(|| email.clone())
            && !seen_login.insert(login.clone())
        {
            problems.push(RowProblem::new(
                row,
                "phone",
                "duplicate_login",
                format!("{login} 在文件中重复。"),
                format!("{login} appears twice in the file."),
            ));
        }
        if problems.len() == before
            && let (Some(staff_no), Some(name)) = (staff_no, name)
        {
            records.push(StaffRecord { row, staff_no, name, phone, email, is_school_admin, is_teacher, assignments });
        }
    }
    if problems.is_empty() { Ok(records) } else { Err(problems) }
}

/// `3-2:math` → grade 3, class 2, subject math; `3-2:head` → class teacher of 3-2.
fn parse_assignment(entry: &str) -> Option<Assignment> {
    let (class, subject) = entry.split_once([':', '：'])?;
    let (grade, number) = class.trim().split_once('-')?;
    let grade = grade.trim().parse::<i16>().ok().filter(|g| (1..=9).contains(g))?;
    let number = number.trim().parse::<i16>().ok().filter(|n| (1..=99).contains(n))?;
    let subject = subject.trim();
    if subject.is_empty() || subject.chars().count() > 40 {
        return None;
    }
    let class = ClassRef { grade, number };
    Some(if subject.eq_ignore_ascii_case("head") || subject == "班主任" {
        Assignment { class, role: TeachingRole::ClassTeacher, subject: String::new() }
    } else {
        // The subject's code, however the file wrote it (`数学` and `Maths` are `math`).
        Assignment { class, role: TeachingRole::SubjectTeacher, subject: crate::org::subject::canonical(subject) }
    })
}

/// Canonical relation names; Chinese and English spellings are both accepted.
fn parse_relation(raw: &str) -> Option<&'static str> {
    Some(match raw.trim().to_lowercase().as_str() {
        "" | "guardian" | "监护人" | "家长" => "guardian",
        "father" | "dad" | "父亲" | "爸爸" | "父" => "father",
        "mother" | "mom" | "mum" | "母亲" | "妈妈" | "母" => "mother",
        "grandfather" | "爷爷" | "祖父" => "grandfather",
        "grandmother" | "奶奶" | "祖母" => "grandmother",
        "maternal_grandfather" | "外公" | "姥爷" | "外祖父" => "maternal_grandfather",
        "maternal_grandmother" | "外婆" | "姥姥" | "外祖母" => "maternal_grandmother",
        "other" | "其他" => "other",
        _ => return None,
    })
}

fn parse_access(raw: &str) -> Option<AccessLevel> {
    Some(match raw.trim().to_lowercase().as_str() {
        "" | "full" | "完全" => AccessLevel::Full,
        "informational" | "info" | "仅通知" => AccessLevel::Informational,
        "pickup" | "接送" => AccessLevel::Pickup,
        _ => return None,
    })
}

/// Parses and validates a student roster with up to two guardians per student.
pub fn parse_students(text: &str) -> Result<Vec<StudentRecord>, Vec<RowProblem>> {
    const GUARDIAN_COLUMNS: [[&str; 5]; 2] = [
        ["guardian1_name", "guardian1_phone", "guardian1_email", "guardian1_relation", "guardian1_access"],
        ["guardian2_name", "guardian2_phone", "guardian2_email", "guardian2_relation", "guardian2_access"],
    ];
    let table = read_table(text, &STUDENT_COLUMNS, &STUDENT_OPTIONAL_COLUMNS)?;
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let mut seen_student_no = HashSet::new();
    for (row, values) in table.rows {
        let before = problems.len();
        let student_no = required_value(row, &values, "student_no", &mut problems)
            .and_then(|v| bounded(row, "student_no", v, 32, &mut problems));
        let name = required_value(row, &values, "name", &mut problems)
            .and_then(|v| bounded(row, "name", v, 100, &mut problems));
        let grade = required_value(row, &values, "grade", &mut problems)
            .and_then(|v| parse_grade(row, "grade", &v, &mut problems));
        let number = required_value(row, &values, "class", &mut problems)
            .and_then(|v| parse_class_number(row, "class", &v, &mut problems));
        let mut guardians = Vec::new();
        for (i, [name_col, phone_col, email_col, relation_col, access_col]) in GUARDIAN_COLUMNS.into_iter().enumerate()
        {
            let get = |c: &str| values.get(c).map(String::as_str).unwrap_or("");
            let all_empty = [name_col, phone_col, email_col, relation_col].iter().all(|c| get(c).is_empty());
            if all_empty && i > 0 {
                continue;
            }
            let guardian_name = required_value(row, &values, name_col, &mut problems)
                .and_then(|v| bounded(row, name_col, v, 100, &mut problems));
            if get(phone_col).is_empty() {
                problems.push(RowProblem::new(
                    row,
                    phone_col,
                    "missing_value",
                    format!("{phone_col} 不能为空：家长用手机号登录。"),
                    format!("{phone_col} is required: guardians sign in with their phone."),
                ));
            }
            let phone = optional_phone(row, phone_col, get(phone_col), &mut problems);
            let email = optional_email(row, email_col, get(email_col), &mut problems);
            let relation = parse_relation(get(relation_col));
            if relation.is_none() {
                problems.push(RowProblem::new(
                    row,
                    relation_col,
                    "invalid_relation",
                    format!("关系 {} 无效：可用 父亲、母亲、爷爷、奶奶、外公、外婆、监护人、其他。", get(relation_col)),
                    format!("Relation {} is invalid: use father, mother, grandfather, grandmother, maternal_grandfather, maternal_grandmother, guardian or other.", get(relation_col)),
                ));
            }
            let access = parse_access(get(access_col));
            if access.is_none() {
                problems.push(RowProblem::new(
                    row,
                    access_col,
                    "invalid_access_level",
                    format!("权限 {} 无效：可用 full、informational、pickup。", get(access_col)),
                    format!("Access level {} is invalid: use full, informational or pickup.", get(access_col)),
                ));
            }
            if let (Some(name), Some(phone), Some(relation), Some(access_level)) =
                (guardian_name, phone, relation, access)
            {
                if guardians.iter().any(|g: &GuardianRecord| g.phone == phone) {
                    problems.push(RowProblem::new(
                        row,
                        phone_col,
                        "duplicate_guardian",
                        "两位家长的手机号相同。",
                        "Both guardians have the same phone number.",
                    ));
                } else {
                    guardians.push(GuardianRecord {
                        name,
                        phone,
                        email,
                        email_column: email_col,
                        relation: relation.into(),
                        access_level,
                    });
                }
            }
        }
        if let Some(no) = &student_no
            && !seen_student_no.insert(no.clone())
        {
            problems.push(RowProblem::new(
                row,
                "student_no",
                "duplicate_student_no",
                format!("学号 {no} 在文件中重复。"),
                format!("Student number {no} appears twice in the file."),
            ));
        }
        if problems.len() == before
            && let (Some(student_no), Some(name), Some(grade), Some(number)) = (student_no, name, grade, number)
        {
            records.push(StudentRecord { row, student_no, name, class: ClassRef { grade, number }, guardians });
        }
    }
    if problems.is_empty() { Ok(records) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUDENT_HEADER: &str = "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation\n";

    #[test]
    fn gbk_files_from_excel_are_read() {
        let (bytes, _, _) = encoding_rs::GBK.encode("学号,姓名\n1,张三\n");
        assert_eq!(decode(&bytes).unwrap(), "学号,姓名\n1,张三\n");
        assert_eq!(decode("\u{feff}a,b".as_bytes()).unwrap(), "a,b");
        assert!(decode(&[0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn staff_classes_are_parsed_into_roles() {
        let text =
            "staff_no,name,phone,email,roles,classes\nT1,王老师,13800000001,,teacher,3-2:head;3-2:math;4-1:Math\n";
        let staff = parse_staff(text).unwrap();
        assert_eq!(staff[0].assignments.len(), 3);
        assert_eq!(staff[0].assignments[0].role, TeachingRole::ClassTeacher);
        assert_eq!(staff[0].assignments[2].subject, "math");
        assert!(staff[0].is_teacher && !staff[0].is_school_admin);
    }

    #[test]
    fn every_bad_staff_row_is_reported_with_row_and_column() {
        let text = "staff_no,name,phone,email,roles,classes\nT1,,123,,teacher,\nT1,李,,,chef,10-1:math\n";
        let problems = parse_staff(text).unwrap_err();
        let found: Vec<(usize, Option<&str>, &str)> = problems.iter().map(|p| (p.row, p.column, p.code)).collect();
        assert!(found.contains(&(2, Some("name"), "missing_value")));
        assert!(found.contains(&(2, Some("phone"), "invalid_phone")));
        assert!(found.contains(&(3, Some("phone"), "missing_login")));
        assert!(found.contains(&(3, Some("roles"), "invalid_role")));
        assert!(found.contains(&(3, Some("classes"), "invalid_class_assignment")));
        assert!(found.contains(&(3, Some("staff_no"), "duplicate_staff_no")));
    }

    #[test]
    fn students_need_a_reachable_first_guardian_and_the_second_is_optional() {
        let text = format!("{STUDENT_HEADER}S1,小明,3,2,张伟,13800000002,,父亲,,,,\nS2,小红,3,2,,,,,,,,\n");
        let problems = parse_students(&text).unwrap_err();
        assert!(problems.iter().all(|p| p.row == 3));
        assert!(problems.iter().any(|p| p.column == Some("guardian1_phone")));
        let ok = parse_students(&format!(
            "{STUDENT_HEADER}S1,小明,3年级,2班,张伟,+86 138 0000 0002,ZW@EXAMPLE.CN,爸爸,李娜,13800000003,,mother\n"
        ))
        .unwrap();
        assert_eq!(ok[0].guardians.len(), 2);
        assert_eq!(ok[0].guardians[0].relation, "father");
        assert_eq!(ok[0].guardians[0].phone, "13800000002");
        assert_eq!(ok[0].guardians[0].email.as_deref(), Some("zw@example.cn"));
        assert_eq!(ok[0].class, ClassRef { grade: 3, number: 2 });
    }

    #[test]
    fn a_missing_column_is_reported_on_the_header_row() {
        let problems = parse_students("student_no,name\nS1,A\n").unwrap_err();
        assert!(problems.iter().all(|p| p.row == 1 && p.code == "missing_column"));
        assert!(problems.iter().any(|p| p.column == Some("guardian1_phone")));
    }

    #[test]
    fn optional_access_columns_set_the_level() {
        let text = "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian1_access,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation,guardian2_access\nS1,A,1,1,B,13800000002,,mother,,C,13800000003,,other,pickup\n";
        let rows = parse_students(text).unwrap();
        assert_eq!(rows[0].guardians[0].access_level, AccessLevel::Full);
        assert_eq!(rows[0].guardians[1].access_level, AccessLevel::Pickup);
    }
}
