//! Audiences: which guardians (or staff) a school's or the bureau's item reaches — the whole
//! school, grades, classes, individual guardians — as set-based queries, never a row per round
//! trip (a school-wide notice reaches tens of thousands). Who may address which audience is
//! decided by the sender's domain and [`crate::access`]; this module only resolves it.

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

/// The families a school item reaches.
#[derive(Debug, Clone)]
pub struct FamilyTarget {
    pub school_id: Uuid,
    /// The whole school: informational guardians receive it too.
    pub school_wide: bool,
    pub grades: Vec<i16>,
    pub class_ids: Vec<Uuid>,
    pub guardian_ids: Vec<Uuid>,
    /// A teacher's individually added guardians count only through children in these classes.
    pub guardian_classes: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone)]
pub enum Target {
    Families(FamilyTarget),
    /// Staff of these schools (bureau notices).
    Staff {
        school_ids: Vec<Uuid>,
    },
}

/// `(account, student, class)` of every guardian a family notice reaches, one row per child.
pub fn family_rows(target: &FamilyTarget) -> SelectStatement {
    let access: Vec<&str> = if target.school_wide { SCHOOL_WIDE_ACCESS.to_vec() } else { vec!["full"] };
    let mut reach = Condition::any();
    if !target.school_wide {
        if !target.grades.is_empty() {
            reach = reach.add(Expr::col(("c", "grade")).is_in(target.grades.clone()));
        }
        if !target.class_ids.is_empty() {
            reach = reach.add(Expr::col(("s", "class_id")).is_in(target.class_ids.clone()));
        }
        if !target.guardian_ids.is_empty() {
            let mut individual =
                Condition::all().add(Expr::col(("gs", "guardian_id")).is_in(target.guardian_ids.clone()));
            if let Some(classes) = &target.guardian_classes {
                individual = individual.add(Expr::col(("s", "class_id")).is_in(classes.clone()));
            }
            reach = reach.add(individual);
        }
    }
    // No DISTINCT needed: a guardianship is unique per (student, guardian) and a guardian per account.
    let mut select = Query::select();
    select
        .column(("g", "account_id"))
        .column(("s", "id"))
        .column(("s", "class_id"))
        .from_as("students", "s")
        .join_as(JoinType::InnerJoin, "classes", "c", Expr::col(("c", "id")).equals(("s", "class_id")))
        .join_as(JoinType::InnerJoin, "guardianships", "gs", Expr::col(("gs", "student_id")).equals(("s", "id")))
        .join_as(JoinType::InnerJoin, "guardians", "g", Expr::col(("g", "id")).equals(("gs", "guardian_id")))
        .and_where(Expr::col(("s", "school_id")).eq(target.school_id))
        .and_where(Expr::col(("gs", "access_level")).is_in(access));
    if !target.school_wide {
        select.cond_where(reach);
    }
    select
}

/// Access levels a school-wide item reaches: informational guardians receive it too.
const SCHOOL_WIDE_ACCESS: [&str; 2] = ["full", "informational"];

/// `(school_id, student_id, name)` of the children through whom school-wide items reach an
/// account now: the inbox resolves a school's audience with it when the account reads.
pub fn children_reaching(account_id: Uuid) -> SelectStatement {
    children_reaching_account(Expr::val(account_id))
}

/// [`children_reaching`] for an account given as an expression: a column of an outer query (the
/// event streams' batched read asks it for many accounts at once).
pub fn children_reaching_account(account: impl Into<Expr>) -> SelectStatement {
    Query::select()
        .column(("s", "school_id"))
        .column(("s", "id"))
        .column(("s", "name"))
        .from_as("guardians", "g")
        .join_as(JoinType::InnerJoin, "guardianships", "gs", Expr::col(("gs", "guardian_id")).equals(("g", "id")))
        .join_as(JoinType::InnerJoin, "students", "s", Expr::col(("s", "id")).equals(("gs", "student_id")))
        .and_where(Expr::col(("g", "account_id")).eq(account))
        .and_where(Expr::col(("gs", "access_level")).is_in(SCHOOL_WIDE_ACCESS))
        .to_owned()
}

/// The schools whose school-wide items reach an account now (see [`children_reaching`]).
pub fn schools_reaching(account_id: Uuid) -> SelectStatement {
    let mut schools = children_reaching(account_id);
    schools.clear_selects().column(("s", "school_id"));
    schools
}

/// Accounts of the staff of these schools (bureau notices).
pub fn staff_rows(school_ids: &[Uuid]) -> SelectStatement {
    Query::select()
        .distinct()
        .column(("st", "account_id"))
        .from_as("staff", "st")
        .and_where(Expr::col(("st", "school_id")).is_in(school_ids.to_vec()))
        .to_owned()
}

/// Who an item goes to, as a query a fan-out inserts from.
pub enum Recipients {
    /// Rows of `(account_id, student_id, class_id)`: guardians, one row per child concerned.
    Families(SelectStatement),
    /// Rows of `(account_id)`, distinct: staff.
    Accounts(SelectStatement),
}

/// The recipients of a target.
pub fn recipients(target: &Target) -> Recipients {
    match target {
        Target::Families(families) => Recipients::Families(family_rows(families)),
        Target::Staff { school_ids } => Recipients::Accounts(staff_rows(school_ids)),
    }
}

/// Distinct values of `column` among the rows.
async fn count_distinct(db: &impl ConnectionTrait, rows: SelectStatement, column: &'static str) -> Result<u64, DbErr> {
    let select = Query::select()
        .expr_as(Expr::col(column).count_distinct(), Alias::new("n"))
        .from_subquery(rows, Alias::new("r"))
        .to_owned();
    let row = db.query_one(&select).await?;
    Ok(u64::try_from(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0)).unwrap_or(0))
}

/// How many accounts a target reaches.
pub async fn count_accounts(db: &impl ConnectionTrait, target: &Target) -> Result<u64, DbErr> {
    let rows = match target {
        Target::Families(families) => family_rows(families),
        Target::Staff { school_ids } => staff_rows(school_ids),
    };
    count_distinct(db, rows, "account_id").await
}

/// Whether a target reaches anyone at all (one row read, however large the audience).
pub async fn reaches_anyone(db: &impl ConnectionTrait, target: &Target) -> Result<bool, DbErr> {
    let mut rows = match target {
        Target::Families(families) => family_rows(families),
        Target::Staff { school_ids } => staff_rows(school_ids),
    };
    Ok(db.query_one(rows.limit(1)).await?.is_some())
}

/// How many accounts and children a target reaches, without sending anything.
pub async fn count_reach(db: &impl ConnectionTrait, target: &Target) -> Result<(u64, u64), DbErr> {
    let accounts = count_accounts(db, target).await?;
    let children = match target {
        Target::Families(families) => count_distinct(db, family_rows(families), "id").await?,
        Target::Staff { .. } => 0,
    };
    Ok((accounts, children))
}
