//! The learned scorer beside the rules (issue 18): one logistic regression per content rule over
//! hashed features of the normalised text — character 1- to 3-grams (Chinese needs no word
//! segmentation for these, and they survive paraphrase better than a verb table) and English
//! words with their endings stripped, single and in pairs. The rules give exact spans, rule ids
//! and rewordings; the scorer gives a probability that generalises over phrasings nobody wrote
//! into the table.
//!
//! Trained from the tuning corpus (`corpus.tsv`) and the generated sentences (`generator.rs`),
//! never from a held-out batch, by `cargo run -p server -- train-guard` (deterministic: fixed
//! seed, fixed order); the weights are `scorer.weights` beside this file, with the training
//! data's hash and the thresholds chosen by cross-validation on it. A test retrains and fails
//! when the file is stale.

use std::sync::OnceLock;

use super::RuleId;
use super::normalise::normalise;

/// The rules the scorer learns, in the order of its outputs.
pub const RULES: [RuleId; 3] = [RuleId::HwParentBurden, RuleId::HwSelfGrading, RuleId::ExamNoRanking];
/// Feature space: hashed into this many buckets per rule.
pub const BUCKETS: usize = 1 << 16;
/// Bump when features or training change: the weights file names the version it was made with.
pub const VERSION: u32 = 6;

const EPOCHS: usize = 40;
const LEARNING_RATE: f32 = 0.2;
const L2: f32 = 1e-4;
const SEED: u64 = 20_261_203;
const FOLDS: usize = 5;
/// Weights smaller than this are left out of the file (they change no verdict).
const PRUNE: f32 = 1e-3;

/// FNV-1a over a tagged gram's bytes, into a bucket.
fn bucket_of_bytes(tag: u8, bytes: impl IntoIterator<Item = u8>) -> u32 {
    let mut hash: u32 = 0x811c_9dc5 ^ u32::from(tag);
    for byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % BUCKETS as u32
}

fn bucket(tag: u8, gram: &str) -> u32 {
    bucket_of_bytes(tag, gram.bytes())
}

/// An English word without its inflection ("checked", "checking", "checks" → "check";
/// "marked" → "mark"; "graded" → "grade"), by the Snowball English stemmer.
fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// Appends the stem of `word` to `out`.
fn stem_into(word: &str, out: &mut String) {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    // Teachers use few English words, and stemming one costs ten times looking it up.
    thread_local! {
        static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> = Default::default();
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(stem) = stems.get(word) {
            out.push_str(stem);
            return;
        }
        let stem = STEMMER.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)).stem(word);
        if stems.len() >= 10_000 {
            stems.clear();
        }
        out.push_str(&stem);
        stems.insert(word.to_owned(), stem.into_owned());
    })
}

/// Words that turn off what follows them in the same clause ("家长无需签字", "parents do not need
/// to sign"): grams after one are features of their own, so a request and its negation differ.
const NEGATIONS: &[&str] = &[
    "无需",
    "无须",
    "不需",
    "不用",
    "不必",
    "不要",
    "不会再",
    "不再",
    "不得",
    "请勿",
    "禁止",
    "没有必要",
    "取消",
    "no need",
    "not ",
    "n't ",
    "no longer",
    "never ",
    "without ",
    "instead of",
];

/// Words that begin with 不 without negating what follows ("不及格" is a failing mark, "不会的题"
/// the questions a child cannot do).
const NOT_NEGATING: &[&str] =
    &["不及格", "不合格", "不错", "不同", "不少", "不断", "不好", "不够", "不如", "不过", "不仅", "不会的", "不懂"];

/// Where the negated part of a clause begins: its first negation word (`listed`, found for the
/// whole text at once), or a 不 that negates.
fn negation_start(clause: &str, listed: Option<usize>) -> usize {
    let bare = clause
        .match_indices('不')
        .map(|(i, _)| i)
        .find(|&i| !NOT_NEGATING.iter().any(|word| clause[i..].starts_with(word)));
    listed.into_iter().chain(bare).min().unwrap_or(clause.len())
}

/// Where the listed negation words start in a text, found in one pass.
fn negation_words(text: &str) -> Vec<usize> {
    static WORDS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostFirst).build(NEGATIONS).ok()
    });
    words.as_ref().map(|w| w.find_iter(text).map(|m| m.start()).collect()).unwrap_or_default()
}

