//! The parent school's pure rules (`PS_CREDITS`): when a course suits a child, when a session's
//! check-in is open and which code it takes, and when an online course counts as completed. No
//! I/O, no clock: `now` comes in.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Wrong codes a guardian may type for one session (or meeting) within [`CODE_TRIES_WINDOW_SECS`]
/// before waiting: a six-digit code cannot be guessed from home.
pub const CODE_TRIES: u32 = 5;
pub const CODE_TRIES_WINDOW_SECS: u64 = 600;

/// Check-in opens this long before a session starts (families arrive early) and closes at its end.
pub const CHECK_IN_OPENS_BEFORE: Duration = Duration::minutes(30);

/// The check-in code changes every minute, so a code passed round a group chat is stale before
/// an absent parent can use it; the one before still counts (a parent typing at the turn).
pub const CODE_STEP_SECS: i64 = 60;

/// Families are reminded of a session or meeting this long before it starts.
pub const REMINDER_BEFORE: Duration = Duration::hours(24);

/// Whether a session or meeting's reminder is due at `now`: within [`REMINDER_BEFORE`] of its
/// start and before it, for one announced earlier than that (one scheduled for tomorrow morning
/// this afternoon was just announced: a reminder now would say it twice).
pub fn reminder_due(created_at: DateTime<Utc>, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < starts_at && now >= starts_at - REMINDER_BEFORE && starts_at - created_at > REMINDER_BEFORE
}

/// A course suits a child when its grades include the child's (no grades: every grade).
pub fn suits(grades: &[i16], grade: i16) -> bool {
    grades.is_empty() || grades.contains(&grade)
}

/// Where a session's check-in stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYet { opens_at: DateTime<Utc> },
    Open,
    Closed { closed_at: DateTime<Utc> },
}

/// Check-in is open from [`CHECK_IN_OPENS_BEFORE`] the start until the end of the session.
pub fn check_in_window(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Window {
    let opens_at = starts_at - CHECK_IN_OPENS_BEFORE;
    if now < opens_at {
        Window::NotYet { opens_at }
    } else if now > ends_at {
        Window::Closed { closed_at: ends_at }
    } else {
        Window::Open
    }
}

/// The organiser may mark a guardian present from the check-in window's opening until this long
/// after the end (from a paper list).
pub const MARK_WITHIN: Duration = Duration::days(7);

/// When an organiser may mark attendance: [`Window::Open`] from the check-in opening to
/// [`MARK_WITHIN`] after the end.
pub fn marking_window(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Window {
    check_in_window(starts_at, ends_at + MARK_WITHIN, now)
}

fn step(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(CODE_STEP_SECS)
}

fn code_at_step(secret: &str, session_id: Uuid, step: i64) -> String {
    let digest = Sha256::new()
        .chain_update(secret.as_bytes())
        .chain_update(session_id.as_bytes())
        .chain_update(step.to_be_bytes())
        .finalize();
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 1_000_000;
    format!("{n:06}")
}

/// The six-digit code the organiser shows at `at`, and until when it holds.
pub fn check_in_code(secret: &str, session_id: Uuid, at: DateTime<Utc>) -> (String, DateTime<Utc>) {
    let s = step(at);
    let valid_until = DateTime::from_timestamp((s + 1) * CODE_STEP_SECS, 0).unwrap_or(at);
    (code_at_step(secret, session_id, s), valid_until)
}

/// Whether `code` is the session's code now or the minute before.
pub fn code_matches(secret: &str, session_id: Uuid, now: DateTime<Utc>, code: &str) -> bool {
    let s = step(now);
    let code = code.trim();
    [s, s - 1].into_iter().any(|st| code_at_step(secret, session_id, st) == code)
}

/// One question of an online course's quiz. `answer` (the index of the right option) is never
/// shown to families.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    pub options: Vec<String>,
    pub answer: usize,
}

/// Why an online course does not count as completed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incomplete {
    /// The time floor is not met: `remaining_secs` more.
    TooSoon { remaining_secs: i64 },
    /// One answer per question is needed (`expected` of them).
    AnswerCount { expected: usize },
    /// These questions (0-based) are answered wrongly; the family may try again.
    WrongAnswers { questions: Vec<usize> },
}

