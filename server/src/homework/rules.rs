//! The homework rules of DOMAIN.md that depend on a post's structure rather than its words (the
//! words — `HW_PARENT_BURDEN`, `HW_SELF_GRADING` — are in `crate::policy`). Pure: facts in,
//! verdict out; no I/O, no clock.
//!
//! - `HW_NO_WRITTEN_G12`: grades 1–2 get no written homework to do at home.
//! - `HW_DAILY_CAP`: a class's written home-homework minutes for one day, summed across subjects,
//!   stay within its stage's cap (primary 60, junior 90; a district may set stricter caps). The
//!   stage of a grade comes from the school's stage system (六三制 / 五四制).
//! - `HW_LAYERED`: optional-tier homework never counts toward the cap.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{HomeworkKind, Location, Tier};
use crate::org::model::Stage;

/// The national caps (seed 002 §(二)3); a district may only lower them.
pub const PRIMARY_CAP_MINUTES: i32 = 60;
pub const JUNIOR_CAP_MINUTES: i32 = 90;
/// The lowest cap a district may set: below it a day leaves no room for a real exercise.
pub const MIN_CAP_MINUTES: i32 = 10;

/// A district's daily caps for written homework, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub primary: i32,
    pub junior: i32,
}

impl Default for Caps {
    fn default() -> Self {
        Caps { primary: PRIMARY_CAP_MINUTES, junior: JUNIOR_CAP_MINUTES }
    }
}

impl Caps {
    pub fn for_stage(self, stage: Stage) -> i32 {
        match stage {
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
        }
    }
}

/// Whether a post's minutes count toward the daily cap: written, at home, not optional.
pub fn counts_toward_cap(kind: HomeworkKind, tier: Tier, location: Location) -> bool {
    kind == HomeworkKind::Written && location == Location::Home && tier != Tier::Optional
}

/// `HW_NO_WRITTEN_G12`: written homework at home for grades 1 and 2 breaks it.
pub fn breaks_no_written_g12(grade: i16, kind: HomeworkKind, location: Location) -> bool {
    grade <= 2 && kind == HomeworkKind::Written && location == Location::Home
}

/// Minutes a subject already uses on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SubjectMinutes {
    pub subject: String,
    pub minutes: i32,
}

/// A class's written home-homework budget for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Budget {
    pub cap_minutes: i32,
    pub used_minutes: i32,
    /// Never negative: a cap lowered after posting leaves 0.
    pub remaining_minutes: i32,
    /// Subjects that use the budget, largest first.
    pub by_subject: Vec<SubjectMinutes>,
}

impl Budget {
    /// The budget of a day from the countable posts on it, as `(subject, minutes)`.
    pub fn of(cap_minutes: i32, posts: impl IntoIterator<Item = (String, i32)>) -> Budget {
        let mut by_subject: Vec<SubjectMinutes> = Vec::new();
        for (subject, minutes) in posts {
            // Rows stored before subjects had one name (`chinese` beside 语文) count as one.
            let subject = crate::org::subject::name_of(&subject);
            match by_subject.iter_mut().find(|s| s.subject == subject) {
                Some(s) => s.minutes += minutes,
                None => by_subject.push(SubjectMinutes { subject, minutes }),
            }
        }
        by_subject.sort_by(|a, b| b.minutes.cmp(&a.minutes).then_with(|| a.subject.cmp(&b.subject)));
        let used_minutes = by_subject.iter().map(|s| s.minutes).sum();
        Budget { cap_minutes, used_minutes, remaining_minutes: (cap_minutes - used_minutes).max(0), by_subject }
    }

    /// `HW_DAILY_CAP`: whether `minutes` more fit.
    pub fn admits(&self, minutes: i32) -> bool {
        self.used_minutes + minutes <= self.cap_minutes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::model::StageSystem;

    #[test]
    fn hw_no_written_g12_refuses_written_home_homework_in_grades_one_and_two_only() {
        assert!(breaks_no_written_g12(1, HomeworkKind::Written, Location::Home));
        assert!(breaks_no_written_g12(2, HomeworkKind::Written, Location::Home));
        assert!(!breaks_no_written_g12(2, HomeworkKind::Written, Location::School));
        assert!(!breaks_no_written_g12(2, HomeworkKind::Reading, Location::Home));
        assert!(!breaks_no_written_g12(3, HomeworkKind::Written, Location::Home));
    }

    #[test]
    fn hw_daily_cap_sums_subjects_and_admits_up_to_the_cap() {
        let budget = Budget::of(60, [("数学".into(), 30), ("语文".into(), 20), ("数学".into(), 5)]);
        assert_eq!(budget.used_minutes, 55);
        assert_eq!(budget.remaining_minutes, 5);
        assert_eq!(budget.by_subject[0], SubjectMinutes { subject: "数学".into(), minutes: 35 });
        assert!(budget.admits(5));
        assert!(!budget.admits(6));
    }

    #[test]
    fn hw_daily_cap_follows_the_stage_system() {
        let caps = Caps::default();
        // Grade 6 is primary in 六三制 and junior in 五四制.
        assert_eq!(caps.for_stage(StageSystem::SixThree.stage_of(6)), 60);
        assert_eq!(caps.for_stage(StageSystem::FiveFour.stage_of(6)), 90);
        assert_eq!(Caps { primary: 45, junior: 80 }.for_stage(Stage::Junior), 80);
    }

    #[test]
    fn hw_layered_optional_and_school_homework_do_not_count() {
        assert!(counts_toward_cap(HomeworkKind::Written, Tier::Basic, Location::Home));
        assert!(counts_toward_cap(HomeworkKind::Written, Tier::Extended, Location::Home));
        assert!(!counts_toward_cap(HomeworkKind::Written, Tier::Optional, Location::Home));
        assert!(!counts_toward_cap(HomeworkKind::Written, Tier::Basic, Location::School));
        assert!(!counts_toward_cap(HomeworkKind::Oral, Tier::Basic, Location::Home));
    }

    #[test]
    fn a_cap_lowered_after_posting_leaves_no_negative_budget() {
        let budget = Budget::of(45, [("数学".into(), 50)]);
        assert_eq!(budget.remaining_minutes, 0);
        assert!(!budget.admits(1));
    }
}
