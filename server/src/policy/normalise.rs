//! Text normalisation before rules match, so that a rule written once catches the variants people
//! (or evaders) type: invisible format characters (zero-width spaces and joiners, soft hyphens,
//! direction marks: "检\u{200b}查" reads as "检查"), compatibility forms (NFKC: "㈠", "ｶ", "⑴",
//! CJK compatibility ideographs), full-width letters and digits, traditional characters, letter
//! case, and spaces or punctuation slipped between Chinese characters ("排 名", "排-名", "排*名").
//!
//! Every normalised character remembers the original character it came from, so a match is
//! reported as a span of the original text.

/// Normalised text plus, for each of its characters, the index of the original character.
pub struct Normalised {
    pub text: String,
    /// `origin[i]` is the char index in the original text of the i-th char of `text`.
    origin: Vec<usize>,
}

impl Normalised {
    /// The original char span `[start, end)` covered by the byte range of a match in `text`.
    pub fn original_span(&self, byte_start: usize, byte_end: usize) -> (usize, usize) {
        // Counted only for a finding (few texts have one), not kept for every character.
        let chars_before = |at: usize| self.text.as_bytes()[..at].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        let first = chars_before(byte_start);
        let last = chars_before(byte_end).saturating_sub(1);
        let start = self.origin.get(first).copied().unwrap_or(0);
        let end = self.origin.get(last).map_or(start, |&o| o + 1);
        (start, end.max(start))
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Characters that may be slipped between two Chinese characters without changing what is read.
fn is_filler(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_'
                | '*'
                | '.'
                | '·'
                | '•'
                | '/'
                | '\\'
                | '|'
                | '~'
                | '#'
                | '+'
                | '='
                | '^'
                | '、'
                | '…'
                | '\''
                | '"'
                | '`'
        )
}

/// Full-width ASCII to half-width, ideographic space to space, traditional to simplified, lower case.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let c = traditional_to_simplified(c);
    if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c }
}

/// The traditional forms of the characters the rules use (and their neighbours in common phrases).
fn traditional_to_simplified(c: char) -> char {
    const PAIRS: &[(char, char)] = &[
        ('績', '绩'),
        ('單', '单'),
        ('數', '数'),
        ('學', '学'),
        ('級', '级'),
        ('檢', '检'),
        ('簽', '签'),
        ('與', '与'),
        ('請', '请'),
        ('長', '长'),
        ('對', '对'),
        ('業', '业'),
        ('後', '后'),
        ('習', '习'),
        ('題', '题'),
        ('課', '课'),
        ('閱', '阅'),
        ('訂', '订'),
        ('幫', '帮'),
        ('寫', '写'),
        ('聽', '听'),
        ('讀', '读'),
        ('為', '为'),
        ('會', '会'),
        ('給', '给'),
        ('發', '发'),
        ('傳', '传'),
        ('報', '报'),
        ('圖', '图'),
        ('實', '实'),
        ('驗', '验'),
        ('過', '过'),
        ('還', '还'),
        ('時', '时'),
        ('個', '个'),
        ('們', '们'),
        ('論', '论'),
        ('覽', '览'),
        ('佈', '布'),
        ('開', '开'),
        ('試', '试'),
        ('測', '测'),
        ('榮', '荣'),
        ('區', '区'),
        ('將', '将'),
        ('無', '无'),
        ('麼', '么'),
        ('這', '这'),
        ('讓', '让'),
        ('號', '号'),
        ('則', '则'),
        ('並', '并'),
        ('誰', '谁'),
        ('說', '说'),
        ('話', '话'),
        ('記', '记'),
        ('錄', '录'),
        ('復', '复'),
        ('類', '类'),
        ('總', '总'),
        ('統', '统'),
        ('計', '计'),
        ('評', '评'),
        ('較', '较'),
        ('張', '张'),
        ('紙', '纸'),
        ('冊', '册'),
        ('頁', '页'),
        ('親', '亲'),
        ('媽', '妈'),
        ('爺', '爷'),
        ('見', '见'),
        ('準', '准'),
        ('備', '备'),
        ('務', '务'),
        ('處', '处'),
        ('雙', '双'),
        ('減', '减'),
        ('負', '负'),
        ('擔', '担'),
        ('辦', '办'),
        ('機', '机'),
        ('掃', '扫'),
        ('電', '电'),
        ('腦', '脑'),
        ('貼', '贴'),
        ('錯', '错'),
        ('誤', '误'),
        ('須', '须'),
        ('約', '约'),
        ('麗', '丽'),
        ('獎', '奖'),
        ('狀', '状'),
        ('優', '优'),
    ];
    // One slot per unified ideograph (42 KB): every Chinese character of every text is looked up.
    const FIRST: u32 = 0x4E00;
    static SIMPLIFIED: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let table = SIMPLIFIED.get_or_init(|| {
        let mut table: Vec<char> = (FIRST..=0x9FFF).filter_map(char::from_u32).collect();
        for &(traditional, simplified) in PAIRS {
            if let Some(slot) = (traditional as u32).checked_sub(FIRST).and_then(|i| table.get_mut(i as usize)) {
                *slot = simplified;
            }
        }
        table
    });
    (c as u32).checked_sub(FIRST).and_then(|i| table.get(i as usize)).copied().unwrap_or(c)
}

