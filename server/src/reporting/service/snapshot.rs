//! The district dashboard's default view (each school's current term), precomputed.
//!
//! Computed live, a district of 100 schools and a term of data takes seconds (every homework
//! item, report and roll entry of the term is summed); the bureau opens the same view many times a
//! day and its figures move by the day. So a job recomputes each district's view every
//! `dashboard_refresh_secs` (one instance per round, under the job lock) and the dashboard serves
//! it while it is younger than twice that, saying when it was computed (`as_of`). A period asked
//! for, a snapshot too old, one under another k or without a school the district has now: computed
//! live, as before. The complaints section is never stored: it is counted at each read.
//!
//! Precomputing the whole view rather than maintaining per-class-day aggregates on every write:
//! the view reads five domains' tables, and one job beside them keeps every write path as it is.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::super::model::{settings as reporting_settings, snapshot};
use super::{Figures, dates_of, figures, settings};
use crate::error::{ApiError, ApiResult};
use crate::org::model::{district, school};
use crate::state::AppState;

/// The district's stored view, if it may be served now: computed under this `k`, younger than
/// twice the refresh interval, and over exactly these schools.
pub async fn fresh(
    state: &AppState,
    district_id: Uuid,
    schools: &[school::Model],
    k: u64,
) -> ApiResult<Option<(Figures, DateTime<Utc>)>> {
    let max_age = chrono::Duration::seconds(state.settings.dashboard_refresh_secs.saturating_mul(2) as i64);
    if max_age.is_zero() {
        return Ok(None);
    }
    let Some(row) = snapshot::Entity::find_by_id(district_id).one(&state.db).await? else { return Ok(None) };
    let now = state.clock.now();
    if u64::try_from(row.k).ok() != Some(k) || row.computed_at > now || now - row.computed_at > max_age {
        return Ok(None);
    }
    // Settings saved since (k, the over-cap target) make it stale, even one a refresh under way
    // wrote after they dropped the snapshot.
    let changed = reporting_settings::Entity::find_by_id(district_id).one(&state.db).await?.map(|s| s.updated_at);
    if changed.is_some_and(|at| at >= row.computed_at) {
        return Ok(None);
    }
    let figures: Figures = match serde_json::from_str(&row.content) {
        Ok(figures) => figures,
        Err(error) => {
            // Written by another version of the server: compute live until the next refresh.
            tracing::warn!(%district_id, "dashboard snapshot unreadable ({error}); computing live");
            return Ok(None);
        }
    };
    let same_schools = figures.reach.schools.len() == schools.len()
        && figures.reach.schools.iter().zip(schools).all(|(row, school)| row.school_id == school.id);
    Ok(same_schools.then_some((figures, row.computed_at)))
}

/// Recomputes the district's view and stores it; `false` for a district without schools.
pub async fn refresh(state: &AppState, district_id: Uuid) -> ApiResult<bool> {
    let db = &state.db;
    let schools = crate::org::repo::schools_of_district(db, district_id).await?;
    if schools.is_empty() {
        return Ok(false);
    }
    // The figures are at least as new as the moment their reads began.
    let computed_at = state.clock.now();
    let settings = settings::of(db, district_id).await?;
    let (k, tolerance) = (u64::from(settings.k), f64::from(settings.homework_over_cap_percent));
    let to_date = dates_of(state, &schools, None).await?;
    let figures = figures(state, district_id, &schools, None, &to_date, (k, tolerance)).await?;
    let row = snapshot::ActiveModel {
        district_id: Set(district_id),
        k: Set(settings.k as i16),
        content: Set(serde_json::to_string(&figures).map_err(ApiError::internal)?),
        computed_at: Set(computed_at),
    };
    // One statement: a district's snapshot is replaced whole or not at all.
    snapshot::Entity::insert(row)
        .on_conflict(
            OnConflict::column(snapshot::Column::DistrictId)
                .update_columns([snapshot::Column::K, snapshot::Column::Content, snapshot::Column::ComputedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(true)
}

/// Recomputes every district's view, one district at a time (a district that fails is logged and
/// keeps its last snapshot, which ages out); how many were stored.
pub async fn refresh_all(state: &AppState) -> ApiResult<u64> {
    let mut stored = 0;
    for d in district::Entity::find().all(&state.db).await? {
        match refresh(state, d.id).await {
            Ok(true) => stored += 1,
            Ok(false) => {}
            Err(error) => tracing::error!(district_id = %d.id, "refreshing the dashboard snapshot failed: {error}"),
        }
    }
    Ok(stored)
}

/// Drops the district's view (its settings changed): reads compute live until the next refresh.
pub async fn forget(db: &impl ConnectionTrait, district_id: Uuid) -> ApiResult<()> {
    snapshot::Entity::delete_by_id(district_id).exec(db).await?;
    Ok(())
}
