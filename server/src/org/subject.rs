//! School subjects as people write them: rosters say `3-2:math` or `3-2:数学`, teachers post
//! homework as 数学. One table of aliases makes them the same subject.

/// `(canonical key, aliases)`; aliases are compared lower-cased and trimmed.
const SUBJECTS: &[(&str, &[&str])] = &[
    ("chinese", &["chinese", "语文", "yuwen"]),
    ("math", &["math", "maths", "mathematics", "数学"]),
    ("english", &["english", "英语", "外语"]),
    ("science", &["science", "科学"]),
    ("physics", &["physics", "物理"]),
    ("chemistry", &["chemistry", "化学"]),
    ("biology", &["biology", "生物"]),
    ("history", &["history", "历史"]),
    ("geography", &["geography", "地理"]),
    ("morality", &["morality", "politics", "道德与法治", "道法", "思想品德", "政治"]),
    ("pe", &["pe", "sport", "sports", "体育", "体育与健康"]),
    ("music", &["music", "音乐"]),
    ("art", &["art", "fine arts", "美术"]),
    ("it", &["it", "ict", "computing", "信息技术", "信息科技"]),
    ("labour", &["labour", "labor", "劳动"]),
];

/// The canonical key of a subject: a known alias maps to its key, anything else to itself.
pub fn canonical(subject: &str) -> String {
    let s = subject.trim().to_lowercase();
    SUBJECTS.iter().find(|(_, aliases)| aliases.contains(&s.as_str())).map_or(s, |(key, _)| (*key).to_owned())
}

pub fn same(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn roster_codes_and_chinese_names_are_the_same_subject() {
        assert!(super::same("math", "数学"));
        assert!(super::same("English", "英语"));
        assert!(super::same("书法", "书法"));
        assert!(!super::same("math", "语文"));
    }
}
