//! The rule table. Each rule has an id from DOMAIN.md and one of two kinds of matcher:
//!
//! - **patterns** (`EXAM_NO_RANKING`): regular expressions over normalised text (lower case,
//!   simplified characters, no fillers between Chinese characters), cues that negate a match just
//!   before it in the same clause, and patterns that only count in an exam context;
//! - **requests** (`HW_PARENT_BURDEN`, `HW_SELF_GRADING`): verbs with who must be asked and what
//!   about, reasoned over with the shared [`VOCABULARY`] (see [`super::requests`]).
//!
//! To extend a rule: add a pattern, a verb or a word, then a sentence to the labelled corpus
//! (`corpus.tsv` beside this file) that shows it blocks what it should and nothing else.

use std::sync::OnceLock;

use regex::Regex;

use super::requests::{Actor, CompiledRequest, CompiledVocabulary, Context, Hit, Object, Reader, Request, Vocabulary};
use super::{Audience, Channel, Wording};

/// Rule ids of `../shared/DOMAIN.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    /// No ranking of exam results; results are not published in groups.
    ExamNoRanking,
    /// No homework for parents, openly or in disguise; parents never check or grade it.
    HwParentBurden,
    /// Students are not made to grade their own homework.
    HwSelfGrading,
    /// Grades 1–2: no written homework at home.
    HwNoWrittenG12,
    /// Written homework at home per day within the stage's cap.
    HwDailyCap,
    /// After-school time is not for collective lessons or new content.
    AsNoNewLessons,
}

impl RuleId {
    pub const ALL: [RuleId; 6] = [
        RuleId::ExamNoRanking,
        RuleId::HwParentBurden,
        RuleId::HwSelfGrading,
        RuleId::HwNoWrittenG12,
        RuleId::HwDailyCap,
        RuleId::AsNoNewLessons,
    ];

    /// `EXAM_NO_RANKING`, as in DOMAIN.md.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::ExamNoRanking => "EXAM_NO_RANKING",
            RuleId::HwParentBurden => "HW_PARENT_BURDEN",
            RuleId::HwSelfGrading => "HW_SELF_GRADING",
            RuleId::HwNoWrittenG12 => "HW_NO_WRITTEN_G12",
            RuleId::HwDailyCap => "HW_DAILY_CAP",
            RuleId::AsNoNewLessons => "AS_NO_NEW_LESSONS",
        }
    }

    /// The API error code: the rule id in snake case.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::ExamNoRanking => "exam_no_ranking",
            RuleId::HwParentBurden => "hw_parent_burden",
            RuleId::HwSelfGrading => "hw_self_grading",
            RuleId::HwNoWrittenG12 => "hw_no_written_g12",
            RuleId::HwDailyCap => "hw_daily_cap",
            RuleId::AsNoNewLessons => "as_no_new_lessons",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Regular expressions that break a rule wherever they match, unless negated.
struct Patterns {
    always: Vec<Regex>,
    /// Break the rule only when the text also matches `context` ("第一名" is fine on sports day).
    contextual: Vec<Regex>,
    context: Option<Regex>,
    /// A match in a clause that matches this is another kind of thing: a placing in a sports or
    /// arts contest ("我班在合唱比赛中获得年级第一名") is not an exam ranking.
    elsewhere: Option<Regex>,
    negations: Vec<Regex>,
    /// What to say instead (request rules carry one per verb).
    suggestion: (&'static str, &'static str),
}

enum Matcher {
    Patterns(Patterns),
    Requests(Vec<CompiledRequest>),
}

fn requests(table: &[Request]) -> Matcher {
    Matcher::Requests(table.iter().map(Request::compile).collect())
}

pub struct Rule {
    pub id: RuleId,
    matcher: Matcher,
    /// Only for texts sent to a group (class, grade, school); `false` means every audience.
    group_only: bool,
    channels: &'static [Channel],
    explanation: (&'static str, &'static str),
}

const ALL_CHANNELS: &[Channel] = &[Channel::Notice, Channel::Message, Channel::Homework, Channel::Activity];

/// How much of the clause before a match is searched for a negation cue, in characters. The
/// negation patterns themselves say how close the cue must be.
const NEGATION_TAIL_CHARS: usize = 24;
const CLAUSE_ENDS: &[char] = &['。', '，', ',', '；', ';', '！', '!', '？', '?', '\n', '：', ':'];

