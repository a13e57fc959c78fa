//! The rule table. Each rule: an id from DOMAIN.md, patterns (regular expressions over normalised
//! text: lower case, simplified characters, no fillers between Chinese characters), cues that
//! negate a match when they come just before it in the same clause, and what to tell the sender.
//!
//! To extend a rule: add a pattern, then a sentence to the labelled corpus in the tests that
//! shows it blocks what it should and nothing else.

use std::sync::OnceLock;

use regex::Regex;

use super::{Audience, Channel};
use crate::error::Message;

/// Rule ids of `../shared/DOMAIN.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    /// No ranking of exam results; results are not published in groups.
    ExamNoRanking,
}

impl RuleId {
    /// `EXAM_NO_RANKING`, as in DOMAIN.md.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::ExamNoRanking => "EXAM_NO_RANKING",
        }
    }

    /// The API error code: the rule id in snake case.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::ExamNoRanking => "exam_no_ranking",
        }
    }
}

pub struct Rule {
    pub id: RuleId,
    /// Patterns that break the rule wherever they appear.
    patterns: Vec<Regex>,
    /// Patterns that break it only when the text also matches `context` ("第一名" is fine on sports day).
    contextual: Vec<Regex>,
    context: Option<Regex>,
    negations: Vec<Regex>,
    /// Only for texts sent to a group (class, grade, school); `false` means every audience.
    group_only: bool,
    channels: &'static [Channel],
    explanation: (&'static str, &'static str),
    suggestion: (&'static str, &'static str),
}

const ALL_CHANNELS: &[Channel] = &[Channel::Notice, Channel::Message, Channel::Homework];

/// How much of the clause before a match is searched for a negation cue, in characters. The
/// negation patterns themselves say how close the cue must be.
const NEGATION_TAIL_CHARS: usize = 24;
const CLAUSE_ENDS: &[char] = &['。', '，', ',', '；', ';', '！', '!', '？', '?', '\n', '：', ':'];

impl Rule {
    pub fn applies_to(&self, channel: Channel, audience: Audience) -> bool {
        self.channels.contains(&channel) && (!self.group_only || audience == Audience::Group)
    }

    /// Byte ranges of non-negated matches in the normalised text.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let in_context = self.context.as_ref().is_some_and(|c| c.is_match(text));
        let contextual = self.contextual.iter().filter(|_| in_context);
        for pattern in self.patterns.iter().chain(contextual) {
            for m in pattern.find_iter(text) {
                if self.is_negated(text, m.start()) || found.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                    continue;
                }
                found.push((m.start(), m.end()));
            }
        }
        found.sort_unstable();
        found
    }

    /// A negation cue in the same clause, shortly before the match ("不排名", "will not be ranked").
    fn is_negated(&self, text: &str, match_start: usize) -> bool {
        let clause = text[..match_start].rsplit(CLAUSE_ENDS).next().unwrap_or("");
        let tail_start = clause.char_indices().rev().nth(NEGATION_TAIL_CHARS - 1).map_or(0, |(i, _)| i);
        let tail = &clause[tail_start..];
        self.negations.iter().any(|n| n.is_match(tail))
    }

    pub fn explanation(&self) -> Message {
        Message::new(self.explanation.0, self.explanation.1)
    }

    pub fn suggestion(&self) -> Message {
        Message::new(self.suggestion.0, self.suggestion.1)
    }
}

fn compile(patterns: &[&str]) -> Vec<Regex> {
    patterns
        .iter()
        .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("rule pattern {p} does not compile: {e}")))
        .collect()
}

