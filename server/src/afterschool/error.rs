//! After-school errors and their rows in the code table.

use uuid::Uuid;

use super::rules::{PlanBreach, hhmm};
use crate::error::{ApiError, Code, Message};

#[derive(Debug, thiserror::Error)]
pub enum AfterschoolError {
    #[error("invalid field {field}")]
    Invalid { field: &'static str, zh: String, en: String },
    #[error("the plan breaks {} rule(s)", .0.len())]
    PlanBreaks(Vec<PlanBreach>),
    #[error("the plan is not published")]
    PlanNotPublished,
    #[error("the activity was cancelled")]
    ActivityCancelled,
    #[error("the child's grade is not eligible")]
    NotEligible { grade: u8 },
    #[error("the child has another activity at that time")]
    TimeSlotTaken { activity_id: Uuid },
    #[error("the child has a summer care place at another site that week")]
    SummerWeekTaken { week_id: Uuid },
    #[error("not on the pickup list")]
    PickupNotAuthorised,
    /// `AS_PROVIDERS`: the institution named is not on the district's white list today.
    #[error("the institution is not on the white list ({standing})")]
    ProviderNotListed { standing: &'static str },
    /// `AS_EXTENDED_CARE`: no extended session for the child on these days.
    #[error("no extended care on the days asked for")]
    ExtendedCareNotOffered { weekdays: Vec<u8> },
    #[error("over the weekly limit")]
    WeeklyLimit { limit: u8, sessions: u32 },
    #[error("enrolment is not open")]
    EnrolmentNotOpen { opens_at: Option<chrono::DateTime<chrono::Utc>> },
    #[error("enrolment has closed")]
    EnrolmentClosed,
    #[error("the institution was removed from the white list")]
    ProviderRemoved,
    #[error("the institution is already listed")]
    ProviderAlreadyListed { id: Uuid },
    #[error("already signed out")]
    AlreadySignedOut { released_to: String, at: chrono::DateTime<chrono::Utc> },
}

impl AfterschoolError {
    pub fn invalid(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AfterschoolError::Invalid { field, zh: zh.into(), en: en.into() }
    }
}

/// The rule's row in the code table.
pub fn rule_code(rule: &str) -> Code {
    match rule {
        "AS_5_PLUS_2" => Code::As5Plus2,
        "AS_END_TIME" => Code::AsEndTime,
        _ => Code::AsEveningStudy,
    }
}

const WEEKDAYS_ZH: [&str; 5] = ["周一", "周二", "周三", "周四", "周五"];
const WEEKDAYS_EN: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// What breaks the rule, on which day, and how to fix it.
pub fn breach_message(breach: &PlanBreach) -> Message {
    let day = usize::from(breach.weekday().clamp(1, 5)) - 1;
    let (zh_day, en_day) = (WEEKDAYS_ZH[day], WEEKDAYS_EN[day]);
    match breach {
        PlanBreach::NoBasicSession { .. } => Message::new(
            format!("{zh_day}没有基础托管（AS_5_PLUS_2）：每个工作日都要提供。"),
            format!("{en_day} has no basic session (AS_5_PLUS_2): every weekday needs one."),
        ),
        PlanBreach::BasicTooShort { minutes, .. } => Message::new(
            format!("{zh_day}基础托管只有 {minutes} 分钟（AS_5_PLUS_2）：每天不少于 2 小时。"),
            format!("{en_day}'s basic session lasts {minutes} min (AS_5_PLUS_2): at least two hours a day."),
        ),
        PlanBreach::EndsBeforeOffWork { end, earliest, .. } => Message::new(
            format!(
                "{zh_day}基础托管 {} 结束，早于 {}（当地下班时间后 20 分钟，AS_END_TIME）。",
                hhmm(*end),
                hhmm(*earliest)
            ),
            format!(
                "{en_day}'s basic session ends at {}, before {} (20 minutes after local off-work time, AS_END_TIME).",
                hhmm(*end),
                hhmm(*earliest)
            ),
        ),
        PlanBreach::EveningForPrimary { .. } => Message::new(
            format!("{zh_day}晚自习含小学年级（AS_EVENING_STUDY）：只能面向初中年级，请列出年级。"),
            format!("{en_day}'s evening study includes primary grades (AS_EVENING_STUDY): list junior grades only."),
        ),
        PlanBreach::EveningTooLate { end, .. } => Message::new(
            format!("{zh_day}晚自习 {} 结束（AS_EVENING_STUDY）：不得晚于 20:30。", hhmm(*end)),
            format!("{en_day}'s evening study ends at {} (AS_EVENING_STUDY): 20:30 at the latest.", hhmm(*end)),
        ),
    }
}

impl From<AfterschoolError> for ApiError {
    fn from(error: AfterschoolError) -> Self {
        match error {
            AfterschoolError::Invalid { field, zh, en } => ApiError::validation(field, zh, en),
            AfterschoolError::PlanBreaks(breaches) => {
                let first = breaches.first().map(|b| b.rule()).unwrap_or("AS_5_PLUS_2");
                let mut rules: Vec<&str> = Vec::new();
                for rule in breaches.iter().map(|b| b.rule()) {
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
                let lang = crate::i18n::current_lang();
                let listed: Vec<serde_json::Value> = breaches
                    .iter()
                    .map(|b| {
                        serde_json::json!({
                            "rule": b.rule(),
                            "weekday": b.weekday(),
                            "message": breach_message(b).in_lang(lang),
                        })
                    })
                    .collect();
                let code = rule_code(first);
                let headline = code.message();
                ApiError::new(code)
                    .with_message(Message::new(
                        format!("方案未发布：{} 处不符合规定。{}", breaches.len(), headline.zh),
                        format!("The plan was not published: {} problem(s). {}", breaches.len(), headline.en),
                    ))
                    .with_details(serde_json::json!({ "rules": rules, "breaches": listed }))
            }
            AfterschoolError::PlanNotPublished => ApiError::new(Code::PlanNotPublished),
            AfterschoolError::ActivityCancelled => ApiError::new(Code::ActivityCancelled),
            AfterschoolError::NotEligible { grade } => {
                ApiError::new(Code::NotEligible).with_details(serde_json::json!({ "grade": grade }))
            }
            AfterschoolError::PickupNotAuthorised => ApiError::new(Code::PickupNotAuthorised),
            AfterschoolError::AlreadySignedOut { released_to, at } => ApiError::new(Code::AlreadySignedOut)
                .with_details(serde_json::json!({ "adult_name": released_to, "signed_out_at": at })),
            AfterschoolError::ProviderNotListed { standing } => {
                ApiError::new(Code::AsProviders).with_details(serde_json::json!({ "standing": standing }))
            }
            AfterschoolError::ExtendedCareNotOffered { weekdays } => {
                ApiError::new(Code::AsExtendedCare).with_details(serde_json::json!({ "weekdays": weekdays }))
            }
            AfterschoolError::WeeklyLimit { limit, sessions } => ApiError::new(Code::WeeklyLimit)
                .with_details(serde_json::json!({ "limit": limit, "sessions": sessions })),
            AfterschoolError::EnrolmentNotOpen { opens_at } => {
                ApiError::new(Code::EnrolmentNotOpen).with_details(serde_json::json!({ "opens_at": opens_at }))
            }
            AfterschoolError::EnrolmentClosed => ApiError::new(Code::EnrolmentClosed),
            AfterschoolError::ProviderRemoved => ApiError::new(Code::ProviderRemoved),
            AfterschoolError::ProviderAlreadyListed { id } => {
                ApiError::new(Code::ProviderAlreadyListed).with_details(serde_json::json!({ "id": id }))
            }
            AfterschoolError::TimeSlotTaken { activity_id } => {
                ApiError::new(Code::TimeSlotTaken).with_details(serde_json::json!({ "activity_id": activity_id }))
            }
            AfterschoolError::SummerWeekTaken { week_id } => {
                ApiError::new(Code::TimeSlotTaken).with_details(serde_json::json!({ "week_id": week_id }))
            }
        }
    }
}
