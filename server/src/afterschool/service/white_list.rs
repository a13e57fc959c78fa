//! The district's white list of outside institutions (`AS_PROVIDERS`): the bureau lists an
//! institution with its validity dates, renews or removes it; the district's school admins read it
//! to name an institution for an activity; an entry that expires or is removed flags its
//! activities to their schools (their `provider_standing`, and an inbox item at removal).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::super::dto::{ListProvider, RenewProvider, WhiteList, WhiteListEntry};
use super::super::error::AfterschoolError;
use super::super::model::{ProviderStanding, provider};
use super::super::{repo, rules};
use super::required_text;
use crate::access::{self, BureauOfficer, Caller};
use crate::error::{ApiError, ApiResult};
use crate::inbox::items;
use crate::inbox::model::ItemKind;
use crate::org::model::NAME_MAX_CHARS;
use crate::state::AppState;

/// 统一社会信用代码: 18 digits or capital letters.
pub const CREDIT_CODE: &str = r"^[0-9A-Z]{18}$";
/// The longest listing the bureau grants at once (five years).
pub const MAX_LISTING_DAYS: i64 = 5 * 366;

/// The standing's name in the API (`details.standing` of an `as_providers` refusal).
fn standing_name(standing: ProviderStanding) -> &'static str {
    match standing {
        ProviderStanding::Listed => "listed",
        ProviderStanding::NotYetValid => "not_yet_valid",
        ProviderStanding::Expired => "expired",
        ProviderStanding::Removed => "removed",
    }
}

/// Where an entry stands on `today`.
pub fn standing(row: &provider::Model, today: NaiveDate) -> ProviderStanding {
    rules::provider_standing(row.valid_from, row.valid_until, row.removed_at.is_some(), today)
}

fn entry_view(row: &provider::Model, today: NaiveDate, activities: usize) -> WhiteListEntry {
    WhiteListEntry {
        id: row.id,
        district_id: row.district_id,
        name: row.name.clone(),
        credit_code: row.credit_code.clone(),
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        removed_at: row.removed_at,
        standing: standing(row, today),
        activities: activities as u32,
    }
}

fn validity(from: NaiveDate, until: NaiveDate) -> Result<(), AfterschoolError> {
    if !(0..=MAX_LISTING_DAYS).contains(&(until - from).num_days()) {
        return Err(AfterschoolError::invalid(
            "valid_until",
            format!("有效期须在开始日期之后，且不超过 {MAX_LISTING_DAYS} 天。"),
            format!("The listing ends on or after its start and lasts at most {MAX_LISTING_DAYS} days."),
        ));
    }
    Ok(())
}

async fn today_in(db: &impl sea_orm::ConnectionTrait, district_id: Uuid, now: DateTime<Utc>) -> ApiResult<NaiveDate> {
    let district = crate::org::repo::district(db, district_id).await?.ok_or_else(ApiError::not_found)?;
    Ok(district.local_date(now))
}

/// The district's white list with each entry's standing today, for its officers and the admins
/// of its schools.
pub async fn list(state: &AppState, caller: &Caller, district_id: Uuid) -> ApiResult<WhiteList> {
    let db = &state.db;
    access::district_reader(db, caller, district_id).await?;
    let today = today_in(db, district_id, state.clock.now()).await?;
    let rows = repo::providers(db, district_id).await?;
    let mut uses: HashMap<Uuid, usize> = HashMap::new();
    for a in repo::activities_of_providers(db, rows.iter().map(|r| r.id).collect()).await? {
        *uses.entry(a.provider_id.unwrap_or_default()).or_default() += 1;
    }
    Ok(WhiteList { items: rows.iter().map(|r| entry_view(r, today, uses.get(&r.id).copied().unwrap_or(0))).collect() })
}

/// Lists an institution. A name already on the list (not removed) is refused with its entry's id:
/// renew that one instead, so one institution has one history.
pub async fn add(state: &AppState, officer: &BureauOfficer, req: ListProvider) -> ApiResult<WhiteListEntry> {
    let name = required_text("name", &req.name, NAME_MAX_CHARS, ("请填写机构名称。", "Name the institution."))?;
    let credit_code = match req.credit_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) if code.len() == 18 && code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) => {
            Some(code.to_owned())
        }
        Some(_) => {
            return Err(AfterschoolError::invalid(
                "credit_code",
                "统一社会信用代码为 18 位数字或大写字母。",
                "The unified social credit code is 18 digits or capital letters.",
            )
            .into());
        }
        None => None,
    };
    validity(req.valid_from, req.valid_until)?;
    let now = state.clock.now();
    let district_id = officer.district_id();
    let txn = crate::infra::db::begin(&state.db).await?;
    if let Some(listed) = repo::listed_provider_named(&txn, district_id, &name).await? {
        return Err(AfterschoolError::ProviderAlreadyListed { id: listed.id }.into());
    }
    let row = provider::Model {
        id: Uuid::new_v4(),
        district_id,
        name,
        credit_code,
        valid_from: req.valid_from,
        valid_until: req.valid_until,
        removed_at: None,
        listed_by: officer.officer.account_id,
        created_at: now,
    };
    repo::insert_provider(&txn, row.clone()).await?;
    let today = today_in(&txn, district_id, now).await?;
    txn.commit().await?;
    Ok(entry_view(&row, today, 0))
}

