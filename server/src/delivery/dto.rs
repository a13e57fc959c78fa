//! Devices, preferences and school messaging settings as the app sees them.

use super::service;
use crate::http::constraints::{FieldRule, Rule};
use crate::input::CLOCK_TIME;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::inbox::model::ItemKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Ios,
    Android,
    /// HarmonyOS.
    Harmony,
    Web,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Ios => "ios",
            Platform::Android => "android",
            Platform::Harmony => "harmony",
            Platform::Web => "web",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterDevice {
    pub platform: Platform,
    /// The push token from the platform (APNs, FCM, vendor channel), as the gateway expects it.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Device {
    pub id: Uuid,
    pub platform: String,
    pub created_at: DateTime<Utc>,
}

/// How a person wants to be told. Kinds not listed are not sent on that channel (they still
/// reach the inbox).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Preferences {
    /// `zh-CN` or `en`: the language of push texts and emails.
    pub locale: String,
    pub push_kinds: Vec<ItemKind>,
    pub email_kinds: Vec<ItemKind>,
    /// One push and one email a day at the digest time, across all children and schools, instead
    /// of instant notifications; urgent notices still go at once.
    pub daily_digest: bool,
    /// `HH:MM` (Beijing time, or the zone of the children's school) when this family's digests go:
    /// the day's homework, and everything else if `daily_digest`. Omitted or null: the earliest
    /// digest time of the children's schools (default 17:00), so a family with children in two
    /// schools still gets one digest a day.
    #[serde(default)]
    #[schema(example = "18:30")]
    pub digest_time: Option<String>,
    /// The time digests go out now: `digest_time`, or the schools' earliest. Ignored when sent.
    #[serde(default)]
    #[schema(read_only, example = "17:00")]
    pub digest_time_in_effect: String,
}

/// A school's messaging policy. Times are `HH:MM` in the school's time zone.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SchoolSettings {
    /// Nothing is pushed or emailed between `quiet_start` and `quiet_end` (default 21:00–07:00);
    /// urgent notices from school admins excepted.
    #[schema(example = "21:00")]
    pub quiet_start: String,
    #[schema(example = "07:00")]
    pub quiet_end: String,
    /// Optional teacher office hours, shown to families: families' messages reach teachers' phones
    /// within them (and are in the teacher's inbox at once).
    pub office_hours_start: Option<String>,
    pub office_hours_end: Option<String>,
    /// When the daily digest and homework digest go out.
    #[schema(example = "17:00")]
    pub digest_time: String,
}

/// The limits the service enforces on these requests, for the API document.
/// The channel a given-up delivery was stuck at: push goes first, then email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryChannel {
    Push,
    Email,
}

/// A delivery the worker gave up on after a day of retries: the family did not get this by push
/// or email (it is still in their inbox). The school's admins see these so that someone can
/// phone the family; the cause itself is in the server's log.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailedDelivery {
    /// Sort key and cursor.
    pub seq: i64,
    /// The item's kind; with `reminder` true it was a reminder of it.
    pub item_kind: ItemKind,
    pub reminder: bool,
    pub ref_id: Uuid,
    /// The item's title as the family's inbox shows it.
    pub title: String,
    pub recipient_account_id: Uuid,
    pub recipient_name: String,
    /// Where it stopped: push (email was not tried yet) or email.
    pub failed_channel: DeliveryChannel,
    pub attempts: i32,
    pub queued_at: DateTime<Utc>,
    pub failed_at: DateTime<Utc>,
}

pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("RegisterDevice", "token", Rule::Pattern(service::PUSH_TOKEN)),
    FieldRule::new("RegisterDevice", "token", Rule::MaxChars(service::PUSH_TOKEN_MAX_CHARS)),
    FieldRule::new("Preferences", "locale", Rule::OneOf(service::LOCALES)),
    FieldRule::new("Preferences", "digest_time", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SchoolSettings", "quiet_start", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SchoolSettings", "quiet_end", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SchoolSettings", "digest_time", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SchoolSettings", "office_hours_start", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SchoolSettings", "office_hours_end", Rule::Pattern(CLOCK_TIME)),
];
