//! The rules of a notice's life, pure: when it may be recalled, reminded and answered. Facts and
//! `now` in, the refusal out; the service loads the notice and writes what these allow.

use chrono::{DateTime, Duration, Utc};

use super::error::NoticeError;
use super::model::{ResponseMode, notice};

/// A sender may recall a notice for this long after sending it.
pub const RECALL_WINDOW_HOURS: i64 = 24;
/// At most one manual reminder per notice in this many hours.
pub const REMIND_INTERVAL_HOURS: i64 = 6;

/// Within 24 hours of sending (a scheduled notice: any time before it goes out), and only once.
pub fn can_recall(notice: &notice::Model, now: DateTime<Utc>) -> Result<(), NoticeError> {
    if notice.recalled_at.is_some() {
        return Err(NoticeError::Recalled);
    }
    if notice.sent_at.is_some_and(|sent| now - sent > Duration::hours(RECALL_WINDOW_HOURS)) {
        return Err(NoticeError::RecallWindowPassed);
    }
    Ok(())
}

/// A sent, unrecalled notice, at most once every six hours.
pub fn can_remind(notice: &notice::Model, now: DateTime<Utc>) -> Result<(), NoticeError> {
    if notice.recalled_at.is_some() {
        return Err(NoticeError::Recalled);
    }
    if notice.sent_at.is_none() {
        return Err(NoticeError::NotSentYet);
    }
    if let Some(last) = notice.last_reminded_at {
        let next = last + Duration::hours(REMIND_INTERVAL_HOURS);
        if next > now {
            return Err(NoticeError::RemindTooSoon { retry_after_secs: (next - now).num_seconds().max(1) });
        }
    }
    Ok(())
}

/// An answer of `mode` (confirm or reply) to an unrecalled notice that asks for it, before its
/// deadline.
pub fn can_answer(notice: &notice::Model, mode: ResponseMode, now: DateTime<Utc>) -> Result<(), NoticeError> {
    if notice.recalled_at.is_some() {
        return Err(NoticeError::Recalled);
    }
    if notice.deadline.is_some_and(|d| d < now) {
        return Err(NoticeError::DeadlinePassed);
    }
    if notice.response_mode != mode {
        return Err(NoticeError::WrongResponseMode);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notices::model::{RecipientKind, SenderRole};

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("instant") + Duration::hours(hours)
    }

    fn sent(mode: ResponseMode) -> notice::Model {
        notice::Model {
            id: uuid::Uuid::nil(),
            district_id: uuid::Uuid::nil(),
            school_id: None,
            sender_account_id: uuid::Uuid::nil(),
            sender_name: String::new(),
            sender_role: SenderRole::SchoolAdmin,
            title: String::new(),
            body: String::new(),
            response_mode: mode,
            options: "[]".into(),
            audience: "{}".into(),
            recipient_kind: RecipientKind::Family,
            school_wide: true,
            urgent: false,
            deadline: None,
            send_at: at(0),
            sent_at: Some(at(0)),
            recipient_count: 1,
            recalled_at: None,
            last_reminded_at: None,
            deadline_reminded_at: None,
            created_at: at(0),
        }
    }

    #[test]
    fn a_notice_may_be_recalled_within_24_hours_of_sending_and_once() {
        let notice = sent(ResponseMode::Read);
        assert!(can_recall(&notice, at(24)).is_ok());
        assert!(matches!(can_recall(&notice, at(25)), Err(NoticeError::RecallWindowPassed)));
        let scheduled = notice::Model { sent_at: None, ..notice.clone() };
        assert!(can_recall(&scheduled, at(100)).is_ok(), "a scheduled notice, any time before it goes");
        let recalled = notice::Model { recalled_at: Some(at(1)), ..notice };
        assert!(matches!(can_recall(&recalled, at(2)), Err(NoticeError::Recalled)));
    }

    #[test]
    fn a_reminder_waits_six_hours_after_the_last_and_needs_a_sent_notice() {
        let notice = sent(ResponseMode::Confirm);
        assert!(can_remind(&notice, at(1)).is_ok());
        let reminded = notice::Model { last_reminded_at: Some(at(1)), ..notice.clone() };
        match can_remind(&reminded, at(3)) {
            Err(NoticeError::RemindTooSoon { retry_after_secs }) => assert_eq!(retry_after_secs, 4 * 3_600),
            other => panic!("expected remind_too_soon, got {other:?}"),
        }
        assert!(can_remind(&reminded, at(7)).is_ok());
        let scheduled = notice::Model { sent_at: None, ..notice };
        assert!(matches!(can_remind(&scheduled, at(1)), Err(NoticeError::NotSentYet)));
    }

    #[test]
    fn answers_need_the_notices_own_mode_and_come_before_the_deadline() {
        let notice = notice::Model { deadline: Some(at(10)), ..sent(ResponseMode::Reply) };
        assert!(can_answer(&notice, ResponseMode::Reply, at(9)).is_ok());
        assert!(matches!(can_answer(&notice, ResponseMode::Confirm, at(9)), Err(NoticeError::WrongResponseMode)));
        assert!(matches!(can_answer(&notice, ResponseMode::Reply, at(11)), Err(NoticeError::DeadlinePassed)));
        let recalled = notice::Model { recalled_at: Some(at(2)), ..notice };
        assert!(matches!(can_answer(&recalled, ResponseMode::Reply, at(3)), Err(NoticeError::Recalled)));
    }
}