impl Rule {
    pub fn applies_to(&self, channel: Channel, audience: Audience) -> bool {
        self.channels.contains(&channel) && (!self.group_only || audience == Audience::Group)
    }

    /// Non-negated matches in the normalised text, with the suggestion for each.
    pub fn find(&self, ctx: &Context<'_>) -> Vec<Hit> {
        match &self.matcher {
            Matcher::Patterns(patterns) => patterns
                .find(ctx.text)
                .into_iter()
                .map(|(start, end)| Hit { start, end, suggestion: patterns.suggestion })
                .collect(),
            Matcher::Requests(requests) => vocabulary().find(requests, ctx),
        }
    }

    pub fn explanation(&self) -> Wording {
        Wording::new(self.explanation)
    }
}

impl Patterns {
    /// Byte ranges of non-negated matches.
    fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let in_context = self.context.as_ref().is_some_and(|c| c.is_match(text));
        let contextual = self.contextual.iter().filter(|_| in_context);
        for pattern in self.always.iter().chain(contextual) {
            for m in pattern.find_iter(text) {
                if self.is_negated(text, m.start())
                    || self.is_elsewhere(text, m.start(), m.end())
                    || found.iter().any(|&(s, e)| m.start() < e && s < m.end())
                {
                    continue;
                }
                found.push((m.start(), m.end()));
            }
        }
        found.sort_unstable();
        found
    }

    /// The clause around the match names something that makes it another kind of thing.
    fn is_elsewhere(&self, text: &str, start: usize, end: usize) -> bool {
        let Some(elsewhere) = &self.elsewhere else { return false };
        // The clause's ends found as `is_negated` finds its start.
        let clause_start = start - text[..start].rsplit(CLAUSE_ENDS).next().map_or(0, str::len);
        let clause_end = end + text[end..].split(CLAUSE_ENDS).next().map_or(0, str::len);
        elsewhere.is_match(&text[clause_start..clause_end])
    }

    /// A negation cue in the same clause, shortly before the match ("不排名", "will not be ranked").
    fn is_negated(&self, text: &str, match_start: usize) -> bool {
        let clause = text[..match_start].rsplit(CLAUSE_ENDS).next().unwrap_or("");
        let tail_start = clause.char_indices().rev().nth(NEGATION_TAIL_CHARS - 1).map_or(0, |(i, _)| i);
        let tail = &clause[tail_start..];
        self.negations.iter().any(|n| n.is_match(tail))
    }
}

fn compile(patterns: &[&str]) -> Vec<Regex> {
    patterns.iter().map(|p| super::requests::compile(p)).collect()
}