/// Characters with no visible form (Unicode's format characters and the fillers that render as
/// nothing): dropped before anything else, so they cannot split a word a rule looks for.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether NFKC makes of `c` what `fold` alone makes of it: full-width ASCII (，！？：become
/// ASCII either way) and whatever NFKC leaves as it is (。、“” …), known from a table lookup
/// instead of a decomposition.
fn nfkc_is_fold(c: char) -> bool {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    ('\u{FF01}'..='\u{FF5E}').contains(&c) || is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

pub fn normalise(original: &str) -> Normalised {
    use unicode_normalization::UnicodeNormalization;
    let mut out = Builder::with_capacity(original.len());
    for (i, c) in original.chars().enumerate() {
        // NFKC leaves ASCII and the unified ideographs as they are: most of every text skips the
        // decomposition tables (a quarter of the guard's time when every character went through them).
        let plain = c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c);
        if !plain && is_invisible(c) {
            continue;
        }
        if plain || nfkc_is_fold(c) {
            out.take(fold(c), i);
        } else {
            for n in std::iter::once(c).nfkc() {
                out.take(fold(n), i);
            }
        }
    }
    out.finish()
}

/// Builds the normalised text one folded character at a time, in a single pass: fillers wait
/// until the next character shows whether they stand between two Chinese characters.
struct Builder {
    out: Normalised,
    /// Fillers met since the last other character, with their origins.
    pending: Vec<(char, usize)>,
    /// The last character that was not a filler is a Chinese one.
    after_han: bool,
}

impl Builder {
    fn with_capacity(bytes: usize) -> Self {
        let out = Normalised { text: String::with_capacity(bytes), origin: Vec::with_capacity(bytes) };
        Self { out, pending: Vec::new(), after_han: false }
    }

    /// One folded character, from the original character `from`.
    #[inline]
    fn take(&mut self, c: char, from: usize) {
        if is_filler(c) {
            self.pending.push((c, from));
            return;
        }
        let han = is_han(c);
        if !self.pending.is_empty() {
            self.flush_fillers(self.after_han && han);
        }
        self.push(c, from);
        self.after_han = han;
    }

    /// The fillers met since the last other character: dropped between two Chinese characters
    /// ("排 名", "排-名" read as "排名"), kept elsewhere, a run of spaces kept as one.
    fn flush_fillers(&mut self, between_han: bool) {
        if !between_han {
            for i in 0..self.pending.len() {
                let (filler, from) = self.pending[i];
                let filler = if filler.is_whitespace() { ' ' } else { filler };
                if filler == ' ' && (self.out.text.is_empty() || self.out.text.ends_with(' ')) {
                    continue;
                }
                self.push(filler, from);
            }
        }
        self.pending.clear();
    }

    #[inline]
    fn push(&mut self, c: char, from: usize) {
        self.out.text.push(c);
        self.out.origin.push(from);
    }

    fn finish(mut self) -> Normalised {
        self.flush_fillers(false);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evasions_fold_to_the_plain_form() {
        assert_eq!(normalise("排 名").text, "排名");
        assert_eq!(normalise("排-名").text, "排名");
        assert_eq!(normalise("排*名").text, "排名");
        assert_eq!(normalise("成績").text, "成绩");
        assert_eq!(normalise("ＲＡＮＫ １２").text, "rank 12");
        assert_eq!(normalise("top  10").text, "top 10");
    }

    #[test]
    fn invisible_characters_and_compatibility_forms_do_not_split_words() {
        assert_eq!(normalise("请家长检\u{200b}查作业并签\u{200b}字").text, "请家长检查作业并签字");
        assert_eq!(normalise("签\u{00ad}字\u{2060}和批\u{feff}改\u{200d}").text, "签字和批改");
        assert_eq!(normalise("⑴ ㈠ ｶ").text, "(1) (一) カ");
        assert_eq!(normalise("\u{F9B4}").text, "\u{9818}", "a CJK compatibility ideograph is its unified one (領)");
    }

    #[test]
    fn the_short_cut_past_nfkc_gives_what_nfkc_gives() {
        use unicode_normalization::UnicodeNormalization;
        for c in (0..0x3_0000).filter_map(char::from_u32).filter(|&c| nfkc_is_fold(c)) {
            let full: Vec<char> = std::iter::once(c).nfkc().map(fold).collect();
            assert_eq!(full, [fold(c)], "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn spans_skip_what_was_dropped_and_cover_what_was_expanded() {
        let original = "请检\u{200b}查";
        let n = normalise(original);
        let start = n.text.find("检查").unwrap();
        let (s, e) = n.original_span(start, start + "检查".len());
        assert_eq!((s, e), (1, 4), "检, the zero-width space and 查");
        let n = normalise("第⑴题");
        let start = n.text.find("1").unwrap();
        assert_eq!(n.original_span(start, start + 1), (1, 2));
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let n = normalise("请看 排 名 表");
        let start = n.text.find("排名").unwrap();
        let (s, e) = n.original_span(start, start + "排名".len());
        let original: String = "请看 排 名 表".chars().skip(s).take(e - s).collect();
        assert_eq!(original, "排 名");
    }
}
