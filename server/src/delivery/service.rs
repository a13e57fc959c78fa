//! Devices, preferences and school messaging settings.

use sea_orm::sea_query::OnConflict;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::dto::{DeliveryChannel, Device, FailedDelivery, Preferences, RegisterDevice, SchoolSettings};
use super::model::{delivery, device, preference, school_settings};
use super::quiet_hours::{DEFAULT_END, DEFAULT_START, parse_hhmm};
use crate::access::Caller;
use crate::access::{SchoolAdmin, StaffMember};
use crate::auth::model::account;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Page, PageQuery};
use crate::inbox::model::{ItemKind, inbox_entry};
use crate::state::AppState;

/// The languages messages are written in.
pub const LOCALES: &[&str] = &["zh-CN", "en"];
/// Longest push token, in characters.
pub const PUSH_TOKEN_MAX_CHARS: usize = 512;
/// A push token: visible ASCII, no blanks (FCM, APNs, HMS tokens and web-push endpoints all are).
pub const PUSH_TOKEN: &str = r"^[!-~]+$";

/// Whether `token` is what [`PUSH_TOKEN`] and [`PUSH_TOKEN_MAX_CHARS`] state.
fn valid_push_token(token: &str) -> bool {
    (1..=PUSH_TOKEN_MAX_CHARS).contains(&token.len()) && token.bytes().all(|b| (b'!'..=b'~').contains(&b))
}

/// Registers a push token for the caller. A token already known moves to the caller: a phone
/// signed in with another account now belongs to this one.
pub async fn register_device(state: &AppState, user: &Caller, req: RegisterDevice) -> ApiResult<Device> {
    let token = req.token;
    if !valid_push_token(&token) {
        return Err(ApiError::validation("token", "推送 token 无效。", "The push token is invalid."));
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let row = device::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(user.account_id),
        platform: Set(req.platform.as_str().into()),
        token: Set(token.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
    };
    // One upsert on the unique token: concurrent registrations of a phone cannot collide.
    device::Entity::insert(row)
        .on_conflict(
            OnConflict::column(device::Column::Token)
                .update_columns([device::Column::AccountId, device::Column::Platform, device::Column::LastSeenAt])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let saved = device::Entity::find()
        .filter(device::Column::Token.eq(&token))
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("device vanished after its upsert")))?;
    txn.commit().await?;
    Ok(Device { id: saved.id, platform: saved.platform, created_at: saved.created_at })
}