/// Where a clause ends: the negation scope stops there.
fn ends_clause(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '！' | '？' | ',' | '.' | ';' | '!' | '?' | '\n' | '：' | ':')
}

/// The feature buckets of a text, each once, in order (as the trainer sees them).
pub fn features(text: &str) -> Vec<u32> {
    let mut features = features_of_normalised(&normalise(text).text);
    features.sort_unstable();
    features
}

/// The feature buckets of an already normalised text, each once, in the order first met.
pub fn features_of_normalised(text: &str) -> Vec<u32> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with_borrow_mut(|scratch| {
        let negations = negation_words(text);
        for clause in text.split(ends_clause) {
            let start = clause.as_ptr() as usize - text.as_ptr() as usize;
            let first = negations.partition_point(|&n| n < start);
            let listed = negations.get(first).map(|n| n - start).filter(|&n| n < clause.len());
            // Grams from the first negation word on are tagged as negated.
            let (plain, negated) = clause.split_at(negation_start(clause, listed));
            grams(plain, 0, scratch);
            grams(negated, 10, scratch);
        }
        // Leave the set empty for the next text: clearing what was set costs less than zeroing it.
        for &bucket in &scratch.found {
            scratch.seen[bucket as usize / 64] = 0;
        }
        std::mem::take(&mut scratch.found)
    })
}

/// What [`grams`] fills and reuses across the clauses of a text (and, per thread, across texts).
struct Scratch {
    /// The buckets seen in this text, one bit each.
    seen: Vec<u64>,
    /// The buckets seen in this text, each once, in the order first met.
    found: Vec<u32>,
    /// The span without spaces (the only whitespace a normalised text has).
    compact: Vec<u8>,
    /// Byte offset in `compact` of each character, then its length.
    starts: Vec<usize>,
    /// The stems of the span's English words, one after the other, and where each ends.
    stems: String,
    stem_ends: Vec<usize>,
}

impl Default for Scratch {
    fn default() -> Self {
        Self {
            seen: vec![0; BUCKETS / 64],
            found: Vec::new(),
            compact: Vec::new(),
            starts: Vec::new(),
            stems: String::new(),
            stem_ends: Vec::new(),
        }
    }
}

/// Adds a bucket to the text's features unless it is there already.
fn see(seen: &mut [u64], found: &mut Vec<u32>, bucket: u32) {
    let (word, bit) = (bucket as usize / 64, 1 << (bucket % 64));
    if seen[word] & bit == 0 {
        seen[word] |= bit;
        found.push(bucket);
    }
}

/// Character 1- to 3-grams and English words (stemmed, single and in pairs) of one span of a
/// normalised text. A gram is hashed straight from the bytes of its characters (the check runs
/// this for every gram of every text).
fn grams(span: &str, tag: u8, scratch: &mut Scratch) {
    let Scratch { seen, found, compact, starts, stems, stem_ends } = scratch;
    // Grams run across spaces ("检 查" is "检查"); a space is one byte and never inside a character.
    let bytes: &[u8] = if span.contains(' ') {
        compact.clear();
        compact.extend(span.bytes().filter(|&b| b != b' '));
        compact
    } else {
        span.as_bytes()
    };
    starts.clear();
    // A character starts at every byte that does not continue one (`10xxxxxx`).
    starts.extend(bytes.iter().enumerate().filter(|&(_, &b)| b & 0xC0 != 0x80).map(|(i, _)| i));
    starts.push(bytes.len());
    for n in 1..=3 {
        for i in 0..starts.len().saturating_sub(n) {
            let gram = &bytes[starts[i]..starts[i + n]];
            // Latin letters alone are covered better by the words below.
            if n == 1 && gram[0].is_ascii() {
                continue;
            }
            see(seen, found, bucket_of_bytes(tag + n as u8, gram.iter().copied()));
        }
    }
    if !span.bytes().any(|b| b.is_ascii_alphabetic()) {
        return;
    }
    stems.clear();
    stem_ends.clear();
    for word in span.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2) {
        stem_into(word, stems);
        stem_ends.push(stems.len());
    }
    let mut previous: Option<&str> = None;
    let mut start = 0;
    for &end in stem_ends.iter() {
        let word = &stems[start..end];
        see(seen, found, bucket(tag + 4, word));
        if let Some(before) = previous {
            see(seen, found, bucket_of_bytes(tag + 5, before.bytes().chain([b' ']).chain(word.bytes())));
        }
        (previous, start) = (Some(word), end);
    }
}

