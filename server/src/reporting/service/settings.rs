//! The settings a district's bureau keeps for its reporting: the small-cell threshold k every
//! figure is suppressed by, and the targets its half-monthly bulletin measures schools against.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::super::bulletin::BulletinTargets;
use super::super::bulletin::MAX_COMPLAINTS_OVERDUE;
use super::super::dto::ReportingSettings;
use super::super::model::settings;
use super::super::suppression::{DEFAULT_K, MAX_K, MIN_K};
use crate::access::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

impl ReportingSettings {
    pub fn targets(&self) -> BulletinTargets {
        BulletinTargets {
            homework_over_cap_percent: self.homework_over_cap_percent,
            complaints_overdue: self.complaints_overdue,
            mentoring_behind_points: self.mentoring_behind_points,
        }
    }
}

impl Default for ReportingSettings {
    fn default() -> Self {
        let targets = BulletinTargets::default();
        Self {
            k: DEFAULT_K as u16,
            homework_over_cap_percent: targets.homework_over_cap_percent,
            complaints_overdue: targets.complaints_overdue,
            mentoring_behind_points: targets.mentoring_behind_points,
        }
    }
}

/// The district's settings (the defaults until its bureau sets them).
pub async fn of(db: &impl ConnectionTrait, district_id: Uuid) -> ApiResult<ReportingSettings> {
    Ok(settings::Entity::find_by_id(district_id).one(db).await?.map_or_else(ReportingSettings::default, |row| {
        ReportingSettings {
            k: (row.k.max(0) as u16).clamp(MIN_K as u16, MAX_K as u16),
            homework_over_cap_percent: row.homework_over_cap_percent.clamp(0, 100) as u8,
            complaints_overdue: row.complaints_overdue.max(0) as u16,
            mentoring_behind_points: row.mentoring_behind_points.clamp(0, 100) as u8,
        }
    }))
}

/// The district's settings (its officers).
pub async fn get(state: &AppState, caller: &Caller, district_id: Uuid) -> ApiResult<ReportingSettings> {
    access::bureau_officer_of(&state.db, caller, district_id).await?;
    of(&state.db, district_id).await
}

/// The district's officers set k (from the next figures on) and the bulletin's targets (from the
/// next bulletin on).
pub async fn set(
    state: &AppState,
    caller: &Caller,
    district_id: Uuid,
    req: ReportingSettings,
) -> ApiResult<ReportingSettings> {
    if u64::from(req.k) < MIN_K || u64::from(req.k) > MAX_K {
        return Err(ApiError::validation(
            "k",
            format!("k 为 {MIN_K} 至 {MAX_K}：少于 {MIN_K} 人的数字足以认出个人。"),
            format!("k is {MIN_K} to {MAX_K}: a figure of fewer than {MIN_K} people can point at a person."),
        ));
    }
    if req.homework_over_cap_percent > 100 {
        return Err(ApiError::validation("homework_over_cap_percent", "0 至 100。", "0 to 100."));
    }
    if req.mentoring_behind_points > 100 {
        return Err(ApiError::validation("mentoring_behind_points", "0 至 100。", "0 to 100."));
    }
    if req.complaints_overdue > MAX_COMPLAINTS_OVERDUE {
        return Err(ApiError::validation("complaints_overdue", "0 至 1000。", "0 to 1000."));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    access::bureau_officer_of(&txn, caller, district_id).await?;
    let row = settings::ActiveModel {
        district_id: Set(district_id),
        k: Set(req.k as i16),
        homework_over_cap_percent: Set(i16::from(req.homework_over_cap_percent)),
        complaints_overdue: Set(req.complaints_overdue as i16),
        mentoring_behind_points: Set(i16::from(req.mentoring_behind_points)),
        updated_at: Set(state.clock.now()),
    };
    // Figures computed under the old k or targets are not served again (`snapshot::fresh` also
    // checks k, for a refresh that was under way while this committed).
    super::snapshot::forget(&txn, district_id).await?;
    settings::Entity::insert(row)
        .on_conflict(
            OnConflict::column(settings::Column::DistrictId)
                .update_columns([
                    settings::Column::K,
                    settings::Column::HomeworkOverCapPercent,
                    settings::Column::ComplaintsOverdue,
                    settings::Column::MentoringBehindPoints,
                    settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(req)
}
