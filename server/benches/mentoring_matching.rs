//! The mentoring proposal (`mentoring::matching::propose`) for a 3,000-student school with 200
//! teachers: 60 classes of 50, each teacher teaching three classes, a cap of 16, half the students
//! keeping last period's mentor and 30 pinned. Target (issue 10): ≤ 1 s.
//!
//! `cargo bench -p server --bench mentoring_matching`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use server::mentoring::matching::{Facts, Mentor, Student, propose};
use uuid::Uuid;

fn school() -> (Vec<Student>, Vec<Mentor>, Facts) {
    let class = |c: u128| Uuid::from_u128(10_000 + c);
    let students: Vec<Student> =
        (0..3_000u128).map(|s| Student { id: Uuid::from_u128(1_000_000 + s), class_id: class(s / 50) }).collect();
    let mentors: Vec<Mentor> = (0..200u128)
        .map(|t| Mentor {
            account_id: Uuid::from_u128(500_000 + t),
            classes: (0..3).map(|k| class((t + k * 20) % 60)).collect(),
        })
        .collect();
    let mut facts = Facts { cap: 16, ..Facts::default() };
    for (i, s) in students.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        facts.current.insert(s.id, mentors[(i / 2) % 200].account_id);
    }
    for (i, s) in students.iter().enumerate().take(30) {
        facts.pinned.insert(s.id, mentors[199 - i].account_id);
    }
    (students, mentors, facts)
}

fn matching(c: &mut Criterion) {
    let (students, mentors, facts) = school();
    let proposal = propose(&students, &mentors, &facts);
    assert!(proposal.without_mentor.is_empty(), "{} without", proposal.without_mentor.len());
    c.bench_function("proposal 3,000 students, 200 teachers", |b| {
        b.iter(|| black_box(propose(black_box(&students), &mentors, &facts)))
    });
}

criterion_group!(benches, matching);
criterion_main!(benches);
