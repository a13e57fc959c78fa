//! The elective lottery (`afterschool::lottery::draw`) over 10,000 ranked applications for 200
//! activities: 2,500 children with four choices each, 30 seats per activity, sessions spread over
//! the week so that some choices clash. Target (issue 9): ≤ 1 s.
//!
//! `cargo bench -p server --bench afterschool_lottery`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use server::afterschool::lottery::{Application, Offer, draw};
use uuid::Uuid;

fn offers() -> Vec<Offer> {
    (0..200u128)
        .map(|a| Offer {
            activity_id: Uuid::from_u128(a + 1),
            seats: 30,
            weekdays: vec![1 + (a % 5) as u8],
            start: 960 + 30 * (a % 3) as u16,
            end: 1050 + 30 * (a % 3) as u16,
        })
        .collect()
}

fn applications() -> Vec<Application> {
    (0..2_500u128)
        .flat_map(|child| {
            (0..4u128).map(move |rank| Application {
                student_id: Uuid::from_u128(1_000_000 + child),
                // Popular activities first: low ids are everyone's early choices.
                activity_id: Uuid::from_u128((child * 7 + rank * 53) % 200 + 1),
                rank: rank as u8 + 1,
            })
        })
        .collect()
}

fn lottery(c: &mut Criterion) {
    let (offers, applications) = (offers(), applications());
    assert_eq!(applications.len(), 10_000);
    c.bench_function("lottery 10,000 applications, 200 activities", |b| {
        b.iter(|| black_box(draw(black_box("bench-seed"), &offers, &applications)))
    });
}

criterion_group!(benches, lottery);
criterion_main!(benches);
