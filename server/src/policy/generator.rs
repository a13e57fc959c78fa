//! A deterministic generator of labelled sentences for the content guard: thousands of notices,
//! homework posts and teachers' chat messages, crossed from word lists (who is addressed, what
//! is asked of them, the homework it is done to, politeness and time markers, the channel) and
//! labelled by construction with the rules of `../shared/DOMAIN.md` they break.
//!
//! The hand-written corpus (`corpus.tsv`) holds a few hundred sentences, one per pattern; this
//! module owns the many: it shows how the guard fares on the breadth of phrasings a school
//! actually sends, and what it wrongly flags among the harmless look-alikes (negations, rules
//! ruled out, teachers marking, requests that are not about homework, sports placings, homework
//! publicity figures). It is written from the language and the corpus's labelling conventions,
//! never from the engine's word tables, so its figures measure the guard rather than echo it.
//! Where a combination's label would be a guess, the combination is left out.
//!
//! Pure and deterministic: the only chance is a fixed-seed linear congruential generator, seeded
//! per family, that subsamples the crossings so that every family is represented.

use std::collections::HashSet;

use super::{Channel, RuleId};

/// One generated sentence.
pub struct Generated {
    pub text: String,
    #[cfg_attr(not(test), expect(dead_code, reason = "the tests judge each sentence on its channel"))]
    pub channel: Channel,
    /// The rules it breaks, sorted by `RuleId::as_str`; empty when harmless.
    pub rules: Vec<RuleId>,
    /// Which template family made it (for the printed counts), e.g. "burden/check", "ok/negated".
    #[cfg_attr(not(test), expect(dead_code, reason = "the tests print the figures per family"))]
    pub family: &'static str,
}

/// Every generated sentence, in a fixed order.
pub fn sentences() -> Vec<Generated> {
    let mut seen = HashSet::new();
    undeduplicated().into_iter().filter(|g| seen.insert(g.text.clone())).collect()
}

/// Every family's draw before the sentences two families share are dropped (the tests check that
/// no text is drawn under two different labels).
fn undeduplicated() -> Vec<Generated> {
    let mut out = Vec::new();
    for family in FAMILIES {
        let mut rules = family.rules.to_vec();
        rules.sort_by_key(|r| r.as_str());
        // Seeded by the family's name, so adding or resizing a family leaves the others unchanged.
        let mut rng = Rng::seeded(family.name);
        let mut seen = HashSet::new();
        let mut attempts = 0;
        while seen.len() < family.how_many && attempts < family.how_many * 50 {
            attempts += 1;
            let Some((text, channel)) = (family.make)(&mut rng) else { continue };
            if seen.insert(text.clone()) {
                out.push(Generated { text, channel, rules: rules.clone(), family: family.name });
            }
        }
    }
    out
}

/// A template family: its name, the rules each of its sentences breaks, how many distinct
/// sentences to draw, and one draw (`None` when the drawn combination does not read right).
struct Family {
    name: &'static str,
    rules: &'static [RuleId],
    how_many: usize,
    make: fn(&mut Rng) -> Option<(String, Channel)>,
}

const BURDEN: &[RuleId] = &[RuleId::HwParentBurden];
const SELF_GRADING: &[RuleId] = &[RuleId::HwSelfGrading];
const RANKING: &[RuleId] = &[RuleId::ExamNoRanking];
const HARMLESS: &[RuleId] = &[];

const FAMILIES: &[Family] = &[
    // HW_PARENT_BURDEN: parents asked to check, grade, sign, dictate, time, film, print, write…
    Family { name: "burden/check", rules: BURDEN, how_many: 300, make: |rng| burden(rng, &CHECKING) },
    Family { name: "burden/grade", rules: BURDEN, how_many: 220, make: |rng| burden(rng, &GRADING) },
    Family { name: "burden/tick", rules: BURDEN, how_many: 120, make: |rng| burden(rng, &TICKING) },
    Family { name: "burden/correct", rules: BURDEN, how_many: 120, make: |rng| burden(rng, &CORRECTING) },
    Family { name: "burden/sign", rules: BURDEN, how_many: 280, make: signing },
    Family { name: "burden/dictate", rules: BURDEN, how_many: 160, make: dictating },
    Family { name: "burden/time", rules: BURDEN, how_many: 90, make: |rng| burden(rng, &TIMING) },
    Family { name: "burden/errors", rules: BURDEN, how_many: 100, make: |rng| burden(rng, &RECORDING_ERRORS) },
    Family { name: "burden/photo", rules: BURDEN, how_many: 190, make: photographing },
    Family { name: "burden/check-in", rules: BURDEN, how_many: 110, make: checking_in },
    Family { name: "burden/print", rules: BURDEN, how_many: 120, make: |rng| burden(rng, &PRINTING) },
    Family { name: "burden/feedback", rules: BURDEN, how_many: 90, make: |rng| burden(rng, &FEEDBACK_FORMS) },
    Family { name: "burden/roll-call", rules: BURDEN, how_many: 70, make: |rng| burden(rng, &ROLL_CALL) },
    Family { name: "burden/write", rules: BURDEN, how_many: 170, make: |rng| burden(rng, &WRITING) },
    Family { name: "burden/scope", rules: BURDEN, how_many: 70, make: burden_past_a_negation },
    // HW_SELF_GRADING: pupils mark their own work, or each other's in the teacher's stead.
    Family { name: "self/own", rules: SELF_GRADING, how_many: 250, make: self_grading },
    Family { name: "self/peer", rules: SELF_GRADING, how_many: 60, make: peer_marking_instead_of_the_teacher },
    // EXAM_NO_RANKING: on group channels only.
    Family { name: "rank/ranking", rules: RANKING, how_many: 120, make: rankings },
    Family { name: "rank/top", rules: RANKING, how_many: 130, make: top_performers },
    Family { name: "rank/full-marks", rules: RANKING, how_many: 80, make: full_marks },
    Family { name: "rank/failed", rules: RANKING, how_many: 80, make: failed_lists },
    Family { name: "rank/scores", rules: RANKING, how_many: 130, make: score_lists },
    Family { name: "rank/threshold", rules: RANKING, how_many: 80, make: score_thresholds },
    // Two rules in one text.
    Family {
        name: "both/burden+rank",
        rules: &[RuleId::HwParentBurden, RuleId::ExamNoRanking],
        how_many: 60,
        make: parents_sign_the_ranked_paper,
    },
    Family {
        name: "both/burden+self",
        rules: &[RuleId::HwParentBurden, RuleId::HwSelfGrading],
        how_many: 60,
        make: parents_sign_self_marked_work,
    },
    // Harmless look-alikes.
    Family { name: "ok/negated", rules: HARMLESS, how_many: 650, make: negated },
    Family { name: "ok/ruled-out", rules: HARMLESS, how_many: 250, make: ruled_out },
    Family { name: "ok/contrast", rules: HARMLESS, how_many: 220, make: contrasted_with_the_teacher },
    Family { name: "ok/teacher", rules: HARMLESS, how_many: 220, make: teacher_marks },
    Family { name: "ok/scope", rules: HARMLESS, how_many: 90, make: negated_homework_then_a_slip },
    Family { name: "ok/not-homework", rules: HARMLESS, how_many: 400, make: not_about_homework },
    Family { name: "ok/contest", rules: HARMLESS, how_many: 200, make: contest_placings },
    Family { name: "ok/publicity", rules: HARMLESS, how_many: 150, make: homework_publicity },
    Family { name: "ok/praise", rules: HARMLESS, how_many: 150, make: praise_without_scores },
    Family { name: "ok/content", rules: HARMLESS, how_many: 350, make: plain_homework },
    Family { name: "ok/care", rules: HARMLESS, how_many: 220, make: parents_care_without_checking },
    Family { name: "ok/time-report", rules: HARMLESS, how_many: 90, make: time_spent_reported },
    Family { name: "ok/private-results", rules: HARMLESS, how_many: 150, make: results_kept_private },
    Family { name: "ok/self-check", rules: HARMLESS, how_many: 150, make: pupils_check_their_own_work },
    Family { name: "ok/peer-in-class", rules: HARMLESS, how_many: 80, make: peer_marking_in_class },
];

// ---------------------------------------------------------------------------------------------
// Chance: a fixed-seed linear congruential generator (Knuth's MMIX constants), seeded by FNV-1a.

struct Rng(u64);

impl Rng {
    fn seeded(name: &str) -> Self {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for byte in name.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        // The low bits of an LCG cycle quickly; the high ones do not.
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }
}

/// One of the templates, its numbers filled: `{n}` a page, lesson or unit, `{m}` minutes.
fn numbered(rng: &mut Rng, templates: &[&str]) -> String {
    let template = *rng.pick(templates);
    let n = rng.between(2, 20).to_string();
    let m = rng.pick(&["10", "15", "20", "30"]).to_string();
    template.replace("{n}", &n).replace("{m}", &m)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Who is addressed, and where the text goes.

/// Whom a form of address fits: a group (notice, homework post), one family (a message), or both.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    Group,
    Any,
    OneFamily,
}

impl Reach {
    fn channel(self, rng: &mut Rng) -> Channel {
        match self {
            Reach::Group => group_channel(rng),
            Reach::Any => *rng.pick(&[Channel::Notice, Channel::Homework, Channel::Message]),
            Reach::OneFamily => Channel::Message,
        }
    }
}

/// A send to a group: mostly notices, some homework posts.
fn group_channel(rng: &mut Rng) -> Channel {
    if rng.chance(70) { Channel::Notice } else { Channel::Homework }
}

/// A notice or a message: where requests that are not about homework go.
fn notice_or_message(rng: &mut Rng) -> Channel {
    if rng.chance(75) { Channel::Notice } else { Channel::Message }
}

/// A Chinese form of address: a vocative before the sentence and the grammatical subject of the
/// request (either may be empty, not both).
struct Who {
    vocative: &'static str,
    subject: &'static str,
    reach: Reach,
}

const fn who(vocative: &'static str, subject: &'static str, reach: Reach) -> Who {
    Who { vocative, subject, reach }
}

const ZH_WHO: &[Who] = &[
    who("", "家长", Reach::Any),
    who("", "家长", Reach::Any),
    who("各位家长：", "", Reach::Group),
    who("各位家长，", "", Reach::Group),
    who("", "各位家长", Reach::Group),
    who("家长朋友们，", "", Reach::Group),
    who("", "家长朋友们", Reach::Group),
    who("", "爸爸妈妈", Reach::Any),
    who("亲爱的家长：", "", Reach::Group),
    who("", "各位爸妈", Reach::Group),
    who("@所有人 ", "家长", Reach::Group),
    who("【温馨提示】", "各位家长", Reach::Group),
    who("尊敬的家长：", "", Reach::Group),
    who("", "爷爷奶奶", Reach::Any),
    who("", "监护人", Reach::Any),
    who("", "爸爸或妈妈", Reach::Any),
    who("", "家里的大人", Reach::Any),
    who("家长您好，", "您", Reach::OneFamily),
    who("王妈妈，", "您", Reach::OneFamily),
    who("小明爸爸，", "", Reach::OneFamily),
    who("", "您", Reach::OneFamily),
    who("乐乐妈妈您好，", "", Reach::OneFamily),
    who("您好，", "您", Reach::OneFamily),
];

/// How a Chinese request is put: `{w}` the subject, `{t}` a time; the flag says the marker needs
/// a subject ("家长要…" reads, "要…" does not).
const ZH_MARKERS: &[(&str, bool)] = &[
    ("请{w}{t}", false),
    ("请{w}{t}", false),
    ("麻烦{w}{t}", false),
    ("辛苦{w}{t}", true),
    ("请{w}务必{t}", false),
    ("请{w}记得{t}", false),
    ("{w}{t}要", true),
    ("{w}{t}需要", true),
    ("{w}务必{t}", true),
    ("由{w}{t}", true),
    ("请{w}{t}帮忙", false),
    ("{w}记得{t}", true),
    ("请{w}{t}配合", false),
    ("{w}{t}必须", true),
];

const ZH_TIMES: &[&str] =
    &["", "", "", "", "每天", "今晚", "每天晚上", "明早到校前", "周末", "睡前", "本周每天", "放学后", "每晚"];

const ZH_ENDS: &[&str] =
    &["。", "。", "。", "，谢谢配合！", "，辛苦了🙏", "，谢谢！", "！", "~", "，感谢支持。", "，明天交给老师。"];

/// A vocative, a request with its subject and time ("请家长每天"), and the channel it fits.
/// `plain` leaves out "由家长…", which only reads before a homework act.
fn chinese_request(rng: &mut Rng, group_only: bool, plain: bool) -> (&'static str, String, Channel) {
    loop {
        let who = rng.pick(ZH_WHO);
        if group_only && who.reach == Reach::OneFamily {
            continue;
        }
        let (marker, needs_subject) = *rng.pick(ZH_MARKERS);
        if (needs_subject && who.subject.is_empty()) || (plain && marker.starts_with('由')) {
            continue;
        }
        let time = *rng.pick(ZH_TIMES);
        let request = marker.replace("{w}", who.subject).replace("{t}", time);
        let channel = if group_only { group_channel(rng) } else { who.reach.channel(rng) };
        return (who.vocative, request, channel);
    }
}

/// An English vocative, whom it fits, and whether what follows starts a new sentence.
const EN_VOCATIVES: &[(&str, Reach, bool)] = &[
    ("", Reach::Any, true),
    ("", Reach::Any, true),
    ("Dear parents, ", Reach::Group, false),
    ("Parents, ", Reach::Group, false),
    ("Hi everyone! ", Reach::Group, true),
    ("Mums and dads, ", Reach::Group, false),
    ("Dear families, ", Reach::Group, false),
    ("Hello parents, ", Reach::Group, false),
    ("Mom and dad, ", Reach::Any, false),
    ("Dear parents and carers, ", Reach::Group, false),
    ("Reminder: ", Reach::Any, true),
    ("📌 ", Reach::Group, true),
];

const EN_POLITE: &[&str] = &[
    "please ",
    "please ",
    "kindly ",
    "make sure you ",
    "don't forget to ",
    "remember to ",
    "please be sure to ",
    "we ask you to ",
];

