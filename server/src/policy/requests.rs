//! The matcher behind the homework rules: finds *requests* — somebody asked to do something to
//! something — and decides, from the words around each one, who is asked and what about.
//!
//! `HW_PARENT_BURDEN` is "a parent is asked to check / grade / sign / dictate / print / upload /
//! do homework"; `HW_SELF_GRADING` is "a student is asked to grade homework". Both are a verb
//! (from the rule table) plus three questions answered here:
//!
//! 1. **Negated?** A cue such as 无需 / 不需要 / "do not need to" earlier in the same clause
//!    ("家长无需签字"), or in the earlier clause where the person is named ("不需要家长记录错题，
//!    明天课上集体订正"), turns the request off; "不要忘记签字" does not, nor does a negation
//!    before a contrast ("家长无需检查，但请签字").
//! 2. **Who is asked?** The last person named before the verb in the sentence: 家长 / parents,
//!    同学们 / students, 老师 / 我 / teachers. A child after 帮 / 替 / "help" is the one helped, so
//!    the helper is the parent ("请帮孩子检查"), and so is a child after the verb with "with" /
//!    "for" ("make the model together with your child"); a child after 和 / 与 is a co-actor
//!    ("家长和孩子一起完成"); a child after 提醒 / 督促 / "ask" is the actor ("请家长提醒孩子订正"),
//!    which spares the parent except of acts that land on the family whoever does them (a
//!    check-in, [`Actor::Family`]). An agent after the verb decides ("signed by a parent",
//!    "marked by the teacher"). Nobody named:
//!    the reader, and what a school sends families is read by parents — but only some verbs
//!    (signing, check-ins, uploading) are addressed to the reader by themselves; "完成后认真检查"
//!    in homework is addressed to the pupil, unless the text opens by addressing parents or the
//!    object is "孩子的作业" / "your child's homework".
//! 3. **About homework?** The object decides: the clause names homework (作业, 听写, worksheet…)
//!    or a non-homework thing (回执, 雨衣, permission slip…), the nearer one to the verb wins; a
//!    clause that names neither takes its sentence's answer, then the whole text's (and homework
//!    posts are about homework).
//!
//! Everything language-specific (the words) is in the rule table in [`super::rules`].

use std::cell::OnceCell;

use regex::Regex;

use super::Channel;

/// Who must be the one asked for the request to break the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Parent,
    Student,
    /// The parent or the child: the act lands on the family whoever does it (a check-in is
    /// logged in the family's app, whoever taps: "请家长督促打卡", "孩子每天阅读打卡").
    Family,
}

/// Whether an unnamed addressee (the family reading the text) counts as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Only when the text addresses parents or the object is "the child's …".
    Addressed,
    /// When the verb stands as an instruction: after 请 / 需 / please / must, or opening its clause.
    Imperative,
    /// Only after an explicit instruction word ("作业批改后发回" describes, "请批改" asks).
    Asked,
    /// Whenever the verb is mentioned and not negated (打卡 is always somebody logging in an app).
    Always,
    /// Never: only a person named ("家长完成手抄报"); "完成练习册" in a homework list is the pupil's.
    Never,
}

/// What the request must be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// Homework, by the object words around the verb (see the module docs).
    Homework,
    /// Anything: the verb only ever concerns homework (报听写, 自批自改).
    Any,
    /// Anything but a non-homework thing named nearby (阅读打卡 yes, 体温打卡 no).
    UnlessOther,
}

/// One line of the rule table: a verb and the conditions under which it breaks the rule.
pub struct Request {
    pub verb: &'static str,
    pub actor: Actor,
    pub reader: Reader,
    pub object: Object,
    /// A clause matching this is a different practice, not a request of this kind.
    pub unless: Option<&'static str>,
    pub suggestion: (&'static str, &'static str),
}

