//! The dashboard's complaints section: complaints filed in each school's period, by school and
//! category (families: suppressed under `k`), the handlers' response and closure times, and what
//! is overdue now. A school's own view counts only what the bureau forwarded to it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::super::dto::{CategoryComplaints, ComplaintsSection, SchoolComplaints};
use super::super::suppression::{count, suppress_line};
use super::line;
use crate::complaints::model::{Category, Status, complaint};
use crate::error::ApiResult;
use crate::org::model::school;
use crate::state::AppState;

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| (values.iter().sum::<f64>() / values.len() as f64 * 10.0).round() / 10.0)
}

pub async fn section(
    state: &AppState,
    district_id: Uuid,
    schools: &[school::Model],
    periods: &[(NaiveDate, NaiveDate)],
    k: u64,
    forwarded_only: bool,
) -> ApiResult<ComplaintsSection> {
    let now = state.clock.now();
    // Each school's period as instants of its own days; the district's read spans them all.
    let spans: Vec<_> = schools.iter().zip(periods).map(|(s, (from, to))| s.dates_as_instants(*from, *to)).collect();
    let (since, until) = super::span_of(spans.iter().copied()).unwrap_or((now, now));
    let (mut filed, mut overdue) =
        crate::complaints::service::for_figures(&state.db, district_id, (since, until), now).await?;
    if forwarded_only {
        // What a school may know of: the complaints sent to it, and those overdue while with it.
        let sent = crate::complaints::service::forwarded_among(&state.db, filed.iter().map(|c| c.id).collect()).await?;
        filed.retain(|c| sent.contains(&c.id));
        overdue.retain(|c| c.status == Status::Forwarded);
    }
    let of_school = |i: usize| -> Vec<&complaint::Model> {
        let (a, b) = spans[i];
        filed.iter().filter(|c| c.school_id == schools[i].id && c.created_at >= a && c.created_at < b).collect()
    };
    let per_school: Vec<Vec<&complaint::Model>> = (0..schools.len()).map(of_school).collect();
    let received: Vec<u64> = per_school.iter().map(|c| c.len() as u64).collect();
    let closed: Vec<u64> =
        per_school.iter().map(|c| c.iter().filter(|c| c.status == Status::Closed).count() as u64).collect();
    let (received_cells, received_total) = line(&received, k);
    let closed_hidden = suppress_line(&closed, k, false);
    let rows = schools
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let hours: Vec<f64> = per_school[i]
                .iter()
                .filter_map(|c| c.first_response_at.map(|at| (at - c.created_at).num_minutes() as f64 / 60.0))
                .collect();
            let days: Vec<f64> = per_school[i]
                .iter()
                .filter_map(|c| c.closed_at.map(|at| (at - c.created_at).num_minutes() as f64 / 1440.0))
                .collect();
            SchoolComplaints {
                school_id: s.id,
                school_name: s.name.clone(),
                received: received_cells[i],
                closed: count(closed[i], closed_hidden[i] || received_cells[i].suppressed),
                mean_hours_to_first_response: mean(&hours),
                mean_days_to_closure: mean(&days),
                overdue_now: overdue.iter().filter(|c| c.school_id == s.id).count() as u64,
            }
        })
        .collect();
    let mut by_category: BTreeMap<Category, u64> = BTreeMap::new();
    for c in per_school.iter().flatten() {
        *by_category.entry(c.category).or_default() += 1;
    }
    let (categories, counts): (Vec<Category>, Vec<u64>) = by_category.into_iter().unzip();
    let (category_cells, _) = line(&counts, k);
    Ok(ComplaintsSection {
        available: true,
        schools: rows,
        by_category: categories
            .into_iter()
            .zip(category_cells)
            .map(|(category, received)| CategoryComplaints { category, received })
            .collect(),
        received: received_total,
        overdue_now: overdue.len() as u64,
    })
}