/// An online course is completed when the guardian opened it at least `min_minutes` ago and
/// answered every quiz question rightly.
pub fn online_completion(
    started_at: DateTime<Utc>,
    min_minutes: i16,
    now: DateTime<Utc>,
    quiz: &[Question],
    answers: &[usize],
) -> Result<(), Incomplete> {
    let due = started_at + Duration::minutes(i64::from(min_minutes));
    if now < due {
        return Err(Incomplete::TooSoon { remaining_secs: (due - now).num_seconds().max(1) });
    }
    if answers.len() != quiz.len() {
        return Err(Incomplete::AnswerCount { expected: quiz.len() });
    }
    let wrong: Vec<usize> =
        quiz.iter().zip(answers).enumerate().filter(|(_, (q, a))| q.answer != **a).map(|(i, _)| i).collect();
    if wrong.is_empty() { Ok(()) } else { Err(Incomplete::WrongAnswers { questions: wrong }) }
}

/// Where a family stands against a graduation rule: the credits still missing and the required
/// courses not yet earned (a required session missed rolls over: the course stays missing until a
/// later offering is attended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub missing_credits: i64,
    pub missing_courses: Vec<Uuid>,
}

impl Standing {
    pub fn met(&self) -> bool {
        self.missing_credits == 0 && self.missing_courses.is_empty()
    }
}

/// A rule of `credits` over the ledger's balance, including every course of `required`.
pub fn graduation(credits: i16, required: &[Uuid], balance: i64, earned: &HashSet<Uuid>) -> Standing {
    Standing {
        missing_credits: (i64::from(credits) - balance).max(0),
        missing_courses: required.iter().filter(|c| !earned.contains(c)).copied().collect(),
    }
}

/// A name as a public check shows it: the first character and one star, whatever the length, so
/// that the holder recognises it and nobody else learns it, not even its length ("张伟" → "张*").
pub fn mask_name(name: &str) -> String {
    name.trim().chars().next().map(|first| format!("{first}*")).unwrap_or_default()
}

/// Letters and digits a person cannot confuse when typing a code from paper (no 0/O, 1/I/L, U).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate's verification code from 64 random bits: 12 characters of [`CODE_ALPHABET`]
/// (about 58 bits: not guessable).
pub fn certificate_code(random: u64) -> String {
    let base = CODE_ALPHABET.len() as u64;
    let mut n = random;
    (0..12)
        .map(|_| {
            let c = CODE_ALPHABET[(n % base) as usize] as char;
            n /= base;
            c
        })
        .collect()
}

