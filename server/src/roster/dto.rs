//! The import report.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::current_lang;
use crate::roster::parse::{RowProblem, RowProblemDto};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum RosterKind {
    Staff,
    Students,
}

/// What an import did. Counts are of staff members or students (one per data row).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: RosterKind,
    /// Data rows read.
    pub rows: usize,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Classes the file named that did not exist yet.
    pub classes_created: u64,
    /// New accounts (staff or guardians), each with an activation code below.
    pub accounts_created: u64,
    /// One-time activation codes of the new accounts. Shown once: hand them out now.
    pub activation_codes: Vec<IssuedCode>,
    /// Problems that did not stop the import.
    #[serde(serialize_with = "serialize_problems")]
    #[schema(value_type = Vec<RowProblemDto>)]
    pub warnings: Vec<RowProblem>,
}

impl ImportReport {
    pub fn new(kind: RosterKind, rows: usize) -> Self {
        Self {
            kind,
            rows,
            created: 0,
            updated: 0,
            unchanged: 0,
            classes_created: 0,
            accounts_created: 0,
            activation_codes: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCode {
    /// `staff` or `guardian`.
    pub role: &'static str,
    pub name: String,
    pub login: String,
    pub code: String,
}

impl IssuedCode {
    pub const CSV_HEADER: [&'static str; 4] = ["role", "name", "login", "activation_code"];

    /// The code as a row of a CSV file a school opens in a spreadsheet: a cell that begins like a
    /// formula (`=`, `+`, `-`, `@`, tab, carriage return) is written with a leading `'`, so a name
    /// in the roster cannot run as a formula on the secretary's computer.
    pub fn csv_record(&self) -> [String; 4] {
        [self.role, &self.name, &self.login, &self.code].map(spreadsheet_safe)
    }
}

/// A cell a spreadsheet shows as text (OWASP's CSV-injection advice).
pub fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

/// Problems in the caller's language.
pub fn problems_dto(problems: &[RowProblem]) -> Vec<RowProblemDto> {
    let lang = current_lang();
    problems
        .iter()
        .map(|p| RowProblemDto {
            row: p.row,
            column: p.column,
            code: p.code,
            message: p.message.in_lang(lang).to_owned(),
        })
        .collect()
}

fn serialize_problems<S: serde::Serializer>(problems: &[RowProblem], serializer: S) -> Result<S::Ok, S::Error> {
    problems_dto(problems).serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_looks_like_a_formula_is_written_as_text() {
        let code = IssuedCode {
            role: "guardian",
            name: "=HYPERLINK(\"x\")".into(),
            login: "+8613800000000".into(),
            code: "AB12".into(),
        };
        assert_eq!(code.csv_record(), ["guardian", "'=HYPERLINK(\"x\")", "'+8613800000000", "AB12"]);
        assert_eq!(spreadsheet_safe("张伟"), "张伟");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
    }
}