/// The words the homework rules reason with (Chinese and English, normalised: lower case,
/// simplified). Alternatives are tried left to right, so longer words come first.
pub const VOCABULARY: Vocabulary = Vocabulary {
    parents: r"家长|您|父母|爸妈|爸爸|妈妈|父亲|母亲|家人|长辈|爷爷|奶奶|外公|外婆|姥姥|姥爷|监护人|\b(?:parents?|guardians?|mums?|moms?|dads?|carers?|families|family)\b",
    vocatives: r"各位家长|家长朋友们?|(?:亲爱|尊敬)的家长(?:朋友)?们?|家长们?(?:您|你)?好|\b(?:dear|hello|hi) (?:parents|families|guardians|parent)\b",
    students: r"同学们?|学生们?|孩子们?|小朋友们?|小孩|儿童|宝贝|\byour (?:child|children|son|daughter|kids?)\b|\b(?:students?|pupils?|children|child|kids?|they|he|she)\b",
    // 我: the sender, a teacher, speaking of themself ("您家孩子的作业我已经批改了").
    teachers: r"任课教师|老师|教师|班主任|学校|我们|我|\b(?:teachers?|we|the school)\b",
    helped_markers: r"帮|帮助|帮忙给|替|给|为|代|拍一下|拍摄|拍|\b(?:help|helps|helping|for)\s*",
    companion_markers: r"和|与|跟|同|\b(?:with|and)\s*",
    subordinate_markers: r"在|等|待|当|对|把|将|\b(?:after|when|once)\s*",
    causatives: r"督促|提醒|叫|让|要求|鼓励|引导|\b(?:remind|ask)(?:s|ed)? (?:them|him|her) to\s*",
    adverbs: r"们|按时|认真|仔细|独立|自己|自行|及时|尽快|好好|先|再|都|要|去|来|\b(?:to|carefully|independently|always)\b",
    contrasts: r"但是?|不过|而是|可是|\b(?:but|however)\b",
    described: r"在(?:课堂|学校|校内|班上|课上)|由老师|情况|质量|时间|时长|度|率|\b(?:in class|at school|by (?:the |a |their |your |our )?(?:teachers?|school)|sure)\b",
    childs_work: r"孩子|小孩|宝贝|学生的|\byour (?:child|children|son|daughter|kids?)",
    passive_parent: r"由(?:家长|父母)|\bby (?:a |the |your |their )?(?:parents?|guardians?|mums?|moms?|dads?|family)\b",
    with_the_child: r"\b(?:(?:together )?with|for) (?:your|their|the) (?:child|children|son|daughter|kids?)\b",
    homework: r"作业|练习|习题|试卷|试题|卷子|听写|默写|口算|计算题|作文|日记|周记|背诵|朗读|生字|单词|课文|字帖|错题|答案|手抄报|小报|手工|实验报告|读书笔记|读书卡|课外阅读|阅读记录|预习|复习|学习单|导学案|题目|课时练|习作|抄写|小卷|写话|任务单|思维导图|研究报告|速算|跟读|\b(?:homework|worksheets?|assignments?|exercises?|dictation|spellings?|essays?|reading logs?|reading records?|workbooks?|answers?|projects?|times[ -]tables?|sums|maths?|posters?|corrections?|test papers?|practice sheets?|exercise books?|spelling books?|diary entr(?:y|ies)|book reports?|compositions?|writing tasks?|revision sheets?|mind maps?|papers?|poems?|passages?|recit(?:e|es|ed|ing|ations?)|reading(?: aloud)?|vocabulary(?: lists?)?|word lists?|dialogues?|stor(?:y|ies)|models?)\b",
    non_homework: r"回执|同意书|承诺书|责任书|告知书|告家长书|一封信|协议|报名|登记|申请|信息表|统计表|表格|问卷|调查表|体检|健康|疫苗|接种|雨衣|雨伞|雨具|书包|校服|衣物|衣服|外套|水杯|水壶|午餐|午饭|饭卡|接送|缴费|收费|费用|收据|发票|家长会|签到|春游|秋游|研学|社会实践|运动会|比赛|演出|保险|视力|体温|安全|防溺水|满意度|测评|评议|评价表|课后服务|食堂|通知|证明|照片|\b(?:permission|consent|slips?|forms?|raincoats?|umbrellas?|uniforms?|lunch|medical|health|vaccinations?|trip|excursion|insurance|water bottles?|bags?|jackets?|coats?|fees?|payments?|survey|questionnaire|notice|letter|lunchbox|pledges?|pick-?up cards?|agreements?)\b",
    negations: r"无需|无须|毋需|不需要?|不用|不必|不要求|不得|禁止|严禁|请勿|勿|不要|不再|没有必要|不应|不能|不可|杜绝|取消|不允许|不准|不许|不会再?让|不会再要求|不会再|不$|\bno\s*$|\b(?:no (?:teachers?|parents?|one|school|class|family|families|child|pupils?|students?)|no more|(?:stopped|stops|will stop) (?:asking|requiring|requesting)|no need|needn't|need not|not need|don't need|do not need|doesn't need|does not need|not required|not have to|don't have to|do not have to|never|nothing|no longer|should not|shouldn't|must not|mustn't|do not|don't|not)\b",
    not_negating: r"忘|遗漏|漏|落下|仅|\s*(?:forget|miss|only)",
    imperatives: r"请|需|须|务必|必须|要|记得|麻烦|辛苦|协助|配合|负责|每天|每晚|每日|按时|及时|\b(?:please|must|need to|needs to|should|remember to|kindly|have to|are asked to|are required to|expected to|make sure|ensure)\b",
    fillers: r"并且?|认真|仔细|然后|再|之后|完成后|做完后|写完后|后|将|把|今天的?|今日的?|明天的?|的|都|统一|一下|[0-9]+|[a-z]?[.)）]|\b(?:and|then|also|the|today's|each|every|day|night|your|this|it|them)\b",
};

/// Whether a normalised text names homework.
pub fn mentions_homework(text: &str) -> bool {
    vocabulary().mentions_homework(text)
}