/// The school year a date falls in, named by the year it starts (September): 2026-12-04 → 2026.
pub fn school_year(date: NaiveDate) -> i32 {
    if date.month() >= 9 { date.year() } else { date.year() - 1 }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, s).single().unwrap()
    }

    #[test]
    fn a_course_without_grades_suits_every_child_and_one_with_grades_only_those() {
        assert!(suits(&[], 7));
        assert!(suits(&[1, 2], 2));
        assert!(!suits(&[1, 2], 3));
    }

    #[test]
    fn check_in_opens_half_an_hour_before_and_closes_at_the_end() {
        let (start, end) = (at(10, 0, 0), at(11, 30, 0));
        assert_eq!(check_in_window(start, end, at(9, 29, 59)), Window::NotYet { opens_at: at(9, 30, 0) });
        assert_eq!(check_in_window(start, end, at(9, 30, 0)), Window::Open);
        assert_eq!(check_in_window(start, end, at(11, 30, 0)), Window::Open);
        assert_eq!(check_in_window(start, end, at(11, 30, 1)), Window::Closed { closed_at: end });
    }

    #[test]
    fn marking_stays_open_a_week_after_the_end() {
        let (start, end) = (at(10, 0, 0), at(11, 30, 0));
        assert_eq!(marking_window(start, end, at(9, 0, 0)), Window::NotYet { opens_at: at(9, 30, 0) });
        assert_eq!(marking_window(start, end, end + Duration::days(7)), Window::Open);
        assert_eq!(
            marking_window(start, end, end + Duration::days(7) + Duration::seconds(1)),
            Window::Closed { closed_at: end + Duration::days(7) }
        );
    }

    #[test]
    fn the_code_holds_for_its_minute_and_the_next_and_differs_per_session() {
        let session = Uuid::from_u128(7);
        let (code, until) = check_in_code("secret", session, at(10, 0, 10));
        assert_eq!(code.len(), 6);
        assert_eq!(until, at(10, 1, 0));
        assert!(code_matches("secret", session, at(10, 0, 59), &code));
        assert!(code_matches("secret", session, at(10, 1, 59), &format!(" {code} ")));
        assert!(!code_matches("secret", session, at(10, 2, 0), &code));
        assert!(!code_matches("other", session, at(10, 0, 10), &code));
        let (other_session, _) = check_in_code("secret", Uuid::from_u128(8), at(10, 0, 10));
        assert_ne!(code, other_session, "codes of two sessions should differ (a 1-in-a-million clash here)");
    }

    fn quiz() -> Vec<Question> {
        vec![
            Question { prompt: "q1".into(), options: vec!["a".into(), "b".into()], answer: 1 },
            Question { prompt: "q2".into(), options: vec!["a".into(), "b".into()], answer: 0 },
        ]
    }

    #[test]
    fn online_completion_needs_the_time_floor_then_every_right_answer() {
        let started = at(10, 0, 0);
        assert_eq!(
            online_completion(started, 15, at(10, 14, 0), &quiz(), &[1, 0]),
            Err(Incomplete::TooSoon { remaining_secs: 60 })
        );
        assert_eq!(
            online_completion(started, 15, at(10, 15, 0), &quiz(), &[1]),
            Err(Incomplete::AnswerCount { expected: 2 })
        );
        assert_eq!(
            online_completion(started, 15, at(10, 15, 0), &quiz(), &[0, 0]),
            Err(Incomplete::WrongAnswers { questions: vec![0] })
        );
        assert_eq!(online_completion(started, 15, at(10, 15, 0), &quiz(), &[1, 0]), Ok(()));
        assert_eq!(online_completion(started, 0, started, &[], &[]), Ok(()));
    }

    #[test]
    fn graduation_needs_the_credits_and_every_required_course_whenever_it_was_earned() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let earned: HashSet<Uuid> = [a].into();
        let short = graduation(24, &[a, b], 20, &earned);
        assert_eq!(short, Standing { missing_credits: 4, missing_courses: vec![b] });
        assert!(!short.met());
        assert!(graduation(24, &[a], 30, &earned).met());
        assert_eq!(graduation(24, &[], -3, &earned).missing_credits, 27);
    }

    #[test]
    fn a_masked_name_keeps_the_surname_only() {
        assert_eq!(mask_name("张伟"), "张*");
        assert_eq!(mask_name(" 欧阳娜娜 "), "欧*");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn certificate_codes_are_twelve_unambiguous_characters() {
        let code = certificate_code(u64::MAX);
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|c| CODE_ALPHABET.contains(&c)));
        assert_ne!(certificate_code(1), certificate_code(2));
    }

    #[test]
    fn the_school_year_starts_in_september() {
        assert_eq!(school_year(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()), 2026);
        assert_eq!(school_year(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()), 2026);
        assert_eq!(school_year(NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()), 2027);
    }

    #[test]
    fn a_reminder_is_due_the_day_before_for_what_was_announced_earlier() {
        let start = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
        let week_before = start - Duration::days(7);
        assert!(!reminder_due(week_before, start, start - Duration::hours(25)), "not yet");
        assert!(reminder_due(week_before, start, start - Duration::hours(24)));
        assert!(reminder_due(week_before, start, start - Duration::minutes(1)));
        assert!(!reminder_due(week_before, start, start), "started");
        assert!(!reminder_due(start - Duration::hours(20), start, start - Duration::hours(2)), "announced late");
    }
}
