//! School-calendar errors and their rows in the code table.

use uuid::Uuid;

use super::rules::TermBreach;
use crate::error::{ApiError, Code, Message};

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("the term is not valid: {0:?}")]
    TermInvalid(TermBreach),
    #[error("the term overlaps another")]
    TermOverlaps { term_id: Uuid },
}

impl From<CalendarError> for ApiError {
    fn from(error: CalendarError) -> Self {
        match error {
            CalendarError::TermInvalid(breach) => {
                let (problem, message, details) = explain(&breach);
                let mut details = details;
                details["problem"] = serde_json::json!(problem);
                ApiError::new(Code::TermInvalid).with_message(message).with_details(details)
            }
            CalendarError::TermOverlaps { term_id } => {
                ApiError::new(Code::TermOverlaps).with_details(serde_json::json!({ "term_id": term_id }))
            }
        }
    }
}

/// The breach's stable name, what to fix, and where.
fn explain(breach: &TermBreach) -> (&'static str, Message, serde_json::Value) {
    use serde_json::json;
    match *breach {
        TermBreach::EndsBeforeStart => (
            "ends_before_start",
            Message::new("学期结束日期早于开始日期。", "The term ends before it starts."),
            json!({}),
        ),
        TermBreach::TooLong { days } => (
            "too_long",
            Message::new(
                format!("学期共 {days} 天，超过 200 天：请分成两个学期。"),
                format!("The term lasts {days} days, more than 200: split it into two terms."),
            ),
            json!({ "days": days }),
        ),
        TermBreach::HolidayBackwards { from, to } => (
            "holiday_backwards",
            Message::new(
                format!("假期 {from}–{to} 的结束日期早于开始日期。"),
                format!("The holiday {from}–{to} ends before it starts."),
            ),
            json!({ "from": from, "to": to }),
        ),
        TermBreach::HolidayOutsideTerm { from, to } => (
            "holiday_outside_term",
            Message::new(
                format!("假期 {from}–{to} 不在学期之内。"),
                format!("The holiday {from}–{to} is not inside the term."),
            ),
            json!({ "from": from, "to": to }),
        ),
        TermBreach::HolidaysOverlap { from, to } => (
            "holidays_overlap",
            Message::new(
                format!("假期与 {from}–{to} 重叠：请合并。"),
                format!("Two holidays overlap ({from}–{to}): merge them."),
            ),
            json!({ "from": from, "to": to }),
        ),
        TermBreach::MakeUpOutsideTerm { date } => (
            "make_up_outside_term",
            Message::new(
                format!("调休日 {date} 不在学期之内。"),
                format!("The make-up day {date} is not inside the term."),
            ),
            json!({ "date": date }),
        ),
        TermBreach::MakeUpOnWeekday { date } => (
            "make_up_on_weekday",
            Message::new(
                format!("调休日 {date} 是工作日，本来就上课：调休日须在周六或周日。"),
                format!("The make-up day {date} is a weekday, a school day already: make-up days fall on a weekend."),
            ),
            json!({ "date": date }),
        ),
        TermBreach::MakeUpOnHoliday { date } => (
            "make_up_on_holiday",
            Message::new(format!("调休日 {date} 在假期之内。"), format!("The make-up day {date} falls in a holiday.")),
            json!({ "date": date }),
        ),
        TermBreach::MakeUpTwice { date } => (
            "make_up_twice",
            Message::new(format!("调休日 {date} 重复列出。"), format!("The make-up day {date} is listed twice.")),
            json!({ "date": date }),
        ),
        TermBreach::BadWeekday { date, follows } => (
            "bad_weekday",
            Message::new(
                format!("调休日 {date} 须按周一至周五（1–5）之一的课表上课，不能是 {follows}。"),
                format!("The make-up day {date} follows a timetable of Monday to Friday (1–5), not {follows}."),
            ),
            json!({ "date": date, "follows_weekday": follows }),
        ),
    }
}
