//! The matching proposal (`MT_COVERAGE`): every student of the covered grades gets a mentor, each
//! mentor at most `cap` mentees, loads balanced, preferring a teacher who teaches the student and
//! keeping last period's mentor. Pure and deterministic: the same facts give the same proposal.
//!
//! Order of preference, each step only under the cap:
//! 1. the admin's pins (a special-needs student placed on purpose);
//! 2. in two-way choice, a mentor who accepted the family's choice;
//! 3. the student's current mentor (continuity);
//! 4. in two-way choice, the family's ranked choices (those not declined), rank by rank;
//! 5. the rest, one student at a time (by class, then id): first each to the least-loaded teacher
//!    of their class under the balanced load (students ÷ mentors, rounded up), then those left to
//!    the least-loaded teacher under it; then the same two under the cap.

use std::collections::HashMap;

use uuid::Uuid;

/// A student to match, in their class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Student {
    pub id: Uuid,
    pub class_id: Uuid,
}

/// A teacher who may mentor, with the classes they teach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentor {
    pub account_id: Uuid,
    pub classes: Vec<Uuid>,
}

/// What the proposal starts from besides the students and mentors.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cap: usize,
    /// The admin's pins, student → mentor.
    pub pinned: HashMap<Uuid, Uuid>,
    /// Each student's mentor now (or last period), student → mentor.
    pub current: HashMap<Uuid, Uuid>,
    /// Two-way choice: each student's ranked mentors (at most 3 are read).
    pub choices: HashMap<Uuid, Vec<Uuid>>,
    /// Two-way choice: the mentor who accepted the family's choice, student → mentor.
    pub accepted: HashMap<Uuid, Uuid>,
}

/// Why a student got their mentor (shown to the admin who adjusts the proposal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Pinned,
    /// The family chose the mentor and the mentor accepted.
    Accepted,
    Kept,
    Chosen,
    TeachesStudent,
    Balanced,
}

/// The proposal: a mentor for every student the caps allow, and who is left without.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// (student, mentor, why), in the students' order.
    pub assignments: Vec<(Uuid, Uuid, Basis)>,
    pub without_mentor: Vec<Uuid>,
}

struct Loads {
    index: HashMap<Uuid, usize>,
    load: Vec<usize>,
}

impl Loads {
    fn has_room(&self, mentor: Uuid, limit: usize) -> Option<usize> {
        self.index.get(&mentor).copied().filter(|&i| self.load[i] < limit)
    }
}

fn take(loads: &mut Loads, chosen: &mut HashMap<Uuid, (usize, Basis)>, student: Uuid, i: usize, basis: Basis) {
    loads.load[i] += 1;
    chosen.insert(student, (i, basis));
}

