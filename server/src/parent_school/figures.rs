//! The school's parent-school figures, pure (`PS_BUREAU` reads the same): participation (the share
//! of families with at least one course completed this term) per class, grade and school, the
//! distribution of families' credits, and graduation per stage. Figures only: never a family.

use std::collections::{BTreeMap, HashMap, HashSet};

use uuid::Uuid;

/// One student of the school, where they sit.
#[derive(Debug, Clone, Copy)]
pub struct StudentFact {
    pub id: Uuid,
    pub class_id: Uuid,
    pub grade: i16,
}

/// How many families of a group took part, out of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub part: u32,
    pub of: u32,
}

impl Share {
    fn add(&mut self, counted: bool) {
        self.of += 1;
        if counted {
            self.part += 1;
        }
    }

    /// In percent to one decimal (none for an empty group).
    pub fn percent(self) -> Option<f64> {
        (self.of > 0).then(|| (f64::from(self.part) * 1000.0 / f64::from(self.of)).round() / 10.0)
    }
}

#[derive(Debug, Default, PartialEq)]
pub struct Participation {
    pub class: BTreeMap<Uuid, Share>,
    pub grade: BTreeMap<i16, Share>,
    pub school: Share,
}

/// Participation: a family (a child's) takes part when it completed at least one course this term.
pub fn participation(students: &[StudentFact], took_part: &HashSet<Uuid>) -> Participation {
    let mut out = Participation::default();
    for s in students {
        let counted = took_part.contains(&s.id);
        out.class.entry(s.class_id).or_default().add(counted);
        out.grade.entry(s.grade).or_default().add(counted);
        out.school.add(counted);
    }
    out
}

/// The buckets of the credits distribution: 0, 1–2, 3–5, 6–10, 11–20, over 20.
pub const BUCKETS: [(i64, Option<i64>); 6] =
    [(0, Some(0)), (1, Some(2)), (3, Some(5)), (6, Some(10)), (11, Some(20)), (21, None)];

/// How many families' balances fall in each bucket (a negative balance counts as 0).
pub fn distribution(students: &[StudentFact], balances: &HashMap<Uuid, i64>) -> [u32; 6] {
    let mut counts = [0u32; 6];
    for s in students {
        let balance = balances.get(&s.id).copied().unwrap_or(0).max(0);
        if let Some(i) = BUCKETS.iter().position(|(lo, hi)| balance >= *lo && hi.is_none_or(|hi| balance <= hi)) {
            counts[i] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(n: u128, class: u128, grade: i16) -> StudentFact {
        StudentFact { id: Uuid::from_u128(n), class_id: Uuid::from_u128(class), grade }
    }

    #[test]
    fn participation_counts_families_with_a_completed_course_per_class_grade_and_school() {
        let students = [student(1, 10, 3), student(2, 10, 3), student(3, 11, 4)];
        let took: HashSet<Uuid> = [Uuid::from_u128(1), Uuid::from_u128(3)].into();
        let p = participation(&students, &took);
        assert_eq!(p.class[&Uuid::from_u128(10)], Share { part: 1, of: 2 });
        assert_eq!(p.grade[&4], Share { part: 1, of: 1 });
        assert_eq!(p.school.percent(), Some(66.7));
        assert_eq!(Share::default().percent(), None);
    }

    #[test]
    fn balances_fall_into_their_buckets_and_a_negative_one_counts_as_none() {
        let students = [student(1, 1, 1), student(2, 1, 1), student(3, 1, 1), student(4, 1, 1), student(5, 1, 1)];
        let balances: HashMap<Uuid, i64> =
            [(Uuid::from_u128(2), 2), (Uuid::from_u128(3), 6), (Uuid::from_u128(4), 40), (Uuid::from_u128(5), -1)]
                .into();
        assert_eq!(distribution(&students, &balances), [2, 1, 0, 1, 0, 1]);
    }
}
