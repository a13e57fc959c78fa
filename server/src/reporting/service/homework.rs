//! The dashboard's homework section (`HW_MONITOR`): each school's grades from
//! [`crate::homework::monitor`], and the district's refused sends from the guard's counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::super::dto::{GradeHomework, HomeworkSection, RefusedSends, SchoolHomework};
use super::super::suppression::{count, share};
use crate::error::ApiResult;
use crate::guard::dto::Outcome;
use crate::homework::monitor;
use crate::org::model::school;
use crate::state::AppState;

/// Tenths of a minute per report.
fn per_report(minutes: u64, reports: u64) -> Option<f64> {
    (reports > 0).then(|| (minutes as f64 * 10.0 / reports as f64).round() / 10.0)
}

fn grade_row(g: &monitor::GradeMonitor, k: u64) -> GradeHomework {
    // k counts families, not their reports.
    let few = g.reporting_families < k;
    GradeHomework {
        grade: g.grade,
        stage: g.stage,
        cap_minutes: g.cap_minutes,
        class_days: g.class_days,
        average_daily_written_minutes: g.average_daily_written_minutes,
        within_cap_percent: share(u64::from(g.class_days_within_cap), u64::from(g.class_days)),
        class_days_with_written: (g.grade <= 2).then_some(g.class_days_with_written_g12),
        reports: count(g.reports, few && g.reports > 0),
        reported_average_minutes: if few { None } else { per_report(g.reported_minutes, g.reports) },
        estimated_average_minutes: if few { None } else { per_report(g.estimated_minutes_of_reported, g.reports) },
    }
}

/// `periods[i]` is the dates counted for `schools[i]` (already clipped to today).
pub async fn section(
    state: &AppState,
    district_id: uuid::Uuid,
    schools: &[school::Model],
    periods: &[(NaiveDate, NaiveDate)],
    (k, tolerance): (u64, f64),
) -> ApiResult<HomeworkSection> {
    let db = &state.db;
    let caps = crate::homework::repo::caps(db, district_id).await?;
    let (first, last) =
        (periods.iter().map(|p| p.0).min().unwrap_or_default(), periods.iter().map(|p| p.1).max().unwrap_or_default());
    let blocks: Vec<_> = if first <= last {
        crate::guard::repo::counts(db, district_id, first, last)
            .await?
            .into_iter()
            .filter(|b| b.outcome == Outcome::Blocked)
            .collect()
    } else {
        Vec::new()
    };
    let asked: Vec<_> = schools.iter().zip(periods).map(|(s, (from, to))| (s, *from, *to)).collect();
    let monitored = monitor::of_schools(state, &asked, caps).await?;
    let mut rows = Vec::new();
    for ((school, &(from, to)), grades) in schools.iter().zip(periods).zip(monitored) {
        let class_days: u32 = grades.iter().map(|g| g.class_days).sum();
        let within: u32 = grades.iter().map(|g| g.class_days_within_cap).sum();
        let refused = blocks
            .iter()
            .filter(|b| b.school_id == Some(school.id) && b.date >= from && b.date <= to)
            .map(|b| b.count.max(0) as u64)
            .sum();
        rows.push(SchoolHomework {
            school_id: school.id,
            school_name: school.name.clone(),
            from,
            to,
            class_days,
            over_cap_class_days: class_days - within,
            within_cap_percent: share(u64::from(within), u64::from(class_days)),
            short_of_target: share(u64::from(class_days - within), u64::from(class_days))
                .is_some_and(|over| over > tolerance),
            g12_class_days_with_written: grades.iter().map(|g| g.class_days_with_written_g12).sum(),
            refused_sends: refused,
            grades: grades.iter().map(|g| grade_row(g, k)).collect(),
        });
    }
    let mut by_rule: BTreeMap<(String, String), u64> = BTreeMap::new();
    for b in &blocks {
        *by_rule.entry((b.rule.clone(), b.channel.clone())).or_default() += b.count.max(0) as u64;
    }
    let class_days: u32 = rows.iter().map(|r| r.class_days).sum();
    let over: u32 = rows.iter().map(|r| r.over_cap_class_days).sum();
    Ok(HomeworkSection {
        available: true,
        schools_over_cap: rows.iter().filter(|r| r.short_of_target).count() as u32,
        class_days,
        within_cap_percent: share(u64::from(class_days - over), u64::from(class_days)),
        refused_sends: by_rule
            .into_iter()
            .map(|((rule, channel), count)| RefusedSends { rule, channel, count })
            .collect(),
        schools: rows,
    })
}
