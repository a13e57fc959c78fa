//! The grammar of what people type, shared by every parser and stated in the API document (by
//! `http::constraints`) with the same definitions: text that must not be blank and may not be
//! longer than its field, and times of day. Pure: no I/O.

/// `HH:MM` on a 24-hour clock, as every time of day in the API.
pub const CLOCK_TIME: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// Reads a time of day exactly as [`CLOCK_TIME`] states it (`07:05`, never `7:5` or ` 07:05`).
pub fn clock_time(text: &str) -> Option<chrono::NaiveTime> {
    let bytes = text.as_bytes();
    let digits =
        |a: u8, b: u8| (a.is_ascii_digit() && b.is_ascii_digit()).then(|| u32::from((a - b'0') * 10 + (b - b'0')));
    match bytes {
        [h1, h2, b':', m1, m2] => chrono::NaiveTime::from_hms_opt(digits(*h1, *h2)?, digits(*m1, *m2)?, 0),
        _ => None,
    }
}

/// A visible character somewhere: what "not blank" means for text a person types.
pub const NOT_BLANK: &str = r"\S";

/// Whitespace as the document's regular expressions (ECMA-262 `\s`) see it, so that "not blank"
/// means the same to a client validating against the document and to the server.
pub fn is_blank_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// Text checked as [`Rule::Text`] states it: at most `max` characters as sent, at least one of
/// them visible. Answers the text without surrounding blanks, or `None` when it breaks the rule.
pub fn visible_text(raw: &str, max: usize) -> Option<&str> {
    let trimmed = raw.trim_matches(is_blank_char);
    (!trimmed.is_empty() && raw.chars().count() <= max).then_some(trimmed)
}

/// Text checked as [`Rule::MaxChars`] states it: at most `max` characters as sent. Answers the
/// text without surrounding blanks (`None` when nothing is left), or `Err` when too long.
pub fn optional_text(raw: &str, max: usize) -> Result<Option<&str>, TooLong> {
    if raw.chars().count() > max {
        return Err(TooLong { max });
    }
    let trimmed = raw.trim_matches(is_blank_char);
    Ok((!trimmed.is_empty()).then_some(trimmed))
}

/// A required text field as the API checks it: [`visible_text`], or a 422 naming the field.
pub fn required(field: &str, raw: &str, max: usize) -> crate::error::ApiResult<String> {
    visible_text(raw, max).map(str::to_owned).ok_or_else(|| {
        crate::error::ApiError::validation(
            field,
            format!("请填写（不超过 {max} 字）。"),
            format!("Required, {max} characters at most."),
        )
    })
}

/// An optional text field as the API checks it: [`optional_text`], or a 422 naming the field.
pub fn optional(field: &str, raw: &str, max: usize) -> crate::error::ApiResult<Option<String>> {
    optional_text(raw, max).map(|t| t.map(str::to_owned)).map_err(|_| {
        crate::error::ApiError::validation(field, format!("不超过 {max} 字。"), format!("{max} characters at most."))
    })
}

/// Text longer than its field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub max: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_counts_what_was_sent_and_needs_one_visible_character() {
        assert_eq!(visible_text("  语文  ", 6), Some("语文"));
        assert_eq!(visible_text("  语文  ", 5), None, "blanks sent count against the limit");
        assert_eq!(visible_text(" \u{3000}\u{feff}\t", 10), None);
        assert_eq!(visible_text("", 10), None);
        assert_eq!(optional_text("  ", 5), Ok(None));
        assert_eq!(optional_text(" ok ", 5), Ok(Some("ok")));
        assert_eq!(optional_text("toolong", 5), Err(TooLong { max: 5 }));
    }

    #[test]
    fn blank_characters_are_those_of_the_documents_regular_expressions() {
        let not_blank = regex::Regex::new(NOT_BLANK).unwrap();
        for c in ['\t', ' ', '\u{a0}', '\u{2003}', '\u{3000}', '\u{feff}', '\u{2028}'] {
            assert!(is_blank_char(c), "{c:?}");
        }
        for c in ['a', '语', '0', '\u{200b}'] {
            assert!(!is_blank_char(c) && not_blank.is_match(&c.to_string()), "{c:?}");
        }
    }

    #[test]
    fn clock_time_is_a_strict_hh_mm() {
        let re = regex::Regex::new(CLOCK_TIME).unwrap();
        for ok in ["00:00", "07:05", "17:30", "23:59"] {
            assert!(re.is_match(ok), "{ok}");
            assert!(clock_time(ok).is_some(), "{ok}");
        }
        for bad in ["7:05", "24:00", "12:60", "12:5", "", "12:30:00", "+1:05", " 07:05"] {
            assert!(!re.is_match(bad), "{bad}");
            assert_eq!(clock_time(bad), None, "{bad}");
        }
        assert_eq!(clock_time("23:59"), chrono::NaiveTime::from_hms_opt(23, 59, 0));
    }
}