/// A labelled training sentence: its features and, per rule of [`RULES`], whether it breaks it.
pub struct Example {
    pub features: Vec<u32>,
    pub labels: [bool; 3],
}

impl Example {
    pub fn new(text: &str, rules: &[RuleId]) -> Self {
        Self { features: features(text), labels: RULES.map(|r| rules.contains(&r)) }
    }
}

/// The probabilities above which a rule is taken as broken (`block`) or worth a second look
/// (`review`), chosen by cross-validation on the tuning corpus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub block: f32,
    pub review: f32,
}

pub struct Model {
    weights: Vec<[f32; 3]>,
    bias: [f32; 3],
    pub thresholds: [Thresholds; 3],
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    fn empty() -> Self {
        let thresholds = [Thresholds { block: 1.1, review: 1.1 }; 3];
        Self { weights: vec![[0.0; 3]; BUCKETS], bias: [0.0; 3], thresholds }
    }

    /// The probability, per rule of [`RULES`], that a text with these features breaks it.
    pub fn probabilities(&self, features: &[u32]) -> [f32; 3] {
        let mut z = self.bias;
        for &f in features {
            let w = &self.weights[f as usize];
            for r in 0..3 {
                z[r] += w[r];
            }
        }
        z.map(sigmoid)
    }

    /// The probability per rule for a text.
    pub fn score(&self, text: &str) -> [f32; 3] {
        self.probabilities(&features(text))
    }

    /// The byte span of the gram of a normalised text that weighs most towards rule `r` (outside
    /// any negation): what to show the teacher when only the scorer fired.
    pub fn heaviest_span(&self, normalised: &str, r: usize) -> Option<(usize, usize)> {
        let starts: Vec<usize> = normalised.char_indices().map(|(i, _)| i).chain([normalised.len()]).collect();
        let mut best: Option<(f32, usize, usize)> = None;
        for n in 2..=3 {
            for i in 0..starts.len().saturating_sub(n) {
                let (start, end) = (starts[i], starts[i + n]);
                let gram = &normalised[start..end];
                if gram.chars().any(|c| c.is_whitespace() || c.is_ascii()) {
                    continue;
                }
                let weight = self.weights[bucket(n as u8, gram) as usize][r];
                if best.is_none_or(|(w, ..)| weight > w) {
                    best = Some((weight, start, end));
                }
            }
        }
        for word in normalised.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 2) {
            let start = word.as_ptr() as usize - normalised.as_ptr() as usize;
            let weight = self.weights[bucket(4, &stem(word)) as usize][r];
            if best.is_none_or(|(w, ..)| weight > w) {
                best = Some((weight, start, start + word.len()));
            }
        }
        best.filter(|(w, ..)| *w > 0.0).map(|(_, start, end)| (start, end))
    }

    /// The model shipped with the server (`scorer.weights`).
    pub fn shipped() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(include_str!("scorer.weights")).unwrap_or_else(|_| Model::empty()))
    }

    /// Reads a weights file (see [`Model::write`]).
    pub fn parse(file: &str) -> Result<Model, String> {
        let mut model = Model::empty();
        for (n, line) in file.lines().enumerate() {
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |i: usize| -> Result<f32, String> {
                fields.get(i).and_then(|v| v.parse().ok()).ok_or_else(|| format!("line {}: bad number", n + 1))
            };
            match fields.first().copied() {
                Some("bias") => model.bias = [number(1)?, number(2)?, number(3)?],
                Some("thresholds") => {
                    let rule = fields.get(1).and_then(|r| RULES.iter().position(|x| x.as_str() == *r));
                    let rule = rule.ok_or_else(|| format!("line {}: unknown rule", n + 1))?;
                    model.thresholds[rule] = Thresholds { block: number(2)?, review: number(3)? };
                }
                Some(b) if b.chars().all(|c| c.is_ascii_digit()) && !b.is_empty() => {
                    let bucket: usize = b.parse().map_err(|_| format!("line {}: bad bucket", n + 1))?;
                    let slot =
                        model.weights.get_mut(bucket).ok_or_else(|| format!("line {}: bucket out of range", n + 1))?;
                    *slot = [number(1)?, number(2)?, number(3)?];
                }
                _ => {} // comments and the header
            }
        }
        Ok(model)
    }

    /// The weights file: a header naming the version and the training data's hash, the
    /// thresholds, the bias and every bucket with a weight that matters.
    pub fn write(&self, data_hash: &str) -> String {
        let mut out = format!(
            "# Learned scorer of the content guard (policy/scorer.rs), version {VERSION}.\n\
             # Made by `cargo run -p server -- train-guard` from policy/corpus.tsv and policy/generator.rs\n\
             # (sha256 {data_hash}).\n\
             # Do not edit: retrain. Columns: bucket, then one weight per rule ({}).\n",
            RULES.map(RuleId::as_str).join(", ")
        );
        out.push_str(&format!("version\t{VERSION}\ndata\t{data_hash}\n"));
        for (rule, t) in RULES.iter().zip(self.thresholds) {
            out.push_str(&format!("thresholds\t{}\t{:.3}\t{:.3}\n", rule.as_str(), t.block, t.review));
        }
        out.push_str(&format!("bias\t{:.4}\t{:.4}\t{:.4}\n", self.bias[0], self.bias[1], self.bias[2]));
        for (bucket, w) in self.weights.iter().enumerate() {
            if w.iter().any(|x| x.abs() >= PRUNE) {
                out.push_str(&format!("{bucket}\t{:.4}\t{:.4}\t{:.4}\n", w[0], w[1], w[2]));
            }
        }
        out
    }
}

