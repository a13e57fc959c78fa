//! Trends: the period figures of the dashboard (homework against the cap, complaints filed,
//! parent-school participation, refused sends) over the last N weeks, half-months or months, per
//! school and for the whole.
//! Figures that are a state rather than a count over a period (activation, coverage, a plan) have
//! no trend here: their history is not kept.

use super::super::dto::{SchoolTrend, TrendPeriod, TrendQuery, Trends};
use super::super::suppression::{Percent, count, percent, share, suppress_line, suppress_table};
use super::super::trends::{self, DEFAULT_PERIODS, MAX_PERIODS};
use super::{Scope, resolve, span_of};
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::guard::dto::Outcome;
use crate::homework::monitor;
use crate::state::AppState;

pub async fn trends(state: &AppState, caller: &Caller, scope: Scope, query: TrendQuery) -> ApiResult<Trends> {
    let n = query.periods.unwrap_or(DEFAULT_PERIODS);
    if n == 0 || n > MAX_PERIODS {
        return Err(ApiError::validation("periods", "periods 为 1 至 26。", "periods is 1 to 26."));
    }
    let kind = query.period.unwrap_or_default();
    let db = &state.db;
    let (district_id, schools, focus) = resolve(db, caller, scope).await?;
    let k = u64::from(super::settings::of(db, district_id).await?.k);
    let district = crate::org::repo::district(db, district_id).await?.ok_or_else(ApiError::not_found)?;
    let periods = trends::last(kind, n, district.local_date(state.clock.now()));
    let (first, last) = (periods[0].0, periods[periods.len() - 1].1);
    let caps = crate::homework::repo::caps(db, district_id).await?;

    // Homework: class-days within the cap, per school and period.
    let mut within = vec![Vec::new(); schools.len()];
    for &(from, to) in &periods {
        let asked: Vec<_> = schools.iter().map(|s| (s, from, to)).collect();
        for (row, grades) in within.iter_mut().zip(monitor::of_schools(state, &asked, caps).await?) {
            let days: u32 = grades.iter().map(|g| g.class_days).sum();
            row.push((grades.iter().map(|g| g.class_days_within_cap).sum::<u32>(), days));
        }
    }

    // Complaints filed, per school and period (each school's own days).
    let (since, until) = span_of(schools.iter().map(|s| s.dates_as_instants(first, last))).unwrap_or_default();
    let (filed, _) =
        crate::complaints::service::for_figures(db, district_id, (since, until), state.clock.now()).await?;
    let cells: Vec<Vec<u64>> = schools
        .iter()
        .map(|s| {
            periods
                .iter()
                .map(|(from, to)| {
                    let (a, b) = s.dates_as_instants(*from, *to);
                    filed.iter().filter(|c| c.school_id == s.id && c.created_at >= a && c.created_at < b).count() as u64
                })
                .collect()
        })
        .collect();
    let hidden = suppress_table(&cells, k);
    let totals: Vec<u64> = (0..periods.len()).map(|p| cells.iter().map(|row| row[p]).sum()).collect();
    let total_hidden = suppress_line(&totals, k, false);

    // Parent-school participation, per school and period: families taking part of the school's
    // families. The families are a state (one line across schools); those taking part a table.
    let participation =
        crate::parent_school::service::figures::participation_by_period(state, &schools, &periods).await?;
    let families: Vec<u64> = participation.iter().map(|(f, _)| *f).collect();
    let families_hidden = suppress_line(&families, k, true);
    let took_part: Vec<Vec<u64>> = participation.iter().map(|(_, t)| t.clone()).collect();
    let took_hidden = suppress_table(&took_part, k);
    let participation_rows: Vec<Vec<Percent>> = (0..schools.len())
        .map(|i| {
            (0..periods.len())
                .map(|p| percent(took_part[i][p], families[i], k, took_hidden[i][p] || families_hidden[i]))
                .collect()
        })
        .collect();
    let participation_whole: Vec<Percent> = (0..periods.len())
        .map(|p| percent(took_part.iter().map(|row| row[p]).sum(), families.iter().sum(), k, false))
        .collect();

    let blocks = crate::guard::repo::counts(db, district_id, first, last).await?;
    let refused = periods
        .iter()
        .map(|(from, to)| {
            blocks
                .iter()
                .filter(|b| b.outcome == Outcome::Blocked && b.date >= *from && b.date <= *to)
                .filter(|b| focus.is_none() || b.school_id == focus)
                .map(|b| b.count.max(0) as u64)
                .sum()
        })
        .collect();

    let mut rows: Vec<SchoolTrend> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| SchoolTrend {
            school_id: s.id,
            school_name: s.name.clone(),
            homework_within_cap_percent: within[i].iter().map(|(w, d)| share(u64::from(*w), u64::from(*d))).collect(),
            over_cap_class_days: within[i].iter().map(|(w, d)| d - w).collect(),
            complaints_received: cells[i].iter().zip(&hidden[i]).map(|(c, h)| count(*c, *h)).collect(),
            parent_school_participation: participation_rows[i].clone(),
        })
        .collect();
    let mut ranking: Vec<(Option<f64>, usize)> =
        rows.iter().enumerate().map(|(i, r)| (r.homework_within_cap_percent.last().copied().flatten(), i)).collect();
    // Least compliant first; schools without class-days last.
    ranking.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    let mut trends = Trends {
        district_id,
        period: kind,
        k,
        homework_within_cap_percent: (0..periods.len())
            .map(|p| {
                let (w, d) = within
                    .iter()
                    .fold((0u64, 0u64), |acc, row| (acc.0 + u64::from(row[p].0), acc.1 + u64::from(row[p].1)));
                share(w, d)
            })
            .collect(),
        complaints_received: totals.iter().zip(&total_hidden).map(|(c, h)| count(*c, *h)).collect(),
        parent_school_participation: participation_whole,
        refused_sends: refused,
        ranking: ranking.iter().map(|(_, i)| rows[*i].school_id).collect(),
        schools: Vec::new(),
        periods: periods.iter().map(|(from, to)| TrendPeriod { from: *from, to: *to }).collect(),
    };
    // One school's trend: computed over the district (its cells suppressed as there), then its
    // row alone, and the whole as its own.
    if let Some(id) = focus {
        rows.retain(|r| r.school_id == id);
        if let Some(r) = rows.first() {
            trends.homework_within_cap_percent = r.homework_within_cap_percent.clone();
            trends.complaints_received = r.complaints_received.clone();
            trends.parent_school_participation = r.parent_school_participation.clone();
        }
        trends.ranking = vec![id];
    }
    trends.schools = rows;
    Ok(trends)
}
