//! A notice as its sender asks for it, parsed once: trimmed, bounded title and body, the options a
//! reply notice takes, a send time no earlier than now and a deadline after it. The service works
//! with a [`Draft`], never the raw request.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::dto::{AudienceSpec, CreateNoticeRequest, ReplyRequest};
use super::error::NoticeError;
use super::model::ResponseMode;
use crate::input::{optional_text, visible_text};

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 100;
/// Longest body, in characters.
pub const BODY_MAX_CHARS: usize = 5_000;
/// How many options a reply notice offers.
pub const OPTIONS: std::ops::RangeInclusive<usize> = 2..=10;
/// Longest option, in characters.
pub const OPTION_MAX_CHARS: usize = 20;
/// Longest text sent with a reply, in characters.
pub const REPLY_TEXT_MAX_CHARS: usize = 200;

/// A notice ready to be resolved against its sender's reach and stored.
/// How far ahead a notice may be scheduled, and its deadline set after sending: a school year.
pub const HORIZON_DAYS: i64 = 366;

#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub audience: AudienceSpec,
    pub response_mode: ResponseMode,
    /// Empty unless the mode is `reply`.
    pub options: Vec<String>,
    pub deadline: Option<DateTime<Utc>>,
    /// Now, or later for a scheduled notice.
    pub send_at: DateTime<Utc>,
    pub urgent: bool,
    pub school_id: Option<Uuid>,
}

impl Draft {
    /// Parses a request at `now` (times are kept to the microsecond the database stores).
    pub fn parse(req: CreateNoticeRequest, now: DateTime<Utc>) -> Result<Draft, NoticeError> {
        let title = text(&req.title, "title", TITLE_MAX_CHARS)?;
        let body = text(&req.body, "body", BODY_MAX_CHARS)?;
        let options = options(req.response_mode, &req.options)?;
        let send_at = req.send_at.map(crate::infra::clock::to_micros).filter(|t| *t > now).unwrap_or(now);
        if send_at > now + chrono::Duration::days(HORIZON_DAYS) {
            return Err(NoticeError::invalid(
                "send_at",
                format!("发送时间最多可定在 {HORIZON_DAYS} 天后。"),
                format!("A notice may be scheduled at most {HORIZON_DAYS} days ahead."),
            ));
        }
        let deadline = req.deadline.map(crate::infra::clock::to_micros);
        if deadline.is_some_and(|d| d > send_at + chrono::Duration::days(HORIZON_DAYS)) {
            return Err(NoticeError::invalid(
                "deadline",
                format!("截止时间最多在发送后 {HORIZON_DAYS} 天。"),
                format!("A deadline is at most {HORIZON_DAYS} days after sending."),
            ));
        }
        if deadline.is_some_and(|d| d <= send_at) {
            return Err(NoticeError::invalid(
                "deadline",
                "截止时间须晚于发送时间。",
                "The deadline must be after the sending time.",
            ));
        }
        Ok(Draft {
            title,
            body,
            audience: req.audience,
            response_mode: req.response_mode,
            options,
            deadline,
            send_at,
            urgent: req.urgent,
            school_id: req.school_id,
        })
    }
}

/// A reply to a `reply` notice: the option as given (trimmed) and an optional short text.
#[derive(Debug, Clone)]
pub struct Reply {
    pub option: String,
    pub text: Option<String>,
}

impl TryFrom<ReplyRequest> for Reply {
    type Error = NoticeError;

    fn try_from(req: ReplyRequest) -> Result<Reply, NoticeError> {
        let text = optional_text(req.text.as_deref().unwrap_or_default(), REPLY_TEXT_MAX_CHARS).map_err(|_| {
            NoticeError::invalid(
                "text",
                format!("回复内容不超过 {REPLY_TEXT_MAX_CHARS} 个字符。"),
                format!("The text is at most {REPLY_TEXT_MAX_CHARS} characters."),
            )
        })?;
        let option = req.option.trim_matches(crate::input::is_blank_char).to_owned();
        Ok(Reply { option, text: text.map(str::to_owned) })
    }
}

/// Text a person typed: not blank, at most `max` characters; trimmed.
pub fn text(value: &str, field: &'static str, max: usize) -> Result<String, NoticeError> {
    visible_text(value, max).map(str::to_owned).ok_or_else(|| {
        NoticeError::invalid(
            field,
            format!("不能为空，且不超过 {max} 个字符。"),
            format!("Must not be blank and at most {max} characters."),
        )
    })
}