/// What the teacher is told to do when only the scorer found a rule broken.
pub fn suggestion(rule: RuleId) -> (&'static str, &'static str) {
    match rule {
        RuleId::HwSelfGrading => (
            "请删去要求学生自己批改或打分的内容，作业由老师批改。",
            "Remove the request that pupils mark or score their own work: teachers mark homework.",
        ),
        RuleId::ExamNoRanking => (
            "请删去分数、名次和名单，成绩以等级私下告知每个家庭。",
            "Remove scores, placings and named lists: tell each family their child's level privately.",
        ),
        _ => (
            "请删去要求家长检查、批改、签字、记录或代做作业的内容；如需说明，可写“无需家长检查或签字”。",
            "Remove anything asking parents to check, mark, sign, record or do the work; if needed, say \"parents do not need to check or sign\".",
        ),
    }
}

/// A small deterministic generator for the training order (no dependency for a shuffle).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (self.next() % (i as u64 + 1)) as usize);
        }
    }
}

/// Fits the weights to `examples` by stochastic gradient descent on the logistic loss.
fn fit(examples: &[&Example]) -> Model {
    let mut model = Model::empty();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Lcg(SEED);
    for epoch in 0..EPOCHS {
        rng.shuffle(&mut order);
        let rate = LEARNING_RATE / (1.0 + epoch as f32 * 0.1);
        for &i in &order {
            let example = examples[i];
            let p = model.probabilities(&example.features);
            for (r, (p, label)) in p.iter().zip(example.labels).enumerate() {
                let gradient = p - if label { 1.0 } else { 0.0 };
                model.bias[r] -= rate * gradient;
                for &f in &example.features {
                    let w = &mut model.weights[f as usize][r];
                    *w -= rate * (gradient + L2 * *w);
                }
            }
        }
    }
    model
}

/// The lowest review threshold: more likely a violation than not.
const REVIEW_FLOOR: f32 = 0.5;

