//! The district dashboard: each school's figures read through the domains' service APIs, then
//! every people count and share passed through [`super::suppression`] before the answer is built.

use chrono::NaiveDate;
use uuid::Uuid;

use super::dto::{
    DashboardQuery, DistrictDashboard, ParentSchoolSection, PendingSection, ReachSection, SchoolParentSchool,
    SchoolReach, StageRate,
};
use super::suppression::{self, DEFAULT_K, count, percent, suppress_line};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::parent_school::dto::FiguresQuery;
use crate::state::AppState;

fn pending(note: &str) -> PendingSection {
    PendingSection { available: false, message: note.into() }
}

/// A line of per-school counts with its published total, suppressed together.
fn line(counts: &[u64], k: u64) -> (Vec<suppression::Count>, suppression::Count) {
    let hidden = suppress_line(counts, k, true);
    let cells = counts.iter().zip(&hidden).map(|(c, h)| count(*c, *h)).collect();
    let total: u64 = counts.iter().sum();
    (cells, count(total, total > 0 && total < k))
}

/// The district's dashboard (its bureau officers): aggregates only, small cells suppressed.
pub async fn dashboard(
    state: &AppState,
    caller: &Caller,
    district_id: Uuid,
    query: DashboardQuery,
) -> ApiResult<DistrictDashboard> {
    let officer = access::bureau_officer_of(&state.db, caller, district_id).await?;
    let period: Option<(NaiveDate, NaiveDate)> = match (query.from, query.to) {
        (Some(from), Some(to)) => Some((from, to)),
        (None, None) => None,
        _ => return Err(ApiError::validation("from", "请同时给出 from 和 to。", "Give both from and to.")),
    };
    let k = DEFAULT_K;
    let schools = crate::org::repo::schools_of_district(&state.db, officer.district_id()).await?;

    // Reach: guardians provisioned and activated, per school.
    let mut guardians = Vec::new();
    let mut activated = Vec::new();
    for school in &schools {
        let (all, active) = crate::org::repo::guardian_counts(&state.db, vec![school.id]).await?;
        guardians.push(all);
        activated.push(active);
    }
    let (guardian_cells, guardian_total) = line(&guardians, k);
    let (active_cells, active_total) = line(&activated, k);
    let reach = ReachSection {
        schools: schools
            .iter()
            .enumerate()
            .map(|(i, s)| SchoolReach {
                school_id: s.id,
                school_name: s.name.clone(),
                guardians: guardian_cells[i],
                activated: active_cells[i],
                activated_percent: percent(activated[i], guardians[i], k, active_cells[i].suppressed),
            })
            .collect(),
        guardians: guardian_total,
        activated: active_total,
        activated_percent: percent(activated.iter().sum(), guardians.iter().sum(), k, false),
    };

    // The parent school, from each school's own figures.
    let mut figures = Vec::new();
    for school in &schools {
        let q = FiguresQuery { from: period.map(|p| p.0), to: period.map(|p| p.1) };
        figures.push(crate::parent_school::service::figures::figures_of(state, school, q).await?);
    }
    let families: Vec<u64> = figures.iter().map(|f| u64::from(f.participation.families)).collect();
    let took_part: Vec<u64> = figures.iter().map(|f| u64::from(f.participation.took_part)).collect();
    let (family_cells, family_total) = line(&families, k);
    let (part_cells, part_total) = line(&took_part, k);
    let parent_school = ParentSchoolSection {
        schools: schools
            .iter()
            .zip(&figures)
            .enumerate()
            .map(|(i, (s, f))| SchoolParentSchool {
                school_id: s.id,
                school_name: s.name.clone(),
                families: family_cells[i],
                took_part: part_cells[i],
                participation: percent(took_part[i], families[i], k, part_cells[i].suppressed),
                meetings_held: f.meetings.iter().filter(|m| m.start <= state.clock.now()).count() as u32,
                duty_met: f.duty.met,
                graduation: f
                    .graduation
                    .iter()
                    .map(|g| StageRate {
                        stage: g.stage,
                        rule_version: g.rule_version,
                        graduated: percent(u64::from(g.met), u64::from(g.families), k, false),
                    })
                    .collect(),
            })
            .collect(),
        families: family_total,
        took_part: part_total,
        participation: percent(took_part.iter().sum(), families.iter().sum(), k, false),
        schools_meeting_duty: figures.iter().filter(|f| f.duty.met).count() as u32,
    };

    Ok(DistrictDashboard {
        district_id,
        from: period.map(|p| p.0),
        to: period.map(|p| p.1),
        k,
        reach,
        homework: pending("作业监测数据尚未接入看板 / Homework figures are not on the dashboard yet."),
        afterschool: pending("课后服务数据尚未接入看板 / After-school figures are not on the dashboard yet."),
        mentoring: pending("导师制数据尚未接入看板 / Mentoring figures are not on the dashboard yet."),
        parent_school,
        complaints: pending("投诉渠道尚未开通 / The complaints channel is not open yet."),
    })
}
