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

use super::{Audience, Channel, Field, Tier, labelled};

/// Which engine judges: the rules alone, or the rules with the learned scorer's verdicts at its
/// `block` threshold (or down to its `review` threshold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Rules,
    RulesAndScorer { down_to_review: bool },
}

/// The rule ids an engine finds in one text.
fn judge(engine: Engine, text: &str, channel: Channel, audience: Audience) -> Vec<&'static str> {
    let fields = [Field { name: "body", text }];
    let scorer = match engine {
        Engine::Rules => None,
        Engine::RulesAndScorer { down_to_review: false } => Some(Tier::Block),
        Engine::RulesAndScorer { down_to_review: true } => Some(Tier::Review),
    };
    let mut found: Vec<&str> =
        super::judge(&fields, channel, audience, scorer).iter().map(|v| v.rule.as_str()).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// What a batch scored when it was first run with an engine, recorded before any change to it.
struct Figures {
    batch: &'static str,
    engine: Engine,
    /// Violations caught with every rule id they break, of all violations.
    caught: usize,
    violations: usize,
    /// Harmless sentences blocked, of all harmless sentences.
    false_blocks: usize,
    harmless: usize,
}

const FIRST_SIGHT: &[Figures] = &[
    // 160 sentences in 钉钉/企业微信/WeChat style, 29 % English, by a writer who had not seen the
    // rules; scored on the rules of 2026-12-03 (e9b2dd4), then with the learned scorer (trained
    // on the 434-sentence tuning corpus) the same day. The scorer figures are of its version 3
    // (negation scopes with a bare 不, made for an HTTP test's "本次考试不排名"); version 2 had
    // scored 54/86 at block and 57/86 with 7/74 flagged at review.
    Figures { batch: "2026-12-03", engine: Engine::Rules, caught: 41, violations: 86, false_blocks: 4, harmless: 74 },
    // Block tier, scorer version 6: trained on the tuning corpus and the 6,630 generated
    // sentences (issue 18), thresholds still chosen on the hand-written corpus: 64/86 caught,
    // 6/74 flagged (from 53/86 and 4/74). Training on the generator was decided before looking;
    // choosing the thresholds on the hand-written corpus only was decided after one look at
    // 68/86 and 8/74 with thresholds on all the data. This batch has now steered one choice: the
    // next batch is the honest first sight. 65/86 since the tuning corpus gained the
    // after-school sentences of AS_NO_NEW_LESSONS (harmless to the scorer's three rules).
    Figures {
        batch: "2026-12-03",
        engine: Engine::RulesAndScorer { down_to_review: false },
        caught: 65,
        violations: 86,
        false_blocks: 6,
        harmless: 74,
    },
    // Review tier, scorer version 4: the review threshold never below 0.5. With the floor at 0.2
    // (57/86, 6/74 on first sight) the HTTP tests' everyday texts ("收到，注意休息。", "本次考试不
    // 排名") were held; the floor was raised for them, not for this batch, and cost 3 catches here
    // (54/86, 6/74). Version 5 (the Snowball English stemmer, asked for by issue 18) flagged 4/74;
    // version 6 (trained on the generator too, see above) 68/86 and 6/74.
    Figures {
        batch: "2026-12-03",
        engine: Engine::RulesAndScorer { down_to_review: true },
        caught: 68,
        violations: 86,
        false_blocks: 6,
        harmless: 74,
    },
    // 160 sentences (85 violations, 75 harmless; 65 % Chinese with traditional characters and
    // 钉钉/家长群 style, 25 % English, 10 % mixed) by a writer who had not seen the rules, the
    // corpus or the earlier batch; scored on first sight on 2026-12-04 with scorer version 6
    // (5eac004). Its false blocks are the families issue 18 names (statements ruling a practice
    // out, sports and calligraphy placings, peer discussion with the teacher marking).
    Figures { batch: "2026-12-04", engine: Engine::Rules, caught: 44, violations: 85, false_blocks: 8, harmless: 75 },
    Figures {
        batch: "2026-12-04",
        engine: Engine::RulesAndScorer { down_to_review: false },
        caught: 70,
        violations: 85,
        false_blocks: 10,
        harmless: 75,
    },
    Figures {
        batch: "2026-12-04",
        engine: Engine::RulesAndScorer { down_to_review: true },
        caught: 73,
        violations: 85,
        false_blocks: 12,
        harmless: 75,
    },
];

/// Scores one batch with an engine: its figures and the misjudged lines.
fn score(name: &'static str, batch: &str, engine: Engine) -> (Figures, Vec<String>) {
    let mut figures = Figures { batch: name, engine, caught: 0, violations: 0, false_blocks: 0, harmless: 0 };
    let mut wrong = Vec::new();
    for case in labelled::parse(batch).unwrap_or_else(|e| panic!("batch {name}: {e}")) {
        // A message goes to one family; notices and homework to a group.
        let audience = if case.channel == Channel::Message { Audience::OneFamily } else { Audience::Group };
        let found = judge(engine, case.text, case.channel, audience);
        let want = case.rule_ids();
        if want.is_empty() {
            figures.harmless += 1;
            if !found.is_empty() {
                figures.false_blocks += 1;
                wrong.push(format!("line {} false block {found:?}: {}", case.line, case.text));
            }
        } else {
            figures.violations += 1;
            if want.iter().all(|w| found.contains(w)) {
                figures.caught += 1;
            } else {
                wrong.push(format!("line {} missed {want:?} (found {found:?}): {}", case.line, case.text));
            }
        }
    }
    (figures, wrong)
}

/// Every batch in `heldout/`, by file name (a new batch is one more line here).
fn batches() -> Vec<(&'static str, &'static str)> {
    vec![("2026-12-03", include_str!("heldout/2026-12-03.tsv")), ("2026-12-04", include_str!("heldout/2026-12-04.tsv"))]
}

const ENGINES: [Engine; 3] =
    [Engine::Rules, Engine::RulesAndScorer { down_to_review: false }, Engine::RulesAndScorer { down_to_review: true }];

#[test]
fn held_out_batches_score_no_worse_than_on_first_sight() {
    for (name, batch) in batches() {
        for engine in ENGINES {
            let (now, wrong) = score(name, batch, engine);
            eprintln!(
                "held-out {name}, {engine:?}: caught {}/{} violations, {}/{} harmless flagged\n  {}",
                now.caught,
                now.violations,
                now.false_blocks,
                now.harmless,
                wrong.join("\n  ")
            );
            let first = FIRST_SIGHT.iter().find(|f| f.batch == name && f.engine == engine).unwrap_or_else(|| {
                panic!("batch {name} has no first-sight figures for {engine:?}: score it (this test prints them) and record them first")
            });
            assert_eq!((now.violations, now.harmless), (first.violations, first.harmless), "batch {name} was edited");
            assert!(
                now.caught >= first.caught,
                "batch {name}, {engine:?}: {} caught, {} on first sight",
                now.caught,
                first.caught
            );
            assert!(
                now.false_blocks <= first.false_blocks,
                "batch {name}, {engine:?}: {} flagged harmless, {} on first sight",
                now.false_blocks,
                first.false_blocks
            );
        }
    }
}
