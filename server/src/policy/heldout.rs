//! The frozen held-out batches (`heldout/*.tsv`): sentences written by someone who had not seen
//! the rules, scored on first sight and never tuned toward. The corpus the rules were tuned on
//! (`corpus.tsv`) cannot show how the guard does on a paraphrase nobody wrote with the table in
//! mind; these can. A batch is never edited and never merged into the tuning corpus: a fix made
//! because of a held-out miss turns that batch into tuning data (say so in README and write a new
//! batch).
//!
//! The test prints each batch's figures and fails when the guard does worse on a batch than when
//! it was first scored ([`FIRST_SIGHT`]): the held-out figures may only improve through changes
//! made for other reasons (the generator, the tuning corpus, the learned scorer).

use super::{Audience, Channel, Field, check};

/// What a batch scored when it was first run, recorded before any change to the guard.
struct Figures {
    batch: &'static str,
    /// Violations caught with every rule id they break, of all violations.
    caught: usize,
    violations: usize,
    /// Harmless sentences blocked, of all harmless sentences.
    false_blocks: usize,
    harmless: usize,
}

const FIRST_SIGHT: &[Figures] = &[
    // 160 sentences in 钉钉/企业微信/WeChat style, 29 % English, by a writer who had not seen the
    // rules; scored on the rules of 2026-12-03 (commit after 3bbf177).
    Figures { batch: "2026-12-03", caught: 41, violations: 86, false_blocks: 4, harmless: 74 },
];

/// One labelled sentence of a batch.
struct Case<'a> {
    line: usize,
    want: Vec<&'a str>,
    channel: Channel,
    text: &'a str,
}

fn cases(batch: &str) -> Vec<Case<'_>> {
    batch
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(n, line)| {
            let [expected, channel, text] = line.splitn(3, '\t').collect::<Vec<_>>()[..] else {
                panic!("line {} needs three tab-separated columns", n + 1);
            };
            let channel = match channel {
                "notice" => Channel::Notice,
                "message" => Channel::Message,
                "homework" => Channel::Homework,
                other => panic!("line {}: unknown channel {other}", n + 1),
            };
            let mut want: Vec<&str> = if expected == "ok" { Vec::new() } else { expected.split('+').collect() };
            want.sort_unstable();
            Case { line: n + 1, want, channel, text }
        })
        .collect()
}

/// Scores one batch: its figures and the misjudged lines.
fn score(name: &'static str, batch: &str) -> (Figures, Vec<String>) {
    let mut figures = Figures { batch: name, caught: 0, violations: 0, false_blocks: 0, harmless: 0 };
    let mut wrong = Vec::new();
    for case in cases(batch) {
        // A message goes to one family; notices and homework to a group.
        let audience = if case.channel == Channel::Message { Audience::OneFamily } else { Audience::Group };
        let mut found: Vec<&str> = check(&[Field { name: "body", text: case.text }], case.channel, audience)
            .iter()
            .map(|v| v.rule.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        if case.want.is_empty() {
            figures.harmless += 1;
            if !found.is_empty() {
                figures.false_blocks += 1;
                wrong.push(format!("line {} false block {found:?}: {}", case.line, case.text));
            }
        } else {
            figures.violations += 1;
            if case.want.iter().all(|w| found.contains(w)) {
                figures.caught += 1;
            } else {
                wrong.push(format!("line {} missed {:?} (found {found:?}): {}", case.line, case.want, case.text));
            }
        }
    }
    (figures, wrong)
}

/// Every batch in `heldout/`, by file name (a new batch is one more line here).
fn batches() -> Vec<(&'static str, &'static str)> {
    vec![("2026-12-03", include_str!("heldout/2026-12-03.tsv"))]
}

#[test]
fn held_out_batches_score_no_worse_than_on_first_sight() {
    for (name, batch) in batches() {
        let (now, wrong) = score(name, batch);
        eprintln!(
            "held-out {}: caught {}/{} violations, {}/{} harmless blocked\n  {}",
            now.batch,
            now.caught,
            now.violations,
            now.false_blocks,
            now.harmless,
            wrong.join("\n  ")
        );
        let first = FIRST_SIGHT.iter().find(|f| f.batch == name).unwrap_or_else(|| {
            panic!("batch {name} has no first-sight figures: score it (this test prints them) and record them first")
        });
        assert_eq!((now.violations, now.harmless), (first.violations, first.harmless), "batch {name} was edited");
        assert!(now.caught >= first.caught, "batch {name}: {} caught, {} on first sight", now.caught, first.caught);
        assert!(
            now.false_blocks <= first.false_blocks,
            "batch {name}: {} false blocks, {} on first sight",
            now.false_blocks,
            first.false_blocks
        );
    }
}
