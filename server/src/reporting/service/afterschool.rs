//! The dashboard's after-school section: each school's figures from
//! [`crate::afterschool::service::figures`], people counts suppressed across the district's line.

use chrono::NaiveDate;

use super::super::dto::{AfterschoolSection, CategoryCount, ProviderCount, SchoolAfterschool};
use super::super::suppression::{count, percent};
use super::line;
use crate::afterschool::service::figures::{AfterschoolFigures, figures_of_schools};
use crate::error::ApiResult;
use crate::org::model::school;
use crate::state::AppState;

/// `periods[i]` is the roll's dates for `schools[i]`; each school's plan is the one covering its
/// today.
pub async fn section(
    state: &AppState,
    schools: &[school::Model],
    periods: &[(NaiveDate, NaiveDate)],
    k: u64,
) -> ApiResult<AfterschoolSection> {
    let now = state.clock.now();
    let asked: Vec<_> = schools.iter().zip(periods).map(|(s, period)| (s, s.local_date(now), *period)).collect();
    let figures: Vec<Option<AfterschoolFigures>> = figures_of_schools(state, &asked).await?;
    let pick =
        |f: fn(&AfterschoolFigures) -> u64| -> Vec<u64> { figures.iter().map(|x| x.as_ref().map_or(0, f)).collect() };
    let mut by_school =
        crate::org::repo::student_counts_by_school(&state.db, schools.iter().map(|s| s.id).collect()).await?;
    let students: Vec<u64> = schools.iter().map(|s| by_school.remove(&s.id).unwrap_or(0)).collect();
    let in_basic = pick(|f| f.in_basic);
    let five = pick(|f| f.all_five_days);
    let electives = pick(|f| f.in_electives);
    let (student_cells, student_total) = line(&students, k);
    let (basic_cells, basic_total) = line(&in_basic, k);
    let (elective_cells, _) = line(&electives, k);
    let rows = schools
        .iter()
        .zip(&figures)
        .enumerate()
        .map(|(i, (school, f))| {
            // k counts families, not their ratings.
            let rated = f.as_ref().map_or(0, |f| f.rating_families);
            SchoolAfterschool {
                school_id: school.id,
                school_name: school.name.clone(),
                plan_published: f.is_some(),
                breaches: f.as_ref().map_or_else(Vec::new, |f| f.breaches.iter().map(|b| (*b).to_owned()).collect()),
                students: student_cells[i],
                in_basic: basic_cells[i],
                basic_percent: percent(
                    in_basic[i],
                    students[i],
                    k,
                    basic_cells[i].suppressed || student_cells[i].suppressed,
                ),
                all_five_days_percent: percent(five[i], in_basic[i], k, basic_cells[i].suppressed),
                in_electives: elective_cells[i],
                electives_percent: percent(
                    electives[i],
                    students[i],
                    k,
                    elective_cells[i].suppressed || student_cells[i].suppressed,
                ),
                attendance_percent: f
                    .as_ref()
                    .map_or_else(|| percent(0, 0, k, false), |f| percent(f.present, f.roll_entries, k, false)),
                teachers: f.as_ref().map_or(0, |f| f.teachers),
                teachers_in_charge: f.as_ref().map_or(0, |f| f.teachers_in_charge),
                by_category: f.as_ref().map_or_else(Vec::new, |f| {
                    f.by_category.iter().map(|(c, n)| CategoryCount { category: *c, activities: *n }).collect()
                }),
                by_provider: f.as_ref().map_or_else(Vec::new, |f| {
                    f.by_provider.iter().map(|(p, n)| ProviderCount { provider: *p, activities: *n }).collect()
                }),
                satisfaction: f.as_ref().filter(|_| rated >= k).and_then(AfterschoolFigures::satisfaction),
                ratings: count(rated, rated > 0 && rated < k),
            }
        })
        .collect();
    Ok(AfterschoolSection {
        available: true,
        schools: rows,
        schools_with_plan: figures.iter().filter(|f| f.is_some()).count() as u32,
        schools_compliant: figures.iter().flatten().filter(|f| f.breaches.is_empty()).count() as u32,
        students: student_total,
        in_basic: basic_total,
        basic_percent: percent(in_basic.iter().sum(), students.iter().sum(), k, false),
        all_five_days_percent: percent(five.iter().sum(), in_basic.iter().sum(), k, false),
    })
}