/// Third-person requests to parents, and whom they fit.
const EN_PARENTS_SHOULD: &[(&str, Reach)] = &[
    ("Parents should ", Reach::Any),
    ("Parents must ", Reach::Any),
    ("Parents need to ", Reach::Any),
    ("A parent needs to ", Reach::Any),
    ("Mum or Dad should ", Reach::Any),
    ("Parents are asked to ", Reach::Group),
    ("Each parent is expected to ", Reach::Group),
    ("Parents or carers must ", Reach::Any),
    ("Every parent should ", Reach::Group),
];

const EN_MESSAGE_VOCATIVES: &[&str] =
    &["Hi Mrs Li, ", "Dear Mr Wang, ", "Hello, ", "Hi, ", "Hi Amy's mum, ", "", "Good evening, ", "Hi Tom's dad, "];

/// A request to one family, and whether it is a question.
const EN_MESSAGE_ASKS: &[(&str, bool)] = &[
    ("could you ", true),
    ("can you please ", true),
    ("would you please ", true),
    ("please ", false),
    ("you need to ", false),
    ("please make sure you ", false),
    ("I'd like you to ", false),
];

const EN_TIMES: &[&str] = &[
    "",
    "",
    "",
    " tonight",
    " every evening",
    " before school tomorrow",
    " every day",
    " this weekend",
    " by Friday",
    " after dinner",
];

const EN_ENDS: &[&str] = &[".", ".", ".", ", thank you!", ". Thanks!", " 🙏", ". Many thanks."];
const EN_QUESTION_ENDS: &[&str] = &["?", "?", "? Thanks!", "? Thank you 🙏"];

/// Possessive and object forms for the child: `{p}` and `{c}` in an English verb phrase.
type ChildForms = &'static [(&'static str, &'static str)];
const TO_YOU: ChildForms = &[("your child's", "your child"), ("the", "your child")];
const OF_PARENTS: ChildForms = &[("their child's", "their child"), ("the", "their child")];
const TO_ONE_FAMILY: ChildForms = &[
    ("his", "him"),
    ("her", "her"),
    ("Amy's", "Amy"),
    ("Tom's", "Tom"),
    ("your child's", "your child"),
    ("the", "your child"),
];

fn english_verb(rng: &mut Rng, verb: &str, object: &str, forms: ChildForms) -> String {
    let (possessive, child) = *rng.pick(forms);
    verb.replace("{p}", possessive).replace("{c}", child).replace("{o}", object)
}

// ---------------------------------------------------------------------------------------------
// Homework, in the forms each act takes.

const WRITTEN: &[&str] = &[
    "作业",
    "作业",
    "数学作业",
    "语文作业",
    "英语作业",
    "练习册",
    "口算题",
    "口算本",
    "作文",
    "试卷",
    "练习卷",
    "课堂作业本",
    "家庭作业",
    "寒假作业",
    "周末作业",
    "学习单",
    "预习单",
    "补充习题",
    "日记",
    "读书笔记",
    "计算题",
    "数学小卷",
    "期末复习卷",
    "生字抄写",
    "英语抄写",
    "课时练",
    "数学练习题",
    "English worksheet",
];
/// Work with answers that are right or wrong.
const ANSWERED: &[&str] = &[
    "作业",
    "数学作业",
    "练习册",
    "口算题",
    "口算本",
    "试卷",
    "练习卷",
    "计算题",
    "课堂作业本",
    "英语作业",
    "数学小卷",
    "课时练",
    "听写本",
    "补充习题",
    "学习单",
];
const ESSAYS: &[&str] = &["作文", "日记", "读书笔记", "周记", "英语作文", "看图写话", "习作"];
const SIGNABLE: &[&str] = &[
    "作业本",
    "练习册",
    "试卷",
    "听写本",
    "阅读记录卡",
    "口算本",
    "作文本",
    "预习单",
    "错题本",
    "家庭作业",
    "寒假作业",
    "英语抄写本",
    "课堂作业本",
    "练习卷",
    "背诵记录表",
    "学习单",
    "数学作业",
];
const DICTATION: &[&str] = &[
    "第三课的生字",
    "本单元的词语",
    "英语单词",
    "Unit 3 的单词",
    "词语表上的词语",
    "本周的生字",
    "二十个词语",
    "第五课的词语",
    "古诗",
    "第二单元的生字",
];
const RECITATION: &[&str] = &["课文", "古诗", "第二自然段", "乘法口诀", "英语课文", "《静夜思》", "第三课", "古诗两首"];
const TIMED: &[&str] = &["口算", "口算题", "计算练习", "口算卡", "数学练习", "听写", "练习卷", "英语朗读", "速算"];
/// Timed work that has right and wrong answers to count.
const TIMED_ANSWERED: &[&str] = &["口算", "口算题", "计算练习", "口算卡", "数学练习", "练习卷", "速算"];
const MISTAKES_FROM: &[&str] =
    &["数学作业", "练习册", "试卷", "口算", "练习卷", "单元练习", "英语作业", "口算本", "课时练"];
const SPOKEN: &[&str] = &["背诵", "朗读", "英语跟读", "课文朗读", "古诗背诵", "英语口语作业"];
const CHECK_INS: &[&str] = &["阅读", "朗读", "口算", "背诵", "英语跟读", "练字", "课外阅读", "英语听力", "古诗背诵"];
const PRINTABLE: &[&str] = &[
    "练习卷",
    "学习单",
    "试卷",
    "口算题",
    "预习单",
    "数学练习题",
    "英语练习",
    "附件中的练习",
    "寒假作业",
    "复习卷",
    "学习任务单",
    "附件里的口算题",
];
const FEEDBACK_ON: &[&str] = &["作业", "练习册", "口算", "周末作业", "数学作业", "阅读", "背诵", "英语作业"];
const MADE: &[&str] = &[
    "手抄报",
    "小报",
    "读书笔记",
    "作文",
    "科学实验报告",
    "手工作品",
    "观察日记",
    "研究报告",
    "数学小报",
    "思维导图",
    "周记",
    "模型作业",
];
const DRAWN: &[&str] = &["手抄报", "小报", "数学小报", "思维导图", "科学小报", "安全手抄报"];

const EN_WRITTEN: &[&str] = &[
    "homework",
    "homework",
    "maths homework",
    "worksheet",
    "workbook",
    "maths worksheet",
    "English homework",
    "test paper",
    "exercise book",
    "holiday homework",
    "weekend homework",
    "practice sheet",
    "sums",
    "times-tables sheet",
    "homework sheet",
    "Chinese homework",
    "spelling homework",
    "unit test paper",
];
const EN_ANSWERED: &[&str] = &[
    "maths homework",
    "worksheet",
    "workbook",
    "maths worksheet",
    "test paper",
    "practice sheet",
    "sums",
    "times-tables sheet",
    "homework sheet",
    "exercise book",
];
const EN_ESSAYS: &[&str] = &["essay", "diary entry", "book report", "composition", "story", "writing task"];
const EN_SIGNABLE: &[&str] = &[
    "homework",
    "reading log",
    "spelling book",
    "test paper",
    "workbook",
    "homework diary",
    "maths worksheet",
    "reading record",
    "exercise book",
    "homework sheet",
];
const EN_DICTATION: &[&str] = &[
    "spelling words",
    "new words from Unit 3",
    "vocabulary list",
    "spelling list",
    "ten new words",
    "word list for this week",
];
const EN_RECITATION: &[&str] = &["poem", "times tables", "text from lesson 5", "dialogue from Unit 4", "passage"];
const EN_TIMED: &[&str] =
    &["mental maths sheet", "times tables", "sums", "spelling test", "maths worksheet", "quick sums"];
const EN_MISTAKES_FROM: &[&str] = &["maths homework", "worksheet", "test paper", "workbook", "sums"];
const EN_SPOKEN: &[&str] = &["reading", "poem recitation", "reading aloud", "recitation", "speaking homework"];
const EN_CHECK_INS: &[&str] =
    &["reading", "reading aloud", "spelling practice", "maths practice", "handwriting practice", "listening practice"];
const EN_PRINTABLE: &[&str] = &[
    "worksheet",
    "practice sheet",
    "test paper",
    "maths worksheet",
    "attached worksheet",
    "holiday homework pack",
    "revision sheet",
    "homework sheet",
];
const EN_FEEDBACK_ON: &[&str] = &["homework", "worksheet", "reading", "weekend homework", "maths homework"];
const EN_MADE: &[&str] =
    &["poster", "essay", "book report", "science project report", "model", "diary entry", "mind map", "project"];
const EN_DRAWN: &[&str] = &["poster", "mind map", "maths poster", "comic strip for the reading project"];

/// Uncountable or plural homework, which "every"/"each" cannot take.
fn is_mass(object: &str) -> bool {
    object.ends_with("homework")
        || object.ends_with('s')
        || object.ends_with("reading")
        || object.ends_with("aloud")
        || object.ends_with("practice")
}

// ---------------------------------------------------------------------------------------------
// HW_PARENT_BURDEN.

/// An act asked of a parent about homework, in Chinese: with the homework written in (`{o}`), and
/// bare, for when the homework was named first ("口算做完后，请家长…").
struct ZhAct {
    with_object: &'static str,
    bare: &'static str,
    objects: &'static [&'static str],
}

const fn zh(with_object: &'static str, bare: &'static str, objects: &'static [&'static str]) -> ZhAct {
    ZhAct { with_object, bare, objects }
}

/// The same in English: a verb phrase over `{p}` (the child's), `{c}` (the child) and `{o}`; a
/// short form for homework posts ("Parents, please check it."); the participle for the passive
/// ("must be signed by a parent"), empty when it does not read.
struct EnAct {
    verb: &'static str,
    short: &'static str,
    passive: &'static str,
    objects: &'static [&'static str],
}

const fn en(verb: &'static str, short: &'static str, passive: &'static str, objects: &'static [&'static str]) -> EnAct {
    EnAct { verb, short, passive, objects }
}

/// One kind of burden: its acts in both languages and the sentence shapes that read with them.
struct Burden {
    zh: &'static [ZhAct],
    en: &'static [EnAct],
    /// Whether "作业做完后，请家长…" reads (not for printing, dictation or timing, which come
    /// before or during the work).
    after_the_work: bool,
    /// Homework posts the act can follow ("数学：口算一页，家长检查。"); empty: none.
    zh_posts: &'static [&'static str],
    en_posts: &'static [&'static str],
    /// A group roll-call has no meaning in a message to one family.
    group_only: bool,
}

const ZH_WRITTEN_POSTS: &[&str] = &[
    "数学：完成练习册第{n}页",
    "数学：口算一页",
    "语文：完成试卷一张",
    "语文：抄写第{n}课生字",
    "数学：完成课时练第{n}页",
    "语文：完成补充习题第{n}页",
    "英语：完成学习单",
    "数学：订正课堂练习的错题",
    "数学：计算题20道",
    "英语：抄写 Unit {n} 单词",
    "科学：完成第{n}课练习",
];
const ZH_DICTATION_POSTS: &[&str] =
    &["语文：复习第{n}课生字", "英语：复习 Unit {n} 单词", "语文：复习本单元词语", "英语：记背 Unit {n} 的单词"];
const ZH_RECITATION_POSTS: &[&str] =
    &["语文：背诵第{n}课", "语文：背诵古诗两首", "英语：背诵课文第{n}段", "数学：背熟乘法口诀"];
const ZH_TIMED_POSTS: &[&str] = &["数学：口算一页", "数学：口算卡一张", "数学：计算题20道", "语文：朗读课文三遍"];
const ZH_CHECK_IN_POSTS: &[&str] =
    &["语文：阅读课外书{m}分钟", "语文：朗读课文三遍", "英语：跟读{m}分钟", "语文：背诵第{n}课", "书法：练字一页"];
const EN_WRITTEN_POSTS: &[&str] = &[
    "Maths: workbook page {n}.",
    "English: worksheet {n}.",
    "Maths: times-tables sheet.",
    "Chinese: copy the new characters from lesson {n}.",
    "Science: finish the worksheet on plants.",
    "Maths: 20 sums on page {n}.",
];
const EN_DICTATION_POSTS: &[&str] =
    &["Spelling: learn the words for Unit {n}.", "English: revise the vocabulary list.", "Spelling: ten new words."];
const EN_RECITATION_POSTS: &[&str] = &[
    "Chinese: learn the poem on page {n}.",
    "Maths: learn the 7 times table.",
    "English: learn the dialogue by heart.",
];
const EN_TIMED_POSTS: &[&str] =
    &["Maths: mental maths sheet.", "Maths: times tables practice.", "Maths: 20 quick sums."];
const EN_CHECK_IN_POSTS: &[&str] =
    &["Reading: {m} minutes every day.", "English: read aloud for {m} minutes.", "Reading: one chapter a night."];