pub fn propose(students: &[Student], mentors: &[Mentor], facts: &Facts) -> Proposal {
    let mut order: Vec<Student> = students.to_vec();
    order.sort_by_key(|s| (s.class_id, s.id));
    let mut loads = Loads {
        index: mentors.iter().enumerate().map(|(i, m)| (m.account_id, i)).collect(),
        load: vec![0; mentors.len()],
    };
    let mut teaching: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (i, m) in mentors.iter().enumerate() {
        for class in &m.classes {
            teaching.entry(*class).or_default().push(i);
        }
    }
    let mut chosen: HashMap<Uuid, (usize, Basis)> = HashMap::new();

    for (source, basis) in
        [(&facts.pinned, Basis::Pinned), (&facts.accepted, Basis::Accepted), (&facts.current, Basis::Kept)]
    {
        for s in &order {
            if chosen.contains_key(&s.id) {
                continue;
            }
            if let Some(i) = source.get(&s.id).and_then(|m| loads.has_room(*m, facts.cap)) {
                take(&mut loads, &mut chosen, s.id, i, basis);
            }
        }
    }
    for rank in 0..3 {
        for s in &order {
            if chosen.contains_key(&s.id) {
                continue;
            }
            let wanted = facts.choices.get(&s.id).and_then(|c| c.get(rank));
            if let Some(i) = wanted.and_then(|m| loads.has_room(*m, facts.cap)) {
                take(&mut loads, &mut chosen, s.id, i, Basis::Chosen);
            }
        }
    }
    let balanced = if mentors.is_empty() { 0 } else { students.len().div_ceil(mentors.len()).min(facts.cap) };
    // Teachers of the student's class first, over every student, before anyone else takes the
    // rest: so one class's overflow does not fill the teacher of the next class.
    for limit in [balanced, facts.cap] {
        for teaching_only in [true, false] {
            for s in &order {
                if chosen.contains_key(&s.id) {
                    continue;
                }
                let of_class = teaching.get(&s.class_id).map(Vec::as_slice).unwrap_or_default();
                let candidates: &mut dyn Iterator<Item = usize> =
                    if teaching_only { &mut of_class.iter().copied() } else { &mut (0..mentors.len()) };
                let least = candidates
                    .filter(|&i| loads.load[i] < limit)
                    .min_by_key(|&i| (loads.load[i], mentors[i].account_id));
                if let Some(i) = least {
                    let basis = if of_class.contains(&i) { Basis::TeachesStudent } else { Basis::Balanced };
                    take(&mut loads, &mut chosen, s.id, i, basis);
                }
            }
        }
    }
    let mut assignments = Vec::with_capacity(order.len());
    let mut without_mentor = Vec::new();
    for s in &order {
        match chosen.get(&s.id) {
            Some(&(i, basis)) => assignments.push((s.id, mentors[i].account_id, basis)),
            None => without_mentor.push(s.id),
        }
    }
    Proposal { assignments, without_mentor }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize, seed: u8) -> Vec<Uuid> {
        (0..n)
            .map(|i| Uuid::from_bytes([seed, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (i / 256) as u8, (i % 256) as u8]))
            .collect()
    }

    fn loads(p: &Proposal) -> HashMap<Uuid, usize> {
        let mut l = HashMap::new();
        for (_, m, _) in &p.assignments {
            *l.entry(*m).or_default() += 1;
        }
        l
    }

    /// Two classes of 10, three teachers: the first teaches class A, the second class B, the third none.
    fn school() -> (Vec<Student>, Vec<Mentor>, [Uuid; 2]) {
        let classes = ids(2, 9);
        let students: Vec<Student> =
            ids(20, 1).into_iter().enumerate().map(|(i, id)| Student { id, class_id: classes[i % 2] }).collect();
        let t = ids(3, 2);
        let mentors = vec![
            Mentor { account_id: t[0], classes: vec![classes[0]] },
            Mentor { account_id: t[1], classes: vec![classes[1]] },
            Mentor { account_id: t[2], classes: vec![] },
        ];
        (students, mentors, [classes[0], classes[1]])
    }

    #[test]
    fn mt_coverage_every_student_gets_a_mentor_under_the_cap_with_balanced_loads() {
        let (students, mentors, _) = school();
        let p = propose(&students, &mentors, &Facts { cap: 12, ..Facts::default() });
        assert!(p.without_mentor.is_empty());
        assert_eq!(p.assignments.len(), 20);
        // 20 students over 3 mentors: at most 7 each.
        assert!(loads(&p).values().all(|&l| l <= 7), "{:?}", loads(&p));
        assert_eq!(loads(&p).len(), 3, "every teacher is a mentor");
    }

    #[test]
    fn mt_coverage_a_teacher_of_the_students_class_comes_first() {
        let (students, mentors, classes) = school();
        let p = propose(&students, &mentors, &Facts { cap: 12, ..Facts::default() });
        let teaches = p.assignments.iter().filter(|(_, _, b)| *b == Basis::TeachesStudent).count();
        assert_eq!(teaches, 14, "7 per class teacher under the balanced load");
        for (student, mentor, basis) in &p.assignments {
            if *basis == Basis::TeachesStudent {
                let s = students.iter().find(|s| s.id == *student).unwrap();
                let m = mentors.iter().find(|m| m.account_id == *mentor).unwrap();
                assert!(m.classes.contains(&s.class_id));
                assert!(classes.contains(&s.class_id));
            }
        }
    }

    #[test]
    fn mt_coverage_a_cap_too_small_leaves_students_without_a_mentor() {
        let (students, mentors, _) = school();
        let p = propose(&students, &mentors, &Facts { cap: 5, ..Facts::default() });
        assert_eq!(p.assignments.len(), 15);
        assert_eq!(p.without_mentor.len(), 5);
        assert!(loads(&p).values().all(|&l| l <= 5));
    }

    #[test]
    fn a_mentors_acceptance_outranks_continuity_and_a_decline_is_no_choice() {
        let (students, mentors, _) = school();
        let t: Vec<Uuid> = mentors.iter().map(|m| m.account_id).collect();
        let mut facts = Facts { cap: 2, ..Facts::default() };
        // Student 0 had t[0]; the family chose t[1], who accepted. Student 1 ranked t[2] (who
        // declined, so the service leaves it out) then t[1].
        facts.current.insert(students[0].id, t[0]);
        facts.accepted.insert(students[0].id, t[1]);
        facts.choices.insert(students[0].id, vec![t[1]]);
        facts.choices.insert(students[1].id, vec![t[1]]);
        let p = propose(&students, &mentors, &facts);
        let of = |s: Uuid| p.assignments.iter().find(|a| a.0 == s).map(|a| (a.1, a.2)).expect("assigned");
        assert_eq!(of(students[0].id), (t[1], Basis::Accepted));
        assert_eq!(of(students[1].id), (t[1], Basis::Chosen));
    }

    #[test]
    fn pins_come_first_then_last_periods_mentor_then_the_familys_choices() {
        let (students, mentors, _) = school();
        let t: Vec<Uuid> = mentors.iter().map(|m| m.account_id).collect();
        let mut facts = Facts { cap: 12, ..Facts::default() };
        facts.pinned.insert(students[0].id, t[2]);
        facts.current.insert(students[1].id, t[0]);
        facts.current.insert(students[0].id, t[1]); // the pin outweighs it
        facts.choices.insert(students[2].id, vec![t[2], t[0]]);
        let p = propose(&students, &mentors, &facts);
        let of = |s: Uuid| p.assignments.iter().find(|a| a.0 == s).map(|a| (a.1, a.2)).unwrap();
        assert_eq!(of(students[0].id), (t[2], Basis::Pinned));
        assert_eq!(of(students[1].id), (t[0], Basis::Kept));
        assert_eq!(of(students[2].id), (t[2], Basis::Chosen));
    }

    #[test]
    fn a_full_mentor_passes_a_choice_to_the_next_rank() {
        let (students, mentors, _) = school();
        let t: Vec<Uuid> = mentors.iter().map(|m| m.account_id).collect();
        let mut facts = Facts { cap: 1, ..Facts::default() };
        facts.choices.insert(students[0].id, vec![t[2]]);
        facts.choices.insert(students[1].id, vec![t[2], t[1]]);
        let p = propose(&students, &mentors, &facts);
        let of = |s: Uuid| p.assignments.iter().find(|a| a.0 == s).map(|a| a.1);
        // Student 0 (class A) comes before student 1 (class B) in the school's order: it gets the
        // mentor both ranked first; student 1 gets their second choice.
        assert_eq!(of(students[0].id), Some(t[2]));
        assert_eq!(of(students[1].id), Some(t[1]));
    }

    #[test]
    fn the_same_facts_give_the_same_proposal() {
        let (students, mentors, _) = school();
        let facts = Facts { cap: 8, ..Facts::default() };
        let mut reversed = students.clone();
        reversed.reverse();
        assert_eq!(propose(&students, &mentors, &facts), propose(&reversed, &mentors, &facts));
    }
}