/// The rules, compiled once.
pub fn table() -> &'static [Rule] {
    static TABLE: OnceLock<Vec<Rule>> = OnceLock::new();
    TABLE.get_or_init(|| {
        vec![Rule {
            id: RuleId::ExamNoRanking,
            patterns: compile(&[
                // Rankings and places.
                r"(排名|名次|排行榜?|排序表)",
                r"倒数第?[0-9一二三四五六七八九十]+名",
                r"(年级|班级|全班|全年级|全校|全区)(第[一二三1-3]|前[0-9一二三四五六七八九十]+|状元|榜首)",
                r"(光荣榜|红榜|黑榜|尖子生名单|优生名单|差生名单)",
                // Publishing results to the group.
                r"(公布|公示|晒|发布|张贴)[^。，,；;！!？?\n]{0,6}(成绩|分数|考分|排名)",
                r"(成绩|分数)(单|表|排行|榜)",
                r"(成绩|分数)[^。，,；;！!？?\n不未无]{0,4}(公布|公示|张贴)",
                // A list of named scores: three or more "名字 95分" in a row.
                r"(?:[\p{Han}]{2,4}[:：]?\s?[0-9]{2,3}(?:\.[0-9])?分?[，,、；;\s]*){3,}",
                // English.
                r"\b(rank(s|ed|ing|ings)?|league table|leaderboard|score list|list of scores)\b",
                r"\b(top|bottom) [0-9]+ (students|scorers|pupils|of the (class|grade))\b",
                r"\b(1st|2nd|3rd|[0-9]+th|first|second|third|last) place in (the )?(class|grade|exam|test)\b",
            ]),
            contextual: compile(&[r"(第|前|后)[0-9一二三四五六七八九十百]+名"]),
            context: Some(Regex::new(r"(考|测验|测试|成绩|分数|期中|期末|月考|语文|数学|英语|物理|化学|exam|test|score|marks|quiz)").unwrap_or_else(|e| panic!("{e}"))),
            negations: compile(&[
                r"(不|不会|不得|不再|不予|不做|不进行|不作|禁止|严禁|没有|无|未|拒绝)[^不]{0,6}$",
                r"\b(no|not|never|without|won't|will not|do not|don't|does not|are not|is not|aren't|isn't)\b[a-z ]{0,20}$",
            ]),
            group_only: false,
            channels: ALL_CHANNELS,
            explanation: (
                "双减要求考试不排名、不公布成绩，不得在家长群传播考试结果（EXAM_NO_RANKING）。",
                "Exam results are not ranked or published, and never spread in parent groups (EXAM_NO_RANKING).",
            ),
            suggestion: (
                "请删除排名或成绩列表，改为私下告知每位家长自己孩子的等级，例如：“本次测验结果已通过私信发给各位家长，请查收。”",
                "Remove the ranking or list of scores; tell each family their own child's grade level privately, e.g. \"Each family has received their child's result in a private message.\"",
            ),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Audience, Channel, Field, check};

    fn blocked(text: &str) -> bool {
        !check(&[Field { name: "body", text }], Channel::Notice, Audience::Group).is_empty()
    }

    #[test]
    fn exam_no_ranking_blocks_rankings_and_published_results() {
        for text in [
            "本次期中考试班级排名如下",
            "恭喜小明获得年级第一！",
            "数学测验前十名：张三、李四",
            "现将期末成绩公布如下，请家长查看",
            "附件是本次月考成绩单",
            "张三 98分，李四 95分，王五 90分，赵六 88分",
            "张三：98，李四：95，王五：90",
            "排 名 已出，请关注",
            "本次考試排名",
            "Class ranking for the midterm is attached",
            "Congratulations to the top 5 students of the class",
            "Tom won first place in the exam",
            "倒数第三名的同学请家长注意",
            "期中考试光荣榜",
        ] {
            assert!(blocked(text), "should block: {text}");
        }
    }

    #[test]
    fn exam_no_ranking_allows_what_the_policy_allows() {
        for text in [
            "本次考试不排名，成绩以等级形式私下告知家长",
            "学校不公布成绩和排名",
            "期末成绩不公布，只告知家长等级",
            "孩子的期中成绩为优秀",
            "请家长于周五前在回执上签字，参加春游",
            "明天下午三点开家长会，地点：三楼会议室",
            "The exam results will not be ranked or published",
            "Each family will receive their child's level privately",
            "下周一至周五为期中考试周",
            "运动会100米决赛第一名奖品已发放",
            "本学期共有3名同学获得市级三好学生称号",
            "请于3月5日8点30分到校",
        ] {
            assert!(!blocked(text), "should allow: {text}");
        }
    }

    #[test]
    fn spans_and_excerpts_point_at_the_offence() {
        let violations =
            check(&[Field { name: "title", text: "期中考试 班级 排 名" }], Channel::Notice, Audience::Group);
        assert_eq!(violations.len(), 1);
        let v = &violations[0];
        assert_eq!(v.rule.as_str(), "EXAM_NO_RANKING");
        assert_eq!(v.field, "title");
        assert_eq!(v.excerpt, "排 名");
        assert_eq!((v.start, v.end), (8, 11));
    }
}