/// The words the matcher reasons with, as regular expressions over normalised text.
pub struct Vocabulary {
    pub parents: &'static str,
    /// Words that address the reader as a parent: "各位家长", "dear parents".
    pub vocatives: &'static str,
    pub students: &'static str,
    pub teachers: &'static str,
    /// Before a child's name: the child is helped, the parent acts (帮孩子, help your child).
    pub helped_markers: &'static str,
    /// Before a child's name: a companion, not the actor (和孩子一起).
    pub companion_markers: &'static str,
    /// Before a child's name: a subordinate clause or an object (在孩子完成后, 把孩子的…); the
    /// child is the actor only of a verb that follows at once ("在孩子完成作业后检查").
    pub subordinate_markers: &'static str,
    /// Just before the verb: somebody is made to act, and that is the child (督促完成, remind to).
    pub causatives: &'static str,
    /// Words that may stand between a child and the verb they do ("孩子按时完成").
    pub adverbs: &'static str,
    /// Words that end the reach of an earlier negation ("家长无需检查，但请签字").
    pub contrasts: &'static str,
    /// Just after the verb: it is described, not requested ("听写在课堂进行", "作业完成情况"), done
    /// by somebody else ("will be marked by the teacher"), or no such act ("make sure").
    pub described: &'static str,
    /// After the verb: the object is the child's work, so the addressee is the parent.
    pub childs_work: &'static str,
    /// A parent named after the verb as its agent: "signed by a parent", "由家长".
    pub passive_parent: &'static str,
    /// After the verb in its clause: the child is a companion or the one helped, so whoever is
    /// addressed does it ("make the model together with your child", "do part of it for them").
    pub with_the_child: &'static str,
    pub homework: &'static str,
    pub non_homework: &'static str,
    pub negations: &'static str,
    /// A negation cue followed by one of these is not a negation ("不要忘记签字").
    pub not_negating: &'static str,
    pub imperatives: &'static str,
    /// Words that may stand before an instruction that opens its clause ("今天的作业拍照上传").
    pub fillers: &'static str,
}

pub struct CompiledRequest {
    pub verb: Regex,
    pub actor: Actor,
    pub reader: Reader,
    pub object: Object,
    pub unless: Option<Regex>,
    pub suggestion: (&'static str, &'static str),
}

pub struct CompiledVocabulary {
    /// Parents, students and teachers, in that order of preference.
    actors: Regex,
    /// Which of them an actor's match is: a search for captures costs several times a plain one.
    parent_word: Regex,
    student_word: Regex,
    vocatives: Regex,
    helped_markers: Regex,
    companion_markers: Regex,
    subordinate_markers: Regex,
    causatives: Regex,
    /// A child's name followed by adverbs only, up to the verb.
    adverbs_only: Regex,
    contrasts: Regex,
    described: Regex,
    childs_work: Regex,
    passive_parent: Regex,
    with_the_child: Regex,
    homework: Regex,
    non_homework: Regex,
    negations: Regex,
    not_negating: Regex,
    imperatives: Regex,
    fillers: Regex,
}

/// Compiles a rule pattern. `\b` means an ASCII word boundary: the English words of the rules are
/// ASCII, and a Unicode boundary would force the slow regex engine on every Chinese text.
pub fn compile(pattern: &str) -> Regex {
    let pattern = pattern.replace(r"\b", r"(?-u:\b)");
    Regex::new(&pattern).unwrap_or_else(|e| panic!("rule pattern {pattern} does not compile: {e}"))
}

impl Vocabulary {
    pub fn compile(&self) -> CompiledVocabulary {
        CompiledVocabulary {
            actors: compile(&format!("(?:{})|(?:{})|(?:{})", self.parents, self.students, self.teachers)),
            parent_word: compile(&format!("^(?:{})$", self.parents)),
            student_word: compile(&format!("^(?:{})$", self.students)),
            vocatives: compile(self.vocatives),
            helped_markers: compile(&format!("(?:{})$", self.helped_markers)),
            companion_markers: compile(&format!("(?:{})$", self.companion_markers)),
            subordinate_markers: compile(&format!("(?:{})$", self.subordinate_markers)),
            causatives: compile(&format!("(?:{})$", self.causatives)),
            adverbs_only: compile(&format!("^(?:{})(?:{}|\\s)*$", self.students, self.adverbs)),
            contrasts: compile(self.contrasts),
            described: compile(&format!("^(?:{})", self.described)),
            childs_work: compile(&format!("^(?:{})", self.childs_work)),
            passive_parent: compile(&format!("^(?:{})", self.passive_parent)),
            with_the_child: compile(self.with_the_child),
            homework: compile(self.homework),
            non_homework: compile(self.non_homework),
            negations: compile(self.negations),
            not_negating: compile(&format!("^(?:{})", self.not_negating)),
            imperatives: compile(self.imperatives),
            fillers: compile(self.fillers),
        }
    }
}