/// Trains on every example and chooses each rule's thresholds by `FOLDS`-fold cross-validation
/// over the first `calibration` examples (the hand-written ones): `block` is the lowest
/// probability that at most 1 % of their harmless held-back sentences reached,
/// `review` the lowest that at most 5 % reached, and never below one half: a send is held only
/// when the model finds a violation more likely than not (a floor of 0.2 held "收到，注意休息。"
/// and "本次考试不排名" — a corpus of a few hundred sentences cannot show how short and plain
/// most real messages are).
pub fn train(examples: &[Example], calibration: usize) -> Model {
    let mut held_back: Vec<[f32; 3]> = vec![[0.0; 3]; examples.len()];
    for fold in 0..FOLDS {
        let training: Vec<&Example> =
            examples.iter().enumerate().filter(|(i, _)| i % FOLDS != fold).map(|(_, e)| e).collect();
        let model = fit(&training);
        for (i, example) in examples.iter().enumerate().filter(|(i, _)| i % FOLDS == fold) {
            held_back[i] = model.probabilities(&example.features);
        }
    }
    let mut model = fit(&examples.iter().collect::<Vec<_>>());
    for r in 0..3 {
        let mut harmless: Vec<f32> =
            examples[..calibration].iter().zip(&held_back).filter(|(e, _)| !e.labels[r]).map(|(_, p)| p[r]).collect();
        harmless.sort_by(|a, b| b.total_cmp(a));
        let above = |share: usize| harmless.get(harmless.len() / share).copied().unwrap_or(0.5);
        let block = (above(100) + 0.01).clamp(0.5, 0.99);
        model.thresholds[r] = Thresholds { block, review: (above(20) + 0.01).clamp(REVIEW_FLOOR, block) };
    }
    model
}

/// The labelled sentences of a corpus file, as training examples.
pub fn examples_of(corpus: &str) -> Vec<Example> {
    super::labelled::parse(corpus)
        .unwrap_or_default()
        .iter()
        .map(|sentence| Example::new(sentence.text, &sentence.rules))
        .collect()
}

/// The tuning corpus the shipped weights come from, with the generated sentences.
pub const CORPUS: &str = include_str!("corpus.tsv");

/// Trains from the tuning corpus and the generated sentences and returns the weights file's text.
pub fn train_from_corpus() -> String {
    use sha2::{Digest, Sha256};
    let mut data = Sha256::new();
    data.update(CORPUS.as_bytes());
    let mut examples = examples_of(CORPUS);
    // Thresholds are chosen on the hand-written sentences: the generated ones are templates the
    // model fits easily, and their held-back scores would say little about real messages.
    let calibration = examples.len();
    for sentence in super::generator::sentences() {
        let labels: Vec<&str> = sentence.rules.iter().map(|r| r.as_str()).collect();
        data.update(format!("{}\t{}\n", labels.join("+"), sentence.text).as_bytes());
        examples.push(Example::new(&sentence.text, &sentence.rules));
    }
    train(&examples, calibration).write(&format!("{:x}", data.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_are_those_the_corpus_trains() {
        let fresh = train_from_corpus();
        assert!(
            fresh == include_str!("scorer.weights"),
            "policy/scorer.weights is stale (the corpus or the trainer changed): run `cargo run -p server -- train-guard`"
        );
    }

    #[test]
    fn a_gram_hashes_the_same_however_it_is_held() {
        let mut scratch = Scratch::default();
        grams("检 查", 0, &mut scratch);
        assert!(scratch.found.contains(&bucket(2, "检查")), "a bigram across a space is the bigram");
        assert_eq!(bucket_of_bytes(5, "go".bytes().chain([b' ']).chain("over".bytes())), bucket(5, "go over"));
    }

    #[test]
    fn inflections_share_a_stem_and_features_ignore_spacing_tricks() {
        assert_eq!(stem("checked"), "check");
        assert_eq!(stem("checking"), "check");
        assert_eq!(stem("checks"), "check");
        assert_eq!(stem("graded"), "grade");
        assert_eq!(stem("marking"), "mark");
        assert_eq!(stem("signed"), "sign");
        assert_eq!(features("请家长检查"), features("请 家 长 检\u{200b}查"));
    }

    #[test]
    fn the_scorer_tells_a_request_to_parents_from_a_notice_about_a_trip() {
        let model = Model::shipped();
        let burden = model.score("请家长每天批改孩子的练习并签名")[0];
        let trip = model.score("下周三秋游，请自带午餐和水")[0];
        assert!(burden > model.thresholds[0].block, "{burden}");
        assert!(trip < model.thresholds[0].review, "{trip}");
    }
}