fn vocabulary() -> &'static CompiledVocabulary {
    static VOCAB: OnceLock<CompiledVocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| VOCABULARY.compile())
}

/// `HW_PARENT_BURDEN`: what parents must never be asked to do with homework.
const PARENT_BURDEN: &[Request] = &[
    Request {
        // 打卡: daily check-ins of reading, recitation, homework.
        verb: r"打卡|\b(?:check(?:-| )?ins?|clock in|log (?:the |their |your child's )?(?:reading|practice|homework))\b",
        actor: Actor::Family,
        reader: Reader::Always,
        object: Object::UnlessOther,
        unless: None,
        suggestion: (
            "取消打卡要求。可改为：“阅读是自愿的，不需要打卡。”",
            "Drop the check-in. E.g. \"Reading is voluntary; there is nothing to log.\"",
        ),
    },
    Request {
        verb: r"签字|签名|签个?字|签上名字?|签阅|\b(?:sign(?:s|ed|ing)?|signatures?|initials?|initial(?:l?ed)?)\b",
        actor: Actor::Parent,
        reader: Reader::Always,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作业无需家长签字。可改为：“作业由老师在校批改，家长无需签字。”",
            "Homework needs no parent's signature. E.g. \"Teachers mark homework at school; no signature is needed.\"",
        ),
    },
    Request {
        verb: r"报听写|报默写|\b(?:dictat(?:e|es|ed|ing)|test (?:your child|their child|[a-z]+) on (?:the |their |his |her |your )?(?:words|vocabulary|word lists?|spellings?|times tables?)|read(?:s|ing)? out (?:the )?(?:words|vocabulary|word lists?|spellings?))\b",
        actor: Actor::Parent,
        reader: Reader::Imperative,
        object: Object::Any,
        unless: None,
        suggestion: (
            "听写在课堂上进行，无需家长报听写。",
            "Dictation happens in class; parents do not need to give it.",
        ),
    },
    Request {
        verb: r"听写|默写|听(?:孩子|学生)?(?:背诵|背书|背|朗读)",
        actor: Actor::Parent,
        reader: Reader::Addressed,
        object: Object::Any,
        unless: None,
        suggestion: (
            "听写和背诵由老师在校内检查，家长无需参与。",
            "Teachers hear dictation and recitation at school; parents do not need to.",
        ),
    },
    Request {
        verb: r"批改|批阅|批一下|批一批|判作业|改作业|\b(?:grade[sd]?|grading|mark(?:s|ed|ing)?)\b",
        actor: Actor::Parent,
        reader: Reader::Asked,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作业由老师批改，家长无需批改。可改为：“作业明天交给老师批改。”",
            "Teachers mark homework; parents do not. E.g. \"Hand in the homework tomorrow; the teacher will mark it.\"",
        ),
    },
    Request {
        verb: r"打分|评分|\b(?:score|scoring)\b",
        actor: Actor::Parent,
        reader: Reader::Asked,
        object: Object::Homework,
        unless: None,
        suggestion: ("作业由老师评价，家长无需打分。", "Teachers assess homework; parents do not score it."),
    },
    Request {
        verb: r"检查|检验|核对|复查|核查|过一遍|把关|\b(?:check(?:s|ed|ing)?|proofread(?:s|ing)?|(?:go|goes|going|went|gone) (?:over|through)|look(?:s|ed|ing)? (?:over|through))\b",
        actor: Actor::Parent,
        reader: Reader::Addressed,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作业由老师在校内检查和讲评，家长无需检查。可改为：“作业明天在课堂讲评。”",
            "Teachers check and review homework at school; parents do not need to. E.g. \"We will go over the homework in class tomorrow.\"",
        ),
    },
    Request {
        verb: r"订正|纠错|改正|改错|修改|改一改|改一下|润色|\b(?:correct(?:s|ed|ing)?|edit(?:s|ed|ing)?|fix (?:the )?mistakes)\b",
        actor: Actor::Parent,
        reader: Reader::Addressed,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "订正由学生在老师指导下完成，家长无需订正。",
            "Pupils correct their work with their teacher; parents do not need to.",
        ),
    },
    Request {
        verb: r"拍照|拍照片|拍下来?|拍一下|拍视频|拍摄|录视频|录像|上传|提交|发到群里?|发至群|发群里|\b(?:photograph|film(?:s|ed|ing)?|take (?:a )?(?:photo|picture)s?|upload(?:s|ed|ing)?|send (?:a )?(?:photo|picture)s?|post (?:a )?(?:photo|picture)s?)\b",
        actor: Actor::Parent,
        reader: Reader::Imperative,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作业直接交给老师，无需拍照上传。",
            "Pupils hand homework to their teacher; no photos or uploads.",
        ),
    },
    Request {
        verb: r"打印|复印|\b(?:print(?:s|ed|ing)?(?: out)?|photocop(?:y|ies))\b",
        actor: Actor::Parent,
        reader: Reader::Imperative,
        object: Object::Homework,
        unless: None,
        suggestion: ("练习由学校统一印发，无需家长打印。", "The school prints worksheets; parents do not need to."),
    },
    Request {
        // Reporting how the child did: a feedback line, the accuracy, the time taken.
        verb: r"填写[^，。,；;！!？?\n]{0,4}(?:反馈|正确率|完成情况|用时|评语|评价)|\b(?:fill(?:s|ed|ing)? in|record(?:s|ed|ing)?|write(?:s)? down) (?:the |their |your child's |his |her )?(?:feedback|accuracy|score|number of (?:correct answers|mistakes|errors)|time (?:taken|it takes))\b",
        actor: Actor::Parent,
        reader: Reader::Imperative,
        object: Object::UnlessOther,
        unless: None,
        suggestion: (
            "家长无需填写作业反馈。可改为：“作业情况由老师在校内了解。”",
            "Parents do not report on homework. E.g. \"Teachers see how the homework went at school.\"",
        ),
    },
    Request {
        // Timing the work: 家长计时, "time your child while…".
        verb: r"计时|掐表|\btim(?:e|es|ed|ing) (?:your child|their child|him|her|them)\b",
        actor: Actor::Parent,
        reader: Reader::Imperative,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作业不计时，也无需家长记录用时。可改为：“请孩子按自己的节奏完成。”",
            "Homework is not timed, and parents do not need to record how long it takes. E.g. \"Let your child work at their own pace.\"",
        ),
    },
    Request {
        // Doing the work: 家长完成手抄报, 和孩子一起做手工, help your child make a model.
        verb: r"完成|制作|代做|代写|代笔|帮忙做|帮着做|一起做|动手做|\b(?:complete[sd]?|make|makes|build|create|(?:do|does) (?:the|a|an|their|this|his|her|it))\b",
        actor: Actor::Parent,
        reader: Reader::Never,
        object: Object::Homework,
        unless: None,
        suggestion: (
            "作品由学生在校内或课后服务时间完成，家长无需代做。",
            "Pupils make their work at school or in after-school time; parents do not do it for them.",
        ),
    },
];