impl Request {
    pub fn compile(&self) -> CompiledRequest {
        CompiledRequest {
            verb: compile(self.verb),
            actor: self.actor,
            reader: self.reader,
            object: self.object,
            unless: self.unless.map(compile),
            suggestion: self.suggestion,
        }
    }
}

/// A request that breaks the rule: byte range in the normalised text and what to suggest.
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub suggestion: (&'static str, &'static str),
}

/// The text the matcher works on, with what it knows about the whole message.
pub struct Context<'a> {
    pub text: &'a str,
    pub channel: Channel,
    /// Some field of the message (title, body…) names homework.
    pub mentions_homework: bool,
    /// The people the text names and the words that address its reader, each found once for
    /// every verb of every rule: a word never runs across a clause's end, so those in a clause are
    /// the text's that lie inside it.
    named: OnceCell<Vec<Named>>,
    vocatives: OnceCell<Vec<(usize, usize)>>,
}

impl<'a> Context<'a> {
    pub fn new(text: &'a str, channel: Channel, mentions_homework: bool) -> Self {
        Self { text, channel, mentions_homework, named: OnceCell::new(), vocatives: OnceCell::new() }
    }
}

/// A person named in the text: byte range and which list the word is in.
#[derive(Debug, Clone, Copy)]
struct Named {
    start: usize,
    end: usize,
    who: Who,
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '!' | '？' | '?' | '；' | ';' | '\n')
}

fn ends_clause(c: char) -> bool {
    ends_sentence(c) || matches!(c, '，' | ',' | '：' | ':' | '（' | '(' | '）' | ')')
}

/// Byte range of the span around `at` delimited by `ends` (an English full stop ends a sentence too).
fn span_around(text: &str, at: usize, end_at: usize, ends: impl Fn(char) -> bool) -> (usize, usize) {
    let is_end = |c: char, rest: &str| ends(c) || (c == '.' && (rest.is_empty() || rest.starts_with(' ')));
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_end(c, &text[i + c.len_utf8()..]))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[end_at..]
        .char_indices()
        .find(|&(i, c)| is_end(c, &text[end_at + i + c.len_utf8()..]))
        .map_or(text.len(), |(i, _)| end_at + i);
    (start, end)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Parent,
    Student,
    Teacher,
    /// Nobody named.
    Reader,
}

