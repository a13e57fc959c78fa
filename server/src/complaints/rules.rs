//! The complaint workflow's rules, pure: which step may follow which, when the holder's deadline
//! falls, and what each reader may see of the family.

use chrono::NaiveDate;

use super::model::{EventKind, Status};
use crate::calendar::rules::Calendar;

/// School days each holder has for its step (the first response within three school days).
pub const SCHOOL_DAYS_TO_ACT: usize = 3;

/// The status a step leads to from `status`, or `None` when the step is not allowed there.
pub fn next(status: Status, step: EventKind) -> Option<Status> {
    match (status, step) {
        (Status::Received, EventKind::Forwarded) => Some(Status::Forwarded),
        (Status::Forwarded, EventKind::Responded) => Some(Status::Responded),
        (Status::Received | Status::Forwarded | Status::Responded, EventKind::Closed) => Some(Status::Closed),
        _ => None,
    }
}

/// The last day a holder handed a complaint on `from` has: the `SCHOOL_DAYS_TO_ACT`-th school day
/// after it (a complaint filed on Friday is due on Wednesday; holidays do not count).
pub fn last_day(calendar: &Calendar, from: NaiveDate) -> NaiveDate {
    let mut day = from;
    let mut counted = 0;
    // A year of holidays would be a broken calendar: stop there rather than loop.
    for _ in 0..366 {
        day = day.succ_opt().unwrap_or(day);
        if calendar.school_weekday(day).is_some() {
            counted += 1;
            if counted == SCHOOL_DAYS_TO_ACT {
                break;
            }
        }
    }
    day
}

/// Whether the school may learn who filed: never when the family asked for anonymity, and
/// otherwise only when the bureau chose to share it.
pub fn school_sees_family(anonymous_to_school: bool, identity_shared: bool) -> bool {
    !anonymous_to_school && identity_shared
}

/// Files a family may add to one complaint.
pub const MAX_ATTACHMENTS: usize = 5;

/// The name a reader sees for the `n`-th attachment: the family's own name for it, except where
/// the reader may not know the family (a name like "张伟的截图.png" would say who filed).
pub fn attachment_name(n: i32, file_name: &str, content_type: &str, reader_knows_family: bool) -> String {
    if reader_knows_family {
        return file_name.to_owned();
    }
    let extension = match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "pdf",
    };
    format!("附件{n}.{extension}")
}

/// Whether a reader who may not know the family may open an attachment: only the photos whose
/// metadata was removed. A PDF's document properties (author, the software's user) or a GIF's
/// comments can name the family, so those stay with the bureau.
pub fn opens_without_family(content_type: &str) -> bool {
    matches!(content_type, "image/jpeg" | "image/png" | "image/webp")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("date")
    }

    #[test]
    fn the_workflow_runs_forward_only_and_closing_is_final() {
        assert_eq!(next(Status::Received, EventKind::Forwarded), Some(Status::Forwarded));
        assert_eq!(next(Status::Forwarded, EventKind::Responded), Some(Status::Responded));
        assert_eq!(next(Status::Received, EventKind::Closed), Some(Status::Closed));
        assert_eq!(next(Status::Responded, EventKind::Closed), Some(Status::Closed));
        assert_eq!(next(Status::Received, EventKind::Responded), None, "the school answers only what it was sent");
        assert_eq!(next(Status::Forwarded, EventKind::Forwarded), None);
        for step in [EventKind::Forwarded, EventKind::Responded, EventKind::Closed] {
            assert_eq!(next(Status::Closed, step), None);
        }
    }

    #[test]
    fn three_school_days_skip_weekends_and_holidays() {
        let plain = Calendar::weekdays_only();
        // Monday 23 November → Thursday 26; Friday 27 → Wednesday 2 December.
        assert_eq!(last_day(&plain, d(11, 23)), d(11, 26));
        assert_eq!(last_day(&plain, d(11, 27)), d(12, 2));
        let term = crate::calendar::rules::Term {
            starts_on: d(9, 1),
            ends_on: d(12, 31),
            holidays: vec![(d(11, 24), d(11, 25))],
            make_up_days: vec![],
        };
        assert_eq!(last_day(&Calendar::of_terms([&term]), d(11, 23)), d(11, 30));
    }

    #[test]
    fn a_reader_who_may_not_know_the_family_sees_a_neutral_file_name() {
        assert_eq!(attachment_name(2, "张伟的截图.png", "image/png", false), "附件2.png");
        assert_eq!(attachment_name(1, "作业.pdf", "application/pdf", false), "附件1.pdf");
        assert_eq!(attachment_name(1, "张伟的截图.png", "image/png", true), "张伟的截图.png");
    }

    #[test]
    fn a_school_that_may_not_know_the_family_opens_cleaned_photos_only() {
        assert!(opens_without_family("image/jpeg") && opens_without_family("image/png"));
        assert!(!opens_without_family("application/pdf") && !opens_without_family("image/gif"));
    }

    #[test]
    fn an_anonymous_family_stays_hidden_whatever_the_bureau_chose() {
        assert!(!school_sees_family(true, true));
        assert!(!school_sees_family(false, false));
        assert!(school_sees_family(false, true));
    }
}