pub async fn remove_device(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<()> {
    let result = device::Entity::delete_many()
        .filter(device::Column::Id.eq(id))
        .filter(device::Column::AccountId.eq(user.account_id))
        .exec(&state.db)
        .await?;
    if result.rows_affected == 0 { Err(ApiError::not_found()) } else { Ok(()) }
}

fn all_kinds() -> Vec<ItemKind> {
    ItemKind::ALL.to_vec()
}

fn kinds_json(kinds: &[ItemKind]) -> String {
    serde_json::to_string(kinds).unwrap_or_else(|_| "[]".into())
}

pub async fn preferences(state: &AppState, user: &Caller) -> ApiResult<Preferences> {
    let saved = preference::Entity::find_by_id(user.account_id).one(&state.db).await?;
    let mut prefs = match saved {
        Some(p) => Preferences {
            locale: p.locale,
            push_kinds: serde_json::from_str(&p.push_kinds).unwrap_or_default(),
            email_kinds: serde_json::from_str(&p.email_kinds).unwrap_or_default(),
            daily_digest: p.daily_digest,
            digest_time: p.digest_time,
            digest_time_in_effect: String::new(),
        },
        None => Preferences {
            locale: "zh-CN".into(),
            push_kinds: all_kinds(),
            email_kinds: all_kinds(),
            daily_digest: false,
            digest_time: None,
            digest_time_in_effect: String::new(),
        },
    };
    prefs.digest_time_in_effect = digest_time_in_effect(&state.db, user).await?;
    Ok(prefs)
}

async fn digest_time_in_effect(db: &impl sea_orm::ConnectionTrait, user: &Caller) -> ApiResult<String> {
    let clocks = super::outbox::family_clocks(db, &[user.account_id]).await?;
    Ok(clocks.get(&user.account_id).copied().unwrap_or_default().at.format("%H:%M").to_string())
}

/// A time-of-day field, written back as `HH:MM`; 422 naming the field if it
/// is not `HH:MM`.
fn clock_field(field: &'static str, value: &str) -> ApiResult<String> {
    parse_hhmm(value)
        .map(|t| t.format("%H:%M").to_string())
        .ok_or_else(|| ApiError::validation(field, "时间格式须为 HH:MM。", "Times are HH:MM."))
}

pub async fn set_preferences(state: &AppState, user: &Caller, req: Preferences) -> ApiResult<Preferences> {
    if !LOCALES.contains(&req.locale.as_str()) {
        return Err(ApiError::validation("locale", "语言须为 zh-CN 或 en。", "locale must be zh-CN or en."));
    }
    let digest_time = req.digest_time.as_deref().map(|t| clock_field("digest_time", t)).transpose()?;
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let model = preference::ActiveModel {
        account_id: Set(user.account_id),
        locale: Set(req.locale.clone()),
        push_kinds: Set(kinds_json(&req.push_kinds)),
        email_kinds: Set(kinds_json(&req.email_kinds)),
        daily_digest: Set(req.daily_digest),
        digest_time: Set(digest_time.clone()),
        updated_at: Set(now),
    };
    preference::Entity::insert(model)
        .on_conflict(
            OnConflict::column(preference::Column::AccountId)
                .update_columns([
                    preference::Column::Locale,
                    preference::Column::PushKinds,
                    preference::Column::EmailKinds,
                    preference::Column::DailyDigest,
                    preference::Column::DigestTime,
                    preference::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let digest_time_in_effect = digest_time_in_effect(&txn, user).await?;
    txn.commit().await?;
    Ok(Preferences { digest_time, digest_time_in_effect, ..req })
}

pub async fn school_settings(state: &AppState, member: &StaffMember) -> ApiResult<SchoolSettings> {
    let saved = school_settings::Entity::find_by_id(member.staff.school_id).one(&state.db).await?;
    Ok(match saved {
        Some(s) => SchoolSettings {
            quiet_start: s.quiet_start,
            quiet_end: s.quiet_end,
            office_hours_start: s.office_hours_start,
            office_hours_end: s.office_hours_end,
            digest_time: s.digest_time,
        },
        None => SchoolSettings {
            quiet_start: DEFAULT_START.into(),
            quiet_end: DEFAULT_END.into(),
            office_hours_start: None,
            office_hours_end: None,
            digest_time: super::digest::DIGEST_TIME.into(),
        },
    })
}

pub async fn set_school_settings(
    state: &AppState,
    admin: &SchoolAdmin,
    req: SchoolSettings,
) -> ApiResult<SchoolSettings> {
    let time = clock_field;
    let quiet_start = time("quiet_start", &req.quiet_start)?;
    let quiet_end = time("quiet_end", &req.quiet_end)?;
    let digest_time = time("digest_time", &req.digest_time)?;
    let office_hours_start = req.office_hours_start.as_deref().map(|v| time("office_hours_start", v)).transpose()?;
    let office_hours_end = req.office_hours_end.as_deref().map(|v| time("office_hours_end", v)).transpose()?;
    if office_hours_start.is_some() != office_hours_end.is_some() {
        return Err(ApiError::validation(
            "office_hours_end",
            "办公时间须同时给出开始和结束。",
            "Give both ends of the office hours.",
        ));
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let model = school_settings::ActiveModel {
        school_id: Set(admin.school_id()),
        quiet_start: Set(quiet_start.clone()),
        quiet_end: Set(quiet_end.clone()),
        office_hours_start: Set(office_hours_start.clone()),
        office_hours_end: Set(office_hours_end.clone()),
        digest_time: Set(digest_time.clone()),
        updated_at: Set(state.clock.now()),
    };
    school_settings::Entity::insert(model)
        .on_conflict(
            OnConflict::column(school_settings::Column::SchoolId)
                .update_columns([
                    school_settings::Column::QuietStart,
                    school_settings::Column::QuietEnd,
                    school_settings::Column::OfficeHoursStart,
                    school_settings::Column::OfficeHoursEnd,
                    school_settings::Column::DigestTime,
                    school_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(SchoolSettings { quiet_start, quiet_end, office_hours_start, office_hours_end, digest_time })
}

/// The last round of the reminders of `kind` about an item (none yet: `None`), so the next one is
/// numbered after it.
pub async fn last_reminder_round(
    db: &impl sea_orm::ConnectionTrait,
    kind: &str,
    ref_id: Uuid,
) -> Result<Option<i32>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    Ok(super::model::delivery::Entity::find()
        .select_only()
        .column_as(super::model::delivery::Column::Round.max(), "round")
        .filter(super::model::delivery::Column::Kind.eq(kind))
        .filter(super::model::delivery::Column::RefId.eq(ref_id))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten())
}

/// The deliveries for the admin's school that the worker finally gave up on, most recent first.
pub async fn failed_deliveries(
    state: &AppState,
    admin: &SchoolAdmin,
    page: &PageQuery,
) -> ApiResult<Page<FailedDelivery>> {
    let limit = page.limit()?;
    let mut query = delivery::Entity::find()
        .filter(delivery::Column::SchoolId.eq(admin.school_id()))
        .filter(delivery::Column::FailedAt.is_not_null());
    if let Some(after) = page.after()? {
        query = query.filter(delivery::Column::Seq.lt(after.parse::<i64>().map_err(|_| ApiError::invalid_cursor())?));
    }
    let rows = query.order_by_desc(delivery::Column::Seq).limit(limit + 1).all(&state.db).await?;
    let titles: HashMap<(String, Uuid), String> = inbox_entry::Entity::find()
        .filter(inbox_entry::Column::RefId.is_in(rows.iter().map(|d| d.ref_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| ((e.kind, e.ref_id), e.title))
        .collect();
    let names: HashMap<Uuid, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|d| d.account_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let items = rows
        .into_iter()
        .filter_map(|d| {
            // The delivery kind is the item's kind, or a reminder of a notice.
            let item_kind = ItemKind::parse(&d.kind).unwrap_or(ItemKind::Notice);
            Some(FailedDelivery {
                seq: d.seq,
                item_kind,
                reminder: ItemKind::parse(&d.kind).is_none(),
                ref_id: d.ref_id,
                title: titles.get(&(item_kind.as_str().to_owned(), d.ref_id)).cloned().unwrap_or_default(),
                recipient_account_id: d.account_id,
                recipient_name: names.get(&d.account_id).cloned().unwrap_or_default(),
                failed_channel: if d.push_done_at.is_none() { DeliveryChannel::Push } else { DeliveryChannel::Email },
                attempts: d.attempts,
                queued_at: d.created_at,
                failed_at: d.failed_at?,
            })
        })
        .collect();
    Ok(Page::from_rows(items, limit, |d| d.seq.to_string()))
}
