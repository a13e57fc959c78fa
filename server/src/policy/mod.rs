//! Content rules for everything a school sends families — notices, messages, and (from the
//! homework issue) homework. One module, called by every sender, so a rule added here applies
//! everywhere at once. Pure: text in, violations out; no I/O, no clock.
//!
//! Rule ids are those of `../shared/DOMAIN.md`; the rule table is in [`rules`], readable and
//! extendable by a reviewer without touching the matching code here. Running the check for a
//! sender, counting refusals and answering over HTTP is [`crate::guard`]'s job.

mod generator;
#[cfg(test)]
mod heldout;
mod labelled;
mod normalise;
mod requests;
pub mod rules;
pub mod scorer;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Lang;
pub use rules::RuleId;

/// A text in both languages the product speaks (every rule's wording is written into the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Wording {
    pub fn new((zh, en): (&'static str, &'static str)) -> Self {
        Self { zh, en }
    }

    pub fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Where the text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Notice,
    Message,
    Homework,
    /// An after-school activity's name and description (what families choose from).
    Activity,
}

/// Who reads it: a group (a class, a grade, the school) or one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Group,
    OneFamily,
}

/// One text to check, named by the field it came from (`title`, `body`, `options[1]`…).
pub struct Field<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// How sure the guard is that a span breaks a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
// Named apart from homework's `Tier` (basic, extended, optional) in the API document.
#[schema(as = GuardTier)]
pub enum Tier {
    /// Looks like a violation but is not certain (only the learned scorer, between its review and
    /// block thresholds): the send is held until the sender rephrases or confirms it.
    Review,
    /// Certain (a rule of the table, or the scorer at its block threshold): the send is refused.
    Block,
}

/// A rule broken by a span of one field.
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: RuleId,
    pub tier: Tier,
    pub field: String,
    /// Character offsets `[start, end)` in the field's original text.
    pub start: usize,
    pub end: usize,
    /// The offending text as written.
    pub excerpt: String,
    pub explanation: Wording,
    pub suggestion: Wording,
}