const CHECKING: Burden = Burden {
    zh: &[
        zh("检查孩子的{o}", "检查", WRITTEN),
        zh("检查一下孩子的{o}", "检查一下", WRITTEN),
        zh("认真检查孩子的{o}", "认真检查", WRITTEN),
        zh("把孩子的{o}过一遍", "过一遍", WRITTEN),
        zh("帮孩子把{o}检查一遍", "检查一遍", WRITTEN),
        zh("为孩子的{o}把关", "把关", WRITTEN),
        zh("看一下孩子{o}的对错", "看一下对错", ANSWERED),
        zh("核对孩子{o}的答案", "核对答案", ANSWERED),
        zh("复查孩子的{o}", "复查一遍", WRITTEN),
        zh("逐题检查孩子的{o}", "逐题检查", ANSWERED),
        zh("帮孩子看看{o}做得对不对", "看看做得对不对", ANSWERED),
        zh("把孩子的{o}核对一遍", "核对一遍", ANSWERED),
        zh("对孩子的{o}进行检查", "仔细检查", WRITTEN),
        zh("检查孩子的{o}是否全部做对", "检查是否全部做对", ANSWERED),
        zh("检查孩子{o}的完成质量", "检查完成质量", WRITTEN),
        zh("把孩子的{o}从头到尾看一遍", "从头到尾看一遍", WRITTEN),
        zh("对一下孩子{o}的答案", "对一下答案", ANSWERED),
        zh("检查孩子是否完成了{o}", "检查是否完成", WRITTEN),
    ],
    en: &[
        en("check {p} {o}", "check it", "checked", EN_WRITTEN),
        en("check {p} {o} carefully", "check it carefully", "checked carefully", EN_WRITTEN),
        en("go through {p} {o}", "go through it", "gone through", EN_WRITTEN),
        en("look over {p} {o}", "look over it", "looked over", EN_WRITTEN),
        en("review {p} {o}", "review it", "reviewed", EN_WRITTEN),
        en("double-check {p} {o}", "double-check it", "double-checked", EN_WRITTEN),
        en("check the answers in {p} {o}", "check the answers", "", EN_ANSWERED),
        en("make sure every answer in {p} {o} is right", "make sure every answer is right", "", EN_ANSWERED),
        en("re-check {p} {o}", "re-check it", "re-checked", EN_WRITTEN),
        en("proofread {p} {o}", "proofread it", "proofread", EN_ESSAYS),
        en("go over {p} {o} and check it", "go over it", "", EN_WRITTEN),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const GRADING: Burden = Burden {
    zh: &[
        zh("批改孩子的{o}", "批改", WRITTEN),
        zh("批阅孩子的{o}", "批阅", WRITTEN),
        zh("给孩子的{o}打分", "打分", WRITTEN),
        zh("给孩子的{o}评分", "评分", WRITTEN),
        zh("帮孩子批一下{o}", "批一下", ANSWERED),
        zh("批改孩子的{o}并写评语", "批改并写评语", ESSAYS),
        zh("给孩子的{o}打个分数", "打个分数", WRITTEN),
        zh("用红笔批改孩子的{o}", "用红笔批改", WRITTEN),
        zh("帮孩子改一下{o}", "改一下", ESSAYS),
        zh("修改孩子的{o}", "修改一遍", ESSAYS),
        zh("给孩子的{o}写评语", "写评语", ESSAYS),
        zh("帮孩子润色{o}", "润色一下", ESSAYS),
        zh("批改孩子的{o}并签字", "批改后签字", WRITTEN),
    ],
    en: &[
        en("mark {p} {o}", "mark it", "marked", EN_WRITTEN),
        en("grade {p} {o}", "grade it", "graded", EN_WRITTEN),
        en("mark {p} {o} out of 10", "mark it out of 10", "marked out of 10", EN_WRITTEN),
        en("give {p} {o} a score", "give it a score", "", EN_WRITTEN),
        en("mark {p} {o} with a red pen", "mark it in red", "marked in red", EN_ANSWERED),
        en("score {p} {o}", "score it", "scored", EN_WRITTEN),
        en("grade {p} {o} and write a comment", "grade it and add a comment", "", EN_ESSAYS),
        en("edit {p} {o}", "edit it", "edited", EN_ESSAYS),
        en("mark and sign {p} {o}", "mark and sign it", "marked and signed", EN_WRITTEN),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const TICKING: Burden = Burden {
    zh: &[
        zh("在孩子的{o}上对的打勾、错的画圈", "对的打勾、错的画圈", ANSWERED),
        zh("给孩子的{o}评等级", "评等级", ANSWERED),
        zh("给孩子的{o}打ABC等级", "打ABC等级", ANSWERED),
        zh("在孩子的{o}上逐题打勾", "逐题打勾", ANSWERED),
        zh("把孩子{o}里的错题圈出来", "把错题圈出来", ANSWERED),
        zh("用红笔给孩子的{o}批对错", "用红笔批对错", ANSWERED),
        zh("给孩子的{o}评优良中差", "评优良中差", ANSWERED),
        zh("在孩子的{o}上给做对的题打勾", "给做对的题打勾", ANSWERED),
        zh("给孩子的{o}画星星评级", "画星星评级", ANSWERED),
    ],
    en: &[
        en("go through {p} {o} and tick or cross each answer", "tick or cross each answer", "", EN_ANSWERED),
        en("put a tick or a cross next to each answer on {p} {o}", "tick or cross each answer", "", EN_ANSWERED),
        en("give {p} {o} a level from A to C", "give it a level", "", EN_ANSWERED),
        en("circle the mistakes on {p} {o}", "circle the mistakes", "", EN_ANSWERED),
        en("tick every correct answer on {p} {o}", "tick the correct answers", "", EN_ANSWERED),
        en("give {p} {o} a grade (A, B or C)", "give it a grade", "", EN_ANSWERED),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const CORRECTING: Burden = Burden {
    zh: &[
        zh("帮孩子订正{o}里的错题", "帮忙订正错题", ANSWERED),
        zh("和孩子一起订正{o}的错题", "和孩子一起订正错题", ANSWERED),
        zh("把孩子{o}上的错误改过来", "把错误改过来", ANSWERED),
        zh("帮孩子把{o}的错题改正", "帮孩子改正错题", ANSWERED),
        zh("给孩子订正{o}", "给孩子订正", ANSWERED),
        zh("替孩子订正{o}上的错题", "替孩子订正错题", ANSWERED),
        zh("帮孩子把{o}改对", "帮孩子改对", ANSWERED),
        zh("帮孩子改正{o}中的错别字", "帮孩子改正错别字", ESSAYS),
    ],
    en: &[
        en("correct {p} {o}", "correct it", "corrected", EN_ANSWERED),
        en("correct the mistakes in {p} {o}", "correct the mistakes", "", EN_ANSWERED),
        en("fix the errors in {p} {o}", "fix the errors", "", EN_ANSWERED),
        en("correct any mistakes in {p} {o} in red", "correct any mistakes in red", "", EN_ANSWERED),
        en("correct the spelling in {p} {o}", "correct the spelling", "", EN_ESSAYS),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const SIGNING: Burden = Burden {
    zh: &[
        zh("在孩子的{o}上签字", "签字", SIGNABLE),
        zh("在{o}上签名", "签名", SIGNABLE),
        zh("在孩子的{o}上签个名", "签个名", SIGNABLE),
        zh("在{o}上签字确认", "签字确认", SIGNABLE),
        zh("签阅孩子的{o}", "签阅", SIGNABLE),
        zh("在{o}右上角签名", "在右上角签名", SIGNABLE),
        zh("检查{o}后签字", "检查后签字", SIGNABLE),
        zh("在{o}最后一页签名", "在最后一页签名", SIGNABLE),
        zh("在{o}上签上姓名和日期", "签上姓名和日期", SIGNABLE),
        zh("在孩子的{o}上签字并写上日期", "签字并写日期", SIGNABLE),
    ],
    en: &[
        en("sign {p} {o}", "sign it", "signed", EN_SIGNABLE),
        en("sign off {p} {o}", "sign it off", "signed off", EN_SIGNABLE),
        en("initial {p} {o}", "initial it", "initialled", EN_SIGNABLE),
        en("sign and date {p} {o}", "sign and date it", "signed and dated", EN_SIGNABLE),
        en("check and sign {p} {o}", "check and sign it", "checked and signed", EN_SIGNABLE),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const DICTATING: Burden = Burden {
    zh: &[
        zh("给孩子报听写{o}", "报听写", DICTATION),
        zh("给孩子听写{o}", "给孩子听写", DICTATION),
        zh("帮孩子听写{o}", "帮忙听写", DICTATION),
        zh("给孩子默写{o}", "给孩子默写", DICTATION),
    ],
    en: &[
        en("dictate the {o} to {c}", "do the dictation", "", EN_DICTATION),
        en("give {c} a dictation of the {o}", "give a dictation", "", EN_DICTATION),
        en("test {c} on the {o}", "test the words", "", EN_DICTATION),
        en("read out the {o} for {c} to write down", "read out the words", "", EN_DICTATION),
    ],
    after_the_work: false,
    zh_posts: ZH_DICTATION_POSTS,
    en_posts: EN_DICTATION_POSTS,
    group_only: false,
};

const RECITING: Burden = Burden {
    zh: &[
        zh("听孩子背诵{o}", "听孩子背诵", RECITATION),
        zh("抽查孩子{o}的背诵情况", "抽查背诵情况", RECITATION),
        zh("听孩子背{o}并签字", "听背并签字", RECITATION),
        zh("检查孩子{o}的背诵情况", "检查背诵", RECITATION),
    ],
    en: &[
        en("listen to {c} recite the {o} and sign", "listen and sign", "", EN_RECITATION),
        en("check that {c} can recite the {o}", "check the recitation", "", EN_RECITATION),
        en("hear {c} recite the {o} and tick it off", "hear it and tick it off", "", EN_RECITATION),
    ],
    after_the_work: false,
    zh_posts: ZH_RECITATION_POSTS,
    en_posts: EN_RECITATION_POSTS,
    group_only: false,
};

const TIMING: Burden = Burden {
    zh: &[
        zh("给孩子的{o}计时", "计时", TIMED),
        zh("用秒表给孩子做{o}计时", "用秒表计时", TIMED),
        zh("在孩子做{o}时计时，并记下对了几题", "计时并记下对了几题", TIMED_ANSWERED),
        zh("给孩子的{o}计时，限三分钟完成", "计时三分钟", TIMED),
        zh("为孩子的{o}计时并记录成绩", "计时并记录成绩", TIMED_ANSWERED),
    ],
    en: &[
        en("time {c} on the {o}", "time it", "timed", EN_TIMED),
        en("time {c} doing the {o} with a stopwatch", "time it with a stopwatch", "", EN_TIMED),
        en("time {c} on the {o} and note how many answers are right", "time it and note the score", "", EN_TIMED),
    ],
    after_the_work: false,
    zh_posts: ZH_TIMED_POSTS,
    en_posts: EN_TIMED_POSTS,
    group_only: false,
};

const RECORDING_ERRORS: Burden = Burden {
    zh: &[
        zh("帮孩子记录{o}中的错题", "记录错题", MISTAKES_FROM),
        zh("帮孩子把{o}的错题整理到错题本上", "整理错题本", MISTAKES_FROM),
        zh("把孩子{o}里的错题抄到错题本上", "把错题抄到错题本上", MISTAKES_FROM),
        zh("统计孩子{o}的错题", "统计错题", MISTAKES_FROM),
        zh("帮孩子整理{o}的错题", "整理错题", MISTAKES_FROM),
        zh("记下孩子{o}做错的题目", "记下做错的题", MISTAKES_FROM),
    ],
    en: &[
        en("record the mistakes from {p} {o} in an error log", "record the mistakes", "", EN_MISTAKES_FROM),
        en("copy the wrong answers from {p} {o} into a mistakes book", "copy the mistakes out", "", EN_MISTAKES_FROM),
        en("keep a list of the mistakes in {p} {o}", "list the mistakes", "", EN_MISTAKES_FROM),
        en("write down every mistake {c} makes on the {o}", "write down the mistakes", "", EN_MISTAKES_FROM),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const PHOTOGRAPHING: Burden = Burden {
    zh: &[
        zh("把孩子的{o}拍照上传到班级群", "拍照上传到班级群", WRITTEN),
        zh("将孩子的{o}拍照发到群里", "拍照发到群里", WRITTEN),
        zh("上传孩子的{o}照片", "上传照片", WRITTEN),
        zh("把{o}拍照上传至钉钉", "拍照上传至钉钉", WRITTEN),
        zh("在企业微信里提交孩子的{o}照片", "在企业微信里提交照片", WRITTEN),
        zh("把孩子完成的{o}拍下来发给老师", "拍下来发给老师", WRITTEN),
        zh("在钉钉家校本上提交孩子的{o}", "在家校本上提交", WRITTEN),
        zh("给孩子的{o}拍视频发群", "拍视频发群", SPOKEN),
        zh("录一段孩子{o}的视频上传", "录视频上传", SPOKEN),
        zh("在小程序上传孩子的{o}录音", "上传录音", SPOKEN),
    ],
    en: &[
        en("take a photo of {p} {o} and upload it to the class group", "upload a photo of it", "", EN_WRITTEN),
        en("upload a photo of {p} {o} to the app", "upload a photo to the app", "", EN_WRITTEN),
        en("send a picture of {p} {o} to the group chat", "send a picture to the group", "", EN_WRITTEN),
        en("post a photo of {p} finished {o} on DingTalk", "post a photo on DingTalk", "", EN_WRITTEN),
        en("film {c} doing the {o} and post the video in the group", "film it and post it", "", EN_SPOKEN),
        en("upload a recording of {p} {o} to the mini-program", "upload a recording", "", EN_SPOKEN),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const CHECKING_IN: Burden = Burden {
    zh: &[
        zh("每天为孩子的{o}打卡", "每天打卡", CHECK_INS),
        zh("在小程序上给孩子的{o}打卡", "在小程序上打卡", CHECK_INS),
        zh("督促孩子完成{o}打卡", "督促打卡", CHECK_INS),
        zh("在群里为孩子的{o}打卡", "在群里打卡", CHECK_INS),
        zh("每晚在App里完成孩子的{o}打卡", "完成打卡", CHECK_INS),
    ],
    en: &[
        en("log {p} {o} in the app every day", "log it in the app", "logged in the app", EN_CHECK_INS),
        en("check in {p} {o} on the mini-program", "check in on the mini-program", "", EN_CHECK_INS),
        en("do the daily {o} check-in for {c}", "do the check-in", "", EN_CHECK_INS),
        en("record {p} {o} on the class app every night", "record it on the app", "", EN_CHECK_INS),
    ],
    after_the_work: true,
    zh_posts: ZH_CHECK_IN_POSTS,
    en_posts: EN_CHECK_IN_POSTS,
    group_only: false,
};

const PRINTING: Burden = Burden {
    zh: &[
        zh("打印{o}", "打印", PRINTABLE),
        zh("把{o}打印出来给孩子做", "打印出来给孩子做", PRINTABLE),
        zh("自行打印{o}", "自行打印", PRINTABLE),
        zh("复印{o}", "复印", PRINTABLE),
        zh("把{o}彩色打印出来", "彩色打印", PRINTABLE),
        zh("提前打印好{o}", "提前打印好", PRINTABLE),
    ],
    en: &[
        en("print {p} {o}", "print it", "printed", EN_PRINTABLE),
        en("print out the {o}", "print it out", "printed out", EN_PRINTABLE),
        en("print two copies of the {o}", "print two copies", "", EN_PRINTABLE),
        en("print the {o} at home", "print it at home", "printed at home", EN_PRINTABLE),
    ],
    after_the_work: false,
    zh_posts: &[],
    en_posts: &[],
    group_only: false,
};

const FEEDBACK_FORMS: Burden = Burden {
    zh: &[
        zh("填写孩子{o}的完成情况反馈表", "填写完成情况反馈表", FEEDBACK_ON),
        zh("在反馈表上写出孩子{o}的正确率", "填写正确率", FEEDBACK_ON),
        zh("填写{o}记录单，写明正确率", "填写记录单并写明正确率", FEEDBACK_ON),
        zh("在孩子的{o}后面写家长评价", "写家长评价", FEEDBACK_ON),
        zh("在App上反馈孩子{o}的正确率", "在App上反馈正确率", FEEDBACK_ON),
        zh("填写{o}家长反馈栏，注明对错情况", "填写家长反馈栏", FEEDBACK_ON),
    ],
    en: &[
        en(
            "fill in the feedback form on {p} {o} with the number of correct answers",
            "fill in the feedback form",
            "",
            EN_FEEDBACK_ON,
        ),
        en("write a parent comment on {p} {o}", "write a parent comment", "", EN_FEEDBACK_ON),
        en("record the accuracy of {p} {o} on the form", "record the accuracy", "", EN_FEEDBACK_ON),
        en(
            "fill in the parent section of the {o} log with how much was right",
            "fill in the parent section",
            "",
            EN_FEEDBACK_ON,
        ),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: false,
};

const ROLL_CALL: Burden = Burden {
    zh: &[
        zh("检查孩子的{o}后在群里接龙“已检查”", "检查后在群里接龙", WRITTEN),
        zh("在群里接龙确认已检查孩子的{o}", "在群里接龙确认已检查", WRITTEN),
        zh("签好{o}后在群里接龙", "签字后在群里接龙", SIGNABLE),
        zh("检查完{o}在群里回复“已检查+孩子姓名”", "检查后回复“已检查”", WRITTEN),
        zh("批改完孩子的{o}后接龙报正确率", "批改后接龙报正确率", ANSWERED),
    ],
    en: &[
        en(
            "check {p} {o} and then reply 'checked' in the group",
            "reply 'checked' in the group after checking",
            "",
            EN_WRITTEN,
        ),
        en(
            "add {c}'s name to the group roll-call after checking the {o}",
            "join the roll-call once checked",
            "",
            EN_WRITTEN,
        ),
        en("reply 'signed' in the class group once {p} {o} is signed", "reply 'signed' in the group", "", EN_SIGNABLE),
    ],
    after_the_work: true,
    zh_posts: ZH_WRITTEN_POSTS,
    en_posts: EN_WRITTEN_POSTS,
    group_only: true,
};

const WRITING: Burden = Burden {
    zh: &[
        zh("帮孩子写{o}", "帮孩子写", MADE),
        zh("代写{o}", "代写", MADE),
        zh("和孩子一起完成{o}", "和孩子一起完成", MADE),
        zh("帮孩子画{o}", "帮孩子画", DRAWN),
        zh("替孩子完成{o}", "替孩子完成", MADE),
        zh("帮孩子把{o}写完", "帮孩子写完", ESSAYS),
        zh("帮孩子写{o}的开头", "帮孩子写开头", ESSAYS),
        zh("和孩子共同完成一份{o}", "和孩子共同完成", DRAWN),
        zh("亲手帮孩子制作{o}", "亲手制作", MADE),
    ],
    en: &[
        en("help {c} write the {o}", "help write it", "", EN_MADE),
        en("write the {o} for {c}", "write it for your child", "", EN_MADE),
        en("make the {o} together with {c}", "make it together", "", EN_MADE),
        en("draw the {o} with {c}", "draw it together", "", EN_DRAWN),
        en("finish the {o} for {c}", "finish it", "", EN_MADE),
        en("do part of the {o} for {c}", "do part of it", "", EN_MADE),
    ],
    after_the_work: false,
    zh_posts: &[],
    en_posts: &[],
    group_only: false,
};

/// Every burden, for the negated look-alikes that reuse their acts.
const BURDENS: &[&Burden] = &[
    &CHECKING,
    &GRADING,
    &TICKING,
    &CORRECTING,
    &SIGNING,
    &DICTATING,
    &RECITING,
    &TIMING,
    &RECORDING_ERRORS,
    &PHOTOGRAPHING,
    &CHECKING_IN,
    &PRINTING,
    &FEEDBACK_FORMS,
    &WRITING,
];

const ZH_WHICH: &[&str] = &["", "", "今天的", "今晚的", "这次的"];
const ZH_AFTER_THE_WORK: &[&str] = &["做完后，", "完成后，", "写完后，", "", ""];
const ZH_POST_ASKS: &[&str] =
    &["家长", "请家长", "家长务必", "由家长", "请爸爸妈妈", "家长要", "完成后请家长", "做完后家长", "请家长帮忙"];

/// "今天的" before a holiday or weekend homework reads wrong.
fn which(rng: &mut Rng, object: &str) -> &'static str {
    if object.contains('假') || object.contains("周末") || object.starts_with('附') {
        ""
    } else {
        ZH_WHICH[rng.below(ZH_WHICH.len())]
    }
}

fn burden(rng: &mut Rng, burden: &Burden) -> Option<(String, Channel)> {
    if rng.chance(30) { english_burden(rng, burden) } else { chinese_burden(rng, burden) }
}

fn chinese_burden(rng: &mut Rng, burden: &Burden) -> Option<(String, Channel)> {
    let act = rng.pick(burden.zh);
    let object = *rng.pick(act.objects);
    let (vocative, request, channel) = chinese_request(rng, burden.group_only, false);
    let end = rng.pick(ZH_ENDS);
    let shapes = if burden.zh_posts.is_empty() { 2 } else { 3 };
    let (text, channel) = match rng.below(shapes) {
        // 请家长每天检查孩子的练习册。
        0 => (format!("{vocative}{request}{}{end}", act.with_object.replace("{o}", object)), channel),
        // 今天的练习册做完后，请家长检查一下。
        1 => {
            let done = if burden.after_the_work { *rng.pick(ZH_AFTER_THE_WORK) } else { "" };
            // Reading aloud and reciting are not written.
            let written = WRITTEN.contains(&object) || SIGNABLE.contains(&object) || ESSAYS.contains(&object);
            let done = if done == "写完后，" && !written { "完成后，" } else { done };
            let which = which(rng, object);
            (format!("{vocative}{which}{object}{done}{request}{}{end}", act.bare), channel)
        }
        // 数学：口算一页，家长检查。
        _ => {
            let post = numbered(rng, burden.zh_posts);
            let ask = rng.pick(ZH_POST_ASKS);
            let (lead, channel) = *rng.pick(&[
                ("", Channel::Homework),
                ("", Channel::Homework),
                ("【家庭作业】", Channel::Homework),
                ("今日作业：", Channel::Notice),
            ]);
            (format!("{lead}{post}，{ask}{}{end}", act.bare), channel)
        }
    };
    // "请家长帮忙帮孩子…" stutters.
    if text.contains("帮忙帮") || text.contains("帮忙帮忙") {
        return None;
    }
    Some((text, channel))
}

fn english_burden(rng: &mut Rng, burden: &Burden) -> Option<(String, Channel)> {
    let act = rng.pick(burden.en);
    let object = *rng.pick(act.objects);
    let time = rng.pick(EN_TIMES);
    match rng.below(5) {
        // Dear parents, please check your child's worksheet tonight.
        0 => {
            let (vocative, reach, starts) = *rng.pick(EN_VOCATIVES);
            let mut ask = format!(
                "{}{}{time}{}",
                rng.pick(EN_POLITE),
                english_verb(rng, act.verb, object, TO_YOU),
                rng.pick(EN_ENDS)
            );
            if starts {
                ask = capitalised(&ask);
            }
            let channel = if burden.group_only { group_channel(rng) } else { reach.channel(rng) };
            Some((format!("{vocative}{ask}"), channel))
        }
        // Parents should check their child's worksheet every evening.
        1 => {
            let (subject, reach) = *rng.pick(EN_PARENTS_SHOULD);
            let verb = english_verb(rng, act.verb, object, OF_PARENTS);
            let channel = if burden.group_only { group_channel(rng) } else { reach.channel(rng) };
            Some((format!("{subject}{verb}{time}{}", rng.pick(EN_ENDS)), channel))
        }
        // Hi Mrs Li, could you check his worksheet tonight?
        2 if !burden.group_only => {
            let vocative = rng.pick(EN_MESSAGE_VOCATIVES);
            let (ask, question) = *rng.pick(EN_MESSAGE_ASKS);
            let verb = english_verb(rng, act.verb, object, TO_ONE_FAMILY);
            let end = if question { rng.pick(EN_QUESTION_ENDS) } else { rng.pick(EN_ENDS) };
            let ask = if vocative.is_empty() { capitalised(ask) } else { ask.to_owned() };
            Some((format!("{vocative}{ask}{verb}{time}{end}"), Channel::Message))
        }
        // Maths: workbook page 12. Parents, please check it.
        3 if !burden.en_posts.is_empty() => {
            let post = numbered(rng, burden.en_posts);
            let who = rng.pick(&[
                "Parents, please",
                "Parents to",
                "A parent should",
                "Please have a parent",
                "Mum or Dad to",
                "Parents must",
            ]);
            let end = rng.pick(&[".", ".", ". Thanks!", "!"]);
            Some((format!("{post} {who} {}{end}", act.short), Channel::Homework))
        }
        // Every worksheet must be signed by a parent tonight.
        4 if !act.passive.is_empty() => {
            let head = *rng.pick(&["The ", "Your child's ", "Every ", "Each "]);
            let head = if is_mass(object) && matches!(head, "Every " | "Each ") { "The " } else { head };
            let must = rng.pick(&["must be", "needs to be", "should be", "has to be"]);
            let channel = if burden.group_only { group_channel(rng) } else { Reach::Any.channel(rng) };
            Some((format!("{head}{object} {must} {} by a parent{time}.", act.passive), channel))
        }
        _ => None,
    }
}

fn signing(rng: &mut Rng) -> Option<(String, Channel)> {
    // Besides the requests, the bare forms teachers write: "作业需家长签字。"
    if rng.chance(20) {
        let object = rng.pick(SIGNABLE);
        let text = match rng.below(6) {
            0 => format!("{object}需家长签字。"),
            1 => format!("没有家长签字的{object}不予批改。"),
            2 => format!("{object}：家长签字______"),
            3 => format!("{object}记得让家长签字。"),
            4 => format!("{object}请家长签名后明天交回。"),
            _ => format!("{}must be signed by a parent.", rng.pick(&["Homework ", "The reading log ", "Test papers "])),
        };
        return Some((text, Reach::Any.channel(rng)));
    }
    burden(rng, &SIGNING)
}

fn dictating(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(10) {
        let text = format!("{}{}。", rng.pick(&["报听写：", "家长报听写：", "今晚家长听写："]), rng.pick(DICTATION));
        return Some((text, Channel::Homework));
    }
    if rng.chance(40) { burden(rng, &RECITING) } else { burden(rng, &DICTATING) }
}

fn photographing(rng: &mut Rng) -> Option<(String, Channel)> {
    // Uploads asked of nobody in particular fall on whoever holds the phone: the parents.
    if rng.chance(15) {
        let object = rng.pick(WRITTEN);
        let text = match rng.below(4) {
            0 => format!("{object}拍照上传至钉钉。"),
            1 => format!("今天的{object}拍照发群里。"),
            2 => format!("{object}写完后麻烦拍照发给我。"),
            _ => format!("Please send photos of the {} to the class group by 8 pm.", rng.pick(EN_WRITTEN)),
        };
        return Some((text, Reach::Any.channel(rng)));
    }
    burden(rng, &PHOTOGRAPHING)
}

fn checking_in(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(25) {
        let object = rng.pick(CHECK_INS);
        let text = match rng.below(5) {
            0 => format!("每天{object}打卡，坚持21天。"),
            1 => format!("{object}每日打卡，下周一开始。"),
            2 => format!("本周开始{object}打卡，请家长督促。"),
            3 => format!("{object}打卡满21天的同学有奖励。"),
            _ => format!("Daily {} check-in starts on Monday.", rng.pick(EN_CHECK_INS)),
        };
        return Some((text, Reach::Group.channel(rng)));
    }
    burden(rng, &CHECKING_IN)
}

/// A negated act then an asked one: the negation does not reach past its clause.
fn burden_past_a_negation(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = Reach::Any.channel(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_ANSWERED);
        let spared = rng.pick(&["mark", "check", "correct", "grade"]);
        let asked = rng.pick(&[
            "sign it",
            "sign it tonight",
            "upload a photo of it to the group",
            "initial it",
            "post a photo of it in the class group",
        ]);
        let text = match rng.below(3) {
            0 => format!("No need to {spared} the {object}, but please {asked}."),
            1 => format!("You don't have to {spared} the {object}; just {asked}."),
            _ => format!("Parents need not {spared} the {object}, but it must be signed by a parent."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(ANSWERED);
    let spared = rng.pick(&["检查", "批改", "订正", "打分", "逐题核对"]);
    let asked = rng.pick(&["签字", "签个名", "在右上角签名", "拍照上传到群里", "拍照发给老师", "在群里打卡"]);
    let which = which(rng, object);
    let negation = rng.pick(&["无需", "不需要", "不用", "不必"]);
    let text = match rng.below(2) {
        0 => {
            let subject = rng.pick(&["", "家长", "您"]);
            format!("{which}{object}{negation}家长{spared}，但请{subject}{asked}。")
        }
        _ => format!("{which}{object}{negation}家长{spared}，只需{asked}。"),
    };
    Some((text, channel))
}

// ---------------------------------------------------------------------------------------------
// HW_SELF_GRADING.

const SELF_GRADED: &[&str] = &[
    "口算",
    "练习册",
    "练习卷",
    "数学作业",
    "英语作业",
    "课时练",
    "计算题",
    "单词默写",
    "试卷",
    "口算本",
    "补充习题",
    "家庭作业",
    "周末作业",
    "听写",
    "作业",
];
const EN_SELF_GRADED: &[&str] = &[
    "worksheet",
    "maths homework",
    "spelling test",
    "workbook pages",
    "sums",
    "practice sheet",
    "test paper",
    "times-tables sheet",
    "homework",
];

/// Pupils told to mark their own work, and whom the telling fits.
const PUPILS: &[(&str, Reach)] = &[
    ("同学们", Reach::Group),
    ("请同学们", Reach::Group),
    ("孩子们", Reach::Group),
    ("请孩子", Reach::Any),
    ("学生", Reach::Group),
    ("请各位同学", Reach::Group),
    ("请家长让孩子", Reach::Any),
    ("请家长督促孩子", Reach::Any),
    ("请您让孩子", Reach::OneFamily),
    ("让孩子", Reach::Any),
];
const AGAINST_THE_KEY: &[&str] = &["对照答案", "对照参考答案", "对照书后的答案", "对照群里发的答案", "根据答案", ""];
const MARK_THEIR_OWN: &[&str] = &[
    "自批自改",
    "自己批改",
    "自己打分",
    "自己评分",
    "自行批改并订正",
    "自己批改并把分数写在右上角",
    "给自己打分",
    "自己打勾打叉",
    "自己批阅",
    "自己批改后交给老师登记",
];

fn self_grading(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let object = rng.pick(EN_SELF_GRADED);
        let n = rng.between(20, 60);
        let text = match rng.below(7) {
            0 => format!("Mark your own {object} using the answer key."),
            1 => format!("Self-mark the {object} with the answers at the back of the book."),
            2 => format!("Students grade their own {object} and write the score at the top."),
            3 => format!("Please have your child mark their own {object} against the answer sheet."),
            4 => format!("Check your {object} against the answer key and give yourself a score."),
            5 => format!("Pupils mark their own {object} tonight with the answers posted in the group."),
            _ => format!("Grade your own {object}; the answers are on page {n}."),
        };
        // Told to the pupils ("mark your own…"): a homework post; in a message "you" is the guardian.
        let channel = if text.starts_with("Please have") { Reach::Any.channel(rng) } else { group_channel(rng) };
        return Some((text, channel));
    }
    let object = rng.pick(SELF_GRADED);
    let end = rng.pick(&["。", "。", "，明天交。", "，明天交给老师。", "！"]);
    if rng.chance(20) {
        let text = match rng.below(3) {
            0 => format!("本周{object}实行学生自批自改{end}"),
            1 => format!("{object}由学生自己批改{end}"),
            _ => format!("答案已发到群里，请孩子对照答案自己批改{object}{end}"),
        };
        return Some((text, Reach::Any.channel(rng)));
    }
    let (pupils, reach) = *rng.pick(PUPILS);
    let key = rng.pick(AGAINST_THE_KEY);
    let act = rng.pick(MARK_THEIR_OWN);
    let done = rng.pick(&["做完后，", "完成后，", "写完后，", ""]);
    let which = which(rng, object);
    Some((format!("{which}{object}{done}{pupils}{key}{act}{end}"), reach.channel(rng)))
}

fn peer_marking_instead_of_the_teacher(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = group_channel(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_SELF_GRADED);
        let text = match rng.below(3) {
            0 => format!("Pupils will mark each other's {object} instead of the teacher."),
            1 => format!("From this week, group leaders mark the {object}; the teacher will not mark it."),
            _ => format!("The {object} will be peer-marked, and the teacher will no longer mark it."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(SELF_GRADED);
    let text = match rng.below(3) {
        0 => {
            let peers = rng.pick(&[
                "由同桌互相批改",
                "交给小组长批改",
                "由小老师批改",
                "实行同学互批互改",
                "由组长批改并登记分数",
            ]);
            let teacher = rng.pick(&["批改", "另行批改", "批阅", "检查"]);
            format!("{object}{peers}，老师不再{teacher}。")
        }
        1 => format!("本周起{object}由小老师代替老师批改。"),
        _ => format!("{object}改为同桌互改，代替老师批改。"),
    };
    Some((text, channel))
}

/// Peer marking in class that the teacher still oversees: a teaching method, not pupils made to
/// grade their own homework (the tuning corpus labels "同桌互相批改课堂练习" harmless).
fn peer_marking_in_class(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = group_channel(rng);
    if rng.chance(30) {
        let when = rng.pick(&["In class", "During the lesson", "In today's lesson", "In class tomorrow"]);
        let how = rng.pick(&["pupils will peer-mark", "students swap and mark", "partners check"]);
        let work = rng.pick(&["the practice questions", "each other's worksheets", "the warm-up exercises"]);
        let after = rng.pick(&["", ", then the teacher reviews them", " and the teacher goes over the answers"]);
        return Some((format!("{when}, {how} {work}{after}."), channel));
    }
    let when = rng.pick(&["课上", "课堂上", "明天课上", "今天的课堂上", ""]);
    let how = rng.pick(&["同桌互相批改", "学生互批互改", "小组互评", "同学之间互相检查", "同桌交换批改"]);
    let work = rng.pick(&["课堂练习", "随堂小练", "课上的口算题", "当堂检测", "练习题"]);
    let after = rng.pick(&["", "，老师再统一讲评", "，老师课后复查", "，之后老师逐题讲解", "，老师巡视指导"]);
    Some((format!("{when}{how}{work}{after}。"), channel))
}

// ---------------------------------------------------------------------------------------------
// EXAM_NO_RANKING: group channels only.

const EXAMS: &[&str] = &[
    "期中考试",
    "期末考试",
    "月考",
    "单元测验",
    "数学测验",
    "语文单元测试",
    "英语小测",
    "周测",
    "期末检测",
    "第三单元测试",
    "随堂测验",
    "数学期中考试",
    "英语期末考试",
    "科学测试",
    "数学单元测验",
    "语文期中考试",
];
const EN_EXAMS: &[&str] = &[
    "midterm",
    "final exam",
    "unit test",
    "maths test",
    "spelling test",
    "English quiz",
    "end-of-term exam",
    "Unit 3 test",
    "weekly test",
    "science test",
    "monthly exam",
];
const NAMES: &[&str] = &[
    "张三",
    "李四",
    "王五",
    "赵六",
    "小明",
    "李华",
    "王芳",
    "陈晨",
    "刘洋",
    "杨帆",
    "吴昊",
    "孙悦",
    "林小雨",
    "何佳怡",
    "周子涵",
    "黄思远",
];
const EN_NAMES: &[&str] =
    &["Amy", "Ben", "Chen Hao", "Li Hua", "Wang Fang", "Tom", "Lucy", "David", "Emma", "Jack", "Zhang Wei", "Mia"];
const SCOPES: &[&str] = &["班级", "年级", "全班", "全年级", ""];
const RESULT_LEADS: &[&str] = &["", "", "各位家长：", "【成绩通报】", "@所有人 ", "家长朋友们好，"];
const EN_RESULT_LEADS: &[&str] = &["", "", "Dear parents: ", "Hi everyone! ", "Class news: ", "📢 "];

/// `k` different names.
fn names(rng: &mut Rng, pool: &'static [&'static str], k: usize) -> Vec<&'static str> {
    let mut chosen: Vec<&'static str> = Vec::new();
    while chosen.len() < k {
        let name = *rng.pick(pool);
        if !chosen.contains(&name) {
            chosen.push(name);
        }
    }
    chosen
}

fn english_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Scores from the top down.
fn descending_scores(rng: &mut Rng, k: usize) -> Vec<u32> {
    let mut score = 100 - rng.between(0, 3);
    let mut scores = Vec::new();
    for _ in 0..k {
        scores.push(score);
        score -= rng.between(1, 4);
    }
    scores
}

/// Wraps a results announcement in a lead and a tail, on a group channel.
fn announced(rng: &mut Rng, english: bool, body: String, tails: &[&str]) -> Option<(String, Channel)> {
    let lead = if english { rng.pick(EN_RESULT_LEADS) } else { rng.pick(RESULT_LEADS) };
    let tail = *rng.pick(tails);
    // Once is enough to turn to the parents.
    let tail = if body.contains("家长") || body.contains("Parents") { "" } else { tail };
    Some((format!("{lead}{body}{tail}"), group_channel(rng)))
}

fn rankings(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let n = names(rng, EN_NAMES, 4);
        let place = rng.pick(&["second", "third", "fifth", "tenth"]);
        let body = match rng.below(6) {
            0 => format!("The class ranking for the {exam} is attached."),
            1 => format!("Ranking for the {exam}: 1. {}, 2. {}, 3. {}.", n[0], n[1], n[2]),
            2 => format!("Here are the {exam} results for the whole class, sorted by total score."),
            3 => format!("Please see the attached {exam} results, ranked from highest to lowest."),
            4 => format!("Class positions for the {exam} are now in the group files."),
            _ => format!("{} came {place} in the class in the {exam}.", n[0]),
        };
        return announced(rng, true, body, &["", "", " Keep it up!", " Please check."]);
    }
    let exam = rng.pick(EXAMS);
    let scope = rng.pick(SCOPES);
    let n = names(rng, NAMES, 4);
    let k = rng.pick(&["三", "五", "十", "10"]);
    let place = rng.between(2, 12);
    let body = match rng.below(9) {
        0 => format!("本次{exam}{scope}排名已出，请查看附件。"),
        1 => format!("{exam}{scope}排名如下：第一名{}，第二名{}，第三名{}。", n[0], n[1], n[2]),
        2 => format!("现将{exam}成绩公布如下，请家长查看。"),
        3 => format!("附件是{exam}{scope}成绩排名表。"),
        4 => format!("{exam}{scope}排名前{k}的同学名单已公布在群里。"),
        5 => format!("按{exam}总分从高到低排序：{}、{}、{}、{}。", n[0], n[1], n[2], n[3]),
        6 => format!("{exam}成绩单已发群里，请家长查看孩子的名次。"),
        7 => format!("{}在本次{exam}中排{scope}第{place}名。", n[0]),
        _ => format!("本次{exam}{scope}名次表见群文件。"),
    };
    announced(rng, false, body, &["", "", "请家长督促孩子继续努力。", "继续加油！"])
}

fn top_performers(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let k = rng.between(3, 5) as usize;
        let n = names(rng, EN_NAMES, k);
        let body = match rng.below(6) {
            0 => format!("Top 3 in the {exam}: {}.", english_list(&n[..3])),
            1 => format!("Congratulations to {}, who came first in the {exam}!", n[0]),
            2 => format!("Well done to {} and {}, the best performers in the {exam}.", n[0], n[1]),
            3 => format!("The top {k} in the {exam} are {}.", english_list(&n)),
            4 => format!("{} got the highest score in the class on the {exam}.", n[0]),
            _ => format!("Star pupils of the {exam}: {}!", english_list(&n)),
        };
        return announced(rng, true, body, &["", "", " Well done!", " 👏"]);
    }
    let exam = rng.pick(EXAMS);
    let scope = rng.pick(SCOPES);
    let k = rng.between(3, 5) as usize;
    let n = names(rng, NAMES, k);
    let count = ["三", "四", "五"][k - 3];
    let list = n.join("、");
    let body = match rng.below(8) {
        0 => format!("恭喜{}、{}、{}获得{exam}{scope}前三名！", n[0], n[1], n[2]),
        1 => format!("{exam}{scope}前{count}名：{list}。"),
        2 => {
            let of = rng.pick(&["班级", "年级", "全班"]);
            format!("{}在本次{exam}中获得{of}第一名，{}！", n[0], rng.pick(&["值得表扬", "为班级争光", "大家向他学习"]))
        }
        3 => format!("本次{exam}成绩最好的是{}和{}，值得大家学习。", n[0], n[1]),
        4 => format!("表扬{exam}{scope}前{count}名的同学：{list}。"),
        5 => format!("{exam}光荣榜：{list}。"),
        6 => format!("{exam}考得最好的三位同学是{}、{}、{}。", n[0], n[1], n[2]),
        _ => format!("{exam}{scope}第一名：{}；第二名：{}；第三名：{}。", n[0], n[1], n[2]),
    };
    announced(rng, false, body, &["", "", "继续加油！", "👏👏"])
}

fn full_marks(rng: &mut Rng) -> Option<(String, Channel)> {
    let k = rng.between(1, 4) as usize;
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let list = english_list(&names(rng, EN_NAMES, k));
        let body = match rng.below(4) {
            0 => format!("Full marks in the {exam}: {list}."),
            1 => format!("Congratulations to {list} for getting 100 in the {exam}!"),
            2 => format!("These pupils scored full marks on the {exam}: {list}."),
            _ => format!("100% on the {exam}: {list}!"),
        };
        return announced(rng, true, body, &["", "", " Well done!"]);
    }
    let exam = rng.pick(EXAMS);
    let list = names(rng, NAMES, k).join("、");
    let body = match rng.below(5) {
        0 => format!("本次{exam}满分名单：{list}。"),
        1 => format!("{exam}考满分的同学有：{list}，恭喜！"),
        2 => format!("恭喜{list}在{exam}中获得满分！"),
        3 => format!("{exam}100分：{list}。"),
        _ => format!("{exam}满分同学：{list}，大家向他们学习！"),
    };
    announced(rng, false, body, &["", "", "继续保持！"])
}

fn failed_lists(rng: &mut Rng) -> Option<(String, Channel)> {
    let k = rng.between(1, 4) as usize;
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let list = english_list(&names(rng, EN_NAMES, k));
        let body = match rng.below(5) {
            0 => format!("The following pupils failed the {exam}: {list}."),
            1 => format!("Did not pass the {exam}: {list}. A retest is on Monday."),
            2 => format!("{list} scored below 60 on the {exam}."),
            3 => format!("Retest list for the {exam}: {list}."),
            _ => format!("Lowest scores in the {exam}: {list}."),
        };
        return announced(rng, true, body, &["", "", " Parents, please take note."]);
    }
    let exam = rng.pick(EXAMS);
    let list = names(rng, NAMES, k).join("、");
    let body = match rng.below(6) {
        0 => format!("{exam}不及格名单：{list}，请相关家长注意。"),
        1 => format!("以下同学{exam}未及格：{list}。"),
        2 => format!("{exam}没有及格的同学：{list}，下周补考。"),
        3 => format!("{list}这次{exam}不及格，请家长重视。"),
        4 => format!("{exam}需要补考的同学：{list}。"),
        _ => format!("{exam}全班倒数几名：{list}。"),
    };
    announced(rng, false, body, &["", "", "请家长多关注。"])
}

fn score_lists(rng: &mut Rng) -> Option<(String, Channel)> {
    let scores: Vec<u32> = (0..4).map(|_| rng.between(62, 100)).collect();
    let first_number = rng.between(1, 40);
    let numbers: Vec<String> = (0..4).map(|i| format!("{:02}", first_number + i)).collect();
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let n = names(rng, EN_NAMES, 4);
        let body = match rng.below(4) {
            0 => format!(
                "Scores for the {exam}: {} {}, {} {}, {} {}.",
                n[0], scores[0], n[1], scores[1], n[2], scores[2]
            ),
            1 => format!(
                "Scores by student number for the {exam}: No. {} – {}, No. {} – {}, No. {} – {}.",
                numbers[0], scores[0], numbers[1], scores[1], numbers[2], scores[2]
            ),
            2 => format!(
                "Results of the {exam}: {} {}/100, {} {}/100, {} {}/100.",
                n[0], scores[0], n[1], scores[1], n[2], scores[2]
            ),
            _ => format!(
                "Here are everyone's marks on the {exam}: {} {}, {} {}, {} {}, {} {}.",
                n[0], scores[0], n[1], scores[1], n[2], scores[2], n[3], scores[3]
            ),
        };
        return announced(rng, true, body, &["", "", " Please check."]);
    }
    let exam = rng.pick(EXAMS);
    let n = names(rng, NAMES, 4);
    let body = match rng.below(5) {
        0 => format!("{exam}成绩：{} {}分，{} {}分，{} {}分。", n[0], scores[0], n[1], scores[1], n[2], scores[2]),
        1 => format!(
            "{exam}成绩（按学号）：{}号 {}分，{}号 {}分，{}号 {}分，{}号 {}分。",
            numbers[0], scores[0], numbers[1], scores[1], numbers[2], scores[2], numbers[3], scores[3]
        ),
        2 => format!(
            "{exam}成绩公布：学号{} {}分；学号{} {}分；学号{} {}分。",
            numbers[0], scores[0], numbers[1], scores[1], numbers[2], scores[2]
        ),
        3 => format!("{exam}分数如下：{}{}，{}{}，{}{}。", n[0], scores[0], n[1], scores[1], n[2], scores[2]),
        _ => {
            let top = descending_scores(rng, 3);
            format!("{exam}按总分排序：{} {}分、{} {}分、{} {}分。", n[0], top[0], n[1], top[1], n[2], top[2])
        }
    };
    announced(rng, false, body, &["", "", "请家长查看。"])
}

fn score_thresholds(rng: &mut Rng) -> Option<(String, Channel)> {
    let k = rng.between(2, 5) as usize;
    let high = rng.pick(&[85, 90, 95]);
    let low = rng.pick(&[60, 70, 80]);
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let list = english_list(&names(rng, EN_NAMES, k));
        let (body, tails): (String, &[&str]) = match rng.below(4) {
            0 => (format!("Pupils who scored above {high} in the {exam}: {list}."), &["", " Keep it up!"]),
            1 => (format!("In the {exam}, {list} scored {high} or more."), &["", " Keep it up!"]),
            2 => (format!("Below {low} in the {exam}: {list}."), &["", " Parents, please take note."]),
            _ => (format!("Grade A in the {exam}: {list}."), &["", " Keep it up!"]),
        };
        return announced(rng, true, body, tails);
    }
    let exam = rng.pick(EXAMS);
    let list = names(rng, NAMES, k).join("、");
    let (body, tails): (String, &[&str]) = match rng.below(5) {
        0 => (format!("{exam}{high}分以上的同学：{list}。"), &["", "👍"]),
        1 => (format!("本次{exam}{high}分以上：{list}，继续保持！"), &[""]),
        2 => (format!("{exam}{low}分以下的同学有{list}，请家长关注。"), &[""]),
        3 => (format!("{exam}优秀（{high}分以上）名单：{list}。"), &["", "👍"]),
        _ => (format!("{exam}得A的同学：{list}。"), &["", "👍"]),
    };
    announced(rng, false, body, tails)
}

// ---------------------------------------------------------------------------------------------
// Two rules in one text.

fn parents_sign_the_ranked_paper(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = group_channel(rng);
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let n = names(rng, EN_NAMES, 3);
        let s = descending_scores(rng, 3);
        let text = match rng.below(3) {
            0 => format!("Please sign the {exam} paper tonight. Top 3: {}.", english_list(&n)),
            1 => format!(
                "Scores for the {exam}: {} {}, {} {}, {} {}. Parents, please check the mistakes on the paper and sign it.",
                n[0], s[0], n[1], s[1], n[2], s[2]
            ),
            _ => format!("The class ranking for the {exam} is attached; please check your child's paper and sign it."),
        };
        return Some((text, channel));
    }
    let exam = rng.pick(EXAMS);
    let scope = rng.pick(SCOPES);
    let n = names(rng, NAMES, 3);
    let s = descending_scores(rng, 3);
    let text = match rng.below(5) {
        0 => format!("{exam}试卷请家长签字，本次{scope}前三名：{}、{}、{}。", n[0], n[1], n[2]),
        1 => format!(
            "{exam}成绩：{} {}分，{} {}分，{} {}分。试卷请家长签字后明天交回。",
            n[0], s[0], n[1], s[1], n[2], s[2]
        ),
        2 => format!("{exam}满分名单：{}、{}。其他同学的试卷请家长检查错题并签字。", n[0], n[1]),
        3 => format!("请家长批改{exam}试卷，并在群里接龙报分数，老师统一排名。"),
        _ => format!("{exam}{scope}排名已发群里；试卷请家长逐题检查后签名。"),
    };
    Some((text, channel))
}

fn parents_sign_self_marked_work(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = Reach::Any.channel(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_SELF_GRADED);
        let text = match rng.below(3) {
            0 => format!("Students mark their own {object} with the answer key, then a parent signs it."),
            1 => format!(
                "Your child grades their own {object} using the answers at the back; please check the marking and sign."
            ),
            _ => format!("Self-mark the {object} tonight and ask a parent to sign it."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(SELF_GRADED);
    let parent = rng.pick(&["家长", "请家长", "爸爸妈妈"]);
    let text = match rng.below(5) {
        0 => format!("{object}请孩子对照答案自批自改，{parent}检查后签字。"),
        1 => format!("孩子对照答案自己批改{object}后，请家长签字。"),
        2 => format!("{object}先让孩子自己打分，再请家长复查一遍。"),
        3 => format!("{object}同学们对照答案自己批改，{parent}签字确认。"),
        _ => format!("请家长让孩子自批自改{object}，然后把批改好的{object}拍照上传到群里。"),
    };
    Some((text, channel))
}

// ---------------------------------------------------------------------------------------------
// Harmless look-alikes.

const ZH_NEGATIONS: &[&str] = &["无需", "不需要", "不用", "不必", "无须", "不用再", "没有必要"];
const ZH_NEGATED_SUBJECTS: &[(&str, Reach)] = &[
    ("家长", Reach::Any),
    ("家长", Reach::Any),
    ("各位家长", Reach::Group),
    ("爸爸妈妈", Reach::Any),
    ("您", Reach::OneFamily),
    ("家长朋友们", Reach::Group),
    ("监护人", Reach::Any),
];
const ZH_NEGATED_TAILS: &[&str] = &[
    "。",
    "。",
    "，老师明天课上讲评。",
    "，孩子在学校已经完成了。",
    "，只需保证孩子按时休息。",
    "，谢谢配合！",
    "，请放心。",
    "，由老师统一批改。",
];
const EN_NEGATED_TAILS: &[&str] = &[
    ".",
    ".",
    "; the teacher will mark it in class.",
    ". I will go over it in class tomorrow.",
    "; it was finished at school.",
    ", thank you.",
    " — we check it at school.",
];

/// Any burden act, for the negated look-alikes: not one with a second clause ("计时，并记下…"),
/// which a negation before it may not reach.
fn any_zh_act(rng: &mut Rng) -> (&'static ZhAct, &'static str) {
    loop {
        let burden = rng.pick(BURDENS);
        let act = rng.pick(burden.zh);
        if !act.with_object.contains('，') {
            return (act, *rng.pick(act.objects));
        }
    }
}

fn any_en_act(rng: &mut Rng) -> (&'static EnAct, &'static str) {
    let burden = rng.pick(BURDENS);
    let act = rng.pick(burden.en);
    (act, *rng.pick(act.objects))
}

/// Every burden act, negated: "家长无需检查孩子的练习册", "Parents do not need to sign it".
fn negated(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(10) {
        return negated_self_grading(rng);
    }
    if rng.chance(30) {
        let (act, object) = any_en_act(rng);
        let tail = rng.pick(EN_NEGATED_TAILS);
        let time = rng.pick(EN_TIMES);
        return match rng.below(6) {
            0 => {
                let subject = rng.pick(&[
                    "Parents do not need to ",
                    "Parents don't have to ",
                    "Parents are not required to ",
                    "Parents should not ",
                    "No parent needs to ",
                    "Parents needn't ",
                ]);
                let verb = english_verb(rng, act.verb, object, OF_PARENTS);
                Some((format!("{subject}{verb}{time}{tail}"), Reach::Any.channel(rng)))
            }
            1..=3 => {
                let (vocative, reach, starts) = *rng.pick(EN_VOCATIVES);
                let negation =
                    rng.pick(&["there is no need to ", "you don't have to ", "please don't ", "no need to "]);
                let verb = english_verb(rng, act.verb, object, TO_YOU);
                let rest = format!("{negation}{verb}{time}{tail}");
                let rest = if starts { capitalised(&rest) } else { rest };
                Some((format!("{vocative}{rest}"), reach.channel(rng)))
            }
            _ => {
                let vocative = rng.pick(EN_MESSAGE_VOCATIVES);
                let negation = rng.pick(&["you don't need to ", "there's no need to ", "please don't "]);
                let negation = if vocative.is_empty() { capitalised(negation) } else { (*negation).to_owned() };
                let verb = english_verb(rng, act.verb, object, TO_ONE_FAMILY);
                Some((format!("{vocative}{negation}{verb}{time}{tail}"), Channel::Message))
            }
        };
    }
    let (act, object) = any_zh_act(rng);
    let tail = rng.pick(ZH_NEGATED_TAILS);
    let (subject, reach) = *rng.pick(ZH_NEGATED_SUBJECTS);
    let text = match rng.below(4) {
        // 家长无需每天检查孩子的练习册。
        0 | 1 => {
            let time = rng.pick(&["", "", "", "每天", "今晚"]);
            format!("{subject}{}{time}{}{tail}", rng.pick(ZH_NEGATIONS), act.with_object.replace("{o}", object))
        }
        // 今天的练习册不需要家长检查。
        2 => {
            let negation = rng.pick(&["无需", "不需要", "不用", "无须"]);
            let which = which(rng, object);
            format!("{which}{object}{negation}{subject}{}{tail}", act.bare)
        }
        // 请家长不要检查孩子的练习册。
        _ => format!("请{subject}不要{}{tail}", act.with_object.replace("{o}", object)),
    };
    Some((text, reach.channel(rng)))
}

fn negated_self_grading(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = Reach::Any.channel(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_SELF_GRADED);
        let text = match rng.below(3) {
            0 => format!("Students will not mark their own {object}; the teacher will."),
            1 => format!("Pupils do not need to grade their own {object}; I will mark it."),
            _ => format!("No self-marking: the teacher marks the {object}."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(SELF_GRADED);
    let text = match rng.below(4) {
        0 => format!("不要求学生自批自改，{object}由老师批改。"),
        1 => format!("{object}不需要孩子自己批改，老师会统一批改。"),
        2 => format!("学生不用自己给{object}打分，老师会逐一批改。"),
        _ => format!("{object}无需同学们对照答案自批，老师明天批改。"),
    };
    Some((text, channel))
}

const ZH_CANCELLED: &[&str] = &[
    "家长签字",
    "家长批改作业",
    "作业打卡",
    "家长检查作业",
    "作业拍照上传",
    "家长报听写",
    "家长打印作业",
    "阅读打卡",
    "作业完成情况反馈表",
];
const EN_CANCELLED: &[&str] = &[
    "parent signatures on homework",
    "daily homework check-ins",
    "parent marking of homework",
    "homework photo uploads",
    "printing worksheets at home",
    "reading logs for parents to sign",
];

/// The practice named and ruled out: "学校不再要求家长批改作业", "we will no longer ask…".
fn ruled_out(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = notice_or_message(rng);
    if rng.chance(30) {
        let (act, object) = any_en_act(rng);
        if rng.chance(20) {
            let when = rng.pick(&["From Monday", "From this term", "As of today"]);
            return Some((format!("{when}, there will be no more {}.", rng.pick(EN_CANCELLED)), channel));
        }
        let who = rng.pick(&[
            "We will no longer ask parents to ",
            "Teachers may not ask parents to ",
            "The school has stopped asking parents to ",
            "From this term, parents are no longer asked to ",
            "Under the double reduction rules, no teacher will ask parents to ",
            "No teacher should ask parents to ",
        ]);
        let verb = english_verb(rng, act.verb, object, OF_PARENTS);
        return Some((format!("{who}{verb}."), channel));
    }
    let (act, object) = any_zh_act(rng);
    let text = match rng.below(5) {
        0..=2 => {
            let school = rng.pick(&[
                "学校",
                "本学期起，学校",
                "根据双减要求，学校",
                "我们班",
                "各位老师",
                "本校",
                "按照规定，老师",
            ]);
            let rule = rng.pick(&[
                "不再要求家长",
                "不得要求家长",
                "严禁要求家长",
                "不会再让家长",
                "禁止让家长",
                "一律不要求家长",
                "不允许要求家长",
            ]);
            format!("{school}{rule}{}。", act.with_object.replace("{o}", object))
        }
        3 => {
            let when = rng.pick(&["本学期起", "即日起", "从下周开始", "根据双减规定，", "按照上级要求，"]);
            format!("{when}取消{}。", rng.pick(ZH_CANCELLED))
        }
        _ => format!("请各位老师不要要求家长{}。", act.with_object.replace("{o}", object)),
    };
    Some((text, channel))
}

const ZH_TEACHER_DOES_IT: &[&str] = &[
    "老师明天课上讲评",
    "老师会当面批改",
    "老师在学校统一批改",
    "老师会在课后服务时间批改",
    "老师会逐一批改并反馈",
    "明天课上集体订正",
    "老师批改后再发回",
    "由老师在课堂上检查",
];
const EN_TEACHER_DOES_IT: &[&str] = &[
    "I will go over it in class tomorrow",
    "the teacher will mark it in class",
    "we will correct it together at school",
    "Ms Li will review it at school",
    "it will be marked during the after-school session",
    "teachers mark all homework at school",
];

/// Not the parents but the teacher: "不用家长检查，老师明天课上讲评。"
fn contrasted_with_the_teacher(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let (act, object) = any_en_act(rng);
        let teacher = rng.pick(EN_TEACHER_DOES_IT);
        return match rng.below(3) {
            0 => {
                let verb = english_verb(rng, act.verb, object, OF_PARENTS);
                Some((format!("No need for parents to {verb}; {teacher}."), Reach::Any.channel(rng)))
            }
            1 => {
                let (vocative, reach, starts) = *rng.pick(EN_VOCATIVES);
                let verb = english_verb(rng, act.verb, object, TO_YOU);
                let rest = format!("you don't need to {verb} — {teacher}.");
                let rest = if starts { capitalised(&rest) } else { rest };
                Some((format!("{vocative}{rest}"), reach.channel(rng)))
            }
            _ => {
                let care = rng.pick(&[
                    "make sure their child gets enough sleep",
                    "encourage their child to read",
                    "make sure the homework gets done",
                ]);
                let object = rng.pick(EN_WRITTEN);
                let marked =
                    rng.pick(&["marked by the teacher at school", "gone over in class", "checked by the teacher"]);
                Some((format!("Parents only need to {care}; the {object} will be {marked}."), Reach::Any.channel(rng)))
            }
        };
    }
    let (act, object) = any_zh_act(rng);
    let teacher = rng.pick(ZH_TEACHER_DOES_IT);
    let negation = rng.pick(&["不用", "不需要", "无需", "不必"]);
    let subject = rng.pick(&["家长", "家长", "您", "爸爸妈妈"]);
    let end = rng.pick(&["。", "。", "，请放心。", "，谢谢！"]);
    let text = match rng.below(3) {
        0 => {
            let which = which(rng, object);
            format!("{which}{object}{negation}{subject}{}，{teacher}{end}", act.bare)
        }
        1 => format!("{negation}{subject}{}，{teacher}{end}", act.bare),
        _ => {
            let care = rng.pick(&["保证孩子睡眠", "关注孩子的作息", "提醒孩子按时交作业", "陪孩子聊聊学校的事"]);
            format!("{subject}只需{care}，{object}由老师批改{end}")
        }
    };
    let channel = if *subject == "您" { Channel::Message } else { Reach::Any.channel(rng) };
    Some((text, channel))
}

const TEACHERS: &[&str] = &["老师", "王老师", "数学老师", "语文老师", "任课老师", "英语老师"];

fn teacher_marks(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let object = rng.pick(EN_WRITTEN);
        let teacher = rng.pick(&["Ms Li", "Mr Wang", "Your maths teacher", "The class teacher"]);
        let text = match rng.below(5) {
            0 => format!("I will mark the {object} in class."),
            1 => format!("The {object} will be marked by the teacher."),
            2 => format!("{teacher} will check the {object} at school tomorrow."),
            3 => format!("Teachers will go over the {object} in class."),
            _ => format!(
                "I have marked {} {object}; it was very good.",
                rng.pick(&["his", "her", "your child's", "Amy's"])
            ),
        };
        let channel = if text.starts_with("I have") { Channel::Message } else { Reach::Any.channel(rng) };
        return Some((text, channel));
    }
    let object = rng.pick(WRITTEN);
    let teacher = rng.pick(TEACHERS);
    let (text, channel) = match rng.below(8) {
        0 => (format!("{object}由{teacher}批改。"), Reach::Any.channel(rng)),
        1 => (format!("{teacher}会在课上批改{object}。"), Reach::Any.channel(rng)),
        2 => (format!("{object}明天{teacher}当面批改、讲评。"), Reach::Any.channel(rng)),
        3 => (format!("我会在课上批改孩子们的{object}。"), group_channel(rng)),
        4 => (format!("{object}{teacher}已经检查过了，大家完成得很好。"), group_channel(rng)),
        5 => (format!("{object}由任课老师在学校统一批改。"), Reach::Any.channel(rng)),
        6 => (format!("{object}{teacher}批改后会发回给同学们订正。"), group_channel(rng)),
        _ => (format!("您家孩子的{object}我已经批改了，完成得不错。"), Channel::Message),
    };
    Some((text, channel))
}

const SLIPS: &[&str] = &[
    "春游回执",
    "安全责任书",
    "体检同意书",
    "秋游报名表",
    "防溺水安全承诺书",
    "假期安全告知书",
    "研学活动报名表",
    "接送卡",
    "收费通知回执",
    "疫苗接种知情同意书",
    "课后服务报名表",
    "社团活动报名表",
    "告家长书回执",
    "校服征订单",
];
const EN_SLIPS: &[&str] = &[
    "trip permission slip",
    "consent form for the vaccination",
    "health form",
    "museum trip form",
    "after-school club form",
    "insurance form",
    "sports day entry form",
    "school photo order form",
    "swimming safety pledge",
    "pick-up card",
];

/// A homework act negated, a slip that is no homework asked for: the negation is the homework's,
/// the signature the slip's.
fn negated_homework_then_a_slip(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = notice_or_message(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_SIGNABLE);
        let slip = rng.pick(EN_SLIPS);
        let text = match rng.below(3) {
            0 => format!("You don't need to sign the {object}, but please sign the {slip}."),
            1 => format!("There's nothing to check in the {object}; please just return the {slip} by Friday."),
            _ => format!("Parents do not need to sign homework, but please sign the {slip}."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(SIGNABLE);
    let slip = rng.pick(SLIPS);
    let negation = rng.pick(&["不需要", "无需", "不用"]);
    let text = match rng.below(3) {
        0 => format!("家长{negation}在{object}上签字，但请在{slip}上签字。"),
        1 => {
            let spared = rng.pick(&["检查", "签字", "批改"]);
            format!("{object}{negation}家长{spared}，但请于周五前交回{slip}。")
        }
        _ => format!("{object}不用家长检查；另外，请在{slip}上签个名。"),
    };
    Some((text, channel))
}

const ITEMS: &[&str] = &["雨衣", "水杯", "跳绳", "红领巾", "校服", "午餐", "雨伞", "口罩", "运动鞋", "防晒帽"];
const FORMS: &[&str] =
    &["体检表", "健康信息表", "满意度问卷", "家庭信息登记表", "学生医保登记表", "课后服务需求调查表"];
const DOCUMENTS: &[&str] = &["一寸照片", "疫苗接种证明", "户口页照片", "体检报告", "医保卡照片"];
const FEES: &[&str] = &["校服费", "午餐费", "保险费", "研学活动费"];

/// Requests to parents that are about no homework: slips, forms, rain gear, pick-up, fees.
fn not_about_homework(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let (vocative, reach, starts) = *rng.pick(EN_VOCATIVES);
        let rest = match rng.below(7) {
            0 => format!("please sign the {}{}.", rng.pick(EN_SLIPS), rng.pick(&["", " by Friday", " and return it"])),
            1 => format!(
                "please check that your child has {} tomorrow.",
                rng.pick(&[
                    "a raincoat",
                    "a water bottle",
                    "a skipping rope",
                    "the school uniform",
                    "a packed lunch",
                    "an umbrella"
                ])
            ),
            2 => format!(
                "please upload {} by Friday.",
                rng.pick(&[
                    "a passport-size photo",
                    "the vaccination certificate",
                    "the health check report",
                    "a photo for the ID card"
                ])
            ),
            3 => format!(
                "please fill in the {}.",
                rng.pick(&[
                    "health questionnaire",
                    "family information form",
                    "after-school service survey",
                    "canteen feedback form"
                ])
            ),
            4 => format!(
                "pick-up time changes to {} from Monday.",
                rng.pick(&["3:30 pm", "4:00 pm", "4:30 pm", "5:00 pm"])
            ),
            5 => format!(
                "please pay the {}; receipts will be handed out at school.",
                rng.pick(&["lunch fee", "uniform fee", "insurance fee", "trip fee"])
            ),
            _ => format!(
                "please sign up for the after-school service by {}.",
                rng.pick(&["Friday", "Wednesday", "the 15th"])
            ),
        };
        let rest = if starts { capitalised(&rest) } else { rest };
        let channel = match reach.channel(rng) {
            Channel::Homework => Channel::Notice,
            other => other,
        };
        return Some((format!("{vocative}{rest}"), channel));
    }
    let (vocative, request, channel) = chinese_request(rng, false, true);
    let end = rng.pick(&["。", "。", "，谢谢配合！", "，谢谢！", "~"]);
    let ask = match rng.below(12) {
        0 => format!("在{}上签字", rng.pick(SLIPS)),
        1 => format!("签署{}", rng.pick(SLIPS)),
        2 => format!("填写{}并签字", rng.pick(SLIPS)),
        3 => format!("打印{}并签字", rng.pick(SLIPS)),
        4 => format!("检查孩子是否带了{}", rng.pick(ITEMS)),
        5 => format!("给孩子准备好{}", rng.pick(ITEMS)),
        6 => format!("填写{}", rng.pick(FORMS)),
        7 => format!("上传孩子的{}", rng.pick(DOCUMENTS)),
        8 => format!("完成{}缴费，收据由学校统一发放", rng.pick(FEES)),
        9 => format!("于周{}前报名课后服务", rng.pick(&["三", "四", "五"])),
        10 => format!("按时接孩子放学，放学时间为下午{}", rng.pick(&["3点30分", "4点", "4点30分", "5点"])),
        _ => (*rng.pick(&[
            "在App中确认已阅读本通知",
            "每天上午8点前完成健康打卡",
            "给孩子量体温并在小程序上打卡",
            "为课后服务满意度打分",
            "参加周五下午的家长会，并在签到表上签名",
            "为孩子购买意外保险并签字确认",
        ]))
        .to_owned(),
    };
    let channel = match channel {
        Channel::Homework => Channel::Notice,
        other => other,
    };
    Some((format!("{vocative}{request}{ask}{end}"), channel))
}

const EVENTS: &[&str] = &[
    "运动会100米",
    "运动会跳远",
    "跳绳比赛",
    "拔河比赛",
    "绘画比赛",
    "书法比赛",
    "合唱比赛",
    "科技节小发明",
    "朗诵比赛",
    "演讲比赛",
    "足球联赛",
    "校园歌手大赛",
    "手工制作比赛",
    "运动会4×100米接力",
];
const EN_EVENTS: &[&str] = &[
    "relay",
    "100 m race",
    "long jump",
    "drawing competition",
    "choir contest",
    "chess tournament",
    "football match",
    "rope-skipping contest",
    "sports day sack race",
    "art show",
];

/// Placings in sports and arts, names and all: no exam, no ranking of results.
fn contest_placings(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = notice_or_message(rng);
    if rng.chance(30) {
        let event = rng.pick(EN_EVENTS);
        let n = names(rng, EN_NAMES, 3);
        let text = match rng.below(4) {
            0 => format!("Congratulations to {}, who won first place in the {event}!", n[0]),
            1 => format!("Results of the {event}: 1st {}, 2nd {}, 3rd {}.", n[0], n[1], n[2]),
            2 => format!("Well done to {} and {} for winning the {event}.", n[0], n[1]),
            _ => format!("Our class came second in the {event} — well done, everyone!"),
        };
        return Some((text, channel));
    }
    let event = rng.pick(EVENTS);
    let n = names(rng, NAMES, 3);
    let place = rng.pick(&["一", "二", "三"]);
    let text = match rng.below(6) {
        0 => format!("{event}第一名：{}，第二名：{}，第三名：{}。", n[0], n[1], n[2]),
        1 => format!("恭喜{}、{}在{event}中获得一等奖！", n[0], n[1]),
        2 => format!("{event}获奖名单：一等奖 {}，二等奖 {}、{}。", n[0], n[1], n[2]),
        3 => format!("{}在{event}中获得第{place}名，为班级争光！", n[0]),
        4 => format!("我班在{event}中获得年级第{place}名，感谢各位家长的支持！"),
        _ => format!("{event}一等奖：{}；二等奖：{}；三等奖：{}。", n[0], n[1], n[2]),
    };
    Some((text, channel))
}

/// A grade, its English name, and its daily cap on written homework in minutes.
const GRADES: &[(&str, &str, u32)] = &[
    ("三年级", "Grade 3", 60),
    ("四年级", "Grade 4", 60),
    ("五年级", "Grade 5", 60),
    ("六年级", "Grade 6", 60),
    ("初一", "Year 7", 90),
    ("初二", "Year 8", 90),
    ("七年级", "Grade 7", 90),
    ("八年级", "Grade 8", 90),
];

/// The homework-time figures schools publish: minutes per subject, which are no scores.
fn homework_publicity(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = group_channel(rng);
    let (grade, grade_in_english, cap) = *rng.pick(GRADES);
    let a = rng.between(2, 5) * 5;
    let b = rng.between(2, 5) * 5;
    let c = rng.between(1, 4) * 5;
    let total = a + b + c;
    if rng.chance(30) {
        let grade = grade_in_english;
        let text = match rng.below(3) {
            0 => format!(
                "Homework today ({grade}): Chinese {a} min, maths {b} min, English {c} min — {total} min in total."
            ),
            1 => format!("This week's average homework time in {grade}: {total} minutes a day."),
            _ => format!("Written homework in {grade} stays under {cap} minutes a day."),
        };
        return Some((text, channel));
    }
    let text = match rng.below(4) {
        0 => format!("{grade}今日作业公示：语文约{a}分钟，数学约{b}分钟，英语约{c}分钟，合计{total}分钟。"),
        1 => format!("本周{grade}各科作业时长：语文{a}分钟，数学{b}分钟，英语{c}分钟。"),
        2 => format!("{grade}每日书面作业平均完成时间不超过{cap}分钟。"),
        _ => format!("作业公示：{grade}数学{b}分钟，语文{a}分钟，总量已由年级组统筹。"),
    };
    Some((text, channel))
}

/// Praise for all, or for named pupils' conduct: no scores, no placings.
fn praise_without_scores(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = Reach::Any.channel(rng);
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let name = rng.pick(EN_NAMES);
        let text = match rng.below(4) {
            0 => format!("Everyone worked hard on the {exam}; well done, class!"),
            1 => "The whole class has made great progress this term.".to_owned(),
            2 => format!("Well done to {name} for helping tidy the classroom."),
            _ => format!("I'm proud of how hard everyone worked for the {exam}."),
        };
        return Some((text, channel));
    }
    let exam = rng.pick(EXAMS);
    let n = names(rng, NAMES, 2);
    let cheer = rng.pick(&["继续加油！", "为你们点赞👍", "老师为你们骄傲！", "继续保持！"]);
    let text = match rng.below(7) {
        0 => format!("这次{exam}大家都进步了，{cheer}"),
        1 => format!("本周大家的作业完成得很认真，{cheer}"),
        2 => format!("{exam}全班同学都很努力，{cheer}"),
        3 => format!("最近大家书写越来越工整了，{cheer}"),
        4 => format!("表扬{}、{}主动帮助同学，{cheer}", n[0], n[1]),
        5 => format!("表扬{}值日认真负责，{cheer}", n[0]),
        _ => format!("{exam}已经结束，感谢各位家长的支持，孩子的情况老师会单独沟通。"),
    };
    Some((text, channel))
}

const ZH_HOMEWORK: &[&str] = &[
    "语文：完成练习册第{n}页",
    "语文：抄写第{n}课生字，每个写三遍",
    "语文：朗读第{n}课三遍",
    "语文：背诵《静夜思》",
    "语文：预习第{n}课，圈出不认识的字",
    "语文：写一篇日记，不少于200字",
    "语文：阅读课外书{m}分钟",
    "语文：完成课后习题",
    "数学：完成练习册第{n}页",
    "数学：口算练习一页",
    "数学：完成课时练第{n}页",
    "数学：测量家里桌子的长度，明天课上交流",
    "数学：复习第{n}单元，明天小测",
    "英语：朗读 Unit {n} 课文三遍",
    "英语：抄写 Unit {n} 单词",
    "英语：听录音跟读{m}分钟",
    "科学：观察月亮，画一画你看到的形状",
    "科学：完成实验记录单，周五交给老师",
    "体育：跳绳200下",
    "劳动：帮家人做一道菜",
    "道德与法治：和家人分享今天学到的故事",
];
const EN_HOMEWORK: &[&str] = &[
    "Reading: read chapter {n} for {m} minutes.",
    "Maths: complete page {n} of the workbook.",
    "Maths: practise the times tables for {m} minutes.",
    "English: write three sentences about your weekend.",
    "Spelling: learn the words for Unit {n}.",
    "Art: draw a picture of your family and bring it to class.",
    "Finish worksheet {n} in class tomorrow.",
    "Read your library book for {m} minutes.",
    "Science: answer questions 1 to 5 on page {n}.",
    "Read chapter {n} and answer the questions at the end.",
    "Complete page {n} of the workbook in class.",
    "Practise the times tables for {m} minutes.",
    "Write three sentences about your weekend.",
];

fn plain_homework(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let lead = rng.pick(&["", "", "Homework: ", "Today's homework: "]);
        let task = numbered(rng, EN_HOMEWORK);
        // "Homework: Maths: …" stutters.
        let lead = if task.contains(": ") { "" } else { lead };
        return Some((format!("{lead}{task}"), Channel::Homework));
    }
    let task = numbered(rng, ZH_HOMEWORK);
    let (lead, channel) = *rng.pick(&[
        ("", Channel::Homework),
        ("", Channel::Homework),
        ("今日作业：", Channel::Homework),
        ("各位家长，今天的作业是：", Channel::Notice),
        ("【家庭作业】", Channel::Homework),
    ]);
    // A task done with the family is not finished at school.
    let end = if task.contains('家') {
        "。"
    } else {
        rng.pick(&["。", "。", "，明天交给老师。", "，在校完成。", "，明天课上讲评。"])
    };
    Some((format!("{lead}{task}{end}"), channel))
}

const ZH_CARE: &[&str] = &[
    "保证孩子每天睡够10小时",
    "提醒孩子做眼保健操",
    "控制孩子使用电子产品的时间",
    "陪孩子一起阅读{m}分钟",
    "督促孩子按时完成作业",
    "提醒孩子订正错题",
    "鼓励孩子独立完成作业",
    "带孩子进行户外运动",
    "提醒孩子写完作业后早点休息",
    "关注孩子的情绪变化",
    "和孩子聊聊今天在学校的收获",
    "让孩子按时上床睡觉",
    "给孩子准备营养早餐",
    "让孩子自己整理书包",
    "关注孩子的用眼卫生",
];
const EN_CARE: &[&str] = &[
    "make sure your child gets enough sleep",
    "remind your child to do the eye exercises",
    "limit screen time in the evening",
    "read together with your child for {m} minutes if you can",
    "encourage your child to finish the homework independently",
    "make sure your child goes to bed on time",
    "take your child outdoors for some exercise",
    "remind your child to hand in the essay on Friday",
];

/// Parents asked to look after rest, eyes and reading, with nothing to check.
fn parents_care_without_checking(rng: &mut Rng) -> Option<(String, Channel)> {
    if rng.chance(30) {
        let (vocative, reach, starts) = *rng.pick(EN_VOCATIVES);
        let rest = format!("{}{}.", rng.pick(&["please ", "please ", "kindly "]), numbered(rng, EN_CARE));
        let rest = if starts { capitalised(&rest) } else { rest };
        return Some((format!("{vocative}{rest}"), reach.channel(rng)));
    }
    let (vocative, request, channel) = chinese_request(rng, false, true);
    let care = numbered(rng, ZH_CARE);
    // Reading together is care when offered; made a daily duty it edges towards homework set to
    // the parents, a label this module will not guess.
    if care.contains("阅读") && ["必须", "务必", "要", "需要"].iter().any(|m| request.contains(m)) {
        return None;
    }
    let end = rng.pick(&["。", "。", "，谢谢配合！", "，辛苦了！"]);
    Some((format!("{vocative}{request}{care}{end}"), channel))
}

/// Time spent on homework, reported by the children (or by parents through the app).
fn time_spent_reported(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = Reach::Any.channel(rng);
    let (_, _, cap) = *rng.pick(GRADES);
    let subject = rng.pick(&["", "数学", "语文", "英语"]);
    if rng.chance(30) {
        let text = match rng.below(4) {
            0 => "Students, write down how many minutes the homework took you.".to_owned(),
            1 => format!("If the homework takes longer than {cap} minutes, your child can stop and tell the teacher."),
            2 => "Children note their own time spent on homework in their planner.".to_owned(),
            _ => format!(
                "Pupils: note how long the {} homework took and tell me tomorrow.",
                rng.pick(&["maths", "English", "Chinese"])
            ),
        };
        return Some((text, channel));
    }
    let when = rng.pick(&["", "今天", "本周", "每天"]);
    let text = match rng.below(8) {
        0 => format!("请同学们{when}在记录本上写下完成{subject}作业用了多少分钟。"),
        1 => format!("同学们自己记下{when}做{subject}作业花了多长时间，明天告诉老师。"),
        2 => format!("如果{subject}作业超过{cap}分钟还没完成，孩子可以直接告诉老师。"),
        3 => format!("孩子可以{when}在App中自己填写完成{subject}作业所用的时间。"),
        4 => format!("如孩子{when}{subject}作业超过{cap}分钟，家长可以在App中反馈。"),
        5 => format!("请孩子{when}自己记录{subject}作业的用时，超过{cap}分钟就停下来。"),
        6 => format!("学校想了解{subject}作业量：请同学们{when}自己估一估用了几分钟，写在作业本封面上。"),
        _ => format!("{subject}作业如果{when}超过{cap}分钟，家长可以在App中告诉老师。"),
    };
    Some((text, channel))
}

/// Results kept private, as levels, and the practice of publishing them ruled out.
fn results_kept_private(rng: &mut Rng) -> Option<(String, Channel)> {
    let channel = notice_or_message(rng);
    if rng.chance(30) {
        let exam = rng.pick(EN_EXAMS);
        let text = match rng.below(4) {
            0 => format!("The {exam} results will not be ranked or published."),
            1 => format!("Each family will receive their child's {exam} level privately."),
            2 => format!("Please don't share your child's {exam} score in the group."),
            _ => format!("The {exam} results have been sent to each family in a private message."),
        };
        return Some((text, channel));
    }
    let exam = rng.pick(EXAMS);
    let text = match rng.below(7) {
        0 => format!("本次{exam}不排名，成绩以等级形式私下告知家长。"),
        1 => format!("{exam}成绩不公布，老师会单独和家长沟通。"),
        2 => format!("请不要在群里晒孩子的{exam}分数。"),
        3 => format!("请各位家长不要在群里讨论孩子的{exam}成绩和排名。"),
        4 => format!("{exam}结果已通过私信发给各位家长，请查收。"),
        5 => format!("{exam}成绩将以等级形式单独告知，不在群里公布。"),
        _ => format!("学校不公布{exam}成绩和排名。"),
    };
    Some((text, channel))
}

/// Pupils checking their own work before handing it in, or correcting what the teacher marked:
/// no answer key, no score of their own.
fn pupils_check_their_own_work(rng: &mut Rng) -> Option<(String, Channel)> {
    // Told to the pupils, so to a group: in a message "you" would be the guardian.
    let channel = group_channel(rng);
    if rng.chance(30) {
        let object = rng.pick(EN_WRITTEN);
        let text = match rng.below(3) {
            0 => format!("Check your {object} carefully before handing it in."),
            1 => format!("Read through your {object} once more before you hand it in."),
            _ => format!("Correct your mistakes on the {object} after the teacher has marked it."),
        };
        return Some((text, channel));
    }
    let object = rng.pick(WRITTEN);
    let pupils = rng.pick(&["同学们", "请同学们", "孩子们", ""]);
    let text = match rng.below(5) {
        0 => format!("{object}做完后{pupils}自己认真检查一遍。"),
        1 => format!("{object}交之前{pupils}自己再检查一遍，字迹工整。"),
        2 => format!("请同学们订正老师批改后发回的{object}。"),
        3 => return Some((format!("请家长让孩子自己检查{object}。"), Reach::Any.channel(rng))),
        _ => format!("{object}写完后{pupils}自己读一读，看看有没有漏题。"),
    };
    Some((text, channel))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::super::{Audience, Field, check};
    use super::*;

    #[test]
    fn the_generator_makes_at_least_5000_distinct_labelled_sentences() {
        let all = sentences();
        assert!(all.len() >= 5000, "only {} sentences", all.len());
        let distinct: HashSet<&str> = all.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(distinct.len(), all.len(), "sentences repeat");

        let violations = all.iter().filter(|g| !g.rules.is_empty()).count();
        let harmless = all.len() - violations;
        assert!(violations > 0 && harmless > 0, "{violations} violations, {harmless} harmless");
        // Roughly half each.
        assert!(violations * 3 > all.len() && harmless * 3 > all.len(), "{violations} violations, {harmless} harmless");

        for family in FAMILIES {
            assert!(all.iter().any(|g| g.family == family.name), "family {} is empty", family.name);
        }
        for g in &all {
            let mut sorted = g.rules.clone();
            sorted.sort_by_key(|r| r.as_str());
            assert!(sorted.iter().map(|r| r.as_str()).eq(g.rules.iter().map(|r| r.as_str())), "{}", g.text);
            // Rankings are a rule of group sends only.
            if g.rules.contains(&RuleId::ExamNoRanking) {
                assert_ne!(g.channel, Channel::Message, "{}", g.text);
            }
        }

        // A text drawn by two families must carry one label.
        let mut labels: HashMap<String, Vec<&'static str>> = HashMap::new();
        for g in undeduplicated() {
            let ids: Vec<&'static str> = g.rules.iter().map(|r| r.as_str()).collect();
            let earlier = labels.entry(g.text.clone()).or_insert_with(|| ids.clone());
            assert_eq!(*earlier, ids, "{} is labelled two ways", g.text);
        }
    }

    #[test]
    fn generated_sentences_scored_by_the_guard() {
        #[derive(Default)]
        struct Tally {
            violations: usize,
            caught: usize,
            harmless: usize,
            false_flags: usize,
        }
        let mut total = Tally::default();
        let mut per_family: BTreeMap<&str, Tally> = BTreeMap::new();
        let mut misjudged = Vec::new();
        for g in sentences() {
            let audience = if g.channel == Channel::Message { Audience::OneFamily } else { Audience::Group };
            let found = check(&[Field { name: "body", text: &g.text }], g.channel, audience);
            let family = per_family.entry(g.family).or_default();
            if g.rules.is_empty() {
                let flagged = !found.is_empty();
                total.harmless += 1;
                family.harmless += 1;
                total.false_flags += usize::from(flagged);
                family.false_flags += usize::from(flagged);
                if flagged {
                    let rules: Vec<&str> = found.iter().map(|v| v.rule.as_str()).collect();
                    misjudged.push(format!("false flag {rules:?} [{:?}] {}", g.channel, g.text));
                }
            } else {
                let caught = g.rules.iter().all(|r| found.iter().any(|v| v.rule == *r));
                total.violations += 1;
                family.violations += 1;
                total.caught += usize::from(caught);
                family.caught += usize::from(caught);
                if !caught {
                    let rules: Vec<&str> = g.rules.iter().map(|r| r.as_str()).collect();
                    misjudged.push(format!("missed {rules:?} [{:?}] {}", g.channel, g.text));
                }
            }
        }
        eprintln!(
            "generated: caught {}/{} violations, false flags {}/{} harmless",
            total.caught, total.violations, total.false_flags, total.harmless
        );
        for (name, t) in &per_family {
            if t.violations > 0 {
                eprintln!("  {name:<20} caught {:>4}/{:<4}", t.caught, t.violations);
            } else {
                eprintln!("  {name:<20} false flags {:>4}/{:<4}", t.false_flags, t.harmless);
            }
        }
        eprintln!("first misjudged:");
        for line in misjudged.iter().take(40) {
            eprintln!("  {line}");
        }
        // The bar: every violation caught and nothing harmless flagged (reached 2026-12-05).
        // First sight (2026-12-03, rules + scorer version 5 trained on the tuning corpus only,
        // both tiers) was 2,276 of 3,260 caught and 197 of 3,290 flagged; after scorer version 6
        // learnt from these sentences too (so they no longer measure generalisation: the
        // held-out batches do), 3,061 caught and 143 of 3,370 flagged. The rules then learnt the
        // homework kinds, the checking, correcting, timing and reporting verbs, negated asking
        // ("不允许要求家长…", "no teacher should ask…"), agents that are the teacher, contest
        // placings, negated publishing, the child helped after the verb, and check-ins as the
        // family's whoever taps.
        assert_eq!(total.false_flags, 0, "harmless sentences flagged");
        assert_eq!(total.caught, total.violations, "violations missed");
    }
}
