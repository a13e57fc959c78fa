//! The school's mentoring figures, pure: completion of the three tasks (`MT_THREE_TASKS`) per
//! mentor, class and grade, and visits by mode. A task counts as completed when done in any mode;
//! a waived task is owed by nobody and leaves the denominator.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::model::{TaskStatus, VisitMode, VisitStatus};

/// One task of one student this period, with who mentors them and where they sit.
#[derive(Debug, Clone, Copy)]
pub struct TaskFact {
    pub mentor: Option<Uuid>,
    pub class_id: Uuid,
    pub grade: u8,
    pub status: TaskStatus,
}

/// Completed and owed tasks of a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completion {
    pub completed: u32,
    /// Tasks counted (waived ones left out).
    pub owed: u32,
}

impl Completion {
    fn add(&mut self, status: TaskStatus) {
        match status {
            TaskStatus::Waived => {}
            TaskStatus::Done | TaskStatus::DoneOnline | TaskStatus::DoneAtSchool => {
                self.completed += 1;
                self.owed += 1;
            }
            TaskStatus::Pending | TaskStatus::Scheduled | TaskStatus::Declined => self.owed += 1,
        }
    }

    /// Completed ÷ owed, in percent to one decimal (none when nothing is owed).
    pub fn percent(self) -> Option<f64> {
        (self.owed > 0).then(|| (f64::from(self.completed) * 1000.0 / f64::from(self.owed)).round() / 10.0)
    }
}

/// Completion per mentor, per class and per grade.
#[derive(Debug, Default, PartialEq)]
pub struct CompletionBy {
    pub mentor: BTreeMap<Uuid, Completion>,
    pub class: BTreeMap<Uuid, Completion>,
    pub grade: BTreeMap<u8, Completion>,
    pub school: Completion,
}

pub fn completion(facts: &[TaskFact]) -> CompletionBy {
    let mut by = CompletionBy::default();
    for f in facts {
        if let Some(mentor) = f.mentor {
            by.mentor.entry(mentor).or_default().add(f.status);
        }
        by.class.entry(f.class_id).or_default().add(f.status);
        by.grade.entry(f.grade).or_default().add(f.status);
        by.school.add(f.status);
    }
    by
}

/// Visits of the period: completed ones by the mode they were held in, and how many the family
/// confirmed, disputed or declined.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VisitFigures {
    pub by_mode: BTreeMap<&'static str, u32>,
    pub confirmed: u32,
    pub disputed: u32,
    pub declined: u32,
}

pub fn visits(rows: &[(VisitStatus, VisitMode, Option<VisitMode>)]) -> VisitFigures {
    let mut f = VisitFigures::default();
    for &(status, mode, done_mode) in rows {
        match status {
            VisitStatus::Done | VisitStatus::Confirmed => {
                let held = done_mode.unwrap_or(mode);
                *f.by_mode.entry(mode_name(held)).or_default() += 1;
                if status == VisitStatus::Confirmed {
                    f.confirmed += 1;
                }
            }
            VisitStatus::Disputed => f.disputed += 1,
            VisitStatus::Declined => f.declined += 1,
            VisitStatus::Proposed | VisitStatus::Booked | VisitStatus::Cancelled => {}
        }
    }
    f
}

pub fn mode_name(mode: VisitMode) -> &'static str {
    match mode {
        VisitMode::Home => "home",
        VisitMode::School => "school",
        VisitMode::Video => "video",
        VisitMode::Phone => "phone",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn mt_three_tasks_completion_counts_every_done_mode_and_leaves_waived_tasks_out() {
        let fact =
            |mentor, class, grade, status| TaskFact { mentor: Some(u(mentor)), class_id: u(class), grade, status };
        let facts = [
            fact(1, 10, 3, TaskStatus::Done),
            fact(1, 10, 3, TaskStatus::DoneOnline),
            fact(1, 10, 3, TaskStatus::Pending),
            fact(2, 11, 4, TaskStatus::Waived),
            fact(2, 11, 4, TaskStatus::Declined),
            fact(2, 11, 4, TaskStatus::DoneAtSchool),
        ];
        let by = completion(&facts);
        assert_eq!(by.mentor[&u(1)], Completion { completed: 2, owed: 3 });
        assert_eq!(by.mentor[&u(2)], Completion { completed: 1, owed: 2 });
        assert_eq!(by.grade[&4].percent(), Some(50.0));
        assert_eq!(by.school, Completion { completed: 3, owed: 5 });
        assert_eq!(by.school.percent(), Some(60.0));
        assert_eq!(Completion::default().percent(), None);
    }

    #[test]
    fn visits_count_by_the_mode_they_were_held_in() {
        let rows = [
            (VisitStatus::Confirmed, VisitMode::Home, Some(VisitMode::Home)),
            (VisitStatus::Done, VisitMode::Home, Some(VisitMode::Video)),
            (VisitStatus::Disputed, VisitMode::Home, Some(VisitMode::Home)),
            (VisitStatus::Declined, VisitMode::Home, None),
            (VisitStatus::Booked, VisitMode::Phone, None),
        ];
        let f = visits(&rows);
        assert_eq!(f.by_mode.get("home"), Some(&1));
        assert_eq!(f.by_mode.get("video"), Some(&1));
        assert_eq!((f.confirmed, f.disputed, f.declined), (1, 1, 1));
    }
}