/// `HW_SELF_GRADING`: pupils grading their own homework.
const SELF_GRADING: &[Request] = &[
    Request {
        verb: r"自批自改|自批|对照答案批改|对照答案打分|自己批改|自行批改|自己(?:给自己)?打分|自行打分|自己评分|\b(?:self-?(?:grade[sd]?|grading|mark(?:ed|ing)?|correct(?:ed|ing)?)|(?:mark|grade|score)s? (?:their|his|her|your) own)\b",
        actor: Actor::Student,
        reader: Reader::Always,
        object: Object::Any,
        unless: None,
        suggestion: (
            "作业由老师批改。可改为：“做完后认真检查，明天交给老师批改。”",
            "Teachers mark homework. E.g. \"Check your work, then hand it in tomorrow for marking.\"",
        ),
    },
    Request {
        verb: r"批改|批阅|打分|评分|判分|\b(?:grade[sd]?|grading|mark(?:s|ed|ing)?)\b",
        actor: Actor::Student,
        reader: Reader::Never,
        object: Object::Homework,
        // Peer marking in class is a different practice from grading one's own homework.
        unless: Some(r"互相|互批|互改|交换|同桌|\b(?:peer|each other's|a partner's|swap(?:s|ped)?)\b"),
        suggestion: (
            "作业由老师批改，不要求学生自批自改。",
            "Teachers mark homework; pupils are not asked to grade their own.",
        ),
    },
];

