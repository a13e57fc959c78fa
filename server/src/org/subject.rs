//! School subjects as people write them: rosters say `3-2:math` or `3-2:数学`, teachers post
//! homework as 数学 or `Maths`. One table makes them one subject, with a code (what rosters and
//! roles carry) and a name (what homework stores and people read). A school's own subject (书法)
//! is itself: its code is its lower-cased text, its name the text as written.

/// A subject of the national curriculum.
struct Subject {
    code: &'static str,
    /// The name people read.
    name: &'static str,
    /// Other ways to write it (compared lower-cased and trimmed), besides the code and the name.
    aliases: &'static [&'static str],
}

const SUBJECTS: &[Subject] = &[
    Subject { code: "chinese", name: "语文", aliases: &["yuwen"] },
    Subject { code: "math", name: "数学", aliases: &["maths", "mathematics"] },
    Subject { code: "english", name: "英语", aliases: &["外语"] },
    Subject { code: "science", name: "科学", aliases: &[] },
    Subject { code: "physics", name: "物理", aliases: &[] },
    Subject { code: "chemistry", name: "化学", aliases: &[] },
    Subject { code: "biology", name: "生物", aliases: &[] },
    Subject { code: "history", name: "历史", aliases: &[] },
    Subject { code: "geography", name: "地理", aliases: &[] },
    Subject { code: "morality", name: "道德与法治", aliases: &["politics", "道法", "思想品德", "政治"] },
    Subject { code: "pe", name: "体育", aliases: &["sport", "sports", "体育与健康"] },
    Subject { code: "music", name: "音乐", aliases: &[] },
    Subject { code: "art", name: "美术", aliases: &["fine arts"] },
    Subject { code: "it", name: "信息科技", aliases: &["ict", "computing", "信息技术"] },
    Subject { code: "labour", name: "劳动", aliases: &["labor"] },
];

fn find(subject: &str) -> Option<&'static Subject> {
    let s = subject.trim().to_lowercase();
    SUBJECTS.iter().find(|known| known.code == s || known.name == s || known.aliases.contains(&s.as_str()))
}

/// The code of a subject: a known one's code, anything else its own lower-cased text.
pub fn canonical(subject: &str) -> String {
    find(subject).map_or_else(|| subject.trim().to_lowercase(), |known| known.code.to_owned())
}

/// The name people read: a known subject's name (`math` → 数学), anything else as written.
pub fn name_of(subject: &str) -> String {
    find(subject).map_or_else(|| subject.trim().to_owned(), |known| known.name.to_owned())
}

/// Whether a subject is of the national curriculum (else a school's own, 校本课程), and its place
/// in the curriculum's order.
pub fn national_rank(subject: &str) -> Option<usize> {
    let known = find(subject)?;
    SUBJECTS.iter().position(|s| s.code == known.code)
}

pub fn same(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_codes_and_chinese_names_are_the_same_subject() {
        assert!(same("math", "数学"));
        assert!(same("English", "英语"));
        assert!(same("书法", "书法"));
        assert!(!same("math", "语文"));
    }

    #[test]
    fn every_spelling_of_a_subject_reads_as_its_one_name() {
        for spelling in ["math", "Maths", " 数学 ", "mathematics"] {
            assert_eq!(name_of(spelling), "数学", "{spelling}");
            assert_eq!(canonical(spelling), "math", "{spelling}");
        }
        assert_eq!(name_of("chinese"), "语文");
        assert_eq!(name_of(" 书法 "), "书法", "a school's own subject keeps its name");
        assert_eq!(canonical("Calligraphy"), "calligraphy");
    }

    #[test]
    fn national_subjects_keep_the_curriculum_order_and_a_schools_own_has_none() {
        assert_eq!(national_rank("语文"), Some(0));
        assert!(national_rank("maths") < national_rank("English"));
        assert_eq!(national_rank("书法"), None);
    }
}