/// The district's entry, for its officer; another district's is not found.
async fn own_entry(
    db: &impl sea_orm::ConnectionTrait,
    officer: &BureauOfficer,
    id: Uuid,
) -> ApiResult<provider::Model> {
    repo::provider(db, id).await?.filter(|row| row.district_id == officer.district_id()).ok_or_else(ApiError::not_found)
}

/// New validity dates for an entry still on the list (a removed one is listed anew with `add`).
pub async fn renew(
    state: &AppState,
    officer: &BureauOfficer,
    id: Uuid,
    req: RenewProvider,
) -> ApiResult<WhiteListEntry> {
    validity(req.valid_from, req.valid_until)?;
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut row = own_entry(&txn, officer, id).await?;
    if row.removed_at.is_some() {
        return Err(AfterschoolError::ProviderRemoved.into());
    }
    row.valid_from = req.valid_from;
    row.valid_until = req.valid_until;
    repo::update_provider(&txn, &row).await?;
    let uses = repo::activities_of_providers(&txn, vec![row.id]).await?.len();
    let today = today_in(&txn, row.district_id, now).await?;
    txn.commit().await?;
    Ok(entry_view(&row, today, uses))
}

/// Takes an institution off the list (the entry stays, marked removed). The admins of every school
/// with an activity it runs are told at once, with the activities to replace.
pub async fn remove(state: &AppState, officer: &BureauOfficer, id: Uuid) -> ApiResult<WhiteListEntry> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut row = own_entry(&txn, officer, id).await?;
    let activities = repo::activities_of_providers(&txn, vec![row.id]).await?;
    if row.removed_at.is_none() {
        row.removed_at = Some(now);
        repo::update_provider(&txn, &row).await?;
        tell_schools(&txn, &row, &activities, now).await?;
    }
    let today = today_in(&txn, row.district_id, now).await?;
    txn.commit().await?;
    Ok(entry_view(&row, today, activities.len()))
}

/// One inbox item per school running the removed institution's activities, to its admins.
async fn tell_schools(
    txn: &impl sea_orm::ConnectionTrait,
    row: &provider::Model,
    activities: &[super::super::model::activity::Model],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut by_school: HashMap<Uuid, Vec<&str>> = HashMap::new();
    for a in activities {
        by_school.entry(a.school_id).or_default().push(a.name.as_str());
    }
    for (school_id, names) in by_school {
        let id = Uuid::new_v4();
        let listed = names.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("、");
        let entry = items::Entry {
            kind: ItemKind::Afterschool,
            ref_id: id,
            title: format!("白名单变更：{} / White list: {} removed", row.name, row.name),
            body: format!(
                "请为{listed}更换提供者：教育局已将「{}」移出课后服务白名单（AS_PROVIDERS）。\n\
                 Replace the provider of {}: the bureau removed \"{}\" from the after-school white list (AS_PROVIDERS).",
                row.name,
                names.join(", "),
                row.name
            ),
            sender_name: "教育局 / Education bureau".to_owned(),
            urgent: false,
            needs_response: false,
            subject_id: None,
        };
        let admins = crate::org::repo::admin_accounts(txn, vec![school_id]).await?;
        super::tell(txn, school_id, None, &admins, entry, now).await?;
    }
    Ok(())
}

/// `AS_PROVIDERS`: the entry an institution's activity names must be the school's district's and
/// listed on `today`; the refusal says where it stands.
pub async fn listed_entry(
    db: &impl sea_orm::ConnectionTrait,
    district_id: Uuid,
    id: Option<Uuid>,
    today: NaiveDate,
) -> ApiResult<provider::Model> {
    let row = match id {
        Some(id) => repo::provider(db, id).await?.filter(|row| row.district_id == district_id),
        None => None,
    };
    let Some(row) = row else {
        return Err(AfterschoolError::ProviderNotListed { standing: "not_listed" }.into());
    };
    match standing(&row, today) {
        ProviderStanding::Listed => Ok(row),
        other => Err(AfterschoolError::ProviderNotListed { standing: standing_name(other) }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::CREDIT_CODE;

    #[test]
    fn the_credit_code_pattern_is_eighteen_digits_or_capitals() {
        let pattern = regex::Regex::new(CREDIT_CODE).unwrap();
        assert!(pattern.is_match("91310000MA1FL0000X"));
        assert!(!pattern.is_match("91310000ma1fl0000x"));
        assert!(!pattern.is_match("9131000"));
    }
}