/// The rules, compiled once.
pub fn table() -> &'static [Rule] {
    static TABLE: OnceLock<Vec<Rule>> = OnceLock::new();
    TABLE.get_or_init(|| {
        vec![
            Rule {
                id: RuleId::ExamNoRanking,
                matcher: Matcher::Patterns(exam_no_ranking()),
                group_only: false,
                channels: ALL_CHANNELS,
                explanation: (
                    "双减要求考试不排名、不公布成绩，不得在家长群传播考试结果（EXAM_NO_RANKING）。",
                    "Exam results are not ranked or published, and never spread in parent groups (EXAM_NO_RANKING).",
                ),
            },
            Rule {
                id: RuleId::HwParentBurden,
                matcher: requests(PARENT_BURDEN),
                group_only: false,
                channels: ALL_CHANNELS,
                explanation: (
                    "双减严禁给家长布置或变相布置作业，严禁要求家长检查、批改作业（HW_PARENT_BURDEN）。",
                    "Homework is never given to parents, openly or in disguise, and parents are never asked to check or mark it (HW_PARENT_BURDEN).",
                ),
            },
            Rule {
                id: RuleId::HwSelfGrading,
                matcher: requests(SELF_GRADING),
                group_only: false,
                channels: ALL_CHANNELS,
                explanation: (
                    "双减规定不得要求学生自批自改作业（HW_SELF_GRADING）。",
                    "Pupils are not asked to grade their own homework (HW_SELF_GRADING).",
                ),
            },
            Rule {
                id: RuleId::AsNoNewLessons,
                matcher: Matcher::Patterns(no_new_lessons()),
                group_only: false,
                channels: &[Channel::Activity],
                explanation: (
                    "课后服务时间用于作业辅导、答疑和兴趣活动，不得集体上课、讲授新课（AS_NO_NEW_LESSONS）。",
                    "After-school time is for homework help, questions and activities, never collective lessons or new content (AS_NO_NEW_LESSONS).",
                ),
            },
        ]
    })
}

/// `AS_NO_NEW_LESSONS`: an after-school activity that teaches the curriculum ahead or as a class.
fn no_new_lessons() -> Patterns {
    let always = [
        r"(讲授|讲|上|教授|学)新(课|内容|章节|单元)",
        r"(讲授|教授)新知识?",
        r"新授课",
        r"集体(上课|授课|讲课|补课|教学)",
        r"(提前|超前)(学习?|教|讲|上课)",
        r"(预习|预学)[^。，,；;！!？?\n]{0,4}(新课|下一?(单元|课|章))",
        r"(统一|全班|整班)(上课|授课|讲课|补课)",
        r"\b(new (lessons?|content|material|topics|chapters?|units?)|whole[- ]class (lessons?|teaching)|teach(es|ing)? ahead|learn(s|ing)? ahead|get ahead (on|in) the (syllabus|curriculum)|extra (maths?|english|chinese|science) (lessons?|classes))\b",
        r"\bpreview(s|ing)? (the )?next (lessons?|units?|chapters?)\b",
    ];
    Patterns {
        always: compile(&always),
        contextual: Vec::new(),
        context: None,
        elsewhere: None,
        negations: compile(&[
            r"(不|不会|不得|不再|不会再|禁止|严禁|没有|无|未|拒绝|绝不|杜绝)[^不]{0,4}$",
            r"\b(no|not|never|without|won't|will not|do not|don't|does not|isn't|is not)\b[a-z -]{0,16}$",
        ]),
        suggestion: (
            "课后服务不讲新课，可改为：“在老师指导下完成当天作业，答疑解惑，并开展阅读和兴趣活动。”",
            "No new content after school; say instead: \"Pupils finish the day's homework with a teacher's help, ask questions, and take part in reading and club activities.\"",
        ),
    }
}

