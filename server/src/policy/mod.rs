//! Content rules for everything a school sends families — notices, messages, and (from the
//! homework issue) homework. One module, called by every sender, so a rule added here applies
//! everywhere at once. Pure: text in, violations out; no I/O, no clock.
//!
//! Rule ids are those of `../shared/DOMAIN.md`; the rule table is in [`rules`], readable and
//! extendable by a reviewer without touching the matching code here. Running the check for a
//! sender, counting refusals and answering over HTTP is [`crate::guard`]'s job.

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

/// A rule broken by a span of one field.
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: RuleId,
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
/// then the learned scorer for what they did not name.
pub fn check(fields: &[Field<'_>], channel: Channel, audience: Audience) -> Vec<Violation> {
    check_with(fields, channel, audience, true)
}

/// [`check`], with or without the learned scorer (the held-out figures compare both).
fn check_with(fields: &[Field<'_>], channel: Channel, audience: Audience, with_scorer: bool) -> Vec<Violation> {
    let normalised: Vec<_> = fields.iter().map(|f| normalise::normalise(f.text)).collect();
    // "数学作业" in the title makes "请家长签字" in the body about homework.
    let mentions_homework = normalised.iter().any(|n| rules::mentions_homework(&n.text));
    let mut violations = Vec::new();
    for (field, normalised) in fields.iter().zip(&normalised) {
        let ctx = requests::Context { text: &normalised.text, channel, mentions_homework };
        for rule in rules::table() {
            if !rule.applies_to(channel, audience) {
                continue;
            }
            for hit in rule.find(&ctx) {
                let (start, end) = normalised.original_span(hit.start, hit.end);
                violations.push(Violation {
                    rule: rule.id,
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
    // The learned scorer, for what the rules did not name in a field: a rule it is sure of (at
    // its block threshold) is broken there too, shown at the gram that weighs most. The homework
    // rules speak of homework only: a bare "请家长签字" under a trip notice is no burden.
    let model = scorer::Model::shipped();
    let about_homework = channel == Channel::Homework || mentions_homework;
    for (field, normalised) in fields.iter().zip(&normalised).filter(|_| with_scorer) {
        let scores = model.probabilities(&scorer::features_of_normalised(&normalised.text));
        for (r, rule) in scorer::RULES.iter().enumerate() {
            let named = violations.iter().any(|v| v.rule == *rule && v.field == field.name);
            let applies = rules::table().iter().any(|x| x.id == *rule && x.applies_to(channel, audience))
                && (about_homework || *rule == RuleId::ExamNoRanking);
            if named || !applies || scores[r] < model.thresholds[r].block {
                continue;
            }
            let (start, end) = model
                .heaviest_span(&normalised.text, r)
                .map_or((0, field.text.chars().count()), |(s, e)| normalised.original_span(s, e));
            let explanation = rules::table().iter().find(|x| x.id == *rule).map(|x| x.explanation());
            violations.push(Violation {
                rule: *rule,
                field: field.name.to_owned(),
                start,
                end,
                excerpt: field.text.chars().skip(start).take(end - start).collect(),
                explanation: explanation.unwrap_or(Wording { zh: "", en: "" }),
                suggestion: Wording::new(scorer::suggestion(*rule)),
            });
        }
    }
    violations.sort_by(|a, b| (&a.field, a.start).cmp(&(&b.field, b.start)));
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_only_the_scorer_finds_is_refused_at_its_weightiest_words_with_the_rules_rewording() {
        // Checking without a checking verb: the rules' table has no "过一遍" or "打勾".
        let text = "请爸爸妈妈晚上把孩子的练习过一遍，对的打勾错的画圈";
        let fields = [Field { name: "body", text }];
        assert!(check_with(&fields, Channel::Homework, Audience::Group, false).is_empty(), "the rules miss it");
        let found = check(&fields, Channel::Homework, Audience::Group);
        assert_eq!(found.len(), 1, "{found:?}");
        let v = &found[0];
        assert_eq!(v.rule, RuleId::HwParentBurden);
        assert!(!v.excerpt.is_empty() && text.contains(&v.excerpt), "{}", v.excerpt);
        assert_eq!(v.suggestion.en, scorer::suggestion(RuleId::HwParentBurden).1);
        assert!(!v.explanation.zh.is_empty());
    }
}