/// A reply notice's options: 2–10 distinct, trimmed, of 1–20 characters; other modes take none.
pub fn options(mode: ResponseMode, options: &[String]) -> Result<Vec<String>, NoticeError> {
    if mode != ResponseMode::Reply {
        if !options.is_empty() {
            return Err(NoticeError::invalid(
                "options",
                "只有 reply 模式的通知需要选项。",
                "Only reply notices take options.",
            ));
        }
        return Ok(Vec::new());
    }
    let trimmed: Option<Vec<String>> =
        options.iter().map(|o| visible_text(o, OPTION_MAX_CHARS).map(str::to_owned)).collect();
    let valid = trimmed.filter(|options| {
        let distinct: HashSet<&String> = options.iter().collect();
        OPTIONS.contains(&options.len()) && distinct.len() == options.len()
    });
    valid.ok_or_else(|| {
        let (min, max) = (OPTIONS.start(), OPTIONS.end());
        NoticeError::invalid(
            "options",
            format!("reply 模式须提供 {min} 到 {max} 个互不相同的选项，每个不超过 {OPTION_MAX_CHARS} 个字符。"),
            format!("A reply notice needs {min} to {max} distinct options of at most {OPTION_MAX_CHARS} characters."),
        )
    })
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn field(result: Result<Draft, NoticeError>) -> &'static str {
        match result {
            Err(NoticeError::Invalid { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("instant")
    }

    fn request(mode: ResponseMode, options: &[&str]) -> CreateNoticeRequest {
        CreateNoticeRequest {
            title: "  春游通知 ".into(),
            body: "周五春游。".into(),
            audience: AudienceSpec::default(),
            response_mode: mode,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            deadline: None,
            send_at: None,
            urgent: false,
            school_id: None,
            confirm_review: Vec::new(),
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_sent_now_unless_scheduled_later() {
        let draft = Draft::parse(request(ResponseMode::Read, &[]), now()).expect("valid");
        assert_eq!((draft.title.as_str(), draft.send_at), ("春游通知", now()));
        let past =
            CreateNoticeRequest { send_at: Some(now() - Duration::hours(1)), ..request(ResponseMode::Read, &[]) };
        assert_eq!(Draft::parse(past, now()).expect("valid").send_at, now(), "a past send time means now");
        let later = now() + Duration::hours(2);
        let scheduled = CreateNoticeRequest { send_at: Some(later), ..request(ResponseMode::Read, &[]) };
        assert_eq!(Draft::parse(scheduled, now()).expect("valid").send_at, later);
    }

    #[test]
    fn titles_and_bodies_are_bounded() {
        let empty = CreateNoticeRequest { title: "   ".into(), ..request(ResponseMode::Read, &[]) };
        assert_eq!(field(Draft::parse(empty, now())), "title");
        let long = CreateNoticeRequest { body: "字".repeat(5_001), ..request(ResponseMode::Read, &[]) };
        assert_eq!(field(Draft::parse(long, now())), "body");
    }

    #[test]
    fn only_reply_notices_take_two_to_ten_distinct_short_options() {
        assert_eq!(field(Draft::parse(request(ResponseMode::Confirm, &["a", "b"]), now())), "options");
        assert_eq!(field(Draft::parse(request(ResponseMode::Reply, &["参加"]), now())), "options");
        assert_eq!(field(Draft::parse(request(ResponseMode::Reply, &["参加", " 参加 "]), now())), "options");
        let too_long = "长".repeat(21);
        assert_eq!(field(Draft::parse(request(ResponseMode::Reply, &["参加", &too_long]), now())), "options");
        let draft = Draft::parse(request(ResponseMode::Reply, &[" 参加", "不参加 "]), now()).expect("valid");
        assert_eq!(draft.options, ["参加", "不参加"]);
    }

    #[test]
    fn the_deadline_comes_after_the_sending_time() {
        let at_send = CreateNoticeRequest { deadline: Some(now()), ..request(ResponseMode::Confirm, &[]) };
        assert_eq!(field(Draft::parse(at_send, now())), "deadline");
        let later =
            CreateNoticeRequest { deadline: Some(now() + Duration::hours(1)), ..request(ResponseMode::Confirm, &[]) };
        assert!(Draft::parse(later, now()).is_ok());
    }

    #[test]
    fn a_notice_is_scheduled_and_its_deadline_set_within_a_school_year() {
        let year = Duration::days(HORIZON_DAYS);
        let far =
            CreateNoticeRequest { send_at: Some(now() + year + Duration::days(1)), ..request(ResponseMode::Read, &[]) };
        assert_eq!(field(Draft::parse(far, now())), "send_at");
        let long = CreateNoticeRequest {
            deadline: Some(now() + year + Duration::days(1)),
            ..request(ResponseMode::Confirm, &[])
        };
        assert_eq!(field(Draft::parse(long, now())), "deadline");
        let edge = CreateNoticeRequest { send_at: Some(now() + year), ..request(ResponseMode::Read, &[]) };
        assert!(Draft::parse(edge, now()).is_ok());
    }

    #[test]
    fn a_reply_text_is_optional_and_short() {
        let blank = Reply::try_from(ReplyRequest { option: " 参加 ".into(), text: Some("  ".into()) }).expect("valid");
        assert_eq!((blank.option.as_str(), blank.text), ("参加", None));
        let long = ReplyRequest { option: "参加".into(), text: Some("字".repeat(201)) };
        assert!(matches!(Reply::try_from(long), Err(NoticeError::Invalid { field: "text", .. })));
    }
}