fn exam_no_ranking() -> Patterns {
    let always = [
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
    ];
    let contextual = [r"(第|前|后)[0-9一二三四五六七八九十百]+名"];
    Patterns {
        always: compile(&always),
        contextual: compile(&contextual),
        context: Some(super::requests::compile(
            r"(考|测验|测试|成绩|分数|期中|期末|月考|语文|数学|英语|物理|化学|exam|test|score|marks|quiz)",
        )),
        elsewhere: Some(super::requests::compile(
            r"比赛|大赛|运动会|艺术节|科技节|体育节|读书节|文化节|\b(?:contests?|competitions?|sports day|tournaments?|races?|relays?|concerts?|art shows?)\b",
        )),
        negations: compile(&[
            r"(不|不会|不得|不再|不予|不做|不进行|不作|禁止|严禁|没有|无|未|拒绝)[^不]{0,6}$",
            // Not publishing, discussing or spreading something reaches to the clause's end
            // ("学校不公布期中考试成绩和排名", "请不要在群里讨论孩子的成绩和排名").
            r"(不|不要|不会|不得|不再|请勿|禁止|严禁|杜绝)[^。，,；;！!？?\n不]{0,6}(公布|公示|发布|张贴|晒|讨论|传播|转发|比较|攀比)[^。，,；;！!？?\n]*$",
            r"\b(no|not|never|without|won't|will not|do not|don't|does not|are not|is not|aren't|isn't)\b[a-z ]{0,20}$",
        ]),
        suggestion: (
            "请删除排名或成绩列表，改为私下告知每位家长自己孩子的等级，例如：“本次测验结果已通过私信发给各位家长，请查收。”",
            "Remove the ranking or list of scores; tell each family their own child's grade level privately, e.g. \"Each family has received their child's result in a private message.\"",
        ),
    }
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

    /// The labelled corpus (`corpus.tsv`): every sentence judged as labelled — no missed
    /// violation, no false block.
    #[test]
    fn the_labelled_corpus_is_judged_without_a_miss_or_a_false_block() {
        let mut judged = 0;
        let mut wrong = Vec::new();
        for sentence in
            super::super::labelled::parse(include_str!("corpus.tsv")).unwrap_or_else(|e| panic!("corpus: {e}"))
        {
            let want = sentence.rule_ids();
            let mut found: Vec<&str> =
                check(&[Field { name: "body", text: sentence.text }], sentence.channel, Audience::Group)
                    .iter()
                    .map(|v| v.rule.as_str())
                    .collect();
            found.sort_unstable();
            found.dedup();
            if found != want {
                wrong.push(format!("line {}: want {want:?}, found {found:?}: {}", sentence.line, sentence.text));
            }
            judged += 1;
        }
        assert!(judged >= 300, "the corpus must hold at least 300 sentences, it holds {judged}");
        assert!(wrong.is_empty(), "{} of {judged} sentences misjudged:\n{}", wrong.len(), wrong.join("\n"));
    }

    #[test]
    fn hw_parent_burden_names_the_span_from_the_parent_to_the_request_and_suggests_per_verb() {
        let text = "数学：练习册第12页。请家长 检 查并签字。";
        let violations = check(&[Field { name: "content", text }], Channel::Homework, Audience::Group);
        let rules: Vec<_> = violations.iter().map(|v| v.rule.as_str()).collect();
        assert_eq!(rules, ["HW_PARENT_BURDEN", "HW_PARENT_BURDEN"]);
        assert_eq!(violations[0].excerpt, "检 查");
        assert_eq!(violations[1].excerpt, "签字");
        assert!(violations[0].suggestion.zh.contains("无需检查"));
        assert!(violations[1].suggestion.zh.contains("无需家长签字"));
    }

    #[test]
    fn hw_parent_burden_is_about_homework_only_and_negations_turn_it_off() {
        assert!(blocked("请家长在作业本上签字"));
        assert!(!blocked("请家长在春游回执上签字"));
        assert!(!blocked("作业无需家长签字"));
        assert!(blocked("家长无需检查，但请在作业本上签字"));
    }

    #[test]
    fn a_homework_title_makes_a_bare_request_in_the_body_about_homework() {
        let fields = [Field { name: "title", text: "数学作业" }, Field { name: "body", text: "请家长签字" }];
        assert_eq!(check(&fields, Channel::Notice, Audience::Group).len(), 1);
        assert!(check(&[Field { name: "body", text: "请家长签字" }], Channel::Notice, Audience::Group).is_empty());
    }

    #[test]
    fn hw_self_grading_blocks_pupils_grading_their_own_work_but_not_peer_marking() {
        let v = check(&[Field { name: "content", text: "对照答案自批自改" }], Channel::Homework, Audience::Group);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule.as_str(), "HW_SELF_GRADING");
        assert_eq!(v[0].excerpt, "自批自改");
        assert!(
            check(&[Field { name: "content", text: "同桌互相批改" }], Channel::Homework, Audience::Group).is_empty()
        );
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
