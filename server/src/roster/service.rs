//! Importing rosters: upsert by staff number / student number / guardian phone, all-or-nothing in
//! one transaction, with a report of what changed. Re-importing the same file changes nothing.
//!
//! The service parses the file ([`super::parse`]), loads what exists ([`super::repo`]), lets
//! [`super::plan`] decide every change without I/O, and writes the plan in the same transaction.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

pub use super::plan::ImportOptions;
use super::{parse, plan, repo};
use crate::access::SchoolAdmin;
use crate::roster::dto::{ImportReport, RosterKind};
use crate::roster::error::RosterError;

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

pub async fn import(
    db: &DatabaseConnection,
    target: ImportTarget,
    kind: RosterKind,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport, RosterError> {
    let started = std::time::Instant::now();
    let school_id = target.school_id;
    let text = parse::decode(bytes).map_err(|p| RosterError::Invalid(vec![p]))?;
    if !repo::school_exists(db, school_id).await? {
        return Err(RosterError::UnknownSchool);
    }
    let txn = crate::infra::db::begin(db).await?;
    let plan = match kind {
        RosterKind::Staff => {
            let records = parse::parse_staff(&text).map_err(RosterError::Invalid)?;
            let existing = repo::load_staff(&txn, school_id, &plan::staff_logins(&records)).await?;
            loaded(started, progress, records.len());
            let plan = plan::plan_staff(school_id, &existing, &records, options).map_err(RosterError::Invalid)?;
            progress.advance(records.len() as u64);
            plan
        }
        RosterKind::Students => {
            let records = parse::parse_students(&text).map_err(RosterError::Invalid)?;
            let existing = repo::load_students(&txn, school_id, &plan::guardian_logins(&records)).await?;
            loaded(started, progress, records.len());
            let plan = plan::plan_students(school_id, &existing, &records, options);
            progress.advance(records.len() as u64);
            plan
        }
    };
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: changes planned");
    progress.phase("write", plan.changes.inserts());
    repo::write(&txn, plan.changes, &|rows| progress.advance(rows)).await?;
    txn.commit().await?;
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: written");
    refresh_planner_statistics(db, &plan.report).await;
    Ok(plan.report)
}

fn loaded(started: std::time::Instant, progress: &dyn Progress, rows: usize) {
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "roster: existing rows loaded");
    progress.phase("validate", rows as u64);
}

/// A large import changes table sizes a lot: let PostgreSQL re-plan (see `infra::db::refresh_statistics`).
async fn refresh_planner_statistics(db: &DatabaseConnection, report: &ImportReport) {
    if report.created + report.accounts_created >= crate::infra::db::BULK_ROWS {
        crate::infra::db::refresh_statistics(db, &["accounts", "guardians", "students", "guardianships"]).await;
    }
}