impl CompiledVocabulary {
    /// Finds every request in `ctx.text` that breaks a rule made of `requests`.
    pub fn find(&self, requests: &[CompiledRequest], ctx: &Context<'_>) -> Vec<Hit> {
        let text = ctx.text;
        let mut hits: Vec<Hit> = Vec::new();
        for request in requests {
            // Nothing in a message that never names homework is about homework (see
            // `about_homework`): such a verb is not even looked for.
            if request.object == Object::Homework && !self.text_is_homework(ctx) {
                continue;
            }
            for m in request.verb.find_iter(text) {
                if hits.iter().any(|h| m.start() < h.end && h.start < m.end()) {
                    continue;
                }
                let (clause_start, clause_end) = span_around(text, m.start(), m.end(), ends_clause);
                let (sentence_start, sentence_end) = span_around(text, m.start(), m.end(), ends_sentence);
                let prefix = &text[clause_start..m.start()];
                let after = &text[m.end()..clause_end];
                if request.unless.as_ref().is_some_and(|u| u.is_match(&text[clause_start..clause_end]))
                    || self.described.is_match(after.trim_start())
                {
                    continue;
                }
                // Who is asked: named in the clause, else earlier in the sentence. A negation
                // reaches from the clause where that person is named ("家长不需要报听写，听写…",
                // "不需要家长记录错题，明天课上集体订正"), unless a contrast intervenes ("家长无需
                // 检查，但请签字").
                let (mut who, _) = self.who(ctx, (clause_start, m.start()), after);
                let mut scope_start = clause_start;
                if who == Who::Reader && sentence_start < clause_start {
                    let named_at;
                    (who, named_at) = self.who(ctx, (sentence_start, clause_start), after);
                    scope_start = named_at.map_or(clause_start, |at| span_around(text, at, at, ends_clause).0);
                }
                let scope = &text[scope_start..m.start()];
                let scope = self.contrasts.find_iter(scope).last().map_or(scope, |c| &scope[c.end()..]);
                if self.is_negated(scope) {
                    continue;
                }
                let asked = match (request.actor, who) {
                    (Actor::Parent, Who::Parent) | (Actor::Student, Who::Student) => true,
                    (Actor::Family, Who::Parent | Who::Student) => true,
                    (_, Who::Reader) if request.reader == Reader::Always => true,
                    (Actor::Parent | Actor::Family, Who::Reader) => {
                        self.reader_is_asked(request.reader, ctx, m.start(), prefix, after)
                    }
                    _ => false,
                };
                if !asked {
                    continue;
                }
                let object = || {
                    let spans = ((clause_start, clause_end), (sentence_start, sentence_end));
                    self.about_homework(ctx, spans.0, spans.1, (m.start(), m.end()))
                };
                let concerns = match request.object {
                    Object::Any => true,
                    Object::Homework => object().unwrap_or_else(|| self.text_is_homework(ctx)),
                    Object::UnlessOther => object() != Some(false),
                };
                if !concerns {
                    continue;
                }
                hits.push(Hit { start: m.start(), end: m.end(), suggestion: request.suggestion });
            }
        }
        hits.sort_by_key(|h| h.start);
        hits
    }

    fn is_negated(&self, clause_prefix: &str) -> bool {
        self.negations.find_iter(clause_prefix).any(|n| !self.not_negating.is_match(&clause_prefix[n.end()..]))
    }

    /// The people `ctx` names, in text order.
    fn named<'c>(&self, ctx: &'c Context<'_>) -> &'c [Named] {
        ctx.named.get_or_init(|| {
            self.actors
                .find_iter(ctx.text)
                .map(|m| Named { start: m.start(), end: m.end(), who: self.classify(m.as_str()) })
                .collect()
        })
    }

    /// Which of the three lists a person's word is in: the first that has it is the alternative
    /// the search matched (an earlier one matching it would have been preferred).
    fn classify(&self, word: &str) -> Who {
        if self.parent_word.is_match(word) {
            Who::Parent
        } else if self.student_word.is_match(word) {
            Who::Student
        } else {
            Who::Teacher
        }
    }

    /// Where `ctx` addresses its reader as a parent ("各位家长", "dear parents").
    fn vocatives<'c>(&self, ctx: &'c Context<'_>) -> &'c [(usize, usize)] {
        ctx.vocatives.get_or_init(|| self.vocatives.find_iter(ctx.text).map(|v| (v.start(), v.end())).collect())
    }