/// Checks every field against every rule that applies to the channel and audience: the rules,
/// then the learned scorer for what they did not name, at both tiers.
pub fn check(fields: &[Field<'_>], channel: Channel, audience: Audience) -> Vec<Violation> {
    judge(fields, channel, audience, Some(Tier::Review))
}

/// [`check`] with the learned scorer down to a tier (`None`: the rules alone). The held-out
/// figures compare the three.
fn judge(fields: &[Field<'_>], channel: Channel, audience: Audience, scorer_down_to: Option<Tier>) -> Vec<Violation> {
    let normalised: Vec<_> = fields.iter().map(|f| normalise::normalise(f.text)).collect();
    // "数学作业" in the title makes "请家长签字" in the body about homework.
    let mentions_homework = normalised.iter().any(|n| rules::mentions_homework(&n.text));
    let applicable: Vec<&rules::Rule> = rules::table().iter().filter(|r| r.applies_to(channel, audience)).collect();
    let mut violations = Vec::new();
    for (field, normalised) in fields.iter().zip(&normalised) {
        let ctx = requests::Context::new(&normalised.text, channel, mentions_homework);
        for rule in &applicable {
            for hit in rule.find(&ctx) {
                let (start, end) = normalised.original_span(hit.start, hit.end);
                violations.push(Violation {
                    rule: rule.id,
                    tier: Tier::Block,
                    field: field.name.to_owned(),
                    start,
                    end,
                    excerpt: field.text.chars().skip(start).take(end - start).collect(),
                    explanation: rule.explanation(),
                    suggestion: Wording::new(hit.suggestion),
                });
            }
        }
    }
    // The learned scorer, for what the rules did not name in a field: at its block threshold a
    // rule is broken there too, between review and block the send is held for the sender to
    // confirm; shown at the gram that weighs most. The homework rules speak of homework only: a
    // bare "请家长签字" under a trip notice is no burden.
    let Some(down_to) = scorer_down_to else {
        violations.sort_by(|a, b| (&a.field, a.start).cmp(&(&b.field, b.start)));
        return violations;
    };
    let model = scorer::Model::shipped();
    let about_homework = channel == Channel::Homework || mentions_homework;
    for (field, normalised) in fields.iter().zip(&normalised) {
        let scores = model.probabilities(&scorer::features_of_normalised(&normalised.text));
        for (r, id) in scorer::RULES.iter().enumerate() {
            let Some(rule) = applicable.iter().find(|x| x.id == *id) else { continue };
            let named = violations.iter().any(|v| v.rule == *id && v.field == field.name);
            let tier = if scores[r] >= model.thresholds[r].block {
                Tier::Block
            } else if scores[r] >= model.thresholds[r].review {
                Tier::Review
            } else {
                continue;
            };
            if named || tier < down_to || !(about_homework || *id == RuleId::ExamNoRanking) {
                continue;
            }
            let (start, end) = model
                .heaviest_span(&normalised.text, r)
                .map_or((0, field.text.chars().count()), |(s, e)| normalised.original_span(s, e));
            violations.push(Violation {
                rule: *id,
                tier,
                field: field.name.to_owned(),
                start,
                end,
                excerpt: field.text.chars().skip(start).take(end - start).collect(),
                explanation: rule.explanation(),
                suggestion: Wording::new(scorer::suggestion(*id)),
            });
        }
    }
    violations.sort_by(|a, b| (&a.field, a.start).cmp(&(&b.field, b.start)));
    violations
}

/// What may happen to a send, given what the check found and the rules its sender confirmed.
#[derive(Debug)]
pub enum Verdict {
    /// Nothing found, or only review findings of rules the sender confirmed (listed, to count).
    Send { reviewed: Vec<RuleId> },
    /// At least one certain violation: refused (every finding listed, both tiers).
    Refuse(Vec<Violation>),
    /// Only review findings, some of a rule the sender has not confirmed: held until the sender
    /// rephrases or confirms ("this does not ask parents to check homework").
    Hold(Vec<Violation>),
}

/// Decides a send. A confirmation covers review findings only: no confirmation sends a certain
/// violation.
pub fn verdict(violations: Vec<Violation>, confirmed: &[RuleId]) -> Verdict {
    if violations.iter().any(|v| v.tier == Tier::Block) {
        return Verdict::Refuse(violations);
    }
    if violations.iter().any(|v| !confirmed.contains(&v.rule)) {
        return Verdict::Hold(violations);
    }
    let mut reviewed: Vec<RuleId> = violations.iter().map(|v| v.rule).collect();
    reviewed.sort_by_key(|r| r.as_str());
    reviewed.dedup();
    Verdict::Send { reviewed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_only_the_scorer_finds_is_refused_at_its_weightiest_words_with_the_rules_rewording() {
        // Checking without a checking verb: the rules' table has no "看一遍" or "打勾".
        let text = "请爸爸妈妈晚上把孩子的练习看一遍，对的打勾错的画圈";
        let fields = [Field { name: "body", text }];
        assert!(judge(&fields, Channel::Homework, Audience::Group, None).is_empty(), "the rules miss it");
        let found = check(&fields, Channel::Homework, Audience::Group);
        assert_eq!(found.len(), 1, "{found:?}");
        let v = &found[0];
        assert_eq!(v.tier, Tier::Block);
        assert_eq!(v.rule, RuleId::HwParentBurden);
        assert!(!v.excerpt.is_empty() && text.contains(&v.excerpt), "{}", v.excerpt);
        assert_eq!(v.suggestion.en, scorer::suggestion(RuleId::HwParentBurden).1);
        assert!(!v.explanation.zh.is_empty());
    }

    fn finding(rule: RuleId, tier: Tier) -> Violation {
        let w = Wording { zh: "", en: "" };
        Violation {
            rule,
            tier,
            field: "body".into(),
            start: 0,
            end: 1,
            excerpt: "x".into(),
            explanation: w,
            suggestion: w,
        }
    }

    #[test]
    fn a_confirmation_sends_what_was_held_for_review_and_never_what_is_certain() {
        let review = || vec![finding(RuleId::HwParentBurden, Tier::Review)];
        assert!(matches!(verdict(vec![], &[]), Verdict::Send { reviewed } if reviewed.is_empty()));
        assert!(matches!(verdict(review(), &[]), Verdict::Hold(v) if v.len() == 1));
        // Confirming another rule does not cover this one.
        assert!(matches!(verdict(review(), &[RuleId::ExamNoRanking]), Verdict::Hold(_)));
        assert!(matches!(
            verdict(review(), &[RuleId::HwParentBurden]),
            Verdict::Send { reviewed } if reviewed == [RuleId::HwParentBurden]
        ));
        let mixed = vec![finding(RuleId::HwParentBurden, Tier::Review), finding(RuleId::ExamNoRanking, Tier::Block)];
        assert!(matches!(
            verdict(mixed, &[RuleId::HwParentBurden, RuleId::ExamNoRanking]),
            Verdict::Refuse(v) if v.len() == 2
        ));
    }
}
