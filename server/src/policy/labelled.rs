//! The labelled-sentence format of the tuning corpus (`corpus.tsv`) and the held-out batches
//! (`heldout/*.tsv`): one sentence a line, `expected \t channel \t text`, where `expected` is `ok`
//! or rule ids joined by `+`; lines starting with `#` are comments.

use super::{Channel, RuleId};

/// One labelled sentence.
pub struct Labelled<'a> {
    /// 1-based line number in its file.
    #[cfg_attr(not(test), expect(dead_code, reason = "named by the corpus and held-out tests"))]
    pub line: usize,
    /// The rules it breaks, sorted; empty when harmless.
    pub rules: Vec<RuleId>,
    #[cfg_attr(not(test), expect(dead_code, reason = "the tests judge each sentence on its channel"))]
    pub channel: Channel,
    pub text: &'a str,
}

#[cfg(test)]
impl Labelled<'_> {
    /// The rule ids it breaks, as written.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        self.rules.iter().map(|r| r.as_str()).collect()
    }
}

/// Every labelled sentence of a file; a malformed line is an error naming it.
pub fn parse(file: &str) -> Result<Vec<Labelled<'_>>, String> {
    file.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(n, line)| {
            let [expected, channel, text] = line.splitn(3, '\t').collect::<Vec<_>>()[..] else {
                return Err(format!("line {} needs three tab-separated columns", n + 1));
            };
            let channel = match channel {
                "notice" => Channel::Notice,
                "message" => Channel::Message,
                "homework" => Channel::Homework,
                "activity" => Channel::Activity,
                other => return Err(format!("line {}: unknown channel {other}", n + 1)),
            };
            let mut rules = Vec::new();
            if expected != "ok" {
                for id in expected.split('+') {
                    rules.push(RuleId::parse(id).ok_or_else(|| format!("line {}: unknown rule {id}", n + 1))?);
                }
            }
            rules.sort_unstable_by_key(|r| r.as_str());
            Ok(Labelled { line: n + 1, rules, channel, text })
        })
        .collect()
}
