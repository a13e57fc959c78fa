//! Throughput of the content guard (`policy::check`) on 100-character texts built from the
//! labelled corpus: blocked and allowed sentences, Chinese, English and mixed.
//! Target (issue 4): at least 50,000 texts per second on one core.
//!
//! `cargo bench -p server --bench policy_guard`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use server::policy::{Audience, Channel, Field, check};

/// Texts of exactly 100 characters, each made of consecutive corpus sentences.
fn texts() -> Vec<String> {
    let sentences: Vec<&str> = include_str!("../src/policy/corpus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .collect();
    let mut texts = Vec::new();
    for start in 0..sentences.len() {
        let mut text = String::new();
        for s in sentences.iter().cycle().skip(start) {
            text.push_str(s);
            if text.chars().count() >= 100 {
                break;
            }
        }
        texts.push(text.chars().take(100).collect());
    }
    texts
}

fn guard(c: &mut Criterion) {
    let texts = texts();
    let mut group = c.benchmark_group("policy_guard");
    group.throughput(Throughput::Elements(texts.len() as u64));
    for channel in [Channel::Homework, Channel::Notice] {
        group.bench_function(format!("{channel:?} 100-char texts"), |b| {
            b.iter(|| {
                let mut blocked = 0usize;
                for text in &texts {
                    blocked += check(&[Field { name: "body", text: black_box(text) }], channel, Audience::Group).len();
                }
                black_box(blocked)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, guard);
criterion_main!(benches);