    /// Who is asked, from the part `before` of the sentence before the verb (and a passive agent
    /// after it), with where the person is named.
    fn who(&self, ctx: &Context<'_>, (from, to): (usize, usize), after: &str) -> (Who, Option<usize>) {
        let before = &ctx.text[from..to];
        if self.passive_parent.is_match(after.trim_start()) {
            return (Who::Parent, None);
        }
        if self.causatives.is_match(before) {
            return (Who::Student, None); // 督促完成: the child is made to act
        }
        let inside = |s: usize, e: usize| from <= s && e <= to;
        let named = self.named(ctx).iter().filter(|n| inside(n.start, n.end)).filter(|n| match n.who {
            // "各位家长," addresses the reader; it does not name who acts.
            Who::Parent => !self.vocatives(ctx).iter().any(|&(s, e)| inside(s, e) && s <= n.start && n.end <= e),
            // "孩子的作业", "your child's homework": a possessor, not an actor.
            Who::Student => {
                let rest = &ctx.text[n.end..to];
                !(rest.starts_with('的') || rest.starts_with("'s") || rest.starts_with("’s"))
            }
            _ => true,
        });
        let mut helped = false;
        for &Named { who, start: at, .. } in named.rev() {
            if who == Who::Student {
                let lead = &ctx.text[from..at];
                if self.helped_markers.is_match(lead) {
                    helped = true; // the child is helped: whoever helps is asked
                    continue;
                }
                if self.companion_markers.is_match(lead) {
                    continue;
                }
                // After 在 / 把 / 督促…, the child acts only in the verb that follows at once
                // ("提醒孩子认真订正"); a later verb belongs to whoever was addressed ("督促孩子
                // 完成作业，并检查签字").
                let embedded = self.subordinate_markers.is_match(lead) || self.causatives.is_match(lead);
                if embedded && !self.adverbs_only.is_match(&ctx.text[at..to]) {
                    continue;
                }
            }
            return (who, Some(at));
        }
        // A child helped by nobody named, before the verb or after it: the reader helps, and the
        // reader is a parent.
        let helped = helped || self.with_the_child.is_match(after);
        (if helped { Who::Parent } else { Who::Reader }, None)
    }

    /// Whether the family reading the text is the one asked to act.
    fn reader_is_asked(
        &self,
        reader: Reader,
        ctx: &Context<'_>,
        at: usize,
        clause_prefix: &str,
        clause_after: &str,
    ) -> bool {
        // Each asked only when the reader's kind needs it: the check runs this for most verbs.
        let addressed = || {
            self.vocatives(ctx).first().is_some_and(|&(_, end)| end <= at)
                || self.childs_work.is_match(clause_after.trim_start())
        };
        let imperative = || {
            self.imperatives.is_match(clause_prefix) || {
                let rest = self.homework.replace_all(clause_prefix, "");
                let rest = self.vocatives.replace_all(&rest, "");
                self.fillers.replace_all(&rest, "").trim().is_empty()
            }
        };
        match reader {
            Reader::Always => true,
            Reader::Imperative => imperative() || addressed(),
            Reader::Asked => self.imperatives.is_match(clause_prefix),
            Reader::Addressed => addressed() && imperative(),
            Reader::Never => false,
        }
    }

    /// Whether the verb at `verb` concerns homework by the nearest object word in its clause, else
    /// its sentence; `None` when neither names an object.
    fn about_homework(
        &self,
        ctx: &Context<'_>,
        clause: (usize, usize),
        sentence: (usize, usize),
        verb: (usize, usize),
    ) -> Option<bool> {
        for (start, end) in [clause, sentence] {
            let distance = |m: regex::Match<'_>| {
                let (s, e) = (start + m.start(), start + m.end());
                if e <= verb.0 { verb.0 - e } else { s.saturating_sub(verb.1) }
            };
            let span = &ctx.text[start..end];
            let homework = self.homework.find_iter(span).map(distance).min();
            let other = self.non_homework.find_iter(span).map(distance).min();
            match (homework, other) {
                (Some(h), Some(o)) => return Some(h <= o),
                (Some(_), None) => return Some(true),
                (None, Some(_)) => return Some(false),
                (None, None) => {}
            }
        }
        None
    }

    /// The whole message is about homework: a homework post, or a field that names homework.
    fn text_is_homework(&self, ctx: &Context<'_>) -> bool {
        ctx.channel == Channel::Homework || ctx.mentions_homework
    }

    pub fn mentions_homework(&self, text: &str) -> bool {
        self.homework.is_match(text)
    }
}
